//! What travels on the socket: one request line from the command, then lines from the holder
//! (it is alive, it started, the outcome), each a JSON document.

use serde::{Deserialize, Serialize};

/// A command as the terminal that typed it would have run it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The version of counsel-log that sends it: a holder of another version refuses.
    pub version: String,
    /// The arguments after the program's name.
    pub args: Vec<String>,
    /// The working directory, against which relative file names are read and written.
    pub cwd: std::path::PathBuf,
    /// The language the command was asked to speak (`zh` or `en`).
    pub lang: String,
    /// Who the audit trail records for it.
    pub who: String,
    /// The configuration file it read.
    pub config: std::path::PathBuf,
}

/// What a command printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub stdout: String,
    /// Lines for standard error, each printed as `counsel-log: LINE`.
    pub stderr: Vec<String>,
    pub code: u8,
}

/// One line from the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// Still there, waiting its turn or working.
    Alive,
    /// Began the command with the audit trail at `head` records: if the holder dies from here
    /// on, the command may have been saved, and the trail says whether.
    Started {
        head: u64,
    },
    /// Refused before starting (another version, another user).
    Refused {
        message: String,
    },
    Done(Outcome),
}

/// A value as one line.
pub fn line<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
