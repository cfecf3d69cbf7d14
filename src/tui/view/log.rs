//! The Log screen: the period's entries, newest first, with the selected entry's item below.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table, TableState, Wrap};

use super::borders::boxed;
use unicode_width::UnicodeWidthStr;

use super::{Window, cells, fit, selectable, theme, widths_for, wrap};
use crate::domain::intake::shown_number;
use crate::tui::action::Screen;
use crate::tui::app::{App, Shown};
use crate::tui::data::LogRow;

/// Right-aligned columns: the hours.
const FIGURES: [usize; 1] = [5];

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let shown = app.log_shown();
    let [list, detail] = Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(area);
    let block = boxed(&title(app, &shown), list).title_style(theme::title());
    if shown.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(nothing_shown(app))
                .wrap(Wrap { trim: true })
                .style(theme::dim())
                .block(block),
            list,
        );
    } else {
        // Only the rows on screen are built; the columns are measured once over all of them.
        let window = Window::around(app.selected.log, shown.rows.len(), list);
        let rows: Vec<&LogRow> = shown.rows[window.range()]
            .iter()
            .filter_map(|&at| app.data.log.get(at))
            .collect();
        let widest = shown.widest.get_or_init(|| widest(app, &shown.rows));
        let table = entries_table(app, &rows, widest, list.width).block(block);
        let mut state = TableState::default().with_selected(Some(window.selected));
        frame.render_stateful_widget(table, list, &mut state);
    }
    let detail_block = boxed(&format!(" {} ", app.strings.detail), detail);
    // Wrapped here by display width rather than by the widget, whose wrapping can leave a wide
    // character in the last column with its second half on the border.
    let lines: Vec<Line> = wrap(&item_detail(app), detail_block.inner(detail).width.into())
        .into_iter()
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines).block(detail_block), detail);
}

/// ` 日志 · 2024-03 · 12 条 · 30.5 小时 `, then the drill-down and the filter in force.
fn title(app: &App, shown: &Shown) -> String {
    let strings = app.strings;
    let count = shown.rows.len();
    let mut title = format!(
        " {} · {} · {} {} · {} {} ",
        strings.tab(Screen::Log),
        app.period.code(),
        count,
        strings.entries_unit(count),
        shown.minutes.hours(),
        strings.hours
    );
    if let Some(d) = &app.drill {
        title += &format!("· {}: {} (Esc) ", strings.drill, d.label);
    }
    if !app.filter.is_empty() {
        title += &format!("· {}: {} (Esc) ", strings.filter, app.filter);
    }
    title
}

/// Why the list is empty, and what to do.
fn nothing_shown(app: &App) -> &'static str {
    // An empty ledger cannot take entries yet: say how to add the team first.
    if app.data.advisors.is_empty() {
        app.strings.no_advisors
    } else if app.data.log.is_empty() {
        app.strings.nothing_here
    } else {
        app.strings.no_match
    }
}

/// The header of the entries table.
fn header(app: &App) -> [&'static str; 6] {
    let strings = app.strings;
    [
        strings.date,
        strings.advisor,
        strings.item,
        strings.topic,
        strings.service,
        strings.hours_col,
    ]
}

/// An entry's cells before they are fitted to their columns.
fn values<'a>(app: &'a App, r: &'a LogRow) -> [Cow<'a, str>; 6] {
    let lang = app.settings.lang;
    [
        Cow::Owned(r.entry.date.to_string()),
        Cow::Owned(format!("{} {}", r.advisor_name, r.entry.advisor)),
        Cow::Borrowed(&r.item.title),
        Cow::Borrowed(app.data.topics.label(&r.item.topic, lang)),
        Cow::Borrowed(app.data.services.label(&r.item.service, lang)),
        Cow::Owned(r.entry.minutes.hours()),
    ]
}

/// The widest cell of each column over the rows at `shown` in the period's entries.
fn widest(app: &App, shown: &[usize]) -> Vec<usize> {
    let mut widest = vec![0; 6];
    for r in shown.iter().filter_map(|&at| app.data.log.get(at)) {
        for (w, cell) in widest.iter_mut().zip(values(app, r)) {
            *w = (*w).max(cell.width());
        }
    }
    widest
}

/// The entries `rows` as a table `width` columns wide, its columns as wide as `widest` asks.
fn entries_table<'a>(app: &App, rows: &[&LogRow], widest: &[usize], width: u16) -> Table<'a> {
    let header = header(app);
    // English names are longer; give them room when the screen has it.
    let (topic_cap, service_cap) = if width >= 100 { (18, 16) } else { (12, 10) };
    let caps = [10, 14, u16::MAX, topic_cap, service_cap, 5];
    let widths = widths_for(width, &header, widest, &caps, 2, &[4, 3]);
    // Topics and services by their names in either language, cut with `…` where one does not fit.
    let table_rows = rows.iter().map(|r| {
        let mut v = values(app, r).map(Cow::into_owned);
        // The advisor's id is never the part that is cut.
        let id = &r.entry.advisor;
        let room = usize::from(widths[1]).saturating_sub(id.width() + 1);
        v[1] = format!("{} {id}", fit(&r.advisor_name, room));
        Row::new(cells(&v, &widths, &FIGURES))
    });
    selectable(table_rows, &header.map(String::from), &widths, &FIGURES)
}

/// The selected entry's item: number, title, department, rating, its entries in the period,
/// its adoption, and the entry's note.
fn item_detail(app: &App) -> String {
    let Some(r) = app.selected_log() else {
        return String::new();
    };
    let strings = app.strings;
    let lang = app.settings.lang;
    let item_row = app.data.item_row(r.item.id);
    let (entries, minutes) = item_row.map_or((1, r.entry.minutes), |i| (i.entries, i.minutes));
    let rating = r
        .item
        .satisfaction
        .map_or(strings.unrated, |x| x.label(lang));
    let mut text = format!(
        "{} {} {} · {} · {} · {} {entries} {} · {} {}",
        strings.item,
        shown_number(&r.item.number),
        r.item.title,
        r.item.department,
        rating,
        strings.in_period,
        strings.entries_unit(entries),
        minutes.hours(),
        strings.hours
    );
    if let Some(adoption) = strings.adoption(r.item.outcome.as_ref(), true) {
        text += &format!(" · {adoption}");
    }
    if !r.entry.note.is_empty() {
        // The panel wraps one line of text: a note's own line breaks are shown, not lost.
        let note = r.entry.note.lines().collect::<Vec<_>>().join(" ↵ ");
        text += &format!(" · {}", strings.labelled(strings.note, &note));
    }
    if let Some(origin) = &r.provenance.origin {
        text += &format!(" · {}", strings.from_store(origin));
    }
    if let Some(logged) = r.provenance.logged {
        text += &format!(" · {}", strings.corrected_from(logged));
    }
    // A tab or line break in a title or department shows escaped, as in the tables.
    crate::domain::strings::printable(&text)
}
