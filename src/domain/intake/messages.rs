//! Every text the intake shows, in Chinese and English side by side: each problem, its fix, and
//! how it points at the input (a line of a file, or the one entry typed).

use chrono::NaiveDate;

use super::MAX_ROW_TEXT_BYTES;
use super::columns::FileKind;
use super::problem::{
    EncodingError, HeaderError, HeaderName, ImportError, ItemField, Origin, Problem, RowError,
    Stated, Whose,
};
use super::reference::NUMBER_MARK;
use crate::domain::catalog::{Category, Satisfaction};
use crate::domain::duration::Minutes;
use crate::domain::lang::{Lang, Pair, pair};
use crate::domain::model::MAX_FIELD_CHARS;
use crate::domain::strings::printable;

impl ImportError {
    /// The problem and its fix, in the given language; row problems one per line, with the
    /// line number, worded for a file.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ImportError::Encoding(e) => e.message(lang),
            ImportError::Header(e) => e.message(lang),
            ImportError::Rows(rows) => rows_message(rows, lang),
        }
    }

    /// The problems of one entry (given by `log` flags or the entry form, so without line
    /// numbers), joined into one line.
    pub fn entry_message(&self, lang: Lang) -> String {
        match self {
            ImportError::Rows(rows) => rows
                .iter()
                .map(|r| r.problem.message(lang, Origin::Entry))
                .collect::<Vec<_>>()
                .join(lang.of(("；", "; "))),
            ImportError::Encoding(_) | ImportError::Header(_) => self.message(lang),
        }
    }
}

/// How many lines are wrong, then each problem on its own line after its line number.
fn rows_message(rows: &[RowError], lang: Lang) -> String {
    let mut lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    lines.dedup();
    let n = lines.len();
    let mut text = lang.of((
        format!("{n} 行有问题，未导入任何内容。请改正后重新导入："),
        format!(
            "{n} {} a problem; nothing was imported. Fix {} and import the file again:",
            if n == 1 { "row has" } else { "rows have" },
            if n == 1 { "it" } else { "them" }
        ),
    ));
    for r in rows {
        let message = r.problem.message(lang, Origin::File);
        text += &lang.of((
            format!("\n  第 {} 行：{message}", r.line),
            format!("\n  line {}: {message}", r.line),
        ));
    }
    text
}

impl EncodingError {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let texts = match self {
            EncodingError::BadUtf8 { offset } => (
                format!(
                    "文件开头是 UTF-8，但第 {offset} 字节处有无效内容：请重新另存为“CSV UTF-8”"
                ),
                format!(
                    "the file starts as UTF-8 but has invalid bytes at offset {offset}: save it \
                        again as \"CSV UTF-8\""
                ),
            ),
            EncodingError::Utf16 => (
                String::from(
                    "文件是 UTF-16（“Unicode 文本”），不是 CSV：请在表格软件中另存为“CSV UTF-8”",
                ),
                String::from(
                    "the file is UTF-16 (\"Unicode text\"), not CSV: save it from the spreadsheet \
                        as \"CSV UTF-8\"",
                ),
            ),
            EncodingError::Unknown => (
                String::from(
                    "文件既不是 UTF-8 也不是 GB18030/GBK 文本：请在表格软件中另存为“CSV UTF-8”",
                ),
                String::from(
                    "the file is neither UTF-8 nor GB18030/GBK text: save it from the spreadsheet \
                        as \"CSV UTF-8\"",
                ),
            ),
        };
        lang.of(texts)
    }
}

