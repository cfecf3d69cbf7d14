//! `counsel-log history [ENTRY | --item ITEM | --period P] [--format table|json]`: the audit
//! trail — when, who, what, before and after — of an entry (shown as logged, where it came
//! from, and every correction of it), of an item and its entries, of a period, or whole.

use clap::Args;

use super::messages::{Refusal, TeamRefusal, entry_history, trail_heading, trail_table};
use super::{Context, Result};
use crate::domain::EntryId;
use crate::store::{AuditRecord, EntryHistory, Rejection, Store, StoreError, TrailFilter};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    entry: Option<String>,
    #[arg(long, value_name = "ITEM", conflicts_with_all = ["entry", "period"])]
    item: Option<String>,
    #[arg(long, value_name = "P", conflicts_with = "entry")]
    period: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: HistoryFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    // Text to read (`text` is accepted too)
    #[value(alias = "text")]
    Table,
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
    if let Some(entry) = &a.entry {
        return entry_run(entry_number(entry)?, a.format, store, ctx);
    }
    let filter = if let Some(item) = &a.item {
        let found = store
            .item_by_ref(item)?
            .ok_or_else(|| Refusal::NoSuchItem(item.clone()))?;
        store.item_filter(found.id)?
    } else if let Some(p) = &a.period {
        TrailFilter {
            period: Some(super::period_in(Some(p), ctx, store)?),
            ..TrailFilter::default()
        }
    } else {
        TrailFilter::default()
    };
    let records = store.trail_of(&filter)?;
    Ok(match a.format {
        HistoryFormat::Table => trail_table(&records, ctx.lang),
        HistoryFormat::Json => format!(
            "{}\n",
            serde_json::json!({ "records": records_json(&records, ctx) })
        ),
    })
}

/// An entry's history and its audit records; for an entry no longer in the ledger (deleted),
/// its audit records alone.
fn entry_run(id: EntryId, format: HistoryFormat, store: &Store, ctx: &Context) -> Result<String> {
    let records = store.trail_of(&store.entry_filter(id))?;
    let history = match store.entry_history(id) {
        Ok(h) => Some(h),
        Err(StoreError::Rejected(Rejection::EntryGone(_))) if !records.is_empty() => None,
        Err(e) => return Err(e.into()),
    };
    Ok(match format {
        HistoryFormat::Table => {
            let mut out = history
                .map(|h| entry_history(&h, ctx.lang))
                .unwrap_or_default();
            out.push_str(&trail_heading(records.len(), ctx.lang));
            out.push_str(&trail_table(&records, ctx.lang));
            out
        }
        HistoryFormat::Json => {
            let mut value =
                history.map_or_else(|| serde_json::json!({ "entry": null }), |h| json(&h));
            value["audit"] = records_json(&records, ctx);
            format!("{value}\n")
        }
    })
}

/// Each record as JSON: its stored fields, with what it was in the language of the run.
fn records_json(records: &[AuditRecord], ctx: &Context) -> serde_json::Value {
    records
        .iter()
        .map(|r| {
            serde_json::json!({
                "seq": r.seq,
                "at": crate::store::time_text(&r.at),
                "who": r.who,
                "action": r.action.as_str(),
                "what": r.action.label(ctx.lang),
                "before": r.before,
                "after": r.after,
            })
        })
        .collect()
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
