//! The audit head side file beside the store's own files, and the check at open that no
//! acknowledged change was lost.

use super::{Damage, Head, Result, Store, Unreadable, codec};

/// The side file beside the store's own files holding the audit head, written after each
/// commit. If the store ever comes back with fewer records than this file names, records
/// that were reported saved have been lost, and opening says so.
pub(super) const HEAD_FILE: &str = "audit-head.json";

impl Store {
    /// The audit head as the side file holds it, if there is one.
    pub fn head_file(&self) -> Result<Option<Head>> {
        match std::fs::read(self.path.join(HEAD_FILE)) {
            Ok(bytes) => codec::decode_json(&bytes)
                .map(Some)
                .ok_or_else(|| self.unreadable(Unreadable::HeadFile)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.io(&e)),
        }
    }

    /// Writes the side file: temporary file, fsync, atomic rename, fsync of the directory.
    pub(super) fn write_head_file(&self) -> Result<()> {
        use std::io::Write;
        let head = self.audit_head_record()?;
        let io = |e: std::io::Error| self.io(&e);
        let tmp = self.path.join(format!("{HEAD_FILE}.tmp"));
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(&codec::encode_json(&head)).map_err(io)?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&tmp, self.path.join(HEAD_FILE)).map_err(io)?;
        std::fs::File::open(&self.path)
            .and_then(|d| d.sync_all())
            .map_err(io)?;
        // A change is saved: the copy taken before opening is no longer the store's state.
        self.closing.changed();
        if let Some(watch) = &self.watch {
            watch.seen(&head);
        }
        Ok(())
    }

    /// Compares the store's audit head with the side file's: fewer records in the store than
    /// the file names means acknowledged changes were lost; a file behind the store is brought
    /// up to date only when a save interrupted between its commit and the file explains it
    /// (and never when `verifying`, or when this computer saw the file further on: `seen`).
    pub(super) fn check_head(&self, seen: Option<&Head>, verifying: bool) -> Result<()> {
        let head = self.audit_head_record()?;
        match self.head_file()? {
            Some(file) if file.count > head.count => Err(self.damaged(Damage::ChangesLost {
                trail: head.count,
                saved: file.count,
            })),
            Some(file) if file.count == head.count && file.hash != head.hash => {
                Err(self.damaged(Damage::HeadMismatch { record: head.count }))
            }
            // The whole store, side file and all, put back to an earlier state or replaced.
            _ if seen.is_some_and(|s| s.count > head.count) => {
                Err(self.damaged(Damage::FewerThanSeen {
                    seen: seen.map_or(0, |s| s.count),
                    found: head.count,
                }))
            }
            _ if self.replaced_since(seen, &head)? => Err(self.damaged(Damage::HistoryReplaced {
                record: seen.map_or(0, |s| s.count),
            })),
            Some(file) if file == head => Ok(()),
            // Without the file there is nothing to check the newest records against.
            None if head.count > 0 => Err(self.damaged(Damage::HeadFileMissing)),
            Some(file) => {
                let lowered = seen.is_some_and(|s| s.count > file.count);
                if lowered || !self.interrupted_save(&file, &head)? {
                    return Err(self.damaged(Damage::HeadFileBehind {
                        file: file.count,
                        store: head.count,
                    }));
                }
                if verifying {
                    Ok(())
                } else {
                    self.write_head_file()
                }
            }
            // A new store.
            None if verifying => Ok(()),
            None => self.write_head_file(),
        }
    }

    /// True when the record this computer last saw as the newest (`seen`) is no longer the
    /// store's record of that number: the history was replaced or rewritten, even with as many
    /// records or more. One read of that record, not a walk of the chain.
    fn replaced_since(&self, seen: Option<&Head>, head: &Head) -> Result<bool> {
        let Some(seen) = seen.filter(|s| s.count > 0 && s.count <= head.count) else {
            return Ok(false);
        };
        let stored = self
            .trees
            .audit
            .get(super::keys::id_key(seen.count))
            .map_err(|e| self.err(e))?;
        Ok(stored.is_none_or(|bytes| super::audit::digest(&bytes) != seen.hash))
    }

    /// True when the side file names the record just before the store's newest: what a save
    /// interrupted after its commit and before the file was written leaves.
    pub(super) fn interrupted_save(&self, file: &Head, head: &Head) -> Result<bool> {
        if file.count + 1 != head.count {
            return Ok(false);
        }
        let Some((_, newest)) = self.trees.audit.last().map_err(|e| self.err(e))? else {
            return Ok(false);
        };
        let record: super::AuditRecord = codec::decode_json(&newest)
            .ok_or_else(|| self.unreadable(Unreadable::Audit(head.count)))?;
        Ok(record.prev == file.hash)
    }
}
