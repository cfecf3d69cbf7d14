//! What is drawn over the screens and has the keyboard: the entry form, a one-line prompt, the
//! delete question, the key help. Each handles an action through `&mut` and says whether it
//! stays open.

use chrono::{DateTime, FixedOffset};
use ratatui::crossterm::event::{Event, KeyCode};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::App;
pub use super::history::EntryTrail;
use crate::domain::{ItemId, Period};
use crate::tui::action::{Action, Screen};
use crate::tui::data::LogRow;
use crate::tui::form::{AdvisorForm, Form, FormReply};
use crate::tui::strings::Notice;

/// What, if anything, is drawn over the screens and has the keyboard.
pub enum Overlay {
    Form(Box<Form>),
    Prompt(Prompt),
    ConfirmDelete(Box<LogRow>),
    /// Every key, shown from the one at this index down (the list scrolls on a short screen).
    Help(usize),
    /// The audit records of an entry (`h` on the Log).
    History(Box<EntryTrail>),
    /// A new advisor, or the selected one, on the Team screen (`n`, `e`).
    Advisor(Box<AdvisorForm>),
}

/// Whether an overlay stays open once it has handled an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OverlayNext {
    Keep,
    Close,
}

/// The help on a screen too short for every key: ↑↓ (and PgUp, PgDn, Home, End) move the
/// first key shown, any other key closes it. The drawing keeps the last key at the foot.
pub(super) fn scroll_help(first: &mut usize, action: &Action) -> OverlayNext {
    let Action::Key(key) = action else {
        return OverlayNext::Close;
    };
    let last = crate::tui::strings::strings(crate::domain::Lang::En)
        .help
        .len()
        .saturating_sub(1);
    match key.code {
        KeyCode::Down | KeyCode::Char('j') => *first = (*first + 1).min(last),
        KeyCode::Up | KeyCode::Char('k') => *first = first.saturating_sub(1),
        KeyCode::PageDown => *first = (*first + 10).min(last),
        KeyCode::PageUp => *first = first.saturating_sub(10),
        KeyCode::Home => *first = 0,
        KeyCode::End => *first = last,
        _ => return OverlayNext::Close,
    }
    OverlayNext::Keep
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
    Reason(ItemId),
}

