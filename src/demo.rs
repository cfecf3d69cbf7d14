//! The demo ledger shipped in `assets/demo/`: 90 advisors and a year of entries, moved in time so
//! that the year ends in the current month and a newcomer sees a populated screen at once.

use chrono::{Datelike, Months, NaiveDate};

use crate::domain::import::{decode, plan_advisors, plan_entries, read_entries};
use crate::store::{Stamp, Store};

pub const ADVISORS_CSV: &str = include_str!("../assets/demo/advisors.csv");
pub const ENTRIES_CSV: &str = include_str!("../assets/demo/entries-2024.csv");

/// Loads the demo into `store`, moved by whole years into `today`'s year, so the current month
/// is populated; entries that would fall after `today` are left out. Returns how many were loaded.
pub fn load(store: &Store, today: NaiveDate, stamp: &Stamp) -> Result<usize, String> {
    let advisors = plan_advisors(ADVISORS_CSV, &store.advisors().map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    store
        .apply_advisors(&advisors, "demo", stamp)
        .map_err(|e| e.to_string())?;
    let text = decode(ENTRIES_CSV.as_bytes()).map_err(|e| e.to_string())?;
    let years = today.year() - 2024;
    let shift = |d: NaiveDate| {
        let months = Months::new(12 * years.unsigned_abs());
        if years >= 0 { d + months } else { d - months }
    };
    let rows: Vec<_> = read_entries(&text)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter_map(|(line, mut input)| {
            let date = shift(input.date.parse().ok()?);
            (date <= today).then(|| {
                input.date = date.to_string();
                (line, input)
            })
        })
        .collect();
    let view = store.view().map_err(|e| e.to_string())?;
    let plan = plan_entries(&rows, &view, today, true).map_err(|e| e.to_string())?;
    store
        .apply_entries(&plan, "import.entries", "demo", stamp)
        .map_err(|e| e.to_string())?;
    Ok(plan.entry_count())
}
