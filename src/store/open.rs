//! Opening the store: on a watchdog thread, behind the guard copy, then the schema check.

use std::path::Path;

use super::error::{io_error, open_error, sled_error};
use super::ident::{self, Kind};
use super::{CACHE_BYTES, CloseRecord, Result, SCHEMA_VERSION, Store, StoreError, Trees};
use super::{Damage, GID_SALT, IoFault, STORE_ID, Unreadable, catalogs, codec, guard, keys};
use super::{Head, Watch};

/// How long opening may take before the store is reported as damaged:
/// `COUNSEL_LOG_OPEN_TIMEOUT` seconds, default 20.
fn open_timeout() -> std::time::Duration {
    let secs = std::env::var("COUNSEL_LOG_OPEN_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    std::time::Duration::from_secs(secs)
}

impl Store {
    /// Opens (or creates) the store at `path`. A store in use, from a newer version or damaged
    /// gives its own error; a panic inside sled becomes a "damaged" error, never a crash.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_watched(path, None, false)
    }

    /// [`Store::open`], remembering what it finds in `watch`'s state file (when given): a store
    /// with damage on record, or that vanished, is refused before anything is opened; a store
    /// holding fewer changes than were last seen is damaged. `verifying` opens for `verify`,
    /// which looks again at a store with damage on record, and writes nothing of its own.
    pub fn open_watched(path: &Path, watch: Option<Watch>, verifying: bool) -> Result<Store> {
        if let Some(watch) = &watch {
            watch.before_open(verifying)?;
        }
        let stop = |e: StoreError| match &watch {
            Some(watch) => watch.stop(e),
            None => e,
        };
        let seen = watch.as_ref().and_then(Watch::head_seen);
        let mut store = Store::open_guarded(path, seen.as_ref(), verifying).map_err(stop)?;
        let head = store.audit_head_record().map_err(stop)?;
        if let Some(watch) = &watch {
            let id = (store.me != 0).then(|| store.store_id().to_string());
            watch.seen_healthy(&head, id);
        }
        store.watch = watch;
        Ok(store)
    }

    fn open_guarded(path: &Path, seen: Option<&Head>, verifying: bool) -> Result<Store> {
        if path.exists() && !path.is_dir() {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                what: IoFault::NotAFolder,
            });
        }
        // Any file in the folder makes it an existing store, even one that lost its `db`.
        let existing = std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_some());
        if existing && guard::locked_elsewhere(path) {
            return Err(StoreError::InUse {
                path: path.to_path_buf(),
            });
        }
        // Unless the files are as the last clean close of this version left them, keep a copy
        // to put back should this open (or the session) find damage or refuse the store: sled
        // writes as it opens, and a refused store is left exactly as it was found.
        let copy = if existing && !guard::closed_cleanly(path, SCHEMA_VERSION) {
            Some(guard::Guard::take(path).map_err(|e| io_error(path, &e))?)
        } else {
            None
        };
        let opened = Store::open_unguarded(path, seen, verifying);
        match (opened, copy) {
            (Ok(mut store), copy) => {
                store.closing.closed_before = guard::forget_close(path);
                *store
                    .closing
                    .before_open
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = copy;
                Ok(store)
            }
            // Another process holds the files, or sled may still be opening them: they are not
            // ours to touch.
            (Err(e @ (StoreError::InUse { .. } | StoreError::SlowOpen { .. })), Some(copy)) => {
                copy.release();
                Err(e)
            }
            (Err(e), Some(copy)) => {
                let _ = copy.put_back();
                Err(e)
            }
            (Err(e), None) => Err(e),
        }
    }

    fn open_unguarded(path: &Path, seen: Option<&Head>, verifying: bool) -> Result<Store> {
        let config = sled::Config::new().path(path).cache_capacity(CACHE_BYTES);
        // sled can hang on a damaged file, so it opens on a thread of its own and is given up
        // on after a while; the process then exits with the message below.
        let (send, receive) = std::sync::mpsc::channel();
        let opening = config.clone();
        std::thread::spawn(move || {
            let _ = send.send(quietly(|| opening.open()));
        });
        let limit = open_timeout();
        let opened = match receive.recv_timeout(limit) {
            Ok(result) => result,
            Err(_) => {
                return Err(StoreError::SlowOpen {
                    path: path.to_path_buf(),
                    secs: limit.as_secs(),
                });
            }
        };
        let db = match opened {
            Ok(Ok(db)) => db,
            Ok(Err(e)) => return Err(open_error(path, e)),
            Err(panic) => {
                return Err(StoreError::Damaged {
                    path: path.to_path_buf(),
                    what: Damage::Panic(panic),
                });
            }
        };
        let tree = |name: &str| db.open_tree(name).map_err(|e| sled_error(path, e));
        let trees = Trees {
            meta: tree("meta")?,
            advisors: tree("advisors")?,
            items: tree("items")?,
            item_refs: tree("item_refs")?,
            entries: tree("entries")?,
            entry_index: tree("entry_index")?,
            item_entries: tree("item_entries")?,
            fingerprints: tree("fingerprints")?,
            catalogs: tree("catalogs")?,
            audit: tree("audit")?,
            ids: tree("ids")?,
            local_ids: tree("local_ids")?,
            corrections: tree("corrections")?,
            peers: tree("peers")?,
            tallies: tree("tallies")?,
        };
        let mut store = Store {
            trees,
            db,
            path: path.to_path_buf(),
            me: 0,
            salt: 0,
            migration_due: false,
            watch: None,
            closing: CloseRecord::new(path),
        };
        let schema = store.check_schema()?;
        store.check_head(seen, verifying)?;
        if schema >= 2 {
            // Before the recovery: the identities it takes back are found by the ids they
            // derive from the store's id and salt.
            store.me = store.read_store_id()?;
            store.salt = store.read_salt()?;
        }
        store.recover()?;
        store.migration_due = schema < SCHEMA_VERSION;
        store.closing.healthy = true;
        Ok(store)
    }

    /// Reads this store's id, which every store of the current schema has.
    pub(super) fn read_store_id(&self) -> Result<u128> {
        self.trees
            .meta
            .get(STORE_ID)
            .map_err(|e| self.err(e))?
            .and_then(|v| ident::gid_from(&v))
            .ok_or_else(|| self.unreadable(Unreadable::StoreId))
    }

    /// Reads the salt of this store's record ids.
    pub(super) fn read_salt(&self) -> Result<u128> {
        self.trees
            .meta
            .get(GID_SALT)
            .map_err(|e| self.err(e))?
            .and_then(|v| ident::gid_from(&v))
            .ok_or_else(|| self.unreadable(Unreadable::StoreId))
    }

    /// The salt of this store's record ids, made and kept (outside any transaction, before the
    /// records that use it) when there is none yet.
    pub(super) fn salt_or_new(&self, now_ms: u64) -> Result<u128> {
        // Asked before reading, since a missing salt is no damage here.
        if self
            .trees
            .meta
            .contains_key(GID_SALT)
            .map_err(|e| self.err(e))?
        {
            return self.read_salt();
        }
        let salt = super::keypair::random_ulid(now_ms)?.0;
        self.trees
            .meta
            .insert(GID_SALT, &salt.to_be_bytes())
            .map_err(|e| self.err(e))?;
        Ok(salt)
    }

    /// Reads the schema version; a fresh store gets the current one, its id and the default
    /// catalogs.
    fn check_schema(&self) -> Result<u64> {
        match self.trees.meta.get(b"schema").map_err(|e| self.err(e))? {
            Some(v) => {
                let found =
                    keys::parse_id(&v).ok_or_else(|| self.unreadable(Unreadable::SchemaVersion))?;
                if found > SCHEMA_VERSION {
                    return Err(StoreError::Newer {
                        path: self.path.clone(),
                        found,
                    });
                }
                if found == 0 {
                    return Err(self.damaged(Damage::SchemaZero));
                }
                Ok(found)
            }
            None => {
                let anything = self.trees.advisors.iter().next().is_some()
                    || self.trees.entries.iter().next().is_some()
                    || self.trees.items.iter().next().is_some();
                if anything {
                    return Err(self.damaged(Damage::NoSchema));
                }
                self.initialize()?;
                Ok(SCHEMA_VERSION)
            }
        }
    }

    fn initialize(&self) -> Result<()> {
        use crate::domain::CatalogKind;
        let catalogs: Vec<(Vec<u8>, Vec<u8>)> = [CatalogKind::Topic, CatalogKind::Service]
            .into_iter()
            .flat_map(|kind| {
                kind.defaults()
                    .entries
                    .into_iter()
                    .map(move |e| (catalogs::catalog_key(kind, &e.code), codec::encode_json(&e)))
            })
            .collect();
        let me = super::keypair::random_ulid(now_ms())?.0;
        let salt = self.salt_or_new(now_ms())?;
        super::keypair::load_or_create(&self.path)?;
        self.commit_as(me, salt, |tx| {
            tx.meta().insert(
                b"schema".as_slice(),
                keys::id_key(SCHEMA_VERSION).as_slice(),
            )?;
            tx.meta().insert(STORE_ID, me.to_be_bytes().as_slice())?;
            for (k, v) in &catalogs {
                tx.catalogs().insert(k.as_slice(), v.as_slice())?;
                tx.touched(Kind::Catalog, k)?;
            }
            Ok(())
        })
    }
}

/// Now, in milliseconds since 1970: the time part of a new store's id, which records when the
/// store was made (the only clock read below the front ends that is not a date of the ledger).
fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_millis()).ok())
        .unwrap_or(0)
}

/// Runs `f`, turning a panic into its text (if it had one), with the panic hook silenced
/// meanwhile so no panic text reaches the user's terminal.
fn quietly<T>(f: impl FnOnce() -> T) -> std::result::Result<T, Option<String>> {
    // The hook is process-wide: one opener at a time swaps it, so none restores another's.
    static SWAP: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = SWAP.lock().unwrap_or_else(|e| e.into_inner());
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
    })
}
