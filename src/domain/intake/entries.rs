//! Checking time entries, from a file, the `log` flags or the entry form alike: every row on its
//! own, then the rows of one item together (their fields must agree), then each entry against
//! the ledger (already there, advisor inactive, over 24 hours a day). Every problem is reported;
//! on any problem nothing is planned.

use std::collections::HashMap;
use std::rc::Rc;

use chrono::NaiveDate;

use super::plan::{
    EntryInput, EntryPlan, Fingerprint, ItemFields, ItemGroup, LedgerView, NewEntry, Target,
};
use super::problem::{ImportError, ItemField, Problem, RowError, Stated, Whose};
use super::reference::is_number;
use crate::domain::catalog::{Catalog, Satisfaction};
use crate::domain::duration::{DAY, Minutes};
use crate::domain::model::{AdvisorMatch, Item, ItemId, TextField, check_text, find_advisor};
use crate::domain::period::parse_date;

/// The most text one row may carry, in bytes of UTF-8, so that its records fit the store.
pub const MAX_ROW_TEXT_BYTES: usize = 48 * 1024;

/// A row that passed its own checks, before grouping.
struct CheckedRow {
    line: u64,
    date: NaiveDate,
    /// Shared with the rows before it of the same advisor.
    advisor: Rc<str>,
    minutes: Minutes,
    /// Shared with the rows before it that gave the same key.
    key: Rc<str>,
    /// Shared with the row before it of the same key that stated the same.
    fields: Rc<ItemFields>,
    note: String,
}

/// Validates entry rows (`(line, input)`) against the store and plans what to write.
/// Every bad row is reported; on any error nothing is planned. With `skip_known`, rows the
/// store already holds are skipped (an import run twice adds nothing the second time).
pub fn plan_entries<R: std::borrow::Borrow<(u64, EntryInput)>>(
    rows: impl IntoIterator<Item = R>,
    view: &dyn LedgerView,
    today: NaiveDate,
    skip_known: bool,
) -> Result<EntryPlan, ImportError> {
    plan_checked(check_entries(rows, view, today), view, skip_known)
}

/// Rows checked each on its own, with the problems found, waiting to be planned together
/// ([`plan_checked`]).
pub struct CheckedRows {
    rows: Vec<CheckedRow>,
    errors: Vec<RowError>,
}

/// Checks each row on its own (the first half of [`plan_entries`]): rows given by value go as
/// they are checked, so the file they came from can go before the plan is made.
pub fn check_entries<R: std::borrow::Borrow<(u64, EntryInput)>>(
    rows: impl IntoIterator<Item = R>,
    view: &dyn LedgerView,
    today: NaiveDate,
) -> CheckedRows {
    let mut errors: Vec<RowError> = Vec::new();
    let rows = rows.into_iter();
    let mut checked = Vec::with_capacity(rows.size_hint().0);
    // An item's rows mostly state the same fields: held once, not once a row.
    let mut stated: HashMap<Rc<str>, Rc<ItemFields>> = HashMap::new();
    let mut advisors = crate::domain::Words::default();
    let mut named = Named::default();
    for row in rows {
        let (line, input) = row.borrow();
        match check_row(input, *line, view, today, &mut named) {
            Ok(mut row) => {
                row.advisor = advisors.of(&row.advisor);
                if !row.key.is_empty() {
                    match stated.get_key_value(&row.key) {
                        Some((key, fields)) => {
                            row.key = Rc::clone(key);
                            if **fields == *row.fields {
                                row.fields = Rc::clone(fields);
                            }
                        }
                        None => {
                            stated.insert(Rc::clone(&row.key), Rc::clone(&row.fields));
                        }
                    }
                }
                checked.push(row);
            }
            Err(problems) => errors.extend(
                problems
                    .into_iter()
                    .map(|problem| RowError::new(*line, problem)),
            ),
        }
    }
    CheckedRows {
        rows: checked,
        errors,
    }
}

