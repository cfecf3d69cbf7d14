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

impl Column {
    /// Whether a header cell, trimmed and lower-cased, names this column.
    fn answers_to(&self, name: &str) -> bool {
        self.name == name || self.aliases.contains(&name)
    }
}

/// The header cell at 0-based `i` as the file spells it, without spaces or a byte-order mark.
fn spelt(header: &StringRecord, i: usize) -> &str {
    header
        .get(i)
        .unwrap_or_default()
        .trim()
        .trim_start_matches('\u{feff}')
}

/// The whole header a file of these columns has, as a message shows it.
fn header_line(columns: &[Column]) -> String {
    columns.iter().map(|c| c.name).collect::<Vec<_>>().join(",")
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
        required: false,
    },
    Column {
        name: "note",
        aliases: &["备注"],
        required: false,
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

/// Reads the CSV text, checks the header, and returns the data lines in column order, and the
/// rows that could not be read into cells (a row with too few cells, say): the caller checks
/// the rest too, so that one short row does not hide the other rows' problems.
pub(super) fn read_lines_and_faults(
    text: &str,
    file: FileKind,
) -> Result<(Vec<Line>, Vec<RowError>), ImportError> {
    let mut lines = Lines::open(text, file)?;
    let read = (&mut lines).collect();
    Ok((read, lines.faults))
}

/// A file's data lines in column order as they are read, one at a time, and the rows that
/// could not be read into cells so far.
pub(super) struct Lines<'a> {
    records: csv::StringRecordsIntoIter<&'a [u8]>,
    index: Vec<Option<usize>>,
    width: Width,
    rows: SheetRows<'a>,
    faults: Vec<RowError>,
}

impl<'a> Lines<'a> {
    /// Reads the header and checks it.
    fn open(text: &'a str, file: FileKind) -> Result<Lines<'a>, ImportError> {
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
        Ok(Lines {
            rows: SheetRows::new(text, &header),
            records: reader.into_records(),
            index,
            width,
            faults: Vec::new(),
        })
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        loop {
            let record = self.records.next()?;
            match read_record(record, &self.index, self.width, &mut self.rows) {
                Ok(Some(line)) => return Some(line),
                Ok(None) => {}
                Err(error) => self.faults.push(error),
            }
        }
    }
}

/// Where each of the file kind's columns sits in the header (`None` for an optional column
/// the file leaves out), or which required columns are missing.
fn match_header(header: &StringRecord, file: FileKind) -> Result<Vec<Option<usize>>, HeaderError> {
    let columns = file.columns();
    let names: Vec<String> = (0..header.len())
        .map(|i| spelt(header, i).to_lowercase())
        .collect();
    if names.iter().all(|n| n.trim().is_empty()) {
        return Err(HeaderError::Empty {
            file,
            expected: header_line(columns),
        });
    }
    repeated_column(header, &names, columns)?;
    unknown_column(header, &names, file)?;
    let mut index = Vec::with_capacity(columns.len());
    let mut missing = Vec::new();
    for c in columns {
        let found = names.iter().position(|n| c.answers_to(n));
        if found.is_none() && c.required {
            missing.push(c.name);
        } else {
            index.push(found);
        }
    }
    if !missing.is_empty() {
        return Err(HeaderError::Missing {
            file,
            missing,
            expected: header_line(columns),
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
    let column_of = |n: &str| columns.iter().position(|c| c.answers_to(n));
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
                first: HeaderName::at(first, spelt(header, first)),
                second: HeaderName::at(later, spelt(header, later)),
            });
        }
    }
    Ok(())
}

/// The first header cell that names no column of `file`. A blank one (a spreadsheet's empty
/// trailing column) names nothing and is let be.
fn unknown_column(
    header: &StringRecord,
    names: &[String],
    file: FileKind,
) -> Result<(), HeaderError> {
    let columns = file.columns();
    let known = |n: &str| columns.iter().any(|c| c.answers_to(n));
    let Some(at) = names.iter().position(|n| !n.is_empty() && !known(n)) else {
        return Ok(());
    };
    // The column whose name (or one of its names) is fewest edits away, if that is close
    // enough to be a slip of the keyboard.
    let closest = columns
        .iter()
        .flat_map(|c| {
            std::iter::once(c.name)
                .chain(c.aliases.iter().copied())
                .map(move |n| (c.name, n))
        })
        .map(|(column, n)| (strsim::levenshtein(&names[at], n), column))
        .filter(|&(distance, _)| distance <= 2.max(names[at].chars().count() / 3))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, column)| column);
    Err(HeaderError::Unknown {
        file,
        name: HeaderName::at(at, spelt(header, at)),
        closest,
        expected: header_line(columns),
    })
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

