//! Closing a month: the mark that refuses every change to the entries dated in it, the filed
//! set of those entries that later readings are compared with, and reopening.
//!
//! Everything lives in the `meta` tree: `closed/2024-03` is the mark (JSON), `filed/2024-03`
//! the filing's totals (JSON) and `filed/2024-03/<entry id, 8 bytes BE>` one filed entry each,
//! so that no value grows with the size of the month (see [`super::MAX_VALUE`]).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::tx::{Tx, TxError};
use super::{
    AuditAction, ClosingRefusal, Rejection, Result, Stamp, Store, Unreadable, codec, keys,
};
use crate::domain::model::{TextField, check_text};
use crate::domain::period::PeriodKind;
use crate::domain::{EntryId, ItemId, Period};

/// A calendar month, written `2024-03`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

impl Month {
    /// The month `date` falls in.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The month a period is, when it is exactly one month.
    pub fn of_period(period: &Period) -> Option<Month> {
        (period.kind == PeriodKind::Month).then(|| Month::of(period.from))
    }

    /// The month as a period, for reading its entries and naming it in words.
    pub fn period(self) -> Period {
        // A `Month` is only made from a real date or a checked code, so the fallback is never
        // reached; it names a day rather than panic.
        Period::month(self.year, self.month)
            .unwrap_or_else(|| Period::current_month(NaiveDate::MIN))
    }

    /// Reads `2024-03` as the store writes it.
    fn parse(code: &str) -> Option<Month> {
        let (year, month) = code.split_once('-')?;
        let month = Month {
            year: year.parse().ok()?,
            month: month.parse().ok()?,
        };
        Period::month(month.year, month.month).map(|_| month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, out: S) -> std::result::Result<S::Ok, S::Error> {
        out.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(input: D) -> std::result::Result<Month, D::Error> {
        let code = String::deserialize(input)?;
        Month::parse(&code).ok_or_else(|| serde::de::Error::custom("not a month YYYY-MM"))
    }
}

/// The month's figures when it was first closed: what the office reported. Reopening and
/// closing again keep them, so the report always shows what changed since they went out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    #[serde(with = "codec::time")]
    pub at: DateTime<FixedOffset>,
    pub who: String,
    pub entries: u64,
    pub items: u64,
    pub minutes: u64,
}

/// A closed month's mark: who closed it, when, why, and the figures filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedMonth {
    pub month: Month,
    #[serde(with = "codec::time")]
    pub at: DateTime<FixedOffset>,
    pub who: String,
    /// Empty when none was given.
    pub reason: String,
    pub filed: Filing,
}

/// One entry as the filing kept it: enough to name it once it is gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiledEntry {
    pub date: NaiveDate,
    pub advisor: String,
    pub minutes: u64,
}

/// How an entry differs from the filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// In the month now, not filed: logged late, or moved into the month.
    Added,
    /// Filed, and no longer in the ledger.
    Removed,
    /// Filed, and now with other minutes, another date (perhaps out of the month) or advisor.
    Changed,
}

impl ChangeKind {
    /// The code JSON writes.
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// An entry that differs from the month's filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub entry: EntryId,
    pub kind: ChangeKind,
    /// As filed; `None` for an added entry.
    pub before: Option<FiledEntry>,
    /// As the ledger holds it now; `None` for a removed entry.
    pub after: Option<FiledEntry>,
    /// The store it came from, when another one (a late entry arrives in a bundle).
    pub from: Option<String>,
    /// The reason of the correction that counts, when one changed it.
    pub reason: Option<String>,
}

impl Change {
    /// The entry as it is now, else as it was filed.
    pub fn shown(&self) -> Option<&FiledEntry> {
        self.after.as_ref().or(self.before.as_ref())
    }
}

fn closed_key(month: Month) -> String {
    format!("closed/{month}")
}

fn filing_key(month: Month) -> String {
    format!("filed/{month}")
}

fn filed_prefix(month: Month) -> Vec<u8> {
    format!("filed/{month}/").into_bytes()
}

fn filed_key(month: Month, id: EntryId) -> Vec<u8> {
    let mut key = filed_prefix(month);
    key.extend_from_slice(&keys::id_key(id.0));
    key
}

