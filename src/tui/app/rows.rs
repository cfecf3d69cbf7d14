//! The rows each screen shows: the period's data narrowed by the filter and the drill-down, the
//! selection on each screen, and moving between periods, groupings and drill-downs.

use std::borrow::Cow;
use std::fmt::Write;
use std::ops::{Index, IndexMut};

use super::App;
use crate::domain::intake::shown_number;
use crate::domain::{GroupBy, Period, Tally};
use crate::tui::action::Screen;
use crate::tui::data::{ItemRow, LogRow, PeriodData, TeamRow};

/// The selected row on each screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SelectedRows {
    pub log: usize,
    pub items: usize,
    pub tallies: usize,
    pub team: usize,
    /// The Report has no rows: this stays 0.
    pub report: usize,
}

impl Index<Screen> for SelectedRows {
    type Output = usize;

    fn index(&self, screen: Screen) -> &usize {
        match screen {
            Screen::Log => &self.log,
            Screen::Items => &self.items,
            Screen::Tallies => &self.tallies,
            Screen::Team => &self.team,
            Screen::Report => &self.report,
        }
    }
}

impl IndexMut<Screen> for SelectedRows {
    fn index_mut(&mut self, screen: Screen) -> &mut usize {
        match screen {
            Screen::Log => &mut self.log,
            Screen::Items => &mut self.items,
            Screen::Tallies => &mut self.tallies,
            Screen::Team => &mut self.team,
            Screen::Report => &mut self.report,
        }
    }
}

/// How the Team screen ranks the advisors (`r` switches).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TeamOrder {
    /// Most items first, then most hours: how the reports count work.
    #[default]
    Items,
    /// Most hours first, then most items.
    Hours,
}

/// A tally row the Log is narrowed to (Enter on Tallies or Items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drill {
    pub by: GroupBy,
    pub key: String,
    pub label: String,
    /// The screen the drill-down came from, where Esc returns.
    pub from: Screen,
}

