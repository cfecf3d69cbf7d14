//! Small things drawn over the screens: the text prompt, the delete question, the key help.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{centered, fit, pad, theme};
use crate::tui::app::{App, Prompt, PromptKind};
use crate::tui::data::LogRow;

pub fn prompt(frame: &mut Frame, area: Rect, app: &App, p: &Prompt) {
    let s = app.s;
    let label = match p.kind {
        PromptKind::Filter => s.filter,
        PromptKind::Period => s.period_prompt,
        PromptKind::Reason(_) => s.reason_prompt,
    };
    let box_area = Rect {
        y: area.y.saturating_sub(3),
        height: 4,
        ..area
    };
    frame.render_widget(Clear, box_area);
    let block = Block::bordered()
        .title(format!(" {label} "))
        .title_style(theme::title());
    let inner = block.inner(box_area);
    frame.render_widget(block, box_area);
    let width = inner.width as usize;
    let scroll = p.input.visual_scroll(width);
    let second = match &p.error {
        Some(e) => Line::styled(fit(&format!("✗ {e}"), width), theme::error()),
        None => Line::styled(s.prompt_keys, theme::dim()),
    };
    let value: String = p.input.value().chars().skip(scroll).collect();
    frame.render_widget(Paragraph::new(vec![Line::raw(value), second]), inner);
    frame.set_cursor_position(Position {
        x: inner.x + (p.input.visual_cursor().saturating_sub(scroll)) as u16,
        y: inner.y,
    });
}

pub fn confirm(frame: &mut Frame, area: Rect, app: &App, row: &LogRow) {
    let s = app.s;
    let rect = centered(area, 60, 6);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(format!(" {} ", s.confirm_delete))
        .title_style(theme::error());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width as usize;
    let lines = vec![
        Line::raw(fit(
            &format!(
                "#{} {} {} {} {}",
                row.entry.id.0,
                row.entry.date,
                row.advisor_name,
                row.entry.minutes.hours(),
                s.h
            ),
            width,
        )),
        Line::raw(fit(&row.item.title, width)),
        Line::raw(""),
        Line::styled(s.confirm_keys, theme::key()),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn help(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s;
    let keys = &s.help;
    let rect = centered(area, 78, keys.len() as u16 + 2);
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(format!(" {} · {} ", s.help_title, s.help_close))
        .title_style(theme::title());
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
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(pad(key, key_width), theme::key()),
                Span::raw(fit(what, (inner.width as usize).saturating_sub(key_width))),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
