//! The report paragraph: a period's items, hours, leading topics, satisfaction and participation,
//! as the annual rule-of-law report states them.

use std::collections::HashMap;
use std::fmt;
use strum::VariantArray;

use super::catalog::{Catalog, Category};
use super::lang::Lang;
use super::model::{Advisor, Fact};
use super::period::{Period, PeriodKind};
use super::tally::{GroupBy, Labels, Ratio, Row, Tallier, Tally};

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
    /// The groupings a summary needs, gathered in one pass: feed it facts, then [`Summary::finish`].
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

    /// "In March 2024" or "From 2024-01-01 to 2024-06-30" (lower-case after a verb): a date
    /// range is a span, not a point in time.
    fn when_en(&self, capital: bool) -> String {
        let (at, from) = if capital {
            ("In", "From")
        } else {
            ("in", "from")
        };
        match self.period.kind {
            PeriodKind::Range => format!("{from} {} to {}", self.period.from, self.period.to),
            _ => format!("{at} {}", self.period.label(Lang::En)),
        }
    }

    fn write_zh(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.total;
        // Nothing logged: say so, rather than "provided 0 items over 0.0 hours".
        if t.items == 0 {
            return write!(f, "{}，未记录任何法律服务。", self.period.label(Lang::Zh));
        }
        write!(
            f,
            "{}，法律顾问共提供法律服务{}件次，工作时长{}小时",
            self.period.label(Lang::Zh),
            t.items,
            t.minutes.hours()
        )?;
        if !self.topic_labels.is_empty() {
            let named = &self.topic_labels[..self.topic_labels.len().min(TOPICS_IN_TEXT)];
            let more = if self.topic_labels.len() > TOPICS_IN_TEXT {
                "等"
            } else {
                ""
            };
            write!(f, "，内容涉及{}{more}领域", named.join("、"))?;
        }
        if t.rated() > 0 {
            write!(f, "，服务满意率{}", t.satisfaction().percent_prose())?;
            // A rate over some of the items says over how many.
            if t.rated() < t.items {
                write!(f, "（已评价{}件次）", t.rated())?;
            }
        }
        f.write_str("。")?;
        let parts: Vec<String> = self
            .categories
            .iter()
            .filter(|c| c.total > 0)
            .map(|c| {
                format!(
                    "{}{}名，参与服务{}名，参与率{}",
                    c.category.label(Lang::Zh),
                    c.total,
                    c.participating,
                    c.rate().percent_prose()
                )
            })
            .collect();
        if !parts.is_empty() {
            write!(f, "{}。", parts.join("；"))?;
        }
        Ok(())
    }

    fn write_en(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.total;
        let plural = |n: u64, one: &str, many: &str| {
            if n == 1 {
                one.to_string()
            } else {
                many.to_string()
            }
        };
        if t.items == 0 {
            return write!(f, "No legal services were logged {}.", self.when_en(false));
        }
        write!(
            f,
            "{}, the legal advisors provided {} legal service {} over {} working hours",
            self.when_en(true),
            t.items,
            plural(t.items, "item", "items"),
            t.minutes.hours()
        )?;
        if !self.topic_labels.is_empty() {
            let named: Vec<String> = self
                .topic_labels
                .iter()
                .take(TOPICS_IN_TEXT)
                .map(|l| l.to_lowercase())
                .collect();
            // "a, b, c and other fields" when some are left out; "a, b and c" when all are named.
            let list = if self.topic_labels.len() > TOPICS_IN_TEXT {
                format!("{} and other fields", named.join(", "))
            } else {
                match named.split_last() {
                    Some((last, rest)) if !rest.is_empty() => {
                        format!("{} and {last}", rest.join(", "))
                    }
                    _ => named.join(""),
                }
            };
            write!(f, ", covering {list}")?;
        }
        if t.rated() > 0 {
            write!(
                f,
                ", with a satisfaction rate of {}",
                t.satisfaction().percent_prose()
            )?;
            if t.rated() < t.items {
                write!(
                    f,
                    " among the {} {} rated",
                    t.rated(),
                    plural(t.rated(), "item", "items")
                )?;
            }
        }
        f.write_str(".")?;
        let parts: Vec<String> = self
            .categories
            .iter()
            .filter(|c| c.total > 0)
            .map(|c| {
                format!(
                    "{} of {} {}s took part ({})",
                    c.participating,
                    c.total,
                    c.category.label(Lang::En),
                    c.rate().percent_prose()
                )
            })
            .collect();
        if !parts.is_empty() {
            write!(f, " {}.", parts.join("; "))?;
        }
        Ok(())
    }
}

impl fmt::Display for Summary {
    /// The paragraph itself, in the summary's language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.lang {
            Lang::Zh => self.write_zh(f),
            Lang::En => self.write_en(f),
        }
    }
}
