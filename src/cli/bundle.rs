//! `counsel-log bundle --out FILE [--all | --since DATE]`: this store's changes for the office,
//! signed with its key; and `import bundle FILE [--dry-run]` at the office.

use std::path::{Path, PathBuf};

use chrono::{NaiveTime, TimeZone};
use clap::Args;

use super::messages::{TeamDone, TeamRefusal};
use super::{Context, Refusal, Result, read_file, write_file};
use crate::domain::catalog::CatalogKind;
use crate::domain::period::parse_date;
use crate::store::Store;
use crate::sync::{self, Since};

#[derive(Debug, Args)]
pub struct BundleArgs {
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[arg(long, conflicts_with = "since")]
    all: bool,
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
}

pub fn write(a: &BundleArgs, store: &Store, ctx: &Context) -> Result<String> {
    let since = match (&a.since, a.all) {
        (_, true) => Since::All,
        (Some(date), false) => {
            let date =
                parse_date(date, ctx.today).map_err(|e| Refusal::Team(TeamRefusal::Date(e)))?;
            let start = date.and_time(NaiveTime::MIN);
            let offset = *ctx.stamp.at.offset();
            let at = offset
                .from_local_datetime(&start)
                .single()
                .unwrap_or(ctx.stamp.at);
            Since::Time(at)
        }
        (None, false) => Since::LastBundle,
    };
    let written = sync::write(store, since, &ctx.stamp.who, &ctx.stamp.at)?;
    let to_stdout = a.out.as_os_str() == "-";
    if !to_stdout {
        write_file(store, &a.out, written.text.as_bytes())?;
    }
    store.note_bundle(&written.sent(), &ctx.stamp)?;
    if to_stdout {
        return Ok(written.text);
    }
    let done = TeamDone::Bundled {
        file: &a.out.display().to_string(),
        counts: written.counts,
        everything: written.since == 0,
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}

/// `import bundle FILE [--dry-run]`: checks the signature against the enrolled card and merges
/// all or nothing.
pub fn import(file: &Path, dry_run: bool, store: &Store, ctx: &Context) -> Result<String> {
    let bytes = read_file(file)?;
    let checked = sync::check(store, &bytes)?;
    let report = sync::import(store, &checked, &ctx.stamp, dry_run)?;
    let (topics, services) = (
        store.catalog(CatalogKind::Topic)?,
        store.catalog(CatalogKind::Service)?,
    );
    let done = TeamDone::BundleImported {
        from: &checked.peer.name,
        created: checked.created.format("%Y-%m-%d %H:%M").to_string(),
        report: &report,
        dry_run,
        topics: &topics,
        services: &services,
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}
