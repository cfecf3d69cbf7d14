//! A period's report, between the domain and the two front ends: its tallies and summary
//! gathered from the store in one pass, and the writers that turn them into a text table, CSV,
//! Markdown, JSON, a workbook or a Word document. Imports `domain` and the store's read API; never `cli` or `tui`.

pub mod cells;
mod closed;
pub mod csv;
pub mod docx;
mod gather;
pub mod json;
pub mod markdown;
pub mod missing;
pub mod strings;
pub mod table;
pub mod xlsx;

pub use closed::ClosedSection;
pub use gather::{Gathered, Gatherer, Names, summary_of};

use crate::store::StoreError;

/// What can stop a report being made: the store could not be read, or the workbook could not be
/// built (an internal limit of the format, never bad input). [`ReportError::message`] says it
/// in either language.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the workbook could not be built: {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    #[error("the Word document could not be built: {0}")]
    Document(#[from] zip::result::ZipError),
}
