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
            .map_err(io)
    }

    /// Compares the store's audit head with the side file's: fewer records in the store than
    /// the file names means acknowledged changes were lost.
    pub(super) fn check_head(&self) -> Result<()> {
        let head = self.audit_head_record()?;
        match self.head_file()? {
            Some(file) if file.count > head.count => Err(self.damaged(Damage::ChangesLost {
                trail: head.count,
                saved: file.count,
            })),
            Some(file) if file.count == head.count && file.hash != head.hash => {
                Err(self.damaged(Damage::HeadMismatch { record: head.count }))
            }
            Some(file) if file == head => Ok(()),
            // Without the file there is nothing to check the newest records against.
            None if head.count > 0 => Err(self.damaged(Damage::HeadFileMissing)),
            // A new store, or a file behind the store (a crash between the commit and the
            // file), is brought up to date.
            _ => self.write_head_file(),
        }
    }
}
