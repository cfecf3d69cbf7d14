//! The ledger benchmark: generates a deterministic ledger of N entries (default 1,000,000,
//! `COUNSEL_LOG_BENCH_ENTRIES` to change) over ten years, imports it with the release binary,
//! and measures every figure of the README's Performance table: the import, the first start of
//! a day, opening to the first frame, scrolling, the reports and the summary as whole
//! processes, peak memory, the store's size on disk, and the comparison with bartib. Ends with
//! the table in Markdown.
//!
//! Run with `cargo bench --bench ledger`. `COUNSEL_LOG_BENCH_RUNS` (default 5) is how many runs
//! each median is of; `COUNSEL_LOG_BENCH_TIMEOUT` (seconds, default 1800) how long one command
//! may take, `COUNSEL_LOG_BENCH_MEMORY_CAP_MIB` (default 8192, 0 for none) the address space
//! it may reserve; `COUNSEL_LOG_BENCH_KEEP=1` keeps the scratch folder (stores, bartib file,
//! configurations) for a closer look.

mod bartib;
mod figures;
mod generate;
mod inside;
mod process;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use figures::{Figures, Summary};
use process::{Run, Runner, Screen};

/// The counsel-log binary cargo built for this benchmark (release, as the bench profile is).
const BIN: &str = env!("CARGO_BIN_EXE_counsel-log");

/// What every phase needs: the scratch folder, the configurations and how to run commands.
pub struct Bench {
    pub runner: Runner,
    pub work: PathBuf,
    /// `backup_daily = true`, backups into `backups`: a first start of the day.
    first: PathBuf,
    /// `backup_daily = false`: any later start, and every other command.
    later: PathBuf,
    backups: PathBuf,
}

pub fn month_code(year: i32, month: u32) -> String {
    format!("{year}-{month:02}")
}

impl Bench {
    fn new(work: PathBuf) -> Bench {
        let home = work.join("home");
        let backups = work.join("backups");
        std::fs::create_dir_all(&home).expect("a home folder");
        let dir = toml::Value::String(backups.display().to_string());
        let config =
            |daily: bool| format!("lang = \"zh\"\nbackup_daily = {daily}\nbackup_dir = {dir}\n");
        let first = work.join("first.toml");
        let later = work.join("later.toml");
        std::fs::write(&first, config(true)).expect("a configuration");
        std::fs::write(&later, config(false)).expect("a configuration");
        Bench {
            runner: Runner::new(&home),
            work,
            first,
            later,
            backups,
        }
    }

    /// `counsel-log --db STORE --config LATER ARGS…`.
    pub fn counsel_log(&self, store: &Path, args: &[&str]) -> Vec<OsString> {
        self.with_config(store, &self.later, args)
    }

    fn with_config(&self, store: &Path, config: &Path, args: &[&str]) -> Vec<OsString> {
        let mut cmd: Vec<OsString> = vec![BIN.into(), "--db".into(), store.into()];
        cmd.extend(["--config".into(), config.into()]);
        cmd.extend(args.iter().map(OsString::from));
        cmd
    }

    /// Builds a store of the ledger's `n` entries with the binary (the demo's advisors, then the
    /// entries CSV); the entries' import, measured.
    pub fn build(&self, store: &Path, n: u64) -> Option<Run> {
        let csv = self.work.join(format!("entries-{n}.csv"));
        let advisors = self.work.join("advisors.csv");
        generate::write_csv(&csv, n).expect("the entries CSV");
        std::fs::write(&advisors, counsel_log::demo::ADVISORS_CSV).expect("the advisors CSV");
        let path = |p: &Path| p.display().to_string();
        self.runner
            .run(&self.counsel_log(store, &["import", "advisors", &path(&advisors)]))?;
        let import = self
            .runner
            .run(&self.counsel_log(store, &["import", "entries", &path(&csv)]));
        if std::env::var_os("COUNSEL_LOG_BENCH_KEEP").is_none() {
            let _ = std::fs::remove_file(&csv);
        }
        import
    }

