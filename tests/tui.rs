//! The interface, driven through its keymap on a real store and drawn on ratatui's TestBackend.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

use chrono::{DateTime, FixedOffset, NaiveDate};
use counsel_log::domain::intake::{decode, plan_advisors, plan_entries, read_entries};
use counsel_log::domain::{Lang, Period};
use counsel_log::store::{Stamp, Store};
use counsel_log::tui::action::{Action, Screen};
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

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 12, 31).unwrap()
}

/// A store holding the demo ledger of 2024, in a temporary directory.
struct Ledger {
    _dir: tempfile::TempDir,
    store: Store,
}

fn ledger() -> Ledger {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let stamp = Stamp::new(now(), "test");
    let advisors = plan_advisors(ADVISORS, &store.advisors().unwrap()).unwrap();
    store.apply_advisors(&advisors, "demo", &stamp).unwrap();
    let rows = read_entries(&decode(ENTRIES.as_bytes()).unwrap()).unwrap();
    let plan = plan_entries(&rows, &store.view().unwrap(), today(), true).unwrap();
    store
        .apply_entries(
            plan,
            counsel_log::store::AuditAction::ImportEntries,
            "demo",
            &stamp,
        )
        .unwrap();
    Ledger { _dir: dir, store }
}

fn app<'s>(ledger: &'s Ledger, lang: Lang, period: &str) -> App<'s> {
    let settings = Settings {
        lang,
        today: today(),
        me: Some("A001".into()),
        who: "test".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: Default::default(),
    };
    App::new(&ledger.store, settings, Period::parse(period).unwrap()).unwrap()
}

/// Feeds keys as the terminal would deliver them, through the keymap.
fn press(app: &mut App, keys: &[KeyCode]) {
    press_at(app, keys, now());
}

fn press_at(app: &mut App, keys: &[KeyCode], at: DateTime<FixedOffset>) {
    for &code in keys {
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(action) = keymap::map(app.focus(), &event) {
            app.update(action, at);
        }
    }
}

/// Opens the form and fills a new item's entry field by field, Tab between them, then saves:
/// date and advisor keep their defaults, the item stays "new".
fn add_entry(
    app: &mut App,
    title: &str,
    topic: &str,
    service: &str,
    department: &str,
    hours: &str,
) {
    press(
        app,
        &[KeyCode::Char('a'), KeyCode::Tab, KeyCode::Tab, KeyCode::Tab],
    );
    for (i, value) in [title, topic, service, department, hours]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            press(app, &[KeyCode::Tab]);
        }
        typed(app, value);
    }
    press(app, &[KeyCode::Enter]);
}

/// Presses Tab `n` times (moving down the form's fields).
fn tabs(app: &mut App, n: usize) {
    press(app, &vec![KeyCode::Tab; n]);
}

fn typed(app: &mut App, text: &str) {
    let keys: Vec<KeyCode> = text.chars().map(KeyCode::Char).collect();
    press(app, &keys);
}

/// Draws without reading the result back (the test backend cannot print a zero-width screen).
fn draw_only(app: &App, width: u16, height: u16) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(f, app, now())).unwrap();
}

/// The screen as the user reads it: one line per row, wide characters taking their two cells.
fn render(app: &App, width: u16, height: u16) -> String {
    render_at(app, width, height, now())
}

fn render_at(app: &App, width: u16, height: u16, at: DateTime<FixedOffset>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(f, app, at)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut skip = 0;
        let mut line = String::new();
        for x in 0..width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn every_screen_at_80_by_24_in_chinese() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    for (n, screen) in ['1', '2', '3', '4', '5']
        .into_iter()
        .zip(["log", "items", "tallies", "team", "report"])
    {
        press(&mut app, &[KeyCode::Char(n)]);
        insta::assert_snapshot!(format!("screen_{screen}_80x24"), render(&app, 80, 24));
    }
}

#[test]
fn the_form_help_and_delete_dialog_at_80_by_24() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    press(
        &mut app,
        &[
            KeyCode::Char('a'),
            KeyCode::Tab,
            KeyCode::Tab,
            KeyCode::Tab,
            KeyCode::Tab,
        ],
    );
    typed(&mut app, "信息");
    insta::assert_snapshot!("form_topic_picker_80x24", render(&app, 80, 24));
    press(&mut app, &[KeyCode::Esc, KeyCode::Esc, KeyCode::Char('?')]);
    insta::assert_snapshot!("help_80x24", render(&app, 80, 24));
    press(&mut app, &[KeyCode::Esc, KeyCode::Char('d')]);
    insta::assert_snapshot!("confirm_delete_80x24", render(&app, 80, 24));
    // Every key's explanation fits at 80 columns, in both languages.
    for lang in [Lang::Zh, Lang::En] {
        let mut app = self::app(&l, lang, "2024-03");
        press(&mut app, &[KeyCode::Char('?')]);
        let help = render(&app, 80, 24);
        assert!(!help.contains('…'), "{help}");
        // The list names the key that shows it.
        press(
            &mut app,
            &[KeyCode::End, KeyCode::Up, KeyCode::Up, KeyCode::Up],
        );
        let end = render(&app, 80, 24);
        assert!(
            end.contains(lang.of(("本按键表", "this list of keys"))),
            "{end}"
        );
    }
}

#[test]
fn the_english_tallies_screen() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024");
    press(&mut app, &[KeyCode::Char('3')]);
    insta::assert_snapshot!("tallies_en_100x30", render(&app, 100, 30));
}

/// The footer's last line: the keys of the screen shown.
fn footer_of(screen: &str) -> &str {
    screen.trim_end().lines().last().unwrap_or_default()
}

#[test]
fn every_log_key_shows_at_100_columns_in_english_and_the_most_that_fit_at_80() {
    let l = ledger();
    let app = app(&l, Lang::En, "2024-03");
    let wide = render(&app, 100, 30);
    let footer = footer_of(&wide);
    for key in [" a add", "h history", "[ ] prev/next", "? help", "q quit"] {
        assert!(footer.contains(key), "{key:?} missing from {footer:?}");
    }
    // Where every key does not fit, the keys close up before any is left out; help and quit
    // stay.
    let narrow = render(&app, 80, 24);
    let footer = footer_of(&narrow);
    assert!(
        footer.contains("/ filter p period ? help q quit"),
        "{footer:?}"
    );
}

#[test]
fn what_an_action_said_goes_with_the_next_one() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-12");
    let said = "the next one has not begun";
    press(&mut app, &[KeyCode::Char(']')]);
    assert!(render(&app, 100, 30).contains(said));
    // Back a month: the refusal of the step forward no longer stands.
    press(&mut app, &[KeyCode::Char('[')]);
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("November 2024") && !screen.contains(said),
        "{screen}"
    );
    // Nor across screens.
    press(&mut app, &[KeyCode::Char(']'), KeyCode::Char(']')]);
    assert!(render(&app, 100, 30).contains(said));
    press(&mut app, &[KeyCode::Char('2')]);
    let screen = render(&app, 100, 30);
    assert!(!screen.contains(said), "{screen}");
}

#[test]
fn a_year_typed_as_the_period_shows_the_same_totals_as_the_summary() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    press(&mut app, &[KeyCode::Char('3'), KeyCode::Char('p')]);
    typed(&mut app, "2024");
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.period.code(), "2024");
    let summary =
        counsel_log::report::summary_of(&l.store, Period::parse("2024").unwrap(), Lang::Zh)
            .unwrap();
    assert_eq!(app.data.tally.total.items, summary.total.items);
    assert_eq!(app.data.tally.total.minutes, summary.total.minutes);
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("171") && screen.contains("432.3"),
        "{screen}"
    );
}

