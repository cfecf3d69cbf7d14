//! Every word the domain speaks, once per language: the names of its vocabularies and the
//! messages of its problems. Each text is written as a `(zh, en)` pair in a match with no
//! catch-all arm, so a missing translation fails to compile; nothing is localised before it is
//! shown.

use chrono::Datelike;

use super::catalog::{
    CatalogEntry, CatalogError, CatalogKind, Category, NewEntryError, Satisfaction, UnknownRating,
};
use super::duration::{DurationError, Minutes, minutes_meant};
use super::lang::Lang;
use super::model::{FieldError, MAX_FIELD_CHARS, TextField};
use super::period::{FIRST_YEAR, Period, PeriodError, PeriodKind};
use super::tally::GroupBy;

/// The word for the total row of every table.
pub fn total(lang: Lang) -> &'static str {
    lang.of(("合计", "Total"))
}

impl Category {
    /// The full name, as a report writes it.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.of(match self {
            Category::Staff => ("首席/专职政府法律顾问", "chief or full-time advisor"),
            Category::PublicLawyer => ("公职律师", "public-sector lawyer"),
            Category::External => ("外聘律师", "external lawyer"),
            Category::Expert => ("特约法律咨询专家", "special legal expert"),
        })
    }

    /// A short name for table columns.
    pub fn short(self, lang: Lang) -> &'static str {
        lang.of(match self {
            Category::Staff => ("首席/专职", "chief/full-time"),
            Category::PublicLawyer => ("公职律师", "public lawyer"),
            Category::External => ("外聘律师", "external lawyer"),
            Category::Expert => ("特约专家", "legal expert"),
        })
    }
}

impl Satisfaction {
    pub fn label(self, lang: Lang) -> &'static str {
        lang.of(match self {
            Satisfaction::Satisfied => ("满意", "satisfied"),
            Satisfaction::Basic => ("基本满意", "basically satisfied"),
            Satisfaction::Unsatisfied => ("不满意", "unsatisfied"),
        })
    }

    /// A short name for table columns.
    pub fn short(self, lang: Lang) -> &'static str {
        match self {
            Satisfaction::Basic => lang.of(("基本满意", "basic")),
            other => other.label(lang),
        }
    }
}

impl CatalogKind {
    /// What the catalog holds, in words: `topic` / 领域.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.of(match self {
            CatalogKind::Topic => ("领域", "topic"),
            CatalogKind::Service => ("服务方式", "service"),
        })
    }
}

impl CatalogEntry {
    /// The entry's name in the given language.
    pub fn label(&self, lang: Lang) -> &str {
        lang.of((&self.zh, &self.en))
    }
}

