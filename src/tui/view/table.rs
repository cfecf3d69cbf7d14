//! Tables that fit the screen: columns as wide as their cells up to a cap, one column taking
//! the rest, and columns that give way on a narrow screen.

use ratatui::layout::Constraint;
use ratatui::widgets::{Row, Table};
use unicode_width::UnicodeWidthStr;

use super::text::{fit, rpad};
use super::theme;

/// Below this, the fill column of a table makes other columns give way.
const MIN_FILL: u16 = 12;

/// Widths for the columns of a bordered table with a one-cell highlight symbol: each column as
/// wide as its widest cell (header included) up to its cap, and the `fill` column taking what
/// is left, so that nothing is cut that had room and what is cut is cut with `…` (see
/// [`cells`]). On a narrow screen the `give_way` columns are hidden (width 0), in that order,
/// until the fill column has room to be read.
pub fn column_widths(
    area_width: u16,
    header: &[&str],
    rows: &[Vec<String>],
    caps: &[u16],
    fill: usize,
    give_way: &[usize],
) -> Vec<u16> {
    let mut widths: Vec<u16> = (0..header.len())
        .map(|c| {
            let widest = rows
                .iter()
                .map(|r| r[c].width())
                .chain([header[c].width()])
                .max()
                .unwrap_or(0);
            // A cell wider than a terminal can be is capped anyway.
            u16::try_from(widest).unwrap_or(u16::MAX).min(caps[c])
        })
        .collect();
    let mut hidden = give_way.iter();
    loop {
        // Borders, the highlight symbol and one space between the columns shown.
        let shown = widths.iter().filter(|w| **w > 0).count();
        // There are never more columns than a u16 counts.
        let gaps = u16::try_from(shown.saturating_sub(1)).unwrap_or(u16::MAX);
        let room = area_width.saturating_sub(3).saturating_sub(gaps);
        let others: u16 = widths
            .iter()
            .enumerate()
            .filter(|(c, _)| *c != fill)
            .map(|(_, w)| w)
            .fold(0, |sum, w| sum.saturating_add(*w));
        widths[fill] = room.saturating_sub(others);
        match hidden.next() {
            Some(&c) if widths[fill] < MIN_FILL => widths[c] = 0,
            _ => break,
        }
    }
    widths
}

/// A table row's cells fitted to their columns: cut with `…`, figures (`right`) right-aligned,
/// hidden columns left out.
pub fn cells(values: &[String], widths: &[u16], right: &[usize]) -> Vec<String> {
    values
        .iter()
        .zip(widths)
        .enumerate()
        .filter(|(_, (_, w))| **w > 0)
        .map(|(c, (v, w))| {
            let width = usize::from(*w);
            let v = fit(v, width);
            if right.contains(&c) {
                rpad(&v, width)
            } else {
                v
            }
        })
        .collect()
}

/// The table constraints for [`column_widths`], hidden columns left out.
pub fn constraints(widths: &[u16]) -> Vec<Constraint> {
    widths
        .iter()
        .filter(|w| **w > 0)
        .map(|w| Constraint::Length(*w))
        .collect()
}

/// A table of rows the user moves through: the header in the title style, the selected row
/// marked with `▶`. `right` are the columns of figures, aligned right.
pub fn selectable<'a>(
    rows: impl IntoIterator<Item = Row<'a>>,
    header: &[String],
    widths: &[u16],
    right: &[usize],
) -> Table<'a> {
    let header = Row::new(cells(header, widths, right)).style(theme::title());
    Table::new(rows, constraints(widths))
        .header(header)
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶")
}
