//! What the interface does as the world moves beside it: a change made from another terminal
//! shows within a second, the daily backup's outcome when it ends, and at midnight today moves
//! on — the form's date, the check for dates in the future, the current month, the timer's day.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{App, Overlay};
use crate::domain::Period;
use crate::tui::strings::Notice;

impl App<'_> {
    /// The store changed beside the interface (a command from another terminal): the period is
    /// read again, and the Log keeps the entry it had selected, wherever it now stands; the
    /// period, filter, screen and any half-typed form stay as they are.
    pub fn changed_beside(&mut self) {
        let selected = self.selected_log().map(|r| r.entry.id);
        self.reload();
        if let Some(id) = selected
            && let Some(at) = self.log_rows().iter().position(|r| r.entry.id == id)
        {
            self.selected.log = at;
        }
    }

    /// Work beside the interface (the daily backup, on a thread of its own) came to an end:
    /// the status line says how it went.
    pub fn inform_beside(&mut self, text: String) {
        self.inform(text);
    }

    /// The day changed while the interface was open (`now` is the first moment seen of it).
    /// `note` is what else the new day brought (the daily backup), for the status line.
    pub fn new_day(&mut self, now: DateTime<FixedOffset>, note: Option<String>) {
        let (before, today) = (self.settings.today, now.date_naive());
        if today == before {
            return;
        }
        self.settings.today = today;
        // Looking at the month that was current, the user looks at the current one.
        if self.period == Period::current_month(before) {
            let current = Period::current_month(today);
            if current != self.period {
                self.set_period(current);
            }
        }
        if let Some(Overlay::Form(form)) = &mut self.overlay {
            form.new_day(before, today);
        }
        let lang = self.settings.lang;
        let text = note.unwrap_or_else(|| Notice::NewDay { today }.message(lang));
        self.inform(text);
    }

    /// The day a timer started on, when it is not today: it ran across midnight.
    pub(super) fn crossed_midnight(&self, started: DateTime<FixedOffset>) -> Option<NaiveDate> {
        let day = started.date_naive();
        (day != self.settings.today).then_some(day)
    }
}
