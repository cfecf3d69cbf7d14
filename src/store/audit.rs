//! The audit trail: one append-only record per change — when, who, what, before and after.

use chrono::{DateTime, FixedOffset, Timelike};
use serde::{Deserialize, Serialize};

use super::tx::{Tx, TxError};
use super::{Result, Store, Unreadable, codec, keys};

/// What kind of change an audit record keeps, stored as its code (`entry.add`, …).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[serde(into = "&'static str", try_from = "String")]
pub enum AuditAction {
    /// An advisor added by hand.
    #[strum(serialize = "advisor.add")]
    AdvisorAdd,
    /// An advisor's name, category, unit or active flag changed.
    #[strum(serialize = "advisor.edit")]
    AdvisorEdit,
    /// Advisors added from a file.
    #[strum(serialize = "import.advisors")]
    ImportAdvisors,
    /// A topic or service type of the user's own.
    #[strum(serialize = "catalog.add")]
    CatalogAdd,
    /// An entry logged by hand (command line or form).
    #[strum(serialize = "entry.add")]
    EntryAdd,
    /// Entries (and their new items) imported from a file.
    #[strum(serialize = "import.entries")]
    ImportEntries,
    #[strum(serialize = "entry.edit")]
    EntryEdit,
    #[strum(serialize = "entry.delete")]
    EntryDelete,
    /// An item's status, rating or outcome changed.
    #[strum(serialize = "item.edit")]
    ItemEdit,
    #[strum(serialize = "timer.start")]
    TimerStart,
    /// The timer stopped, its time logged as an entry.
    #[strum(serialize = "timer.stop")]
    TimerStop,
    /// The timer stopped without logging anything.
    #[strum(serialize = "timer.cancel")]
    TimerCancel,
    /// An earlier change taken back; `after.undoes` names its record.
    #[strum(serialize = "undo")]
    Undo,
    /// An import that stopped partway, removed at the next open.
    #[strum(serialize = "rollback")]
    Rollback,
    /// A whole ledger loaded into an empty store.
    #[strum(serialize = "restore")]
    Restore,
    /// A store enrolled to speak for some advisors.
    #[strum(serialize = "peer.add")]
    PeerAdd,
    /// An enrolled store's name or advisors changed.
    #[strum(serialize = "peer.edit")]
    PeerEdit,
    #[strum(serialize = "peer.remove")]
    PeerRemove,
    /// A peer's bundle merged; `after` says what it held and what changed.
    #[strum(serialize = "bundle.import")]
    BundleImport,
    /// A bundle written for the office; `after` says from which change on.
    #[strum(serialize = "bundle.write")]
    BundleWrite,
    /// This store's name on its card and bundles changed.
    #[strum(serialize = "store.name")]
    StoreName,
    /// A correction of an entry: the hours (and date) the figures count instead.
    #[strum(serialize = "entry.correct")]
    Correct,
    /// The store brought up to date from an older schema.
    #[strum(serialize = "store.migrate")]
    Migrate,
    /// A month closed: `after` names it, the reason and the figures filed.
    #[strum(serialize = "month.close")]
    MonthClose,
    /// A closed month reopened: `before` holds its mark, `after` the reason.
    #[strum(serialize = "month.reopen")]
    MonthReopen,
}

impl AuditAction {
    /// The code the trail stores.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl TryFrom<String> for AuditAction {
    type Error = strum::ParseError;

    fn try_from(code: String) -> std::result::Result<AuditAction, strum::ParseError> {
        code.parse()
    }
}

/// Who makes a change and when; passed in by the caller so that logic never reads the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// When the change is made, to the second (as the trail keeps it).
    pub at: DateTime<FixedOffset>,
    /// The configured name, else the OS user.
    pub who: String,
}

impl Stamp {
    pub fn new(at: DateTime<FixedOffset>, who: impl Into<String>) -> Stamp {
        Stamp {
            at: at.with_nanosecond(0).unwrap_or(at),
            who: who.into(),
        }
    }
}

/// One change, as kept in the trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    #[serde(with = "codec::time")]
    pub at: DateTime<FixedOffset>,
    pub who: String,
    pub action: AuditAction,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub before: serde_json::Value,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub after: serde_json::Value,
    /// SHA-256 (hex) of the previous record as stored; all zeros for the first. Changing or
    /// removing any record breaks every link after it.
    #[serde(default)]
    pub prev: String,
    /// The ledger's digest after the change (see `digest.rs`), from schema 3 on: `verify`
    /// recounts it from the records, so a record changed behind the store's back is caught.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ledger: Option<String>,
}

/// An audit record queued in a transaction, written when the transaction is sealed.
pub(super) struct PendingAudit {
    seq: u64,
    at: DateTime<FixedOffset>,
    who: String,
    action: AuditAction,
    before: serde_json::Value,
    after: serde_json::Value,
}

/// The hash of "no record yet".
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 of a record's stored bytes, in hex: what the next record's `prev` holds.
pub fn digest(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The newest end of the chain: how many records, and the hash of the last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub count: u64,
    pub hash: String,
}

impl Head {
    pub fn empty() -> Head {
        Head {
            count: 0,
            hash: GENESIS.to_string(),
        }
    }
}

/// The `meta` key of the audit chain's head.
pub(super) const AUDIT_HEAD: &[u8] = b"audit_head";

