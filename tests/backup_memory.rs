//! A backup streams: the backup of a 100,000-entry store is written and proven within the
//! memory a backup of 1,000,000 entries may take (300 MB), and restores to the same figures.
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

/// Runs `backup DIR` on the store under the memory limit; its exit status and output. A run
/// that does not end is killed, and fails.
fn backup_limited(env: &Env, dir: &Path) -> (bool, String) {
    let script = format!("ulimit -d {LIMIT_KIB} && exec \"$0\" \"$@\"");
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(assert_cmd::cargo::cargo_bin("counsel-log"))
        .args(["--db", env.store.to_str().unwrap(), "--lang", "en"])
        .args(["backup", dir.to_str().unwrap()])
        .current_dir(env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.dir.path())
        .env("XDG_STATE_HOME", env.dir.path())
        .env("LANG", "C.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
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
    let (ok, said) = backup_limited(&env, &dir);
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

    let restored = env.path("restored");
    env.ok_on(&restored, &["restore", files[0].to_str().unwrap()]);
    assert_eq!(figures(&env, &env.store), figures(&env, &restored));
}
