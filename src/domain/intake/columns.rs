//! Reading a CSV file line by line into fields by column: the columns each kind of file has
//! and the header names they answer to (English or Chinese, in any order), and every line that
//! cannot be read, listed at once.

use csv::StringRecord;

use super::plan::EntryInput;
use super::problem::{HeaderError, HeaderName, ImportError, Problem, RowError};
use crate::domain::formula::unneutralised;
use crate::domain::model::MAX_FIELD_CHARS;

/// Which kind of file is read, which decides its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Advisors,
    Entries,
}

impl FileKind {
    fn columns(self) -> &'static [Column] {
        match self {
            FileKind::Advisors => ADVISOR_COLUMNS,
            FileKind::Entries => ENTRY_COLUMNS,
        }
    }
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

/// The columns an advisors file must have (`advisor list --format csv` also writes `active`,
/// which may be left out).
pub const ADVISOR_HEADER: &str = "id,name,category,unit";
/// The header of an entries file, as written by `export --format csv`.
pub const ENTRY_HEADER: &str =
    "date,advisor,hours,item,title,topic,service,department,satisfaction,note";

/// Columns whose field may be blank, so a line may end before them.
const MAY_BE_BLANK: [&str; 5] = ["item", "satisfaction", "note", "unit", "active"];

/// One data line of a CSV file: its line number and its fields by column.
pub(super) struct Line {
    pub(super) number: u64,
    fields: Vec<String>,
}

impl Line {
    /// The field in the file's `column`th column; blank when the line ends before it or the
    /// file has no such column.
    pub(super) fn get(&self, column: usize) -> &str {
        self.fields.get(column).map_or("", |s| s.as_str())
    }
}

/// How many fields a line may have: no more than the header names, and at least enough to
/// reach the last column that must be filled.
#[derive(Clone, Copy)]
struct Width {
    header: usize,
    needed: usize,
}

/// Reads the CSV text, checks the header, and returns the data lines in column order.
pub(super) fn read_lines(text: &str, file: FileKind) -> Result<Vec<Line>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ImportError::Header(HeaderError::NotCsv(e.to_string())))?
        .clone();
    let index = match_header(&header, file).map_err(ImportError::Header)?;
    let width = Width {
        header: header.len(),
        needed: needed_fields(&index, file.columns()),
    };
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match read_record(record, &index, width) {
            Ok(Some(line)) => lines.push(line),
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    Ok(lines)
}

/// Where each of the file kind's columns sits in the header (`None` for an optional column
/// the file leaves out), or which required columns are missing.
fn match_header(header: &StringRecord, file: FileKind) -> Result<Vec<Option<usize>>, HeaderError> {
    let columns = file.columns();
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    repeated_column(header, &names, columns)?;
    let mut index = Vec::with_capacity(columns.len());
    let mut missing = Vec::new();
    for c in columns {
        let found = names
            .iter()
            .position(|n| n == c.name || c.aliases.contains(&n.as_str()));
        if found.is_none() && c.required {
            missing.push(c.name);
        } else {
            index.push(found);
        }
    }
    if !missing.is_empty() {
        let expected = columns.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
        return Err(HeaderError::Missing {
            file,
            missing,
            expected,
        });
    }
    Ok(index)
}

/// The first column the header names twice, under one name or two (`hours,小时`): reading only
/// one of them would import half of what the file says, so the file is refused, naming both.
fn repeated_column(
    header: &StringRecord,
    names: &[String],
    columns: &[Column],
) -> Result<(), HeaderError> {
    let spelt = |i: usize| {
        header
            .get(i)
            .unwrap_or_default()
            .trim()
            .trim_start_matches('\u{feff}')
    };
    let column_of = |n: &str| {
        columns
            .iter()
            .position(|c| c.name == n || c.aliases.contains(&n))
    };
    for (later, name) in names.iter().enumerate() {
        let Some(column) = column_of(name) else {
            continue;
        };
        if let Some(first) = names[..later]
            .iter()
            .position(|n| column_of(n) == Some(column))
        {
            return Err(HeaderError::Repeated {
                column: columns[column].name,
                first: HeaderName::at(first, spelt(first)),
                second: HeaderName::at(later, spelt(later)),
            });
        }
    }
    Ok(())
}

/// More fields than the header is always a mistake (most often an unquoted comma); fewer is one
/// when a column that must be filled is cut off (trailing blank columns may be left out, as some
/// programs write them). This is how many a line needs to reach the last such column.
fn needed_fields(index: &[Option<usize>], columns: &[Column]) -> usize {
    index
        .iter()
        .zip(columns)
        .filter_map(|(&i, c)| i.filter(|_| !MAY_BE_BLANK.contains(&c.name)))
        .map(|i| i + 1)
        .max()
        .unwrap_or(0)
}

/// One record as a line in column order; `None` for a blank line, which is passed over.
fn read_record(
    record: csv::Result<StringRecord>,
    index: &[Option<usize>],
    width: Width,
) -> Result<Option<Line>, RowError> {
    let record = record.map_err(|e| {
        let line = e.position().map_or(0, |p| p.line());
        RowError::new(line, Problem::Unreadable(e.to_string()))
    })?;
    let number = record.position().map_or(0, |p| p.line());
    if record.iter().all(|f| f.trim().is_empty()) {
        return Ok(None);
    }
    if record.len() > width.header || record.len() < width.needed {
        return Err(RowError::new(
            number,
            Problem::FieldCount {
                found: record.len(),
                expected: width.header,
            },
        ));
    }
    if let Some(long) = record
        .iter()
        .position(|f| f.chars().count() > MAX_FIELD_CHARS)
    {
        return Err(RowError::new(
            number,
            Problem::FieldTooLong { column: long + 1 },
        ));
    }
    // A cell counsel-log wrote as `'=…` reads back as `=…`: the quote only kept a spreadsheet
    // from running it.
    let fields = index
        .iter()
        .map(|&i| unneutralised(i.and_then(|i| record.get(i)).unwrap_or("").trim()).to_string())
        .collect();
    Ok(Some(Line { number, fields }))
}

/// Reads an entries file into inputs with their line numbers.
pub fn read_entries(text: &str) -> Result<Vec<(u64, EntryInput)>, ImportError> {
    Ok(read_lines(text, FileKind::Entries)?
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

    #[test]
    fn headers_may_come_in_any_order_or_in_chinese_but_none_may_be_missing() {
        let ok = read_entries(
            "备注,日期,顾问,小时,事项,标题,领域,方式,部门,满意度\n\
             x,2024-03-01,A001,1,,t,labor,opinion,d,\n",
        )
        .unwrap();
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
}
