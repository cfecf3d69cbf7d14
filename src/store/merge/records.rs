//! A bundle's records, one by one, inside the merge's transaction: items first (so entries
//! find them), then entries, deletions and corrections, and last the counted values of every
//! corrected entry the bundle touched.

use std::collections::{BTreeSet, HashMap};

use ulid::Ulid;

use super::super::correct::{self, keep_correction, keep_original};
use super::super::ident::{self, Ident, Kind};
use super::super::peers::Peer;
use super::super::shared::{
    Changes, Correction, DeletedKind, Deletion, SharedEntry, SharedItem, Stamped,
};
use super::super::tx::{Tx, TxError};
use super::super::write::{fingerprint, remove_entry, write_entry, write_item};
use super::super::{Rejection, Unreadable, codec, keys};
use super::{Disagreement, MergeRefusal, MergeReport, Prepared};
use crate::domain::{Entry, EntryId, Item, ItemId, Minutes};

/// The merge inside its transaction, with identity tracking off: every identity it writes is
/// the one that came with the record.
pub(super) fn merge_in(
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
        m.deletion(deletion)?;
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
            via: self.sender.store.0,
        }
    }

    /// The identity already here under `gid`, which must be of the same kind and origin as the
    /// record that comes: a record cannot pass for another kind, or for another store's.
    fn known(
        &self,
        gid: u128,
        kind: Kind,
        origin: Ulid,
    ) -> std::result::Result<Option<Ident>, TxError> {
        match self.tx.ident(gid)? {
            Some(id) if id.kind != kind || id.origin != origin.0 => Err(TxError::Abort(
                Rejection::Merge(MergeRefusal::NotTheirs {
                    record: Ulid(gid),
                    sender: self.sender.name.clone(),
                })
                .into(),
            )),
            found => Ok(found),
        }
    }

    /// Refuses a change of a record already here unless it comes from the record's origin or
    /// through the peer it came through before: no store changes what another store sent.
    ///
    /// A record forwarded from a store not enrolled here (an office passing on its counsel's
    /// work) may also come through another peer enrolled for its advisor (`for_advisor`): two
    /// offices may both pass on the same counsel's records.
    fn may_update(
        &self,
        gid: u128,
        id: &Ident,
        for_advisor: bool,
    ) -> std::result::Result<(), TxError> {
        let sender = self.sender.store.0;
        let forwarded = id.origin != self.tx.me() && !self.prepared.peers.contains(&id.origin);
        if id.origin == sender || (id.via != 0 && id.via == sender) || (forwarded && for_advisor) {
            return Ok(());
        }
        Err(self.not_theirs(gid))
    }

    fn not_theirs(&self, gid: u128) -> TxError {
        TxError::Abort(
            Rejection::Merge(MergeRefusal::NotTheirs {
                record: Ulid(gid),
                sender: self.sender.name.clone(),
            })
            .into(),
        )
    }

    /// Refuses a new record that claims to be this store's, or another enrolled store's: a
    /// store enrolled here sends its own records itself.
    fn may_create(&self, gid: u128, origin: Ulid) -> std::result::Result<(), TxError> {
        let sender = self.sender.store.0;
        if origin.0 == self.tx.me()
            || (origin.0 != sender && self.prepared.peers.contains(&origin.0))
        {
            return Err(self.not_theirs(gid));
        }
        Ok(())
    }

    /// True when an item change that may not be made comes through a second forwarder (left
    /// as it came first, not refused: the same counsel's item passed on by two offices).
    fn forwarded_twice(&self, id: &Ident) -> bool {
        id.origin != self.tx.me()
            && id.origin != self.sender.store.0
            && !self.prepared.peers.contains(&id.origin)
    }

    /// True when the record's origin itself sends it, and what is here did not come from the
    /// origin: the origin's word replaces it, whatever revision another path claimed.
    fn origin_overrides(&self, id: &Ident, origin: Ulid) -> bool {
        let sender = self.sender.store.0;
        origin.0 == sender && id.via != sender && id.origin == sender
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
        match self.known(gid, Kind::Item, item.origin)? {
            Some(id) if !id.local.is_empty() && id.gone.is_none() => {
                let local = ItemId(
                    id.local
                        .get(1..)
                        .and_then(keys::parse_id)
                        .ok_or_else(|| self.abort(Unreadable::Identity))?,
                );
                let here = self.read_item(local)?;
                let primary = self.tx.gid_of(&id.local)? == Some(gid);
                let allowed = self.may_update(gid, &id, false);
                if item.rev <= id.rev && !self.origin_overrides(&id, item.origin)
                    || allowed.is_err() && self.forwarded_twice(&id)
                {
                    self.report.unchanged += 1;
                } else if primary {
                    allowed?;
                    self.update_item(&here, item, &id)?;
                    self.report.items_updated += 1;
                } else {
                    allowed?;
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
            Some(id) => {
                if item.rev <= id.rev {
                    self.report.unchanged += 1;
                    return Ok(());
                }
                self.may_update(gid, &id, false)?;
                self.new_item(item)?;
            }
            None => {
                self.may_create(gid, item.origin)?;
                self.new_item(item)?;
            }
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
                .get(super::super::refs::number_ref(&number))?
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
                ours,
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
        let id = self
            .tx
            .ident(gid)?
            .filter(|id| id.kind == Kind::Item && id.gone.is_none())
            .ok_or_else(missing)?;
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
            Rejection::Merge(super::not_enrolled(
                self.sender,
                &entry.advisor,
                Some(entry.date),
            ))
            .into(),
        ))
    }

    fn entry(&mut self, entry: &Stamped<SharedEntry>) -> std::result::Result<(), TxError> {
        let gid = entry.id.0;
        let known = self.known(gid, Kind::Entry, entry.origin)?;
        if let Some(id) = &known {
            if entry.rev <= id.rev && !self.origin_overrides(id, entry.origin) {
                if entry.rev == id.rev
                    && let Some(local) = self.differs(gid, id, entry)?
                {
                    self.report.forked.push(local);
                }
                self.report.unchanged += 1;
                return Ok(());
            }
            self.may_update(gid, id, true)?;
        } else {
            self.may_create(gid, entry.origin)?;
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
            self.report.corrected_here.push(local);
        }
        if super::super::closing::closed_in(self.tx, new.date)? {
            let month = super::super::Month::of(new.date);
            if !self.report.late_months.contains(&month) {
                self.report.late_months.push(month);
            }
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

    /// The entry here, when the sender's own entry came at the revision it has here but says
    /// something else: the store that sent it is not the only one sending under its identity.
    /// A correction here may have changed the date and hours counted, so those are compared
    /// only for an entry no correction touches.
    fn differs(
        &self,
        gid: u128,
        id: &Ident,
        entry: &Stamped<SharedEntry>,
    ) -> std::result::Result<Option<EntryId>, TxError> {
        if entry.origin.0 != self.sender.store.0 || id.origin != self.sender.store.0 {
            return Ok(None);
        }
        let Some(local) = id.local.get(1..).and_then(keys::parse_id).map(EntryId) else {
            return Ok(None);
        };
        let Some(here) = self.read_entry(local)? else {
            return Ok(None);
        };
        let theirs = &entry.record;
        let item_here = self
            .tx
            .ident(theirs.item.0)?
            .and_then(|i| i.local.get(1..).and_then(keys::parse_id));
        let corrected = self
            .tx
            .corrections()
            .get(correct::original_row(gid))?
            .is_some();
        let same = item_here == Some(here.item.0)
            && here.advisor == theirs.advisor
            && here.note == theirs.note
            && (corrected || (here.date == theirs.date && here.minutes.0 == theirs.minutes));
        Ok((!same).then_some(local))
    }

    fn deletion(&mut self, deletion: &Stamped<Deletion>) -> std::result::Result<(), TxError> {
        let (gid, rev) = (deletion.id.0, deletion.rev);
        let (advisor, kind) = (deletion.record.advisor.as_str(), deletion.record.kind);
        let kind_here = match kind {
            DeletedKind::Entry => Kind::Entry,
            DeletedKind::Item => Kind::Item,
        };
        let known = self.known(gid, kind_here, deletion.origin)?;
        // The deletion of an entry that never came here, of an advisor the sender does not
        // speak for: an entry the office refused, taken back. Nothing to do.
        if known.is_none()
            && kind == DeletedKind::Entry
            && !self.sender.advisors.iter().any(|a| a == advisor)
        {
            self.report.unchanged += 1;
            return Ok(());
        }
        if let Some(id) = &known {
            if rev <= id.rev {
                self.report.unchanged += 1;
                return Ok(());
            }
            self.may_update(gid, id, kind == DeletedKind::Entry)?;
        } else {
            self.may_create(gid, deletion.origin)?;
        }
        let mut id = known.unwrap_or(Ident {
            kind: kind_here,
            local: Vec::new(),
            origin: deletion.origin.0,
            rev,
            seq: self.seq,
            gone: None,
            via: self.sender.store.0,
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
        if let Some(id) = self.known(c.id.0, Kind::Correction, c.origin)? {
            if c.rev <= id.rev {
                self.report.unchanged += 1;
                return Ok(());
            }
            self.may_update(c.id.0, &id, true)?;
        } else {
            self.may_create(c.id.0, c.origin)?;
        }
        let entry = c.record.entry.0;
        // The entry corrected must be of an advisor the sender speaks for, whatever it claims.
        if let Some(id) = self.tx.ident(entry)?
            && id.gone.is_none()
            && let Some(local) = id.local.get(1..).and_then(keys::parse_id)
            && let Some(here) = self.read_entry(EntryId(local))?
        {
            self.may_change(&here)?;
        }
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
            if all.is_empty() {
                continue;
            }
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
            // Only corrections of the entry's own advisor count: one sent before its entry
            // arrived cannot move another advisor's hours.
            let Some(counted) = correct::newest(&original, &all) else {
                continue;
            };
            keep_original(self.tx, gid, &original)?;
            let item = self.read_item(current.item)?;
            remove_entry(self.tx, &current, &item)?;
            write_entry(self.tx, &counted, &item, &fingerprint(&counted, &item))?;
        }
        Ok(())
    }
}
