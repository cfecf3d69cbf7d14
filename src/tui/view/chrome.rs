//! The frame around the screens: tabs and period on top, status and keys at the bottom.

use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{fit, theme, wrap};
use crate::tui::action::Screen;
use crate::tui::app::App;

/// The name, the tabs, and the period shown (with a running timer's clock).
pub fn header(frame: &mut Frame, area: Rect, app: &App, now: DateTime<FixedOffset>) {
    // On a narrow terminal the name goes first, then the names of the other tabs, so that the
    // period and a running timer's clock always fit.
    let mark = app
        .data
        .closed
        .as_ref()
        .map_or("", |_| app.strings.closed_mark);
    let code = format!("{}{mark}", app.period.code());
    let needed = if app.data.timer.is_some() {
        "⏱ 00:00  ".width() + code.width()
    } else {
        code.width()
    };
    let tabs = |all_names: bool| -> Vec<Span> {
        app.strings
            .tabs
            .iter()
            .enumerate()
            .map(|(i, name)| {
                if app.screen.index() == i {
                    Span::styled(format!(" {} {name} ", i + 1), theme::tab_active())
                } else if all_names {
                    Span::raw(format!(" {} {name} ", i + 1))
                } else {
                    Span::raw(format!(" {} ", i + 1))
                }
            })
            .collect()
    };
    let width = |spans: &[Span]| spans.iter().map(|span| span.content.width()).sum::<usize>();
    let brand = Span::styled(" counsel-log ", theme::title());
    let full: Vec<Span> = std::iter::once(brand.clone()).chain(tabs(true)).collect();
    let mut spans = if width(&full) + needed < usize::from(area.width) {
        full
    } else if width(&tabs(true)) + needed < usize::from(area.width) {
        tabs(true)
    } else {
        tabs(false)
    };
    let left_width: usize = spans.iter().map(|span| span.content.width()).sum();
    let room = usize::from(area.width).saturating_sub(left_width + 1);
    // The period always shows (as `2024-03` when its name does not fit); a running timer's
    // clock always shows before it, then as much of the advisor and item as there is room for.
    let label = format!("{}{mark}", app.period.label(app.settings.lang));
    let right = match &app.data.timer {
        None => fit(&label, room),
        Some((timer, item)) => {
            let m = timer.elapsed(now).0;
            let clock = format!("⏱ {:02}:{:02}", m / 60, m % 60);
            let period = if clock.width() + 2 + label.width() <= room {
                label
            } else {
                code
            };
            let title = item.as_ref().map_or("", |i| i.title.as_str());
            let about = format!("{} {title}", timer.advisor);
            let about_room = room.saturating_sub(clock.width() + period.width() + 3);
            let about = if about_room >= 4 {
                format!(" {}", fit(&about, about_room))
            } else {
                String::new()
            };
            fit(&format!("{clock}{about}  {period}"), room)
        }
    };
    let gap = room.saturating_sub(right.width());
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(
        right,
        if app.data.timer.is_some() {
            theme::warn()
        } else {
            theme::title()
        },
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The most rows the status line takes from the screen above it.
const STATUS_ROWS: usize = 3;

/// The status line's text wrapped to `width`: whole, on up to three rows, so that the fix at
/// the end of a long message is read rather than cut (the last row is cut with `…` should even
/// three not hold it).
fn status_rows(app: &App, width: u16) -> Vec<String> {
    let Some(line) = &app.status_line else {
        return Vec::new();
    };
    let width = usize::from(width).saturating_sub(1).max(1);
    let mut rows = wrap(&line.text, width);
    if rows.len() > STATUS_ROWS {
        let rest = rows[STATUS_ROWS - 1..].join(" ");
        rows.truncate(STATUS_ROWS - 1);
        rows.push(fit(&rest, width));
    }
    rows
}

/// How many rows the status line needs at `width`: one at least, so the screen does not jump
/// as messages come and go within a row.
pub fn status_height(app: &App, width: u16) -> u16 {
    u16::try_from(status_rows(app, width).len().max(1)).unwrap_or(1)
}

/// What the last action did, or why it did not.
pub fn status_line(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(line) = &app.status_line {
        let style = if line.error {
            theme::error()
        } else {
            theme::ok()
        };
        let lines: Vec<Line> = status_rows(app, area.width)
            .into_iter()
            .map(|row| Line::from(Span::styled(format!(" {row}"), style)))
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
    }
}

/// The keys of the screen shown, as many as fit; help and quit always.
pub fn footer(frame: &mut Frame, area: Rect, app: &App) {
    let does = &app.strings.keys;
    let keys: Vec<(&str, &str)> = match app.screen {
        Screen::Log => vec![
            ("a", does.add),
            ("e", does.edit),
            ("d", does.delete),
            ("h", does.history),
            ("u", does.undo),
            ("t", does.timer),
            ("/", does.filter),
            ("p", does.period),
            ("[ ]", does.prev_next),
            ("?", does.help),
            ("q", does.quit),
        ],
        Screen::Items => vec![
            ("Enter", does.drill),
            ("s", does.rate),
            ("c", does.close),
            ("o", does.outcome),
            ("u", does.undo),
            ("/", does.filter),
            ("t", does.timer),
            ("p", does.period),
            ("[ ]", does.prev_next),
            ("?", does.help),
            ("q", does.quit),
        ],
        Screen::Tallies => vec![
            ("Enter", does.drill),
            ("g", does.group),
            ("/", does.filter),
            ("x", does.export),
            ("p", does.period),
            ("[ ]", does.prev_next),
            ("u", does.undo),
            ("?", does.help),
            ("q", does.quit),
        ],
        Screen::Team => vec![
            ("Enter", does.drill),
            ("r", does.rank),
            ("n", does.new_advisor),
            ("e", does.edit),
            ("/", does.filter),
            ("p", does.period),
            ("[ ]", does.prev_next),
            ("?", does.help),
            ("q", does.quit),
        ],
        Screen::Report => vec![
            ("x", does.export),
            ("p", does.period),
            ("[ ]", does.prev_next),
            ("?", does.help),
            ("q", does.quit),
        ],
    };
    // A read-only copy refuses every key that changes the ledger or exports from it: they are
    // not offered.
    let offered = |(key, _): &(&str, &str)| {
        app.read_only.is_none() || !["a", "e", "d", "u", "t", "s", "c", "o", "n", "x"].contains(key)
    };
    let keys: Vec<(&str, &str)> = keys.into_iter().filter(offered).collect();
    // Help and quit always show; the others as room allows, in order, two spaces apart, or one
    // when that leaves fewer keys out.
    let width = usize::from(area.width);
    let wide = fitting(&keys, width, 3);
    let (shown, after) = match fitting(&keys, width, 2) {
        tight if tight.len() > wide.len() => (tight, ""),
        _ => (wide, " "),
    };
    let mut spans = Vec::new();
    for (key, what) in shown {
        spans.push(Span::styled(format!(" {key}"), theme::key()));
        spans.push(Span::raw(format!(" {what}{after}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys that fit `width` with `gap` columns around each key and its label beyond their own:
/// the last two (help and quit) always, the others in order until one does not fit.
fn fitting<'k>(keys: &[(&'k str, &'k str)], width: usize, gap: usize) -> Vec<(&'k str, &'k str)> {
    let cost = |(key, what): &(&str, &str)| key.width() + what.width() + gap;
    let (main, last) = keys.split_at(keys.len().saturating_sub(2));
    let mut room = width.saturating_sub(last.iter().map(cost).sum());
    let mut shown = Vec::new();
    for key in main {
        if cost(key) > room {
            break;
        }
        room -= cost(key);
        shown.push(*key);
    }
    shown.extend_from_slice(last);
    shown
}
