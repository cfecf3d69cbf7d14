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
        let text = app.s.too_small;
        let y = area.height / 2;
        if area.height > 0 {
            frame.render_widget(
                Paragraph::new(text).centered(),
                Rect {
                    y,
                    height: 1,
                    ..area
                },
            );
        }
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
