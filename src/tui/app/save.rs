//! Saving the form: one path for a new entry and an edited one, so that a write the disk did not
//! confirm, the reload and what the status line says are each handled once.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::App;
use super::overlays::OverlayNext;
use crate::domain::intake::{Origin, Problem, plan_entries};
use crate::domain::period::parse_date;
use crate::domain::{Entry, EntryId, Minutes, Period};
use crate::store::AuditAction;
use crate::store::{EntryChange, Stamp, StoreError};
use crate::tui::action::Screen;
use crate::tui::form::{Field, Form};
use crate::tui::strings::Notice;

/// What a save wrote.
struct Saved {
    id: EntryId,
    date: NaiveDate,
    /// A new entry's hours, which the status line names; `None` for an edit.
    added: Option<Minutes>,
    /// The edit changed the item for other entries as well, as the user agreed.
    shared: Option<Notice>,
}

/// Why a save did not go through.
enum NotSaved {
    /// The form shows what to fix, beside a field or (`Some`) below them all, and stays open.
    Fix(Option<String>),
    /// Writing to the store failed or could not be confirmed.
    Write(StoreError),
    /// The change would change the item for other entries too: the question to ask first.
    Ask(String),
}

impl From<StoreError> for NotSaved {
    fn from(e: StoreError) -> NotSaved {
        NotSaved::Write(e)
    }
}

