//! Bringing a store written by an older counsel-log up to date, once, as one audited change.
//!
//! Schema 1 → 2 gives every record its identity (see `ident.rs`) and the store its id. The
//! identities go in as batches (a large store cannot be one transaction), each derived from the
//! store's id and the record's local key, so a migration stopped halfway and run again writes
//! exactly the same; the schema number changes last, with the audit record, in one transaction.
//!
//! Schema 2 → 3 counts the ledger's digest (see `digest.rs`) from every record; the migration's
//! audit record is the first to carry it.
//!
//! Schema 3 → 4 counts the per-period aggregates (see `tallies.rs`) from the entries.

use serde_json::json;

use super::ident::{self, Ident, Kind};
use super::table::Batch;
use super::{
    AuditAction, LAYOUT, PACKED_SCHEMA, Result, SCHEMA_VERSION, STORE_ID, Stamp, Store, Trees,
    catalogs, keys,
};

/// Identities written per batch.
const CHUNK: usize = 10_000;

/// What a migration did, for the line that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    pub from: u64,
    pub to: u64,
    /// Records given an identity.
    pub records: u64,
}

impl Store {
    /// True when the store was written by an older schema and must be migrated before it
    /// takes any change.
    pub fn migration_due(&self) -> bool {
        self.migration_due
    }

    /// Migrates a store of an older schema to this one. The caller makes a verified backup
    /// first; this writes the store's id, every record's identity, then the schema number with
    /// the audit record (`store.migrate`).
    pub fn migrate(&mut self, stamp: &Stamp) -> Result<Migrated> {
        let from = keys::parse_id(
            &self
                .trees
                .meta
                .get(b"schema")
                .map_err(|e| self.err(e))?
                .unwrap_or_default(),
        )
        .unwrap_or(1);
        let (me, salt, records) = if from < 2 {
            self.give_identities(stamp)?
        } else {
            (self.read_store_id()?, self.read_salt()?, 0)
        };
        if from < PACKED_SCHEMA {
            self.pack()?;
        }
        // Whatever came before wrote records no transaction counted: the sums start afresh.
        self.reset_sums()?;
        self.commit_as(me, salt, |tx| {
            if from < 4 {
                // Counted afresh from the entries once this commits (`aggregates.rs`).
                tx.tallies_out_of_date()?;
            }
            tx.meta().insert(
                b"schema".as_slice(),
                keys::id_key(SCHEMA_VERSION).as_slice(),
            )?;
            tx.audit(
                stamp,
                AuditAction::Migrate,
                json!({"schema": from}),
                json!({
                    "schema": SCHEMA_VERSION,
                    "store": ulid::Ulid(me).to_string(),
                    "records": records,
                }),
            )
        })?;
        self.me = me;
        self.salt = salt;
        self.migration_due = false;
        self.drop_unpacked()?;
        Ok(Migrated {
            from,
            to: SCHEMA_VERSION,
            records,
        })
    }

    /// Schema 1 → 2: the store's id, salt and key, and every record's identity. Returns the
    /// id, the salt and how many records were given an identity.
    fn give_identities(&self, stamp: &Stamp) -> Result<(u128, u128, u64)> {
        // Asked before reading, since a schema-1 store has no id yet, which is no damage.
        let has_id = self
            .trees
            .meta
            .contains_key(STORE_ID)
            .map_err(|e| self.err(e))?;
        let me = if has_id {
            self.read_store_id()?
        } else {
            let me = super::keypair::random_ulid(millis(stamp))?.0;
            self.trees
                .meta
                .insert(STORE_ID, me.to_be_bytes())
                .map_err(|e| self.err(e))?;
            me
        };
        super::keypair::load_or_create(&self.path)?;
        let seq = self
            .trees
            .meta
            .get(b"audit_seq")
            .map_err(|e| self.err(e))?
            .and_then(|v| keys::parse_id(&v))
            .unwrap_or(1);
        let salt = self.salt_or_new(millis(stamp))?;
        let mut batch = IdentBatch::new(me, salt, seq);
        for kv in self.trees.advisors.iter() {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            batch.add(self, Kind::Advisor, &k)?;
        }
        for kv in self.trees.catalogs.iter() {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            if !k.starts_with(catalogs::DEPARTMENT_PREFIX) {
                batch.add(self, Kind::Catalog, &k)?;
            }
        }
        for kv in self.trees.items.iter() {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            batch.add(self, Kind::Item, &k)?;
        }
        for kv in self.trees.entry_index.iter() {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            batch.add(self, Kind::Entry, &k)?;
        }
        let records = batch.finish(self)?;
        self.mark_item_numbers()?;
        Ok((me, salt, records))
    }
}

impl Store {
    /// Schema 4 → 5: every large tree's records copied into its packed tree; the store then
    /// reads and writes the packed trees.
    fn pack(&mut self) -> Result<()> {
        let packed = Trees::open(&self.db, true).map_err(|e| self.err(e))?;
        for (plain, to) in self.trees.all().into_iter().zip(packed.all()) {
            if to.blocking().is_none() {
                continue;
            }
            to.clear().map_err(|e| self.err(e))?;
            let mut batch = Batch::default();
            for kv in plain.iter() {
                let (k, v) = kv.map_err(|e| self.err(e))?;
                batch.insert(k, v);
                if batch.len() >= PACK_CHUNK {
                    to.apply_batch(std::mem::take(&mut batch))
                        .map_err(|e| self.table_err(e))?;
                }
            }
            to.apply_batch(batch).map_err(|e| self.table_err(e))?;
        }
        self.db.flush().map_err(|e| self.err(e))?;
        self.trees = packed;
        Ok(())
    }

