//! The Items screen: the service items with entries in the period, with status and rating.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::borders::boxed;

use super::{cells, column_widths, selectable, theme};
use crate::domain::intake::shown_number;
use crate::tui::action::Screen;
use crate::tui::app::App;
use crate::tui::data::ItemRow;

/// Right-aligned columns: entries and hours.
const FIGURES: [usize; 2] = [7, 8];

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let strings = app.strings;
    let rows = app.item_rows();
    let mut title = format!(
        " {} · {} · {} {} ",
        strings.tab(Screen::Items),
        app.period.code(),
        rows.len(),
        strings.items_unit(rows.len())
    );
    if !app.filter.is_empty() {
        title += &format!("· {}: {} (Esc) ", strings.filter, app.filter);
    }
    let block = boxed(&title, area).title_style(theme::title());
    if rows.is_empty() {
        let text = if app.data.items.is_empty() {
            strings.nothing_here
        } else {
            strings.no_match
        };
        frame.render_widget(Paragraph::new(text).style(theme::dim()).block(block), area);
        return;
    }
    let table = items_table(app, &rows, area.width).block(block);
    let mut state = TableState::default().with_selected(Some(app.selected.items));
    frame.render_stateful_widget(table, area, &mut state);
}

/// The items as a table `width` columns wide.
fn items_table<'a>(app: &App, rows: &[&ItemRow], width: u16) -> Table<'a> {
    let strings = app.strings;
    let lang = app.settings.lang;
    let header = [
        strings.item,
        strings.title,
        strings.topic,
        strings.department,
        strings.status,
        strings.rating,
        strings.outcome,
        strings.entries_col,
        strings.hours_col,
    ];
    let values: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                shown_number(&r.item.number),
                r.item.title.clone(),
                app.data.topics.label(&r.item.topic, lang).to_string(),
                r.item.department.clone(),
                strings.item_status(r.item.status).to_string(),
                r.item
                    .satisfaction
                    .map_or(strings.unrated, |x| x.short(lang))
                    .to_string(),
                strings
                    .adoption(r.item.outcome.as_ref(), false)
                    .unwrap_or_default(),
                r.entries.to_string(),
                r.minutes.hours(),
            ]
        })
        .collect();
    // The title gets what the other columns leave; they give way first on a narrow screen.
    let narrow = if width >= 100 { 14 } else { 10 };
    // The adoption column shows only when some item in view has one.
    let adoption_cap = if values.iter().any(|v| !v[6].is_empty()) {
        11
    } else {
        0
    };
    // The number with its `#`: ten columns, so that what people copy back names the item.
    let caps = [10, u16::MAX, narrow, narrow, 8, 11, adoption_cap, 7, 7];
    let widths = column_widths(width, &header, &values, &caps, 1, &[3, 4, 7, 6]);
    // Topics by their names in either language, cut with `…` where a name does not fit.
    let table_rows = values.iter().map(|v| Row::new(cells(v, &widths, &FIGURES)));
    selectable(table_rows, &header.map(String::from), &widths, &FIGURES)
}
