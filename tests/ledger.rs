//! End-to-end tests of the ledger through the real binary: the demo year imported and tallied,
//! checked against an independent hand count of the demo CSV files.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Env, Hand, PANIC_TEXT, csv_rows, demo, hours_text, json, minutes_of};
use serde_json::Value;

const YEAR: &str = "2024";
const GROUPINGS: [&str; 6] = [
    "advisor",
    "category",
    "topic",
    "service",
    "department",
    "month",
];

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

/// A JSON number of hours in tenths (432.3 → 4323), read from the number as printed.
fn tenths(v: &Value) -> u64 {
    assert!(v.is_number(), "not a number: {v}");
    let printed = v.to_string();
    let (whole, tenth) = printed.split_once('.').unwrap_or((&printed, "0"));
    assert_eq!(tenth.len(), 1, "hours have one decimal: {printed}");
    whole.parse::<u64>().unwrap() * 10 + tenth.parse::<u64>().unwrap()
}

/// `part / whole` as the float a JSON rate is compared with.
fn ratio(part: impl TryInto<u32>, whole: impl TryInto<u32>) -> f64 {
    let small = |n: Option<u32>| f64::from(n.expect("a count that fits in u32"));
    small(part.try_into().ok()) / small(whole.try_into().ok())
}

fn tenths_of(text: &str) -> u64 {
    let (w, f) = text.split_once('.').expect("one decimal");
    w.parse::<u64>().unwrap() * 10 + f.parse::<u64>().unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.000_05 + f64::EPSILON
}

#[test]
fn demo_summary_matches_the_hand_count() {
    let env = Env::new();
    env.import_demo();
    let hand = Hand::demo();
    let s = env.summary_json(YEAR);

    // The demo is the team of the SPEC's origin story.
    let per_category: BTreeMap<&str, usize> =
        hand.advisors.iter().fold(BTreeMap::new(), |mut m, a| {
            *m.entry(a.category).or_default() += 1;
            m
        });
    assert_eq!(
        per_category,
        BTreeMap::from([
            ("external", 20),
            ("expert", 12),
            ("public-lawyer", 47),
            ("staff", 11)
        ])
    );

    let total = hand.total(YEAR);
    assert_eq!(u(&s["items"]), total.items.len() as u64, "items");
    assert_eq!(u(&s["minutes"]), total.minutes, "minutes");
    assert_eq!(tenths(&s["hours"]), tenths_of(&hours_text(total.minutes)));
    // The figures of the annual report in SPEC §1.
    assert_eq!(total.items.len(), 171);
    assert_eq!(hours_text(total.minutes), "432.3");

    let ratings = hand.ratings(YEAR);
    let n = |c: char| ratings.values().filter(|r| **r == Some(c)).count() as u64;
    let (sat, basic, unsat) = (n('s'), n('b'), n('u'));
    let rated = sat + basic + unsat;
    assert_eq!(
        (
            u(&s["rated"]),
            u(&s["satisfied"]),
            u(&s["basic"]),
            u(&s["unsatisfied"])
        ),
        (rated, sat, basic, unsat)
    );
    let rate = s["satisfaction_rate"].as_f64().expect("rate is a number");
    assert!(
        close(rate, ratio(sat + basic, rated)),
        "satisfaction_rate {rate}"
    );

    // Topics: every topic with an item, ranked by distinct items, most first.
    let topic_items: BTreeMap<String, usize> = hand
        .by(YEAR, "topic")
        .into_iter()
        .map(|(k, c)| (k, c.items.len()))
        .collect();
    let ranked: Vec<String> = s["topics"]
        .as_array()
        .expect("topics array")
        .iter()
        .map(|t| t.as_str().expect("topic code").to_string())
        .collect();
    assert_eq!(
        ranked.iter().cloned().collect::<BTreeSet<_>>(),
        topic_items.keys().cloned().collect::<BTreeSet<_>>(),
        "the set of topics"
    );
    assert_eq!(ranked.len(), topic_items.len(), "no topic twice");
    let counts: Vec<usize> = ranked.iter().map(|t| topic_items[t]).collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "topics not ranked by items: {ranked:?} with counts {counts:?}"
    );

    // Participation by category.
    let participants = hand.participants(YEAR);
    let advisors = &s["advisors"];
    assert_eq!(u(&advisors["total"]), hand.advisors.len() as u64);
    assert_eq!(u(&advisors["participating"]), participants.len() as u64);
    let by_category = advisors["by_category"].as_array().expect("by_category");
    let seen: BTreeSet<&str> = by_category
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert_eq!(
        seen,
        BTreeSet::from(["staff", "public-lawyer", "external", "expert"])
    );
    for c in by_category {
        let code = c["category"].as_str().unwrap();
        let members: Vec<&str> = hand
            .advisors
            .iter()
            .filter(|a| a.category == code)
            .map(|a| a.id.as_str())
            .collect();
        let active = members
            .iter()
            .filter(|id| participants.contains(**id))
            .count();
        assert_eq!(u(&c["total"]), members.len() as u64, "{code} total");
        assert_eq!(
            u(&c["participating"]),
            active as u64,
            "{code} participating"
        );
        let r = c["rate"].as_f64().expect("rate");
        assert!(close(r, ratio(active, members.len())), "{code} rate {r}");
    }

    // The paragraph states the same figures.
    let text = s["text"].as_str().expect("text");
    assert!(text.contains(&format!("{} legal service items", total.items.len())));
    assert!(text.contains(&format!("{} working hours", hours_text(total.minutes))));
}

#[test]
fn gb18030_and_bom_files_import_to_the_same_ledger() {
    let original = std::fs::read_to_string(demo("entries-2024.csv")).unwrap();
    let reference = Env::new();
    reference.import_demo();
    let expected = reference.ok(&["summary", "--period", YEAR, "--format", "json"]);

    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&original);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gb).is_err(),
        "the GB18030 copy must not also be valid UTF-8"
    );
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(original.as_bytes());

    for (name, bytes) in [("gb18030.csv", gb.into_owned()), ("bom.csv", bom)] {
        let env = Env::new();
        let file = env.write(name, bytes);
        let advisors = demo("advisors.csv");
        env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
        let out = env.ok(&["import", "entries", file.to_str().unwrap()]);
        let rows = Hand::demo().entries.len();
        assert!(
            out.contains(&format!("Imported {rows} entries")),
            "{name}: {out}"
        );
        let got = env.ok(&["summary", "--period", YEAR, "--format", "json"]);
        assert_eq!(
            common::strip_head(&got),
            common::strip_head(&expected),
            "{name} gives another summary"
        );
        // The names survive the decoding, not only the counts.
        assert_eq!(env.export_json(), reference.export_json(), "{name}");
    }
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let env = Env::new();
    env.import_demo();
    let rows = Hand::demo().entries.len();
    let before = env.export_json();
    let audit_before = env.audit_len();

    let entries = demo("entries-2024.csv");
    let out = env.ok(&["import", "entries", entries.to_str().unwrap()]);
    assert!(
        out.contains(&format!(
            "Nothing new: all {rows} rows are already in the ledger"
        )),
        "{out}"
    );

    assert_eq!(env.export_json(), before, "the ledger changed");
    // Nothing was written, so nothing is audited either.
    assert_eq!(env.audit_len(), audit_before, "the audit trail grew");
    assert_eq!(u(&env.summary_json(YEAR)["items"]), 171);
}

