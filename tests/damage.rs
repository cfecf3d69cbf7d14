//! Damage stops the store: random bit flips of a ledger of several years, refused opens that
//! must leave every file as it was, a store that vanished, an altered head file, a full disk
//! and a store that may only be read. Each runs the real binary, as a user would.
#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use counsel_log::store::RawTree;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{Env, PANIC_TEXT};
use sha2::{Digest, Sha256};

/// The size of sled's log segments in a store (sled's default, which counsel-log keeps).
const SEGMENT: usize = 512 * 1024;

/// The SHA-256 of every file under `dir`, by path, recursively.
fn hashes(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let Ok(read) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in read {
        let e = e.unwrap();
        let name = PathBuf::from(e.file_name());
        if e.file_type().unwrap().is_dir() {
            for (k, v) in hashes(&e.path()) {
                out.insert(name.join(k), v);
            }
        } else {
            let bytes = std::fs::read(e.path()).unwrap();
            out.insert(name, hex::encode(Sha256::digest(bytes)));
        }
    }
    out
}

/// A ledger of 3,000 entries over five years (2020–2024), made once and copied by each test.
fn ledger_of_years() -> &'static Env {
    static LEDGER: OnceLock<Env> = OnceLock::new();
    LEDGER.get_or_init(|| {
        let env = Env::new();
        let topics = ["labor", "contracts", "planning", "enforcement", "other"];
        let mut rows = String::from(
            "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n",
        );
        let first = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        for i in 0..3000u64 {
            let date = first + chrono::Days::new(i * 11 % 1826);
            let item = i / 3;
            rows += &format!(
                "{date},A{:03},{}.5,K{item},事项{item},{},opinion,财政局,,\n",
                1 + i % 90,
                i % 3,
                topics[usize::try_from(item % 5).unwrap()]
            );
        }
        let advisors = common::demo("advisors.csv");
        env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
        let file = env.write("years.csv", rows);
        env.ok(&["import", "entries", file.to_str().unwrap()]);
        env.ok(&["backup", env.path("backups").to_str().unwrap()]);
        env
    })
}

/// A fresh environment holding a copy of the ledger of years, with its backup folder.
fn copy_of_ledger() -> Env {
    let from = ledger_of_years();
    let env = Env::new();
    common::copy_dir(&from.store, &env.store);
    common::copy_dir(&from.path("backups"), &env.path("backups"));
    backup_config(&env);
    env
}

/// The configuration that points the backup folder at the environment's `backups`.
fn backup_config(env: &Env) {
    let dir = env.path("backups");
    std::fs::create_dir_all(env.path("counsel-log")).unwrap();
    let text = format!("backup_dir = {:?}\n", dir.to_str().unwrap());
    std::fs::write(env.path("counsel-log/config.toml"), text).unwrap();
}

const SUMMARY: &[&str] = &[
    "summary",
    "--period",
    "2020-01-01..2024-12-31",
    "--format",
    "json",
];
const REPORT: &[&str] = &[
    "report",
    "--period",
    "2020-01-01..2024-12-31",
    "--by",
    "month",
    "--format",
    "json",
];
/// Some days of a month, which only the entries can answer.
const DAYS: &[&str] = &[
    "report",
    "--period",
    "2020-01-01..2020-01-15",
    "--format",
    "json",
];
const LOG: &[&str] = &[
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
];

/// A refusal a user can read: non-zero, one line, no panic, no debug text.
fn refused(out: &std::process::Output, what: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{what}: succeeded:\n{err}");
    assert_eq!(err.trim().lines().count(), 1, "{what}: one line: {err}");
    for p in PANIC_TEXT.iter().chain(&["Os {", "kind:"]) {
        assert!(!err.contains(p), "{what}: {p:?} reached the user: {err}");
    }
    err
}

/// xorshift64*: a fixed sequence of flips, the same on every run.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % below
    }
}

