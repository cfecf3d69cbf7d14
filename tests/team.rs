//! The team's ledger, end to end with the real binary: counsel's stores bundle their work to an
//! office that enrolled them; the office's figures equal one import of everything; bundles are
//! refused when tampered with, unknown, or speaking for someone else; corrections count once.
#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "tests fail loudly on anything unexpected, and a scenario reads best as one function"
)]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::{Env, csv_rows, demo, json};

/// A store of the test, beside the others in one temporary directory.
struct Store<'a> {
    env: &'a Env,
    path: PathBuf,
}

impl Store<'_> {
    fn ok(&self, args: &[&str]) -> String {
        self.env.ok_on(&self.path, args)
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.env.run_on(&self.path, args);
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    fn card(&self, name: &str) -> PathBuf {
        let file = self.env.path(&format!("{name}.card"));
        self.ok(&["identity", "--name", name, "--out", file.to_str().unwrap()]);
        file
    }

    fn bundle(&self, file: &str, extra: &[&str]) -> PathBuf {
        let path = self.env.path(file);
        let mut args = vec!["bundle", "--out", path.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.ok(&args);
        path
    }

    /// Enrols `peer` here under `name`, for `advisors` (comma-separated), from its card.
    fn enrol(&self, peer: &Store, name: &str, advisors: &str) {
        let card = peer.card(name);
        self.ok(&[
            "peer",
            "add",
            card.to_str().unwrap(),
            "--advisors",
            advisors,
        ]);
    }

    fn import(&self, bundle: &Path) -> String {
        self.ok(&["import", "bundle", bundle.to_str().unwrap()])
    }

    fn figures(&self) -> String {
        // The figures, not the audit head each was read at.
        let mut out =
            common::strip_head(&self.ok(&["summary", "--period", "2024", "--format", "json"]));
        for by in [
            "advisor",
            "topic",
            "department",
            "month",
            "category",
            "service",
        ] {
            let report = self.ok(&["report", "--period", "2024", "--by", by, "--format", "json"]);
            out.push_str(&common::strip_head(&report));
        }
        out
    }
}

fn store<'a>(env: &'a Env, name: &str) -> Store<'a> {
    let s = Store {
        env,
        path: env.path(name),
    };
    s.ok(&["import", "advisors", demo("advisors.csv").to_str().unwrap()]);
    s
}

/// Writes the demo entries of `advisors` as a CSV file of their own; returns its path.
fn entries_of(env: &Env, name: &str, advisors: &[String]) -> PathBuf {
    let text = std::fs::read_to_string(demo("entries-2024.csv")).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let advisor = line.split(',').nth(1).unwrap();
        if advisors.iter().any(|a| a == advisor) {
            out.push_str(line);
            out.push('\n');
        }
    }
    env.write(name, out)
}

/// The demo's advisors who logged something, split into three groups (every third one).
fn three_groups() -> [Vec<String>; 3] {
    let text = std::fs::read_to_string(demo("entries-2024.csv")).unwrap();
    let mut advisors: Vec<String> = csv_rows(&text)
        .into_iter()
        .map(|r: HashMap<String, String>| r["advisor"].clone())
        .collect();
    advisors.sort();
    advisors.dedup();
    let mut groups: [Vec<String>; 3] = Default::default();
    for (i, a) in advisors.into_iter().enumerate() {
        groups[i % 3].push(a);
    }
    groups
}

/// Three counsel stores, each with the whole roster and its own advisors' entries, enrolled at
/// an office for those advisors.
fn three_counsel_and_an_office(env: &Env) -> (Vec<Store<'_>>, Store<'_>, [Vec<String>; 3]) {
    let groups = three_groups();
    let office = store(env, "office");
    let mut counsel = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        let s = store(env, &format!("counsel{i}"));
        let file = entries_of(env, &format!("entries{i}.csv"), group);
        s.ok(&["import", "entries", file.to_str().unwrap()]);
        office.enrol(&s, &format!("律所{i}"), &group.join(","));
        counsel.push(s);
    }
    (counsel, office, groups)
}

