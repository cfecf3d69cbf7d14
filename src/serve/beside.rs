//! The two ends as `main` uses them: a command that found its store held ([`beside`]), and the
//! interface (or `counsel-log serve`) that holds one ([`Held`], [`serve_forever`]).

use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use super::client::holder;
use super::{Forwarded, PATIENCE, Request, ServeText, Server, forward};
use crate::cli::Context;
use crate::cli::messages::Aside;
use crate::domain::Lang;
use crate::store::{AuditAction, Stamp, Store, StoreError};

/// What became of a command that found its store held.
pub enum Beside {
    /// The holder ran it (or refused it): what to print, as the command itself would.
    Answered(Result<String, String>),
    /// The holder stopped after saving it: the line that says so (the command's own output is
    /// lost with the holder).
    SavedThenLost(String),
    /// The store is free now (the holder finished or died before the command began): run it
    /// here.
    Free(Box<Store>),
    /// A second interface: show a read-only copy ([`super::Viewing`]).
    View,
}

/// Sends the command the arguments of `request` name to the holder of the store at `path`.
/// `reopen` opens the store here, for when the holder is gone. A second interface (no command)
/// is told where the first one is.
pub fn beside(
    path: &Path,
    interface: bool,
    request: &Request,
    lang: Lang,
    reopen: impl Fn() -> crate::store::Result<Store>,
) -> Beside {
    if interface {
        return Beside::View;
    }
    let mut told = false;
    let mut waiting = |spent: Duration| {
        // A long command (an import) says it is at work, on a terminal only: piped output stays
        // what the command prints.
        if !told && spent >= Duration::from_secs(2) && std::io::stderr().is_terminal() {
            told = true;
            eprintln!(
                "counsel-log: {}",
                ServeText::Working { pid: holder(path) }.message(lang)
            );
        }
    };
    match forward(path, request, &mut waiting) {
        Forwarded::Done(outcome) if outcome.code == 0 => Beside::Answered(Ok(outcome.stdout)),
        Forwarded::Done(outcome) => Beside::Answered(Err(outcome.stderr.join("\n"))),
        Forwarded::Refused(message) => Beside::Answered(Err(message)),
        Forwarded::Silent { pid } => Beside::Answered(Err(ServeText::Silent {
            path: path.to_path_buf(),
            pid,
        }
        .message(lang))),
        // Held by a command that serves nobody: it holds the store only while it runs.
        Forwarded::NoHolder => match wait_free(lang, &reopen, Duration::from_secs(2)) {
            Ok(store) => Beside::Free(Box::new(store)),
            Err(message) => Beside::Answered(Err(message)),
        },
        Forwarded::LostBeforeStart => match wait_free(lang, &reopen, PATIENCE) {
            Ok(store) => Beside::Free(Box::new(store)),
            Err(message) => Beside::Answered(Err(message)),
        },
        Forwarded::LostAfterStart { head } => match wait_free(lang, &reopen, PATIENCE) {
            Ok(store) => match saved_after(&store, head) {
                Some(record) => {
                    Beside::SavedThenLost(ServeText::SavedThenLost { record }.message(lang))
                }
                // Nothing of it reached the trail: it was not saved, and runs here.
                None => Beside::Free(Box::new(store)),
            },
            Err(message) => Beside::Answered(Err(message)),
        },
    }
}

/// Opens the store once its holder lets go: a command that serves nobody holds it only while it
/// runs, and a holder that died lets go at once.
fn wait_free(
    lang: Lang,
    reopen: &impl Fn() -> crate::store::Result<Store>,
    patience: Duration,
) -> Result<Store, String> {
    let deadline = Instant::now() + patience;
    loop {
        match reopen() {
            Ok(store) => return Ok(store),
            Err(StoreError::InUse { .. }) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            // Still held: the store's own words (which process to close or wait for).
            Err(e) => return Err(e.message(lang)),
        }
    }
}

/// The first record after `head` that a command wrote, if any: a rollback is the next open
/// taking back a write that never finished, not the command.
fn saved_after(store: &Store, head: u64) -> Option<u64> {
    let trail = store.audit_trail().ok()?;
    trail
        .iter()
        .find(|r| r.seq > head && r.action != AuditAction::Rollback)
        .map(|r| r.seq)
}

/// What runs beside the interface on the store it holds: the server for other terminals, and
/// the daily backup when a new day begins.
pub struct Held<'a> {
    server: Option<Server>,
    ctx: &'a Context,
}

impl<'a> Held<'a> {
    /// Starts serving the store at `store`; without a socket (a folder that takes none) the
    /// interface runs alone, and commands from elsewhere say the store is in use.
    pub fn start(store: &Store, ctx: &'a Context) -> Held<'a> {
        Held {
            server: Server::start(store.path(), "interface").ok(),
            ctx,
        }
    }
}

impl crate::tui::Beside for Held<'_> {
    fn serve(&mut self, store: &Store) -> bool {
        self.server.as_ref().is_some_and(|s| s.serve_waiting(store))
    }

    fn serving(&self) -> bool {
        self.server.is_some()
    }

    fn new_day(&mut self, store: &Store) -> Option<String> {
        let now = chrono::Local::now();
        let ctx = Context {
            lang: self.ctx.lang,
            today: now.date_naive(),
            stamp: Stamp::new(now.fixed_offset(), self.ctx.stamp.who.clone()),
            config: self.ctx.config.clone(),
        };
        let notice = match crate::cli::backup::daily(store, &ctx)? {
            Ok(file) => Aside::BackupDone(file),
            Err(e) => Aside::BackupFailed(e),
        };
        Some(notice.message(ctx.lang))
    }
}

/// `counsel-log serve`: holds the store and runs the commands of other terminals until the
/// process is stopped.
pub fn serve_forever(store: &Store, lang: Lang) -> Result<String, String> {
    let server = Server::start(store.path(), "serve").map_err(|e| {
        ServeText::NoSocket {
            path: store.path().to_path_buf(),
            error: e.to_string(),
        }
        .message(lang)
    })?;
    eprintln!(
        "counsel-log: {}",
        ServeText::Serving {
            path: store.path().to_path_buf(),
            pid: std::process::id(),
        }
        .message(lang)
    );
    // Ctrl-C and SIGTERM end the loop, so the socket is removed and the store closed cleanly.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register(signal, std::sync::Arc::clone(&stop));
    }
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        server.serve_next(store, Duration::from_millis(200));
    }
    Ok(String::new())
}
