//! Backups as a user meets them: an interrupted one leaves nothing behind, each store sharing a
//! folder gets its own daily backup named after it, a backup carries the audit trail and a
//! restore brings it back whole, and an edited file cannot slip past the checks a form applies.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

mod common;

use counsel_log::store::RawTree;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use common::{Env, json};

/// A pid no process has (above any system's `pid_max`).
const GONE_PID: &str = "4294967295";

/// A store with an advisor, two entries, a correction of sorts (an edit) and a name.
fn small_ledger(env: &Env, db: &Path, name: &str) {
    env.ok_on(
        db,
        &[
            "advisor",
            "add",
            "--id",
            "A001",
            "--name",
            "张三",
            "--category",
            "staff",
        ],
    );
    for (date, hours) in [("2024-03-05", "1.5"), ("2024-03-06", "2")] {
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
                "市场监管局",
                "--title",
                "公开申请",
                "--date",
                date,
            ],
        );
    }
    env.ok_on(
        db,
        &["advisor", "set", "--id", "A001", "--unit", "管委会办公室"],
    );
    env.ok_on(db, &["identity", "--name", name]);
}

/// The finished backups in `dir`, by file name.
fn backups(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".jsonl"))
        .collect();
    names.sort();
    names
}

/// Everything in `dir` that an interrupted backup could leave: scratch stores and `.partial`s.
fn debris(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|read| {
            read.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("counsel-log-verify-") || n.ends_with(".partial"))
                .collect()
        })
        .unwrap_or_default()
}

