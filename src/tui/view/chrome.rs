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
    // On a narrow terminal the name goes first, then the names of the other tabs, so that the
    // period and a running timer's clock always fit.
    let needed = if app.data.timer.is_some() {
        "⏱ 00:00  ".width() + app.period.code().width()
    } else {
        app.period.code().width()
    };
    let tabs = |all_names: bool| -> Vec<Span> {
        app.s
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
    let width = |spans: &[Span]| spans.iter().map(|s| s.content.width()).sum::<usize>();
    let brand = Span::styled(" counsel-log ", theme::title());
    let full: Vec<Span> = std::iter::once(brand.clone()).chain(tabs(true)).collect();
    let mut spans = if width(&full) + needed < area.width as usize {
        full
    } else if width(&tabs(true)) + needed < area.width as usize {
        tabs(true)
    } else {
        tabs(false)
    };
    let left_width: usize = spans.iter().map(|s| s.content.width()).sum();
    let room = (area.width as usize).saturating_sub(left_width + 1);
    // The period always shows (as `2024-03` when its name does not fit); a running timer's
    // clock always shows before it, then as much of the advisor and item as there is room for.
    let label = app.period.label(app.settings.lang);
    let right = match &app.data.timer {
        None => fit(&label, room),
        Some((timer, item)) => {
            let m = timer.elapsed(now).0;
            let clock = format!("⏱ {:02}:{:02}", m / 60, m % 60);
            let period = if clock.width() + 2 + label.width() <= room {
                label
            } else {
                app.period.code()
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
            ("u", k.undo),
            ("/", k.filter),
            ("t", k.timer),
            ("p", k.period),
            ("[ ]", k.prev_next),
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
