//! The Items screen: the service items with entries in the period, with status and rating.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};

use super::theme;
use crate::domain::model::Status;
use crate::tui::app::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s;
    let lang = app.settings.lang;
    let rows = app.item_rows();
    let mut title = format!(
        " {} · {} · {} {} ",
        s.tabs[1],
        app.period.code(),
        rows.len(),
        s.items_unit
    );
    if !app.filter.is_empty() {
        title += &format!("· {}: {} (Esc) ", s.filter, app.filter);
    }
    let block = Block::bordered().title(title).title_style(theme::title());
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(if app.data.items.is_empty() {
                s.nothing_here
            } else {
                s.no_match
            })
            .style(theme::dim())
            .block(block),
            area,
        );
        return;
    }
    let table_rows = rows.iter().map(|r| {
        let status = match r.item.status {
            Status::Open => s.open,
            Status::Closed => s.closed,
        };
        Row::new(vec![
            r.item.number.clone(),
            r.item.title.clone(),
            app.data.topics.label(&r.item.topic, lang).to_string(),
            r.item.department.clone(),
            status.to_string(),
            r.item
                .satisfaction
                .map_or(s.unrated, |x| x.label(lang))
                .to_string(),
            format!("{:>3}", r.entries),
            format!("{:>5}", r.minutes.hours()),
        ])
    });
    let widths = [
        Constraint::Length(9),
        Constraint::Fill(1),
        Constraint::Length(12),
        Constraint::Length(12),
        Constraint::Length(6),
        Constraint::Length(8),
        Constraint::Length(4),
        Constraint::Length(5),
    ];
    let header = Row::new(vec![
        s.item,
        s.title,
        s.topic,
        s.department,
        s.status,
        s.rating,
        s.entries,
        s.hours_col,
    ])
    .style(theme::title());
    let table = Table::new(table_rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(app.selected[1]));
    frame.render_stateful_widget(table, area, &mut state);
}
