//! `counsel-log verify`: checks the audit chain, its side file, and that items, entries and
//! indexes agree. Exit status 1 when anything is wrong, naming the first broken link.

use clap::Args;

use super::{Context, Error, Result, count};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct VerifyArgs {}

pub fn run(_: VerifyArgs, store: &Store, ctx: &Context) -> Result<String> {
    let v = store.verify()?;
    let lang = ctx.lang;
    let counts = match lang {
        crate::domain::Lang::Zh => format!(
            "审计记录 {} 条，记录 {} 条，事项 {} 项",
            v.audit_records, v.entries, v.items
        ),
        crate::domain::Lang::En => {
            format!(
                "{}, {}, {}",
                count(v.audit_records as usize, "audit record", "audit records"),
                count(v.entries as usize, "entry", "entries"),
                count(v.items as usize, "item", "items")
            )
        }
    };
    let path = store.path().display();
    if v.ok() {
        return Ok(match lang {
            crate::domain::Lang::Zh => format!(
                "{path} 校验通过：审计链完整，与 audit-head.json 一致，索引一致（{counts}）。\n"
            ),
            crate::domain::Lang::En => format!(
                "{path} verified: the audit chain is unbroken, matches audit-head.json, and every index agrees: {counts}.\n"
            ),
        });
    }
    let mut message = match lang {
        crate::domain::Lang::Zh => format!(
            "位于 {path} 的台账未通过校验（{counts}）；请用 `counsel-log restore` 从备份恢复："
        ),
        crate::domain::Lang::En => format!(
            "the store at {path} failed verification ({counts}); restore from a backup with `counsel-log restore`:"
        ),
    };
    for p in &v.problems {
        message.push_str("\n  ");
        message.push_str(&p.message(lang));
    }
    Err(Error::Input(message))
}
