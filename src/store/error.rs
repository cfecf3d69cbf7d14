//! What can go wrong with the store, and turning sled's errors into it.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{SCHEMA_VERSION, Store};
use crate::domain::Lang;

/// A message in both languages, picked when it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    zh: String,
    en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// Words that are the same in both languages: what the system or the storage engine said.
    pub fn same(s: impl Into<String>) -> Text {
        let s = s.into();
        Text {
            zh: s.clone(),
            en: s,
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// Everything that can go wrong with the store, each with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// Another process holds the store.
    InUse(PathBuf),
    /// The store was written by a newer counsel-log.
    Newer { path: PathBuf, found: u64 },
    /// The store cannot be read as a counsel-log store.
    Damaged { path: PathBuf, detail: Text },
    /// The disk refused a read or write.
    Io { path: PathBuf, detail: Text },
    /// The change was refused; the message says why and what to do. Nothing was written.
    Rejected(Text),
    /// Opening took longer than the watchdog allows.
    SlowOpen { path: PathBuf, secs: u64 },
    /// The change was committed but could not be confirmed on disk; saving it again would
    /// make a second copy.
    Unconfirmed { path: PathBuf, detail: Text },
}

impl StoreError {
    /// The problem and what to do, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::InUse(p), Lang::En) => format!(
                "the store at {} is in use by another counsel-log process: close that one (or wait for it to finish) and try again",
                p.display()
            ),
            (Self::InUse(p), Lang::Zh) => format!(
                "位于 {} 的台账正被另一个 counsel-log 进程使用：请关闭该进程（或等它结束）后重试",
                p.display()
            ),
            (Self::Newer { path, found }, Lang::En) => format!(
                "the store at {} was written by a newer counsel-log (schema {found}; this one reads up to {SCHEMA_VERSION}): upgrade counsel-log to open it",
                path.display()
            ),
            (Self::Newer { path, found }, Lang::Zh) => format!(
                "位于 {} 的台账由更新版本的 counsel-log 写入（数据格式 {found}，本版本最高只能读取 {SCHEMA_VERSION}）：请升级 counsel-log 后再打开",
                path.display()
            ),
            (Self::Damaged { path, detail }, Lang::En) => format!(
                "the store at {} is damaged: {}; restore from a backup with `counsel-log restore`",
                path.display(),
                detail.get(lang)
            ),
            (Self::Damaged { path, detail }, Lang::Zh) => format!(
                "位于 {} 的台账已损坏：{}；请用 `counsel-log restore` 从备份恢复",
                path.display(),
                detail.get(lang)
            ),
            (Self::Io { path, detail }, Lang::En) => format!(
                "cannot use the store at {}: {}; check the path, the disk space and the permissions",
                path.display(),
                detail.get(lang)
            ),
            (Self::Io { path, detail }, Lang::Zh) => format!(
                "无法使用位于 {} 的台账：{}；请检查路径、磁盘空间和访问权限",
                path.display(),
                detail.get(lang)
            ),
            (Self::Rejected(m), _) => m.get(lang).to_string(),
            (Self::SlowOpen { path, secs }, Lang::En) => format!(
                "the store at {} did not open within {secs} s: it may be damaged, or large on a slow disk; try again with COUNSEL_LOG_OPEN_TIMEOUT=120, and if it still does not open, restore from a backup with `counsel-log restore`",
                path.display()
            ),
            (Self::SlowOpen { path, secs }, Lang::Zh) => format!(
                "位于 {} 的台账在 {secs} 秒内未能打开：可能已损坏，或数据量大而磁盘较慢；请设置 COUNSEL_LOG_OPEN_TIMEOUT=120 后重试，仍打不开时请用 `counsel-log restore` 从备份恢复",
                path.display()
            ),
            (Self::Unconfirmed { path, detail }, Lang::En) => format!(
                "the change was written to the store at {} but could not be confirmed on disk ({}): free space or fix the disk, then check the ledger before saving it again",
                path.display(),
                detail.get(lang)
            ),
            (Self::Unconfirmed { path, detail }, Lang::Zh) => format!(
                "更改已写入位于 {} 的台账，但未能确认已存到磁盘（{}）：请腾出空间或修复磁盘，然后先核对台账，再决定是否重新保存",
                path.display(),
                detail.get(lang)
            ),
        }
    }

    /// A change refused, with the reason and the fix in both languages.
    pub(crate) fn rejected(zh: impl Into<String>, en: impl Into<String>) -> StoreError {
        StoreError::Rejected(Text::new(zh, en))
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for StoreError {}

pub type Result<T> = std::result::Result<T, StoreError>;

impl Store {
    pub(super) fn err(&self, e: sled::Error) -> StoreError {
        sled_error(&self.path, e)
    }

    pub(super) fn damaged(&self, detail: Text) -> StoreError {
        StoreError::Damaged {
            path: self.path.clone(),
            detail,
        }
    }
}

pub(super) fn open_error(path: &Path, e: sled::Error) -> StoreError {
    if let sled::Error::Io(io) = &e
        && (io.kind() == std::io::ErrorKind::WouldBlock
            || io.to_string().contains("could not acquire lock"))
    {
        return StoreError::InUse(path.to_path_buf());
    }
    sled_error(path, e)
}

pub(super) fn sled_error(path: &Path, e: sled::Error) -> StoreError {
    let path = path.to_path_buf();
    match e {
        sled::Error::Io(io) => StoreError::Io {
            path,
            detail: Text::same(io.to_string()),
        },
        sled::Error::Corruption { .. } => StoreError::Damaged {
            path,
            detail: Text::new("文件已损坏", "its files are corrupted"),
        },
        sled::Error::Unsupported(m) => StoreError::Damaged {
            path,
            detail: Text::new(
                format!("格式不受支持（{m}）"),
                format!("unsupported format ({m})"),
            ),
        },
        other => StoreError::Damaged {
            path,
            detail: Text::same(other.to_string()),
        },
    }
}
