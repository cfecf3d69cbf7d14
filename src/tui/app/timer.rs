//! `t`: a timer started on the selected item, or the running one stopped and its time logged.

use chrono::{DateTime, FixedOffset};

use super::App;
use crate::domain::ItemId;
use crate::store::Timer;
use crate::tui::action::Screen;
use crate::tui::strings::Notice;

impl App<'_> {
    pub(super) fn toggle_timer(&mut self, now: DateTime<FixedOffset>) {
        match &self.data.timer {
            Some((timer, item)) => {
                let started = timer.started;
                let item = item.clone();
                self.stop_timer(started, item, now);
            }
            None => self.start_timer(now),
        }
    }

    /// Stops the running timer and logs its time in whole increments.
    fn stop_timer(
        &mut self,
        started: DateTime<FixedOffset>,
        item: Option<crate::domain::Item>,
        now: DateTime<FixedOffset>,
    ) {
        let stamp = self.stamp(now);
        let lang = self.settings.lang;
        // A timer stopped within the minute it started was started by mistake: it is
        // cancelled, not billed as a whole increment.
        if now - started < chrono::TimeDelta::minutes(1) {
            match self.store.cancel_timer(&stamp) {
                Ok(()) => {
                    self.reload();
                    self.inform(Notice::TimerCancelled { item }.message(lang));
                }
                Err(e) => self.warn(e.message(lang)),
            }
            return;
        }
        let (today, increment) = (self.settings.today, self.settings.increment);
        match self.store.stop_timer(now, today, increment, &stamp) {
            Ok((_, minutes)) => {
                self.reload();
                let notice = match self.crossed_midnight(started) {
                    Some(day) => Notice::TimerStoppedNextDay {
                        item,
                        minutes,
                        started: day,
                        logged: today,
                    },
                    None => Notice::TimerStopped { item, minutes },
                };
                self.inform(notice.message(lang));
            }
            Err(e) => self.warn(e.message(lang)),
        }
    }

    /// Starts a timer on the item selected on the Log or Items screen, for the configured
    /// advisor, else the entry's (Log) or the item's first advisor (Items).
    fn start_timer(&mut self, now: DateTime<FixedOffset>) {
        let target = match self.screen {
            Screen::Log => self
                .selected_log()
                .map(|r| (r.item.id, r.entry.advisor.clone())),
            Screen::Items => self.selected_item().map(|r| {
                let advisor = self
                    .settings
                    .me
                    .clone()
                    .unwrap_or_else(|| r.advisors.first().cloned().unwrap_or_default());
                (r.item.id, advisor)
            }),
            _ => return self.warn(self.strings.timer_where),
        };
        match target {
            Some((item, advisor)) => self.start_timer_on(item, advisor, now),
            None => self.warn(self.strings.no_selection),
        }
    }

    fn start_timer_on(&mut self, item: ItemId, advisor: String, now: DateTime<FixedOffset>) {
        let stamp = self.stamp(now);
        let timer = Timer {
            item,
            advisor: self.settings.me.clone().unwrap_or(advisor),
            started: stamp.at,
        };
        match self.store.start_timer(&timer, &stamp) {
            Ok(()) => {
                self.reload();
                self.inform(self.strings.timer_started);
            }
            Err(e) => self.warn(e.message(self.settings.lang)),
        }
    }
}