/// The number of audit records `verify` counts ("…: 5 audit records, 2 entries, 1 item.").
fn audit_count(env: &Env, db: &Path) -> u64 {
    let out = env.ok_on(db, &["verify"]);
    let counts = out.rsplit(": ").next().unwrap();
    assert!(counts.contains("audit record"), "{out}");
    counts.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn a_killed_backup_leaves_no_scratch_store_or_partial_file_once_the_next_one_runs() {
    let env = Env::new();
    env.import_demo();
    let tmp = env.path("tmp");
    let dir = env.path("backups");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    let backup = |wait: Option<Duration>| {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("counsel-log"))
            .current_dir(env.dir.path())
            .env("XDG_CONFIG_HOME", env.dir.path())
            .env("XDG_DATA_HOME", env.dir.path())
            .env("TMPDIR", &tmp)
            .args(["--db", env.store.to_str().unwrap(), "--lang", "en"])
            .args(["backup", dir.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        match wait {
            Some(wait) => {
                std::thread::sleep(wait);
                let _ = child.kill();
                child.wait().unwrap();
            }
            None => assert!(child.wait().unwrap().success()),
        }
    };
    // What a kill -9 leaves, as it leaves it: a scratch store of a process that is gone, an
    // unfinished file of one, and one an older version wrote (it names no process).
    let scratch = tmp.join(format!(
        "counsel-log-verify-{GONE_PID}-counsel-log-X-20240101-000000.jsonl"
    ));
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(scratch.join("db"), vec![0u8; 4096]).unwrap();
    let today = chrono::Local::now().format("%Y%m%d");
    let partials = [
        dir.join(format!(
            "counsel-log-X-{today}-000000.jsonl.{GONE_PID}.partial"
        )),
        dir.join(format!("counsel-log-{today}-000000.partial")),
    ];
    for p in &partials {
        std::fs::write(p, "{\"format\":\"counsel-log-backup\"}\n").unwrap();
    }
    // And real kills, at several moments of a backup.
    for ms in [5, 40, 120] {
        backup(Some(Duration::from_millis(ms)));
    }
    backup(None);
    let on_linux = Path::new("/proc/self").exists();
    if on_linux {
        assert!(!scratch.exists(), "the stale scratch store was swept");
    }
    assert_eq!(debris(&tmp), Vec::<String>::new(), "scratch stores left");
    assert_eq!(debris(&dir), Vec::<String>::new(), "unfinished files left");
    let made = backups(&dir);
    assert!(!made.is_empty(), "a real backup was made");
    let newest = dir.join(made.last().unwrap());
    let restored = env.path("restored");
    env.ok_on(&restored, &["restore", newest.to_str().unwrap()]);
    assert!(env.ok_on(&restored, &["verify"]).contains("verified"));
}

#[test]
fn each_store_sharing_a_folder_gets_its_own_daily_backup_named_after_it() {
    use counsel_log::cli::{Context, backup};
    use counsel_log::store::Stamp;
    let env = Env::new();
    let (first, second) = (env.path("first"), env.path("second"));
    small_ledger(&env, &first, "律所/邓");
    small_ledger(&env, &second, "counsel two");
    let dir = env.path("daily");
    let at = chrono::DateTime::parse_from_rfc3339("2025-03-04T09:00:00+08:00").unwrap();
    let ctx = Context {
        lang: counsel_log::domain::Lang::En,
        today: at.date_naive(),
        stamp: Stamp::new(at, "test"),
        config: counsel_log::config::Config {
            backup_dir: Some(dir.clone()),
            ..Default::default()
        },
    };
    let store = common::open_store(&first);
    let owner = backup::Owner::of(&store).unwrap();
    // An unfinished file with today's name is not today's backup.
    std::fs::create_dir_all(&dir).unwrap();
    let partial = dir.join(format!("{}.{GONE_PID}.partial", owner.file_name(&at)));
    std::fs::write(&partial, "").unwrap();
    let made = backup::daily(&store, &ctx)
        .expect("a backup is due")
        .unwrap();
    assert!(!partial.exists(), "the unfinished file was removed");
    assert!(backup::daily(&store, &ctx).is_none(), "one a day");
    let id = store.store_id().to_string();
    common::release(store, &first);
    let name = made.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        name,
        format!("counsel-log-律所_邓-{id}-20250304-090000.jsonl")
    );

    // The second store, opened the same day, gets its own.
    let store = common::open_store(&second);
    let second_made = backup::daily(&store, &ctx).expect("the second store's is due");
    let second_name = second_made.unwrap();
    assert!(backup::daily(&store, &ctx).is_none());
    let second_id = store.store_id().to_string();
    let second_owner = backup::Owner::of(&store).unwrap();
    common::release(store, &second);
    assert_eq!(
        backups(&dir),
        vec![
            format!("counsel-log-counsel_two-{second_id}-20250304-090000.jsonl"),
            name.clone(),
        ]
    );
    assert_eq!(backup::latest(&dir, &owner), Some(made));
    assert_eq!(backup::latest(&dir, &second_owner), Some(second_name));

    // Pruning keeps each store's newest few and never touches another store's.
    let keep_one = Context {
        stamp: Stamp::new(at + chrono::Duration::days(1), "test"),
        today: at.date_naive() + chrono::Duration::days(1),
        config: counsel_log::config::Config {
            backup_keep: 1,
            ..ctx.config.clone()
        },
        ..ctx
    };
    let store = common::open_store(&first);
    backup::daily(&store, &keep_one).unwrap().unwrap();
    common::release(store, &first);
    let left = backups(&dir);
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left.iter().any(|n| n.contains(&second_id)), "{left:?}");
    assert!(left.iter().any(|n| n.contains("20250305")), "{left:?}");

    // `backup DIR` names its file the same way, and an older name still restores.
    let by_hand = env.path("by-hand");
    let out = env.ok_on(&first, &["backup", by_hand.to_str().unwrap()]);
    let file = backups(&by_hand).pop().unwrap();
    assert!(
        file.starts_with(&format!("counsel-log-律所_邓-{id}-")),
        "{file}"
    );
    assert!(out.contains(&file), "{out}");
    let old_name = by_hand.join("counsel-log-20240101-000000.jsonl");
    std::fs::rename(by_hand.join(&file), &old_name).unwrap();
    let restored = env.path("restored");
    env.ok_on(&restored, &["restore", old_name.to_str().unwrap()]);
}

