//! `counsel-log advisor add|list`.

use clap::{Args, Subcommand, ValueEnum};

use super::table::{Align, Table};
use super::{Context, Error, Result};
use crate::domain::import::unknown_category;
use crate::domain::model::{check_advisor_id, check_text};
use crate::domain::{Advisor, Category, Lang};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum AdvisorCommand {
    /// Add an advisor
    Add(AddArgs),
    /// List the advisors
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Short unique code, e.g. A001
    #[arg(long)]
    id: String,
    #[arg(long)]
    name: String,
    /// staff, public-lawyer, external or expert (Chinese names accepted)
    #[arg(long)]
    category: String,
    /// Department served, or firm or institution
    #[arg(long, default_value = "")]
    unit: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value = "table")]
    format: ListFormat,
}

pub fn run(command: AdvisorCommand, store: &Store, ctx: &Context) -> Result<String> {
    match command {
        AdvisorCommand::Add(a) => {
            let lang = ctx.lang;
            let bad = |e: crate::domain::model::FieldError| Error::Input(e.message(lang));
            let id = check_advisor_id(&a.id).map_err(bad)?;
            let name = check_text("name", &a.name).map_err(bad)?;
            if name.is_empty() {
                return Err(Error::Input(
                    lang.pick(
                        "姓名为空：请用 --name 给出顾问姓名",
                        "the name is empty: give the advisor's name with --name",
                    )
                    .into(),
                ));
            }
            let category = Category::parse(&a.category)
                .ok_or_else(|| Error::Input(unknown_category(&a.category, lang)))?;
            let unit = check_text("unit", &a.unit).map_err(bad)?;
            let advisor = Advisor {
                id,
                name,
                category,
                unit,
                active: true,
            };
            store.add_advisor(&advisor, &ctx.stamp)?;
            let (id, name, category) = (&advisor.id, &advisor.name, advisor.category.label(lang));
            Ok(match lang {
                Lang::Zh => format!("已添加顾问 {id} {name}（{category}）。\n"),
                Lang::En => format!("Added advisor {id} {name} ({category}).\n"),
            })
        }
        AdvisorCommand::List(a) => {
            let mut advisors: Vec<Advisor> = store.advisors()?.into_values().collect();
            advisors.sort_by(|x, y| x.id.cmp(&y.id));
            Ok(list(&advisors, a.format, ctx.lang))
        }
    }
}

fn list(advisors: &[Advisor], format: ListFormat, lang: Lang) -> String {
    match format {
        ListFormat::Json => {
            let mut s = serde_json::to_string_pretty(advisors).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(["id", "name", "category", "unit", "active"]);
            for a in advisors {
                let _ = w.write_record([
                    a.id.as_str(),
                    &a.name,
                    a.category.code(),
                    &a.unit,
                    if a.active { "yes" } else { "no" },
                ]);
            }
            super::with_bom(
                &String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default(),
            )
        }
        ListFormat::Table => {
            let header = [
                lang.pick("编号", "id"),
                lang.pick("姓名", "name"),
                lang.pick("类别", "category"),
                lang.pick("单位", "unit"),
            ];
            let rows = advisors
                .iter()
                .map(|a| {
                    let mut name = a.name.clone();
                    if !a.active {
                        name.push_str(lang.pick("（停用）", " (inactive)"));
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
                header: header.iter().map(|h| h.to_string()).collect(),
                align: vec![Align::Left; 4],
                rows,
                footer: None,
            };
            let n = advisors.len();
            match lang {
                Lang::Zh => format!("{table}共 {n} 名顾问。\n"),
                Lang::En => format!("{table}{}\n", super::count(n, "advisor", "advisors")),
            }
        }
    }
}
