//! Any bytes given as an entries or advisors file are decoded, read and checked without a
//! panic: the result is a plan or a list of problems.
#![no_main]

use std::collections::HashMap;

use chrono::NaiveDate;
use counsel_log::domain::intake::{
    Fingerprint, LedgerView, decode, plan_advisors, plan_entries, read_entries,
};
use counsel_log::domain::{Advisor, Catalog, CatalogKind, Category, Item, Minutes};
use libfuzzer_sys::fuzz_target;

struct View {
    advisors: HashMap<String, Advisor>,
    topics: Catalog,
    services: Catalog,
}

impl LedgerView for View {
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
        Minutes(0)
    }
    fn fingerprint_count(&self, _: &Fingerprint) -> u64 {
        0
    }
}

fuzz_target!(|data: &[u8]| {
    let a = Advisor {
        id: "A001".into(),
        name: "甲".into(),
        category: Category::Staff,
        unit: String::new(),
        active: true,
    };
    let view = View {
        advisors: [("A001".to_string(), a)].into(),
        topics: CatalogKind::Topic.defaults(),
        services: CatalogKind::Service.defaults(),
    };
    let Ok(text) = decode(data) else { return };
    let _ = plan_advisors(&text, &view.advisors);
    if let Ok(rows) = read_entries(&text)
        && let Ok(plan) = plan_entries(
            &rows,
            &view,
            NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
            true,
        )
    {
        assert!(plan.entry_count() <= rows.len());
    }
});
