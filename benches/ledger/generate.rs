//! The benchmark's ledger: `n` entries from 2016 to 2025 in date order, three entries per item,
//! 90 advisors, drawn from a fixed seed, so that every run (and every earlier run) measures the
//! same ledger. Written as counsel-log's entries CSV and as a bartib activity file.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufWriter, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

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
/// The hours column as written, and the minutes it means (for bartib's start and end times).
const HOURS: [(&str, i64); 5] = [
    ("0.5", 30),
    ("1", 60),
    ("1.5", 90),
    ("0:20", 20),
    ("2", 120),
];

/// One generated entry.
pub struct Row {
    pub date: NaiveDate,
    /// 1 to 90: advisor `A001` to `A090`.
    pub advisor: u64,
    /// An index into [`HOURS`].
    hours: u64,
    pub item: u64,
}

/// The element `k` of `list`, wrapping around.
fn pick<T: Copy>(list: &[T], k: u64) -> T {
    let len = u64::try_from(list.len()).unwrap_or(1);
    list[usize::try_from(k % len).unwrap_or(0)]
}

impl Row {
    fn hours(&self) -> &'static str {
        pick(&HOURS, self.hours).0
    }
    fn minutes(&self) -> i64 {
        pick(&HOURS, self.hours).1
    }
    pub fn topic(&self) -> &'static str {
        pick(&TOPICS, self.item)
    }
    fn service(&self) -> &'static str {
        pick(&SERVICES, self.item)
    }
}

/// One step of the xorshift generator.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// The ledger's `n` entries, in date order; the same draws in the same order as every earlier
/// version of this benchmark.
pub fn rows(n: u64) -> impl Iterator<Item = Row> {
    let start = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n).map(move |i| {
        let advisor = 1 + next(&mut seed) % 90;
        let hours = next(&mut seed) % 5;
        Row {
            date: start + chrono::Days::new(i * 3650 / n),
            advisor,
            hours,
            item: i / 3,
        }
    })
}

/// Writes the ledger as an entries CSV, as `counsel-log import entries` reads it.
pub fn write_csv(path: &Path, n: u64) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    out.write_all(b"date,advisor,hours,item,title,topic,service,department,satisfaction,note\n")?;
    for row in rows(n) {
        let item = row.item;
        writeln!(
            out,
            "{},A{:03},{},K{item},事项{item}的法律意见,{},{},部门{},满意,",
            row.date,
            row.advisor,
            row.hours(),
            row.topic(),
            row.service(),
            item % 13,
        )?;
    }
    out.flush()
}

/// Writes the same entries as a bartib activity file: `START - END | PROJECT | DESCRIPTION`,
/// the advisor as the project and the topic as the description (so that bartib's report, by
/// project and description, prints about as many lines as counsel-log's by advisor). Each
/// advisor's entries of a day follow one another from 08:00.
pub fn write_bartib(path: &Path, n: u64) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    let mut day = None;
    let mut used: HashMap<u64, i64> = HashMap::new();
    for row in rows(n) {
        if day != Some(row.date) {
            used.clear();
            day = Some(row.date);
        }
        let before = used.get(&row.advisor).copied().unwrap_or(0);
        used.insert(row.advisor, before + row.minutes());
        let midnight = row.date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let start = midnight + chrono::Duration::minutes(8 * 60 + before);
        let end = start + chrono::Duration::minutes(row.minutes());
        writeln!(
            out,
            "{} - {} | A{:03} | {}",
            start.format("%Y-%m-%d %H:%M"),
            end.format("%Y-%m-%d %H:%M"),
            row.advisor,
            row.topic(),
        )?;
    }
    out.flush()
}

/// The month with the most entries (the latest of equals, so that the months before it, which
/// the Team screen's trend reads, hold entries too), and how many it has.
pub fn busiest_month(n: u64) -> ((i32, u32), u64) {
    let mut months: BTreeMap<(i32, u32), u64> = BTreeMap::new();
    for row in rows(n) {
        *months
            .entry((row.date.year(), row.date.month()))
            .or_default() += 1;
    }
    months
        .into_iter()
        .fold(((2016, 1), 0), |best, (month, count)| {
            if count >= best.1 {
                (month, count)
            } else {
                best
            }
        })
}
