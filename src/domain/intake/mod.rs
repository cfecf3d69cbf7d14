//! Reading the CSV files offices keep in spreadsheets: decoding (UTF-8 with or without BOM,
//! GB18030/GBK as Excel saves them), header checks, and row-by-row validation that reports every
//! bad line at once. Nothing here writes: the result is a plan the store applies atomically.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;

use super::catalog::{Catalog, CatalogError, Category, Satisfaction, UnknownRating};
use super::duration::{DAY, DurationError, Minutes};
use super::lang::Lang;
use super::model::{
    Advisor, AdvisorMatch, FieldError, Item, ItemId, MAX_FIELD_CHARS, check_advisor_id, check_text,
    field_name, find_advisor, id_alike,
};
use super::period::{PeriodError, parse_date};

/// Why a file could not be imported. Nothing is imported in any of these cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The bytes are not text in an encoding we read.
    Encoding(EncodingError),
    /// The header row is missing columns or is not CSV at all.
    Header(HeaderError),
    /// Individual rows are wrong; every one is listed.
    Rows(Vec<RowError>),
}

/// Why the file's bytes are not text we read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodingError {
    /// Starts with a UTF-8 BOM, then has invalid bytes at this offset.
    BadUtf8 {
        offset: usize,
    },
    Utf16,
    Unknown,
}

/// Why the first line of the file is not a header we read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// Not CSV at all (the reader's explanation).
    NotCsv(String),
    /// Columns are missing: which file (`advisors` or `entries`), which columns, the whole header.
    Missing {
        file: &'static str,
        missing: Vec<&'static str>,
        expected: String,
    },
}

/// A problem on one line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub problem: Problem,
}

/// Where the input came from, which decides how a message points at it: "this row" in a file,
/// "this entry" (此处) for one entry given by `log` flags or the entry form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    File,
    Entry,
}

/// An item field that rows must agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemField {
    Title,
    Topic,
    Service,
    Department,
}

impl ItemField {
    fn code(self) -> &'static str {
        match self {
            ItemField::Title => "title",
            ItemField::Topic => "topic",
            ItemField::Service => "service",
            ItemField::Department => "department",
        }
    }
}

/// Which item a conflict is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whose {
    /// An item already in the ledger, by the key or number given.
    Ledger(String),
    /// A new item keyed in the file, first seen on `line`.
    File { key: String, line: u64 },
    /// A new item without a key.
    Unkeyed,
}

impl Whose {
    fn name(&self, lang: Lang) -> String {
        match (self, lang) {
            (Whose::Ledger(key), Lang::En) => format!("item {key} in the ledger"),
            (Whose::Ledger(key), Lang::Zh) => format!("事项 {key}"),
            (Whose::File { key, line }, Lang::En) => format!("item {key} (line {line})"),
            (Whose::File { key, line }, Lang::Zh) => format!("事项 {key}（第 {line} 行）"),
            (Whose::Unkeyed, Lang::En) => "the item".into(),
            (Whose::Unkeyed, Lang::Zh) => "该事项".into(),
        }
    }
}

/// What is wrong with one row (or one entry), as a value: the words are chosen when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The CSV reader could not read the line (its explanation).
    Unreadable(String),
    /// A field (1-based column) is over [`MAX_FIELD_CHARS`].
    FieldTooLong {
        column: usize,
    },
    /// The line has a different number of fields than the header names.
    FieldCount {
        found: usize,
        expected: usize,
    },
    Date(PeriodError),
    Hours(DurationError),
    AdvisorMissing,
    UnknownAdvisor(String),
    /// The id matches several advisors when letter case is ignored, and none exactly.
    AmbiguousAdvisor {
        id: String,
        matches: Vec<String>,
    },
    Field(FieldError),
    Catalog(CatalogError),
    Rating(UnknownRating),
    /// Title, department, note and key together are this many KiB, over [`MAX_ROW_TEXT_BYTES`].
    TooMuchText {
        kib: usize,
    },
    NoName(String),
    UnknownCategory(String),
    /// The `active` column holds neither yes nor no.
    BadActive(String),
    IdRepeated {
        id: String,
        first: u64,
    },
    IdTaken {
        id: String,
        name: String,
        category: Category,
    },
    /// The advisor was deactivated (`advisor set --active false`): no new entries.
    InactiveAdvisor {
        id: String,
        name: String,
    },
    /// A new advisor's id differs only in letter case from an advisor in the ledger.
    IdLikeExisting {
        id: String,
        existing: String,
        name: String,
    },
    /// A new advisor's id differs only in letter case from one on an earlier line.
    IdLikeLine {
        id: String,
        other: String,
        first: u64,
    },
    Conflict {
        whose: Whose,
        field: ItemField,
        have: String,
        said: String,
    },
    RatingConflict {
        whose: Whose,
        have: Satisfaction,
        said: Satisfaction,
    },
    /// A new item lacks these fields.
    Incomplete(Vec<ItemField>),
    /// The advisor would have this much on that date.
    OverDay {
        advisor: String,
        total: Minutes,
        date: NaiveDate,
    },
}

