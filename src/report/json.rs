//! A tally or a summary as JSON, for other programs: pretty-printed, one document per output.

use super::ClosedSection;
use super::csv::{GROUP_ROW, TOTAL_ROW};
use crate::domain::rounding::Rounding;
use crate::domain::{Summary, Tally};
use crate::store::Head;

/// The tally as `report --format json` prints it, with the audit head it was made from.
pub fn tally(t: &Tally, head: &Head) -> String {
    pretty(&with_head(tally_json(t), head))
}

/// The tally of a closed month, with its `closed` object beside the rows and total.
pub fn closed_tally(t: &Tally, closed: &ClosedSection, head: &Head) -> String {
    let mut value = with_head(tally_json(t), head);
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

/// The tally's JSON. Apportioned, each row and the total also carry `hours_apportioned`, the
/// hours the table shows; `hours` stays each row's own, rounded half up, as programs expect.
fn tally_json(t: &Tally) -> serde_json::Value {
    let mut value = t.to_json();
    marked(&mut value);
    if t.rounding != Rounding::Apportioned {
        return value;
    }
    let hours = t.figures().hours;
    let number = |text: String| serde_json::Number::from_f64(text.parse().unwrap_or(0.0));
    if let Some(rows) = value.get_mut("rows").and_then(|r| r.as_array_mut()) {
        for (i, row) in rows.iter_mut().enumerate() {
            if let Some(row) = row.as_object_mut() {
                row.insert("hours_apportioned".into(), number(hours.row_text(i)).into());
            }
        }
    }
    if let Some(total) = value.get_mut("total").and_then(|r| r.as_object_mut()) {
        total.insert(
            "hours_apportioned".into(),
            number(hours.total_text()).into(),
        );
    }
    value
}

/// Adds `row` to each row (`group`) and to the total (`total`), as the CSV's `row` column has
/// it: one way to tell the total in every format, while each keeps the `key` scripts read.
fn marked(value: &mut serde_json::Value) {
    if let Some(rows) = value.get_mut("rows").and_then(|r| r.as_array_mut()) {
        for row in rows.iter_mut().filter_map(|r| r.as_object_mut()) {
            row.insert("row".into(), GROUP_ROW.into());
        }
    }
    if let Some(total) = value.get_mut("total").and_then(|r| r.as_object_mut()) {
        total.insert("row".into(), TOTAL_ROW.into());
    }
}

fn pretty(value: &serde_json::Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(value).unwrap_or_default()
    )
}
