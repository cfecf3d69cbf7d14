//! Checking an advisors file against the advisors already in the ledger: every row on its own,
//! then ids, which ignore letter case, unique across the file and the ledger.

use std::collections::HashMap;

use super::columns::{FileKind, Line, read_lines_and_faults};
use super::problem::{ImportError, Problem, RowError};
use crate::domain::catalog::Category;
use crate::domain::model::{Advisor, TextField, check_advisor_id, check_text, id_alike};

/// What an advisors file adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvisorPlan {
    pub new: Vec<Advisor>,
    /// Advisors already in the store that the file changes (with `--update`): as they are,
    /// and as the file has them.
    pub changed: Vec<(Advisor, Advisor)>,
    /// Rows identical to advisors already in the store.
    pub unchanged: usize,
}

/// Validates an advisors file against the advisors already in the store.
pub fn plan_advisors(
    text: &str,
    existing: &HashMap<String, Advisor>,
) -> Result<AdvisorPlan, ImportError> {
    plan_with(text, existing, false)
}

/// Validates the office's roster against the advisors already in the store: the advisors it
/// has with other names, categories, units or active flags take the roster's (a row without
/// an active flag keeps the advisor's).
pub fn plan_roster(
    text: &str,
    existing: &HashMap<String, Advisor>,
) -> Result<AdvisorPlan, ImportError> {
    plan_with(text, existing, true)
}

fn plan_with(
    text: &str,
    existing: &HashMap<String, Advisor>,
    update: bool,
) -> Result<AdvisorPlan, ImportError> {
    let (lines, mut errors) = read_lines_and_faults(text, FileKind::Advisors)?;
    // Ids ignore letter case: the file's ids by their upper-case form, with the line and the
    // id as written.
    let mut seen: HashMap<String, (u64, String)> = HashMap::new();
    let mut plan = AdvisorPlan {
        new: Vec::new(),
        changed: Vec::new(),
        unchanged: 0,
    };
    for line in &lines {
        let placed = read_advisor(line).and_then(|mut advisor| {
            if update && let Some(old) = existing.get(&advisor.id) {
                if line.get(4).trim().is_empty() {
                    advisor.active = old.active;
                }
                if *old != advisor {
                    seen.insert(
                        advisor.id.to_ascii_uppercase(),
                        (line.number, advisor.id.clone()),
                    );
                    plan.changed.push((old.clone(), advisor));
                    return Ok(());
                }
            }
            place(advisor, line.number, &mut seen, existing, &mut plan)
        });
        if let Err(problem) = placed {
            errors.push(RowError::new(line.number, problem));
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(ImportError::Rows(errors))
    }
}

/// One row as an advisor, checked on its own.
fn read_advisor(line: &Line) -> Result<Advisor, Problem> {
    let id = check_advisor_id(line.get(0)).map_err(Problem::Field)?;
    let name = check_text(TextField::Name, line.get(1)).map_err(Problem::Field)?;
    if name.is_empty() {
        return Err(Problem::NoName(id));
    }
    let category = Category::parse(line.get(2))
        .ok_or_else(|| Problem::UnknownCategory(line.get(2).trim().to_string()))?;
    let unit = check_text(TextField::Unit, line.get(3)).map_err(Problem::Field)?;
    let active = match line.get(4).trim().to_lowercase().as_str() {
        "" | "yes" | "true" | "是" | "在职" => true,
        "no" | "false" | "否" | "离职" => false,
        other => return Err(Problem::BadActive(other.to_string())),
    };
    Ok(Advisor {
        id,
        name,
        category,
        unit,
        active,
    })
}

/// Adds the advisor on `line` to the plan: new, or the same as in the ledger; refused when the
/// id (ignoring letter case) is taken by an earlier line or by someone else in the ledger.
fn place(
    advisor: Advisor,
    line: u64,
    seen: &mut HashMap<String, (u64, String)>,
    existing: &HashMap<String, Advisor>,
    plan: &mut AdvisorPlan,
) -> Result<(), Problem> {
    let folded = advisor.id.to_ascii_uppercase();
    if let Some((first, other)) = seen.get(&folded) {
        return Err(if *other == advisor.id {
            Problem::IdRepeated {
                id: advisor.id,
                first: *first,
            }
        } else {
            Problem::IdLikeLine {
                id: advisor.id,
                other: other.clone(),
                first: *first,
            }
        });
    }
    seen.insert(folded, (line, advisor.id.clone()));
    if let Some(old) = existing.get(&advisor.id) {
        if old.name == advisor.name && old.category == advisor.category && old.unit == advisor.unit
        {
            plan.unchanged += 1;
            Ok(())
        } else {
            Err(Problem::IdTaken {
                id: advisor.id,
                name: old.name.clone(),
                category: old.category,
            })
        }
    } else if let Some(old) = id_alike(existing.values(), &advisor.id) {
        Err(Problem::IdLikeExisting {
            id: advisor.id,
            existing: old.id.clone(),
            name: old.name.clone(),
        })
    } else {
        plan.new.push(advisor);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::intake::fake::{Fake, plan};

    #[test]
    fn advisor_ids_are_unique_in_the_file_and_the_store() {
        let existing = Fake::new().advisors;
        let e = plan_advisors(
            "id,name,category,unit\nA002,李娜,公职律师,财政局\n\
             A002,王伟,expert,大学\nA001,别人,staff,x\n",
            &existing,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("line 3: advisor id A002 is already used on line 2"),
            "{e}"
        );
        assert!(
            e.contains("line 4: advisor id A001 already belongs to 程艳"),
            "{e}"
        );
        let same = plan_advisors("id,name,category,unit\nA001,程艳,staff,\n", &existing).unwrap();
        assert_eq!((same.new.len(), same.unchanged), (0, 1));
    }

    #[test]
    fn advisor_ids_differing_only_in_case_are_one_id() {
        let view = Fake::new();
        let e = plan_advisors(
            "id,name,category,unit\na001,别人,staff,x\nB1,甲,staff,\nb1,乙,staff,\n",
            &view.advisors,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("line 2: advisor id a001 differs only in letter case from A001 (程艳)"),
            "{e}"
        );
        assert!(
            e.contains("line 4: advisor id b1 differs only in letter case from B1 on line 3"),
            "{e}"
        );
        // An entry naming a001 is A001's, stored under A001.
        let p = plan("2024-03-01,a001,1,,t,other,other,d,,\n", &view).unwrap();
        assert_eq!(&*p.groups[0].entries[0].advisor, "A001");
    }
}