#[test]
fn a_bad_period_is_explained_and_the_old_one_kept() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-03");
    press(&mut app, &[KeyCode::Char('p')]);
    typed(&mut app, "2024-13");
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.period.code(), "2024-03");
    assert!(render(&app, 100, 30).contains("\"2024-13\" has no such month"));
    // A period still to come is refused as `]` refuses it.
    press(&mut app, &[KeyCode::Esc, KeyCode::Char('p')]);
    typed(&mut app, "2099");
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.period.code(), "2024-03");
    assert!(render(&app, 100, 30).contains("\"2099\" has not begun"));
    press(&mut app, &[KeyCode::Esc, KeyCode::Char(']')]);
    assert_eq!(app.period.code(), "2024-04");
    press(&mut app, &[KeyCode::Char('['), KeyCode::Char('[')]);
    assert_eq!(app.period.code(), "2024-02");
}

#[test]
fn an_entry_typed_in_the_form_is_saved_and_undo_removes_it() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-12");
    let before = l.store.all_entries().unwrap().len();
    add_entry(
        &mut app,
        "关于某项目合同的法律意见",
        "合同",
        "审核",
        "市场监",
        "1:30",
    );

    let entries = l.store.all_entries().unwrap();
    assert_eq!(entries.len(), before + 1, "{:?}", app.status_line);
    let new = entries.iter().max_by_key(|e| e.id).unwrap();
    assert_eq!(
        (new.advisor.as_str(), new.minutes.0, new.date),
        ("A001", 90, today())
    );
    let item = l.store.item(new.item).unwrap().unwrap();
    assert_eq!(
        (
            item.title.as_str(),
            item.topic.as_str(),
            item.service.as_str(),
            item.department.as_str()
        ),
        (
            "关于某项目合同的法律意见",
            "contracts",
            "contract-review",
            "市场监管局"
        ),
        "the pickers took the highlighted choice and the department completed"
    );
    assert_eq!(app.screen, Screen::Log);
    assert_eq!(
        app.selected_log().map(|r| r.entry.id),
        Some(new.id),
        "the new entry is selected"
    );

    press(&mut app, &[KeyCode::Char('u')]);
    assert_eq!(l.store.all_entries().unwrap().len(), before);
    assert!(
        l.store.item(new.item).unwrap().is_none(),
        "the item made for it is gone too"
    );
    assert!(
        app.status_line
            .as_ref()
            .is_some_and(|s| s.text.contains("已撤销"))
    );
}

#[test]
fn invalid_fields_are_named_beside_them_and_nothing_is_saved() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-12");
    let before = l.store.all_entries().unwrap().len();
    press(&mut app, &[KeyCode::Char('a')]);
    typed(&mut app, "2024-02-30");
    tabs(&mut app, 7);
    typed(&mut app, "nan");
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(l.store.all_entries().unwrap().len(), before);
    let screen = render(&app, 120, 30);
    assert!(
        screen.contains("✗ 2024-02-30 does not e"),
        "the date's problem is beside it: {screen}"
    );
    assert!(screen.contains("\"nan\" is not a duration"), "{screen}");
    assert!(
        screen.contains("required"),
        "an empty title is required: {screen}"
    );
}

#[test]
fn a_paste_with_a_line_break_never_submits_the_form() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-12");
    let before = l.store.all_entries().unwrap().len();
    press(
        &mut app,
        &[KeyCode::Char('a'), KeyCode::Tab, KeyCode::Tab, KeyCode::Tab],
    );
    app.update(Action::Paste("第一行\n第二行".into()), now());
    assert_eq!(l.store.all_entries().unwrap().len(), before);
    assert!(render(&app, 100, 30).contains("第一行 第二行"));
}

#[test]
fn delete_asks_first_and_undo_brings_the_entry_back() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    let target = app.selected_log().unwrap().entry.clone();
    press(&mut app, &[KeyCode::Char('d'), KeyCode::Char('n')]);
    assert!(l.store.entry(target.id).unwrap().is_some(), "n keeps it");
    press(&mut app, &[KeyCode::Char('d'), KeyCode::Char('y')]);
    assert!(l.store.entry(target.id).unwrap().is_none());
    press(&mut app, &[KeyCode::Char('u')]);
    assert_eq!(l.store.entry(target.id).unwrap(), Some(target));
    let trail = l.store.audit_trail().unwrap();
    let actions: Vec<&str> = trail
        .iter()
        .rev()
        .take(2)
        .map(|r| r.action.as_str())
        .collect();
    assert_eq!(
        actions,
        ["undo", "entry.delete"],
        "both the delete and its undo are audited"
    );
}

#[test]
fn editing_the_hours_changes_the_entry_and_keeps_its_id() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    let target = app.selected_log().unwrap().entry.clone();
    press(&mut app, &[KeyCode::Char('e')]);
    typed(&mut app, "2.5");
    press(&mut app, &[KeyCode::Enter]);
    let edited = l.store.entry(target.id).unwrap().unwrap();
    assert_eq!(edited.minutes.0, 150);
    assert_eq!((edited.date, edited.item), (target.date, target.item));
    press(&mut app, &[KeyCode::Char('u')]);
    assert_eq!(
        l.store.entry(target.id).unwrap().unwrap().minutes,
        target.minutes
    );
}

#[test]
fn the_timer_survives_a_restart_and_rounds_up_to_the_increment() {
    let l = ledger();
    let start = now();
    {
        let mut app = app(&l, Lang::Zh, "2024-12");
        press_at(&mut app, &[KeyCode::Char('t')], start);
        assert!(l.store.timer().unwrap().is_some());
    }
    // A new App is what a restart sees: the timer is still there and shows in the header.
    let mut app = app(&l, Lang::Zh, "2024-12");
    let later = start + chrono::Duration::minutes(7) + chrono::Duration::seconds(5);
    let screen = render_at(&app, 100, 30, later);
    assert!(screen.contains("⏱ 00:08"), "{screen}");
    // At the smallest sizes the clock and the period still show, in either language.
    for lang in [Lang::Zh, Lang::En] {
        let app = self::app(&l, lang, "2024-12");
        for width in [60, 80] {
            let top = render_at(&app, width, 24, later);
            let header = top.lines().next().unwrap();
            assert!(
                header.contains("⏱ 00:08") && header.contains("2024"),
                "{header}"
            );
        }
    }
    let before = l.store.all_entries().unwrap().len();
    press_at(&mut app, &[KeyCode::Char('t')], later);
    assert!(l.store.timer().unwrap().is_none());
    let entries = l.store.all_entries().unwrap();
    assert_eq!(entries.len(), before + 1);
    let timed = entries.iter().max_by_key(|e| e.id).unwrap();
    assert_eq!(
        timed.minutes.0, 12,
        "8 minutes round up to two 6-minute increments"
    );
    let screen = render_at(&app, 100, 30, later);
    assert!(
        screen.contains("计时结束：#2024-0171"),
        "the message names the item: {screen}"
    );
}

#[test]
fn a_timer_stopped_within_its_first_minute_logs_nothing() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-12");
    let before = l.store.all_entries().unwrap().len();
    press_at(&mut app, &[KeyCode::Char('t')], now());
    press_at(
        &mut app,
        &[KeyCode::Char('t')],
        now() + chrono::Duration::seconds(20),
    );
    assert!(l.store.timer().unwrap().is_none());
    assert_eq!(l.store.all_entries().unwrap().len(), before);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("cancelled, nothing logged"), "{screen}");
}

#[test]
fn enter_on_a_tally_row_shows_the_entries_behind_it() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024");
    press(&mut app, &[KeyCode::Char('3'), KeyCode::Enter]);
    assert_eq!(app.screen, Screen::Log);
    let top = &app.data.tally.rows[0];
    let rows = app.log_rows();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.item.topic == top.key));
    let minutes: u64 = rows.iter().map(|r| r.entry.minutes.0).sum();
    assert_eq!(
        minutes, top.minutes.0,
        "the drill-down holds exactly the row's hours"
    );
    press(&mut app, &[KeyCode::Esc]);
    assert_eq!(
        app.screen,
        Screen::Tallies,
        "Esc goes back where the drill-down started"
    );
    assert_eq!(app.log_rows().len(), app.data.log.len());
}

