//! A period's tallies and summary, gathered from the store's aggregates or in one pass over its
//! facts: the one place every report, the summary and the interface's screens read their figures
//! from.

use std::collections::HashMap;

use crate::domain::tally::{Labels, Tallier};
use crate::domain::{
    Advisor, Catalog, CatalogKind, Fact, GroupBy, Lang, Period, Rounding, Summary, Tally,
};
use crate::store::{Result, Store};

/// The advisors and catalogs a report names its rows from, read once.
pub struct Names {
    pub advisors: HashMap<String, Advisor>,
    pub topics: Catalog,
    pub services: Catalog,
}

impl Names {
    /// The advisors and both catalogs as the store holds them now.
    pub fn read(store: &Store) -> Result<Names> {
        Ok(Names {
            advisors: store.advisors()?,
            topics: store.catalog(CatalogKind::Topic)?,
            services: store.catalog(CatalogKind::Service)?,
        })
    }

    /// Labels for rows in `lang`.
    pub fn labels(&self, lang: Lang) -> Labels<'_> {
        Labels {
            advisors: &self.advisors,
            topics: &self.topics,
            services: &self.services,
            lang,
        }
    }
}

/// Gathers a period's figures from the store: every method is one pass over its facts.
pub struct Gatherer<'a> {
    store: &'a Store,
    labels: &'a Labels<'a>,
    period: Period,
}

/// A period's summary and its tallies, from one pass.
pub struct Gathered {
    /// One tally per grouping asked for, in the order asked.
    pub tallies: Vec<Tally>,
    pub summary: Summary,
    /// How the tables made of them round their rows.
    pub rounding: Rounding,
}

impl Gathered {
    /// The same figures, their tables rounded as `rounding` says.
    #[must_use]
    pub fn rounded(self, rounding: Rounding) -> Gathered {
        Gathered {
            tallies: self
                .tallies
                .into_iter()
                .map(|t| t.rounded(rounding))
                .collect(),
            summary: self.summary,
            rounding,
        }
    }
}

impl<'a> Gatherer<'a> {
    /// A gatherer of `period` from `store`, naming rows with `labels`; nothing is read yet.
    pub fn new(store: &'a Store, labels: &'a Labels<'a>, period: Period) -> Gatherer<'a> {
        Gatherer {
            store,
            labels,
            period,
        }
    }

    /// The period's tally grouped one way.
    pub fn tally(&self, by: GroupBy) -> Result<Tally> {
        if let Some(counts) = self.store.counts(self.period)? {
            let mut tallier = Tallier::new(self.period, self.labels, &[by]);
            tallier.add_counts(&counts);
            return Ok(tallier.finish().remove(0));
        }
        let mut tallies = self.pass(&[by], self.period, |_| {})?;
        // One tally per grouping asked for.
        Ok(tallies.remove(0))
    }

    /// The period's summary.
    pub fn summary(&self) -> Result<Summary> {
        Ok(self.report(&[])?.summary)
    }

    /// The period's summary and its tallies grouped each of these ways.
    pub fn report(&self, groupings: &[GroupBy]) -> Result<Gathered> {
        // The store's aggregates when they can serve the period: a few hundred records,
        // whatever the number of entries.
        if let Some(counts) = self.store.counts(self.period)? {
            let mut summary = Summary::tallier(self.period, self.labels);
            summary.add_counts(&counts);
            let mut tallier = Tallier::new(self.period, self.labels, groupings);
            tallier.add_counts(&counts);
            return Ok(Gathered {
                tallies: tallier.finish(),
                summary: Summary::finish(summary, self.labels.advisors, self.labels.lang),
                rounding: Rounding::default(),
            });
        }
        self.report_over(groupings, self.period, |_| {})
    }

    /// As [`Gatherer::report`], reading the facts of `span` (which holds the period) so that
    /// `visit` sees them all; the tallies and the summary still count only the period's.
    pub fn report_over(
        &self,
        groupings: &[GroupBy],
        span: Period,
        mut visit: impl FnMut(&Fact),
    ) -> Result<Gathered> {
        let mut summary = Summary::tallier(self.period, self.labels);
        let tallies = self.pass(groupings, span, |fact| {
            summary.add(fact);
            visit(fact);
        })?;
        Ok(Gathered {
            tallies,
            summary: Summary::finish(summary, self.labels.advisors, self.labels.lang),
            rounding: Rounding::default(),
        })
    }

    /// The one pass over the store: tallies of the period under `groupings`, while `visit` sees
    /// every fact of `span`.
    fn pass(
        &self,
        groupings: &[GroupBy],
        span: Period,
        mut visit: impl FnMut(&Fact),
    ) -> Result<Vec<Tally>> {
        let mut tallier = Tallier::new(self.period, self.labels, groupings);
        self.store.for_each_fact(span, |fact| {
            tallier.add(fact);
            visit(fact);
        })?;
        Ok(tallier.finish())
    }
}

/// The summary of a period, read from the store in one pass.
pub fn summary_of(store: &Store, period: Period, lang: Lang) -> Result<Summary> {
    let names = Names::read(store)?;
    Gatherer::new(store, &names.labels(lang), period).summary()
}
