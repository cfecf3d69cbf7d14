//! Dates as people and spreadsheets write them: `2024年11月5日`, `2024/11/5` and an Excel date
//! cell saved as CSV (`2024-11-05 00:00:00`) import as 2024-11-05, from a CSV file (UTF-8 or
//! GB18030) and from `log --date`.
#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use common::{Env, json};

const FORMS: [&str; 3] = ["2024年11月5日", "2024/11/5", "2024-11-05 00:00:00"];

fn dates_of(env: &Env) -> Vec<String> {
    let export = json(&env.ok(&["export", "--format", "json", "-"]));
    export["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_three_date_forms_import_from_csv_as_utf8_and_gb18030() {
    for gb in [false, true] {
        let env = Env::new();
        env.ok(&[
            "advisor",
            "add",
            "--id",
            "A001",
            "--name",
            "张三",
            "--category",
            "staff",
        ]);
        let mut csv = String::from(
            "date,advisor,hours,item,title,topic,service,department,satisfaction,note\r\n",
        );
        for (i, date) in FORMS.iter().enumerate() {
            csv.push_str(&format!(
                "{date},A001,1,K-{i},某合同,合同协议,opinion,财政局,,\r\n"
            ));
        }
        let bytes = if gb {
            encoding_rs::GB18030.encode(&csv).0.into_owned()
        } else {
            csv.into_bytes()
        };
        let file = env.write("entries.csv", bytes);
        let said = env.ok(&["import", "entries", file.to_str().unwrap()]);
        assert!(said.contains("Imported 3 entries"), "{said}");
        assert_eq!(dates_of(&env), ["2024-11-05"; 3], "gb18030: {gb}");
    }
}

#[test]
fn the_three_date_forms_are_read_by_log_date() {
    let env = Env::new();
    env.ok(&[
        "advisor",
        "add",
        "--id",
        "A001",
        "--name",
        "张三",
        "--category",
        "staff",
    ]);
    for date in FORMS {
        let said = env.ok(&[
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
            "某合同",
            "--date",
            date,
        ]);
        assert!(said.contains("2024-11-05 A001"), "{date}: {said}");
    }
    // A time that is not a time, or a Chinese date without its 日, is still refused.
    for date in ["2024-11-05 25:00:00", "2024年11月5"] {
        let out = env.run(&[
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
            "某合同",
            "--date",
            date,
        ]);
        assert!(!out.status.success(), "{date}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("is not a date"), "{said}");
    }
}