#[test]
fn undo_never_takes_back_an_import() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024");
    let before = l.store.all_entries().unwrap().len();
    press(&mut app, &[KeyCode::Char('u')]);
    assert_eq!(
        l.store.all_entries().unwrap().len(),
        before,
        "the import stays"
    );
    let status = app.status_line.clone().unwrap();
    assert!(
        status.error
            && status.text.contains("cannot be undone")
            && status.text.contains("entries imported")
            && status.text.contains("restoring an export"),
        "{status:?}"
    );
}

#[test]
fn undo_reaches_an_entry_added_before_a_restart() {
    let l = ledger();
    let before = l.store.all_entries().unwrap().len();
    {
        let mut app = app(&l, Lang::En, "2024-12");
        add_entry(&mut app, "x", "labor", "opinion", "财政局", "1");
    }
    assert_eq!(l.store.all_entries().unwrap().len(), before + 1);
    let mut app = app(&l, Lang::En, "2024-12");
    press(&mut app, &[KeyCode::Char('u')]);
    assert_eq!(l.store.all_entries().unwrap().len(), before);
}

#[test]
fn tabbing_past_an_untouched_list_chooses_nothing() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-12");
    press(
        &mut app,
        &[
            KeyCode::Char('a'),
            KeyCode::Tab,
            KeyCode::Tab,
            KeyCode::Tab,
            KeyCode::Tab,
            KeyCode::Tab,
        ],
    );
    let screen = render(&app, 100, 30);
    let topic_line = screen.lines().find(|l| l.contains("Topic")).unwrap();
    assert!(!topic_line.contains("Information"), "{topic_line}");
    press(&mut app, &[KeyCode::Enter]);
    assert!(render(&app, 100, 30).contains("required"));
}

#[test]
fn the_filter_narrows_the_log() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024");
    press(&mut app, &[KeyCode::Char('/')]);
    typed(&mut app, "信息公开");
    press(&mut app, &[KeyCode::Enter]);
    let rows = app.log_rows();
    assert!(!rows.is_empty() && rows.len() < app.data.log.len());
    assert!(
        rows.iter()
            .all(|r| r.item.topic == "info-disclosure" || r.item.title.contains("信息公开"))
    );
}

#[test]
fn a_note_with_line_breaks_shows_every_line_in_the_detail() {
    let l = ledger();
    let csv = format!(
        "{}\n2024-12-30,A001,1,,多行备注事项,信息公开,opinion,司法局,,\"第一行\n第二行\"\n",
        counsel_log::domain::intake::ENTRY_HEADER
    );
    let rows = read_entries(&decode(csv.as_bytes()).unwrap()).unwrap();
    let plan = plan_entries(&rows, &l.store.view().unwrap(), today(), true).unwrap();
    let stamp = Stamp::new(now(), "test");
    let action = counsel_log::store::AuditAction::ImportEntries;
    l.store.apply_entries(plan, action, "note", &stamp).unwrap();
    let mut app = app(&l, Lang::Zh, "2024-12");
    press(&mut app, &[KeyCode::Char('/')]);
    typed(&mut app, "多行备注事项");
    press(&mut app, &[KeyCode::Enter]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("第一行 ↵ 第二行"), "{screen}");
}

#[test]
fn g_cycles_the_grouping_and_every_grouping_adds_up() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024");
    press(&mut app, &[KeyCode::Char('3')]);
    for _ in 0..6 {
        let t = &app.data.tally;
        assert_eq!(
            t.rows.iter().map(|r| r.minutes.0).sum::<u64>(),
            t.total.minutes.0,
            "{:?}",
            t.by
        );
        press(&mut app, &[KeyCode::Char('g')]);
    }
}

#[test]
fn a_small_terminal_gets_a_message_and_no_size_panics() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    assert!(render(&app, 50, 12).contains("终端太小"));
    let english = self::app(&l, Lang::En, "2024-03");
    let small = render(&english, 40, 10);
    assert!(small.contains("60×16"), "the size asked for shows: {small}");
    let overlays: [&[KeyCode]; 5] = [
        &[],
        &[KeyCode::Char('a')],
        &[KeyCode::Char('?')],
        &[KeyCode::Char('d')],
        &[KeyCode::Char('p')],
    ];
    for screen in ['1', '2', '3', '4', '5'] {
        for keys in overlays {
            press(
                &mut app,
                &[KeyCode::Esc, KeyCode::Esc, KeyCode::Char(screen)],
            );
            press(&mut app, keys);
            for w in (0..=120).step_by(7) {
                for h in (0..=40).step_by(3) {
                    draw_only(&app, w, h);
                }
            }
        }
    }
}

#[test]
fn esc_on_a_changed_form_asks_once_before_discarding() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-12");
    press(
        &mut app,
        &[KeyCode::Char('a'), KeyCode::Tab, KeyCode::Tab, KeyCode::Tab],
    );
    typed(&mut app, "draft");
    press(&mut app, &[KeyCode::Esc]);
    assert!(render(&app, 100, 30).contains("Esc again discards it"));
    press(&mut app, &[KeyCode::Esc]);
    assert!(
        !render(&app, 100, 30).contains("New entry"),
        "the second Esc closes the form"
    );
    press(&mut app, &[KeyCode::Char('a'), KeyCode::Esc]);
    assert!(
        !render(&app, 100, 30).contains("New entry"),
        "an untouched form closes at once"
    );
}

#[test]
fn items_are_rated_and_closed_on_the_items_screen_and_the_rating_counts() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-12");
    add_entry(&mut app, "新事项", "labor", "opinion", "财政局", "1");
    let rated = |app: &App| app.data.summary.total.rated();
    let before = rated(&app);
    press(&mut app, &[KeyCode::Char('2'), KeyCode::Home]);
    let item = app.item_rows()[0].item.clone();
    assert_eq!(item.satisfaction, None, "the new item is first and unrated");
    press(
        &mut app,
        &[KeyCode::Char('s'), KeyCode::Char('s'), KeyCode::Char('c')],
    );
    let now_item = l.store.item(item.id).unwrap().unwrap();
    assert_eq!(
        now_item.satisfaction,
        Some(counsel_log::domain::Satisfaction::Basic)
    );
    assert_eq!(
        now_item.status,
        counsel_log::domain::model::ItemStatus::Closed
    );
    assert_eq!(
        rated(&app),
        before + 1,
        "the rating counts in the period's figures"
    );
    press(
        &mut app,
        &[KeyCode::Char('u'), KeyCode::Char('u'), KeyCode::Char('u')],
    );
    let back = l.store.item(item.id).unwrap().unwrap();
    assert_eq!(
        (back.satisfaction, back.status),
        (None, counsel_log::domain::model::ItemStatus::Open)
    );
}

#[test]
fn problems_are_explained_in_chinese_in_the_chinese_interface() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-12");
    press(&mut app, &[KeyCode::Char('a')]);
    typed(&mut app, "2099-01-01");
    tabs(&mut app, 7);
    typed(&mut app, "abc");
    press(&mut app, &[KeyCode::Enter]);
    let screen = render(&app, 120, 30);
    assert!(
        screen.contains("“abc”不是时长：请写成 1.5、1.5h、1:30、90m 或 1h30m"),
        "{screen}"
    );
    assert!(screen.contains("✗ 2099-01-01 是将来的日"), "{screen}");
}

#[test]
fn an_empty_ledger_says_how_to_add_the_team() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let settings = Settings {
        lang: Lang::En,
        today: today(),
        me: None,
        who: "test".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: Default::default(),
    };
    let app = App::new(&store, settings, Period::parse("2024-12").unwrap()).unwrap();
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("no advisors yet") && screen.contains("import advisors"),
        "{screen}"
    );
}

