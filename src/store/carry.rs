//! What a backup carries beyond the records, so that a store restored from it is the same
//! member of its team: the store's id and the salt of its record ids, every record's identity
//! (global id, origin, revision), the corrections, the enrolled peers and the closed months.
//! The signing key is not carried: it never leaves the store's folder.
//!
//! The rows travel as they are stored (hex keys and values), except that an identity's audit
//! number is left out: it counts the changes of one audit trail, and a restored store starts
//! another.

use serde::{Deserialize, Serialize};

use super::peers::Peer;
use super::shared::Correction;
use super::tx::{Tx, TxError};
use super::{GID_SALT, Result, STORE_ID, Store, Unreadable, codec, ident};
use crate::domain::model::{TextField, check_text};

/// One stored row a backup carries.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CarriedRow {
    pub tree: CarriedTree,
    pub key: String,
    pub value: String,
}

/// The trees (and the part of `meta`) a backup carries rows of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarriedTree {
    Meta,
    Ids,
    LocalIds,
    Corrections,
    Peers,
}

/// The `meta` rows that belong to the store's place in its team (not counters, not the
/// audit head, not how far its bundles reached).
fn carried_meta(key: &[u8]) -> bool {
    key == STORE_ID
        || key == GID_SALT
        || key == b"store_name"
        || key.starts_with(b"closed/")
        || key.starts_with(b"filed/")
}

impl Store {
    /// Every row a backup carries, in a fixed order.
    pub fn carried_rows(&self) -> Result<Vec<CarriedRow>> {
        self.each_carried_row().collect()
    }

    /// Every row a backup carries, in the order of [`Store::carried_rows`], one at a time.
    pub(super) fn each_carried_row(&self) -> impl Iterator<Item = Result<CarriedRow>> + '_ {
        let t = &self.trees;
        [
            (&t.meta, CarriedTree::Meta),
            (&t.ids, CarriedTree::Ids),
            (&t.local_ids, CarriedTree::LocalIds),
            (&t.corrections, CarriedTree::Corrections),
            (&t.peers, CarriedTree::Peers),
        ]
        .into_iter()
        .flat_map(move |(tree, which)| {
            tree.iter().filter_map(move |kv| {
                let row = kv
                    .map_err(|e| self.err(e))
                    .and_then(|(k, v)| self.carried_row(which, &k, &v));
                row.transpose()
            })
        })
    }

    /// The row a backup carries of the pair `k`, `v` of the tree `which`, if it carries one.
    fn carried_row(&self, which: CarriedTree, k: &[u8], v: &[u8]) -> Result<Option<CarriedRow>> {
        if which == CarriedTree::Meta && !carried_meta(k) {
            return Ok(None);
        }
        let value = if which == CarriedTree::Ids {
            let mut id = ident::decode(v).ok_or_else(|| self.unreadable(Unreadable::Identity))?;
            id.seq = 0;
            ident::encode(&id)
        } else {
            v.to_vec()
        };
        Ok(Some(CarriedRow {
            tree: which,
            key: hex_of(k),
            value: hex_of(&value),
        }))
    }

    /// Clears the identities a new, empty store gave its default catalogs, before a restore
    /// puts back those of the backup.
    pub(super) fn clear_identities(&self) -> Result<()> {
        self.trees.ids.clear().map_err(|e| self.err(e))?;
        self.trees.local_ids.clear().map_err(|e| self.err(e))
    }
}

/// Bytes as lower-case hex, written at once rather than a character at a time: a backup
/// writes two million such keys and values at a million entries.
fn hex_of(bytes: &[u8]) -> String {
    let mut out = vec![0; bytes.len() * 2];
    // Fails only when the output is not twice the input's length, which it is.
    let _ = hex::encode_to_slice(bytes, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// True when a row is what this build writes: hex that decodes to the record its tree holds,
/// a peer with a usable key and name (none twice: `peer_keys` holds the keys of the peers met
/// so far), an id of sixteen bytes. A backup's checksum proves it whole, not that nobody wrote
/// it: a restore takes nothing on trust.
pub(super) fn row_sound(r: &CarriedRow, peer_keys: &mut std::collections::HashSet<String>) -> bool {
    let (Ok(key), Ok(value)) = (hex::decode(&r.key), hex::decode(&r.value)) else {
        return false;
    };
    match r.tree {
        CarriedTree::Meta => meta_sound(&key, &value),
        CarriedTree::Ids => key.len() == 16 && ident::decode(&value).is_some(),
        CarriedTree::LocalIds => value.len() == 16,
        CarriedTree::Corrections => {
            key.len() == 32
                && (codec::decode_json::<Correction>(&value).is_some()
                    || codec::decode_json::<crate::domain::Entry>(&value).is_some())
        }
        CarriedTree::Peers => codec::decode_json::<Peer>(&value)
            .is_some_and(|p| key.len() == 16 && peer_sound(&p) && peer_keys.insert(p.public_key)),
    }
}

fn meta_sound(key: &[u8], value: &[u8]) -> bool {
    if key == STORE_ID || key == GID_SALT {
        return value.len() == 16;
    }
    if key == b"store_name" {
        return std::str::from_utf8(value)
            .is_ok_and(|n| check_text(TextField::Name, n).is_ok_and(|n| !n.is_empty()));
    }
    if key.starts_with(b"closed/") {
        return codec::decode_json::<super::ClosedMonth>(value).is_some();
    }
    if key.starts_with(b"filed/") {
        return codec::decode_json::<super::Filing>(value).is_some()
            || codec::decode_json::<super::FiledEntry>(value).is_some();
    }
    false
}

/// A peer as `peer add` would have enrolled it: a name people can read, a key that is one.
fn peer_sound(p: &Peer) -> bool {
    let name = check_text(TextField::Name, &p.name).is_ok_and(|n| !n.is_empty() && n == p.name);
    let key = hex::decode(&p.public_key)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .is_some_and(|b| ed25519_dalek::VerifyingKey::from_bytes(&b).is_ok_and(|k| !k.is_weak()));
    name && key && !p.advisors.is_empty()
}

/// Inside a restore's transaction: writes the carried rows back, each identity marked as
/// written by this restore (so the next bundle carries every record).
pub(super) fn write_rows(tx: &Tx, rows: &[CarriedRow]) -> std::result::Result<(), TxError> {
    let seq = tx.pending_seq()?;
    for row in rows {
        let (Ok(key), Ok(value)) = (hex::decode(&row.key), hex::decode(&row.value)) else {
            continue;
        };
        let value = match row.tree {
            CarriedTree::Ids => match ident::decode(&value) {
                Some(mut id) => {
                    id.seq = seq;
                    ident::encode(&id)
                }
                None => continue,
            },
            _ => value,
        };
        let tree = match row.tree {
            CarriedTree::Meta => tx.meta(),
            CarriedTree::Ids => tx.ids(),
            CarriedTree::LocalIds => tx.local_ids(),
            CarriedTree::Corrections => tx.corrections(),
            CarriedTree::Peers => tx.peers(),
        };
        tree.insert(key, value)?;
    }
    Ok(())
}
