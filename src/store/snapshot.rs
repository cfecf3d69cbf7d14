//! A whole ledger as one JSON document: what `export --format json` writes and `restore` reads.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::carry::{self, CarriedRow};
use super::ident::Kind;
use super::restorable::{self, Admission, SnapshotRecord};
use super::tx::{Tx, TxError};
use super::verify::LinkFault;
use super::{AuditAction, Rejection, Result, Stamp, Store, StoreError, catalogs, codec, write};
use crate::domain::model::{FieldError, TextField};
use crate::domain::{Advisor, CatalogEntry, CatalogKind, Entry, EntryId, Item};

/// The name every snapshot carries, so a stray JSON file is not mistaken for one.
const FORMAT: &str = "counsel-log";
const VERSION: u64 = 1;

/// Everything in the ledger, and in a backup its audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub format: String,
    pub version: u64,
    pub advisors: Vec<Advisor>,
    pub topics: Vec<CatalogEntry>,
    pub services: Vec<CatalogEntry>,
    pub items: Vec<Item>,
    pub entries: Vec<Entry>,
    /// The store's place in its team (see `carry.rs`): carried by backups, not by exports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub team: Vec<CarriedRow>,
    /// The audit trail, each record exactly as stored: carried by backups, not by exports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audit: Vec<String>,
}

/// Why a snapshot cannot be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotFault {
    NotAnExport {
        format: String,
    },
    Newer {
        version: u64,
    },
    AdvisorTwice {
        id: String,
    },
    /// The item (by number) appears twice.
    ItemTwice {
        number: String,
    },
    /// An item number or key that two items use.
    ReferenceTwice {
        reference: String,
    },
    EntryTwice(EntryId),
    /// The entry's item is not in the snapshot.
    ItemAbsent(EntryId),
    AdvisorAbsent {
        entry: EntryId,
        advisor: String,
    },
    /// No time, or more than a day.
    ImpossibleDuration(EntryId),
    /// The rows of the store's place in its team do not decode.
    TeamRows,
    /// A field no form or import would take: the record and why.
    Field {
        record: SnapshotRecord,
        error: FieldError,
    },
    /// A field that must not be blank (a name, a title) is.
    Blank {
        record: SnapshotRecord,
        field: TextField,
    },
    /// The item (by number) names a topic or service type that no catalog holds.
    UnknownCode {
        item: String,
        kind: CatalogKind,
        code: String,
    },
    /// The entry's day is before 2000, which the ledger never takes.
    DayRefused {
        entry: EntryId,
        date: chrono::NaiveDate,
    },
    /// The carried audit trail breaks at the record at `position` (counted from 1).
    TrailBroken {
        position: u64,
        fault: LinkFault,
    },
}

impl Snapshot {
    /// Checks that the snapshot hangs together: known format, every record one a form would
    /// take, unique ids, entries pointing at items and advisors it contains, durations within
    /// a day, a whole audit trail (see [`Admission`]).
    /// Whether the snapshot (read from `source`) hangs together enough to restore: what a
    /// restore checks before it opens the store, so that a bad file makes no store.
    pub fn restorable(&self, source: &str) -> Result<()> {
        self.check().map_err(|why| {
            Rejection::NotRestorable {
                source: source.to_string(),
                why,
            }
            .into()
        })
    }

    fn check(&self) -> std::result::Result<(), SnapshotFault> {
        if self.format != FORMAT {
            return Err(SnapshotFault::NotAnExport {
                format: self.format.clone(),
            });
        }
        if self.version > VERSION {
            return Err(SnapshotFault::Newer {
                version: self.version,
            });
        }
        let mut admission = Admission::new();
        for a in &self.advisors {
            admission.advisor(a)?;
        }
        for (kind, list) in [
            (CatalogKind::Topic, &self.topics),
            (CatalogKind::Service, &self.services),
        ] {
            for e in list {
                admission.catalog(kind, e)?;
            }
        }
        for i in &self.items {
            admission.item(i)?;
        }
        for e in &self.entries {
            admission.entry(e)?;
        }
        for row in &self.team {
            admission.team(row)?;
        }
        for record in &self.audit {
            admission.audit(record)?;
        }
        admission.finish()
    }
}

