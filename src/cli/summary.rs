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
    /// 2024, 2024-03, 2024-Q1, 2024-01-01..2024-06-30 or all [default: this month]
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
