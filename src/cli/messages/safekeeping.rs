//! The texts of `backup`, `restore` and `verify`: what they did and why they refused.

use std::path::PathBuf;

use super::count;
use crate::domain::Lang;
use crate::store::{BackupFault, BackupSummary, SnapshotFault, Verification};

/// Why `backup`, `restore` or `verify` stopped; the ledger is as it was.
#[derive(Debug)]
pub enum SafekeepingRefusal {
    CannotCreateFolder {
        dir: PathBuf,
        error: String,
    },
    CannotReadBack {
        file: PathBuf,
        error: String,
    },
    /// The backup just written does not read back whole.
    NotSound {
        file: PathBuf,
        fault: BackupFault,
    },
    /// The backup just written holds a different ledger.
    NotTheSame {
        file: PathBuf,
    },
    /// The backup just written holds the ledger, but a restore would refuse it.
    WouldNotRestore {
        file: PathBuf,
        fault: SnapshotFault,
    },
    /// The ledger changed while each of `attempts` backups was written or proven (none when an
    /// import went on the whole time): no backup of it could be proven.
    KeptChanging {
        file: PathBuf,
        attempts: u32,
    },
    /// The backup was given up because its holder closed.
    Cancelled {
        file: PathBuf,
    },
    /// A backup given to `restore` does not read back whole.
    Unrestorable {
        file: PathBuf,
        fault: BackupFault,
    },
    NotAnExport {
        file: PathBuf,
        error: String,
    },
    /// A JSON export with one record that does not read (a date that is no date, minutes below
    /// zero): the first such record, named.
    BadRecord {
        file: PathBuf,
        /// Which kind of record: `advisor`, `item` or `entry`.
        kind: &'static str,
        /// Its id as the file gives it, else its place in the file's list (from 1).
        id: String,
        error: String,
    },
    /// `restore` sent to the interface that holds the store: a restore takes the store's files
    /// whole, which the interface has open.
    RestoreBeside,
    /// `verify` found problems: the counts and each problem, the first broken link first.
    Unverified {
        path: PathBuf,
        verification: Verification,
    },
}

