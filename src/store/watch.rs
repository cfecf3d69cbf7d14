//! What this computer remembers about each store path, outside the store: the last audit head
//! seen there and any damage found in it. Kept in the user's state directory, so that damage
//! found once (by opening, a read or `verify`) stops every later command until `verify` finds
//! the store whole, and a store that vanished or was emptied is noticed rather than silently
//! begun again.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Head, Result, StoreError, Verification};
use crate::domain::Lang;
use crate::domain::lang::Pair;

/// Damage as it was found, in both languages: kept as words, since the state file outlives the
/// program version that wrote it, and whatever `verify` or a read reports is damage alike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub zh: String,
    pub en: String,
}

impl Found {
    fn of(what: &super::Damage) -> Found {
        let (zh, en) = what.both();
        Found { zh, en }
    }

    pub(super) fn words(&self) -> Pair {
        (self.zh.clone(), self.en.clone())
    }
}

/// The state file's contents for one store path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Remembered {
    /// The store's path, for whoever reads the file.
    path: String,
    /// The newest audit head seen in the store.
    #[serde(default)]
    head: Option<Head>,
    /// Damage found and not yet cleared by a `verify` that found the store whole.
    #[serde(default)]
    damage: Option<Found>,
    /// The store's id, as it was when the store was last opened healthy: the one store whose
    /// backups the way back may name (every backup's file name ends with its store's id).
    #[serde(default)]
    store_id: Option<String>,
}

/// The state file of one store path, and the backup folder the way back is looked for in.
#[derive(Debug, Clone)]
pub struct Watch {
    store: PathBuf,
    file: PathBuf,
    backups: PathBuf,
}

/// The folder state files go in: the platform's state directory for counsel-log
/// (`$XDG_STATE_HOME/counsel-log` on Linux), else its local data directory.
pub fn state_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "counsel-log")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .join("stores"),
    )
}

/// The store path as one name whatever way it was written: the folder it is in resolved (the
/// store itself may be gone), then its own name.
fn absolute(store: &Path) -> PathBuf {
    let full = std::path::absolute(store).unwrap_or_else(|_| store.to_path_buf());
    match (full.parent(), full.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map_or_else(|_| full.clone(), |p| p.join(name)),
        _ => full,
    }
}

impl Watch {
    /// The watch over `store`, its state file under `dir`; `backups` is where backups are made.
    pub fn new(store: &Path, dir: &Path, backups: &Path) -> Watch {
        let store = absolute(store);
        let digest = hex::encode(Sha256::digest(store.to_string_lossy().as_bytes()));
        Watch {
            file: dir.join(format!("{}.json", &digest[..24])),
            store,
            backups: backups.to_path_buf(),
        }
    }

    /// The state file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    fn read(&self) -> Remembered {
        // A state file that cannot be read is taken as none: it only ever adds refusals.
        std::fs::read(&self.file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes the state file (temporary file, rename). A state directory that cannot be written
    /// stops nothing: the damage is found again by the next read.
    fn write(&self, state: &Remembered) {
        let state = Remembered {
            path: self.store.display().to_string(),
            ..state.clone()
        };
        if self.read() == state {
            return;
        }
        let Some(dir) = self.file.parent() else {
            return;
        };
        let tmp = self.file.with_extension("json.tmp");
        let _ = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&tmp, super::codec::encode_json(&state)))
            .and_then(|()| std::fs::rename(&tmp, &self.file));
    }

    /// Before opening: refuses a store with damage on record, unless `verify` is to look at it
    /// again, and a store that held records and is now missing or empty.
    pub fn before_open(&self, verifying: bool) -> Result<()> {
        let state = self.read();
        if let Some(found) = state.damage
            && !verifying
        {
            return Err(self.stopped(found));
        }
        let empty = std::fs::read_dir(&self.store).map_or(true, |mut d| d.next().is_none());
        match state.head {
            Some(head) if head.count > 0 && empty => {
                Err(StoreError::Vanished(Box::new(super::error::Vanished {
                    path: self.store.clone(),
                    head,
                    backup: self.latest_backup(),
                    backups: self.backups.clone(),
                    state: self.file.clone(),
                })))
            }
            _ => Ok(()),
        }
    }

    /// The newest head seen before, if any.
    pub(super) fn head_seen(&self) -> Option<Head> {
        self.read().head
    }

    /// Records the newest head seen in the store.
    pub(super) fn seen(&self, head: &Head) {
        let mut state = self.read();
        if state.head.as_ref() != Some(head) {
            state.head = Some(head.clone());
            self.write(&state);
        }
    }

    /// Records the newest head of a store that opened healthy, and its id (`None` for a store
    /// of an older layout, which has none): only the backups named after that id are its own.
    /// An id is not taken while damage is on record (for `verify`, which opens such a store).
    pub(super) fn seen_healthy(&self, head: &Head, id: Option<String>) {
        let mut state = self.read();
        state.head = Some(head.clone());
        if state.damage.is_none() {
            state.store_id = id;
        }
        self.write(&state);
    }

    /// Records damage, when the error is damage, and returns the error to show: the damage,
    /// the latest verified backup and the command that restores it.
    pub fn stop(&self, error: StoreError) -> StoreError {
        match error {
            StoreError::Damaged { what, .. } => {
                let found = Found::of(&what);
                let mut state = self.read();
                state.damage = Some(found.clone());
                self.write(&state);
                self.stopped(found)
            }
            StoreError::Unconfirmed { path, cause } => StoreError::Unconfirmed {
                path,
                cause: Box::new(self.stop(*cause)),
            },
            other => other,
        }
    }

    /// What `verify` found: damage is recorded; a store found whole clears any record.
    pub fn verified(&self, verification: &Verification) {
        let mut state = self.read();
        state.damage = verification.problems.first().map(|first| Found {
            zh: first.message(Lang::Zh),
            en: first.message(Lang::En),
        });
        self.write(&state);
    }

    /// Forgets everything remembered about the store: it is begun afresh on purpose.
    pub fn forget(&self) {
        let _ = std::fs::remove_file(&self.file);
    }

    fn stopped(&self, found: Found) -> StoreError {
        StoreError::Stopped(Box::new(super::error::Stopped {
            path: self.store.clone(),
            found,
            backup: self.latest_backup(),
            backups: self.backups.clone(),
        }))
    }

    /// The newest backup of this store (the one whose id was remembered) in the backup
    /// folder whose checksum holds; none when no id is known, never another store's.
    pub fn latest_backup(&self) -> Option<PathBuf> {
        let id = self.read().store_id?;
        let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(&self.backups)
            .ok()?
            .filter_map(std::result::Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_str()?.to_string();
                Some((backup_stamp(&name, &id)?.to_string(), e.path()))
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .rev()
            .map(|(_, p)| p)
            .find(|p| super::backup_sound(p))
    }
}

/// The `YYYYMMDD-HHMMSS` stamp of a finished backup file named after the store `id`
/// (`counsel-log-[NAME-]ID-YYYYMMDD-HHMMSS.jsonl`), or none when the file is another store's
/// or no backup at all.
fn backup_stamp<'n>(name: &'n str, id: &str) -> Option<&'n str> {
    let middle = name.strip_prefix("counsel-log-")?.strip_suffix(".jsonl")?;
    let (label, stamp) = middle.split_at_checked(middle.len().checked_sub(15)?)?;
    let label = label.strip_suffix('-')?;
    let owned = label == id || label.strip_suffix(id).is_some_and(|l| l.ends_with('-'));
    let digits = stamp.bytes().enumerate().all(|(i, b)| {
        if i == 8 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    (owned && digits).then_some(stamp)
}
