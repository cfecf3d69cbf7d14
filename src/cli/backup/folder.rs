//! Backup files in a folder: each named after the store it belongs to, so several stores can
//! share a folder, each with its own daily backup and its own newest few kept; and the
//! `.partial` files of backups that never finished, which are removed and never count.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, FixedOffset};

use crate::store::{Result, Store};

/// What every backup file's name starts with.
const PREFIX: &str = "counsel-log-";
/// What a finished backup file's name ends with.
const SUFFIX: &str = ".jsonl";
/// What an unfinished one's name ends with (after the id of the process writing it).
const PARTIAL: &str = ".partial";
/// The length of the `YYYYMMDD-HHMMSS` stamp that ends every backup file's name.
const STAMP_LEN: usize = 15;
/// The longest part of a store's name kept in a file name, in characters.
const NAME_CHARS: usize = 32;
/// An unfinished file older than this is debris even where the system cannot say whether the
/// process writing it is still alive.
const STALE: Duration = Duration::from_secs(24 * 60 * 60);

/// Which store a backup belongs to, as its file name says: the store's name (when it has one)
/// for people, then its id, which is what tells two stores apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The part of the file name between the prefix and the stamp.
    label: String,
    /// What a file of this store always holds at the end of its label: the store id (or, for
    /// a store of an older layout that has none yet, its folder's name).
    key: String,
}

impl Owner {
    /// The owner of the backups of `store`.
    pub fn of(store: &Store) -> Result<Owner> {
        let id = store.store_id();
        let key = if id.0 == 0 {
            let folder = store
                .path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            sanitised(&folder)
        } else {
            id.to_string()
        };
        let name = store.store_name()?.map(|n| sanitised(&n));
        Ok(Owner::new(name.as_deref(), &key))
    }

    fn new(name: Option<&str>, key: &str) -> Owner {
        let key = if key.is_empty() { "store" } else { key };
        let label = match name {
            Some(name) if !name.is_empty() && name != key => format!("{name}-{key}"),
            _ => key.to_string(),
        };
        Owner {
            label,
            key: key.to_string(),
        }
    }

    /// The name of this store's backup made at `at`.
    pub fn file_name(&self, at: &DateTime<FixedOffset>) -> String {
        format!(
            "{PREFIX}{}-{}{SUFFIX}",
            self.label,
            at.format("%Y%m%d-%H%M%S")
        )
    }

    /// True when a file labelled `label` is this store's (whatever its name was then).
    fn owns(&self, label: &str) -> bool {
        label == self.key || label.ends_with(&format!("-{}", self.key))
    }
}

/// A store's name as it can stand in a file name on any system: letters, digits, `-` and
/// `_`, anything else as `_`, at most [`NAME_CHARS`] characters.
fn sanitised(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars().take(NAME_CHARS) {
        let c = if c.is_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '_'
        };
        // Runs of replaced characters read as one.
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out.trim_matches(['_', '-']).to_string()
}

/// A finished backup's label and stamp, from its file name; the label is empty for the names
/// older versions wrote (`counsel-log-YYYYMMDD-HHMMSS.jsonl`), which say no store.
fn parse(name: &str) -> Option<(&str, &str)> {
    let middle = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let split = middle.len().checked_sub(STAMP_LEN)?;
    let (label, stamp) = (middle.get(..split)?, middle.get(split..)?);
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let well_formed =
        stamp.as_bytes().get(8) == Some(&b'-') && digits(&stamp[..8]) && digits(&stamp[9..]);
    if !well_formed {
        return None;
    }
    match label.strip_suffix('-') {
        Some(label) if !label.is_empty() => Some((label, stamp)),
        None if label.is_empty() => Some(("", stamp)),
        _ => None,
    }
}

/// Every finished backup in `dir` with its label and stamp, oldest first.
fn finished(dir: &Path) -> Vec<(String, String, PathBuf)> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, String, PathBuf)> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let (label, stamp) = parse(&name)?;
            Some((stamp.to_string(), label.to_string(), p))
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|(stamp, label, p)| (label, stamp, p))
        .collect()
}

