//! `counsel-log export [--format json|csv] FILE`: the whole ledger as JSON (for `restore`), or
//! its entries as CSV in the import format, so a round trip loses nothing.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Context, Result, count, write_file};
use crate::domain::import::ENTRY_HEADER;
use crate::domain::{Entry, Item, ItemId, Lang};
use crate::store::{Snapshot, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    /// The file to write; `-` prints to the terminal
    file: PathBuf,
}

pub fn run(a: ExportArgs, store: &Store, ctx: &Context) -> Result<String> {
    let snapshot = store.snapshot()?;
    let text = match a.format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&snapshot).unwrap_or_default()
        ),
        Format::Csv => entries_csv(&snapshot),
    };
    if a.file.as_os_str() == "-" {
        return Ok(text);
    }
    // Excel reads a UTF-8 CSV as Chinese only when it starts with a BOM.
    let bom = if a.format == Format::Csv {
        "\u{feff}"
    } else {
        ""
    };
    write_file(&a.file, format!("{bom}{text}").as_bytes(), ctx.lang)?;
    let (n, file) = (snapshot.entries.len(), a.file.display());
    Ok(match ctx.lang {
        Lang::Zh => format!("已导出 {n} 条记录到 {file}。\n"),
        Lang::En => format!("Exported {} to {file}.\n", count(n, "entry", "entries")),
    })
}

/// Hours written exactly: tenths of an hour when they are whole tenths, else minutes.
fn exact_hours(e: &Entry) -> String {
    if e.minutes.0.is_multiple_of(6) {
        e.minutes.hours()
    } else {
        format!("{}m", e.minutes.0)
    }
}

/// The entries in the import format of `import entries`.
pub fn entries_csv(snapshot: &Snapshot) -> String {
    let items: HashMap<ItemId, &Item> = snapshot.items.iter().map(|i| (i.id, i)).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(ENTRY_HEADER.split(','));
    for e in &snapshot.entries {
        let Some(item) = items.get(&e.item) else {
            continue;
        };
        let _ = w.write_record([
            e.date.to_string().as_str(),
            &e.advisor,
            &exact_hours(e),
            item.reference_key(),
            &item.title,
            &item.topic,
            &item.service,
            &item.department,
            item.satisfaction.map_or("", |s| s.code()),
            &e.note,
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
