//! `counsel-log backup [DIR]`: a checksummed JSON Lines backup, proven by restoring it into a
//! scratch store and comparing it with the ledger it came from.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use clap::Args;

use super::messages::{SafekeepingRefusal, Safekept};
use super::{Context, Error, Refusal, Result};
use crate::store::{BackupSummary, Store, read_backup};

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

/// Writes a backup into `dir` and proves it restores to the same ledger.
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
    let name = format!("counsel-log-{}.jsonl", at.format("%Y%m%d-%H%M%S"));
    let file = dir.join(name);
    let summary = store.write_backup(&file, at)?;
    verify(store, &file)?;
    Ok((file, summary))
}

/// Restores the backup into a scratch store and compares it with the ledger.
fn verify(store: &Store, file: &Path) -> Result<()> {
    let bytes = std::fs::read(file).map_err(|e| {
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
    let scratch = std::env::temp_dir().join(format!(
        "counsel-log-verify-{}-{}",
        std::process::id(),
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let _ = std::fs::remove_dir_all(&scratch);
    let result = (|| {
        let copy = Store::open(&scratch)?;
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
        Ok::<_, crate::store::StoreError>(restored == original)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    match result {
        Ok(true) => Ok(()),
        Ok(false) => Err(refused(SafekeepingRefusal::NotTheSame {
            file: file.to_path_buf(),
        })),
        Err(e) => Err(e.into()),
    }
}

fn refused(why: SafekeepingRefusal) -> Error {
    Refusal::Safekeeping(why).into()
}

/// Keeps the newest `keep` backups in `dir`, removing older ones.
pub fn prune(dir: &Path, keep: usize) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("counsel-log-") && n.ends_with(".jsonl")
            })
        })
        .collect();
    files.sort();
    let excess = files.len().saturating_sub(keep);
    for f in files.into_iter().take(excess) {
        let _ = std::fs::remove_file(f);
    }
}

/// True when `dir` already holds a backup made on `day` (`YYYYMMDD`).
pub fn has_backup_of(dir: &Path, day: &str) -> bool {
    std::fs::read_dir(dir).is_ok_and(|read| {
        read.filter_map(|e| e.ok()).any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("counsel-log-{day}-"))
        })
    })
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
