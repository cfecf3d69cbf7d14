//! A mistake on the command line in the words of the run's language: what clap found (an
//! unknown command or flag, a value it does not take, a missing one…) as typed values, worded
//! here in both languages rather than in clap's English, with the command whose `--help` to read.

use crate::domain::Lang;
use crate::domain::lang::Pair;

/// A mistake on the command line and the command it was made in (`counsel-log report`), whose
/// `--help` the message points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageMistake {
    pub mistake: Mistake,
    pub command: String,
}

/// What clap refused, with the values it named. Flags are as clap shows them, with their value
/// (`--by <BY>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mistake {
    /// No such command; the close ones.
    UnknownCommand {
        typed: String,
        close: Vec<String>,
        tips: Vec<Tip>,
    },
    /// No such flag (or an argument too many); the close one.
    UnknownFlag {
        typed: String,
        close: Option<String>,
        tips: Vec<Tip>,
    },
    /// A value the flag does not take; what it takes, and the close one.
    BadValue {
        flag: String,
        value: String,
        choices: Vec<String>,
        close: Option<String>,
    },
    /// A flag given without its value.
    NoValue { flag: String, choices: Vec<String> },
    /// A value the flag's reader refused (a number out of range); `why` is the reader's own
    /// English words, said only in English.
    Unreadable {
        flag: String,
        value: String,
        why: Option<String>,
    },
    /// Flags that must be given.
    Missing(Vec<String>),
    /// A command that needs one of its subcommands.
    NoSubcommand {
        command: String,
        choices: Vec<String>,
    },
    /// A flag that cannot go with others (`with` empty: with one of the others given).
    Together { flag: String, with: Vec<String> },
    /// A flag given twice.
    Twice(String),
    /// More values than the flag takes.
    TooMany { flag: String, value: String },
    /// Fewer values than the flag needs, or another number than it needs.
    Count {
        flag: String,
        needed: usize,
        given: usize,
    },
    /// A flag whose value must follow an `=`.
    NoEquals(String),
    /// An argument that is not valid UTF-8.
    NotText,
    /// Anything else clap can refuse: its own English words, said only in English.
    Other(String),
}

/// What clap suggests beside a mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tip {
    /// To give `typed` as a value, write `write` (`-- -x`).
    AsValue { typed: String, write: String },
    /// The flag exists in another command: `usage` (`report --period`).
    ExistsIn(String),
    /// `command` is a command: drop the `--` before it.
    DropDashes(String),
    /// A suggestion of clap's this program does not know: said only in English.
    Other(String),
}

impl UsageMistake {
    /// The one-line message, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let command = &self.command;
        let said = self.mistake.message(lang);
        lang.of((
            format!("命令行有误：{said}；用法见 `{command} --help`"),
            format!("{said}; see `{command} --help`"),
        ))
    }
}

impl Mistake {
    /// The mistake and its tips, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        let texts: Pair = match self {
            Mistake::UnknownCommand { typed, close, tips } => {
                with_tips(unknown_command(typed, close), tips)
            }
            Mistake::UnknownFlag { typed, close, tips } => {
                with_tips(unknown_flag(typed, close.as_deref()), tips)
            }
            Mistake::BadValue {
                flag,
                value,
                choices,
                close,
            } => bad_value(flag, value, choices, close.as_deref()),
            Mistake::NoValue { flag, choices } => no_value(flag, choices),
            Mistake::Unreadable { flag, value, why } => unreadable(flag, value, why.as_deref()),
            Mistake::Missing(flags) => (
                format!("缺少必须给出的参数：{}", flags.join("、")),
                format!(
                    "the following required arguments were not provided: {}",
                    flags.join(" ")
                ),
            ),
            Mistake::NoSubcommand { command, choices } => (
                format!("{command} 后须给出一个子命令：{}", choices.join("、")),
                format!(
                    "'{command}' requires a subcommand but one was not provided [subcommands: {}]",
                    choices.join(", ")
                ),
            ),
            Mistake::Together { flag, with } => together(flag, with),
            Mistake::Twice(flag) => (
                format!("参数 {} 只能给一次", name(flag)),
                format!("the argument '{flag}' cannot be used multiple times"),
            ),
            Mistake::TooMany { flag, value } => (
                format!("{} 不再接受更多的值，多出了“{value}”", name(flag)),
                format!("unexpected value '{value}' for '{flag}' found; no more were expected"),
            ),
            Mistake::Count {
                flag,
                needed,
                given,
            } => (
                format!("{} 需要 {needed} 个值，却给了 {given} 个", name(flag)),
                format!("{needed} values required for '{flag}' but {given} provided"),
            ),
            Mistake::NoEquals(flag) => (
                format!("{flag} 的值须用等号给出，如 {flag}=值"),
                format!("equal sign is needed when assigning values to '{flag}'"),
            ),
            Mistake::NotText => (
                "参数中有不是 UTF-8 文本的内容".into(),
                "an argument is not valid UTF-8".into(),
            ),
            Mistake::Other(clap) => ("请核对各参数".into(), clap.clone()),
        };
        lang.of(texts)
    }
}