#[test]
fn reports_by_every_grouping_add_up_to_the_hand_count() {
    let env = Env::new();
    env.import_demo();
    let hand = Hand::demo();
    let total = hand.total(YEAR);

    for by in GROUPINGS {
        let r = json(&env.ok(&["report", "--period", YEAR, "--by", by, "--format", "json"]));
        assert_eq!(r["by"], by);
        assert_eq!(r["period"]["from"], "2024-01-01");
        assert_eq!(r["period"]["to"], "2024-12-31");
        let t = &r["total"];
        let rows = r["rows"].as_array().expect("rows");
        assert_eq!(
            u(&t["items"]),
            total.items.len() as u64,
            "{by}: total items"
        );
        assert_eq!(u(&t["minutes"]), total.minutes, "{by}: total minutes");
        assert_eq!(
            rows.iter().map(|x| u(&x["minutes"])).sum::<u64>(),
            u(&t["minutes"]),
            "{by}: rows' minutes do not add up to the total"
        );
        assert!(
            rows.iter().all(|x| u(&x["items"]) <= u(&t["items"])),
            "{by}: a row has more items than the total"
        );
        assert!(
            rows.iter().map(|x| u(&x["items"])).sum::<u64>() >= u(&t["items"]),
            "{by}: rows count fewer items than the total"
        );
        for x in rows {
            assert_eq!(
                tenths(&x["hours"]),
                tenths_of(&hours_text(u(&x["minutes"]))),
                "{by}: hours of {}",
                x["key"]
            );
        }

        // Every row against the hand count (rows the hand count lacks must be empty).
        let expected = hand.by(YEAR, by);
        let keys: Vec<String> = rows
            .iter()
            .map(|x| x["key"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            keys.iter().collect::<BTreeSet<_>>().len(),
            keys.len(),
            "{by}: a key appears twice"
        );
        for k in expected.keys() {
            assert!(keys.contains(k), "{by}: no row for {k}");
        }
        for x in rows {
            let k = x["key"].as_str().unwrap();
            let (items, minutes) = expected
                .get(k)
                .map_or((0, 0), |c| (c.items.len() as u64, c.minutes));
            assert_eq!(
                (u(&x["items"]), u(&x["minutes"])),
                (items, minutes),
                "{by}: row {k}"
            );
        }

        match by {
            "month" => {
                assert!(
                    keys.iter().all(|k| k.len() == 7
                        && k.starts_with("2024-")
                        && k[5..].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))),
                    "month keys: {keys:?}"
                );
                assert!(
                    keys.windows(2).all(|w| w[0] < w[1]),
                    "months not ascending: {keys:?}"
                );
            }
            "advisor" => {
                let all: BTreeSet<String> = hand.advisors.iter().map(|a| a.id.clone()).collect();
                assert_eq!(keys.len(), all.len());
                assert_eq!(keys.iter().cloned().collect::<BTreeSet<_>>(), all);
                let zero: BTreeSet<String> = rows
                    .iter()
                    .filter(|x| u(&x["items"]) == 0)
                    .map(|x| x["key"].as_str().unwrap().to_string())
                    .collect();
                let idle: BTreeSet<String> =
                    all.difference(&hand.participants(YEAR)).cloned().collect();
                assert_eq!(zero, idle, "zero rows are not the advisors with no entries");
                assert!(
                    rows.iter()
                        .filter(|x| u(&x["items"]) == 0)
                        .all(|x| u(&x["minutes"]) == 0)
                );
            }
            "category" => {
                assert_eq!(keys, ["staff", "public-lawyer", "external", "expert"]);
            }
            _ => {}
        }
    }
}

/// The total hours a table, Markdown or CSV report prints, and the JSON total.
#[test]
fn every_report_format_states_the_same_total() {
    let env = Env::new();
    env.import_demo();
    let expected = hours_text(Hand::demo().total(YEAR).minutes);
    assert_eq!(expected, "432.3");
    let base = ["report", "--period", YEAR];

    let table = env.ok(&[&base[..], &["--format", "table"]].concat());
    let footer = table
        .lines()
        .find(|l| l.starts_with("Total"))
        .unwrap_or_else(|| panic!("no Total line:\n{table}"));
    let cells: Vec<&str> = footer.split_whitespace().collect();
    assert_eq!(cells[2], expected, "table: {footer}");

    let md = env.ok(&[&base[..], &["--format", "md"]].concat());
    let total = md
        .lines()
        .find(|l| l.starts_with("| **Total**"))
        .unwrap_or_else(|| panic!("no total row:\n{md}"));
    let cells: Vec<&str> = total.split('|').map(str::trim).collect();
    assert_eq!(cells[3], expected, "md: {total}");

    let csv_text = env.ok(&[&base[..], &["--format", "csv"]].concat());
    assert!(csv_text.starts_with('\u{feff}'), "no UTF-8 BOM on stdout");
    let rows = csv_rows(&csv_text);
    let t = rows
        .iter()
        .find(|r| r["key"] == "total")
        .expect("csv total row");
    assert_eq!(t["hours"], expected);
    assert_eq!(
        minutes_of(&format!("{}m", t["minutes"])),
        Hand::demo().total(YEAR).minutes
    );

    let j = json(&env.ok(&[&base[..], &["--format", "json"]].concat()));
    assert_eq!(tenths(&j["total"]["hours"]), tenths_of(&expected));

    // --out writes the same CSV, BOM included, so Excel reads the Chinese names.
    let out = env.path("report.csv");
    let said = env.ok(&[
        &base[..],
        &["--format", "csv", "--out", out.to_str().unwrap()],
    ]
    .concat());
    assert!(said.contains("report.csv"), "{said}");
    let bytes = std::fs::read(&out).expect("report file written");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no UTF-8 BOM");
    assert_eq!(bytes, csv_text.as_bytes());
}

