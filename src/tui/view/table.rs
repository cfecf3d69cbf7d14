//! Tables that fit the screen: columns as wide as their cells up to a cap, one column taking
//! the rest, and columns that give way on a narrow screen.

use ratatui::layout::{Constraint, Rect};
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
    let widest = widest_cells(rows.iter().map(Vec::as_slice), header.len());
    widths_for(area_width, header, &widest, caps, fill, give_way)
}

/// The widest cell of each of `columns` columns over `rows`.
fn widest_cells<'r>(rows: impl Iterator<Item = &'r [String]>, columns: usize) -> Vec<usize> {
    let mut widest = vec![0; columns];
    for row in rows {
        for (w, cell) in widest.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    widest
}

/// [`column_widths`] from the widest cell of each column (`widest`, header aside), measured
/// once over all the rows of a table that draws only some of them.
pub fn widths_for(
    area_width: u16,
    header: &[&str],
    widest: &[usize],
    caps: &[u16],
    fill: usize,
    give_way: &[usize],
) -> Vec<u16> {
    let mut widths: Vec<u16> = (0..header.len())
        .map(|c| {
            let widest = widest.get(c).copied().unwrap_or(0).max(header[c].width());
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

/// The rows of a long table worth building for one frame: those on screen around the selected
/// row and a screen's worth either side, the rest being never drawn. Given these rows and
/// `selected`, the table shows what it would show given all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The first row of the window, of all the table's rows.
    pub first: usize,
    /// The row after its last.
    pub end: usize,
    /// The selected row, counted from `first`.
    pub selected: usize,
}

impl Window {
    /// The window of a table of `len` rows drawn bordered, with a header, in `area`, the
    /// `selected` row shown. The table scrolls only as far as the selected row asks (a new
    /// frame starts at the top), so the rows on screen end with it, or begin the table.
    pub fn around(selected: usize, len: usize, area: Rect) -> Window {
        // The borders and the header row; a screen's worth of margin on each side keeps the
        // rows on screen inside the window should the table have a row more or less of room.
        let page = usize::from(area.height.saturating_sub(3)).max(1);
        let selected = selected.min(len.saturating_sub(1));
        let first = (selected + 1).saturating_sub(2 * page);
        let end = len.min((selected + 1).max(page) + page);
        Window {
            first,
            end,
            selected: selected - first,
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.first..self.end
    }
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
