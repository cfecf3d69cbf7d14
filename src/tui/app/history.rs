//! An entry's history from the Log (`h`): the audit records that touched it, scrolled with the
//! arrows, closed with Esc (or `h` again).

use ratatui::crossterm::event::KeyCode;

use super::App;
use super::overlays::{Overlay, OverlayNext};
use crate::domain::EntryId;
use crate::store::AuditRecord;
use crate::tui::action::Action;

/// The audit records of one entry, as the overlay shows them.
pub struct EntryTrail {
    pub entry: EntryId,
    /// The entry's item's title, for the box's heading.
    pub title: String,
    /// Oldest first.
    pub records: Vec<AuditRecord>,
    /// The first record shown.
    pub scroll: usize,
}

impl EntryTrail {
    /// A key while the history is open: the arrows scroll, anything else closes it.
    pub(super) fn on_key(&mut self, action: &Action) -> OverlayNext {
        let Action::Key(key) = action else {
            return OverlayNext::Keep;
        };
        let last = self.records.len().saturating_sub(1);
        match key.code {
            KeyCode::Down | KeyCode::Char('j') => self.scroll = (self.scroll + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown => self.scroll = (self.scroll + 10).min(last),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::Home => self.scroll = 0,
            KeyCode::End => self.scroll = last,
            _ => return OverlayNext::Close,
        }
        OverlayNext::Keep
    }
}

impl App<'_> {
    /// The history of the selected Log entry (`h`).
    pub(super) fn open_history(&mut self) {
        let Some(row) = self.selected_log_on_screen() else {
            return self.warn(self.not_an_entry());
        };
        match self.store.trail_of(&self.store.entry_filter(row.entry.id)) {
            Ok(records) => {
                self.overlay = Some(Overlay::History(Box::new(EntryTrail {
                    entry: row.entry.id,
                    title: row.item.title.clone(),
                    records,
                    scroll: 0,
                })));
            }
            Err(e) => self.warn(e.message(self.settings.lang)),
        }
    }
}
