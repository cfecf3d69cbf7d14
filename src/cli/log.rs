//! `counsel-log log`: one time entry from flags, checked exactly like an imported row.

use clap::Args;

use super::{Context, Done, Refusal, Result};
use crate::domain::intake::{self, EntryInput};
use crate::store::AuditAction;

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Advisor id, e.g. A001 [default: `me` from the configuration]
    #[arg(long)]
    advisor: Option<String>,
    /// Time spent: 1.5, 1.5h, 1:30, 90m or 1h30m
    #[arg(long, allow_hyphen_values = true)]
    hours: String,
    /// Topic code or name, e.g. info-disclosure or 信息公开
    #[arg(long, default_value = "")]
    topic: String,
    /// Service type code or name, e.g. opinion or 法律意见
    #[arg(long, default_value = "")]
    service: String,
    /// The requesting department
    #[arg(long, default_value = "")]
    department: String,
    /// Title of the service item
    #[arg(long, default_value = "")]
    title: String,
    /// Date of the work, YYYY-MM-DD [default: today]
    #[arg(long)]
    date: Option<String>,
    /// Add to an existing item: its key, or the ledger's number with its `#` (`'#2024-0039'`);
    /// a key no item has makes a new item under it
    #[arg(long)]
    item: Option<String>,
    /// Satisfaction of the requesting department: satisfied, basic, unsatisfied
    #[arg(long, default_value = "")]
    satisfaction: String,
    #[arg(long, default_value = "")]
    note: String,
}

pub fn run(a: LogArgs, store: &crate::store::Store, ctx: &Context) -> Result<String> {
    let advisor = a
        .advisor
        .or_else(|| ctx.config.me.clone())
        .ok_or(Refusal::WhichAdvisor)?;
    let input = EntryInput {
        date: a.date.unwrap_or_else(|| ctx.today.to_string()),
        advisor,
        hours: a.hours,
        item: a.item.unwrap_or_default(),
        title: a.title,
        topic: a.topic,
        service: a.service,
        department: a.department,
        satisfaction: a.satisfaction,
        note: a.note,
    };
    let view = store.view()?;
    let planned = intake::plan_entries(&[(0, input)], &view, ctx.today, false);
    if let Some(e) = view.failure() {
        return Err(e.into());
    }
    // A single entry has no line number: show its problems without one.
    let plan = planned.map_err(Refusal::Entry)?;
    let applied = store.apply_entries(&plan, AuditAction::EntryAdd, "log", &ctx.stamp)?;
    let entry = plan.groups.first().and_then(|g| g.entries.first());
    let (Some(id), Some(entry), Some(item)) =
        (applied.entries.first(), entry, applied.items.first())
    else {
        return Err(Refusal::NothingLogged.into());
    };
    // The number as people type it back: bare, it would be read as a key.
    let item = intake::shown_number(item);
    let done = Done::Logged {
        entry: id.0,
        date: entry.date,
        advisor: &entry.advisor,
        hours: entry.minutes.hours(),
        item: &item,
        new_item: !applied.new_items.is_empty(),
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}
