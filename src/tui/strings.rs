//! Every piece of text the interface shows: the fixed words here, once per language; the texts
//! that name values (the status line's notices, the form's problems) in [`messages`].

mod advisors;
mod messages;

pub use advisors::AdvisorWords;
pub use messages::{
    Notice, action_label, advisor_problem, advisor_refusal, bundle_day, days_ago, spelled_duration,
};

use super::action::Screen;
use crate::domain::Lang;
use crate::domain::model::{Adoption, ItemStatus};

/// The interface's words in one language.
pub struct Strings {
    pub tabs: [&'static str; 5],
    /// Punctuation: Chinese text takes full-width colons and brackets, with no spaces.
    pub colon: &'static str,
    pub open_paren: &'static str,
    pub close_paren: &'static str,
    pub list_sep: &'static str,
    /// The unit of a count of entries, and of one entry.
    pub many_entries: &'static str,
    pub one_entry: &'static str,
    /// The column of entry counts.
    pub entries_col: &'static str,
    pub hours: &'static str,
    /// "Hours" as a column heading or field name.
    pub hours_col: &'static str,
    pub h: &'static str,
    /// The unit of a count of items, and of one item.
    pub many_items: &'static str,
    pub one_item: &'static str,
    pub date: &'static str,
    pub advisor: &'static str,
    pub item: &'static str,
    pub title: &'static str,
    pub topic: &'static str,
    pub service: &'static str,
    pub department: &'static str,
    pub note: &'static str,
    pub status: &'static str,
    pub rating: &'static str,
    pub category: &'static str,
    pub items: &'static str,
    pub share: &'static str,
    pub rated: &'static str,
    pub satisfied: &'static str,
    pub basic: &'static str,
    pub unsatisfied: &'static str,
    pub rate: &'static str,
    pub detail: &'static str,
    pub in_period: &'static str,
    /// Around the name of the store an entry came from.
    pub from_open: &'static str,
    pub from_close: &'static str,
    /// Before what a corrected entry was as logged.
    pub corrected_was: &'static str,
    /// After the period in the header when it is a closed month.
    pub closed_mark: &'static str,
    pub new_item: &'static str,
    pub add_entry: &'static str,
    pub edit_entry: &'static str,
    /// The advisor form of the Team screen: its titles, fields, keys and what it says.
    pub advisors: &'static AdvisorWords,
    pub form_keys: &'static str,
    pub discard_hint: &'static str,
    pub confirm_delete: &'static str,
    pub confirm_keys: &'static str,
    pub nothing_here: &'static str,
    /// The filter or drill-down leaves no rows.
    pub no_match: &'static str,
    pub no_advisors: &'static str,
    pub filter: &'static str,
    pub period_prompt: &'static str,
    pub reason_prompt: &'static str,
    /// Said when the reason is left empty: `item outcome` refuses that too.
    pub reason_needed: &'static str,
    /// The Items column of outcomes, and its values.
    pub outcome: &'static str,
    pub adopted: &'static str,
    pub not_adopted: &'static str,
    pub prompt_keys: &'static str,
    pub group_hint: &'static str,
    pub bars: &'static str,
    pub ranking: &'static str,
    pub people: &'static str,
    pub participating: &'static str,
    pub participation: &'static str,
    pub per_capita_items: &'static str,
    pub per_capita_hours: &'static str,
    /// Hours as a share of the advisor's target for the period.
    pub of_target: &'static str,
    pub not_logged: &'static str,
    /// At an office that gathers bundles: the Team ranking's columns of where each advisor's
    /// work comes from and when it last came, the source of work logged here, and the title's
    /// count of stores late with their bundles.
    pub source: &'static str,
    pub last_bundle: &'static str,
    pub this_store: &'static str,
    pub late_stores: &'static str,
    /// The last bundle of a store that never sent one.
    pub never_sent: &'static str,
    /// The legend of the ⚠ beside a category's participation.
    pub low_participation: &'static str,
    pub report_figures: &'static str,
    pub too_small: &'static str,
    pub help_title: &'static str,
    pub help_close: &'static str,
    /// Said in the help's title when its keys do not all fit the screen.
    pub help_scroll: &'static str,
    pub open: &'static str,
    pub closed: &'static str,
    pub unrated: &'static str,
    pub saved: &'static str,
    pub deleted: &'static str,
    pub undone: &'static str,
    pub nothing_to_undo: &'static str,
    pub cannot_undo: &'static str,
    /// How an import is taken back, since undo does not.
    pub undo_import: &'static str,
    pub timer_started: &'static str,
    pub timer_stopped: &'static str,
    pub timer_logged: &'static str,
    pub timer_cancelled: &'static str,
    pub no_selection: &'static str,
    /// `x` pressed where there is nothing to export.
    pub export_where: &'static str,
    pub timer_where: &'static str,
    /// Beside a field that belongs to the chosen existing item.
    pub from_item: &'static str,
    pub group_where: &'static str,
    /// `r` away from the Team screen.
    pub rank_where: &'static str,
    /// How the Team ranking is ordered, after its title.
    pub by_items: &'static str,
    pub by_hours: &'static str,
    /// Month names short enough to stand under a year of sparkline bars.
    pub months_short: [&'static str; 12],
    /// `]` at the period that holds today: the next has not begun.
    pub no_later: &'static str,
    /// `[` or `]` on all time: there is no period before or after it.
    pub all_time: &'static str,
    pub exported: &'static str,
    /// After the files `x` wrote, when their own names were taken by an earlier export.
    pub earlier_kept: &'static str,
    /// After an export from a filtered Tallies screen: the file is the whole tally.
    pub export_unfiltered: &'static str,
    /// After saving an entry dated outside the period shown, which period is shown now.
    pub now_showing: &'static str,
    pub export_failed: &'static str,
    pub on_items_screen: &'static str,
    pub entries_on_log: &'static str,
    pub drill: &'static str,
    pub total: &'static str,
    pub required: &'static str,
    pub pick_hint: &'static str,
    /// Before the terminal's error, when the interface cannot go on.
    pub terminal_failed: &'static str,
    /// Over the full-screen notice of a damaged store, and what quits it.
    pub damage_title: &'static str,
    pub damage_quit: &'static str,
    pub keys: Keys,
    /// Every key with what it does, for the help screen.
    pub help: [(&'static str, &'static str); 23],
    /// The title of an entry's history (its audit records).
    pub history_title: &'static str,
    pub history_keys: &'static str,
    /// An entry's history holds no audit record.
    pub history_none: &'static str,
}

/// Short descriptions of keys, for the footer and the help screen.
pub struct Keys {
    pub add: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub undo: &'static str,
    pub timer: &'static str,
    pub filter: &'static str,
    pub period: &'static str,
    pub prev_next: &'static str,
    pub group: &'static str,
    pub rate: &'static str,
    pub close: &'static str,
    pub drill: &'static str,
    pub help: &'static str,
    pub quit: &'static str,
    pub screens: &'static str,
    pub move_: &'static str,
    pub back: &'static str,
    pub export: &'static str,
    pub outcome: &'static str,
    pub history: &'static str,
    /// `r` on Team: the other order of the ranking.
    pub rank: &'static str,
    /// `n` on Team.
    pub new_advisor: &'static str,
}

impl Strings {
    /// A screen's name, as its tab shows it.
    pub fn tab(&self, screen: Screen) -> &'static str {
        self.tabs[screen.index()]
    }

    /// The unit after a count of entries: `1 entry`, `2 entries`.
    pub fn entries_unit(&self, count: usize) -> &'static str {
        if count == 1 {
            self.one_entry
        } else {
            self.many_entries
        }
    }

