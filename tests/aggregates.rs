//! The store's per-period aggregates against a recount from the entries: random sequences of
//! adds, imports, edits that move entries across months and advisors, deletes, undos, ratings,
//! corrections, advisors changing category and reopened stores; after every step every figure
//! of every grouping, for months, quarters, a half year and the year, is the recount's.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

mod common;

use chrono::{Datelike, NaiveDate};
use counsel_log::domain::intake::{EntryInput, ItemFields, plan_advisors, plan_entries};
use counsel_log::domain::model::AdvisorChange;
use counsel_log::domain::tally::{Labels, Tallier};
use counsel_log::domain::{
    CatalogKind, Category, EntryId, GroupBy, Lang, Minutes, Period, Satisfaction, Tally,
};
use counsel_log::store::RawTree;
use counsel_log::store::{
    AuditAction, CorrectionRequest, EntryChange, ItemState, Stamp, Store, UndoScope,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    /// Rows logged together (one is a single entry), each on item key `K{key}` or a new item.
    Log(Vec<(usize, u32, u32, u64, Option<u8>)>),
    Edit {
        pick: usize,
        advisor: usize,
        month: u32,
        minutes: u64,
    },
    Delete {
        pick: usize,
    },
    Undo,
    Rate {
        pick: usize,
        rating: u8,
    },
    Correct {
        pick: usize,
        minutes: u64,
    },
    Category {
        advisor: usize,
        category: u8,
    },
    Reopen,
}

const ADVISORS: [&str; 4] = ["A001", "A002", "A003", "A004"];
const TOPICS: [&str; 3] = ["labor", "contracts", "planning"];

fn row() -> impl Strategy<Value = (usize, u32, u32, u64, Option<u8>)> {
    (
        0usize..4,
        1u32..=6,
        1u32..=28,
        1u64..=240,
        proptest::option::of(0u8..5),
    )
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => proptest::collection::vec(row(), 1..6).prop_map(Op::Log),
        2 => (any::<usize>(), 0usize..4, 1u32..=6, 1u64..=240)
            .prop_map(|(pick, advisor, month, minutes)| Op::Edit { pick, advisor, month, minutes }),
        2 => any::<usize>().prop_map(|pick| Op::Delete { pick }),
        1 => Just(Op::Undo),
        1 => (any::<usize>(), 0u8..4).prop_map(|(pick, rating)| Op::Rate { pick, rating }),
        1 => (any::<usize>(), 1u64..=240).prop_map(|(pick, minutes)| Op::Correct { pick, minutes }),
        1 => (0usize..4, 0u8..4).prop_map(|(advisor, category)| Op::Category { advisor, category }),
        1 => Just(Op::Reopen),
    ]
}

