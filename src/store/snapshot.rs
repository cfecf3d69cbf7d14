//! A whole ledger as one JSON document: what `export --format json` writes and `restore` reads.

use serde::{Deserialize, Serialize};

use super::carry::CarriedRow;
use super::restorable::{Admission, SnapshotRecord};
use super::verify::LinkFault;
use super::{Rejection, Result, Stamp, Store};
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
        self.restore_with(!snapshot.audit.is_empty(), |next| {
            next.write_snapshot(snapshot, source, stamp)
        })
    }
}