    /// The unit after a count of items: `1 item`, `2 items`.
    pub fn items_unit(&self, count: usize) -> &'static str {
        if count == 1 {
            self.one_item
        } else {
            self.many_items
        }
    }

    /// An item's adoption in words: `已采纳`, `未采纳`, or with `why` the reason too
    /// (`未采纳：与上位法冲突`); `None` when none is recorded.
    pub fn adoption(&self, adoption: Option<&Adoption>, why: bool) -> Option<String> {
        adoption.map(|o| match o {
            o if o.adopted => self.adopted.to_string(),
            o if !why || o.reason.is_empty() => self.not_adopted.to_string(),
            o => self.labelled(self.not_adopted, &o.reason),
        })
    }

    /// An item's status in words.
    pub fn item_status(&self, status: ItemStatus) -> &'static str {
        match status {
            ItemStatus::Open => self.open,
            ItemStatus::Closed => self.closed,
        }
    }

    /// `label: text` with the language's colon (`备注：…`, `Note: …`).
    /// The store an entry came from: `来自“律所-邓”`, `from "Deng"`.
    pub fn from_store(&self, name: &str) -> String {
        let name = crate::domain::strings::printable(name);
        format!("{}{name}{}", self.from_open, self.from_close)
    }

    /// What a corrected entry was as logged: `已更正，原 2.0 小时`.
    pub fn corrected_from(&self, logged: crate::domain::Minutes) -> String {
        format!("{}{} {}", self.corrected_was, logged.hours(), self.hours)
    }

    pub fn labelled(&self, label: &str, text: impl std::fmt::Display) -> String {
        format!("{label}{}{text}", self.colon)
    }

    /// `text (aside)` with the language's brackets (`程艳（首席/专职）`, `Cheng (staff)`).
    pub fn aside(&self, text: impl std::fmt::Display, aside: impl std::fmt::Display) -> String {
        format!("{text}{}{aside}{}", self.open_paren, self.close_paren)
    }
}

