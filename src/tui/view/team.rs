//! The Team screen: participation by category, then every active advisor ranked, with the
//! ones who logged nothing marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};

use unicode_width::UnicodeWidthStr;

use super::{cells, column_widths, constraints, fit, theme};
use crate::domain::tally::Ratio;
use crate::tui::app::App;

/// Participation under this (in thousandths) is marked ⚠.
const LOW_PER_MILLE: u64 = 500;

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Twelve months of minutes as a line of bars, scaled to `max` (the busiest month of anyone
/// shown), so that lines compare across advisors; always twelve cells wide.
fn spark(months: &[u64; 12], max: u64) -> String {
    months
        .iter()
        .map(|&m| {
            if m == 0 || max == 0 {
                ' '
            } else {
                SPARKS[(((m * 8).div_ceil(max)) as usize).clamp(1, 8) - 1]
            }
        })
        .collect()
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings;
    let lang = app.settings.lang;
    let summary = &app.data.summary;
    let (total, active) = (summary.advisors_total(), summary.advisors_participating());
    let mut title = format!(
        " {} · {} · {} {active}/{total} ({}) · {} {} ",
        s.tabs[3],
        app.period.label(lang),
        s.participating,
        Ratio::new(active, total).percent(),
        s.not_logged,
        total - active
    );
    if !app.filter.is_empty() {
        title += &format!("· {}: {} (Esc) ", s.filter, app.filter);
    }
    let [cats, ranking] =
        Layout::vertical([Constraint::Length(8), Constraint::Fill(1)]).areas(area);
    // n / d with one decimal, half up.
    let per = |n: u64, d: u64| match d {
        0 => "—".to_string(),
        d => {
            let t = (n * 20 + d) / (2 * d);
            format!("{}.{}", t / 10, t % 10)
        }
    };
    let header = [
        s.category,
        s.people,
        s.participating,
        s.participation,
        s.per_capita_items,
        s.per_capita_hours,
        "",
    ];
    let values: Vec<Vec<String>> = summary
        .categories
        .iter()
        .map(|c| {
            let rate = c.rate();
            let low = rate.per_mille().is_some_and(|p| p < LOW_PER_MILLE);
            vec![
                c.category.short(lang).to_string(),
                c.total.to_string(),
                c.participating.to_string(),
                format!("{}{}", rate.percent(), if low { " ⚠" } else { "  " }),
                per(c.items, c.participating),
                per(c.minutes.tenths_of_hour(), c.participating * 10),
                String::new(),
            ]
        })
        .collect();
    let widths = column_widths(
        cats.width,
        &header,
        &values,
        &[16, 8, 8, 10, 12, 12, u16::MAX],
        6,
        &[],
    );
    let figures = [1, 2, 3, 4, 5];
    let rows: Vec<Row> = summary
        .categories
        .iter()
        .zip(&values)
        .map(|(c, v)| {
            let row = Row::new(cells(v, &widths, &figures));
            if c.rate().per_mille().is_some_and(|p| p < LOW_PER_MILLE) {
                row.style(theme::warn())
            } else {
                row
            }
        })
        .collect();
    let table = Table::new(rows, constraints(&widths))
        .header(Row::new(cells(&header.map(String::from), &widths, &figures)).style(theme::title()))
        .block(Block::bordered().title(title).title_style(theme::title()));
    frame.render_widget(table, cats);
    if values.iter().any(|v| v[3].ends_with('⚠')) {
        let legend = Rect {
            x: cats.x + 1,
            y: cats.y + cats.height.saturating_sub(2),
            width: cats.width.saturating_sub(2),
            height: 1,
        };
        frame.render_widget(
            Paragraph::new(s.low_participation).style(theme::dim()),
            legend,
        );
    }

    let shown = app.team_rows();
    let busiest = shown.iter().flat_map(|r| r.months).max().unwrap_or(0);
    let header = [
        "#",
        s.advisor,
        s.category,
        s.items,
        s.hours_col,
        s.of_target,
        s.last_12_months,
    ];
    let targets = &app.settings.targets;
    let mut rank = 0;
    let values: Vec<Vec<String>> = shown
        .iter()
        .map(|r| {
            let place = if r.items == 0 {
                "—".to_string()
            } else {
                rank += 1;
                rank.to_string()
            };
            let mut trend = spark(&r.months, busiest);
            if r.items == 0 {
                trend = format!("{trend} {}", s.not_logged);
            }
            vec![
                place,
                format!("{} {}", r.advisor.name, r.advisor.id),
                r.advisor.category.short(lang).to_string(),
                r.items.to_string(),
                r.minutes.hours(),
                // Hours against the advisor's target for the period, when one is set.
                targets
                    .for_period(&r.advisor, app.period)
                    .map_or_else(String::new, |t| Ratio::new(r.minutes.0, t.0).percent()),
                trend,
            ]
        })
        .collect();
    let widths = column_widths(
        ranking.width,
        &header,
        &values,
        // The target column shows only when targets are configured.
        &[
            4,
            16,
            13,
            6,
            7,
            if targets.is_empty() { 0 } else { 10 },
            u16::MAX,
        ],
        6,
        &[],
    );
    let figures = [0, 3, 4, 5];
    let rows = shown.iter().zip(values).map(|(r, mut v)| {
        // The advisor's id is never the part that is cut.
        let id = &r.advisor.id;
        let room = (widths[1] as usize).saturating_sub(id.width() + 1);
        v[1] = format!("{} {id}", fit(&r.advisor.name, room));
        let row = Row::new(cells(&v, &widths, &figures));
        if r.items == 0 {
            row.style(theme::warn())
        } else {
            row
        }
    });
    let table = Table::new(rows, constraints(&widths))
        .header(Row::new(cells(&header.map(String::from), &widths, &figures)).style(theme::title()))
        .block(Block::bordered().title(format!(" {} ", s.ranking)))
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(app.selected.team));
    frame.render_stateful_widget(table, ranking, &mut state);
}
