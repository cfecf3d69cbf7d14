//! Every text the command line prints, once per language: what a command did, why it refused,
//! and the headings of its tables. Each text is a `(zh, en)` pair in a match with no catch-all
//! arm, so a missing translation fails to compile; commands build these values and `main`
//! localises them only when it prints.

use std::path::PathBuf;

mod closing;
mod help;
mod item;
mod missing;
mod safekeeping;
mod team;
mod trail;
mod usage;

pub use closing::{Closed, NotAMonth};
pub use help::{HELP, HelpText, HelpWords, help_text, help_words, value_word};
pub use item::{ItemRefusal, ItemSet};
pub use missing::{MissingText, MissingWords, days_cell, missing_words};
pub use safekeeping::{SafekeepingRefusal, Safekept};
pub use team::{TeamDone, TeamRefusal, entry_history, peer_table};
pub use trail::{trail_heading, trail_table};
pub use usage::{Mistake, Tip, UsageMistake};

use crate::domain::intake::{ImportError, unknown_category};
use crate::domain::lang::english_noun;
use crate::domain::model::FieldError;
use crate::domain::period::PeriodError;
use crate::domain::strings::printable;
use crate::domain::{Advisor, CatalogEntry, CatalogKind, Category, Lang};

/// "1 entry", "2 entries": a count with its noun in English; Chinese has no plural.
pub fn count<N>(n: N, one: &str, many: &str) -> String
where
    N: std::fmt::Display + PartialEq + From<u8> + Copy,
{
    format!("{n} {}", english_noun(n, one, many))
}

/// Why a command refused its arguments or input; nothing was changed.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum Refusal {
    Field(FieldError),
    Period(PeriodError),
    /// A single entry from `log`: its problems without line numbers.
    Entry(ImportError),
    Advisor(AdvisorFlagRefusal),
    File(FileRefusal),
    /// `log` without `--advisor` and without `me` in the configuration.
    WhichAdvisor,
    NothingLogged,
    /// `report --out` names an old spreadsheet format (its extension) and no `--format`.
    OldSpreadsheet(String),
    /// `report --format xlsx` without `--out`.
    WorkbookNotPrinted,
    /// `report --out` names a document or picture (its extension), which a table is not.
    UnknownExtension(String),
    Safekeeping(SafekeepingRefusal),
    Team(TeamRefusal),
    /// `close` or `reopen` given something other than a month.
    Month(NotAMonth),
    /// `history --item` names no item of the ledger (what was given).
    NoSuchItem(String),
    /// `report --format docx` without `--out` (or with `--out -`).
    DocumentNotPrinted,
    /// `item rate` or `item outcome` given what an item cannot be.
    Item(ItemRefusal),
}

/// Why `advisor add` or `advisor set` refused.
#[derive(Debug)]
pub enum AdvisorFlagRefusal {
    UnknownCategory(String),
    /// `advisor add --name ""`.
    NameEmpty,
    /// `advisor set --name ""`.
    NewNameEmpty,
    NothingToChange,
    NoSuchAdvisor(String),
    /// The id matches several advisors when letter case is ignored.
    Alike {
        id: String,
        alike: Vec<String>,
    },
}

/// Why a file named on the command line could not be read or written.
#[derive(Debug)]
pub enum FileRefusal {
    CannotRead {
        path: PathBuf,
        error: String,
    },
    CannotWrite {
        path: PathBuf,
        error: String,
    },
    IsFolder(PathBuf),
    /// An output file inside the store's folder, where it would replace the ledger's files.
    InStore {
        path: PathBuf,
        store: PathBuf,
    },
}

