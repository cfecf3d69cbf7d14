//! `counsel-log advisor add|set|list`.

use std::collections::HashMap;

use clap::{Args, Subcommand};

use super::messages::{self, AdvisorFlagRefusal};
use super::{Context, CsvHeader, Done, ListFormat, Refusal, Result};
use crate::domain::model::{
    AdvisorChange, AdvisorMatch, TextField, check_advisor_id, check_text, find_advisor,
};
use crate::domain::{Advisor, Lang};
use crate::report::csv::Header;
use crate::report::table::{Align, Table};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum AdvisorCommand {
    Add(AddArgs),
    Set(SetArgs),
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    id: String,
    #[arg(long)]
    name: String,
    #[arg(long)]
    category: String,
    #[arg(long, default_value = "")]
    unit: String,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    #[arg(long)]
    id: String,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    category: Option<String>,
    #[arg(long)]
    unit: Option<String>,
    #[arg(long, value_name = "true|false", action = clap::ArgAction::Set)]
    active: Option<bool>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value = "table")]
    format: ListFormat,
    #[arg(long, value_enum, default_value = "keys")]
    header: CsvHeader,
}

pub fn run(command: AdvisorCommand, store: &Store, ctx: &Context) -> Result<String> {
    match command {
        AdvisorCommand::Add(a) => add(&a, store, ctx),
        AdvisorCommand::Set(a) => set(&a, store, ctx),
        AdvisorCommand::List(a) => {
            let mut advisors: Vec<Advisor> = store.advisors()?.into_values().collect();
            advisors.sort_by(|x, y| x.id.cmp(&y.id));
            Ok(list(&advisors, a.format, a.header.header(), ctx.lang))
        }
    }
}

/// `advisor add`: checks every flag, then one audited change.
fn add(a: &AddArgs, store: &Store, ctx: &Context) -> Result<String> {
    let id = check_advisor_id(&a.id).map_err(Refusal::Field)?;
    let name = check_text(TextField::Name, &a.name).map_err(Refusal::Field)?;
    if name.is_empty() {
        return Err(Refusal::Advisor(AdvisorFlagRefusal::NameEmpty).into());
    }
    let advisor = Advisor {
        id,
        name,
        category: messages::category(&a.category)?,
        unit: check_text(TextField::Unit, &a.unit).map_err(Refusal::Field)?,
        active: true,
    };
    store.add_advisor(&advisor, &ctx.stamp)?;
    Ok(format!(
        "{}\n",
        Done::AdvisorAdded(&advisor).message(ctx.lang)
    ))
}

/// `advisor set`: checks every flag before touching the store, then one audited change.
fn set(a: &SetArgs, store: &Store, ctx: &Context) -> Result<String> {
    let name = match a.name.as_deref().map(|n| check_text(TextField::Name, n)) {
        None => None,
        Some(Err(e)) => return Err(Refusal::Field(e).into()),
        Some(Ok(n)) if n.is_empty() => {
            return Err(Refusal::Advisor(AdvisorFlagRefusal::NewNameEmpty).into());
        }
        Some(Ok(n)) => Some(n),
    };
    let category = a.category.as_deref().map(messages::category).transpose()?;
    let unit = a
        .unit
        .as_deref()
        .map(|u| check_text(TextField::Unit, u))
        .transpose()
        .map_err(Refusal::Field)?;
    let change = AdvisorChange {
        name,
        category,
        unit,
        active: a.active,
    };
    if change.is_empty() {
        return Err(Refusal::Advisor(AdvisorFlagRefusal::NothingToChange).into());
    }
    let id = canonical_id(&store.advisors()?, a.id.trim())?;
    let (before, after) = store.update_advisor(&id, &change, &ctx.stamp)?;
    let done = Done::AdvisorUpdated {
        before: &before,
        after: &after,
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}

/// The id as the ledger spells it: exactly, or the one advisor it matches ignoring case.
fn canonical_id(advisors: &HashMap<String, Advisor>, id: &str) -> Result<String> {
    match find_advisor(advisors, id) {
        AdvisorMatch::One(a) => Ok(a.id.clone()),
        AdvisorMatch::None => {
            Err(Refusal::Advisor(AdvisorFlagRefusal::NoSuchAdvisor(id.into())).into())
        }
        AdvisorMatch::Several(alike) => Err(Refusal::Advisor(AdvisorFlagRefusal::Alike {
            id: id.into(),
            alike,
        })
        .into()),
    }
}

fn list(advisors: &[Advisor], format: ListFormat, header: Header, lang: Lang) -> String {
    match format {
        ListFormat::Json => {
            let mut json = serde_json::to_string_pretty(advisors).unwrap_or_default();
            json.push('\n');
            json
        }
        ListFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let columns = super::export::header_row("id,name,category,unit,active", header);
            crate::report::csv::write_row(&mut w, columns);
            for a in advisors {
                crate::report::csv::write_row(
                    &mut w,
                    [
                        a.id.as_str(),
                        &a.name,
                        a.category.code(),
                        &a.unit,
                        if a.active { "yes" } else { "no" },
                    ],
                );
            }
            crate::report::csv::finish(w)
        }
        ListFormat::Table => table(advisors, lang),
    }
}

/// `advisor list` as a table, with how many there are and how many have left.
fn table(advisors: &[Advisor], lang: Lang) -> String {
    let words = messages::strings(lang);
    let rows = advisors
        .iter()
        .map(|a| {
            let mut name = a.name.clone();
            if !a.active {
                name.push_str(words.inactive_mark);
            }
            vec![
                a.id.clone(),
                name,
                a.category.short(lang).to_string(),
                a.unit.clone(),
            ]
        })
        .collect();
    let table = Table {
        header: [words.id, words.name, words.category, words.unit]
            .iter()
            .map(|h| h.to_string())
            .collect(),
        align: vec![Align::Left; 4],
        rows,
        footer: None,
    };
    let listed = Done::AdvisorsListed {
        advisors: advisors.len(),
        inactive: advisors.iter().filter(|a| !a.active).count(),
    };
    format!("{table}{}\n", listed.message(lang))
}
