//! The comparison with bartib, a plain-text time tracker (`cargo install bartib`), on the same
//! 100,000 entries: the ledger written as a bartib activity file, and each program's report
//! timed as a whole process in alternating pairs (counsel-log, bartib, counsel-log, …), so that
//! whatever else the machine does falls on both alike.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::generate;
use crate::process::{Run, median};
use crate::{Bench, month_code};

/// The entries compared on, whatever the size of the rest of the benchmark.
pub const ENTRIES: u64 = 100_000;

/// Both programs' medians on one report.
pub struct Pair {
    pub ours: Duration,
    pub theirs: Duration,
    pub ours_peak_kib: u64,
    pub theirs_peak_kib: u64,
}

impl Pair {
    /// How many times faster counsel-log is.
    pub fn ratio(&self) -> f64 {
        self.theirs.as_secs_f64() / self.ours.as_secs_f64().max(1e-9)
    }
}

pub struct Comparison {
    pub whole: Pair,
    pub month: Pair,
    /// The month compared (the busiest of the 100,000 entries).
    pub month_code: String,
}

/// True when `bartib` is on the PATH.
pub fn installed() -> bool {
    Command::new("bartib")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `ours` and `theirs` alternately, `pairs` times each.
fn alternating(
    bench: &Bench,
    ours: &[OsString],
    theirs: &[OsString],
    pairs: usize,
) -> Option<Pair> {
    let mut a: Vec<Run> = Vec::new();
    let mut b: Vec<Run> = Vec::new();
    for _ in 0..pairs {
        a.push(bench.runner.run(ours)?);
        b.push(bench.runner.run(theirs)?);
    }
    let peak = |runs: &[Run]| runs.iter().map(|r| r.peak_kib).max().unwrap_or(0);
    Some(Pair {
        ours: median(a.iter().map(|r| r.time).collect()),
        theirs: median(b.iter().map(|r| r.time).collect()),
        ours_peak_kib: peak(&a),
        theirs_peak_kib: peak(&b),
    })
}

/// `line` without its terminal escape sequences (`ESC [ … letter`).
fn plain(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(char::is_ascii_alphabetic);
        } else {
            out.push(c);
        }
    }
    out
}

/// bartib's total over the whole file, in minutes, and how many lines its report has.
fn bartib_total(file: &Path) -> Option<(u64, usize)> {
    let out = Command::new("bartib")
        .arg("-f")
        .arg(file)
        .arg("report")
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // The last line: `Total....... 106942h 40m`, in bold.
    let total = plain(text.lines().rev().find(|l| !l.trim().is_empty())?);
    let mut words = total.split_whitespace().rev();
    let minutes: u64 = words.next()?.strip_suffix('m')?.parse().ok()?;
    let hours: u64 = words.next()?.strip_suffix('h')?.parse().ok()?;
    Some((hours * 60 + minutes, text.lines().count()))
}

/// counsel-log's total over the whole history, in minutes (the CSV report's total row).
fn our_total(bench: &Bench, store: &Path) -> Option<u64> {
    let cmd = bench.counsel_log(store, &["report", "--period", "all", "--format", "csv"]);
    let text = bench.runner.output(&cmd)?;
    let total = text.lines().find(|l| l.starts_with("total,"))?;
    total.split(',').nth(3)?.parse().ok()
}

/// Compares on `store` when it holds the 100,000 entries, else on a store of them built here.
pub fn compare(bench: &Bench, n: u64, store: &Path, pairs: usize) -> Option<Comparison> {
    let own;
    let store = if n == ENTRIES {
        store
    } else {
        own = bench.work.join("store-100000");
        println!("  (building a store of the {ENTRIES} entries for the comparison)");
        bench.build(&own, ENTRIES)?;
        &own
    };
    let file = bench.work.join("ledger.bartib");
    generate::write_bartib(&file, ENTRIES).expect("the bartib file");
    // Both read the same entries: their totals over the whole history agree to the minute.
    let (theirs, lines) = bartib_total(&file)?;
    let ours = our_total(bench, store)?;
    let agree = if ours == theirs { "agree" } else { "DIFFER" };
    println!(
        "    whole-history totals {agree}: counsel-log {ours} minutes, bartib {theirs} ({lines} \
         lines of report)"
    );
    let ((year, month), _) = generate::busiest_month(ENTRIES);
    let code = month_code(year, month);
    let last = chrono::NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt())?;
    let bartib = |range: &[String]| -> Vec<OsString> {
        let mut cmd: Vec<OsString> = vec!["bartib".into(), "-f".into(), file.clone().into()];
        cmd.push("report".into());
        cmd.extend(range.iter().map(OsString::from));
        cmd
    };
    let whole = alternating(
        bench,
        &bench.counsel_log(store, &["report", "--period", "all"]),
        &bartib(&[]),
        pairs,
    )?;
    let month = alternating(
        bench,
        &bench.counsel_log(store, &["report", "--period", &code]),
        &bartib(&[
            "--from".into(),
            format!("{code}-01"),
            "--to".into(),
            last.to_string(),
        ]),
        pairs,
    )?;
    Some(Comparison {
        whole,
        month,
        month_code: code,
    })
}
