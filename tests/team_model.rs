//! A model test of the team's ledger: random adds, edits, deletes, undos, corrections and
//! bundles at three counsel stores; their bundles (every one written, plus a last one each)
//! reach the office in a random order, some twice. The office must then hold exactly the
//! union of the stores' entries as each store now counts them — the latest revision of every
//! record, with the newest correction applied — whatever the order and the duplicates.

#![allow(
    clippy::unwrap_used,
    clippy::too_many_lines,
    reason = "a test that cannot go on has failed, and one story reads best as one function"
)]

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use counsel_log::domain::intake::{EntryInput, ItemFields, plan_advisors, plan_entries};
use counsel_log::domain::{EntryId, Minutes};
use counsel_log::store::{
    AuditAction, CorrectionRequest, EntryChange, Peer, Stamp, Store, UndoScope,
};
use counsel_log::sync::{self, Since};
use proptest::prelude::*;

/// Who each counsel store speaks for.
const ADVISORS: [&[&str]; 3] = [&["A001", "A002"], &["A003"], &["A004"]];

#[derive(Debug, Clone)]
enum Op {
    Add {
        store: usize,
        advisor: usize,
        day: u32,
        minutes: u64,
    },
    Edit {
        store: usize,
        pick: usize,
        day: u32,
        minutes: u64,
        retitle: bool,
    },
    Delete {
        store: usize,
        pick: usize,
    },
    Undo {
        store: usize,
    },
    Correct {
        store: usize,
        pick: usize,
        minutes: u64,
    },
    Bundle {
        store: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let s = 0usize..3;
    prop_oneof![
        5 => (s.clone(), 0usize..2, 1u32..29, 1u64..=300)
            .prop_map(|(store, advisor, day, minutes)| Op::Add { store, advisor, day, minutes }),
        2 => (s.clone(), any::<usize>(), 1u32..29, 1u64..=300, any::<bool>())
            .prop_map(|(store, pick, day, minutes, retitle)| Op::Edit { store, pick, day, minutes, retitle }),
        2 => (s.clone(), any::<usize>()).prop_map(|(store, pick)| Op::Delete { store, pick }),
        1 => s.clone().prop_map(|store| Op::Undo { store }),
        2 => (s.clone(), any::<usize>(), 1u64..=300)
            .prop_map(|(store, pick, minutes)| Op::Correct { store, pick, minutes }),
        3 => s.prop_map(|store| Op::Bundle { store }),
    ]
}

/// An entry as the figures count it, with its item's title.
type Counted = (String, NaiveDate, u64, String, String);

fn counted(store: &Store) -> Vec<Counted> {
    let mut out: Vec<Counted> = store
        .all_entries()
        .unwrap()
        .into_iter()
        .map(|e| {
            let item = store.item(e.item).unwrap().unwrap();
            (e.advisor, e.date, e.minutes.0, e.note, item.title)
        })
        .collect();
    out.sort();
    out
}

fn roster(store: &Store, stamp: &Stamp) {
    let plan = plan_advisors(
        "id,name,category,unit\nA001,甲,staff,\nA002,乙,expert,\nA003,丙,external,\nA004,丁,public-lawyer,\n",
        &Default::default(),
    )
    .unwrap();
    store.apply_advisors(&plan, "roster", stamp).unwrap();
}

/// Each change a second later than the one before, so "the newest correction" is well defined.
struct Clock(DateTime<FixedOffset>);

impl Clock {
    fn stamp(&mut self) -> Stamp {
        self.0 += Duration::seconds(1);
        Stamp {
            at: self.0,
            who: "model".into(),
        }
    }
}

fn pick(store: &Store, pick: usize) -> Option<EntryId> {
    let entries = store.all_entries().unwrap();
    (!entries.is_empty()).then(|| entries[pick % entries.len()].id)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_office_holds_the_latest_revision_of_every_record_whatever_the_order_of_bundles(
        ops in proptest::collection::vec(op(), 1..40),
        order in proptest::collection::vec(any::<u64>(), 64),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut clock = Clock(DateTime::parse_from_rfc3339("2024-06-30T09:00:00+08:00").unwrap());
        let today = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let office = Store::open(&dir.path().join("office")).unwrap();
        roster(&office, &clock.stamp());
        let mut counsel = Vec::new();
        for (i, advisors) in ADVISORS.iter().enumerate() {
            let store = Store::open(&dir.path().join(format!("counsel{i}"))).unwrap();
            roster(&store, &clock.stamp());
            let card = sync::card(&store, &format!("律所{i}")).unwrap();
            let peer = Peer {
                store: card.store,
                name: card.name.clone(),
                public_key: hex::encode(card.public_key.as_bytes()),
                advisors: advisors.iter().map(|a| a.to_string()).collect(),
                added: clock.0,
                last: None,
            };
            office.add_peer(&peer, &clock.stamp()).unwrap();
            counsel.push(store);
        }

        let mut mailbox: Vec<String> = Vec::new();
        for op in &ops {
            match *op {
                Op::Add { store, advisor, day, minutes } => {
                    let s = &counsel[store];
                    let who = ADVISORS[store][advisor % ADVISORS[store].len()];
                    let input = EntryInput {
                        date: format!("2024-06-{day:02}"),
                        advisor: who.into(),
                        hours: format!("{minutes}m"),
                        title: format!("事项{store}-{day}"),
                        topic: "labor".into(),
                        service: "opinion".into(),
                        department: "财政局".into(),
                        ..Default::default()
                    };
                    if let Ok(plan) = plan_entries(&[(0, input)], &s.view().unwrap(), today, false) {
                        s.apply_entries(plan, AuditAction::EntryAdd, "model", &clock.stamp()).unwrap();
                    }
                }
                Op::Edit { store, pick: p, day, minutes, retitle } => {
                    let s = &counsel[store];
                    if let Some(id) = pick(s, p) {
                        let e = s.entry(id).unwrap().unwrap();
                        let mut fields = ItemFields::of(&s.item(e.item).unwrap().unwrap());
                        if retitle {
                            fields.title.push('改');
                        }
                        let change = EntryChange {
                            date: NaiveDate::from_ymd_opt(2024, 6, day).unwrap(),
                            advisor: e.advisor.clone(),
                            minutes: Minutes(minutes),
                            note: format!("edited {minutes}"),
                            fields,
                        };
                        // A corrected entry is refused: it changes only by another correction.
                        let _ = s.update_entry(id, &change, &clock.stamp());
                    }
                }
                Op::Delete { store, pick: p } => {
                    let s = &counsel[store];
                    if let Some(id) = pick(s, p) {
                        s.delete_entry(id, &clock.stamp()).unwrap();
                    }
                }
                Op::Undo { store } => {
                    let scope = UndoScope { after: 0, actions: UndoScope::ENTRIES };
                    counsel[store].undo_last(&clock.stamp(), &scope).unwrap();
                }
                Op::Correct { store, pick: p, minutes } => {
                    let s = &counsel[store];
                    if let Some(id) = pick(s, p) {
                        let request = CorrectionRequest {
                            minutes: Minutes(minutes),
                            date: None,
                            reason: "复核".into(),
                        };
                        s.correct(id, &request, &clock.stamp()).unwrap();
                    }
                }
                Op::Bundle { store } => {
                    let s = &counsel[store];
                    let stamp = clock.stamp();
                    let written = sync::write(s, Since::LastBundle, "model", &stamp.at).unwrap();
                    s.note_bundle(&written.sent(), &stamp).unwrap();
                    mailbox.push(written.text);
                }
            }
        }
        for s in &counsel {
            let stamp = clock.stamp();
            let written = sync::write(s, Since::LastBundle, "model", &stamp.at).unwrap();
            s.note_bundle(&written.sent(), &stamp).unwrap();
            mailbox.push(written.text);
        }
        // A random order, with some bundles delivered twice.
        let mut deliveries: Vec<&String> = mailbox.iter().collect();
        for (i, r) in order.iter().enumerate().take(mailbox.len()) {
            if r % 3 == 0 {
                deliveries.push(&mailbox[i]);
            }
        }
        let n = deliveries.len();
        for (i, r) in order.iter().enumerate().take(n) {
            let j = usize::try_from(*r % u64::try_from(n).unwrap()).unwrap();
            deliveries.swap(i, j);
        }
        for text in deliveries {
            let checked = sync::check(&office, text.as_bytes()).unwrap();
            // Merged a few records per transaction, so that bundles come in several parts.
            sync::import_in_parts(&office, &checked, &clock.stamp(), false, 3).unwrap();
        }

        let mut union: Vec<Counted> = counsel.iter().flat_map(counted).collect();
        union.sort();
        prop_assert_eq!(counted(&office), union);
        let v = office.verify().unwrap();
        prop_assert!(v.ok(), "{:?}", v.problems);
    }
}