impl Problem {
    /// The problem and its fix, in the given language, worded for where the input came from.
    pub fn message(&self, lang: Lang, origin: Origin) -> String {
        let field = |f: ItemField| field_name(f.code(), lang).to_string();
        match (self, lang) {
            (Self::Unreadable(e), Lang::En) => format!("not readable as CSV ({e})"),
            (Self::Unreadable(e), Lang::Zh) => {
                format!("无法按 CSV 读取（{e}）：请另存为“CSV UTF-8”后重试")
            }
            (Self::FieldCount { found, expected }, Lang::En) if found > expected => format!(
                "the line has {found} fields but the header names {expected}: a comma inside a field (a title, a note) needs the field in double quotes"
            ),
            (Self::FieldCount { found, expected }, Lang::En) => format!(
                "the line has {found} fields but the header names {expected}: check for missing commas"
            ),
            (Self::FieldCount { found, expected }, Lang::Zh) if found > expected => format!(
                "本行有 {found} 个字段，而表头有 {expected} 列：字段（如标题、备注）内含英文逗号时，须用英文双引号括起"
            ),
            (Self::FieldCount { found, expected }, Lang::Zh) => {
                format!("本行有 {found} 个字段，而表头有 {expected} 列：请检查是否漏了逗号")
            }
            (Self::BadActive(v), Lang::En) => {
                format!("active is \"{v}\": write yes or no (or leave it blank for yes)")
            }
            (Self::BadActive(v), Lang::Zh) => {
                format!("active 列的值是“{v}”：请填 yes 或 no（留空即为 yes）")
            }
            (Self::FieldTooLong { column }, Lang::En) => format!(
                "the field in column {column} is longer than {MAX_FIELD_CHARS} characters: shorten it"
            ),
            (Self::FieldTooLong { column }, Lang::Zh) => {
                format!("第 {column} 列的内容超过 {MAX_FIELD_CHARS} 个字符：请缩短")
            }
            (Self::Date(e), _) => e.message(lang),
            (Self::Hours(e), _) => e.message(lang),
            (Self::Field(e), _) => e.message(lang),
            (Self::Catalog(e), _) => e.message(lang),
            (Self::Rating(e), _) => e.message(lang),
            (Self::UnknownCategory(c), _) => unknown_category(c, lang),
            (Self::AdvisorMissing, Lang::En) => {
                "the advisor is missing: give an advisor id such as A001".into()
            }
            (Self::AdvisorMissing, Lang::Zh) => "未填写顾问：请填写顾问编号，如 A001".into(),
            (Self::UnknownAdvisor(a), Lang::En) => format!(
                "unknown advisor \"{a}\": add them first with `counsel-log advisor add` or `counsel-log import advisors`"
            ),
            (Self::UnknownAdvisor(a), Lang::Zh) => format!(
                "没有顾问“{a}”：请先用 `counsel-log advisor add` 或 `counsel-log import advisors` 添加"
            ),
            (Self::AmbiguousAdvisor { id, matches }, Lang::En) => format!(
                "advisor \"{id}\" matches {} when letter case is ignored: write the id exactly as listed by `counsel-log advisor list`",
                matches.join(" and ")
            ),
            (Self::AmbiguousAdvisor { id, matches }, Lang::Zh) => format!(
                "顾问“{id}”在不区分大小写时对应 {} 多位顾问：请按 `counsel-log advisor list` 所列的编号原样填写",
                matches.join("、")
            ),
            (Self::IdLikeExisting { id, existing, name }, _) => {
                id_alike_message(id, existing, name, lang)
            }
            (Self::IdLikeLine { id, other, first }, Lang::En) => format!(
                "advisor id {id} differs only in letter case from {other} on line {first}, and ids ignore case: give each advisor their own id"
            ),
            (Self::IdLikeLine { id, other, first }, Lang::Zh) => format!(
                "顾问编号 {id} 与第 {first} 行的 {other} 仅大小写不同，而编号不区分大小写：请为每位顾问使用不同的编号"
            ),
            (Self::TooMuchText { kib }, Lang::En) => format!(
                "the title, department, note and item key together are {kib} KiB; at most {} KiB: shorten them",
                MAX_ROW_TEXT_BYTES / 1024
            ),
            (Self::TooMuchText { kib }, Lang::Zh) => format!(
                "标题、部门、备注和事项键合计 {kib} KiB，上限为 {} KiB：请缩短",
                MAX_ROW_TEXT_BYTES / 1024
            ),
            (Self::NoName(id), Lang::En) => {
                format!("advisor {id} has no name: fill in the name column")
            }
            (Self::NoName(id), Lang::Zh) => format!("顾问 {id} 没有姓名：请填写姓名一列"),
            (Self::IdRepeated { id, first }, Lang::En) => format!(
                "advisor id {id} is already used on line {first}: give each advisor their own id"
            ),
            (Self::IdRepeated { id, first }, Lang::Zh) => {
                format!("顾问编号 {id} 已在第 {first} 行使用：请为每位顾问使用不同的编号")
            }
            (Self::IdTaken { id, name, category }, Lang::En) => format!(
                "advisor id {id} already belongs to {name} ({}): use another id, or correct the row; to change {name}'s details, use `counsel-log advisor set --id {id}`",
                category.code()
            ),
            (Self::IdTaken { id, name, category }, Lang::Zh) => format!(
                "顾问编号 {id} 已属于{name}（{}）：请换一个编号，或改正此行；如要修改{name}的信息，请用 `counsel-log advisor set --id {id}`",
                category.short(lang)
            ),
            (Self::InactiveAdvisor { id, name }, Lang::En) => format!(
                "advisor {id} ({name}) is inactive: to log their work, reactivate them first with `counsel-log advisor set --id {id} --active true`"
            ),
            (Self::InactiveAdvisor { id, name }, Lang::Zh) => format!(
                "顾问 {id}（{name}）已停用：如需为其记录，请先用 `counsel-log advisor set --id {id} --active true` 恢复启用"
            ),
            (
                Self::Conflict {
                    whose,
                    field: f,
                    have,
                    said,
                },
                Lang::En,
            ) => {
                let this = match origin {
                    Origin::File => "this row says",
                    Origin::Entry => "this entry says",
                };
                format!(
                    "{} has {} \"{have}\" but {this} \"{said}\": make them the same",
                    whose.name(lang),
                    f.code()
                )
            }
            (
                Self::Conflict {
                    whose,
                    field: f,
                    have,
                    said,
                },
                Lang::Zh,
            ) => {
                let this = match origin {
                    Origin::File => "本行填的是",
                    Origin::Entry => "此处填的是",
                };
                format!(
                    "{}的{}是“{have}”，{this}“{said}”：请保持一致",
                    spaced(&whose.name(lang)),
                    field(*f)
                )
            }
            (Self::RatingConflict { whose, have, said }, Lang::En) => {
                let this = match origin {
                    Origin::File => "this row says",
                    Origin::Entry => "this entry says",
                };
                format!(
                    "{} is rated \"{}\" but {this} \"{}\": make them the same",
                    whose.name(lang),
                    have.code(),
                    said.code()
                )
            }
            (Self::RatingConflict { whose, have, said }, Lang::Zh) => {
                let this = match origin {
                    Origin::File => "本行填的是",
                    Origin::Entry => "此处填的是",
                };
                format!(
                    "{}的满意度是“{}”，{this}“{}”：请保持一致",
                    spaced(&whose.name(lang)),
                    have.label(lang),
                    said.label(lang)
                )
            }
            (Self::Incomplete(fields), Lang::En) => {
                let names: Vec<&str> = fields.iter().map(|f| f.code()).collect();
                let names = names.join(", ");
                let flags: Vec<String> = fields.iter().map(|f| format!("--{}", f.code())).collect();
                format!(
                    "a new item needs a {names}: fill in the {names} (with `log`, give {})",
                    flags.join(" ")
                )
            }
            (Self::Incomplete(fields), Lang::Zh) => {
                let names: Vec<String> = fields.iter().map(|f| field(*f)).collect();
                let flags: Vec<String> = fields.iter().map(|f| format!("--{}", f.code())).collect();
                format!(
                    "新事项须填写{}：请补上（使用 `log` 命令时加 {}）",
                    names.join("、"),
                    flags.join(" ")
                )
            }
            (
                Self::OverDay {
                    advisor,
                    total,
                    date,
                },
                Lang::En,
            ) => format!(
                "{advisor} would have {} on {date}, more than 24: check the hours logged that day",
                total.exact_in(lang)
            ),
            (
                Self::OverDay {
                    advisor,
                    total,
                    date,
                },
                Lang::Zh,
            ) => format!(
                "{advisor} 在 {date} 将累计 {}，超过 24 小时：请核对当天记录的时长",
                total.exact_in(lang)
            ),
        }
    }
}