#[test]
fn random_bit_flips_stop_the_store_or_leave_the_figures_whole() {
    let healthy = copy_of_ledger();
    let figures = (healthy.ok(SUMMARY), healthy.ok(REPORT));
    let mut rng = Seeded(0x05ee_d0fd_aa6e);
    let (mut stopped, mut whole) = (0, 0);
    for flip in 0..30 {
        let env = copy_of_ledger();
        let db = env.store.join("db");
        let mut bytes = std::fs::read(&db).unwrap();
        let at = usize::try_from(rng.next(bytes.len() as u64)).unwrap();
        let bit = rng.next(8);
        bytes[at] ^= 1 << bit;
        std::fs::write(&db, bytes).unwrap();
        let what = format!("flip {flip}: bit {bit} of byte {at}");
        let verify = env.run(&["verify"]);
        if verify.status.success() {
            whole += 1;
            // Verified: the healthy figures. (sled may still meet the flip at a later open,
            // which must then stop the store like any damage, never give other figures.)
            for (args, healthy) in [(SUMMARY, &figures.0), (REPORT, &figures.1)] {
                let out = env.run(args);
                if out.status.success() {
                    assert_eq!(&String::from_utf8_lossy(&out.stdout), healthy, "{what}");
                } else {
                    let err = refused(&out, &what);
                    assert!(err.contains("damaged"), "{what}: {err}");
                }
            }
            continue;
        }
        stopped += 1;
        let before = hashes(&env.store);
        for args in [SUMMARY, REPORT, LOG] {
            let err = refused(&env.run(args), &format!("{what}, {}", args[0]));
            assert!(
                err.contains("damaged") && err.contains("restore"),
                "{what}: {err}"
            );
            assert!(err.contains("backups"), "{what}: names the backup: {err}");
        }
        assert_eq!(hashes(&env.store), before, "{what}: a file changed");
    }
    eprintln!("{stopped} flips stopped the store, {whole} left it whole");
}

#[test]
fn damage_found_once_stops_later_commands_until_verify_finds_the_store_whole() {
    let env = copy_of_ledger();
    let head = env.store.join("audit-head.json");
    let good = std::fs::read(&head).unwrap();
    // The side file now names more changes than the store holds: damage found at open.
    let text = String::from_utf8(good.clone()).unwrap();
    let count: serde_json::Value = serde_json::from_str(&text).unwrap();
    let more = text.replace(
        &format!("\"count\":{}", count["count"]),
        &format!("\"count\":{}", count["count"].as_u64().unwrap() + 5),
    );
    std::fs::write(&head, more).unwrap();
    let err = refused(&env.run(&["summary"]), "summary");
    assert!(err.contains("the newest changes are missing"), "{err}");
    // Put right behind counsel-log's back: still refused until verify looks again.
    std::fs::write(&head, &good).unwrap();
    let err = refused(&env.run(SUMMARY), "summary after");
    assert!(
        err.contains("until `counsel-log verify` finds it whole"),
        "{err}"
    );
    env.ok(&["verify"]);
    env.ok(SUMMARY);
}

