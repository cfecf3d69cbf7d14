//! Checking the form: each field's problem as the user leaves it or saves, and the checked
//! values as the store takes them.

use chrono::NaiveDate;

use super::{Field, Form, PerField};
use crate::domain::catalog::CatalogError;
use crate::domain::duration::DurationError;
use crate::domain::intake::{EntryInput, ItemFields};
use crate::domain::model::FieldError;
use crate::domain::period::{PeriodError, parse_date};
use crate::domain::{Minutes, Satisfaction};
use crate::tui::data::PeriodData;

/// What is wrong with one field's value. Put in words by [`FieldProblem::message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// The field is empty and must not be.
    Required,
    /// No advisor has the typed id.
    NoSuchAdvisor(String),
    /// No item has the typed number or key.
    NoSuchItem(String),
    Date(PeriodError),
    Hours(DurationError),
    /// A topic or service the catalog does not hold.
    Catalog(CatalogError),
    /// A text too long, or with an invisible control character.
    Text(FieldError),
}

impl Form {
    /// Checks one field as the user leaves it, so a mistake shows at once. The item reference
    /// is checked on saving, against the store.
    pub(super) fn check_one(&mut self, field: Field, data: &PeriodData) {
        if self.value(field).trim().is_empty() || field == Field::Item {
            return;
        }
        let mut problems = self.problems(data, self.today, |_| true);
        self.field_problems[field] = problems[field].take();
    }

    /// Checks each field on its own; returns true when all are valid.
    pub fn check_fields(
        &mut self,
        data: &PeriodData,
        today: NaiveDate,
        item_exists: impl Fn(&str) -> bool,
    ) -> bool {
        self.field_problems = self.problems(data, today, item_exists);
        self.save_problem = None;
        self.field_problems.values().all(Option::is_none)
    }

    /// The problem of each field.
    fn problems(
        &self,
        data: &PeriodData,
        today: NaiveDate,
        item_exists: impl Fn(&str) -> bool,
    ) -> PerField<Option<FieldProblem>> {
        let new_item = self.editing.is_none() && self.value(Field::Item).trim().is_empty();
        let mut problems: PerField<Option<FieldProblem>> = PerField::default();
        if let Err(e) = parse_date(self.value(Field::Date), today) {
            problems[Field::Date] = Some(FieldProblem::Date(e));
        }
        let advisor = self.value(Field::Advisor).trim();
        if advisor.is_empty() {
            problems[Field::Advisor] = Some(FieldProblem::Required);
        } else if data.advisor(advisor).is_none() {
            problems[Field::Advisor] = Some(FieldProblem::NoSuchAdvisor(advisor.to_string()));
        }
        let item = self.value(Field::Item).trim();
        if !item.is_empty() && self.editing.is_none() && !item_exists(item) {
            problems[Field::Item] = Some(FieldProblem::NoSuchItem(item.to_string()));
        }
        if let Err(e) = Minutes::parse(self.value(Field::Hours)) {
            problems[Field::Hours] = Some(FieldProblem::Hours(e));
        }
        for (field, catalog) in [
            (Field::Topic, &data.topics),
            (Field::Service, &data.services),
        ] {
            let v = self.value(field).trim();
            if !v.is_empty()
                && let Err(e) = catalog.resolve(v)
            {
                problems[field] = Some(FieldProblem::Catalog(e));
            }
        }
        let needed = new_item || self.editing.is_some();
        for field in ITEM_FIELDS {
            if needed && self.value(field).trim().is_empty() {
                problems[field] = Some(FieldProblem::Required);
            }
        }
        for field in [Field::Title, Field::Department, Field::Note] {
            if let Err(e) = crate::domain::model::check_text(
                crate::domain::model::TextField::Text,
                self.value(field),
            ) {
                problems[field] = Some(FieldProblem::Text(e));
            }
        }
        problems
    }

    /// The form as an entry input (for a new entry).
    pub fn input(&self) -> EntryInput {
        EntryInput {
            date: self.value(Field::Date).to_string(),
            advisor: self.value(Field::Advisor).trim().to_string(),
            hours: self.value(Field::Hours).to_string(),
            item: self.value(Field::Item).trim().to_string(),
            title: self.value(Field::Title).to_string(),
            topic: self.value(Field::Topic).to_string(),
            service: self.value(Field::Service).to_string(),
            department: self.value(Field::Department).to_string(),
            satisfaction: String::new(),
            note: self.value(Field::Note).to_string(),
        }
    }

    /// The item fields as codes (after [`Form::check_fields`] passed).
    pub fn item_fields(&self, data: &PeriodData, satisfaction: Option<Satisfaction>) -> ItemFields {
        let code = |cat: &crate::domain::Catalog, v: &str| {
            cat.resolve(v).map(|e| e.code.clone()).unwrap_or_default()
        };
        ItemFields {
            title: self.value(Field::Title).trim().to_string(),
            topic: code(&data.topics, self.value(Field::Topic)),
            service: code(&data.services, self.value(Field::Service)),
            department: self.value(Field::Department).trim().to_string(),
            satisfaction,
        }
    }
}

/// The fields that belong to the item rather than the entry, shared by all its entries.
pub(super) const ITEM_FIELDS: [Field; 4] = [
    Field::Title,
    Field::Topic,
    Field::Service,
    Field::Department,
];