impl App<'_> {
    /// Checks and saves the form. Saved, it closes and the Log shows the entry; refused, the
    /// form says why and stays open.
    pub(super) fn save(&mut self, form: &mut Form, now: DateTime<FixedOffset>) -> OverlayNext {
        let lang = self.settings.lang;
        let written = self.write_entry(form, now);
        match written {
            Ok(saved) => {
                self.show_saved(&saved);
                if let Some(shared) = saved.shared {
                    self.inform(shared.message(lang));
                }
                OverlayNext::Close
            }
            // Written but not confirmed: the form closes, since saving again would make a
            // second copy, and the status line says so.
            Err(NotSaved::Write(e @ StoreError::Unconfirmed { .. })) => {
                self.reload();
                self.warn(e.message(lang));
                OverlayNext::Close
            }
            Err(NotSaved::Write(e)) => {
                form.save_problem = Some(e.message(lang));
                OverlayNext::Keep
            }
            Err(NotSaved::Ask(question)) => {
                form.save_problem = Some(question.clone());
                form.item_question = Some(question);
                OverlayNext::Keep
            }
            Err(NotSaved::Fix(problem)) => {
                if problem.is_some() {
                    form.save_problem = problem;
                }
                OverlayNext::Keep
            }
        }
    }

    /// Checks every field, then adds the entry or changes the one being edited.
    fn write_entry(&self, form: &mut Form, now: DateTime<FixedOffset>) -> Result<Saved, NotSaved> {
        let store = self.store;
        let item_exists = |reference: &str| store.item_by_ref(reference).ok().flatten().is_some();
        if !form.check_fields(&self.data, self.settings.today, item_exists) {
            return Err(NotSaved::Fix(None));
        }
        let stamp = self.stamp(now);
        let minutes = Minutes::parse(form.value(Field::Hours)).map_err(|_| NotSaved::Fix(None))?;
        match &form.editing {
            None => self.add_entry(form, minutes, &stamp),
            Some(old) => self.change_entry(form, old, minutes, &stamp),
        }
    }

    fn add_entry(&self, form: &Form, minutes: Minutes, stamp: &Stamp) -> Result<Saved, NotSaved> {
        let (lang, today) = (self.settings.lang, self.settings.today);
        let view = self.store.view().map_err(|e| fix(e.message(lang)))?;
        let plan = plan_entries(vec![(0, form.input())], &view, today, false)
            .map_err(|e| fix(e.entry_message(lang)))?;
        let date = plan
            .groups
            .first()
            .and_then(|g| g.entries.first())
            .map_or(today, |e| e.date);
        let applied = self
            .store
            .apply_entries(plan, AuditAction::EntryAdd, "interface", stamp)?;
        Ok(Saved {
            id: applied.first_entry.unwrap_or(EntryId(0)),
            date,
            added: Some(minutes),
            shared: None,
        })
    }

    fn change_entry(
        &self,
        form: &Form,
        old: &Entry,
        minutes: Minutes,
        stamp: &Stamp,
    ) -> Result<Saved, NotSaved> {
        let lang = self.settings.lang;
        let date = parse_date(form.value(Field::Date), self.settings.today)
            .map_err(|_| NotSaved::Fix(None))?;
        let typed = form.value(Field::Advisor).trim();
        // Stored as the ledger spells the id, however it was typed.
        let advisor = self
            .data
            .advisor(typed)
            .map_or_else(|| typed.to_string(), |a| a.id.clone());
        let day = self
            .store
            .logged_on(&advisor, date, Some(old))
            .map_err(|e| fix(e.message(lang)))?
            + minutes;
        if day > crate::domain::duration::DAY {
            let problem = Problem::OverDay {
                advisor,
                total: day,
                date,
            };
            return Err(fix(problem.message(lang, Origin::Entry)));
        }
        let satisfaction = self
            .store
            .item(old.item)
            .ok()
            .flatten()
            .and_then(|i| i.satisfaction);
        let change = EntryChange {
            date,
            advisor,
            minutes,
            note: form.value(Field::Note).trim().to_string(),
            fields: form.item_fields(&self.data, satisfaction),
        };
        let shared = self.shared_change(old, &change.fields)?;
        if let Some(question) = &shared
            && !form.item_confirmed
        {
            return Err(NotSaved::Ask(question.message(lang)));
        }
        self.store.update_entry(old.id, &change, stamp)?;
        Ok(Saved {
            id: old.id,
            date,
            added: None,
            shared: shared.map(|n| match n {
                Notice::ItemShared {
                    number, entries, ..
                } => Notice::ItemChanged { number, entries },
                other => other,
            }),
        })
    }

    /// When an edit changes the item's own fields (title, topic, service, department) and the
    /// item has other entries, possibly other advisors', the question to ask before saving.
    fn shared_change(
        &self,
        old: &Entry,
        fields: &crate::domain::intake::ItemFields,
    ) -> Result<Option<Notice>, NotSaved> {
        let Some(item) = self.store.item(old.item)? else {
            return Ok(None);
        };
        let before = crate::domain::intake::ItemFields::of(&item);
        let same = (
            &before.title,
            &before.topic,
            &before.service,
            &before.department,
        ) == (
            &fields.title,
            &fields.topic,
            &fields.service,
            &fields.department,
        );
        if same {
            return Ok(None);
        }
        let entries = self.store.entries_of(old.item)?;
        if entries.len() < 2 {
            return Ok(None);
        }
        let advisors: std::collections::BTreeSet<&str> =
            entries.iter().map(|e| e.advisor.as_str()).collect();
        Ok(Some(Notice::ItemShared {
            number: item.number,
            entries: entries.len(),
            advisors: advisors.len(),
        }))
    }

    /// After a save: back on the Log with the saved entry selected, in its period. A new entry
    /// also clears the drill-down and the filter, which could hide it.
    fn show_saved(&mut self, saved: &Saved) {
        let moved = !self.period.contains(saved.date);
        if moved {
            self.period = Period::current_month(saved.date);
        }
        if saved.added.is_some() {
            self.drill = None;
            self.filter.clear();
        }
        self.screen = Screen::Log;
        self.reload();
        if let Some(row) = self.log_rows().iter().position(|r| r.entry.id == saved.id) {
            self.selected.log = row;
        }
        let notice = Notice::EntrySaved {
            id: saved.id,
            new_hours: saved.added,
            now_showing: moved.then_some(self.period),
        };
        self.inform(notice.message(self.settings.lang));
    }
}

/// A problem the form shows below its fields.
fn fix(problem: String) -> NotSaved {
    NotSaved::Fix(Some(problem))
}