impl HeaderError {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let texts = match self {
            HeaderError::NotCsv(e) => (
                format!("文件无法按 CSV 读取（{e}）：请另存为“CSV UTF-8”"),
                format!("the file is not readable CSV ({e}): save it as CSV UTF-8"),
            ),
            HeaderError::Empty { file, expected } => {
                let (file_zh, file_en) = file_names(*file);
                let row_en = match file {
                    FileKind::Advisors => "advisor",
                    FileKind::Entries => "entry",
                };
                (
                    format!(
                        "{file_zh}文件是空的，连表头也没有：第一行必须是 {expected}，其下每行一条"
                    ),
                    format!(
                        "the {file_en} file is empty, without even a header: its first line \
                            must be {expected}, with a row under it for each {row_en}"
                    ),
                )
            }
            HeaderError::Missing {
                file,
                missing,
                expected,
            } => missing_columns(*file, missing, expected),
            HeaderError::Repeated {
                column,
                first,
                second,
            } => repeated_column(column, first, second),
            HeaderError::Unknown {
                file,
                name,
                closest,
                expected,
            } => unknown_column(*file, name, *closest, expected),
        };
        lang.of(texts)
    }
}

/// A header without the `missing` columns; `expected` is the header that has them all.
fn missing_columns(file: FileKind, missing: &[&str], expected: &str) -> Pair {
    let (file_zh, file_en) = file_names(file);
    let names_zh: Vec<String> = missing
        .iter()
        .map(|m| format!("{m}（{}）", column_zh(m)))
        .collect();
    (
        format!(
            "{file_zh}文件缺少列 {}：第一行必须是 {expected}",
            names_zh.join("、")
        ),
        format!(
            "the {file_en} file is missing the column{} {}: its first line must be {expected}",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", ")
        ),
    )
}

/// What a kind of file is called in a message, in Chinese and in English.
fn file_names(file: FileKind) -> (&'static str, &'static str) {
    match file {
        FileKind::Advisors => ("顾问", "advisors"),
        FileKind::Entries => ("记录", "entries"),
    }
}

/// A header cell, `name`, that names no column of `file`, perhaps a misspelt `closest`.
fn unknown_column(
    file: FileKind,
    name: &HeaderName,
    closest: Option<&str>,
    expected: &str,
) -> Pair {
    let (file_zh, file_en) = file_names(file);
    let (spelt, i) = (printable(&name.name), name.position);
    let (meant_zh, meant_en) = closest.map_or_else(Default::default, |c| {
        (
            format!("，是否应为 {c}（{}）", column_zh(c)),
            format!(" (did you mean {c}?)"),
        )
    });
    (
        format!(
            "表头第 {i} 列“{spelt}”不是{file_zh}文件的列{meant_zh}；其中的内容不会被读取，\
                未导入任何内容。请改正列名或删去该列（各列为 {expected}）后重新导入"
        ),
        format!(
            "column {i} of the header, \"{spelt}\", is not a column of the {file_en} \
                file{meant_en}: its values would not be read, so nothing was imported. Correct \
                its name or delete the column (the columns are {expected}) and import the file \
                again"
        ),
    )
}

/// A header naming `column` twice, at `first` and at `second`.
fn repeated_column(column: &str, first: &HeaderName, second: &HeaderName) -> Pair {
    let (a, b) = (printable(&first.name), printable(&second.name));
    let (i, j) = (first.position, second.position);
    (
        format!(
            "表头两次给出 {column}（{}）列：第 {i} 列“{a}”和第 {j} 列“{b}”；只读其中一列会漏掉\
                另一列，未导入任何内容。请删去或改名其中一列后重新导入",
            column_zh(column)
        ),
        format!(
            "the header names the {column} column twice: column {i} \"{a}\" and column {j} \
                \"{b}\"; nothing was imported. Remove or rename one of them and import the file \
                again"
        ),
    )
}

