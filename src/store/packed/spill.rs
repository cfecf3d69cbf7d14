//! The records a large write gathers for trees whose blocks it touches all over (those keyed
//! by hashes), so that each of their blocks is written once for the whole write. They wait in
//! memory until they pass [`IN_MEMORY`] bytes, then in one anonymous file beside the store,
//! split by block into [`PARTS`] parts: each part's records gather in a buffer of its own and
//! go to the file a [`CHUNK`] at a time, and each part is read back, chunk by chunk, and
//! written as one batch. A write of a million entries thus holds a sixteenth of those records
//! at a time, not all of them, and one file a tree.

use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::Path;

use super::{Blocking, PackedBatch, fnv1a, read_field, write_varint};

/// How many parts the spilled records are split into.
const PARTS: usize = 16;

/// The bytes of keys and values kept in memory before they go to the file (a few KiB in the
/// library's own tests, so that every large write there goes through it).
const IN_MEMORY: usize = if cfg!(test) { 4 << 10 } else { 16 << 20 };

/// The bytes of one part's records written to the file at a time.
const CHUNK: usize = if cfg!(test) { 1 << 10 } else { 256 << 10 };

/// Records gathered for one tree, in memory, then in a file.
#[derive(Default)]
pub(in crate::store) struct Gathered {
    batch: PackedBatch,
    spilled: Option<Spilled>,
}

/// The file of a tree's spilled records, and where each part's chunks lie in it.
struct Spilled {
    file: File,
    end: u64,
    /// Each part's records not yet written.
    waiting: Vec<Vec<u8>>,
    /// Each part's chunks in the file: offset and length.
    chunks: Vec<Vec<(u64, usize)>>,
}

impl Spilled {
    fn new(dir: &Path) -> std::io::Result<Spilled> {
        Ok(Spilled {
            file: tempfile::tempfile_in(dir)?,
            end: 0,
            waiting: vec![Vec::new(); PARTS],
            chunks: vec![Vec::new(); PARTS],
        })
    }

    /// Writes what waits of `part` at the end of the file.
    fn write_out(&mut self, part: usize) -> std::io::Result<()> {
        let waiting = &mut self.waiting[part];
        if waiting.is_empty() {
            return Ok(());
        }
        self.file.seek(SeekFrom::Start(self.end))?;
        self.file.write_all(waiting)?;
        self.chunks[part].push((self.end, waiting.len()));
        self.end += waiting.len() as u64;
        waiting.clear();
        Ok(())
    }

    /// The bytes of `part`'s records, read back from its chunks.
    fn read_back(&mut self, part: usize) -> std::io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        for &(at, len) in &self.chunks[part] {
            self.file.seek(SeekFrom::Start(at))?;
            let from = bytes.len();
            bytes.resize(from + len, 0);
            self.file.read_exact(&mut bytes[from..])?;
        }
        Ok(bytes)
    }
}

impl Gathered {
    /// Adds `batch`'s writes; once they are many, they go to a file in `dir`, split by the
    /// block `blocking` gives each key (by the key itself in a tree of one record a key).
    pub(in crate::store) fn absorb(
        &mut self,
        batch: PackedBatch,
        blocking: Option<Blocking>,
        dir: &Path,
    ) -> std::io::Result<()> {
        self.batch.extend(batch);
        if self.batch.bytes.len() >= IN_MEMORY {
            self.spill(blocking, dir)?;
        }
        Ok(())
    }

    fn spill(&mut self, blocking: Option<Blocking>, dir: &Path) -> std::io::Result<()> {
        let spilled = match &mut self.spilled {
            Some(spilled) => spilled,
            None => self.spilled.insert(Spilled::new(dir)?),
        };
        let batch = std::mem::take(&mut self.batch);
        for (key, value) in batch.iter() {
            let part = part_of(blocking, key);
            let out = &mut spilled.waiting[part];
            write_varint(out, key.len());
            out.extend_from_slice(key);
            // A length one more than the value's, zero for a write that takes the key out.
            match value {
                Some(value) => {
                    write_varint(out, value.len() + 1);
                    out.extend_from_slice(value);
                }
                None => write_varint(out, 0),
            }
            if out.len() >= CHUNK {
                spilled.write_out(part)?;
            }
        }
        Ok(())
    }

