//! `counsel-log summary`: the report paragraph for a period, as text or JSON.

use clap::{Args, ValueEnum};

use super::{Context, Result, period_in};
use crate::domain::strings::printable;
use crate::report;
use crate::store::Store;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[arg(long)]
    period: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(a: &SummaryArgs, store: &Store, ctx: &Context) -> Result<String> {
    let summary = report::summary_of(store, period_in(a.period.as_deref(), ctx, store)?, ctx.lang)?;
    Ok(match a.format {
        // The paragraph is one line; the topic names in it are shown escaped.
        Format::Text => format!("{}\n", printable(&summary.to_string())),
        Format::Json => report::json::summary(&summary, &store.audit_head_record()?),
    })
}