#[test]
fn an_office_gathering_three_stores_bundles_has_the_figures_of_one_import_of_everything() {
    let env = Env::new();
    let (counsel, office, _) = three_counsel_and_an_office(&env);
    // Items are shared between advisors of different stores: the same key in several files.
    let whole = store(&env, "whole");
    whole.ok(&[
        "import",
        "entries",
        demo("entries-2024.csv").to_str().unwrap(),
    ]);
    let bundles: Vec<PathBuf> = counsel
        .iter()
        .enumerate()
        .map(|(i, s)| s.bundle(&format!("b{i}.json"), &[]))
        .collect();
    for b in &bundles {
        let said = office.import(b);
        assert!(said.contains("Imported the bundle from \"律所"), "{said}");
    }
    let s = json(&office.ok(&["summary", "--period", "2024", "--format", "json"]));
    assert_eq!(
        (s["items"].as_u64(), s["minutes"].as_u64()),
        (Some(171), Some(25_938))
    );
    assert_eq!(office.figures(), whole.figures());

    // The same bundles again, in another order: nothing changes.
    let audit_before = office.ok(&["verify"]);
    for b in bundles.iter().rev() {
        let said = office.import(b);
        assert!(said.contains("nothing new"), "{said}");
    }
    assert_eq!(office.figures(), whole.figures());
    assert_ne!(
        office.ok(&["verify"]),
        audit_before,
        "each import is audited"
    );

    // A second bundle holds only what changed since the first: nothing.
    let again = counsel[0].bundle("b0-again.json", &[]);
    let text = std::fs::read_to_string(&again).unwrap();
    assert!(
        text.contains("\"counts\":{\"items\":0,\"entries\":0,\"deletions\":0,\"corrections\":0}")
    );

    // The peer list says when each last sent and what it held.
    let peers = json(&office.ok(&["peer", "list", "--format", "json"]));
    let peers = peers.as_array().unwrap();
    assert_eq!(peers.len(), 3);
    let entries: u64 = peers
        .iter()
        .map(|p| p["last_bundle"]["entries"].as_u64().unwrap())
        .sum();
    assert_eq!(
        entries, 281,
        "each store's last bundle held its advisors' entries"
    );
}

#[test]
fn an_entry_logged_then_corrected_at_a_counsel_store_counts_once_with_its_corrected_hours() {
    let env = Env::new();
    let office = store(&env, "office");
    let counsel = store(&env, "counsel");
    office.enrol(&counsel, "律所-邓", "A001");
    let logged = counsel.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "2.5",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "某合同审核",
        "--date",
        "2024-05-06",
    ]);
    assert!(logged.starts_with("Saved entry #1"), "{logged}");
    office.import(&counsel.bundle("first.json", &[]));
    let corrected = counsel.ok(&["correct", "#1", "--hours", "1.5", "--reason", "多记一小时"]);
    assert!(
        corrected.contains("now counted as 1.5 h on 2024-05-06 (counted as 2.5 h before)"),
        "{corrected}"
    );
    let said = office.import(&counsel.bundle("second.json", &[]));
    assert!(said.contains("corrections 1"), "{said}");
    let s = json(&office.ok(&["summary", "--period", "2024-05", "--format", "json"]));
    assert_eq!(
        (s["items"].as_u64(), s["minutes"].as_u64()),
        (Some(1), Some(90))
    );
    // Both bundles again, the old one last: still once, still corrected.
    office.import(&env.path("second.json"));
    office.import(&env.path("first.json"));
    let s = json(&office.ok(&["summary", "--period", "2024-05", "--format", "json"]));
    assert_eq!(
        (s["items"].as_u64(), s["minutes"].as_u64()),
        (Some(1), Some(90))
    );
    // The office cannot edit the counsel's entry; it corrects it, and the newest correction counts.
    let refused = office.fails(&["correct", "#1", "--hours", "1"]);
    assert!(refused.contains("--reason"), "{refused}");
    // The newest correction counts, by its time to the second (two in one second are ordered
    // by their ids, the same at every store): this one comes a second later.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    office.ok(&["correct", "1", "--hours", "1", "--reason", "复核"]);
    let s = json(&office.ok(&["summary", "--period", "2024-05", "--format", "json"]));
    assert_eq!(s["minutes"].as_u64(), Some(60));
    // Its history keeps the entry as logged and both corrections, the newest last.
    let history = office.ok(&["history", "#1"]);
    assert!(history.contains("from the store \"律所-邓\""), "{history}");
    assert!(
        history.contains("as logged (revision 1): 2024-05-06 2.5 h"),
        "{history}"
    );
    let first = history.find("1.5 h; reason: 多记一小时").unwrap();
    let second = history.find("1.0 h; reason: 复核").unwrap();
    assert!(first < second, "{history}");
    let h = json(&office.ok(&["history", "1", "--format", "json"]));
    assert_eq!(h["entry"]["minutes"].as_u64(), Some(60));
    assert_eq!(h["logged"]["minutes"].as_u64(), Some(150));
    assert_eq!(h["corrections"].as_array().unwrap().len(), 2);
}

