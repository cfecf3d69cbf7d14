//! Nothing acknowledged is lost, damage is reported, history is tamper-evident: the store is
//! killed mid-write, its files are damaged, its audit trail is altered, and each time the
//! binary must either give back every acknowledged record or say clearly what is wrong.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{Env, PANIC_TEXT};

/// The binary as a plain process (so it can be killed), sandboxed like `Env::cmd_on`.
fn process(env: &Env, args: &[&str]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("counsel-log"));
    c.current_dir(env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.dir.path())
        .env("XDG_STATE_HOME", env.dir.path())
        .env("LANG", "C.UTF-8")
        .env("COUNSEL_LOG_OPEN_TIMEOUT", "8")
        .env_remove("LC_ALL")
        .arg("--db")
        .arg(&env.store)
        .args(args);
    c
}

/// Runs to the end with a deadline: a hang fails the test instead of stalling it.
fn finish(env: &Env, args: &[&str]) -> (bool, String, String) {
    let child = process(env, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (send, receive) = std::sync::mpsc::channel();
    // Output is read while the process runs, so a large export never blocks on a full pipe.
    std::thread::spawn(move || {
        let _ = send.send(child.wait_with_output());
    });
    match receive.recv_timeout(Duration::from_secs(10)) {
        Ok(out) => {
            let out = out.unwrap();
            (
                out.status.success(),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        }
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("{args:?} did not finish within 10 s");
        }
    }
}

/// A small deterministic generator, so every run kills at the same moments.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn demo_ledger() -> Env {
    let env = Env::new();
    env.import_demo();
    env
}

/// Every entry in the store as exported, keyed by id, as JSON text.
fn entries(env: &Env) -> std::collections::BTreeMap<u64, String> {
    let (ok, out, err) = finish(env, &["export", "--format", "json", "-"]);
    assert!(ok, "export failed: {err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_u64().unwrap(), e.to_string()))
        .collect()
}

/// Logs one more hour on the demo's first item: a small change made through the binary.
fn log_an_hour(env: &Env) {
    env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--item",
        "2024-001",
        "--date",
        "2024-06-03",
    ]);
}

fn verified(env: &Env) {
    let (ok, out, err) = finish(env, &["verify"]);
    assert!(ok && out.contains("verified"), "verify failed: {out}{err}");
}

