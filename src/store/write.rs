//! Writing and removing one item or entry with every index that points at it, inside a
//! transaction.

use super::codec::{self, EntryRecord};
use super::ident::Kind;
use super::tx::{Tx, TxError};
use super::{Rejection, catalogs, keys, refs};
use crate::domain::intake::{Fingerprint, ItemFields};
use crate::domain::{Entry, Item};

pub(super) fn write_item(tx: &Tx, item: &Item) -> std::result::Result<(), TxError> {
    let id = keys::id_key(item.id.0);
    tx.catalogs()
        .insert(catalogs::department_key(&item.department), &[][..])?;
    tx.items().insert(id.as_slice(), codec::encode_json(item))?;
    // Numbers carry their `#` and keys never do, so a key equal to a number is no clash.
    let references = std::iter::once(refs::number_ref(&item.number))
        .chain(item.key.as_ref().map(|key| key.as_bytes().to_vec()));
    for reference in references {
        if tx
            .item_refs()
            .get(reference.as_slice())?
            .is_some_and(|v| v.as_ref() != id.as_slice())
        {
            let key = String::from_utf8_lossy(&reference).into_owned();
            return Err(TxError::Abort(Rejection::ItemKeyTaken { key }.into()));
        }
        tx.item_refs().insert(reference, id.as_slice())?;
    }
    tx.touched(Kind::Item, &id)?;
    Ok(())
}

pub(super) fn write_entry(
    tx: &Tx,
    entry: &Entry,
    item: &Item,
    fp: &Fingerprint,
) -> std::result::Result<(), TxError> {
    let key = keys::entry_key(entry.date, entry.id);
    tx.entries().insert(
        key.as_slice(),
        codec::encode_entry(&EntryRecord::new(entry, item)),
    )?;
    tx.entry_index()
        .insert(keys::id_key(entry.id.0).as_slice(), key.as_slice())?;
    tx.item_entries().insert(
        keys::item_entry_key(item.id, entry.id).as_slice(),
        key.as_slice(),
    )?;
    tx.fingerprints()
        .insert(keys::fingerprint_key(&fp.0, entry.id).as_slice(), &[][..])?;
    tx.touched(Kind::Entry, &keys::id_key(entry.id.0))?;
    Ok(())
}

pub(super) fn fingerprint(e: &Entry, item: &Item) -> Fingerprint {
    Fingerprint::of(
        e.date,
        &e.advisor,
        e.minutes,
        &ItemFields::of(item),
        &e.note,
    )
}

pub(super) fn remove_entry(tx: &Tx, e: &Entry, item: &Item) -> std::result::Result<(), TxError> {
    let key = keys::entry_key(e.date, e.id);
    tx.entries().remove(key.as_slice())?;
    tx.entry_index().remove(keys::id_key(e.id.0).as_slice())?;
    tx.item_entries()
        .remove(keys::item_entry_key(item.id, e.id).as_slice())?;
    tx.fingerprints()
        .remove(keys::fingerprint_key(&fingerprint(e, item).0, e.id).as_slice())?;
    tx.retired(Kind::Entry, &keys::id_key(e.id.0), &e.advisor)?;
    Ok(())
}

pub(super) fn remove_item(tx: &Tx, item: &Item) -> std::result::Result<(), TxError> {
    tx.items().remove(keys::id_key(item.id.0).as_slice())?;
    tx.item_refs().remove(refs::number_ref(&item.number))?;
    if let Some(key) = &item.key {
        tx.item_refs().remove(key.as_bytes())?;
    }
    tx.retired(Kind::Item, &keys::id_key(item.id.0), "")?;
    Ok(())
}
