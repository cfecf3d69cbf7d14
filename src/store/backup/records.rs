//! The ledger as a backup carries it: every record in the backup's order, read from the trees
//! one at a time as the caller goes, so that neither writing a backup nor proving one holds the
//! ledger in memory. Writing and proving walk it the same way, so they meet record by record.

use super::Line;
use crate::domain::CatalogKind;
use crate::store::{Result, Store};

/// What a backup line is, for its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Counted {
    Entry,
    /// Any other record of the ledger or of the store's place in its team.
    Record,
    Audit,
}

impl Line {
    pub(super) fn counted(&self) -> Counted {
        match self {
            Line::Entry(_) => Counted::Entry,
            Line::Audit(_) => Counted::Audit,
            Line::Advisor(_)
            | Line::Topic(_)
            | Line::Service(_)
            | Line::Item(_)
            | Line::Team(_) => Counted::Record,
        }
    }
}

impl Store {
    /// Each record a backup carries, in its order: advisors by id, topics, service types,
    /// items by id, entries by date, the rows of the store's place in its team, then the audit
    /// trail as stored. The catalogs are read at once (they are short); the rest as it goes.
    pub(super) fn backup_lines(&self) -> Result<impl Iterator<Item = Result<Line>> + '_> {
        let topics = self.catalog(CatalogKind::Topic)?.entries;
        let services = self.catalog(CatalogKind::Service)?.entries;
        Ok(self
            .each_advisor()
            .map(|a| a.map(Line::Advisor))
            .chain(topics.into_iter().map(|e| Ok(Line::Topic(e))))
            .chain(services.into_iter().map(|e| Ok(Line::Service(e))))
            .chain(self.each_item().map(|i| i.map(Line::Item)))
            .chain(self.each_entry().map(|e| e.map(Line::Entry)))
            .chain(self.each_carried_row().map(|r| r.map(Line::Team)))
            .chain(self.audit_bytes().map(|a| a.map(Line::Audit))))
    }
}