#[test]
fn logged_entries_show_up_and_survive_export_and_restore() {
    let env = Env::new();
    env.import_demo();
    let hand = Hand::demo();
    let total = hand.total(YEAR);
    let on = |advisor: &str, date: &str| -> u64 {
        hand.entries
            .iter()
            .filter(|e| e.advisor == advisor && e.date == date)
            .map(|e| e.minutes)
            .sum()
    };
    assert!(on("A001", "2024-06-03") + 90 <= 24 * 60);
    assert!(on("A002", "2024-06-04") + 45 <= 24 * 60);

    // A new item.
    let out = env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1h30m",
        "--topic",
        "信息公开",
        "--service",
        "opinion",
        "--department",
        "市场监管局",
        "--title",
        "集成测试新事项",
        "--date",
        "2024-06-03",
        "--note",
        "端到端",
    ]);
    assert!(
        out.contains("Saved entry") && out.contains("(new)"),
        "{out}"
    );
    let exported = csv_rows(&env.ok(&["export", "--format", "csv", "-"]));
    let mine: Vec<_> = exported
        .iter()
        .filter(|r| r["title"] == "集成测试新事项")
        .collect();
    assert_eq!(mine.len(), 1, "the logged entry is not exported once");
    assert_eq!(mine[0]["date"], "2024-06-03");
    assert_eq!(mine[0]["advisor"], "A001");
    assert_eq!(minutes_of(&mine[0]["hours"]), 90);
    assert_eq!(mine[0]["topic"], "info-disclosure");
    assert_eq!(mine[0]["note"], "端到端");
    let s = env.summary_json(YEAR);
    assert_eq!(u(&s["items"]), total.items.len() as u64 + 1);
    assert_eq!(u(&s["minutes"]), total.minutes + 90);

    // More time on an existing item: one more entry, no more items.
    let existing = &hand.entries[0];
    let out = env.ok(&[
        "log",
        "--advisor",
        "A002",
        "--hours",
        "0:45",
        "--date",
        "2024-06-04",
        "--item",
        &existing.item,
    ]);
    assert!(
        out.contains("Saved entry") && !out.contains("(new)"),
        "{out}"
    );
    let s = env.summary_json(YEAR);
    assert_eq!(
        u(&s["items"]),
        total.items.len() as u64 + 1,
        "item count changed"
    );
    assert_eq!(u(&s["minutes"]), total.minutes + 90 + 45);
    let exported = csv_rows(&env.ok(&["export", "--format", "csv", "-"]));
    let attached: Vec<_> = exported
        .iter()
        .filter(|r| r["date"] == "2024-06-04" && r["advisor"] == "A002")
        .collect();
    assert_eq!(attached.len(), 1);
    assert_eq!(attached[0]["item"], existing.item);
    assert_eq!(attached[0]["title"], existing.title);
    assert_eq!(minutes_of(&attached[0]["hours"]), 45);
    let summary = env.ok(&["summary", "--period", YEAR, "--format", "json"]);

    // CSV round trip into a fresh store.
    let csv_file = env.path("entries-export.csv");
    let said = env.ok(&["export", "--format", "csv", csv_file.to_str().unwrap()]);
    let count = hand.entries.len() + 2;
    assert!(
        said.contains(&format!("Exported {count} entries")),
        "{said}"
    );
    assert!(
        std::fs::read(&csv_file)
            .unwrap()
            .starts_with(b"\xEF\xBB\xBF")
    );
    let copy = env.path("copy");
    let advisors = demo("advisors.csv");
    env.ok_on(&copy, &["import", "advisors", advisors.to_str().unwrap()]);
    env.ok_on(&copy, &["import", "entries", csv_file.to_str().unwrap()]);
    assert_eq!(
        common::strip_head(&env.ok_on(&copy, &["summary", "--period", YEAR, "--format", "json"])),
        common::strip_head(&summary),
        "the CSV round trip changed the summary"
    );
    let sorted = |text: String| {
        let mut rows: Vec<Vec<(String, String)>> = csv_rows(&text)
            .into_iter()
            .map(|r| {
                let mut v: Vec<_> = r.into_iter().collect();
                v.sort();
                v
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(
        sorted(env.ok_on(&copy, &["export", "--format", "csv", "-"])),
        sorted(env.ok(&["export", "--format", "csv", "-"])),
        "the CSV round trip lost or changed entries"
    );

    // JSON export and restore into a fresh store.
    let json_file = env.path("ledger.json");
    env.ok(&["export", "--format", "json", json_file.to_str().unwrap()]);
    let restored = env.path("restored");
    let out = env.ok_on(&restored, &["restore", json_file.to_str().unwrap()]);
    let restored_advisors = format!("Restored {} advisors", hand.advisors.len());
    assert!(out.contains(&restored_advisors), "{out}");
    assert_eq!(
        common::strip_head(&env.ok_on(
            &restored,
            &["summary", "--period", YEAR, "--format", "json"]
        )),
        common::strip_head(&summary)
    );
    assert_eq!(
        common::strip_head(&env.ok_on(&restored, &["export", "--format", "json", "-"])),
        env.export_json()
    );
}

/// Items logged out of date order get numbers out of date order; the CSV export names these
/// items without a key by their global ids, and importing that file into a fresh store must
/// still work, and the references in the file must still name the same items in both stores.
#[test]
fn csv_round_trip_keeps_back_dated_logged_items() {
    let env = Env::new();
    let advisors = env.write(
        "advisors.csv",
        "id,name,category,unit\nA001,张三,staff,办公室\n",
    );
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    for (date, title) in [("2024-03-05", "first"), ("2024-03-01", "second")] {
        env.ok(&[
            "log",
            "--advisor",
            "A001",
            "--hours",
            "1",
            "--topic",
            "信息公开",
            "--service",
            "opinion",
            "--department",
            "司法局",
            "--title",
            title,
            "--date",
            date,
        ]);
    }
    let file = env.path("out.csv");
    env.ok(&["export", "--format", "csv", file.to_str().unwrap()]);
    let copy = env.path("copy");
    env.ok_on(&copy, &["import", "advisors", advisors.to_str().unwrap()]);
    env.ok_on(&copy, &["import", "entries", file.to_str().unwrap()]);
    assert_eq!(
        common::strip_head(&env.ok_on(&copy, &["summary", "--period", YEAR, "--format", "json"])),
        common::strip_head(&env.ok(&["summary", "--period", YEAR, "--format", "json"]))
    );
    // More time on each item, by the reference the export gave it, in both stores.
    for row in csv_rows(&std::fs::read_to_string(&file).unwrap()) {
        for db in [&env.store, &copy] {
            env.ok_on(
                db,
                &[
                    "log",
                    "--advisor",
                    "A001",
                    "--hours",
                    "0.5",
                    "--date",
                    "2024-03-10",
                    "--item",
                    &row["item"],
                ],
            );
        }
    }
    let titled = |db: &std::path::Path| {
        let mut rows: Vec<(String, String, String)> =
            csv_rows(&env.ok_on(db, &["export", "--format", "csv", "-"]))
                .into_iter()
                .map(|r| (r["date"].clone(), r["item"].clone(), r["title"].clone()))
                .collect();
        rows.sort();
        rows
    };
    assert_eq!(titled(&copy), titled(&env.store));
}

#[test]
fn advisor_list_shows_the_imported_advisors() {
    let env = Env::new();
    let advisors = demo("advisors.csv");
    let out = env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    let hand = Hand::demo();
    let n = hand.advisors.len();
    assert!(out.contains(&format!("Imported {n} advisors")), "{out}");
    let expected: BTreeSet<(String, String, String, String)> = hand
        .advisors
        .iter()
        .map(|a| {
            (
                a.id.clone(),
                a.name.clone(),
                a.category.to_string(),
                a.unit.clone(),
            )
        })
        .collect();

    let j = json(&env.ok(&["advisor", "list", "--format", "json"]));
    let listed: BTreeSet<_> = j
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|a| {
            assert_eq!(a["active"], true);
            (
                a["id"].as_str().unwrap().to_string(),
                a["name"].as_str().unwrap().to_string(),
                a["category"].as_str().unwrap().to_string(),
                a["unit"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(j.as_array().unwrap().len(), n);
    assert_eq!(listed, expected);

    let rows = csv_rows(&env.ok(&["advisor", "list", "--format", "csv"]));
    assert_eq!(rows.len(), n);
    let listed: BTreeSet<_> = rows
        .iter()
        .map(|r| {
            (
                r["id"].clone(),
                r["name"].clone(),
                r["category"].clone(),
                r["unit"].clone(),
            )
        })
        .collect();
    assert_eq!(listed, expected);

    let table = env.ok(&["advisor", "list"]);
    assert!(table.contains(&format!("{n} advisors")), "{table}");
    assert!(table.contains(&hand.advisors[0].name));
}

#[test]
fn a_store_held_by_another_process_is_refused_clearly() {
    let env = Env::new();
    let advisors = env.write(
        "advisors.csv",
        "id,name,category,unit\nA001,张三,staff,办公室\n",
    );
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    let before = env.export_json();

    let held = common::open_store(&env.store);
    for args in [
        &["summary"][..],
        &[
            "log",
            "--advisor",
            "A001",
            "--hours",
            "1",
            "--topic",
            "other",
            "--service",
            "other",
            "--department",
            "办公室",
            "--title",
            "while locked",
            "--date",
            "2024-01-02",
        ][..],
    ] {
        let out = env.run_once(args);
        assert!(!out.status.success(), "{args:?} ran on a store in use");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(env.store.to_str().unwrap()),
            "the path is not named: {stderr}"
        );
        assert!(stderr.contains("in use"), "{stderr}");
        assert!(stderr.contains("try again"), "{stderr}");
        for p in PANIC_TEXT {
            assert!(!stderr.contains(p), "{stderr}");
        }
        assert!(out.stdout.is_empty());
    }
    let out = env.cmd_in("zh").arg("summary").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "summary ran on a store in use");
    assert!(
        stderr.contains(&format!(
            "位于 {} 的台账正被另一个 counsel-log 进程使用：请关闭该进程（或等它结束）后重试",
            env.store.display()
        )),
        "{stderr}"
    );
    common::release(held, &env.store);

    let out = env.ok(&["summary", "--period", YEAR]);
    assert!(out.contains("2024"), "{out}");
    assert_eq!(env.export_json(), before, "the refused log wrote something");
}

#[test]
fn success_messages_count_in_good_english_and_punctuate_in_chinese() {
    let env = Env::new();
    let advisors = env.write(
        "advisors.csv",
        "id,name,category,unit\nA001,张三,staff,办公室\n",
    );
    let out = env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    assert_eq!(out, "Imported 1 advisor.\n");
    let one = env.write(
        "one.csv",
        "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n\
         2024-03-01,A001,1,K1,合同审核,contracts,contract-review,财政局,,\n",
    );
    let one = one.to_str().unwrap();
    let out = env.ok(&["import", "entries", "--dry-run", one]);
    assert_eq!(
        out,
        "Would import 1 entry (1.0 h, 1 new item); dry run, nothing was written.\n"
    );
    let out = env.ok(&["import", "entries", one]);
    assert_eq!(out, "Imported 1 entry (1.0 h, 1 new item).\n");
    let out = env.ok(&["import", "entries", one]);
    assert_eq!(
        out,
        "Nothing new: the file's 1 row is already in the ledger.\n"
    );
    let out = env.ok_in("zh", &["import", "entries", one]);
    assert_eq!(out, "没有新内容：文件中的 1 行都已在台账中。\n");

    let csv = env.path("x.csv");
    let csv = csv.to_str().unwrap();
    let out = env.ok(&["export", "--format", "csv", csv]);
    assert_eq!(out, format!("Exported 1 entry to {csv}.\n"));
    let out = env.ok_in("zh", &["export", "--format", "csv", csv]);
    assert_eq!(out, format!("已导出 1 条记录到 {csv}。\n"));

    let out = env.ok_in("zh", &["verify"]);
    assert!(
        out.contains("校验通过：审计链完整，与 audit-head.json 一致，索引一致（")
            && out.ends_with("）。\n")
            && !out.contains(": "),
        "{out}"
    );
}

#[test]
fn every_csv_starts_with_a_bom_and_output_files_take_their_format_from_their_extension() {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let env = Env::new();
    let advisors = env.write(
        "advisors.csv",
        "id,name,category,unit\nA001,张三,staff,办公室\n",
    );
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1.5",
        "--topic",
        "信息公开",
        "--service",
        "opinion",
        "--department",
        "司法局",
        "--title",
        "关于信息公开的意见",
        "--date",
        "2024-03-05",
    ]);

    // Stdout CSV, as `> file.csv` would keep it: BOM first, then the header.
    let stdout = |args: &[&str]| env.run(args).stdout;
    for (args, header) in [
        (
            &["export", "--format", "csv", "-"][..],
            "date,advisor,hours,item",
        ),
        (&["advisor", "list", "--format", "csv"][..], "id,name"),
        (
            &["report", "--period", YEAR, "--format", "csv"][..],
            "key,label,items",
        ),
    ] {
        let out = stdout(args);
        assert!(out.starts_with(BOM), "no BOM on stdout of {args:?}");
        assert!(
            out[3..].starts_with(header.as_bytes()),
            "{args:?}: {}",
            String::from_utf8_lossy(&out)
        );
    }

    // What `export --format csv > entries.csv` writes imports back, BOM and all.
    let piped = env.write("piped.csv", stdout(&["export", "--format", "csv", "-"]));
    let copy = env.path("copy");
    env.ok_on(&copy, &["import", "advisors", advisors.to_str().unwrap()]);
    env.ok_on(&copy, &["import", "entries", piped.to_str().unwrap()]);
    assert_eq!(
        common::strip_head(&env.ok_on(&copy, &["summary", "--period", YEAR, "--format", "json"])),
        common::strip_head(&env.ok(&["summary", "--period", YEAR, "--format", "json"]))
    );

    // Without --format, the file's extension decides; an explicit --format wins over it.
    let file = |name: &str| env.path(name).to_str().unwrap().to_string();
    let report = |name: &str, extra: &[&str]| {
        let path = file(name);
        env.ok(&[&["report", "--period", YEAR, "--out", &path][..], extra].concat());
        std::fs::read(&path).unwrap_or_else(|e| panic!("{name} not written: {e}"))
    };
    let csv = report("rep.csv", &[]);
    assert!(csv.starts_with(BOM), "no BOM in rep.csv");
    assert!(csv[3..].starts_with(b"key,label,items,minutes,hours"));
    let rows = csv_rows(std::str::from_utf8(&csv).unwrap());
    assert_eq!(rows.last().unwrap()["hours"], "1.5");
    let upper = report("REP.CSV", &[]);
    assert_eq!(upper, csv, "the extension is read in any case");
    let j = json(&String::from_utf8(report("rep.json", &[])).unwrap());
    assert_eq!(j["total"]["minutes"], 90);
    let md = String::from_utf8(report("rep.md", &[])).unwrap();
    assert!(md.starts_with("**2024 · by advisor**"), "{md}");
    assert!(md.contains("| **Total** |"), "{md}");
    let txt = String::from_utf8(report("rep.txt", &[])).unwrap();
    assert!(txt.lines().any(|l| l.starts_with("Total")), "{txt}");
    let asked = report("asked.csv", &["--format", "json"]);
    json(&String::from_utf8(asked).unwrap());
    // An extension that names no format is refused; `--format` says what goes under it.
    let refused = env.run(&["report", "--period", YEAR, "--out", &file("rep.dat")]);
    assert!(!refused.status.success(), "rep.dat was written");
    let unknown = String::from_utf8(report("rep.dat", &["--format", "table"])).unwrap();
    assert_eq!(unknown, txt, "an explicit format goes under any name");

    let export = |name: &str, extra: &[&str]| {
        let path = file(name);
        env.ok(&[&["export"][..], extra, &[&path]].concat());
        std::fs::read(&path).unwrap_or_else(|e| panic!("{name} not written: {e}"))
    };
    let csv = export("out.csv", &[]);
    assert!(csv.starts_with(BOM), "no BOM in out.csv");
    assert!(csv[3..].starts_with(b"date,advisor,hours,item,title"));
    let j = json(&String::from_utf8(export("out.json", &[])).unwrap());
    assert_eq!(j["entries"].as_array().map(Vec::len), Some(1));
    let asked = export("asked-export.csv", &["--format", "json"]);
    json(&String::from_utf8(asked).unwrap());
    let unknown = export("ledger.bak", &[]);
    json(&String::from_utf8(unknown).unwrap());
}

#[test]
fn advisor_set_renames_and_deactivates_and_participation_follows() {
    let env = Env::new();
    let advisors = env.write(
        "advisors.csv",
        "id,name,category,unit\nA001,张三,staff,办公室\nA002,李四,staff,司法局\nB001,王五,public-lawyer,财政局\n",
    );
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    let entries = env.write(
        "entries.csv",
        "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n\
         2024-03-01,A001,1.5,K1,合同审核,contracts,contract-review,财政局,,\n\
         2024-04-02,A002,2,K2,信息公开答复,info-disclosure,opinion,司法局,,\n",
    );
    env.ok(&["import", "entries", entries.to_str().unwrap()]);
    let staff = |s: &Value| s["advisors"]["by_category"][0].clone();
    let before = env.summary_json(YEAR);
    assert_eq!(staff(&before)["category"], "staff");
    assert_eq!(
        (
            u(&staff(&before)["total"]),
            u(&staff(&before)["participating"])
        ),
        (2, 2)
    );
    assert_eq!(u(&before["advisors"]["total"]), 3);
    let audit = env.audit_len();

    // A002 leaves. A report of 2024, when they logged time, is unchanged: they still count in
    // its team. A period in which they logged nothing counts only the active advisors.
    let out = env.ok(&["advisor", "set", "--id", "A002", "--active", "false"]);
    assert!(
        out.starts_with("Updated advisor A002: now inactive"),
        "{out}"
    );
    let after = env.summary_json(YEAR);
    assert_eq!(
        after["advisors"], before["advisors"],
        "the 2024 team changed"
    );
    let march = env.summary_json("2024-03");
    assert_eq!(
        (
            u(&staff(&march)["total"]),
            u(&staff(&march)["participating"])
        ),
        (1, 1),
        "in March, when A002 logged nothing, only A001 counts"
    );
    assert_eq!(u(&march["advisors"]["total"]), 2);
    for key in ["items", "minutes"] {
        assert_eq!(after[key], before[key], "{key} changed");
        assert_eq!(
            staff(&after)[key],
            staff(&before)[key],
            "staff {key} changed"
        );
    }
    assert_eq!(after["minutes"], 210);
    let report = json(&env.ok(&["report", "--period", YEAR, "--format", "json"]));
    let row = |r: &Value, id: &str| {
        r["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["key"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no row {id}: {r}"))
    };
    assert_eq!(row(&report, "A002")["minutes"], 120, "past hours lost");

    // A001 is renamed: reports and the list say the new name.
    let out = env.ok(&[
        "advisor",
        "set",
        "--id",
        "a001",
        "--name",
        "程艳",
        "--unit",
        "管委会",
    ]);
    assert!(out.contains("name 张三 → 程艳"), "{out}");
    // The trail's table says what each change changed, not the advisor twice.
    let trail = env.ok(&["history"]);
    assert!(
        trail.contains("A002 active: true") && trail.contains("A002 active: false"),
        "{trail}"
    );
    assert!(
        trail.contains("A001 name: 张三, unit: 办公室")
            && trail.contains("A001 name: 程艳, unit: 管委会"),
        "{trail}"
    );
    let report = json(&env.ok(&["report", "--period", YEAR, "--format", "json"]));
    assert_eq!(row(&report, "A001")["label"], "程艳");
    assert_eq!(row(&report, "A001")["minutes"], 90);
    let list = json(&env.ok(&["advisor", "list", "--format", "json"]));
    let listed: Vec<(String, String, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().into(),
                a["name"].as_str().unwrap().into(),
                a["active"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("A001".into(), "程艳".into(), true),
            ("A002".into(), "李四".into(), false),
            ("B001".into(), "王五".into(), true)
        ]
    );
    let rows = csv_rows(&env.ok(&["advisor", "list", "--format", "csv"]));
    assert_eq!(rows[1]["active"], "no");
    let table = env.ok(&["advisor", "list"]);
    assert!(table.contains("李四 (inactive)"), "{table}");
    assert!(table.contains("3 advisors, 1 of them inactive"), "{table}");

    // Two audited changes, each with the advisor before and after; the chain verifies.
    assert_eq!(env.audit_len(), audit + 2);
    let store = common::open_store(&env.store);
    let trail = store.audit_trail().unwrap();
    common::release(store, &env.store);
    let edits: Vec<_> = trail
        .iter()
        .filter(|r| r.action == counsel_log::store::AuditAction::AdvisorEdit)
        .collect();
    assert_eq!(edits.len(), 2);
    assert_eq!(
        (&edits[0].before["active"], &edits[0].after["active"]),
        (&Value::Bool(true), &Value::Bool(false))
    );
    assert_eq!(
        (&edits[1].before["name"], &edits[1].after["name"]),
        (&Value::from("张三"), &Value::from("程艳"))
    );
    let verified = env.ok(&["verify"]);
    assert!(verified.contains("verified"), "{verified}");

    // Re-importing rows the ledger already has for A002 adds nothing and is not refused.
    let again = env.ok(&["import", "entries", entries.to_str().unwrap()]);
    assert!(again.starts_with("Nothing new"), "{again}");

    // Export/restore and backup/restore keep the rename and the inactive flag.
    let summary = env.ok(&["summary", "--period", YEAR, "--format", "json"]);
    let list = env.ok(&["advisor", "list", "--format", "json"]);
    let exported = env.path("ledger.json");
    env.ok(&["export", exported.to_str().unwrap()]);
    let backups = env.path("backups");
    env.ok(&["backup", backups.to_str().unwrap()]);
    let backup = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .next()
        .expect("a backup file");
    for (name, file) in [("from-export", exported), ("from-backup", backup)] {
        let db = env.path(name);
        env.ok_on(&db, &["restore", file.to_str().unwrap()]);
        assert_eq!(
            env.ok_on(&db, &["advisor", "list", "--format", "json"]),
            list,
            "{name}"
        );
        assert_eq!(
            common::strip_head(&env.ok_on(&db, &["summary", "--period", YEAR, "--format", "json"])),
            common::strip_head(&summary),
            "{name}"
        );
        assert!(env.ok_on(&db, &["verify"]).contains("verified"), "{name}");
    }

    // Bringing A002 back puts them in the denominator again.
    env.ok(&["advisor", "set", "--id", "A002", "--active", "true"]);
    let back = env.summary_json(YEAR);
    assert_eq!(
        (u(&staff(&back)["total"]), u(&staff(&back)["participating"])),
        (2, 2)
    );
}

