//! Rewriting a store into new files beside its own and swapping them in: how a migration
//! changes the layout without keeping the old layout's space. sled never returns the space of
//! records it no longer holds, and writes zeros over every free segment at each open, so a
//! store rewritten in place would pay at every command for the layout it left behind.
//!
//! The new store is written in `.rewrite/` inside the store's folder, complete with its
//! audit head, then closed. A file `ready` beside it lists its files, each with the SHA-256 of
//! its bytes; from then on the swap is finished by whoever opens the store next, whatever step
//! it stopped at, once every file still to be moved in is found as it was listed:
//! 1. the new `db` replaces the old (so the store's lock, which sled holds on `db`, is held
//!    throughout: the rewriting process locks the new file before renaming it);
//! 2. the old store's sled files the new store does not have are removed;
//! 3. the new store's other files are moved in;
//! 4. `.rewrite/` goes.
//!
//! Each step can run again after a stop. Without `ready`, `.rewrite/` is an unfinished rewrite
//! and is removed: the store is still the old one, whole. So is a rewrite whose files changed
//! after `ready` was written, while the old log is still in place; once the new log has
//! replaced it, such a change is damage, named, and nothing more is moved.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::error::io_error;
use super::table::Batch;
use super::{CloseRecord, Result, Store, StoreError, Trees};

/// The folder inside a store's folder where its rewrite is written.
pub const REWRITE_DIR: &str = ".rewrite";

/// Written in the rewrite's folder once the new store is complete: its files, one a line.
const READY: &str = "ready";

/// Records copied per batch.
const CHUNK: usize = 50_000;

/// What finishing an interrupted rewrite found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Found {
    /// No rewrite, or a rewrite another process is writing (its lock says so).
    Nothing,
    /// An unfinished rewrite, removed: the store is as it was before it began.
    Abandoned,
    /// A complete rewrite, now in place.
    Finished,
    /// A process is swapping it in right now.
    Busy,
    /// A complete rewrite whose file (named) is no longer as it was listed, found after the
    /// new log had replaced the old: neither store is whole.
    Damaged(PathBuf),
}

