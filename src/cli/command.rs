//! The command line's parser in the language of the run: the language is found before the
//! arguments are parsed (`--lang` among them, else `lang` in the configuration, else the
//! locale), every help text is put into clap's definition from the texts file, and a mistake
//! clap finds becomes a [`UsageMistake`] worded in that language instead of clap's English.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::StyledStr;
use clap::error::ErrorKind;
use clap::{Arg, Command, CommandFactory, FromArgMatches};

use super::Cli;
use super::messages::{HelpWords, UsageMistake, help_text, help_words, value_word};
use super::mistake::{command_path, mistake};
use crate::config;
use crate::domain::Lang;

/// Why the arguments gave no command to run.
#[derive(Debug)]
pub enum NotParsed {
    /// `--help`, `--version`, or a command that needs a subcommand given none: clap prints
    /// what was asked for, already in the language of the run.
    Shown(clap::Error),
    /// A mistake, worded in the language of the run.
    Mistake(UsageMistake),
}

/// Reads the arguments (the program's name first) with the help in `lang`.
pub fn parse(args: &[OsString], lang: Lang) -> Result<Cli, NotParsed> {
    // Arguments that parse read the same without the texts, which only help pages and
    // mistakes show: putting them into every command's definition would cost each run a
    // millisecond and more. Anything else is read again with them, to be answered in `lang`.
    if let Ok(cli) = Cli::command()
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        return Ok(cli);
    }
    let mut command = command(lang);
    let parsed = command
        .try_get_matches_from_mut(args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    parsed.map_err(|e| match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => NotParsed::Shown(e),
        _ => NotParsed::Mistake(UsageMistake {
            mistake: mistake(&e),
            command: command_path(&command, args),
        }),
    })
}

/// The language of the run before its arguments are parsed, so that `--help` and a mistake in
/// them speak it: `--lang` among them, else `lang` in the configuration (`--config` among them,
/// else the default file), else the locale. The run decides it again the same way once parsed.
pub fn lang_before_parsing(args: &[OsString], locale: &str) -> Lang {
    let config = flag_value(args, "--config").map_or_else(config::default_path, PathBuf::from);
    flag_value(args, "--lang")
        .and_then(|l| Lang::parse(&l))
        .or_else(|| config::lang_in(&config))
        .unwrap_or_else(|| Lang::from_locale(locale))
}

/// The value of a long flag among the arguments, written `--flag VALUE` or `--flag=VALUE`;
/// nothing after a `--` is a flag.
fn flag_value(args: &[OsString], flag: &str) -> Option<String> {
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--" {
            return None;
        }
        if arg == flag {
            return args.next().map(|v| v.into_owned());
        }
        if let Some(value) = arg.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
            return Some(value.to_string());
        }
    }
    None
}

/// The parser with every help text in `lang`, in the words of `lang`'s help page. The texts
/// go in before clap builds it (a long text left from the definition would have clap lay every
/// page out long) and again after, when the flags clap adds (`--help`, `--version`, the `help`
/// command) and the copies of the flags every command takes are there; the usage lines and
/// page layouts last, once clap knows each command's full name.
pub fn command(lang: Lang) -> Command {
    let mut command = with_texts(Cli::command(), "", lang);
    command.build();
    laid_out(with_texts(command, "", lang), lang)
}

/// `command` at `path` (`report`, `advisor add`; `""` for the program) with its texts and its
/// flags' and subcommands' in `lang`.
fn with_texts(command: Command, path: &str, lang: Lang) -> Command {
    command
        .about(text_at(path, lang).unwrap_or_default())
        .long_about(None)
        .subcommand_value_name(help_words(lang).command_tag)
        .mut_args(|arg| localised_arg(arg, path, lang))
        .mut_subcommands(|sub| {
            let at = joined(path, sub.get_name());
            with_texts(sub, &at, lang)
        })
}

/// `command` and its subcommands with their usage lines and help pages in the words of `lang`.
fn laid_out(mut command: Command, lang: Lang) -> Command {
    let words = help_words(lang);
    let usage = usage(&mut command, words);
    let template = template(&command, words);
    command
        .override_usage(usage)
        .help_template(template)
        .mut_subcommands(|sub| laid_out(sub, lang))
}