impl GroupBy {
    pub fn label(self, lang: Lang) -> &'static str {
        lang.of(match self {
            GroupBy::Advisor => ("顾问", "advisor"),
            GroupBy::Category => ("类别", "category"),
            GroupBy::Topic => ("领域", "topic"),
            GroupBy::Service => ("方式", "service"),
            GroupBy::Department => ("部门", "department"),
            GroupBy::Month => ("月份", "month"),
        })
    }

    /// The grouping as a column's heading: `Topic` (Chinese is left as it is).
    pub fn heading(self, lang: Lang) -> String {
        let mut chars = self.label(lang).chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

/// A tally's month key (`2024-03`) as its row is labelled: `2024年3月` in Chinese, the key itself
/// in English.
pub fn month_label(key: &str, lang: Lang) -> String {
    match (
        lang,
        key.get(..4),
        key.get(5..).and_then(|m| m.parse::<u32>().ok()),
    ) {
        (Lang::Zh, Some(y), Some(m)) => format!("{y}年{m}月"),
        _ => key.to_string(),
    }
}

impl Period {
    /// The period in words, as it opens a report sentence: `2024年`, `2024年第一季度`, `March 2024`.
    pub fn label(&self, lang: Lang) -> String {
        const QUARTERS_ZH: [&str; 4] = ["一", "二", "三", "四"];
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let (y, m) = (self.from.year(), self.from.month());
        let quarter = self.from.month0() / 3;
        let month_en = MONTHS.get(self.from.month0() as usize).unwrap_or(&"");
        let quarter_zh = QUARTERS_ZH.get(quarter as usize).unwrap_or(&"");
        let (to, from_day) = (self.to, self.from.day());
        match self.kind {
            PeriodKind::Year => lang.of((format!("{y}年"), format!("{y}"))),
            PeriodKind::Quarter => lang.of((
                format!("{y}年第{quarter_zh}季度"),
                format!("Q{} {y}", quarter + 1),
            )),
            PeriodKind::Month => lang.of((format!("{y}年{m}月"), format!("{month_en} {y}"))),
            PeriodKind::Range => match lang {
                Lang::Zh => format!(
                    "{y}年{m}月{from_day}日至{}年{}月{}日",
                    to.year(),
                    to.month(),
                    to.day()
                ),
                Lang::En => format!("{} to {}", self.from, self.to),
            },
            PeriodKind::All => match lang {
                Lang::Zh => format!(
                    "全部（{y}年{m}月{from_day}日至{}年{}月{}日）",
                    to.year(),
                    to.month(),
                    to.day()
                ),
                Lang::En => format!("all time ({} to {})", self.from, self.to),
            },
        }
    }
}

impl Minutes {
    /// [`Minutes::exact`] in the given language: `24.5 小时`, `24 小时 1 分钟`.
    pub fn exact_in(self, lang: Lang) -> String {
        let (h, min) = (self.0 / 60, self.0 % 60);
        if self.0.is_multiple_of(6) {
            let hours = self.hours();
            lang.of((format!("{hours} 小时"), format!("{hours} hours")))
        } else {
            lang.of((format!("{h} 小时 {min} 分钟"), format!("{h} h {min} min")))
        }
    }
}

impl DurationError {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        const FORMS: (&str, &str) = (
            "请写成 1.5、1.5h、1:30、90m 或 1h30m",
            "write it as 1.5, 1.5h, 1:30, 90m or 1h30m",
        );
        let forms = lang.of(FORMS);
        printable(&lang.of(match self {
            Self::Empty => (
                format!("未填写时长：{forms}"),
                format!("hours are missing: {forms}"),
            ),
            Self::Zero => (
                format!("时长须大于零：{forms}"),
                format!("hours must be more than zero: {forms}"),
            ),
            Self::Negative => (
                format!("时长不能为负：{forms}"),
                format!("hours cannot be negative: {forms}"),
            ),
            Self::Malformed(s) => (
                format!("“{s}”不是时长：{forms}"),
                format!("\"{s}\" is not a duration: {forms}"),
            ),
            Self::NotWholeMinutes(s) => (
                format!("“{s}”不是整分钟：请取整，如 0.1 小时 = 6 分钟"),
                format!("\"{s}\" is not a whole number of minutes: round it, e.g. 0.1h = 6m"),
            ),
            Self::TooLong(s) => match minutes_meant(s) {
                Some(n) => (
                    format!("“{s}”超过 24 小时：请按实际工作日分开记录；如指 {n} 分钟，请写 {n}m"),
                    format!(
                        "\"{s}\" is more than 24 hours: split it over the days it took, or \
                             for {n} minutes write {n}m"
                    ),
                ),
                None => (
                    format!("“{s}”超过 24 小时：请按实际工作日分开记录"),
                    format!("\"{s}\" is more than 24 hours: split it over the days it took"),
                ),
            },
        }))
    }
}

