//! The interface's texts that name values: what the status line says after an action, the
//! form's problems, durations and audit-trail actions in words. One function per kind of text,
//! both languages side by side or built from the fixed words of [`super::Strings`].

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use super::{EN, ZH, strings};
use crate::domain::intake::{id_alike_changed_by, shown_number};
use crate::domain::{Advisor, EntryId, Item, Lang, Minutes, Period};
use crate::store::{AdvisorRefusal, AuditAction, ItemState, Rejection, StoreError};
use crate::tui::form::{AdvisorProblem, FieldProblem};

/// An audit-trail action in words, as undo names it.
pub fn action_label(lang: Lang, action: AuditAction) -> &'static str {
    let (zh, en) = match action {
        AuditAction::EntryAdd => ("新增记录", "the new entry"),
        AuditAction::EntryEdit => ("编辑", "the edit"),
        AuditAction::EntryDelete => ("删除", "the deletion"),
        AuditAction::ItemEdit => ("事项修改", "the item change"),
        AuditAction::ImportEntries => ("导入", "the import"),
        AuditAction::TimerStop => ("计时记录", "the timed entry"),
        AuditAction::ImportAdvisors => ("导入顾问", "the advisor import"),
        AuditAction::AdvisorAdd => ("添加顾问", "the new advisor"),
        AuditAction::Restore => ("恢复", "the restore"),
        AuditAction::MonthClose => ("结账", "the closing of a month"),
        AuditAction::MonthReopen => ("重新开账", "the reopening of a month"),
        AuditAction::AdvisorEdit
        | AuditAction::CatalogAdd
        | AuditAction::TimerStart
        | AuditAction::TimerCancel
        | AuditAction::Undo
        | AuditAction::Rollback
        | AuditAction::Migrate
        | AuditAction::Correct
        | AuditAction::PeerAdd
        | AuditAction::PeerEdit
        | AuditAction::PeerRemove
        | AuditAction::BundleImport
        | AuditAction::BundleWrite
        | AuditAction::StoreName => ("上一步", "the last change"),
    };
    lang.of((zh, en))
}

/// Why `u` took nothing back: the last change, named as `history` names it so that it can be
/// found there, and for an import the way back.
fn cannot_undo(lang: Lang, action: AuditAction, at: &DateTime<FixedOffset>) -> String {
    let words = strings(lang);
    let when = at.format("%Y-%m-%d %H:%M");
    let said = words.aside(words.cannot_undo, format!("{}, {when}", action.label(lang)));
    match action {
        AuditAction::ImportEntries | AuditAction::ImportAdvisors => {
            format!("{said}: {}", words.undo_import)
        }
        _ => said,
    }
}

/// What the status line says after an action, naming what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// An entry was saved: a new one with its hours, and the period now shown when the entry
    /// lies outside the one that was.
    EntrySaved {
        id: EntryId,
        new_hours: Option<Minutes>,
        now_showing: Option<Period>,
    },
    EntryDeleted(EntryId),
    /// An advisor was added (`new`) or changed from the Team screen: as it is now.
    AdvisorSaved {
        advisor: Advisor,
        new: bool,
    },
    /// The Items screen changed an item; what it now is.
    ItemSaved {
        number: String,
        state: ItemState,
    },
    /// This audit-trail action was undone.
    Undone {
        action: AuditAction,
    },
    /// The last change is not one the interface undoes: which, and when.
    CannotUndo {
        action: AuditAction,
        at: DateTime<FixedOffset>,
    },
    TimerStopped {
        item: Option<Item>,
        minutes: Minutes,
    },
    /// A timer stopped within the minute it started, so nothing was logged.
    TimerCancelled {
        item: Option<Item>,
    },
    /// A timer that ran across midnight stopped: its time is logged on the day it stopped.
    TimerStoppedNextDay {
        item: Option<Item>,
        minutes: Minutes,
        started: NaiveDate,
        logged: NaiveDate,
    },
    /// Midnight passed while the interface was open.
    NewDay {
        today: NaiveDate,
    },
    /// The question before an edit changes an item shared by other entries.
    ItemShared {
        number: String,
        entries: usize,
        advisors: usize,
    },
    /// An edit changed the item for all its entries.
    ItemChanged {
        number: String,
        entries: usize,
    },
}

