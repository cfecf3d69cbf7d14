//! The Report screen: the period's paragraph, ready to copy, and the figures it came from.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::borders::boxed;

use unicode_width::UnicodeWidthStr;

use super::{height_of, theme, wrap};
use crate::domain::Minutes;
use crate::domain::rounding;
use crate::tui::action::Screen;
use crate::tui::app::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let strings = app.strings;
    let lang = app.settings.lang;
    let summary = &app.data.summary;
    let t = &summary.total;
    // Wrapped here rather than by the widget, so that no figure is split across two lines.
    let text = wrap(&summary.to_string(), area.width.saturating_sub(2).into());
    // The paragraph is what gets copied into the report: it has the room it needs first, and
    // the figures take what is left, up to what they need.
    let paragraph_height = height_of(text.len()).saturating_add(2);
    let figures_height = 9.min(area.height.saturating_sub(paragraph_height)).max(3);
    let [text_area, figures_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(figures_height)]).areas(area);
    let title = format!(
        " {} · {} ",
        strings.tab(Screen::Report),
        app.period.label(lang)
    );
    let block = boxed(&title, text_area).title_style(theme::title());
    let paragraph: Vec<Line> = text.into_iter().map(Line::from).collect();
    frame.render_widget(Paragraph::new(paragraph).block(block), text_area);
    let ratings = [
        format!("{} {}", strings.satisfied, t.satisfied),
        format!("{} {}", strings.basic, t.basic),
        format!("{} {}", strings.unsatisfied, t.unsatisfied),
    ]
    .join(strings.list_sep);
    // Each line is a row of figures; a figure is never split, only the row between figures.
    let mut rows: Vec<Vec<String>> = vec![vec![
        format!("{} {}", strings.items, t.items),
        format!("{} {}", strings.hours, t.minutes.hours()),
        strings.aside(format!("{} {}", strings.rated, t.rated()), ratings),
        format!("{} {}", strings.rate, t.satisfaction().percent()),
    ]];
    // How the advice of the period's items was received, once any outcome is recorded.
    let (adopted, not_adopted) =
        app.data
            .items
            .iter()
            .fold((0, 0), |(a, n), r| match &r.item.outcome {
                Some(o) if o.adopted => (a + 1, n),
                Some(_) => (a, n + 1),
                None => (a, n),
            });
    if adopted + not_adopted > 0 {
        let recorded = adopted + not_adopted;
        rows.push(vec![strings.aside(
            format!("{} {adopted}/{recorded}", strings.adopted),
            crate::domain::tally::Ratio::new(adopted, recorded).percent(),
        )]);
    }
    // The categories' hours are rounded as the tables are: alone, with the note when they miss
    // the total, or apportioned.
    let minutes: Vec<Minutes> = summary.categories.iter().map(|c| c.minutes).collect();
    let hours = rounding::hours(&minutes, t.minutes, app.settings.rounding);
    for (i, c) in summary.categories.iter().enumerate() {
        let share = strings.aside(
            format!("{}/{}", c.participating, c.total),
            c.rate().percent(),
        );
        rows.push(vec![
            strings.labelled(c.category.label(lang), share),
            format!("{} {}", strings.items, c.items),
            format!("{} {}", strings.hours, hours.row_text(i)),
        ]);
    }
    if !hours.adds_up() {
        rows.push(vec![
            crate::report::strings::strings(lang)
                .rounding_note
                .to_string(),
        ]);
    }
    let block = boxed(&format!(" {} ", strings.report_figures), figures_area);
    let width = block.inner(figures_area).width.into();
    let lines: Vec<Line> = rows
        .iter()
        .flat_map(|row| pack(row, width))
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block), figures_area);
}

/// Lays figures out in lines of at most `width` columns, ` · ` between them, breaking only
/// between figures (a figure wider than the line is wrapped on its own).
fn pack(figures: &[String], width: usize) -> Vec<String> {
    const SEP: &str = " · ";
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for figure in figures {
        if !line.is_empty() && line.width() + SEP.len() + figure.width() <= width {
            line += SEP;
            line += figure;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut parts = wrap(figure, width);
        line = parts.pop().unwrap_or_default();
        lines.extend(parts);
    }
    lines.push(line);
    lines
}
