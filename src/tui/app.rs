//! The interface's state and how each action changes it. Drawing lives in `view/`; the
//! store is reached only through its API.

use chrono::{DateTime, FixedOffset, NaiveDate};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::action::{Action, Screen};
use super::data::{Data, LogRow};
use super::form::{Form, Outcome};
use super::keymap::Focus;
use super::strings::{Strings, strings};
use crate::domain::import::plan_entries;
use crate::domain::model::Adoption;
use crate::domain::{GroupBy, Lang, Minutes, Period};
use crate::store::{EntryChange, ItemState, Stamp, Store, StoreError, Timer, Undo, UndoScope};

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
}

/// What `s`, `c` and `o` change on the selected item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ItemChange {
    Rate,
    Close,
    Outcome,
}

/// A one-line text prompt (filter, period, or the reason advice was not adopted).
pub struct Prompt {
    pub kind: PromptKind,
    pub input: Input,
    pub error: Option<String>,
    /// The filter before the prompt opened: the filter applies as it is typed, and Esc puts
    /// this one back.
    pub before: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Filter,
    Period,
    /// Why this item's advice was not adopted.
    Reason(crate::domain::ItemId),
}

/// What, if anything, is drawn over the screens and has the keyboard.
pub enum Overlay {
    None,
    Form(Box<Form>),
    Prompt(Prompt),
    ConfirmDelete(Box<LogRow>),
    Help,
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

/// A message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct App<'s> {
    store: &'s Store,
    pub settings: Settings,
    pub s: &'static Strings,
    pub screen: Screen,
    pub period: Period,
    pub group: GroupBy,
    /// Selected row on each screen.
    pub selected: [usize; 5],
    pub filter: String,
    pub drill: Option<Drill>,
    pub overlay: Overlay,
    pub status: Option<Status>,
    pub data: Data,
    pub quit: bool,
    /// Where `x` writes its files: the directory counsel-log was started in.
    pub export_dir: std::path::PathBuf,
}

