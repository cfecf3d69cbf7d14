//! The Log screen: the period's entries, newest first, with the selected entry's item below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};

use unicode_width::UnicodeWidthStr;

use super::{catalog_codes, cells, column_widths, constraints, fit, theme};
use crate::tui::app::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.strings;
    let lang = app.settings.lang;
    let rows = app.log_rows();
    let minutes: crate::domain::Minutes = rows.iter().map(|r| r.entry.minutes).sum();
    let [list, detail] = Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(area);

    let unit = if rows.len() == 1 && lang == crate::domain::Lang::En {
        "entry"
    } else {
        s.many_entries
    };
    let mut title = format!(
        " {} · {} · {} {} · {} {} ",
        s.tabs[0],
        app.period.code(),
        rows.len(),
        unit,
        minutes.hours(),
        s.hours
    );
    if let Some(d) = &app.drill {
        title += &format!("· {}: {} (Esc) ", s.drill, d.label);
    }
    if !app.filter.is_empty() {
        title += &format!("· {}: {} (Esc) ", s.filter, app.filter);
    }
    let block = Block::bordered().title(title).title_style(theme::title());
    if rows.is_empty() {
        // An empty ledger cannot take entries yet: say how to add the team first.
        let text = if app.data.advisors.is_empty() {
            s.no_advisors
        } else if app.data.log.is_empty() {
            s.nothing_here
        } else {
            s.no_match
        };
        frame.render_widget(
            Paragraph::new(text)
                .wrap(ratatui::widgets::Wrap { trim: true })
                .style(theme::dim())
                .block(block),
            list,
        );
    } else {
        let header = [s.date, s.advisor, s.item, s.topic, s.service, s.hours_col];
        let values: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.entry.date.to_string(),
                    format!("{} {}", r.advisor_name, r.entry.advisor),
                    r.item.title.clone(),
                    app.data.topics.label(&r.item.topic, lang).to_string(),
                    app.data.services.label(&r.item.service, lang).to_string(),
                    r.entry.minutes.hours(),
                ]
            })
            .collect();
        // English names are longer; give them room when the screen has it.
        let (topic_cap, service_cap) = if list.width >= 100 {
            (18, 16)
        } else {
            (12, 10)
        };
        let widths = column_widths(
            list.width,
            &header,
            &values,
            &[10, 14, u16::MAX, topic_cap, service_cap, 5],
            2,
            &[4, 3],
        );
        // Codes in one column and names in the other would read as a mix-up: both or neither.
        let codes = catalog_codes(&values, 3, widths[3], lang)
            || catalog_codes(&values, 4, widths[4], lang);
        let (topic_codes, service_codes) = (codes, codes);
        let table_rows = rows.iter().zip(values).map(|(r, mut v)| {
            // The advisor's id is never the part that is cut.
            let id = &r.entry.advisor;
            let room = (widths[1] as usize).saturating_sub(id.width() + 1);
            v[1] = format!("{} {id}", fit(&r.advisor_name, room));
            if topic_codes {
                v[3] = r.item.topic.clone();
            }
            if service_codes {
                v[4] = r.item.service.clone();
            }
            Row::new(cells(&v, &widths, &[5]))
        });
        let header =
            Row::new(cells(&header.map(String::from), &widths, &[5])).style(theme::title());
        let widths = constraints(&widths);
        let table = Table::new(table_rows, widths)
            .header(header)
            .block(block)
            .row_highlight_style(theme::selected())
            .highlight_symbol("▶");
        let mut state = TableState::default().with_selected(Some(app.selected.log));
        frame.render_stateful_widget(table, list, &mut state);
    }

    let text = match app.selected_log() {
        None => Line::raw(""),
        Some(r) => {
            let item_rows = app.data.items.iter().find(|i| i.item.id == r.item.id);
            let (n, m) = item_rows.map_or((1, r.entry.minutes), |i| (i.entries, i.minutes));
            let rating = r.item.satisfaction.map_or(s.unrated, |x| x.label(lang));
            let entries = if n == 1 && lang == crate::domain::Lang::En {
                "entry"
            } else {
                s.many_entries
            };
            let mut t = format!(
                "{} {} {} · {} · {} · {} {n} {} · {} {}",
                s.item,
                r.item.number,
                r.item.title,
                r.item.department,
                rating,
                s.in_period,
                entries,
                m.hours(),
                s.hours
            );
            if let Some(outcome) = s.adoption(r.item.outcome.as_ref(), true) {
                t += &format!(" · {outcome}");
            }
            if !r.entry.note.is_empty() {
                t += &format!(" · {}", s.labelled(s.note, &r.entry.note));
            }
            Line::raw(t)
        }
    };
    let detail_block = Block::bordered().title(format!(" {} ", s.detail));
    frame.render_widget(
        Paragraph::new(text)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .block(detail_block),
        detail,
    );
}