#[test]
fn refused_opens_write_nothing() {
    // Damaged: the side file names more changes than the store holds.
    let env = copy_of_ledger();
    let head = env.store.join("audit-head.json");
    let text = std::fs::read_to_string(&head).unwrap();
    std::fs::write(&head, text.replacen("\"count\":", "\"count\":9", 1)).unwrap();
    unchanged_by_refusals(&env, "damaged");

    // From a newer schema.
    let env = copy_of_ledger();
    {
        let db = counsel_log::store::open_sled(&env.store).unwrap();
        RawTree::open(&db, "meta")
            .unwrap()
            .insert(b"schema", 99u64.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
        common::release(db, &env.store);
    }
    unchanged_by_refusals(&env, "newer");

    // Damaged in a record the open does not read: found by the first command that reads it
    // (whole months are counted from the aggregates, so a report of some days of the month),
    // after which every command is refused, `verify` included.
    let env = copy_of_ledger();
    env.ok(SUMMARY);
    {
        let db = counsel_log::store::open_sled(&env.store).unwrap();
        {
            let entries = RawTree::open(&db, "entries").unwrap();
            let (key, _) = entries.first().unwrap().unwrap();
            entries.insert(key, &b"\xff not a record"[..]).unwrap();
        }
        db.flush().unwrap();
        common::release(db, &env.store);
    }
    assert!(env.store.join("closed.json").exists());
    unchanged_by_refusals_of(&env, "damaged record", &[DAYS, SUMMARY, REPORT]);

    // Damaged in a block of the packed entries: bytes that no longer decode as a block of
    // records (written with sled itself, under the block's own key) are damage, named as such.
    let env = copy_of_ledger();
    env.ok(SUMMARY);
    {
        let db = counsel_log::store::open_sled(&env.store).unwrap();
        {
            let blocks = RawTree::open(&db, "entries").unwrap();
            let blocks = blocks.sled();
            let (key, raw) = blocks.first().unwrap().unwrap();
            assert!(raw.len() > 40, "a day's entries share a block");
            blocks.insert(key, &raw[..raw.len() / 2]).unwrap();
        }
        db.flush().unwrap();
        common::release(db, &env.store);
    }
    unchanged_by_refusals_of(&env, "damaged block", &[DAYS, SUMMARY, REPORT]);

    // Damaged in a record of the aggregates: a changed byte fails the record's check, so the
    // figures that read it are refused rather than shown made from it. The whole history
    // reads its own records; a month reads its month's.
    let env = copy_of_ledger();
    env.ok(SUMMARY);
    flip_first_aggregate(&env, b"w");
    unchanged_by_refusals(&env, "damaged whole-history aggregate");
    let env = copy_of_ledger();
    env.ok(SUMMARY);
    let key = flip_first_aggregate(&env, b"m");
    let month = u32::from_be_bytes(key[1..5].try_into().unwrap());
    let month = format!("{}-{:02}", month / 12, month % 12 + 1);
    let month_summary: &[&str] = &["summary", "--period", &month, "--format", "json"];
    unchanged_by_refusals_of(&env, "damaged month aggregate", &[month_summary]);

    // In use by another process (here, the test's own).
    let env = copy_of_ledger();
    let holder = common::open_store(&env.store);
    unchanged_by_refusals(&env, "in use");
    common::release(holder, &env.store);
}

/// Changes a byte of the first record of the aggregates whose key begins with `prefix`,
/// behind the store's back; returns the record's key.
fn flip_first_aggregate(env: &Env, prefix: &[u8]) -> Vec<u8> {
    let db = counsel_log::store::open_sled(&env.store).unwrap();
    let key = {
        let tallies = RawTree::open(&db, "tallies").unwrap();
        let (key, value) = tallies.scan_prefix(prefix).next().unwrap().unwrap();
        let mut value = value.to_vec();
        value[0] ^= 1;
        tallies.insert(key.clone(), value).unwrap();
        key.to_vec()
    };
    db.flush().unwrap();
    common::release(db, &env.store);
    key
}

/// Runs commands that must be refused and checks every file of the store stayed as it was.
fn unchanged_by_refusals(env: &Env, what: &str) {
    unchanged_by_refusals_of(env, what, &[SUMMARY, REPORT]);
}

/// [`unchanged_by_refusals`], the figures asked for by `reads` first.
fn unchanged_by_refusals_of(env: &Env, what: &str, reads: &[&[&str]]) {
    let before = hashes(&env.store);
    for &args in reads
        .iter()
        .chain(&[LOG, &["verify"][..], &["advisor", "list"][..]])
    {
        let out = env.run_once(args);
        if args == ["verify"] {
            // Verify lists what it found, a line each.
            assert!(!out.status.success(), "{what}: verify passed");
        } else {
            refused(&out, &format!("{what}: {args:?}"));
        }
        assert_eq!(
            hashes(&env.store),
            before,
            "{what}: {args:?} changed a file"
        );
    }
}

#[test]
fn a_store_that_vanished_or_was_emptied_is_noticed() {
    let env = copy_of_ledger();
    env.ok(&["summary"]);
    std::fs::remove_dir_all(&env.store).unwrap();
    let err = refused(&env.run(SUMMARY), "vanished");
    for p in [
        "missing or empty",
        "changes",
        "--start-afresh restore",
        "backups",
    ] {
        assert!(err.contains(p), "{p:?}: {err}");
    }
    assert!(!env.store.exists(), "nothing was made in its place");
    // Emptied: the folder is there, its files are not.
    std::fs::create_dir_all(&env.store).unwrap();
    refused(&env.run(&["verify"]), "emptied");
    assert!(hashes(&env.store).is_empty());
    // Begun afresh on purpose, by a command that writes: one that only reads makes no store.
    let err = refused(
        &env.run(&["--start-afresh", "summary"]),
        "a read begun afresh",
    );
    assert!(err.contains("there is no ledger"), "{err}");
    env.ok(&[
        "--start-afresh",
        "advisor",
        "add",
        "--id",
        "A001",
        "--name",
        "甲",
        "--category",
        "staff",
    ]);
    let out = env.ok(&["summary", "--period", "2024", "--format", "json"]);
    assert_eq!(common::json(&out)["items"], 0);
}

#[test]
fn verify_never_rewrites_the_head_file_and_a_lowered_count_is_reported() {
    let env = copy_of_ledger();
    env.ok(LOG);
    let head = env.store.join("audit-head.json");
    let text = std::fs::read_to_string(&head).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let n = v["count"].as_u64().unwrap();
    let lowered = text.replace(&format!("\"count\":{n}"), &format!("\"count\":{}", n - 1));
    assert_ne!(lowered, text);
    std::fs::write(&head, &lowered).unwrap();
    let err = refused(&env.run(&["verify"]), "verify");
    assert!(err.contains("audit-head.json"), "{err}");
    assert_eq!(std::fs::read_to_string(&head).unwrap(), lowered);
    refused(&env.run(SUMMARY), "summary");
    assert_eq!(std::fs::read_to_string(&head).unwrap(), lowered);
}

#[test]
fn a_full_disk_is_said_in_one_plain_line() {
    let env = copy_of_ledger();
    let mut rows =
        String::from("date,advisor,hours,item,title,topic,service,department,satisfaction,note\n");
    for i in 0..4000 {
        rows += &format!(
            "2023-05-{:02},A{:03},0.1,F{i},满{i},labor,opinion,财政局,,\n",
            1 + i % 28,
            1 + i % 90
        );
    }
    let file = env.write("fill.csv", rows);
    let bin = assert_cmd::cargo::cargo_bin("counsel-log");
    let script = format!(
        "trap '' XFSZ; ulimit -f 600; exec {:?} --lang en --db {:?} import entries {:?}",
        bin, env.store, file
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .current_dir(env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path())
        .env("XDG_DATA_HOME", env.dir.path())
        .env("XDG_STATE_HOME", env.dir.path())
        .output()
        .unwrap();
    let err = refused(&out, "full disk");
    assert!(err.contains("is full"), "{err}");
}

#[test]
fn a_store_that_may_only_be_read_is_said_plainly() {
    let root = std::process::Command::new("id").arg("-u").output().unwrap();
    if String::from_utf8_lossy(&root.stdout).trim() == "0" {
        eprintln!("running as root, which ignores permissions: nothing to check");
        return;
    }
    let env = copy_of_ledger();
    let mode = |p: &Path, m: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    };
    let files: Vec<PathBuf> = hashes(&env.store)
        .keys()
        .map(|k| env.store.join(k))
        .collect();
    for f in &files {
        mode(f, 0o444);
    }
    mode(&env.store.join("blobs"), 0o555);
    mode(&env.store, 0o555);
    let err = refused(&env.run(SUMMARY), "read-only");
    mode(&env.store, 0o755);
    mode(&env.store.join("blobs"), 0o755);
    for f in &files {
        mode(f, 0o644);
    }
    assert!(err.contains("may be read but not written"), "{err}");
}

/// Replaces every file of `store` with those of `other`, as someone swapping a store would.
fn swap_in(store: &Path, other: &Path) {
    std::fs::remove_dir_all(store).unwrap();
    common::copy_dir(other, store);
}

#[test]
fn a_store_replaced_or_rewritten_with_as_many_changes_is_noticed() {
    let env = Env::new();
    let advisors = common::demo("advisors.csv");
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    // Two stores with the same number of changes and other figures.
    let other = env.path("other");
    common::copy_dir(&env.store, &other);
    env.ok(LOG);
    let mut more = LOG.to_vec();
    more[4] = "9";
    env.ok_on(&other, &more);
    let seen = env.ok(SUMMARY);
    swap_in(&env.store, &other);
    for args in [SUMMARY, &["verify"][..]] {
        let err = refused(&env.run(args), &format!("swapped: {args:?}"));
        assert!(err.contains("replaced or rewritten"), "{args:?}: {err}");
    }
    // Swapped for one with more changes that do not continue the history seen: the same.
    env.ok_on(&other, &more);
    swap_in(&env.store, &other);
    let err = refused(&env.run(SUMMARY), "swapped for a longer one");
    assert!(err.contains("replaced or rewritten"), "{err}");
    // The history that was seen, continued, is the store's own.
    let own = Env::new();
    own.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    own.ok(LOG);
    own.ok(SUMMARY);
    own.ok(&more);
    assert_ne!(own.ok(SUMMARY), seen);
}

/// The backup files in `dir`, by name.
fn backup_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".jsonl"))
        .collect();
    names.sort();
    names
}

