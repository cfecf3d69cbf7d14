//! The Team screen: participation by category, then every advisor ranked, with the
//! ones who logged nothing marked and the inactive last.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Row, Table, TableState};

use super::borders::boxed;
use unicode_width::UnicodeWidthStr;

use super::{cells, column_widths, constraints, fit, theme};
use crate::domain::tally::Ratio;
use crate::report::missing::Lateness;
use crate::tui::action::Screen;
use crate::tui::app::{App, TeamOrder};
use crate::tui::data::TeamRow;
use crate::tui::strings::{bundle_day, days_ago};

/// Participation under this (in thousandths) is marked ⚠.
const LOW_PER_MILLE: u64 = 500;

const SPARKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A year of months, one cell each.
const SPARKS_WIDE: usize = 12;

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
    let sources = &app.data.sources;
    if !sources.is_empty() {
        let late = sources.late(app.settings.today, app.settings.bundle_late_days);
        title += &format!("· {} {late} ", strings.late_stores);
    }
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
                // From the minutes, rounded once: not from hours already rounded.
                per_head(c.minutes.0, c.participating * 60),
                String::new(),
            ]
        })
        .collect();
    let caps = [16, 8, 10, 10, 12, 12, u16::MAX];
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
        .block(boxed(&title, area).title_style(theme::title()));
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

/// Every advisor shown, most items (or hours) first, with hours against target and a year of months; at an
/// office that gathers bundles, where each one's work comes from and when it last came.
fn draw_ranking(frame: &mut Frame, area: Rect, app: &App) {
    let strings = app.strings;
    let shown = app.team_rows();
    let months = month_labels(app);
    let order = match app.team_order {
        TeamOrder::Items => strings.by_items,
        TeamOrder::Hours => strings.by_hours,
    };
    let mut header = vec![
        "#",
        strings.advisor,
        strings.category,
        strings.items,
        strings.hours_col,
        strings.of_target,
        months.as_str(),
    ];
    let mut values = ranking_values(app, &shown);
    // The target column shows only when targets are configured.
    let target_cap = if app.settings.targets.is_empty() {
        0
    } else {
        10
    };
    let mut caps = vec![4, 16, 15, 6, 7, target_cap, u16::MAX];
    let widths = if app.data.sources.is_empty() {
        column_widths(area.width, &header, &values, &caps, 6, &[])
    } else {
        // At an office the source and the last bundle need the room a category's whole name
        // would take: the category is cut first.
        caps[2] = 13;
        header.extend([strings.source, strings.last_bundle]);
        caps.extend([SOURCE_CAP, LAST_BUNDLE_CAP]);
        source_widths(app, &shown, &header, &mut values, &caps, area.width)
    };
    let rows = shown.iter().zip(values).map(|(r, mut v)| {
        // The advisor's id is never the part that is cut.
        let id = &r.advisor.id;
        let room = usize::from(widths[1]).saturating_sub(id.width() + 1);
        v[1] = format!("{} {id}", fit(&r.advisor.name, room));
        let row = Row::new(cells(&v, &widths, &RANKING_FIGURES));
        if !r.advisor.active {
            row.style(theme::dim())
        } else if r.items == 0 {
            row.style(theme::warn())
        } else {
            row
        }
    });
    let header = cells(
        &header.into_iter().map(String::from).collect::<Vec<_>>(),
        &widths,
        &RANKING_FIGURES,
    );
    let table = Table::new(rows, constraints(&widths))
        .header(Row::new(header).style(theme::title()))
        .block(boxed(&format!(" {} · {} ", strings.ranking, order), area))
        .row_highlight_style(theme::selected())
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(app.selected.team));
    frame.render_stateful_widget(table, area, &mut state);
}

