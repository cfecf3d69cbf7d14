//! The running timer, kept in the store so it survives quitting and restarting.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::tx::TxError;
use super::{
    AuditAction, Missing, Result, Stamp, Store, StoreError, TimerRefusal, Unreadable, codec,
};
use crate::domain::intake::{EntryPlan, Fingerprint, ItemFields, ItemGroup, NewEntry, Target};
use crate::domain::{Entry, EntryId, ItemId, Minutes};

/// The `meta` key of the running timer.
const TIMER: &[u8] = b"timer";

/// A running timer: who is working on which item since when. Kept in the store, so it
/// survives quitting and restarting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    pub item: ItemId,
    pub advisor: String,
    #[serde(with = "codec::time")]
    pub started: DateTime<FixedOffset>,
}

impl Timer {
    /// Minutes from the start to `now`, at least one.
    pub fn elapsed(&self, now: DateTime<FixedOffset>) -> Minutes {
        // A start after `now` (a clock set back) counts as no time at all.
        let seconds = u64::try_from((now - self.started).num_seconds()).unwrap_or(0);
        Minutes(seconds.div_ceil(60).max(1))
    }
}

impl Store {
    /// The running timer, if any.
    pub fn timer(&self) -> Result<Option<Timer>> {
        match self.trees.meta.get(TIMER).map_err(|e| self.err(e))? {
            None => Ok(None),
            Some(v) => codec::decode_json(&v)
                .map(Some)
                .ok_or_else(|| self.unreadable(Unreadable::Timer)),
        }
    }

    /// Starts the timer on an item; a running timer must be stopped first.
    pub fn start_timer(&self, timer: &Timer, stamp: &Stamp) -> Result<()> {
        self.commit(|tx| {
            if tx.meta().get(TIMER)?.is_some() {
                return Err(TxError::Abort(TimerRefusal::AlreadyRunning.into()));
            }
            tx.meta().insert(TIMER, codec::encode_json(timer))?;
            tx.audit(stamp, AuditAction::TimerStart, json!(null), json!(timer))
        })
    }

    /// Stops the timer without logging anything: for a timer started by mistake.
    pub fn cancel_timer(&self, stamp: &Stamp) -> Result<()> {
        self.commit(|tx| {
            let Some(raw) = tx.meta().get(TIMER)? else {
                return Ok(());
            };
            tx.meta().remove(TIMER)?;
            let timer: Option<Timer> = codec::decode_json(&raw);
            tx.audit(stamp, AuditAction::TimerCancel, json!(timer), json!(null))
        })
    }

    /// Stops the timer: logs the elapsed time, rounded up to `increment` minutes, on the
    /// timer's item, dated `today`.
    pub fn stop_timer(
        &self,
        now: DateTime<FixedOffset>,
        today: NaiveDate,
        increment: u64,
        stamp: &Stamp,
    ) -> Result<(Entry, Minutes)> {
        let timer = self.timer()?.ok_or(TimerRefusal::NotRunning)?;
        let item = self.item(timer.item)?.ok_or(TimerRefusal::ItemGone)?;
        let minutes = timer
            .elapsed(now)
            .round_up_to(increment)
            .min(crate::domain::duration::DAY);
        let logged = self.logged_on(&timer.advisor, today, None)?;
        if logged + minutes > crate::domain::duration::DAY {
            return Err(StoreError::from(TimerRefusal::PassesDay {
                advisor: timer.advisor,
                date: today,
                logged,
                more: minutes,
            }));
        }
        let fields = ItemFields::of(&item);
        let new = NewEntry {
            line: 0,
            date: today,
            advisor: timer.advisor.as_str().into(),
            minutes,
            note: String::new(),
            fingerprint: Fingerprint::of(today, &timer.advisor, minutes, &fields, ""),
        };
        let plan = EntryPlan {
            groups: vec![ItemGroup {
                target: Target::Existing {
                    id: item.id,
                    rate: None,
                },
                entries: vec![new],
            }],
            skipped: 0,
        };
        let applied =
            self.apply_entries_then(plan, AuditAction::TimerStop, "timer", stamp, |tx| {
                tx.meta().remove(TIMER)?;
                Ok(())
            })?;
        let id = applied.first_entry.unwrap_or(EntryId(0));
        let entry = self
            .entry(id)?
            .ok_or_else(|| self.missing(Missing::TimedEntry))?;
        Ok((entry, minutes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The timer as the store has always kept it under `meta/timer`.
    const STORED: &str = r#"{"item":3,"advisor":"A001","started":"2024-06-30T09:00:05+08:00"}"#;

    #[test]
    fn a_timer_serializes_to_the_bytes_stored_today() {
        let timer = Timer {
            item: ItemId(3),
            advisor: "A001".into(),
            started: DateTime::parse_from_rfc3339("2024-06-30T09:00:05+08:00").unwrap(),
        };
        assert_eq!(
            String::from_utf8(codec::encode_json(&timer)).unwrap(),
            STORED
        );
        assert_eq!(codec::decode_json::<Timer>(STORED.as_bytes()), Some(timer));
    }

    #[test]
    fn elapsed_time_is_whole_minutes_rounded_up_and_never_below_one() {
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap();
        let timer = Timer {
            item: ItemId(1),
            advisor: "A001".into(),
            started: at("2024-06-30T09:00:00+08:00"),
        };
        assert_eq!(timer.elapsed(at("2024-06-30T09:30:01+08:00")), Minutes(31));
        assert_eq!(timer.elapsed(at("2024-06-30T01:30:00Z")), Minutes(30));
        assert_eq!(timer.elapsed(at("2024-06-30T08:00:00+08:00")), Minutes(1));
    }
}