#[test]
fn entries_acknowledged_before_a_kill_9_are_all_there_afterwards() {
    let env = demo_ledger();
    // Kill times are spread over twice what one save takes on this machine, and the spread
    // follows the machine as it runs (shorter after a save that finished, longer after one that
    // did not), so kills keep landing before, during and after the save however busy it is.
    let started = std::time::Instant::now();
    let (ok, _, err) = finish(
        &env,
        &[
            "log",
            "--advisor",
            "A002",
            "--hours",
            "1",
            "--item",
            "2024-001",
            "--date",
            "2024-06-04",
        ],
    );
    assert!(ok, "{err}");
    let mut span =
        (u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX / 2) * 2).max(20);
    let mut rng = Lcg(20_241_231);
    let mut acknowledged: Vec<(u64, String, u64)> = Vec::new();
    let mut seen: std::collections::HashMap<u64, String> = std::collections::HashMap::new();
    let mut kills = 0;
    for round in 0..36 {
        let minutes = 10 + round;
        let note = format!("round {round}");
        let hours = format!("{minutes}m");
        let mut child = process(
            &env,
            &[
                "log",
                "--advisor",
                "A001",
                "--hours",
                &hours,
                "--item",
                "2024-001",
                "--date",
                "2024-06-03",
                "--note",
                &note,
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        std::thread::sleep(Duration::from_millis(rng.next(span)));
        let _ = child.kill();
        kills += 1;
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        if let Some(id) = text
            .split('#')
            .nth(1)
            .and_then(|s| s.split(':').next())
            .and_then(|s| s.parse().ok())
        {
            acknowledged.push((id, note, minutes));
            span = (span * 4 / 5).max(10);
        } else {
            span = span * 5 / 4 + 1;
        }
        // After every kill the store opens, holds every acknowledged entry, and verifies.
        let now = entries(&env);
        for (id, note, minutes) in &acknowledged {
            let e = now.get(id).unwrap_or_else(|| {
                panic!("acknowledged entry #{id} is missing after kill {kills}")
            });
            // As first seen, byte for byte, and as it was saved.
            let first = seen.entry(*id).or_insert_with(|| e.clone());
            assert_eq!(e, first, "entry #{id} changed after kill {kills}");
            let e: serde_json::Value = serde_json::from_str(e).unwrap();
            assert_eq!(
                (e["note"].as_str(), e["minutes"].as_u64()),
                (Some(note.as_str()), Some(*minutes))
            );
        }
        verified(&env);
    }
    assert!(kills >= 30);
    assert!(
        !acknowledged.is_empty() && acknowledged.len() < 36,
        "kills landed both before and after saving: {}",
        acknowledged.len()
    );
}

#[test]
fn an_import_killed_midway_leaves_all_of_its_rows_or_none() {
    const ROWS: usize = 60_000;
    let env = demo_ledger();
    let mut rng = Lcg(7);
    let (mut none, mut all) = (0, 0);
    for round in 0..6 {
        // A file of its own each round, so every import has everything still to write.
        let mut rows = String::from(
            "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n",
        );
        for i in 0..ROWS {
            rows += &format!(
                "20{:02}-{:02}-{:02},A{:03},0.1,R{round}-{i},批量事项{i},labor,opinion,财政局,,第{round}轮\n",
                10 + round,
                1 + i % 12,
                1 + i % 28,
                1 + i % 90
            );
        }
        let file = env.write(&format!("bulk{round}.csv"), rows);
        let before = entries(&env).len();
        let mut child = process(&env, &["import", "entries", file.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(200 + rng.next(2500)));
        let _ = child.kill();
        let _ = child.wait();
        let n = entries(&env).len() - before;
        assert!(
            n == 0 || n == ROWS,
            "a killed import left {n} of its {ROWS} rows"
        );
        if n == 0 {
            none += 1
        } else {
            all += 1
        }
        verified(&env);
    }
    assert!(
        none > 0,
        "at least one kill landed before the import finished ({all} finished)"
    );
    let store = counsel_log::store::Store::open(&env.store).unwrap();
    let rollbacks = store
        .audit_trail()
        .unwrap()
        .iter()
        .filter(|r| r.action == counsel_log::store::AuditAction::Rollback)
        .count();
    eprintln!("{none} kills before the end ({rollbacks} rolled back mid-write), {all} after");
}

/// Damages a copy of the demo store and opens it: the result is either the full, correct
/// ledger or a one-line message that names the path and says it is damaged — never a panic,
/// never a hang, never a wrong figure.
fn damaged(what: &str, damage: impl Fn(&Path)) {
    let env = demo_ledger();
    damage(&env.store);
    let before = files(&env.store);
    let (ok, out, err) = finish(&env, &["summary", "--period", "2024", "--format", "json"]);
    for p in PANIC_TEXT {
        assert!(
            !err.contains(p),
            "{what}: panic text reached the user: {err}"
        );
    }
    if ok {
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            (v["items"].as_u64(), v["minutes"].as_u64()),
            (Some(171), Some(25938)),
            "{what}: wrong figures"
        );
    } else {
        assert_eq!(err.trim().lines().count(), 1, "{what}: {err}");
        assert!(
            err.contains(env.store.to_str().unwrap()),
            "{what}: the message names the store: {err}"
        );
        assert!(
            err.contains("damaged") || err.contains("cannot use the store"),
            "{what}: {err}"
        );
        assert!(
            err.contains("restore") || err.contains("check the path"),
            "{what}: says what to do: {err}"
        );
        assert!(
            files(&env.store) == before,
            "{what}: the failed open changed the store's files"
        );
    }
}

fn flip(path: &Path, at: impl Fn(usize) -> usize) {
    let mut bytes = std::fs::read(path).unwrap();
    let i = at(bytes.len());
    bytes[i] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

fn snapshot_files(store: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(store)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("snap.")
        })
        .collect()
}

