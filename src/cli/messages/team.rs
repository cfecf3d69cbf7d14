//! The texts of the team's commands — `identity`, `peer`, `bundle`, `import bundle`, `correct`
//! and `missing` — in both languages side by side.

use std::path::PathBuf;

use super::count;
use crate::domain::catalog::Catalog;
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
    /// `peer set`: the peer now, and whether its key was replaced.
    PeerChanged(&'a Peer, bool),
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
        /// The catalogs here, which name the topics and services of items that disagree.
        topics: &'a Catalog,
        services: &'a Catalog,
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
            TeamDone::CardWritten { file, name, store } => card_written(file, name, store),
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
            TeamDone::PeerChanged(p, new_key) => {
                let (zh_key, en_key) = if *new_key {
                    ("已登记它的新密钥，此后只收新密钥签名的数据包；", "its new key is enrolled, and from now on only bundles signed with it are taken; ")
                } else {
                    ("", "")
                };
                (
                    format!("台账“{}”：{zh_key}现可代表 {}。", p.name, p.advisors.join("、")),
                    format!("\"{}\": {en_key}it speaks for {}.", p.name, p.advisors.join(", ")),
                )
            }
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
                topics,
                services,
            } => imported(from, created, report, *dry_run, (topics, services)),
            TeamDone::Corrected {
                entry,
                was,
                now,
                date,
                reason,
            } => (
                format!(
                    "已更正记录 #{entry}：现按 {} 小时计入 {date}（此前按 {} 小时）；原因：{reason}。\
                        原记录保留在审计记录中。",
                    now.hours(),
                    was.hours()
                ),
                format!(
                    "Corrected entry #{entry}: now counted as {} h on {date} (counted as {} h \
                        before); reason: {reason}. The entry as logged stays in the audit trail.",
                    now.hours(),
                    was.hours()
                ),
            ),
        })
    }
}

/// `identity --out FILE`: where the card went and what the office does with it.
fn card_written(file: &std::path::Path, name: &str, store: &str) -> (String, String) {
    let file = file.display();
    (
        format!(
            "已把本台账的名片写入 {file}（“{name}”，{store}）。请交给汇总单位登记：\
                counsel-log peer add {file} --advisors 顾问编号…（若本台账是从备份恢复的，\
                已登记过，则由对方运行 counsel-log peer set \"{name}\" --card {file}）"
        ),
        format!(
            "Wrote this store's card to {file} (\"{name}\", {store}). Give it to the \
                office to enrol: counsel-log peer add {file} --advisors IDS… (for a store \
                restored from a backup, enrolled already, the office runs counsel-log peer \
                set \"{name}\" --card {file})"
        ),
    )
}