impl<'s> App<'s> {
    pub fn new(
        store: &'s Store,
        settings: Settings,
        period: Period,
    ) -> crate::store::Result<App<'s>> {
        let group = GroupBy::Topic;
        let data = Data::load(store, period, group, settings.lang)?;
        Ok(App {
            store,
            s: strings(settings.lang),
            settings,
            screen: Screen::Log,
            period,
            group,
            selected: [0; 5],
            filter: String::new(),
            drill: None,
            overlay: Overlay::None,
            status: None,
            data,
            quit: false,
            export_dir: std::env::current_dir().unwrap_or_default(),
        })
    }

    /// True while a timer runs (the header shows it ticking).
    pub fn data_has_timer(&self) -> bool {
        self.data.timer.is_some()
    }

    pub fn focus(&self) -> Focus {
        match self.overlay {
            Overlay::None => Focus::Screens,
            _ => Focus::Overlay,
        }
    }

    fn stamp(&self, now: DateTime<FixedOffset>) -> Stamp {
        Stamp::new(now, self.settings.who.clone())
    }

    fn reload(&mut self) {
        match Data::load(self.store, self.period, self.group, self.settings.lang) {
            Ok(data) => self.data = data,
            Err(e) => self.fail(e.message(self.settings.lang)),
        }
        let n = self.rows_on(self.screen);
        let sel = &mut self.selected[self.screen.index()];
        *sel = (*sel).min(n.saturating_sub(1));
    }

    fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    fn fail(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// The Log rows shown: the period's entries narrowed by the drill-down and the filter.
    pub fn log_rows(&self) -> Vec<&LogRow> {
        let filter = self.filter.to_lowercase();
        let lang = self.settings.lang;
        self.data
            .log
            .iter()
            .filter(|r| match &self.drill {
                None => true,
                Some(d) => drill_matches(d, r, &self.data),
            })
            .filter(|r| {
                filter.is_empty() || {
                    let hay = format!(
                        "{} {} {} {} {} {}",
                        r.entry.advisor,
                        r.advisor_name,
                        self.item_words(&r.item),
                        r.entry.note,
                        self.data
                            .advisors
                            .get(&r.entry.advisor)
                            .map_or("", |a| a.category.short(lang)),
                        r.entry.date,
                    );
                    hay.to_lowercase().contains(&filter)
                }
            })
            .collect()
    }

    /// What a filter can find an item by: number, key, title, department, and its topic and
    /// service by code and by their Chinese and English names.
    fn item_words(&self, item: &crate::domain::Item) -> String {
        let names = |catalog: &crate::domain::Catalog, code: &str| {
            catalog.get(code).map_or_else(
                || code.to_string(),
                |e| format!("{} {} {}", e.code, e.zh, e.en),
            )
        };
        format!(
            "{} {} {} {} {} {}",
            item.number,
            item.key.as_deref().unwrap_or_default(),
            item.title,
            item.department,
            names(&self.data.topics, &item.topic),
            names(&self.data.services, &item.service),
        )
    }

    fn set_filter(&mut self, filter: String) {
        let filter = filter.trim().to_string();
        if filter != self.filter {
            self.filter = filter;
            for screen in [Screen::Log, Screen::Items, Screen::Team] {
                self.selected[screen.index()] = 0;
            }
        }
    }

    /// The Items rows shown, narrowed by the filter.
    pub fn item_rows(&self) -> Vec<&super::data::ItemRow> {
        let filter = self.filter.to_lowercase();
        self.data
            .items
            .iter()
            .filter(|r| {
                filter.is_empty()
                    || format!("{} {}", self.item_words(&r.item), r.advisors.join(" "))
                        .to_lowercase()
                        .contains(&filter)
            })
            .collect()
    }

    /// The Team rows shown, narrowed by the filter (name, id, category or unit).
    pub fn team_rows(&self) -> Vec<&super::data::TeamRow> {
        let filter = self.filter.to_lowercase();
        let lang = self.settings.lang;
        self.data
            .team
            .iter()
            .filter(|r| {
                filter.is_empty() || {
                    let a = &r.advisor;
                    format!(
                        "{} {} {} {} {}",
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
            .collect()
    }

    fn rows_on(&self, screen: Screen) -> usize {
        match screen {
            Screen::Log => self.log_rows().len(),
            Screen::Items => self.item_rows().len(),
            Screen::Tallies => self.data.tally.rows.len(),
            Screen::Team => self.team_rows().len(),
            Screen::Report => 0,
        }
    }

    pub fn selected_log(&self) -> Option<&LogRow> {
        self.log_rows()
            .get(self.selected[Screen::Log.index()])
            .copied()
    }

    /// Applies one action. `now` is the wall-clock time, passed in so that logic never reads it.
    pub fn update(&mut self, action: Action, now: DateTime<FixedOffset>) {
        if let Action::Quit = action {
            self.quit = true;
            return;
        }
        match std::mem::replace(&mut self.overlay, Overlay::None) {
            Overlay::None => self.on_screens(action, now),
            Overlay::Help => {}
            Overlay::Form(form) => self.on_form(*form, action, now),
            Overlay::Prompt(prompt) => self.on_prompt(prompt, action, now),
            Overlay::ConfirmDelete(row) => self.on_confirm(*row, action, now),
        }
    }

    fn on_screens(&mut self, action: Action, now: DateTime<FixedOffset>) {
        let sel = self.screen.index();
        match action {
            Action::Show(s) => self.screen = s,
            Action::NextScreen => self.screen = Screen::ALL[(sel + 1) % 5],
            Action::PrevScreen => self.screen = Screen::ALL[(sel + 4) % 5],
            Action::Move(by) => {
                let n = self.rows_on(self.screen);
                let cur = self.selected[sel] as isize;
                self.selected[sel] = (cur + by).clamp(0, n.saturating_sub(1) as isize) as usize;
            }
            Action::Top => self.selected[sel] = 0,
            Action::Bottom => self.selected[sel] = self.rows_on(self.screen).saturating_sub(1),
            Action::Add => {
                self.overlay = Overlay::Form(Box::new(Form::new(
                    self.settings.today,
                    self.settings.me.as_deref(),
                    self.settings.lang,
                )));
            }
            Action::Edit => match self.selected_log_on_screen() {
                Some(row) => {
                    let form = Form::edit(&row.entry, &row.item, self.settings.lang, &self.data);
                    self.overlay = Overlay::Form(Box::new(form));
                }
                None => self.fail(self.not_an_entry()),
            },
            Action::Delete => match self.selected_log_on_screen() {
                Some(row) => self.overlay = Overlay::ConfirmDelete(Box::new(row.clone())),
                None => self.fail(self.not_an_entry()),
            },
            Action::Undo => {
                // Entry and item changes, by whoever made them, but never an import: one key
                // must not be able to take back a whole file.
                let scope = UndoScope {
                    after: 0,
                    actions: UndoScope::ENTRIES,
                };
                match self.store.undo_last(&self.stamp(now), &scope) {
                    Ok(Undo::Done(what)) => {
                        self.reload();
                        let what = super::strings::action_label(self.settings.lang, what.as_str());
                        self.say(self.s.labelled(self.s.undone, what));
                    }
                    Ok(Undo::Nothing) => self.fail(self.s.nothing_to_undo),
                    Ok(Undo::Refused { action, at }) => {
                        let what =
                            super::strings::action_label(self.settings.lang, action.as_str());
                        // `2026-11-27T12:49:57+00:00` → `2026-11-27 12:49`.
                        let when = at.format("%Y-%m-%d %H:%M");
                        self.fail(self.s.aside(self.s.cannot_undo, format!("{what}, {when}")));
                    }
                    Err(e) => self.fail(e.message(self.settings.lang)),
                }
            }
            Action::Timer => self.toggle_timer(now),
            Action::Filter => {
                self.overlay = Overlay::Prompt(Prompt {
                    kind: PromptKind::Filter,
                    input: Input::new(self.filter.clone()),
                    error: None,
                    before: self.filter.clone(),
                })
            }
            Action::Period => {
                self.overlay = Overlay::Prompt(Prompt {
                    kind: PromptKind::Period,
                    input: Input::default(),
                    error: None,
                    before: String::new(),
                })
            }
            Action::StepPeriod(forward) => self.set_period(self.period.step(forward)),
            Action::Rate => self.change_item(ItemChange::Rate, now),
            Action::Close => self.change_item(ItemChange::Close, now),
            Action::Outcome => self.change_item(ItemChange::Outcome, now),
            Action::CycleGroup if self.screen != Screen::Tallies => self.fail(self.s.group_where),
            Action::CycleGroup => {
                self.group = self.group.next();
                self.selected[Screen::Tallies.index()] = 0;
                self.reload();
            }
            Action::Drill => self.drill_down(),
            Action::Back => {
                if let Some(d) = self.drill.take() {
                    // Back where the drill-down started, on the same row.
                    self.screen = d.from;
                    self.selected[Screen::Log.index()] = 0;
                } else if !self.filter.is_empty() {
                    self.filter.clear();
                    self.selected[Screen::Log.index()] = 0;
                    self.selected[Screen::Items.index()] = 0;
                    self.selected[Screen::Team.index()] = 0;
                }
                self.status = None;
            }
            Action::Export => self.export(),
            Action::Help => self.overlay = Overlay::Help,
            Action::Key(_) | Action::Paste(_) | Action::Resize | Action::Quit => {}
        }
    }

    /// Why `e` or `d` did nothing: no row, or not on the Log where entries are.
    fn not_an_entry(&self) -> &'static str {
        if self.screen == Screen::Log {
            self.s.no_selection
        } else {
            self.s.entries_on_log
        }
    }

    /// The entry the edit / delete keys act on: the selected Log row.
    fn selected_log_on_screen(&self) -> Option<LogRow> {
        if self.screen == Screen::Log {
            self.selected_log().cloned()
        } else {
            None
        }
    }

    /// On the Items screen: the next rating (`s`), the other status (`c`) or the next outcome
    /// (`o`: adopted, not adopted with a reason, none) for the selected item.
    fn change_item(&mut self, change: ItemChange, now: DateTime<FixedOffset>) {
        use crate::domain::Satisfaction as S;
        use crate::domain::model::ItemStatus;
        if self.screen != Screen::Items {
            self.fail(self.s.on_items_screen);
            return;
        }
        let Some(item) = self
            .item_rows()
            .get(self.selected[Screen::Items.index()])
            .map(|r| r.item.clone())
        else {
            self.fail(self.s.no_selection);
            return;
        };
        let mut state = ItemState::of(&item);
        match change {
            ItemChange::Rate => {
                state.satisfaction = match state.satisfaction {
                    None => Some(S::Satisfied),
                    Some(S::Satisfied) => Some(S::Basic),
                    Some(S::Basic) => Some(S::Unsatisfied),
                    Some(S::Unsatisfied) => None,
                }
            }
            ItemChange::Close => {
                state.status = match state.status {
                    ItemStatus::Open => ItemStatus::Closed,
                    ItemStatus::Closed => ItemStatus::Open,
                }
            }
            ItemChange::Outcome => match &state.outcome {
                None => {
                    state.outcome = Some(Adoption {
                        adopted: true,
                        reason: String::new(),
                    })
                }
                // Not adopted: the reason is asked for before anything is saved.
                Some(o) if o.adopted => {
                    self.overlay = Overlay::Prompt(Prompt {
                        kind: PromptKind::Reason(item.id),
                        input: Input::default(),
                        error: None,
                        before: String::new(),
                    });
                    return;
                }
                Some(_) => state.outcome = None,
            },
        }
        if let Err(message) = self.save_item(&item, &state, now) {
            self.fail(message);
        }
    }

    /// What an item change set, in words: `已办结 · 满意 · 已采纳`.
    fn item_state_words(&self, state: &ItemState) -> String {
        let s = self.s;
        let rating = state
            .satisfaction
            .map_or(s.unrated, |r| r.label(self.settings.lang));
        [s.status(state.status).to_string(), rating.to_string()]
            .into_iter()
            .chain(s.outcome(state.outcome.as_ref(), true))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// Saves what the Items screen changed on `item`; the problem in words if it was refused.
    fn save_item(
        &mut self,
        item: &crate::domain::Item,
        state: &ItemState,
        now: DateTime<FixedOffset>,
    ) -> Result<(), String> {
        match self.store.update_item(item.id, state, &self.stamp(now)) {
            Ok(_) => {
                self.reload();
                let words = self.item_state_words(state);
                self.say(
                    self.s
                        .labelled(&format!("{} {}", self.s.saved, item.number), words),
                );
                Ok(())
            }
            Err(e) => Err(e.message(self.settings.lang)),
        }
    }

    fn set_period(&mut self, period: Period) {
        self.period = period;
        self.selected = [0; 5];
        self.reload();
    }

    fn drill_down(&mut self) {
        let sel = self.selected[self.screen.index()];
        let drill = match self.screen {
            Screen::Tallies => self.data.tally.rows.get(sel).map(|r| Drill {
                by: self.group,
                key: r.key.clone(),
                label: r.label.clone(),
                from: Screen::Tallies,
            }),
            Screen::Team => self.team_rows().get(sel).map(|r| Drill {
                by: GroupBy::Advisor,
                key: r.advisor.id.clone(),
                label: r.advisor.name.clone(),
                from: Screen::Team,
            }),
            Screen::Items => self.item_rows().get(sel).map(|r| Drill {
                by: GroupBy::Department,
                key: format!("#item:{}", r.item.number),
                label: r.item.number.clone(),
                from: Screen::Items,
            }),
            _ => None,
        };
        if let Some(d) = drill {
            self.drill = Some(d);
            self.filter.clear();
            self.screen = Screen::Log;
            self.selected[Screen::Log.index()] = 0;
        }
    }

    /// Writes the Tallies table (CSV) or the Report (Markdown) into [`App::export_dir`].
    fn export(&mut self) {
        let lang = self.settings.lang;
        let files = match self.screen {
            Screen::Tallies => vec![super::export::tally_csv(&self.data.tally, lang)],
            Screen::Report => {
                // One pass over the period gives the tallies both files show.
                let summary = &self.data.summary;
                let workbook = crate::cli::xlsx::every_grouping(self.store, self.period, lang)
                    .and_then(|tallies| {
                        let bytes =
                            crate::cli::xlsx::workbook(self.store, summary, &tallies, lang)?;
                        Ok((tallies, bytes))
                    });
                let (tallies, bytes) = match workbook {
                    Ok(done) => done,
                    Err(e) => return self.fail(e.message(lang)),
                };
                vec![
                    super::export::report_md(summary, &tallies, lang),
                    super::export::Export {
                        name: super::export::workbook_name(&self.period),
                        bytes,
                    },
                ]
            }
            _ => return self.fail(self.s.export_where),
        };
        let mut written = Vec::new();
        for file in files {
            let path = self.export_dir.join(&file.name);
            if let Err(e) = std::fs::write(&path, &file.bytes) {
                return self.fail(
                    self.s
                        .labelled(&format!("{} {}", self.s.export_failed, path.display()), e),
                );
            }
            written.push(file.name);
        }
        let names = written.join(self.s.list_sep);
        let to = format!("{} {}", self.s.exported, self.export_dir.display());
        self.say(self.s.labelled(&to, names));
    }

    fn toggle_timer(&mut self, now: DateTime<FixedOffset>) {
        let stamp = self.stamp(now);
        if let Some((timer, item)) = &self.data.timer {
            let what = item
                .as_ref()
                .map_or_else(String::new, |i| format!("{} {}", i.number, i.title));
            let started = timer.started;
            // A timer stopped within the minute it started was started by mistake: it is
            // cancelled, not billed as a whole increment.
            if now - started < chrono::TimeDelta::minutes(1) {
                match self.store.cancel_timer(&stamp) {
                    Ok(()) => {
                        self.reload();
                        self.say(format!("{}{what}", self.s.timer_cancelled));
                    }
                    Err(e) => self.fail(e.message(self.settings.lang)),
                }
                return;
            }
            match self
                .store
                .stop_timer(now, self.settings.today, self.settings.increment, &stamp)
            {
                Ok((_, minutes)) => {
                    self.reload();
                    self.say(format!(
                        "{}{what}{}{} {}",
                        self.s.timer_stopped,
                        self.s.timer_logged,
                        minutes.hours(),
                        self.s.h
                    ));
                }
                Err(e) => self.fail(e.message(self.settings.lang)),
            }
            return;
        }
        let target = match self.screen {
            Screen::Log => self
                .selected_log()
                .map(|r| (r.item.id, r.entry.advisor.clone())),
            Screen::Items => self
                .item_rows()
                .get(self.selected[Screen::Items.index()])
                .map(|r| {
                    let advisor = self
                        .settings
                        .me
                        .clone()
                        .unwrap_or_else(|| r.advisors.first().cloned().unwrap_or_default());
                    (r.item.id, advisor)
                }),
            _ => return self.fail(self.s.timer_where),
        };
        let Some((item, log_advisor)) = target else {
            self.fail(self.s.no_selection);
            return;
        };
        let advisor = self.settings.me.clone().unwrap_or(log_advisor);
        let timer = Timer {
            item,
            advisor,
            started: stamp.at,
        };
        match self.store.start_timer(&timer, &stamp) {
            Ok(()) => {
                self.reload();
                self.say(self.s.timer_started);
            }
            Err(e) => self.fail(e.message(self.settings.lang)),
        }
    }

    fn on_prompt(&mut self, mut prompt: Prompt, action: Action, now: DateTime<FixedOffset>) {
        let key = match action {
            Action::Key(k) => k,
            Action::Paste(text) => {
                let mut v = prompt.input.value().to_string();
                v.push_str(&text.replace(['\r', '\n'], " "));
                prompt.input = Input::new(v);
                if prompt.kind == PromptKind::Filter {
                    self.set_filter(prompt.input.value().to_string());
                }
                self.overlay = Overlay::Prompt(prompt);
                return;
            }
            _ => {
                self.overlay = Overlay::Prompt(prompt);
                return;
            }
        };
        use ratatui::crossterm::event::{Event, KeyCode};
        match key.code {
            KeyCode::Esc => {
                if prompt.kind == PromptKind::Filter {
                    self.set_filter(prompt.before);
                }
            }
            KeyCode::Enter => match prompt.kind {
                PromptKind::Filter => self.set_filter(prompt.input.value().to_string()),
                PromptKind::Period => match Period::parse(prompt.input.value()) {
                    Ok(p) => self.set_period(p),
                    Err(e) => {
                        prompt.error = Some(e.message(self.settings.lang));
                        self.overlay = Overlay::Prompt(prompt);
                    }
                },
                PromptKind::Reason(id) => {
                    let Some(item) = self.data.items.iter().find(|r| r.item.id == id) else {
                        return self.fail(self.s.no_selection);
                    };
                    let item = item.item.clone();
                    let mut state = ItemState::of(&item);
                    state.outcome = Some(Adoption {
                        adopted: false,
                        reason: prompt.input.value().trim().to_string(),
                    });
                    if let Err(message) = self.save_item(&item, &state, now) {
                        // The reason stays on screen to be corrected.
                        prompt.error = Some(message);
                        self.overlay = Overlay::Prompt(prompt);
                    }
                }
            },
            _ => {
                prompt.input.handle_event(&Event::Key(key));
                prompt.error = None;
                if prompt.kind == PromptKind::Filter {
                    // The rows narrow as the filter is typed.
                    self.set_filter(prompt.input.value().to_string());
                }
                self.overlay = Overlay::Prompt(prompt);
            }
        }
    }

    fn on_confirm(&mut self, row: LogRow, action: Action, now: DateTime<FixedOffset>) {
        use ratatui::crossterm::event::KeyCode;
        match action {
            Action::Key(k) if matches!(k.code, KeyCode::Char('y') | KeyCode::Char('Y')) => {
                match self.store.delete_entry(row.entry.id, &self.stamp(now)) {
                    Ok(_) => {
                        self.reload();
                        self.say(format!("{} #{}", self.s.deleted, row.entry.id.0));
                    }
                    Err(e) => self.fail(e.message(self.settings.lang)),
                }
            }
            Action::Key(k)
                if matches!(
                    k.code,
                    KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc
                ) => {}
            _ => self.overlay = Overlay::ConfirmDelete(Box::new(row)),
        }
    }

    fn on_form(&mut self, mut form: Form, action: Action, now: DateTime<FixedOffset>) {
        let outcome = match action {
            Action::Key(key) => form.key(key, &self.data, self.settings.lang),
            Action::Paste(text) => {
                form.paste(&text);
                Outcome::Stay
            }
            _ => Outcome::Stay,
        };
        match outcome {
            Outcome::Cancel => {}
            Outcome::Stay => self.overlay = Overlay::Form(Box::new(form)),
            Outcome::Submit => match self.save(&mut form, now) {
                Ok(status) => {
                    self.reload();
                    self.status = Some(status);
                }
                Err(()) => self.overlay = Overlay::Form(Box::new(form)),
            },
        }
    }

    /// Validates and saves the form; on a problem, the form carries it and stays open.
    fn save(&mut self, form: &mut Form, now: DateTime<FixedOffset>) -> Result<Status, ()> {
        let store = self.store;
        let today = self.settings.today;
        if !form.check_fields(&self.data, today, |r| {
            store.item_by_ref(r).ok().flatten().is_some()
        }) {
            return Err(());
        }
        let stamp = self.stamp(now);
        let minutes = Minutes::parse(form.value(super::form::Field::Hours)).map_err(|_| ())?;
        match form.editing.clone() {
            None => {
                let view = store
                    .view()
                    .map_err(|e| form.problem = Some(e.message(self.settings.lang)))?;
                let plan = plan_entries(&[(0, form.input())], &view, today, false)
                    .map_err(|e| form.problem = Some(e.entry_message(self.settings.lang)))?;
                let applied = match store.apply_entries(
                    &plan,
                    crate::store::AuditAction::EntryAdd,
                    "interface",
                    &stamp,
                ) {
                    Ok(applied) => applied,
                    // Written but not confirmed: close the form (saving again would duplicate
                    // it) and say so.
                    Err(e @ StoreError::Unconfirmed { .. }) => {
                        return Ok(Status {
                            text: e.message(self.settings.lang),
                            error: true,
                        });
                    }
                    Err(e) => {
                        form.problem = Some(e.message(self.settings.lang));
                        return Err(());
                    }
                };
                // Show the new entry: its period, selected.
                let date = plan
                    .groups
                    .first()
                    .and_then(|g| g.entries.first())
                    .map(|e| e.date)
                    .unwrap_or(today);
                let moved = !self.period.contains(date);
                if moved {
                    self.period = Period::current_month(date);
                }
                self.drill = None;
                self.filter.clear();
                let id = applied.entries.first().map_or(0, |e| e.0);
                self.after_save(id);
                let mut text = self.s.aside(
                    format!("{} #{id}", self.s.saved),
                    format!("{} {}", minutes.hours(), self.s.h),
                );
                if moved {
                    text = format!(
                        "{text} · {}",
                        self.s
                            .labelled(self.s.now_showing, self.period.label(self.settings.lang))
                    );
                }
                Ok(Status { text, error: false })
            }
            Some(old) => {
                let date =
                    crate::domain::period::parse_date(form.value(super::form::Field::Date), today)
                        .map_err(|_| ())?;
                let typed = form.value(super::form::Field::Advisor).trim();
                // Stored as the ledger spells the id, however it was typed.
                let advisor = self
                    .data
                    .advisor(typed)
                    .map_or_else(|| typed.to_string(), |a| a.id.clone());
                let logged = store
                    .logged_by_advisor(date)
                    .map_err(|e| form.problem = Some(e.message(self.settings.lang)))?;
                let mut day = logged.get(&advisor).copied().unwrap_or_default() + minutes;
                if old.date == date && old.advisor == advisor {
                    day = Minutes(day.0.saturating_sub(old.minutes.0));
                }
                if day > crate::domain::duration::DAY {
                    let problem = crate::domain::import::Problem::OverDay {
                        advisor,
                        total: day,
                        date,
                    };
                    form.problem = Some(
                        problem.message(self.settings.lang, crate::domain::import::Origin::Entry),
                    );
                    return Err(());
                }
                let satisfaction = store
                    .item(old.item)
                    .ok()
                    .flatten()
                    .and_then(|i| i.satisfaction);
                let change = EntryChange {
                    date,
                    advisor,
                    minutes,
                    note: form.value(super::form::Field::Note).trim().to_string(),
                    fields: form.item_fields(&self.data, satisfaction),
                };
                match store.update_entry(old.id, &change, &stamp) {
                    Ok(()) => {}
                    Err(e @ StoreError::Unconfirmed { .. }) => {
                        return Ok(Status {
                            text: e.message(self.settings.lang),
                            error: true,
                        });
                    }
                    Err(e) => {
                        form.problem = Some(e.message(self.settings.lang));
                        return Err(());
                    }
                }
                let moved = !self.period.contains(date);
                if moved {
                    self.period = Period::current_month(date);
                }
                self.after_save(old.id.0);
                let mut text = format!("{} #{}", self.s.saved, old.id.0);
                if moved {
                    text = format!(
                        "{text} · {}",
                        self.s
                            .labelled(self.s.now_showing, self.period.label(self.settings.lang))
                    );
                }
                Ok(Status { text, error: false })
            }
        }
    }

    /// After a save: back on the Log with the saved entry selected.
    fn after_save(&mut self, id: u64) {
        self.screen = Screen::Log;
        self.reload();
        if let Some(pos) = self.log_rows().iter().position(|r| r.entry.id.0 == id) {
            self.selected[Screen::Log.index()] = pos;
        }
    }
}

fn drill_matches(d: &Drill, r: &LogRow, data: &Data) -> bool {
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