/// Raises the count in the store's head file: damage found at the next open.
fn damage_head_file(env: &Env) {
    let head = env.store.join("audit-head.json");
    let text = std::fs::read_to_string(&head).unwrap();
    std::fs::write(&head, text.replacen("\"count\":", "\"count\":9", 1)).unwrap();
}

#[test]
fn the_way_back_names_only_a_backup_of_this_store() {
    // Never opened healthy on this computer: which backups are its own is not known.
    let env = copy_of_ledger();
    let own = backup_names(&env.path("backups"));
    assert_eq!(own.len(), 1);
    damage_head_file(&env);
    let err = refused(&env.run(SUMMARY), "unknown");
    assert!(
        err.contains("no verified backup known to be of this store"),
        "{err}"
    );

    let env = copy_of_ledger();
    let backups = env.path("backups");
    env.ok(SUMMARY);
    // Another store's backup, newer, in the same folder.
    let other = env.path("other");
    env.ok_on(
        &other,
        &[
            "advisor",
            "add",
            "--id",
            "Z1",
            "--name",
            "Zed",
            "--category",
            "staff",
        ],
    );
    env.ok_on(&other, &["backup", backups.to_str().unwrap()]);
    let theirs: Vec<String> = backup_names(&backups)
        .into_iter()
        .filter(|n| !own.contains(n))
        .collect();
    assert_eq!(theirs.len(), 1);
    let later = format!(
        "{}20991231-235959.jsonl",
        &theirs[0][..theirs[0].len() - 21]
    );
    std::fs::rename(backups.join(&theirs[0]), backups.join(&later)).unwrap();
    damage_head_file(&env);
    for (what, err) in [
        ("damaged", refused(&env.run(SUMMARY), "damaged")),
        ("on record", refused(&env.run(SUMMARY), "on record")),
    ] {
        assert!(err.contains(&own[0]), "{what}: names its own backup: {err}");
        assert!(
            !err.contains(&later),
            "{what}: names another store's: {err}"
        );
    }
    std::fs::remove_dir_all(&env.store).unwrap();
    let err = refused(&env.run(SUMMARY), "vanished");
    assert!(err.contains(&own[0]) && !err.contains(&later), "{err}");
    // Its own backup fails its checksum: none is named rather than another store's.
    let file = backups.join(&own[0]);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("A001", "A999", 1)).unwrap();
    let err = refused(&env.run(SUMMARY), "vanished, backup broken");
    assert!(!err.contains(&later), "{err}");
    assert!(
        err.contains("no verified backup known to be of this store"),
        "{err}"
    );
}

