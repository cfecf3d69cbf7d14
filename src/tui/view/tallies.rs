//! The Tallies screen: the period grouped one way, as a table and as bars of hours.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use super::{fit, pad, theme};
use crate::domain::tally::Ratio;
use crate::domain::{GroupBy, Row as TallyRow};
use crate::tui::app::App;

fn cells(r: &TallyRow, total: &TallyRow) -> Vec<String> {
    vec![
        r.label.clone(),
        format!("{:>5}", r.items),
        format!("{:>7}", r.minutes.hours()),
        format!("{:>6}", Ratio::new(r.minutes.0, total.minutes.0).percent()),
        format!("{:>6}", r.rated()),
        format!("{:>4}", r.satisfied),
        format!("{:>8}", r.basic),
        format!("{:>6}", r.unsatisfied),
        format!("{:>6}", r.satisfaction().percent()),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s;
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
    let bar_height = (t.rows.len() as u16 + 2).clamp(3, area.height / 3);
    let [table_area, bars_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(bar_height)]).areas(area);

    let widths = [
        Constraint::Fill(1),
        Constraint::Length(5),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(4),
        Constraint::Length(8),
        Constraint::Length(6),
        Constraint::Length(6),
    ];
    let header = Row::new(vec![
        t.by.label(lang),
        s.items,
        s.hours_col,
        s.share,
        s.rated,
        s.satisfied,
        s.basic,
        s.unsatisfied,
        s.rate,
    ])
    .style(theme::title());
    let mut rows: Vec<Row> = t
        .rows
        .iter()
        .map(|r| Row::new(cells(r, &t.total)))
        .collect();
    let mut total = cells(&t.total, &t.total);
    total[0] = s.total.to_string();
    rows.push(Row::new(total).style(theme::title()));
    let table = Table::new(rows, widths)
        .header(header)
        .block(Block::bordered().title(title).title_style(theme::title()))
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(app.selected[2]));
    frame.render_stateful_widget(table, table_area, &mut state);

    // Bars of hours, longest first, labels lined up by display width.
    let inner_width = bars_area.width.saturating_sub(2) as usize;
    let label_width = t
        .rows
        .iter()
        .map(|r| r.label.width())
        .max()
        .unwrap_or(0)
        .min(14);
    let max = t.rows.iter().map(|r| r.minutes.0).max().unwrap_or(0).max(1);
    let mut by_hours: Vec<&TallyRow> = t.rows.iter().filter(|r| r.minutes.0 > 0).collect();
    by_hours.sort_by_key(|r| std::cmp::Reverse(r.minutes));
    let room = inner_width.saturating_sub(label_width + 9);
    let lines: Vec<Line> = by_hours
        .iter()
        .take(bars_area.height.saturating_sub(2) as usize)
        .map(|r| {
            let len = ((r.minutes.0 as usize * room).div_ceil(max as usize)).max(1);
            Line::from(vec![
                Span::raw(pad(&fit(&r.label, label_width), label_width)),
                Span::raw(" "),
                Span::styled("█".repeat(len), theme::bar()),
                Span::raw(format!(" {}", r.minutes.hours())),
            ])
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(format!(" {} ", s.bars))),
        bars_area,
    );
}