#[test]
fn a_restore_brings_the_audit_trail_back_whole_with_every_field_of_its_records() {
    let env = Env::new();
    let db = env.store.clone();
    small_ledger(&env, &db, "counsel");
    let before = audit_count(&env, &db);
    assert_eq!(before, 5);
    let dir = env.path("backups");
    let out = env.ok(&["backup", dir.to_str().unwrap()]);
    assert!(out.contains("and 5 audit records"), "{out}");
    let file = dir.join(backups(&dir).pop().unwrap());

    let restored = env.path("restored");
    env.ok_on(&restored, &["restore", file.to_str().unwrap()]);
    assert_eq!(
        audit_count(&env, &restored),
        before + 1,
        "the same, and the restore"
    );
    let trail = json(&env.ok_on(&restored, &["history", "--format", "json"]));
    let actions: Vec<&str> = trail["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "advisor.add",
            "entry.add",
            "entry.add",
            "advisor.edit",
            "store.name",
            "restore"
        ]
    );

    // The ledger's digest each record carries, and a field records may gain later, survive:
    // the newest record, given one more field, still chains, and comes back byte for byte.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let trailer = lines.pop().unwrap();
    let last = lines.len() - 1;
    let record = json(&lines[last])["audit"].as_str().unwrap().to_string();
    assert!(record.contains("\"ledger\":\""), "{record}");
    let grown = record.replacen("\"seq\"", "\"signed\":\"ab12\",\"seq\"", 1);
    lines[last] = serde_json::json!({ "audit": grown }).to_string();
    let edited = rewrite(&env, "grown.jsonl", &lines, &trailer);
    let again = env.path("again");
    env.ok_on(&again, &["restore", edited.to_str().unwrap()]);
    assert!(env.ok_on(&again, &["verify"]).contains("verified"));
    let dir2 = env.path("backups-again");
    env.ok_on(&again, &["backup", dir2.to_str().unwrap()]);
    let copy = std::fs::read_to_string(dir2.join(backups(&dir2).pop().unwrap())).unwrap();
    assert!(copy.contains(&serde_json::json!({ "audit": grown }).to_string()));

    // A trail with a record changed in the middle is refused, and nothing is restored.
    let mut broken = text.lines().map(str::to_string).collect::<Vec<_>>();
    let trailer = broken.pop().unwrap();
    let second = broken
        .iter()
        .position(|l| l.contains("\\\"seq\\\":2,"))
        .unwrap();
    assert!(broken[second].contains("\\\"minutes\\\":90,"));
    broken[second] = broken[second].replacen(":90,", ":570,", 1);
    let edited = rewrite(&env, "broken.jsonl", &broken, &trailer);
    let refused = env.path("refused");
    let out = env.run_on(&refused, &["restore", edited.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && said.contains("audit record 3 does not follow record 2"),
        "{said}"
    );
    assert!(!refused.exists(), "a refused restore left a store behind");

    // A backup written before backups carried the trail still restores, as before.
    let old: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with("{\"audit\""))
        .map(str::to_string)
        .collect();
    let mut old_lines = old.clone();
    let trailer = old_lines.pop().unwrap();
    let mut t = json(&trailer);
    t["records"] = (t["records"].as_u64().unwrap() - before).into();
    let edited = rewrite(&env, "old.jsonl", &old_lines, &t.to_string());
    let from_old = env.path("from-old");
    env.ok_on(&from_old, &["restore", edited.to_str().unwrap()]);
    assert_eq!(audit_count(&env, &from_old), 1);
}

/// Writes a backup body with a fresh checksum, as someone editing a backup would.
fn rewrite(env: &Env, name: &str, lines: &[String], trailer: &str) -> PathBuf {
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let sum = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(body.as_bytes()))
    };
    let mut t = json(trailer);
    t["sha256"] = sum.into();
    env.write(name, format!("{body}{t}\n"))
}

/// A change made to an export by hand.
type Edit = Box<dyn Fn(&mut serde_json::Value)>;