/// Finishes (or removes) a rewrite a stopped process left in the store's folder, holding the
/// lock of the log that will be the store's (the new one until it is moved in, then the
/// store's own), so that two opens never finish it at once, and no open reads the folder
/// halfway.
pub(super) fn finish_interrupted(store: &Path) -> std::io::Result<Found> {
    let dir = store.join(REWRITE_DIR);
    // A process that holds the store is writing this rewrite, or swapping it in.
    if !dir.is_dir() || super::guard::locked_elsewhere(store) {
        return Ok(Found::Nothing);
    }
    let log = if dir.join("db").exists() {
        dir.join("db")
    } else {
        store.join("db")
    };
    let _held = match try_hold(&log) {
        Ok(held) => held,
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return Ok(Found::Busy),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    match std::fs::read_to_string(dir.join(READY)) {
        Ok(list) => {
            let listed = read_ready(&list);
            if let Some(changed) = changed_since_ready(store, &listed)? {
                // Before the new log has replaced the old, the old store is whole.
                if dir.join("db").exists() {
                    std::fs::remove_dir_all(&dir)?;
                    return Ok(Found::Abandoned);
                }
                return Ok(Found::Damaged(changed));
            }
            let listed: Vec<PathBuf> = listed.into_iter().map(|(rel, _)| rel).collect();
            swap_steps(store, &listed, usize::MAX)?;
            Ok(Found::Finished)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::remove_dir_all(&dir)?;
            Ok(Found::Abandoned)
        }
        Err(e) => Err(e),
    }
}

/// sled's own files, which the new store's replace: its log, its configuration, its
/// snapshots and its blobs.
fn sled_file(rel: &Path) -> bool {
    let name = rel.to_string_lossy();
    name == "db" || name == "conf" || name.starts_with("snap.") || rel.starts_with("blobs")
}

/// The files under `dir`, relative to it, one folder deep (sled keeps its blobs in one).
fn files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let name = PathBuf::from(e.file_name());
        if e.file_type()?.is_dir() {
            if name.as_os_str() == REWRITE_DIR {
                continue;
            }
            for inner in std::fs::read_dir(e.path())? {
                out.push(name.join(inner?.file_name()));
            }
        } else {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// Steps 1–4 of the module's comment, each of which can run again, stopping after `limit`
/// file operations (a test stops it anywhere).
fn swap_steps(store: &Path, listed: &[PathBuf], limit: usize) -> std::io::Result<()> {
    let dir = store.join(REWRITE_DIR);
    let mut done = 0;
    let mut step = |op: &dyn Fn() -> std::io::Result<()>| -> std::io::Result<bool> {
        if done >= limit {
            return Ok(false);
        }
        op()?;
        done += 1;
        Ok(true)
    };
    let db = dir.join("db");
    if db.exists() && !step(&|| std::fs::rename(&db, store.join("db")))? {
        return Ok(());
    }
    for rel in files(store)? {
        if sled_file(&rel) && !listed.contains(&rel) {
            let old = store.join(&rel);
            if !step(&|| std::fs::remove_file(&old))? {
                return Ok(());
            }
        }
    }
    for rel in listed {
        let from = dir.join(rel);
        if !from.exists() {
            continue;
        }
        let to = store.join(rel);
        let moved = step(&|| {
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(&from, &to)
        })?;
        if !moved {
            return Ok(());
        }
    }
    sync_dir(&store.join("blobs"))?;
    sync_dir(store)?;
    if step(&|| std::fs::remove_dir_all(&dir))? {
        sync_dir(store)?;
    }
    Ok(())
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::File::open(dir) {
        Ok(d) => d.sync_all(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

impl Store {
    /// A new store in `.rewrite/` holding every record of this one, in the current layout:
    /// the same records, written once, in key order. Its audit head is this store's.
    pub(super) fn rewrite(&self) -> Result<Store> {
        let dir = self.path.join(REWRITE_DIR);
        let io = |e: std::io::Error| io_error(&dir, &e);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io)?;
        }
        let written = self.write_rewrite(&dir);
        if written.is_err() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        written
    }

    fn write_rewrite(&self, dir: &Path) -> Result<Store> {
        let db = super::open::sled_config(dir, super::Intent::Change)
            .open()
            .map_err(|e| super::error::sled_error(dir, e))?;
        let trees = Trees::open(&db, super::Layout::Packed)
            .map_err(|e| super::error::sled_error(dir, e))?;
        for (from, to) in self.trees.all().into_iter().zip(trees.all()) {
            let mut batch = Batch::default();
            for kv in from.iter() {
                let (k, v) = kv.map_err(|e| self.err(e))?;
                batch.insert(k, v);
                if batch.len() >= CHUNK {
                    to.apply_batch(std::mem::take(&mut batch))
                        .map_err(|e| e.into_store(dir))?;
                }
            }
            to.apply_batch(batch).map_err(|e| e.into_store(dir))?;
        }
        if let Ok(head) = std::fs::read(self.path.join(super::head::HEAD_FILE)) {
            std::fs::write(dir.join(super::head::HEAD_FILE), head)
                .map_err(|e| io_error(dir, &e))?;
        }
        let next = Store {
            trees,
            db,
            path: dir.to_path_buf(),
            me: self.me,
            salt: self.salt,
            migration_due: false,
            watch: None,
            closing: CloseRecord::new(dir),
        };
        next.sync()?;
        Ok(next)
    }

    /// Puts `next` (from [`Store::rewrite`], and brought up to date) in this store's place,
    /// and reopens it here. A test stops the files' swap after `limit` steps (0: once `ready`
    /// is written), leaving the store closed, as a process that stopped would leave it.
    pub(super) fn swap_in(&mut self, next: Store, limit: usize) -> Result<()> {
        let dir = next.path.clone();
        let path = self.path.clone();
        let io = |e: std::io::Error| io_error(&path, &e);
        let ready = next.sync().and_then(|()| {
            drop(next);
            let listed = files(&dir).map_err(io)?;
            // sled lets go of its files a moment after it is dropped.
            let held = hold(&dir.join("db")).map_err(io)?;
            write_ready(&dir, &listed).map_err(io)?;
            Ok((listed, held))
        });
        let (listed, held) = match ready {
            Ok(ready) => ready,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e);
            }
        };
        // From here the new files are the store: the copy taken before opening is of the old
        // ones, never to be put back over them, and no close records the files as clean until
        // they are open again.
        self.closing.changed();
        self.closing.healthy = false;
        // The new log first, while the old store is still open and locked: the store's lock
        // passes from the old file to the new without a moment free.
        swap_steps(&path, &listed, limit.min(1)).map_err(io)?;
        self.close_for_swap()?;
        swap_steps(&path, &listed, limit.saturating_sub(1)).map_err(io)?;
        if limit != usize::MAX {
            return Ok(());
        }
        drop(held);
        self.open_again()?;
        self.me = self.read_store_id()?;
        self.salt = self.read_salt()?;
        let head = self.audit_head_record()?;
        if let Some(watch) = &self.watch {
            watch.seen(&head);
        }
        self.closing.healthy = true;
        Ok(())
    }

    /// Rewrites the store into new files and puts them in its place: the same records, with
    /// none of the space sled keeps for what a large write replaced, which it would otherwise
    /// write zeros over at every open. Nothing the ledger holds changes.
    pub fn compact(&mut self) -> Result<()> {
        let next = self.rewrite()?;
        self.swap_in(next, usize::MAX)
    }

    /// Closes sled and opens it again, as it was. sled writes its snapshot of where each page
    /// lies only as it opens: after a large write, the next open would read the whole write
    /// back to find its pages (0.7 s after an import of 1,000,000 entries), so the process
    /// that wrote does it once.
    pub fn settle(&mut self) -> Result<()> {
        self.close_for_swap()?;
        self.open_again()
    }

    /// Opens the store's files again here, after [`Store::close_for_swap`].
    fn open_again(&mut self) -> Result<()> {
        let db = reopen(&self.path)?;
        self.trees = Trees::open(&db, super::Layout::Packed).map_err(|e| self.err(e))?;
        self.db = db;
        Ok(())
    }

    /// How many entries and items the store has numbered so far (counters that only grow):
    /// what a large write added, beside how much it grew the log, tells when a
    /// [`Store::compact`] pays.
    pub fn records_numbered(&self) -> u64 {
        ["entry_id", "item_id"]
            .into_iter()
            .filter_map(|counter| self.trees.meta.get(counter).ok().flatten())
            .filter_map(|v| super::keys::parse_id(&v))
            .sum()
    }

    /// The bytes of sled's log and blobs: how much a large write grew them tells when a
    /// [`Store::compact`] pays.
    pub fn log_bytes(&self) -> u64 {
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let blobs = std::fs::read_dir(self.path.join("blobs")).map_or(0, |d| {
            d.filter_map(std::result::Result::ok)
                .map(|e| size(&e.path()))
                .sum()
        });
        size(&self.path.join("db")) + blobs
    }

    /// Lets go of this store's files (flushed), leaving a scratch store in their place.
    fn close_for_swap(&mut self) -> Result<()> {
        self.db.flush().map_err(|e| self.err(e))?;
        let scratch = sled::Config::new()
            .temporary(true)
            .open()
            .map_err(|e| self.err(e))?;
        self.trees = Trees::open(&scratch, super::Layout::Packed).map_err(|e| self.err(e))?;
        drop(std::mem::replace(&mut self.db, scratch));
        Ok(())
    }
}

/// `file`, opened and locked as sled locks its log, so no other process opens the store
/// while its files are swapped; waits a little for a lock the process's own sled is letting
/// go of.
fn hold(file: &Path) -> std::io::Result<std::fs::File> {
    let deadline = std::time::Instant::now() + LETTING_GO;
    loop {
        match try_hold(file) {
            Ok(Some(held)) => return Ok(held),
            Ok(None) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "the new log is missing",
                ));
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if std::time::Instant::now() > deadline {
                    return Err(e);
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => return Err(e),
        }
    }
}

