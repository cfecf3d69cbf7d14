//! Moving through a period longer than the screen: the Log and Items draw only the rows around
//! the selected one, and show what they would show drawing all of them — the rows on screen in
//! order, the selected row marked, the title's count and hours those of every row.

#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use chrono::{DateTime, FixedOffset, NaiveDate};
use counsel_log::domain::intake::{decode, plan_advisors, plan_entries, read_entries};
use counsel_log::domain::{Lang, Period};
use counsel_log::store::{AuditAction, Stamp, Store};
use counsel_log::tui::keymap;
use counsel_log::tui::{App, Settings, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const ADVISORS: &str = include_str!("../assets/demo/advisors.csv");
const ENTRIES: &str = include_str!("../assets/demo/entries-2024.csv");

fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2024-12-31T10:00:00+08:00").unwrap()
}

/// The demo ledger of 2024 in a temporary store.
fn ledger() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let stamp = Stamp::new(now(), "test");
    let advisors = plan_advisors(ADVISORS, &store.advisors().unwrap()).unwrap();
    store.apply_advisors(&advisors, "demo", &stamp).unwrap();
    let rows = read_entries(&decode(ENTRIES.as_bytes()).unwrap()).unwrap();
    let today = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
    let plan = plan_entries(&rows, &store.view().unwrap(), today, true).unwrap();
    store
        .apply_entries(plan, AuditAction::ImportEntries, "demo", &stamp)
        .unwrap();
    (dir, store)
}

fn app(store: &Store) -> App<'_> {
    let settings = Settings {
        lang: Lang::En,
        today: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        me: Some("A001".into()),
        who: "test".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: Default::default(),
    };
    App::new(store, settings, Period::parse("2024").unwrap()).unwrap()
}

fn press(app: &mut App, keys: &[KeyCode]) {
    for &code in keys {
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(action) = keymap::map(app.focus(), &event) {
            app.update(action, now());
        }
    }
}

/// The screen as text, a line per row of cells.
fn render(app: &App) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| view::draw(f, app, now())).unwrap();
    let buffer = terminal.backend().buffer();
    (0..30)
        .map(|y| (0..100).map(|x| buffer[(x, y)].symbol()).collect())
        .collect()
}

/// The table rows on screen: each row's first cell, its last, and whether it is selected.
fn table_rows(screen: &[String]) -> Vec<(String, String, bool)> {
    screen
        .iter()
        .filter(|l| l.starts_with("│▶") || l.starts_with("│ "))
        .filter_map(|l| {
            let inside = l.trim_start_matches('│').trim_end().trim_end_matches('│');
            let cells: Vec<&str> = inside.trim_start_matches('▶').split_whitespace().collect();
            let (first, last) = (cells.first()?, cells.last()?);
            // Rows begin with a date (Log) or an item number (Items); the header does not.
            let row = first.starts_with("2024-") || first.starts_with('#');
            row.then(|| (first.to_string(), last.to_string(), inside.starts_with('▶')))
        })
        .collect()
}

/// Checks the rows on screen are `all`'s, in order, ending with the selected one (or starting
/// the list), as a table scrolled only as far as its selection shows them.
fn check_window(screen: &[String], all: &[(String, String)], selected: usize, what: &str) {
    let shown = table_rows(screen);
    assert!(!shown.is_empty(), "{what}: no rows\n{}", screen.join("\n"));
    let first = (selected + 1).saturating_sub(shown.len());
    for (at, (first_cell, last_cell, marked)) in shown.iter().enumerate() {
        let (date, hours) = &all[first + at];
        assert_eq!(
            (first_cell, last_cell, *marked),
            (date, hours, first + at == selected),
            "{what}: row {at} on screen\n{}",
            screen.join("\n")
        );
    }
}

#[test]
fn paging_through_a_year_shows_the_rows_around_the_selected_one() {
    let (_dir, store) = ledger();
    let mut app = app(&store);
    let all: Vec<(String, String)> = app
        .log_rows()
        .iter()
        .map(|r| (r.entry.date.to_string(), r.entry.minutes.hours()))
        .collect();
    assert!(all.len() > 100, "a year longer than many screens");
    let mut moves = vec![KeyCode::PageDown; 30];
    moves.extend([KeyCode::Up, KeyCode::PageUp, KeyCode::End]);
    moves.extend(vec![KeyCode::PageUp; 30]);
    moves.extend([KeyCode::Down, KeyCode::Home]);
    for key in moves {
        press(&mut app, &[key]);
        check_window(&render(&app), &all, app.selected.log, &format!("{key:?}"));
    }
    press(&mut app, &[KeyCode::End]);
    assert_eq!(app.selected.log, all.len() - 1);
    let screen = render(&app);
    assert!(
        table_rows(&screen).last().unwrap().2,
        "the last row shows, selected"
    );

    // The Items screen the same way.
    press(&mut app, &[KeyCode::Char('2')]);
    let items: Vec<(String, String)> = app
        .item_rows()
        .iter()
        .map(|r| (format!("#{}", r.item.number), r.minutes.hours()))
        .collect();
    for key in [
        KeyCode::PageDown,
        KeyCode::PageDown,
        KeyCode::End,
        KeyCode::PageUp,
    ] {
        press(&mut app, &[key]);
        check_window(
            &render(&app),
            &items,
            app.selected.items,
            &format!("items {key:?}"),
        );
    }
}

#[test]
fn the_title_counts_every_row_the_filter_keeps_not_only_those_on_screen() {
    let (_dir, store) = ledger();
    let mut app = app(&store);
    let rows = common::csv_rows(ENTRIES);
    let title = |rows: &[&std::collections::HashMap<String, String>]| {
        let minutes: u64 = rows.iter().map(|r| common::minutes_of(&r["hours"])).sum();
        format!(
            "· {} entries · {} hours",
            rows.len(),
            common::hours_text(minutes)
        )
    };
    let every: Vec<_> = rows.iter().collect();
    let screen = render(&app).join("\n");
    assert!(screen.contains(&title(&every)), "{screen}");

    press(&mut app, &[KeyCode::PageDown, KeyCode::Char('/')]);
    press(
        &mut app,
        &"A007".chars().map(KeyCode::Char).collect::<Vec<_>>(),
    );
    let a007: Vec<_> = rows.iter().filter(|r| r["advisor"] == "A007").collect();
    // Typed further, the filter keeps nothing; taken back, what it kept before.
    press(&mut app, &[KeyCode::Char('9')]);
    assert!(app.log_rows().is_empty());
    assert!(render(&app).join("\n").contains("· 0 entries · 0.0 hours"));
    press(&mut app, &[KeyCode::Backspace]);
    assert_eq!(app.log_rows().len(), a007.len());
    press(&mut app, &[KeyCode::Enter, KeyCode::PageDown]);
    assert!(!a007.is_empty());
    let screen = render(&app);
    assert!(
        screen.join("\n").contains(&title(&a007)),
        "{}",
        screen.join("\n")
    );
    let shown = table_rows(&screen);
    assert!(!shown.is_empty());
    assert_eq!(app.log_rows().len(), a007.len());
    assert!(app.log_rows().iter().all(|r| r.entry.advisor == "A007"));

    // Cleared, every row again, from the first.
    press(&mut app, &[KeyCode::Esc]);
    let screen = render(&app).join("\n");
    assert!(screen.contains(&title(&every)), "{screen}");
    assert_eq!(app.selected.log, 0);
}
