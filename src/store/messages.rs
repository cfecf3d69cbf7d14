//! Every text the store shows, in both languages side by side: its errors, what `verify`
//! finds, and why a snapshot or backup cannot be restored.

use std::path::Path;

use super::codec::time_text;
use super::error::{
    AdvisorRefusal, Damage, IoFault, Missing, Rejection, StoreError, TimerRefusal, Unreadable,
};
use super::head::HEAD_FILE;
use super::verify::{ChainProblem, LinkFault, RecordProblem, VerifyProblem};
use super::{BackupFault, MAX_VALUE, SCHEMA_VERSION, SnapshotFault};
use crate::domain::Lang;
use crate::domain::import::id_alike_message;

/// A text in Chinese and in English.
type Both = (String, String);

fn pick(lang: Lang, (zh, en): Both) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Words that are the same in both languages: what the system or the storage engine said.
fn same(words: &str) -> Both {
    (words.to_string(), words.to_string())
}

/// A domain error's own message in both languages.
fn domain(message: impl Fn(Lang) -> String) -> Both {
    (message(Lang::Zh), message(Lang::En))
}

impl StoreError {
    /// The problem and what to do, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        pick(lang, self.both())
    }

    fn both(&self) -> Both {
        let at = |path: &Path| path.display().to_string();
        match self {
            StoreError::InUse { path } => (
                format!(
                    "位于 {} 的台账正被另一个 counsel-log 进程使用：请关闭该进程（或等它结束）后重试",
                    at(path)
                ),
                format!(
                    "the store at {} is in use by another counsel-log process: close that one (or wait for it to finish) and try again",
                    at(path)
                ),
            ),
            StoreError::Newer { path, found } => (
                format!(
                    "位于 {} 的台账由更新版本的 counsel-log 写入（数据格式 {found}，本版本最高只能读取 {SCHEMA_VERSION}）：请升级 counsel-log 后再打开",
                    at(path)
                ),
                format!(
                    "the store at {} was written by a newer counsel-log (schema {found}; this one reads up to {SCHEMA_VERSION}): upgrade counsel-log to open it",
                    at(path)
                ),
            ),
            StoreError::Damaged { path, what } => {
                let (zh, en) = what.both();
                (
                    format!(
                        "位于 {} 的台账已损坏：{zh}；请用 `counsel-log restore` 从备份恢复",
                        at(path)
                    ),
                    format!(
                        "the store at {} is damaged: {en}; restore from a backup with `counsel-log restore`",
                        at(path)
                    ),
                )
            }
            StoreError::Io { path, what } => {
                let (zh, en) = what.both();
                (
                    format!(
                        "无法使用位于 {} 的台账：{zh}；请检查路径、磁盘空间和访问权限",
                        at(path)
                    ),
                    format!(
                        "cannot use the store at {}: {en}; check the path, the disk space and the permissions",
                        at(path)
                    ),
                )
            }
            StoreError::Rejected(why) => why.both(),
            StoreError::SlowOpen { path, secs } => (
                format!(
                    "位于 {} 的台账在 {secs} 秒内未能打开：可能已损坏，或数据量大而磁盘较慢；请设置 COUNSEL_LOG_OPEN_TIMEOUT=120 后重试，仍打不开时请用 `counsel-log restore` 从备份恢复",
                    at(path)
                ),
                format!(
                    "the store at {} did not open within {secs} s: it may be damaged, or large on a slow disk; try again with COUNSEL_LOG_OPEN_TIMEOUT=120, and if it still does not open, restore from a backup with `counsel-log restore`",
                    at(path)
                ),
            ),
            StoreError::Unconfirmed { path, cause } => {
                let (zh, en) = cause.both();
                (
                    format!(
                        "更改已写入位于 {} 的台账，但未能确认已存到磁盘（{zh}）：请腾出空间或修复磁盘，然后先核对台账，再决定是否重新保存",
                        at(path)
                    ),
                    format!(
                        "the change was written to the store at {} but could not be confirmed on disk ({en}): free space or fix the disk, then check the ledger before saving it again",
                        at(path)
                    ),
                )
            }
        }
    }
}

impl IoFault {
    fn both(&self) -> Both {
        match self {
            IoFault::NotAFolder => (
                "这是一个文件，不是台账目录".into(),
                "it is a file, not a store directory".into(),
            ),
            IoFault::System(words) => same(words),
        }
    }
}

