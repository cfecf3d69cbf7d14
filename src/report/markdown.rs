//! A tally as a Markdown table, and the Report screen's document: the paragraph, then a table per
//! grouping.

use super::cells::{header, note, rows, title, total_cells};
use super::strings::strings;
use crate::domain::{Lang, Summary, Tally};

/// The tally as `report --format md` writes it: the title in bold, then the table, the total in
/// bold, and the note when its rounded rows do not add up to the total.
pub fn tally(t: &Tally, lang: Lang) -> String {
    let mut text = format!("**{}**\n\n", title(t, lang));
    text += &line(&header(t, lang));
    text += &format!("|---|{}\n", "---:|".repeat(8));
    for cells in rows(t) {
        text += &line(&cells);
    }
    let mut total = total_cells(t);
    total[0] = format!("**{}**", total[0]);
    text += &line(&total);
    // A blank line first: a line straight under a table would be read as one of its rows.
    if let Some(note) = note(t, lang) {
        text += &format!("\n{note}\n");
    }
    text
}

/// The period's report: the paragraph, then a section per tally.
pub fn document(summary: &Summary, tallies: &[Tally], lang: Lang) -> String {
    let words = strings(lang);
    let mut text = format!(
        "# {} · {}\n\n{summary}\n",
        words.document_title,
        summary.period.label(lang)
    );
    for t in tallies {
        text += &format!(
            "\n## {}{}\n\n{}",
            words.by_heading,
            t.by.label(lang),
            tally(t, lang)
        );
    }
    text
}

/// A table row; a `|` inside a cell would end it early.
fn line(cells: &[String]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "\\|")).collect();
    format!("| {} |\n", cells.join(" | "))
}
