//! Tables add up or say why (issue 12, item 1): each row's hours rounded on its own leave a
//! table a tenth off its total, which every table then notes; `--apportion` (or `apportion =
//! true` in the configuration) shares the total out so that the rows add up exactly. Through the
//! real binary on the demo ledger.

#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use common::Env;

const NOTE_ZH: &str = "因四舍五入，分项之和与合计可能略有差异。";
const NOTE_EN: &str = "Figures are rounded; rows may not add up to the total.";

/// The tenths of an hour in the hours column (the third cell) of a Markdown table's rows, and
/// of its total row.
fn md_hours(md: &str) -> (Vec<u64>, u64) {
    let tenths = |line: &str| {
        let cell = line.split('|').nth(3).unwrap().trim();
        cell.replace('.', "").parse::<u64>().unwrap()
    };
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).skip(1).collect();
    let (total, rows) = rows.split_last().unwrap();
    (rows.iter().map(|l| tenths(l)).collect(), tenths(total))
}

fn md_report(env: &Env, lang: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "report", "--period", "2024", "--by", "category", "--format", "md",
    ];
    args.extend(extra);
    env.ok_in(lang, &args)
}

#[test]
fn the_category_table_adds_up_or_carries_the_note() {
    let env = Env::new();
    env.import_demo();
    let md = md_report(&env, "zh", &[]);
    let (rows, total) = md_hours(&md);
    assert_eq!(total, 4323, "{md}");
    // The demo's categories, each rounded alone, make 432.4 against 432.3.
    assert_ne!(rows.iter().sum::<u64>(), total, "{md}");
    assert!(md.contains(&format!("\n\n{NOTE_ZH}\n")), "{md}");
    let md = md_report(&env, "en", &[]);
    assert!(md.contains(NOTE_EN), "{md}");
    let table = env.ok(&["report", "--period", "2024", "--by", "category"]);
    assert!(table.contains(NOTE_EN), "{table}");
}

#[test]
fn apportioned_rows_add_up_exactly_and_carry_no_note() {
    let env = Env::new();
    env.import_demo();
    let md = md_report(&env, "zh", &["--apportion"]);
    let (rows, total) = md_hours(&md);
    assert_eq!(rows.iter().sum::<u64>(), total, "{md}");
    assert_eq!(total, 4323, "{md}");
    assert!(!md.contains(NOTE_ZH), "{md}");
    // Each row stays within a tenth of its own figure; minutes are never apportioned.
    let json = common::json(&env.ok(&[
        "report",
        "--period",
        "2024",
        "--by",
        "category",
        "--format",
        "json",
        "--apportion",
    ]));
    let rows = json["rows"].as_array().unwrap();
    let mut minutes = 0;
    for row in rows {
        let exact = row["minutes"].as_u64().unwrap();
        minutes += exact;
        let shown = row["hours_apportioned"].as_f64().unwrap();
        assert!((shown * 60.0 - f64::from(u32::try_from(exact).unwrap())).abs() < 6.0);
        // `hours` is each row's own, as before.
        assert_eq!(
            common::hours_text(exact),
            format!("{:.1}", row["hours"].as_f64().unwrap())
        );
    }
    assert_eq!(json["total"]["minutes"].as_u64().unwrap(), minutes);
}

#[test]
fn the_configuration_can_ask_for_apportioned_tables() {
    let env = Env::new();
    env.import_demo();
    let config = env.write("apportion.toml", "apportion = true\n");
    let out = env
        .cmd_in("zh")
        .args(["--config", config.to_str().unwrap()])
        .args([
            "report", "--period", "2024", "--by", "category", "--format", "md",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    let (rows, total) = md_hours(&md);
    assert_eq!(rows.iter().sum::<u64>(), total, "{md}");
    assert!(!md.contains(NOTE_ZH), "{md}");
}

#[test]
fn csv_and_json_keep_their_columns_and_csv_notes_the_total_row() {
    let env = Env::new();
    env.import_demo();
    let args = ["report", "--period", "2024", "--by", "category", "--format"];
    let csv = env.ok_in("zh", &[&args[..], &["csv"]].concat());
    let rows = common::csv_rows(&csv);
    let (total, rows) = rows.split_last().unwrap();
    assert_eq!(total["key"], "total");
    assert_eq!(total["note"], NOTE_ZH);
    assert!(rows.iter().all(|r| r["note"].is_empty()));
    let csv = env.ok_in("zh", &[&args[..], &["csv", "--apportion"]].concat());
    let rows = common::csv_rows(&csv);
    let (total, rows) = rows.split_last().unwrap();
    assert_eq!(total["note"], "");
    let tenths: u64 = rows
        .iter()
        .map(|r| r["hours"].replace('.', "").parse::<u64>().unwrap())
        .sum();
    assert_eq!(tenths, 4323);
    // JSON is unchanged without --apportion: no new field.
    let json = common::json(&env.ok(&[&args[..], &["json"]].concat()));
    assert!(json["rows"][0].get("hours_apportioned").is_none());
}

#[test]
fn a_table_that_adds_up_carries_no_note() {
    let env = Env::new();
    env.import_demo();
    // A month by month: its one row is its own total.
    let table = env.ok(&["report", "--period", "2024-03", "--by", "month"]);
    assert!(!table.contains(NOTE_EN), "{table}");
}

/// The category sheet of the 2024 workbook: each row's hours in tenths, the total's, and what
/// stands beside the total.
fn workbook_categories(env: &Env, extra: &[&str]) -> (Vec<u64>, u64, Option<String>) {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let path = env.path("2024.xlsx");
    let _ = std::fs::remove_file(&path);
    let args = [
        "report",
        "--period",
        "2024",
        "--out",
        path.to_str().unwrap(),
    ];
    env.ok_in("zh", &[&args[..], extra].concat());
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("按类别").unwrap();
    let tenths = |row: usize| match sheet.get((row, 4)) {
        // Hours are written as one-decimal numbers; ten of them make a whole number of tenths.
        Some(Data::Float(h)) => format!("{h:.1}").replace('.', "").parse::<u64>().unwrap(),
        other => panic!("row {row}: {other:?}"),
    };
    let last = sheet.height() - 1;
    let note = match sheet.get((last, 10)) {
        Some(Data::String(s)) => Some(s.clone()),
        _ => None,
    };
    ((1..last).map(tenths).collect(), tenths(last), note)
}

#[test]
fn the_workbook_notes_the_total_row_or_adds_up() {
    let env = Env::new();
    env.import_demo();
    let (rows, total, note) = workbook_categories(&env, &[]);
    assert_ne!(rows.iter().sum::<u64>(), total);
    assert_eq!(note.as_deref(), Some(NOTE_ZH));
    let (rows, total, note) = workbook_categories(&env, &["--apportion"]);
    assert_eq!(rows.iter().sum::<u64>(), total);
    assert_eq!(note, None);
}