/// The office's figures, to check that a refused bundle changed nothing.
fn untouched(office: &Store, before: &str, said: &str, expected: &str) {
    assert!(said.contains(expected), "expected {expected:?} in: {said}");
    assert!(said.contains("nothing was"), "{said}");
    assert_eq!(office.figures(), before);
}

#[test]
fn a_changed_unknown_or_overreaching_bundle_is_refused_and_changes_nothing() {
    let env = Env::new();
    let office = store(&env, "office");
    let counsel = store(&env, "counsel");
    office.enrol(&counsel, "律所-邓", "A001");
    counsel.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "某合同",
        "--date",
        "2024-05-06",
    ]);
    let good = counsel.bundle("good.json", &[]);
    let before = office.figures();

    // One byte changed: an hour's "1" becomes "9" somewhere in the body.
    let mut bytes = std::fs::read(&good).unwrap();
    let at = bytes
        .windows(11)
        .position(|w| w == b"\"minutes\":6")
        .unwrap()
        + 10;
    bytes[at] = b'9';
    let changed = env.write("changed.json", &bytes);
    let said = office.fails(&["import", "bundle", changed.to_str().unwrap()]);
    untouched(&office, &before, &said, "damaged or edited");

    // Cut short in copying.
    let cut = env.write("cut.json", &std::fs::read(&good).unwrap()[..200]);
    let said = office.fails(&["import", "bundle", cut.to_str().unwrap()]);
    untouched(&office, &before, &said, "cut off");

    // From a store nobody enrolled.
    let stranger = store(&env, "stranger");
    stranger.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "冒名",
        "--date",
        "2024-05-07",
    ]);
    let theirs = stranger.bundle("stranger.json", &[]);
    let said = office.fails(&["import", "bundle", theirs.to_str().unwrap()]);
    untouched(&office, &before, &said, "nobody enrolled");

    // Enrolled, but carrying an entry for an advisor it does not speak for.
    counsel.ok(&[
        "log",
        "--advisor",
        "A002",
        "--hours",
        "1",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "越权",
        "--date",
        "2024-05-08",
    ]);
    let over = counsel.bundle("over.json", &["--all"]);
    let said = office.fails(&["import", "bundle", over.to_str().unwrap()]);
    untouched(&office, &before, &said, "advisor A002 2024-05-08");
    assert!(
        said.contains("peer set \"律所-邓\" --advisors A001,A002"),
        "the way out names the whole list: {said}"
    );

    // The good one still goes in.
    office.import(&good);
    let s = json(&office.ok(&["summary", "--period", "2024-05", "--format", "json"]));
    assert_eq!(s["minutes"].as_u64(), Some(60));

    // The counsel takes the stray entry back; its deletion then passes, and so does --all.
    let path = env.path("counsel");
    let handle = common::open_store(&path);
    let stray = handle
        .all_entries()
        .unwrap()
        .into_iter()
        .find(|e| e.advisor == "A002")
        .unwrap();
    let stamp = counsel_log::store::Stamp::new(chrono::Local::now().fixed_offset(), "test");
    handle.delete_entry(stray.id, &stamp).unwrap();
    common::release(handle, &path);
    let said = office.import(&counsel.bundle("taken-back.json", &[]));
    assert!(said.contains("Imported"), "{said}");
    office.import(&counsel.bundle("all.json", &["--all"]));
    let s = json(&office.ok(&["summary", "--period", "2024-05", "--format", "json"]));
    assert_eq!(s["minutes"].as_u64(), Some(60));
}

#[test]
fn an_office_bundles_upward_and_records_keep_their_origin() {
    let env = Env::new();
    let district = store(&env, "district");
    let office = store(&env, "office");
    let counsel = store(&env, "counsel");
    office.enrol(&counsel, "律所-邓", "A001");
    district.enrol(&office, "法务办", "A001,A002");
    counsel.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "某合同",
        "--date",
        "2024-05-06",
        "--item",
        "K-1",
    ]);
    office.ok(&[
        "log",
        "--advisor",
        "A002",
        "--hours",
        "2",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "某合同",
        "--date",
        "2024-05-07",
        "--item",
        "K-1",
    ]);
    office.import(&counsel.bundle("c1.json", &[]));
    district.import(&office.bundle("o1.json", &[]));
    let s = json(&district.ok(&["summary", "--period", "2024-05", "--format", "json"]));
    // One matter, two advisors' entries, three hours.
    assert_eq!(
        (s["items"].as_u64(), s["minutes"].as_u64()),
        (Some(1), Some(180))
    );
    // The counsel's later correction reaches the district through the office.
    counsel.ok(&["correct", "1", "--hours", "0.5", "--reason", "少记"]);
    office.import(&counsel.bundle("c2.json", &[]));
    let said = district.import(&office.bundle("o2.json", &[]));
    assert!(said.contains("corrections 1"), "{said}");
    let s = json(&district.ok(&["summary", "--period", "2024-05", "--format", "json"]));
    assert_eq!(s["minutes"].as_u64(), Some(150));
    // At the office, the counsel's entry is not the office's to delete or edit.
    let export = office.ok(&["export", "--format", "json", "-"]);
    assert!(export.contains("某合同"));
}

