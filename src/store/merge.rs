//! Merging a peer's changes, all or nothing, in one transaction.
//!
//! A record is changed only by the store that created it, so merging never conflicts: the
//! highest revision of each record wins and an older or equal one changes nothing (re-sent,
//! re-ordered and duplicated bundles are harmless). Items with the same key are one matter:
//! another store's copy joins the item that arrived first, and a copy that disagrees is
//! reported, never dropped in silence or mixed in.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, FixedOffset};
use serde::Serialize;
use serde_json::json;
use ulid::Ulid;

use super::correct::{self, keep_correction, keep_original};
use super::ident::{self, Ident, Kind};
use super::peers::{Peer, Receipt, note_receipt};
use super::shared::{Changes, Correction, DeletedKind, SharedEntry, SharedItem, Stamped};
use super::tx::{Tx, TxError};
use super::write::{fingerprint, remove_entry, write_entry, write_item};
use super::{AuditAction, Rejection, Result, Stamp, Store, StoreError, Unreadable, codec, keys};
use crate::domain::{Entry, EntryId, Item, ItemId, Minutes};

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
}

/// An item of the bundle that joined an item here with the same key but different fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub key: String,
    /// The number of the item here, which keeps its own fields.
    pub number: String,
    /// The fields that differ, by name.
    pub fields: Vec<&'static str>,
    pub theirs: SharedItem,
}

/// Why a bundle's records cannot be merged; nothing was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeRefusal {
    /// A record about an advisor its sender is not enrolled for.
    NotEnrolledFor { advisor: String, sender: String },
    /// An entry whose item the bundle does not carry and this store does not have.
    ItemMissing { entry: Ulid },
    /// A record whose values no counsel-log writes (its field and value).
    Invalid { record: Ulid, what: String },
}

/// Who sent the changes and when.
pub struct Arrival<'a> {
    pub sender: &'a Peer,
    pub created: DateTime<FixedOffset>,
    /// The sender's audit head when it wrote the bundle.
    pub head: u64,
    pub dry_run: bool,
}

/// What the merge needs to know that a transaction cannot scan for.
#[derive(Default)]
struct Prepared {
    /// Entry keys of the local items the bundle updates, whose copies of the fields follow.
    item_entries: HashMap<ItemId, Vec<EntryId>>,
    /// Corrections already here of the entries the bundle touches.
    corrections: HashMap<u128, Vec<(u128, Correction)>>,
}

