//! A bundle: what a store sends the office — every record changed since its last bundle (or
//! all of them), with their revisions and its audit head — sealed with the store's key; and
//! taking one in: checked against the enrolled card, then merged all or nothing.
//!
//! The body, inside the signed envelope (see `envelope.rs`):
//! ```json
//! {"format":"counsel-log-bundle","version":1,
//!  "sender":{"store":ULID,"name":"…","public_key":HEX},
//!  "created":"2024-03-31T17:00:00+08:00","since":0,
//!  "head":{"count":42,"hash":HEX},
//!  "counts":{"items":3,"entries":10,"deletions":1,"corrections":0},
//!  "items":[…],"entries":[…],"deletions":[…],"corrections":[…]}
//! ```

use chrono::{DateTime, FixedOffset};
use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::card::Card;
use super::envelope::{self, BUNDLE_FORMAT, BUNDLE_VERSION, EnvelopeFault};
use crate::store::{
    self, Arrival, Changes, Head, MergeReport, Peer, Sent, Stamp, Store, StoreError,
};

/// From which change on a bundle carries the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// Everything changed since the last bundle written here (everything, the first time).
    LastBundle,
    /// Every record: always safe to send again.
    All,
    /// Everything changed on or after this time.
    Time(DateTime<FixedOffset>),
}

/// How many records of each kind a bundle holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub items: u64,
    pub entries: u64,
    pub deletions: u64,
    pub corrections: u64,
}

impl Counts {
    pub fn of(changes: &Changes) -> Counts {
        let n = |len: usize| u64::try_from(len).unwrap_or(u64::MAX);
        Counts {
            items: n(changes.items.len()),
            entries: n(changes.entries.len()),
            deletions: n(changes.deletions.len()),
            corrections: n(changes.corrections.len()),
        }
    }
}

/// The body of a bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub format: String,
    pub version: u32,
    pub sender: serde_json::Value,
    pub created: String,
    /// The sender's audit number the bundle starts after (0: from the beginning).
    pub since: u64,
    pub head: Head,
    pub counts: Counts,
    #[serde(flatten)]
    pub changes: Changes,
}

/// Why a bundle was not written or not taken in; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(crate::domain::Lang::En))]
pub enum BundleFault {
    Envelope(EnvelopeFault),
    /// The sender is not enrolled here.
    UnknownSender {
        store: ulid::Ulid,
        name: String,
    },
    /// The enrolled card's key is not a key (the peer record is damaged).
    EnrolledKeyUnusable {
        name: String,
    },
    /// The body, though signed, is not laid out as this version writes it.
    Malformed {
        what: String,
    },
    /// The body's counts disagree with what it holds.
    CountsDiffer,
    Store(StoreError),
}

impl From<StoreError> for BundleFault {
    fn from(e: StoreError) -> BundleFault {
        BundleFault::Store(e)
    }
}

impl From<EnvelopeFault> for BundleFault {
    fn from(e: EnvelopeFault) -> BundleFault {
        BundleFault::Envelope(e)
    }
}

/// A bundle written and what it holds.
pub struct Written {
    pub text: String,
    pub counts: Counts,
    pub since: u64,
}

/// This store's card, under `name` (its stored name, else the one given).
pub fn card(store: &Store, name: &str) -> Result<Card, BundleFault> {
    let key = store::load_key(store.path()).map_err(StoreError::from)?;
    card_of(store, &key, name)
}

/// The card of `store`, whose signing key is `key`.
fn card_of(store: &Store, key: &SigningKey, name: &str) -> Result<Card, BundleFault> {
    let name = store.store_name()?.unwrap_or_else(|| name.to_string());
    Card::new(store.store_id(), &name, &key.verifying_key())
        .map_err(|e| BundleFault::Envelope(EnvelopeFault::Sender(e)))
}

