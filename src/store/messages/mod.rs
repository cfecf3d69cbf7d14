//! Every text the store shows, in both languages side by side: its errors, what `verify`
//! finds, and why a snapshot or backup cannot be restored.

use std::path::Path;

use super::codec::time_text;
use super::error::{
    AdvisorRefusal, Damage, IoFault, Missing, Rejection, StoreError, TimerRefusal, Unreadable,
};
use super::head::HEAD_FILE;
use super::verify::{ChainProblem, LedgerProblem, LinkFault, RecordProblem, VerifyProblem};
use super::{BackupFault, MAX_VALUE, SCHEMA_VERSION, SnapshotFault};
use crate::domain::Lang;
use crate::domain::intake::id_alike_message;
use crate::domain::lang::{Pair, pair};

/// A text in both languages with the same values, Chinese first: `both!("…{n}…", "…{n}…")`.
macro_rules! both {
    ($zh:literal, $en:literal $(, $value:expr)* $(,)?) => {
        (format!($zh $(, $value)*), format!($en $(, $value)*))
    };
}

mod actions;
mod restore;
mod stop;
mod team;

/// Words that are the same in both languages: what the system or the storage engine said.
fn same(words: &str) -> Pair {
    (words.to_string(), words.to_string())
}

impl StoreError {
    /// The problem and what to do, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(self.both())
    }

    fn both(&self) -> Pair {
        let at = |path: &Path| path.display().to_string();
        match self {
            StoreError::InUse { path } => both!(
                "位于 {} 的台账正被另一个 counsel-log 进程使用：请关闭该进程（或等它结束）后重试",
                "the store at {} is in use by another counsel-log process: close that one (or wait \
                    for it to finish) and try again",
                at(path)
            ),
            StoreError::NoLedger { path } => both!(
                "{} 处没有台账：请检查 --db（或 COUNSEL_LOG_DB）所指的目录；台账由第一个写入它的命令\
                    创建，例如 `counsel-log --db 该目录 import advisors 文件` 或打开界面",
                "there is no ledger at {}: check the folder --db (or COUNSEL_LOG_DB) names; a \
                    ledger is made there by the first command that writes to it, such as \
                    `counsel-log --db FOLDER import advisors FILE` or the interface",
                at(path)
            ),
            StoreError::Key(fault) => (fault.message(Lang::Zh), fault.message(Lang::En)),
            StoreError::MigrationDue { path } => both!(
                "位于 {} 的台账由旧版本的 counsel-log 写入，须先升级数据格式：用 counsel-log \
                    打开一次即可（升级前会自动做一份经过验证的备份）",
                "the store at {} was written by an older counsel-log and must be brought up to \
                    date first: open it once with counsel-log (a verified backup is made before)",
                at(path)
            ),
            StoreError::Newer { path, found } => both!(
                "位于 {} 的台账由更新版本的 counsel-log 写入（数据格式 {found}，\
                    本版本最高只能读取 {SCHEMA_VERSION}）：请升级 counsel-log 后再打开",
                "the store at {} was written by a newer counsel-log (schema {found}; this one \
                    reads up to {SCHEMA_VERSION}): upgrade counsel-log to open it",
                at(path)
            ),
            StoreError::Damaged { path, what } => {
                let (zh, en) = what.both();
                both!(
                    "位于 {} 的台账已损坏：{zh}；请用 `counsel-log restore` 从备份恢复",
                    "the store at {} is damaged: {en}; restore from a backup with `counsel-log \
                        restore`",
                    at(path)
                )
            }
            StoreError::Io { path, what } => stop::io_both(path, what),
            StoreError::Rejected(why) => why.both(),
            StoreError::Stopped(s) => stop::stopped(s),
            StoreError::Vanished(v) => stop::vanished(v),
            StoreError::SlowOpen { path, secs } => both!(
                "位于 {} 的台账在 {secs} 秒内未能打开：可能已损坏，或数据量大而磁盘较慢；请设置 \
                    COUNSEL_LOG_OPEN_TIMEOUT=120 后重试，仍打不开时请用 `counsel-log restore` \
                    从备份恢复",
                "the store at {} did not open within {secs} s: it may be damaged, or large on a \
                    slow disk; try again with COUNSEL_LOG_OPEN_TIMEOUT=120, and if it still does \
                    not open, restore from a backup with `counsel-log restore`",
                at(path)
            ),
            StoreError::Unconfirmed { path, cause } => {
                let (zh, en) = cause.both();
                both!(
                    "更改已写入位于 {} 的台账，但未能确认已存到磁盘（{zh}）：请腾出空间或修复磁盘，\
                        然后先核对台账，再决定是否重新保存",
                    "the change was written to the store at {} but could not be confirmed on disk \
                        ({en}): free space or fix the disk, then check the ledger before saving it \
                        again",
                    at(path)
                )
            }
        }
    }
}

