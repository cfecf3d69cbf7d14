//! The Team screen's advisor form, drawn over it: a line per field (the category and the
//! active flag chosen with ←/→), what the store or a check refused, and the keys.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::borders::boxed;

use super::text::{foot, skip_columns};
use super::{centered, fit, height_of, pad, theme};
use crate::tui::app::App;
use crate::tui::form::{AdvisorField, AdvisorForm};

/// Columns of the form, border included, where the terminal has them.
const WIDTH: u16 = 70;

/// Columns of the field names, before the marker and the gap.
const LABEL_WIDTH: usize = 10;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, form: &AdvisorForm) {
    let words = &app.strings.advisors;
    let fields = form.fields();
    let problem_lines = problem_lines(app, form, WIDTH.min(area.width).saturating_sub(2));
    // The fields, a blank line, the problem, one line of keys, the border.
    let rect = centered(
        area,
        WIDTH,
        height_of(fields.len() + problem_lines.len() + 4),
    );
    frame.render_widget(Clear, rect);
    let title = if form.editing.is_some() {
        words.edit_title
    } else {
        words.new_title
    };
    let block = boxed(&format!(" {title} "), rect).title_style(theme::title());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let value_width = width.saturating_sub(LABEL_WIDTH + 2);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (row, &field) in fields.iter().enumerate() {
        let focused = field == form.focus;
        let (value, scroll) = match form.input(field) {
            Some(input) => {
                let scroll = if focused {
                    input.visual_scroll(value_width)
                } else {
                    0
                };
                if focused {
                    let column = LABEL_WIDTH + 1 + input.visual_cursor().saturating_sub(scroll);
                    cursor = Some((column, row));
                }
                (input.value().to_string(), scroll)
            }
            None => (choice(app, form, field), 0),
        };
        let shown = skip_columns(&value, scroll);
        let marker = if focused { "▸" } else { " " };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{marker}{}", pad(label(app, field), LABEL_WIDTH)),
                if focused { theme::key() } else { theme::dim() },
            ),
            Span::styled(
                fit(shown, value_width),
                if focused {
                    theme::title()
                } else {
                    ratatui::style::Style::new()
                },
            ),
        ]));
    }
    lines.push(Line::raw(""));
    lines.extend(
        problem_lines
            .into_iter()
            .map(|l| Line::styled(fit(&l, width), theme::error())),
    );
    lines.push(Line::styled(fit(words.keys, width), theme::dim()));
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some((column, row)) = cursor {
        frame.set_cursor_position(Position {
            x: inner
                .x
                .saturating_add(u16::try_from(column).unwrap_or(u16::MAX)),
            y: inner.y.saturating_add(u16::try_from(row).unwrap_or(0)),
        });
    }
}

/// The problem's lines at `width` columns (see [`foot`]).
fn problem_lines(app: &App, form: &AdvisorForm, width: u16) -> Vec<String> {
    let problem = if form.discard_armed {
        app.strings.discard_hint
    } else {
        form.problem.as_deref().unwrap_or_default()
    };
    foot(problem, usize::from(width))
}

fn label(app: &App, field: AdvisorField) -> &'static str {
    let words = &app.strings.advisors;
    match field {
        AdvisorField::Id => words.id,
        AdvisorField::Name => words.name,
        AdvisorField::Category => app.strings.category,
        AdvisorField::Unit => words.unit,
        AdvisorField::Active => words.active,
    }
}

/// A field chosen with ←/→, shown with the arrows that change it.
fn choice(app: &App, form: &AdvisorForm, field: AdvisorField) -> String {
    let words = &app.strings.advisors;
    let value = match field {
        AdvisorField::Category => form.category.label(app.settings.lang),
        _ if form.active => words.is_active,
        _ => words.is_inactive,
    };
    format!("◂ {value} ▸")
}