#[test]
fn picking_an_existing_item_fills_its_fields_in_the_interface_language() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-12");
    press(
        &mut app,
        &[
            KeyCode::Char('a'),
            KeyCode::Tab,
            KeyCode::Tab,
            KeyCode::Down,
        ],
    );
    press(&mut app, &[KeyCode::Tab]);
    let screen = render(&app, 100, 30);
    // The form's lines are the ones inside two boxes.
    let field = |name: &str| {
        let line = screen
            .lines()
            .find(|l| l.matches('│').count() == 4 && l.contains(&format!("{name} ")))
            .unwrap();
        let value = line
            .split('│')
            .nth(2)
            .unwrap()
            .trim_start_matches(['▸', ' ']);
        let value = value[name.len()..].trim();
        value.split("  ").next().unwrap_or_default().to_string()
    };
    assert_eq!(field("Title"), "关于消费纠纷调解协议效力的法律咨询");
    assert_eq!(field("Topic"), "Market regulation");
    assert_eq!(field("Service"), "Legal consultation");
    assert_eq!(field("Department"), "市场监管局");
    // They are the item's: Tab passed over them to the hours, and typing cannot change them.
    assert!(screen.contains("▸Hours"), "{screen}");
    press(&mut app, &[KeyCode::BackTab]);
    assert!(render(&app, 100, 30).contains("▸Item"));
    // Clearing the item back to "new item" clears what it filled in: they were its fields.
    press(&mut app, &[KeyCode::Backspace; 10]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("+ new item"), "{screen}");
    let title = screen.lines().find(|l| l.contains("│ Title")).unwrap();
    assert!(!title.contains("关于"), "{title}");
}

#[test]
fn the_month_grouping_charts_the_year_in_time_order() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024");
    press(&mut app, &[KeyCode::Char('3')]);
    while app.data.tally.by != counsel_log::domain::GroupBy::Month {
        press(&mut app, &[KeyCode::Char('g')]);
    }
    let screen = render(&app, 100, 30);
    let labels = screen
        .lines()
        .rev()
        .find(|l| l.contains(" 01 ") || l.contains("01"))
        .unwrap();
    let months: Vec<&str> = labels.trim_matches(['│', ' ']).split_whitespace().collect();
    let expected: Vec<String> = (1..=12).map(|m| format!("{m:02}")).collect();
    assert_eq!(months, expected, "{screen}");
}

#[test]
fn the_filter_finds_topics_by_code_and_either_name_as_it_is_typed() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024");
    press(&mut app, &[KeyCode::Char('/')]);
    typed(&mut app, "enforcement");
    // Narrowed while typing, before Enter.
    let rows = app.log_rows();
    assert!(!rows.is_empty() && rows.len() < app.data.log.len());
    assert!(rows.iter().all(|r| r.item.topic == "enforcement"));
    let by_code = rows.len();
    press(&mut app, &[KeyCode::Esc]);
    assert_eq!(
        app.log_rows().len(),
        app.data.log.len(),
        "Esc puts the old filter back"
    );

    press(&mut app, &[KeyCode::Char('/')]);
    typed(&mut app, "行政执法程序");
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.log_rows().len(), by_code);

    press(&mut app, &[KeyCode::Char('/')]);
    typed(&mut app, "zzz");
    press(&mut app, &[KeyCode::Enter]);
    assert!(render(&app, 100, 30).contains("没有与筛选条件相符的记录"));
}

#[test]
fn narrow_english_columns_show_names_cut_as_chinese_ones_are_and_never_cut_an_advisor_id() {
    let l = ledger();
    let stamp = Stamp::new(now(), "test");
    let advisors = plan_advisors(
        "id,name,category,unit\nA777,Alexandra Konstantinopoulou-Smith,expert,Bar\n",
        &l.store.advisors().unwrap(),
    )
    .unwrap();
    l.store.apply_advisors(&advisors, "test", &stamp).unwrap();
    let rows = read_entries(
        "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n\
         2024-03-30,A777,1,,A long opinion,enforcement,legality-review,Market bureau,,\n",
    )
    .unwrap();
    let plan = plan_entries(&rows, &l.store.view().unwrap(), today(), false).unwrap();
    l.store
        .apply_entries(
            plan,
            counsel_log::store::AuditAction::EntryAdd,
            "test",
            &stamp,
        )
        .unwrap();
    let mut app = app(&l, Lang::En, "2024-03");
    let screen = render(&app, 80, 24);
    let row = screen.lines().find(|l| l.contains("2024-03-30")).unwrap();
    assert!(row.contains("Alexandr… A777"), "{row}");
    // Names, not codes, cut with `…` only where even the name does not fit; names that fit
    // whole stay whole beside them.
    assert!(
        row.contains("Administrat…") && row.contains("Legality…"),
        "{row}"
    );
    assert!(
        !screen.contains("enforcement") && !screen.contains("legality-"),
        "{screen}"
    );
    assert!(screen.contains("Work safety"), "{screen}");
    // Items and Tallies alike.
    press(&mut app, &[KeyCode::Char('2')]);
    let items = render(&app, 80, 24);
    assert!(
        items.contains("Administr…") && !items.contains("enforcement"),
        "{items}"
    );
    press(&mut app, &[KeyCode::Char('3')]);
    while !render(&app, 80, 24).contains("· topic") {
        press(&mut app, &[KeyCode::Char('g')]);
    }
    let tallies = render(&app, 80, 24);
    assert!(
        tallies.contains("│ Administrative enf…")
            && tallies.contains("│ Work safety ")
            && !tallies.contains("info-disclosure"),
        "{tallies}"
    );
}

#[test]
fn x_on_a_filtered_tally_says_the_file_holds_the_whole_tally() {
    let l = ledger();
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&l, Lang::En, "2024");
    app.export_dir = dir.path().to_path_buf();
    press(&mut app, &[KeyCode::Char('3'), KeyCode::Char('/')]);
    typed(&mut app, "info");
    press(&mut app, &[KeyCode::Enter, KeyCode::Char('x')]);
    let csv = std::fs::read_to_string(dir.path().join("counsel-log-2024-topic.csv")).unwrap();
    let total = csv.lines().last().unwrap();
    assert!(total.starts_with("total,"), "{total}");
    assert!(
        total.contains(",171,25938,432.3"),
        "the period's total: {total}"
    );
    let status = render(&app, 160, 30);
    assert!(
        status.contains("the file holds the period's whole tally"),
        "{status}"
    );
}

#[test]
fn x_exports_the_tally_as_csv_and_the_report_as_markdown() {
    let l = ledger();
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&l, Lang::Zh, "2024");
    app.export_dir = dir.path().to_path_buf();

    press(&mut app, &[KeyCode::Char('x')]);
    assert!(render(&app, 100, 30).contains("统计页（3）和报告页（5）"));

    press(&mut app, &[KeyCode::Char('3'), KeyCode::Char('x')]);
    let csv = std::fs::read(dir.path().join("counsel-log-2024-topic.csv")).unwrap();
    // For the person who exported it: the columns named in the interface's language.
    assert!(csv.starts_with("\u{feff}代码,名称,件次,分钟".as_bytes()));
    assert!(!csv[3..].starts_with("\u{feff}".as_bytes()), "one BOM only");
    let text = String::from_utf8(csv).unwrap();
    let total = text.lines().last().unwrap();
    assert!(total.starts_with("total,合计,171,25938,432.3"), "{total}");
    let status = render(&app, 100, 30);
    assert!(
        status.contains("已导出到") && status.contains("counsel-log-2024-topic.csv"),
        "{status}"
    );

    press(&mut app, &[KeyCode::Char('5'), KeyCode::Char('x')]);
    let md = std::fs::read_to_string(dir.path().join("counsel-log-2024-report.md")).unwrap();
    assert!(md.contains(&app.data.summary.to_string()), "{md}");
    assert!(md.contains("## 按类别") && md.contains("## 按领域"), "{md}");
    assert!(md.contains("| 信息公开"), "{md}");
    let workbook = std::fs::read(dir.path().join("counsel-log-2024-report.xlsx")).unwrap();
    assert!(workbook.starts_with(b"PK"), "an xlsx file is a zip archive");
    let document = std::fs::read(dir.path().join("counsel-log-2024-report.docx")).unwrap();
    assert!(document.starts_with(b"PK"), "a docx file is a zip archive");
    // The status line names all three (wide enough for the temporary folder's path).
    let status = render(&app, 160, 30);
    assert!(status.contains("counsel-log-2024-report.docx"), "{status}");
}