impl IoFault {
    fn both(&self) -> Pair {
        match self {
            IoFault::NotAFolder => both!(
                "这是一个文件，不是台账目录",
                "it is a file, not a store directory"
            ),
            IoFault::DiskFull | IoFault::ReadOnly | IoFault::TooManyFiles => stop::io_fault(self),
            IoFault::System(words) => same(words),
        }
    }
}

impl Damage {
    pub(super) fn both(&self) -> Pair {
        match self {
            Damage::Unreadable(what) => what.both(),
            Damage::Missing(what) => what.both(),
            Damage::SchemaZero => both!("数据格式版本为 0", "the schema version is 0"),
            Damage::NoSchema => both!(
                "其中有记录却没有数据格式版本",
                "it holds records but no schema version"
            ),
            Damage::ChangesLost { trail, saved } => both!(
                "审计记录止于第 {trail} 条，但 {HEAD_FILE} 显示已保存 {saved} 条，最新的更改已丢失",
                "its audit trail ends at record {trail} but {HEAD_FILE} shows {saved} were saved, \
                    so the newest changes are missing"
            ),
            Damage::HeadMismatch { record } => both!(
                "最新的审计记录（第 {record} 条）与 {HEAD_FILE} 不符",
                "its newest audit record (number {record}) does not match {HEAD_FILE}"
            ),
            Damage::HeadFileMissing => both!(
                "记录已保存更改数量的 {HEAD_FILE} 不见了，无法发现丢失的更改",
                "{HEAD_FILE}, which records how many changes were saved, is missing, so lost \
                    changes could not be noticed"
            ),
            Damage::HeadFileBehind { file, store } => stop::head_file_behind(*file, *store),
            Damage::FewerThanSeen { seen, found } => stop::fewer_than_seen(*seen, *found),
            Damage::HistoryReplaced { record } => stop::history_replaced(*record),
            Damage::Corrupted => both!("文件已损坏", "its files are corrupted"),
            Damage::Unsupported(words) => {
                both!("格式不受支持（{words}）", "unsupported format ({words})")
            }
            Damage::Engine(words) => same(words),
            Damage::Panic(Some(words)) => same(&crate::domain::strings::first_sentence(words)),
            Damage::Panic(None) => same("the storage engine stopped on an internal error"),
            Damage::SwapDamaged(file) => both!(
                "数据格式迁移或整理写出的新文件 {file} 在换入之前被改动，新旧两份都不完整",
                "{file}, one of the new files a migration or compaction wrote, changed before \
                    it was moved in, so neither the old files nor the new are whole"
            ),
        }
    }
}

