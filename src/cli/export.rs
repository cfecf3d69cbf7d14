//! `counsel-log export [--format json|csv] FILE`: the whole ledger as JSON (for `restore`), or
//! its entries as CSV in the import format, so a round trip loses nothing. Both are written as
//! the records are read, one at a time, so an export of any size takes the same memory.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::ser::{Error as _, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{Context, CsvHeader, Done, Result, extension, write_file_with};
use crate::domain::intake::{ENTRY_HEADER, column_name};
use crate::domain::{CatalogKind, Entry, Item, ItemId};
use crate::report::csv::Header;
use crate::store::{Head, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// The format a file name asks for: `.json` or `.csv`.
    fn of(path: &Path) -> Option<Format> {
        match extension(path)?.as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: Option<Format>,
    file: PathBuf,
    #[arg(long, value_enum, default_value = "keys")]
    header: CsvHeader,
}

pub fn run(a: &ExportArgs, store: &Store, ctx: &Context) -> Result<String> {
    // An explicit --format wins over the file's extension: the user asked for it.
    let format = a
        .format
        .or_else(|| Format::of(&a.file))
        .unwrap_or(Format::Json);
    let write = |out: &mut dyn Write| match format {
        Format::Json => json(store, out),
        Format::Csv => entries_csv(store, out, a.header.header()),
    };
    if a.file.as_os_str() == "-" {
        let mut text = Vec::new();
        write(&mut text).map_err(|e| e.into_error(&a.file))?;
        return Ok(String::from_utf8_lossy(&text).into_owned());
    }
    let mut entries = 0;
    write_file_with(store, &a.file, |out| {
        entries = write(out).map_err(|e| e.into_error(&a.file))?;
        Ok(())
    })?;
    let done = Done::Exported {
        entries,
        file: &a.file,
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}

/// Why an export stopped.
pub(super) enum Stopped {
    Store(StoreError),
    Write(std::io::Error),
}

impl Stopped {
    /// The command's error, for a file written at `path`.
    pub(super) fn into_error(self, path: &Path) -> super::Error {
        match self {
            Stopped::Store(e) => e.into(),
            Stopped::Write(e) => super::cannot_write(path, &e),
        }
    }
}

impl From<StoreError> for Stopped {
    fn from(e: StoreError) -> Stopped {
        Stopped::Store(e)
    }
}

impl From<std::io::Error> for Stopped {
    fn from(e: std::io::Error) -> Stopped {
        Stopped::Write(e)
    }
}

/// The ledger as one JSON document, pretty-printed, then a newline; how many entries it holds.
/// Its arrays are written element by element as the store is read. An export is the ledger
/// for people and programs: a store's place in its team travels only in backups.
fn json(store: &Store, out: &mut dyn Write) -> std::result::Result<usize, Stopped> {
    let ledger = Ledger {
        store,
        head: store.audit_head_record()?,
        failed: RefCell::new(None),
        entries: RefCell::new(0),
    };
    let written = serde_json::to_writer_pretty(&mut *out, &ledger);
    if let Some(e) = ledger.failed.take() {
        return Err(e.into());
    }
    written.map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(ledger.entries.take())
}

/// The ledger as `export --format json` writes it, read from the store as it is serialised:
/// the fields of a snapshot in its order, then the audit head it was made from (which
/// `restore` reads past).
struct Ledger<'a> {
    store: &'a Store,
    head: Head,
    /// The first error reading the store, which stopped the writing.
    failed: RefCell<Option<StoreError>>,
    entries: RefCell<usize>,
}

impl Ledger<'_> {
    /// The records of `records` as a JSON array, each as it is read; a read that fails stops
    /// the writing, and is kept to be told.
    fn array<'s, T: Serialize>(
        &'s self,
        records: impl Iterator<Item = crate::store::Result<T>> + 's,
    ) -> Streamed<'s, impl Iterator<Item = crate::store::Result<T>> + 's> {
        Streamed {
            records: RefCell::new(Some(records)),
            failed: &self.failed,
        }
    }
}

/// An array written from an iterator of records, once.
struct Streamed<'s, I> {
    records: RefCell<Option<I>>,
    failed: &'s RefCell<Option<StoreError>>,
}