#[test]
fn the_summary_paragraph_reads_naturally_for_ranges_and_empty_periods() {
    let env = Env::new();
    let advisors = env.write(
        "advisors.csv",
        "id,name,category,unit\nA001,张三,staff,办公室\n",
    );
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    let text = |lang: &str, period: &str| {
        let j = json(&env.ok_in(lang, &["summary", "--period", period, "--format", "json"]));
        let plain = env.ok_in(lang, &["summary", "--period", period]);
        assert_eq!(plain.trim_end(), j["text"], "text and JSON disagree");
        (j["text"].as_str().unwrap().to_string(), j)
    };

    let (en, empty) = text("en", "2024-03");
    assert_eq!(en, "No legal services were logged in March 2024.");
    let (zh, _) = text("zh", "2024-03");
    assert_eq!(zh, "2024年3月，未记录任何法律服务。");
    let (en, _) = text("en", "2024-01-01..2024-06-30");
    assert_eq!(
        en,
        "No legal services were logged from 2024-01-01 to 2024-06-30."
    );

    env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1.5",
        "--topic",
        "信息公开",
        "--service",
        "opinion",
        "--department",
        "司法局",
        "--title",
        "意见",
        "--date",
        "2024-03-05",
    ]);
    let (en, full) = text("en", "2024-01-01..2024-06-30");
    assert!(
        en.starts_with(
            "From 2024-01-01 to 2024-06-30, the legal advisors provided 1 legal service item over 1.5 working hours"
        ),
        "{en}"
    );
    let (en, _) = text("en", "2024-Q1");
    assert!(
        en.starts_with("In Q1 2024, the legal advisors provided"),
        "{en}"
    );
    let (zh, _) = text("zh", "2024-01-01..2024-06-30");
    assert!(
        zh.starts_with("2024年1月1日至2024年6月30日，法律顾问共提供法律服务1件次，工作时长1.5小时"),
        "{zh}"
    );

    env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "合同",
        "--date",
        "2024-03-06",
    ]);
    let (en, _) = text("en", "2024-03");
    assert!(
        en.contains("covering information disclosure and contracts and agreements."),
        "{en}"
    );
    // The JSON shape is the same whether or not anything was logged.
    let keys = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&empty), keys(&full));
    assert_eq!(empty["items"], 0);
    assert_eq!(empty["advisors"]["by_category"][0]["total"], 1);

    // A rate over only some of the items says over how many.
    env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "labor",
        "--service",
        "opinion",
        "--department",
        "人社局",
        "--title",
        "劳动合同",
        "--date",
        "2024-03-07",
        "--satisfaction",
        "满意",
    ]);
    let (zh, _) = text("zh", "2024-03");
    assert!(zh.contains("服务满意率100%（已评价1件次）"), "{zh}");
    let (en, _) = text("en", "2024-03");
    assert!(
        en.contains("a satisfaction rate of 100% among the 1 item rated"),
        "{en}"
    );
}

