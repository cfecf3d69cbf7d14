//! The sled store: opening it safely, the trees it holds, atomic commits that reach the disk
//! before success is reported, and the audit trail. Nothing here knows about the interface.

mod audit;
mod backup;
mod codec;
mod edit;
mod guard;
mod keys;
mod ledger;
mod snapshot;
mod verify;

use std::fmt;
use std::path::{Path, PathBuf};

use sled::Transactional;

use crate::domain::Lang;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree};

pub use audit::{AuditRecord, Head, Stamp};
pub use backup::{BACKUP_FORMAT, BackupSummary, is_backup, read_backup};
pub use edit::{EntryChange, ItemState, Timer, Undo, UndoScope};
pub use ledger::{Applied, StoreView};
pub use snapshot::Snapshot;
pub use verify::Verification;

/// The schema this build writes. Older stores are migrated on open; newer ones are refused.
pub const SCHEMA_VERSION: u64 = 1;

/// Memory sled may use for its page cache, whatever the size of the store.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

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

/// The trees of the store, in the order a transaction sees them.
#[derive(Clone)]
struct Trees {
    meta: sled::Tree,
    advisors: sled::Tree,
    items: sled::Tree,
    item_refs: sled::Tree,
    entries: sled::Tree,
    entry_index: sled::Tree,
    item_entries: sled::Tree,
    fingerprints: sled::Tree,
    catalogs: sled::Tree,
    audit: sled::Tree,
}

/// The open store.
///
/// Fields drop in the order they are declared: the trees and the database close sled
/// completely before `closing` records the files' state.
pub struct Store {
    trees: Trees,
    db: sled::Db,
    path: PathBuf,
    closing: CloseRecord,
}

/// Records, once sled has closed, that the store's files are as counsel-log left them, so the
/// next open can tell they are untouched and skip the protective copy.
struct CloseRecord {
    path: PathBuf,
    /// Set once the store has opened and passed its checks: only then does closing record
    /// the files as cleanly closed.
    healthy: bool,
}

impl Drop for CloseRecord {
    fn drop(&mut self) {
        if self.healthy {
            let _ = guard::record_close(&self.path);
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = self.db.flush();
    }
}

/// How long opening may take before the store is reported as damaged:
/// `COUNSEL_LOG_OPEN_TIMEOUT` seconds, default 20.
fn open_timeout() -> std::time::Duration {
    let secs = std::env::var("COUNSEL_LOG_OPEN_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    std::time::Duration::from_secs(secs)
}

/// The default store location: the platform's data directory for counsel-log
/// (`$XDG_DATA_HOME/counsel-log` on Linux), else `counsel-log` in the working directory.
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "counsel-log").map_or_else(
        || PathBuf::from("counsel-log"),
        |d| d.data_dir().to_path_buf(),
    )
}