impl SafekeepingRefusal {
    /// The problem and what to do, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(match self {
            Self::CannotCreateFolder { dir, error } => (
                format!(
                    "无法创建备份文件夹 {}（{error}）：请用 `backup 文件夹` 另选一个",
                    dir.display()
                ),
                format!(
                    "cannot create the backup folder {}: {error}; choose another with `backup DIR`",
                    dir.display()
                ),
            ),
            Self::RestoreBeside => (
                "恢复会整体替换台账文件，而界面正打开着这个台账：请先退出界面，再运行 restore"
                    .to_string(),
                "a restore replaces the store's files whole, and the interface has this store \
                    open: quit the interface, then run restore again"
                    .to_string(),
            ),
            Self::CannotReadBack { file, error } => (
                format!(
                    "无法读回 {}（{error}）：请检查备份文件夹后重新备份",
                    file.display()
                ),
                format!(
                    "cannot read back {}: {error}; check the backup folder, then back up again",
                    file.display()
                ),
            ),
            Self::NotSound { file, fault } => (
                format!(
                    "备份 {} 有问题：{}；请检查磁盘后重新备份",
                    file.display(),
                    fault.message(lang)
                ),
                format!(
                    "the backup {} is not sound: {}; check the disk, then back up again",
                    file.display(),
                    fault.message(lang)
                ),
            ),
            Self::NotTheSame { file } => (
                format!(
                    "备份 {} 读回的台账与原台账不一致：请保持台账原样，并报告此问题",
                    file.display()
                ),
                format!(
                    "the backup {} does not read back as the same ledger: keep the store as it \
                        is and report this",
                    file.display()
                ),
            ),
            Self::WouldNotRestore { file, fault } => (
                format!(
                    "备份 {} 无法恢复：{}；请先用 `counsel-log verify` 检查台账",
                    file.display(),
                    fault.message(lang)
                ),
                format!(
                    "the backup {} would not restore: {}; check the store with `counsel-log \
                        verify`",
                    file.display(),
                    fault.message(lang)
                ),
            ),
            Self::KeptChanging { .. } | Self::Cancelled { .. } => self.unfinished_pair(),
            Self::Unrestorable { .. } | Self::NotAnExport { .. } | Self::BadRecord { .. } => {
                self.restore_pair(lang)
            }
            Self::Unverified { path, verification } => unverified(path, verification, lang),
        })
    }

    /// A backup that did not end: the ledger kept changing, or its holder closed.
    fn unfinished_pair(&self) -> (String, String) {
        match self {
            Self::KeptChanging { file, attempts: 0 } => {
                let file = file.display();
                (
                    format!("导入一直未结束，未能备份 {file}：请在导入完成后重新备份"),
                    format!(
                        "an import went on the whole time, so {file} was not written: back up \
                            again once it has finished"
                    ),
                )
            }
            Self::KeptChanging { file, attempts } => {
                let file = file.display();
                (
                    format!(
                        "备份期间台账一直在变动（试了 {attempts} 次），未能备份 {file}：请稍后\
                            重新备份"
                    ),
                    format!(
                        "the ledger changed while each of {attempts} backups was being written, \
                            so {file} was not kept: back up again in a quieter moment"
                    ),
                )
            }
            Self::Cancelled { file } => {
                let file = file.display();
                (
                    format!("程序关闭，备份 {file} 已放弃"),
                    format!("the backup {file} was given up as the program closed"),
                )
            }
            other => {
                let text = other.message(Lang::En);
                (text.clone(), text)
            }
        }
    }

    fn restore_pair(&self, lang: Lang) -> (String, String) {
        match self {
            Self::Unrestorable { file, fault } => {
                let (file, why) = (file.display(), fault.message(lang));
                (
                    format!("{file} 无法恢复：{why}；台账未作任何改动"),
                    format!("{file} cannot be restored: {why}; nothing was changed"),
                )
            }
            Self::BadRecord {
                file,
                kind,
                id,
                error,
            } => {
                let file = file.display();
                let kind_zh = match *kind {
                    "advisor" => "顾问",
                    "item" => "事项",
                    _ => "工时记录",
                };
                (
                    format!(
                        "{file} 无法恢复：其中的{kind_zh} {id} 无法读取（{error}）：请改正它，或使用 \
                            `counsel-log export --format json` 原样写出的文件；台账未作任何改动"
                    ),
                    format!(
                        "{file} cannot be restored: its {kind} {id} does not read ({error}): \
                            correct it, or give the file as `counsel-log export --format json` \
                            wrote it; nothing was changed"
                    ),
                )
            }
            Self::NotAnExport { file, error } => {
                let file = file.display();
                (
                    format!(
                        "{file} 不是 counsel-log 的 JSON 导出文件（{error}）：请使用 `counsel-log \
                            export --format json` 写出的文件"
                    ),
                    format!(
                        "{file} is not a counsel-log JSON export ({error}): give a file written by \
                            `counsel-log export --format json`"
                    ),
                )
            }
            other => {
                let text = other.message(lang);
                (text.clone(), text)
            }
        }
    }
}

/// What a migration did, in both languages.
fn migrated_pair(file: &std::path::Path, migrated: &crate::store::Migrated) -> (String, String) {
    let (file, from, to) = (file.display(), migrated.from, migrated.to);
    // What each step brought: global ids with schema 2, the digest with 3, the aggregates
    // with 4, the packed trees with 5, the items' keys packed with 6, a month's totals a
    // block with 7, the whole history's totals with 8 (a rewrite packs everything as this
    // build does, so each step says only what it packs anew; counting the totals from the
    // entries counts the whole history's too).
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if migrated.records > 0 {
        zh.push(format!("{} 条记录获得全局编号", migrated.records));
        en.push(format!(
            "{} given a global id",
            count(migrated.records, "record", "records")
        ));
    }
    if from < 3 {
        zh.push("台账摘要已计入审计记录".to_owned());
        en.push("the ledger's digest counted into its audit trail".to_owned());
    }
    if from < 4 {
        zh.push("各期汇总已由明细算出".to_owned());
        en.push("each period's totals counted from the entries".to_owned());
    }
    if from < 5 {
        zh.push("大表已按块紧凑存放".to_owned());
        en.push("the large trees packed into blocks".to_owned());
    } else {
        if from < 6 {
            zh.push("事项自编号已按块紧凑存放".to_owned());
            en.push("the keys offices give their items packed into blocks".to_owned());
        }
        if from < 7 {
            zh.push("各期汇总已按月存放".to_owned());
            en.push("each month's totals packed into one block".to_owned());
        }
    }
    if (4..8).contains(&from) {
        zh.push("全部历史的汇总已另存一块".to_owned());
        en.push("the whole history's totals kept in one block".to_owned());
    }
    let (zh, en) = (zh.join("，"), en.join(", "));
    (
        format!("台账已从数据格式 {from} 升级到 {to}（{zh}）；升级前的备份已验证：{file}"),
        format!(
            "The store was brought up to date from schema {from} to {to} ({en}); the backup \
                made before was verified: {file}"
        ),
    )
}