    /// A phase measured inside a fresh process of this benchmark: its `name value` lines.
    fn inside(&self, args: &[&str]) -> HashMap<String, u64> {
        let exe = std::env::current_exe().expect("the benchmark's own path");
        let out = Command::new(exe).args(args).output().expect("a phase");
        if !out.status.success() {
            eprintln!("  (failed: {})", args.join(" "));
        }
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                let (name, value) = l.split_once(' ')?;
                Some((name.to_string(), value.parse().ok()?))
            })
            .collect()
    }

    /// `times` runs of `run`, summed up; `None` when one failed.
    fn repeat(&self, times: usize, mut run: impl FnMut() -> Option<Run>) -> Option<Summary> {
        let runs: Option<Vec<Run>> = (0..times).map(|_| run()).collect();
        runs.map(|r| Summary::of(&r))
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Everything under `dir`, in bytes.
fn size_of(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() => size_of(&e.path()),
                _ => e.metadata().map_or(0, |m| m.len()),
            })
            .sum()
    })
}

/// The cores and the load average (1, 5, 15 minutes): figures taken on a busy machine say so.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    format!("{cores} cores, load average {}", load.join(" "))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (before, cmd) = match args.iter().position(|a| a == "--") {
        Some(at) => (&args[..at], &args[at + 1..]),
        None => (&args[..], &[][..]),
    };
    match before {
        [m] if m == "--measure" => process::measure(cmd),
        [t, spec @ ..] if t == "--terminal" => process::terminal(spec, cmd),
        [p, dir, month, ..] if p == "--interface" => {
            inside::interface(Path::new(dir), month);
            ExitCode::SUCCESS
        }
        [p, dir, month, year, ..] if p == "--tallies" => {
            inside::tallies(Path::new(dir), month, year);
            ExitCode::SUCCESS
        }
        _ => benchmark(),
    }
}

