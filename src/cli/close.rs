//! `counsel-log close MONTH` and `counsel-log reopen MONTH --reason TEXT`: filing a month, so
//! that its entries stay as reported, and opening it again for a reason the audit trail keeps.

use std::collections::HashSet;

use clap::Args;

use super::messages::{Closed, NotAMonth};
use super::{Context, Refusal, Result};
use crate::domain::{Minutes, Period};
use crate::store::{Month, Store};

#[derive(Debug, Args)]
pub struct CloseArgs {
    month: String,
    #[arg(long, default_value = "")]
    reason: String,
}

#[derive(Debug, Args)]
pub struct ReopenArgs {
    month: String,
    // Optional to clap so that a missing reason gets the store's message, in the run's language.
    #[arg(long, default_value = "")]
    reason: String,
}

pub fn close(a: &CloseArgs, store: &Store, ctx: &Context) -> Result<String> {
    let month = month(&a.month)?;
    let closed = store.close_month(month, &a.reason, ctx.today, &ctx.stamp)?;
    let entries = store.entries(month.period())?;
    let items: HashSet<_> = entries.iter().map(|e| e.item).collect();
    let minutes = entries
        .iter()
        .map(|e| e.minutes)
        .fold(Minutes(0), |a, b| a + b);
    let done = Closed::Closed {
        closed: &closed,
        entries: u64::try_from(entries.len()).unwrap_or(u64::MAX),
        items: u64::try_from(items.len()).unwrap_or(u64::MAX),
        hours: minutes.hours(),
        changes: store.changes_since_filing(month)?.len(),
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}

pub fn reopen(a: &ReopenArgs, store: &Store, ctx: &Context) -> Result<String> {
    let month = month(&a.month)?;
    store.reopen_month(month, &a.reason, &ctx.stamp)?;
    Ok(format!("{}\n", Closed::Reopened(month).message(ctx.lang)))
}

/// Reads `YYYY-MM`; any other period is refused.
fn month(typed: &str) -> Result<Month> {
    Period::parse(typed)
        .ok()
        .as_ref()
        .and_then(Month::of_period)
        .ok_or_else(|| Refusal::Month(NotAMonth(typed.trim().to_string())).into())
}
