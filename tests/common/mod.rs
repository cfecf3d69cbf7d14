//! Shared helpers for the end-to-end tests: a sandboxed environment that runs the real binary on
//! a fresh temporary store, and an independent hand count of the demo CSV files (our own hours
//! parser and catalog tables, taken from SPEC.md, never the crate's code).
//!
//! Each test binary uses a different subset of these helpers.
#![allow(
    dead_code,
    reason = "each test binary uses a different subset of these helpers"
)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

/// Text that must never reach a user's terminal.
pub const PANIC_TEXT: [&str; 2] = ["panicked", "RUST_BACKTRACE"];

/// A temporary directory holding the store, the configuration and any files a test writes.
pub struct Env {
    pub dir: TempDir,
    pub store: PathBuf,
}

impl Default for Env {
    fn default() -> Self {
        Self::new()
    }
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = dir.path().join("store");
        Env { dir, store }
    }

    /// A path inside the temporary directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file into the temporary directory and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).expect("write test file");
        p
    }

    /// The binary, sandboxed (config and data under the temp dir, no inherited locale or store),
    /// on the given store, in English.
    pub fn cmd_on(&self, db: &Path) -> Command {
        self.cmd_in_on(db, "en")
    }

    /// The binary on the given store, with `--lang LANG`, or without `--lang` when `lang` is
    /// empty (then the language comes from the configuration or `LANG`, which is `C.UTF-8`
    /// unless the test sets it).
    pub fn cmd_in_on(&self, db: &Path, lang: &str) -> Command {
        let mut c = Command::cargo_bin("counsel-log").expect("binary built");
        c.current_dir(self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path())
            .env("XDG_STATE_HOME", self.dir.path())
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("COUNSEL_LOG_DB")
            .env_remove("RUST_BACKTRACE")
            .arg("--db")
            .arg(db);
        if !lang.is_empty() {
            c.args(["--lang", lang]);
        }
        c
    }

    /// The binary on this environment's store, in the given language (see [`Env::cmd_in_on`]).
    pub fn cmd_in(&self, lang: &str) -> Command {
        self.cmd_in_on(&self.store, lang)
    }

    /// The binary on this environment's store.
    pub fn cmd(&self) -> Command {
        self.cmd_on(&self.store)
    }

    /// Runs a command on the store once and returns its output, whatever the exit status.
    pub fn run_once(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run counsel-log")
    }

    /// Runs a command on a store and returns its output, whatever the exit status.
    ///
    /// The tests run in parallel threads of one process, and a store the test process opened
    /// itself (to read the audit trail) can stay locked for a moment after it is closed: a child
    /// forked meanwhile by another test holds a copy of the lock until it execs. So a refusal
    /// because the store is "in use" is retried for a while (it changed nothing); a store that
    /// stays in use still fails the test. Tests of the in-use refusal itself use `run_once`.
    pub fn run_on(&self, db: &Path, args: &[&str]) -> Output {
        self.run_in_on(db, "en", args)
    }

    /// [`Env::run_on`] in the given language (see [`Env::cmd_in_on`]).
    pub fn run_in_on(&self, db: &Path, lang: &str, args: &[&str]) -> Output {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let out = self
                .cmd_in_on(db, lang)
                .args(args)
                .output()
                .expect("run counsel-log");
            let stderr = String::from_utf8_lossy(&out.stderr);
            let in_use = !out.status.success()
                && (stderr.contains("is in use by another counsel-log process")
                    || stderr.contains("正被另一个 counsel-log 进程使用"));
            if !in_use || Instant::now() > deadline {
                return out;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Runs a command on the store and returns its output, whatever the exit status.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_on(&self.store, args)
    }

    /// Runs a command on the store in the given language and returns its output.
    pub fn run_in(&self, lang: &str, args: &[&str]) -> Output {
        self.run_in_on(&self.store, lang, args)
    }

    /// Runs a command on the given store; it must succeed; returns its stdout.
    pub fn ok_on(&self, db: &Path, args: &[&str]) -> String {
        self.ok_in_on(db, "en", args)
    }

    /// Runs a command on the store in the given language; it must succeed; returns its stdout.
    pub fn ok_in(&self, lang: &str, args: &[&str]) -> String {
        self.ok_in_on(&self.store, lang, args)
    }

    fn ok_in_on(&self, db: &Path, lang: &str, args: &[&str]) -> String {
        let out = self.run_in_on(db, lang, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "counsel-log {args:?} failed ({:?}):\n{stderr}",
            out.status
        );
        for p in PANIC_TEXT {
            assert!(
                !stderr.contains(p),
                "panic text in stderr of {args:?}: {stderr}"
            );
        }
        String::from_utf8(out.stdout).expect("stdout is UTF-8")
    }

    /// Runs a command on the store; it must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_on(&self.store, args)
    }

    /// `export --format json -` of the store: everything in the ledger.
    /// The ledger as `export` writes it, without the audit head it was made from: two stores
    /// with the same records but different histories give the same text.
    pub fn export_json(&self) -> String {
        strip_head(&self.ok(&["export", "--format", "json", "-"]))
    }

    /// The summary of a period as JSON.
    pub fn summary_json(&self, period: &str) -> serde_json::Value {
        json(&self.ok(&["summary", "--period", period, "--format", "json"]))
    }

    /// The number of audit records, read with the library after the binary has exited.
    pub fn audit_len(&self) -> usize {
        audit_len(&self.store)
    }

    /// Imports the demo advisors and the demo 2024 entries.
    /// Makes the store, empty: what the first command that writes does (a command that only
    /// reads makes none).
    pub fn make_empty_store(&self) {
        let store = open_store(&self.store);
        release(store, &self.store);
    }

    pub fn import_demo(&self) {
        let a = demo("advisors.csv");
        let e = demo("entries-2024.csv");
        self.ok(&["import", "advisors", a.to_str().unwrap()]);
        self.ok(&["import", "entries", e.to_str().unwrap()]);
    }
}