#[test]
fn keys_pressed_on_the_wrong_screen_say_where_they_work() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024");
    press(&mut app, &[KeyCode::Char('4'), KeyCode::Char('t')]);
    assert!(render(&app, 100, 30).contains("t (timer) works on the item selected"));
    assert!(l.store.timer().unwrap().is_none());
    let group = app.data.tally.by;
    press(&mut app, &[KeyCode::Char('1'), KeyCode::Char('g')]);
    assert!(render(&app, 100, 30).contains("g (grouping) works on Tallies (3)"));
    assert_eq!(
        app.data.tally.by, group,
        "the grouping did not change unseen"
    );
}

#[test]
fn at_the_smallest_size_names_and_titles_stay_readable() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    let screen = render(&app, 60, 16);
    let row = screen.lines().find(|l| l.contains("2024-03-29")).unwrap();
    assert!(row.contains("政府购买服务") && row.contains("2.1"), "{row}");
    press(&mut app, &[KeyCode::Char('2')]);
    let screen = render(&app, 60, 16);
    let row = screen.lines().find(|l| l.contains("2024-0039")).unwrap();
    assert!(row.contains("政府购买服务"), "{row}");
    press(&mut app, &[KeyCode::Char('3')]);
    let screen = render(&app, 60, 16);
    let row = screen.lines().find(|l| l.contains("32.4%")).unwrap();
    assert!(row.contains("信息公开"), "{row}");
    // The report paragraph is shown whole; the figures under it give way.
    press(&mut app, &[KeyCode::Char('5')]);
    let screen = render(&app, 60, 16);
    let end = app.data.summary.to_string();
    let end: String = end
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert!(screen.contains(&end), "{end} missing: {screen}");
}

#[test]
fn an_advisor_id_typed_in_the_wrong_case_is_saved_as_the_ledger_spells_it() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-12");
    let before = l.store.all_entries().unwrap().len();
    press(
        &mut app,
        &[KeyCode::Char('a'), KeyCode::Tab, KeyCode::Tab, KeyCode::Tab],
    );
    typed(&mut app, "Opinion on a lease");
    for value in ["contracts", "opinion", "Finance bureau", "1"] {
        press(&mut app, &[KeyCode::Tab]);
        typed(&mut app, value);
    }
    // Back up to the advisor and type its id in lower case, then save from there.
    press(&mut app, &[KeyCode::BackTab; 6]);
    typed(&mut app, "a002");
    let screen = render(&app, 100, 30);
    assert!(!screen.contains("unknown advisor"), "{screen}");
    press(&mut app, &[KeyCode::Enter]);
    let entries = l.store.all_entries().unwrap();
    assert_eq!(entries.len(), before + 1, "{:?}", app.status_line);
    let new = entries.iter().max_by_key(|e| e.id).unwrap();
    assert_eq!(new.advisor, "A002");
}

#[test]
fn o_records_whether_the_advice_was_adopted_and_why_not() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-12");
    press(&mut app, &[KeyCode::Char('2'), KeyCode::Home]);
    let item = app.item_rows()[0].item.clone();
    assert_eq!(item.outcome, None);
    let outcome = |l: &Ledger| l.store.item(item.id).unwrap().unwrap().outcome;

    press(&mut app, &[KeyCode::Char('o')]);
    assert_eq!(outcome(&l).map(|o| o.adopted), Some(true));
    let row = render(&app, 100, 30);
    assert!(row.contains("已采纳"), "{row}");

    press(&mut app, &[KeyCode::Char('o')]);
    assert!(render(&app, 100, 30).contains("未采纳的原因"));
    // No reason, no change: as `item outcome not-adopted` without `--reason`.
    press(&mut app, &[KeyCode::Enter]);
    assert!(render(&app, 100, 30).contains("未采纳须写明原因"));
    assert_eq!(outcome(&l).map(|o| o.adopted), Some(true));
    typed(&mut app, "与上位法冲突");
    press(&mut app, &[KeyCode::Enter]);
    let o = outcome(&l).unwrap();
    assert_eq!((o.adopted, o.reason.as_str()), (false, "与上位法冲突"));

    // The reason shows with the item's entries on the Log.
    press(&mut app, &[KeyCode::Enter]);
    let drilled = render(&app, 100, 30);
    // The detail box wraps its line: read it as one.
    let detail: String = drilled
        .lines()
        .map(|line| line.trim_matches('│').trim_end())
        .collect();
    assert!(detail.contains("未采纳：与上位法冲突"), "{drilled}");
    press(&mut app, &[KeyCode::Esc]);

    // The Report counts the outcomes of the period's items.
    press(&mut app, &[KeyCode::Char('5')]);
    let report = render(&app, 100, 30);
    assert!(report.contains("已采纳 0/1（0.0%）"), "{report}");
    press(&mut app, &[KeyCode::Char('2')]);

    press(&mut app, &[KeyCode::Char('o')]);
    assert_eq!(outcome(&l), None);
    press(&mut app, &[KeyCode::Char('u')]);
    assert_eq!(
        outcome(&l).map(|o| o.reason),
        Some("与上位法冲突".into()),
        "undo brings it back"
    );
}

#[test]
fn the_team_shows_hours_against_the_monthly_targets() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    app.settings.targets.by_category.insert(
        counsel_log::domain::Category::Staff,
        counsel_log::domain::Minutes(600),
    );
    press(&mut app, &[KeyCode::Char('4')]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("完成目标"), "{screen}");
    // 尹帆 A001 (staff) logged 5.5 hours in March against a target of 10.
    let row = screen.lines().find(|l| l.contains("尹帆 A001")).unwrap();
    assert!(row.contains("5.5") && row.contains("55.0%"), "{row}");
    // An external lawyer has no target: nothing is shown for them.
    let row = screen.lines().find(|l| l.contains("夏德胜 A059")).unwrap();
    assert!(!row.contains('%'), "{row}");
}

#[test]
fn the_hours_field_says_what_it_read_or_what_is_wrong_as_it_is_typed() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-12");
    press(&mut app, &[KeyCode::Char('a')]);
    tabs(&mut app, 7);
    typed(&mut app, "1:30");
    let line = |app: &App| {
        render(app, 100, 30)
            .lines()
            .find(|l| l.contains("▸小时"))
            .unwrap()
            .to_string()
    };
    assert!(line(&app).contains("= 1小时30分"), "{}", line(&app));
    press(&mut app, &[KeyCode::Backspace; 4]);
    typed(&mut app, "90");
    assert!(line(&app).contains("✗"), "{}", line(&app));
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("如指 90 分钟，请写 90m"),
        "the whole message below: {screen}"
    );
}

#[test]
fn saving_an_entry_outside_the_period_shown_says_which_period_is_shown_now() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    add_entry(&mut app, "新事项", "labor", "opinion", "财政局", "1");
    assert_eq!(app.period, Period::parse("2024-12").unwrap());
    let status = render(&app, 100, 30);
    assert!(status.contains("现显示：2024年12月"), "{status}");
}

