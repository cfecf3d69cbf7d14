//! A tally or a summary as JSON, for other programs: pretty-printed, one document per output.

use crate::domain::{Summary, Tally};

/// The tally as `report --format json` prints it.
pub fn tally(t: &Tally) -> String {
    pretty(&t.to_json())
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
