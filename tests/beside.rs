//! Working beside the process that holds the store: `counsel-log serve` (the interface's server
//! without the interface) holds it, and every command run meanwhile from another terminal gives
//! what it gives on a free store; a holder killed or frozen mid-request loses nothing
//! acknowledged and keeps no caller waiting.

#![cfg(unix)]
#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use std::path::Path;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Env, demo};

/// A `counsel-log serve` holding a store, killed when dropped.
struct Holder(Child);

impl Holder {
    fn start(env: &Env, db: &Path) -> Holder {
        let child = process(env, db, &["serve"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !db.join("serve.sock").exists() {
            assert!(Instant::now() < deadline, "serve never listened");
            std::thread::sleep(Duration::from_millis(20));
        }
        Holder(child)
    }

    fn pid(&self) -> i32 {
        i32::try_from(self.0.id()).unwrap()
    }

    fn signal(&self, signal: &str) {
        let status = std::process::Command::new("kill")
            .args([signal, &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The binary on `db` with the tests' environment, to spawn and wait for by hand.
fn process(env: &Env, db: &Path, args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("counsel-log"));
    c.current_dir(env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.dir.path())
        .env("XDG_STATE_HOME", env.dir.path())
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("COUNSEL_LOG_DB")
        .args(["--lang", "en", "--db"])
        .arg(db)
        .args(args);
    c
}

/// What a command printed and how it ended, for comparing two runs.
fn seen(out: &Output) -> (Option<i32>, String, String) {
    // Two stores' audit heads differ in their hash (times, store ids), never in their count.
    let text = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .lines()
            .map(|l| match l.split_once(" (") {
                Some((head, _)) if head.starts_with("Made from audit record") => head,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// Two stores with the same ledger: one held, one free.
fn pair(env: &Env) -> (std::path::PathBuf, std::path::PathBuf) {
    let (held, free) = (env.path("held"), env.path("free"));
    for db in [&held, &free] {
        env.ok_on(
            db,
            &["import", "advisors", demo("advisors.csv").to_str().unwrap()],
        );
        env.ok_on(
            db,
            &[
                "import",
                "entries",
                demo("entries-2024.csv").to_str().unwrap(),
            ],
        );
    }
    (held, free)
}

const LOG: [&str; 13] = [
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
];

#[test]
fn every_command_beside_a_holder_gives_what_it_gives_on_a_free_store() {
    let env = Env::new();
    let (held, free) = pair(&env);
    let bad = env.write(
        "bad.csv",
        "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n\
         2024-05-02,A001,1,,T,contracts,opinion,财政局,,\n\
         2024-05-02,A999,1,,T,contracts,opinion,财政局,,\n\
         2024-05-03,A001,0,,T,contracts,opinion,财政局,,\n",
    );
    let holder = Holder::start(&env, &held);
    let dated = [&LOG[..], &["--date", "2024-05-06"]].concat();
    let runs: [&[&str]; 6] = [
        &dated,
        &["report", "--period", "2024-05", "--by", "topic"],
        &["summary", "--period", "2024"],
        &["import", "entries", bad.to_str().unwrap()],
        &["history", "282"],
        &["advisor", "list", "--format", "csv"],
    ];
    for args in runs {
        let beside = env.run_on(&held, args);
        let alone = env.run_on(&free, args);
        assert_eq!(seen(&beside), seen(&alone), "{args:?}");
    }
    // JSON names the audit head it was read at, which differs between two stores.
    for args in [
        &["report", "--period", "2024", "--format", "json"][..],
        &["export", "--format", "json", "-"],
    ] {
        let (beside, alone) = (env.ok_on(&held, args), env.ok_on(&free, args));
        assert_eq!(common::strip_head(&beside), common::strip_head(&alone));
    }
    // A file named relative to the caller's folder is written there, as on a free store.
    let out = env.ok_on(&held, &["export", "--format", "csv", "beside.csv"]);
    assert!(out.contains("Exported 282 entries"), "{out}");
    drop(holder);
    // The same file as the same store writes once free (an item without a key goes under its
    // global id, which is the store's own, so another store's file would differ there).
    env.ok_on(&held, &["export", "--format", "csv", "alone.csv"]);
    assert_eq!(
        std::fs::read(env.path("beside.csv")).unwrap(),
        std::fs::read(env.path("alone.csv")).unwrap()
    );
    // Once the holder lets go, the store has every change made beside it.
    let csv = env.ok_on(&held, &["export", "--format", "csv", "-"]);
    assert!(csv.contains("Lease review"), "{csv}");
    assert!(env.ok_on(&held, &["verify"]).contains("verified"));
}

#[test]
fn a_second_interface_shows_a_read_only_copy_and_says_where_changes_go() {
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("no tmux to run the interface in: nothing to check");
        return;
    }
    let env = Env::new();
    let (held, _) = pair(&env);
    let holder = Holder::start(&env, &held);
    let socket = env.path("tmux.sock");
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(args)
            .env("XDG_CONFIG_HOME", env.dir.path())
            .env("XDG_DATA_HOME", env.dir.path())
            .env("XDG_STATE_HOME", env.dir.path())
            .env("LANG", "C.UTF-8")
            .output()
            .unwrap()
    };
    let bin = assert_cmd::cargo::cargo_bin("counsel-log");
    let command = format!("{} --lang en --db {}", bin.display(), held.display());
    tmux(&["new-session", "-d", "-x", "100", "-y", "30", &command]);
    let screen = |until: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut screen = String::new();
        while Instant::now() < deadline && !screen.contains(until) {
            std::thread::sleep(Duration::from_millis(200));
            screen = String::from_utf8_lossy(&tmux(&["capture-pane", "-p"]).stdout).into_owned();
        }
        screen
    };
    let first = screen("Read-only");
    assert!(
        first.contains(&format!("store held by process {}", holder.pid())),
        "{first}"
    );
    // The footer offers reading keys only: no key that would be refused.
    let footer = first
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    assert!(
        footer.contains("help") && !footer.contains(" add ") && !footer.contains(" undo "),
        "{footer}"
    );
    // The copy holds the ledger: 2024 shows its 281 entries.
    tmux(&["send-keys", "p"]);
    tmux(&["send-keys", "2024", "Enter"]);
    let year = screen("281 entries");
    assert!(year.contains("281 entries"), "{year}");
    // A change is refused, saying where to make it; nothing reaches the held store.
    tmux(&["send-keys", "a"]);
    let refused = screen("change it or export from there");
    assert!(!refused.contains("New entry"), "{refused}");
    tmux(&["send-keys", "q"]);
    std::thread::sleep(Duration::from_millis(500));
    tmux(&["kill-server"]);
    let summary = env.ok_on(&held, &["summary", "--period", "2024"]);
    assert!(summary.contains("171"), "{summary}");
}

#[test]
fn a_holder_killed_during_a_write_leaves_it_saved_and_said_or_not_saved_and_said() {
    let env = Env::new();
    let (held, _) = pair(&env);
    let mut saved = 0;
    for round in 0..8u64 {
        let holder = Holder::start(&env, &held);
        let before = entries(&env, &held);
        let title = format!("Round {round}");
        let args = [&LOG[..12], &[title.as_str(), "--date", "2024-05-06"]].concat();
        let client = process(&env, &held, &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The kill lands before, during or after the write, round by round.
        std::thread::sleep(Duration::from_millis(5 + round * 15));
        holder.signal("-KILL");
        drop(holder);
        let out = client.wait_with_output().unwrap();
        let after = entries(&env, &held);
        let said = String::from_utf8_lossy(&out.stderr);
        let landed = after.matches(&title).count();
        assert!(landed <= 1, "saved twice: {said}");
        if out.status.success() {
            assert_eq!(landed, 1, "reported saved but absent: {said}");
            saved += 1;
        } else {
            assert_eq!(landed, 0, "reported failed but present: {said}");
            assert_eq!(before.lines().count(), after.lines().count());
        }
    }
    assert!(saved > 0);
    assert!(env.ok_on(&held, &["verify"]).contains("verified"));
}

#[test]
fn a_caller_waits_only_a_few_seconds_on_a_frozen_holder() {
    let env = Env::new();
    let (held, _) = pair(&env);
    let holder = Holder::start(&env, &held);
    holder.signal("-STOP");
    let began = Instant::now();
    let out = env
        .cmd_on(&held)
        .args(["summary", "--period", "2024"])
        .output()
        .unwrap();
    let waited = began.elapsed();
    holder.signal("-CONT");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");
    assert!(
        said.contains(&format!("held by process {}", holder.pid()))
            && said.contains("did not answer"),
        "{said}"
    );
}

#[test]
fn the_socket_is_the_owners_alone_and_goes_with_the_holder() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let (held, _) = pair(&env);
    let holder = Holder::start(&env, &held);
    let mode = std::fs::metadata(held.join("serve.sock"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // Ctrl-C or SIGTERM ends `serve` cleanly: the socket and its note go with it.
    holder.signal("-TERM");
    let mut holder = holder;
    let status = holder.0.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(!held.join("serve.sock").exists() && !held.join("serve.json").exists());
    // A socket left by a holder that was killed is recognised as stale: the next command
    // opens the store itself.
    let holder = Holder::start(&env, &held);
    holder.signal("-KILL");
    drop(holder);
    assert!(held.join("serve.sock").exists());
    let out = env.ok_on(&held, &["summary", "--period", "2024"]);
    assert!(out.contains("171"), "{out}");
}

/// The entries of a store as CSV, one per line.
fn entries(env: &Env, db: &Path) -> String {
    env.ok_on(db, &["export", "--format", "csv", "-"])
}

#[test]
fn a_restore_beside_a_holder_is_refused_and_runs_once_the_holder_lets_go() {
    let env = Env::new();
    let (_, free) = pair(&env);
    let dir = env.path("backups");
    env.ok_on(&free, &["backup", dir.to_str().unwrap()]);
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let empty = env.path("empty");
    let holder = Holder::start(&env, &empty);
    let beside = env.run_on(&empty, &["restore", file.to_str().unwrap()]);
    assert!(!beside.status.success());
    let said = String::from_utf8_lossy(&beside.stderr);
    assert!(
        said.contains("replaces the store's files whole") && said.contains("quit the interface"),
        "{said}"
    );
    drop(holder);
    let restored = env.ok_on(&empty, &["restore", file.to_str().unwrap()]);
    assert!(restored.contains("171 items"), "{restored}");
    assert_eq!(entries(&env, &empty), entries(&env, &free));
}
