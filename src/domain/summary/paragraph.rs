//! The report paragraph in words, once per language: "2024年，法律顾问共提供法律服务171件次，
//! …" and its English twin, written from the summary's figures.

use std::fmt;

use super::{Summary, TOPICS_IN_TEXT};
use crate::domain::lang::{Lang, english_noun};
use crate::domain::period::PeriodKind;

impl Summary {
    /// The categories the paragraph speaks of: those with anyone in them.
    fn with_a_team(&self) -> impl Iterator<Item = &super::Participation> {
        self.categories.iter().filter(|c| c.total > 0)
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
            PeriodKind::Range | PeriodKind::All => {
                format!("{from} {} to {}", self.period.from, self.period.to)
            }
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
            .with_a_team()
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
        let plural = english_noun::<u64>;
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
            .with_a_team()
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