impl Problem {
    /// The problem and its fix, in the given language, worded for where the input came from.
    pub fn message(&self, lang: Lang, origin: Origin) -> String {
        let texts = match self {
            Problem::Unreadable(reason) => unreadable(reason),
            Problem::FieldTooLong { column } => field_too_long(*column),
            Problem::FieldCount { found, expected } => field_count(*found, *expected),
            Problem::UnclosedQuote { column } => (
                format!(
                    "第 {column} 列的英文双引号没有配对的结束引号，其后各行都被读进了这一格：\
                        请补上结束引号（格内的双引号须写成两个 \"\"）"
                ),
                format!(
                    "the double quote that opens column {column} is never closed, so the lines \
                        after it were read into that one cell: close the quote (a quote inside a \
                        cell is written twice, \"\")"
                ),
            ),
            Problem::TooMuchText { kib } => too_much_text(*kib),
            Problem::Date(e) => pair(|lang| e.message(lang)),
            Problem::Hours(e) => pair(|lang| e.message(lang)),
            Problem::Field(e) => pair(|lang| e.message(lang)),
            Problem::Catalog(e) => pair(|lang| e.message(lang)),
            Problem::Rating(e) => pair(|lang| e.message(lang)),
            Problem::AdvisorMissing => advisor_missing(),
            Problem::UnknownAdvisor(id) => unknown_advisor(id),
            Problem::AdvisorNamed { name, ids } => advisor_named(name, ids),
            Problem::AmbiguousAdvisor { id, matches } => ambiguous_advisor(id, matches),
            Problem::InactiveAdvisor { id, name } => inactive_advisor(id, name),
            Problem::OverDay {
                advisor,
                total,
                date,
            } => over_day(advisor, *total, *date),
            Problem::NoName(id) => no_name(id),
            Problem::UnknownCategory(input) => pair(|lang| unknown_category(input, lang)),
            Problem::BadActive(value) => bad_active(value),
            Problem::IdRepeated { id, first } => id_repeated(id, *first),
            Problem::IdTaken { id, name, category } => id_taken(id, name, *category),
            Problem::IdLikeExisting { id, existing, name } => {
                pair(|lang| id_alike_message(id, existing, name, lang))
            }
            Problem::IdLikeLine { id, other, first } => id_like_line(id, other, *first),
            Problem::Conflict {
                whose,
                field,
                have,
                said,
            } => conflict(whose, *field, (have, said), origin),
            Problem::RatingConflict { whose, have, said } => {
                rating_conflict(whose, (*have, *said), origin)
            }
            Problem::Incomplete(fields) => incomplete(fields),
            Problem::UnknownNumber(reference) => unknown_number(reference),
            Problem::MonthClosed(month) => month_closed(month),
        };
        // One line by design, so a newline or an escape sequence in the values it echoes is
        // shown escaped, never acted on.
        printable(&lang.of(texts))
    }
}

// Reading the file.

fn unreadable(reason: &str) -> Pair {
    (
        format!("无法按 CSV 读取（{reason}）：请另存为“CSV UTF-8”后重试"),
        format!("not readable as CSV ({reason})"),
    )
}

fn field_too_long(column: usize) -> Pair {
    (
        format!("第 {column} 列的内容超过 {MAX_FIELD_CHARS} 个字符：请缩短"),
        format!(
            "the field in column {column} is longer than {MAX_FIELD_CHARS} characters: shorten it"
        ),
    )
}

/// More fields than the header names is most often an unquoted comma; fewer, a missing one.
fn field_count(found: usize, expected: usize) -> Pair {
    if found > expected {
        (
            format!(
                "本行有 {found} 个字段，而表头有 {expected} 列：字段（如标题、备注）\
                    内含英文逗号时，须用英文双引号括起"
            ),
            format!(
                "the line has {found} fields but the header names {expected}: a comma inside a \
                    field (a title, a note) needs the field in double quotes"
            ),
        )
    } else {
        (
            format!("本行有 {found} 个字段，而表头有 {expected} 列：请检查是否漏了逗号"),
            format!(
                "the line has {found} fields but the header names {expected}: check for missing \
                    commas"
            ),
        )
    }
}

fn too_much_text(kib: usize) -> Pair {
    let most = MAX_ROW_TEXT_BYTES / 1024;
    (
        format!("标题、部门、备注和事项键合计 {kib} KiB，上限为 {most} KiB：请缩短"),
        format!(
            "the title, department, note and item key together are {kib} KiB; at most {most} KiB: \
                shorten them"
        ),
    )
}

// The advisor an entry names.

fn advisor_missing() -> Pair {
    (
        "未填写顾问：请填写顾问编号，如 A001".into(),
        "the advisor is missing: give an advisor id such as A001".into(),
    )
}

