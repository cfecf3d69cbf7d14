//! Opening the store: behind the guard copy, watched for a hang, then the schema check.

use std::path::Path;
use std::sync::OnceLock;

use super::error::{io_error, open_error, sled_error};
use super::ident::{self, Kind};
use super::{CACHE_BYTES, CloseRecord, Layout, Result, SCHEMA_VERSION, Store, StoreError, Trees};
use super::{Damage, GID_SALT, IoFault, STORE_ID, Unreadable, catalogs, codec, guard, keys};
use super::{Head, Watch};
use crate::domain::Lang;

/// How long opening may take before the store is reported as damaged:
/// `COUNSEL_LOG_OPEN_TIMEOUT` seconds, default 20.
fn open_timeout() -> std::time::Duration {
    let secs = std::env::var("COUNSEL_LOG_OPEN_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    std::time::Duration::from_secs(secs)
}

/// What a session means to do with the store it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// It may change the store: the interface, and every command that writes.
    Change,
    /// It only reads (a report, a list, an export): it writes nothing of its own, not even the
    /// record of a clean close, which it leaves true; sled runs no flusher for it.
    Read,
    /// `verify`: it only reads, and looks again at a store with damage on record.
    Verify,
}

/// Says that a store did not open in time, as the front end says errors.
type SlowOpenHook = Box<dyn Fn(&StoreError) + Send + Sync>;

static SLOW_OPEN: OnceLock<SlowOpenHook> = OnceLock::new();

/// How a store that does not open in time is reported. The thread opening it is stuck inside
/// sled and can return nothing, so the watchdog reports it this way and ends the process with
/// status 1; without a hook the message goes to stderr in English. Set once, by the front end.
pub fn on_slow_open(say: impl Fn(&StoreError) + Send + Sync + 'static) {
    let _ = SLOW_OPEN.set(Box::new(say));
}

/// Watches sled opening a store on the calling thread, which can hang on a damaged file: when
/// it has not opened within the time allowed, the copy taken before opening is removed (sled
/// may still be writing the store's own files, which are not ours to touch), the hook says so
/// and the process ends. Dropping the returned sender ends the watch.
fn watchdog(path: &Path, copy: Option<&Path>) -> std::sync::mpsc::Sender<()> {
    let (done, opened) = std::sync::mpsc::channel::<()>();
    let limit = open_timeout();
    let path = path.to_path_buf();
    let copy = copy.map(Path::to_path_buf);
    // Without a thread to spare, the store opens unwatched.
    let _ = std::thread::Builder::new().spawn(move || {
        if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = opened.recv_timeout(limit) {
            if let Some(copy) = copy {
                let _ = std::fs::remove_dir_all(copy);
            }
            let slow = StoreError::SlowOpen {
                path,
                secs: limit.as_secs(),
            };
            match SLOW_OPEN.get() {
                Some(say) => say(&slow),
                None => eprintln!("counsel-log: {}", slow.message(Lang::En)),
            }
            std::process::exit(1);
        }
    });
    done
}