#[test]
fn a_topic_of_ones_own_is_added_used_by_either_name_and_kept_by_export() {
    let env = Env::new();
    env.import_demo();
    let said = env.ok_in(
        "zh",
        &[
            "catalog",
            "add",
            "--kind",
            "topic",
            "--code",
            "ecology",
            "--zh",
            "生态环境",
            "--en",
            "Ecology and environment",
            "--alias",
            "环保",
        ],
    );
    assert!(said.contains("已添加领域 ecology"), "{said}");
    // A word another entry answers to is refused, naming that entry, and nothing changes.
    let before = env.export_json();
    let out = env.run_in(
        "en",
        &[
            "catalog",
            "add",
            "--kind",
            "topic",
            "--code",
            "disclosure2",
            "--zh",
            "信息公开",
            "--en",
            "X",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already means the topic Information disclosure (info-disclosure)"),
        "{err}"
    );
    assert_eq!(env.export_json(), before);

    // A topic the catalog does not have says how to add it.
    let out = env.run_in(
        "en",
        &[
            "log",
            "--advisor",
            "A001",
            "--hours",
            "1",
            "--topic",
            "forestry",
            "--service",
            "opinion",
            "--department",
            "林业局",
            "--title",
            "意见",
            "--date",
            "2024-12-01",
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("add it with `counsel-log catalog add --kind topic`"),
        "{err}"
    );

    for (alias, date) in [
        ("环保", "2024-12-01"),
        ("Ecology and environment", "2024-12-02"),
    ] {
        env.ok(&[
            "log",
            "--advisor",
            "A001",
            "--hours",
            "1",
            "--topic",
            alias,
            "--service",
            "opinion",
            "--department",
            "生态环境局",
            "--title",
            "排污许可法律意见",
            "--date",
            date,
            "--item",
            "ECO-1",
        ]);
    }
    let report = json(&env.ok(&[
        "report", "--period", "2024-12", "--by", "topic", "--format", "json",
    ]));
    let row = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "ecology")
        .expect("a row for the new topic");
    assert_eq!((u(&row["items"]), u(&row["minutes"])), (1, 120));
    let listed = env.ok(&["catalog", "list", "--kind", "topic", "--format", "csv"]);
    assert!(
        listed.contains("topic,ecology,生态环境,Ecology and environment,环保"),
        "{listed}"
    );

    // Export and restore carry the new topic.
    let file = env.path("ledger.json");
    env.ok(&["export", file.to_str().unwrap()]);
    let other = env.path("other");
    env.ok_on(&other, &["restore", file.to_str().unwrap()]);
    let restored = env.ok_on(
        &other,
        &["catalog", "list", "--kind", "topic", "--format", "json"],
    );
    assert!(restored.contains("\"ecology\""), "{restored}");
    assert!(env.ok(&["verify"]).contains("verified"));
}

#[test]
fn an_advisor_list_imports_back_with_who_is_inactive() {
    let env = Env::new();
    env.import_demo();
    env.ok(&["advisor", "set", "--id", "A012", "--active", "false"]);
    let listed = env.ok(&["advisor", "list", "--format", "csv"]);
    let file = env.write("advisors.csv", &listed);
    let other = env.path("other");
    let said = env.ok_on(&other, &["import", "advisors", file.to_str().unwrap()]);
    assert!(said.contains("90 advisors"), "{said}");
    let back = json(&env.ok_on(&other, &["advisor", "list", "--format", "json"]));
    let active = |id: &str| {
        back.as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .map(|a| a["active"].as_bool().unwrap())
    };
    assert_eq!((active("A012"), active("A001")), (Some(false), Some(true)));
    let bad = env.write(
        "bad.csv",
        "id,name,category,unit,active\nB001,王五,staff,局,maybe\n",
    );
    let out = env.run_on(&other, &["import", "advisors", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2: active is \"maybe\": write yes or no"),
        "{err}"
    );
}

#[test]
fn a_store_written_by_the_previous_layout_opens_with_every_figure_and_takes_new_work() {
    let env = Env::new();
    common::copy_fixture("store-schema-1", &env.store);
    // The first open brings it up to date, once, after a verified backup, and says so.
    let first = env.run(&["verify"]);
    assert!(first.status.success());
    let said = String::from_utf8_lossy(&first.stderr);
    assert!(
        said.contains("brought up to date from schema 1 to 8")
            && said.contains("backup made before was verified"),
        "{said}"
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("verified"));
    let backups: Vec<_> = std::fs::read_dir(env.path("counsel-log-backups"))
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let backup = std::fs::read_to_string(&backups[0]).unwrap();
    assert_eq!(
        backup.lines().filter(|l| l.contains("\"entry\"")).count(),
        282
    );
    let again = env.run(&["verify"]);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
    // It has its identity now: a signing key only its owner reads, and a card to enrol.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = std::fs::metadata(env.store.join("identity.key")).unwrap();
        assert_eq!(key.permissions().mode() & 0o777, 0o600);
    }
    let card = common::json(&env.ok(&["identity"]));
    assert_eq!(card["format"], "counsel-log-card");
    assert_eq!(card["store"].as_str().unwrap().len(), 26);
    let s = env.summary_json("2024");
    assert_eq!((u(&s["items"]), u(&s["minutes"])), (172, 26_028));
    assert_eq!(tenths(&s["hours"]), 4338);

    // The same work typed into a store made by this build reads back exactly alike.
    let fresh = Env::new();
    fresh.import_demo();
    fresh.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1:30",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "Fixture entry",
        "--date",
        "2024-12-30",
        "--satisfaction",
        "satisfied",
    ]);
    for by in ["advisor", "topic", "department", "month"] {
        let args = ["report", "--period", "2024", "--by", by, "--format", "json"];
        assert_eq!(
            common::strip_head(&env.ok(&args)),
            common::strip_head(&fresh.ok(&args)),
            "report by {by}"
        );
    }
    assert_eq!(env.export_json(), fresh.export_json());

    // It takes new work, and its audit chain carries on unbroken.
    env.ok(&[
        "log",
        "--advisor",
        "A002",
        "--hours",
        "0.5",
        "--item",
        "#2024-0172",
        "--date",
        "2024-12-31",
    ]);
    // The migration is one audited change of its own.
    assert!(
        env.ok(&["verify"])
            .contains("5 audit records, 283 entries, 172 items"),
        "the migration is one record of its own"
    );
}

