//! What `x` writes: the Tallies table as a spreadsheet-ready CSV; the Report screen as a
//! Markdown document (paragraph and the tallies behind it) beside the workbook of
//! `report --format xlsx` and the Word report of `report --format docx`. File names and
//! contents are made here; the app writes them.

use super::action::Screen;
use crate::domain::{GroupBy, Lang, Period, Rounding, Tally};
use crate::report::csv::Header;
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
        Screen::Tallies => Some(Ok(vec![tally_csv(shown, lang)])),
        // The tables of the report are rounded as the one shown is.
        Screen::Report => Some(report_files(store, period, lang, shown.rounding)),
        _ => None,
    }
}

/// The names `x` writes `files` under in a folder where `taken` says which names are in use:
/// their own names when all are free, else each with the first `-2`, `-3`, … before its
/// extension that leaves every one free, so an earlier export is never overwritten and the
/// files of one export keep one number. The number is `None` when the own names were free.
pub fn free_names(files: &[Export], taken: impl Fn(&str) -> bool) -> (Vec<String>, Option<u32>) {
    let numbered = |n: u32| -> Vec<String> {
        files
            .iter()
            .map(|f| match f.name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}-{n}.{ext}"),
                None => format!("{}-{n}", f.name),
            })
            .collect()
    };
    let own: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    if !own.iter().any(|name| taken(name)) {
        return (own, None);
    }
    // A folder holds finitely many files, so some number is free well before `u32::MAX`.
    let n = (2..u32::MAX)
        .find(|&n| !numbered(n).iter().any(|name| taken(name)))
        .unwrap_or(u32::MAX);
    (numbered(n), Some(n))
}

/// `2024-03`, `2024-Q1`, `2024-01-01_2024-06-30`: the period as it goes into a file name.
fn stem(period: &Period) -> String {
    format!("counsel-log-{}", period.code().replace("..", "_"))
}

/// The tally as CSV for the spreadsheet of the person who exported it: as
/// `report --format csv --header zh|en` writes it, with the columns named in the interface's
/// language (UTF-8 with a BOM, so that a spreadsheet opens the Chinese correctly).
fn tally_csv(t: &Tally, lang: Lang) -> Export {
    Export {
        name: format!("{}-{}.csv", stem(&t.period), t.by.code()),
        bytes: report::csv::tally(t, lang, Header::Names(lang)).into_bytes(),
    }
}

/// The period's report as a Markdown document, a workbook and a Word document; one pass over the
/// period gives the figures all three show.
fn report_files(
    store: &Store,
    period: Period,
    lang: Lang,
    rounding: Rounding,
) -> Result<Vec<Export>, ReportError> {
    let names = Names::read(store)?;
    let gathered = Gatherer::new(store, &names.labels(lang), period)
        .report(GroupBy::VARIANTS)?
        .rounded(rounding);
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
            name: format!("{}-report.xlsx", stem(&period)),
            bytes: report::xlsx::workbook(store, &names, &gathered, lang)?,
        },
        Export {
            name: format!("{}-report.docx", stem(&period)),
            bytes: report::docx::document(&gathered, &head, lang)?,
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(name: &str) -> Export {
        Export {
            name: name.into(),
            bytes: Vec::new(),
        }
    }

    #[test]
    fn an_earlier_export_gets_a_number_after_it_never_an_overwrite() {
        let files = [export("r-report.md"), export("r.xlsx")];
        assert_eq!(
            free_names(&files, |_| false),
            (vec!["r-report.md".into(), "r.xlsx".into()], None)
        );
        let taken = ["r.xlsx", "r-report-2.md"];
        let (names, n) = free_names(&files, |name| taken.contains(&name));
        assert_eq!(
            (names, n),
            (vec!["r-report-3.md".into(), "r-3.xlsx".into()], Some(3))
        );
    }
}