#[test]
fn a_card_is_private_to_its_store_and_checked_when_enrolled() {
    let env = Env::new();
    let office = store(&env, "office");
    let counsel = store(&env, "counsel");
    let card = counsel.card("律所-邓");
    let key = env.path("counsel").join("identity.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Its own card, an unknown advisor, a card twice, a file that is not a card.
    let own = office.card("法务办");
    let said = office.fails(&["peer", "add", own.to_str().unwrap(), "--advisors", "A001"]);
    assert!(said.contains("this store's own"), "{said}");
    let said = office.fails(&["peer", "add", card.to_str().unwrap(), "--advisors", "A999"]);
    assert!(said.contains("A999 is not on the roster"), "{said}");
    office.ok(&["peer", "add", card.to_str().unwrap(), "--advisors", "A001"]);
    let said = office.fails(&["peer", "add", card.to_str().unwrap(), "--advisors", "A001"]);
    assert!(said.contains("enrolled already"), "{said}");
    let not_card = env.write("x.card", "id,name\n");
    let said = office.fails(&[
        "peer",
        "add",
        not_card.to_str().unwrap(),
        "--advisors",
        "A001",
    ]);
    assert!(said.contains("not a counsel-log card"), "{said}");
    // set and remove are audited and take effect.
    office.ok(&["peer", "set", "律所-邓", "--advisors", "A001,A002"]);
    let list = office.ok(&["peer", "list"]);
    assert!(
        list.contains("A001,A002") && list.contains("never"),
        "{list}"
    );
    office.ok(&["peer", "remove", "律所-邓"]);
    counsel.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "某合同",
        "--date",
        "2024-05-06",
    ]);
    let b = counsel.bundle("b.json", &[]);
    let said = office.fails(&["import", "bundle", b.to_str().unwrap()]);
    assert!(said.contains("nobody enrolled"), "{said}");
    let trail = office.ok(&["verify"]);
    assert!(trail.contains("verified"), "{trail}");
}

/// A bundle crafted by a store that is enrolled, signed with its own key: the body of a real
/// bundle of `sender`, changed by `change`.
fn forge(
    env: &Env,
    sender: &Store,
    name: &str,
    change: impl FnOnce(&mut serde_json::Value),
) -> PathBuf {
    let real = sender.bundle(&format!("{name}-real.json"), &["--all"]);
    let envelope = json(&std::fs::read_to_string(real).unwrap());
    let mut body = envelope["bundle"].clone();
    change(&mut body);
    let n = |k: &str| body[k].as_array().map_or(0, Vec::len);
    let counts = serde_json::json!({
        "items": n("items"), "entries": n("entries"),
        "deletions": n("deletions"), "corrections": n("corrections"),
    });
    body["counts"] = counts;
    let key = counsel_log::store::load_key(&sender.path).unwrap();
    let text = counsel_log::sync::seal(&body.to_string(), &key);
    env.write(&format!("{name}.json"), text)
}

fn log_on(s: &Store, advisor: &str, hours: &str, date: &str, item: &str) {
    s.ok(&[
        "log",
        "--advisor",
        advisor,
        "--hours",
        hours,
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "某合同",
        "--date",
        date,
        "--item",
        item,
    ]);
}