#[test]
fn a_schema_2_store_migrates_once_and_keeps_its_team_ledger() {
    let env = Env::new();
    common::copy_fixture("store-schema-2", &env.store);
    let first = env.run(&["peer", "list"]);
    let said = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{said}");
    assert!(
        said.contains("brought up to date from schema 2 to 8")
            && said.contains("backup made before was verified"),
        "{said}"
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("律所-邓"));
    // The seven changes of the fixture and the migration, and a digest that adds up.
    let verified = env.ok(&["verify"]);
    assert!(
        verified.contains("8 audit records, 283 entries, 173 items"),
        "{verified}"
    );
    let s = env.summary_json("2024");
    assert_eq!((u(&s["items"]), u(&s["minutes"])), (173, 26_178));
    assert_eq!(tenths(&s["hours"]), 4363);
    // The correction and the figures read as before; March is still closed.
    let history = env.ok(&["history", "282"]);
    assert!(history.contains("Timesheet said 2 h"), "{history}");
    // By advisor as the previous layout reported them: A001 with the correction (2,529
    // minutes), A002 with the entry that came by the counsel's bundle (2,053).
    let rows = common::json(&env.ok(&[
        "report", "--period", "2024", "--by", "advisor", "--format", "json",
    ]));
    let minutes = |id: &str| {
        rows["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == id)
            .map(|r| u(&r["minutes"]))
    };
    assert_eq!((minutes("A001"), minutes("A002")), (Some(2529), Some(2053)));
    let closed = env.run(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "contracts",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "Late",
        "--date",
        "2024-03-05",
    ]);
    assert!(!closed.status.success());
    // New work goes in and is covered by the digest; the store migrates only once.
    env.ok(&[
        "log",
        "--advisor",
        "A002",
        "--hours",
        "0.5",
        "--item",
        "#2024-0172",
        "--date",
        "2024-12-31",
    ]);
    let again = env.run(&["verify"]);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
    assert!(String::from_utf8_lossy(&again.stdout).contains("9 audit records, 284 entries"));
}

