//! Corrections: the hours (and perhaps the date) the figures use for an entry instead of its
//! own, with the reason. The entry stays as its origin wrote it; any store may correct any
//! entry it holds, and the correction travels as a record of its own.
//!
//! The `corrections` tree holds, per corrected entry (by global id), the entry as its origin
//! wrote it (under a suffix of zeros) and each correction (under the correction's id). The
//! entries tree holds the entry as the figures count it: its own values with the newest
//! correction's applied.

use serde_json::json;

use super::ident::{self, Ident, Kind};
use super::shared::Correction;
use super::tx::{Tx, TxError};
use super::write::{fingerprint, remove_entry, write_entry};
use super::{AuditAction, Missing, Rejection, Result, Stamp, Store, Unreadable, codec, keys};
use crate::domain::model::{TextField, check_text};
use crate::domain::{Entry, EntryId, Minutes};

/// The suffix under which a corrected entry's own values are kept.
const ORIGINAL: [u8; 16] = [0; 16];

fn key(entry: u128, suffix: &[u8; 16]) -> Vec<u8> {
    let mut k = entry.to_be_bytes().to_vec();
    k.extend_from_slice(suffix);
    k
}

/// What `correct` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRequest {
    pub minutes: Minutes,
    pub date: Option<chrono::NaiveDate>,
    pub reason: String,
}

impl Store {
    /// Records a correction of entry `id`; the figures count it from now on. Returns the entry
    /// as it was counted before and as it is counted now.
    pub fn correct(
        &self,
        id: EntryId,
        request: &CorrectionRequest,
        stamp: &Stamp,
    ) -> Result<(Entry, Entry)> {
        check_text(TextField::Reason, &request.reason).map_err(Rejection::Field)?;
        if request.reason.trim().is_empty() {
            return Err(Rejection::ReasonNeeded.into());
        }
        let before = self.entry(id)?.ok_or(Rejection::EntryGone(id))?;
        self.refuse_over_day(&before, request)?;
        let (entry_gid, _) = self
            .ident_of(Kind::Entry, &keys::id_key(id.0))?
            .ok_or_else(|| self.unreadable(Unreadable::Identity))?;
        let original = self.original_entry(id)?;
        let correction = Correction {
            entry: ulid::Ulid(entry_gid),
            advisor: original.advisor.clone(),
            minutes: request.minutes.0,
            date: request.date,
            reason: request.reason.trim().to_string(),
            at: stamp.at,
            who: stamp.who.clone(),
        };
        let earlier = self.corrections_by_id(entry_gid)?;
        let item = self
            .item(before.item)?
            .ok_or_else(|| self.missing(Missing::ItemOfEntry))?;
        let after = self.commit(|tx| {
            let seq = tx.pending_seq()?;
            let mut seed = b"correction".to_vec();
            seed.extend_from_slice(&entry_gid.to_be_bytes());
            seed.extend_from_slice(&seq.to_be_bytes());
            let gid = ident::derive_gid(tx.me(), tx.salt(), &seed);
            // The newest correction counts, in the one order every store agrees on.
            let mut all = earlier.clone();
            all.push((gid, correction.clone()));
            let after = newest(&original, &all).unwrap_or_else(|| original.clone());
            let row = key(entry_gid, &gid.to_be_bytes());
            tx.corrections()
                .insert(row.as_slice(), codec::encode_json(&correction))?;
            tx.corrections().insert(
                key(entry_gid, &ORIGINAL).as_slice(),
                codec::encode_json(&original),
            )?;
            tx.put_ident(
                gid,
                &Ident {
                    kind: Kind::Correction,
                    local: ident::local_key(Kind::Correction, &row),
                    origin: tx.me(),
                    rev: 1,
                    seq,
                    gone: None,
                    via: 0,
                },
            )?;
            tx.untracked(|| {
                remove_entry(tx, &before, &item)?;
                write_entry(tx, &after, &item, &fingerprint(&after, &item))
            })?;
            tx.audit(
                stamp,
                AuditAction::Correct,
                json!({"entry": before}),
                json!({"entry": after, "correction": correction}),
            )?;
            Ok(after)
        })?;
        Ok((before, after))
    }

