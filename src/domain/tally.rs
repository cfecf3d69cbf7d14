//! Tallies: entries of a period grouped by advisor, category, topic, service, department or
//! month, counting distinct items, exact minutes and satisfaction the way the reports require.

use std::collections::HashMap;
use std::fmt;

use strum::{EnumString, IntoStaticStr, VariantArray};

use chrono::Datelike;

use super::catalog::{Catalog, Category, Satisfaction};
use super::duration::Minutes;
use super::lang::Lang;
use super::model::{Advisor, Fact, ItemId};
use super::period::Period;

/// What a tally groups by, in the order the `g` key cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, EnumString, VariantArray)]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum GroupBy {
    Advisor,
    Category,
    Topic,
    Service,
    Department,
    Month,
}

impl GroupBy {
    /// The stable code: `advisor`, `category`, `topic`, `service`, `department`, `month`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<GroupBy> {
        code.trim().parse().ok()
    }

    /// The next grouping in the cycle (the `g` key).
    pub fn next(self) -> GroupBy {
        let i = GroupBy::VARIANTS
            .iter()
            .position(|g| *g == self)
            .unwrap_or(0);
        GroupBy::VARIANTS[(i + 1) % GroupBy::VARIANTS.len()]
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A share `num / den`, kept as integers; shown as a percentage with one decimal, half up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub num: u64,
    pub den: u64,
}

impl Ratio {
    pub fn new(num: u64, den: u64) -> Ratio {
        Ratio { num, den }
    }

    /// Tenths of a percent, half up; `None` when nothing was counted.
    pub fn per_mille(self) -> Option<u64> {
        (self.den > 0).then(|| (self.num * 2000 + self.den) / (2 * self.den))
    }

    /// `89.1%`, `100.0%`, or `—` when there is nothing to divide by.
    pub fn percent(self) -> String {
        self.per_mille()
            .map_or_else(|| "—".into(), |p| format!("{}.{}%", p / 10, p % 10))
    }

    /// `89.1%` but `100%` for whole numbers, as prose writes it.
    pub fn percent_prose(self) -> String {
        match self.per_mille() {
            Some(p) if p % 10 == 0 => format!("{}%", p / 10),
            _ => self.percent(),
        }
    }

    /// The ratio for JSON, rounded to four decimals; `null` when there is nothing to divide by.
    pub fn json(self) -> serde_json::Value {
        match self.den {
            0 => serde_json::Value::Null,
            den => {
                let ten_thousandths = (self.num * 20_000 + den) / (2 * den);
                // The four-decimal string read back, so JSON prints `0.8908`, never a float's tail.
                let decimal = format!(
                    "{}.{:04}",
                    ten_thousandths / 10_000,
                    ten_thousandths % 10_000
                );
                serde_json::Number::from_f64(decimal.parse().unwrap_or(0.0))
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
    }
}

/// One line of a tally (and its total line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Stable code: advisor id, category code, topic code, service code, department, `YYYY-MM`.
    pub key: String,
    /// Display name in the chosen language.
    pub label: String,
    /// Distinct items with at least one entry in the period and this group.
    pub items: u64,
    pub minutes: Minutes,
    pub satisfied: u64,
    pub basic: u64,
    pub unsatisfied: u64,
}

impl Row {
    pub fn rated(&self) -> u64 {
        self.satisfied + self.basic + self.unsatisfied
    }

    /// (satisfied + basic) / rated.
    pub fn satisfaction(&self) -> Ratio {
        Ratio::new(self.satisfied + self.basic, self.rated())
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "key": self.key,
            "label": self.label,
            "items": self.items,
            "minutes": self.minutes.0,
            "hours": self.minutes.hours_json(),
            "rated": self.rated(),
            "satisfied": self.satisfied,
            "basic": self.basic,
            "unsatisfied": self.unsatisfied,
            "satisfaction_rate": self.satisfaction().json(),
        })
    }
}

/// Names for codes, so rows can be labelled in the chosen language.
pub struct Labels<'a> {
    pub advisors: &'a HashMap<String, Advisor>,
    pub topics: &'a Catalog,
    pub services: &'a Catalog,
    pub lang: Lang,
}

