//! The words of a store that cannot be used: stopped by damage (with the way back), vanished
//! (with how to begin afresh on purpose), on a full disk or one it may only read.

use std::path::Path;

use super::super::error::{IoFault, Stopped, Vanished};
use super::super::head::HEAD_FILE;
use crate::domain::lang::Pair;

/// The disk refused a read or write: a full disk and a store that may only be read said
/// plainly, with what to do.
pub(super) fn io_both(path: &Path, what: &IoFault) -> Pair {
    let at = |path: &Path| path.display().to_string();
    match what {
        IoFault::DiskFull => both!(
            "位于 {} 的台账所在磁盘已满（或文件已达系统允许的大小），未能写入：请腾出磁盘空间后重试",
            "the disk holding the store at {} is full (or a file reached the size the system \
                allows), so it could not be written: free some space and try again",
            at(path)
        ),
        IoFault::ReadOnly => both!(
            "位于 {} 的台账只能读、不能写（无写入权限或只读磁盘），而打开台账也需要写入：\
                请取得该目录的写入权限，或把它复制到可写的位置，再用 --db 打开副本",
            "the store at {} may be read but not written (no write permission, or a \
                read-only disk), and opening it needs to write: get write access to the \
                folder, or copy it somewhere you may write and open the copy with --db",
            at(path)
        ),
        IoFault::TooManyFiles => both!(
            "counsel-log 打开的文件已达系统允许的数目（`ulimit -n`），未能使用位于 {} 的台账：\
                请调高该上限（例如 `ulimit -n 1024`）后重试",
            "counsel-log holds as many open files as the system allows (`ulimit -n`), so the \
                store at {} could not be used: raise the limit (for example `ulimit -n 1024`) \
                and try again",
            at(path)
        ),
        IoFault::NotAFolder | IoFault::System(_) => {
            let (zh, en) = what.both();
            both!(
                "无法使用位于 {} 的台账：{zh}；请检查路径、磁盘空间和访问权限",
                "cannot use the store at {}: {en}; check the path, the disk space and the \
                    permissions",
                at(path)
            )
        }
    }
}

/// Damage on record: what it is, that nothing runs, and the way back.
pub(super) fn stopped(s: &Stopped) -> Pair {
    let (zh, en) = s.found.words();
    let (p, folder, backup) = (s.path.display(), s.backups.display(), s.backup.as_deref());
    let (zh_back, en_back) = match backup {
        Some(b) => {
            let b = b.display();
            both!(
                "最近一份经过验证的备份是 {b}：请用 `counsel-log --db {p}-restored restore {b}` \
                    恢复到新的台账",
                "the latest verified backup is {b}: restore it into a new store with \
                    `counsel-log --db {p}-restored restore {b}`"
            )
        }
        None => both!(
            "{folder} 中没有已知属于这本台账、经过验证的备份：请用 \
                `counsel-log --db {p}-restored restore 备份文件` 恢复您另存的这本台账的备份",
            "no verified backup known to be of this store is in {folder}: restore a backup of it \
                that you keep elsewhere with \
                `counsel-log --db {p}-restored restore FILE`"
        ),
    };
    both!(
        "位于 {p} 的台账已损坏：{zh}；在 `counsel-log verify` 确认其完好之前，不读出任何数字，\
            也不写入任何内容；{zh_back}",
        "the store at {p} is damaged: {en}; nothing is read from it or written to it until \
            `counsel-log verify` finds it whole; {en_back}"
    )
}

/// A store that held records and is gone: what was there, the way back, and how to begin
/// afresh on purpose.
pub(super) fn vanished(v: &Vanished) -> Pair {
    let (p, folder, state) = (v.path.display(), v.backups.display(), v.state.display());
    let (count, backup) = (v.head.count, v.backup.as_deref());
    let (zh_back, en_back) = match backup {
        Some(b) => {
            let b = b.display();
            both!(
                "请用 `counsel-log --db {p} --start-afresh restore {b}` 恢复最近一份经过验证的备份",
                "restore the latest verified backup with `counsel-log --db {p} --start-afresh \
                    restore {b}`"
            )
        }
        None => both!(
            "{folder} 中没有已知属于这本台账、经过验证的备份，请用 `counsel-log --db {p} \
                --start-afresh restore 备份文件` 恢复您另存的这本台账的备份",
            "no verified backup known to be of this store is in {folder}: restore a backup of it \
                that you keep elsewhere with \
                `counsel-log --db {p} --start-afresh restore FILE`"
        ),
    };
    both!(
        "位于 {p} 的台账上次在本机使用时有 {count} 条更改，现在却不见了或是空的：{zh_back}；\
            若确要在此重新开始一本空台账，请运行 `counsel-log --db {p} --start-afresh`\
            （这会忘掉 {state} 中记下的内容）",
        "the store at {p} held {count} changes when counsel-log last used it on this computer \
            and is now missing or empty: {en_back}; to begin an empty ledger there on purpose, \
            run `counsel-log --db {p} --start-afresh` (this forgets what {state} remembers)"
    )
}

/// What a full disk or a store that may only be read is, to follow "cannot use the store".
pub(super) fn io_fault(what: &IoFault) -> Pair {
    match what {
        IoFault::DiskFull => both!(
            "磁盘已满（或文件已达系统允许的大小），未能写入",
            "the disk is full (or a file reached the size the system allows), so nothing more \
            could be written"
        ),
        IoFault::ReadOnly => both!(
            "该目录或其文件只能读、不能写（权限不足或只读磁盘）",
            "the folder or its files may be read but not written (no permission, or a \
            read-only disk)"
        ),
        IoFault::TooManyFiles => both!(
            "打开的文件已达系统允许的数目（`ulimit -n`）",
            "counsel-log holds as many open files as the system allows (`ulimit -n`)"
        ),
        IoFault::NotAFolder | IoFault::System(_) => what.both(),
    }
}

pub(super) fn head_file_behind(file: u64, store: u64) -> Pair {
    let changes = if file == 1 {
        "1 change".to_string()
    } else {
        format!("{file} changes")
    };
    (
        format!(
            "{HEAD_FILE} 记有 {file} 条更改，台账却有 {store} 条，且不是一次中断的保存所致：\
                该文件被改动过"
        ),
        format!(
            "{HEAD_FILE} counts {changes} where the store holds {store}, and no interrupted \
                save explains it: the file was altered"
        ),
    )
}

pub(super) fn fewer_than_seen(seen: u64, found: u64) -> Pair {
    both!(
        "本机上次打开时它有 {seen} 条审计记录，现在只有 {found} 条：台账被换回了较早的\
                    状态或被替换",
        "it holds {found} audit records where this computer last saw {seen}: it was put \
                    back to an earlier state or replaced"
    )
}

pub(super) fn history_replaced(record: u64) -> Pair {
    both!(
        "台账的历史不是本机上次看到的那一份（第 {record} 条审计记录已不同）：它被替换或改写过",
        "the store's history is not the one this computer last saw (audit record {record} \
            differs): it was replaced or rewritten"
    )
}
