//! `counsel-log import advisors|entries FILE [--dry-run]`: all or nothing, every bad row listed.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::{Context, Result, read_file};
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
            let text = decode(&read_file(&a.file)?)?;
            let plan = plan_advisors(&text, &store.advisors()?)?;
            if !a.dry_run {
                store.apply_advisors(&plan, &a.file.display().to_string(), &ctx.stamp)?;
            }
            Ok(format!(
                "{} {} {}{}{}\n",
                if a.dry_run {
                    lang.pick("可导入", "Would import")
                } else {
                    lang.pick("已导入", "Imported")
                },
                plan.new.len(),
                lang.pick("名顾问", "advisors"),
                already(plan.unchanged, lang),
                dry(a.dry_run, lang),
            ))
        }
        ImportCommand::Entries(a) => {
            let text = decode(&read_file(&a.file)?)?;
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
                    "import.entries",
                    &a.file.display().to_string(),
                    &ctx.stamp,
                )?;
            }
            let (n, hours, items) = (
                plan.entry_count(),
                plan.minutes().hours(),
                plan.new_item_count(),
            );
            let done = match (lang, a.dry_run) {
                (crate::domain::Lang::Zh, false) => {
                    format!("已导入 {n} 条记录（{hours} 小时，新事项 {items} 项）")
                }
                (crate::domain::Lang::Zh, true) => {
                    format!("可导入 {n} 条记录（{hours} 小时，新事项 {items} 项）")
                }
                (crate::domain::Lang::En, false) => {
                    format!("Imported {n} entries ({hours} h, {items} new items)")
                }
                (crate::domain::Lang::En, true) => {
                    format!("Would import {n} entries ({hours} h, {items} new items)")
                }
            };
            if n == 0 && plan.skipped > 0 {
                let nothing = lang.pick("没有新内容：文件中的", "Nothing new: all ");
                let rest = lang.pick(" 行都已在台账中。", " rows are already in the ledger.");
                return Ok(format!("{nothing}{}{rest}\n", plan.skipped));
            }
            Ok(format!(
                "{done}{}{}\n",
                already(plan.skipped, lang),
                dry(a.dry_run, lang)
            ))
        }
    }
}

fn already(n: usize, lang: crate::domain::Lang) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(
            "; {n} {}",
            lang.pick(
                "行已在台账中，已跳过",
                "rows were already in the ledger and were skipped"
            )
        )
    }
}

fn dry(dry_run: bool, lang: crate::domain::Lang) -> &'static str {
    if dry_run {
        lang.pick(
            "；试运行，未写入任何内容。",
            "; dry run, nothing was written.",
        )
    } else {
        lang.pick("。", ".")
    }
}