    /// The entry as its origin wrote it: itself, unless a correction changed what is counted.
    pub fn original_entry(&self, id: EntryId) -> Result<Entry> {
        let entry = self.entry(id)?.ok_or(Rejection::EntryGone(id))?;
        let Some((gid, _)) = self.ident_of(Kind::Entry, &keys::id_key(id.0))? else {
            return Ok(entry);
        };
        match self
            .trees
            .corrections
            .get(key(gid, &ORIGINAL))
            .map_err(|e| self.err(e))?
        {
            Some(v) => {
                codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::Correction))
            }
            None => Ok(entry),
        }
    }

    /// Every correction of the entry with global id `entry`, oldest first.
    /// A correction may not give the advisor more than a day's 24 hours on the day it counts
    /// on, as `log` may not: the entry's own counted minutes make way for the corrected ones.
    fn refuse_over_day(&self, before: &Entry, request: &CorrectionRequest) -> Result<()> {
        let date = request.date.unwrap_or(before.date);
        let total = self.logged_on(&before.advisor, date, Some(before))? + request.minutes;
        if total > crate::domain::duration::DAY {
            return Err(Rejection::DayOver {
                advisor: before.advisor.clone(),
                date,
                total,
            }
            .into());
        }
        Ok(())
    }

    pub fn corrections_of(&self, entry: u128) -> Result<Vec<Correction>> {
        Ok(self
            .corrections_by_id(entry)?
            .into_iter()
            .map(|(_, c)| c)
            .collect())
    }

    /// Every correction of the entry with global id `entry`, with its id, oldest first: by
    /// time, then id (the order in which the newest counts, the same at every store).
    pub(super) fn corrections_by_id(&self, entry: u128) -> Result<Vec<(u128, Correction)>> {
        let mut out = Vec::new();
        for kv in self.trees.corrections.scan_prefix(entry.to_be_bytes()) {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let Some(id) = k.get(16..).and_then(ident::gid_from) else {
                continue;
            };
            if id == 0 {
                continue;
            }
            let c = codec::decode_json::<Correction>(&v)
                .ok_or_else(|| self.unreadable(Unreadable::Correction))?;
            out.push((id, c));
        }
        out.sort_by_key(|(id, c)| (c.at, *id));
        Ok(out)
    }

    /// The correction kept under `local` (an identity's local key).
    pub(super) fn correction_at(&self, local: &[u8]) -> Result<Option<Correction>> {
        let Some(row) = local.get(1..) else {
            return Ok(None);
        };
        match self.trees.corrections.get(row).map_err(|e| self.err(e))? {
            Some(v) => codec::decode_json(&v)
                .map(Some)
                .ok_or_else(|| self.unreadable(Unreadable::Correction)),
            None => Ok(None),
        }
    }

    /// True when some correction changes what entry `id` counts.
    pub fn is_corrected(&self, id: EntryId) -> Result<bool> {
        let Some((gid, _)) = self.ident_of(Kind::Entry, &keys::id_key(id.0))? else {
            return Ok(false);
        };
        self.trees
            .corrections
            .get(key(gid, &ORIGINAL))
            .map(|v| v.is_some())
            .map_err(|e| self.err(e))
    }
}

/// The entry as counted under the newest of `all` that is of its advisor, if any is.
pub(super) fn newest(original: &Entry, all: &[(u128, Correction)]) -> Option<Entry> {
    all.iter()
        .filter(|(_, c)| c.advisor == original.advisor)
        .max_by_key(|(id, c)| (c.at, *id))
        .map(|(_, c)| corrected(original, c))
}

/// The entry as counted: its own values, with the correction's hours and date.
pub(super) fn corrected(original: &Entry, correction: &Correction) -> Entry {
    Entry {
        minutes: Minutes(correction.minutes),
        date: correction.date.unwrap_or(original.date),
        ..original.clone()
    }
}

/// Inside a merge: keeps `correction` (of the entry with global id `entry_gid`).
pub(super) fn keep_correction(
    tx: &Tx,
    entry_gid: u128,
    gid: u128,
    correction: &Correction,
) -> std::result::Result<(), TxError> {
    tx.corrections().insert(
        key(entry_gid, &gid.to_be_bytes()).as_slice(),
        codec::encode_json(correction),
    )
}

/// The row under which a corrected entry's own values are kept.
pub(super) fn original_row(entry_gid: u128) -> Vec<u8> {
    key(entry_gid, &ORIGINAL)
}

/// Inside a merge: the row keys a correction of `entry_gid` with id `gid` lives under.
pub(super) fn correction_row(entry_gid: u128, gid: u128) -> Vec<u8> {
    key(entry_gid, &gid.to_be_bytes())
}

/// Inside a merge: records the entry's own values, when it has corrections.
pub(super) fn keep_original(
    tx: &Tx,
    entry_gid: u128,
    original: &Entry,
) -> std::result::Result<(), TxError> {
    tx.corrections().insert(
        key(entry_gid, &ORIGINAL).as_slice(),
        codec::encode_json(original),
    )
}
