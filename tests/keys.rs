//! End-to-end tests of how people name items: a bare reference is an office's own key, the
//! ledger's own number is written `#2024-0039`, and an item without a key travels in a CSV
//! export under its global id, so files from several stores and offices never collide.

#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use std::collections::BTreeSet;

use common::{Env, Hand, csv_rows, demo, json};
use serde_json::Value;

const HEADER: &str = "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n";

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// A ledger with the demo roster and no entries.
fn roster() -> Env {
    let env = Env::new();
    env.ok(&["import", "advisors", demo("advisors.csv").to_str().unwrap()]);
    env
}

/// Logs a new item without a key; returns what `log` printed.
fn log_new(env: &Env, db: &std::path::Path, title: &str, hours: &str, date: &str) -> String {
    env.ok_on(
        db,
        &[
            "log",
            "--advisor",
            "A001",
            "--hours",
            hours,
            "--topic",
            "信息公开",
            "--service",
            "opinion",
            "--department",
            "司法局",
            "--title",
            title,
            "--date",
            date,
        ],
    )
}

/// `log --item REF` adding time to an item, with no item fields.
fn log_on(env: &Env, reference: &str, hours: &str, date: &str) -> std::process::Output {
    env.run(&[
        "log",
        "--advisor",
        "A002",
        "--hours",
        hours,
        "--item",
        reference,
        "--date",
        date,
    ])
}

/// The demo year's rows split in two files by item: the odd-numbered items keyed the way one
/// office numbers (`B5-1`, `B5-3`, …), the even ones the way another does (`2024-0002`,
/// `2024-0004`, …: what the ledger's own numbers look like).
fn two_offices_files() -> (String, String) {
    let text = std::fs::read_to_string(demo("entries-2024.csv")).unwrap();
    let (mut b5, mut numbered) = (HEADER.to_string(), HEADER.to_string());
    for line in text.lines().skip(1) {
        let mut fields: Vec<String> = line.split(',').map(String::from).collect();
        let n: u32 = fields[3].trim_start_matches("2024-").parse().unwrap();
        if n % 2 == 1 {
            fields[3] = format!("B5-{n}");
            b5 += &(fields.join(",") + "\n");
        } else {
            fields[3] = format!("2024-{n:04}");
            numbered += &(fields.join(",") + "\n");
        }
    }
    (b5, numbered)
}

#[test]
fn files_keyed_b5_and_keyed_like_ledger_numbers_both_import_with_the_hand_counted_figures() {
    let env = roster();
    let (b5, numbered) = two_offices_files();
    let first = env.write("b5.csv", &b5);
    let second = env.write("numbered.csv", &numbered);
    env.ok(&["import", "entries", first.to_str().unwrap()]);
    // The ledger has numbered the B5 items 2024-0001 on; keys like 2024-0002 are no numbers.
    let out = env.ok(&["import", "entries", second.to_str().unwrap()]);
    assert!(out.starts_with("Imported"), "{out}");

    let advisors = std::fs::read_to_string(demo("advisors.csv")).unwrap();
    let hand = Hand::read(&advisors, &format!("{b5}{}", &numbered[HEADER.len()..]));
    let total = hand.total("2024");
    assert_eq!(total.items.len(), 171, "the demo's items, under new keys");
    let s = env.summary_json("2024");
    assert_eq!(u(&s["items"]), total.items.len() as u64);
    assert_eq!(u(&s["minutes"]), total.minutes);
    let report = json(&env.ok(&[
        "report", "--period", "2024", "--by", "topic", "--format", "json",
    ]));
    for (topic, count) in hand.by("2024", "topic") {
        let row = report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == topic.as_str())
            .unwrap_or_else(|| panic!("no row for {topic}"));
        assert_eq!(
            (u(&row["items"]), u(&row["minutes"])),
            (count.items.len() as u64, count.minutes),
            "topic {topic}"
        );
    }

    // Each key still names its own item: the export gives every row back under its key.
    let exported: BTreeSet<(String, String, String)> =
        csv_rows(&env.ok(&["export", "--format", "csv", "-"]))
            .into_iter()
            .map(|r| (r["date"].clone(), r["item"].clone(), r["title"].clone()))
            .collect();
    let given: BTreeSet<(String, String, String)> = hand
        .entries
        .iter()
        .map(|e| (e.date.clone(), e.item.clone(), e.title.clone()))
        .collect();
    assert_eq!(exported, given);
    let again = env.ok(&["import", "entries", second.to_str().unwrap()]);
    assert!(again.starts_with("Nothing new"), "{again}");
    env.ok(&["verify"]);
}