#[test]
fn damaged_stores_give_a_clear_message_or_the_right_figures() {
    damaged("db truncated to 100 bytes", |s| {
        std::fs::File::options()
            .write(true)
            .open(s.join("db"))
            .unwrap()
            .set_len(100)
            .unwrap()
    });
    damaged("db emptied", |s| {
        std::fs::File::options()
            .write(true)
            .open(s.join("db"))
            .unwrap()
            .set_len(0)
            .unwrap()
    });
    damaged("db deleted", |s| {
        std::fs::remove_file(s.join("db")).unwrap()
    });
    damaged("conf deleted", |s| {
        std::fs::remove_file(s.join("conf")).unwrap()
    });
    damaged("conf garbage", |s| {
        std::fs::write(s.join("conf"), b"\xff\xfe garbage").unwrap()
    });
    damaged("garbage in db", |s| {
        let mut bytes = std::fs::read(s.join("db")).unwrap();
        for (i, b) in bytes.iter_mut().enumerate().skip(1000).take(4096) {
            *b = u8::try_from(i * 7919 % 251).unwrap();
        }
        std::fs::write(s.join("db"), bytes).unwrap();
    });
    damaged("snapshot deleted", |s| {
        for f in snapshot_files(s) {
            std::fs::remove_file(f).unwrap();
        }
    });
    damaged("snapshot garbage", |s| {
        for f in snapshot_files(s) {
            std::fs::write(f, b"not a snapshot").unwrap();
        }
    });
    for tenths in [1, 3, 5, 7, 9] {
        damaged(&format!("bit flip at 0.{tenths}"), |s| {
            flip(&s.join("db"), |n| n * tenths / 10)
        });
        damaged(&format!("bit flip at 0.{tenths}, no snapshot"), |s| {
            for f in snapshot_files(s) {
                std::fs::remove_file(f).unwrap();
            }
            flip(&s.join("db"), |n| n * tenths / 10);
        });
    }
}

#[test]
fn a_store_missing_its_newest_records_is_reported_at_open() {
    let env = demo_ledger();
    let earlier = env.path("earlier");
    common::copy_dir(&env.store, &earlier);
    log_an_hour(&env);
    // The store's files go back to before the last save, but the side file remembers it.
    let head = std::fs::read(env.store.join("audit-head.json")).unwrap();
    std::fs::remove_dir_all(&env.store).unwrap();
    common::copy_dir(&earlier, &env.store);
    std::fs::write(env.store.join("audit-head.json"), head).unwrap();
    let (ok, _, err) = finish(&env, &["summary"]);
    assert!(!ok);
    assert!(
        err.contains("the newest changes are missing") && err.contains("restore"),
        "{err}"
    );
}

#[test]
fn an_altered_audit_record_is_named_by_verify() {
    let env = demo_ledger();
    log_an_hour(&env);
    verified(&env);
    {
        // Change one byte of the first audit record, as someone editing the file would.
        let db = counsel_log::store::open_sled(&env.store).unwrap();
        let audit = db.open_tree("audit").unwrap();
        let (k, v) = audit.iter().next().unwrap().unwrap();
        let mut bytes = v.to_vec();
        let at = bytes.iter().position(|b| *b == b'2').unwrap();
        bytes[at] = b'3';
        audit.insert(k, bytes).unwrap();
        db.flush().unwrap();
    }
    let (ok, out, err) = finish(&env, &["verify"]);
    assert!(!ok, "{out}");
    assert!(
        err.contains("audit record 2 (position 2") && err.contains("record 1"),
        "{err}"
    );
}

