//! The configuration file: who "me" is, whose name the audit trail records, language, and the
//! timer's billing increment. Created with comments on first use; a bad value names the file,
//! the key and the expected form.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::Lang;

/// The file written on first use, with every key explained.
const TEMPLATE: &str = r#"# counsel-log configuration. Lines starting with # are comments; remove the # to set a value.

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
"#;

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
}

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
}

/// `$XDG_CONFIG_HOME/counsel-log/config.toml`, else `~/.config/counsel-log/config.toml`.
pub fn default_path() -> PathBuf {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from("."))
        .join("counsel-log")
        .join("config.toml")
}

impl Config {
    /// Reads the file at `path`; when it does not exist, writes the commented template there
    /// (quietly giving up if the directory cannot be written) and returns the defaults.
    pub fn load(path: &Path) -> Result<Config, String> {
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
                return Err(format!(
                    "cannot read the configuration {}: {e}",
                    path.display()
                ));
            }
        };
        Config::parse(&text).map_err(|m| format!("configuration {}: {m}", path.display()))
    }

    /// Reads configuration text.
    pub fn parse(text: &str) -> Result<Config, String> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let msg = e.message().trim().to_string();
            match e.span().map(|s| text[..s.start].lines().count().max(1)) {
                Some(line) => {
                    format!("line {line}: {msg}; known keys are me, name, lang, increment_minutes, backup_daily, backup_keep, backup_dir")
                }
                None => msg,
            }
        })?;
        let lang = match raw.lang {
            None => None,
            Some(l) => Some(
                Lang::parse(&l)
                    .ok_or_else(|| format!("key `lang` is \"{l}\": expected \"zh\" or \"en\""))?,
            ),
        };
        let increment_minutes = match raw.increment_minutes {
            None => 6,
            Some(n) if (1..=60).contains(&n) => n as u64,
            Some(n) => {
                return Err(format!(
                    "key `increment_minutes` is {n}: expected a whole number of minutes from 1 to 60, such as 6"
                ));
            }
        };
        let me = match raw.me {
            Some(id) => Some(
                crate::domain::model::check_advisor_id(&id)
                    .map_err(|m| format!("key `me`: {m}"))?,
            ),
            None => None,
        };
        let backup_keep = match raw.backup_keep {
            None => 14,
            Some(n) if (1..=1000).contains(&n) => n as usize,
            Some(n) => {
                return Err(format!(
                    "key `backup_keep` is {n}: expected how many backups to keep, from 1 to 1000"
                ));
            }
        };
        Ok(Config {
            me,
            name: raw.name.filter(|n| !n.trim().is_empty()),
            lang,
            increment_minutes,
            backup_daily: raw.backup_daily.unwrap_or(true),
            backup_keep,
            backup_dir: raw.backup_dir,
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

    #[test]
    fn bad_values_name_the_key_and_the_expected_form() {
        let e = Config::parse("lang = \"fr\"").unwrap_err();
        assert!(
            e.contains("`lang`") && e.contains("\"zh\" or \"en\""),
            "{e}"
        );
        let e = Config::parse("increment_minutes = 0").unwrap_err();
        assert!(
            e.contains("`increment_minutes`") && e.contains("1 to 60"),
            "{e}"
        );
        let e = Config::parse("colour = 1").unwrap_err();
        assert!(e.contains("line 1") && e.contains("known keys"), "{e}");
        let e = Config::parse("increment_minutes = \"six\"").unwrap_err();
        assert!(e.contains("line 1"), "{e}");
    }
}
