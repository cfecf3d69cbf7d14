//! A backup streams: the backup of a 100,000-entry store is written and proven within the
//! memory a backup of 1,000,000 entries may take (300 MB), and restores to the same figures,
//! within the same memory; a restore stopped halfway leaves no part of the ledger.
//! The limit is the system's (`ulimit -d`, the data a process may map), so a backup that held
//! the ledger fails it outright: pass or fail, not a timing.

#![cfg(target_os = "linux")]
#![allow(
    clippy::unwrap_used,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

mod common;
/// The benchmark's ledger, the same rows (the bartib file and the busiest month go unused here).
#[path = "../benches/ledger/generate.rs"]
#[expect(dead_code, reason = "the test writes only the entries CSV")]
mod generate;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Env, json};

/// The entries of the store backed up.
const ENTRIES: u64 = 100_000;

/// What a backup may map, in KiB: 300 MB, what the issue allows a backup of 1,000,000 entries.
const LIMIT_KIB: u64 = 300 * 1000 * 1000 / 1024;

/// `counsel-log --db DB ARGS…` under the memory limit, not yet waited for.
fn limited(env: &Env, db: &Path, args: &[&str]) -> std::process::Child {
    let script = format!("ulimit -d {LIMIT_KIB} && exec \"$0\" \"$@\"");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(assert_cmd::cargo::cargo_bin("counsel-log"))
        .args(["--db", db.to_str().unwrap(), "--lang", "en"])
        .args(args)
        .current_dir(env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.dir.path())
        .env("XDG_STATE_HOME", env.dir.path())
        .env("LANG", "C.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs `args` on `db` under the memory limit; its exit status and output. A run that does
/// not end is killed, and fails.
fn run_limited(env: &Env, db: &Path, args: &[&str]) -> (bool, String) {
    let mut child = limited(env, db, args);
    let deadline = Instant::now() + Duration::from_secs(20 * 60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// What `summary` and `report --by advisor` say of the whole history, without the audit head
/// they were made from (a restored store's trail ends with the restore).
fn figures(env: &Env, db: &Path) -> (serde_json::Value, serde_json::Value) {
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("audit_head");
        v
    };
    let summary = env.ok_on(db, &["summary", "--period", "all", "--format", "json"]);
    let report = env.ok_on(
        db,
        &[
            "report", "--period", "all", "--by", "advisor", "--format", "json",
        ],
    );
    (strip(json(&summary)), strip(json(&report)))
}

#[test]
fn a_backup_of_100000_entries_runs_within_300_mb_and_restores_to_the_same_figures() {
    let env = Env::new();
    let advisors = common::demo("advisors.csv");
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    let entries = env.path("entries.csv");
    generate::write_csv(&entries, ENTRIES).unwrap();
    env.ok(&["import", "entries", entries.to_str().unwrap()]);

    let dir = env.path("backups");
    let (ok, said) = run_limited(&env, &env.store, &["backup", dir.to_str().unwrap()]);
    assert!(ok, "the backup failed within {LIMIT_KIB} KiB: {said}");
    assert!(said.contains(&format!("({ENTRIES} entries)")), "{said}");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        files.len(),
        1,
        "one finished file and nothing else: {files:?}"
    );

    let backup = files[0].to_str().unwrap();
    let whole = figures(&env, &env.store);

    // A restore writes in batches, never the ledger in one transaction: within the limit.
    let restored = env.path("restored");
    let (ok, said) = run_limited(&env, &restored, &["restore", backup]);
    assert!(ok, "the restore failed within {LIMIT_KIB} KiB: {said}");
    assert!(figures(&env, &restored) == whole, "the same figures");

    // A restore stopped while it writes leaves the store empty (or, past its last step,
    // restored): never part of the ledger. Restored again, it gives the same figures.
    let stopped = env.path("stopped");
    let mut child = limited(&env, &stopped, &["restore", backup]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !stopped.join(".rewrite/db").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    let after = json(&env.ok_on(
        &stopped,
        &["summary", "--period", "all", "--format", "json"],
    ));
    assert!(
        !stopped.join(".rewrite").exists(),
        "the next open tidies up"
    );
    if after["items"] == 0 {
        assert_eq!(after["minutes"], 0, "{after}");
        env.ok_on(&stopped, &["restore", backup]);
    }
    assert!(figures(&env, &stopped) == whole, "the same figures");
}
