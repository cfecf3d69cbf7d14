//! Checking what people type and import, before anything is written.
//!
//! Entries come three ways (a CSV file, the `log` flags, the interface's entry form) and all
//! three are checked by one [`plan_entries`]: every row on its own, then the rows of one item
//! together, then each entry against the ledger through a [`LedgerView`]. Advisors come from a
//! CSV file through [`plan_advisors`]. Files are first turned into text ([`decode`]: UTF-8 with
//! or without BOM, or GB18030/GBK as Excel saves them) and read by column
//! ([`read_entries`]: header names in English or Chinese, in any order).
//!
//! Every bad row is reported at once, as a [`Problem`] value worded only when shown
//! (`messages.rs` holds every text, both languages side by side). Nothing here writes: the
//! result is a plan ([`EntryPlan`], [`AdvisorPlan`]) the store applies atomically.
//!
//! Start reading at `entries.rs`; `plan.rs` has the types it produces.

mod advisors;
mod columns;
mod decode;
mod entries;
#[cfg(test)]
mod fake;
mod messages;
mod plan;
mod problem;
mod reference;

pub use advisors::{AdvisorPlan, plan_advisors, plan_roster};
pub use columns::{
    ADVISOR_HEADER, ENTRY_HEADER, EntryRowReader, EntryRows, FileKind, read_entries,
    read_entry_rows,
};
pub use decode::decode;
pub use entries::{
    CheckedRows, MAX_ROW_TEXT_BYTES, check_entries, plan_checked, plan_entries, refuse_closed_rows,
};
pub use messages::{column_name, id_alike_changed_by, id_alike_message, unknown_category};
pub use plan::{
    EntryInput, EntryPlan, Fingerprint, ItemFields, ItemGroup, LedgerView, NewEntry, Target,
};
pub use problem::{
    EncodingError, HeaderError, HeaderName, ImportError, ItemField, Origin, Problem, RowError,
    Stated, Whose,
};
pub use reference::{NUMBER_MARK, is_number, shown_number};