/// The refusal of a new advisor id that differs only in letter case from `existing`'s, who is
/// `name`: the same words for `advisor add` and `import advisors`.
pub fn id_alike_message(id: &str, existing: &str, name: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "advisor id {id} differs only in letter case from {existing} ({name}), who is already in the ledger, and ids ignore case: to mean {name}, write {existing}; to change {name}'s details, use `counsel-log advisor set --id {existing}`; for someone else, choose another id"
        ),
        Lang::Zh => format!(
            "顾问编号 {id} 与台账中已有的 {existing}（{name}）仅大小写不同，而编号不区分大小写：如指{name}，请写 {existing}；如要修改{name}的信息，请用 `counsel-log advisor set --id {existing}`；如是另一位顾问，请换一个编号"
        ),
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

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En, Origin::File))
    }
}

impl RowError {
    fn new(line: u64, problem: Problem) -> RowError {
        RowError { line, problem }
    }
}

impl EncodingError {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::BadUtf8 { offset }, Lang::En) => format!(
                "the file starts as UTF-8 but has invalid bytes at offset {offset}: save it again as \"CSV UTF-8\""
            ),
            (Self::BadUtf8 { offset }, Lang::Zh) => format!(
                "文件开头是 UTF-8，但第 {offset} 字节处有无效内容：请重新另存为“CSV UTF-8”"
            ),
            (Self::Utf16, Lang::En) => "the file is UTF-16 (\"Unicode text\"), not CSV: save it from the spreadsheet as \"CSV UTF-8\"".into(),
            (Self::Utf16, Lang::Zh) => {
                "文件是 UTF-16（“Unicode 文本”），不是 CSV：请在表格软件中另存为“CSV UTF-8”".into()
            }
            (Self::Unknown, Lang::En) => "the file is neither UTF-8 nor GB18030/GBK text: save it from the spreadsheet as \"CSV UTF-8\"".into(),
            (Self::Unknown, Lang::Zh) => {
                "文件既不是 UTF-8 也不是 GB18030/GBK 文本：请在表格软件中另存为“CSV UTF-8”".into()
            }
        }
    }
}

impl HeaderError {
    /// The problem and its fix, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::NotCsv(e), Lang::En) => {
                format!("the file is not readable CSV ({e}): save it as CSV UTF-8")
            }
            (Self::NotCsv(e), Lang::Zh) => {
                format!("文件无法按 CSV 读取（{e}）：请另存为“CSV UTF-8”")
            }
            (
                Self::Missing {
                    file,
                    missing,
                    expected,
                },
                Lang::En,
            ) => format!(
                "the {file} file is missing the column{} {}: its first line must be {expected}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ),
            (
                Self::Missing {
                    file,
                    missing,
                    expected,
                },
                Lang::Zh,
            ) => {
                let names: Vec<String> = missing
                    .iter()
                    .map(|m| format!("{m}（{}）", field_name(m, lang)))
                    .collect();
                let file = match *file {
                    "advisors" => "顾问",
                    _ => "记录",
                };
                format!(
                    "{file}文件缺少列 {}：第一行必须是 {expected}",
                    names.join("、")
                )
            }
        }
    }
}

impl ImportError {
    /// The problem and its fix, in the given language; row problems one per line, with the
    /// line number, worded for a file.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Encoding(e) => e.message(lang),
            Self::Header(e) => e.message(lang),
            Self::Rows(rows) => {
                let mut lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
                lines.dedup();
                let n = lines.len();
                let mut text = match lang {
                    Lang::En => format!(
                        "{n} {} a problem; nothing was imported. Fix {} and import the file again:",
                        if n == 1 { "row has" } else { "rows have" },
                        if n == 1 { "it" } else { "them" }
                    ),
                    Lang::Zh => format!("{n} 行有问题，未导入任何内容。请改正后重新导入："),
                };
                for r in rows {
                    let message = r.problem.message(lang, Origin::File);
                    text += &match lang {
                        Lang::En => format!("\n  line {}: {message}", r.line),
                        Lang::Zh => format!("\n  第 {} 行：{message}", r.line),
                    };
                }
                text
            }
        }
    }

    /// The problems of one entry (given by `log` flags or the entry form, so without line
    /// numbers), joined into one line.
    pub fn entry_message(&self, lang: Lang) -> String {
        match self {
            Self::Rows(rows) => rows
                .iter()
                .map(|r| r.problem.message(lang, Origin::Entry))
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; ")),
            other => other.message(lang),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ImportError {}

/// Turns the file's bytes into text: UTF-8 (BOM optional), else GB18030 (a superset of GBK).
pub fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).map(str::to_string).map_err(|e| {
            ImportError::Encoding(EncodingError::BadUtf8 {
                offset: e.valid_up_to() + 3,
            })
        });
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ImportError::Encoding(EncodingError::Utf16));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors || text.contains('\0') {
        return Err(ImportError::Encoding(EncodingError::Unknown));
    }
    Ok(text.into_owned())
}