impl Tx<'_> {
    /// Appends one audit record: its number now, its bytes once the transaction's changes are
    /// all counted (they carry the ledger's digest after them).
    pub(super) fn audit(
        &self,
        stamp: &Stamp,
        action: AuditAction,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> std::result::Result<(), TxError> {
        let seq = self.next("audit_seq")?;
        self.queue_audit(PendingAudit {
            seq,
            at: stamp.at,
            who: stamp.who.clone(),
            action,
            before,
            after,
        });
        Ok(())
    }

    /// Writes a queued record into the trail, chained to the one before it.
    pub(super) fn append_audit(
        &self,
        pending: PendingAudit,
        ledger: &str,
    ) -> std::result::Result<(), TxError> {
        let head: Head = match self.meta().get(AUDIT_HEAD)? {
            None => Head::empty(),
            Some(v) => codec::decode_json(&v)
                .ok_or_else(|| TxError::Abort(self.unreadable(Unreadable::AuditKey)))?,
        };
        let PendingAudit {
            seq,
            at,
            who,
            action,
            before,
            after,
        } = pending;
        let record = AuditRecord {
            seq,
            at,
            who,
            action,
            before,
            after,
            prev: head.hash,
            ledger: Some(ledger.to_string()),
        };
        let bytes = codec::encode_json(&record);
        let next = Head {
            count: head.count + 1,
            hash: digest(&bytes),
        };
        self.audit_log()
            .insert(keys::id_key(seq).as_slice(), bytes)?;
        self.meta().insert(AUDIT_HEAD, codec::encode_json(&next))?;
        Ok(())
    }
}

impl Store {
    /// The audit head as the store holds it.
    pub fn audit_head_record(&self) -> Result<Head> {
        match self.trees.meta.get(AUDIT_HEAD).map_err(|e| self.err(e))? {
            None => Ok(Head::empty()),
            Some(v) => codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::AuditKey)),
        }
    }

    /// The audit trail, oldest first.
    pub fn audit_trail(&self) -> Result<Vec<super::AuditRecord>> {
        let mut out = Vec::new();
        for kv in self.trees.audit.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(
                codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::AuditRecord))?,
            );
        }
        Ok(out)
    }

    /// The sequence number of the newest audit record (0 for none).
    pub fn audit_head(&self) -> Result<u64> {
        match self.trees.audit.last().map_err(|e| self.err(e))? {
            Some((k, _)) => keys::parse_id(&k).ok_or_else(|| self.unreadable(Unreadable::AuditKey)),
            None => Ok(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn time(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    /// A record exactly as counsel-log has always stored it. `verify` and the next record's
    /// `prev` hash these bytes, so a record must serialize to them and nothing else.
    const STORED: &str = concat!(
        r#"{"seq":7,"at":"2024-06-30T09:00:05+08:00","who":"王律师","action":"entry.edit","#,
        r#""before":{"entry":{"id":3}},"#,
        r#""prev":"0000000000000000000000000000000000000000000000000000000000000000"}"#
    );

    #[test]
    fn a_record_serializes_to_the_bytes_stored_today() {
        let stamp = Stamp::new(time("2024-06-30T09:00:05.123+08:00"), "王律师");
        let record = AuditRecord {
            seq: 7,
            at: stamp.at,
            who: stamp.who,
            action: AuditAction::EntryEdit,
            before: json!({"entry": {"id": 3}}),
            after: serde_json::Value::Null,
            prev: GENESIS.into(),
            ledger: None,
        };
        assert_eq!(
            String::from_utf8(codec::encode_json(&record)).unwrap(),
            STORED
        );
        assert_eq!(
            codec::decode_json::<AuditRecord>(STORED.as_bytes()),
            Some(record)
        );
    }

    #[test]
    fn a_time_in_utc_keeps_its_offset_rather_than_z() {
        let stamp = Stamp::new(time("2024-06-30T01:00:05Z"), "x");
        assert_eq!(codec::time_text(&stamp.at), "2024-06-30T01:00:05+00:00");
    }

    #[test]
    fn every_action_is_stored_as_its_code() {
        let codes = [
            (AuditAction::AdvisorAdd, "advisor.add"),
            (AuditAction::AdvisorEdit, "advisor.edit"),
            (AuditAction::ImportAdvisors, "import.advisors"),
            (AuditAction::CatalogAdd, "catalog.add"),
            (AuditAction::EntryAdd, "entry.add"),
            (AuditAction::ImportEntries, "import.entries"),
            (AuditAction::EntryEdit, "entry.edit"),
            (AuditAction::EntryDelete, "entry.delete"),
            (AuditAction::ItemEdit, "item.edit"),
            (AuditAction::TimerStart, "timer.start"),
            (AuditAction::TimerStop, "timer.stop"),
            (AuditAction::TimerCancel, "timer.cancel"),
            (AuditAction::Undo, "undo"),
            (AuditAction::Rollback, "rollback"),
            (AuditAction::Restore, "restore"),
            (AuditAction::MonthClose, "month.close"),
            (AuditAction::MonthReopen, "month.reopen"),
        ];
        for (action, code) in codes {
            assert_eq!(
                serde_json::to_string(&action).unwrap(),
                format!("\"{code}\"")
            );
            assert_eq!(
                serde_json::from_value::<AuditAction>(json!(code)).unwrap(),
                action
            );
            assert_eq!(action.as_str(), code);
        }
        assert!(serde_json::from_str::<AuditAction>("\"entry.teleport\"").is_err());
    }
}
