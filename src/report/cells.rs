//! A tally as text: its title, and its lines as cells — the name, then items, hours, share,
//! ratings and rate — as the text table, the Markdown and the Tallies screen all show them, with
//! the note a table carries when its rounded rows do not add up to its total.

use super::strings::strings;
use crate::domain::rounding::TallyFigures;
use crate::domain::{GroupBy, Lang, Row, Tally};

/// `2024 · by topic`, `2024年 · 按 领域`.
pub fn title(t: &Tally, lang: Lang) -> String {
    format!(
        "{} · {} {}",
        t.period.label(lang),
        strings(lang).by,
        t.by.label(lang)
    )
}

/// The column headings: the grouping, then the figures.
pub fn header(t: &Tally, lang: Lang) -> Vec<String> {
    std::iter::once(t.by.label(lang))
        .chain(strings(lang).tally_columns)
        .map(str::to_string)
        .collect()
}

/// The cells of one of the tally's rows. [`rows`] gives them all at once.
pub fn cells(t: &Tally, row: &Row) -> Vec<String> {
    let figures = t.figures();
    let i = t.rows.iter().position(|r| r.key == row.key).unwrap_or(0);
    line(
        name(t, row),
        row,
        (figures.hours.row_text(i), figures.share_text(i)),
    )
}

/// The cells of each of the tally's rows, in order.
pub fn rows(t: &Tally) -> Vec<Vec<String>> {
    let figures = t.figures();
    t.rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            line(
                name(t, r),
                r,
                (figures.hours.row_text(i), figures.share_text(i)),
            )
        })
        .collect()
}

/// The cells of the tally's total line.
pub fn total_cells(t: &Tally) -> Vec<String> {
    let figures = t.figures();
    let shown = (figures.hours.total_text(), figures.total_share_text());
    line(t.total.label.clone(), &t.total, shown)
}

/// The note the tally's table carries, when its rounded rows do not add up to its total.
pub fn note(t: &Tally, lang: Lang) -> Option<&'static str> {
    note_unless(&t.figures(), lang)
}

/// The note, unless the figures add up.
pub fn note_unless(figures: &TallyFigures, lang: Lang) -> Option<&'static str> {
    (!figures.adds_up()).then(|| strings(lang).rounding_note)
}

fn name(t: &Tally, row: &Row) -> String {
    match t.by {
        // Two advisors may share a name; the id tells them apart.
        GroupBy::Advisor if row.label != row.key => format!("{} {}", row.label, row.key),
        _ => row.label.clone(),
    }
}

/// A line's cells, given its hours and share as the table shows them.
fn line(name: String, r: &Row, (hours, share): (String, String)) -> Vec<String> {
    vec![
        name,
        r.items.to_string(),
        hours,
        share,
        r.rated().to_string(),
        r.satisfied.to_string(),
        r.basic.to_string(),
        r.unsatisfied.to_string(),
        r.satisfaction().percent(),
    ]
}