impl Refusal {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Field(e) => e.message(lang),
            Self::Period(e) => e.message(lang),
            Self::Entry(e) => e.entry_message(lang),
            Self::Advisor(e) => e.message(lang),
            Self::File(e) => e.message(lang),
            Self::Safekeeping(e) => e.message(lang),
            Self::Team(e) => e.message(lang),
            Self::Month(e) => e.message(lang),
            Self::NoSuchItem(given) => trail::no_such_item(given, lang),
            Self::Item(e) => e.message(lang),
            Self::WhichAdvisor => lang
                .of((
                    "哪位顾问？请用 --advisor A001 指定，或在配置文件中设置 `me`",
                    "which advisor? give --advisor A001, or set `me` in the configuration file",
                ))
                .into(),
            Self::NothingLogged => lang
                .of((
                    "没有记录任何内容：请检查输入后重试",
                    "nothing was logged: check the flags and try again",
                ))
                .into(),
            Self::UnknownExtension(ext) => lang.of((
                format!(
                    "报告不能写成 .{ext} 文件：请用 .csv、.json、.md、.txt、.xlsx 或 .docx，\
                        或用 --format 指定格式"
                ),
                format!(
                    "a report is not written as a .{ext} file: name the file .csv, .json, .md, \
                        .txt, .xlsx or .docx, or choose a --format"
                ),
            )),
            Self::OldSpreadsheet(ext) => lang.of((
                format!(
                    "不能写成 .{ext} 文件：工作簿请用 .xlsx（如 --out 2024.xlsx），或用 --format \
                        指定格式"
                ),
                format!(
                    "cannot write a .{ext} file: for a workbook use .xlsx (e.g. --out 2024.xlsx), \
                        or choose a --format"
                ),
            )),
            Self::WorkbookNotPrinted => lang
                .of((
                    "xlsx 工作簿不能显示在终端上：请用 --out 指定文件，如 --out 2024.xlsx",
                    "a workbook cannot be printed to the terminal: name a file with --out, e.g. \
                        --out 2024.xlsx",
                ))
                .into(),
            Self::DocumentNotPrinted => lang
                .of((
                    "Word 文档不能显示在终端上：请用 --out 指定文件，如 --out 2024.docx",
                    "a Word document cannot be printed to the terminal: name a file with --out, \
                        e.g. --out 2024.docx",
                ))
                .into(),
        }
    }
}

impl AdvisorFlagRefusal {
    fn message(&self, lang: Lang) -> String {
        let pair = match self {
            Self::UnknownCategory(input) => return printable(&unknown_category(input, lang)),
            Self::NoSuchAdvisor(id) => (
                format!("没有编号为 {id} 的顾问：请用 `counsel-log advisor list` 查看编号"),
                format!("there is no advisor {id}: see the ids with `counsel-log advisor list`"),
            ),
            Self::Alike { id, alike } => (
                format!(
                    "顾问“{id}”在不区分大小写时对应 {} 多位顾问：请按 `counsel-log advisor list` \
                        所列的编号原样填写",
                    alike.join("、")
                ),
                format!(
                    "advisor \"{id}\" matches {} when letter case is ignored: write the id exactly \
                        as listed by `counsel-log advisor list`",
                    alike.join(" and ")
                ),
            ),
            Self::NameEmpty => (
                "姓名为空：请用 --name 给出顾问姓名".into(),
                "the name is empty: give the advisor's name with --name".into(),
            ),
            Self::NewNameEmpty => (
                "姓名为空：请用 --name 给出新的姓名，或不加 --name 以保留原姓名".into(),
                "the name is empty: give the new name with --name, or leave --name out to keep it"
                    .into(),
            ),
            Self::NothingToChange => (
                "没有要修改的内容：请给出 --name、--category、--unit 或 --active 中的至少一项"
                    .into(),
                "nothing to change: give at least one of --name, --category, --unit or --active"
                    .into(),
            ),
        };
        // One line, echoing what was typed: shown escaped, never acted on.
        printable(&lang.of(pair))
    }
}

impl FileRefusal {
    fn message(&self, lang: Lang) -> String {
        // A path is what was typed (or a folder's name): one line, shown escaped.
        printable(&lang.of(match self {
            Self::CannotRead { path, error } => (
                format!("无法读取 {}（{error}）：请检查文件名", path.display()),
                format!(
                    "cannot read {}: {error}; check the file name",
                    path.display()
                ),
            ),
            Self::CannotWrite { path, error } => (
                format!(
                    "无法写入 {}（{error}）：请检查文件夹是否存在且可写",
                    path.display()
                ),
                format!(
                    "cannot write {}: {error}; check the folder exists and is writable",
                    path.display()
                ),
            ),
            Self::IsFolder(path) => (
                format!("{} 是文件夹：请给出文件名", path.display()),
                format!("{} is a folder: give a file name", path.display()),
            ),
            Self::InStore { path, store } => (
                format!(
                    "{} 在台账的文件夹 {} 之内，写到那里可能覆盖台账自己的文件，未写入任何内容：\
                        请给出这个文件夹以外的文件名",
                    path.display(),
                    store.display()
                ),
                format!(
                    "{} is inside the store's folder {}, where it could replace the ledger's own \
                        files; nothing was written. Give a file name outside that folder",
                    path.display(),
                    store.display()
                ),
            ),
        }))
    }
}