/// A column the importer knows, with the header names it answers to.
struct Column {
    name: &'static str,
    aliases: &'static [&'static str],
    required: bool,
}

const ADVISOR_COLUMNS: &[Column] = &[
    Column {
        name: "id",
        aliases: &["编号", "顾问编号"],
        required: true,
    },
    Column {
        name: "name",
        aliases: &["姓名", "名称"],
        required: true,
    },
    Column {
        name: "category",
        aliases: &["类别"],
        required: true,
    },
    Column {
        name: "unit",
        aliases: &["单位", "部门"],
        required: true,
    },
    // As `advisor list --format csv` writes it; a file without it makes everyone active.
    Column {
        name: "active",
        aliases: &["在职"],
        required: false,
    },
];

const ENTRY_COLUMNS: &[Column] = &[
    Column {
        name: "date",
        aliases: &["日期"],
        required: true,
    },
    Column {
        name: "advisor",
        aliases: &["顾问"],
        required: true,
    },
    Column {
        name: "hours",
        aliases: &["小时", "时长"],
        required: true,
    },
    Column {
        name: "item",
        aliases: &["事项"],
        required: true,
    },
    Column {
        name: "title",
        aliases: &["标题"],
        required: true,
    },
    Column {
        name: "topic",
        aliases: &["领域"],
        required: true,
    },
    Column {
        name: "service",
        aliases: &["方式", "服务方式"],
        required: true,
    },
    Column {
        name: "department",
        aliases: &["部门", "委托部门"],
        required: true,
    },
    Column {
        name: "satisfaction",
        aliases: &["满意度"],
        required: true,
    },
    Column {
        name: "note",
        aliases: &["备注"],
        required: true,
    },
];

/// The most text one row may carry, in bytes of UTF-8, so that its records fit the store.
pub const MAX_ROW_TEXT_BYTES: usize = 48 * 1024;

/// The header of an advisors file, as written by `export`.
pub const ADVISOR_HEADER: &str = "id,name,category,unit";
/// The header of an entries file, as written by `export --format csv`.
pub const ENTRY_HEADER: &str =
    "date,advisor,hours,item,title,topic,service,department,satisfaction,note";

/// One data line of a CSV file: its line number and its fields by column.
struct Line {
    number: u64,
    fields: Vec<String>,
}

impl Line {
    fn get(&self, column: usize) -> &str {
        self.fields.get(column).map_or("", |s| s.as_str())
    }
}

/// Reads the CSV text, checks the header, and returns the data lines in column order.
/// Columns whose field may be blank, so a line may end before them.
const MAY_BE_BLANK: [&str; 5] = ["item", "satisfaction", "note", "unit", "active"];

fn read_lines(
    text: &str,
    columns: &[Column],
    what: &'static str,
) -> Result<Vec<Line>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ImportError::Header(HeaderError::NotCsv(e.to_string())))?
        .clone();
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let mut index = Vec::with_capacity(columns.len());
    let mut missing = Vec::new();
    for c in columns {
        match names
            .iter()
            .position(|n| n == c.name || c.aliases.contains(&n.as_str()))
        {
            Some(i) => index.push(i),
            None if c.required => missing.push(c.name),
            None => index.push(usize::MAX),
        }
    }
    if !missing.is_empty() {
        let expected = columns.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
        return Err(ImportError::Header(HeaderError::Missing {
            file: what,
            missing,
            expected,
        }));
    }
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(RowError::new(line, Problem::Unreadable(e.to_string())));
                continue;
            }
        };
        let number = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // More fields than the header is always a mistake (most often an unquoted comma); fewer
        // is one when a column that must be filled is cut off (trailing blank columns may be
        // left out, as some programs write them).
        let needed = index
            .iter()
            .zip(columns)
            .filter(|&(&i, c)| i != usize::MAX && !MAY_BE_BLANK.contains(&c.name))
            .map(|(&i, _)| i + 1)
            .max()
            .unwrap_or(0);
        if record.len() > header.len() || record.len() < needed {
            errors.push(RowError::new(
                number,
                Problem::FieldCount {
                    found: record.len(),
                    expected: header.len(),
                },
            ));
            continue;
        }
        if let Some(long) = record
            .iter()
            .position(|f| f.chars().count() > MAX_FIELD_CHARS)
        {
            errors.push(RowError::new(
                number,
                Problem::FieldTooLong { column: long + 1 },
            ));
            continue;
        }
        let fields = index
            .iter()
            .map(|&i| record.get(i).unwrap_or("").trim().to_string())
            .collect();
        lines.push(Line { number, fields });
    }
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    Ok(lines)
}

/// What an advisors file adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvisorPlan {
    pub new: Vec<Advisor>,
    /// Rows identical to advisors already in the store.
    pub unchanged: usize,
}

