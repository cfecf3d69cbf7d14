//! `counsel-log missing`: the active advisors who logged nothing in a period, and the stores
//! enrolled here whose last bundle is late. A report, not a check: it exits 0 whatever it finds.

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::messages::{MissingText, days_cell, missing_words, strings};
use super::{Context, Result, period_in};
use crate::domain::Lang;
use crate::report::missing::Missing;
use crate::report::table::{Align, Table};
use crate::store::Store;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct MissingArgs {
    #[arg(long)]
    period: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=365))]
    days: Option<u32>,
}

pub fn run(a: &MissingArgs, store: &Store, ctx: &Context) -> Result<String> {
    let period = period_in(a.period.as_deref(), ctx, store)?;
    let days = a.days.unwrap_or(ctx.config.bundle_late_days);
    let missing = Missing::gather(store, period, ctx.today, days)?;
    Ok(match a.format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&missing.to_json()).unwrap_or_default()
        ),
        Format::Table => format!(
            "{}\n{}",
            advisors(&missing, ctx.lang),
            peers(&missing, ctx.lang)
        ),
    })
}

/// A date as the command line writes it; what an absent one means is the caller's.
fn date(d: Option<NaiveDate>, absent: &str) -> String {
    d.map_or_else(|| absent.to_string(), |d| d.to_string())
}

/// The advisors who logged nothing, by category then id, and how many they are. The columns
/// of where their work comes from show only at a store with peers.
fn advisors(m: &Missing, lang: Lang) -> String {
    let count = MissingText::AdvisorsCount {
        missing: m.advisors.len(),
        active: m.active,
        period: &m.period,
    };
    if m.active == 0 {
        return format!("{}\n", MissingText::NoActiveAdvisors.message(lang));
    }
    if m.advisors.is_empty() {
        return format!("{}\n", count.message(lang));
    }
    let (words, team) = (strings(lang), missing_words(lang));
    let with_sources = m.enrolled > 0;
    let mut header = vec![words.id, words.name, words.category, words.unit];
    if with_sources {
        header.extend([team.source, team.last_bundle]);
    }
    let rows = m
        .advisors
        .iter()
        .map(|r| {
            let a = &r.advisor;
            let mut row = vec![
                a.id.clone(),
                a.name.clone(),
                a.category.short(lang).to_string(),
                a.unit.clone(),
            ];
            if with_sources {
                match &r.peer {
                    Some(peer) => row.extend([peer.clone(), date(r.last_bundle, team.never)]),
                    None => row.extend([team.this_store.to_string(), "—".to_string()]),
                }
            }
            row
        })
        .collect();
    let table = Table {
        align: vec![Align::Left; header.len()],
        header: header.into_iter().map(String::from).collect(),
        rows,
        footer: None,
    };
    let heading = MissingText::AdvisorsHeading(&m.period).message(lang);
    format!("{heading}\n\n{table}{}\n", count.message(lang))
}

/// The stores late with their bundles, longest silent first, and how many they are.
fn peers(m: &Missing, lang: Lang) -> String {
    if m.enrolled == 0 {
        return format!("{}\n", MissingText::NoPeers.message(lang));
    }
    let count = MissingText::LateCount {
        late: m.peers.len(),
        enrolled: m.enrolled,
        days: m.late_after_days,
    };
    if m.peers.is_empty() {
        return format!("{}\n", count.message(lang));
    }
    let (words, team) = (strings(lang), missing_words(lang));
    let rows = m
        .peers
        .iter()
        .map(|l| {
            vec![
                l.peer.name.clone(),
                l.peer.advisors.join(words.list_sep),
                date(l.lateness.last_bundle, team.never),
                days_cell(l.lateness.days, lang),
            ]
        })
        .collect();
    let table = Table {
        header: [team.store, team.advisors, team.last_bundle, team.days]
            .map(String::from)
            .to_vec(),
        align: vec![Align::Left, Align::Left, Align::Left, Align::Right],
        rows,
        footer: None,
    };
    let heading = MissingText::LateHeading {
        days: m.late_after_days,
    }
    .message(lang);
    format!("{heading}\n\n{table}{}\n", count.message(lang))
}
