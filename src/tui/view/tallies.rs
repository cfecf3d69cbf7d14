//! The Tallies screen: the period grouped one way, as a table and as bars of hours.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Row, Table, TableState};

use super::borders::{boxed, room};
use strum::VariantArray;
use unicode_width::UnicodeWidthStr;

use super::{cells as view_cells, column_widths, constraints, fit, pad, theme};
use crate::domain::{GroupBy, Row as TallyRow, Tally};
use crate::report::cells::{note, rows as tally_rows, total_cells};
use crate::tui::app::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let shown = app.tally_shown();
    let t = shown.as_ref();
    let bar_height = if t.by == GroupBy::Month {
        (area.height / 3).max(5)
    } else {
        // A count past `u16` is held to a third of the screen all the same.
        u16::try_from(t.rows.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2)
            .clamp(3, area.height / 3)
    };
    let [table_area, bars_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(bar_height)]).areas(area);
    table(frame, table_area, app, t);
    let block = boxed(&format!(" {} ", app.strings.bars), bars_area);
    if t.by == GroupBy::Month {
        months(frame, bars_area, block, t);
    } else {
        bars(frame, bars_area, block, t);
    }
}

/// The tally as a table with its total: every row by its name in either language, cut with `…`
/// where a name does not fit.
fn table(frame: &mut Frame, area: Rect, app: &App, t: &Tally) {
    let strings = app.strings;
    let lang = app.settings.lang;
    let groups: Vec<&str> = GroupBy::VARIANTS.iter().map(|g| g.label(lang)).collect();
    // The filter, when there is one, before the grouping hint, which a narrow screen cuts.
    let filter = if app.filter.is_empty() {
        String::new()
    } else {
        format!("· {}: {} (Esc) ", strings.filter, app.filter)
    };
    let mut title = format!(
        " {} · {} · {} {filter}({}: {}) ",
        strings.tabs[2],
        app.period.label(lang),
        t.by.label(lang),
        strings.group_hint,
        groups.join("/")
    );
    // The list of groupings goes first when the title does not fit: the key that cycles them
    // stays, and no grouping's name shows cut in half.
    if title.width() > room(area) {
        title = format!(
            " {} · {} · {} {filter}({}) ",
            strings.tabs[2],
            app.period.label(lang),
            t.by.label(lang),
            strings.group_hint,
        );
    }
    let (header, body) = text(app, t);
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    // On a narrow screen the rating breakdown gives way first, so the names stay readable.
    let widths = column_widths(
        area.width,
        &names,
        &body,
        &[u16::MAX; 9],
        0,
        &[6, 7, 5, 4, 3],
    );
    let figures = [1, 2, 3, 4, 5, 6, 7, 8];
    let header = Row::new(view_cells(&header, &widths, &figures)).style(theme::title());
    let last = body.len() - 1;
    let rows: Vec<Row> = body
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let row = Row::new(view_cells(r, &widths, &figures));
            if i == last {
                row.style(theme::title())
            } else {
                row
            }
        })
        .collect();
    let mut block = boxed(&title, area).title_style(theme::title());
    // Rows rounded on their own may miss the total by a tenth: the table says so, as a report's
    // table does.
    if let Some(note) = note(t, lang) {
        block = block.title_bottom(fit(&format!(" {note} "), room(area)));
    }
    let table = Table::new(rows, constraints(&widths))
        .header(header)
        .block(block)
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(app.selected.tallies));
    frame.render_stateful_widget(table, area, &mut state);
}

/// The table's header and lines, the total last, with a space before each figure so that
/// columns read apart.
fn text(app: &App, t: &Tally) -> (Vec<String>, Vec<Vec<String>>) {
    let strings = app.strings;
    let grouping = t.by.heading(app.settings.lang);
    let header = [
        grouping.as_str(),
        strings.items,
        strings.hours_col,
        strings.share,
        strings.rated,
        strings.satisfied,
        strings.basic,
        strings.unsatisfied,
        strings.rate,
    ];
    let mut body: Vec<Vec<String>> = tally_rows(t);
    let mut total = total_cells(t);
    total[0] = strings.total.to_string();
    body.push(total);
    let header = header
        .iter()
        .enumerate()
        .map(|(c, h)| {
            if c == 0 {
                h.to_string()
            } else {
                format!(" {h}")
            }
        })
        .collect();
    for row in &mut body {
        for cell in row.iter_mut().skip(1) {
            cell.insert(0, ' ');
        }
    }
    (header, body)
}

/// Bars of hours, longest first, labels lined up by display width.
fn bars(frame: &mut Frame, area: Rect, block: Block, t: &Tally) {
    let name = |r: &TallyRow| r.label.clone();
    let inner_width = usize::from(area.width.saturating_sub(2));
    let label_width = t
        .rows
        .iter()
        .map(|r| name(r).width())
        .max()
        .unwrap_or(0)
        .min(inner_width * 2 / 5);
    let max = t.rows.iter().map(|r| r.minutes.0).max().unwrap_or(0).max(1);
    let mut by_hours: Vec<&TallyRow> = t.rows.iter().filter(|r| r.minutes.0 > 0).collect();
    by_hours.sort_by_key(|r| std::cmp::Reverse(r.minutes));
    let room = inner_width.saturating_sub(label_width + 9);
    // The room in the minutes' own type; a width fits in 64 bits wherever this runs.
    let room64 = u64::try_from(room).unwrap_or(u64::MAX);
    let lines: Vec<Line> = by_hours
        .iter()
        .take(usize::from(area.height.saturating_sub(2)))
        .map(|r| {
            // No row is longer than the longest, so a bar never needs more than the room.
            let len = usize::try_from((r.minutes.0 * room64).div_ceil(max))
                .unwrap_or(room)
                .max(1);
            Line::from(vec![
                Span::raw(pad(&fit(&name(r), label_width), label_width)),
                Span::raw(" "),
                Span::styled("█".repeat(len), theme::bar()),
                Span::raw(format!(" {}", r.minutes.hours())),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// Months side by side in time order, so the trend reads left to right; the most recent
/// months are kept when they do not all fit.
fn months(frame: &mut Frame, area: Rect, block: Block, t: &Tally) {
    let inner = block.inner(area);
    // A count past `u32` gives the narrowest bars, as the true count would.
    let n = u32::try_from(t.rows.len().max(1)).unwrap_or(u32::MAX);
    let bar_width = ((u32::from(inner.width) + 1) / n)
        .saturating_sub(1)
        .clamp(5, 9);
    let bar_width = u16::try_from(bar_width).unwrap_or(9);
    let fits = usize::from(((inner.width + 1) / (bar_width + 1)).max(1));
    let shown = &t.rows[t.rows.len().saturating_sub(fits)..];
    let bars: Vec<Bar> = shown
        .iter()
        .map(|r| {
            // `YYYY-MM`: the month is enough under the bar unless the period spans years.
            let spans_years =
                t.rows.first().map(|f| &f.key[..4]) != t.rows.last().map(|l| &l.key[..4]);
            let label = if spans_years {
                r.key.clone()
            } else {
                r.key[5..].to_string()
            };
            Bar::default()
                .value(r.minutes.0)
                .text_value(r.minutes.hours())
                .label(Line::from(label))
        })
        .collect();
    let chart = BarChart::default()
        .block(block)
        .bar_width(bar_width)
        .bar_gap(1)
        .bar_style(theme::bar())
        .value_style(theme::title())
        .data(BarGroup::default().bars(&bars));
    frame.render_widget(chart, area);
}