/// A flag with its text in `lang`, followed by its choices, default and environment variable
/// in the words of `lang` (clap would say them in English).
fn localised_arg(arg: Arg, path: &str, lang: Lang) -> Arg {
    let words = help_words(lang);
    let key = arg_key(&arg);
    let mut help = text_at(&joined(path, &key), lang)
        .or_else(|| text_at(&key, lang))
        .unwrap_or_default()
        .to_string();
    let takes_values = arg.get_action().takes_values();
    // Every mark is written here, so the texts can go in twice and say each mark once.
    if let Some(env) = arg.get_env() {
        help.push_str(&(words.env)(&env.to_string_lossy()));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.is_empty())
        .collect();
    if takes_values && !defaults.is_empty() {
        help.push_str(&(words.default)(&defaults.join(words.list_sep)));
    }
    let choices: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if takes_values && !choices.is_empty() {
        help.push_str(&(words.choices)(&choices.join(words.list_sep)));
    }
    // clap names a value after its flag when the definition does not.
    let names: Vec<String> = arg.get_value_names().map_or_else(
        || vec![arg.get_id().as_str().to_uppercase()],
        |names| names.iter().map(ToString::to_string).collect(),
    );
    let words: Option<Vec<&'static str>> = names.iter().map(|n| value_word(n, lang)).collect();
    let arg = arg.help(help).long_help(None).hide_env(true);
    let arg = match words {
        Some(words) if takes_values => arg.value_names(words),
        _ => arg,
    };
    if takes_values {
        arg.hide_default_value(true).hide_possible_values(true)
    } else {
        arg
    }
}

/// Where a flag's text is found: `--period` for a flag, `<file>` for an argument.
fn arg_key(arg: &Arg) -> String {
    arg.get_long().map_or_else(
        || format!("<{}>", arg.get_id().as_str()),
        |long| format!("--{long}"),
    )
}

/// The text at `at`. The `help` command clap adds to every command with subcommands has one
/// text wherever it is (`advisor help` is `help`), and the entries under it (`help report`,
/// `advisor help add`) are those of the command they show the help of.
fn text_at(at: &str, lang: Lang) -> Option<&'static str> {
    let words: Vec<&str> = at.split(' ').collect();
    let Some(help) = words.iter().position(|w| *w == "help") else {
        return help_text(at, lang);
    };
    let after = &words[help + 1..];
    let at = if after.first().is_none_or(|w| w.starts_with(['<', '-'])) {
        [&["help"], after].concat().join(" ")
    } else {
        [&words[..help], after].concat().join(" ")
    };
    help_text(&at, lang)
}

fn joined(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path} {name}")
    }
}

/// The usage line as clap writes it, with `[OPTIONS]` in the words of `lang`.
fn usage(command: &mut Command, words: &HelpWords) -> String {
    let usage = command.render_usage().to_string();
    let usage = usage
        .split_once(':')
        .map_or(usage.as_str(), |(_, line)| line)
        .trim();
    usage.replace("[OPTIONS]", words.options_tag)
}