impl Notice {
    /// The notice in words.
    pub fn message(&self, lang: Lang) -> String {
        let words = strings(lang);
        let item_words = |item: &Option<Item>| {
            item.as_ref().map_or_else(String::new, |i| {
                format!("{} {}", shown_number(&i.number), i.title)
            })
        };
        match self {
            Notice::EntrySaved {
                id,
                new_hours,
                now_showing,
            } => {
                let mut text = format!("{} #{}", words.saved, id.0);
                if let Some(minutes) = new_hours {
                    text = words.aside(text, format!("{} {}", minutes.hours(), words.h));
                }
                if let Some(period) = now_showing {
                    let period = words.labelled(words.now_showing, period.label(lang));
                    text = format!("{text} · {period}");
                }
                text
            }
            Notice::EntryDeleted(id) => format!("{} #{}", words.deleted, id.0),
            Notice::AdvisorSaved { advisor, new } => {
                let a = &words.advisors;
                let done = if *new { a.added } else { a.saved };
                let category = advisor.category.short(lang);
                let text = format!("{done} {} {}", advisor.id, advisor.name);
                let text = words.aside(text, category);
                if advisor.active {
                    text
                } else {
                    format!("{text} · {}", a.inactive_mark)
                }
            }
            Notice::ItemSaved { number, state } => {
                let rating = state.satisfaction.map_or(words.unrated, |r| r.label(lang));
                let now = [words.item_status(state.status), rating]
                    .into_iter()
                    .map(String::from)
                    .chain(words.adoption(state.outcome.as_ref(), true))
                    .collect::<Vec<_>>()
                    .join(" · ");
                words.labelled(&format!("{} {number}", words.saved), now)
            }
            Notice::Undone { action } => words.labelled(words.undone, action_label(lang, *action)),
            Notice::CannotUndo { action, at } => cannot_undo(lang, *action, at),
            Notice::TimerStopped { item, minutes } => format!(
                "{}{}{}{} {}",
                words.timer_stopped,
                item_words(item),
                words.timer_logged,
                minutes.hours(),
                words.h
            ),
            Notice::TimerCancelled { item } => {
                format!("{}{}", words.timer_cancelled, item_words(item))
            }
            Notice::TimerStoppedNextDay {
                item,
                minutes,
                started,
                logged,
            } => next_day(&item_words(item), *minutes, *started, *logged, lang),
            Notice::ItemShared {
                number,
                entries,
                advisors,
            } => item_shared(&shown_number(number), *entries, *advisors, lang),
            Notice::ItemChanged { number, entries } => {
                item_changed(&shown_number(number), *entries, lang)
            }
            Notice::NewDay { today } => new_day(*today, lang),
        }
    }
}

impl FieldProblem {
    /// The problem in words, as the form shows it beside the field.
    pub fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            FieldProblem::Required => (ZH.required.to_string(), EN.required.to_string()),
            FieldProblem::NoSuchAdvisor(advisor) => (
                format!("没有顾问“{advisor}”：请从列表中选择"),
                format!("unknown advisor \"{advisor}\": pick one from the list"),
            ),
            FieldProblem::NoSuchItem(item) => (
                format!(
                    "没有事项“{item}”：请从列表中选择（事项编号以 # 开头，如 #2024-0039），或留空新建事项"
                ),
                format!(
                    "no item \"{item}\": pick one from the list (an item's number begins with #, as in \
                    #2024-0039), or leave empty for a new item"
                ),
            ),
            FieldProblem::Date(e) => return e.message(lang),
            FieldProblem::Hours(e) => return e.message(lang),
            FieldProblem::Catalog(e) => return e.message(lang),
            FieldProblem::Text(e) => return e.message(lang),
        };
        lang.of((zh, en))
    }
}

/// `1小时30分`, `1 h 30 min`: a duration as the form confirms it.
pub fn spelled_duration(minutes: Minutes, lang: Lang) -> String {
    let (h, min) = (minutes.0 / 60, minutes.0 % 60);
    match (lang, h, min) {
        (Lang::Zh, 0, _) => format!("{min}分钟"),
        (Lang::Zh, _, 0) => format!("{h}小时"),
        (Lang::Zh, _, _) => format!("{h}小时{min}分"),
        (Lang::En, 0, _) => format!("{min} min"),
        (Lang::En, _, 0) => format!("{h} h"),
        (Lang::En, _, _) => format!("{h} h {min} min"),
    }
}