impl Damage {
    fn both(&self) -> Both {
        match self {
            Damage::Unreadable(what) => what.both(),
            Damage::Missing(what) => what.both(),
            Damage::SchemaZero => ("数据格式版本为 0".into(), "the schema version is 0".into()),
            Damage::NoSchema => (
                "其中有记录却没有数据格式版本".into(),
                "it holds records but no schema version".into(),
            ),
            Damage::ChangesLost { trail, saved } => (
                format!(
                    "审计记录止于第 {trail} 条，但 {HEAD_FILE} 显示已保存 {saved} 条，最新的更改已丢失"
                ),
                format!(
                    "its audit trail ends at record {trail} but {HEAD_FILE} shows {saved} were saved, so the newest changes are missing"
                ),
            ),
            Damage::HeadMismatch { record } => (
                format!("最新的审计记录（第 {record} 条）与 {HEAD_FILE} 不符"),
                format!("its newest audit record (number {record}) does not match {HEAD_FILE}"),
            ),
            Damage::HeadFileMissing => (
                format!("记录已保存更改数量的 {HEAD_FILE} 不见了，无法发现丢失的更改"),
                format!(
                    "{HEAD_FILE}, which records how many changes were saved, is missing, so lost changes could not be noticed"
                ),
            ),
            Damage::Corrupted => ("文件已损坏".into(), "its files are corrupted".into()),
            Damage::Unsupported(words) => (
                format!("格式不受支持（{words}）"),
                format!("unsupported format ({words})"),
            ),
            Damage::Engine(words) | Damage::Panic(words) => same(words),
        }
    }
}

impl Unreadable {
    fn both(&self) -> Both {
        let (zh, en): (&str, &str) = match self {
            Unreadable::AdvisorRecord => {
                ("一条顾问记录无法读取", "an advisor record is unreadable")
            }
            Unreadable::Advisor(id) => {
                return (
                    format!("顾问 {id} 的记录无法读取"),
                    format!("advisor {id}'s record is unreadable"),
                );
            }
            Unreadable::CatalogRecord => ("一条目录记录无法读取", "a catalog record is unreadable"),
            Unreadable::ItemRecord => ("一条事项记录无法读取", "an item record is unreadable"),
            Unreadable::Item(id) => {
                return (
                    format!("事项 {} 无法读取", id.0),
                    format!("item {} is unreadable", id.0),
                );
            }
            Unreadable::ItemReference => {
                ("一个事项引用无法读取", "an item reference is unreadable")
            }
            Unreadable::ItemIndexKey => {
                ("一个事项索引键无法读取", "an item index key is unreadable")
            }
            Unreadable::EntryKey => ("一条记录的键无法读取", "an entry key is unreadable"),
            Unreadable::Entry(id) => {
                return (
                    format!("记录 #{} 无法读取", id.0),
                    format!("entry #{} is unreadable", id.0),
                );
            }
            Unreadable::EntryRecord => ("一条记录无法读取", "an entry is unreadable"),
            Unreadable::AuditRecord => ("一条审计记录无法读取", "an audit record is unreadable"),
            Unreadable::Audit(seq) => {
                return (
                    format!("审计记录 {seq} 无法读取"),
                    format!("audit record {seq} is unreadable"),
                );
            }
            Unreadable::AuditKey => ("一个审计键无法读取", "an audit key is unreadable"),
            Unreadable::Timer => ("计时器无法读取", "the timer is unreadable"),
            Unreadable::UnfinishedWrite => (
                "一次未完成的写入无法读取",
                "an unfinished write is unreadable",
            ),
            Unreadable::SchemaVersion => {
                ("数据格式版本无法读取", "the schema version is unreadable")
            }
            Unreadable::HeadFile => {
                return (
                    format!("{HEAD_FILE} 无法读取"),
                    format!("{HEAD_FILE} is unreadable"),
                );
            }
        };
        (zh.to_string(), en.to_string())
    }
}

impl Missing {
    fn both(&self) -> Both {
        match self {
            Missing::Item(id) => (
                format!("事项 {} 不见了", id.0),
                format!("item {} is missing", id.0),
            ),
            Missing::IndexedEntry(id) => (
                format!("记录 #{} 有索引但不存在", id.0),
                format!("entry #{} is indexed but missing", id.0),
            ),
            Missing::ItemOfEntry => (
                "一条记录所属的事项不见了".into(),
                "an entry's item is missing".into(),
            ),
            Missing::TimedEntry => (
                "计时的记录不见了".into(),
                "the timed entry is missing".into(),
            ),
        }
    }
}