fn stamp() -> Stamp {
    Stamp {
        at: chrono::DateTime::parse_from_rfc3339("2024-07-30T09:00:00+08:00").unwrap(),
        who: "aggregates".into(),
    }
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The periods every step is checked over: each month, both quarters, the half year, the year
/// and a range of whole months that ends on a day with no entry after it.
fn periods() -> Vec<Period> {
    let mut out: Vec<Period> = (1..=6)
        .map(|m| Period::parse(&format!("2024-{m:02}")).unwrap())
        .collect();
    for code in ["2024-Q1", "2024-Q2", "2024", "2024-02-01..2024-05-31"] {
        out.push(Period::parse(code).unwrap());
    }
    out.push(Period::all(
        Some((d("2024-01-01"), d("2024-06-28"))),
        d("2024-07-30"),
    ));
    out
}

/// Every grouping of `period`, from the aggregates and from the entries.
fn both_ways(store: &Store, period: Period) -> (Option<Vec<Tally>>, Vec<Tally>) {
    let advisors = store.advisors().unwrap();
    let topics = store.catalog(CatalogKind::Topic).unwrap();
    let services = store.catalog(CatalogKind::Service).unwrap();
    let labels = Labels {
        advisors: &advisors,
        topics: &topics,
        services: &services,
        lang: Lang::En,
    };
    let by = [
        GroupBy::Advisor,
        GroupBy::Category,
        GroupBy::Topic,
        GroupBy::Service,
        GroupBy::Department,
        GroupBy::Month,
    ];
    let counted = store.counts(period).unwrap().map(|counts| {
        let mut t = Tallier::new(period, &labels, &by);
        t.add_counts(&counts);
        t.finish()
    });
    let mut scan = Tallier::new(period, &labels, &by);
    store.for_each_fact(period, |f| scan.add(f)).unwrap();
    (counted, scan.finish())
}

/// A month, an advisor, and the minutes they logged in it.
type Logged = (NaiveDate, String, u64);

/// Each advisor's minutes in each month from February to May (the Team screen's sparklines;
/// entries fall from January to June), from the aggregates and from the entries.
fn months_both_ways(store: &Store) -> (Vec<Logged>, Vec<Logged>) {
    let (from, to) = (d("2024-02-01"), d("2024-05-31"));
    let counted = store
        .advisor_months(from, to)
        .unwrap()
        .expect("the aggregates serve the months")
        .into_iter()
        .map(|m| (m.month, m.advisor, m.minutes.0))
        .filter(|(_, _, minutes)| *minutes > 0)
        .collect();
    let mut scanned = std::collections::BTreeMap::new();
    let months = Period::parse("2024-02-01..2024-05-31").unwrap();
    store
        .for_each_fact(months, |f| {
            let month = f.date.with_day(1).unwrap();
            *scanned.entry((month, f.advisor.clone())).or_insert(0) += f.minutes.0;
        })
        .unwrap();
    let scanned = scanned
        .into_iter()
        .map(|((month, advisor), minutes)| (month, advisor, minutes))
        .collect();
    (counted, scanned)
}

fn entries(store: &Store) -> Vec<EntryId> {
    let mut ids: Vec<EntryId> = store.all_entries().unwrap().iter().map(|e| e.id).collect();
    ids.sort();
    ids
}

fn log(store: &Store, rows: &[(usize, u32, u32, u64, Option<u8>)]) {
    let inputs: Vec<(u64, EntryInput)> = rows
        .iter()
        .enumerate()
        .map(|(n, &(advisor, month, day, minutes, key))| {
            // An item's fields follow from its key, so rows of one key always agree.
            let topic = TOPICS[key.map_or(n, usize::from) % TOPICS.len()];
            (
                n as u64 + 2,
                EntryInput {
                    date: format!("2024-{month:02}-{day:02}"),
                    advisor: ADVISORS[advisor].into(),
                    hours: format!("{minutes}m"),
                    item: key.map(|k| format!("K{k}")).unwrap_or_default(),
                    title: "事项".into(),
                    topic: topic.into(),
                    service: "opinion".into(),
                    department: format!("部门{}", key.unwrap_or(9) % 3),
                    satisfaction: if key == Some(0) {
                        "满意".into()
                    } else {
                        String::new()
                    },
                    ..Default::default()
                },
            )
        })
        .collect();
    // Rows refused (a rating that disagrees with the item's, a day over 24 hours) change
    // nothing, which the comparison after the step checks too.
    let Ok(plan) = plan_entries(&inputs, &store.view().unwrap(), d("2024-07-30"), false) else {
        return;
    };
    store
        .apply_entries(plan, AuditAction::ImportEntries, "aggregates", &stamp())
        .unwrap();
}

fn apply(store: &Store, op: &Op) {
    let ids = entries(store);
    let pick = |n: usize| ids[n % ids.len()];
    match op {
        Op::Log(rows) => log(store, rows),
        Op::Edit {
            pick: n,
            advisor,
            month,
            minutes,
        } if !ids.is_empty() => {
            let entry = store.entry(pick(*n)).unwrap().unwrap();
            let item = store.item(entry.item).unwrap().unwrap();
            let change = EntryChange {
                date: NaiveDate::from_ymd_opt(2024, *month, 10).unwrap(),
                advisor: ADVISORS[*advisor].into(),
                minutes: Minutes(*minutes),
                note: "edited".into(),
                fields: ItemFields::of(&item),
            };
            // Refused edits (a day over 24 hours) change nothing, which is checked too.
            let _ = store.update_entry(entry.id, &change, &stamp());
        }
        Op::Delete { pick: n } if !ids.is_empty() => {
            store.delete_entry(pick(*n), &stamp()).unwrap();
        }
        Op::Undo => {
            let scope = UndoScope {
                after: 0,
                actions: UndoScope::ENTRIES,
            };
            store.undo_last(&stamp(), &scope).unwrap();
        }
        Op::Rate { pick: n, rating } if !ids.is_empty() => {
            let entry = store.entry(pick(*n)).unwrap().unwrap();
            let item = store.item(entry.item).unwrap().unwrap();
            let mut state = ItemState::of(&item);
            state.satisfaction = [
                None,
                Some(Satisfaction::Satisfied),
                Some(Satisfaction::Basic),
                Some(Satisfaction::Unsatisfied),
            ][usize::from(*rating)];
            let _ = store.update_item(item.id, &state, &stamp());
        }
        Op::Correct { pick: n, minutes } if !ids.is_empty() => {
            let request = CorrectionRequest {
                minutes: Minutes(*minutes),
                date: None,
                reason: "timesheet".into(),
            };
            let _ = store.correct(pick(*n), &request, &stamp());
        }
        Op::Category { advisor, category } => {
            let change = AdvisorChange {
                category: Some(
                    [
                        Category::Staff,
                        Category::PublicLawyer,
                        Category::External,
                        Category::Expert,
                    ][usize::from(*category)],
                ),
                ..AdvisorChange::default()
            };
            let _ = store.update_advisor(ADVISORS[*advisor], &change, &stamp());
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_aggregates_give_the_figures_a_recount_gives(ops in proptest::collection::vec(op(), 1..20)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let mut store = Store::open(&path).unwrap();
        let advisors = plan_advisors(
            "id,name,category,unit\nA001,甲,staff,\nA002,乙,expert,\nA003,丙,external,\nA004,丁,public-lawyer,\n",
            &Default::default(),
        )
        .unwrap();
        store.apply_advisors(&advisors, "aggregates", &stamp()).unwrap();
        for op in &ops {
            if let Op::Reopen = op {
                drop(store);
                store = common::open_store(&path);
            } else {
                apply(&store, op);
            }
            for period in periods() {
                let (counted, scanned) = both_ways(&store, period);
                let counted = counted.expect("the aggregates serve every period of whole months");
                prop_assert_eq!(counted, scanned, "{:?} after {:?}", period, op);
            }
            let (counted, scanned) = months_both_ways(&store);
            prop_assert_eq!(counted, scanned, "each advisor's months after {:?}", op);
        }
        let v = store.verify().unwrap();
        prop_assert!(v.ok(), "{:?}", v.problems);
    }
}

#[test]
fn a_period_cut_inside_a_month_is_counted_from_the_entries() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("store")).unwrap();
    let advisors = plan_advisors(
        "id,name,category,unit\nA001,甲,staff,\n",
        &Default::default(),
    );
    store
        .apply_advisors(&advisors.unwrap(), "aggregates", &stamp())
        .unwrap();
    log(&store, &[(0, 3, 5, 60, None), (0, 3, 20, 30, None)]);
    let cut = Period::parse("2024-03-01..2024-03-10").unwrap();
    let (counted, scanned) = both_ways(&store, cut);
    assert!(counted.is_none(), "the aggregates hold whole months only");
    assert_eq!(scanned[0].total.minutes, Minutes(60));
    // A range that only leaves out days with no entry is served by them, and agrees.
    let (counted, scanned) = both_ways(&store, Period::parse("2024-03-01..2024-03-25").unwrap());
    assert_eq!(counted.unwrap(), scanned);
    assert_eq!(scanned[0].total.minutes, Minutes(90));
}

#[test]
fn verify_recounts_the_aggregates_and_names_a_record_taken_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    {
        let store = Store::open(&path).unwrap();
        let advisors = plan_advisors(
            "id,name,category,unit\nA001,甲,staff,\n",
            &Default::default(),
        );
        store
            .apply_advisors(&advisors.unwrap(), "aggregates", &stamp())
            .unwrap();
        log(&store, &[(0, 3, 5, 60, Some(1)), (0, 5, 20, 30, Some(1))]);
        assert!(store.verify().unwrap().ok());
    }
    // A span record taken out with sled: it needs no check to be missing.
    {
        // sled's flusher may hold the files a moment after the store closed.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let db = loop {
            match counsel_log::store::open_sled(&path) {
                Ok(db) => break db,
                Err(_) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(e) => panic!("{e}"),
            }
        };
        let tallies = RawTree::open(&db, "tallies").unwrap();
        let (key, _) = tallies.scan_prefix(b"s").next().unwrap().unwrap();
        tallies.remove(key).unwrap();
        db.flush().unwrap();
        drop(db);
    }
    let store = common::open_store(&path);
    let v = store.verify().unwrap();
    assert!(
        v.problems.iter().any(|p| matches!(
            p,
            counsel_log::store::VerifyProblem::Record(
                counsel_log::store::RecordProblem::TalliesDiffer { records: 1 }
            )
        )),
        "{:?}",
        v.problems
    );
}

