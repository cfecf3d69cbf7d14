//! Merging a peer's changes, all or nothing, in one transaction.
//!
//! A record is changed only by the store that created it, so merging never conflicts: the
//! highest revision of each record wins and an older or equal one changes nothing (re-sent,
//! re-ordered and duplicated bundles are harmless). Items with the same key are one matter:
//! another store's copy joins the item that arrived first, and a copy that disagrees is
//! reported, never dropped in silence or mixed in.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::json;
use ulid::Ulid;

use super::peers::{Peer, Receipt, note_receipt};
use super::shared::{Changes, Correction, SharedItem};
use super::tx::TxError;
use super::{AuditAction, Rejection, Result, Stamp, Store, StoreError, codec, keys};
use crate::domain::{EntryId, ItemId};

/// What a merge did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    pub items_new: u64,
    /// Items that joined one already here with the same key.
    pub items_joined: u64,
    pub items_updated: u64,
    pub entries_new: u64,
    pub entries_updated: u64,
    pub entries_deleted: u64,
    pub corrections: u64,
    /// Records whose revision here was as new or newer: nothing to do.
    pub unchanged: u64,
    /// Items whose copy from this bundle disagrees with the item of the same key here.
    pub disagreements: Vec<Disagreement>,
    /// Closed months that entries of this bundle are dated in (arriving late), each once.
    pub late_months: Vec<super::Month>,
    /// Entries whose new values from their origin are counted as a correction here says.
    pub corrected_here: Vec<EntryId>,
    /// The sender's changes after its last bundle here and before this one starts, which
    /// have not arrived: (where the last bundle reached, where this one starts).
    pub gap: Option<(u64, u64)>,
    /// Entries of the sender's own that came at a revision already here with other contents:
    /// two stores are sending under one identity (a copied folder, or a backup restored while
    /// the old store was still in use). What is here is kept.
    pub forked: Vec<EntryId>,
}

impl MergeReport {
    /// Adds what another part of the same bundle did.
    fn add(&mut self, other: MergeReport) {
        self.items_new += other.items_new;
        self.items_joined += other.items_joined;
        self.items_updated += other.items_updated;
        self.entries_new += other.entries_new;
        self.entries_updated += other.entries_updated;
        self.entries_deleted += other.entries_deleted;
        self.corrections += other.corrections;
        self.unchanged += other.unchanged;
        self.disagreements.extend(other.disagreements);
        self.forked.extend(other.forked);
        for month in other.late_months {
            if !self.late_months.contains(&month) {
                self.late_months.push(month);
            }
        }
        self.corrected_here.extend(other.corrected_here);
    }
}

/// An item of the bundle that joined an item here with the same key but different fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub key: String,
    /// The number of the item here, which keeps its own fields.
    pub number: String,
    /// The fields that differ, by name.
    pub fields: Vec<&'static str>,
    pub ours: SharedItem,
    pub theirs: SharedItem,
}

/// Why a bundle's records cannot be merged; nothing was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeRefusal {
    /// A record about an advisor its sender is not enrolled for.
    NotEnrolledFor {
        advisor: String,
        sender: String,
        /// The advisors the sender does speak for.
        speaks_for: Vec<String>,
        /// The day of the entry (or of the corrected entry) at issue, when known.
        date: Option<chrono::NaiveDate>,
    },
    /// An entry whose item the bundle does not carry and this store does not have.
    ItemMissing { entry: Ulid },
    /// A record whose values no counsel-log writes (its field and value).
    Invalid { record: Ulid, what: String },
    /// A change of a record that came here from another store, by a store that is neither
    /// its origin nor the one it came through.
    NotTheirs { record: Ulid, sender: String },
    /// A record that appears twice in one bundle.
    Twice { record: Ulid },
    /// An item whose topic (or service type) code this store's catalog does not have.
    UnknownCode {
        record: Ulid,
        code: String,
        service: bool,
    },
}

mod check;
mod parts;
mod records;

use records::merge_in;

/// Who sent the changes and when.
pub struct Arrival<'a> {
    pub sender: &'a Peer,
    pub created: DateTime<FixedOffset>,
    /// The sender's audit head when it wrote the bundle.
    pub head: u64,
    /// The sender's audit number this bundle starts after.
    pub since: u64,
    /// How many items, entries, deletions and corrections the whole bundle holds.
    pub counts: (u64, u64, u64, u64),
    /// Records merged per transaction (see [`PART`]).
    pub part: usize,
    pub dry_run: bool,
}

/// Records merged per transaction: enough that a month's bundle is one, few enough that a
/// transaction's write set stays small.
pub const PART: usize = 2_000;

/// What the merge needs to know that a transaction cannot scan for.
#[derive(Default)]
struct Prepared {
    /// Entry keys of the local items the bundle updates, whose copies of the fields follow.
    item_entries: HashMap<ItemId, Vec<EntryId>>,
    /// Corrections already here of the entries the bundle touches.
    corrections: HashMap<u128, Vec<(u128, Correction)>>,
    /// The stores enrolled here: each speaks for itself, so no other sends records as theirs.
    peers: std::collections::HashSet<u128>,
}

