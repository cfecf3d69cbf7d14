//! `counsel-log peer add|list|set|remove`: the stores enrolled here to speak for some advisors.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::messages::{TeamDone, TeamRefusal};
use super::{Context, ListFormat, Refusal, Result, read_file};
use crate::domain::Lang;
use crate::store::{Peer, Store};
use crate::sync::{self, Card};

#[derive(Debug, Subcommand)]
pub enum PeerCommand {
    Add(AddArgs),
    List(ListArgs),
    Set(SetArgs),
    Remove(RemoveArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    card: PathBuf,
    #[arg(long, value_delimiter = ',', required = true)]
    advisors: Vec<String>,
    #[arg(long)]
    name: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value = "table")]
    format: ListFormat,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    peer: String,
    #[arg(long, value_delimiter = ',')]
    advisors: Option<Vec<String>>,
    #[arg(long)]
    name: Option<String>,
    #[arg(long, value_name = "FILE")]
    card: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    peer: String,
}

pub fn run(command: PeerCommand, store: &Store, ctx: &Context) -> Result<String> {
    match command {
        PeerCommand::Add(a) => add(&a, store, ctx),
        PeerCommand::List(a) => Ok(list(&store.peers()?, a.format, ctx.lang)),
        PeerCommand::Set(a) => {
            let before = store.find_peer(&a.peer)?;
            if a.advisors.is_none() && a.name.is_none() && a.card.is_none() {
                return Err(Refusal::Team(TeamRefusal::NothingToChange).into());
            }
            let mut after = before.clone();
            if let Some(advisors) = &a.advisors {
                after.advisors = clean(advisors);
            }
            if let Some(name) = &a.name {
                after.name = checked_name(name)?;
            }
            if let Some(file) = &a.card {
                let card = read_card(file)?;
                if card.store != before.store {
                    return Err(Refusal::Team(TeamRefusal::OtherStore {
                        card: card.store.to_string(),
                        peer: before.name.clone(),
                    })
                    .into());
                }
                after.public_key = hex::encode(card.public_key.as_bytes());
            }
            store.update_peer(&before, &after, &ctx.stamp)?;
            Ok(format!(
                "{}\n",
                TeamDone::PeerChanged(&after, a.card.is_some()).message(ctx.lang)
            ))
        }
        PeerCommand::Remove(a) => {
            let peer = store.find_peer(&a.peer)?;
            store.remove_peer(&peer, &ctx.stamp)?;
            Ok(format!(
                "{}\n",
                TeamDone::PeerRemoved(&peer).message(ctx.lang)
            ))
        }
    }
}

fn add(a: &AddArgs, store: &Store, ctx: &Context) -> Result<String> {
    let card = read_card(&a.card)?;
    let name = match &a.name {
        Some(n) => checked_name(n)?,
        None => card.name.clone(),
    };
    let peer = Peer {
        store: card.store,
        name,
        public_key: hex::encode(card.public_key.as_bytes()),
        advisors: clean(&a.advisors),
        added: ctx.stamp.at,
        last: None,
    };
    store.add_peer(&peer, &ctx.stamp)?;
    Ok(format!("{}\n", TeamDone::Enrolled(&peer).message(ctx.lang)))
}

fn read_card(file: &std::path::Path) -> Result<Card> {
    Card::parse(&read_file(file)?).map_err(|fault| {
        Refusal::Team(TeamRefusal::Card {
            path: file.to_path_buf(),
            fault,
        })
        .into()
    })
}

fn checked_name(name: &str) -> Result<String> {
    sync::check_name(name).map_err(|e| Refusal::Team(TeamRefusal::Name(e)).into())
}

/// Advisor ids as typed: trimmed, blanks and repeats dropped, in order.
fn clean(ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
        if !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out
}

fn list(peers: &[Peer], format: ListFormat, lang: Lang) -> String {
    match format {
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = peers.iter().map(peer_json).collect();
            format!("{}\n", serde_json::Value::Array(rows))
        }
        ListFormat::Csv | ListFormat::Table => super::messages::peer_table(peers, lang),
    }
}

fn peer_json(p: &Peer) -> serde_json::Value {
    let last = p.last.as_ref().map(|r| {
        serde_json::json!({
            "at": crate::store::time_text(&r.at),
            "created": crate::store::time_text(&r.created),
            "head": r.head,
            "items": r.items,
            "entries": r.entries,
            "deletions": r.deletions,
            "corrections": r.corrections,
        })
    });
    serde_json::json!({
        "store": p.store.to_string(),
        "name": p.name,
        "public_key": p.public_key,
        "advisors": p.advisors,
        "added": crate::store::time_text(&p.added),
        "last_bundle": last,
    })
}
