//! `counsel-log correct ENTRY --hours H [--date D] --reason TEXT`: the hours (and date) the
//! figures count for an entry, with the reason; the entry as logged stays in its history.

use clap::Args;

use super::messages::{TeamDone, TeamRefusal};
use super::{Context, Refusal, Result};
use crate::domain::period::parse_date;
use crate::domain::{EntryId, Minutes};
use crate::store::{CorrectionRequest, Store};

#[derive(Debug, Args)]
pub struct CorrectArgs {
    entry: String,
    #[arg(long, allow_hyphen_values = true)]
    hours: String,
    #[arg(long)]
    date: Option<String>,
    #[arg(long, default_value = "")]
    reason: String,
}

pub fn run(a: &CorrectArgs, store: &Store, ctx: &Context) -> Result<String> {
    let refuse = |why: TeamRefusal| Refusal::Team(why);
    let entry = super::history::entry_number(&a.entry)?.0;
    let minutes = Minutes::parse(&a.hours).map_err(|e| refuse(TeamRefusal::Hours(e)))?;
    let date = match &a.date {
        Some(d) => Some(parse_date(d, ctx.today).map_err(|e| refuse(TeamRefusal::Date(e)))?),
        None => None,
    };
    let request = CorrectionRequest {
        minutes,
        date,
        reason: a.reason.clone(),
    };
    let (before, after) = store.correct(EntryId(entry), &request, &ctx.stamp)?;
    let done = TeamDone::Corrected {
        entry,
        was: before.minutes,
        now: after.minutes,
        date: after.date,
        reason: request.reason.trim(),
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}
