//! Issue 12's rough edges of periods and files, through the real binary: CSV rows named by the
//! line a spreadsheet shows whatever the line ends, the period `all`, and `--out` names that
//! say no format.

#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use common::Env;

const HEADER: &str = "date,advisor,hours,item,title,topic,service,department,satisfaction,note";

fn ledger() -> Env {
    let env = Env::new();
    let advisors = env.write(
        "advisors.csv",
        "id,name,category,unit\nA001,张三,staff,管委会办公室\n",
    );
    env.ok(&["import", "advisors", advisors.to_str().unwrap()]);
    env
}

/// Imports `text` as an entries file saved in GB18030 and returns what the refusal said.
fn refused_gb18030(env: &Env, name: &str, text: &str) -> String {
    let (bytes, _, _) = encoding_rs::GB18030.encode(text);
    let file = env.write(name, &bytes);
    let out = env.run_in("zh", &["import", "entries", file.to_str().unwrap()]);
    assert!(!out.status.success());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_bad_row_is_named_by_its_spreadsheet_line_whatever_the_line_ends() {
    let env = ledger();
    let good = "2024-03-06,A001,1,,新事项,信息公开,opinion,财政局,,";
    let bad = "2024-03-06,A001,0,,新事项,信息公开,opinion,财政局,,";
    let lf = format!("{HEADER}\n{good}\n{bad}\n");
    // Excel on Chinese Windows saves GB18030 with CRLF line ends.
    for (name, text) in [
        ("lf.csv", lf.clone()),
        ("crlf.csv", lf.replace('\n', "\r\n")),
    ] {
        let stderr = refused_gb18030(&env, name, &text);
        assert!(stderr.contains("第 3 行：时长须大于零"), "{name}: {stderr}");
        assert!(!stderr.contains("第 2 行"), "{name}: {stderr}");
    }
    // A note over two lines is one row of the sheet; a blank line is a row too.
    let two_lines = "2024-03-06,A001,1,,新事项,信息公开,opinion,财政局,,\"第一行\n第二行\"";
    let text = format!("{HEADER}\n{two_lines}\n\n{bad}\n");
    for (name, text) in [
        ("q.csv", text.clone()),
        ("q-crlf.csv", text.replace('\n', "\r\n")),
    ] {
        let stderr = refused_gb18030(&env, name, &text);
        assert!(stderr.contains("第 4 行：时长须大于零"), "{name}: {stderr}");
    }
}

#[test]
fn period_all_totals_every_entry() {
    let env = Env::new();
    env.import_demo();
    let json = common::json(&env.ok(&[
        "report", "--period", "all", "--by", "month", "--format", "json",
    ]));
    assert_eq!(json["total"]["items"], 171);
    assert_eq!(json["total"]["minutes"], 25938);
    // From the first entry, not from the year 2000: a row per month of the ledger and since.
    let first = json["period"]["from"].as_str().unwrap();
    assert!(first.starts_with("2024-01"), "{json}");
    assert_eq!(json["rows"][0]["key"], "2024-01");
    let summary = env.summary_json("all");
    assert_eq!(summary["items"], 171);
    assert_eq!(summary["hours"], 432.3);
    let text = env.ok_in("zh", &["summary", "--period", "all"]);
    assert!(text.starts_with("全部（2024年1月"), "{text}");
    // An empty ledger has all time too, and nothing in it.
    let empty = Env::new();
    empty.make_empty_store();
    let json = common::json(&empty.ok(&["report", "--period", "all", "--format", "json"]));
    assert_eq!(json["period"]["from"], "2000-01-01");
    assert_eq!(json["total"]["items"], 0);
}

#[test]
fn an_out_file_whose_extension_names_no_format_is_refused_listing_them() {
    let env = Env::new();
    env.import_demo();
    for name in ["r.txtx", "r.doc", "r.dat"] {
        let path = env.path(name);
        let out = env.run(&[
            "report",
            "--period",
            "2024",
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(!out.status.success(), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let ext = name.trim_start_matches("r.");
        assert!(
            stderr.contains(&format!("not written as a .{ext} file"))
                && stderr.contains(".csv, .json, .md, .txt, .xlsx or .docx"),
            "{stderr}"
        );
        assert!(!path.exists(), "nothing written to {name}");
    }
    // An explicit format may go under any name; a name without an extension holds the table.
    let dat = env.path("r.dat");
    env.ok(&[
        "report",
        "--period",
        "2024",
        "--format",
        "csv",
        "--out",
        dat.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&dat).unwrap().contains("key,label"));
    let plain = env.path("report");
    env.ok(&[
        "report",
        "--period",
        "2024",
        "--out",
        plain.to_str().unwrap(),
    ]);
    assert!(
        std::fs::read_to_string(&plain)
            .unwrap()
            .contains("2024 · by advisor")
    );
}