#[test]
fn restore_refuses_an_edited_export_that_no_form_would_take() {
    let env = Env::new();
    small_ledger(&env, &env.store, "counsel");
    let exported = env.export_json();
    let cases: [(&str, Edit, &str); 4] = [
        (
            "escape",
            Box::new(|v| v["advisors"][0]["name"] = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J".into()),
            "advisor A001: the name contains an invisible control character (U+001B)",
        ),
        (
            "bidi",
            Box::new(|v| v["items"][0]["title"] = "合同\u{202e}txt.exe".into()),
            "item #2024-0001: the title contains an invisible direction override (U+202E)",
        ),
        (
            "long",
            Box::new(|v| v["entries"][1]["note"] = "长".repeat(10_001).into()),
            "entry #2: the note is 10001 characters long",
        ),
        (
            "blank",
            Box::new(|v| v["items"][0]["title"] = "  ".into()),
            "item #2024-0001 has no title",
        ),
    ];
    for (name, edit, reason) in cases {
        let mut v = json(&exported);
        edit(&mut v);
        let file = env.write(&format!("{name}.json"), v.to_string());
        let db = env.path(name);
        let out = env.run_on(&db, &["restore", file.to_str().unwrap()]);
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: restored");
        assert!(said.contains(reason), "{name}: {said}");
        assert!(said.contains("nothing was changed"), "{name}: {said}");
        assert!(
            !said.contains('\u{1b}') && !said.contains('\u{202e}'),
            "{said:?}"
        );
        assert!(
            !db.exists(),
            "{name}: a refused restore left a store behind"
        );
    }
}

#[test]
fn history_shows_the_trail_of_an_entry_an_item_a_period_or_all_and_escapes_what_was_typed() {
    let env = Env::new();
    small_ledger(&env, &env.store, "counsel");
    env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "信息公开",
        "--service",
        "opinion",
        "--department",
        "市场监管局",
        "--title",
        "另一事项",
        "--date",
        "2024-05-02",
    ]);
    // Who the trail records is whatever the configuration names; a name with an escape
    // sequence is refused before it reaches the trail.
    std::fs::create_dir_all(env.path("counsel-log")).unwrap();
    env.write(
        "counsel-log/config.toml",
        "name = \"王\\u001b]0;pwned\\u0007律师\"\n",
    );
    let out = env.run(&["correct", "1", "--hours", "2.5", "--reason", "复核"]);
    assert!(
        !out.status.success(),
        "a name with an escape sequence was taken"
    );
    env.write("counsel-log/config.toml", "name = \"王律师\"\n");
    env.ok(&["correct", "1", "--hours", "2.5", "--reason", "复核"]);

    // An entry: its history as before, then the records that touched it.
    let out = env.ok(&["history", "#1"]);
    assert!(out.starts_with("Entry #1: 2024-03-05 A001 2.5 h"), "{out}");
    assert!(out.contains("Audit records (2):"), "{out}");
    assert!(
        out.contains("entry logged") && out.contains("entry corrected"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "{out:?}");
    let as_json = json(&env.ok(&["history", "1", "--format", "json"]));
    assert_eq!(as_json["entry"]["minutes"], 150);
    let actions: Vec<&str> = as_json["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["entry.add", "entry.correct"]);

    // An item: its entries' records; the other item's are not there.
    let item = json(&env.ok(&["history", "--item", "#2024-0001", "--format", "json"]));
    let seqs: Vec<u64> = item["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [2, 7], "{item}");
    let refused = env.run(&["history", "--item", "#2030-9999"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("there is no item"));

    // A period: the changes to entries dated in it (and any made in it).
    let may = json(&env.ok(&["history", "--period", "2024-05", "--format", "json"]));
    let seqs: Vec<u64> = may["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [6], "{may}");

    // The whole trail, in Chinese, oldest first, with what each change was in words.
    let all = env.ok_in("zh", &["history"]);
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(lines.len(), 2 + 7, "{all}");
    assert!(
        lines[0].contains("改动前") && lines[2].contains("添加顾问"),
        "{all}"
    );
    assert!(
        lines[8].contains("更正记录") && !all.contains('\u{1b}'),
        "{all:?}"
    );
}

#[test]
fn a_backup_that_would_not_restore_leaves_no_file_that_would_count() {
    let env = Env::new();
    env.import_demo();
    let dir = env.path("backups");
    // A program with write access gives an advisor a name no form would take: the backup
    // would hold it, and a restore would refuse the whole file.
    let tampered = |name: &str| {
        let db = counsel_log::store::open_sled(&env.store).unwrap();
        let advisors = RawTree::open(&db, "advisors").unwrap();
        let mut advisor: serde_json::Value =
            serde_json::from_slice(&advisors.get("A001").unwrap().unwrap()).unwrap();
        advisor["name"] = name.into();
        advisors
            .insert("A001", serde_json::to_vec(&advisor).unwrap())
            .unwrap();
        db.flush().unwrap();
    };
    tampered("尹帆\u{1b}[2J");
    let out = env.run(&["backup", dir.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "an unproven backup is no backup");
    assert!(said.contains("would not restore"), "{said}");
    assert!(said.contains("advisor A001"), "{said}");
    assert!(!said.contains('\u{1b}'), "{said:?}");
    assert_eq!(
        backups(&dir),
        Vec::<String>::new(),
        "a finished-looking file"
    );
    assert_eq!(debris(&dir), Vec::<String>::new(), "unfinished files left");
    // Put right, the next backup is proven, made and named.
    tampered("尹帆");
    env.ok(&["backup", dir.to_str().unwrap()]);
    assert_eq!(backups(&dir).len(), 1);
}

/// A new advisor, `A9xx`, as a change committed beside a backup.
fn add_advisor(store: &counsel_log::store::Store, n: u32) {
    let advisor = counsel_log::domain::Advisor {
        id: format!("A9{n:02}"),
        name: format!("顾问{n}"),
        category: counsel_log::domain::Category::Staff,
        unit: String::new(),
        active: true,
    };
    let stamp = counsel_log::store::Stamp::new(chrono::Local::now().fixed_offset(), "beside");
    store.add_advisor(&advisor, &stamp).unwrap();
}

#[test]
fn a_ledger_changed_while_its_backup_is_proven_is_backed_up_again_never_half() {
    use counsel_log::cli::backup::{Stage, backup_watched};
    use std::sync::atomic::AtomicBool;
    let env = Env::new();
    env.import_demo();
    let at = chrono::Local::now().fixed_offset();
    let store = common::open_store(&env.store);

    // A change committed between writing and proving (the interface saving beside the daily
    // backup): the file proves nothing, and the backup is taken again of the new ledger.
    let dir = env.path("once");
    let mut changed = 0;
    let (file, summary) = backup_watched(&store, &dir, &at, &AtomicBool::new(false), &mut |s| {
        if s == Stage::Proving && changed == 0 {
            changed += 1;
            add_advisor(&store, changed);
        }
    })
    .unwrap();
    assert_eq!(changed, 1);
    assert_eq!(backups(&dir).len(), 1);
    assert_eq!(debris(&dir), Vec::<String>::new());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"A901\""), "the backup holds the change");
    assert_eq!(
        summary.audit,
        u64::try_from(store.audit_trail().unwrap().len()).unwrap()
    );

    // A ledger that changes under every try is never settled: no file, nothing left.
    let dir = env.path("never");
    let out = backup_watched(&store, &dir, &at, &AtomicBool::new(false), &mut |s| {
        if s == Stage::Proving {
            changed += 1;
            add_advisor(&store, changed);
        }
    });
    let said = out.unwrap_err().message(counsel_log::domain::Lang::En);
    assert!(
        said.contains("the ledger changed while each of 3 backups"),
        "{said}"
    );
    assert_eq!(backups(&dir), Vec::<String>::new());
    assert_eq!(debris(&dir), Vec::<String>::new());

    // A change while the file is written is caught as well.
    let dir = env.path("writing");
    let mut once = true;
    backup_watched(&store, &dir, &at, &AtomicBool::new(false), &mut |s| {
        if s == Stage::Writing && std::mem::take(&mut once) {
            changed += 1;
            add_advisor(&store, changed);
        }
    })
    .unwrap();

    // A backup cancelled (its interface closing) leaves nothing either.
    let dir = env.path("cancelled");
    let cancel = AtomicBool::new(false);
    let out = backup_watched(&store, &dir, &at, &cancel, &mut |_| {
        cancel.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    assert!(out.is_err());
    assert_eq!(backups(&dir), Vec::<String>::new());
    assert_eq!(debris(&dir), Vec::<String>::new());
    common::release(store, &env.store);

    // Every settled backup restores to a ledger that verifies: its records, digest and trail
    // are of one moment.
    for name in ["once", "writing"] {
        let dir = env.path(name);
        let file = dir.join(backups(&dir).pop().unwrap());
        let restored = env.path(&format!("restored-{name}"));
        env.ok_on(&restored, &["restore", file.to_str().unwrap()]);
        assert!(env.ok_on(&restored, &["verify"]).contains("verified"));
    }
}

#[test]
fn an_export_written_as_it_streams_is_the_snapshot_document_byte_for_byte() {
    let env = Env::new();
    env.import_demo();
    env.ok(&["correct", "1", "--hours", "2.5", "--reason", "复核"]);
    let out = env.ok(&["export", "--format", "json", "-"]);
    let file = env.path("ledger.json");
    env.ok(&["export", file.to_str().unwrap()]);
    // The document as the whole snapshot, loaded at once, serialises.
    let store = common::open_store(&env.store);
    let whole = counsel_log::store::Snapshot {
        team: Vec::new(),
        ..store.snapshot().unwrap()
    };
    let value = serde_json::to_value(&whole).unwrap();
    let value = counsel_log::report::json::with_head(value, &store.audit_head_record().unwrap());
    common::release(store, &env.store);
    let expected = format!("{}\n", serde_json::to_string_pretty(&value).unwrap());
    assert_eq!(out, expected);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
}