/// `verify`'s refusal: the counts, what to do, then each problem on a line of its own.
fn unverified(path: &std::path::Path, v: &Verification, lang: Lang) -> (String, String) {
    let (path, counts) = (path.display(), counts(v, lang));
    let problems: String = v
        .problems
        .iter()
        .map(|p| format!("\n  {}", p.message(lang)))
        .collect();
    (
        format!(
            "位于 {path} 的台账未通过校验（{counts}）；请用 `counsel-log restore` 从备份恢复：\
                {problems}"
        ),
        format!(
            "the store at {path} failed verification ({counts}); restore from a backup with \
                `counsel-log restore`:{problems}"
        ),
    )
}

/// What `verify` counted: audit records, entries, items.
fn counts(v: &Verification, lang: Lang) -> String {
    lang.of((
        format!(
            "审计记录 {} 条，记录 {} 条，事项 {} 项",
            v.audit_records, v.entries, v.items
        ),
        format!(
            "{}, {}, {}",
            count(v.audit_records, "audit record", "audit records"),
            count(v.entries, "entry", "entries"),
            count(v.items, "item", "items")
        ),
    ))
}

/// What `backup`, `restore` or `verify` did.
pub enum Safekept<'a> {
    BackedUp {
        file: &'a std::path::Path,
        summary: &'a BackupSummary,
    },
    Restored {
        advisors: usize,
        items: usize,
        entries: usize,
    },
    Verified {
        path: &'a std::path::Path,
        verification: &'a Verification,
    },
    /// The store was brought up to date after the backup `file`.
    Migrated {
        file: &'a std::path::Path,
        migrated: &'a crate::store::Migrated,
    },
}

impl Safekept<'_> {
    /// The report in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(match self {
            Safekept::BackedUp { file, summary } => {
                let (file, sha) = (file.display(), &summary.sha256);
                (
                    format!(
                        "已备份 {} 条记录（{} 条工时记录）及 {} 条审计记录到 {file}。\nSHA-256 \
                            {sha}；已读回并与台账逐条核对无误。",
                        summary.records, summary.entries, summary.audit
                    ),
                    format!(
                        "Backed up {} ({}) and {} to {file}\nSHA-256 {sha}; verified by \
                            reading it back and comparing every record with the store.",
                        count(summary.records, "record", "records"),
                        count(summary.entries, "entry", "entries"),
                        count(summary.audit, "audit record", "audit records")
                    ),
                )
            }
            Safekept::Restored {
                advisors,
                items,
                entries,
            } => (
                format!("已恢复 {advisors} 名顾问、{items} 项事项、{entries} 条记录。"),
                format!(
                    "Restored {}, {} and {}.",
                    count(*advisors, "advisor", "advisors"),
                    count(*items, "item", "items"),
                    count(*entries, "entry", "entries")
                ),
            ),
            Safekept::Migrated { file, migrated } => migrated_pair(file, migrated),
            Safekept::Verified { path, verification } => {
                let (path, counts) = (path.display(), counts(verification, lang));
                (
                    format!(
                        "{path} 校验通过：审计链完整，与 audit-head.json 一致，索引一致\
                            （{counts}）。"
                    ),
                    format!(
                        "{path} verified: the audit chain is unbroken, matches audit-head.json, \
                            and every index agrees: {counts}."
                    ),
                )
            }
        })
    }
}