#[test]
fn the_next_period_key_stops_at_the_period_that_holds_today() {
    let ledger = ledger();
    let mut app = app(&ledger, Lang::En, "2024-11");
    press(&mut app, &[KeyCode::Char(']')]);
    assert_eq!(app.period, Period::parse("2024-12").unwrap());
    press(&mut app, &[KeyCode::Char(']')]);
    assert_eq!(
        app.period,
        Period::parse("2024-12").unwrap(),
        "2025 has not begun"
    );
    assert!(render(&app, 100, 30).contains("the next one has not begun"));
    press(&mut app, &[KeyCode::Char('[')]);
    assert_eq!(app.period, Period::parse("2024-11").unwrap());
}

#[test]
fn h_on_the_log_shows_the_entrys_audit_records() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    let target = app.selected_log().unwrap().entry.clone();
    press(&mut app, &[KeyCode::Char('e')]);
    typed(&mut app, "2.5");
    press(&mut app, &[KeyCode::Enter, KeyCode::Char('h')]);
    let screen = render(&app, 80, 24);
    insta::assert_snapshot!("entry_history_80x24", screen);
    assert!(
        screen.contains("导入工时") && screen.contains("修改记录"),
        "{screen}"
    );
    assert!(screen.contains(&format!("#{}", target.id.0)), "{screen}");
    // Any other key closes it; on another screen `h` says where entries are.
    press(&mut app, &[KeyCode::Esc]);
    assert!(app.overlay.is_none());
    press(&mut app, &[KeyCode::Char('2'), KeyCode::Char('h')]);
    assert!(app.overlay.is_none() && app.status_line.is_some());
    let mut en = self::app(&l, Lang::En, "2024-03");
    press(&mut en, &[KeyCode::Char('h')]);
    let screen = render(&en, 80, 24);
    assert!(
        screen.contains("History") && screen.contains("entry changed"),
        "{screen}"
    );
    assert!(
        screen.contains(" h history") || screen.contains("h history"),
        "{screen}"
    );
}

/// A moment of the last day of 2024 or the first of 2025, on the clock the tests hand in.
fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

#[test]
fn left_open_past_midnight_the_form_takes_the_new_day() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-12");
    press_at(
        &mut app,
        &[KeyCode::Char('a')],
        at("2024-12-31T23:59:30+08:00"),
    );
    assert!(render(&app, 100, 30).contains("2024-12-31"));
    // The next key after midnight: the default date is the new day, which is no longer "in
    // the future".
    press_at(&mut app, &[KeyCode::Tab], at("2025-01-01T00:00:05+08:00"));
    let screen = render_at(&app, 100, 30, at("2025-01-01T00:00:05+08:00"));
    assert!(screen.contains("2025-01-01"), "{screen}");
    assert!(!screen.contains("future"), "{screen}");
    assert_eq!(
        app.settings.today,
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
    );
}

#[test]
fn a_timer_running_across_midnight_is_logged_on_the_day_it_stops() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-12");
    press_at(
        &mut app,
        &[KeyCode::Char('t')],
        at("2024-12-31T23:50:00+08:00"),
    );
    assert!(l.store.timer().unwrap().is_some());
    // The interface's loop sees midnight pass: the month that was current gives way to the new
    // one, and the status line says it is a new day.
    app.new_day(at("2025-01-01T00:00:01+08:00"), None);
    let screen = render_at(&app, 100, 30, at("2025-01-01T00:00:01+08:00"));
    assert!(screen.contains("January 2025"), "{screen}");
    assert!(
        screen.contains("A new day: today is 2025-01-01"),
        "{screen}"
    );
    press_at(
        &mut app,
        &[KeyCode::Char('t')],
        at("2025-01-01T00:20:00+08:00"),
    );
    let timed = l
        .store
        .all_entries()
        .unwrap()
        .into_iter()
        .max_by_key(|e| e.id)
        .unwrap();
    assert_eq!(timed.date, NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    assert_eq!(timed.minutes.0, 30);
    let screen = render_at(&app, 100, 30, at("2025-01-01T00:20:00+08:00"));
    assert!(screen.contains("ran across midnight"), "{screen}");
    assert!(screen.contains("logged on 2025-01-01"), "{screen}");
}

#[test]
fn x_never_overwrites_an_earlier_export_and_says_which_name_it_used() {
    let l = ledger();
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(&l, Lang::En, "2024");
    app.export_dir = dir.path().to_path_buf();
    press(&mut app, &[KeyCode::Char('5'), KeyCode::Char('x')]);
    let first = dir.path().join("counsel-log-2024-report.md");
    std::fs::write(&first, "edited by hand").unwrap();
    press(&mut app, &[KeyCode::Char('x')]);
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "edited by hand");
    assert!(dir.path().join("counsel-log-2024-report-2.md").exists());
    assert!(dir.path().join("counsel-log-2024-report-2.xlsx").exists());
    let status = render(&app, 160, 30);
    assert!(
        status.contains("counsel-log-2024-report-2.md") && status.contains("earlier export"),
        "{status}"
    );
    press(&mut app, &[KeyCode::Char('x')]);
    assert!(dir.path().join("counsel-log-2024-report-3.md").exists());
    press(
        &mut app,
        &[KeyCode::Char('3'), KeyCode::Char('x'), KeyCode::Char('x')],
    );
    assert!(dir.path().join("counsel-log-2024-topic-2.csv").exists());
}

#[test]
fn p_all_shows_every_entry_and_the_brackets_stay_on_it() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-03");
    press(&mut app, &[KeyCode::Char('p')]);
    typed(&mut app, "all");
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.period.code(), "all");
    assert_eq!(app.data.summary.total.items, 171);
    assert_eq!(app.data.summary.total.minutes.0, 25938);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("all time (2024-"), "{screen}");
    let period = app.period;
    press(&mut app, &[KeyCode::Char(']')]);
    assert_eq!(app.period, period);
    assert!(render(&app, 100, 30).contains("showing all time"));
    press(&mut app, &[KeyCode::Char('[')]);
    assert_eq!(app.period, period);
}

#[test]
fn the_report_screen_notes_category_hours_that_miss_the_total_unless_apportioned() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024");
    press(&mut app, &[KeyCode::Char('5')]);
    let note = "Figures are rounded; rows may not add up to the total.";
    let screen = render(&app, 120, 40);
    assert!(screen.contains(note), "{screen}");
    assert!(
        screen.contains("hours 432.3") && screen.contains("hours 240.1"),
        "{screen}"
    );
    let settings = Settings {
        lang: Lang::En,
        today: today(),
        me: None,
        who: "test".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: counsel_log::domain::Rounding::Apportioned,
    };
    let mut app = App::new(&l.store, settings, Period::parse("2024").unwrap()).unwrap();
    press(&mut app, &[KeyCode::Char('5')]);
    let screen = render(&app, 120, 40);
    assert!(!screen.contains(note), "{screen}");
    // The total's hours first, then each category's: apportioned, they add up to it.
    let tenths: Vec<u64> = screen
        .split("hours ")
        .skip(1)
        .map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit() && c != '.')
                .next()
                .unwrap()
        })
        .map(|n| n.replace('.', "").parse().unwrap())
        .collect();
    let (total, categories) = tenths.split_first().unwrap();
    assert_eq!((*total, categories.len()), (4323, 4), "{screen}");
    assert_eq!(categories.iter().sum::<u64>(), *total, "{screen}");
    press(&mut app, &[KeyCode::Char('3')]);
    assert!(!render(&app, 120, 40).contains(note));
}

/// Adds one entry of A001 on 2024-12-30 under the item key `key`, as an import would.
fn add_keyed(l: &Ledger, key: &str, title: &str) -> String {
    let csv = format!(
        "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n\
         2024-12-30,A001,1,{key},{title},合同协议,opinion,财政局,,\n"
    );
    let rows = read_entries(&decode(csv.as_bytes()).unwrap()).unwrap();
    let plan = plan_entries(&rows, &l.store.view().unwrap(), today(), true).unwrap();
    let stamp = Stamp::new(now(), "test");
    l.store
        .apply_entries(
            plan,
            counsel_log::store::AuditAction::ImportEntries,
            "test",
            &stamp,
        )
        .unwrap();
    let item = l.store.item_by_ref(key).unwrap().unwrap();
    counsel_log::domain::intake::shown_number(&item.number)
}

