//! `counsel-log backup [DIR]`: a checksummed JSON Lines backup named after its store, proven by
//! restoring it into a scratch store and comparing it with the ledger it came from.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use clap::Args;

mod folder;
mod scratch;

pub use folder::{Owner, backups_of, has_backup_of, latest, prune};

use super::messages::{SafekeepingRefusal, Safekept};
use super::{Context, Error, Refusal, Result};
use crate::store::{BackupSummary, Store, read_backup};
use scratch::Scratch;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The folder to write to [default: `backup_dir` in the configuration, else
    /// $XDG_DATA_HOME/counsel-log-backups]
    dir: Option<PathBuf>,
}

/// Where backups go when no folder is given.
pub fn default_dir(ctx: &Context) -> PathBuf {
    ctx.config
        .backup_dir
        .clone()
        .unwrap_or_else(|| crate::store::default_path().with_file_name("counsel-log-backups"))
}

/// `backup [DIR]`: writes the backup, proves it, and says where it is and what it holds.
pub fn run(a: &BackupArgs, store: &Store, ctx: &Context) -> Result<String> {
    let dir = a.dir.clone().unwrap_or_else(|| default_dir(ctx));
    let (file, summary) = backup(store, &dir, &ctx.stamp.at)?;
    let done = Safekept::BackedUp {
        file: &file,
        summary: &summary,
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}

/// Writes a backup of `store` into `dir`, named after the store, and proves it restores to
/// the same ledger; first removes what interrupted backups left in `dir`.
pub fn backup(
    store: &Store,
    dir: &Path,
    at: &DateTime<FixedOffset>,
) -> Result<(PathBuf, BackupSummary)> {
    std::fs::create_dir_all(dir).map_err(|e| {
        refused(SafekeepingRefusal::CannotCreateFolder {
            dir: dir.to_path_buf(),
            error: e.to_string(),
        })
    })?;
    folder::sweep_partials(dir);
    let file = dir.join(Owner::of(store)?.file_name(at));
    let partial = folder::partial_of(&file);
    let summary = store.write_backup(&file, &partial, at)?;
    // Proven before it takes its finished name: a backup killed or failing its proof leaves
    // only a `.partial`, which never counts and the next backup sweeps away.
    if let Err(e) = verify(store, &partial, &file) {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    crate::store::settle_backup(&partial, &file)?;
    Ok((file, summary))
}

/// Restores the backup written to `written` (to be named `file`) into a scratch store and
/// compares it with the ledger, the audit trail byte for byte; the scratch store is removed
/// however this ends.
fn verify(store: &Store, written: &Path, file: &Path) -> Result<()> {
    let bytes = std::fs::read(written).map_err(|e| {
        refused(SafekeepingRefusal::CannotReadBack {
            file: file.to_path_buf(),
            error: e.to_string(),
        })
    })?;
    let snapshot = read_backup(&bytes).map_err(|fault| {
        refused(SafekeepingRefusal::NotSound {
            file: file.to_path_buf(),
            fault,
        })
    })?;
    let scratch = Scratch::for_backup(file);
    let same = {
        let copy = Store::open(scratch.path())?;
        copy.restore(
            &snapshot,
            "backup check",
            &crate::store::Stamp {
                at: DateTime::default(),
                who: "backup".into(),
            },
        )?;
        let (mut restored, original) = (copy.snapshot()?, store.snapshot()?);
        // A store of an older layout has no identities to carry: the scratch store made its
        // own, which are no part of the comparison.
        if original.team.is_empty() {
            restored.team.clear();
        }
        restored == original && copy.trail_continues(store)?
    };
    if same {
        Ok(())
    } else {
        Err(refused(SafekeepingRefusal::NotTheSame {
            file: file.to_path_buf(),
        }))
    }
}

fn refused(why: SafekeepingRefusal) -> Error {
    Refusal::Safekeeping(why).into()
}

/// On the first start of the day, when the configuration asks for it, a verified backup of
/// `store` in the backup folder, keeping its newest few: its file, or why it failed; nothing
/// when the store already has one of today (another store's, or a `.partial`, does not count).
pub fn daily(store: &Store, ctx: &Context) -> Option<Result<PathBuf>> {
    if !ctx.config.backup_daily || store.is_empty().unwrap_or(true) {
        return None;
    }
    let dir = default_dir(ctx);
    let owner = match Owner::of(store) {
        Ok(owner) => owner,
        Err(e) => return Some(Err(e.into())),
    };
    if has_backup_of(&dir, &owner, &ctx.today.format("%Y%m%d").to_string()) {
        return None;
    }
    Some(backup(store, &dir, &ctx.stamp.at).map(|(file, _)| {
        prune(&dir, &owner, ctx.config.backup_keep);
        file
    }))
}

/// Brings a store written by an older counsel-log up to date, after a verified backup in the
/// backup folder; says so in a line for the user, or nothing when the store was up to date.
pub fn migrate_if_due(store: &mut Store, ctx: &Context) -> Result<Option<String>> {
    if !store.migration_due() {
        return Ok(None);
    }
    let (file, _) = backup(store, &default_dir(ctx), &ctx.stamp.at)?;
    let migrated = store.migrate(&ctx.stamp)?;
    let done = Safekept::Migrated {
        file: &file,
        migrated: &migrated,
    };
    Ok(Some(done.message(ctx.lang)))
}