fn bundled(file: &str, c: &Counts, everything: bool) -> (String, String) {
    if c.entries + c.items + c.deletions + c.corrections == 0 {
        return (
            format!(
                "已写出数据包 {file}：上次数据包以来没有改动（发送它只是告诉办公室本台账仍在使用）。"
            ),
            format!(
                "Wrote the bundle {file}: nothing changed since the last bundle (sending it only \
                    tells the office this store is still in use)."
            ),
        );
    }
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

fn imported(
    from: &str,
    created: &str,
    r: &MergeReport,
    dry_run: bool,
    catalogs: (&Catalog, &Catalog),
) -> (String, String) {
    let (verb_zh, verb_en) = if dry_run {
        ("试导入（未写入）", "Dry run (nothing written) of")
    } else {
        ("已导入", "Imported")
    };
    let nothing = r.entries_new
        + r.entries_updated
        + r.entries_deleted
        + r.items_new
        + r.items_joined
        + r.items_updated
        + r.corrections
        == 0;
    let (mut zh, mut en) = if nothing {
        (
            format!(
                "{verb_zh}来自“{from}”的数据包（写于 {created}）：没有新内容，其中 {} 项内容\
                    （事项与记录）本台账已有（同版或更新版本）。",
                r.unchanged
            ),
            format!(
                "{verb_en} the bundle from \"{from}\" (written {created}): nothing new; its {} \
                    records (items and entries) are here already (at that revision or newer).",
                r.unchanged
            ),
        )
    } else {
        counts(from, created, r, (verb_zh, verb_en))
    };
    for (z, e) in notes(r, catalogs) {
        zh.push_str(&format!("\n  {z}"));
        en.push_str(&format!("\n  {e}"));
    }
    (zh, en)
}

fn counts(from: &str, created: &str, r: &MergeReport, verb: (&str, &str)) -> (String, String) {
    (
        format!(
            "{}来自“{from}”的数据包（写于 {created}）：记录新增 {}、更新 {}、删除 {}；事项新增 {}、\
                并入本台账同一代码的事项 {}、更新 {}；更正 {}；已有（同版或更新版本）{}。",
            verb.0,
            r.entries_new,
            r.entries_updated,
            r.entries_deleted,
            r.items_new,
            r.items_joined,
            r.items_updated,
            r.corrections,
            r.unchanged
        ),
        format!(
            "{} the bundle from \"{from}\" (written {created}): entries {} new, {} updated, \
                {} deleted; items {} new, {} joined the item of the same key here, {} updated; \
                corrections {}; {} unchanged (already here at that revision or newer).",
            verb.1,
            r.entries_new,
            r.entries_updated,
            r.entries_deleted,
            r.items_new,
            r.items_joined,
            r.items_updated,
            r.corrections,
            r.unchanged
        ),
    )
}

/// What the office should know about an import beyond its counts.
fn notes(r: &MergeReport, catalogs: (&Catalog, &Catalog)) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some((reached, since)) = r.gap {
        out.push((
            format!(
                "注意：该台账第 {reached} 号之后、第 {since} 号之前的改动没有到达本台账（有数据包丢失\
                    或被拒）。请对方用 counsel-log bundle --all 重新发送（重复发送无害）"
            ),
            format!(
                "note: that store's changes after its no. {reached} and before its no. {since} never \
                    arrived here (a bundle was lost or refused): ask it for counsel-log bundle --all (sending again \
                    is harmless)"
            ),
        ));
    }
    for month in &r.late_months {
        out.push((
            format!("注意：有记录日期在已结账的 {month}，在 counsel-log report --period {month} 的“结账后的变动”中列出"),
            format!(
                "note: some entries are dated in {month}, which is closed: counsel-log report \
                    --period {month} lists them under what changed since filing"
            ),
        ));
    }
    if !r.corrected_here.is_empty() {
        let ids: Vec<String> = r
            .corrected_here
            .iter()
            .map(|e| format!("#{}", e.0))
            .collect();
        let ids = ids.join(", ");
        out.push((
            format!("注意：记录 {ids} 在本台账有更正：已收下对方的新内容，统计仍按本台账的更正计算（如需改变，请再记一次更正）"),
            format!(
                "note: entries {ids} have a correction here: their new values from their store are \
                    kept, and the figures still count the correction (record another to change it)"
            ),
        ));
    }
    if !r.forked.is_empty() {
        let ids: Vec<String> = r.forked.iter().map(|e| format!("#{}", e.0)).collect();
        let ids = ids.join(", ");
        out.push((
            format!(
                "警告：该台账发来的记录与本台账的 {ids} 编号和修订相同，内容却不同：有两本台账在用同一身份发送\
                    （复制了台账文件夹，或还原备份后旧台账仍在使用）。本台账保留先到的内容，未收下这些记录，\
                    它们不计入统计。请对方只保留一本台账、停用另一本；只在另一本中的工作，\
                    须从一本单独登记的新台账发送（新的台账文件夹，用 peer add 登记其名片）"
            ),
            format!(
                "warning: that store sent entries with the number and revision of {ids} here but \
                    other contents: two stores are sending under its identity (a copy of its \
                    folder, or an old store still in use after its backup was restored). What came \
                    first is kept here; these were not taken and are not in the figures. Ask its \
                    counsel to keep one store and stop using the other; work only the other holds \
                    must come from a store enrolled on its own (a new store folder, its card \
                    enrolled with peer add)"
            ),
        ));
    }
    for d in &r.disagreements {
        out.push(disagreement(d, catalogs));
    }
    out
}

