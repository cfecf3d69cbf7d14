//! A mistake clap found on the command line, read into a [`Mistake`] with the values it named
//! (the words are chosen in `messages/usage.rs`), and the command it was made in, whose
//! `--help` the message points to.

use std::ffi::OsString;

use clap::Command;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::messages::{Mistake, Tip};

/// The command a mistake was made in, as typed to reach it (`counsel-log report`): the
/// subcommands among the arguments, passing over flags and the values they take.
pub(super) fn command_path(command: &Command, args: &[OsString]) -> String {
    let mut path = vec![command.get_name().to_string()];
    let mut at = command;
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let takes_value = !long.contains('=')
                && at
                    .get_arguments()
                    .find(|a| a.get_long() == Some(long))
                    .is_some_and(|a| a.get_action().takes_values());
            if takes_value {
                args.next();
            }
        } else if arg == "help" {
            // The `help` command's own mistakes are the command line's.
            break;
        } else if let Some(sub) = at.find_subcommand(arg.as_ref()) {
            path.push(sub.get_name().to_string());
            at = sub;
        }
    }
    path.join(" ")
}

/// What clap refused, as a value.
pub(super) fn mistake(e: &clap::Error) -> Mistake {
    let found = match e.kind() {
        ErrorKind::InvalidSubcommand => {
            text(e, ContextKind::InvalidSubcommand).map(|typed| Mistake::UnknownCommand {
                typed,
                close: texts(e, ContextKind::SuggestedSubcommand),
                tips: tips(e),
            })
        }
        ErrorKind::UnknownArgument => {
            text(e, ContextKind::InvalidArg).map(|typed| Mistake::UnknownFlag {
                typed,
                close: text(e, ContextKind::SuggestedArg),
                tips: tips(e),
            })
        }
        ErrorKind::InvalidValue => flag_and_value(e).map(|(flag, value)| {
            let choices = texts(e, ContextKind::ValidValue);
            if value.is_empty() {
                Mistake::NoValue { flag, choices }
            } else {
                Mistake::BadValue {
                    flag,
                    value,
                    choices,
                    close: text(e, ContextKind::SuggestedValue),
                }
            }
        }),
        ErrorKind::ValueValidation => flag_and_value(e).map(|(flag, value)| Mistake::Unreadable {
            flag,
            value,
            why: std::error::Error::source(e).map(ToString::to_string),
        }),
        _ => counted(e),
    };
    found.unwrap_or_else(|| Mistake::Other(clap_words(e)))
}

/// The mistakes about how many flags or values were given.
fn counted(e: &clap::Error) -> Option<Mistake> {
    match e.kind() {
        ErrorKind::MissingRequiredArgument => {
            Some(Mistake::Missing(texts(e, ContextKind::InvalidArg)))
                .filter(|m| !matches!(m, Mistake::Missing(flags) if flags.is_empty()))
        }
        ErrorKind::MissingSubcommand => {
            text(e, ContextKind::InvalidSubcommand).map(|command| Mistake::NoSubcommand {
                command,
                choices: texts(e, ContextKind::ValidSubcommand),
            })
        }
        ErrorKind::ArgumentConflict => text(e, ContextKind::InvalidArg).map(|flag| {
            let with = texts(e, ContextKind::PriorArg);
            if with == [flag.clone()] {
                Mistake::Twice(flag)
            } else {
                Mistake::Together { flag, with }
            }
        }),
        ErrorKind::TooManyValues => {
            flag_and_value(e).map(|(flag, value)| Mistake::TooMany { flag, value })
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let needed = number(e, ContextKind::MinValues)
                .or_else(|| number(e, ContextKind::ExpectedNumValues))?;
            let given = number(e, ContextKind::ActualNumValues)?;
            text(e, ContextKind::InvalidArg).map(|flag| Mistake::Count {
                flag,
                needed,
                given,
            })
        }
        ErrorKind::NoEquals => text(e, ContextKind::InvalidArg).map(Mistake::NoEquals),
        ErrorKind::InvalidUtf8 => Some(Mistake::NotText),
        _ => None,
    }
}