/// Serializes the test process's own opening of stores: `Store::open` swaps the process-wide
/// panic hook while it runs, and concurrent swaps from parallel tests could leave it silenced.
static OPENING: Mutex<()> = Mutex::new(());

/// Opens the store at `path` from the test process; release it with [`release`].
pub fn open_store(path: &Path) -> counsel_log::store::Store {
    let _one_at_a_time = OPENING.lock().unwrap_or_else(|e| e.into_inner());
    // A child forked meanwhile by another test holds a copy of the lock until it execs, and
    // sled lets go of it from a background thread: "in use" is tried again for a while (a
    // store that stays in use still fails the test).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match counsel_log::store::Store::open(path) {
            Err(counsel_log::store::StoreError::InUse { .. }) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other.expect("open the store from the test"),
        }
    }
}

/// Drops a handle the test process holds and waits until the store's lock is really released
/// (sled lets go of its file lock shortly after the handle is dropped, from a background thread),
/// so the next run of the binary does not find the store in use.
pub fn release<T>(handle: T, path: &Path) {
    drop(handle);
    wait_unlocked(path);
}

/// Waits until no handle in this process holds the lock on the store at `path`.
pub fn wait_unlocked(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let Ok(file) = std::fs::File::open(path.join("db")) else {
            return;
        };
        match file.try_lock() {
            Ok(()) => return,
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(e) => panic!("cannot check the lock of {}: {e:?}", path.display()),
        }
        drop(file);
        assert!(
            Instant::now() < deadline,
            "the store at {} stayed locked after the test dropped it",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The number of audit records in the store at `path` (opened and closed by the test process).
pub fn audit_len(path: &Path) -> usize {
    let store = open_store(path);
    let n = store.audit_trail().expect("read the audit trail").len();
    release(store, path);
    n
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// A file of the demo ledger shipped in `assets/demo`.
pub fn demo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo")
        .join(name)
}

/// Reads CSV text (BOM tolerated) into header-keyed rows.
pub fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = r
        .headers()
        .expect("CSV header")
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("CSV record");
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(|f| f.trim().to_string()))
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The hand count: our own reading of the demo files.
// ---------------------------------------------------------------------------------------------

/// Minutes of an hours cell, in the forms SPEC §2 lists: `1.5`, `1.5h`, `1:30`, `90m`, `1h30m`.
/// Panics on anything else (the demo must only use documented forms).
pub fn minutes_of(hours: &str) -> u64 {
    let s = hours.trim().to_lowercase();
    let int = |p: &str| -> u64 {
        p.parse()
            .unwrap_or_else(|_| panic!("unexpected hours cell {hours:?}"))
    };
    if let Some((h, m)) = s.split_once(':') {
        return int(h) * 60 + int(m);
    }
    if let Some(rest) = s.strip_suffix('m') {
        return match rest.split_once('h') {
            Some((h, m)) => int(h) * 60 + int(m),
            None => int(rest),
        };
    }
    let decimal = s.strip_suffix('h').unwrap_or(&s);
    let (whole, frac) = decimal.split_once('.').unwrap_or((decimal, ""));
    let whole = if whole.is_empty() { 0 } else { int(whole) };
    let scale = 10u64.pow(u32::try_from(frac.len()).expect("a few decimals"));
    let frac_minutes = if frac.is_empty() { 0 } else { int(frac) * 60 };
    assert_eq!(
        frac_minutes % scale,
        0,
        "hours cell {hours:?} is not whole minutes"
    );
    whole * 60 + frac_minutes / scale
}

/// Hours as reports show them: minutes / 60, one decimal, rounded half up (SPEC §2).
pub fn hours_text(minutes: u64) -> String {
    // tenths = round_half_up(minutes / 6)
    let tenths = (2 * minutes + 6) / 12;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Topic codes and Chinese names, as SPEC §2 lists them.
pub const TOPICS: [(&str, &str); 14] = [
    ("info-disclosure", "信息公开"),
    ("enforcement", "行政执法程序"),
    ("construction", "建设工程"),
    ("work-safety", "安全生产"),
    ("contracts", "合同协议"),
    ("major-decisions", "重大行政决策"),
    ("planning", "规划与自然资源"),
    ("reconsideration", "行政复议"),
    ("litigation", "行政诉讼"),
    ("labor", "劳动人事"),
    ("market-regulation", "市场监管"),
    ("investment", "招商引资"),
    ("normative-docs", "规范性文件"),
    ("other", "其他"),
];

/// Service-type codes and Chinese names, as SPEC §2 lists them.
pub const SERVICES: [(&str, &str); 9] = [
    ("opinion", "法律意见"),
    ("contract-review", "合同审核"),
    ("legality-review", "合法性审核"),
    ("consultation", "法律咨询"),
    ("representation", "代理应诉"),
    ("meeting", "列席会议"),
    ("training", "法治培训"),
    ("drafting", "文书起草"),
    ("other", "其他"),
];

/// Category codes and Chinese names, as SPEC §2 lists them.
pub const CATEGORIES: [(&str, &str); 4] = [
    ("staff", "首席/专职政府法律顾问"),
    ("public-lawyer", "公职律师"),
    ("external", "外聘律师"),
    ("expert", "特约法律咨询专家"),
];

fn code_in(table: &[(&'static str, &'static str)], value: &str) -> &'static str {
    let v = value.trim();
    table
        .iter()
        .find(|(code, zh)| v.eq_ignore_ascii_case(code) || v == *zh)
        .map(|(code, _)| *code)
        .unwrap_or_else(|| panic!("{v:?} is not in the SPEC table"))
}

pub fn topic_code(value: &str) -> &'static str {
    code_in(&TOPICS, value)
}