#[test]
fn the_item_picker_finds_an_item_by_the_key_it_was_made_with_and_by_its_number() {
    let l = ledger();
    let number = add_keyed(&l, "CG-01", "采购合同审查");
    let digits = number.rsplit('-').next().unwrap().to_string();
    for typed_text in ["CG", "cg-0", digits.as_str(), number.as_str()] {
        let mut app = app(&l, Lang::Zh, "2024-12");
        // To the item field: date, advisor, item.
        press(&mut app, &[KeyCode::Char('a'), KeyCode::Tab, KeyCode::Tab]);
        typed(&mut app, typed_text);
        let screen = render(&app, 80, 24);
        assert!(
            screen.contains(&format!("{number} 采购合同审查")),
            "{typed_text} finds {number}:\n{screen}"
        );
        // Tab takes it: the item's own fields are filled in.
        press(&mut app, &[KeyCode::Tab]);
        let screen = render(&app, 80, 24);
        assert!(screen.contains("采购合同审查"), "{screen}");
        assert!(screen.contains("财政局"), "{screen}");
    }
}

#[test]
fn the_advisor_picker_finds_by_pinyin_whole_and_initials_as_well_as_name_and_id() {
    let l = ledger();
    for typed_text in ["yin", "yinfan", "yf", "YF", "尹", "A001"] {
        let mut app = app(&l, Lang::Zh, "2024-03");
        press(&mut app, &[KeyCode::Char('a'), KeyCode::Tab]);
        typed(&mut app, typed_text);
        let screen = render(&app, 80, 24);
        assert!(screen.contains("A001 尹帆"), "{typed_text}:\n{screen}");
    }
    // And nothing that does not sound like it.
    let mut app = app(&l, Lang::Zh, "2024-03");
    press(&mut app, &[KeyCode::Char('a'), KeyCode::Tab]);
    typed(&mut app, "yfx");
    assert!(!render(&app, 80, 24).contains("A001 尹帆"));
}

#[test]
fn a_on_the_items_screen_starts_the_form_on_the_highlighted_item() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    press(&mut app, &[KeyCode::Char('2'), KeyCode::Down]);
    let item = app.item_rows()[1].item.clone();
    let number = counsel_log::domain::intake::shown_number(&item.number);
    let before = l.store.entries_of(item.id).unwrap().len();
    press(&mut app, &[KeyCode::Char('a')]);
    let screen = render(&app, 80, 24);
    assert!(screen.contains(&number), "{screen}");
    assert!(screen.contains(&item.department), "{screen}");
    // Date, advisor (A001 from the settings), item, then hours: the item's fields are locked.
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    typed(&mut app, "1.5");
    press(&mut app, &[KeyCode::Enter]);
    assert!(app.overlay.is_none(), "saved:\n{}", render(&app, 80, 24));
    assert_eq!(l.store.entries_of(item.id).unwrap().len(), before + 1);
    // Elsewhere `a` is a blank form: a new item.
    press(&mut app, &[KeyCode::Char('1'), KeyCode::Char('a')]);
    let Some(counsel_log::tui::app::Overlay::Form(form)) = &app.overlay else {
        panic!("the form is open");
    };
    assert_eq!(form.value(counsel_log::tui::form::Field::Item), "");
}

#[test]
fn the_team_ranking_sorts_by_hours_or_items_and_labels_its_months() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    press(&mut app, &[KeyCode::Char('4')]);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("排名 · 按件次"), "{screen}");
    // The year of bars runs April 2023 to March 2024.
    assert!(screen.contains("4月      3月"), "{screen}");
    assert!(
        screen.contains(" r 排序"),
        "the footer shows the key:\n{screen}"
    );
    let items: Vec<u64> = app.team_rows().iter().map(|r| r.items).collect();
    assert!(items.windows(2).all(|w| w[0] >= w[1]), "{items:?}");
    press(&mut app, &[KeyCode::Char('r')]);
    let minutes: Vec<u64> = app.team_rows().iter().map(|r| r.minutes.0).collect();
    assert!(minutes.windows(2).all(|w| w[0] >= w[1]), "{minutes:?}");
    insta::assert_snapshot!("screen_team_by_hours_80x24", render(&app, 80, 24));
    press(&mut app, &[KeyCode::Char('r')]);
    assert!(render(&app, 80, 24).contains("排名 · 按件次"));
    // Away from Team, `r` says where it works.
    press(&mut app, &[KeyCode::Char('1'), KeyCode::Char('r')]);
    assert!(render(&app, 80, 24).contains("r（排序）用于顾问页（4）"));
    // In English, with a December period: January to December.
    let mut app = self::app(&l, Lang::En, "2024-12");
    press(&mut app, &[KeyCode::Char('4')]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("Jan      Dec"), "{screen}");
    assert!(screen.contains("Ranking · by items"), "{screen}");
}

#[test]
fn a_filter_on_tallies_narrows_its_rows_and_says_so() {
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024");
    press(&mut app, &[KeyCode::Char('3')]);
    let all = app.tally_shown().rows.len();
    press(&mut app, &[KeyCode::Char('/')]);
    typed(&mut app, "信息");
    press(&mut app, &[KeyCode::Enter]);
    let shown: Vec<String> = app
        .tally_shown()
        .rows
        .iter()
        .map(|r| r.label.clone())
        .collect();
    assert_eq!(shown, ["信息公开"], "of {all} rows");
    let screen = render(&app, 100, 30);
    assert!(screen.contains("筛选: 信息 (Esc)"), "{screen}");
    assert!(!screen.contains("建设工程"), "{screen}");
    // The total stays the period's.
    assert_eq!(app.tally_shown().total, app.data.tally.total);
    // Enter drills into the row shown, Esc comes back, Esc again clears the filter.
    press(&mut app, &[KeyCode::Enter]);
    assert!(
        app.log_rows()
            .iter()
            .all(|r| r.item.topic == "info-disclosure")
    );
    press(&mut app, &[KeyCode::Esc, KeyCode::Esc]);
    assert_eq!(app.tally_shown().rows.len(), all);
}

/// The audit actions of the store, in order.
fn actions(l: &Ledger) -> Vec<counsel_log::store::AuditAction> {
    l.store
        .trail_of(&counsel_log::store::TrailFilter::default())
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect()
}

#[test]
fn the_new_advisor_form_says_the_whole_of_why_an_id_is_refused() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024-03");
    press(&mut app, &[KeyCode::Char('4'), KeyCode::Char('n')]);
    typed(&mut app, "a001");
    press(&mut app, &[KeyCode::Tab]);
    typed(&mut app, "Test Person");
    press(&mut app, &[KeyCode::Enter]);
    assert!(app.overlay.is_some(), "refused, the form stays");
    // To its last words, the fix among them, at 100 columns and 80, with the interface's keys
    // rather than a command to type elsewhere.
    for (width, height) in [(100, 30), (80, 24)] {
        let screen = render(&app, width, height);
        assert!(
            screen.contains("choose another id") && screen.contains("press Esc and e on"),
            "{screen}"
        );
        assert!(!screen.contains("counsel-log advisor"), "{screen}");
    }
    // An id in use as typed: the Team screen lists them.
    press(&mut app, &[KeyCode::Esc, KeyCode::Esc, KeyCode::Char('n')]);
    typed(&mut app, "A001");
    press(&mut app, &[KeyCode::Tab]);
    typed(&mut app, "Test Person");
    press(&mut app, &[KeyCode::Enter]);
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("already in use") && screen.contains("screen lists them all"),
        "{screen}"
    );
}

