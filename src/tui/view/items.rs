//! The Items screen: the service items with entries in the period, with status and rating.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::borders::boxed;

use super::{Window, cells, selectable, theme, widths_for};
use crate::domain::intake::shown_number;
use crate::tui::action::Screen;
use crate::tui::app::App;
use crate::tui::data::ItemRow;
use unicode_width::UnicodeWidthStr;

/// Right-aligned columns: entries and hours.
const FIGURES: [usize; 2] = [7, 8];

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let strings = app.strings;
    let shown = app.items_shown();
    let count = shown.rows.len();
    let mut title = format!(
        " {} · {} · {} {} ",
        strings.tab(Screen::Items),
        app.period.code(),
        count,
        strings.items_unit(count)
    );
    if !app.filter.is_empty() {
        title += &format!("· {}: {} (Esc) ", strings.filter, app.filter);
    }
    let block = boxed(&title, area).title_style(theme::title());
    if shown.rows.is_empty() {
        let text = if app.data.items.is_empty() {
            strings.nothing_here
        } else {
            strings.no_match
        };
        frame.render_widget(Paragraph::new(text).style(theme::dim()).block(block), area);
        return;
    }
    // Only the rows on screen are built; the columns are measured once over all of them.
    let window = Window::around(app.selected.items, count, area);
    let rows: Vec<&ItemRow> = shown.rows[window.range()]
        .iter()
        .filter_map(|&at| app.data.items.get(at))
        .collect();
    let widest = shown.widest.get_or_init(|| {
        let mut widest = vec![0; 9];
        for r in shown.rows.iter().filter_map(|&at| app.data.items.get(at)) {
            for (w, cell) in widest.iter_mut().zip(values(app, r)) {
                *w = (*w).max(cell.width());
            }
        }
        widest
    });
    let table = items_table(app, &rows, widest, area.width).block(block);
    let mut state = TableState::default().with_selected(Some(window.selected));
    frame.render_stateful_widget(table, area, &mut state);
}

/// An item's cells before they are fitted to their columns.
fn values<'a>(app: &'a App, r: &'a ItemRow) -> [Cow<'a, str>; 9] {
    let strings = app.strings;
    let lang = app.settings.lang;
    [
        Cow::Owned(shown_number(&r.item.number)),
        Cow::Borrowed(&r.item.title),
        Cow::Borrowed(app.data.topics.label(&r.item.topic, lang)),
        Cow::Borrowed(&r.item.department),
        Cow::Borrowed(strings.item_status(r.item.status)),
        Cow::Borrowed(
            r.item
                .satisfaction
                .map_or(strings.unrated, |x| x.short(lang)),
        ),
        Cow::Owned(
            strings
                .adoption(r.item.outcome.as_ref(), false)
                .unwrap_or_default(),
        ),
        Cow::Owned(r.entries.to_string()),
        Cow::Owned(r.minutes.hours()),
    ]
}

/// The items `rows` as a table `width` columns wide, its columns as wide as `widest` asks.
fn items_table<'a>(app: &App, rows: &[&ItemRow], widest: &[usize], width: u16) -> Table<'a> {
    let strings = app.strings;
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
    // The title gets what the other columns leave; they give way first on a narrow screen.
    let narrow = if width >= 100 { 14 } else { 10 };
    // The adoption column shows only when some item in view has one.
    let adoption_cap = if widest[6] > 0 { 11 } else { 0 };
    // The number with its `#`: ten columns, so that what people copy back names the item.
    let caps = [10, u16::MAX, narrow, narrow, 8, 11, adoption_cap, 7, 7];
    let widths = widths_for(width, &header, widest, &caps, 1, &[3, 4, 7, 6]);
    // Topics by their names in either language, cut with `…` where a name does not fit.
    let table_rows = rows.iter().map(|r| {
        Row::new(cells(
            &values(app, r).map(Cow::into_owned),
            &widths,
            &FIGURES,
        ))
    });
    selectable(table_rows, &header.map(String::from), &widths, &FIGURES)
}
