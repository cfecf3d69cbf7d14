//! `counsel-log advisor add|set|list`.

use std::collections::HashMap;

use clap::{Args, Subcommand, ValueEnum};

use super::{Context, Error, Result};
use crate::domain::import::unknown_category;
use crate::domain::model::{
    AdvisorChange, AdvisorMatch, check_advisor_id, check_text, find_advisor,
};
use crate::domain::{Advisor, Category, Lang};
use crate::report::table::{Align, Table};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum AdvisorCommand {
    /// Add an advisor
    Add(AddArgs),
    /// Change an advisor's name, category or unit, or deactivate (or reactivate) them
    Set(SetArgs),
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

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The advisor's id, e.g. A001 (the id itself never changes)
    #[arg(long)]
    id: String,
    /// The new name
    #[arg(long)]
    name: Option<String>,
    /// The new category: staff, public-lawyer, external or expert (Chinese names accepted)
    #[arg(long)]
    category: Option<String>,
    /// The new department served, or firm or institution
    #[arg(long)]
    unit: Option<String>,
    /// false when the advisor has left: they no longer count in participation and take no
    /// new entries, while their past entries still count; true brings them back
    #[arg(long, value_name = "true|false", action = clap::ArgAction::Set)]
    active: Option<bool>,
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
        AdvisorCommand::Set(a) => set(a, store, ctx),
        AdvisorCommand::List(a) => {
            let mut advisors: Vec<Advisor> = store.advisors()?.into_values().collect();
            advisors.sort_by(|x, y| x.id.cmp(&y.id));
            Ok(list(&advisors, a.format, ctx.lang))
        }
    }
}

/// `advisor set`: checks every flag before touching the store, then one audited change.
fn set(a: SetArgs, store: &Store, ctx: &Context) -> Result<String> {
    let lang = ctx.lang;
    let bad = |e: crate::domain::model::FieldError| Error::Input(e.message(lang));
    let name = match a.name.as_deref().map(|n| check_text("name", n)) {
        None => None,
        Some(Err(e)) => return Err(bad(e)),
        Some(Ok(n)) if n.is_empty() => {
            return Err(Error::Input(
                lang.pick(
                    "姓名为空：请用 --name 给出新的姓名，或不加 --name 以保留原姓名",
                    "the name is empty: give the new name with --name, or leave --name out to keep it",
                )
                .into(),
            ));
        }
        Some(Ok(n)) => Some(n),
    };
    let category = match a.category.as_deref() {
        None => None,
        Some(c) => Some(Category::parse(c).ok_or_else(|| Error::Input(unknown_category(c, lang)))?),
    };
    let unit = a
        .unit
        .as_deref()
        .map(|u| check_text("unit", u))
        .transpose()
        .map_err(bad)?;
    let change = AdvisorChange {
        name,
        category,
        unit,
        active: a.active,
    };
    if change.is_empty() {
        return Err(Error::Input(
            lang.pick(
                "没有要修改的内容：请给出 --name、--category、--unit 或 --active 中的至少一项",
                "nothing to change: give at least one of --name, --category, --unit or --active",
            )
            .into(),
        ));
    }
    let id = canonical_id(&store.advisors()?, a.id.trim(), lang)?;
    let (before, after) = store.update_advisor(&id, &change, &ctx.stamp)?;
    Ok(format!("{}\n", changed(&before, &after, lang)))
}

/// The id as the ledger spells it: exactly, or the one advisor it matches ignoring case.
fn canonical_id(advisors: &HashMap<String, Advisor>, id: &str, lang: Lang) -> Result<String> {
    match find_advisor(advisors, id) {
        AdvisorMatch::One(a) => Ok(a.id.clone()),
        AdvisorMatch::None => Err(Error::Input(match lang {
            Lang::En => {
                format!("there is no advisor {id}: see the ids with `counsel-log advisor list`")
            }
            Lang::Zh => format!("没有编号为 {id} 的顾问：请用 `counsel-log advisor list` 查看编号"),
        })),
        AdvisorMatch::Several(alike) => Err(Error::Input(match lang {
            Lang::En => format!(
                "advisor \"{id}\" matches {} when letter case is ignored: write the id exactly as listed by `counsel-log advisor list`",
                alike.join(" and ")
            ),
            Lang::Zh => format!(
                "顾问“{id}”在不区分大小写时对应 {} 多位顾问：请按 `counsel-log advisor list` 所列的编号原样填写",
                alike.join("、")
            ),
        })),
    }
}

/// "Updated advisor A001: name 张三 → 程艳; now inactive." — what changed, field by field.
fn changed(before: &Advisor, after: &Advisor, lang: Lang) -> String {
    let mut parts = Vec::new();
    if before.name != after.name {
        parts.push(format!(
            "{} {} → {}",
            lang.pick("姓名", "name"),
            before.name,
            after.name
        ));
    }
    if before.category != after.category {
        parts.push(format!(
            "{} {} → {}",
            lang.pick("类别", "category"),
            before.category.label(lang),
            after.category.label(lang)
        ));
    }
    if before.unit != after.unit {
        let shown = |u: &str| {
            if u.is_empty() {
                lang.pick("（空）", "(none)").to_string()
            } else {
                u.to_string()
            }
        };
        parts.push(format!(
            "{} {} → {}",
            lang.pick("单位", "unit"),
            shown(&before.unit),
            shown(&after.unit)
        ));
    }
    if before.active != after.active {
        parts.push(
            if after.active {
                lang.pick(
                    "已恢复启用，重新计入参与率",
                    "active again, counted in participation",
                )
            } else {
                lang.pick(
                    "已停用，不再计入参与率（过往记录照常计入件次和时长）",
                    "now inactive, so no longer counted in participation (past entries still count in items and hours)",
                )
            }
            .to_string(),
        );
    }
    let id = &after.id;
    match lang {
        Lang::Zh => format!("已更新顾问 {id}：{}。", parts.join("；")),
        Lang::En => format!("Updated advisor {id}: {}.", parts.join("; ")),
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
            let inactive = advisors.iter().filter(|a| !a.active).count();
            match lang {
                Lang::Zh if inactive > 0 => {
                    format!("{table}共 {n} 名顾问，其中 {inactive} 名已停用。\n")
                }
                Lang::Zh => format!("{table}共 {n} 名顾问。\n"),
                Lang::En if inactive > 0 => format!(
                    "{table}{}, {inactive} of them inactive\n",
                    super::count(n, "advisor", "advisors")
                ),
                Lang::En => format!("{table}{}\n", super::count(n, "advisor", "advisors")),
            }
        }
    }
}
