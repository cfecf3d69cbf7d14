//! The interface's texts that name values: the form's problems, durations and audit-trail
//! actions in words. One function per kind of text, both languages side by side.

use super::{EN, ZH};
use crate::domain::{Lang, Minutes};
use crate::tui::form::FieldProblem;

/// An audit-trail action in words.
pub fn action_label(lang: Lang, action: &str) -> &'static str {
    match (action, lang) {
        ("entry.add", Lang::Zh) => "新增记录",
        ("entry.add", Lang::En) => "the new entry",
        ("entry.edit", Lang::Zh) => "编辑",
        ("entry.edit", Lang::En) => "the edit",
        ("entry.delete", Lang::Zh) => "删除",
        ("entry.delete", Lang::En) => "the deletion",
        ("item.edit", Lang::Zh) => "事项修改",
        ("item.edit", Lang::En) => "the item change",
        ("import.entries", Lang::Zh) => "导入",
        ("import.entries", Lang::En) => "the import",
        ("timer.stop", Lang::Zh) => "计时记录",
        ("timer.stop", Lang::En) => "the timed entry",
        ("import.advisors", Lang::Zh) => "导入顾问",
        ("import.advisors", Lang::En) => "the advisor import",
        ("advisor.add", Lang::Zh) => "添加顾问",
        ("advisor.add", Lang::En) => "the new advisor",
        ("restore", Lang::Zh) => "恢复",
        ("restore", Lang::En) => "the restore",
        (_, Lang::Zh) => "上一步",
        (_, Lang::En) => "the last change",
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
                format!("没有事项“{item}”：请从列表中选择，或留空新建事项"),
                format!(
                    "no item \"{item}\": pick one from the list, or leave empty for a new item"
                ),
            ),
            // Put in words by the layer that found it, in the form's language.
            FieldProblem::Explained(text) => return text.clone(),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
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
