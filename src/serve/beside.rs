//! The two ends as `main` uses them: a command that found its store held ([`beside`]), and the
//! interface (or `counsel-log serve`) that holds one ([`Held`], [`serve_forever`]).

use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

use super::client::holder;
use super::{Forwarded, PATIENCE, Request, ServeText, Server, forward};
use crate::cli::Context;
use crate::cli::backup::Background;
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
/// the daily backup, on a thread of `scope` once the first frame is drawn and again when a new
/// day begins. Dropping it cancels a backup still running.
pub struct Held<'scope, 'env> {
    server: Option<Server>,
    store: &'env Store,
    ctx: &'env Context,
    scope: &'scope std::thread::Scope<'scope, 'env>,
    backup: Background<'scope>,
    /// The first frame is drawn: the day's backup has been started.
    shown: bool,
}

impl<'scope, 'env> Held<'scope, 'env> {
    /// Starts serving `store`; without a socket (a folder that takes none) the interface runs
    /// alone, and commands from elsewhere say the store is in use.
    pub fn start(
        store: &'env Store,
        ctx: &'env Context,
        scope: &'scope std::thread::Scope<'scope, 'env>,
    ) -> Held<'scope, 'env> {
        Held {
            server: Server::start(store.path(), "interface").ok(),
            store,
            ctx,
            scope,
            backup: Background::default(),
            shown: false,
        }
    }
}

impl crate::tui::Beside for Held<'_, '_> {
    fn serve(&mut self, store: &Store) -> bool {
        self.server.as_ref().is_some_and(|s| s.serve_waiting(store))
    }

    fn serving(&self) -> bool {
        self.server.is_some() || self.backup.running()
    }

    fn shown(&mut self) {
        if !self.shown {
            self.shown = true;
            self.backup.start(self.scope, self.store, self.ctx);
        }
    }

    fn new_day(&mut self, _: &Store) -> Option<String> {
        self.backup.start(self.scope, self.store, &today(self.ctx));
        None
    }

    fn news(&mut self) -> Option<String> {
        self.backup.ended(self.ctx.lang)
    }
}

/// `ctx` as of now: a new day began since it was made.
fn today(ctx: &Context) -> Context {
    let now = chrono::Local::now();
    Context {
        lang: ctx.lang,
        today: now.date_naive(),
        stamp: Stamp::new(now.fixed_offset(), ctx.stamp.who.clone()),
        config: ctx.config.clone(),
    }
}

/// `counsel-log serve`: holds the store and runs the commands of other terminals until the
/// process is stopped, taking the daily backup beside them on a thread of its own (on the
/// first start of a day, and again as each new day begins), and saying on its terminal how
/// it went.
pub fn serve_forever(store: &Store, ctx: &Context) -> Result<String, String> {
    let lang = ctx.lang;
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
    std::thread::scope(|scope| {
        let mut backup = Background::default();
        backup.start(scope, store, ctx);
        let mut day = ctx.today;
        while !stop.load(std::sync::atomic::Ordering::Relaxed) {
            server.serve_next(store, Duration::from_millis(200));
            if let Some(notice) = backup.ended(lang) {
                eprintln!("counsel-log: {notice}");
            }
            if chrono::Local::now().date_naive() > day {
                let now = today(ctx);
                day = now.today;
                backup.start(scope, store, &now);
            }
        }
        // Stopping cancels a backup still running; the scope waits the moment it takes.
        backup.cancel();
    });
    Ok(String::new())
}
