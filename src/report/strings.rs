//! Every word the report writers put in a table, a Markdown document or a workbook, once per
//! language, and the report's errors in both.

use super::ReportError;
use crate::domain::lang::english_noun;
use crate::domain::{Lang, Minutes, Period};
use crate::store::{Change, ChangeKind, ClosedMonth, FiledEntry, Head};

/// The report's words in one language.
pub struct Strings {
    /// `2024 · by topic`: the word between a tally's period and its grouping.
    pub by: &'static str,
    /// Put before a grouping to name a section or a sheet: `By topic`, `按领域`.
    pub by_heading: &'static str,
    /// The columns of a tally table after the grouping's own: items, hours, share, rated,
    /// satisfied, basic, unsatisfied, rate.
    pub tally_columns: [&'static str; 8],
    /// The heading of the Report screen's Markdown document, before the period.
    pub document_title: &'static str,
    /// The workbook's first sheet: the paragraph and its figures.
    pub report_sheet: &'static str,
    /// The names of the period's figures on the first sheet: items, hours, minutes, rated,
    /// satisfied, basically satisfied, unsatisfied, satisfaction rate.
    pub figures: [&'static str; 8],
    /// The columns of the participation of each category of advisors, on the first sheet.
    pub category_columns: [&'static str; 6],
    /// The column of a grouping sheet that holds each row's code.
    pub key: &'static str,
    /// The columns of a grouping sheet after the key and the grouping: items, minutes, hours,
    /// rated, satisfied, basic, unsatisfied, satisfaction rate.
    pub sheet_columns: [&'static str; 8],
    /// The label of a grouping sheet's total row.
    pub total: &'static str,
    /// The header of a tally's CSV for people (`report --format csv --header zh|en`), column
    /// for column as [`super::csv::TALLY_KEYS`].
    pub csv_columns: [&'static str; 12],
    /// The workbook's last sheet: the entries behind the figures.
    pub entries_sheet: &'static str,
    pub entry_columns: [&'static str; 12],
    /// The Word report's first section: the paragraph and each category's participation.
    pub overview: &'static str,
    /// What numbers the Word report's sections: the overview, then a section per grouping.
    pub section_marks: [&'static str; 5],
    /// Under a table whose rounded rows do not add up to its total: the standard note of a
    /// statistical table.
    pub rounding_note: &'static str,
}

pub fn strings(lang: Lang) -> &'static Strings {
    lang.of((&ZH, &EN))
}

static ZH: Strings = Strings {
    by: "按",
    by_heading: "按",
    tally_columns: [
        "件次",
        "小时",
        "占比",
        "已评价",
        "满意",
        "基本满意",
        "不满意",
        "满意率",
    ],
    document_title: "法律顾问工作报告",
    report_sheet: "报告",
    figures: [
        "件次",
        "小时",
        "分钟",
        "已评价",
        "满意",
        "基本满意",
        "不满意",
        "满意率",
    ],
    category_columns: ["类别", "人数", "参与", "参与率", "件次", "小时"],
    key: "代码",
    sheet_columns: [
        "件次",
        "分钟",
        "小时",
        "已评价",
        "满意",
        "基本满意",
        "不满意",
        "满意率",
    ],
    total: "合计",
    csv_columns: [
        "代码",
        "名称",
        "件次",
        "分钟",
        "小时",
        "已评价",
        "满意",
        "基本满意",
        "不满意",
        "满意率",
        "备注",
        "行类型",
    ],
    entries_sheet: "记录",
    entry_columns: [
        "日期",
        "顾问编号",
        "顾问",
        "事项",
        "标题",
        "领域",
        "服务方式",
        "委托部门",
        "分钟",
        "小时",
        "满意度",
        "备注",
    ],
    overview: "总体情况",
    section_marks: ["一、", "二、", "三、", "四、", "五、"],
    rounding_note: "因四舍五入，分项之和与合计可能略有差异。",
};

static EN: Strings = Strings {
    by: "by",
    by_heading: "By ",
    tally_columns: [
        "items",
        "hours",
        "share",
        "rated",
        "satisfied",
        "basic",
        "unsatisfied",
        "rate",
    ],
    document_title: "Legal advisors' report",
    report_sheet: "Report",
    figures: [
        "Items",
        "Hours",
        "Minutes",
        "Rated",
        "Satisfied",
        "Basically satisfied",
        "Unsatisfied",
        "Satisfaction rate",
    ],
    category_columns: [
        "Category",
        "Advisors",
        "Participating",
        "Participation",
        "Items",
        "Hours",
    ],
    key: "Key",
    sheet_columns: [
        "Items",
        "Minutes",
        "Hours",
        "Rated",
        "Satisfied",
        "Basic",
        "Unsatisfied",
        "Satisfaction rate",
    ],
    total: "Total",
    csv_columns: [
        "Key",
        "Name",
        "Items",
        "Minutes",
        "Hours",
        "Rated",
        "Satisfied",
        "Basic",
        "Unsatisfied",
        "Satisfaction rate",
        "Note",
        "Row",
    ],
    entries_sheet: "Entries",
    entry_columns: [
        "Date",
        "Advisor id",
        "Advisor",
        "Item",
        "Title",
        "Topic",
        "Service",
        "Department",
        "Minutes",
        "Hours",
        "Satisfaction",
        "Note",
    ],
    overview: "Overview",
    section_marks: ["1. ", "2. ", "3. ", "4. ", "5. "],
    rounding_note: "Figures are rounded; rows may not add up to the total.",
};

/// The line a report ends with: the audit head it was made from, so whoever holds the report
/// can tell later whether the ledger's history was rewritten since.
pub struct MadeFrom<'a>(pub &'a Head);

impl MadeFrom<'_> {
    /// The line in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let Head { count, hash } = self.0;
        let short: String = hash.chars().take(16).collect();
        lang.of((
            format!(
                "依据审计记录第 {count} 条（{short}）制作；counsel-log verify 可据此核对台账。"
            ),
            format!(
                "Made from audit record {count} ({short}); counsel-log verify checks the ledger \
                 against it."
            ),
        ))
    }
}

/// The Word report's title: 「2024年法律顾问服务情况报告」, "Legal advisory services, 2024".
pub struct DocumentTitle<'a>(pub &'a Period);

impl DocumentTitle<'_> {
    /// The title in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let (zh, en) = (self.0.label(Lang::Zh), self.0.label(Lang::En));
        lang.of((
            format!("{zh}法律顾问服务情况报告"),
            format!("Legal advisory services, {en}"),
        ))
    }
}

