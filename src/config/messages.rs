//! The configuration's texts: the file, the key, the value and the expected form, each as a
//! `(zh, en)` pair in a match with no catch-all arm.

use super::{ConfigError, ConfigProblem, KEYS};
use crate::domain::Lang;

impl ConfigProblem {
    /// The key, the value and the expected form, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(match self {
            Self::Syntax {
                line: Some(line),
                detail,
            } => (
                format!("第 {line} 行：{detail}；可用的键为 {KEYS}"),
                format!("line {line}: {detail}; known keys are {KEYS}"),
            ),
            // The TOML reader's own words, with no line to point at.
            Self::Syntax { line: None, detail } => (detail.clone(), detail.clone()),
            Self::Lang(l) => (
                format!("键 `lang` 的值是“{l}”：应为 \"zh\" 或 \"en\""),
                format!("key `lang` is \"{l}\": expected \"zh\" or \"en\""),
            ),
            Self::Increment(n) => (
                format!("键 `increment_minutes` 的值是 {n}：应为 1 到 60 之间的整数分钟，如 6"),
                format!(
                    "key `increment_minutes` is {n}: expected a whole number of minutes \
                     from 1 to 60, such as 6"
                ),
            ),
            Self::Me(e) => (
                format!("键 `me`：{}", e.message(lang)),
                format!("key `me`: {}", e.message(lang)),
            ),
            // The field's own words say what to remove.
            Self::Name(e) => (
                format!("键 `name`：{}", e.message(lang)),
                format!("key `name`: {}", e.message(lang)),
            ),
            Self::Keep(n) => (
                format!("键 `backup_keep` 的值是 {n}：应为要保留的备份份数，1 到 1000"),
                format!(
                    "key `backup_keep` is {n}: expected how many backups to keep, from 1 to 1000"
                ),
            ),
            Self::LateDays(n) => (
                format!(
                    "键 `bundle_late_days` 的值是 {n}：应为 1 到 365 之间的整数天数，如 7（超过这么多天\
                     未收到数据包的台账算作逾期）"
                ),
                format!(
                    "key `bundle_late_days` is {n}: expected a whole number of days from 1 to \
                     365, such as 7 (a store whose last bundle is older is late)"
                ),
            ),
            Self::TargetKey(k) => (
                format!(
                    "[targets] 中的键“{k}”既不是类别（staff、public-lawyer、external、expert），\
                     也不是顾问编号（如 A001）"
                ),
                format!(
                    "[targets] key \"{k}\" is neither a category (staff, public-lawyer, \
                     external, expert) nor an advisor id such as A001"
                ),
            ),
            Self::TargetHours { key, value } => (
                format!(
                    "[targets] {key} = {value}：应为每月小时数，大于 0，整数或一位小数，\
                     如 10 或 7.5"
                ),
                format!(
                    "[targets] {key} = {value}: expected hours per month above 0, whole or \
                     with one decimal, such as 10 or 7.5"
                ),
            ),
        })
    }
}

impl ConfigError {
    /// The file, the problem and the fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(match self {
            Self::Unreadable { path, detail } => (
                format!(
                    "无法读取配置文件 {}（{detail}）：请检查其访问权限，或用 --config 指定另一个文件",
                    path.display()
                ),
                format!(
                    "cannot read the configuration {}: {detail}; check its permissions, or give \
                     another file with --config",
                    path.display()
                ),
            ),
            Self::Bad { path, problem } => (
                format!("配置文件 {}：{}", path.display(), problem.message(lang)),
                format!("configuration {}: {}", path.display(), problem.message(lang)),
            ),
        })
    }
}
