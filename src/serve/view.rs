//! A second interface on a store another one holds: the holder exports the ledger, a scratch
//! store takes it in, and the interface shows it read-only, saying where changes go.

use std::path::{Path, PathBuf};

use super::{Forwarded, Request, ServeText, client::holder, forward};
use crate::domain::Lang;
use crate::store::{Snapshot, Stamp, Store};

/// A read-only copy of a held store, in a scratch folder removed by [`Viewing::close`] (and
/// swept like the demo's if the process dies first).
pub struct Viewing {
    pub store: Store,
    dir: PathBuf,
    /// What the interface says about it, and says again when a change is tried.
    pub why: String,
}

impl Viewing {
    /// Takes a copy of the store at `path` from its holder. `Err` holds the message to print
    /// when there is no copy to be had.
    pub fn take(
        path: &Path,
        request: &Request,
        lang: Lang,
        stamp: &Stamp,
    ) -> Result<Viewing, String> {
        let pid = holder(path);
        let refused = || {
            ServeText::SecondInterface {
                path: path.to_path_buf(),
                pid,
            }
            .message(lang)
        };
        crate::demo::sweep(&std::env::temp_dir());
        let dir = std::env::temp_dir().join(format!("counsel-log-demo-{}", std::process::id()));
        let file = dir.with_extension("json");
        let export = Request {
            args: ["export", "--format", "json"]
                .into_iter()
                .map(String::from)
                .chain([file.display().to_string()])
                .collect(),
            ..request.clone()
        };
        if !matches!(forward(path, &export, &mut |_| {}), Forwarded::Done(o) if o.code == 0) {
            return Err(refused());
        }
        let snapshot = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Snapshot>(&bytes).ok());
        let _ = std::fs::remove_file(&file);
        let snapshot = snapshot.ok_or_else(refused)?;
        let mut store = Store::open(&dir).map_err(|e| e.message(lang))?;
        store
            .restore(&snapshot, &path.display().to_string(), stamp)
            .map_err(|e| e.message(lang))?;
        let why = ServeText::Viewing {
            pid,
            at: stamp.at.format("%H:%M").to_string(),
        }
        .message(lang);
        Ok(Viewing { store, dir, why })
    }

    /// Closes the copy and removes its folder.
    pub fn close(self) {
        let Viewing { store, dir, .. } = self;
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// What runs beside a read-only view: nothing, and a reason for every refused change.
pub struct ReadOnly(pub String);

impl crate::tui::Beside for ReadOnly {
    fn serve(&mut self, _: &Store) -> bool {
        false
    }
    fn serving(&self) -> bool {
        false
    }
    fn new_day(&mut self, _: &Store) -> Option<String> {
        None
    }
    fn read_only(&self) -> Option<String> {
        Some(self.0.clone())
    }
}
