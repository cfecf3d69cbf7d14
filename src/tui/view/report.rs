//! The Report screen: the period's paragraph, ready to copy, and the figures it came from.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::{theme, wrap};
use crate::tui::app::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s;
    let lang = app.settings.lang;
    let summary = &app.data.summary;
    let t = &summary.total;
    let [text_area, figures_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(9.min(area.height / 2)),
    ])
    .areas(area);
    let title = format!(" {} · {} ", s.tabs[4], app.period.label(lang));
    let block = Block::bordered().title(title).title_style(theme::title());
    // Wrapped here rather than by the widget, so that no figure is split across two lines.
    let paragraph: Vec<Line> = wrap(&summary.to_string(), block.inner(text_area).width.into())
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(paragraph).block(block), text_area);
    let mut lines = vec![format!(
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
    )];
    for c in &summary.categories {
        lines.push(format!(
            "{}: {}/{} ({}) · {} {} · {} {}",
            c.category.label(lang),
            c.participating,
            c.total,
            c.rate().percent(),
            s.items,
            c.items,
            s.hours,
            c.minutes.hours()
        ));
    }
    let block = Block::bordered().title(format!(" {} ", s.report_figures));
    let width = block.inner(figures_area).width.into();
    let lines: Vec<Line> = lines
        .iter()
        .flat_map(|l| wrap(l, width))
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), figures_area);
}
