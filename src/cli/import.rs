//! `counsel-log import advisors|entries FILE [--dry-run]`: all or nothing, every bad row listed.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{Context, Result, count, read_file};
use crate::domain::Lang;
use crate::domain::import::{decode, plan_advisors, plan_entries, read_entries};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Advisors: a CSV with the header id,name,category,unit
    Advisors(ImportArgs),
    /// Time entries: a CSV with the header date,advisor,hours,item,title,topic,service,department,satisfaction,note
    Entries(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (UTF-8, with or without BOM, or GB18030/GBK)
    file: PathBuf,
    /// Check the file and report what would be imported, without writing anything
    #[arg(long)]
    dry_run: bool,
}

pub fn run(command: ImportCommand, store: &Store, ctx: &Context) -> Result<String> {
    let lang = ctx.lang;
    match command {
        ImportCommand::Advisors(a) => {
            let text = decode(&read_file(&a.file, lang)?)?;
            let plan = plan_advisors(&text, &store.advisors()?)?;
            if !a.dry_run {
                store.apply_advisors(&plan, &a.file.display().to_string(), &ctx.stamp)?;
            }
            let n = plan.new.len();
            let done = match (lang, a.dry_run) {
                (Lang::Zh, false) => format!("已导入 {n} 名顾问"),
                (Lang::Zh, true) => format!("可导入 {n} 名顾问"),
                (Lang::En, false) => format!("Imported {}", count(n, "advisor", "advisors")),
                (Lang::En, true) => format!("Would import {}", count(n, "advisor", "advisors")),
            };
            Ok(format!(
                "{done}{}{}\n",
                already(plan.unchanged, lang),
                dry(a.dry_run, lang)
            ))
        }
        ImportCommand::Entries(a) => {
            let text = decode(&read_file(&a.file, lang)?)?;
            let rows = read_entries(&text)?;
            let view = store.view()?;
            let planned = plan_entries(&rows, &view, ctx.today, true);
            if let Some(e) = view.failure() {
                return Err(e.into());
            }
            let plan = planned?;
            if !a.dry_run && plan.entry_count() > 0 {
                store.apply_entries(
                    &plan,
                    crate::store::AuditAction::ImportEntries,
                    &a.file.display().to_string(),
                    &ctx.stamp,
                )?;
            }
            let (n, hours, items) = (
                plan.entry_count(),
                plan.minutes().hours(),
                plan.new_item_count(),
            );
            if n == 0 && plan.skipped > 0 {
                let skipped = plan.skipped;
                return Ok(match lang {
                    Lang::Zh => format!("没有新内容：文件中的 {skipped} 行都已在台账中。\n"),
                    Lang::En if skipped == 1 => {
                        "Nothing new: the file's 1 row is already in the ledger.\n".into()
                    }
                    Lang::En => {
                        format!("Nothing new: all {skipped} rows are already in the ledger.\n")
                    }
                });
            }
            let done = match (lang, a.dry_run) {
                (Lang::Zh, false) => {
                    format!("已导入 {n} 条记录（{hours} 小时，新事项 {items} 项）")
                }
                (Lang::Zh, true) => {
                    format!("可导入 {n} 条记录（{hours} 小时，新事项 {items} 项）")
                }
                (Lang::En, dry_run) => format!(
                    "{} {} ({hours} h, {})",
                    if dry_run { "Would import" } else { "Imported" },
                    count(n, "entry", "entries"),
                    count(items, "new item", "new items")
                ),
            };
            Ok(format!(
                "{done}{}{}\n",
                already(plan.skipped, lang),
                dry(a.dry_run, lang)
            ))
        }
    }
}

/// What the file held that the ledger already had.
fn already(n: usize, lang: Lang) -> String {
    match lang {
        _ if n == 0 => String::new(),
        Lang::Zh => format!("；{n} 行已在台账中，已跳过"),
        Lang::En if n == 1 => "; 1 row was already in the ledger and was skipped".into(),
        Lang::En => format!("; {n} rows were already in the ledger and were skipped"),
    }
}

fn dry(dry_run: bool, lang: Lang) -> &'static str {
    if dry_run {
        lang.pick(
            "；试运行，未写入任何内容。",
            "; dry run, nothing was written.",
        )
    } else {
        lang.pick("。", ".")
    }
}