fn unknown_advisor(id: &str) -> Pair {
    (
        format!(
            "没有顾问“{id}”：请先用 `counsel-log advisor add` 或 `counsel-log import advisors` 添加"
        ),
        format!(
            "unknown advisor \"{id}\": add them first with `counsel-log advisor add` or \
                `counsel-log import advisors`"
        ),
    )
}

fn advisor_named(name: &str, ids: &[String]) -> Pair {
    let name = printable(name);
    match ids {
        [id] => (
            format!("“{name}”是顾问 {id} 的姓名，不是编号：请写编号 {id}"),
            format!("\"{name}\" is the name of advisor {id}, not an id: write {id}"),
        ),
        _ => (
            format!(
                "“{name}”是顾问 {} 的姓名，不是编号：请写所指顾问的编号",
                ids.join("、")
            ),
            format!(
                "\"{name}\" is the name of advisors {}, not an id: write the id of the one you mean",
                ids.join(", ")
            ),
        ),
    }
}

fn ambiguous_advisor(id: &str, matches: &[String]) -> Pair {
    (
        format!(
            "顾问“{id}”在不区分大小写时对应 {} 多位顾问：请按 `counsel-log advisor list` \
                所列的编号原样填写",
            matches.join("、")
        ),
        format!(
            "advisor \"{id}\" matches {} when letter case is ignored: write the id exactly as \
                listed by `counsel-log advisor list`",
            matches.join(" and ")
        ),
    )
}

fn inactive_advisor(id: &str, name: &str) -> Pair {
    (
        format!(
            "顾问 {id}（{name}）已停用：如需为其记录，请先用 `counsel-log advisor set --id {id} \
                --active true` 恢复启用"
        ),
        format!(
            "advisor {id} ({name}) is inactive: to log their work, reactivate them first with \
                `counsel-log advisor set --id {id} --active true`"
        ),
    )
}

fn over_day(advisor: &str, total: Minutes, date: NaiveDate) -> Pair {
    (
        format!(
            "{advisor} 在 {date} 将累计 {}，超过 24 小时：请核对当天记录的时长",
            total.exact_in(Lang::Zh)
        ),
        format!(
            "{advisor} would have {} on {date}, more than 24: check the hours logged that day",
            total.exact_in(Lang::En)
        ),
    )
}

// A row of an advisors file.

fn no_name(id: &str) -> Pair {
    (
        format!("顾问 {id} 没有姓名：请填写姓名一列"),
        format!("advisor {id} has no name: fill in the name column"),
    )
}

fn bad_active(value: &str) -> Pair {
    (
        format!("active 列的值是“{value}”：请填 yes 或 no（留空即为 yes）"),
        format!("active is \"{value}\": write yes or no (or leave it blank for yes)"),
    )
}

fn id_repeated(id: &str, first: u64) -> Pair {
    (
        format!("顾问编号 {id} 已在第 {first} 行使用：请为每位顾问使用不同的编号"),
        format!("advisor id {id} is already used on line {first}: give each advisor their own id"),
    )
}

fn id_taken(id: &str, name: &str, category: Category) -> Pair {
    (
        format!(
            "顾问编号 {id} 已属于{name}（{}）：请换一个编号，或改正此行；如要修改{name}的信息，\
                请用 `counsel-log advisor set --id {id}`；如这是办公室发来的最新名单，请用 \
                `counsel-log import advisors 文件 --update` 导入",
            category.short(Lang::Zh)
        ),
        format!(
            "advisor id {id} already belongs to {name} ({}): use another id, or correct the row; \
                to change {name}'s details, use `counsel-log advisor set --id {id}`; if the file \
                is the office's latest roster, import it with `counsel-log import advisors FILE \
                --update`",
            category.short(Lang::En)
        ),
    )
}

fn id_like_line(id: &str, other: &str, first: u64) -> Pair {
    (
        format!(
            "顾问编号 {id} 与第 {first} 行的 {other} 仅大小写不同，而编号不区分大小写：\
                请为每位顾问使用不同的编号"
        ),
        format!(
            "advisor id {id} differs only in letter case from {other} on line {first}, and ids \
                ignore case: give each advisor their own id"
        ),
    )
}

