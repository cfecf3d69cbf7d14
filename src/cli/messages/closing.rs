//! The texts of `close` and `reopen`: what they did, and a month that cannot be read.

use super::count;
use crate::domain::Lang;
use crate::store::{ClosedMonth, Month};

/// A month on the command line that is not `YYYY-MM`.
#[derive(Debug)]
pub struct NotAMonth(pub String);

impl NotAMonth {
    /// The problem and what to do, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let typed = &self.0;
        lang.of((
            format!("“{typed}”不是月份：请写成 年-月，如 2024-03"),
            format!("\"{typed}\" is not a month: write it as YYYY-MM, e.g. 2024-03"),
        ))
    }
}

/// What `close` or `reopen` did.
pub enum Closed<'a> {
    /// The month is closed with the figures it holds now; `changes` entries differ from an
    /// earlier filing that stays the month's (0 when this closing filed it).
    Closed {
        closed: &'a ClosedMonth,
        entries: u64,
        items: u64,
        hours: String,
        changes: usize,
    },
    Reopened(Month),
}

impl Closed<'_> {
    /// The one line the command prints, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Closed::Closed {
                closed,
                entries: n,
                items: i,
                hours,
                changes,
            } => {
                let m = closed.month;
                let label = m.period().label(Lang::Zh);
                let (entries, items) = (count(*n, "entry", "entries"), count(*i, "item", "items"));
                let mut line = lang.of((
                    format!("{label}已结账：{n} 条记录，{i} 件次，{hours} 小时。"),
                    format!("{m} is closed and filed: {entries}, {items}, {hours} h."),
                ));
                if closed.filed.at != closed.at {
                    let (day, c) = (closed.filed.at.date_naive(), *changes);
                    let report = format!("`counsel-log report --period {m}`");
                    line += &lang.of((
                        format!(
                            "该月于 {day} 首次报送的数字不变，此后有 {c} 条记录变动，见 {report}。"
                        ),
                        format!(
                            " The figures first filed on {day} stand; {} changed since, shown by \
                                {report}.",
                            count(c, "entry", "entries")
                        ),
                    ));
                }
                line
            }
            Closed::Reopened(m) => {
                let label = m.period().label(Lang::Zh);
                lang.of((
                    format!(
                        "{label}已重新开账：该月的记录可以再次修改；改完后用 `counsel-log close {m}` \
                            重新结账。"
                    ),
                    format!(
                        "{m} is reopened: its entries can be changed again; close it again with \
                            `counsel-log close {m}`."
                    ),
                ))
            }
        }
    }
}
