//! `u`: the last entry or item change taken back, by whoever made it.

use chrono::{DateTime, FixedOffset};

use super::App;
use crate::store::{Undo, UndoScope};
use crate::tui::strings::Notice;

impl App<'_> {
    pub(super) fn undo(&mut self, now: DateTime<FixedOffset>) {
        // Entry and item changes, but never an import: one key must not be able to take back a
        // whole file.
        let scope = UndoScope {
            after: 0,
            actions: UndoScope::ENTRIES,
        };
        let lang = self.settings.lang;
        match self.store.undo_last(&self.stamp(now), &scope) {
            Ok(Undo::Done(action)) => {
                self.reload();
                self.inform(Notice::Undone { action }.message(lang));
            }
            Ok(Undo::Nothing) => self.warn(self.strings.nothing_to_undo),
            Ok(Undo::Refused { action, at }) => {
                self.warn(Notice::CannotUndo { action, at }.message(lang));
            }
            Err(e) => self.warn(e.message(lang)),
        }
    }
}