/// The head of the year of bars: the first month's name over the first bar and the last's
/// ending over the last (`Apr      Mar`); the months end with the period's last.
fn month_labels(app: &App) -> String {
    let names = &app.strings.months_short;
    let last = usize::try_from(app.period.to.month0()).unwrap_or(0) % 12;
    let (first, last) = (names[(last + 1) % 12], names[last]);
    let gap = SPARKS_WIDE
        .saturating_sub(first.width() + last.width())
        .max(1);
    format!("{first}{}{last}", " ".repeat(gap))
}

/// The ranking's cells: place, advisor, category, items, hours, share of target, a year of
/// months (and that nothing was logged).
fn ranking_values(app: &App, shown: &[&TeamRow]) -> Vec<Vec<String>> {
    let strings = app.strings;
    let busiest = shown.iter().flat_map(|r| r.months).max().unwrap_or(0);
    let targets = &app.settings.targets;
    let mut rank = 0;
    shown
        .iter()
        .map(|r| {
            let place = if r.items == 0 {
                "—".to_string()
            } else {
                rank += 1;
                rank.to_string()
            };
            let mut trend = spark(&r.months, busiest);
            if !r.advisor.active {
                trend = format!("{trend} {}", strings.advisors.inactive_mark);
            } else if r.items == 0 {
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
        .collect()
}

/// The widest a peer's name shows in the Source column.
const SOURCE_CAP: u16 = 12;
/// The widest the Last bundle column grows: `3月28日 (33天前) ⚠`, `Mar 28 (33 days ago) ⚠`.
const LAST_BUNDLE_CAP: u16 = 24;

/// Adds the Source and Last bundle cells to each row and gives the widths. On a narrow screen
/// the last bundle drops how long ago it was (the ⚠ stays), then goes, then the source goes:
/// the year of months is what the ranking is for.
fn source_widths(
    app: &App,
    shown: &[&TeamRow],
    header: &[&str],
    values: &mut [Vec<String>],
    caps: &[u16],
    width: u16,
) -> Vec<u16> {
    let (source, last) = (header.len() - 2, header.len() - 1);
    for (v, r) in values.iter_mut().zip(shown) {
        let (from, full, _) = source_cells(app, &r.advisor.id);
        v.extend([from, full]);
    }
    let widths = column_widths(width, header, values, caps, 6, &[last, source]);
    if widths[last] > 0 {
        return widths;
    }
    for (v, r) in values.iter_mut().zip(shown) {
        v[last] = source_cells(app, &r.advisor.id).2;
    }
    column_widths(width, header, values, caps, 6, &[last, source])
}

/// Where an advisor's work comes from, and when it last came: in full, and without how long
/// ago. ⚠ marks a store that is late.
fn source_cells(app: &App, advisor: &str) -> (String, String, String) {
    let strings = app.strings;
    let Some(peer) = app.data.sources.of(advisor) else {
        return (strings.this_store.into(), "—".into(), "—".into());
    };
    let today = app.settings.today;
    let lang = app.settings.lang;
    let lateness = Lateness::of(peer, today, app.settings.bundle_late_days);
    let warn = if lateness.late { " ⚠" } else { "" };
    let (full, short) = match (lateness.last_bundle, lateness.days) {
        (Some(day), Some(days)) => {
            let day = bundle_day(day, today, lang);
            (
                format!("{day} {}{warn}", days_ago(days, lang)),
                format!("{day}{warn}"),
            )
        }
        _ => {
            let never = format!("{}{warn}", strings.never_sent);
            (never.clone(), never)
        }
    };
    (peer.name.clone(), full, short)
}

#[cfg(test)]
mod per_head_tests {
    use super::per_head;

    #[test]
    fn hours_per_head_are_rounded_once_from_the_minutes() {
        // 177 + 210 minutes between two people: 3.225 h each, shown 3.2 (not 6.5 / 2 = 3.3).
        assert_eq!(per_head(387, 2 * 60), "3.2");
        assert_eq!(per_head(7, 0), "—");
        assert_eq!(per_head(3, 2), "1.5");
    }
}
