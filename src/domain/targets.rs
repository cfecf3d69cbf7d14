//! Monthly target hours, per category or per advisor, and how far a period's hours reach them.

use std::collections::HashMap;

use chrono::Datelike;

use super::{Advisor, Category, Minutes, Period};

/// Target minutes per month: an advisor's own target, else their category's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    pub by_category: HashMap<Category, Minutes>,
    pub by_advisor: HashMap<String, Minutes>,
}

impl Targets {
    pub fn is_empty(&self) -> bool {
        self.by_category.is_empty() && self.by_advisor.is_empty()
    }

    /// The advisor's target for one month, if one is set.
    pub fn monthly(&self, advisor: &Advisor) -> Option<Minutes> {
        self.by_advisor
            .get(&advisor.id)
            .or_else(|| self.by_category.get(&advisor.category))
            .copied()
    }

    /// The advisor's target for the period: the monthly target times the calendar months the
    /// period touches (a year is twelve, a quarter three).
    pub fn for_period(&self, advisor: &Advisor, period: Period) -> Option<Minutes> {
        self.monthly(advisor)
            .map(|m| Minutes(m.0 * months_touched(period)))
    }
}

/// How many calendar months the period has days in.
pub fn months_touched(period: Period) -> u64 {
    let months = |d: chrono::NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    u64::try_from(months(period.to) - months(period.from) + 1).unwrap_or(0)
}

/// Reads a target as written in the configuration: hours per month, whole or with one decimal
/// (`10`, `7.5`), at most the hours of a month. `None` for anything else.
pub fn parse_hours(value: f64) -> Option<Minutes> {
    let tenths = (value * 10.0).round();
    let exact = (value * 10.0 - tenths).abs() < 1e-6;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "tenths is a whole number from 1 to 7440 when it is used, checked beside it"
    )]
    (exact && value > 0.0 && value <= 744.0).then(|| Minutes(tenths as u64 * 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advisor(id: &str, category: Category) -> Advisor {
        Advisor {
            id: id.into(),
            name: id.into(),
            category,
            unit: String::new(),
            active: true,
        }
    }

    #[test]
    fn an_advisors_own_target_wins_over_the_category_and_scales_with_the_period() {
        let mut t = Targets::default();
        t.by_category.insert(Category::Staff, Minutes(600));
        t.by_advisor.insert("A002".into(), Minutes(120));
        let (a1, a2) = (
            advisor("A001", Category::Staff),
            advisor("A002", Category::Staff),
        );
        let year = Period::year(2024).unwrap();
        assert_eq!(t.for_period(&a1, year), Some(Minutes(7200)));
        assert_eq!(
            t.for_period(&a2, Period::quarter(2024, 1).unwrap()),
            Some(Minutes(360))
        );
        assert_eq!(t.monthly(&advisor("A003", Category::Expert)), None);
        let range = Period::parse("2024-01-31..2024-03-01").unwrap();
        assert_eq!(months_touched(range), 3);
    }

    #[test]
    fn targets_are_whole_tenths_of_an_hour_within_a_month() {
        assert_eq!(parse_hours(10.0), Some(Minutes(600)));
        assert_eq!(parse_hours(7.5), Some(Minutes(450)));
        for bad in [0.0, -1.0, 7.25, 745.0, f64::NAN, f64::INFINITY] {
            assert_eq!(parse_hours(bad), None, "{bad}");
        }
    }
}
