//! The Report screen: the period's paragraph, ready to copy, and the figures it came from.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::theme;
use crate::tui::app::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s;
    let lang = app.settings.lang;
    let summary = &app.data.summary;
    let t = &summary.total;
    let [text_area, figures_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(9)]).areas(area);
    let title = format!(" {} · {} ", s.tabs[4], app.period.label(lang));
    frame.render_widget(
        Paragraph::new(summary.to_string())
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(title).title_style(theme::title())),
        text_area,
    );
    let mut lines = vec![Line::raw(format!(
        "{} {}  ·  {} {}  ·  {} {} ({} {}, {} {}, {} {})  ·  {} {}",
        s.items,
        t.items,
        s.hours,
        t.minutes.hours(),
        s.rated,
        t.rated(),
        s.satisfied,
        t.satisfied,
        s.basic,
        t.basic,
        s.unsatisfied,
        t.unsatisfied,
        s.rate,
        t.satisfaction().percent()
    ))];
    for c in &summary.categories {
        lines.push(Line::raw(format!(
            "{}: {}/{} ({}) · {} {} · {} {}",
            c.category.label(lang),
            c.participating,
            c.total,
            c.rate().percent(),
            s.items,
            c.items,
            s.hours,
            c.minutes.hours()
        )));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(format!(" {} ", s.report_figures))),
        figures_area,
    );
}