/// Seals a bundle of this store's changes. The caller writes it out, then calls
/// [`Store::note_bundle`] so the next bundle starts after it.
pub fn write(
    store: &Store,
    since: Since,
    name: &str,
    created: &DateTime<FixedOffset>,
) -> Result<Written, BundleFault> {
    // Never a new key in passing: bundles signed with it would be refused at the office.
    let key = store::load_key(store.path()).map_err(StoreError::from)?;
    let card = card_of(store, &key, name)?;
    let since = match since {
        Since::LastBundle => store.bundled_through()?,
        Since::All => 0,
        Since::Time(at) => store.audit_number_at(at)?,
    };
    let changes = store.changes_since(since)?;
    let counts = Counts::of(&changes);
    let body = Body {
        format: BUNDLE_FORMAT.into(),
        version: BUNDLE_VERSION,
        sender: card.sender_value(),
        created: store::time_text(created),
        since,
        head: store.audit_head_record()?,
        counts,
        changes,
    };
    let json = serde_json::to_string(&body).map_err(|e| BundleFault::Malformed {
        what: e.to_string(),
    })?;
    Ok(Written {
        text: envelope::seal(&json, &key),
        counts,
        since,
    })
}

impl Written {
    /// What the audit record of the written bundle keeps.
    pub fn sent(&self) -> Sent {
        Sent {
            since: self.since,
            items: self.counts.items,
            entries: self.counts.entries,
            deletions: self.counts.deletions,
            corrections: self.counts.corrections,
        }
    }
}

/// A bundle checked: whole, signed by the enrolled store it names, laid out as written.
pub struct Checked {
    pub peer: Peer,
    pub body: Body,
    pub created: DateTime<FixedOffset>,
}

/// Opens a bundle file and checks it against the enrolled card of its sender.
pub fn check(store: &Store, bytes: &[u8]) -> Result<Checked, BundleFault> {
    let sealed = envelope::open(bytes)?;
    let sender = sealed.sender();
    let peer = store
        .peer(sender.store)?
        .ok_or_else(|| BundleFault::UnknownSender {
            store: sender.store,
            name: sender.name.clone(),
        })?;
    let key = enrolled_key(&peer)?;
    sealed.verify(&key)?;
    let body: Body = serde_json::from_str(sealed.body()).map_err(|e| BundleFault::Malformed {
        what: e.to_string(),
    })?;
    if body.counts != Counts::of(&body.changes) {
        return Err(BundleFault::CountsDiffer);
    }
    let created =
        DateTime::parse_from_rfc3339(&body.created).map_err(|e| BundleFault::Malformed {
            what: format!("created: {e}"),
        })?;
    Ok(Checked {
        peer,
        body,
        created,
    })
}

fn enrolled_key(peer: &Peer) -> Result<VerifyingKey, BundleFault> {
    let unusable = || BundleFault::EnrolledKeyUnusable {
        name: peer.name.clone(),
    };
    let bytes: [u8; 32] = hex::decode(&peer.public_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(unusable)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| unusable())
}

/// Merges a checked bundle (or, for a dry run, says what it would change).
pub fn import(
    store: &Store,
    checked: &Checked,
    stamp: &Stamp,
    dry_run: bool,
) -> Result<MergeReport, BundleFault> {
    import_in_parts(store, checked, stamp, dry_run, store::PART)
}

/// [`import`], merging `part` records per transaction.
pub fn import_in_parts(
    store: &Store,
    checked: &Checked,
    stamp: &Stamp,
    dry_run: bool,
    part: usize,
) -> Result<MergeReport, BundleFault> {
    let c = checked.body.counts;
    let arrival = Arrival {
        sender: &checked.peer,
        created: checked.created,
        head: checked.body.head.count,
        since: checked.body.since,
        counts: (c.items, c.entries, c.deletions, c.corrections),
        part,
        dry_run,
    };
    Ok(store.merge(&checked.body.changes, &arrival, stamp)?)
}
