//! The report paragraph: a period's items, hours, leading topics, satisfaction and participation,
//! as the annual rule-of-law report states them.

use std::collections::HashMap;
use strum::VariantArray;

use super::catalog::{Catalog, Category};
use super::lang::Lang;
use super::model::{Advisor, Fact};
use super::period::Period;
use super::tally::{GroupBy, Labels, Ratio, Row, Tallier, Tally};

mod paragraph;

/// How many topics the paragraph names before "and other fields".
const TOPICS_IN_TEXT: usize = 4;

/// Participation of one category of advisors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    pub category: Category,
    /// Active advisors of the category.
    pub total: u64,
    /// Of those, how many have at least one entry in the period.
    pub participating: u64,
    pub items: u64,
    pub minutes: super::duration::Minutes,
}

impl Participation {
    pub fn rate(&self) -> Ratio {
        Ratio::new(self.participating, self.total)
    }
}

/// Everything the report paragraph says, as values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub period: Period,
    pub lang: Lang,
    pub total: Row,
    /// Topic rows, most items first.
    pub topics: Vec<Row>,
    pub categories: Vec<Participation>,
    /// Topic names for the paragraph, in order.
    topic_labels: Vec<String>,
}

impl Summary {
    /// The groupings a summary needs, gathered in one pass: feed it facts, then
    /// [`Summary::finish`].
    pub fn tallier<'a>(period: Period, labels: &'a Labels<'a>) -> Tallier<'a> {
        Tallier::new(
            period,
            labels,
            &[GroupBy::Topic, GroupBy::Advisor, GroupBy::Category],
        )
    }

    /// The summary from a tallier made by [`Summary::tallier`].
    pub fn finish(
        tallier: Tallier<'_>,
        advisors: &HashMap<String, Advisor>,
        lang: Lang,
    ) -> Summary {
        let mut tallies = tallier.finish().into_iter();
        let (Some(by_topic), Some(by_advisor), Some(by_category)) =
            (tallies.next(), tallies.next(), tallies.next())
        else {
            unreachable!("a summary tallier has three groupings");
        };
        Summary::from_tallies(&by_topic, &by_advisor, &by_category, advisors, lang)
    }

    /// The summary of the facts in one call.
    pub fn build<'f>(
        period: Period,
        advisors: &HashMap<String, Advisor>,
        topics: &Catalog,
        services: &Catalog,
        lang: Lang,
        facts: impl IntoIterator<Item = &'f Fact>,
    ) -> Summary {
        let labels = Labels {
            advisors,
            topics,
            services,
            lang,
        };
        let mut tallier = Summary::tallier(period, &labels);
        for f in facts {
            tallier.add(f);
        }
        Summary::finish(tallier, advisors, lang)
    }

    fn from_tallies(
        by_topic: &Tally,
        by_advisor: &Tally,
        by_category: &Tally,
        advisors: &HashMap<String, Advisor>,
        lang: Lang,
    ) -> Summary {
        let topics: Vec<Row> = by_topic
            .rows
            .iter()
            .filter(|r| r.items > 0)
            .cloned()
            .collect();
        let active_ids: HashMap<&str, bool> = by_advisor
            .rows
            .iter()
            .map(|r| (r.key.as_str(), r.items > 0))
            .collect();
        let categories = Category::VARIANTS
            .iter()
            .copied()
            .map(|category| {
                // The team of the period: the active advisors, and anyone who has since been
                // made inactive but logged time in it, so a report of a past period keeps
                // counting them and no rate goes over 100%.
                let members = advisors.values().filter(|a| {
                    a.category == category
                        && (a.active || active_ids.get(a.id.as_str()).copied().unwrap_or(false))
                });
                let (mut total, mut participating) = (0, 0);
                for a in members {
                    total += 1;
                    participating +=
                        u64::from(active_ids.get(a.id.as_str()).copied().unwrap_or(false));
                }
                let row = by_category.rows.iter().find(|r| r.key == category.code());
                Participation {
                    category,
                    total,
                    participating,
                    items: row.map_or(0, |r| r.items),
                    minutes: row.map_or_else(Default::default, |r| r.minutes),
                }
            })
            .collect();
        Summary {
            period: by_topic.period,
            lang,
            total: by_topic.total.clone(),
            topic_labels: topics.iter().map(|r| r.label.clone()).collect(),
            topics,
            categories,
        }
    }

    pub fn advisors_total(&self) -> u64 {
        self.categories.iter().map(|c| c.total).sum()
    }

    pub fn advisors_participating(&self) -> u64 {
        self.categories.iter().map(|c| c.participating).sum()
    }

    pub fn to_json(&self) -> serde_json::Value {
        let t = &self.total;
        serde_json::json!({
            "period": self.period.code(),
            "from": self.period.from.to_string(),
            "to": self.period.to.to_string(),
            "items": t.items,
            "minutes": t.minutes.0,
            "hours": t.minutes.hours_json(),
            "rated": t.rated(),
            "satisfied": t.satisfied,
            "basic": t.basic,
            "unsatisfied": t.unsatisfied,
            "satisfaction_rate": t.satisfaction().json(),
            "topics": self.topics.iter().map(|r| r.key.clone()).collect::<Vec<_>>(),
            "advisors": {
                "total": self.advisors_total(),
                "participating": self.advisors_participating(),
                "by_category": self.categories.iter().map(|c| serde_json::json!({
                    "category": c.category.code(),
                    "total": c.total,
                    "participating": c.participating,
                    "rate": c.rate().json(),
                    "items": c.items,
                    "minutes": c.minutes.0,
                    "hours": c.minutes.hours_json(),
                })).collect::<Vec<_>>(),
            },
            "text": self.to_string(),
        })
    }
}
