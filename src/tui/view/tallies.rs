//! The Tallies screen: the period grouped one way, as a table and as bars of hours.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use super::{catalog_codes, cells as view_cells, column_widths, constraints, fit, pad, theme};
use crate::domain::tally::Ratio;
use crate::domain::{GroupBy, Row as TallyRow, Tally};
use crate::tui::app::App;

/// A row's cells; numbers are right-aligned by the table's column widths.
fn cells(r: &TallyRow, total: &TallyRow, by: GroupBy) -> Vec<String> {
    let label = match by {
        // Two advisors may share a name; the id tells them apart.
        GroupBy::Advisor if r.label != r.key => format!("{} {}", r.label, r.key),
        _ => r.label.clone(),
    };
    vec![
        label,
        r.items.to_string(),
        r.minutes.hours(),
        Ratio::new(r.minutes.0, total.minutes.0).percent(),
        r.rated().to_string(),
        r.satisfied.to_string(),
        r.basic.to_string(),
        r.unsatisfied.to_string(),
        r.satisfaction().percent(),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings;
    let lang = app.settings.lang;
    let t = &app.data.tally;
    let groups: Vec<&str> = GroupBy::ALL.iter().map(|g| g.label(lang)).collect();
    let title = format!(
        " {} · {} · {} ({}: {}) ",
        s.tabs[2],
        app.period.label(lang),
        t.by.label(lang),
        s.group_hint,
        groups.join("/")
    );
    let bar_height = if t.by == GroupBy::Month {
        (area.height / 3).max(5)
    } else {
        (t.rows.len() as u16 + 2).clamp(3, area.height / 3)
    };
    let [table_area, bars_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(bar_height)]).areas(area);

    let grouping = capitalized(t.by.label(lang));
    let header = [
        grouping.as_str(),
        s.items,
        s.hours_col,
        s.share,
        s.rated,
        s.satisfied,
        s.basic,
        s.unsatisfied,
        s.rate,
    ];
    let mut body: Vec<Vec<String>> = t.rows.iter().map(|r| cells(r, &t.total, t.by)).collect();
    let mut total = cells(&t.total, &t.total, t.by);
    total[0] = s.total.to_string();
    body.push(total);
    // A space before each figure, so that columns read apart.
    let header: Vec<String> = header
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
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    // On a narrow screen the rating breakdown gives way first, so the names stay readable.
    let widths = column_widths(
        table_area.width,
        &names,
        &body,
        &[u16::MAX; 9],
        0,
        &[6, 7, 5, 4, 3],
    );
    // English topic and service names that do not fit give way to their codes, in the table
    // and in the bars under it alike.
    let codes = matches!(t.by, GroupBy::Topic | GroupBy::Service)
        && catalog_codes(&body[..t.rows.len()], 0, widths[0], lang);
    if codes {
        for (row, r) in body.iter_mut().zip(&t.rows) {
            row[0] = r.key.clone();
        }
    }
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
    let constraints = constraints(&widths);
    let table = Table::new(rows, constraints)
        .header(header)
        .block(Block::bordered().title(title).title_style(theme::title()))
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(app.selected.tallies));
    frame.render_stateful_widget(table, table_area, &mut state);

    let block = Block::bordered().title(format!(" {} ", s.bars));
    if t.by == GroupBy::Month {
        months(frame, bars_area, block, t);
    } else {
        bars(frame, bars_area, block, t, codes);
    }
}

/// `topic` → `Topic`, for a column header; Chinese is left as it is.
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Bars of hours, longest first, labels lined up by display width.
fn bars(frame: &mut Frame, area: Rect, block: Block, t: &Tally, codes: bool) {
    let name = |r: &TallyRow| {
        if codes {
            r.key.clone()
        } else {
            r.label.clone()
        }
    };
    let inner_width = area.width.saturating_sub(2) as usize;
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
    let lines: Vec<Line> = by_hours
        .iter()
        .take(area.height.saturating_sub(2) as usize)
        .map(|r| {
            let len = ((r.minutes.0 as usize * room).div_ceil(max as usize)).max(1);
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
    let n = t.rows.len().max(1);
    let bar_width = ((inner.width as usize + 1) / n)
        .saturating_sub(1)
        .clamp(5, 9) as u16;
    let fits = ((inner.width + 1) / (bar_width + 1)).max(1) as usize;
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