impl Labels<'_> {
    fn of(&self, by: GroupBy, key: &str) -> String {
        let lang = self.lang;
        match by {
            GroupBy::Advisor => self
                .advisors
                .get(key)
                .map_or_else(|| key.to_string(), |a| a.name.clone()),
            GroupBy::Category => {
                Category::parse(key).map_or_else(|| key.to_string(), |c| c.label(lang).into())
            }
            GroupBy::Topic => self.topics.label(key, lang).to_string(),
            GroupBy::Service => self.services.label(key, lang).to_string(),
            GroupBy::Department => key.to_string(),
            GroupBy::Month => super::strings::month_label(key, lang),
        }
    }
}

/// A group's figures counted ahead of time (the store's aggregates): they stand for its facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    /// Distinct items with at least one entry in the period and the group.
    pub items: u64,
    pub minutes: Minutes,
    pub satisfied: u64,
    pub basic: u64,
    pub unsatisfied: u64,
}

/// A period's figures counted ahead, by grouping and key, and its total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: Counted,
    pub groups: HashMap<GroupBy, HashMap<String, Counted>>,
}

/// Items (with their rating) and minutes gathered for one group, plus what was counted ahead.
#[derive(Default)]
struct Bucket {
    items: HashMap<ItemId, Option<Satisfaction>>,
    minutes: Minutes,
    counted: Counted,
}

impl Bucket {
    fn add(&mut self, fact: &Fact) {
        self.items.insert(fact.item, fact.satisfaction);
        self.minutes += fact.minutes;
    }

    fn row(&self, key: String, label: String) -> Row {
        let count = |s| self.items.values().filter(|r| **r == Some(s)).count() as u64;
        let counted = &self.counted;
        Row {
            key,
            label,
            items: self.items.len() as u64 + counted.items,
            minutes: self.minutes + counted.minutes,
            satisfied: count(Satisfaction::Satisfied) + counted.satisfied,
            basic: count(Satisfaction::Basic) + counted.basic,
            unsatisfied: count(Satisfaction::Unsatisfied) + counted.unsatisfied,
        }
    }
}

/// A finished tally: rows in reading order and the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub period: Period,
    pub by: GroupBy,
    pub rows: Vec<Row>,
    pub total: Row,
    /// How its table rounds the rows' hours and shares (see [`Tally::figures`]).
    pub rounding: super::rounding::Rounding,
}

impl Tally {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "period": {"from": self.period.from.to_string(), "to": self.period.to.to_string()},
            "by": self.by.code(),
            "rows": self.rows.iter().map(Row::to_json).collect::<Vec<_>>(),
            "total": self.total.to_json(),
        })
    }
}

/// Builds tallies for several groupings in one pass over the facts.
pub struct Tallier<'a> {
    period: Period,
    labels: &'a Labels<'a>,
    groups: Vec<(GroupBy, HashMap<String, Bucket>)>,
    total: Bucket,
}

impl<'a> Tallier<'a> {
    pub fn new(period: Period, labels: &'a Labels<'a>, by: &[GroupBy]) -> Tallier<'a> {
        Tallier {
            period,
            labels,
            groups: by.iter().map(|&b| (b, HashMap::new())).collect(),
            total: Bucket::default(),
        }
    }

    /// Counts one fact; facts outside the period are ignored.
    pub fn add(&mut self, fact: &Fact) {
        if !self.period.contains(fact.date) {
            return;
        }
        self.total.add(fact);
        for (by, buckets) in &mut self.groups {
            let key = group_key(*by, fact, self.labels.advisors);
            buckets.entry(key).or_default().add(fact);
        }
    }

    /// Takes figures counted ahead for the period (instead of its facts).
    pub fn add_counts(&mut self, counts: &Counts) {
        self.total.counted = counts.total;
        for (by, buckets) in &mut self.groups {
            for (key, counted) in counts.groups.get(by).into_iter().flatten() {
                buckets.entry(key.clone()).or_default().counted = *counted;
            }
        }
    }

    /// The finished tallies, in the order the groupings were asked for.
    pub fn finish(self) -> Vec<Tally> {
        let labels = self.labels;
        let total = self.total.row(
            String::new(),
            super::strings::total(labels.lang).to_string(),
        );
        self.groups
            .into_iter()
            .map(|(by, mut buckets)| {
                // Who did nothing matters as much as who did most: every active advisor and every
                // category gets a row, even when empty.
                match by {
                    GroupBy::Advisor => {
                        for a in labels.advisors.values().filter(|a| a.active) {
                            buckets.entry(a.id.clone()).or_default();
                        }
                    }
                    GroupBy::Category => {
                        for &c in Category::VARIANTS {
                            buckets.entry(c.code().to_string()).or_default();
                        }
                    }
                    // A month with nothing is a month of the chart too, not a gap in it.
                    GroupBy::Month => {
                        for key in month_keys(self.period) {
                            buckets.entry(key).or_default();
                        }
                    }
                    _ => {}
                }
                let mut rows: Vec<Row> = buckets
                    .iter()
                    .map(|(k, b)| b.row(k.clone(), labels.of(by, k)))
                    .collect();
                sort_rows(by, &mut rows);
                Tally {
                    period: self.period,
                    by,
                    rows,
                    total: total.clone(),
                    rounding: super::rounding::Rounding::default(),
                }
            })
            .collect()
    }
}

