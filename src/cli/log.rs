//! `counsel-log log`: one time entry from flags, checked exactly like an imported row.

use clap::Args;

use super::{Context, Done, Refusal, Result};
use crate::domain::intake::{self, EntryInput};
use crate::store::AuditAction;

// Free text and an office's key may begin with a hyphen (`--note -`, `--item -K1`): those
// options take the next word whatever it begins with.
#[derive(Debug, Args)]
pub struct LogArgs {
    #[arg(long)]
    advisor: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    hours: String,
    #[arg(long, default_value = "")]
    topic: String,
    #[arg(long, default_value = "")]
    service: String,
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    department: String,
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    title: String,
    #[arg(long)]
    date: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    item: Option<String>,
    #[arg(long, default_value = "")]
    satisfaction: String,
    #[arg(long, default_value = "", allow_hyphen_values = true)]
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
    let planned = intake::plan_entries(vec![(0, input)], &view, ctx.today, false);
    if let Some(e) = view.failure() {
        return Err(e.into());
    }
    // A single entry has no line number: show its problems without one.
    let plan = planned.map_err(Refusal::Entry)?;
    let entry = plan.groups.first().and_then(|g| g.entries.first()).cloned();
    let applied = store.apply_entries(plan, AuditAction::EntryAdd, "log", &ctx.stamp)?;
    let (Some(id), Some(entry), Some(item)) = (applied.first_entry, entry, &applied.first_item)
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
        new_item: applied.new_items > 0,
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}