#[test]
fn advisors_are_added_changed_deactivated_and_reactivated_from_the_team_screen() {
    use counsel_log::store::AuditAction;
    let l = ledger();
    let mut app = app(&l, Lang::Zh, "2024-03");
    let audit = actions(&l).len();
    press(&mut app, &[KeyCode::Char('4'), KeyCode::Char('n')]);
    typed(&mut app, "A091");
    press(&mut app, &[KeyCode::Tab]);
    typed(&mut app, "程艳");
    // The category is chosen with ←/→: staff, then public-sector lawyer.
    press(&mut app, &[KeyCode::Tab, KeyCode::Right, KeyCode::Tab]);
    typed(&mut app, "管委会办公室");
    insta::assert_snapshot!("advisor_form_80x24", render(&app, 80, 24));
    press(&mut app, &[KeyCode::Enter]);
    assert!(app.overlay.is_none(), "{}", render(&app, 80, 24));
    let added = l.store.advisors().unwrap()["A091"].clone();
    assert_eq!(added.name, "程艳");
    assert_eq!(added.category, counsel_log::domain::Category::PublicLawyer);
    assert_eq!(added.unit, "管委会办公室");
    assert!(render(&app, 80, 24).contains("已添加顾问 A091 程艳（公职律师）"));
    assert_eq!(actions(&l)[audit..], [AuditAction::AdvisorAdd]);

    // The checks of `advisor add`: an id taken (in any letter case), an empty name.
    press(&mut app, &[KeyCode::Char('n')]);
    typed(&mut app, "a091");
    press(&mut app, &[KeyCode::Tab]);
    typed(&mut app, "某人");
    press(&mut app, &[KeyCode::Enter]);
    assert!(app.overlay.is_some(), "refused, the form stays");
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("A091"),
        "names the advisor it clashes with:\n{screen}"
    );
    // Esc on a form with something typed asks first, as the entry form does; a second one
    // discards it.
    press(&mut app, &[KeyCode::Esc]);
    assert!(app.overlay.is_some(), "one Esc kept what was typed");
    assert!(
        render(&app, 80, 24).contains("再按 Esc"),
        "{}",
        render(&app, 80, 24)
    );
    press(&mut app, &[KeyCode::Esc, KeyCode::Char('n')]);
    typed(&mut app, "A092");
    press(&mut app, &[KeyCode::Enter]);
    assert!(render(&app, 80, 24).contains("姓名为空"));
    press(&mut app, &[KeyCode::Esc, KeyCode::Esc]);
    assert!(app.overlay.is_none(), "two Escs discard the form");
    assert_eq!(actions(&l).len(), audit + 1, "nothing refused was written");

    // `e` on the selected advisor (the one just added stays selected): deactivate.
    let selected = app.team_rows()[app.selected.team].advisor.id.clone();
    assert_eq!(selected, "A091");
    press(
        &mut app,
        &[KeyCode::Char('e'), KeyCode::BackTab, KeyCode::Char(' ')],
    );
    press(&mut app, &[KeyCode::Enter]);
    assert!(!l.store.advisors().unwrap()["A091"].active);
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("已保存顾问 A091 程艳（公职律师） · 停用"),
        "{screen}"
    );
    // Still listed, marked, last: `e` brings them back, and renames them on the way.
    assert_eq!(app.team_rows().last().unwrap().advisor.id, "A091");
    press(&mut app, &[KeyCode::Char('/')]);
    typed(&mut app, "停用");
    press(&mut app, &[KeyCode::Enter]);
    assert_eq!(app.team_rows().len(), 1);
    press(&mut app, &[KeyCode::Char('e')]);
    typed(&mut app, "燕");
    press(
        &mut app,
        &[KeyCode::BackTab, KeyCode::Right, KeyCode::Enter],
    );
    let back = l.store.advisors().unwrap()["A091"].clone();
    assert!(back.active);
    assert_eq!(back.name, "程艳燕");
    assert_eq!(
        actions(&l)[audit..],
        [
            AuditAction::AdvisorAdd,
            AuditAction::AdvisorEdit,
            AuditAction::AdvisorEdit
        ]
    );
    // Undo does not take back an advisor's change, and says which change it is.
    press(&mut app, &[KeyCode::Char('u')]);
    let status = app.status_line.clone().unwrap();
    assert!(
        status.text.contains("不能在界面中撤销") && status.text.contains("修改顾问"),
        "{status:?}"
    );
    assert!(!status.text.contains("导入"), "{status:?}");
    // Away from Team, `n` says where it works, and `e` still edits entries on the Log.
    press(
        &mut app,
        &[KeyCode::Esc, KeyCode::Char('1'), KeyCode::Char('n')],
    );
    assert!(render(&app, 80, 24).contains("n（新增顾问）用于顾问页（4）"));
}

#[test]
fn the_advisor_form_and_the_ranking_fit_small_and_english_screens() {
    let l = ledger();
    for (lang, width, height) in [(Lang::Zh, 60, 16), (Lang::En, 60, 16), (Lang::En, 100, 30)] {
        let mut app = app(&l, lang, "2024-03");
        press(&mut app, &[KeyCode::Char('4'), KeyCode::Char('e')]);
        let screen = render(&app, width, height);
        let title = if lang == Lang::Zh {
            "编辑顾问"
        } else {
            "Edit advisor"
        };
        assert!(screen.contains(title), "{screen}");
        assert!(
            screen.contains("尹帆"),
            "the selected advisor's name:\n{screen}"
        );
        // The chosen values (the long category name too) leave the form's border whole.
        if width == 60 {
            for line in screen.lines().filter(|l| l.contains('◂')) {
                assert!(
                    line.starts_with('│') && line.ends_with('│'),
                    "{line}\n{screen}"
                );
            }
        }
        press(&mut app, &[KeyCode::Esc]);
        assert!(app.overlay.is_none());
    }
}

#[test]
fn editing_a_shared_items_title_asks_first_and_esc_changes_nothing() {
    let l = ledger();
    let mut app = app(&l, Lang::En, "2024");
    // An entry whose item has other entries.
    let (at, target) = app
        .log_rows()
        .iter()
        .enumerate()
        .find(|(_, r)| l.store.entries_of(r.item.id).unwrap().len() > 1)
        .map(|(i, r)| (i, r.entry.clone()))
        .unwrap();
    app.selected.log = at;
    let item = l.store.item(target.item).unwrap().unwrap();
    let entries = l.store.entries_of(target.item).unwrap().len();
    // From the hours, back to the title, which belongs to the item.
    press(
        &mut app,
        &[
            KeyCode::Char('e'),
            KeyCode::BackTab,
            KeyCode::BackTab,
            KeyCode::BackTab,
            KeyCode::BackTab,
        ],
    );
    typed(&mut app, "Renamed item");
    press(&mut app, &[KeyCode::Enter]);
    let asked = render(&app, 120, 40);
    assert!(
        asked.contains(&format!("changes it for its {entries} entries")),
        "{asked}"
    );
    // Asked whole, to its last words, as a question rather than a fault, at 100 columns and 80.
    for (width, height) in [(100, 30), (80, 24)] {
        let screen = render(&app, width, height);
        assert!(
            screen.contains("goes back") && !screen.contains('✗'),
            "{screen}"
        );
    }
    assert_eq!(
        l.store.item(target.item).unwrap().unwrap().title,
        item.title
    );
    // Esc goes back to the form and changes nothing; asked again, Enter changes the item.
    press(&mut app, &[KeyCode::Esc]);
    assert!(app.overlay.is_some());
    assert_eq!(
        l.store.item(target.item).unwrap().unwrap().title,
        item.title
    );
    press(&mut app, &[KeyCode::Enter, KeyCode::Enter]);
    assert!(app.overlay.is_none());
    assert_eq!(
        l.store.item(target.item).unwrap().unwrap().title,
        "Renamed item"
    );
    let saved = render(&app, 120, 40);
    assert!(
        saved.contains(&format!("changed for all its {entries} entries")),
        "{saved}"
    );
}