impl Store {
    /// Opens (or creates) the store at `path`. A store in use, from a newer version or damaged
    /// gives its own error; a panic inside sled becomes a "damaged" error, never a crash.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_watched(path, None, Intent::Change)
    }

    /// [`Store::open`], remembering what it finds in `watch`'s state file (when given): a store
    /// with damage on record, or that vanished, is refused before anything is opened; a store
    /// holding fewer changes than were last seen is damaged. `intent` says what the session
    /// will do: [`Intent::Verify`] looks again at a store with damage on record, and writes
    /// nothing of its own.
    pub fn open_watched(path: &Path, watch: Option<Watch>, intent: Intent) -> Result<Store> {
        let verifying = intent == Intent::Verify;
        if let Some(watch) = &watch {
            watch.before_open(verifying)?;
        }
        let stop = |e: StoreError| match &watch {
            Some(watch) => watch.stop(e),
            None => e,
        };
        let seen = watch.as_ref().and_then(Watch::head_seen);
        let mut store = Store::open_guarded(path, seen.as_ref(), intent).map_err(stop)?;
        let head = store.audit_head_record().map_err(stop)?;
        if let Some(watch) = &watch {
            let id = (store.me != 0).then(|| store.store_id().to_string());
            watch.seen_healthy(&head, id);
        }
        store.watch = watch;
        Ok(store)
    }

    fn open_guarded(path: &Path, seen: Option<&Head>, intent: Intent) -> Result<Store> {
        if path.exists() && !path.is_dir() {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                what: IoFault::NotAFolder,
            });
        }
        // Any file in the folder makes it an existing store, even one that lost its `db`.
        let existing = std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_some());
        // A store is made by the first session that changes it, never by one that only reads
        // (a mistyped folder would otherwise read as an empty ledger, and be left behind).
        if !existing && intent != Intent::Change {
            return Err(StoreError::NoLedger {
                path: path.to_path_buf(),
            });
        }
        // A migration stopped while its new files were swapped in is finished first.
        if existing {
            match super::rewrite::finish_interrupted(path) {
                Ok(super::rewrite::Found::Busy) => return Err(super::rewrite::busy(path)),
                Ok(super::rewrite::Found::Damaged(file)) => {
                    return Err(StoreError::Damaged {
                        path: path.to_path_buf(),
                        what: Damage::SwapDamaged(file.display().to_string()),
                    });
                }
                Ok(_) => {}
                Err(e) => return Err(io_error(path, &e)),
            }
        }
        if existing && guard::locked_elsewhere(path) {
            return Err(StoreError::InUse {
                path: path.to_path_buf(),
            });
        }
        // Unless the files are as the last clean close of this version left them, keep a copy
        // to put back should this open (or the session) find damage or refuse the store: sled
        // writes as it opens, and a refused store is left exactly as it was found.
        let recorded = existing
            .then(|| guard::closed_cleanly(path, SCHEMA_VERSION))
            .flatten();
        let copy = if existing && recorded.is_none() {
            Some(guard::Guard::take(path).map_err(|e| io_error(path, &e))?)
        } else {
            None
        };
        let opened = Store::open_unguarded(path, seen, intent, copy.as_ref());
        match (opened, copy) {
            (Ok(mut store), copy) => {
                if intent == Intent::Change {
                    store.closing.closed_before = guard::forget_close(path);
                } else {
                    // A session that only reads leaves the record where it is.
                    store.closing.reading = true;
                    store.closing.kept = recorded.and_then(|recorded| {
                        let opened = guard::state(path, SCHEMA_VERSION).ok()?;
                        Some(guard::Kept { recorded, opened })
                    });
                }
                *store
                    .closing
                    .before_open
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = copy;
                Ok(store)
            }
            // Another process holds the files: they are not ours to touch.
            (Err(e @ StoreError::InUse { .. }), Some(copy)) => {
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

    fn open_unguarded(
        path: &Path,
        seen: Option<&Head>,
        intent: Intent,
        copy: Option<&guard::Guard>,
    ) -> Result<Store> {
        let config = sled_config(path, intent);
        // On this thread, with a watchdog beside it: sled's tables are built in the heap the
        // rest of the process uses, not in a new arena grown for a thread of their own.
        let watch = watchdog(path, copy.map(guard::Guard::copy_path));
        let opened = quietly(|| config.open());
        drop(watch);
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
        let trees = layout(&db)
            .and_then(|layout| Trees::open(&db, layout))
            .map_err(|e| sled_error(path, e))?;
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
        store.check_head(seen, intent == Intent::Verify)?;
        if schema >= 2 {
            // Before the recovery: the identities it takes back are found by the ids they
            // derive from the store's id and salt.
            store.me = store.read_store_id()?;
            store.salt = store.read_salt()?;
        }
        store.recover()?;
        store.migration_due = schema < SCHEMA_VERSION;
        if intent == Intent::Change && !store.migration_due {
            store.drop_unpacked()?;
        }
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
            .insert(GID_SALT, salt.to_be_bytes())
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
                // Records gone from the start of the log (a lost snapshot, a cleared file) leave
                // no schema either: the side file still counts the changes saved, and a new
                // ledger is never begun over them.
                if let Some(file) = self.head_file()?
                    && file.count > 0
                {
                    return Err(self.damaged(Damage::ChangesLost {
                        trail: 0,
                        saved: file.count,
                    }));
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

/// The zstd level of a compressed store's log: zstd's own default, which writes a
/// 1,000,000-entry ledger in well under half the space at little cost in time. Level 1 writes
/// the same space and imports 4% faster, but its stores open slower: a whole-history report of
/// 100,000 entries took 30.0 ms against 25.9 (sled's snapshot of where pages lie came out 101
/// KB against 70).
const COMPRESSION_LEVEL: i32 = 3;

/// Whether the store at `path` keeps its log compressed, as its `conf` says (sled records there
/// how the files were made, and refuses to open them otherwise). Stores made before schema 7
/// are not, until their migration rewrites them; a new store is.
fn compressed(path: &Path) -> bool {
    let says = |conf: &[u8], setting: &[u8]| conf.windows(setting.len()).any(|w| w == setting);
    match std::fs::read(path.join("conf")) {
        Ok(conf) if says(&conf, b"use_compression: true") => true,
        Ok(conf) if says(&conf, b"use_compression: false") => false,
        // No `conf` that says (lost, emptied, garbled: sled writes it afresh from the settings
        // it is given): the log itself tells, as every compressed record begins with zstd's
        // magic number. A missing or empty log is a new store.
        _ => log_compressed(&path.join("db")).unwrap_or(true),
    }
}

/// Whether the log's first segment holds zstd frames; `None` when there is no log to read.
fn log_compressed(db: &Path) -> Option<bool> {
    use std::io::Read;
    const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
    let mut head = Vec::new();
    std::fs::File::open(db)
        .ok()?
        .take(512 * 1024)
        .read_to_end(&mut head)
        .ok()?;
    if head.iter().all(|b| *b == 0) {
        return None;
    }
    // A few may turn up by chance among an uncompressed log's hashes and keys; a compressed
    // log has one a record.
    Some(head.windows(4).filter(|w| *w == ZSTD_MAGIC).count() >= 8)
}

/// How sled opens the store at `path` for a session that means `intent`.
pub(super) fn sled_config(path: &Path, intent: Intent) -> sled::Config {
    let config = sled::Config::new()
        .path(path)
        .cache_capacity(CACHE_BYTES)
        .use_compression(compressed(path))
        .compression_factor(COMPRESSION_LEVEL);
    if intent == Intent::Change {
        config
    } else {
        // Its periodic flush (and the log cleaning it does) would write in a session that
        // changes nothing; every change is flushed and synced as it is saved anyway.
        config.flush_every_ms(None)
    }
}

/// The layout the store's schema number gives (every new store's is the current one). A
/// store without a schema number whose plain trees hold records opens plain, so that the
/// schema check finds them and names the damage instead of starting a new ledger over them.
pub(super) fn layout(db: &sled::Db) -> sled::Result<Layout> {
    let schema = db.open_tree("meta")?.get(b"schema")?;
    match schema {
        // A number that does not read is named by the schema check.
        Some(v) => Ok(keys::parse_id(&v).map_or(Layout::Packed, Layout::of)),
        None => {
            for name in ["advisors", "entries", "items"] {
                let names = db.tree_names();
                if names.iter().any(|n| n.as_ref() == name.as_bytes())
                    && !db.open_tree(name)?.is_empty()
                {
                    return Ok(Layout::Plain);
                }
            }
            Ok(Layout::Packed)
        }
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
    result.map_err(|p| crate::domain::strings::panic_words(&*p).map(str::to_owned))
}