/// Plans checked rows together (the second half of [`plan_entries`]): each row's words move
/// into the plan as it is planned, so rows and plan are never both held whole.
pub fn plan_checked(
    checked: CheckedRows,
    view: &dyn LedgerView,
    skip_known: bool,
) -> Result<EntryPlan, ImportError> {
    let CheckedRows { mut rows, errors } = checked;
    let mut planner = Planner {
        view,
        skip_known,
        plan: EntryPlan::default(),
        seen_fingerprints: HashMap::new(),
        day_minutes: HashMap::new(),
        errors,
    };
    let groups = group_by_item(&rows, view);
    // Sized once: grown by doubling, a large plan's groups would be held twice as they move.
    planner.plan.groups.reserve_exact(groups.len());
    for group in groups {
        planner.add_group(&mut rows, group);
    }
    drop(rows);
    let Planner {
        plan, mut errors, ..
    } = planner;
    if errors.is_empty() {
        Ok(plan)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(ImportError::Rows(errors))
    }
}

/// Refuses a plan with entries dated in a closed month (`closed` gives a date's month when
/// it is closed), naming every such row.
pub fn refuse_closed_rows(
    plan: &EntryPlan,
    closed: impl Fn(NaiveDate) -> Option<String>,
) -> Result<(), ImportError> {
    let mut rows: Vec<RowError> = plan
        .groups
        .iter()
        .flat_map(|g| &g.entries)
        .filter_map(|e| closed(e.date).map(|m| RowError::new(e.line, Problem::MonthClosed(m))))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    rows.sort_by_key(|e| e.line);
    Err(ImportError::Rows(rows))
}

/// Checks one row on its own: formats, names, catalog codes. Item agreement comes later.
fn check_row(
    input: &EntryInput,
    line: u64,
    view: &dyn LedgerView,
    today: NaiveDate,
    named: &mut Named,
) -> Result<CheckedRow, Vec<Problem>> {
    let mut problems = Vec::new();
    let date = parse_date(&input.date, today)
        .map_err(|e| problems.push(Problem::Date(e)))
        .ok();
    let advisor = resolve_advisor(view, input.advisor.trim())
        .map_err(|p| problems.push(p))
        .unwrap_or_default();
    let minutes = Minutes::parse(&input.hours)
        .map_err(|e| problems.push(Problem::Hours(e)))
        .ok();
    let mut text = |field: TextField, value: &str| {
        check_text(field, value)
            .map_err(|e| problems.push(Problem::Field(e)))
            .unwrap_or_default()
    };
    let key = text(TextField::Item, &input.item);
    let title = text(TextField::Title, &input.title);
    let department = text(TextField::Department, &input.department);
    let note = text(TextField::Note, &input.note);
    // Each record must stay well under the store's 64 KiB value limit.
    // Measured as stored (JSON escapes quotes, backslashes and line breaks).
    let stored = |t: &str| serde_json::to_string(t).map_or(t.len(), |j| j.len());
    let text_bytes = stored(&title) + stored(&department) + stored(&note) + stored(&key);
    if text_bytes > MAX_ROW_TEXT_BYTES {
        problems.push(Problem::TooMuchText {
            kib: text_bytes.div_ceil(1024),
        });
    }
    let topic = catalog_code(
        view.topics(),
        &mut named.topics,
        &input.topic,
        &mut problems,
    );
    let service = catalog_code(
        view.services(),
        &mut named.services,
        &input.service,
        &mut problems,
    );
    let satisfaction = Satisfaction::parse_optional(&input.satisfaction)
        .map_err(|e| problems.push(Problem::Rating(e)))
        .unwrap_or(None);
    match (date, minutes) {
        (Some(date), Some(minutes)) if problems.is_empty() => Ok(CheckedRow {
            line,
            date,
            advisor: Rc::from(advisor),
            minutes,
            key: Rc::from(key),
            fields: Rc::new(ItemFields {
                title,
                topic,
                service,
                department,
                satisfaction,
            }),
            note,
        }),
        _ => Err(problems),
    }
}

/// The codes of the catalog words the rows have named so far, each word as written: an
/// import's rows name a handful of topics and services a million times, each looked up once.
#[derive(Default)]
struct Named {
    topics: HashMap<String, String>,
    services: HashMap<String, String>,
}

/// The code of the catalog entry a field names by code or label; blank stays blank ("same as
/// the item"). `known`: the codes of the words already found in this catalog.
fn catalog_code(
    catalog: &Catalog,
    known: &mut HashMap<String, String>,
    value: &str,
    problems: &mut Vec<Problem>,
) -> String {
    if value.trim().is_empty() {
        return String::new();
    }
    if let Some(code) = known.get(value) {
        return code.clone();
    }
    match catalog.resolve(value) {
        Ok(entry) => {
            known.insert(value.to_string(), entry.code.clone());
            entry.code.clone()
        }
        Err(e) => {
            problems.push(Problem::Catalog(e));
            String::new()
        }
    }
}

