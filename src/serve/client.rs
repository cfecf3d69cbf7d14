//! The caller's side: a command that finds the store held sends itself to the holder and waits
//! for what it printed, saying what happened if the holder goes away.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use super::wire::{Outcome, Reply, Request, line};
use super::{HOLDER, PATIENCE, socket_path};

/// How a command sent to the holder ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Forwarded {
    /// The holder ran it: this is what it printed.
    Done(Outcome),
    /// Nobody listens for the store: it is free, or held by a command that serves nobody.
    NoHolder,
    /// The holder went away before it began the command: nothing of it was done.
    LostBeforeStart,
    /// The holder went away after it began the command with the audit trail at `head`
    /// records: the trail says whether it was saved.
    LostAfterStart { head: u64 },
    /// The holder refused it (another version, another user): its words.
    Refused(String),
    /// The holder said nothing for [`PATIENCE`]: the process that holds the store, if known.
    Silent { pid: Option<u32> },
}

/// Sends `request` to the holder of the store at `store` and waits for the end of it, calling
/// `waiting` with the time spent each time the holder says it is still at work.
pub fn forward(store: &Path, request: &Request, waiting: &mut dyn FnMut(Duration)) -> Forwarded {
    let Ok(mut conn) = UnixStream::connect(socket_path(store)) else {
        return Forwarded::NoHolder;
    };
    if conn.set_read_timeout(Some(PATIENCE)).is_err() || conn.write_all(&line(request)).is_err() {
        return Forwarded::LostBeforeStart;
    }
    let began = Instant::now();
    let mut started = None;
    let mut lines = BufReader::new(conn).lines();
    loop {
        let text = match lines.next() {
            Some(Ok(text)) => text,
            Some(Err(e)) if is_timeout(&e) => return Forwarded::Silent { pid: holder(store) },
            // The holder closed the connection without finishing: it died or was killed.
            Some(Err(_)) | None => {
                return match started {
                    Some(head) => Forwarded::LostAfterStart { head },
                    None => Forwarded::LostBeforeStart,
                };
            }
        };
        match serde_json::from_str::<Reply>(&text) {
            Ok(Reply::Alive) => waiting(began.elapsed()),
            Ok(Reply::Started { head }) => started = Some(head),
            Ok(Reply::Refused { message }) => return Forwarded::Refused(message),
            Ok(Reply::Done(outcome)) => return Forwarded::Done(outcome),
            Err(_) => {}
        }
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// The process that holds the store at `store`, as it wrote beside its socket.
pub fn holder(store: &Path) -> Option<u32> {
    let bytes = std::fs::read(store.join(HOLDER)).ok()?;
    let about: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    about["pid"].as_u64().and_then(|p| u32::try_from(p).ok())
}