/// Copies the fixture store `fixture` into `env`'s store and runs the first command on it,
/// which migrates it: checks the migration said `change` and that the backup made before was
/// verified, and that nothing of the rewrite is left in the folder, nor of the old layout (its
/// `old_snapshot`) when the migration rewrote the store (`None` when it kept its files).
/// Returns what it said and the 2024 summary it printed.
fn migrate_fixture(
    env: &Env,
    fixture: &str,
    change: &str,
    old_snapshot: Option<&str>,
) -> (String, serde_json::Value) {
    common::copy_fixture(fixture, &env.store);
    let first = env.run(&["summary", "--period", "2024", "--format", "json"]);
    let said = String::from_utf8_lossy(&first.stderr).into_owned();
    assert!(first.status.success(), "{said}");
    assert!(
        said.contains(change) && said.contains("backup made before was verified"),
        "{said}"
    );
    // The new layout took the old one's place whole.
    assert!(!env.store.join(".rewrite").exists());
    if let Some(old) = old_snapshot {
        assert!(!env.store.join(old).exists());
    }
    (said, json(&String::from_utf8_lossy(&first.stdout)))
}

/// Half an hour by A002 on 2024-12-31 on the item `item` names.
fn log_on(item: &str) -> Vec<&str> {
    common::item_log("A002", "0.5", item, &["--date", "2024-12-31"])
}

#[test]
fn a_schema_4_store_is_packed_once_and_reads_and_takes_changes_as_before() {
    let env = Env::new();
    let (said, s) = migrate_fixture(
        &env,
        "store-schema-4",
        "from schema 4 to 8 (the large trees packed into blocks, the whole history's totals kept in one block)",
        Some("snap.00000000000BBEB1"),
    );
    // The backup made before restores into a new folder and gives the same ledger.
    let backup = said
        .lines()
        .find(|l| l.contains("backup made before was verified"))
        .and_then(|l| l.split_whitespace().last())
        .expect("the message names the backup");
    let fresh = env.path("fresh");
    let restored = env.run_on(&fresh, &["restore", backup]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let again = json(&env.ok_on(&fresh, &["summary", "--period", "2024", "--format", "json"]));
    assert_eq!((u(&again["items"]), u(&again["minutes"])), (173, 26_178));
    // The figures the schema-4 layout gave (fixtures/README.md), A003 as a special legal
    // expert and #2024-0005 unsatisfied.
    assert_eq!(
        (u(&s["items"]), u(&s["minutes"]), u(&s["unsatisfied"])),
        (173, 26_178, 1)
    );
    let rows = json(&env.ok(&[
        "report", "--period", "2024", "--by", "category", "--format", "json",
    ]));
    let by_category: Vec<u64> = rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| u(&r["items"]))
        .collect();
    assert_eq!(by_category, [85, 48, 43, 34]);
    let history = env.ok(&["history", "282"]);
    assert!(history.contains("Timesheet said 2 h"), "{history}");
    assert!(env.ok(&["peer", "list"]).contains("律所-邓"));
    let verified = env.ok(&["verify"]);
    assert!(
        verified.contains("10 audit records, 283 entries, 173 items"),
        "{verified}"
    );
    // New work goes into the packed trees, found by its item and counted; no second
    // migration.
    env.ok(&log_on("#2024-0172"));
    let s = env.summary_json("2024");
    assert_eq!((u(&s["items"]), u(&s["minutes"])), (173, 26_208));
    let history = env.ok(&["history", "284"]);
    assert!(history.contains("2024-12-31 A002 0.5 h"), "{history}");
    let again = env.run(&["verify"]);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
    assert!(String::from_utf8_lossy(&again.stdout).contains("11 audit records, 284 entries"));
}