/// The id of the advisor a row names: the id itself, or, when it matches no advisor exactly,
/// the one advisor it matches ignoring letter case (`a001` for `A001`), so the entry is stored
/// under the id as the ledger spells it.
fn resolve_advisor(view: &dyn LedgerView, id: &str) -> Result<String, Problem> {
    if id.is_empty() {
        return Err(Problem::AdvisorMissing);
    }
    match find_advisor(view.advisors(), id) {
        AdvisorMatch::One(a) => Ok(a.id.clone()),
        AdvisorMatch::None => {
            let mut ids: Vec<String> = view
                .advisors()
                .values()
                .filter(|a| a.name.trim() == id.trim())
                .map(|a| a.id.clone())
                .collect();
            ids.sort();
            Err(if ids.is_empty() {
                Problem::UnknownAdvisor(id.to_string())
            } else {
                Problem::AdvisorNamed {
                    name: id.to_string(),
                    ids,
                }
            })
        }
        AdvisorMatch::Several(matches) => Err(Problem::AmbiguousAdvisor {
            id: id.to_string(),
            matches,
        }),
    }
}

/// The rows (by index into the checked rows) going to one item, with the key that named it
/// and the item if the ledger already holds it.
struct RowGroup {
    key: Rc<str>,
    members: Vec<usize>,
    /// Boxed: most groups are new items, and a million rows make a third of a million groups.
    existing: Option<Box<Item>>,
}

/// Groups rows by item reference; a blank one makes a new item of its own. References that
/// name the same item in the ledger (its key and its `#` number, say) are one group: the item's
/// fields and rating are settled once for all of its rows.
fn group_by_item(checked: &[CheckedRow], view: &dyn LedgerView) -> Vec<RowGroup> {
    // Keys are the rows' own, shared: a million rows' keys are not copied twice over.
    let mut order: Vec<(Rc<str>, Vec<usize>)> = Vec::new();
    let mut by_key: HashMap<Rc<str>, usize> = HashMap::new();
    for (i, row) in checked.iter().enumerate() {
        if row.key.is_empty() {
            order.push((Rc::clone(&row.key), vec![i]));
        } else if let Some(&g) = by_key.get(&row.key) {
            order[g].1.push(i);
        } else {
            by_key.insert(Rc::clone(&row.key), order.len());
            order.push((Rc::clone(&row.key), vec![i]));
        }
    }
    drop(by_key);

    let mut groups: Vec<RowGroup> = Vec::new();
    let mut by_item: HashMap<ItemId, usize> = HashMap::new();
    for (key, members) in order {
        let existing = (!key.is_empty())
            .then(|| view.item(&key))
            .flatten()
            .map(Box::new);
        match existing.as_ref().and_then(|item| by_item.get(&item.id)) {
            Some(&g) => {
                groups[g].members.extend(members);
                groups[g].members.sort_unstable();
            }
            None => {
                if let Some(item) = &existing {
                    by_item.insert(item.id, groups.len());
                }
                groups.push(RowGroup {
                    key,
                    members,
                    existing,
                });
            }
        }
    }
    groups
}

/// Merges the fields stated by one more row into an item's fields; every conflict is returned,
/// each naming both values (a topic's or service's by its catalog entry, read from `view`).
fn agree(
    into: &mut ItemFields,
    row: &ItemFields,
    whose: &Whose,
    view: &dyn LedgerView,
) -> Vec<Problem> {
    let mut conflicts = Vec::new();
    let pairs = [
        (ItemField::Title, &mut into.title, &row.title),
        (ItemField::Topic, &mut into.topic, &row.topic),
        (ItemField::Service, &mut into.service, &row.service),
        (ItemField::Department, &mut into.department, &row.department),
    ];
    for (field, have, said) in pairs {
        if said.is_empty() {
            continue;
        }
        if have.is_empty() {
            *have = said.clone();
        } else if have != said {
            conflicts.push(Problem::Conflict {
                whose: whose.clone(),
                field,
                have: stated(field, have, view),
                said: stated(field, said, view),
            });
        }
    }
    match (into.satisfaction, row.satisfaction) {
        (Some(have), Some(said)) if have != said => conflicts.push(Problem::RatingConflict {
            whose: whose.clone(),
            have,
            said,
        }),
        (None, Some(b)) => into.satisfaction = Some(b),
        _ => {}
    }
    conflicts
}

