//! An entry's history drawn over the Log: one line per audit record — when, who, what, and its
//! before → after in a few words — with what people typed shown only as text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::borders::boxed;

use super::{centered, fit, height_of, theme};
use crate::domain::strings::printable;
use crate::store::{AuditRecord, brief_pair};
use crate::tui::app::{App, EntryTrail};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, trail: &EntryTrail) {
    let strings = app.strings;
    // Two lines a record, the keys, the border; within the screen.
    let wanted = trail.records.len().max(1) * 2 + 3;
    let rect = centered(
        area,
        78,
        height_of(wanted).min(area.height.saturating_sub(2)),
    );
    frame.render_widget(Clear, rect);
    let heading = format!(
        " {} · #{} {} ",
        strings.history_title,
        trail.entry.0,
        printable(&trail.title)
    );
    let block = boxed(&heading, rect).title_style(theme::title());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = usize::from(inner.width);
    let room = usize::from(inner.height).saturating_sub(1) / 2;
    let mut lines: Vec<Line> = Vec::new();
    if trail.records.is_empty() {
        lines.push(Line::styled(fit(strings.history_none, width), theme::dim()));
    }
    for record in trail.records.iter().skip(trail.scroll).take(room) {
        lines.extend(record_lines(record, app, width));
    }
    while lines.len() < usize::from(inner.height).saturating_sub(1) {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(fit(strings.history_keys, width), theme::key()));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// A record as two lines: number, when, who and what; then before → after, indented.
fn record_lines(r: &AuditRecord, app: &App, width: usize) -> [Line<'static>; 2] {
    let head = format!(
        "{:>4}  {}  {}  ",
        r.seq,
        r.at.format("%Y-%m-%d %H:%M"),
        printable(&r.who)
    );
    let head = fit(&head, width);
    let what = fit(
        r.action.label(app.settings.lang),
        width.saturating_sub(unicode_width::UnicodeWidthStr::width(head.as_str())),
    );
    let change = match brief_pair(&r.before, &r.after) {
        (before, after) if before.is_empty() => after,
        (before, after) if after.is_empty() => format!("{before} →"),
        (before, after) => format!("{before} → {after}"),
    };
    [
        Line::from(vec![Span::raw(head), Span::styled(what, theme::title())]),
        Line::styled(
            fit(&format!("      {}", printable(&change)), width),
            theme::dim(),
        ),
    ]
}
