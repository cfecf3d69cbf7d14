//! SPEC §5 through the real binary: every bad input that reaches the command line gets a
//! non-zero exit, a message naming the problem (with the offending value) and what to do, no
//! panic text, and leaves the store exactly as it was (same export, same audit trail).

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

mod common;

use common::{Env, PANIC_TEXT};
use counsel_log::store::RawTree;

const HEADER: &str = "date,advisor,hours,item,title,topic,service,department,satisfaction,note";

/// A small ledger: two advisors and one entry, so "unchanged" has something to compare.
fn ledger() -> Env {
    let env = Env::new();
    let advisors = env.write(
        "advisors.csv",
        "id,name,category,unit\nA001,张三,staff,管委会办公室\nA002,李四,公职律师,司法局\n",
    );
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    env.ok(&log_args("1.5", "2024-03-05", "已有事项"));
    env
}

/// A complete `log` command for A001 with the given hours, date and title.
fn log_args<'a>(hours: &'a str, date: &'a str, title: &'a str) -> Vec<&'a str> {
    vec![
        "log",
        "--advisor",
        "A001",
        "--hours",
        hours,
        "--topic",
        "信息公开",
        "--service",
        "opinion",
        "--department",
        "市场监管局",
        "--title",
        title,
        "--date",
        date,
    ]
}

/// Replaces the value of a flag in a command line.
fn with<'a>(mut args: Vec<&'a str>, flag: &str, value: &'a str) -> Vec<&'a str> {
    let i = args
        .iter()
        .position(|a| *a == flag)
        .unwrap_or_else(|| panic!("no {flag}"));
    args[i + 1] = value;
    args
}

/// Runs a command that must be refused: non-zero exit, every phrase in stderr, no panic text,
/// nothing on stdout, and the store unchanged (export and audit trail). Returns stderr.
fn refused(env: &Env, args: &[&str], phrases: &[&str]) -> String {
    refused_in(env, "en", args, phrases)
}

