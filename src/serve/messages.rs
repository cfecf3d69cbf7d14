//! Every word of working beside the holder, in both languages.

use std::path::PathBuf;

use crate::domain::Lang;

/// What a command says about the process that holds its store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServeText {
    /// The holder was sent something that is not a command.
    NotACommand,
    /// The caller's working folder is gone.
    NoFolder(PathBuf),
    /// The holder is another version of counsel-log.
    OtherVersion { holder: String, caller: String },
    /// The caller is another user.
    Stranger,
    /// The holder said nothing in time.
    Silent { path: PathBuf, pid: Option<u32> },
    /// A second interface on a store an interface already holds.
    SecondInterface { path: PathBuf, pid: Option<u32> },
    /// The holder went away after beginning the command, which was saved.
    SavedThenLost { record: u64 },
    /// The holder is still at work on a long command.
    Working { pid: Option<u32> },
    /// `serve` could not make its socket.
    NoSocket { path: PathBuf, error: String },
    /// `serve` is listening.
    Serving { path: PathBuf, pid: u32 },
    /// A second interface shows a read-only copy of the store the first one holds.
    Viewing { pid: Option<u32>, at: String },
}

impl ServeText {
    pub fn message(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            ServeText::NotACommand => (
                "占用台账的进程只接受命令".to_string(),
                "the process holding the store takes commands only".to_string(),
            ),
            ServeText::NoFolder(path) => (
                format!("工作目录 {} 已不存在", path.display()),
                format!("the working folder {} no longer exists", path.display()),
            ),
            ServeText::OtherVersion { holder, caller } => (
                format!(
                    "台账正由 counsel-log {holder} 打开，本命令是 {caller}：请用同一版本，\
                     或先退出那个界面"
                ),
                format!(
                    "the store is held by counsel-log {holder} and this is {caller}: use the \
                     same version, or quit that one first"
                ),
            ),
            ServeText::Stranger => (
                "台账由另一位用户的进程占用".to_string(),
                "the store is held by another user's process".to_string(),
            ),
            ServeText::Silent { path, pid } => silent(path, *pid),
            ServeText::SecondInterface { path, pid } => second_interface(path, *pid),
            ServeText::SavedThenLost { record } => (
                format!(
                    "占用台账的进程在保存期间退出了，但这次更改已保存（审计记录 {record}）：\
                     counsel-log history 可查看"
                ),
                format!(
                    "the process holding the store stopped while saving, but the change was saved \
                     (audit record {record}): counsel-log history shows it"
                ),
            ),
            ServeText::Working { pid } => {
                let who = pid.map_or_else(String::new, |p| format!(" {p}"));
                (
                    format!("占用台账的进程{who}正在执行本命令，请稍候…"),
                    format!("process{who}, which holds the store, is working on it…"),
                )
            }
            ServeText::NoSocket { path, error } => (
                format!(
                    "无法在 {} 中建立供其他终端使用的套接字：{error}",
                    path.display()
                ),
                format!(
                    "cannot make the socket for other terminals in {}: {error}",
                    path.display()
                ),
            ),
            ServeText::Viewing { pid, at } => {
                let who = pid.map_or_else(String::new, |p| format!(" {p}"));
                (
                    format!(
                        "只读：这是 {at} 时的副本，台账由进程{who}占用；修改和导出请在那边进行，\
                         或用命令（counsel-log log …、report …）"
                    ),
                    format!(
                        "Read-only: a copy as of {at} of the store held by process{who}; change \
                         it or export from there, or with commands (counsel-log log …, report …)"
                    ),
                )
            }
            ServeText::Serving { path, pid } => (
                format!(
                    "进程 {pid} 正为其他终端提供 {} 中的台账；按 Ctrl-C 停止",
                    path.display()
                ),
                format!(
                    "process {pid} serves the store at {} to other terminals; Ctrl-C stops it",
                    path.display()
                ),
            ),
        };
        lang.of((zh, en))
    }
}

fn silent(path: &std::path::Path, pid: Option<u32>) -> (String, String) {
    let who = pid.map_or_else(String::new, |p| format!(" {p}"));
    (
        format!(
            "{} 中的台账由进程{who}占用，但它 5 秒内没有回应：若它已卡住，请结束它\
                 （kill{who}）后重试",
            path.display()
        ),
        format!(
            "the store at {} is held by process{who}, which did not answer within 5 \
                 seconds: if it is stuck, end it (kill{who}) and try again",
            path.display()
        ),
    )
}

fn second_interface(path: &std::path::Path, pid: Option<u32>) -> (String, String) {
    let who = pid.map_or_else(String::new, |p| format!(" {p}"));
    (
        format!(
            "{} 中的台账已在进程{who}的界面中打开：在本终端可直接使用命令（counsel-log \
                 log …、report …），那个界面会随之更新；要在此处打开界面，请先退出那一个",
            path.display()
        ),
        format!(
            "the store at {} is open in the interface of process{who}: commands work \
                 from this terminal (counsel-log log …, report …) and that interface \
                 shows what they change; to open the interface here, quit that one first",
            path.display()
        ),
    )
}
