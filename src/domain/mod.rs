//! The ledger's domain: pure values and rules, no I/O, no store, no interface.

pub mod catalog;
pub mod duration;
pub mod formula;
pub mod intake;
pub mod lang;
pub mod model;
pub mod period;
pub mod rounding;
pub mod strings;
pub mod summary;
pub mod tally;
pub mod targets;
pub mod words;

pub use catalog::{Catalog, CatalogEntry, CatalogKind, Category, NewEntryError, Satisfaction};
pub use duration::Minutes;
pub use lang::Lang;
pub use model::{Advisor, Entry, EntryId, Fact, Item, ItemId};
pub use period::Period;
pub use rounding::Rounding;
pub use summary::Summary;
pub use tally::{GroupBy, Labels, Row, Tally};
pub use targets::Targets;
pub use words::Words;
