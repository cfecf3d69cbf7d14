//! `counsel-log catalog add|list`: the topics and service types, and the user's own additions.

use clap::{Args, Subcommand, ValueEnum};

use super::{Context, CsvHeader, Done, ListFormat, Refusal, Result};
use crate::domain::model::{TextField, check_text};
use crate::domain::{CatalogEntry, CatalogKind, Lang};
use crate::report::csv::Header;
use crate::report::table::{Align, Table};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    Add(AddArgs),
    List(ListArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Topic,
    Service,
}

impl From<Kind> for CatalogKind {
    fn from(k: Kind) -> CatalogKind {
        match k {
            Kind::Topic => CatalogKind::Topic,
            Kind::Service => CatalogKind::Service,
        }
    }
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long, value_enum)]
    kind: Kind,
    #[arg(long)]
    code: String,
    #[arg(long)]
    zh: String,
    #[arg(long)]
    en: String,
    #[arg(long = "alias")]
    aliases: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    #[arg(long, value_enum, default_value = "table")]
    format: ListFormat,
    #[arg(long, value_enum, default_value = "keys")]
    header: CsvHeader,
}

pub fn run(command: CatalogCommand, store: &Store, ctx: &Context) -> Result<String> {
    match command {
        CatalogCommand::Add(a) => add(&a, store, ctx),
        CatalogCommand::List(a) => {
            let kinds: Vec<CatalogKind> = match a.kind {
                Some(k) => vec![k.into()],
                None => vec![CatalogKind::Topic, CatalogKind::Service],
            };
            let mut rows = Vec::new();
            for kind in kinds {
                for e in store.catalog(kind)?.entries {
                    rows.push((kind, e));
                }
            }
            Ok(list(&rows, a.format, a.header.header(), ctx.lang))
        }
    }
}

fn add(a: &AddArgs, store: &Store, ctx: &Context) -> Result<String> {
    let bad = Refusal::Field;
    let mut aliases = Vec::new();
    for alias in &a.aliases {
        let alias = check_text(TextField::Alias, alias).map_err(bad)?;
        if !alias.is_empty() {
            aliases.push(alias);
        }
    }
    let entry = CatalogEntry {
        code: a.code.trim().to_string(),
        zh: check_text(TextField::ChineseName, &a.zh).map_err(bad)?,
        en: check_text(TextField::EnglishName, &a.en).map_err(bad)?,
        aliases,
    };
    let kind: CatalogKind = a.kind.into();
    store.add_catalog_entry(kind, &entry, &ctx.stamp)?;
    let done = Done::CatalogAdded {
        kind,
        entry: &entry,
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}

fn list(
    rows: &[(CatalogKind, CatalogEntry)],
    format: ListFormat,
    header: Header,
    lang: Lang,
) -> String {
    match format {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|(kind, e)| {
                    serde_json::json!({
                        "kind": kind.name(),
                        "code": e.code,
                        "zh": e.zh,
                        "en": e.en,
                        "aliases": e.aliases,
                    })
                })
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&items).unwrap_or_default()
            )
        }
        ListFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let columns = match header {
                Header::Keys => ["kind", "code", "zh", "en", "aliases"],
                Header::Names(lang) => {
                    let words = super::messages::strings(lang);
                    [
                        words.kind,
                        words.code,
                        words.zh_name,
                        words.en_name,
                        words.aliases,
                    ]
                }
            };
            crate::report::csv::write_row(&mut w, columns);
            for (kind, e) in rows {
                crate::report::csv::write_row(
                    &mut w,
                    [
                        kind.name(),
                        e.code.as_str(),
                        e.zh.as_str(),
                        e.en.as_str(),
                        e.aliases.join("|").as_str(),
                    ],
                );
            }
            crate::report::csv::finish(w)
        }
        ListFormat::Table => {
            let words = super::messages::strings(lang);
            let header = [
                words.kind,
                words.code,
                words.zh_name,
                words.en_name,
                words.aliases,
            ];
            Table {
                header: header.iter().map(|h| h.to_string()).collect(),
                align: vec![Align::Left; 5],
                rows: rows
                    .iter()
                    .map(|(kind, e)| {
                        vec![
                            kind.label(lang).to_string(),
                            e.code.clone(),
                            e.zh.clone(),
                            e.en.clone(),
                            e.aliases.join(words.list_sep),
                        ]
                    })
                    .collect(),
                footer: None,
            }
            .to_string()
        }
    }
}
