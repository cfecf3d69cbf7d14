//! The demo ledger shipped in `assets/demo/`: 90 advisors and a year of entries, moved in time so
//! that the year ends in the current month and a newcomer sees a populated screen at once.

use chrono::{Datelike, Months, NaiveDate};

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

/// Loads the demo into `store`, moved by whole years into `today`'s year, so the current month
/// is populated; entries that would fall after `today` are left out. Returns how many were loaded.
pub fn load(store: &Store, today: NaiveDate, stamp: &Stamp) -> Result<usize, DemoError> {
    let advisors = plan_advisors(ADVISORS_CSV, &store.advisors()?)?;
    store.apply_advisors(&advisors, "demo", stamp)?;
    let text = decode(ENTRIES_CSV.as_bytes())?;
    let years = today.year() - 2024;
    let shift = |d: NaiveDate| {
        let months = Months::new(12 * years.unsigned_abs());
        if years >= 0 { d + months } else { d - months }
    };
    let rows: Vec<_> = read_entries(&text)?
        .into_iter()
        .filter_map(|(line, mut input)| {
            let date = shift(input.date.parse().ok()?);
            (date <= today).then(|| {
                input.date = date.to_string();
                (line, input)
            })
        })
        .collect();
    let view = store.view()?;
    let plan = plan_entries(&rows, &view, today, true)?;
    store.apply_entries(&plan, AuditAction::ImportEntries, "demo", stamp)?;
    Ok(plan.entry_count())
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