impl Store {
    /// Closes `month`: entries dated in it can then be neither added, changed nor deleted. The
    /// first closing files the month's entries and figures; closing again after a reopen keeps
    /// that filing. A month already closed, or not begun on `today`, is refused.
    pub fn close_month(
        &self,
        month: Month,
        reason: &str,
        today: NaiveDate,
        stamp: &Stamp,
    ) -> Result<ClosedMonth> {
        let reason = check_text(TextField::Reason, reason).map_err(Rejection::Field)?;
        // A month is filed once it is over: the days still to come would arrive as late entries.
        if month >= Month::of(today) {
            return Err(ClosingRefusal::NotBegun { month, today }.into());
        }
        if let Some(closed) = self.closed_month(month)? {
            let at = closed.at;
            return Err(ClosingRefusal::AlreadyClosed { month, at }.into());
        }
        let earlier = self.filing(month)?;
        let entries = match earlier {
            Some(_) => Vec::new(),
            None => self.entries(month.period())?,
        };
        let filed = earlier.clone().unwrap_or_else(|| Filing {
            at: stamp.at,
            who: stamp.who.clone(),
            entries: u64::try_from(entries.len()).unwrap_or(u64::MAX),
            items: u64::try_from(
                entries
                    .iter()
                    .map(|e| e.item)
                    .collect::<HashSet<ItemId>>()
                    .len(),
            )
            .unwrap_or(u64::MAX),
            minutes: entries.iter().map(|e| e.minutes.0).sum(),
        });
        let closed = ClosedMonth {
            month,
            at: stamp.at,
            who: stamp.who.clone(),
            reason,
            filed,
        };
        self.commit(|tx| {
            if tx.meta().get(closed_key(month))?.is_some() {
                let at = closed.at;
                return Err(TxError::Abort(
                    ClosingRefusal::AlreadyClosed { month, at }.into(),
                ));
            }
            if earlier.is_none() {
                tx.meta()
                    .insert(filing_key(month), codec::encode_json(&closed.filed))?;
                for e in &entries {
                    let filed = FiledEntry {
                        date: e.date,
                        advisor: e.advisor.clone(),
                        minutes: e.minutes.0,
                    };
                    tx.meta()
                        .insert(filed_key(month, e.id), codec::encode_json(&filed))?;
                }
            }
            tx.meta()
                .insert(closed_key(month), codec::encode_json(&closed))?;
            let after = json!({"month": month, "reason": closed.reason, "filed": closed.filed,
                "first_filing": earlier.is_none()});
            tx.audit(stamp, AuditAction::MonthClose, json!(null), after)
        })?;
        Ok(closed)
    }

    /// Reopens a closed month, for a `reason` the audit trail keeps. Its filing stays, so a
    /// later closing reports what changed since.
    pub fn reopen_month(&self, month: Month, reason: &str, stamp: &Stamp) -> Result<ClosedMonth> {
        let reason = check_text(TextField::Reason, reason).map_err(Rejection::Field)?;
        if reason.is_empty() {
            return Err(ClosingRefusal::NoReason(month).into());
        }
        let closed = self
            .closed_month(month)?
            .ok_or(ClosingRefusal::NotClosed(month))?;
        self.commit(|tx| {
            if tx.meta().get(closed_key(month))?.is_none() {
                return Err(TxError::Abort(ClosingRefusal::NotClosed(month).into()));
            }
            tx.meta().remove(closed_key(month))?;
            tx.audit(
                stamp,
                AuditAction::MonthReopen,
                json!({"closed": closed}),
                json!({"month": month, "reason": reason}),
            )
        })?;
        Ok(closed)
    }

    /// The mark of `month` when it is closed.
    pub fn closed_month(&self, month: Month) -> Result<Option<ClosedMonth>> {
        self.meta_json(closed_key(month).as_bytes())
    }

    /// Whether `month` is closed.
    pub fn is_closed(&self, month: Month) -> Result<bool> {
        Ok(self.closed_month(month)?.is_some())
    }