pub fn service_code(value: &str) -> &'static str {
    code_in(&SERVICES, value)
}

pub fn category_code(value: &str) -> &'static str {
    code_in(&CATEGORIES, value)
}

/// A rating: `s`atisfied, `b`asic, `u`nsatisfied; `None` when blank.
pub fn rating(value: &str) -> Option<char> {
    match value.trim().to_lowercase().as_str() {
        "" => None,
        "满意" | "satisfied" => Some('s'),
        "基本满意" | "basic" => Some('b'),
        "不满意" | "unsatisfied" => Some('u'),
        other => panic!("unexpected satisfaction {other:?}"),
    }
}

#[derive(Debug, Clone)]
pub struct HandAdvisor {
    pub id: String,
    pub name: String,
    pub category: &'static str,
    pub unit: String,
}

#[derive(Debug, Clone)]
pub struct HandEntry {
    pub date: String,
    pub advisor: String,
    pub minutes: u64,
    /// The item key; a blank key in the file becomes a key of its own.
    pub item: String,
    pub title: String,
    pub topic: &'static str,
    pub service: &'static str,
    pub department: String,
    pub rating: Option<char>,
    pub note: String,
}

/// Items, minutes and ratings of one group (or of the total).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Count {
    pub items: BTreeSet<String>,
    pub minutes: u64,
}

/// The demo files, counted by hand.
pub struct Hand {
    pub advisors: Vec<HandAdvisor>,
    pub entries: Vec<HandEntry>,
}

impl Hand {
    pub fn demo() -> Hand {
        Hand::read(
            &std::fs::read_to_string(demo("advisors.csv")).unwrap(),
            &std::fs::read_to_string(demo("entries-2024.csv")).unwrap(),
        )
    }

    pub fn read(advisors_csv: &str, entries_csv: &str) -> Hand {
        let advisors = csv_rows(advisors_csv)
            .into_iter()
            .map(|r| HandAdvisor {
                id: r["id"].clone(),
                name: r["name"].clone(),
                category: category_code(&r["category"]),
                unit: r["unit"].clone(),
            })
            .collect();
        let entries = csv_rows(entries_csv)
            .into_iter()
            .enumerate()
            .map(|(i, r)| HandEntry {
                date: r["date"].clone(),
                advisor: r["advisor"].clone(),
                minutes: minutes_of(&r["hours"]),
                item: if r["item"].is_empty() {
                    format!("(blank key, row {i})")
                } else {
                    r["item"].clone()
                },
                title: r["title"].clone(),
                topic: topic_code(&r["topic"]),
                service: service_code(&r["service"]),
                department: r["department"].clone(),
                rating: rating(&r["satisfaction"]),
                note: r["note"].clone(),
            })
            .collect();
        Hand { advisors, entries }
    }