#[test]
fn a_schema_3_store_counts_its_aggregates_once_and_reports_from_them() {
    let env = common::Env::new();
    common::copy_fixture("store-schema-3", &env.store);
    let first = env.run(&[
        "report", "--period", "2024", "--by", "category", "--format", "json",
    ]);
    let said = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{said}");
    assert!(
        said.contains("from schema 3 to 8 (each period's totals counted from the entries, the large trees packed into blocks)"),
        "{said}"
    );
    // The figures of the previous layout, A003 counted as the special legal expert it became.
    let rows = common::json(&String::from_utf8_lossy(&first.stdout));
    let by_category: Vec<(String, u64)> = rows["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["items"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_category,
        [
            ("staff".to_string(), 85),
            ("public-lawyer".to_string(), 48),
            ("external".to_string(), 43),
            ("expert".to_string(), 34)
        ]
    );
    let s = common::json(&env.ok(&["summary", "--period", "2024", "--format", "json"]));
    assert_eq!(
        (
            s["items"].as_u64(),
            s["minutes"].as_u64(),
            s["unsatisfied"].as_u64()
        ),
        (Some(173), Some(26_178), Some(1))
    );
    // Served by the aggregates, in step with the entries, and migrated only once.
    let store = common::open_store(&env.store);
    let year = Period::parse("2024").unwrap();
    let (counted, scanned) = both_ways(&store, year);
    assert_eq!(counted.expect("served by the aggregates"), scanned);
    assert!(store.verify().unwrap().ok());
    common::release(store, &env.store);
    let again = env.run(&["summary", "--period", "2024"]);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
}
