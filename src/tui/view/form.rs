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
        Field::Hours => Minutes::parse(value)
            .ok()
            .map(|m| format!("= {}:{:02}", m.0 / 60, m.0 % 60)),
        _ => None,
    };
    (text.unwrap_or_default(), false)
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
    let full = form.errors[form.focus]
        .as_ref()
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
            let first = fit_exact(&text, width);
            let rest: String = text.chars().skip(first.chars().count()).collect();
            lines.push(Line::styled(first, theme::error()));
            lines.push(Line::styled(fit(&rest, width), theme::error()));
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

/// The longest start of `s` that fits in `width` display columns.
fn fit_exact(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out
}
