//! The Word report of `report --format docx` and of the Report screen's `x`: the period's title,
//! paragraph and tables as a `.docx` an office edits and files, in the fonts and sizes of a
//! government document.
//!
//! A `.docx` is a zip of a few XML parts. They are written here with the `zip` crate that the
//! workbook writer already brings, rather than with a document crate: eight small parts whose
//! every element is chosen for Word, WPS and LibreOffice, and no new crate in the tree.

mod parts;
mod xml;

use std::io::{Cursor, Write};

use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::cells::{cells, header, total_cells};
use super::strings::{DocumentTitle, MadeFrom, strings};
use super::{Gathered, ReportError};
use crate::domain::{GroupBy, Lang, Summary, Tally};
use crate::store::Head;
use parts::TEXT_WIDTH;
use unicode_width::UnicodeWidthStr;
use xml::{Body, Table};

/// The groupings the Word report has a table of, in its order.
pub const GROUPINGS: [GroupBy; 4] = [
    GroupBy::Category,
    GroupBy::Topic,
    GroupBy::Service,
    GroupBy::Department,
];

/// The Word document of a period's report, as the bytes of a `.docx` file: the title, the
/// paragraph, each category's participation, a table per grouping of [`GROUPINGS`] that
/// `report` holds, and the audit record it was made from.
pub fn document(report: &Gathered, head: &Head, lang: Lang) -> Result<Vec<u8>, ReportError> {
    let title = DocumentTitle(&report.summary.period).message(lang);
    let body = body(report, &title, head, lang);
    let parts = [
        ("[Content_Types].xml", parts::content_types()),
        ("_rels/.rels", parts::package_relationships()),
        ("docProps/core.xml", parts::core(&title)),
        ("word/document.xml", parts::document(&body)),
        (
            "word/_rels/document.xml.rels",
            parts::document_relationships(),
        ),
        ("word/styles.xml", parts::styles(lang)),
        ("word/settings.xml", parts::settings()),
        ("word/fontTable.xml", parts::font_table(lang)),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, part) in parts {
        zip.start_file(name, options)?;
        zip.write_all(part.as_bytes()).map_err(ZipError::from)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The document's body, top to bottom.
fn body(report: &Gathered, title: &str, head: &Head, lang: Lang) -> String {
    let words = strings(lang);
    let [overview, sections @ ..] = words.section_marks;
    let mut body = Body::default();
    body.paragraph("Title", title);
    body.paragraph("Heading1", &format!("{overview}{}", words.overview));
    body.paragraph("Normal", &report.summary.to_string());
    participation(&mut body, &report.summary, lang);
    for (mark, by) in sections.into_iter().zip(GROUPINGS) {
        if let Some(t) = report.tallies.iter().find(|t| t.by == by) {
            let heading = format!("{mark}{}{}", words.by_heading, by.label(lang));
            body.paragraph("Heading1", &heading);
            tally(&mut body, t, lang);
            if let Some(note) = super::cells::note(t, lang) {
                body.paragraph("Note", note);
            }
        }
    }
    body.paragraph("Note", &MadeFrom(head).message(lang));
    body.finish(&parts::A4)
}

/// `n` columns across the text width: the first (the names) wider, the figures alike.
fn widths(n: u32, first: u32) -> Vec<u32> {
    let rest = (TEXT_WIDTH - first) / (n - 1);
    std::iter::once(TEXT_WIDTH - rest * (n - 1))
        .chain(std::iter::repeat_n(
            rest,
            usize::try_from(n - 1).unwrap_or(0),
        ))
        .collect()
}

/// Each category's advisors, how many took part, their rate, items and hours: the figures of
/// the paragraph's participation sentence, as a table.
fn participation(body: &mut Body, summary: &Summary, lang: Lang) {
    let header: Vec<String> = strings(lang)
        .category_columns
        .iter()
        .map(ToString::to_string)
        .collect();
    let rows: Vec<Vec<String>> = summary
        .categories
        .iter()
        .map(|c| {
            vec![
                c.category.label(lang).to_string(),
                c.total.to_string(),
                c.participating.to_string(),
                c.rate().percent(),
                c.items.to_string(),
                c.minutes.hours(),
            ]
        })
        .collect();
    body.table(&Table {
        widths: &figure_widths(&header, lang),
        header: &header,
        rows: &rows,
        total: None,
    });
}

/// A table's columns: each figure as wide as its heading (or `100.0%`) needs on one
/// line, so that no heading breaks inside a word; the names take the rest.
fn figure_widths(header: &[String], lang: Lang) -> Vec<u32> {
    // Half an em per column of display width; the cell's margins and a little for bold.
    let half_points = parts::table_half_points(lang);
    let figures: Vec<u32> = header
        .iter()
        .skip(1)
        .map(|h| {
            let columns = u32::try_from(h.width().max("100.0%".len())).unwrap_or(u32::MAX / 64);
            columns * half_points * 5 + 174
        })
        .collect();
    let names = TEXT_WIDTH.saturating_sub(figures.iter().sum());
    // Headings too wide for the page share it evenly instead.
    if names < TEXT_WIDTH / 6 {
        return widths(
            u32::try_from(header.len()).unwrap_or(1).max(2),
            TEXT_WIDTH / 6,
        );
    }
    std::iter::once(names).chain(figures).collect()
}

/// A grouping's table: the cells every other writer shows, the total in bold.
fn tally(body: &mut Body, t: &Tally, lang: Lang) {
    let rows: Vec<Vec<String>> = t.rows.iter().map(|r| cells(t, r)).collect();
    let header = header(t, lang);
    body.table(&Table {
        widths: &figure_widths(&header, lang),
        header: &header,
        rows: &rows,
        total: Some(&total_cells(t)),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_text_width() {
        for (n, first) in [(6, 2244), (9, 1860)] {
            let w = widths(n, first);
            assert_eq!(w.len(), usize::try_from(n).unwrap());
            assert_eq!(w.iter().sum::<u32>(), TEXT_WIDTH);
        }
        for lang in [Lang::Zh, Lang::En] {
            let header: Vec<String> = ["名称", "件次", "基本满意", "unsatisfied"]
                .map(String::from)
                .to_vec();
            let w = figure_widths(&header, lang);
            assert_eq!(w.iter().sum::<u32>(), TEXT_WIDTH);
            assert!(w[3] > w[2] && w[2] > w[1], "{w:?}");
        }
    }
}