impl Store {
    /// Opens (or creates) the store at `path`. A store in use, from a newer version or damaged
    /// gives its own error; a panic inside sled becomes a "damaged" error, never a crash.
    pub fn open(path: &Path) -> Result<Store> {
        if path.exists() && !path.is_dir() {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                detail: Text::new(
                    "这是一个文件，不是台账目录",
                    "it is a file, not a store directory",
                ),
            });
        }
        // Any file in the folder makes it an existing store, even one that lost its `db`.
        let existing = std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_some());
        if existing && guard::locked_elsewhere(path) {
            return Err(StoreError::InUse(path.to_path_buf()));
        }
        // Unless the files are as the last clean close left them, keep a copy to put back
        // should this open find damage (sled's repair would otherwise have changed them).
        let copy = if existing && !guard::closed_cleanly(path) {
            Some(guard::Guard::take(path).map_err(|e| StoreError::Io {
                path: path.to_path_buf(),
                detail: Text::same(e.to_string()),
            })?)
        } else {
            None
        };
        let opened = Store::open_unguarded(path);
        match (opened, copy) {
            (Ok(store), copy) => {
                if let Some(copy) = copy {
                    copy.release();
                }
                guard::forget_close(path);
                Ok(store)
            }
            (Err(e @ StoreError::Damaged { .. }), Some(copy)) => {
                let _ = copy.put_back();
                Err(e)
            }
            // A store in use, from a newer version, unreadable or still opening: its files are
            // not ours to touch.
            (Err(e), Some(copy)) => {
                copy.release();
                Err(e)
            }
            (Err(e), None) => Err(e),
        }
    }

    fn open_unguarded(path: &Path) -> Result<Store> {
        let config = sled::Config::new().path(path).cache_capacity(CACHE_BYTES);
        // sled can hang on a damaged file, so it opens on a thread of its own and is given up
        // on after a while; the process then exits with the message below.
        let (send, receive) = std::sync::mpsc::channel();
        let opening = config.clone();
        std::thread::spawn(move || {
            let _ = send.send(quietly(|| opening.open()));
        });
        let limit = open_timeout();
        let opened = match receive.recv_timeout(limit) {
            Ok(result) => result,
            Err(_) => {
                return Err(StoreError::SlowOpen {
                    path: path.to_path_buf(),
                    secs: limit.as_secs(),
                });
            }
        };
        let db = match opened {
            Ok(Ok(db)) => db,
            Ok(Err(e)) => return Err(open_error(path, e)),
            Err(panic) => {
                return Err(StoreError::Damaged {
                    path: path.to_path_buf(),
                    detail: Text::same(panic),
                });
            }
        };
        let tree = |name: &str| db.open_tree(name).map_err(|e| sled_error(path, e));
        let trees = Trees {
            meta: tree("meta")?,
            advisors: tree("advisors")?,
            items: tree("items")?,
            item_refs: tree("item_refs")?,
            entries: tree("entries")?,
            entry_index: tree("entry_index")?,
            item_entries: tree("item_entries")?,
            fingerprints: tree("fingerprints")?,
            catalogs: tree("catalogs")?,
            audit: tree("audit")?,
        };
        let mut store = Store {
            trees,
            db,
            path: path.to_path_buf(),
            closing: CloseRecord {
                path: path.to_path_buf(),
                healthy: false,
            },
        };
        store.check_schema()?;
        store.check_head()?;
        store.recover()?;
        store.closing.healthy = true;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the schema version; a fresh store gets the current one and the default catalogs.
    fn check_schema(&self) -> Result<()> {
        match self.trees.meta.get(b"schema").map_err(|e| self.err(e))? {
            Some(v) => {
                let found = keys::parse_id(&v).ok_or_else(|| {
                    self.damaged(Text::new(
                        "数据格式版本无法读取",
                        "the schema version is unreadable",
                    ))
                })?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::Newer {
                        path: self.path.clone(),
                        found,
                    });
                }
                if found == 0 {
                    return Err(
                        self.damaged(Text::new("数据格式版本为 0", "the schema version is 0"))
                    );
                }
                Ok(())
            }
            None => {
                let anything = self.trees.advisors.iter().next().is_some()
                    || self.trees.entries.iter().next().is_some()
                    || self.trees.items.iter().next().is_some();
                if anything {
                    return Err(self.damaged(Text::new(
                        "其中有记录却没有数据格式版本",
                        "it holds records but no schema version",
                    )));
                }
                self.initialize()
            }
        }
    }

    fn initialize(&self) -> Result<()> {
        use crate::domain::CatalogKind;
        let catalogs: Vec<(Vec<u8>, Vec<u8>)> = [CatalogKind::Topic, CatalogKind::Service]
            .into_iter()
            .flat_map(|kind| {
                kind.defaults()
                    .entries
                    .into_iter()
                    .map(move |e| (ledger::catalog_key(kind, &e.code), codec::encode_json(&e)))
            })
            .collect();
        self.commit(|tx| {
            tx.meta().insert(
                b"schema".as_slice(),
                keys::id_key(SCHEMA_VERSION).as_slice(),
            )?;
            for (k, v) in &catalogs {
                tx.catalogs().insert(k.as_slice(), v.as_slice())?;
            }
            Ok(())
        })
    }

    /// Runs `f` as one atomic transaction over every tree, then makes it durable: sled flush,
    /// then fsync of the store's files (sled's flush alone does not fsync on Linux).
    fn commit<R>(&self, f: impl Fn(&Tx) -> std::result::Result<R, TxError>) -> Result<R> {
        let value = self.commit_unsynced(f)?;
        // From here the change is in the store: a failure to confirm it must not read as
        // "not saved", or a retry would save it twice.
        let unconfirmed = |e: StoreError| StoreError::Unconfirmed {
            path: self.path.clone(),
            detail: Text::new(e.message(Lang::Zh), e.message(Lang::En)),
        };
        self.sync().map_err(unconfirmed)?;
        self.write_head_file().map_err(unconfirmed)?;
        Ok(value)
    }

    /// The audit head as the store holds it.
    pub fn audit_head_record(&self) -> Result<Head> {
        Ok(self
            .trees
            .meta
            .get(AUDIT_HEAD)
            .map_err(|e| self.err(e))?
            .and_then(|v| codec::decode_json(&v))
            .unwrap_or_else(Head::empty))
    }

    /// The audit head as the side file holds it, if there is one.
    pub fn head_file(&self) -> Result<Option<Head>> {
        match std::fs::read(self.path.join(HEAD_FILE)) {
            Ok(bytes) => codec::decode_json(&bytes).map(Some).ok_or_else(|| {
                self.damaged(Text::new(
                    format!("{HEAD_FILE} 无法读取"),
                    format!("{HEAD_FILE} is unreadable"),
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Io {
                path: self.path.clone(),
                detail: Text::same(e.to_string()),
            }),
        }
    }

    /// Writes the side file: temporary file, fsync, atomic rename, fsync of the directory.
    fn write_head_file(&self) -> Result<()> {
        use std::io::Write;
        let head = self.audit_head_record()?;
        let io = |e: std::io::Error| StoreError::Io {
            path: self.path.clone(),
            detail: Text::same(e.to_string()),
        };
        let tmp = self.path.join(format!("{HEAD_FILE}.tmp"));
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(&codec::encode_json(&head)).map_err(io)?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&tmp, self.path.join(HEAD_FILE)).map_err(io)?;
        std::fs::File::open(&self.path)
            .and_then(|d| d.sync_all())
            .map_err(io)
    }

    /// Compares the store's audit head with the side file's: fewer records in the store than
    /// the file names means acknowledged changes were lost.
    fn check_head(&self) -> Result<()> {
        let head = self.audit_head_record()?;
        match self.head_file()? {
            Some(file) if file.count > head.count => Err(self.damaged(Text::new(
                format!(
                    "审计记录止于第 {} 条，但 {HEAD_FILE} 显示已保存 {} 条，最新的更改已丢失",
                    head.count, file.count
                ),
                format!(
                    "its audit trail ends at record {} but {HEAD_FILE} shows {} were saved, so the newest changes are missing",
                    head.count, file.count
                ),
            ))),
            Some(file) if file.count == head.count && file.hash != head.hash => {
                Err(self.damaged(Text::new(
                    format!("最新的审计记录（第 {} 条）与 {HEAD_FILE} 不符", head.count),
                    format!(
                        "its newest audit record (number {}) does not match {HEAD_FILE}",
                        head.count
                    ),
                )))
            }
            Some(file) if file == head => Ok(()),
            // Without the file there is nothing to check the newest records against.
            None if head.count > 0 => Err(self.damaged(Text::new(
                format!("记录已保存更改数量的 {HEAD_FILE} 不见了，无法发现丢失的更改"),
                format!(
                    "{HEAD_FILE}, which records how many changes were saved, is missing, so lost changes could not be noticed"
                ),
            ))),
            // A new store, or a file behind the store (a crash between the commit and the
            // file), is brought up to date.
            _ => self.write_head_file(),
        }
    }

    /// One atomic transaction over every tree, not yet made durable.
    fn commit_unsynced<R>(&self, f: impl Fn(&Tx) -> std::result::Result<R, TxError>) -> Result<R> {
        let t = &self.trees;
        let trees = [
            &t.meta,
            &t.advisors,
            &t.items,
            &t.item_refs,
            &t.entries,
            &t.entry_index,
            &t.item_entries,
            &t.fingerprints,
            &t.catalogs,
            &t.audit,
        ];
        let result = trees[..].transaction(|view| f(&Tx { trees: view }));
        match result {
            Ok(v) => Ok(v),
            Err(TransactionError::Abort(e)) => Err(e),
            Err(TransactionError::Storage(e)) => Err(self.err(e)),
        }
    }

    /// Flushes sled's buffers and fsyncs its files and directory.
    pub fn sync(&self) -> Result<()> {
        self.db.flush().map_err(|e| self.err(e))?;
        let io = |e: std::io::Error| StoreError::Io {
            path: self.path.clone(),
            detail: Text::same(e.to_string()),
        };
        let entries = std::fs::read_dir(&self.path).map_err(io)?;
        for entry in entries {
            let entry = entry.map_err(io)?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name == "db" || name == "conf" || name.starts_with("snap.") {
                std::fs::File::open(entry.path())
                    .and_then(|f| f.sync_all())
                    .map_err(io)?;
            }
            // sled writes large nodes to blob files and never syncs them.
            if name == "blobs" {
                for blob in std::fs::read_dir(entry.path()).map_err(io)? {
                    let blob = blob.map_err(io)?;
                    std::fs::File::open(blob.path())
                        .and_then(|f| f.sync_all())
                        .map_err(io)?;
                }
                std::fs::File::open(entry.path())
                    .and_then(|d| d.sync_all())
                    .map_err(io)?;
            }
        }
        std::fs::File::open(&self.path)
            .and_then(|f| f.sync_all())
            .map_err(io)
    }

    fn err(&self, e: sled::Error) -> StoreError {
        sled_error(&self.path, e)
    }

    fn damaged(&self, detail: Text) -> StoreError {
        StoreError::Damaged {
            path: self.path.clone(),
            detail,
        }
    }
}

/// An error inside a transaction: a refusal of ours, or sled's conflict/storage signal.
type TxError = ConflictableTransactionError<StoreError>;

/// The `meta` key of the audit chain's head.
const AUDIT_HEAD: &[u8] = b"audit_head";

/// The side file beside the store's own files holding the audit head, written after each
/// commit. If the store ever comes back with fewer records than this file names, records
/// that were reported saved have been lost, and opening says so.
const HEAD_FILE: &str = "audit-head.json";

/// The largest value the store writes. sled moves larger values to blob files that it never
/// syncs, so nothing that size is ever written: the change is refused instead.
pub const MAX_VALUE: usize = 64 * 1024;

/// The refusal of a record of `bytes` bytes, over [`MAX_VALUE`].
fn too_large(bytes: usize) -> StoreError {
    let (kib, max) = (bytes.div_ceil(1024), MAX_VALUE / 1024);
    StoreError::rejected(
        format!(
            "一条记录将达 {kib} KiB，超过 {max} KiB 的上限，未保存任何内容：请缩短标题、部门或备注"
        ),
        format!(
            "a record would be {kib} KiB, over the {max} KiB limit; nothing was saved: shorten the title, department or note"
        ),
    )
}

/// A tree inside a transaction, refusing values over [`MAX_VALUE`].
struct TxTree<'a>(&'a TransactionalTree);