impl Store {
    /// The whole ledger as a snapshot.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let mut advisors: Vec<Advisor> = self.advisors()?.into_values().collect();
        advisors.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Snapshot {
            format: FORMAT.into(),
            version: VERSION,
            advisors,
            topics: self.catalog(CatalogKind::Topic)?.entries,
            services: self.catalog(CatalogKind::Service)?.entries,
            items: self.items()?,
            entries: self.all_entries()?,
            team: self.carried_rows()?,
            // The trail is streamed into backups as it is stored, never loaded whole.
            audit: Vec::new(),
        })
    }

    /// Loads a snapshot into this store, which must hold no records yet.
    ///
    /// One sled transaction holds all it writes in memory, which a large ledger cannot afford.
    /// So the store is rewritten beside its files (see `rewrite.rs`), the snapshot goes into
    /// the new files a batch at a time, and the new files take the store's place whole once
    /// the restore's audit record is in: a restore stopped anywhere leaves the store as empty
    /// as it was, or restored.
    pub fn restore(&mut self, snapshot: &Snapshot, source: &str, stamp: &Stamp) -> Result<()> {
        snapshot.restorable(source)?;
        // A carried trail starts at record 1: it cannot follow records already here.
        let trail_here = !snapshot.audit.is_empty() && self.audit_head()? > 0;
        if trail_here || !self.is_empty()? {
            return Err(Rejection::StoreNotEmpty {
                path: self.path().to_path_buf(),
            }
            .into());
        }
        if self.migration_due {
            return Err(StoreError::MigrationDue {
                path: self.path.clone(),
            });
        }
        let next = self.rewrite()?;
        if let Err(e) = next.write_restore(snapshot, source, stamp) {
            let dir = next.path.clone();
            drop(next);
            let _ = std::fs::remove_dir_all(dir);
            return Err(e);
        }
        self.swap_in(next, usize::MAX)
    }

    /// Writes the snapshot into this store (the rewrite of an empty one), a batch at a time,
    /// the audit record last.
    fn write_restore(&self, snapshot: &Snapshot, source: &str, stamp: &Stamp) -> Result<()> {
        let (me, salt) = (self.me, self.salt);
        let carried = !snapshot.team.is_empty();
        if carried {
            self.clear_identities()?;
            self.reset_sums()?;
        }
        // The records keep the identities they had, which the carried rows put back.
        let batch = |f: &dyn Fn(&Tx) -> std::result::Result<(), TxError>| {
            self.commit_unchecked(me, salt, |tx| {
                if carried {
                    tx.untracked(|| f(tx))
                } else {
                    f(tx)
                }
            })
        };
        // First, so that the identities written below name the restore's own record.
        if !snapshot.audit.is_empty() {
            self.commit_unchecked(me, salt, |tx| restorable::write_trail(tx, &snapshot.audit))?;
        }
        batch(&|tx| write_catalogs(tx, snapshot))?;
        let mut max_item = 0;
        let mut seqs: HashMap<String, u64> = HashMap::new();
        for chunk in snapshot.items.chunks(RESTORE_CHUNK) {
            batch(&|tx| {
                chunk
                    .iter()
                    .try_for_each(|item| write::write_item(tx, item))
            })?;
            for item in chunk {
                max_item = max_item.max(item.id.0);
                if let Some((year, n)) = item.number.split_once('-')
                    && let Ok(n) = n.parse::<u64>()
                {
                    let top = seqs.entry(year.to_string()).or_default();
                    *top = (*top).max(n);
                }
            }
        }
        let items: HashMap<_, _> = snapshot.items.iter().map(|i| (i.id, i)).collect();
        for chunk in snapshot.entries.chunks(RESTORE_CHUNK) {
            batch(&|tx| {
                chunk.iter().try_for_each(|e| {
                    let item = items[&e.item];
                    write::write_entry(tx, e, item, &write::fingerprint(e, item))
                })
            })?;
        }
        drop(items);
        for chunk in snapshot.team.chunks(RESTORE_CHUNK) {
            self.commit_unchecked(me, salt, |tx| carry::write_rows(tx, chunk))?;
        }
        let max_entry = snapshot.entries.iter().map(|e| e.id.0).max().unwrap_or(0);
        self.commit_as(me, salt, |tx| {
            tx.raise("item_id", max_item)?;
            tx.raise("entry_id", max_entry)?;
            for (year, n) in &seqs {
                tx.raise(&format!("item_seq/{year}"), *n)?;
            }
            tx.audit(
                stamp,
                AuditAction::Restore,
                json!(null),
                json!({
                    "source": source,
                    "advisors": snapshot.advisors.len(),
                    "items": snapshot.items.len(),
                    "entries": snapshot.entries.len(),
                }),
            )
        })
    }
}

/// Items, entries or carried rows a restore writes per transaction.
const RESTORE_CHUNK: usize = 10_000;

/// Writes the snapshot's catalogs and advisors.
fn write_catalogs(tx: &Tx, snapshot: &Snapshot) -> std::result::Result<(), TxError> {
    for (kind, list) in [
        (CatalogKind::Topic, &snapshot.topics),
        (CatalogKind::Service, &snapshot.services),
    ] {
        for e in list {
            let key = catalogs::catalog_key(kind, &e.code);
            tx.catalogs()
                .insert(key.as_slice(), codec::encode_json(e))?;
            tx.touched(Kind::Catalog, &key)?;
        }
    }
    for a in &snapshot.advisors {
        tx.advisors()
            .insert(a.id.as_bytes(), codec::encode_json(a))?;
        tx.touched(Kind::Advisor, a.id.as_bytes())?;
    }
    Ok(())
}