impl Rejection {
    fn both(&self) -> Both {
        match self {
            Rejection::TooLarge { bytes } => {
                let (kib, max) = (bytes.div_ceil(1024), MAX_VALUE / 1024);
                (
                    format!(
                        "一条记录将达 {kib} KiB，超过 {max} KiB 的上限，未保存任何内容：请缩短标题、部门或备注"
                    ),
                    format!(
                        "a record would be {kib} KiB, over the {max} KiB limit; nothing was saved: shorten the title, department or note"
                    ),
                )
            }
            Rejection::Field(e) => domain(|lang| e.message(lang)),
            Rejection::CatalogEntry(e) => domain(|lang| e.message(lang)),
            Rejection::Advisor(why) => why.both(),
            Rejection::Timer(why) => why.both(),
            Rejection::ItemKeyTaken { key } => (
                format!("事项键 {key} 已被另一事项使用：请换一个键"),
                format!("item key {key} is already used by another item: choose another key"),
            ),
            Rejection::EarlierWriteUnfinished => (
                "上一次更改没有完成，仍在撤回中：请退出后重新打开 counsel-log".into(),
                "an earlier change did not finish and is still being undone: quit and open counsel-log again".into(),
            ),
            Rejection::ItemGone(id) => (
                format!("事项 {} 已不存在：请刷新后重试", id.0),
                format!("item {} no longer exists", id.0),
            ),
            Rejection::EntryGone(id) => (
                format!("记录 #{} 已不存在：请刷新后重试", id.0),
                format!("entry #{} no longer exists", id.0),
            ),
            Rejection::CannotUndo { action, at } => {
                let at = time_text(at);
                (
                    format!("上一次更改（{action}，{at}）无法在此撤销"),
                    format!("the last change ({action}, {at}) cannot be undone here"),
                )
            }
            Rejection::NotRestorable { source, why } => {
                let (zh, en) = why.both();
                (
                    format!("{source} 无法恢复：{zh}；台账未作任何改动"),
                    format!("{source} cannot be restored: {en}; nothing was changed"),
                )
            }
            Rejection::StoreNotEmpty { path } => {
                let path = path.display();
                (
                    format!(
                        "位于 {path} 的台账已有记录，恢复从不覆盖已有记录：请用 --db 新路径 恢复到新的台账"
                    ),
                    format!(
                        "the store at {path} already holds records, and restore never overwrites them: restore into a new store with --db NEW-PATH"
                    ),
                )
            }
            Rejection::Workbook(words) => (
                format!("无法生成工作簿：{words}"),
                format!("the workbook could not be built: {words}"),
            ),
        }
    }
}

impl AdvisorRefusal {
    fn both(&self) -> Both {
        match self {
            AdvisorRefusal::IdAlike { id, existing, name } => {
                domain(|lang| id_alike_message(id, existing, name, lang))
            }
            AdvisorRefusal::IdTaken { id } => (
                format!("顾问编号 {id} 已被使用：请换一个编号（见 `counsel-log advisor list`）"),
                format!(
                    "advisor id {id} is already in use: choose another id (see `counsel-log advisor list`)"
                ),
            ),
            AdvisorRefusal::ImportedIdTaken { id } => (
                format!("顾问编号 {id} 已被使用：请换一个编号"),
                format!("advisor id {id} is already in use"),
            ),
            AdvisorRefusal::NoSuchAdvisor { id } => (
                format!("没有编号为 {id} 的顾问：请用 `counsel-log advisor list` 查看编号"),
                format!("there is no advisor {id}: see the ids with `counsel-log advisor list`"),
            ),
            AdvisorRefusal::Unchanged { id } => (
                format!("顾问 {id} 已是这些信息，没有需要修改的内容：请给出不同的值"),
                format!(
                    "advisor {id} already has these values, so nothing was changed: give a different value"
                ),
            ),
        }
    }
}

impl TimerRefusal {
    fn both(&self) -> Both {
        match self {
            TimerRefusal::AlreadyRunning => (
                "已有计时器在运行：请先停止它（t）".into(),
                "a timer is already running: stop it first (t)".into(),
            ),
            TimerRefusal::NotRunning => (
                "没有正在运行的计时器：请按 t 开始计时".into(),
                "no timer is running: start one with t".into(),
            ),
            TimerRefusal::ItemGone => (
                "计时的事项已不存在：请手动记录时长（a）".into(),
                "the timed item no longer exists".into(),
            ),
            TimerRefusal::PassesDay {
                advisor,
                date,
                logged,
                more,
            } => (
                format!(
                    "{advisor} 在 {date} 已记录 {}，再加 {} 小时将超过 24 小时：请手动记录时长（a）",
                    logged.exact_in(Lang::Zh),
                    more.hours()
                ),
                format!(
                    "{advisor} already has {} on {date}; {} more would pass 24 hours: log the time by hand (a)",
                    logged.exact(),
                    more.hours()
                ),
            ),
        }
    }
}