impl App<'_> {
    /// The form for a new entry (`a`); on the Items screen, on the highlighted item.
    pub(super) fn open_new_form(&mut self) {
        let mut form = Form::new(
            self.settings.today,
            self.settings.me.as_deref(),
            self.settings.lang,
        );
        if self.screen == Screen::Items
            && let Some(row) = self.selected_item()
        {
            form = form.on_item(&row.item, &self.data);
        }
        self.overlay = Some(Overlay::Form(Box::new(form)));
    }

    /// The form on the selected Log entry (`e`).
    pub(super) fn open_edit_form(&mut self) {
        match self.selected_log_on_screen() {
            // Another store's entry, or a corrected one, is said so before any typing.
            Some(row) => match self.store.may_edit(row.entry.id) {
                Ok(()) => {
                    let form = Form::edit(&row.entry, &row.item, self.settings.lang, &self.data);
                    self.overlay = Some(Overlay::Form(Box::new(form)));
                }
                Err(e) => self.warn(e.message(self.settings.lang)),
            },
            None => self.warn(self.not_an_entry()),
        }
    }

    /// The question before the selected Log entry is deleted (`d`).
    pub(super) fn ask_delete(&mut self) {
        match self.selected_log_on_screen() {
            Some(row) => match self.store.may_delete(row.entry.id) {
                Ok(()) => self.overlay = Some(Overlay::ConfirmDelete(Box::new(row))),
                Err(e) => self.warn(e.message(self.settings.lang)),
            },
            None => self.warn(self.not_an_entry()),
        }
    }

    /// A filter or period prompt; the filter's starts from the filter in force.
    pub(super) fn open_prompt(&mut self, kind: PromptKind) {
        let before = match kind {
            PromptKind::Filter => self.filter.clone(),
            PromptKind::Period | PromptKind::Reason(_) => String::new(),
        };
        self.overlay = Some(Overlay::Prompt(Prompt {
            kind,
            input: Input::new(before.clone()),
            error: None,
            before,
        }));
    }

    /// Why `e` or `d` did nothing: no row, or not on the Log where entries are.
    pub(super) fn not_an_entry(&self) -> &'static str {
        if self.screen == Screen::Log {
            self.strings.no_selection
        } else {
            self.strings.entries_on_log
        }
    }

    /// The entry the edit / delete / history keys act on: the selected Log row.
    pub(super) fn selected_log_on_screen(&self) -> Option<LogRow> {
        if self.screen == Screen::Log {
            self.selected_log().cloned()
        } else {
            None
        }
    }

    pub(super) fn on_form(
        &mut self,
        form: &mut Form,
        action: Action,
        now: DateTime<FixedOffset>,
    ) -> OverlayNext {
        let reply = match action {
            Action::Key(key) => form.key(key, &self.data, self.settings.lang),
            Action::Paste(text) => {
                form.paste(&text);
                FormReply::Stay
            }
            _ => FormReply::Stay,
        };
        match reply {
            FormReply::Cancel => OverlayNext::Close,
            FormReply::Stay => OverlayNext::Keep,
            FormReply::Submit => self.save(form, now),
        }
    }

    pub(super) fn on_prompt(
        &mut self,
        prompt: &mut Prompt,
        action: Action,
        now: DateTime<FixedOffset>,
    ) -> OverlayNext {
        let key = match action {
            Action::Key(key) => key,
            Action::Paste(text) => {
                let mut value = prompt.input.value().to_string();
                value.push_str(&text.replace(['\r', '\n'], " "));
                prompt.input = Input::new(value);
                if prompt.kind == PromptKind::Filter {
                    self.set_filter(prompt.input.value());
                }
                return OverlayNext::Keep;
            }
            _ => return OverlayNext::Keep,
        };
        match key.code {
            KeyCode::Esc => {
                if prompt.kind == PromptKind::Filter {
                    self.set_filter(&prompt.before);
                }
                OverlayNext::Close
            }
            KeyCode::Enter => self.apply_prompt(prompt, now),
            _ => {
                prompt.input.handle_event(&Event::Key(key));
                prompt.error = None;
                if prompt.kind == PromptKind::Filter {
                    // The rows narrow as the filter is typed.
                    self.set_filter(prompt.input.value());
                }
                OverlayNext::Keep
            }
        }
    }

    /// Enter on a prompt: the filter, the period or the reason takes effect, unless it is wrong.
    fn apply_prompt(&mut self, prompt: &mut Prompt, now: DateTime<FixedOffset>) -> OverlayNext {
        match prompt.kind {
            PromptKind::Filter => {
                self.set_filter(prompt.input.value());
                OverlayNext::Close
            }
            PromptKind::Period => match self.typed_period(prompt.input.value()) {
                Ok(period) => {
                    self.set_period(period);
                    OverlayNext::Close
                }
                Err(message) => {
                    prompt.error = Some(message);
                    OverlayNext::Keep
                }
            },
            PromptKind::Reason(id) => self.save_not_adopted(id, prompt, now),
        }
    }

    /// The period typed at `p`; `all` runs from the ledger's first entry to today.
    fn typed_period(&self, typed: &str) -> Result<Period, String> {
        let lang = self.settings.lang;
        if Period::is_all(typed) {
            let dates = self.store.entry_dates().map_err(|e| e.message(lang))?;
            return Ok(Period::all(dates, self.settings.today));
        }
        Period::parse_until(typed, self.settings.today).map_err(|e| e.message(lang))
    }

    pub(super) fn on_confirm_delete(
        &mut self,
        row: &LogRow,
        action: &Action,
        now: DateTime<FixedOffset>,
    ) -> OverlayNext {
        let Action::Key(key) = action else {
            return OverlayNext::Keep;
        };
        match key.code {
            KeyCode::Char('y' | 'Y') => {
                match self.store.delete_entry(row.entry.id, &self.stamp(now)) {
                    Ok(_) => {
                        self.reload();
                        let notice = Notice::EntryDeleted(row.entry.id);
                        self.inform(notice.message(self.settings.lang));
                    }
                    Err(e) => self.warn(e.message(self.settings.lang)),
                }
                OverlayNext::Close
            }
            KeyCode::Char('n' | 'N') | KeyCode::Esc => OverlayNext::Close,
            _ => OverlayNext::Keep,
        }
    }
}