#[test]
fn a_schema_5_store_packs_its_items_keys_once_and_finds_items_by_them_as_before() {
    let env = Env::new();
    let (_, s) = migrate_fixture(
        &env,
        "store-schema-5",
        "from schema 5 to 8 (the keys offices give their items packed into blocks, each month's totals packed into one block, the whole history's totals kept in one block)",
        Some("snap.0000000000076F60"),
    );
    // The figures the schema-5 layout gave (fixtures/README.md).
    assert_eq!(
        (u(&s["items"]), u(&s["minutes"]), u(&s["unsatisfied"])),
        (173, 26_178, 1)
    );
    assert!(
        env.ok(&["verify"])
            .contains("10 audit records, 283 entries, 173 items")
    );
    // An item is found by the key the office gave it, and by its number, as before.
    for item in ["2024-001", "#2024-0172"] {
        env.ok(&log_on(item));
    }
    let s = env.summary_json("2024");
    assert_eq!((u(&s["items"]), u(&s["minutes"])), (173, 26_238));
    // A key given twice is still refused, and a new key is taken and found.
    let taken = env.run(&common::new_item_log(
        "A001",
        "1",
        "Taken",
        &["--item", "2024-001"],
    ));
    assert!(String::from_utf8_lossy(&taken.stderr).contains("2024-001"));
    env.ok(&common::new_item_log(
        "A001",
        "1",
        "New keyed",
        &["--item", "K-NEW-1"],
    ));
    let found = env.ok(&[
        "log",
        "--advisor",
        "A003",
        "--hours",
        "1",
        "--item",
        "K-NEW-1",
    ]);
    assert!(!found.is_empty());
    let again = env.run(&["verify"]);
    assert!(
        String::from_utf8_lossy(&again.stderr).is_empty(),
        "no second migration"
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("287 entries, 174 items"));
}

#[test]
fn a_schema_6_store_packs_its_totals_by_month_once_and_reports_them_as_before() {
    let env = Env::new();
    let (_, s) = migrate_fixture(
        &env,
        "store-schema-6",
        "from schema 6 to 8 (each month's totals packed into one block, the whole history's totals kept in one block)",
        Some("snap.00000000000785B8"),
    );
    // The new files keep their log compressed, as every new store does.
    let conf = std::fs::read(env.store.join("conf")).unwrap();
    assert!(String::from_utf8_lossy(&conf).contains("use_compression: true"));
    // The figures the schema-6 layout gave (fixtures/README.md), read from the aggregates.
    assert_eq!(
        (u(&s["items"]), u(&s["minutes"]), u(&s["unsatisfied"])),
        (173, 26_178, 1)
    );
    let by = |period: &str, by: &str| -> Vec<(String, u64, u64)> {
        let report = json(&env.ok(&["report", "--period", period, "--by", by, "--format", "json"]));
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["key"].as_str().unwrap().to_owned(),
                    u(&r["items"]),
                    u(&r["minutes"]),
                )
            })
            .collect()
    };
    let categories: Vec<u64> = by("2024", "category").iter().map(|r| r.1).collect();
    assert_eq!(categories, [85, 48, 43, 34]);
    // March, which is closed: 13 items, 22.8 hours; every month of the whole history.
    assert_eq!(by("2024-03", "month"), [("2024-03".to_owned(), 13, 1_369)]);
    let months = by("all", "month");
    assert_eq!(months.iter().filter(|r| r.2 > 0).count(), 12);
    assert_eq!(months.iter().map(|r| r.2).sum::<u64>(), 26_178);
    assert_eq!(by("2024-12", "month"), [("2024-12".to_owned(), 3, 312)]);
    assert!(
        env.ok(&["verify"])
            .contains("10 audit records, 283 entries, 173 items")
    );
    // A change lands in the month's new blocks and is counted; no second migration.
    env.ok(&log_on("#2024-0172"));
    let s = env.summary_json("2024");
    assert_eq!((u(&s["items"]), u(&s["minutes"])), (173, 26_208));
    assert_eq!(by("2024-12", "month"), [("2024-12".to_owned(), 3, 342)]);
    let again = env.run(&["verify"]);
    assert!(
        String::from_utf8_lossy(&again.stderr).is_empty(),
        "no second migration"
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("11 audit records, 284 entries"));
}

#[test]
fn a_schema_7_store_counts_its_whole_history_once_and_takes_an_import() {
    let env = Env::new();
    // The layout of every tree is 7's: the records go into the store's own files.
    let (_, s) = migrate_fixture(
        &env,
        "store-schema-7",
        "from schema 7 to 8 (the whole history's totals kept in one block)",
        None,
    );
    // The new records, summed from the months', are what a recount from the entries gives.
    assert!(
        env.ok(&["verify"])
            .contains("10 audit records, 283 entries, 173 items")
    );
    // The figures as written (fixtures/README.md); the whole history is 2024's.
    assert_eq!(
        (u(&s["items"]), u(&s["minutes"]), u(&s["unsatisfied"])),
        (173, 26_178, 1)
    );
    let all = env.summary_json("all");
    assert_eq!(
        (u(&all["items"]), u(&all["minutes"]), u(&all["unsatisfied"])),
        (173, 26_178, 1)
    );
    // Rows into the blocks that build wrote: new items beside its own, and its item 5 again.
    let mut rows =
        String::from("date,advisor,hours,item,title,topic,service,department,satisfaction,note\n");
    for i in 0..40 {
        rows += &format!(
            "2024-12-{:02},A00{},0.5,F7-{},Fixture seven {},contracts,opinion,财政局,,\n",
            1 + i % 28,
            1 + i % 9,
            i / 2,
            i / 2
        );
    }
    let file = env.write("more.csv", rows);
    env.ok(&["import", "entries", file.to_str().unwrap()]);
    env.ok(&log_on("#2024-0005"));
    let s = env.summary_json("2024");
    assert_eq!(
        (u(&s["items"]), u(&s["minutes"])),
        (193, 26_178 + 40 * 30 + 30)
    );
    let all = env.summary_json("all");
    assert_eq!(
        (u(&all["items"]), u(&all["minutes"])),
        (193, 26_178 + 40 * 30 + 30)
    );
    assert!(
        env.ok(&["verify"])
            .contains("12 audit records, 324 entries, 193 items")
    );
    // The same rows again are all found already there, through fingerprints written by the
    // old layout.
    let again = env.ok(&["import", "entries", file.to_str().unwrap()]);
    assert!(again.contains("40"), "{again}");
    assert!(env.ok(&["verify"]).contains("324 entries"));
}
