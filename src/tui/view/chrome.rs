//! The frame around the screens: tabs and period on top, status and keys at the bottom.

use chrono::{DateTime, FixedOffset};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{fit, theme};
use crate::tui::action::Screen;
use crate::tui::app::App;

pub fn header(frame: &mut Frame, area: Rect, app: &App, now: DateTime<FixedOffset>) {
    let mut spans = vec![Span::styled(" counsel-log ", theme::title())];
    for (i, name) in app.s.tabs.iter().enumerate() {
        let style = if app.screen.index() == i {
            theme::tab_active()
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(format!(" {} {name} ", i + 1), style));
    }
    let left_width: usize = spans.iter().map(|s| s.content.width()).sum();
    let mut right = app.period.label(app.settings.lang);
    if let Some((timer, item)) = &app.data.timer {
        let m = timer.elapsed(now).0;
        let title = item.as_ref().map_or("", |i| i.title.as_str());
        right = format!(
            "{right}  ⏱ {:02}:{:02} {} {title}",
            m / 60,
            m % 60,
            timer.advisor
        );
    }
    let room = (area.width as usize).saturating_sub(left_width + 1);
    let right = fit(&right, room);
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

pub fn status(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(s) = &app.status {
        let style = if s.error { theme::error() } else { theme::ok() };
        let text = fit(&format!(" {}", s.text), area.width as usize);
        frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
    }
}

pub fn footer(frame: &mut Frame, area: Rect, app: &App) {
    let k = &app.s.keys;
    let keys: Vec<(&str, &str)> = match app.screen {
        Screen::Log => vec![
            ("a", k.add),
            ("e", k.edit),
            ("d", k.delete),
            ("u", k.undo),
            ("t", k.timer),
            ("/", k.filter),
            ("p", k.period),
            ("[ ]", k.prev_next),
            ("?", k.help),
            ("q", k.quit),
        ],
        Screen::Items => vec![
            ("Enter", k.drill),
            ("s", k.rate),
            ("c", k.close),
            ("o", k.outcome),
            ("t", k.timer),
            ("/", k.filter),
            ("p", k.period),
            ("[ ]", k.prev_next),
            ("u", k.undo),
            ("?", k.help),
            ("q", k.quit),
        ],
        Screen::Tallies => vec![
            ("Enter", k.drill),
            ("g", k.group),
            ("x", k.export),
            ("p", k.period),
            ("[ ]", k.prev_next),
            ("u", k.undo),
            ("?", k.help),
            ("q", k.quit),
        ],
        Screen::Team => vec![
            ("Enter", k.drill),
            ("p", k.period),
            ("[ ]", k.prev_next),
            ("?", k.help),
            ("q", k.quit),
        ],
        Screen::Report => vec![
            ("x", k.export),
            ("p", k.period),
            ("[ ]", k.prev_next),
            ("?", k.help),
            ("q", k.quit),
        ],
    };
    // Help and quit always show; the others as room allows, in order.
    let cost = |(key, what): &(&str, &str)| key.width() + what.width() + 3;
    let (main, last) = keys.split_at(keys.len().saturating_sub(2));
    let mut room = (area.width as usize).saturating_sub(last.iter().map(cost).sum());
    let mut shown: Vec<(&str, &str)> = Vec::new();
    for k in main {
        if cost(k) > room {
            break;
        }
        room -= cost(k);
        shown.push(*k);
    }
    shown.extend_from_slice(last);
    let mut spans = Vec::new();
    for (key, what) in shown {
        spans.push(Span::styled(format!(" {key}"), theme::key()));
        spans.push(Span::raw(format!(" {what} ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
