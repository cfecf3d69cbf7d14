//! The demo ledger shipped in `assets/demo/`: 90 advisors and a year of entries, moved in time by
//! whole weeks so that the year ends this week and a newcomer sees a populated screen at once, on
//! any day of the year.

use chrono::NaiveDate;

use crate::domain::Lang;
use crate::domain::intake::{ImportError, decode, plan_advisors, plan_entries, read_entries};
use crate::store::{AuditAction, Stamp, Store, StoreError};

pub const ADVISORS_CSV: &str = include_str!("../assets/demo/advisors.csv");
pub const ENTRIES_CSV: &str = include_str!("../assets/demo/entries-2024.csv");

/// Why the demo could not be loaded: the temporary store failed, or the shipped files were
/// refused (they never are, unless `assets/demo/` was edited).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Import(#[from] ImportError),
}

impl DemoError {
    /// The problem in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            DemoError::Store(e) => e.message(lang),
            DemoError::Import(e) => e.message(lang),
        }
    }
}

/// Entries enough to fill the Log at 80×24 and show what the screens do.
const SCREENFUL: usize = 10;

/// The demo as loaded: how many entries, and the month the interface opens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    pub entries: usize,
    pub opens_on: crate::domain::Period,
}

/// Loads the demo into `store`, moved by whole weeks so that its last day (31 December 2024)
/// falls in the week that ends `today`: every entry is kept, each on the same weekday as in the
/// file, and the year of entries ends today whatever the day. The interface opens on this
/// month, or on the last one while this one has only a few days in it.
pub fn load(store: &Store, today: NaiveDate, stamp: &Stamp) -> Result<Loaded, DemoError> {
    let advisors = plan_advisors(ADVISORS_CSV, &store.advisors()?)?;
    store.apply_advisors(&advisors, "demo", stamp)?;
    let text = decode(ENTRIES_CSV.as_bytes())?;
    let last = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or(today);
    let weeks = (today - last).num_days().div_euclid(7);
    let shift = |d: NaiveDate| {
        let moved = d.checked_add_signed(chrono::TimeDelta::weeks(weeks))?;
        (moved <= today).then_some(moved)
    };
    let rows: Vec<_> = read_entries(&text)?
        .into_iter()
        .filter_map(|(line, mut input)| {
            let date = shift(input.date.parse().ok()?)?;
            input.date = date.to_string();
            Some((line, input))
        })
        .collect();
    let count = |month: crate::domain::Period| {
        rows.iter()
            .filter(|(_, r)| r.date.parse().is_ok_and(|d| month.contains(d)))
            .count()
    };
    // Early in a month (or in a quiet one), this one holds too little to show what the screens
    // do: the interface opens on the latest month with a screenful.
    let this_month = crate::domain::Period::current_month(today);
    let opens_on = std::iter::successors(Some(this_month), |m| {
        Some(crate::domain::Period::current_month(
            m.from - chrono::Duration::days(1),
        ))
    })
    .take(12)
    .find(|m| count(*m) >= SCREENFUL)
    .unwrap_or(this_month);
    let view = store.view()?;
    let plan = plan_entries(rows, &view, today, true)?;
    let entries = plan.entry_count();
    store.apply_entries(plan, AuditAction::ImportEntries, "demo", stamp)?;
    Ok(Loaded { entries, opens_on })
}

/// Removes demo stores left behind by demo runs that did not end normally (a closed terminal
/// window, a kill): directories `counsel-log-demo-PID` in `tmp` whose process is gone. Only
/// where the system says which processes exist (`/proc`); elsewhere nothing is removed.
pub fn sweep(tmp: &std::path::Path) {
    let proc = std::path::Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("counsel-log-demo-"))
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if !proc.join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Stamp;
    /// The demo loaded as of `today`, and the entries of the month it opens on.
    fn demo_on(today: &str) -> (Loaded, usize, NaiveDate) {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(&tmp.path().join("demo")).unwrap();
        let today: NaiveDate = today.parse().unwrap();
        let at = chrono::DateTime::parse_from_rfc3339("2026-01-01T09:00:00+08:00").unwrap();
        let loaded = load(&store, today, &Stamp::new(at, "demo")).unwrap();
        let shown = store.entries(loaded.opens_on).unwrap().len();
        let last = store
            .all_entries()
            .unwrap()
            .iter()
            .map(|e| e.date)
            .max()
            .unwrap();
        (loaded, shown, last)
    }

    #[test]
    fn the_demo_opens_on_a_populated_month_on_any_day() {
        let month = |p: &str| crate::domain::Period::parse(p).unwrap();
        for (today, months) in [
            ("2026-12-01", ["2026-10", "2026-11"]),
            ("2026-12-28", ["2026-11", "2026-12"]),
            ("2027-01-02", ["2026-11", "2026-12"]),
            ("2026-07-15", ["2026-06", "2026-07"]),
        ] {
            let (loaded, shown, last) = demo_on(today);
            assert!(
                months.iter().any(|m| month(m) == loaded.opens_on),
                "{today}: {:?}",
                loaded.opens_on
            );
            assert!(shown >= SCREENFUL, "{today}: {shown} entries shown");
            assert!(
                last <= today.parse().unwrap(),
                "{today}: nothing after today"
            );
            assert_eq!(
                loaded.entries, 281,
                "{today}: every entry of the year is kept"
            );
            let today: NaiveDate = today.parse().unwrap();
            assert!(
                today - last < chrono::TimeDelta::days(7),
                "{today}: the year ends this week"
            );
            assert_eq!(
                chrono::Datelike::weekday(&last),
                chrono::Datelike::weekday(&NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()),
                "{today}: weekdays kept"
            );
        }
    }

    #[test]
    fn sweeping_removes_only_the_demo_stores_of_ended_processes() {
        let tmp = tempfile::tempdir().unwrap();
        let ours = tmp
            .path()
            .join(format!("counsel-log-demo-{}", std::process::id()));
        let ended = tmp.path().join("counsel-log-demo-4294967295");
        let other = tmp.path().join("counsel-log-demo-notes");
        for dir in [&ours, &ended, &other] {
            std::fs::create_dir(dir).unwrap();
        }
        super::sweep(tmp.path());
        assert!(ours.exists() && other.exists());
        assert_eq!(ended.exists(), !std::path::Path::new("/proc/self").exists());
    }
}
