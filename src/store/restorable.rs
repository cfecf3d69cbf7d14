//! What a snapshot must hold before `restore` writes a byte of it: text a person could have
//! typed (the checks every form and import applies, so an edited export cannot slip an escape
//! sequence or a bidi override past them), days the ledger takes, known topics and services,
//! and an audit trail whose links hold. Then the trail's records written back as they were.

use chrono::Datelike;

use super::audit::{self, AUDIT_HEAD, AuditRecord, GENESIS, Head};
use super::tx::{Tx, TxError};
use super::verify::LinkFault;
use super::{Result, Snapshot, SnapshotFault, Store, Unreadable, codec, keys};
use crate::domain::model::{FieldError, TextField, check_advisor_id, check_text};
use crate::domain::{CatalogKind, EntryId};

/// The record of a snapshot a refusal names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotRecord {
    /// An advisor, by id.
    Advisor(String),
    /// A topic or service type, by code.
    Catalog(CatalogKind, String),
    /// An item, by number.
    Item(String),
    Entry(EntryId),
}

/// The first field of the snapshot that no form or import would take.
pub(super) fn check_fields(s: &Snapshot) -> std::result::Result<(), SnapshotFault> {
    for a in &s.advisors {
        let record = || SnapshotRecord::Advisor(a.id.clone());
        check_advisor_id(&a.id).map_err(|error| field(record(), error))?;
        required(record(), TextField::Name, &a.name)?;
        text(record(), TextField::Unit, &a.unit)?;
    }
    for (kind, list) in [
        (CatalogKind::Topic, &s.topics),
        (CatalogKind::Service, &s.services),
    ] {
        for e in list {
            let record = || SnapshotRecord::Catalog(kind, e.code.clone());
            text(record(), TextField::Text, &e.code)?;
            text(record(), TextField::ChineseName, &e.zh)?;
            text(record(), TextField::EnglishName, &e.en)?;
            for alias in &e.aliases {
                text(record(), TextField::Alias, alias)?;
            }
        }
    }
    check_items(s)?;
    for e in &s.entries {
        text(SnapshotRecord::Entry(e.id), TextField::Note, &e.note)?;
        if e.date.year() < 2000 {
            return Err(SnapshotFault::DayRefused {
                entry: e.id,
                date: e.date,
            });
        }
    }
    Ok(())
}

fn check_items(s: &Snapshot) -> std::result::Result<(), SnapshotFault> {
    let known = |kind: CatalogKind, listed: &[crate::domain::CatalogEntry], code: &str| {
        listed.iter().any(|e| e.code == code) || kind.defaults().get(code).is_some()
    };
    for i in &s.items {
        let record = || SnapshotRecord::Item(i.number.clone());
        text(record(), TextField::Item, &i.number)?;
        required(record(), TextField::Title, &i.title)?;
        text(record(), TextField::Department, &i.department)?;
        text(
            record(),
            TextField::Item,
            i.key.as_deref().unwrap_or_default(),
        )?;
        text(record(), TextField::Text, &i.reference)?;
        if let Some(outcome) = &i.outcome {
            text(record(), TextField::Reason, &outcome.reason)?;
        }
        for (kind, listed, code) in [
            (CatalogKind::Topic, &s.topics, &i.topic),
            (CatalogKind::Service, &s.services, &i.service),
        ] {
            if !known(kind, listed, code) {
                return Err(SnapshotFault::UnknownCode {
                    item: i.number.clone(),
                    kind,
                    code: code.clone(),
                });
            }
        }
    }
    Ok(())
}

fn field(record: SnapshotRecord, error: FieldError) -> SnapshotFault {
    SnapshotFault::Field { record, error }
}

fn text(
    record: SnapshotRecord,
    which: TextField,
    value: &str,
) -> std::result::Result<(), SnapshotFault> {
    check_text(which, value)
        .map(drop)
        .map_err(|error| field(record, error))
}

/// A text that must not be blank (a name, a title).
fn required(
    record: SnapshotRecord,
    which: TextField,
    value: &str,
) -> std::result::Result<(), SnapshotFault> {
    match check_text(which, value) {
        Ok(v) if v.is_empty() => Err(SnapshotFault::Blank {
            record,
            field: which,
        }),
        Ok(_) => Ok(()),
        Err(error) => Err(field(record, error)),
    }
}

/// The first record of a carried audit trail that breaks its chain: numbered in order from 1,
/// each carrying the hash of the one before, the first the genesis hash.
pub(super) fn check_trail(trail: &[String]) -> std::result::Result<(), SnapshotFault> {
    let mut prev = GENESIS.to_string();
    for (position, bytes) in (1u64..).zip(trail) {
        let broken = |fault| SnapshotFault::TrailBroken { position, fault };
        let record = codec::decode_json::<AuditRecord>(bytes.as_bytes())
            .ok_or_else(|| broken(LinkFault::Unreadable))?;
        if record.seq != position {
            return Err(broken(LinkFault::Misnumbered { seq: record.seq }));
        }
        if record.prev != prev {
            return Err(broken(if position == 1 {
                LinkFault::NotFirst
            } else {
                LinkFault::NotFollowing
            }));
        }
        prev = audit::digest(bytes.as_bytes());
    }
    Ok(())
}

/// Inside a restore's transaction: writes a checked trail back record by record, its bytes as
/// they were, with its head, so that the restore's own record follows its last one.
pub(super) fn write_trail(tx: &Tx, trail: &[String]) -> std::result::Result<(), TxError> {
    let mut head = Head::empty();
    for bytes in trail {
        head.count += 1;
        tx.audit_log()
            .insert(keys::id_key(head.count).as_slice(), bytes.as_bytes())?;
        head.hash = audit::digest(bytes.as_bytes());
    }
    tx.raise("audit_seq", head.count)?;
    tx.meta().insert(AUDIT_HEAD, codec::encode_json(&head))?;
    Ok(())
}

impl Store {
    /// Each audit record exactly as stored, oldest first.
    pub(super) fn audit_bytes(&self) -> impl Iterator<Item = Result<String>> + '_ {
        self.trees.audit.iter().map(|kv| {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            String::from_utf8(v.to_vec()).map_err(|_| self.unreadable(Unreadable::AuditRecord))
        })
    }

    /// True when this store's trail is `original`'s, byte for byte, followed by one record
    /// (the restore's): what a backup restored into a scratch store must show.
    pub fn trail_continues(&self, original: &Store) -> Result<bool> {
        let mut ours = self.audit_bytes();
        for theirs in original.audit_bytes() {
            let theirs = theirs?;
            match ours.next().transpose()? {
                Some(record) if record == theirs => {}
                _ => return Ok(false),
            }
        }
        Ok(ours.next().is_some() && ours.next().is_none())
    }
}
