//! Who is missing: `missing` lists the active advisors who logged nothing in a period (checked
//! against a hand count of the CSV written here) and the enrolled stores whose last bundle is
//! late; the Team screen of an office shows where each advisor's work comes from and when.

#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use common::{Env, category_code, csv_rows, demo, json, open_store, release};
use counsel_log::domain::{Lang, Period};
use counsel_log::store::{Peer, Receipt, Stamp, Store};
use counsel_log::tui::action::Screen;
use counsel_log::tui::{App, Settings, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ulid::Ulid;

/// Entries around March 2024: A002 has exactly one in March, A008 one on its last day, A007 one
/// on April 1st, A005 one in February, A001 several.
const ENTRIES: &str = "\
date,advisor,hours,item,title,topic,service,department,satisfaction,note
2024-02-29,A005,1,K-1,二月的合同审核,contracts,contract-review,财政局,满意,
2024-03-01,A001,1.5,K-2,三月的法律意见,info-disclosure,opinion,市场监管局,满意,
2024-03-05,A001,2,K-2,三月的法律意见,info-disclosure,opinion,市场监管局,满意,
2024-03-12,A002,0.5,K-3,三月的咨询,labor,consultation,人社局,,
2024-03-20,A031,1,K-2,三月的法律意见,info-disclosure,opinion,市场监管局,满意,
2024-03-31,A008,1,K-4,月末的审核,enforcement,legality-review,综合行政执法局,满意,
2024-04-01,A007,2,K-5,四月的审核,enforcement,legality-review,综合行政执法局,,
";

/// Advisors made inactive before the report: A040 never logged anything, A006 neither.
const INACTIVE: [&str; 2] = ["A040", "A006"];

/// The demo roster and the entries above.
fn roster_and_entries() -> Env {
    let env = Env::new();
    env.ok(&["import", "advisors", demo("advisors.csv").to_str().unwrap()]);
    let file = env.write("entries.csv", ENTRIES);
    env.ok(&["import", "entries", file.to_str().unwrap()]);
    for id in INACTIVE {
        env.ok(&["advisor", "set", "--id", id, "--active", "false"]);
    }
    env
}

/// The hand count: every advisor of the roster file, less the inactive ones, less those with a
/// row dated in March in the entries file; by category (in SPEC order) then id.
fn hand_missing() -> (Vec<String>, usize) {
    let roster = csv_rows(&std::fs::read_to_string(demo("advisors.csv")).unwrap());
    let logged: BTreeSet<String> = csv_rows(ENTRIES)
        .into_iter()
        .filter(|r| r["date"].starts_with("2024-03-"))
        .map(|r| r["advisor"].clone())
        .collect();
    let order = |code: &str| {
        common::CATEGORIES
            .iter()
            .position(|(c, _)| *c == code)
            .unwrap()
    };
    let active: Vec<(usize, String)> = roster
        .iter()
        .filter(|r| !INACTIVE.contains(&r["id"].as_str()))
        .map(|r| (order(category_code(&r["category"])), r["id"].clone()))
        .collect();
    let mut missing: Vec<(usize, String)> = active
        .iter()
        .filter(|(_, id)| !logged.contains(id))
        .cloned()
        .collect();
    missing.sort();
    (
        missing.into_iter().map(|(_, id)| id).collect(),
        active.len(),
    )
}

fn ids(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_json_lists_exactly_the_active_advisors_with_nothing_in_the_month() {
    let env = roster_and_entries();
    let out = json(&env.ok(&["missing", "--period", "2024-03", "--format", "json"]));
    let (expected, active) = hand_missing();
    assert_eq!(
        active, 88,
        "the demo roster has 90 advisors, 2 made inactive"
    );
    assert_eq!(
        expected.len(),
        84,
        "A001, A002, A008 and A031 logged in March"
    );
    assert_eq!(ids(&out["advisors"]), expected);
    for never in ["A002", "A001", "A008", "A031", "A040", "A006"] {
        assert!(!expected.contains(&never.to_string()));
    }
    assert!(ids(&out["advisors"]).contains(&"A005".to_string()));
    assert!(ids(&out["advisors"]).contains(&"A007".to_string()));
    assert_eq!(out["period"]["from"], "2024-03-01");
    assert_eq!(out["period"]["to"], "2024-03-31");
    assert_eq!(out["late_after_days"], 7);
    assert_eq!(out["peers"], serde_json::json!([]));
    let first = &out["advisors"][0];
    assert_eq!(first["id"], "A003");
    assert_eq!(first["name"], "夏建华");
    assert_eq!(first["category"], "staff");
    assert_eq!(first["unit"], "管委会办公室");
    assert_eq!(first["peer"], serde_json::Value::Null);
    assert_eq!(first["last_bundle"], serde_json::Value::Null);

    // April: A007 logged, A001 did not.
    let april = json(&env.ok(&["missing", "--period", "2024-04", "--format", "json"]));
    let april = ids(&april["advisors"]);
    assert!(!april.contains(&"A007".to_string()) && april.contains(&"A001".to_string()));
    assert_eq!(april.len(), 87);
}

#[test]
fn the_table_names_the_count_in_both_languages() {
    let env = roster_and_entries();
    let en = env.ok(&["missing", "--period", "2024-03"]);
    assert!(
        en.contains("84 of 88 active advisors logged nothing in March 2024."),
        "{en}"
    );
    assert!(en.contains("A005  薛卫东"), "{en}");
    assert!(!en.contains("A002") && !en.contains("A040"), "{en}");
    assert!(en.contains("No store is enrolled here"), "{en}");
    let zh = env.ok_in("zh", &["missing", "--period", "2024-03"]);
    assert!(
        zh.contains("2024年3月，88 名在册顾问中有 84 名未记录任何工作。"),
        "{zh}"
    );
    assert!(zh.contains("编号") && zh.contains("公职律师"), "{zh}");
}

#[test]
fn an_empty_result_says_so_and_exits_zero() {
    let env = roster_and_entries();
    for id in hand_missing().0 {
        env.ok(&["advisor", "set", "--id", &id, "--active", "false"]);
    }
    let out = env.ok(&["missing", "--period", "2024-03"]);
    assert_eq!(
        out,
        "Nobody is missing: all 4 active advisors logged something in March 2024.\n\n\
         No store is enrolled here (counsel-log peer add), so none is late.\n"
    );
    let fresh = Env::new();
    fresh.make_empty_store();
    let out = fresh.ok_in("zh", &["missing"]);
    assert!(out.starts_with("没有在册顾问"), "{out}");
}

/// Enrols peers through the library, as `peer add` and `import bundle` would leave them: one
/// heard from `recent` days ago, one `old` days ago, one never.
fn enrol(store_path: &std::path::Path, at: DateTime<FixedOffset>, recent: i64, old: i64) {
    let store = open_store(store_path);
    let stamp = Stamp::new(at, "test");
    let receipt = |days: i64| Receipt {
        at: at - Duration::days(days),
        created: at - Duration::days(days + 1),
        head: 12,
        items: 3,
        entries: 5,
        deletions: 0,
        corrections: 0,
    };
    let peers = [
        ("律所-邓", "A001", Some(receipt(recent))),
        ("财政局-李", "A003", Some(receipt(old))),
        ("新台账", "A013", None),
    ];
    for (i, (name, advisor, last)) in peers.into_iter().enumerate() {
        let peer = Peer {
            store: Ulid(0x0190_0000_0000_0000_0000_0000_0000_0001 + u128::try_from(i).unwrap()),
            name: name.into(),
            public_key: format!("{:02x}", 0xa0 + i).repeat(32),
            advisors: vec![advisor.into()],
            added: at - Duration::days(60),
            last,
        };
        store.add_peer(&peer, &stamp).unwrap();
    }
    release(store, store_path);
}

#[test]
fn late_stores_are_listed_longest_silent_first() {
    let env = roster_and_entries();
    let now = chrono::Local::now().fixed_offset();
    enrol(&env.store, now, 3, 30);
    let out = json(&env.ok(&["missing", "--period", "2024-03", "--format", "json"]));
    let peers = out["peers"].as_array().unwrap();
    assert_eq!(peers.len(), 2, "{out:#}");
    assert_eq!(peers[0]["name"], "新台账");
    assert_eq!(peers[0]["last_bundle"], serde_json::Value::Null);
    assert_eq!(peers[0]["days"], serde_json::Value::Null);
    assert_eq!(peers[0]["advisors"], serde_json::json!(["A013"]));
    assert_eq!(peers[1]["name"], "财政局-李");
    assert_eq!(peers[1]["days"], 30);
    let thirty_days_ago = (now - Duration::days(30)).date_naive().to_string();
    assert_eq!(peers[1]["last_bundle"], thirty_days_ago.as_str());
    assert!(peers[1]["store"].as_str().unwrap().len() == 26);
    // The advisors they speak for name them; A001 logged, so is not listed.
    let a003 = &out["advisors"][0];
    assert_eq!(
        (a003["id"].as_str(), a003["peer"].as_str()),
        (Some("A003"), Some("财政局-李"))
    );
    assert_eq!(a003["last_bundle"], thirty_days_ago.as_str());
    let a013 = out["advisors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "A013")
        .unwrap();
    assert_eq!(a013["peer"], "新台账");
    assert_eq!(a013["last_bundle"], serde_json::Value::Null);

    let en = env.ok(&["missing", "--period", "2024-03"]);
    assert!(en.contains("2 stores are late (of 3 enrolled"), "{en}");
    assert!(en.contains("新台账") && en.contains("never"), "{en}");
    assert!(en.contains("30 days"), "{en}");
    let zh = env.ok_in("zh", &["missing", "--period", "2024-03"]);
    assert!(zh.contains("逾期未报的台账 2 个"), "{zh}");
    assert!(zh.contains("从未报送") && zh.contains("30 天"), "{zh}");

    // `--days` moves the line; so does the configuration.
    let out = json(&env.ok(&["missing", "--days", "40", "--format", "json"]));
    assert_eq!(out["late_after_days"], 40);
    assert_eq!(out["peers"].as_array().unwrap().len(), 1);
    let config = env.write("late.toml", "bundle_late_days = 2\n");
    let args = [
        "--config",
        config.to_str().unwrap(),
        "missing",
        "--format",
        "json",
    ];
    let out = json(&env.ok(&args));
    assert_eq!(out["late_after_days"], 2);
    assert_eq!(out["peers"].as_array().unwrap().len(), 3);
}

#[test]
fn a_bad_late_days_setting_names_the_file_and_the_key() {
    let env = Env::new();
    let config = env.write("bad.toml", "bundle_late_days = -1\n");
    let out = env.run(&["--config", config.to_str().unwrap(), "missing"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("bad.toml")
            && stderr.contains("`bundle_late_days` is -1")
            && stderr.contains("1 to 365"),
        "{stderr}"
    );
}

fn render(app: &App, width: u16, height: u16) -> String {
    let at = DateTime::parse_from_rfc3339("2024-04-01T10:00:00+08:00").unwrap();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| view::draw(f, app, at)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut skip = 0;
        for x in 0..width {
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

fn team_screen(store: &Store, lang: Lang) -> App<'_> {
    let settings = Settings {
        lang,
        today: NaiveDate::from_ymd_opt(2024, 4, 1).unwrap(),
        me: None,
        who: "test".into(),
        increment: 6,
        targets: Default::default(),
        bundle_late_days: 7,
        rounding: Default::default(),
    };
    let mut app = App::new(store, settings, Period::parse("2024-03").unwrap()).unwrap();
    app.screen = Screen::Team;
    app
}

#[test]
fn the_team_screen_of_an_office_shows_each_advisors_source_and_last_bundle() {
    let env = Env::new();
    env.import_demo();
    // The interface's today is April 1st: 律所-邓 was heard from 4 days before, 财政局-李 33.
    let today = DateTime::parse_from_rfc3339("2024-04-01T09:00:00+08:00").unwrap();
    enrol(&env.store, today, 4, 33);
    let store = open_store(&env.store);

    let zh = render(&team_screen(&store, Lang::Zh), 100, 30);
    assert!(zh.contains("未记录 78 · 逾期未报 2"), "{zh}");
    assert!(zh.contains("来源") && zh.contains("最近一次"), "{zh}");
    let line = |name: &str| zh.lines().find(|l| l.contains(name)).unwrap().to_string();
    assert!(line("A001").contains("律所-邓") && line("A001").contains("3月28日 (4天前)"));
    assert!(!line("A001").contains('⚠'), "{}", line("A001"));
    assert!(line("A003").contains("财政局-李") && line("A003").contains("2月28日 (33天前) ⚠"));
    assert!(line("A002").contains("本机") && line("A002").contains('—'));

    let en = render(&team_screen(&store, Lang::En), 100, 30);
    assert!(en.contains("Source") && en.contains("Last bundle"), "{en}");
    assert!(
        en.contains("Mar 28 (4 days ago)") && en.contains("this store"),
        "{en}"
    );
    assert!(en.contains("· late 2"), "{en}");

    // Narrower, the year of months keeps its room: the last bundle shortens, then the new
    // columns go.
    let zh = render(&team_screen(&store, Lang::Zh), 80, 24);
    assert!(
        zh.contains("3月28日 (4天前)") && zh.contains("财政局-李"),
        "{zh}"
    );
    let en = render(&team_screen(&store, Lang::En), 80, 24);
    assert!(en.contains("Mar 28") && en.contains("Feb 28 ⚠"), "{en}");
    assert!(!en.contains("days ago") && en.contains("Source"), "{en}");
    let en = render(&team_screen(&store, Lang::En), 60, 20);
    assert!(en.contains("尹帆 A001") && en.contains("▂▃▅"), "{en}");
    assert!(!en.contains("Source") && !en.contains("Mar 28"), "{en}");
    release(store, &env.store);
}