impl<T: Serialize, I: Iterator<Item = crate::store::Result<T>>> Serialize for Streamed<'_, I> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let records = self.records.borrow_mut().take().into_iter().flatten();
        s.collect_seq(records.map(|r| Record {
            record: r,
            failed: self.failed,
        }))
    }
}

/// One record of a [`Streamed`] array, or the error reading it.
struct Record<'s, T> {
    record: crate::store::Result<T>,
    failed: &'s RefCell<Option<StoreError>>,
}

impl<T: Serialize> Serialize for Record<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match &self.record {
            Ok(record) => record.serialize(s),
            Err(e) => {
                self.failed.borrow_mut().get_or_insert_with(|| e.clone());
                Err(S::Error::custom("the store could not be read"))
            }
        }
    }
}

impl Serialize for Ledger<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let store = self.store;
        let catalog = |kind| {
            store.catalog(kind).map(|c| c.entries).map_err(|e| {
                self.failed.borrow_mut().get_or_insert(e);
                S::Error::custom("the store could not be read")
            })
        };
        let (topics, services) = (catalog(CatalogKind::Topic)?, catalog(CatalogKind::Service)?);
        let entries = store
            .each_entry()
            .inspect(|_| *self.entries.borrow_mut() += 1);
        let mut doc = s.serialize_struct("Snapshot", 8)?;
        doc.serialize_field("format", "counsel-log")?;
        doc.serialize_field("version", &1u64)?;
        doc.serialize_field("advisors", &self.array(store.each_advisor()))?;
        doc.serialize_field("topics", &topics)?;
        doc.serialize_field("services", &services)?;
        doc.serialize_field("items", &self.array(store.each_item()))?;
        doc.serialize_field("entries", &self.array(entries))?;
        doc.serialize_field("audit_head", &self.head)?;
        doc.end()
    }
}

/// Hours written exactly: tenths of an hour when they are whole tenths, else minutes.
fn exact_hours(e: &Entry) -> String {
    if e.minutes.0.is_multiple_of(6) {
        e.minutes.hours()
    } else {
        format!("{}m", e.minutes.0)
    }
}

/// How many items' rows an export keeps at hand: entries come by date, and an item's entries
/// mostly lie close together.
const ITEMS_AT_HAND: usize = 4096;

/// The entries in the import format of `import entries`, with the BOM, each row written as its
/// entry is read, under `header` (the file imports back under any: the columns' Chinese names
/// are read as their own); each item goes under what names it in another store (see
/// [`Store::item_key`]). How many entries it holds.
fn entries_csv(
    store: &Store,
    out: &mut dyn Write,
    header: Header,
) -> std::result::Result<usize, Stopped> {
    out.write_all(crate::report::csv::BOM.as_bytes())?;
    let mut w = csv::Writer::from_writer(out);
    let row = |w: &mut csv::Writer<&mut dyn Write>, cells: &[&str]| {
        crate::report::csv::write_row_into(w, cells).map_err(std::io::Error::from)
    };
    row(&mut w, &header_row(ENTRY_HEADER, header))?;
    let mut at_hand: HashMap<ItemId, Option<(Item, String)>> = HashMap::new();
    let mut entries = 0;
    for e in store.each_entry() {
        let e = e?;
        entries += 1;
        if !at_hand.contains_key(&e.item) {
            if at_hand.len() >= ITEMS_AT_HAND {
                at_hand.clear();
            }
            let item = match store.item(e.item)? {
                Some(item) => Some((store.item_key(&item)?, item)),
                None => None,
            };
            at_hand.insert(e.item, item.map(|(key, item)| (item, key)));
        }
        let Some(Some((item, key))) = at_hand.get(&e.item) else {
            continue;
        };
        row(
            &mut w,
            &[
                e.date.to_string().as_str(),
                &e.advisor,
                &exact_hours(&e),
                key,
                &item.title,
                &item.topic,
                &item.service,
                &item.department,
                item.satisfaction.map_or("", |s| s.code()),
                &e.note,
            ],
        )?;
    }
    w.flush()?;
    Ok(entries)
}

/// The header row of an import format (`ENTRY_HEADER`, `ADVISOR_HEADER` and the like): its
/// columns by their keys, or by the names `import` also reads.
pub fn header_row(columns: &str, header: Header) -> Vec<&str> {
    columns
        .split(',')
        .map(|column| match header {
            Header::Keys => column,
            Header::Names(lang) => column_name(column, lang),
        })
        .collect()
}
