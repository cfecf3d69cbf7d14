//! Restoring a backup as it streams in, twice: once to check every record as `restore` must
//! (nothing written), then again to write it, into a rewrite of the empty store that takes the
//! store's place whole at the end (see `rewrite.rs`). Nothing but the batch at hand and the
//! items the entries copy their fields from is held, so a backup of any size restores in the
//! same memory, and its records go in key order, a batch at a time, as an import's do.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::rc::Rc;

use serde_json::json;

use super::read::{self, Halt, Scanned};
use super::{Admission, BackupFault, Line, SnapshotFault, admit};
use crate::domain::{Item, ItemId, Satisfaction, Words};
use crate::store::apply::Batching;
use crate::store::audit::{self, AUDIT_HEAD, Head};
use crate::store::tx::{Tx, TxError};
use crate::store::{
    AuditAction, CarriedRow, Missing, Rejection, Result, Stamp, Store, StoreError, carry, catalogs,
    codec, keys, write,
};

/// What a backup holds, counted as it was checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BackupCounts {
    pub advisors: usize,
    pub items: usize,
    pub entries: usize,
    /// Rows of the store's place in its team.
    pub team: usize,
    /// Records of the carried audit trail.
    pub audit: u64,
}

/// Why a backup cannot be restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreFault {
    /// The file does not read back whole.
    Unsound(BackupFault),
    /// A record a restore must refuse.
    Refused(SnapshotFault),
}

/// Checks every record of the backup at `file` as a restore would, holding none of them. The
/// outer error is the reading's.
pub fn check_backup(
    file: &Path,
) -> std::io::Result<std::result::Result<BackupCounts, RestoreFault>> {
    let input = std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(file)?);
    let mut admission = Admission::new();
    let mut counts = BackupCounts::default();
    let scanned = read::scan(input, |line: Line| {
        match &line {
            Line::Advisor(_) => counts.advisors += 1,
            Line::Item(_) => counts.items += 1,
            Line::Entry(_) => counts.entries += 1,
            Line::Team(_) => counts.team += 1,
            Line::Audit(_) => counts.audit += 1,
            Line::Topic(_) | Line::Service(_) => {}
        }
        admit(&mut admission, &line).map_err(Halt::Fault)
    });
    Ok(match scanned {
        Ok(_) => admission
            .finish()
            .map(|()| counts)
            .map_err(RestoreFault::Refused),
        Err(Scanned::Io(e)) => return Err(e),
        Err(Scanned::Unsound(fault)) => Err(RestoreFault::Unsound(fault)),
        Err(Scanned::Record(fault)) => Err(RestoreFault::Refused(fault)),
        Err(Scanned::Stopped) => Err(RestoreFault::Unsound(BackupFault::NoChecksum)),
    })
}

impl Store {
    /// Restores the backup at `file`, checked by [`check_backup`] (which found `counts`), into
    /// this store, which must hold no records yet: written into a rewrite of the store and put
    /// in its place whole, so a restore stopped anywhere leaves the store as it was.
    pub fn restore_backup(
        &mut self,
        file: &Path,
        counts: &BackupCounts,
        source: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        self.restore_with(counts.audit > 0, |next| {
            next.write_restored(file, counts, source, stamp)
        })
    }

    /// A restore into this store, which must hold no records yet (nor any audit record, when
    /// the restore carries a trail): `write` fills a rewrite of the store, which then takes its
    /// place whole, so a restore stopped anywhere leaves the store as it was.
    pub(in crate::store) fn restore_with(
        &mut self,
        carries_trail: bool,
        write: impl FnOnce(&Store) -> Result<()>,
    ) -> Result<()> {
        // A carried trail starts at record 1: it cannot follow records already here.
        let trail_here = carries_trail && self.audit_head()? > 0;
        if trail_here || !self.is_empty()? {
            return Err(Rejection::StoreNotEmpty {
                path: self.path().to_path_buf(),
            }
            .into());
        }
        if self.migration_due() {
            return Err(StoreError::MigrationDue {
                path: self.path().to_path_buf(),
            });
        }
        let next = self.rewrite()?;
        if let Err(e) = write(&next) {
            let dir = next.path().to_path_buf();
            drop(next);
            let _ = std::fs::remove_dir_all(dir);
            return Err(e);
        }
        self.swap_in(next, usize::MAX)
    }