impl Store {
    /// Merges a peer's changes in one transaction, with the audit record `bundle.import` and
    /// the peer's receipt. A dry run writes nothing and says what would change.
    pub fn merge(
        &self,
        changes: &Changes,
        arrival: &Arrival,
        stamp: &Stamp,
    ) -> Result<MergeReport> {
        check(changes, arrival.sender)?;
        let prepared = self.prepare(changes)?;
        let outcome = RefCell::new(MergeReport::default());
        let written = self.commit(|tx| {
            let report = tx.untracked(|| merge_in(tx, changes, arrival.sender, &prepared))?;
            let receipt = Receipt {
                at: stamp.at,
                created: arrival.created,
                head: arrival.head,
                items: len(changes.items.len()),
                entries: len(changes.entries.len()),
                deletions: len(changes.deletions.len()),
                corrections: len(changes.corrections.len()),
            };
            note_receipt(tx, arrival.sender, receipt)?;
            tx.audit(
                stamp,
                AuditAction::BundleImport,
                json!(null),
                json!({
                    "from": {"store": arrival.sender.store.to_string(), "name": arrival.sender.name},
                    "created": codec::time_text(&arrival.created),
                    "head": arrival.head,
                    "merged": report,
                }),
            )?;
            *outcome.borrow_mut() = report;
            if arrival.dry_run {
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
        let mut prepared = Prepared::default();
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
            let mut found = Vec::new();
            for kv in self.trees.corrections.scan_prefix(gid.to_be_bytes()) {
                let (k, v) = kv.map_err(|e| self.err(e))?;
                let Some(cid) = k.get(16..).and_then(ident::gid_from) else {
                    continue;
                };
                if cid != 0 {
                    let c = codec::decode_json(&v)
                        .ok_or_else(|| self.unreadable(Unreadable::Correction))?;
                    found.push((cid, c));
                }
            }
            prepared.corrections.insert(gid, found);
        }
        Ok(prepared)
    }
}

fn len(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Refuses, before anything is written, records the sender may not send or no store writes.
fn check(changes: &Changes, sender: &Peer) -> Result<()> {
    let allowed: BTreeSet<&str> = sender.advisors.iter().map(String::as_str).collect();
    if let Some(advisor) = changes
        .advisors()
        .into_iter()
        .find(|a| !allowed.contains(a))
    {
        return Err(Rejection::Merge(MergeRefusal::NotEnrolledFor {
            advisor: advisor.to_string(),
            sender: sender.name.clone(),
        })
        .into());
    }
    let invalid = |record: Ulid, what: String| {
        Err(Rejection::Merge(MergeRefusal::Invalid { record, what }).into())
    };
    for e in &changes.entries {
        let r = &e.record;
        if r.minutes == 0 || r.minutes > 24 * 60 {
            return invalid(e.id, format!("minutes {}", r.minutes));
        }
        if r.date.year() < 2000 {
            return invalid(e.id, format!("date {}", r.date));
        }
        if crate::domain::model::check_text(crate::domain::model::TextField::Note, &r.note).is_err()
        {
            return invalid(e.id, "note".into());
        }
    }
    for c in &changes.corrections {
        if c.record.minutes == 0 || c.record.minutes > 24 * 60 {
            return invalid(c.id, format!("minutes {}", c.record.minutes));
        }
    }
    for i in &changes.items {
        use crate::domain::model::{TextField, check_text};
        let r = &i.record;
        for (field, value) in [
            (TextField::Title, &r.title),
            (TextField::Department, &r.department),
            (TextField::Item, r.key.as_ref().unwrap_or(&String::new())),
        ] {
            if check_text(field, value).is_err() {
                return invalid(i.id, format!("{field:?}"));
            }
        }
    }
    Ok(())
}

/// The merge inside its transaction, with identity tracking off: every identity it writes is
/// the one that came with the record.
fn merge_in(
    tx: &Tx,
    changes: &Changes,
    sender: &Peer,
    prepared: &Prepared,
) -> std::result::Result<MergeReport, TxError> {
    let mut m = Merger {
        tx,
        seq: tx.pending_seq()?,
        sender,
        prepared,
        report: MergeReport::default(),
        items: HashMap::new(),
        settle: BTreeSet::new(),
    };
    for item in &changes.items {
        m.item(item)?;
    }
    for entry in &changes.entries {
        m.entry(entry)?;
    }
    for deletion in &changes.deletions {
        m.deletion(
            deletion.id.0,
            deletion.rev,
            &deletion.record.advisor,
            deletion.record.kind,
        )?;
    }
    for c in &changes.corrections {
        m.correction(c)?;
    }
    m.settle_corrections(changes)?;
    Ok(m.report)
}

struct Merger<'a, 'b> {
    tx: &'a Tx<'b>,
    seq: u64,
    sender: &'a Peer,
    prepared: &'a Prepared,
    report: MergeReport,
    /// Item global ids of this bundle → the local item they are.
    items: HashMap<u128, Item>,
    /// Entries whose counted values must be worked out again from their corrections.
    settle: BTreeSet<u128>,
}

impl Merger<'_, '_> {
    fn abort(&self, what: Unreadable) -> TxError {
        TxError::Abort(self.tx.unreadable(what))
    }

    fn ident(&self, kind: Kind, local: Vec<u8>, rev: u64, origin: Ulid) -> Ident {
        Ident {
            kind,
            local,
            origin: origin.0,
            rev,
            seq: self.seq,
            gone: None,
        }
    }

    fn read_item(&self, id: ItemId) -> std::result::Result<Item, TxError> {
        let v = self
            .tx
            .items()
            .get(keys::id_key(id.0))?
            .ok_or_else(|| self.abort(Unreadable::Item(id)))?;
        codec::decode_json(&v).ok_or_else(|| self.abort(Unreadable::Item(id)))
    }

    fn read_entry(&self, id: EntryId) -> std::result::Result<Option<Entry>, TxError> {
        let Some(key) = self.tx.entry_index().get(keys::id_key(id.0))? else {
            return Ok(None);
        };
        let Some(v) = self.tx.entries().get(&key)? else {
            return Ok(None);
        };
        let (date, id) =
            keys::parse_entry_key(&key).ok_or_else(|| self.abort(Unreadable::EntryKey))?;
        let record = codec::decode_entry(&v).ok_or_else(|| self.abort(Unreadable::Entry(id)))?;
        Ok(Some(record.entry(date, id)))
    }

    fn item(&mut self, item: &Stamped<SharedItem>) -> std::result::Result<(), TxError> {
        let gid = item.id.0;
        match self.tx.ident(gid)? {
            Some(id) if !id.local.is_empty() => {
                let local = ItemId(
                    id.local
                        .get(1..)
                        .and_then(keys::parse_id)
                        .ok_or_else(|| self.abort(Unreadable::Identity))?,
                );
                let here = self.read_item(local)?;
                let primary = self.tx.gid_of(&id.local)? == Some(gid);
                if item.rev <= id.rev {
                    self.report.unchanged += 1;
                } else if primary {
                    self.update_item(&here, item, &id)?;
                    self.report.items_updated += 1;
                } else {
                    self.disagree(&here, &item.record);
                    let mut id = id;
                    id.rev = item.rev;
                    id.seq = self.seq;
                    self.tx
                        .ids()
                        .insert(gid.to_be_bytes(), ident::encode(&id))?;
                }
                let now = self.read_item(local)?;
                self.items.insert(gid, now);
            }
            _ => self.new_item(item)?,
        }
        Ok(())
    }

    /// A newer revision of an item whose origin is the sender's: its fields, and its entries'
    /// copies of them.
    fn update_item(
        &mut self,
        here: &Item,
        item: &Stamped<SharedItem>,
        id: &Ident,
    ) -> std::result::Result<(), TxError> {
        let updated = item.record.local(here.id, here.number.clone());
        write_item(self.tx, &updated)?;
        for entry in self
            .prepared
            .item_entries
            .get(&here.id)
            .into_iter()
            .flatten()
        {
            if let Some(e) = self.read_entry(*entry)? {
                remove_entry(self.tx, &e, here)?;
                write_entry(self.tx, &e, &updated, &fingerprint(&e, &updated))?;
            }
        }
        let mut id = id.clone();
        id.rev = item.rev;
        id.seq = self.seq;
        self.tx.put_ident(item.id.0, &id)
    }

    /// An item first seen here: it joins the item with the same key, or becomes a new one.
    fn new_item(&mut self, item: &Stamped<SharedItem>) -> std::result::Result<(), TxError> {
        let joined = match &item.record.key {
            Some(key) => match self.tx.item_refs().get(key.as_bytes())? {
                Some(v) => Some(ItemId(
                    keys::parse_id(&v).ok_or_else(|| self.abort(Unreadable::ItemReference))?,
                )),
                None => None,
            },
            None => None,
        };
        if let Some(local) = joined {
            let here = self.read_item(local)?;
            self.disagree(&here, &item.record);
            let id = self.ident(
                Kind::Item,
                ident::local_key(Kind::Item, &keys::id_key(local.0)),
                item.rev,
                item.origin,
            );
            // Only the global id's row: the item here keeps its own identity.
            self.tx
                .ids()
                .insert(item.id.0.to_be_bytes(), ident::encode(&id))?;
            self.report.items_joined += 1;
            self.items.insert(item.id.0, here);
            return Ok(());
        }
        let local = ItemId(self.tx.next("item_id")?);
        let number = self.number(&item.record)?;
        let created = item.record.local(local, number);
        write_item(self.tx, &created)?;
        let id = self.ident(
            Kind::Item,
            ident::local_key(Kind::Item, &keys::id_key(local.0)),
            item.rev,
            item.origin,
        );
        self.tx.put_ident(item.id.0, &id)?;
        self.report.items_new += 1;
        self.items.insert(item.id.0, created);
        Ok(())
    }

    /// A number for an item new here, in the year of its number at its origin.
    fn number(&self, item: &SharedItem) -> std::result::Result<String, TxError> {
        let year = item
            .number
            .trim_start_matches('#')
            .split('-')
            .next()
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(2000);
        loop {
            let n = self.tx.next(&format!("item_seq/{year}"))?;
            let number = format!("{year}-{n:04}");
            if self
                .tx
                .item_refs()
                .get(super::refs::number_ref(&number))?
                .is_none()
            {
                return Ok(number);
            }
        }
    }

    fn disagree(&mut self, here: &Item, theirs: &SharedItem) {
        let ours = SharedItem::of(here);
        let mut fields = Vec::new();
        for (name, differs) in [
            ("title", ours.title != theirs.title),
            ("topic", ours.topic != theirs.topic),
            ("service", ours.service != theirs.service),
            ("department", ours.department != theirs.department),
            ("satisfaction", ours.satisfaction != theirs.satisfaction),
        ] {
            if differs {
                fields.push(name);
            }
        }
        if !fields.is_empty() {
            self.report.disagreements.push(Disagreement {
                key: theirs.key.clone().unwrap_or_default(),
                number: here.number.clone(),
                fields,
                theirs: theirs.clone(),
            });
        }
    }

    /// The local item an entry of the bundle belongs to.
    fn item_of(&mut self, entry: &Stamped<SharedEntry>) -> std::result::Result<Item, TxError> {
        let gid = entry.record.item.0;
        if let Some(item) = self.items.get(&gid) {
            return Ok(item.clone());
        }
        let missing = || {
            TxError::Abort(Rejection::Merge(MergeRefusal::ItemMissing { entry: entry.id }).into())
        };
        let id = self.tx.ident(gid)?.ok_or_else(missing)?;
        let local = id
            .local
            .get(1..)
            .and_then(keys::parse_id)
            .ok_or_else(missing)?;
        let item = self.read_item(ItemId(local))?;
        self.items.insert(gid, item.clone());
        Ok(item)
    }

    /// Refuses to replace or delete a record of an advisor the sender does not speak for.
    fn may_change(&self, entry: &Entry) -> std::result::Result<(), TxError> {
        if self.sender.advisors.contains(&entry.advisor) {
            return Ok(());
        }
        Err(TxError::Abort(
            Rejection::Merge(MergeRefusal::NotEnrolledFor {
                advisor: entry.advisor.clone(),
                sender: self.sender.name.clone(),
            })
            .into(),
        ))
    }

    fn entry(&mut self, entry: &Stamped<SharedEntry>) -> std::result::Result<(), TxError> {
        let gid = entry.id.0;
        let known = self.tx.ident(gid)?;
        if known.as_ref().is_some_and(|id| entry.rev <= id.rev) {
            self.report.unchanged += 1;
            return Ok(());
        }
        let item = self.item_of(entry)?;
        let local = known
            .as_ref()
            .and_then(|id| id.local.get(1..).and_then(keys::parse_id));
        let old = match local {
            Some(l) => self.read_entry(EntryId(l))?,
            None => None,
        };
        let local = match local {
            Some(l) => EntryId(l),
            None => EntryId(self.tx.next("entry_id")?),
        };
        let new = Entry {
            id: local,
            item: item.id,
            advisor: entry.record.advisor.clone(),
            date: entry.record.date,
            minutes: Minutes(entry.record.minutes),
            note: entry.record.note.clone(),
        };
        if let Some(old) = &old {
            self.may_change(old)?;
            let old_item = self.read_item(old.item)?;
            remove_entry(self.tx, old, &old_item)?;
            self.report.entries_updated += 1;
        } else {
            self.report.entries_new += 1;
        }
        write_entry(self.tx, &new, &item, &fingerprint(&new, &item))?;
        if self
            .tx
            .corrections()
            .get(correct::original_row(gid))?
            .is_some()
        {
            keep_original(self.tx, gid, &new)?;
        }
        let id = self.ident(
            Kind::Entry,
            ident::local_key(Kind::Entry, &keys::id_key(local.0)),
            entry.rev,
            entry.origin,
        );
        self.tx.put_ident(gid, &id)?;
        self.settle.insert(gid);
        Ok(())
    }

    fn deletion(
        &mut self,
        gid: u128,
        rev: u64,
        advisor: &str,
        kind: DeletedKind,
    ) -> std::result::Result<(), TxError> {
        let known = self.tx.ident(gid)?;
        if known.as_ref().is_some_and(|id| rev <= id.rev) {
            self.report.unchanged += 1;
            return Ok(());
        }
        let mut id = known.unwrap_or(Ident {
            kind: match kind {
                DeletedKind::Entry => Kind::Entry,
                DeletedKind::Item => Kind::Item,
            },
            local: Vec::new(),
            origin: self.sender.store.0,
            rev,
            seq: self.seq,
            gone: None,
        });
        if kind == DeletedKind::Entry
            && id.gone.is_none()
            && let Some(local) = id.local.get(1..).and_then(keys::parse_id)
            && let Some(old) = self.read_entry(EntryId(local))?
        {
            self.may_change(&old)?;
            let item = self.read_item(old.item)?;
            remove_entry(self.tx, &old, &item)?;
            self.report.entries_deleted += 1;
        }
        // An item stays while any entry, of any store, still belongs to it.
        id.rev = rev;
        id.seq = self.seq;
        id.gone = Some(advisor.to_string());
        self.tx
            .ids()
            .insert(gid.to_be_bytes(), ident::encode(&id))?;
        Ok(())
    }

    fn correction(&mut self, c: &Stamped<Correction>) -> std::result::Result<(), TxError> {
        if self.tx.ident(c.id.0)?.is_some_and(|id| c.rev <= id.rev) {
            self.report.unchanged += 1;
            return Ok(());
        }
        let entry = c.record.entry.0;
        keep_correction(self.tx, entry, c.id.0, &c.record)?;
        let id = self.ident(
            Kind::Correction,
            ident::local_key(Kind::Correction, &correct::correction_row(entry, c.id.0)),
            c.rev,
            c.origin,
        );
        self.tx.put_ident(c.id.0, &id)?;
        self.report.corrections += 1;
        self.settle.insert(entry);
        Ok(())
    }

    /// Counts each entry the bundle touched as its newest correction says, if it has one.
    fn settle_corrections(&mut self, changes: &Changes) -> std::result::Result<(), TxError> {
        for gid in std::mem::take(&mut self.settle) {
            let mut all: Vec<(u128, Correction)> = self
                .prepared
                .corrections
                .get(&gid)
                .cloned()
                .unwrap_or_default();
            for c in changes
                .corrections
                .iter()
                .filter(|c| c.record.entry.0 == gid)
            {
                all.retain(|(id, _)| *id != c.id.0);
                all.push((c.id.0, c.record.clone()));
            }
            let Some((_, newest)) = all.iter().max_by(|a, b| (a.1.at, a.0).cmp(&(b.1.at, b.0)))
            else {
                continue;
            };
            let Some(id) = self.tx.ident(gid)? else {
                continue;
            };
            if id.gone.is_some() {
                continue;
            }
            let Some(local) = id.local.get(1..).and_then(keys::parse_id) else {
                continue;
            };
            let Some(current) = self.read_entry(EntryId(local))? else {
                continue;
            };
            let original = match self.tx.corrections().get(correct::original_row(gid))? {
                Some(v) => {
                    codec::decode_json(&v).ok_or_else(|| self.abort(Unreadable::Correction))?
                }
                None => current.clone(),
            };
            keep_original(self.tx, gid, &original)?;
            let counted = correct::corrected(&original, newest);
            let item = self.read_item(current.item)?;
            remove_entry(self.tx, &current, &item)?;
            write_entry(self.tx, &counted, &item, &fingerprint(&counted, &item))?;
        }
        Ok(())
    }
}
