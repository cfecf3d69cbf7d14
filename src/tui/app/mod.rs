//! The interface's state, and the dispatch of each action to the part of the app that applies
//! it. Drawing lives in `view/`; the store is reached only through its API.

mod advisors;
mod clock;
mod exports;
mod history;
mod items;
mod overlays;
mod rows;
mod save;
mod shown;
mod timer;
mod undo;

pub use overlays::{EntryTrail, Overlay, Prompt, PromptKind};
pub use rows::{Drill, SelectedRows, TeamOrder};
pub use shown::Shown;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::action::{Action, Screen};
use super::data::PeriodData;
// `x` writes the files this module gives (see `exports`).
use super::export;
use super::keymap::Focus;
use super::strings::{Strings, strings};
use crate::domain::period::PeriodKind;
use crate::domain::{GroupBy, Lang, Period};
use crate::store::{Stamp, Store};
use items::ItemChange;
use overlays::{OverlayNext, scroll_help};

/// Settings the interface starts with.
pub struct Settings {
    pub lang: Lang,
    pub today: NaiveDate,
    /// The advisor new entries default to.
    pub me: Option<String>,
    /// The name the audit trail records.
    pub who: String,
    /// The timer's billing increment, in minutes.
    pub increment: u64,
    /// Monthly target hours, for the Team screen.
    pub targets: crate::domain::Targets,
    /// A store enrolled here is late when its last bundle arrived more than this many days ago.
    pub bundle_late_days: u32,
    /// How tables round their rows' hours: each alone (with the note when they do not add up)
    /// or apportioned so that they add up.
    pub rounding: crate::domain::Rounding,
}

/// The message on the line above the keys: what the last action did, or why it did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub text: String,
    /// Something was refused or failed: shown as a warning.
    pub error: bool,
}

/// The interface's whole state: the period and screen shown, what they show, the selection,
/// the overlay open over them and the status line. Changed only by [`App::update`].
pub struct App<'store> {
    store: &'store Store,
    pub settings: Settings,
    /// The interface's words, in the language of the settings.
    pub strings: &'static Strings,
    pub screen: Screen,
    pub period: Period,
    pub group: GroupBy,
    /// The selected row on each screen, kept while another is shown.
    pub selected: SelectedRows,
    pub filter: String,
    pub drill: Option<Drill>,
    /// How the Team screen ranks its advisors.
    pub team_order: TeamOrder,
    /// What is drawn over the screens and has the keyboard, if anything.
    pub overlay: Option<Overlay>,
    pub status_line: Option<StatusLine>,
    pub data: PeriodData,
    /// Damage was found: the interface shows only this notice, and takes only `q`.
    pub stopped: Option<String>,
    /// The store shown is a copy of one held elsewhere: nothing is changed here, for this
    /// reason.
    pub read_only: Option<String>,
    pub quit: bool,
    /// Where `x` writes its files: the directory counsel-log was started in.
    pub export_dir: std::path::PathBuf,
    /// The rows the Log and Items show, kept from one frame to the next.
    shown: shown::ShownRows,
}

