//! The configuration file: who "me" is, whose name the audit trail records, language, and the
//! timer's billing increment. Created with comments on first use; a bad value names the file,
//! the key and the expected form.

mod messages;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::targets::parse_hours;
use crate::domain::{Category, Lang, Targets};

/// The file written on first use, with every key explained.
const TEMPLATE: &str = concat!(
    r#"# counsel-log configuration. Lines starting with # are comments; "#,
    r#"remove the # to set a value.

# The advisor id that new entries default to, e.g. "A001".
# me = "A001"

# Who the audit trail records as making changes (default: your login name).
# name = "张三"

# Language of labels and reports: "zh" or "en" (default: from the LANG environment variable).
# lang = "zh"

# The timer rounds up to this many minutes: 6 is a tenth of an hour.
increment_minutes = 6

# The interface makes a verified backup on its first start of each day, keeping the newest few.
backup_daily = true
backup_keep = 14
# backup_dir = "/path/to/backups"   (default: $XDG_DATA_HOME/counsel-log-backups)

# Report tables round each row's hours on its own, so rows may be a tenth off their total (the
# table then says so). true shares the total's hours out over the rows instead (largest
# remainder), so they add up exactly, as `report --apportion` does.
# apportion = false

# At an office that gathers bundles: a store enrolled here is late when its last bundle
# arrived more than this many days ago (`counsel-log missing`, the Team screen).
# bundle_late_days = 7

# Monthly target hours, by category (staff, public-lawyer, external, expert) or by advisor id;
# an advisor's own target wins over their category's. The Team screen shows how far each
# advisor's hours reach their target for the period.
# [targets]
# staff = 10
# public-lawyer = 4
# A001 = 20
"#
);

/// The settings, after defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub me: Option<String>,
    pub name: Option<String>,
    pub lang: Option<Lang>,
    pub increment_minutes: u64,
    /// Back up on the interface's first start of each day.
    pub backup_daily: bool,
    /// How many backups to keep.
    pub backup_keep: usize,
    pub backup_dir: Option<PathBuf>,
    /// Monthly target hours by category or advisor.
    pub targets: Targets,
    /// An enrolled store whose last bundle arrived more than this many days ago is late.
    pub bundle_late_days: u32,
    /// Report tables share the total's hours out over the rows, so they add up exactly.
    pub apportion: bool,
}

/// `bundle_late_days` when the file does not set it: a week.
pub const BUNDLE_LATE_DAYS: u32 = 7;

impl Default for Config {
    fn default() -> Config {
        Config {
            me: None,
            name: None,
            lang: None,
            increment_minutes: 6,
            backup_daily: true,
            backup_keep: 14,
            backup_dir: None,
            targets: Targets::default(),
            bundle_late_days: BUNDLE_LATE_DAYS,
            apportion: false,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    me: Option<String>,
    name: Option<String>,
    lang: Option<String>,
    increment_minutes: Option<i64>,
    backup_daily: Option<bool>,
    backup_keep: Option<i64>,
    backup_dir: Option<PathBuf>,
    bundle_late_days: Option<i64>,
    apportion: Option<bool>,
    #[serde(default)]
    targets: std::collections::BTreeMap<String, f64>,
}

/// The keys the file may hold, as a bad key's message lists them.
const KEYS: &str = "me, name, lang, increment_minutes, backup_daily, backup_keep, backup_dir, \
    bundle_late_days, apportion, [targets]";

/// Why the configuration could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum ConfigError {
    /// The file exists but cannot be read (what the system said).
    Unreadable { path: PathBuf, detail: String },
    /// The file holds a bad value.
    Bad {
        path: PathBuf,
        problem: ConfigProblem,
    },
}

/// A bad value in the configuration text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    /// Not TOML, an unknown key or a value of the wrong type (the line, when known, and what
    /// the TOML reader said).
    Syntax {
        line: Option<usize>,
        detail: String,
    },
    Lang(String),
    Increment(i64),
    Me(crate::domain::model::FieldError),
    /// A `name` the audit trail could not keep as typed: a control or direction character.
    Name(crate::domain::model::FieldError),
    Keep(i64),
    /// `bundle_late_days` that is not a whole number of days from 1 to 365.
    LateDays(i64),
    /// A `[targets]` key that is neither a category nor an advisor id.
    TargetKey(String),
    /// A target that is not a positive number of hours (whole tenths, at most a month's).
    TargetHours {
        key: String,
        value: String,
    },
}

