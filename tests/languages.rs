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
    env.make_empty_store();
    let keys = env.ok(&["catalog", "list", "--format", "csv"]);
    assert_eq!(header(&keys), "kind,code,zh,en,aliases");
    let zh = env.ok_in(
        "zh",
        &["catalog", "list", "--format", "csv", "--header", "zh"],
    );
    assert_eq!(header(&zh), "类别,代码,中文名,英文名,别名");
}

/// stdout of a command that must succeed, and stderr of one that must fail with status 1 in one
/// line, run with `--lang LANG` (none when empty: then the configuration or `LANG` decides).
fn help(env: &Env, lang: &str, args: &[&str]) -> String {
    env.ok_in(lang, args)
}

fn mistake(env: &Env, lang: &str, args: &[&str]) -> String {
    let out = env.run_in(lang, args);
    assert_eq!(out.status.code(), Some(1), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    err
}

/// English that must not show in a Chinese help page or message.
const CLAP_ENGLISH: [&str; 12] = [
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Print help",
    "default:",
    "possible values",
    "unrecognized",
    "unexpected argument",
    "tip:",
    "required",
    "invalid value",
];

fn chinese_only(text: &str) {
    for english in CLAP_ENGLISH {
        assert!(!text.contains(english), "{english:?} in:\n{text}");
    }
}

#[test]
fn help_is_chinese_under_zh_for_every_command() {
    let env = Env::new();
    let top = help(&env, "zh", &["--help"]);
    assert!(top.contains("用法：counsel-log [选项] [命令]"), "{top}");
    assert!(top.contains("命令：") && top.contains("选项："), "{top}");
    assert!(
        top.contains("按顾问、类别、领域、服务方式、部门或月份统计一个期间"),
        "{top}"
    );
    assert!(top.contains("-h, --help           显示帮助"), "{top}");
    chinese_only(&top);
    for command in [
        &["report", "--help"][..],
        &["advisor", "add", "--help"],
        &["help", "export"],
        &["import", "entries", "-h"],
        &["item", "help", "outcome"],
    ] {
        let page = help(&env, "zh", command);
        assert!(page.contains("用法：counsel-log "), "{command:?}: {page}");
        chinese_only(&page);
    }
    let report = help(&env, "zh", &["report", "--help"]);
    assert!(
        report.contains("--by <分组>")
            && report.contains(
                "（默认：advisor）（可选：advisor、category、topic、service、department、month）"
            ),
        "{report}"
    );
    // English stays English.
    let en = help(&env, "en", &["report", "--help"]);
    assert!(
        en.contains("Usage: counsel-log report [OPTIONS]")
            && en.contains("[default: advisor] [possible values: advisor, category")
            && !en.contains("统计"),
        "{en}"
    );
}

#[test]
fn a_mistake_on_the_command_line_is_said_in_chinese_under_zh() {
    let env = Env::new();
    let cases: [(&[&str], &str); 6] = [
        (
            &["logg"],
            "counsel-log: 命令行有误：没有“logg”这个命令（是否要用 log？）；用法见 `counsel-log --help`",
        ),
        (
            &["report", "--by", "x"],
            "命令行有误：--by 不接受“x”；可取的值：advisor、category、topic、service、department、\
                month；用法见 `counsel-log report --help`",
        ),
        (
            &["report", "--perod", "2024"],
            "不认识参数“--perod”（是否要用 --period？）；用法见 `counsel-log report --help`",
        ),
        (
            &["advisor", "add", "--id", "A1"],
            "缺少必须给出的参数：--name <名称>、--category <类别>；用法见 `counsel-log advisor add --help`",
        ),
        (
            &["--", "report"],
            "（提示：report 是一个命令：请去掉它前面的 --）",
        ),
        (
            &["bundle", "--out", "-", "--all", "--since", "2024-01-01"],
            "--all 不能与 --since <日期> 同时使用",
        ),
    ];
    for (args, said) in cases {
        let err = mistake(&env, "zh", args);
        assert!(err.contains(said), "{args:?}: {err}");
        chinese_only(&err);
    }
    let en = mistake(&env, "en", &["logg"]);
    assert!(
        en.contains("unrecognized subcommand 'logg'; a similar subcommand exists: 'log'; see `counsel-log --help`"),
        "{en}"
    );
}

#[test]
fn without_lang_the_configuration_then_the_locale_choose_the_language_of_help_and_mistakes() {
    let env = Env::new();
    // LANG is C.UTF-8 in the tests: English, until the configuration says otherwise.
    assert!(mistake(&env, "", &["logg"]).contains("unrecognized subcommand"));
    let config = env.path("counsel-log");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"zh\"\n").unwrap();
    let err = mistake(&env, "", &["logg"]);
    assert!(err.contains("没有“logg”这个命令"), "{err}");
    assert!(help(&env, "", &["--help"]).contains("用法："));
    // `--lang` wins over the configuration.
    assert!(help(&env, "en", &["--help"]).contains("Usage:"));
    let other = env.write("other.toml", "lang = \"en\"\n");
    let err = mistake(&env, "", &["--config", other.to_str().unwrap(), "logg"]);
    assert!(err.contains("unrecognized subcommand"), "{err}");

    let bare = Env::new();
    let out = bare
        .cmd_in("")
        .env("LANG", "zh_CN.UTF-8")
        .args(["report", "--help"])
        .output()
        .unwrap();
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains("用法：counsel-log report [选项]"), "{page}");
}

#[test]
fn completions_and_the_manual_page_stay_english_in_any_language() {
    let env = Env::new();
    let fish = help(&env, "zh", &["completions", "fish"]);
    assert!(fish.contains("Tally a period by advisor"), "{fish}");
    let man = help(&env, "zh", &["man"]);
    assert!(man.contains("Log and tally"), "{man}");
}
