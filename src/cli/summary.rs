//! `counsel-log summary`: the report paragraph for a period, as text or JSON.

use clap::{Args, ValueEnum};

use super::{Context, Result, period};
use crate::domain::tally::Labels;
use crate::domain::{CatalogKind, Summary};
use crate::store::Store;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// 2024, 2024-03, 2024-Q1 or 2024-01-01..2024-06-30 [default: this month]
    #[arg(long)]
    period: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(a: SummaryArgs, store: &Store, ctx: &Context) -> Result<String> {
    let summary = summarize(store, period(a.period.as_deref(), ctx)?, ctx.lang)?;
    Ok(match a.format {
        Format::Text => format!("{summary}\n"),
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&summary.to_json()).unwrap_or_default()
        ),
    })
}

/// The summary of a period, read from the store in one pass.
pub fn summarize(
    store: &Store,
    period: crate::domain::Period,
    lang: crate::domain::Lang,
) -> Result<Summary> {
    let advisors = store.advisors()?;
    let topics = store.catalog(CatalogKind::Topic)?;
    let services = store.catalog(CatalogKind::Service)?;
    let labels = Labels {
        advisors: &advisors,
        topics: &topics,
        services: &services,
        lang,
    };
    let mut tallier = Summary::tallier(period, &labels);
    store.for_each_fact(period, |f| tallier.add(f))?;
    Ok(Summary::finish(tallier, &advisors, lang))
}
