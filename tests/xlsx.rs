//! `report --format xlsx`: the workbook the real binary writes, read back with a spreadsheet
//! reader and compared with a count of the demo CSV made by hand.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Env, Hand};

const GROUPINGS: [(&str, &str); 6] = [
    ("按顾问", "advisor"),
    ("按类别", "category"),
    ("按领域", "topic"),
    ("按方式", "service"),
    ("按部门", "department"),
    ("按月份", "month"),
];

/// A cell as a number (figures are written as numbers, not text).
/// A count as the float a spreadsheet holds it: exact, for counts that fit in a u32.
fn exact(n: impl TryInto<u32>) -> f64 {
    f64::from(n.try_into().ok().expect("a count that fits in u32"))
}

fn number(range: &calamine::Range<Data>, row: usize, col: usize) -> f64 {
    match range.get((row, col)) {
        Some(Data::Float(n)) => *n,
        other => panic!("cell ({row}, {col}) is not a number: {other:?}"),
    }
}

#[test]
fn the_workbook_holds_the_report_every_grouping_and_the_entries() {
    let env = Env::new();
    env.import_demo();
    let said = env.ok_in("zh", &["report", "--period", "2024", "--out", "2024.xlsx"]);
    assert!(said.contains("2024.xlsx"), "{said}");
    let hand = Hand::demo();
    let total = hand.total("2024");

    let mut book: Xlsx<_> = open_workbook(env.path("2024.xlsx")).expect("a real workbook");
    let names: Vec<String> = book.sheet_names();
    let mut expected = vec!["报告".to_string()];
    expected.extend(GROUPINGS.iter().map(|(s, _)| s.to_string()));
    expected.push("记录".into());
    assert_eq!(names, expected);

    let report = book.worksheet_range("报告").unwrap();
    let paragraph = env.ok_in("zh", &["summary", "--period", "2024"]);
    assert_eq!(
        report.get((1, 0)),
        Some(&Data::String(paragraph.trim().to_string()))
    );
    assert_eq!(number(&report, 3, 1), exact(total.items.len()));
    assert_eq!(number(&report, 5, 1), exact(total.minutes));

    // Every grouping: a row per group with the hand count's items and minutes, then the total.
    for (sheet, by) in GROUPINGS {
        let range = book.worksheet_range(sheet).unwrap();
        let counts = hand.by("2024", by);
        let last = range.height() - 1;
        for row in 1..last {
            let Some(Data::String(key)) = range.get((row, 0)) else {
                panic!("{sheet} row {row} has no key");
            };
            // Groups with nothing in the year (an advisor who logged nothing) show zeros.
            let c = counts.get(key).cloned().unwrap_or_default();
            assert_eq!(
                number(&range, row, 2),
                exact(c.items.len()),
                "{sheet} {key}"
            );
            assert_eq!(number(&range, row, 3), exact(c.minutes), "{sheet} {key}");
        }
        assert_eq!(number(&range, last, 2), exact(total.items.len()), "{sheet}");
        assert_eq!(number(&range, last, 3), exact(total.minutes), "{sheet}");
    }

    let entries = book.worksheet_range("记录").unwrap();
    assert_eq!(entries.height() - 1, hand.in_year("2024").count());
    let minutes: f64 = (1..entries.height()).map(|r| number(&entries, r, 8)).sum();
    assert_eq!(minutes, exact(total.minutes));
}

#[test]
fn a_workbook_is_not_printed_to_the_terminal() {
    let env = Env::new();
    env.import_demo();
    let out = env.run(&["report", "--period", "2024", "--format", "xlsx"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--out"), "{err}");
}

#[test]
fn an_old_spreadsheet_extension_is_refused_with_the_fix() {
    let env = Env::new();
    env.import_demo();
    let out = env.run(&["report", "--period", "2024", "--out", "2024.xls"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("use .xlsx"), "{err}");
    assert!(!env.path("2024.xls").exists());
}

#[test]
fn an_english_workbook_heads_its_grouping_columns_as_its_other_columns() {
    let env = Env::new();
    env.import_demo();
    env.ok_in(
        "en",
        &["report", "--period", "2024", "--out", "2024-en.xlsx"],
    );
    let mut book: Xlsx<_> = open_workbook(env.path("2024-en.xlsx")).expect("a real workbook");
    let groupings: Vec<String> = book
        .sheet_names()
        .into_iter()
        .filter(|s| s.starts_with("By "))
        .collect();
    assert_eq!(groupings.len(), GROUPINGS.len(), "{groupings:?}");
    for sheet in groupings {
        let by = sheet.trim_start_matches("By ");
        let range = book.worksheet_range(&sheet).unwrap();
        let heading = range.get((0, 1)).unwrap().to_string();
        assert!(
            heading.eq_ignore_ascii_case(by) && heading.starts_with(char::is_uppercase),
            "{sheet}: {heading}"
        );
    }
}