/// What a command did, as it reports back.
pub enum Done<'a> {
    AdvisorAdded(&'a Advisor),
    /// "Updated advisor A001: name 张三 → 程艳; now inactive."
    AdvisorUpdated {
        before: &'a Advisor,
        after: &'a Advisor,
    },
    /// The line under `advisor list`'s table.
    AdvisorsListed {
        advisors: usize,
        inactive: usize,
    },
    CatalogAdded {
        kind: CatalogKind,
        entry: &'a CatalogEntry,
    },
    Exported {
        entries: usize,
        file: &'a std::path::Path,
    },
    /// `report --out FILE`.
    Wrote(&'a std::path::Path),
    /// `report --format xlsx --out FILE`.
    WroteWorkbook(&'a std::path::Path),
    /// `report --format docx --out FILE`.
    WroteDocument(&'a std::path::Path),
    Logged {
        entry: u64,
        date: chrono::NaiveDate,
        advisor: &'a str,
        hours: String,
        item: &'a str,
        new_item: bool,
    },
    Imported(Imported),
}

/// What an import did, in the pieces its report is made of.
pub enum Imported {
    Advisors {
        advisors: usize,
        /// Advisors already here that the roster changed (`--update`).
        changed: usize,
        dry_run: bool,
    },
    Entries {
        entries: usize,
        hours: String,
        new_items: usize,
        dry_run: bool,
    },
    /// Every row of the file is in the ledger already.
    NothingNew { rows: usize },
    /// The file holds no rows at all (a header alone, or blank lines).
    NoRows,
    /// An advisors file holds no rows below its header.
    NoAdvisorRows,
    /// What the file held that the ledger already had (a clause after an import's count).
    AlreadyThere { rows: usize },
    /// How an import's report ends: a full stop, or that it was a dry run.
    End { dry_run: bool },
}

impl Done<'_> {
    /// The report in the given language: one line, so the names, titles and paths it echoes show
    /// their control characters (a newline too) escaped.
    pub fn message(&self, lang: Lang) -> String {
        printable(&match self {
            Done::AdvisorAdded(a) => {
                let (id, name, category) = (&a.id, &a.name, a.category.label(lang));
                lang.of((
                    format!("已添加顾问 {id} {name}（{category}）。"),
                    format!("Added advisor {id} {name} ({category})."),
                ))
            }
            Done::AdvisorUpdated { before, after } => advisor_updated(before, after, lang),
            Done::AdvisorsListed { advisors, inactive } => {
                advisors_listed(*advisors, *inactive, lang)
            }
            Done::CatalogAdded { kind, entry } => {
                let (what, code, zh, en) = (kind.label(lang), &entry.code, &entry.zh, &entry.en);
                lang.of((
                    format!("已添加{what} {code}（{zh}，{en}）。"),
                    format!("Added the {what} {code} ({en}, {zh})."),
                ))
            }
            Done::Exported { entries, file } => {
                let (n, file) = (*entries, file.display());
                lang.of((
                    format!("已导出 {n} 条记录到 {file}。"),
                    format!("Exported {} to {file}.", count(n, "entry", "entries")),
                ))
            }
            Done::Wrote(path) => lang.of((
                format!("已写入 {}。", path.display()),
                format!("Wrote {}.", path.display()),
            )),
            Done::WroteWorkbook(path) => lang.of((
                format!("已写入工作簿 {}。", path.display()),
                format!("Wrote the workbook {}.", path.display()),
            )),
            Done::WroteDocument(path) => lang.of((
                format!("已写入 Word 文档 {}。", path.display()),
                format!("Wrote the Word document {}.", path.display()),
            )),
            Done::Logged {
                entry,
                date,
                advisor,
                hours,
                item,
                new_item,
            } => {
                let (zh_new, en_new) = if *new_item {
                    ("（新建）", " (new)")
                } else {
                    ("", "")
                };
                lang.of((
                    format!(
                        "已保存记录 #{entry}：{date} {advisor} {hours} 小时，事项 {item}{zh_new}。"
                    ),
                    format!(
                        "Saved entry #{entry}: {date} {advisor} {hours} h, item {item}{en_new}."
                    ),
                ))
            }
            Done::Imported(imported) => imported.message(lang),
        })
    }
}

impl Imported {
    /// The piece of the report in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Imported::Advisors {
                advisors,
                changed,
                dry_run,
            } => {
                let (n, c) = (*advisors, *changed);
                let advisors = count(n, "advisor", "advisors");
                let (zh_more, en_more) = if c == 0 {
                    (String::new(), String::new())
                } else {
                    (format!("，更新 {c} 名"), format!(", updated {c}"))
                };
                lang.of(match dry_run {
                    false => (
                        format!("已导入 {n} 名顾问{zh_more}"),
                        format!("Imported {advisors}{en_more}"),
                    ),
                    true => (
                        format!("可导入 {n} 名顾问{zh_more}"),
                        format!("Would import {advisors}{en_more}"),
                    ),
                })
            }
            Imported::Entries {
                entries,
                hours,
                new_items,
                dry_run,
            } => {
                let (n, items) = (*entries, *new_items);
                let zh = format!("{n} 条记录（{hours} 小时，新事项 {items} 项）");
                let en = format!(
                    "{} ({hours} h, {})",
                    count(n, "entry", "entries"),
                    count(items, "new item", "new items")
                );
                lang.of(match dry_run {
                    false => (format!("已导入 {zh}"), format!("Imported {en}")),
                    true => (format!("可导入 {zh}"), format!("Would import {en}")),
                })
            }
            Imported::NothingNew { rows: 1 } => lang.of((
                "没有新内容：文件中的 1 行都已在台账中。".into(),
                "Nothing new: the file's 1 row is already in the ledger.".into(),
            )),
            Imported::NothingNew { rows } => lang.of((
                format!("没有新内容：文件中的 {rows} 行都已在台账中。"),
                format!("Nothing new: all {rows} rows are already in the ledger."),
            )),
            Imported::NoAdvisorRows => lang.of((
                "文件中除表头外没有任何顾问行，未导入任何内容。".into(),
                "The file holds no advisors below its header: nothing was imported.".into(),
            )),
            Imported::NoRows => lang.of((
                "文件中除表头外没有任何记录行，未导入任何内容。".into(),
                "The file holds no entries below its header: nothing was imported.".into(),
            )),
            Imported::AlreadyThere { rows: 0 } => String::new(),
            Imported::AlreadyThere { rows: 1 } => lang.of((
                "；1 行已在台账中，已跳过".into(),
                "; 1 row was already in the ledger and was skipped".into(),
            )),
            Imported::AlreadyThere { rows } => lang.of((
                format!("；{rows} 行已在台账中，已跳过"),
                format!("; {rows} rows were already in the ledger and were skipped"),
            )),
            Imported::End { dry_run: true } => lang
                .of((
                    "；试运行，未写入任何内容。",
                    "; dry run, nothing was written.",
                ))
                .into(),
            Imported::End { dry_run: false } => lang.of(("。", ".")).into(),
        }
    }
}