#[test]
fn an_enrolled_store_cannot_change_what_another_store_sent_or_slip_in_what_no_one_would_type() {
    let env = Env::new();
    let office = store(&env, "office");
    let x = store(&env, "x");
    let y = store(&env, "y");
    for (s, name, advisors) in [(&x, "X", "A001"), (&y, "Y", "A002")] {
        office.enrol(s, name, advisors);
    }
    log_on(&x, "A001", "1", "2024-05-06", "X-1");
    log_on(&y, "A002", "2", "2024-05-07", "Y-1");
    let yb = y.bundle("y.json", &[]);
    office.import(&x.bundle("x.json", &[]));
    office.import(&yb);
    log_on(&office, "A003", "3", "2024-05-08", "O-1");
    let before = office.figures();
    let theirs = json(&std::fs::read_to_string(&yb).unwrap())["bundle"].clone();
    let ours = json(&office.ok(&["bundle", "--out", "-", "--all"]))["bundle"].clone();
    let own_entry = ours["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["advisor"] == "A003")
        .unwrap()
        .clone();
    let refuse = |name: &str, expected: &str, change: &dyn Fn(&mut serde_json::Value)| {
        let file = forge(&env, &x, name, |b| change(b));
        let said = office.fails(&["import", "bundle", file.to_str().unwrap()]);
        untouched(&office, &before, &said, expected);
        assert!(
            !said.contains('\u{1b}'),
            "no escape reaches the terminal: {said:?}"
        );
    };

    // Y's item, re-titled under Y's own origin and a high revision.
    refuse("hijack", "neither that record's origin", &|b| {
        let mut item = theirs["items"][0].clone();
        item["rev"] = 99.into();
        item["title"] = "HIJACKED".into();
        b["items"] = serde_json::json!([item]);
    });
    // The same, claiming to be X's own.
    refuse("claim", "neither that record's origin", &|b| {
        let mut item = theirs["items"][0].clone();
        item["origin"] = b["sender"]["store"].clone();
        item["rev"] = 99.into();
        b["items"] = serde_json::json!([item]);
    });
    // A correction of Y's entry that names X's advisor.
    refuse("lie", "enrolled only for A001", &|b| {
        let mut c = serde_json::json!({
            "id": "01JZZZZZZZZZZZZZZZZZZZZZZZ", "origin": b["sender"]["store"].clone(), "rev": 1,
            "entry": theirs["entries"][0]["id"].clone(), "advisor": "A001", "minutes": 1,
            "reason": "X says so", "at": "2024-06-01T10:00:00+08:00", "who": "x",
        });
        c["id"] = "01JZZZZZZZZZZZZZZZZZZZZZZY".into();
        b["corrections"] = serde_json::json!([c]);
    });
    // The office's own entry, rewritten as X's.
    refuse("office", "neither that record's origin", &|b| {
        let mut e = own_entry.clone();
        e["advisor"] = "A001".into();
        e["rev"] = 9.into();
        e["item"] = b["items"][0]["id"].clone();
        b["entries"] = serde_json::json!([e]);
    });
    // An item record carrying the id of an entry.
    refuse("kind", "neither that record's origin", &|b| {
        let mut item = b["items"][0].clone();
        item["id"] = b["entries"][0]["id"].clone();
        item["rev"] = 5.into();
        b["items"] = serde_json::json!([item]);
        b["entries"] = serde_json::json!([]);
    });
    // A new record that claims to be the office's own, or Y's.
    let office_id = ours["sender"]["store"].clone();
    let y_id = theirs["sender"]["store"].clone();
    for (name, origin) in [("mint-office", office_id), ("mint-y", y_id)] {
        refuse(name, "neither that record's origin", &|b| {
            let mut e = b["entries"][0].clone();
            e["id"] = "01JZZZZZZZZZZZZZZZZZZZZZZX".into();
            e["origin"] = origin.clone();
            b["entries"] = serde_json::json!([e]);
        });
    }
    // One record twice.
    refuse("twice", "appears twice", &|b| {
        let e = b["entries"][0].clone();
        b["entries"] = serde_json::json!([e.clone(), e]);
    });
    // What no person could type: a topic that is an escape sequence, a day in 2099.
    refuse("escape", "catalog does not have", &|b| {
        b["items"][0]["topic"] = "\u{1b}[2Jevil".into();
        b["items"][0]["rev"] = 7.into();
    });
    refuse("future", "date 2099-01-01", &|b| {
        b["entries"][0]["date"] = "2099-01-01".into();
        b["entries"][0]["rev"] = 7.into();
    });
}

#[test]
fn a_store_restored_from_its_backup_is_the_same_member_of_the_team() {
    let env = Env::new();
    let office = store(&env, "office");
    let counsel = store(&env, "counsel");
    let card = counsel.card("律所-邓");
    office.ok(&["peer", "add", card.to_str().unwrap(), "--advisors", "A001"]);
    log_on(&counsel, "A001", "2", "2024-05-06", "K-1");
    counsel.ok(&["correct", "1", "--hours", "1.5", "--reason", "多记"]);
    office.import(&counsel.bundle("before.json", &[]));
    office.ok(&["close", "2024-05", "--reason", "五月报送"]);
    let figures = office.figures();

    // The counsel's machine is replaced: the last backup goes into a new folder.
    let backups = env.path("counsel-backups");
    counsel.ok(&["backup", backups.to_str().unwrap()]);
    let file = std::fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let again = Store {
        env: &env,
        path: env.path("counsel-again"),
    };
    again.ok(&["restore", file.to_str().unwrap()]);
    let new_card = again.card("律所-邓");
    let new_id = json(&std::fs::read_to_string(&new_card).unwrap())["store"].clone();
    assert_eq!(
        new_id,
        json(&std::fs::read_to_string(&card).unwrap())["store"]
    );
    // Its first bundle holds everything; the office asks for the new card, then counts nothing twice.
    let first = again.bundle("after.json", &[]);
    let said = office.fails(&["import", "bundle", first.to_str().unwrap()]);
    assert!(said.contains("--card"), "{said}");
    let said = office.ok(&[
        "peer",
        "set",
        "律所-邓",
        "--card",
        new_card.to_str().unwrap(),
    ]);
    assert!(said.contains("its new key is enrolled"), "{said}");
    let said = office.import(&first);
    assert!(said.contains("nothing new"), "{said}");
    assert_eq!(office.figures(), figures);
    // Its own work goes on where it stopped: the entry stays its own, the correction counted.
    let refused = again.fails(&["correct", "1", "--hours", "1"]);
    assert!(refused.contains("--reason"), "{refused}");
    again.ok(&["correct", "1", "--hours", "1", "--reason", "再核"]);
    let said = office.import(&again.bundle("later.json", &[]));
    assert!(said.contains("corrections 1"), "{said}");

    // The office's own backup keeps its peers and its closed months.
    let office_backups = env.path("office-backups");
    office.ok(&["backup", office_backups.to_str().unwrap()]);
    let file = std::fs::read_dir(&office_backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let office2 = Store {
        env: &env,
        path: env.path("office-again"),
    };
    // An edited backup — a peer slipped into its rows, checksum made anew — is refused.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let trailer = lines.pop().unwrap();
    let peer = lines
        .iter()
        .position(|l| l.contains("\"tree\":\"peers\""))
        .unwrap();
    let mut row = json(&lines[peer]);
    let value = hex::decode(row["team"]["value"].as_str().unwrap()).unwrap();
    let mut p = json(std::str::from_utf8(&value).unwrap());
    p["name"] = "\u{1b}]0;pwned\u{7}".into();
    row["team"]["value"] = hex::encode(p.to_string()).into();
    lines[peer] = row.to_string();
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let sum = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(body.as_bytes()))
    };
    let mut t = json(&trailer);
    t["sha256"] = sum.into();
    let edited = env.write("edited.jsonl", format!("{body}{t}\n"));
    let tampered = env.path("office-tampered");
    let said = String::from_utf8_lossy(
        &env.run_on(&tampered, &["restore", edited.to_str().unwrap()])
            .stderr,
    )
    .into_owned();
    assert!(said.contains("unreadable"), "{said}");
    assert!(!said.contains('\u{1b}'), "{said:?}");
    office2.ok(&["restore", file.to_str().unwrap()]);
    assert!(office2.ok(&["peer", "list"]).contains("律所-邓"));
    let refused = office2.fails(&[
        "log",
        "--advisor",
        "A002",
        "--hours",
        "1",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "x",
        "--date",
        "2024-05-20",
    ]);
    assert!(refused.contains("is closed"), "{refused}");
    let said = office2.import(&env.path("later.json"));
    assert!(said.contains("nothing new"), "{said}");
    assert_eq!(office2.figures(), office.figures());
}

