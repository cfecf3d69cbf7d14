//! `counsel-log item close|reopen|rate|outcome ITEM …` end to end: an item found by its key or
//! its number changes as the Items screen changes it, audited; a rating in a closed month,
//! another store's item, an unknown item or rating, and a missing reason are refused and change
//! nothing.
#![allow(clippy::unwrap_used, reason = "a test that cannot go on has failed")]

mod common;

use std::path::Path;

use common::{Env, json};

/// One entry of A001 on `date` under the item key `key`, on the store at `db`.
fn log_on(env: &Env, db: &Path, date: &str, key: &str) -> String {
    env.ok_on(
        db,
        &common::new_item_log("A001", "1.5", "某合同", &["--date", date, "--item", key]),
    )
}

fn with_advisor(env: &Env, db: &Path) {
    env.ok_on(
        db,
        &[
            "advisor",
            "add",
            "--id",
            "A001",
            "--name",
            "张三",
            "--category",
            "staff",
        ],
    );
}

/// Runs a command that must fail; returns its stderr, after checking nothing was written.
fn refused(env: &Env, db: &Path, lang: &str, args: &[&str]) -> String {
    let before = common::audit_len(db);
    let out = env.run_in_on(db, lang, args);
    assert!(!out.status.success(), "{args:?} should fail");
    assert_eq!(common::audit_len(db), before, "{args:?} wrote nothing");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The item of the export (the store has one).
fn the_item(env: &Env) -> serde_json::Value {
    json(&env.ok(&["export", "--format", "json", "-"]))["items"][0].clone()
}

#[test]
fn an_item_is_closed_rated_given_its_outcome_and_reopened_by_its_key_or_number() {
    let env = Env::new();
    with_advisor(&env, &env.store);
    log_on(&env, &env.store, "2024-03-05", "CG-01");
    let number = format!("#{}", the_item(&env)["number"].as_str().unwrap());
    let audit = env.audit_len();

    let said = env.ok(&["item", "close", "CG-01"]);
    assert_eq!(
        said,
        format!("Item {number}: closed · unrated · adoption not recorded.\n")
    );
    assert_eq!(the_item(&env)["status"], "closed");

    let said = env.ok(&["item", "rate", &number, "satisfied"]);
    assert!(said.contains("closed · satisfied"), "{said}");
    let report = json(&env.ok(&["report", "--period", "2024-03", "--format", "json"]));
    assert_eq!(report["total"]["satisfied"], 1);

    // Chinese names are read, and the answer is in the run's language.
    let said = env.ok_in("zh", &["item", "rate", "CG-01", "基本满意"]);
    assert_eq!(
        said,
        format!("事项 {number}：已办结 · 基本满意 · 采纳情况未记录。\n")
    );

    let said = env.ok(&[
        "item",
        "outcome",
        "CG-01",
        "not-adopted",
        "--reason",
        "与上位法冲突",
    ]);
    assert!(said.contains("not adopted (与上位法冲突)"), "{said}");
    assert_eq!(the_item(&env)["outcome"]["reason"], "与上位法冲突");
    let said = env.ok(&["item", "outcome", "CG-01", "adopted"]);
    assert!(said.ends_with("· adopted.\n"), "{said}");
    let said = env.ok(&["item", "reopen", "CG-01"]);
    assert!(
        said.contains(": open · basically satisfied · adopted."),
        "{said}"
    );
    let said = env.ok(&["item", "outcome", "CG-01", "none"]);
    assert!(said.contains("adoption not recorded"), "{said}");

    // Each change is one audit record of the item, as the Items screen writes it.
    assert_eq!(env.audit_len(), audit + 7);
    let trail = json(&env.ok(&["history", "--item", "CG-01", "--format", "json"]));
    let edits = trail["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "item.edit")
        .count();
    assert_eq!(edits, 7, "{trail}");
}

#[test]
fn an_unknown_item_or_rating_and_a_missing_or_stray_reason_are_refused() {
    let env = Env::new();
    with_advisor(&env, &env.store);
    log_on(&env, &env.store, "2024-03-05", "CG-01");
    let db = &env.store;
    let said = refused(&env, db, "en", &["item", "close", "CG-99"]);
    assert!(said.contains("there is no item \"CG-99\""), "{said}");
    let said = refused(&env, db, "en", &["item", "rate", "CG-01", "great"]);
    assert!(said.contains("unknown rating \"great\""), "{said}");
    assert!(said.contains("unrated"), "{said}");
    let said = refused(&env, db, "zh", &["item", "rate", "CG-01", "很好"]);
    assert!(said.contains("没有“很好”这一满意度"), "{said}");
    let said = refused(&env, db, "en", &["item", "outcome", "CG-01", "not-adopted"]);
    assert!(said.contains("give it with --reason"), "{said}");
    let said = refused(
        &env,
        db,
        "en",
        &["item", "outcome", "CG-01", "adopted", "--reason", "x"],
    );
    assert!(said.contains("leave out --reason"), "{said}");
    let said = refused(&env, db, "en", &["item", "outcome", "CG-01", "maybe"]);
    assert!(said.contains("maybe"), "{said}");
    assert_eq!(the_item(&env)["status"], "open");
}

#[test]
fn a_rating_in_a_closed_month_is_refused_while_the_status_still_changes() {
    let env = Env::new();
    with_advisor(&env, &env.store);
    log_on(&env, &env.store, "2024-03-05", "CG-01");
    env.ok(&["close", "2024-03"]);
    let said = refused(
        &env,
        &env.store,
        "en",
        &["item", "rate", "CG-01", "satisfied"],
    );
    assert!(said.contains("2024-03 is closed"), "{said}");
    // The status is not part of the month's figures: the Items screen's `c` works there too.
    env.ok(&["item", "close", "CG-01"]);
    assert_eq!(the_item(&env)["status"], "closed");
    assert_eq!(the_item(&env)["satisfaction"], serde_json::Value::Null);
}

#[test]
fn another_stores_item_is_changed_only_at_its_origin() {
    let env = Env::new();
    let (office, counsel) = (env.path("office"), env.path("counsel"));
    with_advisor(&env, &office);
    with_advisor(&env, &counsel);
    let card = env.path("counsel.card");
    env.ok_on(
        &counsel,
        &[
            "identity",
            "--name",
            "律所",
            "--out",
            card.to_str().unwrap(),
        ],
    );
    env.ok_on(
        &office,
        &["peer", "add", card.to_str().unwrap(), "--advisors", "A001"],
    );
    log_on(&env, &counsel, "2024-05-06", "X-1");
    let bundle = env.path("x.json");
    env.ok_on(&counsel, &["bundle", "--out", bundle.to_str().unwrap()]);
    env.ok_on(&office, &["import", "bundle", bundle.to_str().unwrap()]);
    for args in [
        ["item", "close", "X-1", ""],
        ["item", "rate", "X-1", "satisfied"],
        ["item", "outcome", "X-1", "adopted"],
    ] {
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let said = refused(&env, &office, "en", &args);
        assert!(said.contains("came from the store \"律所\""), "{said}");
    }
    // At its origin it changes.
    env.ok_on(&counsel, &["item", "close", "X-1"]);
}
