//! The texts of the team's commands — `identity`, `peer`, `bundle`, `import bundle`, `correct`
//! and `missing` — in both languages side by side.

use std::path::PathBuf;

use super::count;
use crate::domain::duration::DurationError;
use crate::domain::period::PeriodError;
use crate::domain::{Lang, Minutes};
use crate::store::{MergeReport, Peer};
use crate::sync::{CardFault, Counts, IdentityFault};

/// Why a team command refused its arguments; nothing was changed.
#[derive(Debug)]
pub enum TeamRefusal {
    Card {
        path: PathBuf,
        fault: CardFault,
    },
    Name(IdentityFault),
    Hours(DurationError),
    Date(PeriodError),
    /// `correct` names an entry that is not a number.
    NotAnEntry(String),
    /// `peer set` with nothing to change.
    NothingToChange,
    /// `identity --new-key` where the store has a key.
    KeyExists,
    /// `peer set --card` with the card of another store.
    OtherStore {
        card: String,
        peer: String,
    },
}

impl TeamRefusal {
    pub fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            TeamRefusal::Card { path, fault } => {
                let path = path.display();
                (
                    format!("{path}：{}", fault.message(Lang::Zh)),
                    format!("{path}: {}", fault.message(Lang::En)),
                )
            }
            TeamRefusal::Name(fault) => (fault.message(Lang::Zh), fault.message(Lang::En)),
            TeamRefusal::Hours(e) => (e.message(Lang::Zh), e.message(Lang::En)),
            TeamRefusal::Date(e) => (e.message(Lang::Zh), e.message(Lang::En)),
            TeamRefusal::NotAnEntry(what) => (
                format!("“{what}”不是记录编号：请写 log 打印的编号，如 #282 或 282"),
                format!(
                    "\"{what}\" is not an entry number: give the number log printed, e.g. #282"
                ),
            ),
            TeamRefusal::NothingToChange => (
                "未指定要修改的内容：请给出 --advisors、--name 或 --card".to_string(),
                "nothing to change: give --advisors, --name or --card".to_string(),
            ),
            TeamRefusal::OtherStore { card, peer } => (
                format!(
                    "该名片属于另一个台账（{card}），不是“{peer}”：新的台账请用 counsel-log peer add 登记"
                ),
                format!(
                    "that card is another store's ({card}), not \"{peer}\"'s: enrol a new store with \
                        counsel-log peer add"
                ),
            ),
            TeamRefusal::KeyExists => (
                "本台账已有签名密钥，不会替换它：--new-key 只用于密钥文件丢失之后".to_string(),
                "this store has its signing key, which is never replaced: --new-key is only for \
                    after the key file was lost"
                    .to_string(),
            ),
        };
        lang.of((zh, en))
    }
}

