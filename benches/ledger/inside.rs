//! The phases measured inside one process, each started by the benchmark in a fresh process of
//! its own (so its peak memory is its own): the interface, driven through the library's `App`
//! and drawn on ratatui's `TestBackend` as `counsel-log` draws it on a terminal, and the
//! tallies. Each prints `name value` lines that the benchmark reads back.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, NaiveDate};
use counsel_log::domain::tally::{Labels, Tallier};
use counsel_log::domain::{CatalogKind, GroupBy, Lang, Period};
use counsel_log::report::summary_of;
use counsel_log::store::Store;
use counsel_log::tui::keymap;
use counsel_log::tui::{App, Settings};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use crate::process::median;

/// The terminal size the interface is drawn at, here and under `script`.
pub const ROWS: u16 = 30;
pub const COLS: u16 = 100;
/// Pages scrolled on the Log.
pub const PAGES: u16 = 20;

/// Peak resident memory of this process so far, KiB, from /proc (Linux).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn say(name: &str, value: Duration) {
    println!("{name} {}", value.as_micros());
}

/// The month `YYYY-MM` asked for.
pub fn month_of(code: &str) -> Period {
    let (year, month) = code.split_once('-').expect("a month YYYY-MM");
    Period::month(
        year.parse().expect("a year"),
        month.parse().expect("a month"),
    )
    .expect("a month")
}

/// Noon of the period's last day, in the office's time zone: the interface's `now`.
fn noon_of(day: NaiveDate) -> DateTime<FixedOffset> {
    let zone = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    day.and_hms_opt(12, 0, 0)
        .expect("noon")
        .and_local_timezone(zone)
        .single()
        .expect("one noon")
}

fn settings(today: NaiveDate) -> Settings {
    Settings {
        lang: Lang::Zh,
        today,
        me: None,
        who: "bench".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: Default::default(),
    }
}

/// `--interface STORE MONTH`: what `counsel-log` does before its first frame on a later start
/// (open the store, read the month, draw it), then Page Down on the Log, key to frame, [`PAGES`]
/// times; and the peak memory of all of it.
pub fn interface(dir: &Path, month: &str) {
    let month = month_of(month);
    let now = noon_of(month.to);
    let t = Instant::now();
    let store = Store::open(dir).expect("open the store");
    say("open", t.elapsed());
    let t = Instant::now();
    let mut app = App::new(&store, settings(month.to), month).expect("the interface");
    let mut terminal = Terminal::new(TestBackend::new(COLS, ROWS)).expect("a terminal");
    terminal
        .draw(|f| counsel_log::tui::view::draw(f, &app, now))
        .expect("the first frame");
    say("frame", t.elapsed());
    let page_down = Event::Key(KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE));
    let pages: Vec<Duration> = (0..PAGES)
        .map(|_| {
            let t = Instant::now();
            if let Some(action) = keymap::map(app.focus(), &page_down) {
                app.update(action, now);
            }
            terminal
                .draw(|f| counsel_log::tui::view::draw(f, &app, now))
                .expect("a frame");
            t.elapsed()
        })
        .collect();
    say("page_max", pages.iter().max().copied().unwrap_or_default());
    say("page", median(pages));
    println!("peak_kib {}", peak_kib());
}

/// Items counted by advisor over `period`, read entry by entry as the reports do.
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

/// The median of five timings of `f`.
fn median_of(mut f: impl FnMut()) -> Duration {
    median(
        (0..5)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

/// `--tallies STORE MONTH YEAR`: a month's and a year's tally and a year's summary, in process
/// on an open store (what a report does after opening).
pub fn tallies(dir: &Path, month: &str, year: &str) {
    let store = Store::open(dir).expect("open the store");
    let month = month_of(month);
    let year = Period::year(year.parse().expect("a year")).expect("a year");
    println!("month_items {}", tally(&store, month));
    println!("year_items {}", tally(&store, year));
    say(
        "month_tally",
        median_of(|| {
            std::hint::black_box(tally(&store, month));
        }),
    );
    say(
        "year_tally",
        median_of(|| {
            std::hint::black_box(tally(&store, year));
        }),
    );
    say(
        "year_summary",
        median_of(|| {
            std::hint::black_box(summary_of(&store, year, Lang::Zh).expect("summary"));
        }),
    );
}
