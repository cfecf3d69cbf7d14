//! The spreadsheet export, read back with a spreadsheet reader.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use counsel_log::cli::{summary_of, xlsx};
use counsel_log::domain::import::{decode, plan_advisors, plan_entries, read_entries};
use counsel_log::domain::{Lang, Period};
use counsel_log::store::{Stamp, Store};

/// The demo ledger of 2024, in a temporary store.
fn ledger(dir: &std::path::Path) -> Store {
    let store = Store::open(&dir.join("store")).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2024-12-31T10:00:00+08:00").unwrap();
    let stamp = Stamp::new(now, "test");
    let advisors = plan_advisors(
        include_str!("../assets/demo/advisors.csv"),
        &store.advisors().unwrap(),
    )
    .unwrap();
    store.apply_advisors(&advisors, "demo", &stamp).unwrap();
    let text = decode(include_bytes!("../assets/demo/entries-2024.csv")).unwrap();
    let rows = read_entries(&text).unwrap();
    let plan = plan_entries(&rows, &store.view().unwrap(), now.date_naive(), true).unwrap();
    store
        .apply_entries(&plan, "import.entries", "demo", &stamp)
        .unwrap();
    store
}

#[test]
fn the_workbook_has_the_report_a_sheet_per_grouping_and_the_entries() {
    let dir = tempfile::tempdir().unwrap();
    let store = ledger(dir.path());
    let period = Period::year(2024).unwrap();
    let summary = summary_of(&store, period, Lang::Zh).unwrap();
    let bytes = xlsx::workbook(&store, period, &summary, Lang::Zh).unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "报告",
            "按顾问",
            "按类别",
            "按领域",
            "按方式",
            "按部门",
            "按月份",
            "记录"
        ]
    );
    let report = book.worksheet_range("报告").unwrap();
    assert_eq!(
        report.get_value((1, 0)),
        Some(&Data::String(summary.to_string()))
    );
    assert_eq!(report.get_value((3, 1)), Some(&Data::Float(171.0)));
    assert_eq!(report.get_value((4, 1)), Some(&Data::Float(432.3)));

    let topics = book.worksheet_range("按领域").unwrap();
    let last = topics.height() - 1;
    let total: Vec<&Data> = (0..5).map(|c| topics.get((last, c)).unwrap()).collect();
    assert_eq!(total[1], &Data::String("合计".into()));
    assert_eq!(total[2], &Data::Float(171.0));
    assert_eq!(total[3], &Data::Float(25938.0));
    // Every grouping's minutes add up to the total.
    for sheet in ["按顾问", "按类别", "按领域", "按方式", "按部门", "按月份"] {
        let range = book.worksheet_range(sheet).unwrap();
        let minutes: f64 = (1..range.height() - 1)
            .map(|r| match range.get((r, 3)) {
                Some(Data::Float(m)) => *m,
                other => panic!("{sheet} row {r}: {other:?}"),
            })
            .sum();
        assert_eq!(minutes, 25938.0, "{sheet}");
    }
    let entries = book.worksheet_range("记录").unwrap();
    assert_eq!(
        entries.height() - 1,
        281,
        "one row per entry, under a header"
    );
}
