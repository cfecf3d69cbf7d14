//! The ledger benchmark and its data generator: builds a store of N entries (default 1,000,000,
//! `COUNSEL_LOG_BENCH_ENTRIES` to change) over ten years by importing a generated CSV, then
//! times opening the store, a month's and a year's tally and summary, and reports peak memory.
//!
//! Run with `cargo bench --bench ledger`.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use counsel_log::domain::intake::{decode, plan_advisors, plan_entries, read_entries};
use counsel_log::domain::tally::{Labels, Tallier};
use counsel_log::domain::{CatalogKind, GroupBy, Lang, Period};
use counsel_log::report::summary_of;
use counsel_log::store::{Stamp, Store};
use counsel_log::tui::{App, Settings};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const TOPICS: [&str; 7] = [
    "info-disclosure",
    "enforcement",
    "construction",
    "work-safety",
    "contracts",
    "labor",
    "other",
];
const SERVICES: [&str; 4] = [
    "opinion",
    "contract-review",
    "legality-review",
    "consultation",
];
const HOURS: [&str; 5] = ["0.5", "1", "1.5", "0:20", "2"];

/// A deterministic CSV of `n` entries from 2016 to 2025, three entries per item, 90 advisors.
fn generate(n: u64) -> String {
    let mut out =
        String::from("date,advisor,hours,item,title,topic,service,department,satisfaction,note\n");
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..n {
        let date = start + chrono::Days::new(i * 3650 / n);
        let item = i / 3;
        out += &format!(
            "{date},A{:03},{},K{item},事项{item}的法律意见,{},{},部门{},满意,\n",
            1 + next() % 90,
            HOURS[(next() % 5) as usize],
            TOPICS[(item % 7) as usize],
            SERVICES[(item % 4) as usize],
            item % 13,
        );
    }
    out
}

/// Peak resident memory of this process so far, from /proc (Linux).
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn tally(store: &Store, period: Period) -> u64 {
    let advisors = store.advisors().unwrap_or_default();
    let topics = store.catalog(CatalogKind::Topic).expect("topics");
    let services = store.catalog(CatalogKind::Service).expect("services");
    let labels = Labels {
        advisors: &advisors,
        topics: &topics,
        services: &services,
        lang: Lang::Zh,
    };
    let mut t = Tallier::new(period, &labels, &[GroupBy::Advisor]);
    store.for_each_fact(period, |f| t.add(f)).expect("scan");
    t.finish().remove(0).total.items
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--open") {
        return open_once(std::path::Path::new(&args[i + 1]));
    }
    if let Some(i) = args.iter().position(|a| a == "--query") {
        return query(std::path::Path::new(&args[i + 1]));
    }
    let n: u64 = std::env::var("COUNSEL_LOG_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("counsel-log-bench-{}", std::process::id()));
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let stamp = Stamp {
        at: chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00+08:00").unwrap_or_default(),
        who: "bench".into(),
    };

    let csv = generate(n);
    let import_time;
    {
        let store = Store::open(&dir).expect("open");
        let advisors =
            plan_advisors(counsel_log::demo::ADVISORS_CSV, &Default::default()).expect("advisors");
        store
            .apply_advisors(&advisors, "bench", &stamp)
            .expect("advisors");
        let t = Instant::now();
        let rows = read_entries(&decode(csv.as_bytes()).expect("decode")).expect("read");
        let view = store.view().expect("view");
        let plan = plan_entries(&rows, &view, today, true).expect("plan");
        store
            .apply_entries(
                &plan,
                counsel_log::store::AuditAction::ImportEntries,
                "bench",
                &stamp,
            )
            .expect("apply");
        import_time = t.elapsed();
    }
    drop(csv);
    let import_peak = peak_rss_mib().unwrap_or(0);
    println!(
        "counsel-log ledger benchmark: {n} entries, {} items, 2016-2025",
        n.div_ceil(3)
    );
    println!(
        "  import {n} CSV rows (decode, check, write) {:>8.1} s",
        import_time.as_secs_f64()
    );
    println!("  peak memory during import                 {import_peak:>6} MiB");
    // Reading runs in fresh processes, so their memory is their own, not the import's. sled
    // replays what the last session wrote when it opens a store, so the first open after the
    // import is timed on its own; the reads are timed on a later open, as every day's start is.
    let run = |phase: &str| {
        std::process::Command::new(std::env::current_exe().expect("bench path"))
            .arg(phase)
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success())
    };
    let status = run("--open") && run("--query");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(status, "the query phase failed");
}

/// Opens the store at `dir` once, right after the import, and times it.
fn open_once(dir: &std::path::Path) {
    let t = Instant::now();
    let store = Store::open(dir).expect("reopen");
    let open_time = t.elapsed();
    drop(store);
    println!(
        "  first open after the import (sled replays it) {:>7.1} ms",
        open_time.as_secs_f64() * 1000.0
    );
}

/// Opens the store at `dir` and times the reads a user waits for.
fn query(dir: &std::path::Path) {
    let t = Instant::now();
    let store = Store::open(dir).expect("reopen");
    let open_time = t.elapsed();
    // What `counsel-log` does before its first frame: read the month, draw it.
    let t = Instant::now();
    let settings = Settings {
        lang: Lang::Zh,
        today: NaiveDate::from_ymd_opt(2021, 3, 31).unwrap_or_default(),
        me: None,
        who: "bench".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: Default::default(),
    };
    let app =
        App::new(&store, settings, Period::month(2021, 3).expect("month")).expect("interface");
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).expect("terminal");
    let now = chrono::DateTime::parse_from_rfc3339("2021-03-31T12:00:00+08:00").expect("time");
    terminal
        .draw(|f| counsel_log::tui::view::draw(f, &app, now))
        .expect("draw");
    let first_frame = t.elapsed();
    drop(app);
    let month = Period::month(2021, 3).expect("month");
    let year = Period::year(2021).expect("year");
    let month_items = tally(&store, month);
    let year_items = tally(&store, year);
    let month_time = median(5, || {
        tally(&store, month);
    });
    let year_time = median(5, || {
        tally(&store, year);
    });
    let summary_time = median(5, || {
        summary_of(&store, year, Lang::Zh).expect("summary");
    });
    let size: u64 = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!(
        "  open the store (any later start)          {:>10}",
        ms(open_time)
    );
    println!(
        "  then the interface's first frame (a month) {:>9}",
        ms(first_frame)
    );
    println!(
        "  tally one month ({month_items} items)              {:>10}",
        ms(month_time)
    );
    println!(
        "  tally one year ({year_items} items)             {:>10}",
        ms(year_time)
    );
    println!(
        "  summary of one year                       {:>10}",
        ms(summary_time)
    );
    println!(
        "  store size on disk                        {:>7} MiB",
        size / 1024 / 1024
    );
    if let Some(peak) = peak_rss_mib() {
        println!("  peak memory of open + all reads above     {peak:>7} MiB");
    }
}
