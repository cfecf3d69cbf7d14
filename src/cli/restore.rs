//! `counsel-log restore FILE.json`: load an export into an empty store.

use std::path::PathBuf;

use clap::Args;

use super::{Context, Error, Result, count, read_file};
use crate::domain::Lang;
use crate::store::{Snapshot, Store};

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A backup written by `counsel-log backup`, or a file written by `export --format json`
    file: PathBuf,
}

pub fn run(a: RestoreArgs, store: &Store, ctx: &Context) -> Result<String> {
    let (lang, file) = (ctx.lang, a.file.display());
    let bytes = read_file(&a.file)?;
    if crate::store::is_backup(&bytes) {
        let snapshot = crate::store::read_backup(&bytes).map_err(|m| {
            let m = m.message(lang);
            Error::Input(match lang {
                Lang::En => format!("{file} cannot be restored: {m}; nothing was changed"),
                Lang::Zh => format!("{file} 无法恢复：{m}；台账未作任何改动"),
            })
        })?;
        return restore(store, ctx, &a.file, &snapshot);
    }
    let snapshot: Snapshot = serde_json::from_slice(&bytes).map_err(|e| {
        Error::Input(match lang {
            Lang::En => format!(
                "{file} is not a counsel-log JSON export ({e}): give a file written by `counsel-log export --format json`"
            ),
            Lang::Zh => format!(
                "{file} 不是 counsel-log 的 JSON 导出文件（{e}）：请使用 `counsel-log export --format json` 写出的文件"
            ),
        })
    })?;
    restore(store, ctx, &a.file, &snapshot)
}

fn restore(
    store: &Store,
    ctx: &Context,
    file: &std::path::Path,
    snapshot: &Snapshot,
) -> Result<String> {
    store.restore(snapshot, &file.display().to_string(), &ctx.stamp)?;
    let (a, i, e) = (
        snapshot.advisors.len(),
        snapshot.items.len(),
        snapshot.entries.len(),
    );
    Ok(match ctx.lang {
        Lang::Zh => format!("已恢复 {a} 名顾问、{i} 项事项、{e} 条记录。\n"),
        Lang::En => format!(
            "Restored {}, {} and {}.\n",
            count(a, "advisor", "advisors"),
            count(i, "item", "items"),
            count(e, "entry", "entries")
        ),
    })
}
