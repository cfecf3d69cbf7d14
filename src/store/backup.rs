//! Backups: the whole ledger and its audit trail as JSON Lines — a header, one record per line,
//! and a last line holding the SHA-256 of everything before it — written by streaming, and
//! refused on restore when the checksum does not match.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::io_error;
use super::{Result, Snapshot, Store, codec};
use crate::domain::Lang;
use crate::domain::{Advisor, CatalogEntry, CatalogKind, Entry, Item};

/// The first line's `format`, which tells a backup from any other file.
pub const BACKUP_FORMAT: &str = "counsel-log-backup";

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u64,
    created: String,
}

/// One line of a backup.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Line {
    Advisor(Advisor),
    Topic(CatalogEntry),
    Service(CatalogEntry),
    Item(Item),
    Entry(Entry),
    /// A row of the store's place in its team.
    Team(super::CarriedRow),
    /// An audit record exactly as stored (its bytes are what the next record's `prev` hashes).
    Audit(String),
}

#[derive(Debug, Serialize, Deserialize)]
struct Trailer {
    sha256: String,
    records: u64,
}

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// The ledger's records (not counting the audit trail).
    pub records: u64,
    pub entries: u64,
    /// The audit records carried.
    pub audit: u64,
    pub sha256: String,
}

/// Why a backup cannot be read; nothing of it is used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum BackupFault {
    /// The last line is not the checksum trailer.
    NoChecksum,
    /// The trailer's checksum (`said`) is not that of the lines before it (`got`).
    ChecksumMismatch {
        said: String,
        got: String,
    },
    NoHeader,
    Newer {
        version: u64,
    },
    /// Line `line` (counted from 1) is not a record; the JSON reader's words.
    UnreadableLine {
        line: usize,
        error: String,
    },
    /// The file holds `records` records where the trailer says `said`.
    CountDiffers {
        records: u64,
        said: u64,
    },
}

/// Writes lines while hashing them.
struct Hashed<W: Write> {
    out: W,
    hash: Sha256,
}

impl<W: Write> Hashed<W> {
    fn line<T: Serialize>(&mut self, value: &T) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec(value).map_err(std::io::Error::other)?;
        bytes.push(b'\n');
        self.hash.update(&bytes);
        self.out.write_all(&bytes)
    }
}

impl Store {
    /// Writes the backup that is to become `file` into the unfinished file `partial`, fsynced;
    /// on any failure the unfinished file is removed. It becomes `file` only through
    /// [`settle_backup`], once proven: a file under a finished backup's name is always one
    /// that restored to the ledger it came from.
    pub fn write_backup(
        &self,
        file: &Path,
        partial: &Path,
        created: &DateTime<FixedOffset>,
    ) -> Result<BackupSummary> {
        let written = self.write_backup_through(file, partial, created);
        if written.is_err() {
            let _ = std::fs::remove_file(partial);
        }
        written
    }