/// `3月28日`, `Mar 28`: the day a store's last bundle arrived, as the Team screen shows it; the
/// year too when it is not this year's.
pub fn bundle_day(date: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let (y, m, d) = (date.year(), date.month(), date.day());
    // chrono's `%b` is the English month's first three letters, whatever the locale.
    let month = date.format("%b");
    if y == today.year() {
        lang.of((format!("{m}月{d}日"), format!("{month} {d}")))
    } else {
        lang.of((format!("{y}年{m}月{d}日"), format!("{month} {d} {y}")))
    }
}

/// `(4天前)`, `(4 days ago)`: how long ago a store's last bundle arrived.
pub fn days_ago(days: u64, lang: Lang) -> String {
    match days {
        0 => lang.of(("(今天)", "(today)")).to_string(),
        1 => lang.of(("(1天前)", "(1 day ago)")).to_string(),
        n => lang.of((format!("({n}天前)"), format!("({n} days ago)"))),
    }
}

/// Why the advisor form cannot be saved, in words.
pub fn advisor_problem(problem: &AdvisorProblem, lang: Lang) -> String {
    match problem {
        AdvisorProblem::Field(e) => e.message(lang),
        AdvisorProblem::NameEmpty => strings(lang).advisors.name_empty.to_string(),
    }
}

/// A refusal of the advisor form's save in the interface's words, where the command line's
/// point at a command (`counsel-log advisor set`, `advisor list`); `None` for the others, said
/// as everywhere.
pub fn advisor_refusal(e: &StoreError, lang: Lang) -> Option<String> {
    let StoreError::Rejected(Rejection::Advisor(why)) = e else {
        return None;
    };
    match why {
        AdvisorRefusal::IdAlike { id, existing, name } => Some(id_alike_changed_by(
            id,
            existing,
            name,
            (
                "请按 Esc 回到顾问页，在其所在行按 e",
                "press Esc and e on their row of the Team screen",
            ),
            lang,
        )),
        AdvisorRefusal::IdTaken { id } => Some(lang.of((
            format!("顾问编号 {id} 已被使用：请换一个编号（顾问页列出了全部编号）"),
            format!("advisor id {id} is already in use: choose another id (the Team screen lists them all)"),
        ))),
        _ => None,
    }
}

/// A timer that ran across midnight, logged on the day it stopped.
fn next_day(
    item: &str,
    minutes: Minutes,
    started: NaiveDate,
    logged: NaiveDate,
    lang: Lang,
) -> String {
    let hours = minutes.hours();
    lang.of((
        format!("计时跨过了午夜，记在停止的日期 {logged}（开始于 {started}）：{item} {hours} 小时"),
        format!(
            "The timer ran across midnight: logged on {logged}, the day it stopped (started \
             {started}): {hours} h on {item}"
        ),
    ))
}

/// The question before an edit changes an item's title, topic, service or department, which
/// its other entries share.
fn item_shared(number: &str, entries: usize, advisors: usize, lang: Lang) -> String {
    lang.of((
        format!(
            "标题、领域、方式和委托部门属于事项 {number}：这会更改它的全部 {entries} 条记录（{advisors} \
             位顾问）。Enter 确认更改事项，Esc 返回"
        ),
        format!(
            "Title, topic, service and department belong to item {number}: this changes it for \
             its {entries} entries ({advisors} advisors). Enter changes the item, Esc goes back"
        ),
    ))
}

/// An edit changed the item for all its entries, as the user agreed.
fn item_changed(number: &str, entries: usize, lang: Lang) -> String {
    lang.of((
        format!("已保存：事项 {number} 的 {entries} 条记录一并更改"),
        format!("Saved: item {number} changed for all its {entries} entries"),
    ))
}

/// Midnight passed while the interface was open.
fn new_day(today: NaiveDate, lang: Lang) -> String {
    lang.of((
        format!("新的一天：今天是 {today}"),
        format!("A new day: today is {today}"),
    ))
}