/// What a team command did.
pub enum TeamDone<'a> {
    /// `identity --out FILE`.
    CardWritten {
        file: &'a std::path::Path,
        name: &'a str,
        store: String,
    },
    Enrolled(&'a Peer),
    PeerChanged(&'a Peer),
    PeerRemoved(&'a Peer),
    Bundled {
        file: &'a str,
        counts: Counts,
        everything: bool,
    },
    BundleImported {
        from: &'a str,
        created: String,
        report: &'a MergeReport,
        dry_run: bool,
    },
    Corrected {
        entry: u64,
        was: Minutes,
        now: Minutes,
        date: chrono::NaiveDate,
        reason: &'a str,
    },
}

impl TeamDone<'_> {
    pub fn message(&self, lang: Lang) -> String {
        lang.of(match self {
            TeamDone::CardWritten { file, name, store } => {
                let file = file.display();
                (
                    format!(
                        "已把本台账的名片写入 {file}（“{name}”，{store}）。请交给汇总单位登记：\
                            counsel-log peer add {file} --advisors 顾问编号…"
                    ),
                    format!(
                        "Wrote this store's card to {file} (\"{name}\", {store}). Give it to the \
                            office to enrol: counsel-log peer add {file} --advisors IDS…"
                    ),
                )
            }
            TeamDone::Enrolled(p) => (
                format!(
                    "已登记台账“{}”（{}），可代表 {}。",
                    p.name,
                    p.store,
                    p.advisors.join("、")
                ),
                format!(
                    "Enrolled \"{}\" ({}) to speak for {}.",
                    p.name,
                    p.store,
                    p.advisors.join(", ")
                ),
            ),
            TeamDone::PeerChanged(p) => (
                format!("台账“{}”现可代表 {}。", p.name, p.advisors.join("、")),
                format!("\"{}\" now speaks for {}.", p.name, p.advisors.join(", ")),
            ),
            TeamDone::PeerRemoved(p) => (
                format!(
                    "已取消登记台账“{}”：此后它的数据包将被拒收，已导入的记录保留。",
                    p.name
                ),
                format!(
                    "Removed \"{}\": its bundles are refused from now on; what it sent stays.",
                    p.name
                ),
            ),
            TeamDone::Bundled {
                file,
                counts,
                everything,
            } => bundled(file, counts, *everything),
            TeamDone::BundleImported {
                from,
                created,
                report,
                dry_run,
            } => imported(from, created, report, *dry_run),
            TeamDone::Corrected {
                entry,
                was,
                now,
                date,
                reason,
            } => (
                format!(
                    "已更正记录 #{entry}：按 {} 小时（原 {} 小时）计入 {date}；原因：{reason}。\
                        原记录保留在审计记录中。",
                    now.hours(),
                    was.hours()
                ),
                format!(
                    "Corrected entry #{entry}: counted as {} h (was {} h) on {date}; reason: \
                        {reason}. The entry as logged stays in the audit trail.",
                    now.hours(),
                    was.hours()
                ),
            ),
        })
    }
}

fn bundled(file: &str, c: &Counts, everything: bool) -> (String, String) {
    let scope = if everything {
        ("全部记录", "every record")
    } else {
        ("上次数据包以来的改动", "the changes since the last bundle")
    };
    (
        format!(
            "已写出数据包 {file}（{}）：{} 条记录、{} 项事项、{} 条删除、{} 条更正，已用本台账的密钥签名。",
            scope.0, c.entries, c.items, c.deletions, c.corrections
        ),
        format!(
            "Wrote the bundle {file} ({}): {}, {}, {}, {}; signed with this store's key.",
            scope.1,
            count(c.entries, "entry", "entries"),
            count(c.items, "item", "items"),
            count(c.deletions, "deletion", "deletions"),
            count(c.corrections, "correction", "corrections"),
        ),
    )
}

fn imported(from: &str, created: &str, r: &MergeReport, dry_run: bool) -> (String, String) {
    let (verb_zh, verb_en) = if dry_run {
        ("试导入（未写入）", "Dry run (nothing written) of")
    } else {
        ("已导入", "Imported")
    };
    let mut zh = format!(
        "{verb_zh}来自“{from}”的数据包（写于 {created}）：新增记录 {}、更新 {}、删除 {}；新增事项 {}\
            （按编号并入已有事项 {}）、更新事项 {}；更正 {}；未变（已有同版或更新版本）{}。",
        r.entries_new,
        r.entries_updated,
        r.entries_deleted,
        r.items_new,
        r.items_joined,
        r.items_updated,
        r.corrections,
        r.unchanged
    );
    let mut en = format!(
        "{verb_en} the bundle from \"{from}\" (written {created}): entries {} new, {} updated, \
            {} deleted; items {} new ({} joined an item here by key), {} updated; corrections {}; \
            {} unchanged (already here at that revision or newer).",
        r.entries_new,
        r.entries_updated,
        r.entries_deleted,
        r.items_new,
        r.items_joined,
        r.items_updated,
        r.corrections,
        r.unchanged
    );
    for d in &r.disagreements {
        zh.push_str(&format!(
            "\n  事项 {} 与本台账的 #{} 不一致（{}）：本台账保留原有内容。对方的标题：“{}”",
            d.key,
            d.number,
            d.fields.join("、"),
            d.theirs.title
        ));
        en.push_str(&format!(
            "\n  item {} differs from #{} here ({}): the item here keeps its own fields. \
                Their title: \"{}\"",
            d.key,
            d.number,
            d.fields.join(", "),
            d.theirs.title
        ));
    }
    (zh, en)
}

/// `peer list` as a table: each enrolled store, its advisors and its last bundle.
pub fn peer_table(peers: &[Peer], lang: Lang) -> String {
    use crate::report::table::{Align, Table};
    if peers.is_empty() {
        return format!(
            "{}\n",
            lang.of((
                "尚未登记任何台账：用 counsel-log peer add 名片文件 --advisors … 登记",
                "no store is enrolled yet: enrol one with counsel-log peer add CARD --advisors …",
            ))
        );
    }
    let header = lang.of((
        ["名称", "台账编号", "代表的顾问", "最近数据包", "其中记录"],
        ["Name", "Store", "Advisors", "Last bundle", "Entries"],
    ));
    let rows = peers
        .iter()
        .map(|p| {
            let (last, entries) = match &p.last {
                Some(r) => (
                    r.at.format("%Y-%m-%d %H:%M").to_string(),
                    r.entries.to_string(),
                ),
                None => (lang.of(("从未收到", "never")).to_string(), String::new()),
            };
            vec![
                p.name.clone(),
                p.store.to_string(),
                p.advisors.join(","),
                last,
                entries,
            ]
        })
        .collect();
    let table = Table {
        header: header.iter().map(|h| h.to_string()).collect(),
        align: vec![
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
        ],
        rows,
        footer: None,
    };
    format!("{table}")
}
