//! The audit trail: one append-only record per change — when, who, what, before and after.

use serde::{Deserialize, Serialize};

/// Who makes a change and when; passed in by the caller so that logic never reads the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// RFC 3339 time of the change.
    pub at: String,
    /// The configured name, else the OS user.
    pub who: String,
}

impl Stamp {
    pub fn new(at: chrono::DateTime<chrono::FixedOffset>, who: impl Into<String>) -> Stamp {
        Stamp {
            at: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            who: who.into(),
        }
    }
}

/// One change, as kept in the trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    pub at: String,
    pub who: String,
    /// What kind of change: `advisor.add`, `entry.add`, `import.entries`, `restore`, …
    pub action: String,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub before: serde_json::Value,
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub after: serde_json::Value,
    /// SHA-256 (hex) of the previous record as stored; all zeros for the first. Changing or
    /// removing any record breaks every link after it.
    #[serde(default)]
    pub prev: String,
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