impl VerifyProblem {
    /// The problem in the given language.
    pub fn message(&self, lang: Lang) -> String {
        pick(
            lang,
            match self {
                VerifyProblem::Chain(problem) => problem.both(),
                VerifyProblem::Record(problem) => problem.both(),
            },
        )
    }
}

impl ChainProblem {
    fn both(&self) -> Both {
        match self {
            ChainProblem::Link { position, fault } => {
                let (zh, en) = fault.both(*position);
                (
                    format!("审计记录 {position}（审计链第 {position} 条）{zh}"),
                    format!("audit record {position} (position {position} in the trail) {en}"),
                )
            }
            ChainProblem::NewestAltered { record: m } => (
                format!("审计记录 {m}（第 {m} 条，最新一条）被改动过：与审计头不再一致"),
                format!(
                    "audit record {m} (position {m}, the newest) was altered: it no longer matches the head"
                ),
            ),
            ChainProblem::HeadCountDiffers { head: n, trail: m } => (
                format!("审计头记有 {n} 条记录，审计链却有 {m} 条：最新的记录被改动或丢失"),
                format!(
                    "the audit head counts {n} records but the trail holds {m}: the newest records were changed or lost"
                ),
            ),
            ChainProblem::HeadFileMissing => (
                "旁证文件 audit-head.json 不见了".into(),
                "the side file audit-head.json is missing".into(),
            ),
            ChainProblem::HeadFileDiffers { file, store } => {
                let (fc, fh) = (file.count, file.hash.chars().take(12).collect::<String>());
                let (hc, hh) = (store.count, store.hash.chars().take(12).collect::<String>());
                (
                    format!(
                        "audit-head.json 记的是第 {fc} 条（{fh}…），台账的审计头却是第 {hc} 条（{hh}…）"
                    ),
                    format!(
                        "audit-head.json names record {fc} ({fh}…) but the store's head is record {hc} ({hh}…)"
                    ),
                )
            }
        }
    }
}

impl LinkFault {
    /// What is wrong with the record at `position`, to follow its name.
    fn both(&self, position: u64) -> Both {
        match self {
            LinkFault::Unreadable => ("无法读取".into(), "cannot be read".into()),
            LinkFault::Misnumbered { seq } => (
                format!("编号为 {seq}，应为 {position}"),
                format!("is numbered {seq} where {position} was expected"),
            ),
            LinkFault::NotFirst => (
                "不是审计链的开头：已被改动".into(),
                "does not start the chain: it was altered".into(),
            ),
            LinkFault::NotFollowing => {
                let before = position - 1;
                (
                    format!(
                        "接不上第 {before} 条：两者之间的链接已断，第 {before} 条（或本条）被改动过"
                    ),
                    format!(
                        "does not follow record {before}: the link between them is broken, so record {before} (or this one) was altered"
                    ),
                )
            }
        }
    }
}

impl RecordProblem {
    fn both(&self) -> Both {
        match self {
            RecordProblem::ItemUnreadable { id } => (
                format!("事项 {id} 无法读取"),
                format!("item {id} cannot be read"),
            ),
            RecordProblem::ReferenceAstray { item, reference } => (
                format!("事项 {item}：其引用 {reference} 指不到它"),
                format!("item {item}: its reference {reference} does not lead to it"),
            ),
            RecordProblem::ReferenceToNothing { reference } => (
                format!("事项引用 {reference} 指不到任何事项"),
                format!("item reference {reference} leads to no item"),
            ),
            RecordProblem::EntryUnreadable { position: n } => (
                format!("一条记录（第 {n} 条）无法读取"),
                format!("an entry (record {n}) cannot be read"),
            ),
            RecordProblem::EntryNotIndexed(id) => (
                format!("记录 #{}：编号索引指不到它", id.0),
                format!("entry #{}: the id index does not lead to it", id.0),
            ),
            RecordProblem::ItemOfEntryMissing { entry, item } => (
                format!("记录 #{}：其事项 {} 不见了", entry.0, item.0),
                format!("entry #{}: its item {} is missing", entry.0, item.0),
            ),
            RecordProblem::EntryNotListed { entry, item } => (
                format!("记录 #{}：事项 {item} 未列出它", entry.0),
                format!("entry #{}: item {item} does not list it", entry.0),
            ),
            RecordProblem::FingerprintMissing(id) => (
                format!("记录 #{}：其防重复导入指纹缺失或过时", id.0),
                format!(
                    "entry #{}: its re-import fingerprint is missing or stale",
                    id.0
                ),
            ),
            RecordProblem::CopyDiffers { entry, item } => (
                format!("记录 #{}：其保存的事项 {item} 字段与该事项不一致", entry.0),
                format!(
                    "entry #{}: its copy of item {item}'s fields differs from the item",
                    entry.0
                ),
            ),
            RecordProblem::IndexToNothing { entry: id } => (
                format!("编号索引列出的记录 #{id} 并不存在"),
                format!("the id index names entry #{id} that does not exist"),
            ),
            RecordProblem::ItemListsNothing { entry: id } => (
                format!("某事项列出的记录 #{id} 并不存在"),
                format!("an item lists entry #{id} that does not exist"),
            ),
            RecordProblem::FingerprintToNothing { entry: id } => (
                format!("某指纹指向的记录 #{id} 并不存在"),
                format!("a fingerprint names entry #{id} that does not exist"),
            ),
        }
    }
}