impl Unreadable {
    fn both(&self) -> Pair {
        match self {
            Unreadable::AdvisorRecord => {
                both!("一条顾问记录无法读取", "an advisor record is unreadable")
            }
            Unreadable::Advisor(id) => both!(
                "顾问 {id} 的记录无法读取",
                "advisor {id}'s record is unreadable"
            ),
            Unreadable::CatalogRecord => {
                both!("一条目录记录无法读取", "a catalog record is unreadable")
            }
            Unreadable::ItemRecord => both!("一条事项记录无法读取", "an item record is unreadable"),
            Unreadable::Item(id) => both!("事项 {} 无法读取", "item {} is unreadable", id.0),
            Unreadable::ItemReference => {
                both!("一个事项引用无法读取", "an item reference is unreadable")
            }
            Unreadable::ItemIndexKey => {
                both!("一个事项索引键无法读取", "an item index key is unreadable")
            }
            Unreadable::EntryKey => both!("一条记录的键无法读取", "an entry key is unreadable"),
            Unreadable::Entry(id) => both!("记录 #{} 无法读取", "entry #{} is unreadable", id.0),
            Unreadable::EntryRecord => both!("一条记录无法读取", "an entry is unreadable"),
            Unreadable::AuditRecord => {
                both!("一条审计记录无法读取", "an audit record is unreadable")
            }
            Unreadable::Audit(seq) => both!(
                "审计记录 {seq} 无法读取",
                "audit record {seq} is unreadable"
            ),
            Unreadable::AuditKey => both!("一个审计键无法读取", "an audit key is unreadable"),
            Unreadable::LedgerSums => both!(
                "台账摘要的累计值无法读取",
                "the running sums of the ledger's digest are unreadable"
            ),
            Unreadable::Timer => both!("计时器无法读取", "the timer is unreadable"),
            Unreadable::UnfinishedWrite => both!(
                "一次未完成的写入无法读取",
                "an unfinished write is unreadable"
            ),
            Unreadable::SchemaVersion => {
                both!("数据格式版本无法读取", "the schema version is unreadable")
            }
            Unreadable::HeadFile => both!("{HEAD_FILE} 无法读取", "{HEAD_FILE} is unreadable"),
            Unreadable::Identity => both!(
                "一条记录的全局编号无法读取",
                "a record's global id is unreadable"
            ),
            Unreadable::StoreId => both!("本台账的编号无法读取", "this store's id is unreadable"),
            Unreadable::Correction => both!("一条更正无法读取", "a correction is unreadable"),
            Unreadable::Tallies => both!(
                "一条各期汇总记录无法读取",
                "a record of the per-period totals is unreadable"
            ),
            Unreadable::Peer => both!("一个已登记的台账无法读取", "an enrolled peer is unreadable"),
            Unreadable::Closing => both!("结账记录无法读取", "a closing record is unreadable"),
            Unreadable::Counter => both!(
                "台账的一个计数器无法读取",
                "a counter of the store is unreadable"
            ),
        }
    }
}

impl Missing {
    fn both(&self) -> Pair {
        match self {
            Missing::Item(id) => both!("事项 {} 不见了", "item {} is missing", id.0),
            Missing::IndexedEntry(id) => both!(
                "记录 #{} 有索引但不存在",
                "entry #{} is indexed but missing",
                id.0
            ),
            Missing::ItemOfEntry => both!("一条记录所属的事项不见了", "an entry's item is missing"),
            Missing::TimedEntry => both!("计时的记录不见了", "the timed entry is missing"),
        }
    }
}

/// A record over the limit of one.
fn too_large(bytes: usize) -> Pair {
    let (kib, max) = (bytes.div_ceil(1024), MAX_VALUE / 1024);
    both!(
        "一条记录将达 {kib} KiB，超过 {max} KiB 的上限，未保存任何内容：请缩短标题、部门或备注",
        "a record would be {kib} KiB, over the {max} KiB limit; nothing was saved: shorten the \
            title, department or note"
    )
}

/// Records kept together (a block) over the limit of one block: a run of items' entries, or
/// the figures of every group of a month or of the whole history (a record each department,
/// advisor, topic and service ever named).
fn block_full(bytes: usize) -> Pair {
    let (kib, max) = (bytes.div_ceil(1024), super::packed::MAX_BLOCK / 1024);
    both!(
        "与这条记录存放在一起的记录（相邻事项的全部记录，或各部门、顾问、事项类别的汇总）将达 \
            {kib} KiB，超过 {max} KiB 的上限，未保存任何内容：请缩短过长的部门名称，或把这项\
            工作记入一个新事项",
        "the records kept together with this one (the entries of neighbouring items, or the \
            figures of every department, advisor, topic and service) would take {kib} KiB, over \
            the {max} KiB limit; nothing was saved: shorten very long department names, or log \
            this work on a new item"
    )
}

