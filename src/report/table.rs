//! Plain-text tables that line up with Chinese text (widths are display columns, not bytes),
//! and a tally as such a table.

use std::fmt;

use unicode_width::UnicodeWidthStr;

use super::cells::{header, note, rows, title, total_cells};
use crate::domain::{Lang, Tally};

/// How a column's cells sit in their width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table of text cells with a header row and an optional total row.
pub struct Table {
    pub header: Vec<String>,
    pub align: Vec<Align>,
    pub rows: Vec<Vec<String>>,
    pub footer: Option<Vec<String>>,
}

/// Pads `s` with spaces to `width` display columns.
pub fn pad(s: &str, width: usize, align: Align) -> String {
    let fill = " ".repeat(width.saturating_sub(s.width()));
    match align {
        Align::Left => format!("{s}{fill}"),
        Align::Right => format!("{fill}{s}"),
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // What people typed reaches the terminal only as text: a line break in a department
        // could otherwise forge a row of the table, an escape act on the screen.
        let shown = |row: &Vec<String>| -> Vec<String> {
            row.iter()
                .map(|c| crate::domain::strings::printable(c))
                .collect()
        };
        let header = shown(&self.header);
        let rows: Vec<Vec<String>> = self.rows.iter().map(shown).collect();
        let footer = self.footer.as_ref().map(shown);
        let all = std::iter::once(&header).chain(&rows).chain(footer.as_ref());
        let mut widths = vec![0; self.header.len()];
        for row in all {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.width());
            }
        }
        let line = |f: &mut fmt::Formatter<'_>, row: &[String]| {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .zip(&self.align)
                .map(|((c, w), a)| pad(c, *w, *a))
                .collect();
            writeln!(f, "{}", cells.join("  ").trim_end())
        };
        line(f, &header)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        writeln!(f, "{}", rule.join("  "))?;
        for row in &rows {
            line(f, row)?;
        }
        if let Some(footer) = &footer {
            writeln!(f, "{}", rule.join("  "))?;
            line(f, footer)?;
        }
        Ok(())
    }
}

/// The tally as `report` prints it: the title, then the table with its total, and the note
/// when its rounded rows do not add up to the total.
pub fn tally(t: &Tally, lang: Lang) -> String {
    let mut align = vec![Align::Right; 9];
    align[0] = Align::Left;
    let table = Table {
        header: header(t, lang),
        align,
        rows: rows(t),
        footer: Some(total_cells(t)),
    };
    let note = note(t, lang).map_or_else(String::new, |n| format!("{n}\n"));
    format!("{}\n\n{table}{note}", title(t, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_cells_line_up_by_display_width() {
        let t = Table {
            header: vec!["领域".into(), "件次".into()],
            align: vec![Align::Left, Align::Right],
            rows: vec![
                vec!["信息公开".into(), "41".into()],
                vec!["other".into(), "3".into()],
            ],
            footer: None,
        };
        let text = t.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "信息公开    41");
        assert_eq!(lines[3], "other        3");
        assert_eq!(lines[2].width(), lines[3].width());
    }
}
