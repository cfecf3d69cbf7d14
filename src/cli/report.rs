//! `counsel-log report`: a period's tally as a table, CSV, JSON or Markdown, or the workbook of
//! every grouping, or the Word report.

use std::path::{Path, PathBuf};
use strum::VariantArray;

use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};

use super::{Context, CsvHeader, Done, Refusal, Result, extension, period_in, write_file};
use crate::domain::{GroupBy, Rounding};
use crate::report::{self, Gatherer, Names};
use crate::store::Store;

/// `--by` takes a grouping's code, spelled as reports and JSON spell it.
impl ValueEnum for GroupBy {
    fn value_variants<'a>() -> &'a [GroupBy] {
        GroupBy::VARIANTS
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
    // A workbook: the report, a sheet per grouping and the entries (written with `--out`).
    Xlsx,
    // A Word document: the title, paragraph and tables by category, topic, service and
    // department (written with `--out`).
    Docx,
}

impl Format {
    /// The format a file name asks for: `.csv`, `.json`, `.md` (or `.markdown`), `.txt`,
    /// `.xlsx`, `.docx`.
    fn of(path: &Path) -> Option<Format> {
        match extension(path)?.as_str() {
            "xlsx" => Some(Format::Xlsx),
            "docx" => Some(Format::Docx),
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
    #[arg(long)]
    period: Option<String>,
    #[arg(long, value_enum, default_value = "advisor")]
    by: GroupBy,
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[arg(long)]
    out: Option<PathBuf>,
    #[arg(long)]
    apportion: bool,
    #[arg(long, value_enum, default_value = "keys")]
    header: CsvHeader,
}

pub fn run(a: ReportArgs, store: &Store, ctx: &Context) -> Result<String> {
    let lang = ctx.lang;
    let period = period_in(a.period.as_deref(), ctx, store)?;
    let format = format(&a)?;
    let rounding = if a.apportion || ctx.config.apportion {
        Rounding::Apportioned
    } else {
        Rounding::EachRow
    };
    // `--out -` prints, as `export -` does; a file named `-` is never what was meant.
    let out = a.out.filter(|p| p.as_os_str() != "-");
    let names = Names::read(store)?;
    let labels = names.labels(lang);
    let gatherer = Gatherer::new(store, &labels, period);
    if format == Format::Xlsx {
        let Some(path) = out else {
            return Err(Refusal::WorkbookNotPrinted.into());
        };
        let gathered = gatherer.report(GroupBy::VARIANTS)?.rounded(rounding);
        let bytes = report::xlsx::workbook(store, &names, &gathered, lang)?;
        write_file(store, &path, &bytes)?;
        return Ok(format!("{}\n", Done::WroteWorkbook(&path).message(lang)));
    }
    if format == Format::Docx {
        let Some(path) = out else {
            return Err(Refusal::DocumentNotPrinted.into());
        };
        let gathered = gatherer.report(&report::docx::GROUPINGS)?.rounded(rounding);
        let head = store.audit_head_record()?;
        let bytes = report::docx::document(&gathered, &head, lang)?;
        write_file(store, &path, &bytes)?;
        return Ok(format!("{}\n", Done::WroteDocument(&path).message(lang)));
    }
    let t = gatherer.tally(a.by)?.rounded(rounding);
    let head = store.audit_head_record()?;
    // A table for people says the audit head it was made from under its figures. CSV keeps to
    // its rows: it is read by programs that expect nothing else.
    let made_from = report::strings::MadeFrom(&head).message(lang);
    let text = match format {
        Format::Json => report::json::tally(&t, &head),
        Format::Csv => report::csv::tally(&t, lang, a.header.header()),
        Format::Md => format!("{}\n_{made_from}_\n", report::markdown::tally(&t, lang)),
        Format::Table | Format::Xlsx | Format::Docx => {
            format!("{}\n{made_from}\n", report::table::tally(&t, lang))
        }
    };
    // A closed month shows its filing and what changed since, under the ledger's figures.
    let text = match (report::ClosedSection::read(store, period)?, format) {
        (Some(c), Format::Table) => text + &c.text(&names.advisors, lang),
        (Some(c), Format::Md) => text + &c.markdown(&names.advisors, lang),
        (Some(c), Format::Json) => report::json::closed_tally(&t, &c, &head),
        _ => text,
    };
    match out {
        None => Ok(text),
        Some(path) => {
            write_file(store, &path, text.as_bytes())?;
            Ok(format!("{}\n", Done::Wrote(&path).message(lang)))
        }
    }
}

/// The format asked for: `--format`, else the `--out` file's extension, else a table.
fn format(a: &ReportArgs) -> Result<Format> {
    // An old spreadsheet extension would get a text table Excel refuses to open.
    if a.format.is_none()
        && let Some(ext) = a.out.as_deref().and_then(extension)
        && matches!(ext.as_str(), "xls" | "xlsm" | "ods" | "et")
    {
        return Err(Refusal::OldSpreadsheet(ext).into());
    }
    // An explicit --format wins over the file's extension: the user asked for it.
    if let Some(format) = a.format {
        return Ok(format);
    }
    let file = a.out.as_deref().filter(|p| p.as_os_str() != "-");
    match file.map(|p| (Format::of(p), extension(p))) {
        // Only a format's own extension says what the file holds: a text table under `r.pdf`,
        // `r.doc` or a mistyped `r.txtx` would not open as its name promises. A name without
        // an extension holds the table as text.
        Some((None, Some(ext))) => Err(Refusal::UnknownExtension(ext).into()),
        Some((Some(format), _)) => Ok(format),
        Some((None, None)) | None => Ok(Format::Table),
    }
}