impl SnapshotFault {
    /// Why the snapshot cannot be restored, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        pick(lang, self.both())
    }

    fn both(&self) -> Both {
        match self {
            SnapshotFault::NotAnExport { format: f } => (
                format!("这不是 counsel-log 的导出文件（格式为“{f}”）"),
                format!("this is not a counsel-log export (format \"{f}\")"),
            ),
            SnapshotFault::Newer { version: v } => (
                format!(
                    "该导出文件版本为 {v}，比本版本 counsel-log 能读取的更新：请升级 counsel-log"
                ),
                format!(
                    "this export is version {v}, newer than this counsel-log reads: upgrade counsel-log"
                ),
            ),
            SnapshotFault::AdvisorTwice { id } => (
                format!("顾问 {id} 出现了两次"),
                format!("advisor {id} appears twice"),
            ),
            SnapshotFault::ItemTwice { number } => (
                format!("事项 {number} 出现了两次"),
                format!("item {number} appears twice"),
            ),
            SnapshotFault::ReferenceTwice { reference: r } => (
                format!("事项引用 {r} 用了两次"),
                format!("item reference {r} is used twice"),
            ),
            SnapshotFault::EntryTwice(id) => (
                format!("记录 #{} 出现了两次", id.0),
                format!("entry #{} appears twice", id.0),
            ),
            SnapshotFault::ItemAbsent(id) => (
                format!("记录 #{} 所属的事项不在文件中", id.0),
                format!("entry #{} belongs to an item that is not in the file", id.0),
            ),
            SnapshotFault::AdvisorAbsent { entry, advisor } => (
                format!("记录 #{} 的顾问 {advisor} 不在文件中", entry.0),
                format!(
                    "entry #{} is by advisor {advisor}, who is not in the file",
                    entry.0
                ),
            ),
            SnapshotFault::ImpossibleDuration(id) => (
                format!("记录 #{} 的时长不可能成立", id.0),
                format!("entry #{} has an impossible duration", id.0),
            ),
        }
    }
}

impl BackupFault {
    /// Why the backup cannot be read, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        pick(lang, self.both())
    }

    pub(super) fn both(&self) -> Both {
        match self {
            BackupFault::NoChecksum => (
                "最后一行不是校验和：文件不完整，或不是备份".into(),
                "its last line is not a checksum: the file is incomplete or not a backup".into(),
            ),
            BackupFault::ChecksumMismatch { said, got } => {
                let said = said.chars().take(12).collect::<String>();
                let got = got.chars().take(12).collect::<String>();
                (
                    format!(
                        "校验和不符（文件记的是 {said}…，按内容算得 {got}…）：写成后被改动或损坏"
                    ),
                    format!(
                        "its checksum does not match (the file says {said}…, its contents give {got}…): it was changed or damaged after it was written"
                    ),
                )
            }
            BackupFault::NoHeader => (
                "第一行不是 counsel-log 备份的文件头".into(),
                "its first line is not a counsel-log backup header".into(),
            ),
            BackupFault::Newer { version: v } => (
                format!(
                    "备份格式版本为 {v}，比本版本 counsel-log 能读取的更新：请升级 counsel-log"
                ),
                format!(
                    "it is backup version {v}, newer than this counsel-log reads: upgrade counsel-log"
                ),
            ),
            BackupFault::UnreadableLine { line: n, error: e } => (
                format!("第 {n} 行无法读取（{e}）"),
                format!("line {n} cannot be read ({e})"),
            ),
            BackupFault::CountDiffers { records, said } => (
                format!("其中有 {records} 条记录，最后一行却记为 {said} 条"),
                format!("it holds {records} records where its last line says {said}"),
            ),
        }
    }
}