/// Numbers records as the rows a spreadsheet shows them on: the header is row 1, a blank line
/// is a row, and a line break inside a quoted cell is not a new row. The csv crate's own
/// `Position::line` is one short after CRLF line ends (as Excel saves a file) and after a blank
/// line, so the row is worked out from the record's byte offset instead.
struct SheetRows<'a> {
    text: &'a str,
    /// Where the last record numbered starts, and its row.
    last: (usize, u64),
    /// Line breaks inside the cells of the records numbered so far, the header's included.
    inside_cells: u64,
}

impl<'a> SheetRows<'a> {
    fn new(text: &'a str, header: &StringRecord) -> SheetRows<'a> {
        let mut rows = SheetRows {
            text,
            last: (0, 1),
            inside_cells: 0,
        };
        // Blank lines before the header are rows too.
        let start = header.position().map_or(0, csv::Position::byte);
        rows.row(usize::try_from(start).unwrap_or(usize::MAX), Some(header));
        rows
    }

    /// The row of the record starting at byte `start`; the breaks in its own cells count for the
    /// records after it.
    fn row(&mut self, start: usize, record: Option<&StringRecord>) -> u64 {
        let rest = self.text.get(start..).unwrap_or_default();
        // The offset may point at the line end before the record (and at blank lines).
        let start = start + (rest.len() - rest.trim_start_matches(['\r', '\n']).len());
        let (from, row) = self.last;
        let between = self.text.get(from.min(start)..start).unwrap_or_default();
        let row =
            (row + line_breaks(between)).saturating_sub(std::mem::take(&mut self.inside_cells));
        self.last = (start, row);
        self.inside_cells = record.map_or(0, cell_breaks);
        row
    }
}

/// Line breaks in text: CRLF, LF or a lone CR (old Mac files) each count once.
fn line_breaks(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    u64::try_from(breaks).unwrap_or(u64::MAX)
}

/// Line breaks inside a record's cells (quoted cells written over several lines).
fn cell_breaks(record: &StringRecord) -> u64 {
    record.iter().map(line_breaks).sum()
}

/// One record as a line in column order; `None` for a blank line, which is passed over.
fn read_record(
    record: csv::Result<StringRecord>,
    index: &[Option<usize>],
    width: Width,
    rows: &mut SheetRows,
) -> Result<Option<Line>, RowError> {
    let start_of = |p: Option<&csv::Position>| p.map_or(0, |p| p.byte());
    let record = record.map_err(|e| {
        let start = usize::try_from(start_of(e.position())).unwrap_or(usize::MAX);
        RowError::new(rows.row(start, None), Problem::Unreadable(e.to_string()))
    })?;
    let start = usize::try_from(start_of(record.position())).unwrap_or(usize::MAX);
    let number = rows.row(start, Some(&record));
    if record.iter().all(|f| f.trim().is_empty()) {
        return Ok(None);
    }
    if record.len() > width.header || record.len() < width.needed {
        // A field that ran over several lines in a row of the wrong width: its opening quote
        // was never closed, and the rows after it were read into it.
        if let Some(column) = record.iter().position(|f| f.contains('\n')) {
            return Err(RowError::new(
                number,
                Problem::UnclosedQuote { column: column + 1 },
            ));
        }
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
    let (rows, unreadable) = read_entry_rows(text)?;
    if !unreadable.is_empty() {
        return Err(ImportError::Rows(unreadable));
    }
    Ok(rows)
}

/// An entries file's rows as inputs with their line numbers, and the rows that could not be
/// read into cells (see [`read_lines_and_faults`]).
pub fn read_entry_rows(text: &str) -> Result<EntryRows, ImportError> {
    let mut rows = EntryRowReader::open(text)?;
    let read = (&mut rows).collect();
    Ok((read, rows.faults()))
}

/// An entries file's rows as inputs with their line numbers, read one at a time as they are
/// asked for, so that a large file's rows are never all held at once; [`EntryRowReader::faults`]
/// then gives the rows that could not be read into cells.
pub struct EntryRowReader<'a> {
    lines: Lines<'a>,
}

impl<'a> EntryRowReader<'a> {
    /// Reads the header of the entries file `text` and checks it.
    pub fn open(text: &'a str) -> Result<EntryRowReader<'a>, ImportError> {
        Ok(EntryRowReader {
            lines: Lines::open(text, FileKind::Entries)?,
        })
    }

    /// The rows read so far that could not be read into cells.
    pub fn faults(self) -> Vec<RowError> {
        self.lines.faults
    }
}

impl Iterator for EntryRowReader<'_> {
    type Item = (u64, EntryInput);

