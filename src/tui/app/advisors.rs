//! Adding and changing advisors from the Team screen (`n`, and `e` on the selected one):
//! through the store calls of `advisor add` and `advisor set`, with the same checks and the
//! same audit records.

use chrono::{DateTime, FixedOffset};

use super::App;
use super::overlays::{Overlay, OverlayNext};
use crate::tui::action::{Action, Screen};
use crate::tui::form::{AdvisorForm, AdvisorSave, FormReply};
use crate::tui::strings::{Notice, advisor_problem, advisor_refusal};

impl App<'_> {
    /// The advisor form: blank for `n`, on the selected Team row for `e`.
    pub(super) fn open_advisor_form(&mut self, new: bool) {
        if self.screen != Screen::Team {
            return self.warn(self.strings.advisors.on_team_only);
        }
        let form = if new {
            AdvisorForm::new()
        } else {
            let Some(row) = self.team_rows().get(self.selected.team).copied() else {
                return self.warn(self.strings.no_selection);
            };
            AdvisorForm::edit(&row.advisor)
        };
        self.overlay = Some(Overlay::Advisor(Box::new(form)));
    }

    pub(super) fn on_advisor_form(
        &mut self,
        form: &mut AdvisorForm,
        action: Action,
        now: DateTime<FixedOffset>,
    ) -> OverlayNext {
        let reply = match action {
            Action::Key(key) => form.key(key),
            Action::Paste(text) => {
                form.paste(&text);
                FormReply::Stay
            }
            _ => FormReply::Stay,
        };
        match reply {
            FormReply::Cancel => OverlayNext::Close,
            FormReply::Stay => OverlayNext::Keep,
            FormReply::Submit => self.save_advisor(form, now),
        }
    }

    /// Enter on the advisor form: checked, then saved as one audited change; a refusal stays
    /// in the form, beside what was typed.
    fn save_advisor(&mut self, form: &mut AdvisorForm, now: DateTime<FixedOffset>) -> OverlayNext {
        let lang = self.settings.lang;
        let save = match form.checked() {
            Ok(save) => save,
            Err(problem) => {
                form.problem = Some(advisor_problem(&problem, lang));
                return OverlayNext::Keep;
            }
        };
        let stamp = self.stamp(now);
        let saved = match &save {
            AdvisorSave::Nothing => return OverlayNext::Close,
            AdvisorSave::Add(advisor) => self
                .store
                .add_advisor(advisor, &stamp)
                .map(|()| advisor.clone()),
            AdvisorSave::Change { id, change } => self
                .store
                .update_advisor(id, change, &stamp)
                .map(|(_, after)| after),
        };
        match saved {
            Ok(advisor) => {
                self.reload();
                let id = advisor.id.clone();
                let new = matches!(save, AdvisorSave::Add(_));
                self.inform(Notice::AdvisorSaved { advisor, new }.message(lang));
                // The advisor stays selected, wherever the ranking now puts them.
                if let Some(at) = self.team_rows().iter().position(|r| r.advisor.id == id) {
                    self.selected.team = at;
                }
                OverlayNext::Close
            }
            Err(e) => {
                form.problem = Some(advisor_refusal(&e, lang).unwrap_or_else(|| e.message(lang)));
                OverlayNext::Keep
            }
        }
    }
}
