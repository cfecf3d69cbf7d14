//! The audit head side file beside the store's own files, and the check at open that no
//! acknowledged change was lost.

use super::{Head, Result, Store, StoreError, Text, codec};

/// The side file beside the store's own files holding the audit head, written after each
/// commit. If the store ever comes back with fewer records than this file names, records
/// that were reported saved have been lost, and opening says so.
pub(super) const HEAD_FILE: &str = "audit-head.json";

impl Store {
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
    pub(super) fn write_head_file(&self) -> Result<()> {
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
    pub(super) fn check_head(&self) -> Result<()> {
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
}
