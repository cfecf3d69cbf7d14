//! Opening without harm. sled repairs a damaged log as it opens, which changes the files of a
//! store that then fails to open. So unless the store's files are exactly as counsel-log left
//! them at its last clean close, they are copied aside first; if the open then finds damage,
//! the copy is put back, and the damaged store is left as it was found.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Written beside the store's files at a clean close: what those files looked like.
pub const CLOSED_FILE: &str = "closed.json";

/// Names, sizes and modification times of the store's files, and the schema of the build that
/// closed them (a build of another schema, older or newer, takes its copy before opening).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    files: Vec<(String, u64, i128)>,
    #[serde(default)]
    schema: u64,
}

/// The store's own files (sled's, and the audit head), relative to its folder.
fn store_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        // The socket and the note of the process serving the store are not the store's own.
        // Nor is a rewrite in progress (see `rewrite.rs`), which the next open finishes.
        if name == CLOSED_FILE
            || name.ends_with(".tmp")
            || name.starts_with("serve.")
            || name == super::rewrite::REWRITE_DIR
        {
            continue;
        }
        if e.file_type()?.is_dir() {
            for inner in std::fs::read_dir(e.path())? {
                let inner = inner?;
                out.push(PathBuf::from(&name).join(inner.file_name()));
            }
        } else {
            out.push(PathBuf::from(name));
        }
    }
    out.sort();
    Ok(out)
}

pub fn state(dir: &Path, schema: u64) -> std::io::Result<FileState> {
    let mut files = Vec::new();
    for rel in store_files(dir)? {
        let meta = std::fs::metadata(dir.join(&rel))?;
        let mtime = meta
            .modified()?
            .duration_since(std::time::UNIX_EPOCH)
            // Nanoseconds since 1970 fit an i128 for the next 10^21 years.
            .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX));
        files.push((rel.to_string_lossy().into_owned(), meta.len(), mtime));
    }
    Ok(FileState { files, schema })
}

/// The clean-close record, when the files are exactly as the last clean close by a build of
/// `schema` recorded them.
pub fn closed_cleanly(dir: &Path, schema: u64) -> Option<FileState> {
    let bytes = std::fs::read(dir.join(CLOSED_FILE)).ok()?;
    let recorded = serde_json::from_slice::<FileState>(&bytes).ok()?;
    state(dir, schema)
        .is_ok_and(|now| now == recorded)
        .then_some(recorded)
}

/// Records the files' state after a clean close (temporary file, fsync, rename).
pub fn record_close(dir: &Path, schema: u64) -> std::io::Result<()> {
    use std::io::Write;
    let now = state(dir, schema)?;
    let tmp = dir.join(format!("{CLOSED_FILE}.tmp"));
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(&serde_json::to_vec(&now).map_err(std::io::Error::other)?)?;
    f.sync_all()?;
    std::fs::rename(&tmp, dir.join(CLOSED_FILE))?;
    std::fs::File::open(dir)?.sync_all()
}

/// Forgets the clean-close record: the store is open and about to change. Returns the record
/// as it was, for a session that changes nothing after all to put back.
pub fn forget_close(dir: &Path) -> Option<Vec<u8>> {
    let file = dir.join(CLOSED_FILE);
    let bytes = std::fs::read(&file).ok();
    let _ = std::fs::remove_file(&file);
    bytes
}

/// A clean-close record left in place by a session that only reads: the record, which the
/// files matched when the session opened them, and the files as they were once sled had
/// opened them.
#[derive(Debug, Clone)]
pub struct Kept {
    pub recorded: FileState,
    pub opened: FileState,
}

/// Closes a session that only read the store, leaving the clean-close record true without
/// writing it again.
///
/// sled zeroes the unused end of its log as it opens, and syncs it: what the store holds is
/// what the record found, only the log's modification time moved, and that time is put back.
/// When anything was written after the open (sled tidying its pages as it read them, and
/// writing them out) or anything else differs, the files are recorded afresh.
pub fn keep_close(dir: &Path, kept: &Kept, schema: u64) -> std::io::Result<()> {
    let Kept { recorded, opened } = kept;
    let now = state(dir, schema)?;
    if now == *recorded {
        return Ok(());
    }
    let only_times = now == *opened
        && now.schema == recorded.schema
        && now.files.len() == recorded.files.len()
        && now
            .files
            .iter()
            .zip(&recorded.files)
            .all(|(a, b)| a.0 == b.0 && a.1 == b.1);
    let put_back = only_times
        && recorded
            .files
            .iter()
            .zip(&now.files)
            .filter(|(was, is)| was.2 != is.2)
            .all(|(was, _)| set_modified(&dir.join(&was.0), was.2).is_ok())
        && state(dir, schema).is_ok_and(|again| again == *recorded);
    if put_back {
        Ok(())
    } else {
        record_close(dir, schema)
    }
}

/// Sets a file's modification time to `nanos` since 1970, as [`state`] reads it.
fn set_modified(path: &Path, nanos: i128) -> std::io::Result<()> {
    let nanos = u64::try_from(nanos).map_err(std::io::Error::other)?;
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_nanos(nanos);
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)?
        .set_modified(at)
}

/// Puts back the clean-close record [`forget_close`] removed, byte for byte. It claims nothing
/// new: should sled have changed a file meanwhile, the record no longer matches the files, and
/// the next open takes its protective copy.
pub fn restore_close(dir: &Path, bytes: &[u8]) {
    let _ = std::fs::write(dir.join(CLOSED_FILE), bytes);
}

/// A copy of the store's files, taken before an open that might change them.
pub struct Guard {
    store: PathBuf,
    copy: PathBuf,
}

impl Guard {
    /// Copies the store's files aside.
    pub fn take(store: &Path) -> std::io::Result<Guard> {
        let name = store
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let copy = store.with_file_name(format!(".{name}.before-open"));
        let _ = std::fs::remove_dir_all(&copy);
        for rel in store_files(store)? {
            let to = copy.join(&rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::copy(store.join(&rel), to)?;
        }
        std::fs::create_dir_all(&copy)?;
        Ok(Guard {
            store: store.to_path_buf(),
            copy,
        })
    }

    /// Puts the copied files back and removes anything the failed open added.
    pub fn put_back(self) -> std::io::Result<()> {
        let copied = store_files(&self.copy)?;
        for rel in store_files(&self.store)? {
            if !copied.contains(&rel) {
                std::fs::remove_file(self.store.join(&rel))?;
            }
        }
        for rel in copied {
            std::fs::copy(self.copy.join(&rel), self.store.join(&rel))?;
        }
        std::fs::remove_dir_all(&self.copy)
    }

    /// Where the copy is.
    pub fn copy_path(&self) -> &Path {
        &self.copy
    }

    /// The open went well: the copy is not needed.
    pub fn release(self) {
        let _ = std::fs::remove_dir_all(&self.copy);
    }
}

/// True when another process holds the store (its `db` file is locked).
pub fn locked_elsewhere(store: &Path) -> bool {
    match std::fs::File::open(store.join("db")) {
        Ok(f) => match f.try_lock() {
            Ok(()) => {
                let _ = f.unlock();
                false
            }
            Err(_) => true,
        },
        Err(_) => false,
    }
}
