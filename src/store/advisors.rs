//! Adding and changing advisors, one by one or from an import.

use serde_json::json;

use super::tx::TxError;
use super::{Result, Stamp, Store, StoreError, Text, codec};
use crate::domain::import::{AdvisorPlan, id_alike_message};
use crate::domain::model::{AdvisorChange, id_alike};
use crate::domain::{Advisor, Lang};

impl Store {
    /// Adds one advisor; an id already in use is refused.
    pub fn add_advisor(&self, advisor: &Advisor, stamp: &Stamp) -> Result<()> {
        // Ids ignore letter case: `a001` beside `A001` would split one person's entries.
        if let Some(old) = id_alike(self.advisors()?.values(), &advisor.id) {
            return Err(StoreError::rejected(
                id_alike_message(&advisor.id, &old.id, &old.name, Lang::Zh),
                id_alike_message(&advisor.id, &old.id, &old.name, Lang::En),
            ));
        }
        self.commit(|tx| {
            if tx.advisors().get(advisor.id.as_bytes())?.is_some() {
                return Err(TxError::Abort(StoreError::rejected(
                    format!(
                        "顾问编号 {} 已被使用：请换一个编号（见 `counsel-log advisor list`）",
                        advisor.id
                    ),
                    format!(
                        "advisor id {} is already in use: choose another id (see `counsel-log advisor list`)",
                        advisor.id
                    ),
                )));
            }
            tx.advisors().insert(advisor.id.as_bytes(), codec::encode_json(advisor))?;
            tx.audit(stamp, "advisor.add", json!(null), json!(advisor))
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
                return Err(TxError::Abort(StoreError::rejected(
                    format!("没有编号为 {id} 的顾问：请用 `counsel-log advisor list` 查看编号"),
                    format!("there is no advisor {id}: see the ids with `counsel-log advisor list`"),
                )));
            };
            let before: Advisor = codec::decode_json(&v).ok_or_else(|| {
                TxError::Abort(self.damaged(Text::new(
                    format!("顾问 {id} 的记录无法读取"),
                    format!("advisor {id}'s record is unreadable"),
                )))
            })?;
            let after = change.apply(&before);
            if after == before {
                return Err(TxError::Abort(StoreError::rejected(
                    format!("顾问 {id} 已是这些信息，没有需要修改的内容：请给出不同的值"),
                    format!("advisor {id} already has these values, so nothing was changed: give a different value"),
                )));
            }
            tx.advisors()
                .insert(id.as_bytes(), codec::encode_json(&after))?;
            tx.audit(stamp, "advisor.edit", json!(before), json!(after))?;
            Ok((before.clone(), after.clone()))
        })
    }

    /// Adds the advisors of an import plan, all or none.
    pub fn apply_advisors(&self, plan: &AdvisorPlan, source: &str, stamp: &Stamp) -> Result<()> {
        if plan.new.is_empty() {
            return Ok(());
        }
        let existing = self.advisors()?;
        for a in &plan.new {
            if let Some(old) = id_alike(existing.values(), &a.id) {
                return Err(StoreError::rejected(
                    id_alike_message(&a.id, &old.id, &old.name, Lang::Zh),
                    id_alike_message(&a.id, &old.id, &old.name, Lang::En),
                ));
            }
        }
        self.commit(|tx| {
            for a in &plan.new {
                if tx.advisors().get(a.id.as_bytes())?.is_some() {
                    return Err(TxError::Abort(StoreError::rejected(
                        format!("顾问编号 {} 已被使用：请换一个编号", a.id),
                        format!("advisor id {} is already in use", a.id),
                    )));
                }
                tx.advisors()
                    .insert(a.id.as_bytes(), codec::encode_json(a))?;
            }
            let ids: Vec<&str> = plan.new.iter().map(|a| a.id.as_str()).collect();
            tx.audit(
                stamp,
                "import.advisors",
                json!(null),
                json!({"file": source, "advisors": ids}),
            )
        })
    }
}
