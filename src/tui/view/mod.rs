//! Drawing: one function per screen region, no side effects. The whole frame is a function of
//! the app's state and the clock's time (for the running timer).

mod chrome;
mod form;
mod items;
mod log;
mod overlays;
mod report;
mod tallies;
mod team;

use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::action::Screen;
use super::app::{App, Overlay};

/// Below this size the screens cannot be read; a message says so instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Colours and emphasis, in one place.
pub mod theme {
    use super::*;
    pub fn title() -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn dim() -> Style {
        Style::new().fg(Color::DarkGray)
    }
    pub fn selected() -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn tab_active() -> Style {
        Style::new()
            .fg(Color::Black)
            .bg(Color::Cyan)
            .add_modifier(Modifier::BOLD)
    }
    pub fn error() -> Style {
        Style::new().fg(Color::Red)
    }
    pub fn ok() -> Style {
        Style::new().fg(Color::Green)
    }
    pub fn warn() -> Style {
        Style::new().fg(Color::Yellow)
    }
    pub fn bar() -> Style {
        Style::new().fg(Color::Cyan)
    }
    pub fn key() -> Style {
        Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}

/// Draws the whole interface.
pub fn draw(frame: &mut Frame, app: &App, now: DateTime<FixedOffset>) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        // The message wraps, so the size it asks for shows even on a very small terminal.
        let lines: Vec<Line> = wrap(app.s.too_small, area.width.into())
            .into_iter()
            .map(Line::from)
            .collect();
        let height = (lines.len() as u16).min(area.height);
        let y = area.y + (area.height - height) / 2;
        frame.render_widget(Paragraph::new(lines).centered(), Rect { y, height, ..area });
        return;
    }
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    chrome::header(frame, header, app, now);
    match app.screen {
        Screen::Log => log::draw(frame, body, app),
        Screen::Items => items::draw(frame, body, app),
        Screen::Tallies => tallies::draw(frame, body, app),
        Screen::Team => team::draw(frame, body, app),
        Screen::Report => report::draw(frame, body, app),
    }
    chrome::status(frame, status, app);
    chrome::footer(frame, footer, app);
    match &app.overlay {
        Overlay::None => {}
        Overlay::Form(f) => form::draw(frame, area, app, f),
        Overlay::Prompt(p) => overlays::prompt(frame, status, app, p),
        Overlay::ConfirmDelete(row) => overlays::confirm(frame, area, app, row),
        Overlay::Help => overlays::help(frame, area, app),
    }
}

/// Cuts `s` to at most `width` display columns, marking the cut with `…`.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Pads `s` to `width` display columns (wide characters count two).
pub fn pad(s: &str, width: usize) -> String {
    let s = fit(s, width);
    let fill = width.saturating_sub(s.width());
    format!("{s}{}", " ".repeat(fill))
}

/// Right-aligns `s` in `width` display columns.
pub fn rpad(s: &str, width: usize) -> String {
    let fill = width.saturating_sub(s.width());
    format!("{}{s}", " ".repeat(fill))
}

/// A centred box of at most `w` × `h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A line of text, for lists built by hand.
pub fn line(s: String) -> Line<'static> {
    Line::from(s)
}

/// Wraps `text` to lines of at most `width` columns without ever breaking inside a figure, a code
/// or an English word (`432.3`, `40.4%`, `A001`), and without starting a line with the closing
/// punctuation of Chinese text (`，。、；：）`), so a paragraph copied from the screen keeps its
/// numbers whole.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for token in tokens(paragraph) {
            let blank = token.trim().is_empty();
            if line.is_empty() && blank {
                continue;
            }
            if line.width() + token.width() > width && !line.is_empty() {
                lines.push(line.trim_end().to_string());
                line = String::new();
                if blank {
                    continue;
                }
            }
            // A token wider than the whole line (a long code) is the one place a cut happens.
            let mut rest = token.as_str();
            while rest.width() > width {
                let cut = fit_prefix(rest, width);
                lines.push(rest[..cut].to_string());
                rest = &rest[cut..];
            }
            line.push_str(rest);
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Splits text into the pieces a line may break between: runs of ASCII letters, digits and
/// signs; runs of spaces; single other characters, each with the closing punctuation after it.
fn tokens(text: &str) -> Vec<String> {
    const CLOSING: &str = "，。、；：！？）」』”’》〉%％…";
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let glue = match (prev, out.last_mut()) {
            (Some(p), Some(_)) => {
                (p.is_ascii_graphic() && c.is_ascii_graphic())
                    || (p == ' ' && c == ' ')
                    || (CLOSING.contains(c) && p != ' ')
            }
            _ => false,
        };
        match out.last_mut() {
            Some(last) if glue => last.push(c),
            _ => out.push(c.to_string()),
        }
        prev = Some(c);
    }
    out
}

/// The byte length of the longest prefix of `s` that fits in `width` columns (at least one
/// character).
fn fit_prefix(s: &str, width: usize) -> usize {
    let mut w = 0;
    for (i, c) in s.char_indices() {
        w += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w > width {
            return i.max(c.len_utf8());
        }
    }
    s.len()
}

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
            (widest as u16).min(caps[c])
        })
        .collect();
    let mut hidden = give_way.iter();
    loop {
        // Borders, the highlight symbol and one space between the columns shown.
        let shown = widths.iter().filter(|w| **w > 0).count() as u16;
        let room = area_width.saturating_sub(3 + shown.saturating_sub(1));
        let others: u16 = widths
            .iter()
            .enumerate()
            .filter(|(c, _)| *c != fill)
            .map(|(_, w)| w)
            .sum();
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
            let v = fit(v, *w as usize);
            if right.contains(&c) {
                rpad(&v, *w as usize)
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

/// Whether a column of English topic or service names is too narrow for them, so that the
/// short codes (`enforcement`, `legality-review`) are shown instead: three topics begin
/// "Administrative", and cut names could not be told apart. Chinese names are short enough.
pub fn catalog_codes(
    rows: &[Vec<String>],
    column: usize,
    width: u16,
    lang: crate::domain::Lang,
) -> bool {
    lang == crate::domain::Lang::En && rows.iter().any(|r| r[column].width() > width as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_figures_whole_and_punctuation_attached() {
        let text = "2024年，法律顾问共提供法律服务171件次，工作时长432.3小时，服务满意率100%。公职律师47名，参与率40.4%。";
        for width in 8..40 {
            let lines = wrap(text, width);
            assert!(
                lines.iter().all(|l| l.width() <= width),
                "{width}: {lines:?}"
            );
            assert_eq!(lines.concat(), text, "{width}");
            for figure in ["171", "432.3", "100%。", "47", "40.4%。"] {
                assert!(
                    lines.iter().any(|l| l.contains(figure)),
                    "{width} {figure}: {lines:?}"
                );
            }
            assert!(
                lines.iter().all(|l| !l.starts_with(['，', '。'])),
                "{lines:?}"
            );
        }
    }

    #[test]
    fn english_wraps_at_spaces() {
        let lines = wrap(
            "provided 171 legal service items over 432.3 working hours",
            20,
        );
        assert_eq!(
            lines,
            [
                "provided 171 legal",
                "service items over",
                "432.3 working hours"
            ]
        );
    }
}