/// Validates an advisors file against the advisors already in the store.
pub fn plan_advisors(
    text: &str,
    existing: &HashMap<String, Advisor>,
) -> Result<AdvisorPlan, ImportError> {
    let lines = read_lines(text, ADVISOR_COLUMNS, "advisors")?;
    let mut errors = Vec::new();
    // Ids ignore letter case: the file's ids by their upper-case form, with the line and the
    // id as written.
    let mut seen: HashMap<String, (u64, String)> = HashMap::new();
    let mut plan = AdvisorPlan {
        new: Vec::new(),
        unchanged: 0,
    };
    for line in &lines {
        let fail = |problem: Problem| RowError::new(line.number, problem);
        let advisor = (|| {
            let id = check_advisor_id(line.get(0)).map_err(Problem::Field)?;
            let name = check_text("name", line.get(1)).map_err(Problem::Field)?;
            if name.is_empty() {
                return Err(Problem::NoName(id));
            }
            let category = Category::parse(line.get(2))
                .ok_or_else(|| Problem::UnknownCategory(line.get(2).trim().to_string()))?;
            let unit = check_text("unit", line.get(3)).map_err(Problem::Field)?;
            let active = match line.get(4).trim().to_lowercase().as_str() {
                "" | "yes" | "true" | "是" | "在职" => true,
                "no" | "false" | "否" | "离职" => false,
                other => return Err(Problem::BadActive(other.to_string())),
            };
            Ok(Advisor {
                id,
                name,
                category,
                unit,
                active,
            })
        })();
        match advisor {
            Err(m) => errors.push(fail(m)),
            Ok(a) => {
                let folded = a.id.to_ascii_uppercase();
                if let Some((first, other)) = seen.get(&folded) {
                    errors.push(fail(if *other == a.id {
                        Problem::IdRepeated {
                            id: a.id,
                            first: *first,
                        }
                    } else {
                        Problem::IdLikeLine {
                            id: a.id,
                            other: other.clone(),
                            first: *first,
                        }
                    }));
                    continue;
                }
                seen.insert(folded, (line.number, a.id.clone()));
                if let Some(old) = existing.get(&a.id) {
                    if old.name == a.name && old.category == a.category && old.unit == a.unit {
                        plan.unchanged += 1;
                    } else {
                        errors.push(fail(Problem::IdTaken {
                            id: a.id,
                            name: old.name.clone(),
                            category: old.category,
                        }));
                    }
                } else if let Some(old) = id_alike(existing.values(), &a.id) {
                    errors.push(fail(Problem::IdLikeExisting {
                        id: a.id,
                        existing: old.id.clone(),
                        name: old.name.clone(),
                    }));
                } else {
                    plan.new.push(a);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(ImportError::Rows(errors))
    }
}

/// The message for a category nobody recognises.
pub fn unknown_category(input: &str, lang: Lang) -> String {
    let input = input.trim();
    match lang {
        Lang::En => format!(
            "unknown category \"{input}\": use staff (专职), public-lawyer (公职律师), external (外聘律师) or expert (特约专家)"
        ),
        Lang::Zh => format!(
            "没有“{input}”这一类别：请使用 专职（staff）、公职律师（public-lawyer）、外聘律师（external）或 特约专家（expert）"
        ),
    }
}

/// What the importer needs to know about the store to validate entries.
pub trait LedgerView {
    /// The advisors, by id.
    fn advisors(&self) -> &HashMap<String, Advisor>;
    fn topics(&self) -> &Catalog;
    fn services(&self) -> &Catalog;
    /// The item a key or number refers to.
    fn item(&self, reference: &str) -> Option<Item>;
    /// Minutes the advisor already has on that date.
    fn logged(&self, advisor: &str, date: NaiveDate) -> Minutes;
    /// How many entries with this fingerprint the store already holds.
    fn fingerprint_count(&self, fingerprint: &Fingerprint) -> u64;
}

/// The fields of one time entry as typed, before validation (a CSV row or the `log` flags).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryInput {
    pub date: String,
    pub advisor: String,
    pub hours: String,
    pub item: String,
    pub title: String,
    pub topic: String,
    pub service: String,
    pub department: String,
    pub satisfaction: String,
    pub note: String,
}

/// A validated entry waiting for its ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub line: u64,
    pub date: NaiveDate,
    pub advisor: String,
    pub minutes: Minutes,
    pub note: String,
    pub fingerprint: Fingerprint,
}

/// The item fields a row states (blank: "same as the item").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFields {
    pub title: String,
    pub topic: String,
    pub service: String,
    pub department: String,
    pub satisfaction: Option<Satisfaction>,
}

impl ItemFields {
    /// The fields an item in the store holds.
    pub fn of(item: &Item) -> ItemFields {
        ItemFields {
            title: item.title.clone(),
            topic: item.topic.clone(),
            service: item.service.clone(),
            department: item.department.clone(),
            satisfaction: item.satisfaction,
        }
    }
}

/// Where a group of entries goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A new item, with the key it was given (if any).
    New {
        key: Option<String>,
        fields: ItemFields,
    },
    /// An item already in the store; `rate` sets its rating when it had none.
    Existing {
        id: ItemId,
        rate: Option<Satisfaction>,
    },
}

/// Entries going to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemGroup {
    pub target: Target,
    pub entries: Vec<NewEntry>,
}

/// What an entries import (or one `log`) will write.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryPlan {
    pub groups: Vec<ItemGroup>,
    /// Rows already in the store (same fingerprint), skipped so a second import adds nothing.
    pub skipped: usize,
}

impl EntryPlan {
    pub fn entry_count(&self) -> usize {
        self.groups.iter().map(|g| g.entries.len()).sum()
    }

    pub fn new_item_count(&self) -> usize {
        self.groups
            .iter()
            .filter(|g| matches!(g.target, Target::New { .. }))
            .count()
    }

    pub fn minutes(&self) -> Minutes {
        self.groups
            .iter()
            .flat_map(|g| &g.entries)
            .map(|e| e.minutes)
            .sum()
    }
}

/// A digest of an entry's content (date, advisor, minutes, item fields, note): two entries
/// with equal fingerprints say the same thing, which is how a re-import is recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub [u8; 16]);

impl Fingerprint {
    pub fn of(
        date: NaiveDate,
        advisor: &str,
        minutes: Minutes,
        fields: &ItemFields,
        note: &str,
    ) -> Fingerprint {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for part in [
            date.to_string().as_str(),
            advisor,
            &minutes.0.to_string(),
            &fields.title,
            &fields.topic,
            &fields.service,
            &fields.department,
            note,
        ] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        let digest = h.finalize();
        let mut out = [0; 16];
        out.copy_from_slice(&digest[..16]);
        Fingerprint(out)
    }
}

/// A row that passed its own checks, before grouping.
struct CheckedRow {
    line: u64,
    date: NaiveDate,
    advisor: String,
    minutes: Minutes,
    key: String,
    fields: ItemFields,
    note: String,
}

