//! The Team screen: participation by category, then every active advisor ranked, with the
//! ones who logged nothing marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Row, Table, TableState};

use super::theme;
use crate::domain::tally::Ratio;
use crate::tui::app::App;

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Twelve months of minutes as a line of bars.
fn spark(months: &[u64; 12]) -> String {
    let max = months.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return String::new();
    }
    months
        .iter()
        .map(|&m| {
            if m == 0 {
                ' '
            } else {
                SPARKS[((m * 7).div_ceil(max)) as usize % 8]
            }
        })
        .collect()
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s;
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
        Layout::vertical([Constraint::Length(7), Constraint::Fill(1)]).areas(area);
    // n / d with one decimal, half up.
    let per = |n: u64, d: u64| match d {
        0 => "—".to_string(),
        d => {
            let t = (n * 20 + d) / (2 * d);
            format!("{}.{}", t / 10, t % 10)
        }
    };
    let rows = summary.categories.iter().map(|c| {
        let rate = c.rate();
        let low = rate.per_mille().is_some_and(|p| p < 500);
        let row = Row::new(vec![
            c.category.short(lang).to_string(),
            format!("{:>4}", c.total),
            format!("{:>4}", c.participating),
            format!("{:>6}{}", rate.percent(), if low { " ⚠" } else { "" }),
            format!("{:>6}", per(c.items, c.participating)),
            format!(
                "{:>6}",
                per(c.minutes.tenths_of_hour(), c.participating * 10)
            ),
        ]);
        if low { row.style(theme::warn()) } else { row }
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(12),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(10),
        ],
    )
    .header(
        Row::new(vec![
            s.category,
            s.people,
            s.participating,
            s.participation,
            s.per_capita_items,
            s.per_capita_hours,
        ])
        .style(theme::title()),
    )
    .block(Block::bordered().title(title).title_style(theme::title()));
    frame.render_widget(table, cats);

    let mut rank = 0;
    let rows = app.team_rows().into_iter().map(|r| {
        let name = format!("{} {}", r.advisor.name, r.advisor.id);
        if r.items == 0 {
            Row::new(vec![
                "  —".to_string(),
                name,
                r.advisor.category.short(lang).to_string(),
                format!("{:>4}", 0),
                format!("{:>6}", "0.0"),
                format!("{} {}", spark(&r.months), s.not_logged),
            ])
            .style(theme::warn())
        } else {
            rank += 1;
            Row::new(vec![
                format!("{rank:>3}"),
                name,
                r.advisor.category.short(lang).to_string(),
                format!("{:>4}", r.items),
                format!("{:>6}", r.minutes.hours()),
                spark(&r.months),
            ])
        }
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(3),
            Constraint::Length(14),
            Constraint::Length(10),
            Constraint::Length(5),
            Constraint::Length(7),
            Constraint::Fill(1),
        ],
    )
    .header(
        Row::new(vec![
            "#",
            s.advisor,
            s.category,
            s.items,
            s.hours_col,
            s.last_12_months,
        ])
        .style(theme::title()),
    )
    .block(Block::bordered().title(format!(" {} ", s.ranking)))
    .row_highlight_style(theme::selected())
    .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(app.selected[3]));
    frame.render_stateful_widget(table, ranking, &mut state);
}