/// The category an advisor's work is counted under: their category's code, `unknown` for an
/// id the roster does not hold.
pub fn category_key(advisor: Option<&Advisor>) -> &'static str {
    advisor.map_or("unknown", |a| a.category.code())
}

fn group_key(by: GroupBy, fact: &Fact, advisors: &HashMap<String, Advisor>) -> String {
    match by {
        GroupBy::Advisor => fact.advisor.clone(),
        GroupBy::Category => category_key(advisors.get(&fact.advisor)).to_string(),
        GroupBy::Topic => fact.topic.clone(),
        GroupBy::Service => fact.service.clone(),
        GroupBy::Department => fact.department.clone(),
        GroupBy::Month => format!("{}-{:02}", fact.date.year(), fact.date.month()),
    }
}

/// `YYYY-MM` of every month the period touches, in order.
fn month_keys(period: Period) -> Vec<String> {
    let mut keys = Vec::new();
    let (mut year, mut month) = (period.from.year(), period.from.month());
    while (year, month) <= (period.to.year(), period.to.month()) {
        keys.push(format!("{year}-{month:02}"));
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    keys
}

/// Months and categories read in their natural order; everything else by items, then hours,
/// largest first, ties by key so the order never flickers.
fn sort_rows(by: GroupBy, rows: &mut [Row]) {
    match by {
        GroupBy::Month => rows.sort_by(|a, b| a.key.cmp(&b.key)),
        GroupBy::Category => {
            rows.sort_by_key(|r| Category::parse(&r.key).map_or(usize::MAX, |c| c as usize))
        }
        _ => rows.sort_by(|a, b| {
            b.items
                .cmp(&a.items)
                .then(b.minutes.cmp(&a.minutes))
                .then_with(|| a.key.cmp(&b.key))
        }),
    }
}

/// One tally over the facts.
pub fn tally<'f>(
    period: Period,
    by: GroupBy,
    labels: &Labels<'_>,
    facts: impl IntoIterator<Item = &'f Fact>,
) -> Tally {
    let mut t = Tallier::new(period, labels, &[by]);
    for f in facts {
        t.add(f);
    }
    t.finish().remove(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CatalogKind;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn advisors() -> HashMap<String, Advisor> {
        [
            ("A1", Category::Staff),
            ("A2", Category::PublicLawyer),
            ("A3", Category::Expert),
        ]
        .into_iter()
        .map(|(id, category)| {
            (
                id.to_string(),
                Advisor {
                    id: id.into(),
                    name: format!("name {id}"),
                    category,
                    unit: String::new(),
                    active: true,
                },
            )
        })
        .collect()
    }

    fn fact(
        item: u64,
        advisor: &str,
        date: &str,
        minutes: u64,
        topic: &str,
        rating: Option<Satisfaction>,
    ) -> Fact {
        Fact {
            item: ItemId(item),
            advisor: advisor.into(),
            date: date.parse().unwrap(),
            minutes: Minutes(minutes),
            topic: topic.into(),
            service: "opinion".into(),
            department: "市场监管局".into(),
            satisfaction: rating,
        }
    }

    fn run(by: GroupBy, facts: &[Fact]) -> Tally {
        let (a, t, s) = (
            advisors(),
            CatalogKind::Topic.defaults(),
            CatalogKind::Service.defaults(),
        );
        let labels = Labels {
            advisors: &a,
            topics: &t,
            services: &s,
            lang: Lang::Zh,
        };
        tally(Period::parse("2024").unwrap(), by, &labels, facts)
    }

    #[test]
    fn an_item_counts_once_in_the_total_but_in_every_group_it_touches() {
        let facts = [
            fact(
                1,
                "A1",
                "2024-03-01",
                60,
                "contracts",
                Some(Satisfaction::Satisfied),
            ),
            fact(
                1,
                "A2",
                "2024-04-01",
                30,
                "contracts",
                Some(Satisfaction::Satisfied),
            ),
            fact(
                2,
                "A1",
                "2024-04-02",
                45,
                "labor",
                Some(Satisfaction::Unsatisfied),
            ),
            fact(3, "A1", "2025-01-02", 45, "labor", None),
        ];
        let t = run(GroupBy::Month, &facts);
        assert_eq!(
            t.total.items, 2,
            "item 1 spans two months but is one item; item 3 is outside 2024"
        );
        assert_eq!(t.total.minutes, Minutes(135));
        // Every month of the year has its row, the empty ones too, in order.
        let rows: Vec<(&str, u64)> = t.rows.iter().map(|r| (r.key.as_str(), r.items)).collect();
        assert_eq!(rows.len(), 12);
        assert_eq!(rows[0], ("2024-01", 0));
        assert_eq!(&rows[2..4], [("2024-03", 1), ("2024-04", 2)]);
        assert_eq!(rows[11], ("2024-12", 0));
        assert_eq!(t.total.satisfaction().percent(), "50.0%");
        assert_eq!(t.rows[2].label, "2024年3月");
    }

    #[test]
    fn every_advisor_and_category_has_a_row_even_when_idle() {
        let facts = [fact(1, "A1", "2024-03-01", 60, "contracts", None)];
        let by_advisor = run(GroupBy::Advisor, &facts);
        assert_eq!(by_advisor.rows.len(), 3);
        assert_eq!(by_advisor.rows[0].key, "A1");
        assert!(
            by_advisor.rows[1..]
                .iter()
                .all(|r| r.items == 0 && r.minutes == Minutes::ZERO)
        );
        let by_category = run(GroupBy::Category, &facts);
        let keys: Vec<&str> = by_category.rows.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["staff", "public-lawyer", "external", "expert"]);
        assert_eq!(by_category.total.satisfaction().percent(), "—");
    }

    #[test]
    fn ratios_round_half_up() {
        assert_eq!(Ratio::new(253, 284).percent(), "89.1%");
        assert_eq!(Ratio::new(2, 3).percent(), "66.7%");
        assert_eq!(Ratio::new(1, 1).percent_prose(), "100%");
        assert_eq!(Ratio::new(1, 8).percent(), "12.5%");
        assert_eq!(Ratio::new(1, 0).json(), serde_json::Value::Null);
        assert_eq!(Ratio::new(253, 284).json().to_string(), "0.8908");
    }

    fn arb_fact() -> impl Strategy<Value = Fact> {
        let topics = ["contracts", "labor", "other", "info-disclosure"];
        let ratings = [
            None,
            Some(Satisfaction::Satisfied),
            Some(Satisfaction::Basic),
            Some(Satisfaction::Unsatisfied),
        ];
        (0u64..40, 0usize..4, 0u64..500, 1u64..=600).prop_map(
            move |(item, advisor, day, minutes)| Fact {
                item: ItemId(item),
                advisor: ["A1", "A2", "A3", "A9"][advisor].into(),
                date: NaiveDate::from_ymd_opt(2023, 10, 1).unwrap() + chrono::Days::new(day),
                minutes: Minutes(minutes),
                // An item's fields are the same on all its entries.
                topic: topics[(item % 4) as usize].into(),
                service: "opinion".into(),
                department: format!("dept {}", item % 3),
                satisfaction: ratings[(item % 4) as usize],
            },
        )
    }

    proptest! {
        #[test]
        fn group_minutes_add_up_to_the_total_and_items_never_exceed_it(
            facts in proptest::collection::vec(arb_fact(), 0..80)
        ) {
            let in_year: Vec<&Fact> = facts.iter().filter(|f| f.date.year() == 2024).collect();
            let expected_minutes: Minutes = in_year.iter().map(|f| f.minutes).sum();
            let items: std::collections::HashSet<_> = in_year.iter().map(|f| f.item).collect();
            let expected_items = u64::try_from(items.len()).unwrap();
            for &by in GroupBy::VARIANTS {
                let t = run(by, &facts);
                prop_assert_eq!(t.total.minutes, expected_minutes);
                prop_assert_eq!(t.total.items, expected_items);
                prop_assert_eq!(t.rows.iter().map(|r| r.minutes).sum::<Minutes>(), t.total.minutes);
                prop_assert!(t.rows.iter().all(|r| r.items <= t.total.items));
                prop_assert!(t.rows.iter().map(|r| r.items).sum::<u64>() >= t.total.items);
                prop_assert!(t.total.rated() <= t.total.items);
            }
        }
    }
}
