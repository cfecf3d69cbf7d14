//! Changes the Items screen makes to the selected item: its rating (`s`), its status (`c`) and
//! whether its advice was adopted (`o`, asking why when it was not).

use chrono::{DateTime, FixedOffset};

use super::App;
use super::overlays::{OverlayNext, Prompt, PromptKind};
use crate::domain::intake::shown_number;
use crate::domain::model::{Adoption, ItemStatus};
use crate::domain::{Item, ItemId, Satisfaction};
use crate::store::ItemState;
use crate::tui::action::Screen;
use crate::tui::strings::Notice;

/// What `s`, `c` and `o` change on the selected item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ItemChange {
    Rate,
    Close,
    Adoption,
}

impl App<'_> {
    /// On the Items screen: the next rating (`s`), the other status (`c`) or the next adoption
    /// (`o`: adopted, not adopted with a reason, none) for the selected item.
    pub(super) fn change_item(&mut self, change: ItemChange, now: DateTime<FixedOffset>) {
        if self.screen != Screen::Items {
            return self.warn(self.strings.on_items_screen);
        }
        let Some(item) = self.selected_item().map(|r| r.item.clone()) else {
            return self.warn(self.strings.no_selection);
        };
        let mut state = ItemState::of(&item);
        match change {
            ItemChange::Rate => state.satisfaction = next_rating(state.satisfaction),
            ItemChange::Close => {
                state.status = match state.status {
                    ItemStatus::Open => ItemStatus::Closed,
                    ItemStatus::Closed => ItemStatus::Open,
                }
            }
            ItemChange::Adoption => match &state.outcome {
                None => {
                    state.outcome = Some(Adoption {
                        adopted: true,
                        reason: String::new(),
                    });
                }
                // Not adopted: the reason is asked for before anything is saved.
                Some(adoption) if adoption.adopted => {
                    return self.open_prompt(PromptKind::Reason(item.id));
                }
                Some(_) => state.outcome = None,
            },
        }
        if let Err(message) = self.save_item(&item, &state, now) {
            self.warn(message);
        }
    }

    /// Enter on the reason prompt: the item's advice was not adopted, for this reason. A
    /// refused save leaves the reason on screen to be corrected.
    pub(super) fn save_not_adopted(
        &mut self,
        id: ItemId,
        prompt: &mut Prompt,
        now: DateTime<FixedOffset>,
    ) -> OverlayNext {
        let Some(row) = self.data.item_row(id) else {
            self.warn(self.strings.no_selection);
            return OverlayNext::Close;
        };
        let item = row.item.clone();
        let reason = prompt.input.value().trim().to_string();
        // As `item outcome not-adopted` asks for `--reason`: the office reports why.
        if reason.is_empty() {
            prompt.error = Some(self.strings.reason_needed.to_string());
            return OverlayNext::Keep;
        }
        let mut state = ItemState::of(&item);
        state.outcome = Some(Adoption {
            adopted: false,
            reason,
        });
        match self.save_item(&item, &state, now) {
            Ok(()) => OverlayNext::Close,
            Err(message) => {
                prompt.error = Some(message);
                OverlayNext::Keep
            }
        }
    }

    /// Saves what the Items screen changed on `item`; the problem in words if it was refused.
    fn save_item(
        &mut self,
        item: &Item,
        state: &ItemState,
        now: DateTime<FixedOffset>,
    ) -> Result<(), String> {
        let lang = self.settings.lang;
        match self.store.update_item(item.id, state, &self.stamp(now)) {
            Ok(_) => {
                self.reload();
                let notice = Notice::ItemSaved {
                    number: shown_number(&item.number),
                    state: state.clone(),
                };
                self.inform(notice.message(lang));
                Ok(())
            }
            Err(e) => Err(e.message(lang)),
        }
    }
}

/// Unrated, satisfied, basic, unsatisfied, and round again.
fn next_rating(rating: Option<Satisfaction>) -> Option<Satisfaction> {
    match rating {
        None => Some(Satisfaction::Satisfied),
        Some(Satisfaction::Satisfied) => Some(Satisfaction::Basic),
        Some(Satisfaction::Basic) => Some(Satisfaction::Unsatisfied),
        Some(Satisfaction::Unsatisfied) => None,
    }
}