/// The refusal of a new advisor id that differs only in letter case from `existing`'s, who is
/// `name`: the same words for `advisor add` and `import advisors`.
pub fn id_alike_message(id: &str, existing: &str, name: &str, lang: Lang) -> String {
    let set = format!("`counsel-log advisor set --id {existing}`");
    id_alike_changed_by(
        id,
        existing,
        name,
        (&format!("请用 {set}"), &format!("use {set}")),
        lang,
    )
}

/// [`id_alike_message`], with how a front end changes an advisor's details (in Chinese, then
/// English, each a phrase that follows "to change their details,").
pub fn id_alike_changed_by(
    id: &str,
    existing: &str,
    name: &str,
    (how_zh, how_en): (&str, &str),
    lang: Lang,
) -> String {
    lang.of((
        format!(
            "顾问编号 {id} 与台账中已有的 {existing}（{name}）仅大小写不同，而编号不区分大小写：\
                如指{name}，请写 {existing}；如要修改{name}的信息，{how_zh}；如是另一位顾问，\
                请换一个编号"
        ),
        format!(
            "advisor id {id} differs only in letter case from {existing} ({name}), who is already \
                in the ledger, and ids ignore case: to mean {name}, write {existing}; to change \
                {name}'s details, {how_en}; for someone else, choose another id"
        ),
    ))
}

/// The message for a category nobody recognises.
pub fn unknown_category(input: &str, lang: Lang) -> String {
    let input = input.trim();
    lang.of((
        format!(
            "没有“{input}”这一类别：请使用 专职（staff）、公职律师（public-lawyer）、外聘律师\
                （external）或 特约专家（expert）"
        ),
        format!(
            "unknown category \"{input}\": use staff (专职), public-lawyer (公职律师), external \
                (外聘律师) or expert (特约专家)"
        ),
    ))
}

// The rows of one item.

impl Whose {
    fn name(&self, lang: Lang) -> String {
        let texts = match self {
            Whose::Ledger(key) => (format!("事项 {key}"), format!("item {key} in the ledger")),
            Whose::File { key, line } => (
                format!("事项 {key}（第 {line} 行）"),
                format!("item {key} (line {line})"),
            ),
            Whose::Unkeyed => ("该事项".into(), "the item".into()),
        };
        lang.of(texts)
    }
}

/// How a conflict points at the value the input gives: a row of a file, or the entry typed.
fn this_says(origin: Origin) -> (&'static str, &'static str) {
    match origin {
        Origin::File => ("本行填的是", "this row says"),
        Origin::Entry => ("此处填的是", "this entry says"),
    }
}

/// A Chinese phrase ending in a code (`事项 K1`) gets a space before the particle that follows,
/// as the codes in the other messages do; one ending in a bracket does not.
fn spaced(name: &str) -> String {
    if name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        format!("{name} ")
    } else {
        name.to_string()
    }
}

/// The item `whose` has `have` in `field`, the input says `said`.
fn conflict(
    whose: &Whose,
    field: ItemField,
    (have, said): (&Stated, &Stated),
    origin: Origin,
) -> Pair {
    let (this_zh, this_en) = this_says(origin);
    (
        format!(
            "{}的{}是“{}”，{this_zh}“{}”：请保持一致",
            spaced(&whose.name(Lang::Zh)),
            field.zh(),
            have.shown(Lang::Zh),
            said.shown(Lang::Zh)
        ),
        format!(
            "{} has {} \"{}\" but {this_en} \"{}\": make them the same",
            whose.name(Lang::En),
            field.code(),
            have.shown(Lang::En),
            said.shown(Lang::En)
        ),
    )
}

impl Stated {
    /// The words, or the catalog entry's name in `lang`.
    fn shown(&self, lang: Lang) -> &str {
        match self {
            Stated::Words(words) => words,
            Stated::Entry(entry) => entry.label(lang),
        }
    }
}

