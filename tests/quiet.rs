//! Commands that only read leave the store's folder as they found it: no file written, added or
//! removed, the record of the last clean close still true, no modification time moved. A store
//! changed behind the program's back is still copied aside before it is opened.

#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::Env;
use sha2::{Digest, Sha256};

/// The clean-close record, which a session that may change the store writes again.
const CLOSED: &str = "closed.json";

/// Every file under `dir`: its SHA-256 and its modification time.
fn files(dir: &Path) -> BTreeMap<PathBuf, (String, SystemTime)> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = PathBuf::from(e.file_name());
        if e.file_type().unwrap().is_dir() {
            for (k, v) in files(&e.path()) {
                out.insert(name.join(k), v);
            }
        } else {
            let hash = hex::encode(Sha256::digest(std::fs::read(e.path()).unwrap()));
            out.insert(name, (hash, e.metadata().unwrap().modified().unwrap()));
        }
    }
    out
}

/// The commands that only read, each as a user would run it.
fn reading(env: &Env) -> Vec<Vec<String>> {
    let out = env.path("ledger.csv");
    [
        "report --period 2024",
        "report --period 2024-03 --by month --format json",
        "summary --period 2024",
        "verify",
        "history --period 2024-03",
        "missing --period 2024-03",
        "advisor list",
        "catalog list --kind topic",
        "peer list",
    ]
    .iter()
    .map(|a| a.split(' ').map(str::to_string).collect())
    .chain([vec![
        "export".to_string(),
        out.to_str().unwrap().to_string(),
    ]])
    .collect()
}

#[test]
fn commands_that_only_read_write_nothing_in_the_store() {
    let env = Env::new();
    env.import_demo();
    // The first open after a change lets sled bring its own snapshot up to date, and records
    // the files as it leaves them.
    env.ok(&["report"]);
    let before = files(&env.store);
    assert!(before.contains_key(Path::new("closed.json")));
    for args in reading(&env) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        env.ok(&args);
        assert_eq!(
            files(&env.store),
            before,
            "{args:?} changed the store's folder"
        );
    }

    // A change is recorded as ever.
    let hours = env.ok(&["summary", "--period", "2024-03", "--format", "json"]);
    env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "labor",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "新事项",
        "--date",
        "2024-03-05",
    ]);
    assert_ne!(files(&env.store), before);
    assert_ne!(
        env.ok(&["summary", "--period", "2024-03", "--format", "json"]),
        hours,
        "the entry is read back"
    );
}

#[test]
fn a_store_touched_behind_the_programs_back_is_recorded_afresh_then_read_quietly() {
    let env = Env::new();
    env.import_demo();
    env.ok(&["report"]);
    let recorded = std::fs::read(env.store.join("closed.json")).unwrap();
    // Another program writes the log without changing a byte: its time moves.
    let db = env.store.join("db");
    let later = SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .unwrap()
        .set_modified(later)
        .unwrap();
    env.ok(&["report", "--period", "2024"]);
    // The files no longer matched the record: the open copied the store aside first (the copy
    // is gone once the session found it whole), and the close recorded the files anew.
    assert!(!env.path(".store.before-open").exists());
    let now = std::fs::read(env.store.join("closed.json")).unwrap();
    assert_ne!(now, recorded, "the record is made anew");
    let settled = files(&env.store);
    env.ok(&["summary", "--period", "2024"]);
    assert_eq!(files(&env.store), settled, "then reads write nothing");
}

#[test]
fn a_dry_run_leaves_the_folder_as_it_was_and_a_refused_command_its_records() {
    let env = Env::new();
    env.import_demo();
    env.ok(&["report"]);
    let folder = |env: &Env| std::fs::metadata(&env.store).unwrap().modified().unwrap();
    let (before, folder_before) = (files(&env.store), folder(&env));
    // A dry run only reads: not a byte, not a time.
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/entries-2024.csv");
    let out = env.ok(&["import", "entries", demo.to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("already in the ledger"), "{out}");
    assert_eq!(
        files(&env.store),
        before,
        "a dry run changed the store's files"
    );
    assert_eq!(folder(&env), folder_before, "a dry run changed the folder");
    // A refused change writes no record: only the clean-close record is made again at the
    // close of a session that meant to change the store. Such a session runs sled's segment
    // cleaner, which may move a page within the log while the command is refused (and the next
    // open then snapshots the log anew), so sled's records are compared as the whole ledger's
    // export, every other file byte for byte.
    let contents = |env: &Env| {
        let files = files(&env.store)
            .into_iter()
            .filter(|(k, _)| {
                let name = k.to_string_lossy();
                name != CLOSED && name != "db" && !name.starts_with("snap.")
            })
            .map(|(k, (hash, _))| (k, hash))
            .collect::<Vec<_>>();
        (files, env.export_json())
    };
    let held = contents(&env);
    let bad = env.write("bad.csv", "date,advisor\n2024-03-01,A001\n");
    let refused: [&[&str]; 3] = [
        &[
            "log",
            "--advisor",
            "A001",
            "--hours",
            "0",
            "--item",
            "2024-001",
        ],
        &[
            "log",
            "--advisor",
            "A999",
            "--hours",
            "1",
            "--item",
            "2024-001",
        ],
        &["import", "entries", bad.to_str().unwrap()],
    ];
    for args in refused {
        let out = env.run(args);
        assert!(!out.status.success(), "{args:?} was taken");
        assert_eq!(contents(&env), held, "{args:?} changed the store's records");
    }
}

#[test]
fn a_command_that_only_reads_makes_no_store_where_there_is_none() {
    let env = Env::new();
    let typo = env.path("ledgr");
    for args in [
        &["report"][..],
        &["summary", "--period", "2024"],
        &["advisor", "list"],
    ] {
        let out = env.run_on(&typo, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} read an empty ledger");
        assert!(
            err.contains("there is no ledger at") && err.contains("--db"),
            "{args:?}: {err}"
        );
        assert!(!typo.exists(), "{args:?} made a store at the mistyped path");
    }
}
