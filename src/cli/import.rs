//! `counsel-log import advisors|entries FILE [--dry-run]`: all or nothing, every bad row listed.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::messages::Imported;
use super::{Context, Result, read_file};
use crate::domain::Lang;
use crate::domain::intake::{
    EntryPlan, EntryRowReader, ImportError, RowError, check_entries, decode, plan_advisors,
    plan_checked, plan_roster, refuse_closed_rows,
};
use crate::store::{Month, Store};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    Advisors(ImportArgs),
    Entries(ImportArgs),
    Bundle(ImportArgs),
}

impl ImportCommand {
    /// Whether the import only says what it would do.
    pub fn is_dry_run(&self) -> bool {
        match self {
            ImportCommand::Advisors(a) | ImportCommand::Entries(a) | ImportCommand::Bundle(a) => {
                a.dry_run
            }
        }
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    file: PathBuf,
    #[arg(long)]
    dry_run: bool,
    #[arg(long)]
    update: bool,
}

pub fn run(command: ImportCommand, store: &Store, ctx: &Context) -> Result<String> {
    let lang = ctx.lang;
    match command {
        ImportCommand::Advisors(a) => {
            let text = decode(read_file(&a.file)?)?;
            let plan = if a.update {
                plan_roster(&text, &store.advisors()?)?
            } else {
                plan_advisors(&text, &store.advisors()?)?
            };
            if plan.new.is_empty() && plan.changed.is_empty() && plan.unchanged == 0 {
                return Ok(format!("{}\n", Imported::NoAdvisorRows.message(lang)));
            }
            if !a.dry_run {
                store.apply_advisors(&plan, &a.file.display().to_string(), &ctx.stamp)?;
            }
            let done = Imported::Advisors {
                advisors: plan.new.len(),
                changed: plan.changed.len(),
                dry_run: a.dry_run,
            };
            Ok(report(&done, plan.unchanged, a.dry_run, lang))
        }
        ImportCommand::Bundle(a) => super::bundle::import(&a.file, a.dry_run, store, ctx),
        ImportCommand::Entries(a) => {
            // Each row is read from the text as it is checked, and goes once checked; the text
            // goes before the plan is made: a large file is never held twice over.
            let text = decode(read_file(&a.file)?)?;
            let mut rows = EntryRowReader::open(&text)?;
            let view = store.view()?;
            let checked = check_entries(&mut rows, &view, ctx.today);
            let unreadable = rows.faults();
            drop(text);
            let planned = plan_checked(checked, &view, true);
            if let Some(e) = view.failure() {
                return Err(e.into());
            }
            drop(view);
            let plan = with_unreadable(planned, unreadable)?;
            // A dry run says what the real import would: refused, naming every row dated in a
            // closed month.
            let closed: std::collections::BTreeSet<Month> =
                store.closed_months()?.iter().map(|c| c.month).collect();
            refuse_closed_rows(&plan, |date| {
                let month = Month::of(date);
                closed.contains(&month).then(|| month.to_string())
            })?;
            let (entries, skipped) = (plan.entry_count(), plan.skipped);
            let (hours, new_items) = (plan.minutes().hours(), plan.new_item_count());
            if entries == 0 && skipped == 0 {
                return Ok(format!("{}\n", Imported::NoRows.message(lang)));
            }
            if entries == 0 {
                let nothing = Imported::NothingNew { rows: skipped };
                return Ok(format!("{}\n", nothing.message(lang)));
            }
            if !a.dry_run {
                store.apply_entries(
                    plan,
                    crate::store::AuditAction::ImportEntries,
                    &a.file.display().to_string(),
                    &ctx.stamp,
                )?;
            }
            let done = Imported::Entries {
                entries,
                hours,
                new_items,
                dry_run: a.dry_run,
            };
            Ok(report(&done, skipped, a.dry_run, lang))
        }
    }
}

/// The plan, unless rows were refused: those the checks found and those that could not even be
/// read into cells (a short row), all of them, in the file's order.
fn with_unreadable(
    planned: std::result::Result<EntryPlan, ImportError>,
    mut unreadable: Vec<RowError>,
) -> std::result::Result<EntryPlan, ImportError> {
    if unreadable.is_empty() {
        return planned;
    }
    match planned {
        Ok(_) => Err(ImportError::Rows(unreadable)),
        Err(ImportError::Rows(found)) => {
            unreadable.extend(found);
            unreadable.sort_by_key(|e| e.line);
            Err(ImportError::Rows(unreadable))
        }
        Err(other) => Err(other),
    }
}

/// An import's report: what it did, what the ledger already had, and whether it was a dry run.
fn report(done: &Imported, already: usize, dry_run: bool, lang: Lang) -> String {
    format!(
        "{}{}{}\n",
        done.message(lang),
        Imported::AlreadyThere { rows: already }.message(lang),
        Imported::End { dry_run }.message(lang)
    )
}
