//! The texts of `item close|reopen|rate|outcome`: what the item is now, and why a change was
//! refused before the store was asked.

use crate::domain::Lang;
use crate::domain::model::{Adoption, ItemStatus};
use crate::domain::strings::printable;
use crate::store::ItemState;

/// Why `item rate` or `item outcome` refused its arguments; nothing was changed.
#[derive(Debug)]
pub enum ItemRefusal {
    /// `item rate` given a rating nobody recognises (as typed).
    UnknownRating(String),
    /// `item outcome ITEM not-adopted` without `--reason`.
    ReasonMissing,
    /// `--reason` given with `adopted` or `none`, where no reason is kept.
    ReasonNotKept,
}

impl ItemRefusal {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        printable(&lang.of(match self {
            Self::UnknownRating(typed) => (
                format!(
                    "没有“{typed}”这一满意度：请用 满意、基本满意、不满意 或 未评价\
                        （satisfied、basic、unsatisfied、unrated）"
                ),
                format!(
                    "unknown rating \"{typed}\": use satisfied, basic, unsatisfied or unrated \
                        (满意, 基本满意, 不满意, 未评价)"
                ),
            ),
            Self::ReasonMissing => (
                "未采纳须说明原因：请用 --reason 给出原因".into(),
                "advice not adopted needs its reason: give it with --reason".into(),
            ),
            Self::ReasonNotKept => (
                "只有未采纳时才记录原因：请去掉 --reason，或改用 not-adopted".into(),
                "a reason is kept only when the advice was not adopted: leave out --reason, or \
                    use not-adopted"
                    .into(),
            ),
        }))
    }
}

/// What an `item` command left the item as: "Item #2024-0039: closed · satisfied · adopted."
pub struct ItemSet<'a> {
    pub number: &'a str,
    pub state: &'a ItemState,
}

impl ItemSet<'_> {
    /// The one line the command prints, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let status = match self.state.status {
            ItemStatus::Open => lang.of(("进行中", "open")),
            ItemStatus::Closed => lang.of(("已办结", "closed")),
        };
        let rating = self
            .state
            .satisfaction
            .map_or(lang.of(("未评价", "unrated")), |r| r.label(lang));
        let outcome = match &self.state.outcome {
            None => lang
                .of(("采纳情况未记录", "adoption not recorded"))
                .to_string(),
            Some(Adoption { adopted: true, .. }) => lang.of(("已采纳", "adopted")).to_string(),
            Some(Adoption { reason, .. }) => lang.of((
                format!("未采纳（{reason}）"),
                format!("not adopted ({reason})"),
            )),
        };
        let number = self.number;
        printable(&lang.of((
            format!("事项 {number}：{status} · {rating} · {outcome}。"),
            format!("Item {number}: {status} · {rating} · {outcome}."),
        )))
    }
}