fn benchmark() -> ExitCode {
    let n = env_number("COUNSEL_LOG_BENCH_ENTRIES", 1_000_000);
    let runs = usize::try_from(env_number("COUNSEL_LOG_BENCH_RUNS", 5)).unwrap_or(5);
    let work = std::env::temp_dir().join(format!("counsel-log-bench-{}", std::process::id()));
    let bench = Bench::new(work.clone());
    let ((year, month), month_entries) = generate::busiest_month(n);
    let mut figures = Figures {
        n,
        month: month_code(year, month),
        month_entries,
        year: "2021".into(),
        ..Figures::default()
    };
    println!(
        "counsel-log ledger benchmark: {n} entries, {} items, 90 advisors, 2016-2025; the busiest \
         month {} ({month_entries} entries)",
        n.div_ceil(3),
        figures.month
    );
    println!("  machine: {}", machine());
    let store = work.join("store");
    let done = store_phases(&bench, &store, &mut figures, runs)
        && interface_phases(&bench, &store, &mut figures, runs);
    bartib_phase(&bench, &store, &mut figures, runs);
    if std::env::var_os("COUNSEL_LOG_BENCH_KEEP").is_some() {
        println!(
            "  the stores, the bartib file and the configurations are kept in {}",
            work.display()
        );
    } else {
        let _ = std::fs::remove_dir_all(&work);
    }
    println!("  machine at the end: {}", machine());
    println!("\n{}", figures.table());
    if done {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The import, the store's size, the in-process reads and the commands as whole processes.
fn store_phases(bench: &Bench, store: &Path, figures: &mut Figures, runs: usize) -> bool {
    figures.import = bench.build(store, figures.n).map(|r| Summary::of(&[r]));
    let Some(import) = &figures.import else {
        return false;
    };
    figures.say_import(import);
    // sled replays on opening what the last session wrote, so the first command after the
    // import is timed on its own.
    let month = figures.month.clone();
    let replay = bench.counsel_log(store, &["report", "--period", &month]);
    figures.replay = bench.runner.run(&replay).map(|r| Summary::of(&[r]));
    figures.bytes = size_of(store);
    figures.say_store();
    let dir = store.display().to_string();
    let year = figures.year.clone();
    figures.interface = bench.inside(&["--interface", &dir, &month]);
    figures.tallies = bench.inside(&["--tallies", &dir, &month, &year]);
    figures.say_inside();
    let commands: [(&str, Vec<&str>); 3] = [
        ("report --period all", vec!["report", "--period", "all"]),
        ("summary --period YEAR", vec!["summary", "--period", &year]),
        ("report --period MONTH", vec!["report", "--period", &month]),
    ];
    for (name, args) in commands {
        let cmd = bench.counsel_log(store, &args);
        let summary = bench.repeat(runs, || bench.runner.run(&cmd));
        figures.say_command(&args, summary.as_ref());
        figures.commands.insert(name, summary);
    }
    true
}

/// The interface as a whole process under a terminal: a later start on this month and (under
/// faketime, when it is installed) on the busiest month, then the first start of a day.
fn interface_phases(bench: &Bench, store: &Path, figures: &mut Figures, runs: usize) -> bool {
    if !process::has_script() {
        println!("  script(1) is not installed: the interface was not run as a whole process");
        return true;
    }
    let screen = |pages, backup_dir| Screen {
        rows: inside::ROWS,
        cols: inside::COLS,
        pages,
        backup_dir,
    };
    let overhead = ["printf", r"\033[?1049h\033[?25l"];
    figures.terminal = bench.repeat(runs, || {
        bench.runner.run_in_terminal(&screen(0, None), &overhead)
    });
    let later = bench.counsel_log(store, &[]);
    let pages = inside::PAGES;
    figures.later = bench.repeat(runs, || {
        bench.runner.run_in_terminal(&screen(pages, None), &later)
    });
    if has_faketime() {
        let last_day = inside::month_of(&figures.month).to;
        // The clock starts at noon of the month's last day and runs on; the monotonic clock
        // (the interface's waits) is left alone.
        let mut cmd: Vec<OsString> = vec![
            "faketime".into(),
            "-m".into(),
            "--exclude-monotonic".into(),
            format!("{last_day} 12:00:00").into(),
        ];
        cmd.extend(later.iter().cloned());
        figures.later_busiest = bench.repeat(runs, || {
            bench.runner.run_in_terminal(&screen(pages, None), &cmd)
        });
    }
    let first = bench.with_config(store, &bench.first, &[]);
    let first_runs =
        usize::try_from(env_number("COUNSEL_LOG_BENCH_FIRST_START_RUNS", 3)).unwrap_or(3);
    figures.first_start = bench.repeat(first_runs, || {
        // No backup of today yet: this start is the day's first.
        let _ = std::fs::remove_dir_all(&bench.backups);
        bench
            .runner
            .run_in_terminal(&screen(0, Some(bench.backups.clone())), &first)
    });
    figures.say_interface();
    figures.restore = restore_phase(bench);
    figures.say_restore();
    figures.first_start.is_some()
}

/// The backup the last first start wrote, restored into an empty store.
fn restore_phase(bench: &Bench) -> Option<Summary> {
    let backup = std::fs::read_dir(&bench.backups)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))?;
    let restored = bench.work.join("restored");
    let cmd = bench.counsel_log(&restored, &["restore", &backup.display().to_string()]);
    let run = bench.runner.run(&cmd).map(|r| Summary::of(&[r]));
    let _ = std::fs::remove_dir_all(&restored);
    run
}

fn has_faketime() -> bool {
    Command::new("faketime")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn bartib_phase(bench: &Bench, store: &Path, figures: &mut Figures, runs: usize) {
    if !bartib::installed() {
        println!("  bartib is not installed (`cargo install bartib`): no comparison");
        return;
    }
    let pairs = runs.max(10);
    println!(
        "  against bartib on {} entries, {pairs} alternating pairs:",
        bartib::ENTRIES
    );
    figures.bartib = bartib::compare(bench, figures.n, store, pairs);
    figures.say_bartib();
}
