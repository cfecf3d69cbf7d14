//! Small things drawn over the screens: the text prompt, the delete question, the key help.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::borders::boxed;
use unicode_width::UnicodeWidthStr;

use super::{centered, fit, height_of, pad, theme};
use crate::tui::app::{App, Prompt, PromptKind};
use crate::tui::data::LogRow;

/// A one-line prompt just above the status line: what it asks, what is typed, and the keys or
/// what is wrong.
pub fn prompt(frame: &mut Frame, area: Rect, app: &App, p: &Prompt) {
    let strings = app.strings;
    let label = match p.kind {
        PromptKind::Filter => strings.filter,
        PromptKind::Period => strings.period_prompt,
        PromptKind::Reason(_) => strings.reason_prompt,
    };
    let box_area = Rect {
        y: area.y.saturating_sub(3),
        height: 4,
        ..area
    };
    frame.render_widget(Clear, box_area);
    let block = boxed(&format!(" {label} "), box_area).title_style(theme::title());
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let width = usize::from(inner.width);
    let scroll = p.input.visual_scroll(width);
    let second = match &p.error {
        Some(e) => Line::styled(fit(&format!("✗ {e}"), width), theme::error()),
        None => Line::styled(strings.prompt_keys, theme::dim()),
    };
    let value: String = p.input.value().chars().skip(scroll).collect();
    frame.render_widget(Paragraph::new(vec![Line::raw(value), second]), inner);
    let column = p.input.visual_cursor().saturating_sub(scroll);
    frame.set_cursor_position(Position {
        // The scroll keeps the cursor within the line: the column fits.
        x: inner
            .x
            .saturating_add(u16::try_from(column).unwrap_or(u16::MAX)),
        y: inner.y,
    });
}

/// The question before an entry is deleted, naming the entry.
pub fn confirm(frame: &mut Frame, area: Rect, app: &App, row: &LogRow) {
    let strings = app.strings;
    let rect = centered(area, 60, 6);
    frame.render_widget(Clear, rect);
    let block = boxed(&format!(" {} ", strings.confirm_delete), rect).title_style(theme::error());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let lines = vec![
        Line::raw(fit(
            &format!(
                "#{} {} {} {} {}",
                row.entry.id.0,
                row.entry.date,
                row.advisor_name,
                row.entry.minutes.hours(),
                strings.h
            ),
            width,
        )),
        Line::raw(fit(&row.item.title, width)),
        Line::raw(""),
        Line::styled(strings.confirm_keys, theme::key()),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Every key and what it does; on a screen too short for them all, from key `first` down, with
/// ↑↓ named in the title.
pub fn help(frame: &mut Frame, area: Rect, app: &App, first: usize) {
    let strings = app.strings;
    let keys = &strings.help;
    let rect = centered(area, 78, height_of(keys.len()).saturating_add(2));
    let room = usize::from(rect.height.saturating_sub(2));
    let first = first.min(keys.len().saturating_sub(room));
    frame.render_widget(Clear, rect);
    let title = if room < keys.len() {
        format!(
            " {} · {} · {} ",
            strings.help_title, strings.help_scroll, strings.help_close
        )
    } else {
        format!(" {} · {} ", strings.help_title, strings.help_close)
    };
    let block = boxed(&title, rect).title_style(theme::title());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let key_width = keys
        .iter()
        .map(|(k, _)| k.width() + 2)
        .max()
        .unwrap_or(0)
        .min(30);
    let lines: Vec<Line> = keys
        .iter()
        .skip(first)
        .take(room)
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(pad(key, key_width), theme::key()),
                Span::raw(fit(
                    what,
                    usize::from(inner.width).saturating_sub(key_width),
                )),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
