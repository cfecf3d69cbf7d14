//! A model test: random sequences of add, edit, delete, undo and reopen, run against the real
//! store and against a plain in-memory model; after every step they must agree, the audit
//! trail must hold exactly one record per change, and `verify` must pass.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

use counsel_log::store::RawTree;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use counsel_log::domain::intake::{EntryInput, plan_advisors, plan_entries};
use counsel_log::domain::{EntryId, Minutes};
use counsel_log::store::{EntryChange, Stamp, Store, Undo, UndoScope};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Add {
        advisor: usize,
        day: u32,
        minutes: u64,
    },
    Edit {
        pick: usize,
        minutes: u64,
        note: u8,
    },
    Delete {
        pick: usize,
    },
    Undo,
    Reopen,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3, 1u32..28, 1u64..=180).prop_map(|(advisor, day, minutes)| Op::Add { advisor, day, minutes }),
        2 => (any::<usize>(), 1u64..=180, any::<u8>()).prop_map(|(pick, minutes, note)| Op::Edit { pick, minutes, note }),
        2 => any::<usize>().prop_map(|pick| Op::Delete { pick }),
        2 => Just(Op::Undo),
        1 => Just(Op::Reopen),
    ]
}

/// What the model remembers of an entry: who, when, how long, and the note.
type Row = (String, NaiveDate, u64, String);

/// An undoable change, with what it takes to reverse it.
enum Done {
    Added(EntryId),
    Edited(EntryId, Row),
    Deleted(EntryId, Row),
}

const ADVISORS: [&str; 3] = ["A001", "A002", "A003"];

fn stamp() -> Stamp {
    Stamp {
        at: chrono::DateTime::parse_from_rfc3339("2024-06-30T09:00:00+08:00").unwrap(),
        who: "model".into(),
    }
}

fn store_rows(store: &Store) -> BTreeMap<EntryId, Row> {
    store
        .all_entries()
        .unwrap()
        .into_iter()
        .map(|e| (e.id, (e.advisor, e.date, e.minutes.0, e.note)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_store_agrees_with_a_model_after_every_step(ops in proptest::collection::vec(op(), 1..24)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let mut store = Store::open(&path).unwrap();
        let advisors = plan_advisors("id,name,category,unit\nA001,甲,staff,\nA002,乙,expert,\nA003,丙,external,\n", &Default::default()).unwrap();
        store.apply_advisors(&advisors, "model", &stamp()).unwrap();
        let today = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();

        let mut model: BTreeMap<EntryId, Row> = BTreeMap::new();
        let mut done: Vec<Done> = Vec::new();
        let mut changes = 1usize; // the advisors' import
        let pick = ops.len();
        for op in ops {
            match op {
                Op::Add { advisor, day, minutes } => {
                    let input = EntryInput {
                        date: format!("2024-06-{day:02}"),
                        advisor: ADVISORS[advisor].into(),
                        hours: format!("{minutes}m"),
                        title: "模型事项".into(),
                        topic: "labor".into(),
                        service: "opinion".into(),
                        department: "财政局".into(),
                        ..Default::default()
                    };
                    let plan = plan_entries(&[(0, input)], &store.view().unwrap(), today, false).unwrap();
                    let applied = store.apply_entries(plan, counsel_log::store::AuditAction::EntryAdd, "model", &stamp()).unwrap();
                    let id = applied.first_entry.unwrap();
                    model.insert(id, (ADVISORS[advisor].into(), NaiveDate::from_ymd_opt(2024, 6, day).unwrap(), minutes, String::new()));
                    done.push(Done::Added(id));
                    changes += 1;
                }
                Op::Edit { pick, minutes, note } if !model.is_empty() => {
                    let (&id, old) = model.iter().nth(pick % model.len()).unwrap();
                    let old = old.clone();
                    let item = store.item(store.entry(id).unwrap().unwrap().item).unwrap().unwrap();
                    let change = EntryChange {
                        date: old.1,
                        advisor: old.0.clone(),
                        minutes: Minutes(minutes),
                        note: format!("note {note}"),
                        fields: counsel_log::domain::intake::ItemFields::of(&item),
                    };
                    store.update_entry(id, &change, &stamp()).unwrap();
                    model.insert(id, (old.0.clone(), old.1, minutes, format!("note {note}")));
                    done.push(Done::Edited(id, old));
                    changes += 1;
                }
                Op::Delete { pick } if !model.is_empty() => {
                    let id = *model.keys().nth(pick % model.len()).unwrap();
                    store.delete_entry(id, &stamp()).unwrap();
                    let old = model.remove(&id).unwrap();
                    done.push(Done::Deleted(id, old));
                    changes += 1;
                }
                Op::Undo => {
                    let scope = UndoScope { after: 0, actions: UndoScope::ENTRIES };
                    let result = store.undo_last(&stamp(), &scope).unwrap();
                    match done.pop() {
                        None => prop_assert!(matches!(result, Undo::Refused { .. } | Undo::Nothing), "{result:?}"),
                        Some(last) => {
                            prop_assert!(matches!(result, Undo::Done(_)), "{result:?}");
                            changes += 1;
                            match last {
                                Done::Added(id) => { model.remove(&id); }
                                Done::Edited(id, old) | Done::Deleted(id, old) => { model.insert(id, old); }
                            }
                        }
                    }
                }
                Op::Reopen => {
                    drop(store);
                    store = reopen(&path);
                }
                Op::Edit { .. } | Op::Delete { .. } => {}
            }
            prop_assert_eq!(&store_rows(&store), &model);
            prop_assert_eq!(store.audit_trail().unwrap().len(), changes, "one audit record per change");
        }
        let v = store.verify().unwrap();
        prop_assert!(v.ok(), "{:?}", v.problems);

        // Then a record is taken out behind the store's back, with sled itself: whichever it
        // is, the ledger no longer adds up to the digest the trail carries.
        drop(store);
        {
            // sled's flusher may hold the files a moment after the store closed.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            let db = loop {
                match counsel_log::store::open_sled(&path) {
                    Ok(db) => break db,
                    Err(_) if std::time::Instant::now() < deadline => {
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    Err(e) => panic!("{e}"),
                }
            };
            let trees = ["entries", "fingerprints", "items", "ids", "catalogs", "advisors"];
            let tree = trees
                .iter()
                .map(|name| RawTree::open(&db, name).unwrap())
                .cycle()
                .skip(pick % trees.len())
                .find(|t| !t.is_empty())
                .unwrap();
            let records: Vec<_> = tree.iter().map(|kv| kv.unwrap().0).collect();
            tree.remove(&records[pick % records.len()]).unwrap();
            db.flush().unwrap();
        }
        let store = reopen(&path);
        let v = store.verify().unwrap();
        prop_assert!(
            v.problems.iter().any(|p| matches!(p, counsel_log::store::VerifyProblem::Ledger(_))),
            "{:?}",
            v.problems
        );
    }
}

/// Opens the store again in this process. sled's background flusher lets go of the files a
/// moment after the store is dropped, so a busy machine may still find them locked: the open is
/// tried again for a while (a store that stays locked still fails the test).
fn reopen(path: &std::path::Path) -> Store {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match Store::open(path) {
            Err(counsel_log::store::StoreError::InUse { .. })
                if std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.unwrap(),
        }
    }
}
