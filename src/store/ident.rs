//! Identity: every record's global id, the store that created it (its origin) and its
//! revision, kept beside the records so that the records themselves never change shape.
//!
//! `ids` maps a record's global id to its [`Ident`]. A record this store made has the id its
//! local key derives ([`derive_gid`]), so it needs nothing more; for the others (merged from
//! peers, and corrections) `local_ids` maps the record's local key
//! (an advisor's code, an item's or entry's number inside this store) back to the global id.
//! Only the origin raises a revision; the office keeps a foreign record's revision as it came.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ulid::Ulid;

use super::tx::{Tx, TxError};
use super::{Result, Store, Unreadable, keys};

/// What kind of record an identity belongs to; its byte starts the record's local key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    Advisor,
    Item,
    Entry,
    Catalog,
    Correction,
}

impl Kind {
    fn byte(self) -> u8 {
        match self {
            Kind::Advisor => b'a',
            Kind::Item => b'i',
            Kind::Entry => b'e',
            Kind::Catalog => b'c',
            Kind::Correction => b'x',
        }
    }
}

/// A record's identity as this store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ident {
    pub kind: Kind,
    /// The record's key inside this store; empty for a deletion of a record never seen here.
    pub local: Vec<u8>,
    /// The store that created the record (its id).
    pub origin: u128,
    /// Raised by the origin at each change; 1 when created.
    pub rev: u64,
    /// The audit-trail number of the change that last wrote this record here: what a bundle
    /// "since the last one" looks at.
    pub seq: u64,
    /// Set when the record is deleted: for an entry, the advisor it belonged to, so that a
    /// deletion can be checked against what its sender may speak for.
    pub gone: Option<String>,
    /// The peer it last arrived from (0: written here). A record that came from a peer
    /// changes only by its origin, or through the same peer again.
    pub via: u128,
}

impl Ident {
    pub fn deleted(&self) -> bool {
        self.gone.is_some()
    }
}

/// The local key of a record: its kind's byte, then its key in its own tree.
pub fn local_key(kind: Kind, key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(key.len() + 1);
    k.push(kind.byte());
    k.extend_from_slice(key);
    k
}

/// The global id of a record this store creates. Its time part is the store's own (when the
/// store was made); the rest is derived from the store's secret salt and the record's local
/// key, so a retried transaction or an interrupted migration gives the same id again, while no
/// other store can foretell the ids of records it has not been sent.
pub fn derive_gid(store: u128, salt: u128, local: &[u8]) -> u128 {
    let mut hash = Sha256::new();
    hash.update(salt.to_be_bytes());
    hash.update(store.to_be_bytes());
    hash.update(local);
    let digest = hash.finalize();
    let mut low = [0u8; 16];
    low[6..].copy_from_slice(&digest[..10]);
    let random = u128::from_be_bytes(low);
    let time_part = Ulid(store).timestamp_ms();
    Ulid::from_parts(time_part, random).0
}

pub fn encode(ident: &Ident) -> Vec<u8> {
    postcard::to_stdvec(ident).unwrap_or_default()
}

pub fn decode(bytes: &[u8]) -> Option<Ident> {
    postcard::from_bytes(bytes).ok()
}

pub fn gid_from(bytes: &[u8]) -> Option<u128> {
    Some(u128::from_be_bytes(bytes.try_into().ok()?))
}

impl Tx<'_> {
    /// The global id of the record at `local`, if it has one here: the one `local_ids` names,
    /// else the one this store derives for it, if that identity is there and is of `local`.
    pub(super) fn gid_of(&self, local: &[u8]) -> std::result::Result<Option<u128>, TxError> {
        if let Some(gid) = self.local_ids().get(local)?.and_then(|v| gid_from(&v)) {
            return Ok(Some(gid));
        }
        let own = derive_gid(self.me(), self.salt(), local);
        Ok(self
            .ident(own)?
            .is_some_and(|id| id.local == local)
            .then_some(own))
    }

    pub(super) fn ident(&self, gid: u128) -> std::result::Result<Option<Ident>, TxError> {
        Ok(self.ids().get(gid.to_be_bytes())?.and_then(|v| decode(&v)))
    }

    pub(super) fn put_ident(&self, gid: u128, ident: &Ident) -> std::result::Result<(), TxError> {
        self.ids().insert(gid.to_be_bytes(), encode(ident))?;
        // A record of this store's own making is found by its derived id: no second row.
        if !ident.local.is_empty() && gid != derive_gid(self.me(), self.salt(), &ident.local) {
            self.local_ids()
                .insert(ident.local.as_slice(), gid.to_be_bytes().as_slice())?;
        }
        Ok(())
    }

    /// Notes that this store wrote the record at `local`: a new record of ours gets its id and
    /// revision 1; a change of ours (or bringing back a deleted one) raises the revision. A
    /// record from another store is left as its origin sent it.
    pub(super) fn touched(&self, kind: Kind, key: &[u8]) -> std::result::Result<(), TxError> {
        if !self.tracking() {
            return Ok(());
        }
        let local = local_key(kind, key);
        let seq = self.pending_seq()?;
        let me = self.me();
        match self.gid_of(&local)? {
            Some(gid) => match self.ident(gid)? {
                Some(mut ident) if ident.origin == me => {
                    ident.rev += 1;
                    ident.seq = seq;
                    ident.gone = None;
                    self.put_ident(gid, &ident)
                }
                Some(_) => Ok(()),
                None => Err(TxError::Abort(self.unreadable(Unreadable::Identity))),
            },
            None => {
                let ident = Ident {
                    kind,
                    local: local.clone(),
                    origin: me,
                    rev: 1,
                    seq,
                    gone: None,
                    via: 0,
                };
                self.put_ident(derive_gid(me, self.salt(), &local), &ident)
            }
        }
    }

    /// Notes that this store deleted the record at `local` (an entry of `advisor`): the
    /// deletion is a revision of its own, which bundles carry. A record from another store is
    /// never deleted here by anything but a merge.
    pub(super) fn retired(
        &self,
        kind: Kind,
        key: &[u8],
        advisor: &str,
    ) -> std::result::Result<(), TxError> {
        if !self.tracking() {
            return Ok(());
        }
        let local = local_key(kind, key);
        let seq = self.pending_seq()?;
        if let Some(gid) = self.gid_of(&local)?
            && let Some(mut ident) = self.ident(gid)?
            && ident.origin == self.me()
        {
            ident.rev += 1;
            ident.seq = seq;
            ident.gone = Some(advisor.to_string());
            self.put_ident(gid, &ident)?;
        }
        Ok(())
    }

    /// The number the audit record of this transaction will take.
    pub(super) fn pending_seq(&self) -> std::result::Result<u64, TxError> {
        Ok(self
            .meta()
            .get(b"audit_seq")?
            .map(|v| self.counter(&v))
            .transpose()?
            .unwrap_or(1))
    }
}