    /// Writes the snapshot's records into this store (the rewrite of an empty one) as a
    /// backup's are written: in a backup's order, in key-order batches.
    pub(in crate::store) fn write_snapshot(
        &self,
        snapshot: &crate::store::Snapshot,
        source: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        let counts = BackupCounts {
            advisors: snapshot.advisors.len(),
            items: snapshot.items.len(),
            entries: snapshot.entries.len(),
            team: snapshot.team.len(),
            audit: u64::try_from(snapshot.audit.len()).unwrap_or(u64::MAX),
        };
        let mut writing = self.start_writing(&counts)?;
        let lines = (snapshot.advisors.iter().cloned().map(Line::Advisor))
            .chain(snapshot.topics.iter().cloned().map(Line::Topic))
            .chain(snapshot.services.iter().cloned().map(Line::Service))
            .chain(snapshot.items.iter().cloned().map(Line::Item))
            .chain(snapshot.entries.iter().cloned().map(Line::Entry))
            .chain(snapshot.team.iter().cloned().map(Line::Team))
            .chain(snapshot.audit.iter().cloned().map(Line::Audit));
        for line in lines {
            writing.take(line)?;
        }
        writing.finish(&counts, source, stamp)
    }

    /// Gets this store (the rewrite of an empty one) ready to take a restore's records.
    fn start_writing(&self, counts: &BackupCounts) -> Result<Writing<'_>> {
        let carried = counts.team > 0;
        if carried {
            self.clear_identities()?;
            self.reset_sums()?;
        }
        if counts.audit > 0 {
            // The records' identities name the audit record of the restore, which comes after
            // the carried trail.
            self.commit_unchecked(self.me, self.salt, |tx| tx.raise("audit_seq", counts.audit))?;
        }
        let seq = self.pending_seq()?;
        Ok(Writing {
            store: self,
            carried,
            people: Some(People::default()),
            items: HashMap::new(),
            words: Words::default(),
            departments: BTreeSet::new(),
            max_item: 0,
            max_entry: 0,
            seqs: HashMap::new(),
            batching: Batching::new(self.me, self.salt, seq, carried),
            rows: Vec::new(),
            trail: crate::store::table::Batch::default(),
            head: Head::empty(),
        })
    }

    /// Writes the backup's records into this store (the rewrite of an empty one).
    fn write_restored(
        &self,
        file: &Path,
        counts: &BackupCounts,
        source: &str,
        stamp: &Stamp,
    ) -> Result<()> {
        let mut writing = self.start_writing(counts)?;
        let input = std::fs::File::open(file).map_err(|e| self.io(&e))?;
        let mut failed = None;
        let scanned = read::scan::<()>(std::io::BufReader::with_capacity(1 << 16, input), |line| {
            writing.take(line).map_err(|e| {
                failed = Some(e);
                Halt::Now
            })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        match scanned {
            Ok(_) => {}
            Err(Scanned::Io(e)) => return Err(self.io(&e)),
            // Checked whole before: the file changed since.
            Err(Scanned::Unsound(_) | Scanned::Record(()) | Scanned::Stopped) => {
                return Err(Rejection::NotRestorable {
                    source: source.to_string(),
                    why: SnapshotFault::NotAnExport {
                        format: "a file that changed while it was restored".to_string(),
                    },
                }
                .into());
            }
        }
        writing.finish(counts, source, stamp)
    }

    /// The audit number the next change will take.
    pub(in crate::store) fn pending_seq(&self) -> Result<u64> {
        Ok(self
            .trees
            .meta
            .get(b"audit_seq")
            .map_err(|e| self.err(e))?
            .and_then(|v| keys::parse_id(&v))
            .unwrap_or(1))
    }
}

/// Records written per transaction or batch where they are not entries.
const CHUNK: usize = 10_000;

/// The advisors and catalogs, which come first and go in together.
#[derive(Default)]
struct People {
    advisors: Vec<crate::domain::Advisor>,
    topics: Vec<crate::domain::CatalogEntry>,
    services: Vec<crate::domain::CatalogEntry>,
}

/// What an item's entries copy from it (their records and fingerprints take these fields),
/// kept for every item of a restore: a third of a million items' numbers, keys and references
/// are not, and their topics, services and departments are shared.
struct ItemCopy {
    id: ItemId,
    title: Box<str>,
    topic: Rc<str>,
    service: Rc<str>,
    department: Rc<str>,
    satisfaction: Option<Satisfaction>,
}

impl ItemCopy {
    fn of(item: Item, words: &mut Words) -> ItemCopy {
        ItemCopy {
            id: item.id,
            topic: words.of(&item.topic),
            service: words.of(&item.service),
            department: words.of(&item.department),
            title: item.title.into_boxed_str(),
            satisfaction: item.satisfaction,
        }
    }

    /// The item as far as its entries need it.
    fn item(&self) -> Item {
        Item {
            id: self.id,
            number: String::new(),
            key: None,
            title: self.title.to_string(),
            topic: self.topic.to_string(),
            service: self.service.to_string(),
            department: self.department.to_string(),
            reference: String::new(),
            status: Default::default(),
            satisfaction: self.satisfaction,
            outcome: None,
            sensitivity: Default::default(),
        }
    }
}

/// A restore's writing, as the backup's lines come.
struct Writing<'a> {
    store: &'a Store,
    carried: bool,
    /// Gathered until the first other record, then written (`None`).
    people: Option<People>,
    /// Every item met, as far as the entries copy their fields from it.
    items: HashMap<ItemId, ItemCopy>,
    /// The topics, services and departments of the items met, each held once.
    words: Words,
    departments: BTreeSet<String>,
    max_item: u64,
    max_entry: u64,
    /// The highest item number of each year.
    seqs: HashMap<String, u64>,
    batching: Batching,
    rows: Vec<CarriedRow>,
    trail: crate::store::table::Batch,
    head: Head,
}

