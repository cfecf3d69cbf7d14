//! A ledger changed behind the store's back: a program with write access to the files opens the
//! sled store directly, changes records together with every index and copy that would give it
//! away, and `verify` must still report it, because the records no longer add up to the digest
//! the audit trail carries.

#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use counsel_log::store::RawTree;
use std::path::Path;

use chrono::NaiveDate;
use common::Env;
use counsel_log::domain::intake::{Fingerprint, ItemFields};
use counsel_log::domain::{Item, Minutes, Satisfaction};
use serde::{Deserialize, Serialize};

/// An entry as the store encodes it (postcard), mirrored the way an attacker would read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Raw {
    item: u64,
    advisor: String,
    minutes: u64,
    note: String,
    topic: String,
    service: String,
    department: String,
    satisfaction: Option<Satisfaction>,
}

/// The demo's 2024 ledger, verified whole before the attack.
fn healthy() -> Env {
    let env = Env::new();
    env.import_demo();
    assert!(env.ok(&["verify"]).contains("verified"));
    env
}

fn date_of(key: &[u8]) -> NaiveDate {
    let day = i32::from_be_bytes(key[..4].try_into().unwrap());
    NaiveDate::from_num_days_from_ce_opt(day).unwrap()
}

/// The fingerprint key an entry of `raw` at `key` has, given its item.
fn fingerprint_key(db: &sled::Db, key: &[u8], raw: &Raw) -> Vec<u8> {
    let item = RawTree::open(db, "items").unwrap();
    let item: Item = serde_json::from_slice(&item.get(raw.item.to_be_bytes()).unwrap().unwrap())
        .expect("the item");
    let fp = Fingerprint::of(
        date_of(key),
        &raw.advisor,
        Minutes(raw.minutes),
        &ItemFields::of(&item),
        &raw.note,
    );
    [&fp.0[..], &key[4..]].concat()
}

/// Opens the store's files with sled itself, as any program with write access could.
fn attack(env: &Env, change: impl FnOnce(&sled::Db)) {
    let db = counsel_log::store::open_sled(&env.store).expect("the store opens with sled directly");
    change(&db);
    db.flush().unwrap();
}

