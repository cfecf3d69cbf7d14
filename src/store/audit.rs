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
}
