//! The words of the Team screen's advisor form, once per language.

/// The words of the Team screen's advisor form (`n`, `e`).
pub struct AdvisorWords {
    pub new_title: &'static str,
    pub edit_title: &'static str,
    pub id: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
    pub active: &'static str,
    pub is_active: &'static str,
    pub is_inactive: &'static str,
    pub keys: &'static str,
    pub name_empty: &'static str,
    /// `n` away from the Team screen.
    pub on_team_only: &'static str,
    pub added: &'static str,
    pub saved: &'static str,
    /// After an inactive advisor on the Team ranking, and in what a save says.
    pub inactive_mark: &'static str,
}

pub(super) static ZH: AdvisorWords = AdvisorWords {
    new_title: "新增顾问",
    edit_title: "编辑顾问",
    id: "编号",
    name: "姓名",
    unit: "单位",
    active: "状态",
    is_active: "在任，计入参与率",
    is_inactive: "停用，不计入参与率（过往记录照常计入）",
    keys: "Enter 保存  Tab 下一项  ←→ 切换  Esc 取消",
    name_empty: "姓名为空：请填写顾问姓名",
    on_team_only: "n（新增顾问）用于顾问页（4）",
    added: "已添加顾问",
    saved: "已保存顾问",
    inactive_mark: "停用",
};

pub(super) static EN: AdvisorWords = AdvisorWords {
    new_title: "New advisor",
    edit_title: "Edit advisor",
    id: "Id",
    name: "Name",
    unit: "Unit",
    active: "Status",
    is_active: "active, counted in participation",
    is_inactive: "inactive, not counted in participation (past entries still count)",
    keys: "Enter save  Tab next  ←→ change  Esc cancel",
    name_empty: "the name is empty: type the advisor's name",
    on_team_only: "n (new advisor) works on the Team screen (4)",
    added: "Added advisor",
    saved: "Saved advisor",
    inactive_mark: "inactive",
};
