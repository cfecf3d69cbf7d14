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
use super::{AuditAction, Result, SCHEMA_VERSION, STORE_ID, Stamp, Store, catalogs, keys};

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
        // Whatever came before wrote records no transaction counted: the sums start afresh.
        self.reset_sums()?;
        self.commit_as(me, salt, |tx| {
            // Counted afresh from the entries once this commits (`aggregates.rs`).
            tx.tallies_out_of_date()?;
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
                .insert(STORE_ID, &me.to_be_bytes())
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

/// The time of a change in milliseconds since 1970, for the time part of an id.
fn millis(stamp: &Stamp) -> u64 {
    u64::try_from(stamp.at.timestamp_millis()).unwrap_or(0)
}

/// Identities gathered for one batch.
struct IdentBatch {
    me: u128,
    salt: u128,
    seq: u64,
    ids: sled::Batch,
    len: usize,
    total: u64,
}

impl IdentBatch {
    fn new(me: u128, salt: u128, seq: u64) -> IdentBatch {
        IdentBatch {
            me,
            salt,
            seq,
            ids: sled::Batch::default(),
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
        self.ids.insert(&gid.to_be_bytes(), ident::encode(&record));
        self.len += 1;
        self.total += 1;
        if self.len >= CHUNK {
            self.apply(store)?;
        }
        Ok(())
    }

    fn apply(&mut self, store: &Store) -> Result<()> {
        let ids = std::mem::take(&mut self.ids);
        store.trees.ids.apply_batch(ids).map_err(|e| store.err(e))?;
        self.len = 0;
        Ok(())
    }

    fn finish(mut self, store: &Store) -> Result<u64> {
        self.apply(store)?;
        Ok(self.total)
    }
}
