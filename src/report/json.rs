//! A tally or a summary as JSON, for other programs: pretty-printed, one document per output.

use super::ClosedSection;
use crate::domain::{Summary, Tally};
use crate::store::Head;

/// The tally as `report --format json` prints it, with the audit head it was made from.
pub fn tally(t: &Tally, head: &Head) -> String {
    pretty(&with_head(t.to_json(), head))
}

/// The tally of a closed month, with its `closed` object beside the rows and total.
pub fn closed_tally(t: &Tally, closed: &ClosedSection, head: &Head) -> String {
    let mut value = with_head(t.to_json(), head);
    if let Some(object) = value.as_object_mut() {
        object.insert("closed".into(), closed.json());
    }
    pretty(&value)
}

/// The summary as `summary --format json` prints it, with the audit head it was made from.
pub fn summary(s: &Summary, head: &Head) -> String {
    pretty(&with_head(s.to_json(), head))
}

/// Adds `audit_head` (`{"count", "hash"}`, as in `audit-head.json`) to a document: whoever
/// keeps it can later tell whether the history it was made from was rewritten.
pub fn with_head(mut value: serde_json::Value, head: &Head) -> serde_json::Value {
    if let Some(object) = value.as_object_mut() {
        object.insert(
            "audit_head".into(),
            serde_json::json!({"count": head.count, "hash": head.hash}),
        );
    }
    value
}

fn pretty(value: &serde_json::Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(value).unwrap_or_default()
    )
}
