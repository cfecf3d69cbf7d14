//! `counsel-log backup [DIR]`: a checksummed JSON Lines backup, proven by restoring it into a
//! scratch store and comparing it with the ledger it came from.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use clap::Args;

use super::{Context, Error, Result, count};
use crate::domain::Lang;
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

pub fn run(a: BackupArgs, store: &Store, ctx: &Context) -> Result<String> {
    let dir = a.dir.unwrap_or_else(|| default_dir(ctx));
    let (file, summary) = backup(store, &dir, &ctx.stamp.at, ctx.lang)?;
    Ok(match ctx.lang {
        Lang::Zh => format!(
            "已备份 {} 条记录（{} 条工时记录）到 {}。\nSHA-256 {}；已在临时库中恢复并逐条核对无误。\n",
            summary.records,
            summary.entries,
            file.display(),
            summary.sha256
        ),
        Lang::En => format!(
            "Backed up {} ({}) to {}\nSHA-256 {}; verified by restoring it into a scratch store and comparing every record.\n",
            count(summary.records as usize, "record", "records"),
            count(summary.entries as usize, "entry", "entries"),
            file.display(),
            summary.sha256
        ),
    })
}

/// Writes a backup into `dir` and proves it restores to the same ledger.
pub fn backup(
    store: &Store,
    dir: &Path,
    at: &DateTime<FixedOffset>,
    lang: Lang,
) -> Result<(PathBuf, BackupSummary)> {
    std::fs::create_dir_all(dir).map_err(|e| {
        let dir = dir.display();
        Error::Input(match lang {
            Lang::En => format!(
                "cannot create the backup folder {dir}: {e}; choose another with `backup DIR`"
            ),
            Lang::Zh => {
                format!("无法创建备份文件夹 {dir}（{e}）：请用 `backup 文件夹` 另选一个")
            }
        })
    })?;
    let stamp = at.format("%Y%m%d%H%M%S").to_string();
    let name = format!(
        "counsel-log-{}-{}.jsonl",
        &stamp[..8.min(stamp.len())],
        &stamp[8.min(stamp.len())..]
    );
    let file = dir.join(name);
    let summary = store.write_backup(&file, at)?;
    verify(store, &file, lang)?;
    Ok((file, summary))
}

/// Restores the backup into a scratch store and compares it with the ledger.
fn verify(store: &Store, file: &Path, lang: Lang) -> Result<()> {
    let name = file.display();
    let bytes = std::fs::read(file).map_err(|e| {
        Error::Input(match lang {
            Lang::En => {
                format!("cannot read back {name}: {e}; check the backup folder, then back up again")
            }
            Lang::Zh => format!("无法读回 {name}（{e}）：请检查备份文件夹后重新备份"),
        })
    })?;
    let snapshot = read_backup(&bytes).map_err(|m| {
        let m = m.message(lang);
        Error::Input(match lang {
            Lang::En => {
                format!("the backup {name} is not sound: {m}; check the disk, then back up again")
            }
            Lang::Zh => format!("备份 {name} 有问题：{m}；请检查磁盘后重新备份"),
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
        Ok::<_, crate::store::StoreError>(copy.snapshot()? == store.snapshot()?)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    match result {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::Input(match lang {
            Lang::En => format!(
                "the backup {name} does not restore to the same ledger: keep the store as it is and report this"
            ),
            Lang::Zh => {
                format!("备份 {name} 恢复出来的台账与原台账不一致：请保持台账原样，并报告此问题")
            }
        })),
        Err(e) => Err(e.into()),
    }
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