#[test]
fn an_import_says_what_the_office_should_know_a_lost_bundle_a_late_entry_a_disagreeing_item() {
    let env = Env::new();
    let office = store(&env, "office");
    let x = store(&env, "x");
    let y = store(&env, "y");
    for (s, name, advisors) in [(&x, "X", "A001"), (&y, "Y", "A002")] {
        office.enrol(s, name, advisors);
    }
    log_on(&x, "A001", "1", "2024-05-06", "K-1");
    let lost = x.bundle("lost.json", &[]);
    log_on(&x, "A001", "2", "2024-05-07", "K-2");
    let said = office.import(&x.bundle("second.json", &[]));
    assert!(said.contains("never arrived here"), "{said}");
    let said = office.import(&lost);
    assert!(!said.contains("never arrived"), "{said}");
    let s = json(&office.ok(&["summary", "--period", "2024-05", "--format", "json"]));
    assert_eq!(s["minutes"].as_u64(), Some(180));

    office.ok(&["close", "2024-05"]);
    y.ok(&[
        "log",
        "--advisor",
        "A002",
        "--hours",
        "1",
        "--topic",
        "labor",
        "--service",
        "opinion",
        "--department",
        "人社局",
        "--title",
        "另一个标题",
        "--date",
        "2024-05-20",
        "--item",
        "K-1",
    ]);
    let said = office.import(&y.bundle("late.json", &[]));
    assert!(said.contains("dated in 2024-05, which is closed"), "{said}");
    assert!(
        said.contains("item K-1 differs from #2024-0002 here (title here \"某合同\", theirs \"另一个标题\"; topic here \"Contracts and agreements\", theirs \"Labour and personnel\"; department here \"财政局\", theirs \"人社局\")"),
        "{said}"
    );
    let report = office.ok(&["report", "--period", "2024-05"]);
    assert!(report.contains("Changed since filing"), "{report}");
    assert!(report.contains("added, 1.0 h; from \"Y\""), "{report}");
    // A correction of a filed entry shows with its reason.
    x.ok(&["correct", "1", "--hours", "0.5", "--reason", "少记半小时"]);
    office.import(&x.bundle("corrected.json", &[]));
    let report = office.ok(&["report", "--period", "2024-05"]);
    assert!(
        report.contains("changed, was 1.0 h, now 0.5 h; from \"X\"; corrected: 少记半小时"),
        "{report}"
    );
    let j = json(&office.ok(&["report", "--period", "2024-05", "--format", "json"]));
    let since = j["closed"]["since"].as_array().unwrap();
    assert!(
        since
            .iter()
            .any(|c| c["reason"] == "少记半小时" && c["from"] == "X")
    );
}