pub fn strings(lang: Lang) -> &'static Strings {
    lang.of((&ZH, &EN))
}

static ZH: Strings = Strings {
    tabs: ["日志", "事项", "统计", "顾问", "报告"],
    colon: "：",
    open_paren: "（",
    close_paren: "）",
    list_sep: "，",
    many_entries: "条",
    one_entry: "条",
    entries_col: "条数",
    hours: "小时",
    hours_col: "小时",
    h: "小时",
    many_items: "件",
    one_item: "件",
    date: "日期",
    advisor: "顾问",
    item: "事项",
    title: "标题",
    topic: "领域",
    service: "方式",
    department: "委托部门",
    note: "备注",
    status: "状态",
    rating: "评价",
    category: "类别",
    items: "件次",
    share: "占比",
    rated: "已评价",
    satisfied: "满意",
    basic: "基本满意",
    unsatisfied: "不满意",
    rate: "满意率",
    detail: "详情",
    in_period: "本期",
    from_open: "来自“",
    from_close: "”",
    corrected_was: "已更正，原 ",
    closed_mark: " · 已结账",
    new_item: "＋ 新事项",
    add_entry: "新增记录",
    edit_entry: "编辑记录",
    advisors: &advisors::ZH,
    form_keys: "Enter 保存  Tab 下一项  Shift-Tab 上一项  ↑↓ 选择  Esc 取消",
    discard_hint: "已填写的内容尚未保存：再按 Esc 放弃，按 Enter 保存",
    confirm_delete: "删除这条记录？",
    confirm_keys: "y 删除  n 取消",
    nothing_here: "本期间没有记录。按 a 新增，p 选择期间。",
    no_match: "本期间没有与筛选条件相符的记录。按 Esc 清除筛选，p 选择其他期间。",
    no_advisors: "台账中还没有顾问。请先退出（q），用 counsel-log import advisors 文件.csv 导入，\
        或 counsel-log advisor add 添加；counsel-log --demo 可查看示例台账。",
    filter: "筛选",
    reason_prompt: "未采纳的原因",
    reason_needed: "未采纳须写明原因：请输入原因，或按 Esc 保持原结果",
    outcome: "采纳",
    adopted: "已采纳",
    not_adopted: "未采纳",
    period_prompt: "期间（2024、2024-03、2024-Q1、2024-01-01..2024-06-30、all）",
    prompt_keys: "Enter 确定  Esc 取消",
    group_hint: "g 切换",
    bars: "小时",
    ranking: "排名",
    people: "人数",
    participating: "参与",
    participation: "参与率",
    per_capita_items: "人均件次",
    per_capita_hours: "人均小时",
    of_target: "完成目标",
    not_logged: "未记录",
    source: "来源",
    last_bundle: "最近一次",
    this_store: "本机",
    late_stores: "逾期未报",
    never_sent: "从未报送",
    low_participation: "⚠ 参与率低于 50%",
    report_figures: "数据",
    too_small: "终端太小：请放大到至少 60×16",
    help_title: "按键",
    help_close: "任意键关闭",
    help_scroll: "↑↓ 滚动",
    open: "进行中",
    closed: "已办结",
    unrated: "未评价",
    saved: "已保存",
    deleted: "已删除",
    undone: "已撤销",
    nothing_to_undo: "没有可撤销的修改",
    cannot_undo: "最近一次修改不能在界面中撤销",
    undo_import: "导入请用导入前的导出文件恢复",
    timer_started: "计时开始",
    timer_stopped: "计时结束：",
    timer_logged: "，已记录 ",
    timer_cancelled: "计时不足 1 分钟，已取消，未记录：",
    no_selection: "没有选中的行",
    export_where: "x（导出）用于统计页（3）和报告页（5）",
    from_item: "随所选事项",
    timer_where: "t（计时）用于日志页（1）或事项页（2）上选中的事项",
    group_where: "g（分组）用于统计页（3）",
    rank_where: "r（排序）用于顾问页（4）",
    by_items: "按件次",
    by_hours: "按小时",
    months_short: [
        "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
    ],
    no_later: "已是包含今天的期间：下一期还没开始",
    all_time: "已显示全部期间：没有上一期或下一期，按 p 选择其他期间",
    exported: "已导出到",
    earlier_kept: "已加编号，同名的早先导出保留未动",
    export_unfiltered: "筛选只作用于屏幕，文件含本期全部统计",
    now_showing: "现显示",
    export_failed: "导出失败，无法写入",
    on_items_screen: "s（评价）、c（办结）和 o（采纳）用于事项页（2）",
    entries_on_log: "e（编辑）和 d（删除）作用于日志页（1）中选中的记录；按 Enter 查看明细",
    drill: "明细",
    total: "合计",
    required: "必填",
    pick_hint: "输入筛选，Tab 选定",
    terminal_failed: "终端出错，界面无法继续（已保存的记录不受影响）：",
    damage_title: "台账已损坏：不显示任何数字，也不写入任何内容",
    damage_quit: "按 q 退出",
    keys: Keys {
        add: "新增",
        edit: "编辑",
        delete: "删除",
        undo: "撤销",
        timer: "计时",
        filter: "筛选",
        period: "期间",
        prev_next: "上/下期",
        group: "分组",
        rate: "评价",
        close: "办结/重开",
        drill: "明细",
        help: "帮助",
        quit: "退出",
        screens: "切换页面",
        move_: "移动",
        back: "返回",
        export: "导出",
        outcome: "采纳",
        history: "历史",
        rank: "排序",
        new_advisor: "新增顾问",
    },
    help: [
        (
            "1-5  Tab  Shift-Tab",
            "切换页面：日志、事项、统计、顾问、报告",
        ),
        ("↑ ↓ j k PgUp PgDn Home End", "移动选中行"),
        ("a", "新增记录（表单；在事项页记到选中的事项）"),
        ("e", "编辑选中的记录"),
        ("d", "删除选中的记录（先确认）"),
        ("h", "选中记录的改动历史（审计记录）"),
        ("u", "撤销上一次修改（导入除外）"),
        ("t", "在选中的事项上开始计时；再按停止并记录"),
        ("/", "按文字筛选"),
        ("p", "输入期间：2024、2024-03、2024-Q1、A..B"),
        ("[  ]", "上一期 / 下一期"),
        ("g  r", "统计页：切换分组；顾问页：按件次 / 按小时排名"),
        ("n  e", "顾问页：新增顾问 / 编辑选中顾问（可停用、恢复）"),
        ("s", "事项页：切换满意度评价"),
        ("c", "事项页：办结 / 重开"),
        ("o", "事项页：已采纳 / 未采纳（填原因）/ 未填"),
        ("x", "导出（统计页 CSV；报告页 Markdown、Excel、Word）"),
        ("Enter", "查看该行背后的记录"),
        ("Esc", "返回 / 清除筛选"),
        ("?", "本按键表"),
        ("q  Ctrl-C", "退出"),
        ("表单", "Tab 下一项（选定高亮项）  Shift-Tab 上一项"),
        ("", "↑↓ 选择  Enter 保存  Esc 取消"),
    ],
    history_title: "改动历史",
    history_keys: "↑↓ 滚动  Esc 关闭",
    history_none: "审计记录中没有这条记录的改动",
};

