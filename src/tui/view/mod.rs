//! Drawing: one function per screen region, no side effects. The whole frame is a function of
//! the app's state and the clock's time (for the running timer).

mod advisor;
pub mod borders;
mod chrome;
mod form;
mod history;
mod items;
mod log;
mod overlays;
mod report;
mod table;
mod tallies;
mod team;
mod text;
pub mod theme;

pub use table::{Window, cells, column_widths, constraints, selectable, widths_for};
pub use text::{fit, pad, rpad, wrap};

use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::action::Screen;
use super::app::{App, Overlay};

/// Below this size the screens cannot be read; a message says so instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Draws the whole interface.
pub fn draw(frame: &mut Frame, app: &App, now: DateTime<FixedOffset>) {
    let area = frame.area();
    borders::begin();
    // Damage stops the store: the notice takes the whole screen, never a ledger of zeros.
    if let Some(notice) = &app.stopped {
        stopped(frame, area, app, notice);
        return;
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, app);
        return;
    }
    // A prompt is typed on the status row; otherwise a long message takes the rows it needs.
    let status_height = match &app.overlay {
        Some(Overlay::Prompt(_)) => 1,
        _ => chrome::status_height(app, area.width),
    };
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(status_height),
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
    chrome::status_line(frame, status, app);
    chrome::footer(frame, footer, app);
    match &app.overlay {
        None => {}
        Some(Overlay::Form(f)) => form::draw(frame, area, app, f),
        Some(Overlay::Prompt(p)) => overlays::prompt(frame, status, app, p),
        Some(Overlay::ConfirmDelete(row)) => overlays::confirm(frame, area, app, row),
        Some(Overlay::Help(first)) => overlays::help(frame, area, app, *first),
        Some(Overlay::History(trail)) => history::draw(frame, area, app, trail),
        Some(Overlay::Advisor(form)) => advisor::draw(frame, area, app, form),
    }
    borders::seal(frame.buffer_mut());
}

/// The message that the terminal is too small, wrapped so that the size it asks for shows even
/// on a very small terminal.
fn too_small(frame: &mut Frame, area: Rect, app: &App) {
    let lines: Vec<Line> = wrap(app.strings.too_small, area.width.into())
        .into_iter()
        .map(Line::from)
        .collect();
    let rect = centered(area, area.width, height_of(lines.len()));
    frame.render_widget(Paragraph::new(lines).centered(), rect);
}

/// The full-screen notice of a damaged store: what was found and the way back.
fn stopped(frame: &mut Frame, area: Rect, app: &App, notice: &str) {
    let width = usize::from(area.width.saturating_sub(4).max(1));
    let mut lines: Vec<Line> = vec![Line::from(app.strings.damage_title), Line::from("")];
    lines.extend(wrap(notice, width).into_iter().map(Line::from));
    lines.extend([Line::from(""), Line::from(app.strings.damage_quit)]);
    let rect = centered(area, area.width.saturating_sub(2), height_of(lines.len()));
    frame.render_widget(Paragraph::new(lines), rect);
}

/// A centred box of at most `width` × `height` inside `area`. An odd cell left over goes after
/// the box (`Rect::centered` puts it before, moving every dialog a cell on half the sizes).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// A count of rows or lines as a height, which a terminal never exceeds.
pub fn height_of(count: usize) -> u16 {
    u16::try_from(count).unwrap_or(u16::MAX)
}
