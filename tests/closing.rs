//! Closing a month: `close` files it, every way of changing an entry dated in it is refused with
//! a message saying how to correct instead, `reopen` (with a reason) opens it again, and the
//! month's report shows its filing and what changed since.

#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use chrono::{DateTime, FixedOffset, NaiveDate};
use common::{Env, json, open_store, release};
use counsel_log::domain::intake::ItemFields;
use counsel_log::domain::{Entry, Lang, Minutes, Period};
use counsel_log::store::{
    AuditAction, EntryChange, Rejection, Stamp, Store, StoreError, Timer, UndoScope,
};
use counsel_log::tui::{App, Settings, keymap, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

const REFUSAL_EN: &str = "2024-03 is closed: entries dated in it cannot be added, changed or \
    deleted. To correct an entry use `counsel-log correct ENTRY --hours H --reason TEXT`; to \
    reopen the month, `counsel-log reopen 2024-03 --reason TEXT`.";

/// `log` of one hour for A001 on `date`, as a counsel types it.
fn log_args(date: &str) -> Vec<String> {
    common::new_item_log("A001", "1.5", "迟到的合同审核", &["--date", date])
        .into_iter()
        .map(String::from)
        .collect()
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The month's report as JSON, without the `closed` object: the ledger's figures.
fn figures(env: &Env, period: &str) -> serde_json::Value {
    let mut report = json(&env.ok(&["report", "--period", period, "--format", "json"]));
    report.as_object_mut().unwrap().remove("closed");
    // The figures, not the audit head they were read at (every change moves it).
    report.as_object_mut().unwrap().remove("audit_head");
    report
}

fn total(report: &serde_json::Value) -> (u64, f64) {
    let t = &report["total"];
    (t["items"].as_u64().unwrap(), t["hours"].as_f64().unwrap())
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stamp() -> Stamp {
    let at = DateTime::parse_from_rfc3339("2024-12-31T10:00:00+08:00").unwrap();
    Stamp::new(at, "test")
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn is_closed_refusal(e: &StoreError) -> bool {
    matches!(e, StoreError::Rejected(Rejection::MonthClosed { month }) if month.to_string() == "2024-03")
}

#[test]
fn a_closed_month_refuses_a_log_into_it_and_takes_one_into_the_next() {
    let env = Env::new();
    env.import_demo();
    let before = figures(&env, "2024-03");
    let (items, hours) = total(&before);
    let done = env.ok(&["close", "2024-03", "--reason", "一季度报送"]);
    assert_eq!(
        done,
        format!("2024-03 is closed and filed: 15 entries, {items} items, {hours:.1} h.\n")
    );
    let audit = env.audit_len();

    let out = env.run(&args(&log_args("2024-03-15")));
    assert!(!out.status.success());
    assert_eq!(stderr(&out), format!("counsel-log: {REFUSAL_EN}\n"));
    assert_eq!(
        figures(&env, "2024-03"),
        before,
        "the month's figures are unchanged"
    );
    assert_eq!(env.audit_len(), audit, "nothing was written");

    let zh = env.run_in("zh", &args(&log_args("2024-03-31")));
    assert!(
        stderr(&zh).contains("2024年3月已结账：日期在该月的记录不能新增、修改或删除"),
        "{}",
        stderr(&zh)
    );

    let april = env.ok(&args(&log_args("2024-04-15")));
    assert!(
        april.starts_with("Saved entry #282: 2024-04-15 A001 1.5 h"),
        "{april}"
    );
}

#[test]
fn an_import_with_one_row_in_a_closed_month_is_refused_whole() {
    let env = Env::new();
    env.import_demo();
    env.ok(&["close", "2024-03"]);
    let (march, april) = (figures(&env, "2024-03"), figures(&env, "2024-04"));
    let audit = env.audit_len();
    let csv = env.write(
        "late.csv",
        "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n\
         2024-04-02,A001,1,L-1,四月的事项,contracts,opinion,财政局,,\n\
         2024-03-28,A002,2,L-2,三月补录的事项,labor,opinion,人社局,,\n\
         2024-04-03,A003,1,L-3,另一件四月的事项,contracts,opinion,财政局,,\n\
         2024-03-29,A002,1,L-2,三月补录的事项,labor,opinion,人社局,,\n",
    );
    for dry_run in [true, false] {
        let mut cmd = vec!["import", "entries", csv.to_str().unwrap()];
        if dry_run {
            cmd.push("--dry-run");
        }
        let out = env.run(&cmd);
        assert!(!out.status.success(), "dry run {dry_run}");
        // Every row dated in the closed month, by its line, as any other bad row is.
        let said = stderr(&out);
        for line in ["line 3: 2024-03 is closed", "line 5: 2024-03 is closed"] {
            assert!(said.contains(line), "{said}");
        }
        assert!(
            !said.contains("line 2:") && !said.contains("line 4:"),
            "{said}"
        );
        assert!(
            said.contains("`counsel-log reopen 2024-03 --reason TEXT`"),
            "{said}"
        );
    }
    assert_eq!(
        figures(&env, "2024-04"),
        april,
        "not even April's rows went in"
    );
    assert_eq!(figures(&env, "2024-03"), march);
    assert_eq!(env.audit_len(), audit);
}

#[test]
fn close_twice_reopen_unclosed_future_and_malformed_months_are_refused() {
    let env = Env::new();
    env.import_demo();
    env.ok(&["close", "2024-03"]);
    let audit = env.audit_len();
    let refused = |cmd: &[&str], says: &str| {
        let out = env.run(cmd);
        assert!(!out.status.success(), "{cmd:?}");
        assert!(stderr(&out).contains(says), "{cmd:?}: {}", stderr(&out));
    };
    refused(&["close", "2024-03"], "2024-03 was already closed on ");
    refused(
        &["close", "2024-03"],
        "to reopen it, use `counsel-log reopen 2024-03 --reason TEXT`",
    );
    refused(
        &["reopen", "2024-04", "--reason", "typo"],
        "2024-04 is not closed, so there is nothing to reopen",
    );
    refused(&["reopen", "2024-03", "--reason", " "], "needs a reason");
    refused(&["reopen", "2024-03"], "--reason");
    refused(&["close", "2999-01"], "2999-01 is not over yet");
    // Nor the month still going on: its days to come would all arrive late.
    let this_month = chrono::Local::now().format("%Y-%m").to_string();
    refused(&["close", &this_month], "is not over yet");
    refused(
        &["close", "2024-Q1"],
        "\"2024-Q1\" is not a month: write it as YYYY-MM",
    );
    refused(&["close", "March"], "is not a month");
    assert_eq!(env.audit_len(), audit, "no refusal wrote anything");
    let zh = env.run_in("zh", &["close", "2024-03"]);
    assert!(stderr(&zh).contains("2024年3月已于"), "{}", stderr(&zh));
}

#[test]
fn after_reopening_with_a_reason_the_month_takes_entries_again() {
    let env = Env::new();
    env.import_demo();
    env.ok(&["close", "2024-03"]);
    let done = env.ok(&["reopen", "2024-03", "--reason", "补录王律师三月的工作"]);
    assert_eq!(
        done,
        "2024-03 is reopened: its entries can be changed again; close it again with \
         `counsel-log close 2024-03`.\n"
    );
    let (items, _) = total(&figures(&env, "2024-03"));
    env.ok(&args(&log_args("2024-03-15")));
    assert_eq!(total(&figures(&env, "2024-03")).0, items + 1);

    let store = open_store(&env.store);
    let trail = store.audit_trail().unwrap();
    let actions: Vec<AuditAction> = trail.iter().rev().take(3).map(|r| r.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::EntryAdd,
            AuditAction::MonthReopen,
            AuditAction::MonthClose
        ]
    );
    let (close, reopen) = (&trail[trail.len() - 3], &trail[trail.len() - 2]);
    assert_eq!(close.after["month"], "2024-03");
    assert_eq!(close.after["filed"]["entries"], 15);
    assert_eq!(reopen.after["reason"], "补录王律师三月的工作");
    assert_eq!(reopen.before["closed"]["month"], "2024-03");
    release(store, &env.store);
    assert!(env.ok(&["verify"]).contains("verified"));
}

#[test]
fn the_report_of_a_closed_month_shows_its_filing_and_every_change_since() {
    let env = Env::new();
    std::fs::create_dir_all(env.path("counsel-log")).unwrap();
    env.write("counsel-log/config.toml", "name = \"王律师\"\n");
    env.import_demo();
    let filed = figures(&env, "2024-03");
    let (items, hours) = total(&filed);
    env.ok(&["close", "2024-03", "--reason", "Q1"]);
    let today = chrono::Local::now().date_naive();
    let report = env.ok(&["report", "--period", "2024-03"]);
    assert!(
        report.ends_with(&format!(
            "\n\nFiled on {today} by 王律师: {items} items, {hours:.1} h, 15 entries. Reason: \
             Q1.\nNothing changed since filing.\n"
        )),
        "{report}"
    );

    let (gone, longer) = change_march_after_reopening(&env);

    let report = env.ok(&["report", "--period", "2024-03"]);
    let tail = report.split("\n\n").last().unwrap();
    let filed_line = format!("{items} items, {hours:.1} h, 15 entries.");
    assert!(
        tail.contains(&filed_line),
        "the filed figures stay: {report}"
    );
    assert!(tail.contains("Changed since filing:"), "{report}");
    let was = Minutes(gone.minutes.0).hours();
    assert!(
        tail.contains(&format!("  #{}  {}  ", gone.id.0, gone.date))
            && tail.contains(&format!("removed, was {was} h")),
        "{report}"
    );
    let before = Minutes(longer.minutes.0).hours();
    assert!(
        tail.contains(&format!("changed, was {before} h, now 5.0 h")),
        "{report}"
    );
    assert!(tail.contains("  #282  2024-03-20  A001 "), "{report}");
    assert!(tail.contains("added, 1.5 h"), "{report}");

    json_shows_the_changes(&env, &filed, &gone, &longer);
    let md = env.ok(&["report", "--period", "2024-03", "--format", "md"]);
    assert!(md.contains("\n- #282  2024-03-20  A001 "), "{md}");
    let april = json(&env.ok(&["report", "--period", "2024-04", "--format", "json"]));
    assert!(
        april.get("closed").is_none(),
        "an open month's report is as before"
    );
    let zh = env.ok_in("zh", &["report", "--period", "2024-03"]);
    assert!(
        zh.contains("结账后的变动：") && zh.contains("已修改，原 "),
        "{zh}"
    );
}

/// Reopens March, logs an entry late (#282, 1.5 h on 2024-03-20), deletes the month's first entry
/// and gives its second 5 hours, then closes March again. Returns the deleted and the longer one.
fn change_march_after_reopening(env: &Env) -> (Entry, Entry) {
    env.ok(&["reopen", "2024-03", "--reason", "corrections"]);
    let late = env.ok(&args(&log_args("2024-03-20")));
    assert!(late.starts_with("Saved entry #282:"), "{late}");
    let store = open_store(&env.store);
    let march = store.entries(Period::parse("2024-03").unwrap()).unwrap();
    let (gone, longer) = (march[0].clone(), march[1].clone());
    store.delete_entry(gone.id, &stamp()).unwrap();
    store
        .update_entry(longer.id, &change_hours(&store, &longer, 300), &stamp())
        .unwrap();
    release(store, &env.store);
    env.ok(&["close", "2024-03"]);
    (gone, longer)
}

/// `report --format json` of March: the ledger's figures in rows and total, the filed ones and
/// each change in `closed`.
fn json_shows_the_changes(env: &Env, filed: &serde_json::Value, gone: &Entry, longer: &Entry) {
    let now = json(&env.ok(&["report", "--period", "2024-03", "--format", "json"]));
    let expected = filed["total"]["minutes"].as_u64().unwrap() - gone.minutes.0
        + 90
        + (300 - longer.minutes.0);
    assert_eq!(now["total"]["minutes"].as_u64().unwrap(), expected);
    let closed = &now["closed"];
    assert_eq!(closed["filed"]["entries"], 15);
    assert_eq!(closed["filed"]["minutes"], filed["total"]["minutes"]);
    assert_eq!(closed["filed"]["hours"], filed["total"]["hours"]);
    let since = closed["since"].as_array().unwrap();
    let kinds: Vec<&str> = since
        .iter()
        .map(|c| c["change"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 3, "{closed}");
    for c in since {
        match c["change"].as_str().unwrap() {
            "added" => assert_eq!(
                (
                    c["entry"].as_u64(),
                    c["minutes_before"].is_null(),
                    c["minutes_after"].as_u64()
                ),
                (Some(282), true, Some(90))
            ),
            "removed" => assert_eq!(
                (c["minutes_before"].as_u64(), c["minutes_after"].is_null()),
                (Some(gone.minutes.0), true)
            ),
            "changed" => assert_eq!(
                (c["advisor"].as_str(), c["minutes_after"].as_u64()),
                (Some(longer.advisor.as_str()), Some(300))
            ),
            other => panic!("unexpected change {other}"),
        }
    }
}

/// An edit of `entry` to `minutes`, everything else as it is.
fn change_hours(store: &Store, entry: &Entry, minutes: u64) -> EntryChange {
    let item = store.item(entry.item).unwrap().unwrap();
    EntryChange {
        date: entry.date,
        advisor: entry.advisor.clone(),
        minutes: Minutes(minutes),
        note: entry.note.clone(),
        fields: ItemFields::of(&item),
    }
}

#[test]
fn the_store_refuses_edits_deletes_moves_and_the_timer_into_a_closed_month() {
    let env = Env::new();
    env.import_demo();
    env.ok(&["close", "2024-03"]);
    let store = open_store(&env.store);
    let march = store.entries(Period::parse("2024-03").unwrap()).unwrap();
    let april = store.entries(Period::parse("2024-04").unwrap()).unwrap();
    let (in_march, in_april) = (&march[0], &april[0]);

    let edit = store.update_entry(in_march.id, &change_hours(&store, in_march, 30), &stamp());
    assert!(is_closed_refusal(&edit.unwrap_err()));
    assert!(is_closed_refusal(
        &store.delete_entry(in_march.id, &stamp()).unwrap_err()
    ));
    let mut moved_in = change_hours(&store, in_april, in_april.minutes.0);
    moved_in.date = date("2024-03-29");
    let moved = store.update_entry(in_april.id, &moved_in, &stamp());
    assert!(
        is_closed_refusal(&moved.unwrap_err()),
        "moving into the month"
    );
    let mut moved_out = change_hours(&store, in_march, in_march.minutes.0);
    moved_out.date = date("2024-04-29");
    let moved = store.update_entry(in_march.id, &moved_out, &stamp());
    assert!(
        is_closed_refusal(&moved.unwrap_err()),
        "moving out of the month"
    );
    assert_eq!(
        store.entries(Period::parse("2024-03").unwrap()).unwrap(),
        march
    );
    assert_eq!(
        store.entries(Period::parse("2024-04").unwrap()).unwrap(),
        april
    );

    // The timer, stopped on a day of the closed month, logs nothing and keeps running.
    let timer = Timer {
        item: in_april.item,
        advisor: "A001".into(),
        started: DateTime::parse_from_rfc3339("2024-03-20T09:00:00+08:00").unwrap(),
    };
    store.start_timer(&timer, &stamp()).unwrap();
    let now = DateTime::parse_from_rfc3339("2024-03-20T10:00:00+08:00").unwrap();
    let stopped = store.stop_timer(now, date("2024-03-20"), 6, &stamp());
    assert!(is_closed_refusal(&stopped.unwrap_err()));
    assert_eq!(store.timer().unwrap(), Some(timer));

    // Undo cannot reach back past the closing.
    let scope = UndoScope {
        after: 0,
        actions: UndoScope::ENTRIES,
    };
    assert!(matches!(
        store.undo_last(&stamp(), &scope).unwrap(),
        counsel_log::store::Undo::Refused { .. }
    ));
    assert_eq!(store.changes_since_filing(month("2024-03")).unwrap(), []);
    assert!(store.is_closed(month("2024-03")).unwrap());
    assert_eq!(store.closed_months().unwrap().len(), 1);
    release(store, &env.store);
}

fn month(code: &str) -> counsel_log::store::Month {
    counsel_log::store::Month::of_period(&Period::parse(code).unwrap()).unwrap()
}

/// Feeds keys to the interface as the terminal would, through the keymap.
fn press(app: &mut App, keys: &[KeyCode]) {
    let at = DateTime::parse_from_rfc3339("2024-12-31T10:00:00+08:00").unwrap();
    for &code in keys {
        let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
        if let Some(action) = keymap::map(app.focus(), &event) {
            app.update(action, at);
        }
    }
}

fn typed(app: &mut App, text: &str) {
    let keys: Vec<KeyCode> = text.chars().map(KeyCode::Char).collect();
    press(app, &keys);
}

fn screen(app: &App) -> String {
    let at: DateTime<FixedOffset> =
        DateTime::parse_from_rfc3339("2024-12-31T10:00:00+08:00").unwrap();
    let mut terminal = Terminal::new(TestBackend::new(140, 30)).unwrap();
    terminal.draw(|f| view::draw(f, app, at)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..30 {
        let mut skip = 0;
        for x in 0..140 {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            out.push_str(symbol);
        }
        out.push('\n');
    }
    out
}

fn interface<'s>(store: &'s Store, lang: Lang, period: &str) -> App<'s> {
    let settings = Settings {
        lang,
        today: date("2024-12-31"),
        me: Some("A001".into()),
        who: "test".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: Default::default(),
    };
    App::new(store, settings, Period::parse(period).unwrap()).unwrap()
}

#[test]
fn the_interface_marks_a_closed_month_and_its_form_says_why_it_cannot_save() {
    let env = Env::new();
    env.import_demo();
    env.ok(&["close", "2024-03"]);
    let store = open_store(&env.store);
    let before = store.entries(Period::parse("2024-03").unwrap()).unwrap();

    let mut app = interface(&store, Lang::En, "2024-03");
    assert!(
        screen(&app).contains("March 2024 · closed"),
        "{}",
        screen(&app)
    );
    let mut open = interface(&store, Lang::En, "2024-04");
    assert!(!screen(&open).contains("closed"), "{}", screen(&open));

    // A new entry dated in the month: the form stays open and says why.
    press(&mut app, &[KeyCode::Char('a')]);
    typed(&mut app, "2024-03-15");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    for (i, value) in ["迟到的事项", "labor", "opinion", "财政局", "1"]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            press(&mut app, &[KeyCode::Tab]);
        }
        typed(&mut app, value);
    }
    press(&mut app, &[KeyCode::Enter]);
    let shown = screen(&app);
    assert!(app.overlay.is_some(), "the form stays open");
    assert!(
        shown.contains("2024-03 is closed: entries dated in it cannot be"),
        "{shown}"
    );
    press(&mut app, &[KeyCode::Esc, KeyCode::Esc]);

    // Editing an entry of the month, and deleting one: refused at once, said on screen.
    press(&mut app, &[KeyCode::Char('e')]);
    assert!(app.overlay.is_none(), "no form to type into");
    assert!(
        screen(&app).contains("2024-03 is closed"),
        "{}",
        screen(&app)
    );
    press(&mut app, &[KeyCode::Char('d')]);
    assert!(app.overlay.is_none(), "no question to answer");
    assert!(
        screen(&app).contains("2024-03 is closed"),
        "{}",
        screen(&app)
    );
    assert_eq!(
        store.entries(Period::parse("2024-03").unwrap()).unwrap(),
        before
    );

    let zh = interface(&store, Lang::Zh, "2024-03");
    assert!(
        screen(&zh).contains("2024年3月 · 已结账"),
        "{}",
        screen(&zh)
    );
    press(&mut open, &[KeyCode::Char('4')]);
    assert!(!screen(&open).contains("closed"));
    drop((app, open, zh));
    release(store, &env.store);
}

#[test]
fn a_rating_that_would_change_a_closed_months_satisfaction_is_refused() {
    let env = Env::new();
    env.import_demo();
    env.ok(&["close", "2024-03"]);
    let store = open_store(&env.store);
    let entry = store.entries(Period::parse("2024-03").unwrap()).unwrap()[0].clone();
    let item = store.item(entry.item).unwrap().unwrap();
    let mut state = counsel_log::store::ItemState::of(&item);
    state.satisfaction = match item.satisfaction {
        Some(counsel_log::domain::Satisfaction::Satisfied) => {
            Some(counsel_log::domain::Satisfaction::Basic)
        }
        _ => Some(counsel_log::domain::Satisfaction::Satisfied),
    };
    let at = DateTime::parse_from_rfc3339("2024-06-30T09:00:00+08:00").unwrap();
    let refused = store
        .update_item(item.id, &state, &counsel_log::store::Stamp::new(at, "test"))
        .unwrap_err();
    assert!(refused.message(Lang::En).contains("2024-03 is closed"));
    assert_eq!(store.item(item.id).unwrap().unwrap(), item);
    release(store, &env.store);
}