impl Rejection {
    fn both(&self) -> Pair {
        match self {
            Rejection::TooLarge { bytes } => too_large(*bytes),
            Rejection::BlockFull { bytes } => block_full(*bytes),
            Rejection::Field(e) => pair(|lang| e.message(lang)),
            Rejection::CatalogEntry(e) => pair(|lang| e.message(lang)),
            Rejection::Advisor(why) => why.both(),
            Rejection::Timer(why) => why.both(),
            Rejection::ItemKeyTaken { key } => both!(
                "事项键 {key} 已被另一事项使用：请换一个键",
                "item key {key} is already used by another item: choose another key"
            ),
            Rejection::EarlierWriteUnfinished => both!(
                "上一次更改没有完成，仍在撤回中：请退出后重新打开 counsel-log",
                "an earlier change did not finish and is still being undone: quit and open \
                    counsel-log again"
            ),
            Rejection::ItemGone(id) => both!(
                "台账中没有事项 {}（可能已被删除）：请核对事项后重试",
                "the ledger has no item {} (it may have been deleted): check the item and try \
                    again",
                id.0
            ),
            Rejection::EntryGone(id) => both!(
                "台账中没有记录 #{}（可能已被删除）：请核对记录号后重试",
                "the ledger has no entry #{} (it may have been deleted): check the entry number \
                    and try again",
                id.0
            ),
            Rejection::CannotUndo { action, at } => {
                let at = time_text(at);
                both!(
                    "上一次更改（{action}，{at}）无法在此撤销",
                    "the last change ({action}, {at}) cannot be undone here"
                )
            }
            Rejection::NotRestorable { source, why } => {
                let (zh, en) = why.both();
                both!(
                    "{source} 无法恢复：{zh}；台账未作任何改动",
                    "{source} cannot be restored: {en}; nothing was changed"
                )
            }
            Rejection::StoreNotEmpty { path } => {
                let path = path.display();
                both!(
                    "位于 {path} 的台账已有记录，恢复从不覆盖已有记录：请用 --db 新路径 \
                        恢复到新的台账",
                    "the store at {path} already holds records, and restore never overwrites them: \
                        restore into a new store with --db NEW-PATH"
                )
            }
            Rejection::Peer(why) => why.both(),
            Rejection::Merge(why) => why.both(),
            Rejection::DryRun => both!("试运行，未写入任何内容", "a dry run: nothing was written"),
            Rejection::DayOver {
                advisor,
                date,
                total,
            } => day_over(advisor, *date, *total),
            Rejection::ReasonNeeded => both!(
                "请用 --reason 说明原因：更正和重新开账都会记入审计记录",
                "give the reason with --reason: corrections and reopened months are kept in the \
                    audit trail with it"
            ),
            Rejection::NotOurs { entry, origin } => team::not_ours(*entry, origin),
            Rejection::Corrected { entry } => team::corrected(*entry),
            Rejection::ItemNotOurs { number, origin } => team::item_not_ours(number, origin),
            Rejection::MonthClosed { month: m } => month_closed(*m),
            Rejection::Closing(why) => why.both(),
        }
    }
}

impl AdvisorRefusal {
    fn both(&self) -> Pair {
        match self {
            AdvisorRefusal::IdAlike { id, existing, name } => {
                pair(|lang| id_alike_message(id, existing, name, lang))
            }
            AdvisorRefusal::IdTaken { id } => both!(
                "顾问编号 {id} 已被使用：请换一个编号（见 `counsel-log advisor list`）",
                "advisor id {id} is already in use: choose another id (see `counsel-log advisor \
                    list`)"
            ),
            AdvisorRefusal::ImportedIdTaken { id } => both!(
                "顾问编号 {id} 已被使用：请换一个编号",
                "advisor id {id} is already in use"
            ),
            AdvisorRefusal::NoSuchAdvisor { id } => both!(
                "没有编号为 {id} 的顾问：请用 `counsel-log advisor list` 查看编号",
                "there is no advisor {id}: see the ids with `counsel-log advisor list`"
            ),
            AdvisorRefusal::Unchanged { id } => both!(
                "顾问 {id} 已是这些信息，没有需要修改的内容：请给出不同的值",
                "advisor {id} already has these values, so nothing was changed: give a different \
                    value"
            ),
        }
    }
}

impl TimerRefusal {
    fn both(&self) -> Pair {
        match self {
            TimerRefusal::AlreadyRunning => both!(
                "已有计时器在运行：请先停止它（t）",
                "a timer is already running: stop it first (t)"
            ),
            TimerRefusal::NotRunning => both!(
                "没有正在运行的计时器：请按 t 开始计时",
                "no timer is running: start one with t"
            ),
            TimerRefusal::ItemGone => both!(
                "计时的事项已不存在：请手动记录时长（a）",
                "the timed item no longer exists"
            ),
            TimerRefusal::PassesDay {
                advisor,
                date,
                logged,
                more,
            } => (
                format!(
                    "{advisor} 在 {date} 已记录 {}，再加 {} 将超过 24 小时：请手动记录时长（a）",
                    logged.exact_in(Lang::Zh),
                    more.exact_in(Lang::Zh)
                ),
                format!(
                    "{advisor} already has {} on {date}; {} more would pass 24 hours: log the time \
                        by hand (a)",
                    logged.exact(),
                    more.exact()
                ),
            ),
        }
    }
}