/// `config.toml` in the platform's configuration directory for counsel-log:
/// `$XDG_CONFIG_HOME/counsel-log` on Linux, `~/Library/Preferences/counsel-log` on macOS (not
/// the data directory, which there is the same folder as the store's), `%APPDATA%` on Windows.
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "counsel-log")
        .map_or_else(
            || PathBuf::from("counsel-log"),
            |d| d.preference_dir().to_path_buf(),
        )
        .join("config.toml")
}

/// The `lang` the configuration file at `path` asks for, read before the command line is parsed
/// so that `--help` and a mistake in the arguments speak it. Nothing is written, and a file that
/// is missing, unreadable or holds no valid `lang` gives `None`: the run reads the whole file
/// once the arguments are parsed, and says what is wrong with it then.
pub fn lang_in(path: &Path) -> Option<Lang> {
    let text = std::fs::read_to_string(path).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    table.get("lang")?.as_str().and_then(Lang::parse)
}

impl Config {
    /// Reads the file at `path`; when it does not exist, writes the commented template there
    /// (quietly giving up if the directory cannot be written) and returns the defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    let _ =
                        std::fs::create_dir_all(dir).and_then(|_| std::fs::write(path, TEMPLATE));
                }
                return Ok(Config::default());
            }
            Err(e) => {
                return Err(ConfigError::Unreadable {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                });
            }
        };
        Config::parse(&text).map_err(|problem| ConfigError::Bad {
            path: path.to_path_buf(),
            problem,
        })
    }

    /// Reads configuration text.
    pub fn parse(text: &str) -> Result<Config, ConfigProblem> {
        let raw: Raw = toml::from_str(text).map_err(|e| ConfigProblem::Syntax {
            line: e.span().map(|s| text[..s.start].lines().count().max(1)),
            detail: e.message().trim().to_string(),
        })?;
        let lang = match raw.lang {
            None => None,
            Some(l) => Some(Lang::parse(&l).ok_or(ConfigProblem::Lang(l))?),
        };
        let increment_minutes = match raw.increment_minutes {
            None => 6,
            Some(n) => u64::try_from(n)
                .ok()
                .filter(|n| (1..=60).contains(n))
                .ok_or(ConfigProblem::Increment(n))?,
        };
        let me = match raw.me {
            Some(id) => {
                Some(crate::domain::model::check_advisor_id(&id).map_err(ConfigProblem::Me)?)
            }
            None => None,
        };
        // Who the audit trail records, for good: checked as every name typed into a form is.
        let name = match raw.name.filter(|n| !n.trim().is_empty()) {
            Some(n) => Some(
                crate::domain::model::check_text(crate::domain::model::TextField::Name, &n)
                    .map_err(ConfigProblem::Name)?,
            ),
            None => None,
        };
        let backup_keep = match raw.backup_keep {
            None => 14,
            Some(n) => usize::try_from(n)
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or(ConfigProblem::Keep(n))?,
        };
        let bundle_late_days = match raw.bundle_late_days {
            None => BUNDLE_LATE_DAYS,
            Some(n) => u32::try_from(n)
                .ok()
                .filter(|n| (1..=365).contains(n))
                .ok_or(ConfigProblem::LateDays(n))?,
        };
        let mut targets = Targets::default();
        for (key, value) in raw.targets {
            let minutes = parse_hours(value).ok_or_else(|| ConfigProblem::TargetHours {
                key: key.clone(),
                value: value.to_string(),
            })?;
            match Category::parse(&key) {
                Some(c) => {
                    targets.by_category.insert(c, minutes);
                }
                None => {
                    let id = crate::domain::model::check_advisor_id(&key)
                        .map_err(|_| ConfigProblem::TargetKey(key.clone()))?;
                    targets.by_advisor.insert(id, minutes);
                }
            }
        }
        Ok(Config {
            me,
            name,
            lang,
            increment_minutes,
            backup_daily: raw.backup_daily.unwrap_or(true),
            backup_keep,
            backup_dir: raw.backup_dir,
            targets,
            bundle_late_days,
            apportion: raw.apportion.unwrap_or(false),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_reads_as_the_defaults() {
        assert_eq!(Config::parse(TEMPLATE), Ok(Config::default()));
    }

    fn problem(text: &str, lang: Lang) -> String {
        Config::parse(text).unwrap_err().message(lang)
    }

    #[test]
    fn bad_values_name_the_key_and_the_expected_form() {
        let e = problem("lang = \"fr\"", Lang::En);
        assert!(
            e.contains("`lang`") && e.contains("\"zh\" or \"en\""),
            "{e}"
        );
        let e = problem("increment_minutes = 0", Lang::En);
        assert!(
            e.contains("`increment_minutes`") && e.contains("1 to 60"),
            "{e}"
        );
        let e = problem("colour = 1", Lang::En);
        assert!(e.contains("line 1") && e.contains("known keys"), "{e}");
        let e = problem("increment_minutes = \"six\"", Lang::En);
        assert!(e.contains("line 1"), "{e}");
        let e = problem("bundle_late_days = 0", Lang::En);
        assert!(
            e.contains("`bundle_late_days` is 0") && e.contains("1 to 365"),
            "{e}"
        );
        let e = problem("bundle_late_days = 400", Lang::Zh);
        assert!(
            e.starts_with("键 `bundle_late_days` 的值是 400：") && e.contains("1 到 365"),
            "{e}"
        );
        assert_eq!(
            Config::parse("bundle_late_days = 14").map(|c| c.bundle_late_days),
            Ok(14)
        );
        assert_eq!(
            Config::parse("apportion = true").map(|c| c.apportion),
            Ok(true)
        );
        assert!(problem("apportion = \"yes\"", Lang::En).contains("line 1"));
    }

    #[test]
    fn bad_values_are_explained_in_chinese_too() {
        let e = problem("increment_minutes = 0", Lang::Zh);
        assert!(
            e.starts_with("键 `increment_minutes` 的值是 0：") && e.contains("1 到 60"),
            "{e}"
        );
        let e = problem("colour = 1", Lang::Zh);
        assert!(
            e.starts_with("第 1 行：") && e.contains("可用的键为"),
            "{e}"
        );
    }
}

#[cfg(test)]
mod target_tests {
    use super::*;
    use crate::domain::Minutes;

    #[test]
    fn targets_by_category_and_by_advisor_are_read() {
        let c = Config::parse("[targets]\nstaff = 10\n\"公职律师\" = 4.5\nA001 = 20\n").unwrap();
        assert_eq!(
            c.targets.by_category.get(&Category::Staff),
            Some(&Minutes(600))
        );
        assert_eq!(
            c.targets.by_category.get(&Category::PublicLawyer),
            Some(&Minutes(270))
        );
        assert_eq!(c.targets.by_advisor.get("A001"), Some(&Minutes(1200)));
    }

    #[test]
    fn a_bad_target_names_the_key_and_the_expected_form() {
        let e = Config::parse("[targets]\nstaff = -3\n").unwrap_err();
        assert!(
            e.message(Lang::En)
                .contains("[targets] staff = -3: expected hours per month")
        );
        let e = Config::parse("[targets]\n\"not an id!\" = 3\n").unwrap_err();
        assert!(
            e.message(Lang::Zh).contains("既不是类别"),
            "{}",
            e.message(Lang::Zh)
        );
        let e = Config::parse("[targets]\nstaff = \"ten\"\n").unwrap_err();
        assert!(
            e.message(Lang::En).contains("line 2"),
            "{}",
            e.message(Lang::En)
        );
    }
}