/// A field's value as a message shows it: a topic's or service's code as its catalog entry (a
/// code the catalog no longer holds as itself), any other field as its words.
fn stated(field: ItemField, value: &str, view: &dyn LedgerView) -> Stated {
    let catalog = match field {
        ItemField::Topic => view.topics(),
        ItemField::Service => view.services(),
        ItemField::Title | ItemField::Department => return Stated::Words(value.to_string()),
    };
    catalog.get(value).map_or_else(
        || Stated::Words(value.to_string()),
        |e| Stated::Entry(Box::new(e.clone())),
    )
}

/// The fields a new item cannot do without, if its rows left any blank.
fn missing_fields(fields: &ItemFields) -> Option<Problem> {
    let missing: Vec<ItemField> = [
        (ItemField::Title, &fields.title),
        (ItemField::Topic, &fields.topic),
        (ItemField::Service, &fields.service),
        (ItemField::Department, &fields.department),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_empty())
    .map(|(f, _)| f)
    .collect();
    (!missing.is_empty()).then_some(Problem::Incomplete(missing))
}

/// The plan as it grows group by group, with what the later rows are checked against.
struct Planner<'a> {
    view: &'a dyn LedgerView,
    skip_known: bool,
    plan: EntryPlan,
    /// How many times each fingerprint has come up so far.
    seen_fingerprints: HashMap<Fingerprint, u64>,
    /// Each advisor's minutes on a day so far (the ledger's and the rows'), with the line that
    /// first counted them.
    day_minutes: HashMap<(Rc<str>, NaiveDate), (Minutes, u64)>,
    errors: Vec<RowError>,
}

