//! A period's report, between the domain and the two front ends: its tallies and summary
//! gathered from the store in one pass, and the writers that turn them into a table, CSV,
//! Markdown, JSON or a workbook. Imports `domain` and the store's read API; never `cli` or `tui`.

pub mod table;
pub mod xlsx;
