//! What `x` writes: the Tallies table as a spreadsheet-ready CSV; the Report screen as a
//! Markdown document (paragraph and the tallies behind it) beside the workbook of
//! `report --format xlsx` and the Word report of `report --format docx`. File names and
//! contents are made here; the app writes them.

use super::action::Screen;
use crate::domain::{GroupBy, Lang, Period, Tally};
use crate::report::{self, Gatherer, Names, ReportError};
use crate::store::Store;
use strum::VariantArray;

/// A file to write: its name (no directory) and its bytes.
pub struct Export {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The files `x` writes on `screen`: the tally shown, or the report of `period`; `None` on a
/// screen that has nothing to export.
pub fn files(
    screen: Screen,
    store: &Store,
    shown: &Tally,
    period: Period,
    lang: Lang,
) -> Option<Result<Vec<Export>, ReportError>> {
    match screen {
        Screen::Tallies => Some(Ok(vec![tally_csv(shown)])),
        Screen::Report => Some(report_files(store, period, lang)),
        _ => None,
    }
}

/// `2024-03`, `2024-Q1`, `2024-01-01_2024-06-30`: the period as it goes into a file name.
fn stem(period: &Period) -> String {
    format!("counsel-log-{}", period.code().replace("..", "_"))
}

/// The tally as CSV, exactly as `report --format csv` writes it (UTF-8 with a BOM, so that a
/// spreadsheet opens the Chinese correctly).
fn tally_csv(t: &Tally) -> Export {
    Export {
        name: format!("{}-{}.csv", stem(&t.period), t.by.code()),
        bytes: report::csv::tally(t).into_bytes(),
    }
}

/// The period's report as a Markdown document, a workbook and a Word document; one pass over the
/// period gives the figures all three show.
fn report_files(store: &Store, period: Period, lang: Lang) -> Result<Vec<Export>, ReportError> {
    let names = Names::read(store)?;
    let gathered = Gatherer::new(store, &names.labels(lang), period).report(GroupBy::VARIANTS)?;
    let document = report::markdown::document(&gathered.summary, &gathered.tallies, lang);
    let head = store.audit_head_record()?;
    let made_from = report::strings::MadeFrom(&head).message(lang);
    let document = format!("{document}\n_{made_from}_\n");
    Ok(vec![
        Export {
            name: format!("{}-report.md", stem(&period)),
            bytes: document.into_bytes(),
        },
        Export {
            name: format!("{}.xlsx", stem(&period)),
            bytes: report::xlsx::workbook(store, &names, &gathered, lang)?,
        },
        Export {
            name: format!("{}-report.docx", stem(&period)),
            bytes: report::docx::document(&gathered, &head, lang)?,
        },
    ])
}