/// Puts an undecodable value in place of the first entry: damage no open reads, found by the
/// first read of that entry.
fn damage_first_entry(store: &Path) {
    let db = counsel_log::store::open_sled(store).unwrap();
    {
        let entries = RawTree::open(&db, "entries").unwrap();
        let (key, _) = entries.first().unwrap().unwrap();
        entries.insert(key, &b"\xff not a record"[..]).unwrap();
    }
    db.flush().unwrap();
    common::release(db, store);
}

#[test]
fn damage_found_by_the_daily_backup_shows_the_notice_from_the_first_frame() {
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("no tmux to run the interface in: nothing to check");
        return;
    }
    let env = Env::new();
    env.import_demo();
    // The interface opens on this month, which holds nothing of 2024: only the daily backup,
    // reading everything, meets the damage.
    damage_first_entry(&env.store);
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
    let command = format!("{} --lang en --db {}", bin.display(), env.store.display());
    tmux(&["new-session", "-d", "-x", "100", "-y", "30", &command]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut screen = String::new();
    while std::time::Instant::now() < deadline && !screen.contains("backup") {
        std::thread::sleep(std::time::Duration::from_millis(200));
        screen = String::from_utf8_lossy(&tmux(&["capture-pane", "-p"]).stdout).into_owned();
    }
    tmux(&["kill-server"]);
    assert!(
        screen.contains("The store is damaged") && !screen.contains("entries ·"),
        "no key pressed yet:\n{screen}"
    );
}

