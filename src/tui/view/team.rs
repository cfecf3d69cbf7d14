//! The Team screen: participation by category, then every active advisor ranked, with the
//! ones who logged nothing marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use super::{cells, column_widths, constraints, fit, theme};
use crate::domain::tally::Ratio;
use crate::tui::action::Screen;
use crate::tui::app::App;

/// Participation under this (in thousandths) is marked ⚠.
const LOW_PER_MILLE: u64 = 500;

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Right-aligned columns of the category table: people to hours per head.
const CATEGORY_FIGURES: [usize; 5] = [1, 2, 3, 4, 5];

/// Right-aligned columns of the ranking: place, items, hours, share of target.
const RANKING_FIGURES: [usize; 4] = [0, 3, 4, 5];

/// Twelve months of minutes as a line of bars, scaled to `max` (the busiest month of anyone
/// shown), so that lines compare across advisors; always twelve cells wide.
fn spark(months: &[u64; 12], max: u64) -> String {
    months
        .iter()
        .map(|&m| {
            if m == 0 || max == 0 {
                ' '
            } else {
                // At most 8, since no month is busier than the busiest.
                let level = usize::try_from((m * 8).div_ceil(max)).unwrap_or(SPARKS.len());
                SPARKS[level.clamp(1, SPARKS.len()) - 1]
            }
        })
        .collect()
}

/// `n / d` with one decimal, half up; a dash when nobody is counted.
fn per_head(n: u64, d: u64) -> String {
    match d {
        0 => "—".to_string(),
        d => {
            let tenths = (n * 20 + d) / (2 * d);
            format!("{}.{}", tenths / 10, tenths % 10)
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let [categories, ranking] =
        Layout::vertical([Constraint::Length(8), Constraint::Fill(1)]).areas(area);
    draw_categories(frame, categories, app);
    draw_ranking(frame, ranking, app);
}

/// Participation by category, under the screen's title; ⚠ where fewer than half took part.
fn draw_categories(frame: &mut Frame, area: Rect, app: &App) {
    let strings = app.strings;
    let lang = app.settings.lang;
    let summary = &app.data.summary;
    let (total, active) = (summary.advisors_total(), summary.advisors_participating());
    let mut title = format!(
        " {} · {} · {} {active}/{total} ({}) · {} {} ",
        strings.tab(Screen::Team),
        app.period.label(lang) + app.data.closed.as_ref().map_or("", |_| strings.closed_mark),
        strings.participating,
        Ratio::new(active, total).percent(),
        strings.not_logged,
        total - active
    );
    if !app.filter.is_empty() {
        title += &format!("· {}: {} (Esc) ", strings.filter, app.filter);
    }
    let header = [
        strings.category,
        strings.people,
        strings.participating,
        strings.participation,
        strings.per_capita_items,
        strings.per_capita_hours,
        "",
    ];
    let low = |rate: Ratio| rate.per_mille().is_some_and(|p| p < LOW_PER_MILLE);
    let values: Vec<Vec<String>> = summary
        .categories
        .iter()
        .map(|c| {
            vec![
                c.category.short(lang).to_string(),
                c.total.to_string(),
                c.participating.to_string(),
                format!(
                    "{}{}",
                    c.rate().percent(),
                    if low(c.rate()) { " ⚠" } else { "  " }
                ),
                per_head(c.items, c.participating),
                per_head(c.minutes.tenths_of_hour(), c.participating * 10),
                String::new(),
            ]
        })
        .collect();
    let caps = [16, 8, 8, 10, 12, 12, u16::MAX];
    let widths = column_widths(area.width, &header, &values, &caps, 6, &[]);
    let rows: Vec<Row> = summary
        .categories
        .iter()
        .zip(&values)
        .map(|(c, v)| {
            let row = Row::new(cells(v, &widths, &CATEGORY_FIGURES));
            if low(c.rate()) {
                row.style(theme::warn())
            } else {
                row
            }
        })
        .collect();
    let header = cells(&header.map(String::from), &widths, &CATEGORY_FIGURES);
    let table = Table::new(rows, constraints(&widths))
        .header(Row::new(header).style(theme::title()))
        .block(Block::bordered().title(title).title_style(theme::title()));
    frame.render_widget(table, area);
    if values.iter().any(|v| v[3].ends_with('⚠')) {
        let legend = Rect {
            x: area.x + 1,
            y: area.y + area.height.saturating_sub(2),
            width: area.width.saturating_sub(2),
            height: 1,
        };
        let text = Paragraph::new(strings.low_participation).style(theme::dim());
        frame.render_widget(text, legend);
    }
}

/// Every advisor shown, most items first, with hours against target and a year of months.
fn draw_ranking(frame: &mut Frame, area: Rect, app: &App) {
    let strings = app.strings;
    let shown = app.team_rows();
    let busiest = shown.iter().flat_map(|r| r.months).max().unwrap_or(0);
    let header = [
        "#",
        strings.advisor,
        strings.category,
        strings.items,
        strings.hours_col,
        strings.of_target,
        strings.last_12_months,
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
                trend = format!("{trend} {}", strings.not_logged);
            }
            vec![
                place,
                format!("{} {}", r.advisor.name, r.advisor.id),
                r.advisor.category.short(app.settings.lang).to_string(),
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
    // The target column shows only when targets are configured.
    let target_cap = if targets.is_empty() { 0 } else { 10 };
    let caps = [4, 16, 13, 6, 7, target_cap, u16::MAX];
    let widths = column_widths(area.width, &header, &values, &caps, 6, &[]);
    let rows = shown.iter().zip(values).map(|(r, mut v)| {
        // The advisor's id is never the part that is cut.
        let id = &r.advisor.id;
        let room = usize::from(widths[1]).saturating_sub(id.width() + 1);
        v[1] = format!("{} {id}", fit(&r.advisor.name, room));
        let row = Row::new(cells(&v, &widths, &RANKING_FIGURES));
        if r.items == 0 {
            row.style(theme::warn())
        } else {
            row
        }
    });
    let header = cells(&header.map(String::from), &widths, &RANKING_FIGURES);
    let table = Table::new(rows, constraints(&widths))
        .header(Row::new(header).style(theme::title()))
        .block(Block::bordered().title(format!(" {} ", strings.ranking)))
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(app.selected.team));
    frame.render_stateful_widget(table, area, &mut state);
}