    /// The writes gathered, as batches to write one after another, in the order made within
    /// each: one batch when they never left memory, else one a part, each read back as it is
    /// asked for.
    pub(in crate::store) fn into_batches(
        mut self,
        blocking: Option<Blocking>,
        dir: &Path,
    ) -> std::io::Result<impl Iterator<Item = std::io::Result<PackedBatch>>> {
        if self.spilled.is_none() {
            let batch = std::mem::take(&mut self.batch);
            return Ok(Parts::InMemory(Some(batch)));
        }
        self.spill(blocking, dir)?;
        let mut spilled = self
            .spilled
            .take()
            .ok_or_else(|| std::io::Error::other("the spilled records are gone"))?;
        for part in 0..PARTS {
            spilled.write_out(part)?;
        }
        spilled.waiting = Vec::new();
        Ok(Parts::Spilled { spilled, next: 0 })
    }
}

/// The batches of [`Gathered::into_batches`].
enum Parts {
    InMemory(Option<PackedBatch>),
    Spilled { spilled: Spilled, next: usize },
}

impl Iterator for Parts {
    type Item = std::io::Result<PackedBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Parts::InMemory(batch) => batch.take().map(Ok),
            Parts::Spilled { spilled, next } => {
                if *next >= PARTS {
                    return None;
                }
                let part = *next;
                *next += 1;
                Some(spilled.read_back(part).and_then(|bytes| read_part(&bytes)))
            }
        }
    }
}

/// The part of the block that holds `key`: its block key's FNV-1a hash, so a block's records
/// all go to one part.
fn part_of(blocking: Option<Blocking>, key: &[u8]) -> usize {
    let block = blocking.map_or_else(|| key.to_vec(), |rule| rule.block_of(key));
    usize::try_from(fnv1a(&block) % PARTS as u64).unwrap_or(0)
}

/// The writes of a part's file, as [`Gathered::spill`] wrote them.
fn read_part(bytes: &[u8]) -> std::io::Result<PackedBatch> {
    let unreadable = || std::io::Error::new(std::io::ErrorKind::InvalidData, "a spilled part");
    let mut batch = PackedBatch::default();
    let mut at = 0;
    while at < bytes.len() {
        let (key_at, key_len) = read_field(bytes, &mut at).ok_or_else(unreadable)?;
        let key = &bytes[key_at..key_at + key_len];
        match super::read_varint(bytes, &mut at).ok_or_else(unreadable)? {
            0 => batch.remove(key),
            n => {
                let end = at.checked_add(n - 1).filter(|end| *end <= bytes.len());
                let end = end.ok_or_else(unreadable)?;
                batch.insert(key, &bytes[at..end]);
                at = end;
            }
        }
    }
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(blocking: Blocking) -> (sled::Db, super::super::Packed) {
        let db = sled::Config::new().temporary(true).open().unwrap();
        let tree = db.open_tree("t").unwrap();
        (db, super::super::Packed::new(tree, blocking))
    }

    /// More than [`IN_MEMORY`] bytes of records, in a few batches with a key written twice and
    /// one taken out, read back part by part into a hashed tree: every record as last written.
    #[test]
    fn records_spilled_to_files_come_back_as_last_written() {
        let dir = tempfile::tempdir().unwrap();
        let blocking = Blocking::Hashed {
            tagged: &[],
            bits: 12,
        };
        let (_db, packed) = scratch(blocking);
        let mut gathered = Gathered::default();
        let value = |n: u32| format!("{n:0>200}").into_bytes();
        let count = u32::try_from(IN_MEMORY / 200 + 2_000).unwrap();
        for chunk in (0..count).collect::<Vec<_>>().chunks(10_000) {
            let mut batch = PackedBatch::default();
            for n in chunk {
                batch.insert(n.to_be_bytes(), value(*n));
            }
            gathered.absorb(batch, Some(blocking), dir.path()).unwrap();
        }
        assert!(gathered.spilled.is_some(), "the records went to a file");
        let mut last = PackedBatch::default();
        last.insert(7u32.to_be_bytes(), b"seven".as_slice());
        last.remove(8u32.to_be_bytes());
        gathered.absorb(last, Some(blocking), dir.path()).unwrap();
        let mut batches = 0;
        for batch in gathered.into_batches(Some(blocking), dir.path()).unwrap() {
            packed.apply_batch(batch.unwrap()).unwrap();
            batches += 1;
        }
        assert_eq!(batches, PARTS);
        assert_eq!(packed.len().unwrap(), usize::try_from(count).unwrap() - 1);
        assert_eq!(packed.get(7u32.to_be_bytes()).unwrap().unwrap(), b"seven");
        assert_eq!(packed.get(8u32.to_be_bytes()).unwrap(), None);
        assert_eq!(packed.get(9u32.to_be_bytes()).unwrap().unwrap(), value(9));
        assert!(
            std::fs::read_dir(dir.path()).unwrap().next().is_none(),
            "no file is left"
        );
    }
}
