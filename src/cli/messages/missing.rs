//! The texts of `missing`: its headings, its columns and the lines that count who logged
//! nothing and which stores are late, in both languages side by side.

use crate::domain::Lang;
use crate::domain::Period;
use crate::domain::lang::english_noun;

/// A line of `missing`'s table output that names values.
pub enum MissingText<'a> {
    /// Above the advisors who logged nothing.
    AdvisorsHeading(&'a Period),
    /// Under them: "78 of 90 active advisors logged nothing in March 2024."
    AdvisorsCount {
        missing: usize,
        active: usize,
        period: &'a Period,
    },
    /// The roster has no active advisor.
    NoActiveAdvisors,
    /// Above the late stores.
    LateHeading { days: u32 },
    /// Under them, or that none is late.
    LateCount {
        late: usize,
        enrolled: usize,
        days: u32,
    },
    /// No store is enrolled here.
    NoPeers,
}

impl MissingText<'_> {
    /// The text in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            MissingText::AdvisorsHeading(period) => (
                format!("{}未记录任何工作的在册顾问", period.label(Lang::Zh)),
                format!(
                    "Active advisors who logged nothing in {}",
                    period.label(Lang::En)
                ),
            ),
            MissingText::AdvisorsCount {
                missing,
                active,
                period,
            } => advisors_count(*missing, *active, period),
            MissingText::NoActiveAdvisors => (
                "没有在册顾问：请先用 `counsel-log import advisors 文件.csv` 导入顾问名册。".into(),
                "There are no active advisors: add the team with `counsel-log import advisors \
                    FILE.csv`."
                    .into(),
            ),
            MissingText::LateHeading { days } => (
                format!("逾期未报的台账（超过 {days} 天未收到数据包）"),
                format!(
                    "Stores late with their bundles (none for more than {days} {})",
                    english_noun(*days, "day", "days")
                ),
            ),
            MissingText::LateCount {
                late,
                enrolled,
                days,
            } => late_count(*late, *enrolled, *days),
            MissingText::NoPeers => (
                "本台账未登记其他台账（counsel-log peer add），没有逾期未报的。".into(),
                "No store is enrolled here (counsel-log peer add), so none is late.".into(),
            ),
        };
        lang.of((zh, en))
    }
}

fn advisors_count(missing: usize, active: usize, period: &Period) -> (String, String) {
    let (zh_period, en_period) = (period.label(Lang::Zh), period.label(Lang::En));
    if missing == 0 {
        return (
            format!("{zh_period}，{active} 名在册顾问都有记录。"),
            format!(
                "Nobody is missing: all {active} active {} logged something in {en_period}.",
                english_noun(active, "advisor", "advisors")
            ),
        );
    }
    (
        format!("{zh_period}，{active} 名在册顾问中有 {missing} 名未记录任何工作。"),
        format!(
            "{missing} of {active} active {} logged nothing in {en_period}.",
            english_noun(active, "advisor", "advisors")
        ),
    )
}

fn late_count(late: usize, enrolled: usize, days: u32) -> (String, String) {
    let day_word = english_noun(days, "day", "days");
    if late == 0 {
        return (
            format!("没有逾期的台账：已登记的 {enrolled} 个台账都在 {days} 天内报送了数据包。"),
            format!(
                "No store is late: {} sent a bundle within {days} {day_word}.",
                match enrolled {
                    1 => "the 1 enrolled store".to_string(),
                    n => format!("all {n} enrolled stores"),
                }
            ),
        );
    }
    let verb = if late == 1 { "store is" } else { "stores are" };
    (
        format!(
            "逾期未报的台账 {late} 个（共登记 {enrolled} 个；超过 {days} 天未收到数据包即为逾期）。"
        ),
        format!(
            "{late} {verb} late (of {enrolled} enrolled; late means no bundle for more than \
                {days} {day_word})."
        ),
    )
}

/// The days since a store's last bundle, as its cell shows them.
pub fn days_cell(days: Option<u64>, lang: Lang) -> String {
    match days {
        None => "—".into(),
        Some(d) => lang.of((
            format!("{d} 天"),
            format!("{d} {}", english_noun(d, "day", "days")),
        )),
    }
}

/// `missing`'s fixed words in one language.
pub struct MissingWords {
    pub source: &'static str,
    pub last_bundle: &'static str,
    pub store: &'static str,
    pub advisors: &'static str,
    pub days: &'static str,
    /// The source of an advisor no peer speaks for: their work is logged here.
    pub this_store: &'static str,
    /// The last bundle of a store that never sent one.
    pub never: &'static str,
}

/// `missing`'s words in `lang`.
pub fn missing_words(lang: Lang) -> &'static MissingWords {
    lang.of((&ZH, &EN))
}

static ZH: MissingWords = MissingWords {
    source: "来源",
    last_bundle: "最近一次数据包",
    store: "台账",
    advisors: "代表顾问",
    days: "距今",
    this_store: "本机",
    never: "从未报送",
};

static EN: MissingWords = MissingWords {
    source: "source",
    last_bundle: "last bundle",
    store: "store",
    advisors: "advisors",
    days: "since",
    this_store: "this store",
    never: "never",
};