/// "Updated advisor A001: name 张三 → 程艳; now inactive." — what changed, field by field.
fn advisor_updated(before: &Advisor, after: &Advisor, lang: Lang) -> String {
    let words = strings(lang);
    let shown = |unit: &str| {
        if unit.is_empty() {
            words.no_unit.to_string()
        } else {
            unit.to_string()
        }
    };
    let mut parts = Vec::new();
    if before.name != after.name {
        parts.push(format!("{} {} → {}", words.name, before.name, after.name));
    }
    if before.category != after.category {
        let (was, now) = (before.category.label(lang), after.category.label(lang));
        parts.push(format!("{} {was} → {now}", words.category));
    }
    if before.unit != after.unit {
        let (was, now) = (shown(&before.unit), shown(&after.unit));
        parts.push(format!("{} {was} → {now}", words.unit));
    }
    if before.active != after.active {
        parts.push(
            if after.active {
                words.active_again
            } else {
                words.now_inactive
            }
            .into(),
        );
    }
    let id = &after.id;
    lang.of((
        format!("已更新顾问 {id}：{}。", parts.join("；")),
        format!("Updated advisor {id}: {}.", parts.join("; ")),
    ))
}

fn advisors_listed(n: usize, inactive: usize, lang: Lang) -> String {
    let advisors = count(n, "advisor", "advisors");
    lang.of(if inactive > 0 {
        (
            format!("共 {n} 名顾问，其中 {inactive} 名已停用。"),
            format!("{advisors}, {inactive} of them inactive"),
        )
    } else {
        (format!("共 {n} 名顾问。"), advisors)
    })
}