impl VerifyProblem {
    /// The problem in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(match self {
            VerifyProblem::Chain(problem) => problem.both(),
            VerifyProblem::Record(problem) => problem.both(),
            VerifyProblem::Ledger(problem) => problem.both(),
        })
    }
}

impl LedgerProblem {
    fn both(&self) -> Pair {
        match self {
            LedgerProblem::RecordsDiffer { trees, record } => {
                let names = trees
                    .iter()
                    .map(|t| t.name())
                    .collect::<Vec<_>>()
                    .join(", ");
                both!(
                    "台账记录与审计记录 {record} 记下的摘要不符（{names}）：有记录被绕过 \
                        counsel-log 改动、删除或调换过",
                    "the records no longer add up to the digest audit record {record} keeps \
                        ({names}): records were changed, deleted or swapped outside counsel-log"
                )
            }
            LedgerProblem::SumsRewritten { record } => both!(
                "台账记录与审计记录 {record} 所载的摘要不符：记录和摘要的累计值都被绕过 \
                    counsel-log 改写过",
                "the records no longer match the digest audit record {record} carries: the \
                    records and the digest's running sums were both rewritten outside counsel-log"
            ),
        }
    }
}

impl ChainProblem {
    fn both(&self) -> Pair {
        match self {
            ChainProblem::Link { position, fault } => {
                let (zh, en) = fault.both(*position);
                both!(
                    "审计记录 {position}（审计链第 {position} 条）{zh}",
                    "audit record {position} (position {position} in the trail) {en}"
                )
            }
            ChainProblem::NewestAltered { record: m } => both!(
                "审计记录 {m}（第 {m} 条，最新一条）被改动过：与审计头不再一致",
                "audit record {m} (position {m}, the newest) was altered: it no longer matches the \
                    head"
            ),
            ChainProblem::HeadCountDiffers { head: n, trail: m } => both!(
                "审计头记有 {n} 条记录，审计链却有 {m} 条：最新的记录被改动或丢失",
                "the audit head counts {n} records but the trail holds {m}: the newest records \
                    were changed or lost"
            ),
            ChainProblem::HeadFileMissing => both!(
                "旁证文件 audit-head.json 不见了",
                "the side file audit-head.json is missing"
            ),
            ChainProblem::HeadFileDiffers { file, store } => {
                let (fc, fh) = (file.count, file.hash.chars().take(12).collect::<String>());
                let (hc, hh) = (store.count, store.hash.chars().take(12).collect::<String>());
                both!(
                    "audit-head.json 记的是第 {fc} 条（{fh}…），台账的审计头却是第 {hc} 条（{hh}…\
                        ）",
                    "audit-head.json names record {fc} ({fh}…) but the store's head is record {hc} \
                        ({hh}…)"
                )
            }
        }
    }
}

impl LinkFault {
    /// What is wrong with the record at `position`, to follow its name.
    fn both(&self, position: u64) -> Pair {
        match self {
            LinkFault::Unreadable => both!("无法读取", "cannot be read"),
            LinkFault::Misnumbered { seq } => both!(
                "编号为 {seq}，应为 {position}",
                "is numbered {seq} where {position} was expected"
            ),
            LinkFault::NotFirst => both!(
                "不是审计链的开头：已被改动",
                "does not start the chain: it was altered"
            ),
            LinkFault::NotFollowing => {
                let before = position - 1;
                both!(
                    "接不上第 {before} 条：两者之间的链接已断，第 {before} 条（或本条）被改动过",
                    "does not follow record {before}: the link between them is broken, so \
                        record {before} (or this one) was altered"
                )
            }
        }
    }
}

