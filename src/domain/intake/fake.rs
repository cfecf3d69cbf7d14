//! A ledger for the unit tests: one advisor, the default catalogs, and ten hours already
//! logged by everyone every day.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{EntryPlan, Fingerprint, ImportError, LedgerView, plan_entries, read_entries};
use crate::domain::{Advisor, Catalog, CatalogKind, Category, Item, Minutes};

pub(super) struct Fake {
    pub(super) advisors: HashMap<String, Advisor>,
    topics: Catalog,
    services: Catalog,
    pub(super) known: HashMap<Fingerprint, u64>,
}

impl Fake {
    pub(super) fn new() -> Fake {
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

const HEADER: &str = "date,advisor,hours,item,title,topic,service,department,satisfaction,note\n";

pub(super) fn plan(body: &str, view: &Fake) -> Result<EntryPlan, ImportError> {
    let rows = read_entries(&format!("{HEADER}{body}"))?;
    plan_entries(rows, view, "2024-12-31".parse().unwrap(), true)
}

pub(super) fn lines(e: ImportError) -> Vec<u64> {
    match e {
        ImportError::Rows(rows) => rows.iter().map(|r| r.line).collect(),
        other => panic!("expected row errors, got {other}"),
    }
}