/// Checks one row on its own: formats, names, catalog codes. Item agreement comes later.
fn check_row(
    input: &EntryInput,
    line: u64,
    view: &dyn LedgerView,
    today: NaiveDate,
) -> Result<CheckedRow, Vec<Problem>> {
    let mut problems = Vec::new();
    let date = parse_date(&input.date, today)
        .map_err(|e| problems.push(Problem::Date(e)))
        .ok();
    let advisor = resolve_advisor(view, input.advisor.trim())
        .map_err(|p| problems.push(p))
        .unwrap_or_default();
    let minutes = Minutes::parse(&input.hours)
        .map_err(|e| problems.push(Problem::Hours(e)))
        .ok();
    let mut text = |field: &str, value: &str| {
        check_text(field, value)
            .map_err(|e| problems.push(Problem::Field(e)))
            .unwrap_or_default()
    };
    let key = text("item", &input.item);
    let title = text("title", &input.title);
    let department = text("department", &input.department);
    let note = text("note", &input.note);
    let code = |catalog: &Catalog, value: &str, problems: &mut Vec<Problem>| {
        if value.trim().is_empty() {
            return String::new();
        }
        catalog
            .resolve(value)
            .map(|e| e.code.clone())
            .map_err(|e| problems.push(Problem::Catalog(e)))
            .unwrap_or_default()
    };
    // Each record must stay well under the store's 64 KiB value limit.
    // Measured as stored (JSON escapes quotes, backslashes and line breaks).
    let stored = |t: &str| serde_json::to_string(t).map_or(t.len(), |j| j.len());
    let text_bytes = stored(&title) + stored(&department) + stored(&note) + stored(&key);
    if text_bytes > MAX_ROW_TEXT_BYTES {
        problems.push(Problem::TooMuchText {
            kib: text_bytes.div_ceil(1024),
        });
    }
    let topic = code(view.topics(), &input.topic, &mut problems);
    let service = code(view.services(), &input.service, &mut problems);
    let satisfaction = Satisfaction::parse_optional(&input.satisfaction)
        .map_err(|e| problems.push(Problem::Rating(e)))
        .unwrap_or(None);
    match (date, minutes) {
        (Some(date), Some(minutes)) if problems.is_empty() => Ok(CheckedRow {
            line,
            date,
            advisor,
            minutes,
            key,
            fields: ItemFields {
                title,
                topic,
                service,
                department,
                satisfaction,
            },
            note,
        }),
        _ => Err(problems),
    }
}

/// The id of the advisor a row names: the id itself, or, when it matches no advisor exactly,
/// the one advisor it matches ignoring letter case (`a001` for `A001`), so the entry is stored
/// under the id as the ledger spells it.
fn resolve_advisor(view: &dyn LedgerView, id: &str) -> Result<String, Problem> {
    if id.is_empty() {
        return Err(Problem::AdvisorMissing);
    }
    match find_advisor(view.advisors(), id) {
        AdvisorMatch::One(a) => Ok(a.id.clone()),
        AdvisorMatch::None => Err(Problem::UnknownAdvisor(id.to_string())),
        AdvisorMatch::Several(matches) => Err(Problem::AmbiguousAdvisor {
            id: id.to_string(),
            matches,
        }),
    }
}

/// Merges the fields stated by one more row into an item's fields; a conflict names both values.
fn agree(into: &mut ItemFields, row: &ItemFields, whose: &Whose) -> Result<(), Problem> {
    let pairs = [
        (ItemField::Title, &mut into.title, &row.title),
        (ItemField::Topic, &mut into.topic, &row.topic),
        (ItemField::Service, &mut into.service, &row.service),
        (ItemField::Department, &mut into.department, &row.department),
    ];
    for (field, have, said) in pairs {
        if said.is_empty() {
            continue;
        }
        if have.is_empty() {
            *have = said.clone();
        } else if have != said {
            return Err(Problem::Conflict {
                whose: whose.clone(),
                field,
                have: have.clone(),
                said: said.clone(),
            });
        }
    }
    match (into.satisfaction, row.satisfaction) {
        (Some(have), Some(said)) if have != said => Err(Problem::RatingConflict {
            whose: whose.clone(),
            have,
            said,
        }),
        (None, Some(b)) => {
            into.satisfaction = Some(b);
            Ok(())
        }
        _ => Ok(()),
    }
}

fn missing_fields(fields: &ItemFields) -> Option<Problem> {
    let missing: Vec<ItemField> = [
        (ItemField::Title, &fields.title),
        (ItemField::Topic, &fields.topic),
        (ItemField::Service, &fields.service),
        (ItemField::Department, &fields.department),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_empty())
    .map(|(f, _)| f)
    .collect();
    (!missing.is_empty()).then_some(Problem::Incomplete(missing))
}

