//! `counsel-log report`: a period's tally as a table, CSV, JSON or Markdown, or the workbook of
//! every grouping.

use std::path::{Path, PathBuf};

use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};

use super::{Context, Error, Result, extension, period, write_file};
use crate::domain::{GroupBy, Lang};
use crate::report::{self, Gatherer, Names, ReportError};
use crate::store::Store;

/// `--by` takes a grouping's code, spelled as reports and JSON spell it.
impl ValueEnum for GroupBy {
    fn value_variants<'a>() -> &'a [GroupBy] {
        &GroupBy::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.code()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Md,
    /// A workbook: the report, a sheet per grouping and the entries (written with `--out`).
    Xlsx,
}

impl Format {
    /// The format a file name asks for: `.csv`, `.json`, `.md` (or `.markdown`), `.txt`,
    /// `.xlsx`.
    fn of(path: &Path) -> Option<Format> {
        match extension(path)?.as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Md),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// 2024, 2024-03, 2024-Q1 or 2024-01-01..2024-06-30 [default: this month]
    #[arg(long)]
    period: Option<String>,
    #[arg(long, value_enum, default_value = "advisor")]
    by: GroupBy,
    /// table, csv, json, md or xlsx (a workbook of every grouping and the entries; needs --out)
    /// [default: from the --out file's extension (.csv, .json, .md, .txt, .xlsx), else table]
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write to this file instead of printing
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(a: ReportArgs, store: &Store, ctx: &Context) -> Result<String> {
    let lang = ctx.lang;
    let period = period(a.period.as_deref(), ctx)?;
    let format = format(&a, lang)?;
    let names = Names::read(store)?;
    let labels = names.labels(lang);
    let gatherer = Gatherer::new(store, &labels, period);
    if format == Format::Xlsx {
        let Some(path) = a.out else {
            return Err(Error::Input(ReportMessage::WorkbookNotPrinted.text(lang)));
        };
        let gathered = gatherer.report(&GroupBy::ALL)?;
        let bytes = report::xlsx::workbook(store, &names, &gathered, lang)
            .map_err(|e| command_error(e, lang))?;
        write_file(&path, &bytes, lang)?;
        return Ok(ReportMessage::WroteWorkbook(&path).text(lang));
    }
    let t = gatherer.tally(a.by)?;
    let text = match format {
        Format::Json => report::json::tally(&t),
        Format::Csv => report::csv::tally(&t),
        Format::Md => report::markdown::tally(&t, lang),
        Format::Table | Format::Xlsx => report::table::tally(&t, lang),
    };
    match a.out {
        None => Ok(text),
        Some(path) => {
            write_file(&path, text.as_bytes(), lang)?;
            Ok(ReportMessage::Wrote(&path).text(lang))
        }
    }
}

/// The format asked for: `--format`, else the `--out` file's extension, else a table.
fn format(a: &ReportArgs, lang: Lang) -> Result<Format> {
    // An old spreadsheet extension would get a text table Excel refuses to open.
    if a.format.is_none()
        && let Some(ext) = a.out.as_deref().and_then(extension)
        && matches!(ext.as_str(), "xls" | "xlsm" | "ods" | "et")
    {
        return Err(Error::Input(
            ReportMessage::OldSpreadsheet { ext: &ext }.text(lang),
        ));
    }
    // An explicit --format wins over the file's extension: the user asked for it.
    Ok(a.format
        .or_else(|| a.out.as_deref().and_then(Format::of))
        .unwrap_or(Format::Table))
}

/// A report's failure as the command's: the store's as it is, the workbook's in words.
fn command_error(e: ReportError, lang: Lang) -> Error {
    match e {
        ReportError::Store(e) => Error::Store(e),
        e @ ReportError::Workbook(_) => Error::Input(e.message(lang)),
    }
}

/// What `report` says besides the report itself.
enum ReportMessage<'a> {
    /// `--out` names an old spreadsheet format and no `--format` was given.
    OldSpreadsheet {
        ext: &'a str,
    },
    WorkbookNotPrinted,
    WroteWorkbook(&'a Path),
    Wrote(&'a Path),
}

impl ReportMessage<'_> {
    fn text(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            ReportMessage::OldSpreadsheet { ext } => (
                format!(
                    "不能写成 .{ext} 文件：工作簿请用 .xlsx（如 --out 2024.xlsx），或用 --format 指定格式"
                ),
                format!(
                    "cannot write a .{ext} file: for a workbook use .xlsx (e.g. --out 2024.xlsx), or choose a --format"
                ),
            ),
            ReportMessage::WorkbookNotPrinted => (
                "xlsx 工作簿不能显示在终端上：请用 --out 指定文件，如 --out 2024.xlsx".to_string(),
                "a workbook cannot be printed to the terminal: name a file with --out, e.g. --out 2024.xlsx".to_string(),
            ),
            ReportMessage::WroteWorkbook(path) => (
                format!("已写入工作簿 {}。\n", path.display()),
                format!("Wrote the workbook {}.\n", path.display()),
            ),
            ReportMessage::Wrote(path) => (
                format!("已写入 {}。\n", path.display()),
                format!("Wrote {}.\n", path.display()),
            ),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