#[test]
fn a_second_process_is_refused_and_a_killed_first_one_frees_the_store() {
    let env = demo_ledger();
    let mut holder = process(&env, &[])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The interface without a terminal fails to draw, so hold the store with a slow import:
    // one large enough to take far longer than the wait below on any machine (20,000 rows
    // were sometimes imported within it once imports wrote each hashed block once).
    let _ = holder.kill();
    let _ = holder.wait();
    let mut rows =
        String::from("date,advisor,hours,item,title,topic,service,department,satisfaction,note\n");
    for i in 0..200_000 {
        rows += &format!(
            "2022-{:02}-{:02},A{:03},0.1,H{i},占用{i},labor,opinion,财政局,,\n",
            1 + i % 12,
            1 + i % 28,
            1 + i % 90
        );
    }
    let file = env.write("hold.csv", rows);
    let mut first = process(&env, &["import", "entries", file.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let (ok, _, err) = finish(&env, &["summary"]);
    assert!(
        !ok && err.contains("in use by another counsel-log process"),
        "{err}"
    );
    let _ = first.kill();
    let _ = first.wait();
    let (ok, _, err) = finish(&env, &["summary"]);
    assert!(ok, "after kill -9 of the holder the store opens: {err}");
    verified(&env);
}

#[test]
fn a_backup_restores_to_the_same_ledger_and_a_changed_one_is_refused() {
    let env = demo_ledger();
    let backups = env.path("backups");
    let (ok, out, err) = finish(&env, &["backup", backups.to_str().unwrap()]);
    assert!(
        ok && out.contains("verified by reading it back"),
        "{out}{err}"
    );
    let file = std::fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let original = entries(&env);

    let other = Env::new();
    let (ok, _, err) = finish(&other, &["restore", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert_eq!(
        entries(&other),
        original,
        "the restored ledger holds the same entries"
    );
    verified(&other);

    // One changed character anywhere makes the whole file unusable.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replacen("管委会办公室", "管委会办公厅", 1);
    let changed = env.write("changed.jsonl", text);
    let third = Env::new();
    let (ok, _, err) = finish(&third, &["restore", changed.to_str().unwrap()]);
    assert!(
        !ok && err.contains("checksum does not match") && err.contains("nothing was changed"),
        "{err}"
    );
    assert!(
        !third.store.exists(),
        "the refused restore left a store behind"
    );
}

#[test]
fn deleting_the_snapshot_and_truncating_the_newest_page_is_reported_at_open() {
    // The file is cut inside the newest change as it was first written: at, into and at the
    // end of the bytes it wrote (the log is compressed, so its records are found by what the
    // change altered, not by their text). What the store writes after a change (pages it
    // rewrites whole as it reads them) may lie after it in the file, so the file's last bytes
    // need not be it.
    for into in [Cut::Start, Cut::Middle, Cut::End] {
        let env = demo_ledger();
        let db = env.store.join("db");
        let before = std::fs::read(&db).unwrap();
        log_an_hour(&env);
        for f in snapshot_files(&env.store) {
            std::fs::remove_file(f).unwrap();
        }
        let bytes = std::fs::read(&db).unwrap();
        let at = bytes
            .iter()
            .zip(before.iter().chain(std::iter::repeat(&0)))
            .position(|(now, was)| now != was)
            .expect("the newest change is in the log");
        // It ends where the file runs as before for a while (a byte may agree by chance).
        let was = |i: usize| before.get(i).copied().unwrap_or(0);
        let length = (at..bytes.len())
            .find(|&i| (i..(i + 64).min(bytes.len())).all(|j| bytes[j] == was(j)))
            .unwrap_or(bytes.len())
            - at;
        assert!(length > 64, "the newest change wrote {length} bytes");
        let cut = match into {
            Cut::Start => at,
            Cut::Middle => at + length / 2,
            Cut::End => at + length - 1,
        };
        std::fs::File::options()
            .write(true)
            .open(&db)
            .unwrap()
            .set_len(cut as u64)
            .unwrap();
        let (ok, _, err) = finish(&env, &["summary", "--period", "2024"]);
        assert!(
            !ok,
            "cut at {into:?}: a store missing its newest writes opened as if whole"
        );
        assert!(
            err.contains("the newest changes are missing") || err.contains("damaged"),
            "cut at {into:?}: {err}"
        );
        assert!(
            err.contains(env.store.to_str().unwrap()) && err.contains("restore"),
            "{err}"
        );
    }
}

/// Where a cut falls in the newest audit record.
#[derive(Debug, Clone, Copy)]
enum Cut {
    Start,
    Middle,
    End,
}

#[test]
fn a_deleted_side_file_is_reported_not_silently_rewritten() {
    let env = demo_ledger();
    std::fs::remove_file(env.store.join("audit-head.json")).unwrap();
    let (ok, _, err) = finish(&env, &["summary"]);
    assert!(
        !ok && err.contains("audit-head.json") && err.contains("is missing"),
        "{err}"
    );
}

#[test]
fn rows_naming_one_item_by_key_and_by_number_rate_it_once_for_all() {
    let env = demo_ledger();
    let out = env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--item",
        "K9",
        "--title",
        "未评价事项",
        "--topic",
        "labor",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--date",
        "2024-06-03",
    ]);
    let number = out
        .split("item ")
        .nth(1)
        .unwrap()
        .split([' ', '.', '('])
        .next()
        .unwrap()
        .to_string();
    let file = env.write(
        "rate.csv",
        format!(
            "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n\
             2024-06-04,A002,1,K9,未评价事项,labor,opinion,财政局,满意,\n\
             2024-06-05,A003,1,{number},未评价事项,labor,opinion,财政局,,\n"
        ),
    );
    env.ok(&["import", "entries", file.to_str().unwrap()]);
    verified(&env);
    let export = env.ok(&["export", "--format", "csv", "-"]);
    let rows: Vec<&str> = export
        .lines()
        .filter(|l| l.contains("未评价事项"))
        .collect();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter().all(|r| r.contains(",satisfied,")),
        "every entry carries the item's one rating: {rows:?}"
    );
}

#[test]
fn undoing_an_entry_that_rated_its_item_takes_the_rating_back() {
    let env = demo_ledger();
    env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--item",
        "K7",
        "--title",
        "待评价",
        "--topic",
        "labor",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--date",
        "2024-06-03",
    ]);
    env.ok(&[
        "log",
        "--advisor",
        "A002",
        "--hours",
        "1",
        "--item",
        "K7",
        "--date",
        "2024-06-04",
        "--satisfaction",
        "满意",
    ]);
    {
        let store = counsel_log::store::Store::open(&env.store).unwrap();
        let scope = counsel_log::store::UndoScope {
            after: 0,
            actions: counsel_log::store::UndoScope::ENTRIES,
        };
        let stamp = counsel_log::store::Stamp {
            at: chrono::DateTime::parse_from_rfc3339("2024-06-05T09:00:00+08:00").unwrap(),
            who: "test".into(),
        };
        let undone = store.undo_last(&stamp, &scope).unwrap();
        assert_eq!(
            undone,
            counsel_log::store::Undo::Done(counsel_log::store::AuditAction::EntryAdd)
        );
        let item = store.item_by_ref("K7").unwrap().unwrap();
        assert_eq!(
            item.satisfaction, None,
            "the rating the undone entry brought is gone"
        );
    }
    verified(&env);
}