impl PeriodError {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        printable(&lang.of(match self {
            Self::MalformedDate(s) => (
                format!("“{s}”不是日期：请写成 年-月-日，如 2024-03-05"),
                format!("\"{s}\" is not a date: write it as YYYY-MM-DD, e.g. 2024-03-05"),
            ),
            Self::ImpossibleDate(s) => (
                format!("日历上没有 {s}：请核对月份和日期"),
                format!("{s} does not exist in the calendar: check the day and month"),
            ),
            Self::FutureDate(s, today) => (
                format!("{s} 是将来的日期（今天是 {today}）：工作完成后再记录"),
                format!("{s} is in the future (today is {today}): log work once it is done"),
            ),
            Self::TooOld(s) => (
                format!("{s} 早于 {FIRST_YEAR} 年：请核对年份"),
                format!("{s} is before {FIRST_YEAR}: check the year"),
            ),
            Self::Malformed(s) => (
                format!(
                    "“{s}”不是期间：请写成 2024、2024-03、2024-Q1、2024-01-01..2024-06-30 或 all"
                ),
                format!(
                    "\"{s}\" is not a period: write 2024, 2024-03, 2024-Q1, \
                         2024-01-01..2024-06-30 or all"
                ),
            ),
            Self::NoSuchMonth(s) => (
                format!("“{s}”没有这个月份：月份为 01 到 12，如 2024-03"),
                format!("\"{s}\" has no such month: months run from 01 to 12, e.g. 2024-03"),
            ),
            Self::NoSuchQuarter(s) => (
                format!("“{s}”没有这个季度：季度为 Q1 到 Q4，如 2024-Q1"),
                format!("\"{s}\" has no such quarter: quarters run from Q1 to Q4, e.g. 2024-Q1"),
            ),
            Self::NotBegun(s, today) => (
                format!("“{s}”尚未开始（今天是 {today}），其中还没有可统计的内容：请选择今天以前开始的期间"),
                format!(
                    "\"{s}\" has not begun (today is {today}), so nothing is logged in it yet: \
                        ask for a period that begins by today"
                ),
            ),
            Self::Reversed(s) => (
                format!("“{s}”的结束早于开始：请把较早的日期放在前面"),
                format!("\"{s}\" ends before it starts: put the earlier date first"),
            ),
        }))
    }
}

impl TextField {
    /// The field's name as a message says it: `title` in English, 标题 in Chinese.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.of(match self {
            TextField::Name => ("姓名", "name"),
            TextField::Unit => ("单位", "unit"),
            TextField::Item => ("事项", "item"),
            TextField::Title => ("标题", "title"),
            TextField::Department => ("部门", "department"),
            TextField::Note => ("备注", "note"),
            TextField::Text => ("内容", "text"),
            TextField::Alias => ("别名", "alias"),
            TextField::ChineseName => ("中文名", "Chinese name"),
            TextField::EnglishName => ("英文名", "English name"),
            TextField::Reason => ("原因", "reason"),
        })
    }
}

impl FieldError {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        printable(&lang.of(match self {
            Self::TooLong { field, chars } => (
                format!(
                    "{}长 {chars} 个字符，上限为 {MAX_FIELD_CHARS}：请缩短",
                    field.label(lang)
                ),
                format!(
                    "the {} is {chars} characters long; the limit is {MAX_FIELD_CHARS}: \
                         shorten it",
                    field.label(lang)
                ),
            ),
            Self::ControlChar { field, code } => (
                format!(
                    "{}含有不可见的控制字符（U+{code:04X}）：请删除",
                    field.label(lang)
                ),
                format!(
                    "the {} contains an invisible control character (U+{code:04X}): remove it",
                    field.label(lang)
                ),
            ),
            Self::Bidi { field, code } => (
                format!(
                    "{}含有改变文字方向的不可见字符（U+{code:04X}），会使文字显示的顺序与实际不同：请删除",
                    field.label(lang)
                ),
                format!(
                    "the {} contains an invisible direction override (U+{code:04X}), which makes \
                         the text read in another order than it is: remove it",
                    field.label(lang)
                ),
            ),
            Self::IdMissing => (
                "未填写顾问编号：请填写简短编号，如 A001".into(),
                "the advisor id is missing: give a short code such as A001".into(),
            ),
            Self::IdUnusable(id) => (
                format!("“{id}”不能用作顾问编号：请用不超过 32 个字母、数字、- 或 _，如 A001"),
                format!(
                    "\"{id}\" is not a usable advisor id: use up to 32 letters, digits, - or \
                         _, such as A001"
                ),
            ),
        }))
    }
}

impl UnknownRating {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let s = &printable(&self.0);
        lang.of((
                format!(
                    "没有“{s}”这一满意度：请填写 满意、基本满意 或 不满意（satisfied、basic、unsatisfied），未评价则留空"
                ),
                format!(
                    "unknown satisfaction \"{s}\": use 满意/satisfied, 基本满意/basic, 不满意/unsatisfied, or leave it blank"
                ),
            ),
        )
    }
}

