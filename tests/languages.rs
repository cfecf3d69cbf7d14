//! One language at a time: `--help` and the command line's mistakes in the language of the run,
//! CSV headers in a language on request (machine keys stay the default, as scripts read them),
//! the total row told apart the same way in CSV and JSON, and files written for people that
//! still import.
#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use common::{Env, csv_rows, json};

/// The first line of a CSV as written, without its BOM.
fn header(csv: &str) -> &str {
    csv.trim_start_matches('\u{feff}').lines().next().unwrap()
}

#[test]
fn report_csv_keeps_its_keys_by_default_in_either_language_and_names_columns_on_request() {
    let env = Env::new();
    env.import_demo();
    let keys = "key,label,items,minutes,hours,rated,satisfied,basic,unsatisfied,\
                satisfaction_rate,note,row";
    for lang in ["zh", "en", ""] {
        let csv = env.ok_in(lang, &["report", "--period", "2024", "--format", "csv"]);
        assert_eq!(header(&csv), keys, "--lang {lang:?}");
    }
    let zh = env.ok_in(
        "zh",
        &[
            "report", "--period", "2024", "--by", "topic", "--format", "csv", "--header", "zh",
        ],
    );
    assert_eq!(
        header(&zh),
        "代码,名称,件次,分钟,小时,已评价,满意,基本满意,不满意,满意率,备注,行类型"
    );
    assert!(zh.contains("info-disclosure,信息公开,"), "{zh}");
    let en = env.ok_in(
        "en",
        &[
            "report", "--period", "2024", "--format", "csv", "--header", "en",
        ],
    );
    assert_eq!(
        header(&en),
        "Key,Name,Items,Minutes,Hours,Rated,Satisfied,Basic,Unsatisfied,Satisfaction rate,Note,Row"
    );
}

#[test]
fn the_total_is_told_apart_the_same_way_in_csv_and_json_even_beside_a_group_keyed_total() {
    let env = Env::new();
    env.import_demo();
    // A topic of the office's own may be coded `total`: the CSV's `key` alone cannot tell its
    // row from the total's.
    env.ok(&[
        "catalog",
        "add",
        "--kind",
        "topic",
        "--code",
        "total",
        "--zh",
        "总体规划",
        "--en",
        "Overall planning",
    ]);
    env.ok(&[
        "log",
        "--advisor",
        "A001",
        "--hours",
        "1",
        "--topic",
        "total",
        "--service",
        "opinion",
        "--department",
        "司法局",
        "--title",
        "总体规划审查",
        "--date",
        "2024-12-30",
    ]);
    let base = ["report", "--period", "2024", "--by", "topic"];
    let rows = csv_rows(&env.ok(&[&base[..], &["--format", "csv"]].concat()));
    assert_eq!(rows.iter().filter(|r| r["key"] == "total").count(), 2);
    let totals: Vec<_> = rows.iter().filter(|r| r["row"] == "total").collect();
    assert_eq!(totals.len(), 1);
    assert_eq!(totals[0]["label"], "Total");
    assert!(rows[..rows.len() - 1].iter().all(|r| r["row"] == "group"));

    let j = json(&env.ok(&[&base[..], &["--format", "json"]].concat()));
    assert_eq!(j["total"]["row"], "total");
    // The JSON total keeps the key scripts already read.
    assert_eq!(j["total"]["key"], "");
    let groups = j["rows"].as_array().unwrap();
    assert!(groups.iter().all(|r| r["row"] == "group"), "{j}");
    assert!(groups.iter().any(|r| r["key"] == "total"));
    assert_eq!(j["total"]["minutes"].to_string(), totals[0]["minutes"]);
}

#[test]
fn an_export_and_an_advisor_list_with_chinese_headers_import_back_exactly() {
    let env = Env::new();
    env.import_demo();
    let advisors = env.ok_in(
        "zh",
        &["advisor", "list", "--format", "csv", "--header", "zh"],
    );
    assert_eq!(header(&advisors), "编号,姓名,类别,单位,在职");
    let entries = env.ok_in("zh", &["export", "--format", "csv", "--header", "zh", "-"]);
    assert_eq!(
        header(&entries),
        "日期,顾问,小时,事项,标题,领域,服务方式,部门,满意度,备注"
    );
    // `en` names the columns by the import's own English names.
    let en = env.ok(&["export", "--format", "csv", "--header", "en", "-"]);
    assert_eq!(
        header(&en),
        "date,advisor,hours,item,title,topic,service,department,satisfaction,note"
    );
    let copy = env.path("copy");
    let a = env.write("advisors-zh.csv", &advisors);
    let e = env.write("entries-zh.csv", &entries);
    env.ok_on(&copy, &["import", "advisors", a.to_str().unwrap()]);
    env.ok_on(&copy, &["import", "entries", e.to_str().unwrap()]);
    for list in [
        &["export", "--format", "csv", "-"][..],
        &["advisor", "list", "--format", "csv"][..],
    ] {
        assert_eq!(env.ok_on(&copy, list), env.ok(list), "{list:?}");
    }
}

#[test]
fn catalog_list_names_its_columns_on_request() {
    let env = Env::new();
    let keys = env.ok(&["catalog", "list", "--format", "csv"]);
    assert_eq!(header(&keys), "kind,code,zh,en,aliases");
    let zh = env.ok_in(
        "zh",
        &["catalog", "list", "--format", "csv", "--header", "zh"],
    );
    assert_eq!(header(&zh), "类别,代码,中文名,英文名,别名");
}
