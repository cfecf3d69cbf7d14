//! `counsel-log backup [DIR]`: a checksummed JSON Lines backup named after its store, proven by
//! reading it back beside the ledger it came from and comparing every record; and the daily
//! backup, which the interface and `serve` take on a thread of their own.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use clap::Args;

mod background;
mod folder;
mod scratch;

pub use background::Background;
pub use folder::{Owner, backups_of, has_backup_of, latest, prune};

use super::messages::{SafekeepingRefusal, Safekept};
use super::{Context, Error, Refusal, Result};
use crate::store::{BackupSummary, LedgerMark, Proof, Store};

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

/// Writes a backup of `store` into `dir`, named after the store, and proves it holds the same
/// ledger; first removes what interrupted backups left in `dir`.
pub fn backup(
    store: &Store,
    dir: &Path,
    at: &DateTime<FixedOffset>,
) -> Result<(PathBuf, BackupSummary)> {
    backup_unless(store, dir, at, &AtomicBool::new(false))
}

/// [`backup`], given up (and its unfinished file removed) as soon as `cancel` is set.
pub fn backup_unless(
    store: &Store,
    dir: &Path,
    at: &DateTime<FixedOffset>,
    cancel: &AtomicBool,
) -> Result<(PathBuf, BackupSummary)> {
    backup_watched(store, dir, at, cancel, &mut |_| {})
}

/// Where a backup stands, as it tells whoever watches it: at the start of writing and of
/// proving, and every few thousand records of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Writing,
    Proving,
}

/// [`backup_unless`], telling `watch` where it stands as it goes.
///
/// The store may change while the backup is written or proven (the interface saving beside a
/// backup on its own thread): the ledger's mark is noted before, watched as it goes and read
/// again once the proof is done, and a backup of a ledger that moved is thrown away and taken
/// again, [`ATTEMPTS`] times at most. Only a backup proven against the very ledger it was
/// written from takes its finished name.
pub fn backup_watched(
    store: &Store,
    dir: &Path,
    at: &DateTime<FixedOffset>,
    cancel: &AtomicBool,
    watch: &mut dyn FnMut(Stage),
) -> Result<(PathBuf, BackupSummary)> {
    std::fs::create_dir_all(dir).map_err(|e| {
        refused(SafekeepingRefusal::CannotCreateFolder {
            dir: dir.to_path_buf(),
            error: e.to_string(),
        })
    })?;
    folder::sweep_partials(dir);
    // Versions that proved a backup in a scratch store may have left one behind.
    scratch::sweep(&std::env::temp_dir());
    let file = dir.join(Owner::of(store)?.file_name(at));
    let partial = folder::partial_of(&file);
    for _ in 0..ATTEMPTS {
        let attempt = attempt(store, (&file, &partial), at, cancel, watch);
        if !matches!(attempt, Ok(Attempt::Proven(_))) {
            let _ = std::fs::remove_file(&partial);
        }
        // Proven before it takes its finished name: a backup killed or failing its proof
        // leaves only a `.partial`, which never counts and the next backup sweeps away.
        if let Attempt::Proven(summary) = attempt? {
            crate::store::settle_backup(&partial, &file)?;
            return Ok((file, summary));
        }
    }
    Err(refused(SafekeepingRefusal::KeptChanging {
        file,
        attempts: ATTEMPTS,
    }))
}

/// How many times a backup is taken when the ledger changes under it, before it gives up.
const ATTEMPTS: u32 = 3;

/// How long a backup waits for a write too large for one transaction (an import) to end.
const PENDING_PATIENCE: Duration = Duration::from_secs(10 * 60);

/// What one try at a backup came to, when nothing went wrong.
enum Attempt {
    Proven(BackupSummary),
    /// The ledger changed while the backup was written or proven: it proves nothing.
    Moved,
}

/// Writes the backup into `partial` and proves it against the ledger, which must not move
/// meanwhile.
fn attempt(
    store: &Store,
    (file, partial): (&Path, &Path),
    at: &DateTime<FixedOffset>,
    cancel: &AtomicBool,
    watch: &mut dyn FnMut(Stage),
) -> Result<Attempt> {
    let cancelled = || cancel.load(Ordering::SeqCst);
    let mark = settled_mark(store, file, cancel)?;
    let steady = || !cancelled() && store.ledger_mark().is_ok_and(|m| m == mark);
    let written = store.write_backup(file, partial, at, &mut || {
        watch(Stage::Writing);
        steady()
    })?;
    let proof = match written {
        Some(summary) => {
            let proof = store.prove_backup(partial, &mut || {
                watch(Stage::Proving);
                steady()
            })?;
            Some((summary, proof))
        }
        None => None,
    };
    if cancelled() {
        return Err(refused(SafekeepingRefusal::Cancelled {
            file: file.to_path_buf(),
        }));
    }
    // Whatever the proof found, a ledger that moved meanwhile decides nothing: the same
    // ledger is backed up again.
    let (Some((summary, proof)), true) = (proof, store.ledger_mark()? == mark) else {
        return Ok(Attempt::Moved);
    };
    let file = file.to_path_buf();
    Err(refused(match proof {
        Proof::Same => return Ok(Attempt::Proven(summary)),
        Proof::Stopped => return Ok(Attempt::Moved),
        Proof::CannotRead(error) => SafekeepingRefusal::CannotReadBack { file, error },
        Proof::Unsound(fault) => SafekeepingRefusal::NotSound { file, fault },
        Proof::Unrestorable(fault) => SafekeepingRefusal::WouldNotRestore { file, fault },
        Proof::Differs => SafekeepingRefusal::NotTheSame { file },
    }))
}

/// The ledger's mark once no large write is under way: a backup waits for an import to end
/// rather than catch half of it.
fn settled_mark(store: &Store, file: &Path, cancel: &AtomicBool) -> Result<LedgerMark> {
    let since = Instant::now();
    loop {
        let mark = store.ledger_mark()?;
        if mark.settled() {
            return Ok(mark);
        }
        if cancel.load(Ordering::SeqCst) {
            return Err(refused(SafekeepingRefusal::Cancelled {
                file: file.to_path_buf(),
            }));
        }
        if since.elapsed() > PENDING_PATIENCE {
            return Err(refused(SafekeepingRefusal::KeptChanging {
                file: file.to_path_buf(),
                attempts: 0,
            }));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn refused(why: SafekeepingRefusal) -> Error {
    Refusal::Safekeeping(why).into()
}

/// On the first start of the day, when the configuration asks for it, a verified backup of
/// `store` in the backup folder, keeping its newest few: its file, or why it failed; nothing
/// when the store already has one of today (another store's, or a `.partial`, does not count).
pub fn daily(store: &Store, ctx: &Context) -> Option<Result<PathBuf>> {
    daily_unless(store, ctx, &AtomicBool::new(false))
}

/// [`daily`], given up as soon as `cancel` is set (the interface closing).
pub fn daily_unless(store: &Store, ctx: &Context, cancel: &AtomicBool) -> Option<Result<PathBuf>> {
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
    Some(
        backup_unless(store, &dir, &ctx.stamp.at, cancel).map(|(file, _)| {
            prune(&dir, &owner, ctx.config.backup_keep);
            file
        }),
    )
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
