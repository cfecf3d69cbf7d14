//! `counsel-log verify`: checks the audit chain, its side file, and that items, entries and
//! indexes agree. Exit status 1 when anything is wrong, naming the first broken link.

use clap::Args;

use super::messages::{SafekeepingRefusal, Safekept};
use super::{Context, Refusal, Result};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct VerifyArgs {}

pub fn run(_: &VerifyArgs, store: &Store, ctx: &Context) -> Result<String> {
    let verification = store.verify()?;
    // Damage found stops the store for later commands; a store found whole is cleared.
    store.verified(&verification);
    let path = store.path();
    if verification.ok() {
        let done = Safekept::Verified {
            path,
            verification: &verification,
        };
        return Ok(format!("{}\n", done.message(ctx.lang)));
    }
    Err(Refusal::Safekeeping(SafekeepingRefusal::Unverified {
        path: path.to_path_buf(),
        verification,
    })
    .into())
}