/// A number as sled's log writes it (lengths, segment numbers, page ids): its value and the
/// index after it.
fn sled_varint(b: &[u8], i: usize) -> (usize, usize) {
    let first = usize::from(b[i]);
    match first {
        0..=240 => (first, i + 1),
        241..=248 => (240 + 256 * (first - 241) + usize::from(b[i + 1]), i + 2),
        249 => (
            2288 + 256 * usize::from(b[i + 1]) + usize::from(b[i + 2]),
            i + 3,
        ),
        _ => {
            let n = first - 247;
            let value = b[i + 1..=i + n]
                .iter()
                .rev()
                .fold(0, |v, byte| (v << 8) | usize::from(*byte));
            (value, i + 1 + n)
        }
    }
}

#[test]
fn a_log_record_whose_checksum_holds_but_which_does_not_decompress_is_refused_whole() {
    // An attacker with the file in hand can change a record and seal it again with its CRC:
    // sled then finds a zstd frame it cannot read, and stops on it.
    let bytes = std::fs::read(copy_of_ledger().store.join("db")).unwrap();
    // Each segment's records, after its 20-byte header: a CRC, a kind byte, the body's length,
    // the segment number and the page id, then the body (a length, then the frame). Which
    // segments hold records, and which sled has freed and zeroed, depends on when its cleaner
    // ran: every segment is read.
    let mut records = Vec::new();
    for segment in (0..bytes.len()).step_by(SEGMENT) {
        let end = (segment + SEGMENT).min(bytes.len());
        let mut at = segment + 20;
        while at + 64 < end {
            let (len, i) = sled_varint(&bytes, at + 5);
            let (_, i) = sled_varint(&bytes, i);
            let (_, body) = sled_varint(&bytes, i);
            if bytes[at + 4] == 0 && len == 0 || body + len > end {
                break;
            }
            let mut sealed = bytes[body..body + len].to_vec();
            sealed.extend_from_slice(&bytes[at + 4..body]);
            if crc32fast::hash(&sealed) ^ u32::MAX
                != u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
            {
                break;
            }
            let (_, frame) = sled_varint(&bytes, body);
            if bytes[frame..frame + 4] == [0x28, 0xb5, 0x2f, 0xfd] {
                records.push((at, body, len, frame));
            }
            at = body + len;
        }
    }
    assert!(records.len() > 10, "the log's records are compressed");
    // A record sled no longer reads (a page written again since) changes nothing; one that
    // `verify` reads stops it, in one line, with every file as it was.
    let mut stopped = 0;
    let step = records.len() / 8;
    for &(at, body, len, frame) in records.iter().step_by(step).chain(records.last()) {
        let env = copy_of_ledger();
        let mut bytes = bytes.clone();
        bytes[frame] ^= 0xff;
        let mut sealed = bytes[body..body + len].to_vec();
        sealed.extend_from_slice(&bytes[at + 4..body]);
        let crc = crc32fast::hash(&sealed) ^ u32::MAX;
        bytes[at..at + 4].copy_from_slice(&crc.to_le_bytes());
        std::fs::write(env.store.join("db"), &bytes).unwrap();
        let before = hashes(&env.store);
        let checked = env.run_once(&["verify"]);
        if checked.status.success() {
            continue;
        }
        stopped += 1;
        let what = format!("record at {at} resealed");
        let said = refused(&checked, &what);
        assert!(
            !said.contains("open an issue"),
            "{what}: sled's plea reached the user: {said}"
        );
        assert_eq!(hashes(&env.store), before, "{what}: verify changed a file");
    }
    assert!(stopped > 0, "no resealed record was read");
}

