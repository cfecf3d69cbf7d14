//! `counsel-log identity [--out FILE] [--name NAME]`: this store's card — its id, its name and
//! the public key its bundles are signed with — for the office to enrol.

use std::path::PathBuf;

use clap::Args;

use super::messages::{TeamDone, TeamRefusal};
use super::{Context, Refusal, Result, write_file};
use crate::store::Store;
use crate::sync;

#[derive(Debug, Args)]
pub struct IdentityArgs {
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    new_key: bool,
}

pub fn run(a: &IdentityArgs, store: &Store, ctx: &Context) -> Result<String> {
    if a.new_key {
        // Only where there is none: a key that exists is never replaced.
        match crate::store::load_key(store.path()) {
            Err(crate::store::KeyFault::Missing { .. }) => {
                crate::store::load_or_create_key(store.path())
                    .map_err(crate::store::StoreError::from)?;
            }
            Err(e) => return Err(crate::store::StoreError::from(e).into()),
            Ok(_) => return Err(Refusal::Team(TeamRefusal::KeyExists).into()),
        }
    }
    if let Some(name) = &a.name {
        let name = sync::check_name(name).map_err(|e| Refusal::Team(TeamRefusal::Name(e)))?;
        if store.store_name()?.as_deref() != Some(name.as_str()) {
            store.set_store_name(&name, &ctx.stamp)?;
        }
    }
    let card = sync::card(store, &ctx.stamp.who)?;
    match &a.out {
        None => Ok(card.to_json()),
        Some(file) if file.as_os_str() == "-" => Ok(card.to_json()),
        Some(file) => {
            write_file(store, file, card.to_json().as_bytes())?;
            let done = TeamDone::CardWritten {
                file,
                name: &card.name,
                store: card.store.to_string(),
            };
            Ok(format!("{}\n", done.message(ctx.lang)))
        }
    }
}