/// A flag as a Chinese sentence names it: `--by`, without the `<BY>` clap shows after it.
fn name(flag: &str) -> &str {
    flag.split_once(' ').map_or(flag, |(name, _)| name)
}

fn unknown_command(typed: &str, close: &[String]) -> Pair {
    if close.is_empty() {
        (
            format!("没有“{typed}”这个命令"),
            format!("unrecognized subcommand '{typed}'"),
        )
    } else {
        (
            format!("没有“{typed}”这个命令（是否要用 {}？）", close.join("、")),
            format!(
                "unrecognized subcommand '{typed}'; a similar subcommand exists: '{}'",
                close.join("', '")
            ),
        )
    }
}

fn unknown_flag(typed: &str, close: Option<&str>) -> Pair {
    match close {
        None => (
            format!("不认识参数“{typed}”"),
            format!("unexpected argument '{typed}' found"),
        ),
        Some(close) => (
            format!("不认识参数“{typed}”（是否要用 {close}？）"),
            format!("unexpected argument '{typed}' found; a similar argument exists: '{close}'"),
        ),
    }
}

fn bad_value(flag: &str, value: &str, choices: &[String], close: Option<&str>) -> Pair {
    let (mut zh, mut en) = (
        format!("{} 不接受“{value}”", name(flag)),
        format!("invalid value '{value}' for '{flag}'"),
    );
    if let Some(close) = close {
        zh.push_str(&format!("（是否要用 {close}？）"));
        en.push_str(&format!("; a similar value exists: '{close}'"));
    }
    if !choices.is_empty() {
        zh.push_str(&format!("；可取的值：{}", choices.join("、")));
        en.push_str(&format!(" [possible values: {}]", choices.join(", ")));
    }
    (zh, en)
}

fn no_value(flag: &str, choices: &[String]) -> Pair {
    let (mut zh, mut en) = (
        format!("{} 须给出一个值", name(flag)),
        format!("a value is required for '{flag}' but none was supplied"),
    );
    if !choices.is_empty() {
        zh.push_str(&format!("：{}", choices.join("、")));
        en.push_str(&format!(" [possible values: {}]", choices.join(", ")));
    }
    (zh, en)
}

fn unreadable(flag: &str, value: &str, why: Option<&str>) -> Pair {
    (
        format!("{} 不接受“{value}”", name(flag)),
        match why {
            Some(why) => format!("invalid value '{value}' for '{flag}': {why}"),
            None => format!("invalid value '{value}' for '{flag}'"),
        },
    )
}

fn together(flag: &str, with: &[String]) -> Pair {
    if with.is_empty() {
        (
            format!("{} 不能与已给出的其他参数同时使用", name(flag)),
            format!(
                "the argument '{flag}' cannot be used with one or more of the other specified \
                    arguments"
            ),
        )
    } else {
        (
            format!("{} 不能与 {} 同时使用", name(flag), with.join("、")),
            format!(
                "the argument '{flag}' cannot be used with '{}'",
                with.join("', '")
            ),
        )
    }
}

/// A mistake's text followed by clap's suggestions; one clap words in a way this program does
/// not know is left out in Chinese, rather than said in English there.
fn with_tips((mut zh, mut en): Pair, tips: &[Tip]) -> Pair {
    for tip in tips {
        let (tip_zh, tip_en) = match tip {
            Tip::AsValue { typed, write } => (
                Some(format!("如要把“{typed}”作为值，请写成 {write}")),
                format!("to pass '{typed}' as a value, use '{write}'"),
            ),
            Tip::ExistsIn(usage) => (
                Some(format!("{usage} 中有这个参数")),
                format!("'{usage}' exists"),
            ),
            Tip::DropDashes(command) => (
                Some(format!("{command} 是一个命令：请去掉它前面的 --")),
                format!("subcommand '{command}' exists; to use it, remove the '--' before it"),
            ),
            Tip::Other(clap) => (None, clap.clone()),
        };
        if let Some(tip) = tip_zh {
            zh.push_str(&format!("（提示：{tip}）"));
        }
        en.push_str(&format!(" (tip: {tip_en})"));
    }
    (zh, en)
}