impl TxTree<'_> {
    fn get(
        &self,
        key: impl AsRef<[u8]>,
    ) -> std::result::Result<Option<sled::IVec>, sled::transaction::UnabortableTransactionError>
    {
        self.0.get(key)
    }

    fn insert(
        &self,
        key: impl AsRef<[u8]>,
        value: impl AsRef<[u8]>,
    ) -> std::result::Result<(), TxError> {
        let value = value.as_ref();
        if value.len() > MAX_VALUE {
            return Err(TxError::Abort(too_large(value.len())));
        }
        self.0.insert(key.as_ref(), value)?;
        Ok(())
    }

    fn remove(
        &self,
        key: impl AsRef<[u8]>,
    ) -> std::result::Result<(), sled::transaction::UnabortableTransactionError> {
        self.0.remove(key.as_ref())?;
        Ok(())
    }
}

/// The trees inside a transaction, by name.
struct Tx<'a> {
    trees: &'a Vec<TransactionalTree>,
}

impl Tx<'_> {
    fn meta(&self) -> TxTree<'_> {
        TxTree(&self.trees[0])
    }
    fn advisors(&self) -> TxTree<'_> {
        TxTree(&self.trees[1])
    }
    fn items(&self) -> TxTree<'_> {
        TxTree(&self.trees[2])
    }
    fn item_refs(&self) -> TxTree<'_> {
        TxTree(&self.trees[3])
    }
    fn entries(&self) -> TxTree<'_> {
        TxTree(&self.trees[4])
    }
    fn entry_index(&self) -> TxTree<'_> {
        TxTree(&self.trees[5])
    }
    fn item_entries(&self) -> TxTree<'_> {
        TxTree(&self.trees[6])
    }
    fn fingerprints(&self) -> TxTree<'_> {
        TxTree(&self.trees[7])
    }
    fn catalogs(&self) -> TxTree<'_> {
        TxTree(&self.trees[8])
    }
    fn audit_log(&self) -> TxTree<'_> {
        TxTree(&self.trees[9])
    }

    /// Takes the next number of a counter kept in `meta` (starting at 1).
    fn next(&self, counter: &str) -> std::result::Result<u64, TxError> {
        self.reserve(counter, 1)
    }

    /// Takes `n` consecutive numbers of a counter; returns the first.
    fn reserve(&self, counter: &str, n: u64) -> std::result::Result<u64, TxError> {
        let current = self
            .meta()
            .get(counter.as_bytes())?
            .and_then(|v| keys::parse_id(&v))
            .unwrap_or(1);
        self.meta()
            .insert(counter.as_bytes(), keys::id_key(current + n).as_slice())?;
        Ok(current)
    }

    /// Raises a counter so that it hands out numbers above `floor` (after a restore).
    fn raise(&self, counter: &str, floor: u64) -> std::result::Result<(), TxError> {
        let current = self
            .meta()
            .get(counter.as_bytes())?
            .and_then(|v| keys::parse_id(&v))
            .unwrap_or(1);
        if current <= floor {
            self.meta()
                .insert(counter.as_bytes(), keys::id_key(floor + 1).as_slice())?;
        }
        Ok(())
    }

    /// Appends one audit record.
    fn audit(
        &self,
        stamp: &Stamp,
        action: &str,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> std::result::Result<(), TxError> {
        let seq = self.next("audit_seq")?;
        let head: audit::Head = self
            .meta()
            .get(AUDIT_HEAD)?
            .and_then(|v| codec::decode_json(&v))
            .unwrap_or_else(audit::Head::empty);
        let record = AuditRecord {
            seq,
            at: stamp.at.clone(),
            who: stamp.who.clone(),
            action: action.into(),
            before,
            after,
            prev: head.hash,
        };
        let bytes = codec::encode_json(&record);
        let next = audit::Head {
            count: head.count + 1,
            hash: audit::digest(&bytes),
        };
        self.audit_log()
            .insert(keys::id_key(seq).as_slice(), bytes)?;
        self.meta().insert(AUDIT_HEAD, codec::encode_json(&next))?;
        Ok(())
    }
}

/// Runs `f`, turning a panic into its message, with the panic hook silenced meanwhile so no
/// panic text reaches the user's terminal.
fn quietly<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    // The hook is process-wide: one opener at a time swaps it, so none restores another's.
    static SWAP: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = SWAP.lock().unwrap_or_else(|e| e.into_inner());
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "the storage engine stopped on an internal error".into())
    })
}

fn open_error(path: &Path, e: sled::Error) -> StoreError {
    if let sled::Error::Io(io) = &e
        && (io.kind() == std::io::ErrorKind::WouldBlock
            || io.to_string().contains("could not acquire lock"))
    {
        return StoreError::InUse(path.to_path_buf());
    }
    sled_error(path, e)
}

fn sled_error(path: &Path, e: sled::Error) -> StoreError {
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
