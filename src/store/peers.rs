//! Peers: the stores enrolled here to speak for some advisors, with their public keys and
//! what their last bundle held. Enrolling, changing and removing a peer are audited changes.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ulid::Ulid;

use super::tx::TxError;
use super::{AuditAction, Rejection, Result, Stamp, Store, Unreadable, codec};

/// A store enrolled here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    #[serde(with = "codec::ulid_text")]
    pub store: Ulid,
    pub name: String,
    /// Its ed25519 public key, hex.
    pub public_key: String,
    /// The advisors (by id code) it may send work for.
    pub advisors: Vec<String>,
    #[serde(with = "codec::time")]
    pub added: DateTime<FixedOffset>,
    /// What its newest bundle held, once one arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Receipt>,
}

/// What a bundle held when it was merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// When it was merged here.
    #[serde(with = "codec::time")]
    pub at: DateTime<FixedOffset>,
    /// When its sender wrote it.
    #[serde(with = "codec::time")]
    pub created: DateTime<FixedOffset>,
    /// The sender's audit head when it wrote it.
    pub head: u64,
    pub items: u64,
    pub entries: u64,
    pub deletions: u64,
    pub corrections: u64,
}

/// Why a peer could not be enrolled, changed or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeerRefusal {
    /// The card is this store's own.
    Itself,
    /// A peer with this id is enrolled already (under `name`).
    Known { name: String },
    /// No enrolled peer has this id or name.
    Unknown { what: String },
    /// Another enrolled peer has this name (or a name that is another peer's id).
    NameTaken { name: String },
    /// Another enrolled peer has the same public key.
    KeyKnown { name: String },
    /// These advisors are not on the roster.
    UnknownAdvisors { ids: Vec<String> },
    /// A peer must speak for at least one advisor.
    NoAdvisors,
}

impl Store {
    /// Every enrolled peer, by name.
    pub fn peers(&self) -> Result<Vec<Peer>> {
        let mut out = Vec::new();
        for kv in self.trees.peers.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::Peer))?);
        }
        out.sort_by(|a: &Peer, b| a.name.cmp(&b.name));
        Ok(out)
    }

    pub fn peer(&self, store: Ulid) -> Result<Option<Peer>> {
        match self
            .trees
            .peers
            .get(store.0.to_be_bytes())
            .map_err(|e| self.err(e))?
        {
            None => Ok(None),
            Some(v) => codec::decode_json(&v)
                .map(Some)
                .ok_or_else(|| self.unreadable(Unreadable::Peer)),
        }
    }

    /// The peer a person names by its store id or its name.
    pub fn find_peer(&self, what: &str) -> Result<Peer> {
        let what = what.trim();
        let peers = self.peers()?;
        // An id first: a name can never stand for another peer's id.
        let by_id = peers
            .iter()
            .position(|p| p.store.to_string().eq_ignore_ascii_case(what));
        let found = by_id.or_else(|| peers.iter().position(|p| p.name == what));
        found.map(|i| peers[i].clone()).ok_or_else(|| {
            Rejection::Peer(PeerRefusal::Unknown {
                what: what.to_string(),
            })
            .into()
        })
    }

    /// Enrols a peer (`peer.add`).
    pub fn add_peer(&self, peer: &Peer, stamp: &Stamp) -> Result<()> {
        if peer.store.0 == self.me {
            return Err(Rejection::Peer(PeerRefusal::Itself).into());
        }
        if let Some(known) = self.peer(peer.store)? {
            return Err(Rejection::Peer(PeerRefusal::Known { name: known.name }).into());
        }

        self.check_peer(peer)?;
        self.commit(|tx| {
            tx.peers()
                .insert(peer.store.0.to_be_bytes(), codec::encode_json(peer))?;
            tx.audit(stamp, AuditAction::PeerAdd, json!(null), json!(peer))
        })
    }

    /// Changes an enrolled peer's name or advisors (`peer.edit`).
    pub fn update_peer(&self, before: &Peer, after: &Peer, stamp: &Stamp) -> Result<()> {
        self.check_peer(after)?;
        self.commit(|tx| {
            tx.peers()
                .insert(after.store.0.to_be_bytes(), codec::encode_json(after))?;
            tx.audit(stamp, AuditAction::PeerEdit, json!(before), json!(after))
        })
    }

    /// Removes an enrolled peer (`peer.remove`): its bundles are refused from then on; what
    /// it sent stays in the ledger.
    pub fn remove_peer(&self, peer: &Peer, stamp: &Stamp) -> Result<()> {
        self.commit(|tx| {
            tx.peers().remove(peer.store.0.to_be_bytes())?;
            tx.audit(stamp, AuditAction::PeerRemove, json!(peer), json!(null))
        })
    }

    /// A peer's name is its own, and its advisors are on the roster.
    fn check_peer(&self, peer: &Peer) -> Result<()> {
        if peer.advisors.is_empty() {
            return Err(Rejection::Peer(PeerRefusal::NoAdvisors).into());
        }
        if let Some(other) = self.peers()?.into_iter().find(|p| {
            p.store != peer.store
                && (p.name == peer.name || p.store.to_string().eq_ignore_ascii_case(&peer.name))
        }) {
            return Err(Rejection::Peer(PeerRefusal::NameTaken { name: other.name }).into());
        }
        // One key speaks for one store: a second card with a known key is another store
        // pretending, or the same store under a new id.
        if let Some(same) = self
            .peers()?
            .into_iter()
            .find(|p| p.store != peer.store && p.public_key.eq_ignore_ascii_case(&peer.public_key))
        {
            return Err(Rejection::Peer(PeerRefusal::KeyKnown { name: same.name }).into());
        }
        let roster = self.advisors()?;
        let unknown: Vec<String> = peer
            .advisors
            .iter()
            .filter(|a| !roster.contains_key(*a))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(Rejection::Peer(PeerRefusal::UnknownAdvisors { ids: unknown }).into());
        }
        Ok(())
    }
}

/// Inside a merge: notes what the peer's bundle held.
pub(super) fn note_receipt(
    tx: &super::tx::Tx,
    peer: &Peer,
    receipt: Receipt,
) -> std::result::Result<(), TxError> {
    let mut peer = peer.clone();
    peer.last = Some(receipt);
    tx.peers()
        .insert(peer.store.0.to_be_bytes(), codec::encode_json(&peer))
}