    fn next(&mut self) -> Option<(u64, EntryInput)> {
        let l = self.lines.next()?;
        let f = |i| l.get(i).to_string();
        Some((
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
        ))
    }
}

/// An entries file's readable rows (with their line numbers) and the rows it could not read.
pub type EntryRows = (Vec<(u64, EntryInput)>, Vec<RowError>);

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
        // Satisfaction and note may be left out as they may be left empty.
        let short = read_entries(
            "date,advisor,hours,item,title,topic,service,department\n\
             2024-03-01,A001,1,,t,labor,opinion,d\n",
        )
        .unwrap();
        assert_eq!(
            (short[0].1.satisfaction.as_str(), short[0].1.note.as_str()),
            ("", "")
        );
        assert_eq!(short[0].1.department, "d");
        let e = read_entries("date,advisor,hours\n2024-03-01,A001,1\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("missing the columns item, title") && e.contains(ENTRY_HEADER),
            "{e}"
        );
    }
}

#[cfg(test)]
mod row_tests {
    use super::*;

    /// The rows `read_entries` gives the data lines of `text`.
    fn rows(text: &str) -> Vec<u64> {
        read_entries(text)
            .unwrap()
            .iter()
            .map(|(n, _)| *n)
            .collect()
    }

    const ROW: &str = "2024-03-01,A001,1,,t,labor,opinion,d,,";

    #[test]
    fn rows_are_the_spreadsheet_rows_whatever_the_line_ends() {
        let lf = format!("{ENTRY_HEADER}\n{ROW}\n{ROW}\n\n{ROW}\n");
        assert_eq!(rows(&lf), [2, 3, 5]);
        assert_eq!(rows(&lf.replace('\n', "\r\n")), [2, 3, 5]);
        assert_eq!(rows(&lf.replace('\n', "\r")), [2, 3, 5]);
    }

    #[test]
    fn a_cell_over_several_lines_is_one_row() {
        let cell = "2024-03-01,A001,1,,t,labor,opinion,d,,\"two\nlines\"";
        let lf = format!("{ENTRY_HEADER}\n{cell}\n{ROW}\n{cell}\n\n{ROW}\n");
        assert_eq!(rows(&lf), [2, 3, 4, 6]);
        assert_eq!(rows(&lf.replace('\n', "\r\n")), [2, 3, 4, 6]);
        // A blank header cell over two lines (a column left unnamed).
        let header = format!("{ENTRY_HEADER},\"\n\"");
        assert_eq!(rows(&format!("\n{header}\n{ROW}\n")), [3]);
    }

    #[test]
    fn a_quote_never_closed_is_named_with_its_row_and_column() {
        let open = "2024-03-01,A001,1,,\"合同审核,labor,opinion,d,,";
        let text = format!("{ENTRY_HEADER}\n{ROW}\n{open}\n{ROW}\n{ROW}\n");
        let Err(ImportError::Rows(errors)) = read_entries(&text) else {
            panic!("the file is refused");
        };
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 3);
        assert_eq!(errors[0].problem, Problem::UnclosedQuote { column: 5 });
        // A row too short without a quote left open is told its width, as before.
        let short = format!("{ENTRY_HEADER}\n2024-03-01,A001\n");
        let Err(ImportError::Rows(errors)) = read_entries(&short) else {
            panic!("the file is refused");
        };
        assert!(matches!(errors[0].problem, Problem::FieldCount { .. }));
    }
}