fn text(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    }
}

fn texts(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn number(e: &clap::Error, kind: ContextKind) -> Option<usize> {
    match e.get(kind) {
        Some(ContextValue::Number(n)) => usize::try_from(*n).ok(),
        _ => None,
    }
}

fn flag_and_value(e: &clap::Error) -> Option<(String, String)> {
    Some((
        text(e, ContextKind::InvalidArg)?,
        text(e, ContextKind::InvalidValue)?,
    ))
}

/// clap's suggestions, read back from its English into values; one it words otherwise is kept
/// as it is, for English only.
fn tips(e: &clap::Error) -> Vec<Tip> {
    let Some(ContextValue::StyledStrs(tips)) = e.get(ContextKind::Suggested) else {
        return Vec::new();
    };
    tips.iter().map(|t| tip(&t.to_string())).collect()
}

fn tip(said: &str) -> Tip {
    if let Some((typed, write)) = said
        .strip_prefix("to pass '")
        .and_then(|r| r.split_once("' as a value, use '"))
    {
        return Tip::AsValue {
            typed: typed.to_string(),
            write: write.trim_end_matches('\'').to_string(),
        };
    }
    if let Some(command) = said
        .strip_prefix("subcommand '")
        .and_then(|r| r.strip_suffix("' exists; to use it, remove the '--' before it"))
    {
        return Tip::DropDashes(command.to_string());
    }
    if let Some(usage) = said
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix("' exists"))
    {
        return Tip::ExistsIn(usage.to_string());
    }
    Tip::Other(said.to_string())
}

/// clap's own first line about the mistake, without its `error: `.
fn clap_words(e: &clap::Error) -> String {
    let rendered = e.render().to_string();
    rendered
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{NotParsed, parse};
    use crate::domain::Lang;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn mistakes_are_read_into_values_with_the_command_they_were_made_in() {
        let wrong = |args: &[&str]| match parse(&os(args), Lang::Zh) {
            Err(NotParsed::Mistake(m)) => m,
            other => panic!("{args:?}: {other:?}"),
        };
        let m = wrong(&["counsel-log", "logg"]);
        assert_eq!(m.command, "counsel-log");
        assert!(
            matches!(&m.mistake, Mistake::UnknownCommand { typed, close, .. }
                if typed == "logg" && close == &["log"]),
            "{m:?}"
        );
        let m = wrong(&["counsel-log", "--db", "report", "report", "--by", "x"]);
        assert_eq!(m.command, "counsel-log report");
        assert!(
            matches!(&m.mistake, Mistake::BadValue { value, choices, .. }
                if value == "x" && choices.len() == 6),
            "{m:?}"
        );
        let m = wrong(&["counsel-log", "report", "--perod", "2024"]);
        assert!(
            matches!(&m.mistake, Mistake::UnknownFlag { close: Some(c), .. } if c == "--period"),
            "{m:?}"
        );
        let m = wrong(&["counsel-log", "--", "report"]);
        assert!(
            matches!(&m.mistake, Mistake::UnknownFlag { tips, .. }
                if tips == &[Tip::DropDashes("report".into())]),
            "{m:?}"
        );
        let m = wrong(&["counsel-log", "missing", "--days", "999"]);
        assert!(matches!(&m.mistake, Mistake::Unreadable { .. }), "{m:?}");
        let m = wrong(&[
            "counsel-log",
            "bundle",
            "--out",
            "-",
            "--all",
            "--since",
            "2024-01-01",
        ]);
        assert!(matches!(&m.mistake, Mistake::Together { .. }), "{m:?}");
        let m = wrong(&["counsel-log", "advisor", "add"]);
        assert!(
            matches!(&m.mistake, Mistake::Missing(flags) if flags.len() == 3),
            "{m:?}"
        );
    }
}