impl Store {
    /// Merges a peer's changes, all or nothing: every part of the bundle is first tried and
    /// taken back, so any refusal comes before anything is written; then each part is written
    /// in a transaction of its own (a sled transaction holds its whole write set in memory),
    /// audited as `bundle.import`, the last one with the peer's receipt. Should the process
    /// stop between parts, importing the same bundle again completes it: merging is by
    /// revision, so what is there already changes nothing. A dry run only tries.
    pub fn merge(
        &self,
        changes: &Changes,
        arrival: &Arrival,
        stamp: &Stamp,
    ) -> Result<MergeReport> {
        let bounds = check::Bounds {
            today: stamp.at.date_naive(),
            now: stamp.at,
            topics: self.catalog(crate::domain::CatalogKind::Topic)?,
            services: self.catalog(crate::domain::CatalogKind::Service)?,
        };
        check::check(changes, arrival.sender, &bounds)?;
        let parts = parts::split(changes, arrival.part.max(1));
        let reached = arrival.sender.last.as_ref().map_or(0, |r| r.head);
        // Writing a bundle is itself one audited change at the sender, right after its head.
        let gap = (arrival.since > reached + 1).then_some((reached, arrival.since));
        let mut tried = MergeReport::default();
        for (n, part) in parts.iter().enumerate() {
            tried.add(self.merge_part(part, arrival, stamp, (n, parts.len()), false)?);
        }
        if arrival.dry_run {
            tried.gap = gap;
            return Ok(tried);
        }
        let mut merged = MergeReport::default();
        for (n, part) in parts.iter().enumerate() {
            merged.add(self.merge_part(part, arrival, stamp, (n, parts.len()), true)?);
        }
        merged.gap = gap;
        Ok(merged)
    }

    /// One part of a bundle in one transaction: written (with its audit record, and the
    /// receipt after the last part), or only tried and taken back.
    fn merge_part(
        &self,
        part: &Changes,
        arrival: &Arrival,
        stamp: &Stamp,
        (n, of): (usize, usize),
        write: bool,
    ) -> Result<MergeReport> {
        let prepared = self.prepare(part)?;
        let outcome = RefCell::new(MergeReport::default());
        let written = self.commit(|tx| {
            let report = tx.untracked(|| merge_in(tx, part, arrival.sender, &prepared))?;
            if n + 1 == of {
                let receipt = Receipt {
                    at: stamp.at,
                    created: arrival.created,
                    head: arrival.head,
                    items: arrival.counts.0,
                    entries: arrival.counts.1,
                    deletions: arrival.counts.2,
                    corrections: arrival.counts.3,
                };
                note_receipt(tx, arrival.sender, receipt)?;
            }
            tx.audit(
                stamp,
                AuditAction::BundleImport,
                json!(null),
                json!({
                    "from": {"store": arrival.sender.store.to_string(), "name": arrival.sender.name},
                    "created": codec::time_text(&arrival.created),
                    "head": arrival.head,
                    "part": [n + 1, of],
                    "merged": report,
                }),
            )?;
            *outcome.borrow_mut() = report;
            if !write {
                return Err(TxError::Abort(Rejection::DryRun.into()));
            }
            Ok(())
        });
        match written {
            Ok(()) | Err(StoreError::Rejected(Rejection::DryRun)) => Ok(outcome.into_inner()),
            Err(e) => Err(e),
        }
    }

    /// Finds, before the transaction, what it will need to rewrite.
    fn prepare(&self, changes: &Changes) -> Result<Prepared> {
        let mut prepared = Prepared {
            peers: self.peers()?.iter().map(|p| p.store.0).collect(),
            ..Prepared::default()
        };
        for item in &changes.items {
            if let Some(id) = self.ident_by_gid(item.id.0)?
                && id.gone.is_none()
                && let Some(local) = id.local.get(1..).and_then(keys::parse_id)
            {
                let ids = self
                    .entries_of(ItemId(local))?
                    .into_iter()
                    .map(|e| e.id)
                    .collect();
                prepared.item_entries.insert(ItemId(local), ids);
            }
        }
        let touched: BTreeSet<u128> = changes
            .entries
            .iter()
            .map(|e| e.id.0)
            .chain(changes.corrections.iter().map(|c| c.record.entry.0))
            .collect();
        for gid in touched {
            prepared
                .corrections
                .insert(gid, self.corrections_by_id(gid)?);
        }
        Ok(prepared)
    }
}

/// The refusal of a record about `advisor`, whom `sender` does not speak for.
pub(super) fn not_enrolled(
    sender: &Peer,
    advisor: &str,
    date: Option<chrono::NaiveDate>,
) -> MergeRefusal {
    MergeRefusal::NotEnrolledFor {
        advisor: advisor.to_string(),
        sender: sender.name.clone(),
        speaks_for: sender.advisors.clone(),
        date,
    }
}
