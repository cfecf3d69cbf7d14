//! The entry form, drawn over the current screen.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{centered, fit, pad, theme};
use crate::domain::Minutes;
use crate::tui::app::App;
use crate::tui::form::{Field, Form};

/// Lines of choices shown under a picker.
const CHOICES: usize = 5;

fn label(app: &App, field: Field) -> &'static str {
    let s = app.s;
    match field {
        Field::Date => s.date,
        Field::Advisor => s.advisor,
        Field::Item => s.item,
        Field::Title => s.title,
        Field::Topic => s.topic,
        Field::Service => s.service,
        Field::Department => s.department,
        Field::Hours => s.hours_col,
        Field::Note => s.note,
    }
}

/// What to show after a field's value: its meaning, or its problem.
fn hint(app: &App, form: &Form, field: Field) -> (String, bool) {
    if let Some(e) = &form.errors[field as usize] {
        let text = if e == "required" {
            app.s.required.to_string()
        } else {
            e.clone()
        };
        return (format!("✗ {text}"), true);
    }
    let value = form.value(field).trim();
    let data = &app.data;
    let text = match field {
        Field::Advisor => data
            .advisor(value)
            .map(|a| app.s.aside(&a.name, a.category.short(app.settings.lang))),
        Field::Item if value.is_empty() && form.editing.is_none() => {
            Some(app.s.new_item.to_string())
        }
        Field::Item => data
            .recent_items
            .iter()
            .find(|i| i.number == value)
            .map(|i| i.title.clone()),
        // The hours as read, or what is wrong with them, as they are typed.
        Field::Hours if !value.is_empty() => match Minutes::parse(value) {
            Ok(m) => Some(format!("= {}", spelled(m, app.settings.lang))),
            Err(e) => return (format!("✗ {}", e.message(app.settings.lang)), true),
        },
        _ => None,
    };
    (text.unwrap_or_default(), false)
}

/// `1小时30分`, `1 h 30 min`: a duration as the form confirms it.
fn spelled(m: Minutes, lang: crate::domain::Lang) -> String {
    let (h, min) = (m.0 / 60, m.0 % 60);
    match (lang, h, min) {
        (crate::domain::Lang::Zh, 0, _) => format!("{min}分钟"),
        (crate::domain::Lang::Zh, _, 0) => format!("{h}小时"),
        (crate::domain::Lang::Zh, _, _) => format!("{h}小时{min}分"),
        (crate::domain::Lang::En, 0, _) => format!("{min} min"),
        (crate::domain::Lang::En, _, 0) => format!("{h} h"),
        (crate::domain::Lang::En, _, _) => format!("{h} h {min} min"),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, form: &Form) {
    let s = app.s;
    let lang = app.settings.lang;
    let focused = form.field();
    let choices = form.choices(focused, &app.data, lang);
    let shown = choices.len().min(CHOICES);
    let height = 9 + shown as u16 + 6;
    let rect = centered(area, 76, height);
    frame.render_widget(Clear, rect);
    let title = if form.editing.is_some() {
        s.edit_entry
    } else {
        s.add_entry
    };
    let block = Block::bordered()
        .title(format!(" {title} "))
        .title_style(theme::title());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);

    let label_width = 10;
    let width = inner.width as usize;
    let value_width = (width.saturating_sub(label_width + 2) * 3 / 5).max(12);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    for (i, field) in Field::ALL.into_iter().enumerate() {
        let input = &form.inputs[i];
        let is_focus = i == form.focus;
        // Only the field being typed in scrolls; the others show their beginning.
        let scroll = if is_focus {
            input.visual_scroll(value_width)
        } else {
            0
        };
        let visible: String = {
            // Skip `scroll` display columns of the value.
            let mut skipped = 0;
            input
                .value()
                .chars()
                .skip_while(|c| {
                    let w = unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                    let skip = skipped < scroll;
                    skipped += w;
                    skip
                })
                .collect()
        };
        let (mut hint, bad) = hint(app, form, field);
        let locked = form.locked(field);
        if locked && field != Field::Item && hint.is_empty() {
            hint = s.from_item.to_string();
        }
        let marker = if is_focus { "▸" } else { " " };
        let value_style = if is_focus {
            theme::title()
        } else if locked {
            theme::dim()
        } else {
            ratatui::style::Style::new()
        };
        let hint_room = width.saturating_sub(label_width + 2 + value_width + 1);
        lines.push(Line::from(vec![
            Span::styled(
                format!("{marker}{}", pad(label(app, field), label_width)),
                if is_focus { theme::key() } else { theme::dim() },
            ),
            Span::raw(" "),
            Span::styled(pad(&visible, value_width), value_style),
            Span::raw(" "),
            Span::styled(
                fit(&hint, hint_room),
                if bad { theme::error() } else { theme::dim() },
            ),
        ]));
        if is_focus {
            let x = inner.x
                + (label_width + 2) as u16
                + (input.visual_cursor().saturating_sub(scroll)) as u16;
            cursor = Some(Position {
                x: x.min(inner.right().saturating_sub(1)),
                y: inner.y + lines.len() as u16 - 1,
            });
            if shown > 0 {
                let start = form.highlighted.saturating_sub(CHOICES - 1);
                for (j, c) in choices.iter().enumerate().skip(start).take(CHOICES) {
                    let style = if j == form.highlighted {
                        theme::selected()
                    } else {
                        theme::dim()
                    };
                    lines.push(Line::from(vec![
                        Span::raw(" ".repeat(label_width + 2)),
                        Span::styled(fit(&c.label, width.saturating_sub(label_width + 2)), style),
                    ]));
                }
            }
        }
    }
    lines.push(Line::raw(""));
    // The whole message of the focused field's problem (or the first one, or the form's own),
    // over two lines, since the space beside a field cuts it short.
    let typed_hours = form.value(Field::Hours).trim();
    let live = (focused == Field::Hours && !typed_hours.is_empty())
        .then(|| Minutes::parse(typed_hours).err())
        .flatten()
        .map(|e| e.message(app.settings.lang));
    let full = form.errors[form.focus]
        .as_ref()
        .or(live.as_ref())
        .or(form.problem.as_ref())
        .or_else(|| form.errors.iter().flatten().next())
        .filter(|e| e.as_str() != "required")
        .map(|e| format!("✗ {e}"));
    let full = if form.discard_armed {
        Some(s.discard_hint.to_string())
    } else {
        full
    };
    match full {
        Some(text) => {
            // Two lines, broken between words and never inside a figure.
            let first = super::wrap(&text, width)
                .into_iter()
                .next()
                .unwrap_or_default();
            let rest = text.get(first.len()..).unwrap_or_default().trim_start();
            lines.push(Line::styled(first.clone(), theme::error()));
            lines.push(Line::styled(fit(rest, width), theme::error()));
        }
        None if focused.picks() && shown > 0 => {
            lines.push(Line::styled(s.pick_hint, theme::dim()));
            lines.push(Line::raw(""));
        }
        None => {
            lines.push(Line::raw(""));
            lines.push(Line::raw(""));
        }
    }
    lines.push(Line::styled(fit(s.form_keys, width), theme::dim()));
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(c) = cursor {
        frame.set_cursor_position(c);
    }
}