/// The item `whose` is rated `have`, the input says `said`.
fn rating_conflict(
    whose: &Whose,
    (have, said): (Satisfaction, Satisfaction),
    origin: Origin,
) -> Pair {
    let (this_zh, this_en) = this_says(origin);
    (
        format!(
            "{}的满意度是“{}”，{this_zh}“{}”：请保持一致",
            spaced(&whose.name(Lang::Zh)),
            have.label(Lang::Zh),
            said.label(Lang::Zh)
        ),
        format!(
            "{} is rated \"{}\" but {this_en} \"{}\": make them the same",
            whose.name(Lang::En),
            have.label(Lang::En),
            said.label(Lang::En)
        ),
    )
}

/// A new item without these fields; the `log` flags that give them have the columns' names.
fn incomplete(fields: &[ItemField]) -> Pair {
    let flags: Vec<String> = fields.iter().map(|f| format!("--{}", f.code())).collect();
    let flags = flags.join(" ");
    let names_zh: Vec<&str> = fields.iter().map(|f| f.zh()).collect();
    let names_en: Vec<&str> = fields.iter().map(|f| f.code()).collect();
    let names_en = names_en.join(", ");
    (
        format!(
            "新事项须填写{}：请补上（使用 `log` 命令时加 {flags}）",
            names_zh.join("、")
        ),
        format!("a new item needs a {names_en}: fill in the {names_en} (with `log`, give {flags})"),
    )
}

/// A row dated in `month`, which is closed.
fn month_closed(month: &str) -> Pair {
    (
        format!(
            "{month} 已结账，不能再新增日期在该月的记录：请删去这一行；更正已有记录请用 `counsel-log \
                correct`，重新开账请用 `counsel-log reopen {month} --reason 原因`"
        ),
        format!(
            "{month} is closed: no entry dated in it can be added. Remove the row; to correct an \
                entry use `counsel-log correct`, to reopen the month `counsel-log reopen {month} \
                --reason TEXT`"
        ),
    )
}

/// A `#` number no item has. The `#` marks the ledger's own numbers, so it cannot start a key
/// either: the fix is the key without it, or a blank item for a new one.
fn unknown_number(reference: &str) -> Pair {
    let reference = reference.trim();
    let key = reference.trim_start_matches(NUMBER_MARK);
    (
        format!(
            "台账中没有编号为 {reference} 的事项：以 # 开头的是台账自己的事项编号，事项键不能以 # 开头；\
                要以键新建事项，请去掉 #（写作 {key}），或将事项留空"
        ),
        format!(
            "no item in the ledger has the number {reference}: a reference beginning with # is the \
                ledger's own item number, and a key may not begin with #; to make a new item under a \
                key, write it without the # ({key}), or leave the item blank"
        ),
    )
}

impl ItemField {
    /// The field's Chinese name (its English name is its code).
    fn zh(self) -> &'static str {
        match self {
            ItemField::Title => "标题",
            ItemField::Topic => "领域",
            ItemField::Service => "服务方式",
            ItemField::Department => "部门",
        }
    }
}

/// A column of an advisors or entries file as a header row written for people names it
/// (`export --header zh`, `advisor list --header zh`): its Chinese name, which the importer reads
/// as well as the column's own; in English, the column's own name, already an English word.
pub fn column_name(column: &str, lang: Lang) -> &str {
    lang.of((column_zh(column), column))
}

/// A column's Chinese name (one of the names the importer reads for it), as a missing column
/// is named; a column it does not know is shown as the header line spells it.
fn column_zh(column: &str) -> &str {
    match column {
        "id" => "编号",
        "category" => "类别",
        "active" => "在职",
        "date" => "日期",
        "advisor" => "顾问",
        "hours" => "小时",
        "satisfaction" => "满意度",
        "name" => "姓名",
        "unit" => "单位",
        "item" => "事项",
        "title" => "标题",
        "topic" => "领域",
        "service" => "服务方式",
        "department" => "部门",
        "note" => "备注",
        spelled => spelled,
    }
}