impl<'store> App<'store> {
    pub fn new(
        store: &'store Store,
        settings: Settings,
        period: Period,
    ) -> crate::store::Result<App<'store>> {
        let group = GroupBy::Topic;
        let mut data = PeriodData::load(store, period, group, settings.lang)?;
        data.tally.rounding = settings.rounding;
        Ok(App {
            store,
            strings: strings(settings.lang),
            settings,
            screen: Screen::Log,
            period,
            group,
            selected: SelectedRows::default(),
            filter: String::new(),
            drill: None,
            team_order: TeamOrder::Items,
            overlay: None,
            status_line: None,
            data,
            stopped: None,
            read_only: None,
            quit: false,
            export_dir: std::env::current_dir().unwrap_or_default(),
            shown: shown::ShownRows::default(),
        })
    }

    /// True while a timer runs (the header shows it ticking).
    pub fn has_timer(&self) -> bool {
        self.data.timer.is_some()
    }

    pub fn focus(&self) -> Focus {
        match self.overlay {
            None => Focus::Screens,
            Some(_) => Focus::Overlay,
        }
    }

    /// Applies one action. `now` is the wall-clock time, passed in so that logic never reads it.
    pub fn update(&mut self, action: Action, now: DateTime<FixedOffset>) {
        if let Action::Quit = action {
            self.quit = true;
            return;
        }
        if self.stopped.is_some() {
            return;
        }
        // A key pressed after midnight acts on the new day, even before the loop has seen it.
        if now.date_naive() > self.settings.today {
            self.new_day(now, None);
        }
        self.act(action, now);
        self.stop_if_damaged();
    }

    /// Shows only the full-screen notice once damage was found in the store, by whatever
    /// found it (a read of the app's, the daily backup, a command served beside it).
    pub fn stop_if_damaged(&mut self) {
        if let Some(damage) = self.store.damage() {
            self.overlay = None;
            self.stopped = Some(damage.message(self.settings.lang));
        }
    }

    fn act(&mut self, action: Action, now: DateTime<FixedOffset>) {
        // The overlay is lent out of the app while it handles the action, since handling it may
        // change the rest of the app; it comes back unless it closed.
        let Some(mut overlay) = self.overlay.take() else {
            return self.on_screens(&action, now);
        };
        let next = match &mut overlay {
            Overlay::Help(first) => scroll_help(first, &action),
            Overlay::Form(form) => self.on_form(form, action, now),
            Overlay::Prompt(prompt) => self.on_prompt(prompt, action, now),
            Overlay::ConfirmDelete(row) => self.on_confirm_delete(row, &action, now),
            Overlay::History(trail) => trail.on_key(&action),
            Overlay::Advisor(form) => self.on_advisor_form(form, action, now),
        };
        if next == OverlayNext::Keep {
            self.overlay = Some(overlay);
        }
    }

    /// An action with nothing drawn over the screens.
    fn on_screens(&mut self, action: &Action, now: DateTime<FixedOffset>) {
        let writes = matches!(
            action,
            Action::Add
                | Action::Edit
                | Action::NewAdvisor
                | Action::Delete
                | Action::Undo
                | Action::Timer
                | Action::Rate
                | Action::Close
                | Action::Adoption
                // A report from the copy would name the copy's audit head, not the store's.
                | Action::Export
        );
        // What the last action said is read by the time of the next: it goes, unless this one
        // says something of its own. Keys a screen ignores, a paste and a resize leave it.
        if !matches!(
            action,
            Action::Key(_) | Action::Paste(_) | Action::Resize | Action::Quit
        ) {
            self.status_line = None;
        }
        if writes && let Some(why) = self.read_only.clone() {
            return self.warn(why);
        }
        match action {
            Action::Show(screen) => self.screen = *screen,
            Action::NextScreen => self.screen = self.screen.next(),
            Action::PrevScreen => self.screen = self.screen.previous(),
            Action::Move(by) => self.move_selection(*by),
            Action::Top => self.selected[self.screen] = 0,
            Action::Bottom => {
                self.selected[self.screen] = self.rows_on(self.screen).saturating_sub(1);
            }
            Action::Add => self.open_new_form(),
            Action::Edit if self.screen == Screen::Team => self.open_advisor_form(false),
            Action::Edit => self.open_edit_form(),
            Action::NewAdvisor => self.open_advisor_form(true),
            Action::Delete => self.ask_delete(),
            Action::Undo => self.undo(now),
            Action::Timer => self.toggle_timer(now),
            Action::Filter => self.open_prompt(PromptKind::Filter),
            Action::Period => self.open_prompt(PromptKind::Period),
            Action::StepPeriod(_) if self.period.kind == PeriodKind::All => {
                self.warn(self.strings.all_time);
            }
            Action::StepPeriod(forward) => {
                let next = self.period.step(*forward);
                // A period still to come holds nothing and takes nothing: `]` stops at today's.
                if *forward && next.from > self.settings.today {
                    self.warn(self.strings.no_later);
                } else {
                    self.set_period(next);
                }
            }
            Action::Rate => self.change_item(ItemChange::Rate, now),
            Action::Close => self.change_item(ItemChange::Close, now),
            Action::Adoption => self.change_item(ItemChange::Adoption, now),
            Action::CycleGroup => self.cycle_group(),
            Action::RankBy => self.rank_by(),
            Action::Drill => self.drill_down(),
            Action::Back => self.back(),
            Action::Export => self.export(),
            Action::Help => self.overlay = Some(Overlay::Help(0)),
            Action::History => self.open_history(),
            Action::Key(_) | Action::Paste(_) | Action::Resize | Action::Quit => {}
        }
    }

    fn stamp(&self, now: DateTime<FixedOffset>) -> Stamp {
        Stamp::new(now, self.settings.who.clone())
    }

    /// Reads the period again after a change; the selection stays on a row that still exists.
    fn reload(&mut self) {
        match PeriodData::load(self.store, self.period, self.group, self.settings.lang) {
            Ok(data) => {
                self.data = data;
                self.data.tally.rounding = self.settings.rounding;
            }
            Err(e) => self.warn(e.message(self.settings.lang)),
        }
        let rows = self.rows_on(self.screen);
        let selected = &mut self.selected[self.screen];
        *selected = (*selected).min(rows.saturating_sub(1));
    }

    /// Says on the status line what an action did.
    fn inform(&mut self, text: impl Into<String>) {
        self.status_line = Some(StatusLine {
            text: text.into(),
            error: false,
        });
    }

    /// Says on the status line what was refused or failed, and why.
    fn warn(&mut self, text: impl Into<String>) {
        self.status_line = Some(StatusLine {
            text: text.into(),
            error: true,
        });
    }
}