/// The help page's layout as clap's own, with its headings in the words of `lang`: the about,
/// the usage, then each part the command has.
fn template(command: &Command, words: &HelpWords) -> StyledStr {
    let mut template = format!(
        "{{before-help}}{{about-with-newline}}\n{}{{usage}}",
        words.usage
    );
    if command.get_subcommands().any(|s| !s.is_hide_set()) {
        template.push_str(&format!("\n\n{}\n{{subcommands}}", words.commands));
    }
    if command.get_positionals().any(|a| !a.is_hide_set()) {
        template.push_str(&format!("\n\n{}\n{{positionals}}", words.arguments));
    }
    if command
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set())
    {
        template.push_str(&format!("\n\n{}\n{{options}}", words.options));
    }
    template.push_str("{after-help}");
    template.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::messages::HELP;

    /// The key of the text of each command and flag of the parser: a flag every command
    /// takes (clap's `--help` and `--version` among them) without a path. The generated `help`
    /// command shows the others' texts.
    fn keys(command: &Command, path: &str, into: &mut Vec<String>) {
        if path.split(' ').any(|w| w == "help") {
            return;
        }
        into.push(path.to_string());
        for arg in command.get_arguments() {
            let key = arg_key(arg);
            let everywhere =
                arg.is_global_set() || ["help", "version"].contains(&arg.get_id().as_str());
            into.push(if everywhere { key } else { joined(path, &key) });
        }
        for sub in command.get_subcommands() {
            keys(sub, &joined(path, sub.get_name()), into);
        }
    }

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn arguments_read_without_the_texts_as_with_them() {
        for args in [
            &["counsel-log"][..],
            &["counsel-log", "--demo", "--lang", "zh"],
            &[
                "counsel-log",
                "report",
                "--period",
                "all",
                "--by",
                "topic",
                "--format",
                "csv",
            ],
            &["counsel-log", "--db", "/tmp/x", "summary", "--period=2024"],
            &[
                "counsel-log",
                "log",
                "--advisor",
                "A001",
                "--hours",
                "1.5",
                "--item",
                "2024-001",
            ],
            &["counsel-log", "export", "-", "--header", "zh"],
            &[
                "counsel-log",
                "advisor",
                "add",
                "--id",
                "A100",
                "--name",
                "张三",
                "--category",
                "staff",
            ],
        ] {
            let plain = Cli::command()
                .try_get_matches_from(os(args))
                .and_then(|m| Cli::from_arg_matches(&m))
                .unwrap_or_else(|e| panic!("{args:?}: {e}"));
            for lang in [Lang::Zh, Lang::En] {
                let mut worded = command(lang);
                let worded = worded
                    .try_get_matches_from_mut(os(args))
                    .and_then(|m| Cli::from_arg_matches(&m))
                    .unwrap_or_else(|e| panic!("{args:?}: {e}"));
                assert_eq!(format!("{plain:?}"), format!("{worded:?}"), "{args:?}");
            }
        }
        // Help and mistakes still come in the run's language.
        for lang in [Lang::Zh, Lang::En] {
            assert!(matches!(
                parse(&os(&["counsel-log", "report", "--help"]), lang),
                Err(NotParsed::Shown(_))
            ));
            assert!(matches!(
                parse(&os(&["counsel-log", "report", "--perod", "2024"]), lang),
                Err(NotParsed::Mistake(_))
            ));
        }
    }

    #[test]
    fn every_command_and_flag_has_its_help_in_both_languages_and_every_text_is_used() {
        let mut built = Cli::command();
        built.build();
        let mut wanted = Vec::new();
        keys(&built, "", &mut wanted);
        wanted.extend(["help".into(), "help <subcommand>".into()]);
        for key in &wanted {
            let found = HELP.iter().find(|h| h.at == key.as_str());
            assert!(
                found.is_some_and(|h| !h.zh.is_empty() && !h.en.is_empty()),
                "no help text for {key:?}"
            );
        }
        for h in HELP {
            assert!(
                wanted.iter().any(|k| k == h.at),
                "{:?} is the help of nothing",
                h.at
            );
        }
    }

    #[test]
    fn the_help_pages_speak_one_language() {
        let mut zh = command(Lang::Zh);
        let page = zh.render_help().to_string();
        for word in [
            "用法：counsel-log [选项] [命令]",
            "命令：",
            "选项：",
            "显示帮助",
        ] {
            assert!(page.contains(word), "{word}: {page}");
        }
        let report = zh
            .find_subcommand_mut("report")
            .map(|r| r.render_long_help().to_string())
            .unwrap_or_default();
        for word in [
            "（默认：advisor）",
            "（可选：advisor、category",
            "统计一个期间",
        ] {
            assert!(report.contains(word), "{word}: {report}");
        }
        for english in [
            "Usage",
            "Options",
            "Commands",
            "Print",
            "default",
            "possible values",
        ] {
            assert!(!page.contains(english), "{english}: {page}");
            assert!(!report.contains(english), "{english}: {report}");
        }
        let en = command(Lang::En).render_help().to_string();
        assert!(
            en.contains("Usage: counsel-log [OPTIONS] [COMMAND]"),
            "{en}"
        );
        assert!(en.contains("Print help") && !en.contains("显示"), "{en}");
    }

    #[test]
    fn the_language_is_found_before_parsing() {
        let none = std::path::Path::new("/nonexistent/config.toml");
        let args = |extra: &[&str]| {
            let mut a = os(&["counsel-log", "--config", &none.to_string_lossy()]);
            a.extend(os(extra));
            a
        };
        assert_eq!(lang_before_parsing(&args(&["--lang", "zh"]), "C"), Lang::Zh);
        assert_eq!(
            lang_before_parsing(&args(&["--lang=en"]), "zh_CN"),
            Lang::En
        );
        assert_eq!(
            lang_before_parsing(&args(&["logg"]), "zh_CN.UTF-8"),
            Lang::Zh
        );
        assert_eq!(
            lang_before_parsing(&args(&["--", "--lang", "zh"]), "C"),
            Lang::En
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "lang = \"zh\"\n").unwrap();
        let with_config = os(&["counsel-log", "--config", &file.to_string_lossy(), "logg"]);
        assert_eq!(lang_before_parsing(&with_config, "C.UTF-8"), Lang::Zh);
    }
}