static EN: Strings = Strings {
    tabs: ["Log", "Items", "Tallies", "Team", "Report"],
    colon: ": ",
    open_paren: " (",
    close_paren: ")",
    list_sep: ", ",
    many_entries: "entries",
    one_entry: "entry",
    entries_col: "Entries",
    hours: "hours",
    hours_col: "Hours",
    h: "h",
    many_items: "items",
    one_item: "item",
    date: "Date",
    advisor: "Advisor",
    item: "Item",
    title: "Title",
    topic: "Topic",
    service: "Service",
    department: "Department",
    note: "Note",
    status: "Status",
    rating: "Rating",
    category: "Category",
    items: "Items",
    share: "Share",
    rated: "Rated",
    satisfied: "Sat.",
    basic: "Basic",
    unsatisfied: "Unsat.",
    rate: "Rate",
    detail: "Detail",
    in_period: "this period:",
    from_open: "from \"",
    from_close: "\"",
    corrected_was: "corrected, was ",
    closed_mark: " · closed",
    new_item: "+ new item",
    add_entry: "New entry",
    edit_entry: "Edit entry",
    advisors: &advisors::EN,
    form_keys: "Enter save  Tab next  Shift-Tab back  ↑↓ choose  Esc cancel",
    discard_hint: "What you typed is not saved: Esc again discards it, Enter saves",
    confirm_delete: "Delete this entry?",
    confirm_keys: "y delete  n keep",
    nothing_here: "No entries in this period. a adds one, p picks a period.",
    no_match: "Nothing in this period matches the filter. Esc clears it, p picks another period.",
    no_advisors: "The ledger has no advisors yet. Quit (q) and add them with `counsel-log import \
        advisors FILE.csv` or `counsel-log advisor add`; `counsel-log --demo` shows a sample \
        ledger.",
    filter: "Filter",
    reason_prompt: "Why the advice was not adopted",
    reason_needed: "Not adopted needs its reason: type it, or Esc to keep the outcome",
    outcome: "Outcome",
    adopted: "adopted",
    not_adopted: "not adopted",
    period_prompt: "Period (2024, 2024-03, 2024-Q1, 2024-01-01..2024-06-30, all)",
    prompt_keys: "Enter apply  Esc cancel",
    group_hint: "g cycles",
    bars: "Hours",
    ranking: "Ranking",
    people: "People",
    participating: "Took part",
    participation: "Rate",
    per_capita_items: "Items/head",
    per_capita_hours: "Hours/head",
    of_target: "Of target",
    not_logged: "nothing logged",
    source: "Source",
    last_bundle: "Last bundle",
    this_store: "this store",
    late_stores: "late",
    never_sent: "never",
    low_participation: "⚠ participation under 50%",
    report_figures: "Figures",
    too_small: "Terminal too small: enlarge it to at least 60×16",
    help_title: "Keys",
    help_close: "any key closes",
    help_scroll: "↑↓ scrolls",
    open: "open",
    closed: "closed",
    unrated: "unrated",
    saved: "Saved",
    deleted: "Deleted",
    undone: "Undone",
    nothing_to_undo: "There is nothing left to undo",
    cannot_undo: "The last change cannot be undone from the interface",
    undo_import: "an import is undone by restoring an export made before it",
    timer_started: "Timer started",
    timer_stopped: "Timer stopped on ",
    timer_logged: ": logged ",
    timer_cancelled: "Timer ran under a minute: cancelled, nothing logged for ",
    no_selection: "No row selected",
    export_where: "x (export) works on Tallies (3) and Report (5)",
    from_item: "the item's",
    timer_where: "t (timer) works on the item selected on the Log (1) or Items (2)",
    group_where: "g (grouping) works on Tallies (3)",
    rank_where: "r (ranking order) works on the Team screen (4)",
    by_items: "by items",
    by_hours: "by hours",
    months_short: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    no_later: "this period holds today: the next one has not begun",
    all_time: "showing all time: there is no period before or after it; p chooses another",
    exported: "Exported to",
    earlier_kept: "numbered: the earlier export of that name is kept",
    export_unfiltered: "the filter narrows the screen only: the file holds the period's whole tally",
    now_showing: "now showing",
    export_failed: "Export failed: cannot write",
    on_items_screen: "s (rating), c (close) and o (outcome) work on the Items screen (2)",
    entries_on_log: "e (edit) and d (delete) act on the entry selected on the Log (1); Enter shows \
        a row's entries",
    drill: "Entries",
    total: "Total",
    required: "required",
    pick_hint: "type to filter, Tab picks",
    terminal_failed: "the terminal failed; what was saved is kept:",
    damage_title: "The store is damaged: no figure is shown and nothing is written",
    damage_quit: "Press q to quit",
    keys: Keys {
        add: "add",
        edit: "edit",
        delete: "delete",
        undo: "undo",
        timer: "timer",
        filter: "filter",
        period: "period",
        prev_next: "prev/next",
        group: "group",
        rate: "rating",
        close: "close/reopen",
        drill: "entries",
        help: "help",
        quit: "quit",
        screens: "screens",
        move_: "move",
        back: "back",
        export: "export",
        outcome: "outcome",
        history: "history",
        rank: "order",
        new_advisor: "new advisor",
    },
    help: [
        (
            "1-5  Tab  Shift-Tab",
            "screens: Log, Items, Tallies, Team, Report",
        ),
        ("↑ ↓ j k PgUp PgDn Home End", "move the selection"),
        ("a", "add an entry (on Items: to the selected item)"),
        ("e", "edit the selected entry"),
        ("d", "delete the selected entry (asks first)"),
        ("h", "the selected entry's history (its audit records)"),
        ("u", "undo the last change (never an import)"),
        ("t", "timer on the selected item; again: stop and log"),
        ("/", "filter by text"),
        ("p", "type a period: 2024, 2024-03, 2024-Q1, A..B"),
        ("[  ]", "previous / next period"),
        ("g  r", "Tallies: grouping; Team: rank by items / hours"),
        ("n  e", "Team: add an advisor / edit, deactivate one"),
        ("s", "Items: next satisfaction rating"),
        ("c", "Items: close / reopen"),
        ("o", "Items: adopted / not adopted (asks why) / unset"),
        ("x", "export: Tallies as CSV; Report .md, .xlsx, .docx"),
        ("Enter", "the entries behind the selected row"),
        ("Esc", "back / clear the filter"),
        ("?", "this list of keys"),
        ("q  Ctrl-C", "quit"),
        ("Form", "Tab next, taking the choice  Shift-Tab back"),
        ("", "↑↓ choose  Enter save  Esc cancel"),
    ],
    history_title: "History",
    history_keys: "↑↓ scroll  Esc closes",
    history_none: "no audit record touches this entry",
};
