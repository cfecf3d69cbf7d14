//! A closed month's part of its report, under the figures: when it was filed and with what, then
//! every entry that changed since. The rows and total above stay the ledger's figures now.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::strings::ClosedText;
use crate::domain::{Advisor, Lang, Minutes, Period};
use crate::store::{Change, ClosedMonth, Month, Result, Store};

/// A closed month's filing and what changed since.
pub struct ClosedSection {
    pub closed: ClosedMonth,
    pub changes: Vec<Change>,
}

impl ClosedSection {
    /// The section of `period` when it is a closed month.
    pub fn read(store: &Store, period: Period) -> Result<Option<ClosedSection>> {
        let Some(month) = Month::of_period(&period) else {
            return Ok(None);
        };
        let Some(closed) = store.closed_month(month)? else {
            return Ok(None);
        };
        let changes = store.changes_since_filing(month)?;
        Ok(Some(ClosedSection { closed, changes }))
    }

    /// The filing, then the heading of the changes or that none came.
    fn head(&self, lang: Lang) -> [String; 2] {
        let since = if self.changes.is_empty() {
            ClosedText::NothingSince
        } else {
            ClosedText::SinceHeading
        };
        [
            ClosedText::Filed(&self.closed).message(lang),
            since.message(lang),
        ]
    }

    /// One line per change: entry number, date, advisor, and what happened to it.
    fn change_lines(&self, advisors: &HashMap<String, Advisor>, lang: Lang) -> Vec<String> {
        let mut lines = Vec::new();
        for change in &self.changes {
            let Some(shown) = change.shown() else {
                continue;
            };
            let advisor = match advisors.get(&shown.advisor) {
                Some(a) => format!("{} {}", a.id, a.name),
                None => shown.advisor.clone(),
            };
            let what = ClosedText::Change(change).message(lang);
            lines.push(format!(
                "#{}  {}  {advisor}  {what}",
                change.entry.0, shown.date
            ));
        }
        lines
    }

    /// The section as plain text, after a blank line, the changes indented.
    pub fn text(&self, advisors: &HashMap<String, Advisor>, lang: Lang) -> String {
        let mut text = format!("\n{}\n", self.head(lang).join("\n"));
        for line in self.change_lines(advisors, lang) {
            text += &format!("  {line}\n");
        }
        text
    }

    /// The section as Markdown: the filing as a paragraph, the changes as a list.
    pub fn markdown(&self, advisors: &HashMap<String, Advisor>, lang: Lang) -> String {
        let [filed, since] = self.head(lang);
        let mut text = format!("\n{filed}\n\n{since}\n\n");
        for line in self.change_lines(advisors, lang) {
            // A `#` opening a list item would still read as text, but never as a heading.
            text += &format!("- {}\n", line.replace('|', "\\|"));
        }
        text
    }

    /// The `closed` object `report --format json` adds for a closed month.
    pub fn json(&self) -> Value {
        let (closed, filed) = (&self.closed, &self.closed.filed);
        let minutes = |m: Option<u64>| m.map_or(Value::Null, Value::from);
        let since: Vec<Value> = self
            .changes
            .iter()
            .filter_map(|c| {
                let shown = c.shown()?;
                let moved = c.before.as_ref().filter(|b| b.date != shown.date);
                Some(json!({
                    "entry": c.entry.0,
                    "advisor": shown.advisor,
                    "date": shown.date.to_string(),
                    "date_before": moved.map(|b| b.date.to_string()),
                    "change": c.kind.code(),
                    "minutes_before": minutes(c.before.as_ref().map(|b| b.minutes)),
                    "minutes_after": minutes(c.after.as_ref().map(|a| a.minutes)),
                    "from": c.from,
                    "reason": c.reason,
                }))
            })
            .collect();
        json!({
            "at": closed.at.to_rfc3339(),
            "reason": closed.reason,
            "filed": {
                "at": filed.at.to_rfc3339(),
                "entries": filed.entries,
                "items": filed.items,
                "minutes": filed.minutes,
                "hours": Minutes(filed.minutes).hours_json(),
            },
            "since": since,
        })
    }
}
