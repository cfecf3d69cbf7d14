//! The rows the Log and Items screens show — the period's rows narrowed by the filter and the
//! drill-down — worked out once for each filter, drill-down and reading of the period, and kept.
//! A frame or a key press then costs the same whether the period holds a hundred entries or a
//! hundred thousand: only the rows on screen are built each time.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use super::App;
use super::rows::Drill;
use crate::domain::{Lang, Minutes};
use crate::tui::data::{ItemRow, LogRow};

/// The rows one screen shows, as positions in the period's rows, with what its title sums.
#[derive(Debug)]
pub struct Shown {
    narrowing: Narrowing,
    /// Positions in the period's rows, in their order.
    pub rows: Vec<usize>,
    /// The hours of those rows.
    pub minutes: Minutes,
    /// The widest cell of each column over all these rows, as the screen measures them when it
    /// first draws them: its columns keep their widths whichever rows are on screen.
    pub widest: OnceLock<Vec<usize>>,
}

/// What a [`Shown`] was worked out for.
#[derive(Debug)]
struct Narrowing {
    /// The period's reading it was narrowed from (see `PeriodData::reading`).
    reading: u64,
    filter: String,
    drill: Option<Drill>,
    lang: Lang,
}

impl Shown {
    /// True when these rows are the ones `app` shows now, narrowed by `drill`.
    fn is_for(&self, app: &App, drill: Option<&Drill>) -> bool {
        let n = &self.narrowing;
        n.reading == app.data.reading()
            && n.filter == app.filter
            && n.drill.as_ref() == drill
            && n.lang == app.settings.lang
    }

    /// True when the rows `app` shows now are among these: the same rows narrowed by a filter
    /// that holds this one's (typed further), which keeps no row this one did not.
    fn holds(&self, app: &App, drill: Option<&Drill>) -> bool {
        let n = &self.narrowing;
        n.reading == app.data.reading()
            && n.drill.as_ref() == drill
            && n.lang == app.settings.lang
            && app.filter.to_lowercase().contains(&n.filter.to_lowercase())
    }
}

/// The last rows worked out for each screen that can have many.
#[derive(Debug, Default)]
pub(super) struct ShownRows {
    log: RefCell<Option<Arc<Shown>>>,
    items: RefCell<Option<Arc<Shown>>>,
}

/// The rows kept in `cell` when `fresh` says they still hold, else those `work` gives (told the
/// rows kept before), kept.
fn kept(
    cell: &RefCell<Option<Arc<Shown>>>,
    fresh: impl Fn(&Shown) -> bool,
    work: impl FnOnce(Option<&Shown>) -> Shown,
) -> Arc<Shown> {
    let before = cell.borrow().clone();
    if let Some(shown) = before.as_ref().filter(|s| fresh(s)) {
        return Arc::clone(shown);
    }
    let shown = Arc::new(work(before.as_deref()));
    *cell.borrow_mut() = Some(Arc::clone(&shown));
    shown
}

impl App<'_> {
    /// The Log's rows: the period's entries narrowed by the drill-down and the filter.
    pub fn log_shown(&self) -> Arc<Shown> {
        let drill = self.drill.as_ref();
        kept(
            &self.shown.log,
            |s| s.is_for(self, drill),
            |before| {
                // A filter typed further looks only among the rows the shorter one kept.
                let among = before.filter(|s| s.holds(self, drill));
                let rows = self.narrow_log(among.map(|s| s.rows.as_slice()));
                let minutes = rows
                    .iter()
                    .filter_map(|&at| self.data.log.get(at))
                    .map(|r| r.entry.minutes)
                    .sum();
                self.shown_rows(rows, minutes, drill.cloned())
            },
        )
    }

    /// The Items screen's rows: the items of the period narrowed by the filter.
    pub fn items_shown(&self) -> Arc<Shown> {
        kept(
            &self.shown.items,
            |s| s.is_for(self, None),
            |before| {
                let among = before.filter(|s| s.holds(self, None));
                let rows = self.narrow_items(among.map(|s| s.rows.as_slice()));
                let minutes = rows
                    .iter()
                    .filter_map(|&at| self.data.items.get(at))
                    .map(|r| r.minutes)
                    .sum();
                self.shown_rows(rows, minutes, None)
            },
        )
    }

    fn shown_rows(&self, rows: Vec<usize>, minutes: Minutes, drill: Option<Drill>) -> Shown {
        Shown {
            narrowing: Narrowing {
                reading: self.data.reading(),
                filter: self.filter.clone(),
                drill,
                lang: self.settings.lang,
            },
            rows,
            minutes,
            widest: OnceLock::new(),
        }
    }

    /// The Log rows shown, in order.
    pub fn log_rows(&self) -> Vec<&LogRow> {
        let shown = self.log_shown();
        shown
            .rows
            .iter()
            .filter_map(|&at| self.data.log.get(at))
            .collect()
    }

    /// The Items rows shown, in order.
    pub fn item_rows(&self) -> Vec<&ItemRow> {
        let shown = self.items_shown();
        shown
            .rows
            .iter()
            .filter_map(|&at| self.data.items.get(at))
            .collect()
    }

    /// The selected Log row.
    pub fn selected_log(&self) -> Option<&LogRow> {
        let at = *self.log_shown().rows.get(self.selected.log)?;
        self.data.log.get(at)
    }

    /// The selected Items row.
    pub(super) fn selected_item(&self) -> Option<&ItemRow> {
        let at = *self.items_shown().rows.get(self.selected.items)?;
        self.data.items.get(at)
    }
}