/// What the program says around a command rather than as its result.
pub enum Aside {
    /// A mistake on the command line.
    Usage(UsageMistake),
    /// The first start of the day wrote and checked a backup.
    BackupDone(PathBuf),
    BackupFailed(super::Error),
    /// The command's output could not be written to standard output (a full disk behind a
    /// redirection, a device that refuses): what the system said; a full disk said plainly.
    OutputFailed {
        full: bool,
        error: String,
    },
    /// The command stopped on a panic while it worked (what the panic said): the store may be
    /// damaged.
    Stopped(String),
}

impl Aside {
    /// The notice in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(match self {
            Aside::Usage(mistake) => return mistake.message(lang),
            Aside::BackupDone(file) => (
                format!("今日备份已完成并核对：{}", file.display()),
                format!("Today's backup is written and verified: {}", file.display()),
            ),
            Aside::BackupFailed(e) => (
                format!("今日备份失败：{}", e.message(lang)),
                format!("Today's backup failed: {}", e.message(lang)),
            ),
            Aside::Stopped(what) => (
                format!(
                    "处理台账时意外中止（{what}）：台账可能已损坏；请运行 counsel-log verify \
                        检查，如报告损坏，请用最近的备份恢复"
                ),
                format!(
                    "stopped while working on the store ({what}): the store may be \
                        damaged; run `counsel-log verify`, and if it reports damage, restore the \
                        latest backup"
                ),
            ),
            Aside::OutputFailed { full: true, .. } => (
                "未能写出输出：磁盘已满，输出不完整；请腾出磁盘空间后重试".into(),
                "the output could not be written: the disk is full, so it is incomplete; \
                    free some space and try again"
                    .into(),
            ),
            Aside::OutputFailed { full: false, error } => (
                format!("未能写出输出（{error}），输出不完整"),
                format!("the output could not be written ({error}), so it is incomplete"),
            ),
        })
    }
}

/// The command line's fixed words in one language.
pub struct Strings {
    pub id: &'static str,
    pub name: &'static str,
    pub category: &'static str,
    pub unit: &'static str,
    /// An advisor's unit that is blank, as a change shows it.
    pub no_unit: &'static str,
    /// After an inactive advisor's name in `advisor list`.
    pub inactive_mark: &'static str,
    pub active_again: &'static str,
    pub now_inactive: &'static str,
    /// The columns of `catalog list`.
    pub kind: &'static str,
    pub code: &'static str,
    pub zh_name: &'static str,
    pub en_name: &'static str,
    pub aliases: &'static str,
    /// Between the items of a list inside a table cell.
    pub list_sep: &'static str,
}

/// The command line's words in `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    lang.of((&ZH, &EN))
}

static ZH: Strings = Strings {
    id: "编号",
    name: "姓名",
    category: "类别",
    unit: "单位",
    no_unit: "（空）",
    inactive_mark: "（停用）",
    active_again: "已恢复启用，重新计入参与率",
    now_inactive: "已停用，不再计入参与率（过往记录照常计入件次和时长）",
    kind: "类别",
    code: "代码",
    zh_name: "中文名",
    en_name: "英文名",
    aliases: "别名",
    list_sep: "、",
};

static EN: Strings = Strings {
    id: "id",
    name: "name",
    category: "category",
    unit: "unit",
    no_unit: "(none)",
    inactive_mark: " (inactive)",
    active_again: "active again, counted in participation",
    now_inactive: "now inactive, so no longer counted in participation (past entries still count \
        in items and hours)",
    kind: "kind",
    code: "code",
    zh_name: "Chinese",
    en_name: "English",
    aliases: "aliases",
    list_sep: ", ",
};

/// A category as the command line reads it, or why not.
pub fn category(input: &str) -> Result<Category, Refusal> {
    Category::parse(input)
        .ok_or_else(|| Refusal::Advisor(AdvisorFlagRefusal::UnknownCategory(input.to_string())))
}