    /// Entries dated in `year`.
    pub fn in_year(&self, year: &str) -> impl Iterator<Item = &HandEntry> {
        let prefix = format!("{year}-");
        self.entries
            .iter()
            .filter(move |e| e.date.starts_with(&prefix))
    }

    pub fn category_of(&self, advisor: &str) -> &'static str {
        self.advisors
            .iter()
            .find(|a| a.id == advisor)
            .map(|a| a.category)
            .unwrap_or_else(|| panic!("advisor {advisor} not in the advisors file"))
    }

    /// The key of an entry under a grouping (`advisor`, `category`, … as `report --by` names them).
    pub fn key(&self, by: &str, e: &HandEntry) -> String {
        match by {
            "advisor" => e.advisor.clone(),
            "category" => self.category_of(&e.advisor).to_string(),
            "topic" => e.topic.to_string(),
            "service" => e.service.to_string(),
            "department" => e.department.clone(),
            "month" => e.date[..7].to_string(),
            other => panic!("unknown grouping {other}"),
        }
    }

    /// The total of a year.
    pub fn total(&self, year: &str) -> Count {
        let mut c = Count::default();
        for e in self.in_year(year) {
            c.items.insert(e.item.clone());
            c.minutes += e.minutes;
        }
        c
    }

    /// The counts of a year under a grouping, by key.
    pub fn by(&self, year: &str, by: &str) -> BTreeMap<String, Count> {
        let mut out: BTreeMap<String, Count> = BTreeMap::new();
        for e in self.in_year(year) {
            let c = out.entry(self.key(by, e)).or_default();
            c.items.insert(e.item.clone());
            c.minutes += e.minutes;
        }
        out
    }

    /// Each item's rating (the rows of one item agree, which the test checks too).
    pub fn ratings(&self, year: &str) -> BTreeMap<String, Option<char>> {
        let mut out: BTreeMap<String, Option<char>> = BTreeMap::new();
        for e in self.in_year(year) {
            let r = out.entry(e.item.clone()).or_insert(None);
            if let Some(new) = e.rating {
                assert!(
                    r.is_none() || *r == Some(new),
                    "item {} has two ratings in the file",
                    e.item
                );
                *r = Some(new);
            }
        }
        out
    }

    /// Advisors of a year with at least one entry.
    pub fn participants(&self, year: &str) -> BTreeSet<String> {
        self.in_year(year).map(|e| e.advisor.clone()).collect()
    }
}

/// A JSON document (report, summary, export) without its `audit_head`: the figures alone, to
/// compare stores that reached them by different histories.
pub fn strip_head(text: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(text).expect("a JSON document");
    let head = value
        .as_object_mut()
        .and_then(|o| o.remove("audit_head"))
        .expect("the document names the audit head it was made from");
    assert!(head["count"].is_u64() && head["hash"].as_str().is_some_and(|h| h.len() == 64));
    serde_json::to_string_pretty(&value).expect("JSON")
}

/// The arguments of a `log` by `advisor` of `hours` on a new contracts opinion item titled
/// `title` for 财政局, then `more` (`--date`, `--note`, `--item`, …): the entry most tests log.
pub fn new_item_log<'a>(
    advisor: &'a str,
    hours: &'a str,
    title: &'a str,
    more: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
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
        title,
    ];
    args.extend_from_slice(more);
    args
}

/// The arguments of a `log` by `advisor` of `hours` on the item `item` names (its key or
/// `#` number), then `more` (`--date`, `--note`, …).
pub fn item_log<'a>(
    advisor: &'a str,
    hours: &'a str,
    item: &'a str,
    more: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "log",
        "--advisor",
        advisor,
        "--hours",
        hours,
        "--item",
        item,
    ];
    args.extend_from_slice(more);
    args
}

/// Copies the fixture store `name` (see tests/fixtures/README.md) into `to`: the fixture is
/// never opened where it lies. Git keeps no empty folder, so sled's `blobs` folder is made here.
pub fn copy_fixture(name: &str, to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::create_dir_all(to.join("blobs")).expect("the store's blobs folder");
    for file in std::fs::read_dir(&from).expect("the fixture folder") {
        let file = file.expect("a fixture file");
        if file.file_type().expect("its type").is_file() {
            std::fs::copy(file.path(), to.join(file.file_name())).expect("copy the fixture");
        }
    }
    // Git keeps no file mode but the executable bit; the store refuses a key others can read.
    let key = to.join("identity.key");
    if key.exists() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
            .expect("the key's mode");
    }
}

/// A folder and everything in it, copied to `to` (a store's folder, as `cp -a` would copy it).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}