/// `file` locked, if no one else holds it; `None` when there is no such file.
fn try_hold(file: &Path) -> std::io::Result<Option<std::fs::File>> {
    let f = match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(file)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    f.try_lock()
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::WouldBlock, "held"))?;
    Ok(Some(f))
}

/// How long sled may take to let go of files it was told to close.
const LETTING_GO: std::time::Duration = std::time::Duration::from_secs(10);

/// The list of the new store's files, written whole and durably: from then on the swap is
/// finished by whoever opens the store.
fn write_ready(dir: &Path, listed: &[PathBuf]) -> std::io::Result<()> {
    let tmp = dir.join(format!("{READY}.tmp"));
    let mut list = std::fs::File::create(&tmp)?;
    for rel in listed {
        writeln!(list, "{}\t{}", rel.display(), sha256_of(&dir.join(rel))?)?;
    }
    list.sync_all()?;
    std::fs::rename(&tmp, dir.join(READY))?;
    sync_dir(dir)
}

/// The files `ready` lists, each with the SHA-256 it was written with (none in a list an
/// older build wrote, which named the files alone).
fn read_ready(list: &str) -> Vec<(PathBuf, Option<String>)> {
    list.lines()
        .map(|line| match line.split_once('\t') {
            Some((rel, sum)) => (PathBuf::from(rel), Some(sum.to_owned())),
            None => (PathBuf::from(line), None),
        })
        .collect()
}