/// The backups of `owner` in `dir`, oldest first.
pub fn backups_of(dir: &Path, owner: &Owner) -> Vec<PathBuf> {
    finished(dir)
        .into_iter()
        .filter(|(label, _, _)| owner.owns(label))
        .map(|(_, _, p)| p)
        .collect()
}

/// The newest backup of `owner` in `dir`; else the newest under a name that says no store
/// (written by an older version, when a folder served one store).
pub fn latest(dir: &Path, owner: &Owner) -> Option<PathBuf> {
    backups_of(dir, owner).pop().or_else(|| {
        finished(dir)
            .into_iter()
            .filter(|(label, _, _)| label.is_empty())
            .map(|(_, _, p)| p)
            .next_back()
    })
}

/// True when `dir` already holds a finished backup of `owner` made on `day` (`YYYYMMDD`).
/// A `.partial` file never counts, nor another store's backup.
pub fn has_backup_of(dir: &Path, owner: &Owner, day: &str) -> bool {
    finished(dir)
        .iter()
        .any(|(label, stamp, _)| owner.owns(label) && stamp.starts_with(day))
}

/// Keeps the newest `keep` backups of `owner` in `dir`, removing its older ones; other
/// stores' backups are theirs to prune.
pub fn prune(dir: &Path, owner: &Owner, keep: usize) {
    let files = backups_of(dir, owner);
    let excess = files.len().saturating_sub(keep);
    for f in files.into_iter().take(excess) {
        let _ = std::fs::remove_file(f);
    }
}

/// The unfinished file a backup writes first: named for the process writing it, so that a
/// sweep can tell a live one from debris, and numbered within it, so that two backups one
/// process takes in the same second (the daily one, and one asked for beside it) never write
/// into the same file.
pub fn partial_of(file: &Path) -> PathBuf {
    static TAKEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = TAKEN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    file.with_file_name(format!("{name}.{n}.{}{PARTIAL}", std::process::id()))
}

/// Removes the `.partial` files that backups killed or failed midway left in `dir`: those of
/// processes that are gone, those written by older versions (which name no process), and any a
/// day old.
pub fn sweep_partials(dir: &Path) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|n| n.strip_suffix(PARTIAL))
        else {
            continue;
        };
        let pid = rest
            .rsplit_once('.')
            .map(|(_, pid)| pid)
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if pid.is_none_or(process_gone) || stale(&entry.path()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// True when the system says no process `pid` runs (only where it says which processes exist,
/// `/proc`; elsewhere none is taken for gone).
pub fn process_gone(pid: &str) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid).exists()
}

/// True when the file or folder at `path` was last changed more than [`STALE`] ago.
pub fn stale(path: &Path) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > STALE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_says_its_store_and_reads_back() {
        let owner = Owner::new(Some(&sanitised("律所 邓/2")), "01J9ZZ");
        let at = DateTime::parse_from_rfc3339("2025-03-04T09:08:07+08:00").unwrap();
        let name = owner.file_name(&at);
        assert_eq!(name, "counsel-log-律所_邓_2-01J9ZZ-20250304-090807.jsonl");
        let (label, stamp) = parse(&name).unwrap();
        assert!(owner.owns(label) && stamp == "20250304-090807");
        assert!(
            Owner::new(None, "01J9ZZ").owns(label),
            "renamed, still its own"
        );
        assert!(!Owner::new(None, "01J9YY").owns(label));
        assert_eq!(
            parse("counsel-log-20250304-090807.jsonl"),
            Some(("", "20250304-090807"))
        );
        for not_a_backup in [
            "counsel-log-20250304-090807.jsonl.123.partial",
            "counsel-log-2025-topic.csv",
            "counsel-log--20250304-090807.jsonl",
            "counsel-log-x-2025030x-090807.jsonl",
        ] {
            assert_eq!(parse(not_a_backup), None, "{not_a_backup}");
        }
    }

    #[test]
    fn a_name_of_marks_and_escapes_is_kept_out_of_the_file_name() {
        assert_eq!(sanitised("\u{1b}]0;x\u{7} ../a"), "0_x_a");
        assert_eq!(sanitised("../.."), "");
        assert_eq!(Owner::new(Some(""), "K").label, "K");
    }
}