/// `verify` fails, and names the ledger's digest and the trees that no longer add up.
fn assert_caught(env: &Env, trees: &[&str]) {
    let out = env.run(&["verify"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("no longer add up to the digest"), "{said}");
    for tree in trees {
        assert!(said.contains(tree), "{tree} not named: {said}");
    }
}

/// The first entry of the ledger whose item has at least two entries, with its key.
fn an_entry(db: &sled::Db) -> (Vec<u8>, Raw) {
    let (k, v) = RawTree::open(db, "entries")
        .unwrap()
        .iter()
        .next()
        .unwrap()
        .unwrap();
    (k.to_vec(), postcard::from_bytes(&v).unwrap())
}

fn write_entry(db: &sled::Db, key: &[u8], raw: &Raw) {
    let entries = RawTree::open(db, "entries").unwrap();
    entries
        .insert(key, postcard::to_stdvec(raw).unwrap())
        .unwrap();
}

#[test]
fn an_entrys_minutes_changed_with_its_fingerprint_are_caught() {
    let env = healthy();
    attack(&env, |db| {
        let (key, mut raw) = an_entry(db);
        let prints = RawTree::open(db, "fingerprints").unwrap();
        prints.remove(fingerprint_key(db, &key, &raw)).unwrap();
        raw.minutes += 600;
        prints.insert(fingerprint_key(db, &key, &raw), []).unwrap();
        write_entry(db, &key, &raw);
    });
    assert_caught(&env, &["entries", "fingerprints"]);
    // Once found, the damage stops the store: no figure is served from it.
    let out = env.run(&["summary", "--period", "2024"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("no longer add up to the digest"), "{said}");
}

#[test]
fn an_items_rating_changed_in_the_item_and_every_copy_is_caught() {
    let env = healthy();
    attack(&env, |db| {
        let items = RawTree::open(db, "items").unwrap();
        let (id, bytes) = items.iter().next().unwrap().unwrap();
        let mut item: Item = serde_json::from_slice(&bytes).unwrap();
        let rating = match item.satisfaction {
            Some(Satisfaction::Unsatisfied) => Satisfaction::Satisfied,
            _ => Satisfaction::Unsatisfied,
        };
        item.satisfaction = Some(rating);
        items
            .insert(&id, serde_json::to_vec(&item).unwrap())
            .unwrap();
        let listed = RawTree::open(db, "item_entries").unwrap();
        let entries = RawTree::open(db, "entries").unwrap();
        for kv in listed.scan_prefix(&id) {
            let (_, key) = kv.unwrap();
            let mut raw: Raw = postcard::from_bytes(&entries.get(&key).unwrap().unwrap()).unwrap();
            raw.satisfaction = Some(rating);
            write_entry(db, &key, &raw);
        }
    });
    assert_caught(&env, &["items", "entries"]);
}

#[test]
fn an_entry_deleted_with_every_index_row_is_caught() {
    let env = healthy();
    attack(&env, |db| {
        let (key, raw) = an_entry(db);
        let id = &key[4..];
        RawTree::open(db, "fingerprints")
            .unwrap()
            .remove(fingerprint_key(db, &key, &raw))
            .unwrap();
        RawTree::open(db, "entry_index")
            .unwrap()
            .remove(id)
            .unwrap();
        RawTree::open(db, "item_entries")
            .unwrap()
            .remove([&raw.item.to_be_bytes()[..], id].concat())
            .unwrap();
        RawTree::open(db, "entries").unwrap().remove(&key).unwrap();
    });
    assert_caught(
        &env,
        &["entries", "entry_index", "item_entries", "fingerprints"],
    );
}

#[test]
fn two_entries_of_a_day_with_their_values_swapped_are_caught() {
    let env = healthy();
    attack(&env, |db| {
        let entries = RawTree::open(db, "entries").unwrap();
        let all: Vec<(Vec<u8>, Raw)> = entries
            .iter()
            .map(|kv| {
                let (k, v) = kv.unwrap();
                (k.to_vec(), postcard::from_bytes(&v).unwrap())
            })
            .collect();
        // Two entries of one item on one day with different hours: swapping them changes who
        // is credited with what, and every index still leads where it did.
        let (a, b) = all
            .iter()
            .enumerate()
            .find_map(|(i, a)| {
                all[i + 1..]
                    .iter()
                    .find(|b| {
                        a.0[..4] == b.0[..4] && a.1.item == b.1.item && a.1.minutes != b.1.minutes
                    })
                    .map(|b| (a.clone(), b.clone()))
            })
            .expect("two entries of an item on one day");
        let prints = RawTree::open(db, "fingerprints").unwrap();
        prints.remove(fingerprint_key(db, &a.0, &a.1)).unwrap();
        prints.remove(fingerprint_key(db, &b.0, &b.1)).unwrap();
        write_entry(db, &a.0, &b.1);
        write_entry(db, &b.0, &a.1);
        prints.insert(fingerprint_key(db, &a.0, &b.1), []).unwrap();
        prints.insert(fingerprint_key(db, &b.0, &a.1), []).unwrap();
    });
    assert_caught(&env, &["entries", "fingerprints"]);
}

#[test]
fn a_closed_month_taken_off_is_caught() {
    let env = healthy();
    env.ok(&["close", "2024-03"]);
    attack(&env, |db| {
        let meta = RawTree::open(db, "meta").unwrap();
        let keys: Vec<_> = meta
            .scan_prefix(b"closed/")
            .chain(meta.scan_prefix(b"filed/"))
            .map(|kv| kv.unwrap().0)
            .collect();
        assert!(!keys.is_empty());
        for k in keys {
            meta.remove(k).unwrap();
        }
    });
    assert_caught(&env, &["meta"]);
}

#[test]
fn every_change_made_through_counsel_log_keeps_the_ledger_whole() {
    let env = healthy();
    let log = |date: &str| {
        env.ok(&[
            "log",
            "--advisor",
            "A003",
            "--hours",
            "1.5",
            "--topic",
            "contracts",
            "--service",
            "opinion",
            "--department",
            "财政局",
            "--title",
            "Lease review",
            "--date",
            date,
        ])
    };
    log("2024-05-06");
    log("2024-05-07");
    env.ok(&["correct", "283", "--hours", "2", "--reason", "Timesheet"]);
    env.ok(&["close", "2024-04"]);
    env.ok(&["reopen", "2024-04", "--reason", "Late entry"]);
    let csv = env.path("out.csv");
    env.ok(&["export", "--format", "csv", csv.to_str().unwrap()]);
    let verified = env.ok(&["verify"]);
    assert!(verified.contains("verified"), "{verified}");
    assert!(Path::new(&csv).exists());
}

#[test]
fn every_report_and_export_names_the_audit_head_it_was_made_from() {
    let env = healthy();
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.store.join("audit-head.json")).unwrap()).unwrap();
    let hash = file["hash"].as_str().unwrap();
    for args in [
        &["report", "--period", "2024", "--format", "json"][..],
        &["summary", "--period", "2024", "--format", "json"],
        &["export", "--format", "json", "-"],
    ] {
        let doc = common::json(&env.ok(args));
        assert_eq!(doc["audit_head"], file, "{args:?}");
    }
    let table = env.ok(&["report", "--period", "2024"]);
    let line = format!("Made from audit record 2 ({})", &hash[..16]);
    assert!(table.contains(&line), "{table}");
    let md = env.ok(&["report", "--period", "2024", "--format", "md"]);
    assert!(md.contains(&line), "{md}");
    // A later change moves the head: whoever kept the earlier report can tell.
    env.ok(&["close", "2024-03"]);
    let later = common::json(&env.ok(&["report", "--period", "2024", "--format", "json"]));
    assert_eq!(later["audit_head"]["count"], 3);
    assert_ne!(later["audit_head"]["hash"], file["hash"]);
}