impl Store {
    /// This store's id.
    pub fn store_id(&self) -> Ulid {
        Ulid(self.me)
    }

    /// How people know the store `origin`: its enrolled name, else its id.
    pub fn store_name_of(&self, origin: u128) -> Result<String> {
        Ok(self
            .peer(Ulid(origin))?
            .map_or_else(|| Ulid(origin).to_string(), |p| p.name))
    }

    /// The identity of the record at `local` (see [`local_key`]).
    pub fn ident_of(&self, kind: Kind, key: &[u8]) -> Result<Option<(u128, Ident)>> {
        let local = local_key(kind, key);
        Ok(self
            .gid_at(&local)?
            .and_then(|(gid, id)| (id.local == local).then_some((gid, id))))
    }

    /// The global id and identity of the record at the local key `local` (see
    /// [`Tx::gid_of`]).
    pub(super) fn gid_at(&self, local: &[u8]) -> Result<Option<(u128, Ident)>> {
        let named = self
            .trees
            .local_ids
            .get(local)
            .map_err(|e| self.err(e))?
            .and_then(|v| gid_from(&v));
        let gid = named.unwrap_or_else(|| derive_gid(self.me, self.salt, local));
        Ok(self
            .ident_by_gid(gid)?
            .filter(|id| id.local == local)
            .map(|id| (gid, id)))
    }

    pub fn ident_by_gid(&self, gid: u128) -> Result<Option<Ident>> {
        match self
            .trees
            .ids
            .get(gid.to_be_bytes())
            .map_err(|e| self.err(e))?
        {
            None => Ok(None),
            Some(v) => decode(&v)
                .map(Some)
                .ok_or_else(|| self.unreadable(Unreadable::Identity)),
        }
    }

    /// The global id of an item, for the key `export` writes when the item has none.
    pub fn item_gid(&self, id: crate::domain::ItemId) -> Result<Option<Ulid>> {
        Ok(self
            .ident_of(Kind::Item, &keys::id_key(id.0))?
            .map(|(gid, _)| Ulid(gid)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_derived_id_is_stable_and_differs_between_stores_and_records() {
        let a = Ulid::from_parts(1_700_000_000_000, 42).0;
        let b = Ulid::from_parts(1_700_000_000_000, 43).0;
        let k = local_key(Kind::Entry, &7u64.to_be_bytes());
        assert_eq!(derive_gid(a, 9, &k), derive_gid(a, 9, &k));
        assert_ne!(derive_gid(a, 9, &k), derive_gid(b, 9, &k));
        assert_ne!(
            derive_gid(a, 9, &k),
            derive_gid(a, 10, &k),
            "the salt is part of it"
        );
        assert_ne!(
            derive_gid(a, 9, &k),
            derive_gid(a, 9, &local_key(Kind::Item, &7u64.to_be_bytes()))
        );
        assert_eq!(Ulid(derive_gid(a, 9, &k)).timestamp_ms(), 1_700_000_000_000);
    }

    #[test]
    fn an_identity_reads_back_as_written() {
        let ident = Ident {
            kind: Kind::Entry,
            local: local_key(Kind::Entry, &9u64.to_be_bytes()),
            origin: 5,
            rev: 3,
            seq: 12,
            gone: Some("A001".into()),
            via: 7,
        };
        assert_eq!(decode(&encode(&ident)), Some(ident));
    }
}
