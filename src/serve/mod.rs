//! Working beside the process that holds the store. sled lets one process open a store, so the
//! one that holds it (an open interface, or `counsel-log serve`) listens on a Unix socket in
//! the store's folder and runs the commands other terminals send it, one at a time, on the
//! store it has open; a command that finds the store held sends its arguments there and
//! prints what comes back, with the same output, exit status and files as on a free store.
//!
//! The socket is the owner's alone: mode 0600 in the store's folder, and on Linux the peer's
//! user id is checked against this process's. Imports `cli` and `store`; the interface reaches
//! it only through the hook `main` hands it.

mod beside;
mod client;
mod messages;
mod server;
mod view;
mod wire;

pub use beside::{Beside, Held, beside, serve_forever};
pub use client::{Forwarded, forward};
pub use messages::ServeText;
pub use server::Server;
pub use view::{ReadOnly, Viewing};
pub use wire::{Outcome, Request};

use std::path::{Path, PathBuf};

/// The socket's name in the store's folder.
pub const SOCKET: &str = "serve.sock";

/// The file beside the socket naming the process that holds the store.
pub const HOLDER: &str = "serve.json";

/// Where the holder of the store at `store` listens.
pub fn socket_path(store: &Path) -> PathBuf {
    store.join(SOCKET)
}

/// How long a command waits for the holder to say anything (it speaks at least every second
/// while it works) before it gives up on it.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);
