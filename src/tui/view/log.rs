//! The Log screen: the period's entries, newest first, with the selected entry's item below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};

use super::theme;
use crate::tui::app::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let s = app.s;
    let lang = app.settings.lang;
    let rows = app.log_rows();
    let minutes: crate::domain::Minutes = rows.iter().map(|r| r.entry.minutes).sum();
    let [list, detail] = Layout::vertical([Constraint::Fill(1), Constraint::Length(4)]).areas(area);

    let unit = if rows.len() == 1 && lang == crate::domain::Lang::En {
        "entry"
    } else {
        s.entries
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
        let table_rows = rows.iter().map(|r| {
            Row::new(vec![
                r.entry.date.to_string(),
                format!("{} {}", r.advisor_name, r.entry.advisor),
                r.item.title.clone(),
                app.data.topics.label(&r.item.topic, lang).to_string(),
                app.data.services.label(&r.item.service, lang).to_string(),
                format!("{:>5}", r.entry.minutes.hours()),
            ])
        });
        // English names are longer; give them room when the screen has it.
        let wide = lang == crate::domain::Lang::En && list.width >= 100;
        let (topic_width, service_width) = if wide { (18, 16) } else { (12, 10) };
        let widths = [
            Constraint::Length(10),
            Constraint::Length(12),
            Constraint::Fill(1),
            Constraint::Length(topic_width),
            Constraint::Length(service_width),
            Constraint::Length(5),
        ];
        let header = Row::new(vec![
            s.date,
            s.advisor,
            s.item,
            s.topic,
            s.service,
            s.hours_col,
        ])
        .style(theme::title());
        let table = Table::new(table_rows, widths)
            .header(header)
            .block(block)
            .row_highlight_style(theme::selected())
            .highlight_symbol("▶");
        let mut state = TableState::default().with_selected(Some(app.selected[0]));
        frame.render_stateful_widget(table, list, &mut state);
    }

    let text = match app.selected_log() {
        None => Line::raw(""),
        Some(r) => {
            let item_rows = app.data.items.iter().find(|i| i.item.id == r.item.id);
            let (n, m) = item_rows.map_or((1, r.entry.minutes), |i| (i.entries, i.minutes));
            let rating = r.item.satisfaction.map_or(s.unrated, |x| x.label(lang));
            let mut t = format!(
                "{} {} {} · {} · {} · {} {n} {} · {} {}",
                s.item,
                r.item.number,
                r.item.title,
                r.item.department,
                rating,
                s.in_period,
                s.entries,
                m.hours(),
                s.hours
            );
            if !r.entry.note.is_empty() {
                t += &format!(" · {}: {}", s.note, r.entry.note);
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