    /// Every closed month, oldest first.
    pub fn closed_months(&self) -> Result<Vec<ClosedMonth>> {
        let mut out = Vec::new();
        for kv in self.trees.meta.scan_prefix(b"closed/") {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::Closing))?);
        }
        Ok(out)
    }

    /// The month's filing, kept from its first closing (through any reopening).
    pub fn filing(&self, month: Month) -> Result<Option<Filing>> {
        self.meta_json(filing_key(month).as_bytes())
    }

    /// The entries that differ from the month's filing: added to it, removed from the ledger,
    /// or changed (minutes, date or advisor), ordered by entry number. Empty when the month was
    /// never filed.
    pub fn changes_since_filing(&self, month: Month) -> Result<Vec<Change>> {
        let mut filed: BTreeMap<EntryId, FiledEntry> = BTreeMap::new();
        let prefix = filed_prefix(month);
        for kv in self.trees.meta.scan_prefix(&prefix) {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let id = keys::parse_id(&k[prefix.len()..]).map(EntryId);
            let entry = codec::decode_json(&v);
            let (Some(id), Some(entry)) = (id, entry) else {
                return Err(self.unreadable(Unreadable::Closing));
            };
            filed.insert(id, entry);
        }
        if filed.is_empty() && self.filing(month)?.is_none() {
            return Ok(Vec::new());
        }
        let mut now: BTreeMap<EntryId, FiledEntry> = BTreeMap::new();
        for e in self.entries(month.period())? {
            let entry = FiledEntry {
                date: e.date,
                advisor: e.advisor,
                minutes: e.minutes.0,
            };
            now.insert(e.id, entry);
        }
        let mut changes = Vec::new();
        for (id, before) in &filed {
            let after = match now.get(id) {
                Some(after) => Some(after.clone()),
                // Moved out of the month, or gone.
                None => self.entry(*id)?.map(|e| FiledEntry {
                    date: e.date,
                    advisor: e.advisor,
                    minutes: e.minutes.0,
                }),
            };
            let kind = match &after {
                None => ChangeKind::Removed,
                Some(after) if after != before => ChangeKind::Changed,
                Some(_) => continue,
            };
            let before = Some(before.clone());
            changes.push(Change {
                entry: *id,
                kind,
                before,
                after,
                from: None,
                reason: None,
            });
        }
        for (id, after) in now {
            if !filed.contains_key(&id) {
                let (kind, after) = (ChangeKind::Added, Some(after));
                changes.push(Change {
                    entry: id,
                    kind,
                    before: None,
                    after,
                    from: None,
                    reason: None,
                });
            }
        }
        changes.sort_by_key(|c| c.entry);
        for change in &mut changes {
            self.explain(change)?;
        }
        Ok(changes)
    }

    /// Says where a changed entry came from and why it changed, when the store knows.
    fn explain(&self, change: &mut Change) -> Result<()> {
        let Some((gid, ident)) =
            self.ident_of(super::Kind::Entry, &keys::id_key(change.entry.0))?
        else {
            return Ok(());
        };
        if ident.origin != self.me {
            change.from = Some(self.store_name_of(ident.origin)?);
        }
        if change.kind != ChangeKind::Removed {
            change.reason = self.corrections_of(gid)?.pop().map(|c| c.reason);
        }
        Ok(())
    }

    /// Refuses a change to entries on these dates when one lies in a closed month (the
    /// earliest such month is named). The closed months are read once, whatever the count.
    pub fn refuse_closed(&self, dates: impl IntoIterator<Item = NaiveDate>) -> Result<()> {
        let closed: BTreeSet<Month> = self.closed_months()?.iter().map(|c| c.month).collect();
        if closed.is_empty() {
            return Ok(());
        }
        let hit = dates
            .into_iter()
            .map(Month::of)
            .filter(|m| closed.contains(m))
            .min();
        match hit {
            None => Ok(()),
            Some(month) => Err(Rejection::MonthClosed { month }.into()),
        }
    }

    fn meta_json<T: serde::de::DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>> {
        match self.trees.meta.get(key).map_err(|e| self.err(e))? {
            None => Ok(None),
            Some(v) => codec::decode_json(&v)
                .map(Some)
                .ok_or_else(|| self.unreadable(Unreadable::Closing)),
        }
    }
}

/// The same refusal inside a transaction, so nothing can close the month between the check
/// and the write.
/// Inside a transaction: true when the month of `date` is closed.
pub(super) fn closed_in(tx: &Tx, date: NaiveDate) -> std::result::Result<bool, TxError> {
    Ok(tx.meta().get(closed_key(Month::of(date)))?.is_some())
}

pub(super) fn refuse_closed_in(
    tx: &Tx,
    dates: impl IntoIterator<Item = NaiveDate>,
) -> std::result::Result<(), TxError> {
    for date in dates {
        let month = Month::of(date);
        if tx.meta().get(closed_key(month))?.is_some() {
            return Err(TxError::Abort(Rejection::MonthClosed { month }.into()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_is_written_and_read_as_yyyy_mm() {
        let march = Month::of(NaiveDate::from_ymd_opt(2024, 3, 15).unwrap());
        assert_eq!(march.to_string(), "2024-03");
        assert_eq!(serde_json::to_string(&march).unwrap(), "\"2024-03\"");
        assert_eq!(serde_json::from_str::<Month>("\"2024-03\"").unwrap(), march);
        assert!(serde_json::from_str::<Month>("\"2024-13\"").is_err());
        assert_eq!(march.period(), Period::parse("2024-03").unwrap());
        assert_eq!(Month::of_period(&Period::parse("2024").unwrap()), None);
    }
}