    /// Drops the plain trees a packed store no longer reads (left by its migration).
    pub(super) fn drop_unpacked(&self) -> Result<()> {
        let names = self.db.tree_names();
        let mut dropped = false;
        for (name, rule) in LAYOUT {
            if rule.is_some() && names.iter().any(|n| n.as_ref() == name.as_bytes()) {
                self.db.drop_tree(name).map_err(|e| self.err(e))?;
                dropped = true;
            }
        }
        if dropped {
            self.sync()?;
        }
        Ok(())
    }
}

/// Records copied per batch when a store's trees are packed.
const PACK_CHUNK: usize = 50_000;

/// The time of a change in milliseconds since 1970, for the time part of an id.
fn millis(stamp: &Stamp) -> u64 {
    u64::try_from(stamp.at.timestamp_millis()).unwrap_or(0)
}

/// Identities gathered for one batch.
struct IdentBatch {
    me: u128,
    salt: u128,
    seq: u64,
    ids: super::table::Batch,
    len: usize,
    total: u64,
}

impl IdentBatch {
    fn new(me: u128, salt: u128, seq: u64) -> IdentBatch {
        IdentBatch {
            me,
            salt,
            seq,
            ids: super::table::Batch::default(),
            len: 0,
            total: 0,
        }
    }

    fn add(&mut self, store: &Store, kind: Kind, key: &[u8]) -> Result<()> {
        let local = ident::local_key(kind, key);
        let gid = ident::derive_gid(self.me, self.salt, &local);
        let record = Ident {
            kind,
            local: local.clone(),
            origin: self.me,
            rev: 1,
            seq: self.seq,
            gone: None,
            via: 0,
        };
        self.ids.insert(gid.to_be_bytes(), ident::encode(&record));
        self.len += 1;
        self.total += 1;
        if self.len >= CHUNK {
            self.apply(store)?;
        }
        Ok(())
    }

    fn apply(&mut self, store: &Store) -> Result<()> {
        let ids = std::mem::take(&mut self.ids);
        store
            .trees
            .ids
            .apply_batch(ids)
            .map_err(|e| store.table_err(e))?;
        self.len = 0;
        Ok(())
    }

    fn finish(mut self, store: &Store) -> Result<u64> {
        self.apply(store)?;
        Ok(self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    /// A copy of the fixture store written by the schema-4 layout (`tests/fixtures`).
    fn schema_4(dir: &Path) -> PathBuf {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-schema-4");
        let to = dir.join("store");
        std::fs::create_dir_all(to.join("blobs")).unwrap();
        for file in std::fs::read_dir(from).unwrap() {
            let file = file.unwrap();
            std::fs::copy(file.path(), to.join(file.file_name())).unwrap();
        }
        use std::os::unix::fs::PermissionsExt;
        let key = to.join("identity.key");
        std::fs::set_permissions(key, std::fs::Permissions::from_mode(0o600)).unwrap();
        to
    }

    /// Every entry and item as read, and whether `verify` finds the store whole.
    fn ledger(store: &Store) -> (Vec<crate::domain::Entry>, Vec<crate::domain::Item>, bool) {
        (
            store.all_entries().unwrap(),
            store.items().unwrap(),
            store.verify().unwrap().ok(),
        )
    }

    fn stamp() -> Stamp {
        Stamp {
            at: chrono::DateTime::parse_from_rfc3339("2026-12-02T09:00:00+08:00").unwrap(),
            who: "test".to_owned(),
        }
    }

    /// Opens the store again: sled's flusher lets go of the files a moment after a store is
    /// dropped, so a busy machine may still find them held.
    fn reopen(path: &Path) -> Store {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match Store::open(path) {
                Err(super::super::StoreError::InUse { .. })
                    if std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                opened => return opened.unwrap(),
            }
        }
    }

    fn sled_db(path: &Path) -> sled::Db {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match sled::open(path) {
                Err(_) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                opened => return opened.unwrap(),
            }
        }
    }

    fn plain_trees(path: &Path) -> Vec<String> {
        let db = sled_db(path);
        let names = db.tree_names();
        LAYOUT
            .iter()
            .filter(|(name, rule)| {
                rule.is_some() && names.iter().any(|n| n.as_ref() == name.as_bytes())
            })
            .map(|(name, _)| (*name).to_owned())
            .collect()
    }

    #[test]
    fn a_migration_stopped_after_packing_runs_again_and_ends_alike() {
        let dir = tempfile::tempdir().unwrap();
        let path = schema_4(dir.path());
        let before = ledger(&reopen(&path));
        assert_eq!(before.0.len(), 283);
        assert!(before.2, "the fixture verifies");
        // Stopped once every tree is packed, before the schema number says so.
        reopen(&path).pack().unwrap();
        let mut store = reopen(&path);
        assert!(store.migration_due());
        assert_eq!(ledger(&store), before, "still read from the plain trees");
        let migrated = store.migrate(&stamp()).unwrap();
        assert_eq!((migrated.from, migrated.to), (4, 5));
        assert_eq!(ledger(&store), before, "read from the packed trees");
        drop(store);
        assert!(plain_trees(&path).is_empty(), "{:?}", plain_trees(&path));

        // Stopped after the schema number, before the plain trees went: the next writing
        // open drops them, and reads the packed ones.
        {
            let db = sled_db(&path);
            db.open_tree("entries")
                .unwrap()
                .insert(b"left", b"over")
                .unwrap();
            db.flush().unwrap();
        }
        assert_eq!(plain_trees(&path), ["entries"]);
        let store = reopen(&path);
        assert!(!store.migration_due());
        assert_eq!(ledger(&store), before);
        drop(store);
        assert!(plain_trees(&path).is_empty());
    }
}