/// A closed month's lines in its report.
pub enum ClosedText<'a> {
    /// When the month was filed, by whom, its filed figures, and its latest closing when that
    /// came after a reopen.
    Filed(&'a ClosedMonth),
    SinceHeading,
    NothingSince,
    /// What happened to one entry since the filing.
    Change(&'a Change),
}

impl ClosedText<'_> {
    /// The line in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(match self {
            ClosedText::Filed(closed) => filed(closed),
            ClosedText::SinceHeading => ("结账后的变动：".into(), "Changed since filing:".into()),
            ClosedText::NothingSince => (
                "结账后没有变动。".into(),
                "Nothing changed since filing.".into(),
            ),
            ClosedText::Change(change) => change_words(change),
        })
    }
}

fn filed(closed: &ClosedMonth) -> (String, String) {
    let f = &closed.filed;
    let (day, who, items, entries) = (f.at.date_naive(), &f.who, f.items, f.entries);
    let hours = Minutes(f.minutes).hours();
    let (mut zh, mut en) = (
        format!("已于 {day} 结账报送（{who}）：{items} 件次，{hours} 小时，{entries} 条记录。"),
        format!(
            "Filed on {day} by {who}: {items} {}, {hours} h, {entries} {}.",
            english_noun(items, "item", "items"),
            english_noun(entries, "entry", "entries")
        ),
    );
    let reason = &closed.reason;
    if closed.at != f.at {
        let again = closed.at.date_naive();
        zh += &format!("重新开账后于 {again} 再次结账");
        en += &format!(" Closed again on {again}");
        if reason.is_empty() {
            (zh, en) = (zh + "。", en + ".");
        } else {
            (zh, en) = (format!("{zh}：{reason}。"), format!("{en}: {reason}."));
        }
    } else if !reason.is_empty() {
        (zh, en) = (
            format!("{zh}原因：{reason}。"),
            format!("{en} Reason: {reason}."),
        );
    }
    (zh, en)
}

/// "changed, was 1.0 h, now 2.5 h": what happened to an entry since the filing, with its dates
/// and advisors where those changed.
fn change_words(change: &Change) -> (String, String) {
    let both = |e: &FiledEntry, other: Option<&FiledEntry>| {
        let mut zh = format!("{} 小时", Minutes(e.minutes).hours());
        let mut en = format!("{} h", Minutes(e.minutes).hours());
        if let Some(other) = other {
            if other.date != e.date {
                zh += &format!("（{}）", e.date);
                en += &format!(" on {}", e.date);
            }
            if other.advisor != e.advisor {
                zh += &format!("（{}）", e.advisor);
                en += &format!(" by {}", e.advisor);
            }
        }
        (zh, en)
    };
    let (before, after) = (change.before.as_ref(), change.after.as_ref());
    let ((bz, be), (az, ae)) = (
        before.map_or_else(Default::default, |b| both(b, after)),
        after.map_or_else(Default::default, |a| both(a, before)),
    );
    let (mut zh, mut en) = match change.kind {
        ChangeKind::Added => (format!("新增，{az}"), format!("added, {ae}")),
        ChangeKind::Removed => (format!("已删除，原 {bz}"), format!("removed, was {be}")),
        ChangeKind::Changed => (
            format!("已修改，原 {bz}，现 {az}"),
            format!("changed, was {be}, now {ae}"),
        ),
    };
    if let Some(from) = &change.from {
        let from = crate::domain::strings::printable(from);
        zh += &format!("；来自“{from}”");
        en += &format!("; from \"{from}\"");
    }
    if let Some(reason) = &change.reason {
        let reason = crate::domain::strings::printable(reason);
        zh += &format!("；更正原因：{reason}");
        en += &format!("; corrected: {reason}");
    }
    (zh, en)
}

impl ReportError {
    /// The problem and what to do, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            ReportError::Store(e) => return e.message(lang),
            ReportError::Workbook(e) => (
                format!("无法生成工作簿：{e}"),
                format!("the workbook could not be built: {e}"),
            ),
            ReportError::Document(e) => (
                format!("无法生成 Word 文档：{e}"),
                format!("the Word document could not be built: {e}"),
            ),
        };
        lang.of((zh, en))
    }
}