#[test]
fn the_csv_exports_of_two_stores_import_into_a_third_without_collision() {
    let env = roster();
    let (a, b, office) = (env.path("a"), env.path("b"), env.store.clone());
    let advisors = demo("advisors.csv");
    for db in [&a, &b] {
        env.ok_on(db, &["import", "advisors", advisors.to_str().unwrap()]);
    }
    // Both stores number their first item 2024-0001, their second 2024-0002.
    for (db, titles) in [(&a, ["甲事项", "丙事项"]), (&b, ["乙事项", "丁事项"])] {
        for (i, title) in titles.iter().enumerate() {
            let out = log_new(
                &env,
                db,
                title,
                if i == 0 { "1.5" } else { "0.7" },
                "2024-03-05",
            );
            let number = format!("#2024-000{}", i + 1);
            assert!(out.contains(&format!("item {number} (new)")), "{out}");
        }
    }
    let mut exports = Vec::new();
    for (name, db) in [("a.csv", &a), ("b.csv", &b)] {
        let file = env.path(name);
        env.ok_on(db, &["export", "--format", "csv", file.to_str().unwrap()]);
        let rows = csv_rows(&std::fs::read_to_string(&file).unwrap());
        assert!(
            rows.iter()
                .all(|r| r["item"].len() == 26 && !r["item"].contains('#')),
            "an item without a key goes under its global id: {rows:?}"
        );
        exports.push(file);
    }
    for file in &exports {
        let out = env.ok(&["import", "entries", file.to_str().unwrap()]);
        assert!(out.contains("2 new items"), "{out}");
    }
    let summary = |db: &std::path::Path| {
        json(&env.ok_on(db, &["summary", "--period", "2024", "--format", "json"]))
    };
    let (sa, sb, so) = (summary(&a), summary(&b), summary(&office));
    for field in ["items", "minutes"] {
        assert_eq!(u(&so[field]), u(&sa[field]) + u(&sb[field]), "{field}");
    }
    assert_eq!((u(&so["items"]), u(&so["minutes"])), (4, 264));
    assert_eq!(so["hours"], 4.4);
    assert_eq!(so["topics"], sa["topics"]);

    // Again, and back down: the global ids name the same items everywhere.
    for file in &exports {
        let out = env.ok(&["import", "entries", file.to_str().unwrap()]);
        assert!(out.starts_with("Nothing new"), "{out}");
    }
    let gathered = env.path("office.csv");
    env.ok(&["export", "--format", "csv", gathered.to_str().unwrap()]);
    let out = env.ok_on(&a, &["import", "entries", gathered.to_str().unwrap()]);
    assert!(out.contains("2 entries (2.2 h, 2 new items)"), "{out}");
    let after = summary(&a);
    assert_eq!(
        u(&after["items"]),
        4,
        "A's own two items took nothing twice"
    );
    assert_eq!(u(&after["minutes"]), 264);
}

#[test]
fn a_hash_number_adds_to_the_ledger_item_and_a_bare_one_is_a_key() {
    let env = roster();
    log_new(&env, &env.store, "甲事项", "1", "2024-03-05");
    let out = log_on(&env, "#2024-0001", "0.5", "2024-03-06");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{:?}", out);
    assert!(
        said.contains("item #2024-0001.") && !said.contains("(new)"),
        "{said}"
    );

    // A bare 2024-0001 is a key no item has: without item fields there is nothing to make.
    let out = log_on(&env, "2024-0001", "0.5", "2024-03-06");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("a new item needs"),
        "{err}"
    );
    let out = env.ok(&[
        "log",
        "--advisor",
        "A003",
        "--hours",
        "2",
        "--item",
        "2024-0001",
        "--title",
        "乙事项",
        "--topic",
        "labor",
        "--service",
        "consultation",
        "--department",
        "人社局",
        "--date",
        "2024-03-07",
    ]);
    assert!(out.contains("item #2024-0002 (new)"), "{out}");
    let out = log_on(&env, "2024-0001", "0.3", "2024-03-08");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("item #2024-0002."));

    let rows = csv_rows(&env.ok(&["export", "--format", "csv", "-"]));
    let titles = |item: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r["item"] == item)
            .map(|r| r["title"].clone())
            .collect()
    };
    assert_eq!(titles("2024-0001"), ["乙事项", "乙事项"]);
    let first = &rows.iter().find(|r| r["title"] == "甲事项").unwrap()["item"];
    assert_eq!(titles(first), ["甲事项", "甲事项"]);
    let s = env.summary_json("2024");
    assert_eq!((u(&s["items"]), u(&s["minutes"])), (2, 60 + 30 + 120 + 18));
}