/// Validates entry rows (`(line, input)`) against the store and plans what to write.
/// Every bad row is reported; on any error nothing is planned. With `skip_known`, rows the
/// store already holds are skipped (an import run twice adds nothing the second time).
pub fn plan_entries(
    rows: &[(u64, EntryInput)],
    view: &dyn LedgerView,
    today: NaiveDate,
    skip_known: bool,
) -> Result<EntryPlan, ImportError> {
    let mut errors: Vec<RowError> = Vec::new();
    let mut checked = Vec::with_capacity(rows.len());
    for (line, input) in rows {
        match check_row(input, *line, view, today) {
            Ok(row) => checked.push(row),
            Err(problems) => errors.extend(
                problems
                    .into_iter()
                    .map(|problem| RowError::new(*line, problem)),
            ),
        }
    }

    // Group rows by item key; a blank key makes a new item of its own.
    let mut order: Vec<(String, Vec<usize>)> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, row) in checked.iter().enumerate() {
        if row.key.is_empty() {
            order.push((String::new(), vec![i]));
        } else if let Some(&g) = by_key.get(&row.key) {
            order[g].1.push(i);
        } else {
            by_key.insert(row.key.clone(), order.len());
            order.push((row.key.clone(), vec![i]));
        }
    }

    // Keys that name the same item in the ledger (its key and its number, say) are one group:
    // the item's fields and rating are settled once for all of its rows.
    let mut groups: Vec<(String, Vec<usize>, Option<Item>)> = Vec::new();
    let mut by_item: HashMap<super::model::ItemId, usize> = HashMap::new();
    for (key, members) in order {
        let existing = (!key.is_empty()).then(|| view.item(&key)).flatten();
        match existing.as_ref().and_then(|item| by_item.get(&item.id)) {
            Some(&g) => {
                groups[g].1.extend(members);
                groups[g].1.sort_unstable();
            }
            None => {
                if let Some(item) = &existing {
                    by_item.insert(item.id, groups.len());
                }
                groups.push((key, members, existing));
            }
        }
    }

    let mut plan = EntryPlan::default();
    let mut seen_fingerprints: HashMap<Fingerprint, u64> = HashMap::new();
    let mut day_minutes: HashMap<(String, NaiveDate), (Minutes, u64)> = HashMap::new();
    for (key, members, existing) in groups {
        let mut fields = existing.as_ref().map(ItemFields::of).unwrap_or_default();
        let whose = if existing.is_some() {
            Whose::Ledger(key.clone())
        } else if key.is_empty() {
            Whose::Unkeyed
        } else {
            Whose::File {
                key: key.clone(),
                line: checked[members[0]].line,
            }
        };
        let mut group_ok = true;
        for &i in &members {
            if let Err(problem) = agree(&mut fields, &checked[i].fields, &whose) {
                errors.push(RowError::new(checked[i].line, problem));
                group_ok = false;
            }
        }
        if !group_ok {
            continue;
        }
        if existing.is_none()
            && let Some(problem) = missing_fields(&fields)
        {
            errors.push(RowError::new(checked[members[0]].line, problem));
            continue;
        }
        let mut entries = Vec::new();
        for &i in &members {
            let row = &checked[i];
            let fingerprint =
                Fingerprint::of(row.date, &row.advisor, row.minutes, &fields, &row.note);
            // The n-th copy of a row in the file is new only if the store has fewer than n.
            let nth = seen_fingerprints.entry(fingerprint).or_insert(0);
            *nth += 1;
            if skip_known && *nth <= view.fingerprint_count(&fingerprint) {
                plan.skipped += 1;
                continue;
            }
            // Checked after the skip, so re-importing rows the ledger already holds for an
            // advisor who has since left still adds nothing, quietly.
            if let Some(a) = view.advisors().get(&row.advisor).filter(|a| !a.active) {
                errors.push(RowError::new(
                    row.line,
                    Problem::InactiveAdvisor {
                        id: a.id.clone(),
                        name: a.name.clone(),
                    },
                ));
                continue;
            }
            let day = day_minutes
                .entry((row.advisor.clone(), row.date))
                .or_insert_with(|| (view.logged(&row.advisor, row.date), row.line));
            day.0 += row.minutes;
            if day.0 > DAY {
                errors.push(RowError::new(
                    row.line,
                    Problem::OverDay {
                        advisor: row.advisor.clone(),
                        total: day.0,
                        date: row.date,
                    },
                ));
                continue;
            }
            entries.push(NewEntry {
                line: row.line,
                date: row.date,
                advisor: row.advisor.clone(),
                minutes: row.minutes,
                note: row.note.clone(),
                fingerprint,
            });
        }
        if entries.is_empty() {
            continue;
        }
        let target = match existing {
            Some(item) => Target::Existing {
                id: item.id,
                rate: if item.satisfaction.is_none() {
                    fields.satisfaction
                } else {
                    None
                },
            },
            None => Target::New {
                key: (!key.is_empty()).then_some(key),
                fields,
            },
        };
        plan.groups.push(ItemGroup { target, entries });
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(ImportError::Rows(errors))
    }
}