impl RecordProblem {
    fn both(&self) -> Pair {
        match self {
            RecordProblem::ItemUnreadable { id } => {
                both!("事项 {id} 无法读取", "item {id} cannot be read")
            }
            RecordProblem::ReferenceAstray { item, reference } => both!(
                "事项 #{item}：其引用 {reference} 指不到它",
                "item #{item}: its reference {reference} does not lead to it"
            ),
            RecordProblem::ReferenceToNothing { reference } => both!(
                "事项引用 {reference} 指不到任何事项",
                "item reference {reference} leads to no item"
            ),
            RecordProblem::EntryUnreadable { position: n } => both!(
                "一条记录（第 {n} 条）无法读取",
                "an entry (record {n}) cannot be read"
            ),
            RecordProblem::EntryNotIndexed(id) => both!(
                "记录 #{}：编号索引指不到它",
                "entry #{}: the id index does not lead to it",
                id.0
            ),
            RecordProblem::ItemOfEntryMissing { entry, item } => both!(
                "记录 #{}：其事项 {} 不见了",
                "entry #{}: its item {} is missing",
                entry.0,
                item.0
            ),
            RecordProblem::EntryNotListed { entry, item } => both!(
                "记录 #{}：事项 #{item} 未列出它",
                "entry #{}: item #{item} does not list it",
                entry.0
            ),
            RecordProblem::FingerprintMissing(id) => both!(
                "记录 #{}：其防重复导入指纹缺失或过时",
                "entry #{}: its re-import fingerprint is missing or stale",
                id.0
            ),
            RecordProblem::CopyDiffers { entry, item } => both!(
                "记录 #{}：其保存的事项 #{item} 字段与该事项不一致",
                "entry #{}: its copy of item #{item}'s fields differs from the item",
                entry.0
            ),
            RecordProblem::IndexToNothing { entry: id } => both!(
                "编号索引列出的记录 #{id} 并不存在",
                "the id index names entry #{id} that does not exist"
            ),
            RecordProblem::ItemListsNothing { entry: id } => both!(
                "某事项列出的记录 #{id} 并不存在",
                "an item lists entry #{id} that does not exist"
            ),
            RecordProblem::FingerprintToNothing { entry: id } => both!(
                "某指纹指向的记录 #{id} 并不存在",
                "a fingerprint names entry #{id} that does not exist"
            ),
            RecordProblem::TalliesDiffer { records } => both!(
                "各期汇总与明细记录不符（{records} 条汇总记录不同）",
                "the per-period totals do not match the entries ({records} aggregate records \
                    differ)"
            ),
        }
    }
}

impl SnapshotFault {
    /// Why the snapshot cannot be restored, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(self.both())
    }

    fn both(&self) -> Pair {
        match self {
            SnapshotFault::NotAnExport { format: f } => both!(
                "这不是 counsel-log 的导出文件（格式为“{f}”）",
                "this is not a counsel-log export (format \"{f}\")"
            ),
            SnapshotFault::Newer { version: v } => both!(
                "该导出文件版本为 {v}，比本版本 counsel-log 能读取的更新：请升级 counsel-log",
                "this export is version {v}, newer than this counsel-log reads: upgrade counsel-log"
            ),
            SnapshotFault::AdvisorTwice { id } => {
                both!("顾问 {id} 出现了两次", "advisor {id} appears twice")
            }
            SnapshotFault::ItemTwice { number } => {
                both!("事项 #{number} 出现了两次", "item #{number} appears twice")
            }
            SnapshotFault::ReferenceTwice { reference: r } => {
                both!("事项引用 {r} 用了两次", "item reference {r} is used twice")
            }
            SnapshotFault::EntryTwice(id) => {
                both!("记录 #{} 出现了两次", "entry #{} appears twice", id.0)
            }
            SnapshotFault::ItemAbsent(id) => both!(
                "记录 #{} 所属的事项不在文件中",
                "entry #{} belongs to an item that is not in the file",
                id.0
            ),
            SnapshotFault::AdvisorAbsent { entry, advisor } => both!(
                "记录 #{} 的顾问 {advisor} 不在文件中",
                "entry #{} is by advisor {advisor}, who is not in the file",
                entry.0
            ),
            SnapshotFault::ImpossibleDuration(id) => both!(
                "记录 #{} 的时长不可能成立",
                "entry #{} has an impossible duration",
                id.0
            ),
            SnapshotFault::TeamRows => both!(
                "其中记录本台账身份（编号、来源、更正、已登记台账）的行无法读取",
                "its rows of the store's identity (ids, origins, corrections, peers) are unreadable"
            ),
            SnapshotFault::Field { record, error } => restore::field(record, error),
            SnapshotFault::Blank { record, field } => restore::blank(record, *field),
            SnapshotFault::UnknownCode { item, kind, code } => restore::unknown(item, *kind, code),
            SnapshotFault::DayRefused { entry, date } => restore::day_refused(*entry, *date),
            SnapshotFault::TrailBroken { position, fault } => restore::trail(*position, fault),
        }
    }
}

