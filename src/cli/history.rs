//! `counsel-log history ENTRY [--format text|json]`: an entry as logged, where it came from,
//! and every correction of it, the newest of which the figures count.

use clap::Args;

use super::messages::{TeamRefusal, entry_history};
use super::{Context, Refusal, Result};
use crate::domain::EntryId;
use crate::store::{EntryHistory, Store};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The entry, by its number: #282 or 282
    entry: String,
    #[arg(long, value_enum, default_value = "text")]
    format: HistoryFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum HistoryFormat {
    Text,
    Json,
}

/// An entry number as people write it: `#282` or `282`.
pub fn entry_number(text: &str) -> Result<EntryId> {
    text.trim()
        .trim_start_matches('#')
        .parse::<u64>()
        .map(EntryId)
        .map_err(|_| Refusal::Team(TeamRefusal::NotAnEntry(text.to_string())).into())
}

pub fn run(a: &HistoryArgs, store: &Store, ctx: &Context) -> Result<String> {
    let history = store.entry_history(entry_number(&a.entry)?)?;
    Ok(match a.format {
        HistoryFormat::Text => entry_history(&history, ctx.lang),
        HistoryFormat::Json => format!("{}\n", json(&history)),
    })
}

fn json(h: &EntryHistory) -> serde_json::Value {
    let entry = |e: &crate::domain::Entry| {
        serde_json::json!({
            "id": e.id.0, "advisor": e.advisor, "date": e.date.to_string(),
            "minutes": e.minutes.0, "hours": e.minutes.hours_json(), "note": e.note,
        })
    };
    let corrections: Vec<serde_json::Value> = h
        .corrections
        .iter()
        .map(|(c, store)| {
            serde_json::json!({
                "at": crate::store::time_text(&c.at), "who": c.who, "store": store,
                "minutes": c.minutes, "date": c.date.map(|d| d.to_string()), "reason": c.reason,
            })
        })
        .collect();
    serde_json::json!({
        "entry": entry(&h.counted),
        "logged": entry(&h.logged),
        "origin": h.origin,
        "revision": h.revision,
        "corrections": corrections,
    })
}
