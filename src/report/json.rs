//! A tally or a summary as JSON, for other programs: pretty-printed, one document per output.

use super::ClosedSection;
use crate::domain::{Summary, Tally};

/// The tally as `report --format json` prints it.
pub fn tally(t: &Tally) -> String {
    pretty(&t.to_json())
}

/// The tally of a closed month, with its `closed` object beside the rows and total.
pub fn closed_tally(t: &Tally, closed: &ClosedSection) -> String {
    let mut value = t.to_json();
    if let Some(object) = value.as_object_mut() {
        object.insert("closed".into(), closed.json());
    }
    pretty(&value)
}

/// The summary as `summary --format json` prints it.
pub fn summary(s: &Summary) -> String {
    pretty(&s.to_json())
}

fn pretty(value: &serde_json::Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(value).unwrap_or_default()
    )
}