impl Writing<'_> {
    fn take(&mut self, line: Line) -> Result<()> {
        if let Some(people) = &mut self.people {
            match line {
                Line::Advisor(a) => people.advisors.push(a),
                Line::Topic(e) => people.topics.push(e),
                Line::Service(e) => people.services.push(e),
                line => {
                    self.write_people()?;
                    return self.take(line);
                }
            }
            return Ok(());
        }
        match line {
            Line::Advisor(_) | Line::Topic(_) | Line::Service(_) => {
                // Every backup lists them first; one that did not is no backup we wrote.
                Err(Rejection::NotRestorable {
                    source: String::new(),
                    why: SnapshotFault::NotAnExport {
                        format: "records out of order".to_string(),
                    },
                }
                .into())
            }
            Line::Item(item) => {
                self.max_item = self.max_item.max(item.id.0);
                if let Some((year, n)) = item.number.split_once('-')
                    && let Ok(n) = n.parse::<u64>()
                {
                    let top = self.seqs.entry(year.to_string()).or_default();
                    *top = (*top).max(n);
                }
                self.departments.insert(item.department.clone());
                self.batching.batch().item(&item)?;
                let copy = ItemCopy::of(item, &mut self.words);
                self.items.insert(copy.id, copy);
                self.batching.step(self.store)
            }
            Line::Entry(entry) => {
                let item = self
                    .items
                    .get(&entry.item)
                    .ok_or_else(|| self.store.missing(Missing::Item(entry.item)))?
                    .item();
                self.max_entry = self.max_entry.max(entry.id.0);
                let print = write::fingerprint(&entry, &item);
                self.batching.batch().entry(&entry, &item, &print)?;
                self.batching.step(self.store)
            }
            Line::Team(row) => {
                self.rows.push(row);
                if self.rows.len() >= CHUNK {
                    self.write_rows()?;
                }
                Ok(())
            }
            Line::Audit(record) => {
                self.head.count += 1;
                self.head.hash = audit::digest(record.as_bytes());
                self.trail
                    .insert(keys::id_key(self.head.count), record.into_bytes());
                if self.trail.len() >= CHUNK {
                    self.write_trail()?;
                }
                Ok(())
            }
        }
    }

    /// The advisors and catalogs, in one transaction, as the change's own.
    fn write_people(&mut self) -> Result<()> {
        let Some(people) = self.people.take() else {
            return Ok(());
        };
        let carried = self.carried;
        let store = self.store;
        store.commit_unchecked(store.me, store.salt, |tx| {
            let write = || write_people(tx, &people);
            if carried {
                tx.untracked(write)
            } else {
                write()
            }
        })
    }

    fn write_rows(&mut self) -> Result<()> {
        let rows = std::mem::take(&mut self.rows);
        let store = self.store;
        store.commit_unchecked(store.me, store.salt, |tx| carry::write_rows(tx, &rows))
    }

    fn write_trail(&mut self) -> Result<()> {
        let trail = std::mem::take(&mut self.trail);
        self.store
            .trees
            .audit
            .apply_batch(trail)
            .map_err(|e| self.store.table_err(e))
    }

    /// What is left, then the last transaction: the counters, the departments, the trail's
    /// head, what the batches wrote, and the restore's audit record.
    fn finish(mut self, counts: &BackupCounts, source: &str, stamp: &Stamp) -> Result<()> {
        self.write_people()?;
        self.write_rows()?;
        self.write_trail()?;
        let Writing {
            store,
            batching,
            departments,
            max_item,
            max_entry,
            seqs,
            head,
            items,
            ..
        } = self;
        drop(items);
        let written = batching.finish(store)?;
        store.commit_as(store.me, store.salt, |tx| {
            tx.count_written(&written);
            if head.count > 0 {
                tx.raise("audit_seq", head.count)?;
                tx.meta().insert(AUDIT_HEAD, codec::encode_json(&head))?;
            }
            for department in &departments {
                tx.catalogs()
                    .insert(catalogs::department_key(department), &[][..])?;
            }
            tx.raise("item_id", max_item)?;
            tx.raise("entry_id", max_entry)?;
            for (year, n) in &seqs {
                tx.raise(&format!("item_seq/{year}"), *n)?;
            }
            // Counted afresh from the entries once this commits (`aggregates.rs`).
            tx.tallies_out_of_date()?;
            tx.audit(
                stamp,
                AuditAction::Restore,
                json!(null),
                json!({
                    "source": source,
                    "advisors": counts.advisors,
                    "items": counts.items,
                    "entries": counts.entries,
                }),
            )
        })
    }
}

/// The advisors and catalogs, as a form would write them.
fn write_people(tx: &Tx, people: &People) -> std::result::Result<(), TxError> {
    for (kind, list) in [
        (crate::domain::CatalogKind::Topic, &people.topics),
        (crate::domain::CatalogKind::Service, &people.services),
    ] {
        for e in list {
            let key = catalogs::catalog_key(kind, &e.code);
            tx.catalogs()
                .insert(key.as_slice(), codec::encode_json(e))?;
            tx.touched(crate::store::ident::Kind::Catalog, &key)?;
        }
    }
    for a in &people.advisors {
        tx.advisors()
            .insert(a.id.as_bytes(), codec::encode_json(a))?;
        tx.touched(crate::store::ident::Kind::Advisor, a.id.as_bytes())?;
    }
    Ok(())
}