#[test]
fn a_store_that_lost_its_conf_opens_as_its_files_were_made() {
    // sled writes its `conf` afresh when it is lost; whether the log is compressed is then read
    // from the log itself. A compressed store:
    let env = copy_of_ledger();
    let before = env.ok(SUMMARY);
    std::fs::remove_file(env.store.join("conf")).unwrap();
    assert_eq!(env.ok(SUMMARY), before);
    // An uncompressed store of schema 6, which its first command migrates.
    let env = Env::new();
    common::copy_fixture("store-schema-6", &env.store);
    std::fs::write(env.store.join("conf"), b"").unwrap();
    let s = env.summary_json("2024");
    assert_eq!(s["items"].as_u64(), Some(173));
    assert_eq!(s["minutes"].as_u64(), Some(26_178));
}

#[test]
fn a_store_whose_log_is_lost_from_the_start_is_refused_never_begun_again() {
    // The snapshot gone and the log cleared: sled finds no records at all. audit-head.json
    // still counts the changes saved, so no new, empty ledger is begun over the old one (a
    // read would have said "nothing was logged" and zeroed what was left of the log).
    for how in ["emptied", "the start of each segment overwritten"] {
        let env = copy_of_ledger();
        for f in std::fs::read_dir(&env.store).unwrap() {
            let f = f.unwrap().path();
            if f.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("snap.")
            {
                std::fs::remove_file(f).unwrap();
            }
        }
        let db = env.store.join("db");
        let mut bytes = std::fs::read(&db).unwrap();
        if how == "emptied" {
            bytes.clear();
        } else {
            // The log begins in whichever segment sled wrote first and has not freed since:
            // the start of each is overwritten.
            let len = bytes.len();
            for segment in (0..len).step_by(SEGMENT) {
                bytes[segment..(segment + 64).min(len)].fill(0xa5);
            }
        }
        std::fs::write(&db, bytes).unwrap();
        let said = refused(&env.run_once(SUMMARY), how);
        // An emptied log holds no record at all; sled may stop on an overwritten start itself.
        if how == "emptied" {
            assert!(said.contains("newest changes are missing"), "{how}: {said}");
        }
        unchanged_by_refusals(&env, how);
    }
}
