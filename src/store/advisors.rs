//! Adding and changing advisors, one by one or from an import.

use serde_json::json;

use super::ident::Kind;
use super::tx::TxError;
use super::{AdvisorRefusal, AuditAction, Result, Stamp, Store, StoreError, Unreadable, codec};
use crate::domain::Advisor;
use crate::domain::intake::AdvisorPlan;
use crate::domain::model::{AdvisorChange, id_alike};

impl Store {
    /// Adds one advisor; an id already in use is refused.
    pub fn add_advisor(&self, advisor: &Advisor, stamp: &Stamp) -> Result<()> {
        // Ids ignore letter case: `a001` beside `A001` would split one person's entries.
        if let Some(old) = id_alike(self.advisors()?.values(), &advisor.id) {
            return Err(id_alike_refusal(&advisor.id, old).into());
        }
        self.commit(|tx| {
            if tx.advisors().get(advisor.id.as_bytes())?.is_some() {
                return Err(TxError::Abort(
                    AdvisorRefusal::IdTaken {
                        id: advisor.id.clone(),
                    }
                    .into(),
                ));
            }
            tx.advisors()
                .insert(advisor.id.as_bytes(), codec::encode_json(advisor))?;
            tx.touched(Kind::Advisor, advisor.id.as_bytes())?;
            tx.audit(stamp, AuditAction::AdvisorAdd, json!(null), json!(advisor))
        })
    }

    /// Changes one advisor's name, category, unit or active flag in one audited transaction
    /// (`advisor.edit`, the advisor before and after). An unknown id, or a change that changes
    /// nothing, is refused and writes nothing. Returns the advisor before and after.
    pub fn update_advisor(
        &self,
        id: &str,
        change: &AdvisorChange,
        stamp: &Stamp,
    ) -> Result<(Advisor, Advisor)> {
        self.commit(|tx| {
            let Some(v) = tx.advisors().get(id.as_bytes())? else {
                return Err(TxError::Abort(
                    AdvisorRefusal::NoSuchAdvisor { id: id.to_string() }.into(),
                ));
            };
            let before: Advisor = codec::decode_json(&v).ok_or_else(|| {
                TxError::Abort(self.unreadable(Unreadable::Advisor(id.to_string())))
            })?;
            let after = change.apply(&before);
            if after == before {
                return Err(TxError::Abort(
                    AdvisorRefusal::Unchanged { id: id.to_string() }.into(),
                ));
            }
            tx.advisors()
                .insert(id.as_bytes(), codec::encode_json(&after))?;
            tx.touched(Kind::Advisor, id.as_bytes())?;
            tx.audit(stamp, AuditAction::AdvisorEdit, json!(before), json!(after))?;
            Ok((before.clone(), after.clone()))
        })
    }

    /// Adds the advisors of an import plan, all or none.
    pub fn apply_advisors(&self, plan: &AdvisorPlan, source: &str, stamp: &Stamp) -> Result<()> {
        if plan.new.is_empty() && plan.changed.is_empty() {
            return Ok(());
        }
        let existing = self.advisors()?;
        for a in &plan.new {
            if let Some(old) = id_alike(existing.values(), &a.id) {
                return Err(id_alike_refusal(&a.id, old).into());
            }
        }
        self.commit(|tx| {
            for a in &plan.new {
                if tx.advisors().get(a.id.as_bytes())?.is_some() {
                    return Err(TxError::Abort(StoreError::from(
                        AdvisorRefusal::ImportedIdTaken { id: a.id.clone() },
                    )));
                }
                tx.advisors()
                    .insert(a.id.as_bytes(), codec::encode_json(a))?;
                tx.touched(Kind::Advisor, a.id.as_bytes())?;
            }
            for (_, after) in &plan.changed {
                tx.advisors()
                    .insert(after.id.as_bytes(), codec::encode_json(after))?;
                tx.touched(Kind::Advisor, after.id.as_bytes())?;
            }
            let ids: Vec<&str> = plan.new.iter().map(|a| a.id.as_str()).collect();
            if plan.changed.is_empty() {
                return tx.audit(
                    stamp,
                    AuditAction::ImportAdvisors,
                    json!(null),
                    json!({"file": source, "advisors": ids}),
                );
            }
            let before: Vec<&Advisor> = plan.changed.iter().map(|(b, _)| b).collect();
            let after: Vec<&Advisor> = plan.changed.iter().map(|(_, a)| a).collect();
            tx.audit(
                stamp,
                AuditAction::ImportAdvisors,
                json!({"changed": before}),
                json!({"file": source, "advisors": ids, "changed": after}),
            )
        })
    }
}

/// The refusal of `id`, which differs only in letter case from the advisor `old`.
fn id_alike_refusal(id: &str, old: &Advisor) -> AdvisorRefusal {
    AdvisorRefusal::IdAlike {
        id: id.to_string(),
        existing: old.id.clone(),
        name: old.name.clone(),
    }
}
