//! The entry form, drawn over the current screen: a line per field with its meaning or its
//! problem beside it, the focused field's choices under it, and the whole problem at the foot.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use strum::{EnumCount, VariantArray};

use super::borders::boxed;
use super::text::{foot, skip_columns};
use super::{centered, fit, height_of, pad, theme};
use crate::domain::intake::shown_number;
use crate::domain::{Lang, Minutes};
use crate::tui::app::App;
use crate::tui::data::PeriodData;
use crate::tui::form::{Choice, Field, FieldProblem, Form};
use crate::tui::strings::{Strings, spelled_duration};

/// Lines of choices shown under a picker.
const CHOICES: usize = 5;

/// Columns of the form, border included, where the terminal has them.
const FORM_WIDTH: u16 = 76;

/// Columns of the field names, before the marker and the gap.
const LABEL_WIDTH: usize = 10;

/// Where the values start: after the focus marker, the label and a space.
const VALUE_X: usize = LABEL_WIDTH + 2;

/// What the form's lines are drawn from.
struct FormView<'a> {
    form: &'a Form,
    data: &'a PeriodData,
    strings: &'static Strings,
    lang: Lang,
    /// The focused field's choices, filtered by what it holds.
    choices: Vec<Choice>,
    /// Columns inside the border.
    width: usize,
    /// Columns of a field's value; what is left after it takes the hint.
    value_width: usize,
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, form: &Form) {
    let strings = app.strings;
    let choices = form.choices(form.focus, &app.data, app.settings.lang);
    // The fields, the choices, a blank line, the problem's lines (two at least) and one of
    // keys, the border.
    let inner_width = usize::from(FORM_WIDTH.min(area.width).saturating_sub(2));
    let foot = FormView::foot_lines(form, app, inner_width);
    let height = height_of(Field::COUNT + choices.len().min(CHOICES) + foot + 4);
    let rect = centered(area, FORM_WIDTH, height);
    frame.render_widget(Clear, rect);
    let title = if form.editing.is_some() {
        strings.edit_entry
    } else {
        strings.add_entry
    };
    let block = boxed(&format!(" {title} "), rect).title_style(theme::title());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let view = FormView {
        form,
        data: &app.data,
        strings,
        lang: app.settings.lang,
        choices,
        width,
        value_width: (width.saturating_sub(VALUE_X) * 3 / 5).max(12),
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    for &field in Field::VARIANTS {
        lines.push(view.field_line(field));
        if field == form.focus {
            cursor = Some(view.cursor(inner, lines.len() - 1));
            lines.extend(view.choice_lines());
        }
    }
    lines.push(Line::raw(""));
    lines.extend(view.problem_lines());
    lines.push(Line::styled(fit(strings.form_keys, width), theme::dim()));
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(cursor) = cursor {
        frame.set_cursor_position(cursor);
    }
}

impl FormView<'_> {
    /// The focused field scrolls to keep the cursor in view; the others show their beginning.
    fn scroll(&self, field: Field) -> usize {
        if field == self.form.focus {
            self.form.inputs[field].visual_scroll(self.value_width)
        } else {
            0
        }
    }

    /// A field: marker, name, value, and its meaning or problem.
    fn field_line(&self, field: Field) -> Line<'static> {
        let focused = field == self.form.focus;
        let visible = skip_columns(self.form.value(field), self.scroll(field));
        let (mut hint, bad) = self.hint(field);
        let locked = self.form.locked(field);
        if locked && field != Field::Item && hint.is_empty() {
            hint = self.strings.from_item.to_string();
        }
        let marker = if focused { "▸" } else { " " };
        let value_style = if focused {
            theme::title()
        } else if locked {
            theme::dim()
        } else {
            Style::new()
        };
        let hint_room = self.width.saturating_sub(VALUE_X + self.value_width + 1);
        Line::from(vec![
            Span::styled(
                format!("{marker}{}", pad(label(self.strings, field), LABEL_WIDTH)),
                if focused { theme::key() } else { theme::dim() },
            ),
            Span::raw(" "),
            Span::styled(pad(visible, self.value_width), value_style),
            Span::raw(" "),
            Span::styled(
                fit(&hint, hint_room),
                if bad { theme::error() } else { theme::dim() },
            ),
        ])
    }

    /// What to show after a field's value: its meaning, or (`true`) its problem.
    fn hint(&self, field: Field) -> (String, bool) {
        if let Some(problem) = &self.form.field_problems[field] {
            return (format!("✗ {}", problem.message(self.lang)), true);
        }
        let value = self.form.value(field).trim();
        let text = match field {
            Field::Advisor => self
                .data
                .advisor(value)
                .map(|a| self.strings.aside(&a.name, a.category.short(self.lang))),
            Field::Item if value.is_empty() && self.form.editing.is_none() => {
                Some(self.strings.new_item.to_string())
            }
            Field::Item => self
                .data
                .recent_items
                .iter()
                .find(|i| shown_number(&i.number) == value)
                .map(|i| i.title.clone()),
            // The hours as read, or what is wrong with them, as they are typed.
            Field::Hours if !value.is_empty() => match Minutes::parse(value) {
                Ok(m) => Some(format!("= {}", spelled_duration(m, self.lang))),
                Err(e) => return (format!("✗ {}", e.message(self.lang)), true),
            },
            _ => None,
        };
        (text.unwrap_or_default(), false)
    }

    /// Where the terminal's cursor goes: in the focused field, on line `row` of the form.
    fn cursor(&self, inner: Rect, row: usize) -> Position {
        let input = &self.form.inputs[self.form.focus];
        let column = VALUE_X
            + input
                .visual_cursor()
                .saturating_sub(self.scroll(self.form.focus));
        // Past the right edge the cursor stays on it; a form is never taller than a u16 counts.
        let x = inner
            .x
            .saturating_add(u16::try_from(column).unwrap_or(u16::MAX));
        Position {
            x: x.min(inner.right().saturating_sub(1)),
            y: inner.y.saturating_add(height_of(row)),
        }
    }

    /// The focused field's choices, the highlighted one in view.
    fn choice_lines(&self) -> Vec<Line<'static>> {
        let highlighted = self.form.highlighted;
        let start = highlighted.saturating_sub(CHOICES - 1);
        let room = self.width.saturating_sub(VALUE_X);
        self.choices
            .iter()
            .enumerate()
            .skip(start)
            .take(CHOICES)
            .map(|(j, choice)| {
                let style = if j == highlighted {
                    theme::selected()
                } else {
                    theme::dim()
                };
                Line::from(vec![
                    Span::raw(" ".repeat(VALUE_X)),
                    Span::styled(fit(&choice.label, room), style),
                ])
            })
            .collect()
    }

    /// How many lines the foot's text takes at `width` (see [`foot`]).
    fn foot_lines(form: &Form, app: &App, width: usize) -> usize {
        let view = FormView {
            form,
            data: &app.data,
            strings: app.strings,
            lang: app.settings.lang,
            choices: Vec::new(),
            width,
            value_width: 0,
        };
        view.foot_text()
            .map_or(2, |(text, _)| foot(&text, width).len())
    }

    /// The foot's text and whether it is a problem (not a question to answer).
    fn foot_text(&self) -> Option<(String, bool)> {
        if self.form.discard_armed {
            return Some((self.strings.discard_hint.to_string(), true));
        }
        let problem = self.whole_problem()?;
        // The question of a change to an item every entry of it shares is asked, not a fault.
        if self.form.item_question.as_ref() == Some(&problem) {
            return Some((problem, false));
        }
        Some((format!("✗ {problem}"), true))
    }

    /// The lines at the foot: the whole of the focused field's problem (or the first one, or
    /// the form's own, or its question), since the space beside a field cuts it short, broken
    /// between words and never inside a figure; else how to pick. Two at least.
    fn problem_lines(&self) -> Vec<Line<'static>> {
        match self.foot_text() {
            Some((text, problem)) => {
                let style = if problem {
                    theme::error()
                } else {
                    theme::warn()
                };
                foot(&text, self.width)
                    .into_iter()
                    .map(|l| Line::styled(l, style))
                    .collect()
            }
            None if self.form.focus.picks() && !self.choices.is_empty() => vec![
                Line::styled(self.strings.pick_hint, theme::dim()),
                Line::raw(""),
            ],
            None => vec![Line::raw(""), Line::raw("")],
        }
    }

    /// The problem the foot explains: the focused field's, the hours' as they are typed, the
    /// save's, or the first field's. A field that is only required needs no more than its hint.
    fn whole_problem(&self) -> Option<String> {
        let form = self.form;
        let said = |problem: &FieldProblem| match problem {
            FieldProblem::Required => None,
            other => Some(other.message(self.lang)),
        };
        let typed_hours = form.value(Field::Hours).trim();
        let live = (form.focus == Field::Hours && !typed_hours.is_empty())
            .then(|| Minutes::parse(typed_hours).err())
            .flatten()
            .map(|e| e.message(self.lang));
        form.field_problems[form.focus]
            .as_ref()
            .map(said)
            .or(live.map(Some))
            .or(form.save_problem.clone().map(Some))
            .or_else(|| form.field_problems.values().flatten().next().map(said))
            .flatten()
    }
}

/// A field's name.
fn label(strings: &Strings, field: Field) -> &'static str {
    match field {
        Field::Date => strings.date,
        Field::Advisor => strings.advisor,
        Field::Item => strings.item,
        Field::Title => strings.title,
        Field::Topic => strings.topic,
        Field::Service => strings.service,
        Field::Department => strings.department,
        Field::Hours => strings.hours_col,
        Field::Note => strings.note,
    }
}
