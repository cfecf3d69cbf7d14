//! The holder's side: a listener thread takes each connection, and the thread that holds the
//! store runs the commands one at a time when it asks for them ([`Server::serve_waiting`]), so
//! writes from every terminal are serialised, each still one transaction made durable before
//! its caller hears that it is saved.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use super::wire::{Outcome, Reply, Request, line};
use super::{HOLDER, PATIENCE, ServeText, socket_path};
use crate::cli::{self, Cli, Context};
use crate::config::Config;
use crate::domain::Lang;
use crate::store::{Stamp, Store};

/// A command waiting for the holder, with the way back to its caller.
struct Job {
    request: Request,
    replies: Sender<Reply>,
}

/// The socket of the process holding a store; removed when dropped.
pub struct Server {
    socket: PathBuf,
    holder: PathBuf,
    jobs: Receiver<Job>,
}

impl Server {
    /// Listens for the commands of other terminals on the store at `store`, which this process
    /// holds. `kind` says what holds it (`interface`, `serve`), for whoever finds it busy.
    pub fn start(store: &Path, kind: &str) -> std::io::Result<Server> {
        use std::os::unix::fs::PermissionsExt;
        let socket = socket_path(store);
        // This process holds the store, so a socket already there is one a holder that died
        // left behind.
        let _ = std::fs::remove_file(&socket);
        // Made under a temporary name and closed to others before it takes its real one.
        let pending = store.join(format!("{}.{}.tmp", super::SOCKET, std::process::id()));
        let _ = std::fs::remove_file(&pending);
        let listener = UnixListener::bind(&pending)?;
        std::fs::set_permissions(&pending, std::fs::Permissions::from_mode(0o600))?;
        std::fs::rename(&pending, &socket)?;
        let holder = store.join(HOLDER);
        let about = serde_json::json!({"pid": std::process::id(), "kind": kind});
        std::fs::write(&holder, line(&about))?;
        let (send, jobs) = mpsc::channel();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let send = send.clone();
                std::thread::spawn(move || connection(&conn, &send));
            }
        });
        Ok(Server {
            socket,
            holder,
            jobs,
        })
    }

    /// Runs every command waiting, one after another, on `store`; true when one of them
    /// changed it.
    pub fn serve_waiting(&self, store: &Store) -> bool {
        let mut changed = false;
        while let Ok(job) = self.jobs.try_recv() {
            changed |= serve(store, &job);
        }
        changed
    }

    /// Waits up to `wait` for a command and runs it (and any behind it); true when one
    /// changed the store.
    pub fn serve_next(&self, store: &Store, wait: Duration) -> bool {
        match self.jobs.recv_timeout(wait) {
            Ok(job) => serve(store, &job) | self.serve_waiting(store),
            Err(_) => false,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.socket);
        let _ = std::fs::remove_file(&self.holder);
    }
}

/// Runs one command: says it started (with the audit head it started from), runs it, sends
/// what it printed. True when the trail moved.
fn serve(store: &Store, job: &Job) -> bool {
    let head = store.audit_head_record().map(|h| h.count).unwrap_or(0);
    let _ = job.replies.send(Reply::Started { head });
    let outcome = execute(store, &job.request, chrono::Local::now());
    let _ = job.replies.send(Reply::Done(outcome));
    store.audit_head_record().map(|h| h.count).unwrap_or(0) != head
}

/// Runs a command as the terminal that sent it would have: its arguments, its working
/// directory, its language, its name in the trail, its configuration.
pub fn execute(store: &Store, request: &Request, now: chrono::DateTime<chrono::Local>) -> Outcome {
    let lang = Lang::parse(&request.lang).unwrap_or(Lang::Zh);
    let failed = |message: String| Outcome {
        stdout: String::new(),
        stderr: vec![message],
        code: 1,
    };
    let config = match Config::load(&request.config) {
        Ok(config) => config,
        Err(e) => return failed(e.message(lang)),
    };
    let args = std::iter::once("counsel-log".to_string()).chain(request.args.iter().cloned());
    let command = match <Cli as clap::Parser>::try_parse_from(args) {
        Ok(Cli {
            command: Some(command),
            ..
        }) => command,
        // The caller parsed the same arguments with the same version before sending them.
        _ => return failed(ServeText::NotACommand.message(lang)),
    };
    let ctx = Context {
        lang,
        today: now.date_naive(),
        stamp: Stamp::new(now.fixed_offset(), request.who.clone()),
        config,
    };
    // Relative file names are the caller's: the command runs in its folder. The store was
    // opened by its absolute path, so nothing of it moves with the working directory.
    let here = std::env::current_dir();
    if std::env::set_current_dir(&request.cwd).is_err() {
        return failed(ServeText::NoFolder(request.cwd.clone()).message(lang));
    }
    let result = cli::run(command, store, &ctx);
    if let Ok(here) = here {
        let _ = std::env::set_current_dir(here);
    }
    match result {
        Ok(stdout) => Outcome {
            stdout,
            stderr: Vec::new(),
            code: 0,
        },
        Err(cli::Error::Store(e)) => failed(store.notice(e).message(lang)),
        Err(e) => failed(e.message(lang)),
    }
}

/// One caller: checked, its request read and queued, then every reply passed on, with a sign
/// of life each second while it waits, until its command is done.
fn connection(conn: &UnixStream, jobs: &Sender<Job>) {
    let mut out = match conn.try_clone() {
        Ok(out) => out,
        Err(_) => return,
    };
    if let Some(refusal) = stranger(conn) {
        let _ = out.write_all(&line(&Reply::Refused { message: refusal }));
        return;
    }
    let _ = conn.set_read_timeout(Some(PATIENCE));
    let mut text = String::new();
    if BufReader::new(conn).read_line(&mut text).is_err() {
        return;
    }
    let Ok(request) = serde_json::from_str::<Request>(&text) else {
        return;
    };
    let lang = Lang::parse(&request.lang).unwrap_or(Lang::Zh);
    if request.version != env!("CARGO_PKG_VERSION") {
        let message = ServeText::OtherVersion {
            holder: env!("CARGO_PKG_VERSION").into(),
            caller: request.version.clone(),
        }
        .message(lang);
        let _ = out.write_all(&line(&Reply::Refused { message }));
        return;
    }
    let (replies, answers) = mpsc::channel();
    if jobs.send(Job { request, replies }).is_err() {
        return;
    }
    loop {
        let reply = match answers.recv_timeout(Duration::from_secs(1)) {
            Ok(reply) => reply,
            Err(RecvTimeoutError::Timeout) => Reply::Alive,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let done = matches!(reply, Reply::Done(_));
        // A caller that went away no longer hears; its command still runs to the end.
        let _ = out.write_all(&line(&reply));
        if done {
            return;
        }
    }
}

/// Why a connection is refused when it comes from another user (Linux checks the peer's user
/// id; elsewhere the socket's mode 0600 is the whole check).
#[cfg(target_os = "linux")]
fn stranger(conn: &UnixStream) -> Option<String> {
    let me = rustix::process::getuid();
    match rustix::net::sockopt::socket_peercred(conn) {
        Ok(peer) if peer.uid == me => None,
        _ => Some(ServeText::Stranger.message(Lang::En)),
    }
}

#[cfg(not(target_os = "linux"))]
fn stranger(_conn: &UnixStream) -> Option<String> {
    None
}