/// [`refused`], with the command run in the given language.
fn refused_in(env: &Env, lang: &str, args: &[&str], phrases: &[&str]) -> String {
    let export = env.export_json();
    let audit = env.audit_len();
    let out = env.run_in(lang, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let shown: Vec<String> = args
        .iter()
        .map(|a| {
            if a.chars().count() > 60 {
                format!("<{} chars>", a.chars().count())
            } else {
                a.to_string()
            }
        })
        .collect();
    assert!(
        !out.status.success(),
        "{shown:?} was accepted:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    for p in phrases {
        assert!(
            stderr.contains(p),
            "{shown:?}: {p:?} missing from:\n{stderr}"
        );
    }
    for p in PANIC_TEXT {
        assert!(!stderr.contains(p), "{shown:?}: panic text:\n{stderr}");
    }
    assert!(
        out.stdout.is_empty(),
        "{shown:?} printed to stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(env.export_json(), export, "{shown:?} changed the ledger");
    assert_eq!(env.audit_len(), audit, "{shown:?} added an audit record");
    stderr
}

/// A CSV file of entries (header plus the given rows) imported into the ledger must be refused.
fn refused_entries(env: &Env, name: &str, rows: &[&str], phrases: &[&str]) -> String {
    let text = format!("{HEADER}\n{}\n", rows.join("\n"));
    let file = env.write(name, text);
    let stderr = refused(env, &["import", "entries", file.to_str().unwrap()], phrases);
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    stderr
}

fn one_line(stderr: &str) {
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "not a one-line message:\n{stderr}"
    );
}

const FORMS: &str = "write it as 1.5, 1.5h, 1:30, 90m or 1h30m";

#[test]
fn hours_that_are_not_a_positive_duration() {
    let env = ledger();
    for (hours, problem, what_to_do) in [
        ("0", "hours must be more than zero", FORMS),
        ("-1", "hours cannot be negative", FORMS),
        ("abc", "\"abc\" is not a duration", FORMS),
        ("nan", "\"nan\" is not a duration", FORMS),
        ("inf", "\"inf\" is not a duration", FORMS),
        ("1e1", "\"1e1\" is not a duration", FORMS),
        ("1,5", "\"1,5\" is not a duration", FORMS),
        (
            "25",
            "\"25\" is more than 24 hours",
            "split it over the days",
        ),
        (
            "2147483648m",
            "\"2147483648m\" is more than 24 hours",
            "split it over the days",
        ),
        (
            "99999999999999999999h",
            "\"99999999999999999999h\" is more than 24 hours",
            "split it over the days",
        ),
    ] {
        let args = log_args(hours, "2024-03-06", "新事项");
        let stderr = refused(&env, &args, &[problem, what_to_do]);
        one_line(&stderr);
    }
}

#[test]
fn hours_in_a_csv_file_are_checked_on_every_line() {
    let env = ledger();
    let bad = ["0", "-1", "abc", "nan", "inf", "1e1", "\"1,5\""];
    let rows: Vec<String> = bad
        .iter()
        .enumerate()
        .map(|(i, h)| {
            format!(
                "2024-04-{:02},A002,{h},,标题{i},信息公开,opinion,司法局,,",
                i + 1
            )
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let stderr = refused_entries(
        &env,
        "hours.csv",
        &rows,
        &[
            "line 2: hours must be more than zero",
            "line 3: hours cannot be negative",
            "line 4: \"abc\" is not a duration",
            "line 5: \"nan\" is not a duration",
            "line 6: \"inf\" is not a duration",
            "line 7: \"1e1\" is not a duration",
            "line 8: \"1,5\" is not a duration",
            FORMS,
        ],
    );
    assert!(stderr.contains("7 rows have a problem"), "{stderr}");
}

#[test]
fn more_than_24_hours_for_one_advisor_on_one_day() {
    let env = ledger();
    // Two logs of 13 h on the same day: the first is fine, the second would make 26 h.
    env.ok(&log_args("13", "2024-05-06", "长事项"));
    let stderr = refused(
        &env,
        &log_args("13", "2024-05-06", "另一个事项"),
        &[
            "A001",
            "26.0 hours",
            "2024-05-06",
            "more than 24",
            "check the hours",
        ],
    );
    one_line(&stderr);
    // Another day is fine: the limit is per day.
    env.ok(&log_args("13", "2024-05-07", "另一个事项"));

    // Within one file, on separate items.
    refused_entries(
        &env,
        "day.csv",
        &[
            "2024-05-08,A002,13,,甲,信息公开,opinion,司法局,,",
            "2024-05-08,A002,13,,乙,行政复议,opinion,司法局,,",
        ],
        &[
            "line 3",
            "A002 would have 26.0 hours on 2024-05-08",
            "more than 24",
        ],
    );
    // And a file that tops up what the ledger already holds (A001 has 13 h on 2024-05-07).
    refused_entries(
        &env,
        "topup.csv",
        &["2024-05-07,A001,11:30,,丙,信息公开,opinion,司法局,,"],
        &[
            "line 2",
            "A001 would have 24.5 hours on 2024-05-07",
            "more than 24",
        ],
    );
}

/// One minute over the day is refused, but the message must not call it "24.0 hours".
#[test]
fn one_minute_over_the_day_is_not_shown_as_24_hours() {
    let env = ledger();
    env.ok(&log_args("13", "2024-05-07", "长事项"));
    let stderr = refused(
        &env,
        &log_args("11:01", "2024-05-07", "另一个事项"),
        &["A001", "2024-05-07", "more than 24"],
    );
    assert!(
        !stderr.contains("24.0 hours"),
        "a total shown as 24.0 hours cannot be \"more than 24\": {stderr}"
    );
    // A correction that makes the day a minute too long says so to the minute as well.
    let saved = env.ok(&log_args("11", "2024-05-07", "另一个事项"));
    let number = saved
        .split_once('#')
        .and_then(|(_, rest)| rest.split(':').next())
        .expect("the entry's number");
    let stderr = refused(
        &env,
        &["correct", number, "--hours", "11:01", "--reason", "longer"],
        &["A001 would have 24 h 1 min on 2024-05-07", "more than 24"],
    );
    assert!(!stderr.contains("24.0 hours"), "{stderr}");
}

#[test]
fn dates_that_are_malformed_impossible_future_or_too_old() {
    let env = ledger();
    for (date, phrases) in [
        (
            "2024-03-5x",
            vec!["\"2024-03-5x\" is not a date", "YYYY-MM-DD"],
        ),
        (
            "05/03/2024",
            vec!["\"05/03/2024\" is not a date", "YYYY-MM-DD"],
        ),
        (
            "2024-02-30",
            vec!["2024-02-30 does not exist", "check the day and month"],
        ),
        (
            "2099-01-01",
            vec!["2099-01-01 is in the future", "log work once it is done"],
        ),
        (
            "1999-12-31",
            vec!["1999-12-31 is before 2000", "check the year"],
        ),
    ] {
        let stderr = refused(&env, &log_args("1", date, "新事项"), &phrases);
        one_line(&stderr);
    }
    refused_entries(
        &env,
        "dates.csv",
        &[
            "2024-02-30,A001,1,,甲,信息公开,opinion,司法局,,",
            "2099-01-01,A001,1,,乙,信息公开,opinion,司法局,,",
            "1999-06-01,A001,1,,丙,信息公开,opinion,司法局,,",
        ],
        &[
            "line 2: 2024-02-30 does not exist",
            "line 3: 2099-01-01 is in the future",
            "line 4: 1999-06-01 is before 2000",
        ],
    );
}

#[test]
fn unknown_advisor_topic_service_and_category() {
    let env = ledger();
    let base = log_args("1", "2024-03-06", "新事项");
    let s = refused(
        &env,
        &with(base.clone(), "--advisor", "Z999"),
        &["unknown advisor \"Z999\"", "counsel-log advisor add"],
    );
    one_line(&s);
    // A name where the id goes: the message gives the id.
    let s = refused(
        &env,
        &with(base.clone(), "--advisor", "李四"),
        &["\"李四\" is the name of advisor A002, not an id: write A002"],
    );
    one_line(&s);
    let s = refused(
        &env,
        &with(base.clone(), "--topic", "天气预报"),
        &[
            "unknown topic \"天气预报\"",
            "use one of",
            "info-disclosure",
        ],
    );
    one_line(&s);
    let s = refused(
        &env,
        &with(base.clone(), "--service", "haircut"),
        &["unknown service \"haircut\"", "use one of", "opinion"],
    );
    one_line(&s);
    let s = refused(
        &env,
        &[&base[..], &["--satisfaction", "great"]].concat(),
        &["unknown satisfaction \"great\"", "satisfied"],
    );
    one_line(&s);
    let s = refused(
        &env,
        &[
            "advisor",
            "add",
            "--id",
            "A003",
            "--name",
            "王五",
            "--category",
            "intern",
        ],
        &[
            "unknown category \"intern\"",
            "staff",
            "public-lawyer",
            "external",
            "expert",
        ],
    );
    one_line(&s);

    refused_entries(
        &env,
        "unknown.csv",
        &[
            "2024-04-01,Z999,1,,甲,信息公开,opinion,司法局,,",
            "2024-04-02,A001,1,,乙,天气预报,opinion,司法局,,",
            "2024-04-03,A001,1,,丙,信息公开,haircut,司法局,,",
        ],
        &[
            "line 2: unknown advisor \"Z999\"",
            "line 3: unknown topic \"天气预报\"",
            "line 4: unknown service \"haircut\"",
        ],
    );
    let file = env.write(
        "category.csv",
        "id,name,category,unit\nA003,王五,intern,司法局\n",
    );
    refused(
        &env,
        &["import", "advisors", file.to_str().unwrap()],
        &["line 2: unknown category \"intern\"", "expert"],
    );
}

#[test]
fn conflicting_item_fields_in_a_csv_file() {
    let env = ledger();
    refused_entries(
        &env,
        "conflict.csv",
        &[
            "2024-04-01,A001,1,K-1,合同审查一,合同协议,contract-review,司法局,,",
            "2024-04-02,A002,1,K-1,合同审查二,合同协议,contract-review,司法局,,",
        ],
        &[
            "line 3",
            "item K-1 (line 2)",
            "\"合同审查一\"",
            "\"合同审查二\"",
            "make them the same",
        ],
    );
    // A row attaching to an item already in the ledger must agree with it too.
    let export = common::json(&env.export_json());
    let number = export["items"][0]["number"].as_str().unwrap().to_string();
    let row = format!("2024-04-03,A002,1,#{number},另一个标题,信息公开,opinion,市场监管局,,");
    refused_entries(
        &env,
        "conflict2.csv",
        &[&row],
        &["line 2", "in the ledger", "\"已有事项\"", "\"另一个标题\""],
    );
    // Two ratings for one item.
    refused_entries(
        &env,
        "rating.csv",
        &[
            "2024-04-04,A001,1,K-2,标题,合同协议,contract-review,司法局,满意,",
            "2024-04-05,A002,1,K-2,标题,合同协议,contract-review,司法局,不满意,",
        ],
        &["line 3", "item K-2", "make them the same"],
    );
}

#[test]
fn duplicate_advisor_ids() {
    let env = ledger();
    let s = refused(
        &env,
        &[
            "advisor",
            "add",
            "--id",
            "A001",
            "--name",
            "赵六",
            "--category",
            "staff",
        ],
        &["advisor id A001 is already in use", "choose another id"],
    );
    one_line(&s);

    let file = env.write(
        "dup.csv",
        "id,name,category,unit\nB001,王五,staff,司法局\nB002,赵六,expert,大学\nB001,钱七,external,律所\n",
    );
    refused(
        &env,
        &["import", "advisors", file.to_str().unwrap()],
        &[
            "line 4: advisor id B001 is already used on line 2",
            "give each advisor their own id",
            "nothing was imported",
        ],
    );
    // An id the store already gives to somebody else.
    let file = env.write(
        "taken.csv",
        "id,name,category,unit\nA002,钱七,external,律所\n",
    );
    refused(
        &env,
        &["import", "advisors", file.to_str().unwrap()],
        &["line 2", "A002 already belongs to 李四", "use another id"],
    );
}

#[test]
fn a_new_item_needs_a_title() {
    let env = ledger();
    let s = refused(
        &env,
        &log_args("1", "2024-03-06", ""),
        &["a new item needs a title", "fill in"],
    );
    one_line(&s);
    let s = refused(
        &env,
        &log_args("1", "2024-03-06", "   "),
        &["a new item needs a title", "fill in"],
    );
    one_line(&s);
    refused_entries(
        &env,
        "title.csv",
        &["2024-04-01,A001,1,,,信息公开,opinion,司法局,,"],
        &["line 2: a new item needs a title", "fill in"],
    );
}

#[test]
fn csv_files_with_missing_columns() {
    let env = ledger();
    let file = env.write(
        "cols.csv",
        "date,advisor,hours,title\n2024-04-01,A001,1,标题\n",
    );
    let s = refused(
        &env,
        &["import", "entries", file.to_str().unwrap()],
        &[
            "missing the columns item, topic, service, department:",
            HEADER,
        ],
    );
    one_line(&s);
    let file = env.write("acols.csv", "id,name\nB001,王五\n");
    refused(
        &env,
        &["import", "advisors", file.to_str().unwrap()],
        &[
            "missing the columns category, unit",
            "id,name,category,unit",
        ],
    );
}

#[test]
fn empty_csv_files_are_called_empty() {
    let env = ledger();
    for (kind, name, bytes, row) in [
        ("entries", "empty.csv", "", "entry"),
        ("entries", "blank.csv", "\n\n", "entry"),
        ("advisors", "empty-advisors.csv", "", "advisor"),
    ] {
        let file = env.write(name, bytes);
        let s = refused(
            &env,
            &["import", kind, file.to_str().unwrap()],
            &[
                &format!("the {kind} file is empty, without even a header"),
                &format!("with a row under it for each {row}"),
            ],
        );
        one_line(&s);
        assert!(!s.contains("missing the column"), "{s}");
    }
}

#[test]
fn csv_lines_with_too_many_or_too_few_fields() {
    let env = ledger();
    refused_entries(
        &env,
        "fields.csv",
        &[
            "2024-05-08,A001,1",
            "2024-05-09,A001,1,,关于A,B的意见,信息公开,opinion,市场监管局,满意,",
        ],
        &[
            "line 2: the line has 3 fields but the header names 10: check for missing commas",
            "line 3: the line has 11 fields but the header names 10: a comma inside a field",
        ],
    );
    // A short row does not hide the other rows' problems: every bad row is named.
    let s = refused_entries(
        &env,
        "mixed.csv",
        &[
            "2024-02-30,A001,1,,标题,信息公开,opinion,市场监管局,,",
            "2024-05-08,A001,1",
            "2024-05-09,A999,1,,标题,信息公开,opinion,市场监管局,,",
        ],
        &[
            "3 rows have a problem",
            "line 2:",
            "line 3: the line has 3 fields but the header names 10",
            "line 4:",
            "A999",
        ],
    );
    let (two, three, four) = (
        s.find("line 2:").unwrap(),
        s.find("line 3:").unwrap(),
        s.find("line 4:").unwrap(),
    );
    assert!(two < three && three < four, "rows in the file's order: {s}");
    // Blank columns at the end of a line may be left out.
    let file = env.write(
        "short.csv",
        format!("{HEADER}\n2024-05-10,A001,1,,标题,信息公开,opinion,市场监管局\n"),
    );
    let out = env.ok(&["import", "entries", file.to_str().unwrap()]);
    assert!(out.contains("Imported 1 entry"), "{out}");
}

#[test]
fn csv_files_in_a_wrong_encoding() {
    let env = ledger();
    let row = "2024-04-01,A001,1,,标题,信息公开,opinion,司法局,,";
    // UTF-16 with BOM, as "Unicode text" is saved.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in format!("{HEADER}\n{row}\n").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    // Bytes that are neither UTF-8 nor GB18030.
    let mut junk = format!("{HEADER}\n").into_bytes();
    junk.extend_from_slice(&[0xFF, 0xFF, 0x00, 0x81, 0x20, 0xFF, 0x0A]);
    // A UTF-8 BOM followed by invalid bytes.
    let mut broken = b"\xEF\xBB\xBF".to_vec();
    broken.extend_from_slice(format!("{HEADER}\n").as_bytes());
    broken.extend_from_slice(&[0xC3, 0x28, 0x0A]);
    for (name, bytes, phrase) in [
        ("utf16.csv", utf16, "UTF-16"),
        ("junk.csv", junk, "neither UTF-8 nor GB18030"),
        ("broken.csv", broken, "invalid bytes"),
    ] {
        let file = env.write(name, bytes);
        let s = refused(
            &env,
            &["import", "entries", file.to_str().unwrap()],
            &[phrase, "CSV UTF-8"],
        );
        one_line(&s);
    }
}

#[test]
fn fields_over_10000_characters() {
    let env = ledger();
    let long = "长".repeat(10_001);
    let s = refused(
        &env,
        &log_args("1", "2024-03-06", &long),
        &[
            "title is 10001 characters long",
            "limit is 10000",
            "shorten it",
        ],
    );
    one_line(&s);
    let note = "x".repeat(10_001);
    let mut args = log_args("1", "2024-03-06", "标题");
    args.extend(["--note", &note]);
    refused(
        &env,
        &args,
        &["note is 10001 characters long", "shorten it"],
    );

    let row = format!("2024-04-01,A001,1,,标题,信息公开,opinion,司法局,,{note}");
    refused_entries(
        &env,
        "long.csv",
        &[&row],
        &["line 2", "longer than 10000 characters", "shorten it"],
    );
    // Exactly at the limit is fine.
    let at_limit = "长".repeat(10_000);
    env.ok(&log_args("1", "2024-03-07", &at_limit));
}

#[test]
fn a_csv_with_several_bad_rows_lists_every_line() {
    let env = ledger();
    let stderr = refused_entries(
        &env,
        "several.csv",
        &[
            "2024-04-01,A001,abc,,甲,信息公开,opinion,司法局,,",
            "2024-04-02,A001,1,,乙,信息公开,opinion,司法局,,",
            "2024-02-30,A001,1,,丙,信息公开,opinion,司法局,,",
            "2024-04-03,A002,1,,丁,信息公开,opinion,司法局,,",
            "2024-04-04,Z999,1,,戊,信息公开,opinion,司法局,,",
            "2024-04-05,A001,1,,,信息公开,opinion,司法局,,",
        ],
        &[
            "line 2: \"abc\" is not a duration",
            "line 4: 2024-02-30 does not exist",
            "line 6: unknown advisor \"Z999\"",
            "line 7: a new item needs a title",
            "import the file again",
        ],
    );
    for good in ["line 3", "line 5"] {
        assert!(!stderr.contains(good), "a good row is reported: {stderr}");
    }
}

/// The count in the first line should be of rows, not of problems.
#[test]
fn the_bad_row_count_counts_rows() {
    let env = ledger();
    let stderr = refused_entries(
        &env,
        "count.csv",
        &[
            "2024-04-01,A001,abc,,甲,信息公开,opinion,司法局,,",
            "2024-02-30,A001,1,,乙,信息公开,opinion,司法局,,",
            "2024-04-03,Z999,1,,丙,天气预报,opinion,司法局,,",
        ],
        &["line 2", "line 3", "line 4"],
    );
    assert!(stderr.contains("3 rows have a problem"), "{stderr}");
}

#[test]
fn bad_periods() {
    let env = ledger();
    for (period, fix) in [
        (
            "2024-13",
            "has no such month: months run from 01 to 12, e.g. 2024-03",
        ),
        (
            "2024-Q5",
            "has no such quarter: quarters run from Q1 to Q4, e.g. 2024-Q1",
        ),
        (
            "24",
            "write 2024, 2024-03, 2024-Q1, 2024-01-01..2024-06-30 or all",
        ),
        ("2024-06-30..2024-01-01", "put the earlier date first"),
        ("2099", "has not begun (today is"),
    ] {
        for command in ["report", "summary"] {
            let s = refused(&env, &[command, "--period", period], &[period, fix]);
            one_line(&s);
        }
    }
    refused(
        &env,
        &["report", "--period", "1999"],
        &["1999 is before 2000"],
    );
}

#[test]
fn restore_of_a_file_that_is_not_an_export() {
    let env = ledger();
    // A real JSON file the tool writes, but not an export.
    let report = env.ok(&["report", "--period", "2024", "--format", "json"]);
    let file = env.write("report.json", report);
    for (name, path) in [
        ("report.json", file),
        ("empty.json", env.write("empty.json", "{}")),
        ("text.json", env.write("text.json", "not json at all")),
        (
            "other.json",
            env.write(
                "other.json",
                r#"{"format":"other-tool","version":1,"advisors":[],"topics":[],"services":[],"items":[],"entries":[]}"#,
            ),
        ),
    ] {
        let target = env.path(&format!("fresh-{name}"));
        // Into a fresh store (so "already holds records" cannot be the reason) …
        let out = env.run_on(&target, &["restore", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} was restored");
        assert!(stderr.contains(name), "{stderr}");
        assert!(stderr.contains("not a counsel-log"), "{stderr}");
        for p in PANIC_TEXT {
            assert!(!stderr.contains(p), "{stderr}");
        }
        assert!(!target.exists(), "{name}: the refused restore left a store behind");
        // … and into the ledger, which stays as it was.
        refused(&env, &["restore", path.to_str().unwrap()], &[name, "not a counsel-log"]);
    }
    let s = refused(
        &env,
        &["restore", env.path("report.json").to_str().unwrap()],
        &["counsel-log export --format json"],
    );
    one_line(&s);

    // A genuine export never overwrites a ledger that holds records.
    let export = env.path("ledger.json");
    env.ok(&["export", export.to_str().unwrap()]);
    refused(
        &env,
        &["restore", export.to_str().unwrap()],
        &["already holds records", "--db"],
    );
}

#[test]
fn a_store_from_a_newer_version_is_refused() {
    let env = ledger();
    {
        let db = counsel_log::store::open_sled(&env.store).expect("open with sled");
        RawTree::open(&db, "meta")
            .unwrap()
            .insert(b"schema", 99u64.to_be_bytes())
            .unwrap();
        db.flush().unwrap();
        common::release(db, &env.store);
    }
    let checksum = || {
        let db = counsel_log::store::open_sled(&env.store).unwrap();
        let sum = db.checksum().unwrap();
        common::release(db, &env.store);
        sum
    };
    let before = checksum();
    for args in [
        &["summary"][..],
        &["advisor", "list"][..],
        &log_args("1", "2024-03-06", "新事项")[..],
    ] {
        let out = env.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} opened a newer store");
        for p in [
            env.store.to_str().unwrap(),
            "newer counsel-log",
            "schema 99",
            "upgrade counsel-log",
        ] {
            assert!(stderr.contains(p), "{p:?} missing: {stderr}");
        }
        for p in PANIC_TEXT {
            assert!(!stderr.contains(p), "{stderr}");
        }
        one_line(&stderr);
    }
    assert_eq!(checksum(), before, "the newer store was changed");
}

#[test]
fn db_pointing_at_a_regular_file() {
    let env = Env::new();
    let file = env.write("not-a-store", "some notes\n");
    for args in [&["summary"][..], &["advisor", "list"][..]] {
        let out = env.run_on(&file, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(stderr.contains(file.to_str().unwrap()), "{stderr}");
        assert!(
            stderr.contains("is a file, not a store directory"),
            "{stderr}"
        );
        assert!(stderr.contains("check the path"), "{stderr}");
        for p in PANIC_TEXT {
            assert!(!stderr.contains(p), "{stderr}");
        }
        one_line(&stderr);
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "some notes\n");
}

/// Text that would make a record larger than the store writes is refused before anything is.
#[test]
fn a_row_whose_text_would_overflow_a_record() {
    let env = ledger();
    let long = "法".repeat(9_000);
    let row = format!("2024-04-01,A001,1,,{long},信息公开,opinion,{long},,{long}");
    refused_entries(
        &env,
        "huge.csv",
        &[&row],
        &["line 2", "KiB", "at most 48 KiB", "shorten"],
    );
    let stderr = refused(
        &env,
        &[
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
            &long,
            "--title",
            &long,
            "--note",
            &long,
            "--date",
            "2024-04-01",
        ],
        &["at most 48 KiB"],
    );
    assert!(stderr.lines().count() == 1, "{stderr}");
}

/// The rows of a file with three bad lines: an unknown advisor, zero hours, an unknown topic.
fn three_bad_rows(env: &Env) -> String {
    let rows = [
        "2024-03-06,A999,1,,新事项,信息公开,opinion,财政局,,",
        "2024-03-06,A001,0,,新事项,信息公开,opinion,财政局,,",
        "2024-03-06,A001,1,,新事项,税务,opinion,财政局,,",
    ];
    let file = env.write("bad.csv", format!("{HEADER}\n{}\n", rows.join("\n")));
    file.to_str().unwrap().to_string()
}

#[test]
fn a_chinese_import_explains_every_bad_line_in_chinese() {
    let env = ledger();
    let file = three_bad_rows(&env);
    let stderr = refused_in(
        &env,
        "zh",
        &["import", "entries", &file],
        &[
            "3 行有问题，未导入任何内容。请改正后重新导入：",
            "第 2 行：没有顾问“A999”：请先用 `counsel-log advisor add`",
            "第 3 行：时长须大于零：请写成 1.5、1.5h、1:30、90m 或 1h30m",
            "第 4 行：没有“税务”这一领域：请使用以下之一：",
            "信息公开（info-disclosure）、行政执法程序（enforcement）",
        ],
    );
    for english in ["line ", "nothing was imported", "unknown", "use one of"] {
        assert!(
            !stderr.contains(english),
            "English {english:?} in:\n{stderr}"
        );
    }
}

#[test]
fn the_same_import_in_english_keeps_the_english_wording() {
    let env = ledger();
    let file = three_bad_rows(&env);
    refused_in(
        &env,
        "en",
        &["import", "entries", &file],
        &[
            "3 rows have a problem; nothing was imported. Fix them and import the file again:",
            "line 2: unknown advisor \"A999\": add them first with `counsel-log advisor add`",
            "line 3: hours must be more than zero: write it as 1.5",
            "line 4: unknown topic \"税务\": use one of info-disclosure, enforcement,",
        ],
    );
}

/// The number of the ledger's one item, as its entries' CSV names it.
fn the_item(env: &Env) -> String {
    let exported = env.ok(&["export", "--format", "csv", "-"]);
    exported
        .lines()
        .nth(1)
        .and_then(|l| l.split(',').nth(3))
        .expect("the ledger's one item")
        .to_string()
}

#[test]
fn a_logged_entry_that_contradicts_its_item_says_so_as_an_entry_not_a_row() {
    let env = ledger();
    let number = the_item(&env);
    let mut args = log_args("1", "2024-03-06", "另一个标题");
    args.extend(["--item", number.as_str()]);
    let zh = refused_in(
        &env,
        "zh",
        &args,
        &[&format!(
            "事项 {number} 的标题是“已有事项”，此处填的是“另一个标题”：请保持一致"
        )],
    );
    one_line(&zh);
    let en = refused(
        &env,
        &args,
        &[&format!(
            "item {number} in the ledger has title \"已有事项\" but this entry says \"另一个标题\": make them the same"
        )],
    );
    assert!(!en.contains("this row"), "{en}");
}

#[test]
fn a_contradicted_topic_is_named_by_its_name_in_either_language() {
    let env = ledger();
    let number = the_item(&env);
    let args = with(
        log_args("1", "2024-03-06", "已有事项"),
        "--topic",
        "contracts",
    );
    let mut args = with(args, "--service", "法律意见");
    args.extend(["--item", number.as_str()]);
    let zh = refused_in(
        &env,
        "zh",
        &args,
        &[&format!(
            "事项 {number} 的领域是“信息公开”，此处填的是“合同协议”：请保持一致"
        )],
    );
    let en = refused(
        &env,
        &args,
        &[&format!(
            "item {number} in the ledger has topic \"Information disclosure\" but this entry says \
                \"Contracts and agreements\""
        )],
    );
    for code in ["contracts", "info-disclosure"] {
        assert!(!zh.contains(code) && !en.contains(code), "{zh}\n{en}");
    }
}

#[test]
fn command_line_problems_are_explained_in_chinese() {
    let env = ledger();
    refused_in(
        &env,
        "zh",
        &with(log_args("1", "2024-03-06", "新事项"), "--hours", "0"),
        &["时长须大于零：请写成 1.5、1.5h、1:30、90m 或 1h30m"],
    );
    let no_advisor: Vec<&str> = log_args("1", "2024-03-06", "新事项")
        .into_iter()
        .filter(|a| *a != "--advisor" && *a != "A001")
        .collect();
    refused_in(
        &env,
        "zh",
        &no_advisor,
        &["哪位顾问？请用 --advisor A001 指定，或在配置文件中设置 `me`"],
    );
    refused_in(
        &env,
        "zh",
        &with(log_args("1", "2024-03-06", "新事项"), "--topic", "天气预报"),
        &["没有“天气预报”这一领域", "信息公开（info-disclosure）"],
    );
    refused_in(
        &env,
        "zh",
        &[
            "advisor",
            "add",
            "--id",
            "A001",
            "--name",
            "王五",
            "--category",
            "staff",
        ],
        &["顾问编号 A001 已被使用：请换一个编号"],
    );
}

#[test]
fn a_bad_configuration_is_explained_in_the_language_of_lang() {
    let env = ledger();
    let config = env.write("bad.toml", "increment_minutes = 0\n");
    let config = config.to_str().unwrap();
    let out = env
        .cmd_in("")
        .env("LANG", "zh_CN.UTF-8")
        .args(["--config", config, "summary"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(&format!(
            "配置文件 {config}：键 `increment_minutes` 的值是 0："
        )) && stderr.contains("1 到 60"),
        "{stderr}"
    );
    let out = env
        .cmd_in("en")
        .env("LANG", "zh_CN.UTF-8")
        .args(["--config", config, "summary"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("key `increment_minutes` is 0: expected a whole number of minutes"),
        "--lang en wins over LANG: {stderr}"
    );
}

#[test]
fn an_id_differing_only_in_letter_case_is_refused_and_a_miscased_id_finds_its_advisor() {
    let env = ledger();
    let s = refused(
        &env,
        &[
            "advisor",
            "add",
            "--id",
            "a001",
            "--name",
            "赵六",
            "--category",
            "staff",
        ],
        &[
            "advisor id a001 differs only in letter case from A001 (张三)",
            "write A001",
            "choose another id",
        ],
    );
    one_line(&s);
    refused_in(
        &env,
        "zh",
        &[
            "advisor",
            "add",
            "--id",
            "a001",
            "--name",
            "赵六",
            "--category",
            "staff",
        ],
        &[
            "顾问编号 a001 与台账中已有的 A001（张三）仅大小写不同",
            "请写 A001",
        ],
    );
    let file = env.write(
        "case.csv",
        "id,name,category,unit\nB001,王五,staff,司法局\na002,钱七,external,律所\nb001,赵六,expert,大学\n",
    );
    refused(
        &env,
        &["import", "advisors", file.to_str().unwrap()],
        &[
            "line 3: advisor id a002 differs only in letter case from A002 (李四)",
            "line 4: advisor id b001 differs only in letter case from B001 on line 2",
            "nothing was imported",
        ],
    );

    // `log --advisor a001` and an entries file saying a002 reach A001 and A002, stored so.
    let out = env.ok(&with(
        log_args("1", "2024-03-06", "小写编号"),
        "--advisor",
        "a001",
    ));
    assert!(out.contains(" A001 1.0 h"), "{out}");
    let file = env.write(
        "lower.csv",
        format!("{HEADER}\n2024-03-07,a002,2,,小写导入,信息公开,opinion,司法局,,\n"),
    );
    env.ok(&["import", "entries", file.to_str().unwrap()]);
    let export = common::json(&env.export_json());
    let advisors: Vec<&str> = export["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["advisor"].as_str().unwrap())
        .collect();
    assert_eq!(advisors, ["A001", "A001", "A002"]);
    let ids: Vec<&str> = export["advisors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    // Importing the same file again adds nothing: the row is recognised under A002.
    let again = env.ok(&["import", "entries", file.to_str().unwrap()]);
    assert!(again.starts_with("Nothing new"), "{again}");
}

#[test]
fn advisor_set_with_bad_input_changes_nothing() {
    let env = ledger();
    for (args, phrases) in [
        (
            &["advisor", "set", "--id", "Z999", "--name", "某人"][..],
            &["there is no advisor Z999", "counsel-log advisor list"][..],
        ),
        (
            &["advisor", "set", "--id", "A001", "--category", "boss"][..],
            &["unknown category \"boss\"", "use staff"][..],
        ),
        (
            &["advisor", "set", "--id", "A001"][..],
            &["nothing to change", "give at least one of --name"][..],
        ),
        (
            &[
                "advisor",
                "set",
                "--id",
                "A001",
                "--name",
                "张三",
                "--category",
                "staff",
            ][..],
            &[
                "advisor A001 already has these values",
                "give a different value",
            ][..],
        ),
        (
            &["advisor", "set", "--id", "A001", "--name", " "][..],
            &["the name is empty"][..],
        ),
    ] {
        one_line(&refused(&env, args, phrases));
    }
    refused_in(
        &env,
        "zh",
        &["advisor", "set", "--id", "A001"],
        &["没有要修改的内容", "--active"],
    );

    // An inactive advisor takes no new entries, from `log` or a file, in either language.
    env.ok(&["advisor", "set", "--id", "A001", "--active", "false"]);
    let s = refused(
        &env,
        &log_args("1", "2024-03-06", "离任后"),
        &[
            "advisor A001 (张三) is inactive",
            "counsel-log advisor set --id A001 --active true",
        ],
    );
    one_line(&s);
    refused_in(
        &env,
        "zh",
        &log_args("1", "2024-03-06", "离任后"),
        &["顾问 A001（张三）已停用", "恢复启用"],
    );
    refused_entries(
        &env,
        "inactive.csv",
        &[
            "2024-04-01,A002,1,,新事项,信息公开,opinion,司法局,,",
            "2024-04-01,a001,1,,新事项2,信息公开,opinion,司法局,,",
        ],
        &["line 3: advisor A001 (张三) is inactive"],
    );
}

#[test]
fn a_mistake_on_the_command_line_is_one_line_and_exit_status_1() {
    let env = ledger();
    for (lang, args, phrase) in [
        (
            "en",
            vec!["report", "--by", "foo"],
            "invalid value 'foo' for '--by",
        ),
        ("zh", vec!["report", "--by", "foo"], "命令行有误"),
        (
            "en",
            vec!["frobnicate"],
            "unrecognized subcommand 'frobnicate'",
        ),
    ] {
        let out = env.run_in(lang, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        one_line(&err);
        // The help of the command the mistake was made in.
        let help = if args[0] == "report" {
            "`counsel-log report --help`"
        } else {
            "`counsel-log --help`"
        };
        assert!(err.contains(phrase) && err.contains(help), "{err}");
        let choices = if lang == "zh" {
            "可取的值：advisor、category"
        } else {
            "possible values: advisor, category"
        };
        assert!(err.contains(choices) || args[0] == "frobnicate", "{err}");
    }
}

#[test]
fn report_out_dash_prints_and_an_unknown_extension_is_refused() {
    let env = Env::new();
    env.import_demo();
    let printed = env.ok(&["report", "--period", "2024-03", "--out", "-"]);
    assert!(printed.contains("March 2024 · by advisor"), "{printed}");
    assert!(!std::path::Path::new("-").exists() && !env.path("-").exists());
    let out = env.run(&[
        "report", "--period", "2024", "--format", "xlsx", "--out", "-",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be printed to the terminal"));
    let pdf = env.path("r.pdf");
    let out = env.run(&["report", "--period", "2024", "--out", pdf.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("a report is not written as a .pdf file")
    );
    assert!(!pdf.exists(), "nothing written");
}

#[test]
fn a_correction_may_not_give_an_advisor_more_than_24_hours_a_day() {
    let env = Env::new();
    env.import_demo();
    let log = |hours: &str, date: &str| {
        env.ok(&[
            "log",
            "--advisor",
            "A011",
            "--hours",
            hours,
            "--topic",
            "contracts",
            "--service",
            "opinion",
            "--department",
            "财政局",
            "--title",
            "Long day",
            "--date",
            date,
        ])
    };
    log("20", "2024-06-10");
    log("3", "2024-06-11");
    let before = env.ok(&["export", "--format", "csv", "-"]);
    // Moving the 3 hours onto the 20-hour day as 10 would make 30.
    let out = env.run(&[
        "correct",
        "283",
        "--hours",
        "10",
        "--date",
        "2024-06-10",
        "--reason",
        "moved",
    ]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("A011 would have 30.0 hours on 2024-06-10"),
        "{said}"
    );
    assert_eq!(env.ok(&["export", "--format", "csv", "-"]), before);
    // Within the day it goes through, and the entry's own hours make way for the new ones.
    env.ok(&[
        "correct",
        "283",
        "--hours",
        "4",
        "--date",
        "2024-06-10",
        "--reason",
        "moved",
    ]);
    env.ok(&[
        "correct",
        "282",
        "--hours",
        "20",
        "--reason",
        "same hours again",
    ]);
}

#[test]
fn restore_of_an_export_with_a_record_that_does_not_read_names_the_record() {
    let env = Env::new();
    env.import_demo();
    let exported = env.ok(&["export", "-"]);
    let export: serde_json::Value = serde_json::from_str(&exported).unwrap();
    let sixth = export["entries"][5]["id"].as_u64().unwrap();
    let item = export["items"][2]["number"].as_str().unwrap().to_string();
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let edits: [(&str, Edit, String); 3] = [
        (
            "minutes",
            Box::new(|v| v["entries"][5]["minutes"] = (-5).into()),
            format!("entry #{sixth} does not read"),
        ),
        (
            "date",
            Box::new(|v| v["entries"][5]["date"] = "2024-02-30".into()),
            format!("entry #{sixth} does not read"),
        ),
        (
            "status",
            Box::new(|v| v["items"][2]["status"] = "maybe".into()),
            format!("item #{item} does not read"),
        ),
    ];
    for (name, edit, named) in edits {
        let mut v = export.clone();
        edit(&mut v);
        let file = env.write(&format!("{name}.json"), v.to_string());
        let target = env.path(&format!("restored-{name}"));
        let out = env.run_on(&target, &["restore", file.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: restored");
        assert!(
            err.contains(&named) && err.contains("nothing was changed"),
            "{name}: {err}"
        );
        assert!(!target.exists(), "{name}: a store was left behind");
    }
}

#[test]
fn a_day_takes_many_entries_with_notes_at_the_limit() {
    let env = Env::new();
    env.import_demo();
    let period = "2023-06-05..2023-06-05";
    // Each note is at the limit of a field (10,000 characters, 30,000 bytes). The entries of a
    // day are kept together in one block, which takes 256 records at the limit of one: far
    // more than a day of such notes (a block of 1 MiB refused the 35th).
    let note = "法".repeat(10_000);
    for n in 0..40 {
        let title = format!("Long note {n}");
        // Each by another advisor, so that no one's day runs past 24 hours.
        let advisor = format!("A{:03}", n + 1);
        env.ok(&common::new_item_log(
            &advisor,
            "1",
            &title,
            &["--date", "2023-06-05", "--note", &note],
        ));
    }
    let day = env.summary_json(period);
    assert_eq!(day["minutes"].as_u64(), Some(40 * 60));
    let verified = env.ok(&["verify"]);
    assert!(verified.contains("verified"), "{verified}");
}

#[test]
fn a_key_or_a_note_that_begins_with_a_hyphen_is_taken_as_given() {
    let env = Env::new();
    env.import_demo();
    let said = env.ok(&common::new_item_log(
        "A001",
        "1",
        "-3 °C: heating contract",
        &["--item", "-K1", "--note", "-", "--date", "2024-06-03"],
    ));
    assert!(said.contains("(new)"), "{said}");
    // The same key finds the same item again.
    let again = env.ok(&common::item_log(
        "A002",
        "0.5",
        "-K1",
        &["--date", "2024-06-04"],
    ));
    assert!(!again.contains("(new)"), "{again}");
}

#[test]
fn an_output_file_in_the_stores_folder_is_refused_and_the_ledger_stays_whole() {
    let env = ledger();
    let key = std::fs::read(env.store.join("identity.key")).unwrap();
    let db = env.store.join("db");
    let head = env.store.join("blobs").join("..").join("audit-head.json");
    let card = env.store.join("identity.key");
    for args in [
        vec!["export", db.to_str().unwrap()],
        vec!["export", "--format", "json", card.to_str().unwrap()],
        vec![
            "report",
            "--format",
            "json",
            "--out",
            head.to_str().unwrap(),
        ],
        vec!["identity", "--out", card.to_str().unwrap()],
        vec![
            "bundle",
            "--out",
            env.store.join("changes.bundle").to_str().unwrap(),
        ],
    ] {
        refused(
            &env,
            &args,
            &[
                "is inside the store's folder",
                "nothing was written. Give a file name outside that folder",
            ],
        );
    }
    assert_eq!(std::fs::read(env.store.join("identity.key")).unwrap(), key);
    assert!(!env.store.join("changes.bundle").exists());
    let zh = env.run_in("zh", &["export", db.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&zh.stderr).contains("在台账的文件夹"),
        "{}",
        String::from_utf8_lossy(&zh.stderr)
    );
    let verified = env.ok(&["verify"]);
    assert!(
        verified.contains("1 entries") || verified.contains("1 entry"),
        "{verified}"
    );
    // Beside the folder is fine.
    env.ok(&["export", env.path("beside.csv").to_str().unwrap()]);
}

#[test]
fn a_file_with_no_rows_below_its_header_says_so_and_imports_nothing() {
    let env = ledger();
    let export = env.export_json();
    for (name, text) in [
        ("header.csv", format!("{HEADER}\n")),
        ("blank.csv", format!("{HEADER}\n\n,,,,,,,,,\n")),
    ] {
        let file = env.write(name, text);
        let said = env.ok(&["import", "entries", file.to_str().unwrap()]);
        assert_eq!(
            said, "The file holds no entries below its header: nothing was imported.\n",
            "{name}"
        );
    }
    let audit = env.audit_len();
    let advisors = env.write("advisors-header.csv", "id,name,category,unit\n");
    let said = env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    assert_eq!(
        said,
        "The file holds no advisors below its header: nothing was imported.\n"
    );
    assert_eq!(env.export_json(), export);
    assert_eq!(env.audit_len(), audit, "an audit record for nothing");
}

#[test]
fn correcting_an_entry_the_ledger_never_had_names_the_number_and_what_to_check() {
    let env = ledger();
    refused(
        &env,
        &["correct", "99999", "--hours", "1", "--reason", "x"],
        &["the ledger has no entry #99999 (it may have been deleted): check the entry number"],
    );
}