/// Reads an entries file into inputs with their line numbers.
pub fn read_entries(text: &str) -> Result<Vec<(u64, EntryInput)>, ImportError> {
    Ok(read_lines(text, ENTRY_COLUMNS, "entries")?
        .into_iter()
        .map(|l| {
            let f = |i| l.get(i).to_string();
            (
                l.number,
                EntryInput {
                    date: f(0),
                    advisor: f(1),
                    hours: f(2),
                    item: f(3),
                    title: f(4),
                    topic: f(5),
                    service: f(6),
                    department: f(7),
                    satisfaction: f(8),
                    note: f(9),
                },
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CatalogKind;

    struct Fake {
        advisors: HashMap<String, Advisor>,
        topics: Catalog,
        services: Catalog,
        known: HashMap<Fingerprint, u64>,
    }

    impl Fake {
        fn new() -> Fake {
            let a = Advisor {
                id: "A001".into(),
                name: "程艳".into(),
                category: Category::Staff,
                unit: String::new(),
                active: true,
            };
            Fake {
                advisors: [("A001".to_string(), a)].into(),
                topics: CatalogKind::Topic.defaults(),
                services: CatalogKind::Service.defaults(),
                known: HashMap::new(),
            }
        }
    }

    impl LedgerView for Fake {
        fn advisors(&self) -> &HashMap<String, Advisor> {
            &self.advisors
        }
        fn topics(&self) -> &Catalog {
            &self.topics
        }
        fn services(&self) -> &Catalog {
            &self.services
        }
        fn item(&self, _: &str) -> Option<Item> {
            None
        }
        fn logged(&self, _: &str, _: NaiveDate) -> Minutes {
            Minutes(600)
        }
        fn fingerprint_count(&self, fp: &Fingerprint) -> u64 {
            self.known.get(fp).copied().unwrap_or(0)
        }
    }

    const HEADER: &str =
        "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n";

    fn plan(body: &str, view: &Fake) -> Result<EntryPlan, ImportError> {
        let rows = read_entries(&format!("{HEADER}{body}"))?;
        plan_entries(&rows, view, "2024-12-31".parse().unwrap(), true)
    }

    fn lines(e: ImportError) -> Vec<u64> {
        match e {
            ImportError::Rows(rows) => rows.iter().map(|r| r.line).collect(),
            other => panic!("expected row errors, got {other}"),
        }
    }

    #[test]
    fn rows_with_one_key_make_one_item_and_blank_keys_one_each() {
        let p = plan(
            "2024-03-01,A001,1.5,K1,合同审核,contracts,contract-review,财政局,满意,\n\
             2024-03-02,A001,1:30,K1,合同审核,合同协议,合同审核,财政局,,\n\
             2024-03-02,A001,30m,,咨询,labor,consultation,人社局,,\n\
             2024-03-03,A001,30m,,咨询,labor,consultation,人社局,,\n",
            &Fake::new(),
        )
        .unwrap();
        assert_eq!(p.new_item_count(), 3);
        assert_eq!(p.entry_count(), 4);
        assert_eq!(p.minutes(), Minutes(240));
        let Target::New { fields, .. } = &p.groups[0].target else {
            panic!()
        };
        assert_eq!(
            fields.satisfaction,
            Some(Satisfaction::Satisfied),
            "a blank rating agrees with the stated one"
        );
    }

    #[test]
    fn every_bad_row_is_listed_with_its_line() {
        let e = plan(
            "2024-03-01,A001,1.5,K1,合同审核,contracts,contract-review,财政局,,\n\
             2024-03-01,A999,1,,t,contracts,opinion,财政局,,\n\
             2024-02-30,A001,1,,t,contracts,opinion,财政局,,\n\
             2024-03-02,A001,1,K1,另一个标题,contracts,contract-review,财政局,,\n\
             2024-03-02,A001,nan,,t,contracts,opinion,财政局,,\n\
             2024-03-02,A001,1,,,contracts,opinion,财政局,,\n",
            &Fake::new(),
        )
        .unwrap_err();
        let text = e.to_string();
        assert_eq!(lines(e), [3, 4, 5, 6, 7], "{text}");
        assert!(text.contains("unknown advisor \"A999\""), "{text}");
        assert!(text.contains("2024-02-30 does not exist"), "{text}");
        assert!(
            text.contains("title \"合同审核\" but this row says \"另一个标题\""),
            "{text}"
        );
        assert!(text.contains("needs a title"), "{text}");
    }

    #[test]
    fn problems_read_as_a_row_in_a_file_and_as_an_entry_alone() {
        let e = plan(
            "2024-03-01,A001,1.5,K1,合同审核,contracts,contract-review,财政局,,\n\
             2024-03-02,A001,1,K1,另一个标题,contracts,contract-review,财政局,,\n",
            &Fake::new(),
        )
        .unwrap_err();
        let zh = e.message(Lang::Zh);
        assert!(
            zh.contains(
                "第 3 行：事项 K1（第 2 行）的标题是“合同审核”，本行填的是“另一个标题”：请保持一致"
            ),
            "{zh}"
        );
        let ImportError::Rows(rows) = &e else {
            panic!("{e}")
        };
        assert_eq!(
            rows[0].problem.message(Lang::En, Origin::Entry),
            "item K1 (line 2) has title \"合同审核\" but this entry says \"另一个标题\": make them the same"
        );
        let over = Problem::OverDay {
            advisor: "A001".into(),
            total: Minutes(1441),
            date: "2024-03-01".parse().unwrap(),
        };
        assert_eq!(
            over.message(Lang::Zh, Origin::File),
            "A001 在 2024-03-01 将累计 24 小时 1 分钟，超过 24 小时：请核对当天记录的时长"
        );
    }

    #[test]
    fn a_day_over_24_hours_is_refused_counting_what_is_already_logged() {
        // The fake store already holds 10 hours for every advisor and day.
        let e = plan(
            "2024-03-01,A001,8,,a,labor,opinion,d,,\n2024-03-01,A001,7,,b,labor,opinion,d,,\n",
            &Fake::new(),
        )
        .unwrap_err();
        assert_eq!(lines(e), [3]);
    }

    #[test]
    fn rows_already_in_the_store_are_skipped_copy_for_copy() {
        let row = "2024-03-01,A001,1,,a,labor,opinion,d,,\n";
        let mut view = Fake::new();
        let first = plan(&row.repeat(2), &view).unwrap();
        assert_eq!((first.entry_count(), first.skipped), (2, 0));
        let fp = first.groups[0].entries[0].fingerprint;
        view.known.insert(fp, 1);
        let second = plan(&row.repeat(2), &view).unwrap();
        assert_eq!(
            (second.entry_count(), second.skipped),
            (1, 1),
            "the store has one copy, the file two"
        );
    }

    #[test]
    fn headers_may_come_in_any_order_or_in_chinese_but_none_may_be_missing() {
        let ok = read_entries("备注,日期,顾问,小时,事项,标题,领域,方式,部门,满意度\nx,2024-03-01,A001,1,,t,labor,opinion,d,\n").unwrap();
        assert_eq!(ok[0].1.note, "x");
        assert_eq!(ok[0].1.date, "2024-03-01");
        let e = read_entries("date,advisor,hours\n2024-03-01,A001,1\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("missing the columns item, title") && e.contains(ENTRY_HEADER),
            "{e}"
        );
    }

    #[test]
    fn files_decode_from_utf8_with_bom_and_gb18030() {
        let text = "id,name,category,unit\nA001,程艳,专职,管委会办公室\n";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        assert_eq!(decode(&gbk).unwrap(), text);
        assert_eq!(decode(format!("\u{feff}{text}").as_bytes()).unwrap(), text);
        assert!(matches!(
            decode(b"\xFF\xFEi\0d\0"),
            Err(ImportError::Encoding(_))
        ));
        assert!(matches!(
            decode(b"\x81\x20\x81"),
            Err(ImportError::Encoding(_))
        ));
    }

    #[test]
    fn advisor_ids_are_unique_in_the_file_and_the_store() {
        let existing = Fake::new().advisors;
        let e = plan_advisors("id,name,category,unit\nA002,李娜,公职律师,财政局\nA002,王伟,expert,大学\nA001,别人,staff,x\n", &existing)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 3: advisor id A002 is already used on line 2"),
            "{e}"
        );
        assert!(
            e.contains("line 4: advisor id A001 already belongs to 程艳"),
            "{e}"
        );
        let same = plan_advisors("id,name,category,unit\nA001,程艳,staff,\n", &existing).unwrap();
        assert_eq!((same.new.len(), same.unchanged), (0, 1));
    }

    #[test]
    fn advisor_ids_differing_only_in_case_are_one_id() {
        let view = Fake::new();
        let e = plan_advisors(
            "id,name,category,unit\na001,别人,staff,x\nB1,甲,staff,\nb1,乙,staff,\n",
            &view.advisors,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("line 2: advisor id a001 differs only in letter case from A001 (程艳)"),
            "{e}"
        );
        assert!(
            e.contains("line 4: advisor id b1 differs only in letter case from B1 on line 3"),
            "{e}"
        );
        // An entry naming a001 is A001's, stored under A001.
        let p = plan("2024-03-01,a001,1,,t,other,other,d,,\n", &view).unwrap();
        assert_eq!(p.groups[0].entries[0].advisor, "A001");
    }
}