impl BackupFault {
    /// Why the backup cannot be read, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(self.both())
    }

    pub(super) fn both(&self) -> Pair {
        match self {
            BackupFault::NoChecksum => both!(
                "最后一行不是校验和：文件不完整，或不是备份",
                "its last line is not a checksum: the file is incomplete or not a backup"
            ),
            BackupFault::ChecksumMismatch { said, got } => {
                let said = said.chars().take(12).collect::<String>();
                let got = got.chars().take(12).collect::<String>();
                both!(
                    "校验和不符（文件记的是 {said}…，按内容算得 {got}…）：写成后被改动或损坏",
                    "its checksum does not match (the file says {said}…, its contents give {got}…\
                        ): it was changed or damaged after it was written"
                )
            }
            BackupFault::NoHeader => both!(
                "第一行不是 counsel-log 备份的文件头",
                "its first line is not a counsel-log backup header"
            ),
            BackupFault::Newer { version: v } => both!(
                "备份格式版本为 {v}，比本版本 counsel-log 能读取的更新：请升级 counsel-log",
                "it is backup version {v}, newer than this counsel-log reads: upgrade counsel-log"
            ),
            BackupFault::UnreadableLine { line: n, error: e } => {
                both!("第 {n} 行无法读取（{e}）", "line {n} cannot be read ({e})")
            }
            BackupFault::CountDiffers { records, said } => both!(
                "其中有 {records} 条记录，最后一行却记为 {said} 条",
                "it holds {records} records where its last line says {said}"
            ),
        }
    }
}

/// A correction that would give an advisor more than a day's 24 hours.
fn day_over(advisor: &str, date: chrono::NaiveDate, total: crate::domain::Minutes) -> Pair {
    // Exact, as the import says it: 24 hours and a minute is not "24.0 hours".
    let (zh, en) = (total.exact_in(Lang::Zh), total.exact_in(Lang::En));
    both!(
        "{advisor} 在 {date} 将有 {zh}，超过 24 小时：一天最多 24 小时，请改正时长或日期",
        "{advisor} would have {en} on {date}, more than 24: a day holds 24 hours at most, so \
            correct the hours or the date"
    )
}

/// The refusal of a change dated in a closed month.
fn month_closed(m: super::Month) -> Pair {
    let label = m.period().label(Lang::Zh);
    both!(
        "{label}已结账：日期在该月的记录不能新增、修改或删除。更正记录请用 `counsel-log \
                correct 记录号 --hours 小时 --reason 原因`；重新开账请用 `counsel-log \
                reopen {m} --reason 原因`。",
        "{m} is closed: entries dated in it cannot be added, changed or deleted. To \
                correct an entry use `counsel-log correct ENTRY --hours H --reason TEXT`; \
                to reopen the month, `counsel-log reopen {m} --reason TEXT`."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A process out of file handles (EMFILE, or ENFILE for the whole system) is told so, with
    /// the limit to raise, in either language, not sent to check the path and the disk.
    #[test]
    fn running_out_of_open_files_names_the_limit_to_raise() {
        for errno in [23, 24] {
            let e = super::super::error::io_error(
                Path::new("/srv/ledger"),
                &std::io::Error::from_raw_os_error(errno),
            );
            let en = e.message(Lang::En);
            assert!(
                en.contains("/srv/ledger") && en.contains("ulimit -n"),
                "{en}"
            );
            assert!(!en.contains("disk space"), "{en}");
            assert!(e.message(Lang::Zh).contains("ulimit -n"));
        }
    }

    /// A write refused because a block would be too large names every kind of record a block
    /// keeps together, the aggregates' included, and a fix for each.
    #[test]
    fn a_full_block_names_long_department_names_as_a_cause() {
        let e = StoreError::Rejected(Rejection::BlockFull { bytes: 17_000_000 });
        let en = e.message(Lang::En);
        assert!(
            en.contains("16602 KiB") && en.contains("department"),
            "{en}"
        );
        assert!(en.contains("shorten very long department names"), "{en}");
        assert!(e.message(Lang::Zh).contains("请缩短过长的部门名称"));
    }
}