    fn write_backup_through(
        &self,
        file: &Path,
        tmp: &Path,
        created: &DateTime<FixedOffset>,
    ) -> Result<BackupSummary> {
        let io = |e: std::io::Error| io_error(file, &e);
        let handle = std::fs::File::create(tmp).map_err(io)?;
        let mut w = Hashed {
            out: std::io::BufWriter::new(handle),
            hash: Sha256::new(),
        };
        w.line(&Header {
            format: BACKUP_FORMAT.into(),
            version: 1,
            created: codec::time_text(created),
        })
        .map_err(io)?;
        let mut records = 0u64;
        let mut advisors: Vec<Advisor> = self.advisors()?.into_values().collect();
        advisors.sort_by(|a, b| a.id.cmp(&b.id));
        for a in advisors {
            w.line(&Line::Advisor(a)).map_err(io)?;
            records += 1;
        }
        for e in self.catalog(CatalogKind::Topic)?.entries {
            w.line(&Line::Topic(e)).map_err(io)?;
            records += 1;
        }
        for e in self.catalog(CatalogKind::Service)?.entries {
            w.line(&Line::Service(e)).map_err(io)?;
            records += 1;
        }
        for item in self.items()? {
            w.line(&Line::Item(item)).map_err(io)?;
            records += 1;
        }
        let mut entries = 0u64;
        let mut failed = None;
        let first = chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(chrono::NaiveDate::MIN);
        self.scan(first, chrono::NaiveDate::MAX, |date, id, r| {
            if failed.is_none()
                && let Err(e) = w.line(&Line::Entry(r.entry(date, id)))
            {
                failed = Some(e);
            }
            entries += 1;
        })?;
        if let Some(e) = failed {
            return Err(io(e));
        }
        records += entries;
        for row in self.carried_rows()? {
            w.line(&Line::Team(row)).map_err(io)?;
            records += 1;
        }
        let mut audit = 0u64;
        for bytes in self.audit_bytes() {
            w.line(&Line::Audit(bytes?)).map_err(io)?;
            audit += 1;
        }
        let sha256: String = w
            .hash
            .clone()
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        w.line(&Trailer {
            sha256: sha256.clone(),
            records: records + audit,
        })
        .map_err(io)?;
        let handle = w.out.into_inner().map_err(|e| io(e.into_error()))?;
        handle.sync_all().map_err(io)?;
        Ok(BackupSummary {
            records,
            entries,
            audit,
            sha256,
        })
    }
}

/// Gives a proven backup its finished name: renames `partial` to `file` and fsyncs the folder;
/// on failure the unfinished file is removed.
pub fn settle_backup(partial: &Path, file: &Path) -> Result<()> {
    std::fs::rename(partial, file).map_err(|e| {
        let _ = std::fs::remove_file(partial);
        io_error(file, &e)
    })?;
    if let Some(dir) = file.parent() {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// True when the bytes look like a backup (rather than a JSON export).
pub fn is_backup(bytes: &[u8]) -> bool {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    serde_json::from_slice::<Header>(first).is_ok_and(|h| h.format == BACKUP_FORMAT)
}

/// Reads a backup, checking its checksum first; any mismatch refuses the whole file.
pub fn read_backup(bytes: &[u8]) -> std::result::Result<Snapshot, BackupFault> {
    let body_end = bytes[..bytes.len().saturating_sub(1)]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let (body, last) = bytes.split_at(body_end);
    let trailer: Trailer =
        serde_json::from_slice(last.trim_ascii()).map_err(|_| BackupFault::NoChecksum)?;
    let actual: String = Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if actual != trailer.sha256 {
        return Err(BackupFault::ChecksumMismatch {
            said: trailer.sha256,
            got: actual,
        });
    }
    let mut lines = body.split(|b| *b == b'\n').filter(|l| !l.is_empty());
    let header: Header = lines
        .next()
        .and_then(|l| serde_json::from_slice(l).ok())
        .filter(|h: &Header| h.format == BACKUP_FORMAT)
        .ok_or(BackupFault::NoHeader)?;
    if header.version > 1 {
        return Err(BackupFault::Newer {
            version: header.version,
        });
    }
    let mut snapshot = Snapshot {
        format: "counsel-log".into(),
        version: 1,
        advisors: Vec::new(),
        topics: Vec::new(),
        services: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        team: Vec::new(),
        audit: Vec::new(),
    };
    let mut records = 0;
    for (n, line) in lines.enumerate() {
        let parsed: Line =
            serde_json::from_slice(line).map_err(|e| BackupFault::UnreadableLine {
                line: n + 2,
                error: e.to_string(),
            })?;
        records += 1;
        match parsed {
            Line::Advisor(a) => snapshot.advisors.push(a),
            Line::Topic(e) => snapshot.topics.push(e),
            Line::Service(e) => snapshot.services.push(e),
            Line::Item(i) => snapshot.items.push(i),
            Line::Entry(e) => snapshot.entries.push(e),
            Line::Team(row) => snapshot.team.push(row),
            Line::Audit(record) => snapshot.audit.push(record),
        }
    }
    if records != trailer.records {
        return Err(BackupFault::CountDiffers {
            records,
            said: trailer.records,
        });
    }
    Ok(snapshot)
}
