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
//!
//! Schemas 5 to 7 pack the trees into blocks, which every migration's rewrite does.
//!
//! Schema 7 → 8 adds the whole history's aggregates, summed from the months' (counted afresh
//! from the entries should one of those fail its check). The layout of every tree is 7's, so
//! this step writes no new files: the records go in with the schema number and the audit
//! record, in one transaction.

use serde_json::json;

use super::ident::{self, Ident, Kind};
use super::{AuditAction, LAYOUT, Result, SCHEMA_VERSION, STORE_ID, Stamp, Store, catalogs, keys};

/// The first schema whose aggregates count the whole history apart.
const WHOLE_HISTORY_SCHEMA: u64 = 8;

/// The first schema whose trees are laid out as this build lays them out: a store of an
/// older one is rewritten into new files as it migrates.
const LAYOUT_SCHEMA: u64 = 7;

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
        self.migrate_until(stamp, usize::MAX)
    }

    /// [`Store::migrate`], its new files' swap stopped after `limit` steps (see
    /// `rewrite.rs`).
    fn migrate_until(&mut self, stamp: &Stamp, limit: usize) -> Result<Migrated> {
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
        // A new layout is written into new files, brought up to date there, and swapped in
        // whole: the old layout leaves no space behind, and a stop anywhere leaves either
        // store whole.
        let mut next = if from < LAYOUT_SCHEMA {
            Some(self.rewrite()?)
        } else {
            None
        };
        let target = next.as_mut().unwrap_or(self);
        target.me = me;
        target.salt = salt;
        let brought = target.bring_up_to_date(stamp, from, records);
        if let Err(e) = brought {
            if let Some(next) = next {
                let dir = next.path.clone();
                drop(next);
                let _ = std::fs::remove_dir_all(dir);
            }
            return Err(e);
        }
        if let Some(next) = next {
            self.swap_in(next, limit)?;
        }
        self.me = me;
        self.salt = salt;
        self.migration_due = false;
        Ok(Migrated {
            from,
            to: SCHEMA_VERSION,
            records,
        })
    }

    /// The sums counted afresh, then the schema number and the audit record, in one
    /// transaction.
    fn bring_up_to_date(&self, stamp: &Stamp, from: u64, records: u64) -> Result<()> {
        // Whatever came before wrote records no transaction counted: the sums start afresh.
        self.reset_sums()?;
        // Aggregates kept since schema 4 give the whole history's, added with schema 8.
        let whole = if (4..WHOLE_HISTORY_SCHEMA).contains(&from) {
            self.whole_from_months()?
        } else {
            None
        };
        self.commit_as(self.me, self.salt, |tx| {
            if from < WHOLE_HISTORY_SCHEMA && whole.is_none() {
                // Counted afresh from the entries once this commits (`aggregates.rs`).
                tx.tallies_out_of_date()?;
            }
            for (key, value) in whole.iter().flatten() {
                tx.tallies().insert(key.as_slice(), value.as_slice())?;
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
                    "store": ulid::Ulid(self.me).to_string(),
                    "records": records,
                }),
            )
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
        let seq = self.pending_seq()?;
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
    use crate::store::{Damage, StoreError};
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
        open_when_free(path).unwrap()
    }

    /// [`Store::open`], waiting up to ten seconds for files another store still holds.
    fn open_when_free(path: &Path) -> Result<Store> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match Store::open(path) {
                Err(StoreError::InUse { .. }) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                opened => return opened,
            }
        }
    }

    fn sled_db(path: &Path) -> sled::Db {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match crate::store::open_sled(path) {
                Err(_) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                opened => return opened.unwrap(),
            }
        }
    }

    /// The old layout's trees still in the store's files.
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

    /// The fixture's ledger, read before any migration.
    fn fixture_ledger() -> (Vec<crate::domain::Entry>, Vec<crate::domain::Item>, bool) {
        let dir = tempfile::tempdir().unwrap();
        let before = ledger(&reopen(&schema_4(dir.path())));
        assert_eq!(before.0.len(), 283);
        assert!(before.2, "the fixture verifies");
        before
    }

    #[test]
    fn a_migration_stopped_anywhere_in_its_swap_ends_as_one_that_was_not() {
        let before = fixture_ledger();
        let mut steps = 0;
        loop {
            let dir = tempfile::tempdir().unwrap();
            let path = schema_4(dir.path());
            let mut store = reopen(&path);
            store.migrate_until(&stamp(), steps).unwrap();
            drop(store);
            let stopped = path.join(".rewrite").exists();
            if steps == 0 {
                assert!(stopped, "the new files wait beside the old");
                assert!(path.join(".rewrite/ready").exists());
                assert!(path.join(".rewrite/db").exists(), "the old log is in place");
            }
            let store = reopen(&path);
            assert!(!store.migration_due(), "stopped after {steps} steps");
            assert_eq!(ledger(&store), before, "stopped after {steps} steps");
            drop(store);
            assert!(!path.join(".rewrite").exists());
            if !stopped {
                break;
            }
            steps += 1;
        }
        assert!(steps >= 4, "the swap has its steps: {steps}");
    }

    /// Changes one byte in the middle of `file`.
    fn flip_a_byte(file: &Path) {
        let mut bytes = std::fs::read(file).unwrap();
        let at = bytes.len() / 2;
        bytes[at] ^= 0x20;
        std::fs::write(file, bytes).unwrap();
    }

    #[test]
    fn a_rewrite_changed_before_its_swap_began_is_dropped_and_the_old_store_kept() {
        let before = fixture_ledger();
        let dir = tempfile::tempdir().unwrap();
        let path = schema_4(dir.path());
        let mut store = reopen(&path);
        store.migrate_until(&stamp(), 0).unwrap();
        drop(store);
        flip_a_byte(&path.join(".rewrite/db"));
        let mut store = reopen(&path);
        assert!(
            !path.join(".rewrite").exists(),
            "the changed rewrite is gone"
        );
        assert!(store.migration_due(), "still the old store");
        assert_eq!(ledger(&store), before);
        // And it migrates again, whole.
        store.migrate(&stamp()).unwrap();
        drop(store);
        assert_eq!(ledger(&reopen(&path)), before);
    }

    #[test]
    fn a_swap_listed_by_the_previous_build_without_checksums_is_finished_as_before() {
        let before = fixture_ledger();
        for steps in [0, 1] {
            let dir = tempfile::tempdir().unwrap();
            let path = schema_4(dir.path());
            let mut store = reopen(&path);
            store.migrate_until(&stamp(), steps).unwrap();
            drop(store);
            // `ready` as the build before the checksums wrote it: the files' names alone.
            let ready = path.join(".rewrite/ready");
            let names: String = std::fs::read_to_string(&ready)
                .unwrap()
                .lines()
                .map(|line| format!("{}\n", line.split_once('\t').unwrap().0))
                .collect();
            std::fs::write(&ready, names).unwrap();
            let store = reopen(&path);
            assert!(!path.join(".rewrite").exists(), "stopped after {steps}");
            assert!(!store.migration_due(), "stopped after {steps}");
            assert_eq!(ledger(&store), before, "stopped after {steps}");
        }
    }

    #[test]
    fn a_rewrite_changed_after_its_new_log_went_in_is_refused_by_name_and_left_as_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = schema_4(dir.path());
        let mut store = reopen(&path);
        store.migrate_until(&stamp(), 1).unwrap();
        drop(store);
        assert!(!path.join(".rewrite/db").exists(), "the new log is in");
        let waiting = path.join(".rewrite/conf");
        flip_a_byte(&waiting);
        let found = std::fs::read(&waiting).unwrap();
        let Err(refused) = open_when_free(&path) else {
            panic!("a store half swapped in with a changed file opened");
        };
        assert!(
            matches!(
                &refused,
                StoreError::Damaged { what: Damage::SwapDamaged(file), .. } if file == "conf"
            ),
            "{refused:?}"
        );
        let said = refused.to_string();
        assert!(said.contains("conf") && said.contains("neither"), "{said}");
        assert_eq!(
            std::fs::read(&waiting).unwrap(),
            found,
            "nothing more was moved"
        );
        assert!(path.join(".rewrite/ready").exists());
    }

    #[test]
    fn an_unfinished_rewrite_is_removed_and_the_old_store_migrates_again() {
        let before = fixture_ledger();
        let dir = tempfile::tempdir().unwrap();
        let path = schema_4(dir.path());
        std::fs::create_dir_all(path.join(".rewrite/blobs")).unwrap();
        std::fs::write(path.join(".rewrite/db"), b"half written").unwrap();
        let mut store = reopen(&path);
        assert!(!path.join(".rewrite").exists());
        assert!(store.migration_due(), "still the old store");
        assert_eq!(ledger(&store), before);
        store.migrate(&stamp()).unwrap();
        assert_eq!(ledger(&store), before);
        drop(store);
        assert_eq!(ledger(&reopen(&path)), before);
    }

    #[test]
    fn a_migrated_store_keeps_no_trace_of_the_old_layout() {
        let before = fixture_ledger();
        let dir = tempfile::tempdir().unwrap();
        let path = schema_4(dir.path());
        let mut store = reopen(&path);
        store.migrate(&stamp()).unwrap();
        assert_eq!(
            ledger(&store),
            before,
            "read from the new files, still open"
        );
        drop(store);
        assert!(plain_trees(&path).is_empty(), "{:?}", plain_trees(&path));
        assert!(!path.join(".rewrite").exists());
        assert!(
            !path.join("snap.00000000000BBEB1").exists(),
            "the old snapshot is gone"
        );
        assert_eq!(ledger(&reopen(&path)), before);
    }
}
