//! `counsel-log item close|reopen|rate|outcome ITEM …`: what the Items screen's `c`, `s` and
//! `o` change, from the command line, through the same store call, so the same checks (a
//! closed month's rating, another store's item) and the same audit record apply.

use clap::{Args, Subcommand};

use super::messages::{ItemRefusal, ItemSet};
use super::{Context, Refusal, Result};
use crate::domain::Satisfaction;
use crate::domain::intake::shown_number;
use crate::domain::model::{Adoption, ItemStatus};
use crate::store::{ItemState, Store};

#[derive(Debug, Subcommand)]
pub enum ItemCommand {
    Close(ItemArg),
    Reopen(ItemArg),
    Rate(RateArgs),
    Outcome(OutcomeArgs),
}

#[derive(Debug, Args)]
pub struct ItemArg {
    item: String,
}

#[derive(Debug, Args)]
pub struct RateArgs {
    item: String,
    rating: String,
}

#[derive(Debug, Args)]
pub struct OutcomeArgs {
    item: String,
    #[arg(value_enum)]
    outcome: OutcomeArg,
    #[arg(long)]
    reason: Option<String>,
}

/// What became of the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutcomeArg {
    // The advice was adopted (采纳)
    #[value(alias = "采纳")]
    Adopted,
    // The advice was not adopted (未采纳), for a reason
    #[value(alias = "未采纳")]
    NotAdopted,
    // Not recorded (clears what was recorded)
    #[value(alias = "unset")]
    None,
}

pub fn run(command: &ItemCommand, store: &Store, ctx: &Context) -> Result<String> {
    let reference = match command {
        ItemCommand::Close(ItemArg { item }) | ItemCommand::Reopen(ItemArg { item }) => item,
        ItemCommand::Rate(a) => &a.item,
        ItemCommand::Outcome(a) => &a.item,
    };
    let item = store
        .item_by_ref(reference)?
        .ok_or_else(|| Refusal::NoSuchItem(reference.clone()))?;
    let mut state = ItemState::of(&item);
    match command {
        ItemCommand::Close(_) => state.status = ItemStatus::Closed,
        ItemCommand::Reopen(_) => state.status = ItemStatus::Open,
        ItemCommand::Rate(a) => {
            state.satisfaction = Satisfaction::parse_optional(&a.rating)
                .map_err(|e| Refusal::Item(ItemRefusal::UnknownRating(e.0)))?;
        }
        ItemCommand::Outcome(a) => state.outcome = outcome(a)?,
    }
    let saved = store.update_item(item.id, &state, &ctx.stamp)?;
    let done = ItemSet {
        number: &shown_number(&saved.number),
        state: &ItemState::of(&saved),
    };
    Ok(format!("{}\n", done.message(ctx.lang)))
}

/// The adoption `item outcome` records; a not-adopted advice needs its reason, and no other
/// outcome keeps one.
fn outcome(a: &OutcomeArgs) -> Result<Option<Adoption>> {
    let reason = a.reason.as_deref().map(str::trim).unwrap_or_default();
    match a.outcome {
        OutcomeArg::NotAdopted if reason.is_empty() => {
            Err(Refusal::Item(ItemRefusal::ReasonMissing).into())
        }
        OutcomeArg::NotAdopted => Ok(Some(Adoption {
            adopted: false,
            reason: reason.to_string(),
        })),
        _ if a.reason.is_some() => Err(Refusal::Item(ItemRefusal::ReasonNotKept).into()),
        OutcomeArg::Adopted => Ok(Some(Adoption {
            adopted: true,
            reason: String::new(),
        })),
        OutcomeArg::None => Ok(None),
    }
}