impl Planner<'_> {
    /// Settles one item's fields from its rows and plans its new entries.
    fn add_group(&mut self, checked: &mut [CheckedRow], group: RowGroup) {
        let RowGroup {
            key,
            members,
            existing,
        } = group;
        // A `#` names the ledger's own number, never a key: one that names no item is refused
        // rather than made into a new item under a key that looks like a number.
        if existing.is_none() && is_number(&key) {
            self.errors.push(RowError::new(
                checked[members[0]].line,
                Problem::UnknownNumber(key.to_string()),
            ));
            return;
        }
        let mut fields = existing.as_deref().map(ItemFields::of).unwrap_or_default();
        let whose = if existing.is_some() {
            Whose::Ledger(key.to_string())
        } else if key.is_empty() {
            Whose::Unkeyed
        } else {
            Whose::File {
                key: key.to_string(),
                line: checked[members[0]].line,
            }
        };
        let mut group_ok = true;
        for &i in &members {
            for problem in agree(&mut fields, &checked[i].fields, &whose, self.view) {
                self.errors.push(RowError::new(checked[i].line, problem));
                group_ok = false;
            }
        }
        if !group_ok {
            return;
        }
        if existing.is_none()
            && let Some(problem) = missing_fields(&fields)
        {
            self.errors
                .push(RowError::new(checked[members[0]].line, problem));
            return;
        }
        let mut entries = Vec::with_capacity(members.len());
        entries.extend(
            members
                .iter()
                .filter_map(|&i| self.new_entry(&mut checked[i], &fields)),
        );
        if entries.is_empty() {
            return;
        }
        let target = match existing {
            Some(item) => Target::Existing {
                id: item.id,
                rate: if item.satisfaction.is_none() {
                    fields.satisfaction
                } else {
                    None
                },
            },
            None => Target::New {
                key: (!key.is_empty()).then(|| key.to_string()),
                fields,
            },
        };
        self.plan.groups.push(ItemGroup { target, entries });
    }

    /// The entry a row adds to its item, if the ledger does not hold it already and the
    /// advisor may take it.
    fn new_entry(&mut self, row: &mut CheckedRow, fields: &ItemFields) -> Option<NewEntry> {
        let fingerprint = Fingerprint::of(row.date, &row.advisor, row.minutes, fields, &row.note);
        // The n-th copy of a row in the file is new only if the store has fewer than n; only
        // the copies of rows the store holds need counting.
        let held = if self.skip_known {
            self.view.fingerprint_count(&fingerprint)
        } else {
            0
        };
        if held > 0 {
            let nth = self.seen_fingerprints.entry(fingerprint).or_insert(0);
            *nth += 1;
            if *nth <= held {
                self.plan.skipped += 1;
                return None;
            }
        }
        // Checked after the skip, so re-importing rows the ledger already holds for an
        // advisor who has since left still adds nothing, quietly.
        if let Some(a) = self
            .view
            .advisors()
            .get(&*row.advisor)
            .filter(|a| !a.active)
        {
            self.errors.push(RowError::new(
                row.line,
                Problem::InactiveAdvisor {
                    id: a.id.clone(),
                    name: a.name.clone(),
                },
            ));
            return None;
        }
        let view = self.view;
        let day = self
            .day_minutes
            .entry((Rc::clone(&row.advisor), row.date))
            .or_insert_with(|| (view.logged(&row.advisor, row.date), row.line));
        day.0 += row.minutes;
        if day.0 > DAY {
            self.errors.push(RowError::new(
                row.line,
                Problem::OverDay {
                    advisor: row.advisor.to_string(),
                    total: day.0,
                    date: row.date,
                },
            ));
            return None;
        }
        // The row is planned: its words move into the plan.
        Some(NewEntry {
            line: row.line,
            date: row.date,
            advisor: Rc::clone(&row.advisor),
            minutes: row.minutes,
            note: std::mem::take(&mut row.note),
            fingerprint,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::domain::intake::Origin;
    use crate::domain::intake::fake::{Fake, lines, plan};

    #[test]
    fn rows_with_one_key_make_one_item_and_blank_keys_one_each() {
        let p = plan(
            "2024-03-01,A001,1.5,K1,合同审核,contracts,contract-review,财政局,满意,\n\
             2024-03-02,A001,1:30,K1,合同审核,合同协议,合同审核,财政局,,\n\
             2024-03-02,A001,30m,,咨询,labor,consultation,人社局,,\n\
             2024-03-03,A001,30m,,咨询,labor,consultation,人社局,,\n",
            &Fake::new(),
        )
        .unwrap();
        assert_eq!(p.new_item_count(), 3);
        assert_eq!(p.entry_count(), 4);
        assert_eq!(p.minutes(), Minutes(240));
        let Target::New { fields, .. } = &p.groups[0].target else {
            panic!()
        };
        assert_eq!(
            fields.satisfaction,
            Some(Satisfaction::Satisfied),
            "a blank rating agrees with the stated one"
        );
    }

    #[test]
    fn every_bad_row_is_listed_with_its_line() {
        let e = plan(
            "2024-03-01,A001,1.5,K1,合同审核,contracts,contract-review,财政局,,\n\
             2024-03-01,A999,1,,t,contracts,opinion,财政局,,\n\
             2024-02-30,A001,1,,t,contracts,opinion,财政局,,\n\
             2024-03-02,A001,1,K1,另一个标题,contracts,contract-review,财政局,,\n\
             2024-03-02,A001,nan,,t,contracts,opinion,财政局,,\n\
             2024-03-02,A001,1,,,contracts,opinion,财政局,,\n",
            &Fake::new(),
        )
        .unwrap_err();
        let text = e.to_string();
        assert_eq!(lines(e), [3, 4, 5, 6, 7], "{text}");
        assert!(text.contains("unknown advisor \"A999\""), "{text}");
        assert!(text.contains("2024-02-30 does not exist"), "{text}");
        assert!(
            text.contains("title \"合同审核\" but this row says \"另一个标题\""),
            "{text}"
        );
        assert!(text.contains("needs a title"), "{text}");
    }

    #[test]
    fn a_row_that_disagrees_on_title_and_rating_is_told_both() {
        let e = plan(
            "2024-03-01,A001,1.5,K1,合同审核,contracts,contract-review,财政局,satisfied,\n\
             2024-03-02,A001,1,K1,合同审查,contracts,contract-review,财政局,basic,\n",
            &Fake::new(),
        )
        .unwrap_err();
        let en = e.message(Lang::En);
        assert!(
            en.contains("has title \"合同审核\" but this row says \"合同审查\"")
                && en.contains("is rated \"satisfied\" but this row says \"basically satisfied\""),
            "{en}"
        );
    }

    #[test]
    fn a_conflict_names_topics_and_services_by_their_names_in_the_language_shown() {
        let e = plan(
            "2024-03-01,A001,1.5,K1,合同审核,contracts,contract-review,财政局,satisfied,\n\
             2024-03-02,A001,1,K1,合同审核,信息公开,contract-review,财政局,,\n\
             2024-03-03,A001,1,K1,合同审核,contracts,opinion,财政局,,\n\
             2024-03-04,A001,1,K1,合同审核,contracts,contract-review,财政局,basic,\n",
            &Fake::new(),
        )
        .unwrap_err();
        let zh = e.message(Lang::Zh);
        assert!(
            zh.contains("的领域是“合同协议”，本行填的是“信息公开”")
                && zh.contains("的服务方式是“合同审核”，本行填的是“法律意见”"),
            "{zh}"
        );
        let en = e.message(Lang::En);
        assert!(
            en.contains("has topic \"Contracts and agreements\" but this row says \"Information disclosure\"")
                && en.contains("has service \"Contract review\" but this row says \"Legal opinion\"")
                && en.contains("is rated \"satisfied\" but this row says \"basically satisfied\""),
            "{en}"
        );
        for code in [
            "contracts",
            "info-disclosure",
            "contract-review",
            "\"opinion\"",
            "\"basic\"",
        ] {
            assert!(
                !zh.contains(code) && !en.contains(code),
                "{code}: {zh}\n{en}"
            );
        }
    }

    #[test]
    fn problems_read_as_a_row_in_a_file_and_as_an_entry_alone() {
        let e = plan(
            "2024-03-01,A001,1.5,K1,合同审核,contracts,contract-review,财政局,,\n\
             2024-03-02,A001,1,K1,另一个标题,contracts,contract-review,财政局,,\n",
            &Fake::new(),
        )
        .unwrap_err();
        let zh = e.message(Lang::Zh);
        assert!(
            zh.contains(
                "第 3 行：事项 K1（第 2 行）的标题是“合同审核”，本行填的是“另一个标题”：请保持一致"
            ),
            "{zh}"
        );
        let ImportError::Rows(rows) = &e else {
            panic!("{e}")
        };
        assert_eq!(
            rows[0].problem.message(Lang::En, Origin::Entry),
            "item K1 (line 2) has title \"合同审核\" but this entry says \"另一个标题\": make them \
                the same"
        );
        let over = Problem::OverDay {
            advisor: "A001".into(),
            total: Minutes(1441),
            date: "2024-03-01".parse().unwrap(),
        };
        assert_eq!(
            over.message(Lang::Zh, Origin::File),
            "A001 在 2024-03-01 将累计 24 小时 1 分钟，超过 24 小时：请核对当天记录的时长"
        );
    }

    #[test]
    fn a_number_no_item_has_is_refused_and_never_becomes_a_key() {
        let e = plan(
            "2024-03-01,A001,1,#2024-0019,a,labor,opinion,d,,\n\
             2024-03-01,A001,1,2024-0019,a,labor,opinion,d,,\n",
            &Fake::new(),
        )
        .unwrap_err();
        assert_eq!(lines(e.clone()), [2], "the bare reference is a key: {e}");
        assert!(
            e.to_string().contains(
                "no item in the ledger has the number #2024-0019: a reference beginning with # \
                 is the ledger's own item number, and a key may not begin with #; to make a new \
                 item under a key, write it without the # (2024-0019)"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_day_over_24_hours_is_refused_counting_what_is_already_logged() {
        // The fake store already holds 10 hours for every advisor and day.
        let e = plan(
            "2024-03-01,A001,8,,a,labor,opinion,d,,\n2024-03-01,A001,7,,b,labor,opinion,d,,\n",
            &Fake::new(),
        )
        .unwrap_err();
        assert_eq!(lines(e), [3]);
    }

    #[test]
    fn rows_already_in_the_store_are_skipped_copy_for_copy() {
        let row = "2024-03-01,A001,1,,a,labor,opinion,d,,\n";
        let mut view = Fake::new();
        let first = plan(&row.repeat(2), &view).unwrap();
        assert_eq!((first.entry_count(), first.skipped), (2, 0));
        let fp = first.groups[0].entries[0].fingerprint;
        view.known.insert(fp, 1);
        let second = plan(&row.repeat(2), &view).unwrap();
        assert_eq!(
            (second.entry_count(), second.skipped),
            (1, 1),
            "the store has one copy, the file two"
        );
    }
}