impl NewEntryError {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        printable(&lang.of(match self {
                Self::BadCode(code) => (
                    format!("“{code}”不能用作代码：请用小写英文字母、数字和 -，如 ecology"),
                    format!(
                        "\"{code}\" is not a usable code: use lower-case letters, digits and -, such as ecology"
                    ),
                ),
                Self::NamesMissing => (
                    "须同时给出中文名和英文名：请填写 --zh 和 --en".into(),
                    "a Chinese and an English name are both needed: give --zh and --en".into(),
                ),
                Self::Taken { kind, word, by } => (
                    format!(
                        "“{word}”已指{}“{}”（{}）：请换一个代码或名称，或直接使用 {}",
                        kind.label(lang),
                        by.zh,
                        by.code,
                        by.code
                    ),
                    format!(
                        "\"{word}\" already means the {} {} ({}): choose another code or name, or use {}",
                        kind.label(lang),
                        by.en,
                        by.code,
                        by.code
                    ),
                ),
            },
        ))
    }
}

impl CatalogError {
    /// The problem and the choices, in the given language: codes in English, Chinese names
    /// with their codes in Chinese.
    pub fn message(&self, lang: Lang) -> String {
        let (kind, input, code_kind) = (
            self.kind.label(lang),
            &printable(&self.input),
            self.kind.name(),
        );
        let codes: Vec<&str> = self.choices.iter().map(|e| e.code.as_str()).collect();
        let codes = codes.join(", ");
        let names: Vec<String> = self
            .choices
            .iter()
            .map(|e| format!("{}（{}）", e.zh, e.code))
            .collect();
        let names = names.join("、");
        lang.of(if input.is_empty() {
                (
                    format!("未填写{kind}：请填写以下之一：{names}"),
                    format!("the {kind} is missing: give one of {codes}"),
                )
            } else {
                (
                    format!(
                        "没有“{input}”这一{kind}：请使用以下之一：{names}；或用 `counsel-log catalog add --kind {code_kind}` 添加"
                    ),
                    format!(
                        "unknown {kind} \"{input}\": use one of {codes}, or add it with `counsel-log catalog add --kind {code_kind}`"
                    ),
                )
            },
        )
    }
}

/// Text from outside (a file, a bundle) as it may be shown on a terminal: control characters
/// and bidirectional overrides written as `\u{…}`, so none of them acts on the screen.
pub fn printable(text: &str) -> String {
    escaped(text, |_| false)
}

/// The words a panic carried (`panic!` with a message gives a `String` or a `&str`), if any.
pub fn panic_words(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
}

/// The first sentence of a panic's text: the part that names what failed (sled's go on to
/// ask for a report to its authors, which is no step for the user).
pub fn first_sentence(text: &str) -> String {
    let end = text
        .find(". ")
        .or_else(|| text.find('\n'))
        .unwrap_or(text.len());
    text[..end].chars().take(160).collect()
}

/// A whole message or output as it may be printed on a terminal: like [`printable`], but its
/// line breaks stay line breaks. What a user typed is escaped where it is worded (with
/// [`printable`], newlines too), so the line breaks left here are the program's own; this is
/// the last guard that no escape sequence of any origin reaches the screen.
pub fn printable_lines(text: &str) -> String {
    escaped(text, |c| c == '\n')
}

/// `text` with every control character (but those `kept`) and bidirectional override escaped.
fn escaped(text: &str, kept: impl Fn(char) -> bool) -> String {
    text.chars()
        .map(|c| {
            if (c.is_control() && !kept(c)) || super::model::is_bidi_override(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_text_keeps_only_its_own_line_breaks() {
        let typed = "A0\u{1b}]0;pwned\u{7}01\n\u{202E}x\t\r\u{9b}";
        assert_eq!(
            printable(typed),
            "A0\\u{1b}]0;pwned\\u{7}01\\u{a}\\u{202e}x\\u{9}\\u{d}\\u{9b}"
        );
        assert_eq!(
            printable_lines(typed),
            "A0\\u{1b}]0;pwned\\u{7}01\n\\u{202e}x\\u{9}\\u{d}\\u{9b}"
        );
        assert_eq!(printable(&printable(typed)), printable(typed));
    }
}