#[test]
fn an_office_warns_when_two_copies_of_one_store_send_different_entries_under_one_number() {
    let env = Env::new();
    let office = store(&env, "office");
    let x = store(&env, "x");
    office.enrol(&x, "X", "A001");
    log_on(&x, "A001", "1", "2024-05-06", "K-1");
    office.import(&x.bundle("first.json", &[]));
    // The store's folder is copied, and both copies go on being used.
    let copy = Store {
        env: &env,
        path: env.path("x-copy"),
    };
    common::copy_dir(&x.path, &copy.path);
    log_on(&x, "A001", "2", "2024-05-07", "K-2");
    log_on(&copy, "A001", "3", "2024-05-08", "K-3");
    let said = office.import(&x.bundle("second.json", &[]));
    assert!(!said.contains("two stores"), "{said}");
    let said = office.import(&copy.bundle("from-copy.json", &[]));
    assert!(
        said.contains("two stores are sending under its identity")
            && said.contains("these were not taken and are not in the figures"),
        "{said}"
    );
    // What came first is kept: the copy's entry is not counted.
    let s = json(&office.ok(&["summary", "--period", "2024-05", "--format", "json"]));
    assert_eq!(s["minutes"].as_u64(), Some(180));
    // The first store sending everything again is no such case.
    let said = office.import(&x.bundle("again.json", &["--all"]));
    assert!(!said.contains("two stores"), "{said}");
}

#[test]
fn a_counsel_store_takes_the_offices_roster_again_when_it_changes() {
    let env = Env::new();
    let office = store(&env, "office");
    let counsel = store(&env, "counsel");
    office.ok(&["advisor", "set", "--id", "A001", "--unit", "南京分所"]);
    office.ok(&[
        "advisor",
        "add",
        "--id",
        "A091",
        "--name",
        "新顾问",
        "--category",
        "expert",
    ]);
    office.ok(&["advisor", "set", "--id", "A002", "--active", "false"]);
    let roster = env.write(
        "roster.csv",
        office.ok(&["advisor", "list", "--format", "csv"]),
    );
    let roster = roster.to_str().unwrap();
    let said = counsel.fails(&["import", "advisors", roster]);
    assert!(said.contains("--update"), "{said}");
    let said = counsel.ok(&["import", "advisors", roster, "--update"]);
    assert!(said.contains("Imported 1 advisor, updated 2"), "{said}");
    assert_eq!(
        counsel.ok(&["advisor", "list", "--format", "csv"]),
        office.ok(&["advisor", "list", "--format", "csv"])
    );
    let again = counsel.ok(&["import", "advisors", roster, "--update"]);
    assert!(!again.contains("updated"), "{again}");
}