/// An item of the bundle that joined one here with different fields: each field, both ways;
/// topics and services by their names in the catalogs here.
fn disagreement(
    d: &crate::store::Disagreement,
    (topics, services): (&Catalog, &Catalog),
) -> (String, String) {
    use crate::domain::strings::printable;
    let value = |item: &crate::store::SharedItem, field: &str, lang: Lang| -> String {
        let v = match field {
            "title" => item.title.clone(),
            "topic" => topics.label(&item.topic, lang).to_string(),
            "service" => services.label(&item.service, lang).to_string(),
            "department" => item.department.clone(),
            _ => item.satisfaction.map_or("—", |s| s.label(lang)).to_string(),
        };
        printable(&v)
    };
    let name = |field: &str| -> (&str, &str) {
        match field {
            "title" => ("标题", "title"),
            "topic" => ("领域", "topic"),
            "service" => ("方式", "service"),
            "department" => ("委托部门", "department"),
            _ => ("满意度", "satisfaction"),
        }
    };
    let (mut zh, mut en) = (Vec::new(), Vec::new());
    for f in &d.fields {
        let (ours, theirs) = (value(&d.ours, f, Lang::Zh), value(&d.theirs, f, Lang::Zh));
        zh.push(format!("{}：本台账“{ours}”，对方“{theirs}”", name(f).0));
        let (ours, theirs) = (value(&d.ours, f, Lang::En), value(&d.theirs, f, Lang::En));
        en.push(format!(
            "{} here \"{ours}\", theirs \"{theirs}\"",
            name(f).1
        ));
    }
    let key = printable(&d.key);
    (
        format!(
            "事项代码 {key} 与本台账的 #{} 不一致（{}）：本台账保留原有内容",
            d.number,
            zh.join("；")
        ),
        format!(
            "item {key} differs from #{} here ({}): the item here keeps its own",
            d.number,
            en.join("; ")
        ),
    )
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
        [
            "名称",
            "台账编号",
            "代表的顾问",
            "最近数据包",
            "该包所含记录",
        ],
        ["Name", "Store", "Advisors", "Last bundle", "Its entries"],
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

/// `history ENTRY` as text: the entry counted, as logged, where it came from, its corrections.
pub fn entry_history(h: &crate::store::EntryHistory, lang: Lang) -> String {
    use crate::domain::strings::printable;
    let e = &h.counted;
    let mut out = lang.of((
        format!(
            "记录 #{}：{} {} {} 小时（第 {} 版）\n",
            e.id.0,
            e.date,
            e.advisor,
            e.minutes.hours(),
            h.revision
        ),
        format!(
            "Entry #{}: {} {} {} h (revision {})\n",
            e.id.0,
            e.date,
            e.advisor,
            e.minutes.hours(),
            h.revision
        ),
    ));
    let from = h.origin.as_deref().map(printable);
    out.push_str(&lang.of(match &from {
        Some(name) => (
            format!("  来自台账“{name}”，只由它修改\n"),
            format!("  from the store \"{name}\", which alone changes it\n"),
        ),
        None => (
            "  本台账的记录\n".to_string(),
            "  this store's own\n".to_string(),
        ),
    }));
    if let Some((at, who, action)) = &h.last_change {
        let at = at.format("%Y-%m-%d %H:%M");
        let who = printable(who);
        out.push_str(&lang.of((
            format!("  最近一次写入：{at}，{who}（{action}）\n"),
            format!("  last written here: {at} by {who} ({action})\n"),
        )));
    }
    let l = &h.logged;
    out.push_str(&lang.of((
        format!(
            "  原记录（第 {} 版）：{} {} 小时\n",
            h.revision,
            l.date,
            l.minutes.hours()
        ),
        format!(
            "  as logged (revision {}): {} {} h\n",
            h.revision,
            l.date,
            l.minutes.hours()
        ),
    )));
    for (c, made_at) in &h.corrections {
        let at = c.at.format("%Y-%m-%d %H:%M");
        let date = c.date.map(|d| format!(" {d}")).unwrap_or_default();
        let hours = crate::domain::Minutes(c.minutes).hours();
        let (who, reason) = (printable(&c.who), printable(&c.reason));
        let (zh_where, en_where) = match made_at {
            Some(store) => {
                let store = printable(store);
                (format!("（台账“{store}”）"), format!(" at \"{store}\""))
            }
            None => ("（本台账）".to_string(), " here".to_string()),
        };
        out.push_str(&lang.of((
            format!("  更正 {at}，{who}{zh_where}：{hours} 小时{date}；原因：{reason}\n"),
            format!("  corrected {at} by {who}{en_where}: {hours} h{date}; reason: {reason}\n"),
        )));
    }
    out
}
