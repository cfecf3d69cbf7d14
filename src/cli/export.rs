//! `counsel-log export [--format json|csv] FILE`: the whole ledger as JSON (for `restore`), or
//! its entries as CSV in the import format, so a round trip loses nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Context, CsvHeader, Done, Result, extension, write_file};
use crate::domain::intake::{ENTRY_HEADER, column_name};
use crate::domain::{Entry, Item, ItemId};
use crate::report::csv::{Header, write_row};
use crate::store::{Snapshot, Store};

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
    // An export is the ledger for people and programs; a store's place in its team travels
    // only in backups.
    let snapshot = crate::store::Snapshot {
        team: Vec::new(),
        ..store.snapshot()?
    };
    let text = match format {
        Format::Json => {
            // The head it was made from rides beside the ledger; `restore` reads past it.
            let value = serde_json::to_value(&snapshot).unwrap_or_default();
            let value = crate::report::json::with_head(value, &store.audit_head_record()?);
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )
        }
        Format::Csv => {
            let keys = snapshot
                .items
                .iter()
                .map(|item| Ok((item.id, store.item_key(item)?)))
                .collect::<crate::store::Result<HashMap<ItemId, String>>>()?;
            entries_csv(&snapshot, &keys, a.header.header())
        }
    };
    if a.file.as_os_str() == "-" {
        return Ok(text);
    }
    write_file(&a.file, text.as_bytes())?;
    let done = Done::Exported {
        entries: snapshot.entries.len(),
        file: &a.file,
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}

/// Hours written exactly: tenths of an hour when they are whole tenths, else minutes.
fn exact_hours(e: &Entry) -> String {
    if e.minutes.0.is_multiple_of(6) {
        e.minutes.hours()
    } else {
        format!("{}m", e.minutes.0)
    }
}

/// The entries in the import format of `import entries`, with the BOM; `keys` holds what
/// each item goes under in the `item` column (see [`Store::item_key`]). Under any header the
/// file imports back as it is: the columns' Chinese names are read as their own.
pub fn entries_csv(snapshot: &Snapshot, keys: &HashMap<ItemId, String>, header: Header) -> String {
    let items: HashMap<ItemId, &Item> = snapshot.items.iter().map(|i| (i.id, i)).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    write_row(&mut w, header_row(ENTRY_HEADER, header));
    for e in &snapshot.entries {
        let (Some(item), Some(key)) = (items.get(&e.item), keys.get(&e.item)) else {
            continue;
        };
        write_row(
            &mut w,
            [
                e.date.to_string().as_str(),
                &e.advisor,
                &exact_hours(e),
                key,
                &item.title,
                &item.topic,
                &item.service,
                &item.department,
                item.satisfaction.map_or("", |s| s.code()),
                &e.note,
            ],
        );
    }
    crate::report::csv::finish(w)
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
