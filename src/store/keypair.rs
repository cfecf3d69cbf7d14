//! The store's signing key: an ed25519 key pair whose private half lives in
//! `<store>/identity.key`, readable by its owner alone, so that a bundle signed with it can only
//! have come from this store.
//!
//! The file holds the 32-byte secret key as 64 lowercase hex digits and a newline: text, so that
//! a damaged, emptied or pasted-over file is recognised as such rather than read as some other
//! key. On Unix it is created with mode 0600 from its first byte (never written first and
//! restricted after), and refused later if group or others have any access to it.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use ed25519_dalek::{SECRET_KEY_LENGTH, SigningKey};
use ulid::Ulid;

use crate::domain::Lang;

/// The key file's name inside the store's folder.
pub const KEY_FILE: &str = "identity.key";

/// The most a key file may hold: 64 hex digits and a line end, with room to spare. Anything
/// longer is not a key file, and is not read into memory whole.
const MAX_KEY_FILE_BYTES: u64 = 128;

/// Why the store's signing key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum KeyFault {
    /// There is no key file (from [`load`], which never makes one).
    Missing { path: PathBuf },
    /// The file does not hold a key: not 64 hex digits, or not a plain file.
    Malformed { path: PathBuf },
    /// Group or others may read or write the file (`mode` is its permission bits).
    Exposed { path: PathBuf, mode: u32 },
    /// The disk refused to read or write the file, in the operating system's words.
    Io { path: PathBuf, words: String },
    /// The operating system gave no randomness, in its words.
    NoRandomness { words: String },
}

/// The store's signing key, made and written to `<store_dir>/identity.key` on first use.
///
/// Two processes making a key at once never replace each other's: the file is linked into
/// place only if absent, and the one that finds it there reads the other's key.
pub fn load_or_create(store_dir: &Path) -> Result<SigningKey, KeyFault> {
    match load(store_dir) {
        Err(KeyFault::Missing { .. }) => create(store_dir),
        found => found,
    }
}

/// The store's signing key, read from `<store_dir>/identity.key`; never makes one.
pub fn load(store_dir: &Path) -> Result<SigningKey, KeyFault> {
    read_key(&store_dir.join(KEY_FILE))
}

/// A new id for a store or record made at `unix_ms` (milliseconds since 1970), with 80 random
/// bits: the clock is read by the caller, as everywhere below the front ends.
pub fn random_ulid(unix_ms: u64) -> Result<Ulid, KeyFault> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|e| KeyFault::NoRandomness {
        words: e.to_string(),
    })?;
    Ok(Ulid::from_parts(unix_ms, u128::from_le_bytes(random)))
}

