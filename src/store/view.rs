//! The store as the importer and the entry form see it: a [`LedgerView`].

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Result, Store, StoreError};
use crate::domain::intake::{Fingerprint, LedgerView};
use crate::domain::{Advisor, Catalog, CatalogKind, Item, Minutes};

impl Store {
    /// A read-only view of the store for validating imports.
    pub fn view(&self) -> Result<StoreView<'_>> {
        Ok(StoreView {
            store: self,
            advisors: self.advisors()?,
            topics: self.catalog(CatalogKind::Topic)?,
            services: self.catalog(CatalogKind::Service)?,
            failure: RefCell::new(None),
            days: RefCell::new(HashMap::new()),
        })
    }
}

/// The store as the importer sees it. Read errors are kept and reported after planning.
pub struct StoreView<'s> {
    store: &'s Store,
    pub advisors: HashMap<String, Advisor>,
    pub topics: Catalog,
    pub services: Catalog,
    failure: RefCell<Option<StoreError>>,
    /// Minutes per advisor on the days looked at so far.
    days: RefCell<HashMap<NaiveDate, HashMap<String, Minutes>>>,
}

impl StoreView<'_> {
    /// The value read, or a default after noting the error: the importer's questions have no
    /// room for one, so it is reported once planning is done.
    fn or_noting_failure<T: Default>(&self, read: Result<T>) -> T {
        read.unwrap_or_else(|e| {
            self.failure.borrow_mut().get_or_insert(e);
            T::default()
        })
    }

    /// The first read error met while planning, if any.
    pub fn failure(&self) -> Option<StoreError> {
        self.failure.borrow().clone()
    }
}

impl LedgerView for StoreView<'_> {
    fn advisors(&self) -> &HashMap<String, Advisor> {
        &self.advisors
    }
    fn topics(&self) -> &Catalog {
        &self.topics
    }
    fn services(&self) -> &Catalog {
        &self.services
    }
    fn item(&self, reference: &str) -> Option<Item> {
        self.or_noting_failure(self.store.item_by_ref(reference))
    }
    fn logged(&self, advisor: &str, date: NaiveDate) -> Minutes {
        // One scan per day serves every advisor of that day.
        let mut days = self.days.borrow_mut();
        let day = days
            .entry(date)
            .or_insert_with(|| self.or_noting_failure(self.store.logged_by_advisor(date)));
        day.get(advisor).copied().unwrap_or_default()
    }
    fn fingerprint_count(&self, fp: &Fingerprint) -> u64 {
        self.or_noting_failure(self.store.fingerprint_count(fp))
    }
}