#[test]
fn a_lost_key_is_never_replaced_in_passing() {
    let env = Env::new();
    let counsel = store(&env, "counsel");
    counsel.card("律所-邓");
    std::fs::remove_file(env.path("counsel").join("identity.key")).unwrap();
    let out = env.path("b.json");
    let said = counsel.fails(&["bundle", "--out", out.to_str().unwrap()]);
    assert!(said.contains("identity --new-key"), "{said}");
    assert!(!out.exists(), "no bundle signed with a key made in passing");
    counsel.ok(&["identity", "--new-key"]);
    let said = counsel.fails(&["identity", "--new-key"]);
    assert!(said.contains("never replaced"), "{said}");
    counsel.bundle("b.json", &[]);
}

/// The interface on `path` at 100×30 on the Log of May 2024, in Chinese, as text.
fn log_screen(path: &Path) -> String {
    use counsel_log::tui::{App, Settings, action::Screen, view};
    use ratatui::{Terminal, backend::TestBackend};
    let store = common::open_store(path);
    let settings = Settings {
        lang: counsel_log::domain::Lang::Zh,
        today: chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
        me: None,
        who: "test".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: Default::default(),
    };
    let period = counsel_log::domain::Period::parse("2024-05").unwrap();
    let mut app = App::new(&store, settings, period).unwrap();
    app.screen = Screen::Log;
    let at = chrono::DateTime::parse_from_rfc3339("2024-06-01T10:00:00+08:00").unwrap();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| view::draw(f, &app, at)).unwrap();
    let text: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol().to_string())
        .collect();
    drop(app);
    common::release(store, path);
    text.replace(' ', "")
}

#[test]
fn the_log_shows_which_store_an_entry_came_from_and_what_it_was_before_its_correction() {
    let env = Env::new();
    let office = store(&env, "office");
    let counsel = store(&env, "counsel");
    office.enrol(&counsel, "律所-邓", "A001");
    log_on(&counsel, "A001", "2", "2024-05-06", "K-1");
    office.import(&counsel.bundle("b.json", &[]));
    office.ok(&["correct", "1", "--hours", "1.5", "--reason", "复核"]);
    let screen = log_screen(&env.path("office"));
    assert!(screen.contains("来自“律所-邓”"), "{screen}");
    assert!(screen.contains("已更正，原2.0"), "{screen}");
}

#[test]
fn two_offices_may_pass_on_the_same_counsels_work_to_a_district() {
    let env = Env::new();
    let district = store(&env, "district");
    let counsel = store(&env, "counsel");
    let card = counsel.card("律所-邓");
    let mut offices = Vec::new();
    for name in ["O1", "O2"] {
        let office = store(&env, name);
        office.ok(&["peer", "add", card.to_str().unwrap(), "--advisors", "A001"]);
        district.enrol(&office, name, "A001");
        offices.push(office);
    }
    log_on(&counsel, "A001", "2", "2024-05-06", "K-1");
    let first = counsel.bundle("c1.json", &[]);
    for o in &offices {
        o.import(&first);
    }
    district.import(&offices[0].bundle("o1-a.json", &[]));
    counsel.ok(&["correct", "1", "--hours", "1", "--reason", "少记"]);
    let second = counsel.bundle("c2.json", &[]);
    for o in &offices {
        o.import(&second);
    }
    // The second office's bundle arrives first; then the first's; the district counts once.
    let said = district.import(&offices[1].bundle("o2-b.json", &[]));
    assert!(said.contains("Imported"), "{said}");
    district.import(&offices[0].bundle("o1-b.json", &[]));
    let s = json(&district.ok(&["summary", "--period", "2024-05", "--format", "json"]));
    assert_eq!(
        (s["items"].as_u64(), s["minutes"].as_u64()),
        (Some(1), Some(60))
    );
}

#[test]
fn a_line_break_in_a_department_cannot_forge_a_row_of_a_printed_table() {
    let env = Env::new();
    let office = store(&env, "office");
    office.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局\nTotal   99",
        "--title",
        "x",
        "--date",
        "2024-05-06",
    ]);
    let table = office.ok(&["report", "--period", "2024-05", "--by", "department"]);
    assert!(table.contains("财政局\\u{a}Total   99"), "{table}");
    assert_eq!(
        table.lines().filter(|l| l.starts_with("Total")).count(),
        1,
        "{table}"
    );
}
