//! What this store tells others about itself: its name on cards and bundles, and how far its
//! last bundle reached, so the next one carries only what changed since.

use chrono::{DateTime, FixedOffset};
use serde_json::json;

use super::{AuditAction, Result, Stamp, Store, codec, keys};

const NAME: &[u8] = b"store_name";
const BUNDLED_THROUGH: &[u8] = b"bundled_through";

/// What a written bundle held, for its audit record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Sent {
    pub since: u64,
    pub items: u64,
    pub entries: u64,
    pub deletions: u64,
    pub corrections: u64,
}

impl Store {
    /// This store's name, if one was given.
    pub fn store_name(&self) -> Result<Option<String>> {
        Ok(self
            .trees
            .meta
            .get(NAME)
            .map_err(|e| self.err(e))?
            .map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Names this store (on its card and bundles).
    pub fn set_store_name(&self, name: &str, stamp: &Stamp) -> Result<()> {
        let before = self.store_name()?;
        self.commit(|tx| {
            tx.meta().insert(NAME, name.as_bytes())?;
            tx.audit(stamp, AuditAction::StoreName, json!(before), json!(name))
        })
    }

    /// The audit number the last bundle written here reached (0: none written yet).
    pub fn bundled_through(&self) -> Result<u64> {
        Ok(self
            .trees
            .meta
            .get(BUNDLED_THROUGH)
            .map_err(|e| self.err(e))?
            .and_then(|v| keys::parse_id(&v))
            .unwrap_or(0))
    }

    /// The first audit number on or after `at`: where a bundle `--since DATE` starts.
    pub fn audit_number_at(&self, at: DateTime<FixedOffset>) -> Result<u64> {
        for record in self.audit_trail()? {
            if record.at >= at {
                return Ok(record.seq.saturating_sub(1));
            }
        }
        self.audit_head()
    }

    /// Records that a bundle was written, in the audit trail (`bundle.write`); the next bundle
    /// starts after this change. Returns the audit number the bundle reaches.
    pub fn note_bundle(&self, sent: &Sent, stamp: &Stamp) -> Result<u64> {
        self.commit(|tx| {
            let seq = tx.pending_seq()?;
            tx.meta()
                .insert(BUNDLED_THROUGH, keys::id_key(seq).as_slice())?;
            tx.audit(stamp, AuditAction::BundleWrite, json!(null), json!(sent))?;
            Ok(seq)
        })
    }
}

/// A time as the store writes it, for a bundle's header.
pub fn time_text(at: &DateTime<FixedOffset>) -> String {
    codec::time_text(at)
}