/// The first listed file that is not as `ready` listed it, wherever the swap has put it so
/// far (still in the rewrite's folder, or already moved into the store's).
fn changed_since_ready(
    store: &Path,
    listed: &[(PathBuf, Option<String>)],
) -> std::io::Result<Option<PathBuf>> {
    let dir = store.join(REWRITE_DIR);
    for (rel, sum) in listed {
        let Some(sum) = sum else { continue };
        let waiting = dir.join(rel);
        let file = if waiting.exists() {
            waiting
        } else {
            store.join(rel)
        };
        let found = match sha256_of(&file) {
            Ok(found) => found,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Some(rel.clone())),
            Err(e) => return Err(e),
        };
        if found != *sum {
            return Ok(Some(rel.clone()));
        }
    }
    Ok(None)
}

/// The SHA-256 of a file's bytes, in hex, read a piece at a time.
fn sha256_of(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    std::io::copy(&mut std::fs::File::open(path)?, &mut hash)?;
    Ok(hex::encode(hash.finalize()))
}

/// Opens the swapped-in store, waiting a little for a lock another open holds as it checks.
fn reopen(path: &Path) -> Result<sled::Db> {
    let deadline = std::time::Instant::now() + LETTING_GO;
    loop {
        match super::open::sled_config(path, super::Intent::Change).open() {
            Ok(db) => return Ok(db),
            Err(e) => match super::error::open_error(path, e) {
                StoreError::InUse { .. } if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                e => return Err(e),
            },
        }
    }
}

/// The rewrite folder's error, for the open that found it busy.
pub(super) fn busy(store: &Path) -> StoreError {
    StoreError::InUse {
        path: store.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store's folder mid-swap: the new log and its list beside the old files.
    fn mid_swap(dir: &Path) -> PathBuf {
        let store = dir.join("store");
        std::fs::create_dir_all(store.join(REWRITE_DIR)).unwrap();
        for (file, text) in [("db", "old log"), ("conf", "old"), ("snap.01", "old")] {
            std::fs::write(store.join(file), text).unwrap();
        }
        for (file, text) in [("db", "new log"), ("conf", "new"), ("snap.02", "new")] {
            std::fs::write(store.join(REWRITE_DIR).join(file), text).unwrap();
        }
        let listed = files(&store.join(REWRITE_DIR)).unwrap();
        write_ready(&store.join(REWRITE_DIR), &listed).unwrap();
        store
    }

    #[test]
    fn a_swap_another_open_is_finishing_is_left_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = mid_swap(dir.path());
        let held = try_hold(&store.join(REWRITE_DIR).join("db")).unwrap();
        assert!(held.is_some());
        assert_eq!(finish_interrupted(&store).unwrap(), Found::Busy);
        assert_eq!(std::fs::read(store.join("db")).unwrap(), b"old log");
        drop(held);
        assert_eq!(finish_interrupted(&store).unwrap(), Found::Finished);
        assert_eq!(std::fs::read(store.join("db")).unwrap(), b"new log");
        assert_eq!(std::fs::read(store.join("conf")).unwrap(), b"new");
        assert!(!store.join("snap.01").exists() && store.join("snap.02").exists());
        assert!(!store.join(REWRITE_DIR).exists());
        assert_eq!(finish_interrupted(&store).unwrap(), Found::Nothing);
    }

    #[test]
    fn a_rewrite_without_its_list_is_removed_and_the_old_files_stay() {
        let dir = tempfile::tempdir().unwrap();
        let store = mid_swap(dir.path());
        std::fs::remove_file(store.join(REWRITE_DIR).join(READY)).unwrap();
        assert_eq!(finish_interrupted(&store).unwrap(), Found::Abandoned);
        assert_eq!(std::fs::read(store.join("db")).unwrap(), b"old log");
        assert!(store.join("snap.01").exists() && !store.join(REWRITE_DIR).exists());
    }
}
