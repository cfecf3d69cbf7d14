//! What a bundle's records must be before anything is merged: about advisors its sender speaks
//! for, and with values the ledger itself would take from a person — known topics and services,
//! dates from 2000 to today, at most a day's minutes, text without control characters.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};
use ulid::Ulid;

use super::super::peers::Peer;
use super::super::shared::Changes;
use super::super::{Rejection, Result};
use super::{MergeRefusal, not_enrolled};
use crate::domain::Catalog;
use crate::domain::model::{TextField, check_text};

/// What the records are checked against: this store's day and clock and its catalogs.
pub(super) struct Bounds {
    pub today: NaiveDate,
    pub now: DateTime<FixedOffset>,
    pub topics: Catalog,
    pub services: Catalog,
}

impl Bounds {
    /// A day the ledger takes: from 2000 to today (a day later, for a sender whose clock runs
    /// ahead across midnight).
    fn day(&self, date: NaiveDate) -> bool {
        date.year() >= 2000 && date <= self.today + Duration::days(1)
    }
}

fn invalid(record: Ulid, what: impl Into<String>) -> Result<()> {
    Err(Rejection::Merge(MergeRefusal::Invalid {
        record,
        what: what.into(),
    })
    .into())
}

/// Text the ledger would take from a person: the same check as every form and file.
fn text_ok(field: TextField, value: &str) -> bool {
    check_text(field, value).is_ok()
}

/// Refuses, before anything is written, records the sender may not send or no store writes.
pub(super) fn check(changes: &Changes, sender: &Peer, bounds: &Bounds) -> Result<()> {
    once_each(changes)?;
    // Deletions are checked against what they would delete (a deletion of an entry that never
    // came here deletes nothing), so that a store can take back an entry it should not have sent.
    let outside = changes
        .entries
        .iter()
        .map(|e| (&e.record.advisor, Some(e.record.date)))
        .chain(
            changes
                .corrections
                .iter()
                .map(|c| (&c.record.advisor, c.record.date)),
        )
        .find(|(a, _)| !sender.advisors.contains(a));
    if let Some((advisor, date)) = outside {
        return Err(Rejection::Merge(not_enrolled(sender, advisor, date)).into());
    }
    entries(changes, bounds)?;
    corrections(changes, bounds)?;
    items(changes, bounds)
}

/// Each record once, at a revision a store could reach: a bundle is what changed, each record
/// in its latest revision.
fn once_each(changes: &Changes) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    let records = (changes.items.iter().map(|r| (r.id, r.rev)))
        .chain(changes.entries.iter().map(|r| (r.id, r.rev)))
        .chain(changes.deletions.iter().map(|r| (r.id, r.rev)))
        .chain(changes.corrections.iter().map(|r| (r.id, r.rev)));
    for (id, rev) in records {
        if !seen.insert(id) {
            return Err(Rejection::Merge(MergeRefusal::Twice { record: id }).into());
        }
        // Far beyond any store's changes, and short of what would stop the record for good.
        if rev == 0 || rev > 1 << 40 {
            return invalid(id, format!("revision {rev}"));
        }
    }
    Ok(())
}

fn minutes_ok(minutes: u64) -> bool {
    (1..=24 * 60).contains(&minutes)
}

fn entries(changes: &Changes, bounds: &Bounds) -> Result<()> {
    for e in &changes.entries {
        let r = &e.record;
        if !minutes_ok(r.minutes) {
            return invalid(e.id, format!("minutes {}", r.minutes));
        }
        if !bounds.day(r.date) {
            return invalid(e.id, format!("date {}", r.date));
        }
        if !text_ok(TextField::Note, &r.note) {
            return invalid(e.id, "note");
        }
    }
    Ok(())
}

fn corrections(changes: &Changes, bounds: &Bounds) -> Result<()> {
    for c in &changes.corrections {
        let r = &c.record;
        if !minutes_ok(r.minutes) {
            return invalid(c.id, format!("minutes {}", r.minutes));
        }
        if let Some(date) = r.date
            && !bounds.day(date)
        {
            return invalid(c.id, format!("date {date}"));
        }
        // A correction dated ahead of this store's clock would outrank every later one.
        if r.at > bounds.now + Duration::days(1) {
            return invalid(c.id, format!("time {}", r.at));
        }
        if r.reason.trim().is_empty() || !text_ok(TextField::Reason, &r.reason) {
            return invalid(c.id, "reason");
        }
        if !text_ok(TextField::Name, &r.who) {
            return invalid(c.id, "who");
        }
    }
    Ok(())
}

fn items(changes: &Changes, bounds: &Bounds) -> Result<()> {
    for i in &changes.items {
        let r = &i.record;
        if r.title.trim().is_empty() {
            return invalid(i.id, "title");
        }
        let reason = r.outcome.as_ref().map(|o| o.reason.as_str()).unwrap_or("");
        let key = r.key.as_deref().unwrap_or("");
        for (field, value, name) in [
            (TextField::Title, r.title.as_str(), "title"),
            (TextField::Department, r.department.as_str(), "department"),
            (TextField::Item, key, "key"),
            (TextField::Text, r.reference.as_str(), "reference"),
            (TextField::Reason, reason, "reason"),
        ] {
            if !text_ok(field, value) {
                return invalid(i.id, name);
            }
        }
        if key.starts_with('#') {
            return invalid(i.id, "key");
        }
        if !number_ok(&r.number) {
            return invalid(i.id, format!("number {}", r.number));
        }
        if bounds.topics.resolve(&r.topic).map(|e| &e.code) != Ok(&r.topic) {
            return Err(Rejection::Merge(MergeRefusal::UnknownCode {
                record: i.id,
                code: r.topic.clone(),
                service: false,
            })
            .into());
        }
        if bounds.services.resolve(&r.service).map(|e| &e.code) != Ok(&r.service) {
            return Err(Rejection::Merge(MergeRefusal::UnknownCode {
                record: i.id,
                code: r.service.clone(),
                service: true,
            })
            .into());
        }
    }
    Ok(())
}

/// An item number as the ledger makes them: a year from 2000, a dash, four or more digits.
fn number_ok(number: &str) -> bool {
    let number = number.trim_start_matches('#');
    let Some((year, n)) = number.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && year >= "2000"
        && n.len() >= 4
        && n.len() <= 9
        && n.bytes().all(|b| b.is_ascii_digit())
}
