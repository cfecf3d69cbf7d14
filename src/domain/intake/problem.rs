//! What can be wrong with what people type or import, as values: the words are chosen only
//! where a problem is shown (see `messages.rs`).

use chrono::NaiveDate;
use thiserror::Error;

use super::columns::FileKind;
use crate::domain::catalog::{CatalogEntry, CatalogError, Category, Satisfaction, UnknownRating};
use crate::domain::duration::{DurationError, Minutes};
use crate::domain::lang::Lang;
use crate::domain::model::FieldError;
use crate::domain::period::PeriodError;

/// Why a file could not be imported. Nothing is imported in any of these cases.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.message(Lang::En))]
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
    /// Nothing in the file, not even a header: which file, and the header it needs.
    Empty { file: FileKind, expected: String },
    /// Columns are missing: which file, which columns, the whole header.
    Missing {
        file: FileKind,
        missing: Vec<&'static str>,
        expected: String,
    },
    /// Two header cells name the same column (`column`): both, as the file spells them.
    Repeated {
        column: &'static str,
        first: HeaderName,
        second: HeaderName,
    },
    /// A header cell names no column of the file: a misspelt one would otherwise be left
    /// out, and its values lost, without a word. With the column it most likely meant, and
    /// the whole header.
    Unknown {
        file: FileKind,
        name: HeaderName,
        closest: Option<&'static str>,
        expected: String,
    },
}

/// A header cell as the file spells it, and which column of the file it is (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderName {
    pub position: usize,
    pub name: String,
}

impl HeaderName {
    /// The header cell at 0-based `index`, numbered as people count columns.
    pub(super) fn at(index: usize, name: &str) -> HeaderName {
        HeaderName {
            position: index + 1,
            name: name.to_string(),
        }
    }
}

/// A problem on one line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub problem: Problem,
}

impl RowError {
    pub(super) fn new(line: u64, problem: Problem) -> RowError {
        RowError { line, problem }
    }
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
    /// The field's column name, which is also its `log` flag.
    pub(super) fn code(self) -> &'static str {
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
    /// An item already in the ledger, by the key, `#` number or global id given.
    Ledger(String),
    /// A new item keyed in the file, first seen on `line`.
    File { key: String, line: u64 },
    /// A new item without a key.
    Unkeyed,
}

/// What an item holds in a field, or what a row says it holds: the words themselves (a title,
/// a department), or the catalog entry a topic's or service's code names, so that a message
/// names it in the language it is shown in rather than by its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stated {
    Words(String),
    Entry(Box<CatalogEntry>),
}

/// What is wrong with one row (or one entry), as a value: the words are chosen when shown.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.message(Lang::En, Origin::File))]
pub enum Problem {
    /// The CSV reader could not read the line (its explanation).
    Unreadable(String),
    /// A field (1-based column) is over [`MAX_FIELD_CHARS`](crate::domain::model::MAX_FIELD_CHARS).
    FieldTooLong {
        column: usize,
    },
    /// The line has a different number of fields than the header names.
    FieldCount {
        found: usize,
        expected: usize,
    },
    /// A quote opened in a field (1-based column) and never closed: the field ran over the
    /// lines after it, to the end of the file or the next stray quote.
    UnclosedQuote {
        column: usize,
    },
    Date(PeriodError),
    Hours(DurationError),
    AdvisorMissing,
    UnknownAdvisor(String),
    /// No advisor has this id, but the advisors `ids` have it as their name (an office's file,
    /// or a counsel, giving the name where the id goes).
    AdvisorNamed {
        name: String,
        ids: Vec<String>,
    },
    /// The id matches several advisors when letter case is ignored, and none exactly.
    AmbiguousAdvisor {
        id: String,
        matches: Vec<String>,
    },
    Field(FieldError),
    Catalog(CatalogError),
    Rating(UnknownRating),
    /// Title, department, note and key together are this many KiB, over
    /// [`MAX_ROW_TEXT_BYTES`](super::MAX_ROW_TEXT_BYTES).
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
        have: Stated,
        said: Stated,
    },
    RatingConflict {
        whose: Whose,
        have: Satisfaction,
        said: Satisfaction,
    },
    /// A new item lacks these fields.
    Incomplete(Vec<ItemField>),
    /// A `#` reference (the ledger's own number) that no item has: a key may not begin with
    /// `#`, so it cannot make a new item either.
    UnknownNumber(String),
    /// The row's date is in a month the office has closed (`YYYY-MM`).
    MonthClosed(String),
    /// The advisor would have this much on that date.
    OverDay {
        advisor: String,
        total: Minutes,
        date: NaiveDate,
    },
}