#[test]
fn a_key_beginning_with_a_hash_is_refused_with_the_fix() {
    let env = roster();
    log_new(&env, &env.store, "甲事项", "1", "2024-03-05");
    let before = env.export_json();
    let out = env.run(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--item",
        "#B5-1",
        "--title",
        "乙事项",
        "--topic",
        "labor",
        "--service",
        "opinion",
        "--department",
        "人社局",
        "--date",
        "2024-03-06",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(
            "no item in the ledger has the number #B5-1: a reference beginning with # is the \
             ledger's own item number, and a key may not begin with #; to make a new item under \
             a key, write it without the # (B5-1)"
        ),
        "{err}"
    );
    let file = env.write(
        "hash.csv",
        format!(
            "{HEADER}2024-03-06,A001,1,#2024-0099,乙事项,labor,opinion,人社局,,\n\
             2024-03-06,A001,1,B5-1,丙事项,labor,opinion,人社局,,\n"
        ),
    );
    let out = env.run_in("zh", &["import", "entries", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("第 2 行：台账中没有编号为 #2024-0099 的事项")
            && err.contains("请去掉 #（写作 2024-0099）"),
        "{err}"
    );
    assert_eq!(env.export_json(), before, "nothing was written");
}

#[test]
fn exporting_and_importing_into_the_same_store_adds_nothing() {
    let env = roster();
    log_new(&env, &env.store, "无键事项", "1", "2024-03-05");
    let file = env.write(
        "keyed.csv",
        format!(
            "{HEADER}2024-03-06,A002,1.5,2024-0001,有键事项,labor,opinion,人社局,满意,\n\
             2024-03-07,A003,0.5,B5-1,另一事项,contracts,contract-review,财政局,,\n"
        ),
    );
    env.ok(&["import", "entries", file.to_str().unwrap()]);
    let before = env.export_json();
    let audit = env.audit_len();
    let out = env.write("out.csv", env.ok(&["export", "--format", "csv", "-"]));
    let again = env.ok(&["import", "entries", out.to_str().unwrap()]);
    assert!(again.starts_with("Nothing new: all 3 rows"), "{again}");
    assert_eq!(env.export_json(), before);
    assert_eq!(env.audit_len(), audit);
    // The number `log` prints is the one it takes back.
    let detail = env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "0.1",
        "--item",
        "#2024-0002",
    ]);
    assert!(detail.contains("item #2024-0002."), "{detail}");
}

#[test]
fn a_migrated_store_takes_its_numbers_with_a_hash_and_keys_like_numbers_as_new_items() {
    let env = Env::new();
    common::copy_fixture("store-schema-1", &env.store);
    env.ok(&["verify"]);
    let before = env.summary_json("2024");
    // The demo's own key, and the ledger's number with its #: both still name their items.
    for reference in ["2024-019", "#2024-0019"] {
        let out = log_on(&env, reference, "0.5", "2024-12-31");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{out:?}");
        assert!(
            said.contains("item #2024-0019.") && !said.contains("(new)"),
            "{said}"
        );
    }
    // The bare number was a reference in schema 1; now it is a key no item has.
    let file = env.write(
        "numbered.csv",
        format!("{HEADER}2024-12-31,A003,1,2024-0019,另一单位的事项,labor,opinion,人社局,,\n"),
    );
    let out = env.ok(&["import", "entries", file.to_str().unwrap()]);
    assert!(out.contains("1 new item"), "{out}");
    let after = env.summary_json("2024");
    assert_eq!(u(&after["items"]), u(&before["items"]) + 1);
    assert_eq!(u(&after["minutes"]), u(&before["minutes"]) + 30 + 30 + 60);
    assert!(env.ok(&["verify"]).contains("verified"));
}
