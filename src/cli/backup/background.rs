//! The daily backup on a thread of its own, so that whoever holds the store (the interface,
//! `serve`) draws and answers while it is written and proven. The thread borrows the store
//! within a scope the holder opens around its loop; closing the holder cancels the backup,
//! which then stops within a few thousand records and leaves nothing behind.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{Scope, ScopedJoinHandle};

use super::{Context, Result, SafekeepingRefusal, daily_unless};
use crate::cli::messages::Aside;
use crate::cli::{Error, Refusal};
use crate::store::Store;

/// What the thread comes back with: what [`super::daily`] says.
type Outcome = Option<Result<PathBuf>>;

/// The daily backup running beside the holder's loop, if it is.
pub struct Background<'scope> {
    job: Option<ScopedJoinHandle<'scope, Outcome>>,
    cancel: Arc<AtomicBool>,
}

impl Default for Background<'_> {
    fn default() -> Self {
        Background {
            job: None,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl<'scope> Background<'scope> {
    /// Starts the day's backup of `store` as `ctx` says (see [`super::daily`]) on a thread of
    /// `scope`, unless one is still running.
    pub fn start<'env>(
        &mut self,
        scope: &'scope Scope<'scope, 'env>,
        store: &'env Store,
        ctx: &Context,
    ) {
        if self.running() {
            return;
        }
        let ctx = Context {
            lang: ctx.lang,
            today: ctx.today,
            stamp: ctx.stamp.clone(),
            config: ctx.config.clone(),
        };
        let cancel = Arc::clone(&self.cancel);
        self.job = Some(scope.spawn(move || daily_unless(store, &ctx, &cancel)));
    }

    /// True while a backup runs.
    pub fn running(&self) -> bool {
        self.job.as_ref().is_some_and(|job| !job.is_finished())
    }

    /// Once the backup has ended, what to say about it in `lang`; nothing while it runs, when
    /// none was due, or when it was cancelled.
    pub fn ended(&mut self, lang: crate::domain::Lang) -> Option<String> {
        if !self.job.as_ref().is_some_and(ScopedJoinHandle::is_finished) {
            return None;
        }
        let outcome = self.job.take()?.join().ok()??;
        notice(outcome).map(|aside| aside.message(lang))
    }

    /// Asks a running backup to stop; the scope's end then waits for it (moments, not the
    /// rest of the backup).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }
}

impl Drop for Background<'_> {
    fn drop(&mut self) {
        self.cancel();
    }
}

/// What the status line (or `serve`'s terminal) says of a daily backup's outcome; nothing of
/// one cancelled, whose holder is closing.
pub fn notice(outcome: Result<PathBuf>) -> Option<Aside> {
    match outcome {
        Ok(file) => Some(Aside::BackupDone(file)),
        Err(Error::Refused(Refusal::Safekeeping(SafekeepingRefusal::Cancelled { .. }))) => None,
        Err(e) => Some(Aside::BackupFailed(e)),
    }
}