fn read_key(path: &Path) -> Result<SigningKey, KeyFault> {
    let io = |e: std::io::Error| KeyFault::Io {
        path: path.to_path_buf(),
        words: e.to_string(),
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(KeyFault::Missing {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(io(e)),
    };
    // The permissions of the file opened, not of whatever the path names a moment later.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(KeyFault::Malformed {
            path: path.to_path_buf(),
        });
    }
    refuse_exposed(path, &meta)?;
    let mut text = String::new();
    let read = file.take(MAX_KEY_FILE_BYTES + 1).read_to_string(&mut text);
    match read {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::InvalidData => {
            return Err(KeyFault::Malformed {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(io(e)),
    }
    parse_key(&text).ok_or_else(|| KeyFault::Malformed {
        path: path.to_path_buf(),
    })
}

/// The key in a key file's text: exactly 64 hex digits, then at most a line end.
fn parse_key(text: &str) -> Option<SigningKey> {
    let digits = text.strip_suffix('\n').unwrap_or(text);
    let digits = digits.strip_suffix('\r').unwrap_or(digits);
    let mut secret = [0u8; SECRET_KEY_LENGTH];
    hex::decode_to_slice(digits, &mut secret).ok()?;
    Some(SigningKey::from_bytes(&secret))
}

#[cfg(unix)]
fn refuse_exposed(path: &Path, meta: &std::fs::Metadata) -> Result<(), KeyFault> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 == 0 {
        Ok(())
    } else {
        Err(KeyFault::Exposed {
            path: path.to_path_buf(),
            mode,
        })
    }
}

/// Elsewhere the file's access is the folder's access list, which this program does not judge.
#[cfg(not(unix))]
fn refuse_exposed(_path: &Path, _meta: &std::fs::Metadata) -> Result<(), KeyFault> {
    Ok(())
}

/// Makes a key and writes it beside the store: into a private temporary file (fsynced), then
/// linked to its name if that name is still free, then the folder fsynced.
fn create(store_dir: &Path) -> Result<SigningKey, KeyFault> {
    let path = store_dir.join(KEY_FILE);
    let io = |e: std::io::Error| KeyFault::Io {
        path: path.clone(),
        words: e.to_string(),
    };
    let mut secret = [0u8; SECRET_KEY_LENGTH];
    getrandom::fill(&mut secret).map_err(|e| KeyFault::NoRandomness {
        words: e.to_string(),
    })?;
    let key = SigningKey::from_bytes(&secret);
    // Ends in `.tmp`, which the store's protective copy on open leaves out.
    let temp = store_dir.join(format!(".{KEY_FILE}.{}.tmp", std::process::id()));
    let written = write_private(&temp, &format!("{}\n", hex::encode(secret)));
    let placed = written.and_then(|()| place(&temp, &path));
    let _ = std::fs::remove_file(&temp);
    match placed {
        Ok(()) => {
            sync_dir(store_dir).map_err(io)?;
            Ok(key)
        }
        // Another process made the key first: that one is the store's key.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => read_key(&path),
        Err(e) => Err(io(e)),
    }
}

/// Writes `text` to a new file that only its owner may read, and fsyncs it.
fn write_private(file: &Path, text: &str) -> std::io::Result<()> {
    // A file left by an earlier run of this process id that died before cleaning up.
    let _ = std::fs::remove_file(file);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut handle = options.open(file)?;
    handle.write_all(text.as_bytes())?;
    handle.sync_all()
}

/// Gives `temp` the name `path` unless `path` exists (then `AlreadyExists`). A hard link never
/// replaces an existing file, where a rename would silently replace another process's key;
/// a rename is the fallback only on file systems without hard links.
fn place(temp: &Path, path: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(temp, path) {
        Err(e) if e.kind() != ErrorKind::AlreadyExists && !path.exists() => {
            std::fs::rename(temp, path)
        }
        linked => linked,
    }
}

/// Makes the new name durable: without it a crash could leave the store with no key file.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Folders cannot be opened for fsync here; the file system records the name itself.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode_of(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn a_new_key_is_private_and_the_same_on_every_later_call() {
        let dir = tempfile::tempdir().unwrap();
        let made = load_or_create(dir.path()).unwrap();
        let path = dir.path().join(KEY_FILE);
        #[cfg(unix)]
        assert_eq!(mode_of(&path), 0o600);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, format!("{}\n", hex::encode(made.to_bytes())));
        assert_eq!(
            load_or_create(dir.path()).unwrap().to_bytes(),
            made.to_bytes()
        );
        assert_eq!(load(dir.path()).unwrap().to_bytes(), made.to_bytes());
        // No temporary file is left beside the store.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [KEY_FILE]);
    }

    #[test]
    fn two_stores_get_different_keys() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (a, b) = (load_or_create(a.path()), load_or_create(b.path()));
        assert_ne!(a.unwrap().to_bytes(), b.unwrap().to_bytes());
    }

    #[test]
    fn load_never_makes_a_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        assert_eq!(
            load(dir.path()).unwrap_err(),
            KeyFault::Missing { path: path.clone() }
        );
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_may_read_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let made = load_or_create(dir.path()).unwrap();
        let path = dir.path().join(KEY_FILE);
        for mode in [0o640, 0o604, 0o644, 0o620, 0o602] {
            set_mode(&path, mode);
            let refused = KeyFault::Exposed {
                path: path.clone(),
                mode,
            };
            assert_eq!(load(dir.path()).unwrap_err(), refused);
            assert_eq!(load_or_create(dir.path()).unwrap_err(), refused);
            assert!(
                refused
                    .message(Lang::En)
                    .contains(&format!("chmod 600 {}", path.display()))
            );
            assert!(refused.message(Lang::Zh).contains("chmod 600"));
        }
        set_mode(&path, 0o400);
        assert_eq!(load(dir.path()).unwrap().to_bytes(), made.to_bytes());
    }

    #[test]
    fn a_malformed_key_file_is_refused_and_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        let short = "ab".repeat(31);
        let long = "ab".repeat(33);
        let spaced = format!(" {}", "ab".repeat(32));
        let not_hex = "zz".repeat(32);
        let huge = "a".repeat(4096);
        let garbage: [&[u8]; 7] = [
            b"",
            short.as_bytes(),
            long.as_bytes(),
            spaced.as_bytes(),
            not_hex.as_bytes(),
            huge.as_bytes(),
            &[0xff; 64],
        ];
        for bytes in garbage {
            std::fs::write(&path, bytes).unwrap();
            #[cfg(unix)]
            set_mode(&path, 0o600);
            let refused = KeyFault::Malformed { path: path.clone() };
            assert_eq!(load(dir.path()).unwrap_err(), refused);
            assert_eq!(load_or_create(dir.path()).unwrap_err(), refused);
            assert_eq!(
                std::fs::read(&path).unwrap(),
                bytes,
                "the file is left as found"
            );
        }
    }

    #[test]
    fn a_folder_in_place_of_the_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(KEY_FILE);
        std::fs::create_dir(&path).unwrap();
        #[cfg(unix)]
        set_mode(&path, 0o700);
        assert_eq!(
            load_or_create(dir.path()).unwrap_err(),
            KeyFault::Malformed { path }
        );
    }

    #[test]
    fn a_key_file_written_on_windows_reads_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let made = load_or_create(dir.path()).unwrap();
        let path = dir.path().join(KEY_FILE);
        std::fs::write(&path, format!("{}\r\n", hex::encode(made.to_bytes()))).unwrap();
        assert_eq!(load(dir.path()).unwrap().to_bytes(), made.to_bytes());
    }

    #[test]
    fn a_missing_store_folder_is_an_io_fault() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("no-such-store");
        let fault = load_or_create(&gone).unwrap_err();
        assert!(matches!(fault, KeyFault::Io { .. }), "{fault:?}");
    }

    #[test]
    fn random_ids_carry_their_time_and_differ() {
        let (a, b) = (
            random_ulid(1_700_000_000_000),
            random_ulid(1_700_000_000_000),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.timestamp_ms(), 1_700_000_000_000);
        assert_ne!(a, b);
    }
}
