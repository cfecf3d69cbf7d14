//! The Items screen: the service items with entries in the period, with status and rating.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};

use super::{catalog_codes, cells, column_widths, constraints, theme};
use crate::tui::app::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings;
    let lang = app.settings.lang;
    let rows = app.item_rows();
    let mut title = format!(
        " {} · {} · {} {} ",
        s.tabs[1],
        app.period.code(),
        rows.len(),
        if rows.len() == 1 && lang == crate::domain::Lang::En {
            "item"
        } else {
            s.many_items
        }
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
    let header = [
        s.item,
        s.title,
        s.topic,
        s.department,
        s.status,
        s.rating,
        s.outcome,
        s.entries_col,
        s.hours_col,
    ];
    let values: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.item.number.clone(),
                r.item.title.clone(),
                app.data.topics.label(&r.item.topic, lang).to_string(),
                r.item.department.clone(),
                s.item_status(r.item.status).to_string(),
                r.item
                    .satisfaction
                    .map_or(s.unrated, |x| x.short(lang))
                    .to_string(),
                s.adoption(r.item.outcome.as_ref(), false)
                    .unwrap_or_default(),
                r.entries.to_string(),
                r.minutes.hours(),
            ]
        })
        .collect();
    // The title gets what the other columns leave; they give way first on a narrow screen.
    let narrow = if area.width >= 100 { 14 } else { 10 };
    // The outcome column shows only when some item in view has one.
    let outcome_cap = if values.iter().any(|v| !v[6].is_empty()) {
        11
    } else {
        0
    };
    let widths = column_widths(
        area.width,
        &header,
        &values,
        &[9, u16::MAX, narrow, narrow, 8, 11, outcome_cap, 7, 7],
        1,
        &[3, 4, 7, 6],
    );
    let codes = catalog_codes(&values, 2, widths[2], lang);
    let table_rows = rows.iter().zip(values).map(|(r, mut v)| {
        if codes {
            v[2] = r.item.topic.clone();
        }
        Row::new(cells(&v, &widths, &[7, 8]))
    });
    let header = Row::new(cells(&header.map(String::from), &widths, &[7, 8])).style(theme::title());
    let widths = constraints(&widths);
    let table = Table::new(table_rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(app.selected.items));
    frame.render_stateful_widget(table, area, &mut state);
}