impl App<'_> {
    /// The positions of the Log rows shown: the period's entries narrowed by the drill-down and
    /// the filter, looking only `among` these positions when given. Worked out when either or
    /// the period's rows change (see `shown.rs`).
    pub(super) fn narrow_log(&self, among: Option<&[usize]>) -> Vec<usize> {
        let filter = self.filter.to_lowercase();
        let lang = self.settings.lang;
        // One buffer for every row's words: a filter typed over a year of entries allocates
        // little.
        let mut hay = String::new();
        let keep = |r: &LogRow| {
            self.drill
                .as_ref()
                .is_none_or(|d| drill_matches(d, r, &self.data))
                && (filter.is_empty() || {
                    hay.clear();
                    let _ = write!(hay, "{} {} ", r.entry.advisor, r.advisor_name);
                    self.item_words(&mut hay, &r.item);
                    let category = self
                        .data
                        .advisors
                        .get(&r.entry.advisor)
                        .map_or("", |a| a.category.short(lang));
                    let _ = write!(hay, " {} {category} {}", r.entry.note, r.entry.date);
                    hay.to_lowercase().contains(&filter)
                })
        };
        positions(&self.data.log, among, keep)
    }

    /// What a filter can find an item by, written to `out`: number, key, title, department,
    /// and its topic and service by code and by their Chinese and English names.
    fn item_words(&self, out: &mut String, item: &crate::domain::Item) {
        let _ = write!(
            out,
            "{} {} {} {} ",
            shown_number(&item.number),
            item.key.as_deref().unwrap_or_default(),
            item.title,
            item.department,
        );
        let names = |out: &mut String, catalog: &crate::domain::Catalog, code: &str| {
            let _ = match catalog.get(code) {
                Some(e) => write!(out, "{} {} {}", e.code, e.zh, e.en),
                None => write!(out, "{code}"),
            };
        };
        names(out, &self.data.topics, &item.topic);
        out.push(' ');
        names(out, &self.data.services, &item.service);
    }

    /// The positions of the Items rows shown, narrowed by the filter, looking only `among`
    /// these positions when given.
    pub(super) fn narrow_items(&self, among: Option<&[usize]>) -> Vec<usize> {
        let filter = self.filter.to_lowercase();
        let mut hay = String::new();
        let keep = |r: &ItemRow| {
            filter.is_empty() || {
                hay.clear();
                self.item_words(&mut hay, &r.item);
                for advisor in &r.advisors {
                    hay.push(' ');
                    hay.push_str(advisor);
                }
                if r.advisors.is_empty() {
                    hay.push(' ');
                }
                hay.to_lowercase().contains(&filter)
            }
        };
        positions(&self.data.items, among, keep)
    }

    /// The Team rows shown, narrowed by the filter (name, id, category or unit).
    pub fn team_rows(&self) -> Vec<&TeamRow> {
        let filter = self.filter.to_lowercase();
        let lang = self.settings.lang;
        let mut rows: Vec<&TeamRow> = self
            .data
            .team
            .iter()
            .filter(|r| {
                filter.is_empty() || {
                    let a = &r.advisor;
                    let inactive = if a.active {
                        ""
                    } else {
                        self.strings.advisors.inactive_mark
                    };
                    format!(
                        "{} {} {} {} {} {inactive}",
                        a.id,
                        a.name,
                        a.category.short(lang),
                        a.category.code(),
                        a.unit
                    )
                    .to_lowercase()
                    .contains(&filter)
                }
            })
            .collect();
        if self.team_order == TeamOrder::Hours {
            // Stable: advisors with the same hours keep their order by items, then id.
            rows.sort_by_key(|r| std::cmp::Reverse(r.minutes));
        }
        rows
    }

    /// The tally Tallies shows: its rows narrowed by the filter (the row's name or code); its
    /// total stays the period's, which no filter changes.
    pub fn tally_shown(&self) -> Cow<'_, Tally> {
        if self.filter.is_empty() {
            return Cow::Borrowed(&self.data.tally);
        }
        let filter = self.filter.to_lowercase();
        let mut tally = self.data.tally.clone();
        tally.rows.retain(|r| {
            format!("{} {}", r.key, r.label)
                .to_lowercase()
                .contains(&filter)
        });
        Cow::Owned(tally)
    }

    pub(super) fn rows_on(&self, screen: Screen) -> usize {
        match screen {
            Screen::Log => self.log_shown().rows.len(),
            Screen::Items => self.items_shown().rows.len(),
            Screen::Tallies => self.tally_shown().rows.len(),
            Screen::Team => self.team_rows().len(),
            Screen::Report => 0,
        }
    }

    /// Moves the selection by `by` rows, stopping at the first and the last.
    pub(super) fn move_selection(&mut self, by: isize) {
        let last = self.rows_on(self.screen).saturating_sub(1);
        let selected = &mut self.selected[self.screen];
        *selected = selected.saturating_add_signed(by).min(last);
    }

    /// Narrows the rows to those that contain `filter`; a new filter starts at the first row.
    pub(super) fn set_filter(&mut self, filter: &str) {
        let filter = filter.trim();
        if filter != self.filter {
            self.filter = filter.to_string();
            for screen in [Screen::Log, Screen::Items, Screen::Tallies, Screen::Team] {
                self.selected[screen] = 0;
            }
        }
    }

    pub(super) fn set_period(&mut self, period: Period) {
        self.period = period;
        self.selected = SelectedRows::default();
        self.reload();
    }

    /// The next grouping of the tallies (Tallies screen).
    pub(super) fn cycle_group(&mut self) {
        if self.screen != Screen::Tallies {
            return self.warn(self.strings.group_where);
        }
        self.group = self.group.next();
        self.selected.tallies = 0;
        self.reload();
    }

    /// The Team ranking by hours instead of items, or back (Team screen).
    pub(super) fn rank_by(&mut self) {
        if self.screen != Screen::Team {
            return self.warn(self.strings.rank_where);
        }
        self.team_order = match self.team_order {
            TeamOrder::Items => TeamOrder::Hours,
            TeamOrder::Hours => TeamOrder::Items,
        };
        self.selected.team = 0;
    }

    /// The Log narrowed to the entries behind the selected row.
    pub(super) fn drill_down(&mut self) {
        let selected = self.selected[self.screen];
        let drill = match self.screen {
            Screen::Tallies => self.tally_shown().rows.get(selected).map(|r| Drill {
                by: self.group,
                key: r.key.clone(),
                label: r.label.clone(),
                from: Screen::Tallies,
            }),
            Screen::Team => self.team_rows().get(selected).map(|r| Drill {
                by: GroupBy::Advisor,
                key: r.advisor.id.clone(),
                label: r.advisor.name.clone(),
                from: Screen::Team,
            }),
            Screen::Items => self.selected_item().map(|r| Drill {
                by: GroupBy::Department,
                key: format!("#item:{}", r.item.number),
                label: shown_number(&r.item.number),
                from: Screen::Items,
            }),
            _ => None,
        };
        if let Some(d) = drill {
            self.drill = Some(d);
            self.filter.clear();
            self.screen = Screen::Log;
            self.selected.log = 0;
        }
    }

    /// Esc on the screens: out of the drill-down, else the filter cleared.
    pub(super) fn back(&mut self) {
        if let Some(d) = self.drill.take() {
            // Back where the drill-down started, on the same row.
            self.screen = d.from;
            self.selected.log = 0;
        } else if !self.filter.is_empty() {
            self.filter.clear();
            self.selected.log = 0;
            self.selected.items = 0;
            self.selected.tallies = 0;
            self.selected.team = 0;
        }
    }
}

/// The positions of the rows `keep` keeps, in order, of all of them or of those `among`.
fn positions<T>(
    rows: &[T],
    among: Option<&[usize]>,
    mut keep: impl FnMut(&T) -> bool,
) -> Vec<usize> {
    match among {
        Some(among) => among
            .iter()
            .copied()
            .filter(|&at| rows.get(at).is_some_and(&mut keep))
            .collect(),
        None => rows
            .iter()
            .enumerate()
            .filter(|(_, r)| keep(r))
            .map(|(at, _)| at)
            .collect(),
    }
}

fn drill_matches(d: &Drill, r: &LogRow, data: &PeriodData) -> bool {
    if let Some(number) = d.key.strip_prefix("#item:") {
        return r.item.number == number;
    }
    match d.by {
        GroupBy::Advisor => r.entry.advisor == d.key,
        GroupBy::Category => data
            .advisors
            .get(&r.entry.advisor)
            .is_some_and(|a| a.category.code() == d.key),
        GroupBy::Topic => r.item.topic == d.key,
        GroupBy::Service => r.item.service == d.key,
        GroupBy::Department => r.item.department == d.key,
        GroupBy::Month => r.entry.date.format("%Y-%m").to_string() == d.key,
    }
}