#[test]
fn invisible_control_characters_are_refused() {
    let env = demo_ledger();
    let (ok, _, err) = finish(
        &env,
        &[
            "log",
            "--advisor",
            "A001",
            "--hours",
            "1",
            "--title",
            "坏\u{1}标题",
            "--topic",
            "labor",
            "--service",
            "opinion",
            "--department",
            "财政局",
            "--date",
            "2024-06-03",
        ],
    );
    assert!(
        !ok && err.contains("U+0001") && err.contains("remove it"),
        "{err}"
    );
}

/// Every file under the store, with its bytes.
fn files(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            for (k, v) in files(&e.path()) {
                out.insert(std::path::Path::new(&e.file_name()).join(k), v);
            }
        } else {
            out.insert(e.file_name().into(), std::fs::read(e.path()).unwrap());
        }
    }
    out
}

#[cfg(unix)]
#[test]
fn the_trail_names_the_account_when_the_environment_names_no_user() {
    let env = demo_ledger();
    let out = env
        .cmd()
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("USERNAME")
        .args([
            "log",
            "--advisor",
            "A001",
            "--hours",
            "1",
            "--item",
            "2024-001",
        ])
        .args(["--date", "2024-06-03"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (ok, trail, err) = finish(&env, &["history", "--format", "json"]);
    assert!(ok, "{err}");
    let trail: serde_json::Value = serde_json::from_str(&trail).unwrap();
    let who = trail["records"].as_array().unwrap().last().unwrap()["who"].clone();
    let account = nix::unistd::User::from_uid(nix::unistd::getuid())
        .unwrap()
        .unwrap()
        .name;
    assert_eq!(who, account.as_str(), "the change names who made it");
    assert_ne!(who, "unknown");
}
