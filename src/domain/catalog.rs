//! Fixed vocabularies: advisor categories, satisfaction ratings, and the topic and service-type
//! catalogs (shipped in `assets/`, extensible), each with a stable code and zh / en names that
//! are all accepted on input.

use std::fmt;

use serde::{Deserialize, Serialize};
use strum::VariantArray;

use super::lang::Lang;

/// The four kinds of legal advisor a government team is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum Category {
    /// 首席/专职政府法律顾问: chief or full-time government advisor.
    Staff,
    /// 公职律师: part-time public-sector lawyer.
    PublicLawyer,
    /// 外聘律师: external practising lawyer.
    External,
    /// 特约法律咨询专家: special legal expert.
    Expert,
}

impl Category {
    /// The stable code: `staff`, `public-lawyer`, `external`, `expert`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Accepts the code, either language's full or short name, and common variants.
    pub fn parse(input: &str) -> Option<Category> {
        let typed = input.trim().to_lowercase();
        Category::VARIANTS.iter().copied().find(|c| {
            typed == c.code()
                || [Lang::Zh, Lang::En].iter().any(|&l| {
                    typed == c.label(l).to_lowercase() || typed == c.short(l).to_lowercase()
                })
                || match c {
                    Category::Staff => [
                        "首席",
                        "专职",
                        "首席法律顾问",
                        "专职法律顾问",
                        "政府法律顾问",
                        "chief",
                        "full-time",
                    ]
                    .contains(&typed.as_str()),
                    Category::PublicLawyer => {
                        ["public lawyer", "public_lawyer", "publiclawyer"].contains(&typed.as_str())
                    }
                    Category::External => {
                        ["外聘", "external lawyer", "practising lawyer"].contains(&typed.as_str())
                    }
                    Category::Expert => ["专家", "特约专家", "法律咨询专家", "legal expert"]
                        .contains(&typed.as_str()),
                }
        })
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How the requesting department rated a service item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "kebab-case")]
pub enum Satisfaction {
    Satisfied,
    Basic,
    Unsatisfied,
}

impl Satisfaction {
    /// The stable code: `satisfied`, `basic`, `unsatisfied`.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// Reads a rating; an empty cell means "not rated" (`Ok(None)`).
    pub fn parse_optional(input: &str) -> Result<Option<Satisfaction>, UnknownRating> {
        let typed = input.trim().to_lowercase();
        if typed.is_empty() || typed == "unrated" || typed == "未评价" || typed == "-" {
            return Ok(None);
        }
        Satisfaction::VARIANTS
            .iter()
            .copied()
            .find(|r| {
                typed == r.code()
                    || typed == r.label(Lang::Zh)
                    || typed == r.label(Lang::En)
                    || match r {
                        Satisfaction::Basic => typed == "basically-satisfied" || typed == "较满意",
                        Satisfaction::Unsatisfied => typed == "dissatisfied" || typed == "不太满意",
                        Satisfaction::Satisfied => typed == "非常满意" || typed == "very satisfied",
                    }
            })
            .map(Some)
            .ok_or_else(|| UnknownRating(input.trim().to_string()))
    }
}

/// A satisfaction rating nobody recognises, as typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub struct UnknownRating(pub String);

/// One topic or service type: a stable code with its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub code: String,
    pub zh: String,
    pub en: String,
    /// Other names accepted on input.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// `word` trimmed, in lower case a character at a time, as [`CatalogEntry::answers_to`]
/// compares.
fn lowered(word: &str) -> String {
    word.trim().chars().flat_map(char::to_lowercase).collect()
}

impl CatalogEntry {
    /// True when the code, a name or an alias is `lowered` in lower case (compared a
    /// character at a time: an import asks this of every row).
    fn answers_to(&self, lowered: &str) -> bool {
        let is = |word: &str| {
            word.chars()
                .flat_map(char::to_lowercase)
                .eq(lowered.chars())
        };
        is(&self.code) || is(&self.zh) || is(&self.en) || self.aliases.iter().any(|a| is(a))
    }
}

/// Why a user's new topic or service type cannot be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewEntryError {
    BadCode(String),
    NamesMissing,
    /// `word` already leads to the entry `by`.
    Taken {
        kind: CatalogKind,
        word: String,
        by: CatalogEntry,
    },
}

/// Which catalog an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum CatalogKind {
    Topic,
    Service,
}

impl CatalogKind {
    /// `topic` or `service`, as `catalog add --kind` takes it.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The catalog shipped with counsel-log, from `assets/`.
    pub fn defaults(self) -> Catalog {
        let text = match self {
            CatalogKind::Topic => include_str!("../../assets/topics.csv"),
            CatalogKind::Service => include_str!("../../assets/services.csv"),
        };
        let entries = text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let mut f = line.split(',');
                let mut next = || f.next().unwrap_or("").trim().to_string();
                let (code, zh, en, aliases) = (next(), next(), next(), next());
                CatalogEntry {
                    code,
                    zh,
                    en,
                    aliases: aliases
                        .split('|')
                        .filter(|a| !a.is_empty())
                        .map(str::to_string)
                        .collect(),
                }
            })
            .collect();
        Catalog {
            kind: self,
            entries,
        }
    }
}

/// A list of topics or service types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    pub kind: CatalogKind,
    pub entries: Vec<CatalogEntry>,
}

impl Catalog {
    /// Finds the entry a person meant by a code, a Chinese or English name, or an alias.
    pub fn resolve(&self, input: &str) -> Result<&CatalogEntry, CatalogError> {
        let lowered = lowered(input);
        let unknown = || CatalogError {
            kind: self.kind,
            input: input.trim().to_string(),
            choices: self.entries.clone(),
        };
        if lowered.is_empty() {
            return Err(unknown());
        }
        self.entries
            .iter()
            .find(|e| e.answers_to(&lowered))
            .ok_or_else(unknown)
    }

    /// Checks an entry a user adds: a code of lower-case letters, digits and `-`, both names,
    /// and no code, name or alias that another entry already answers to (each word must lead
    /// to one entry, or imports and pickers could not tell them apart).
    pub fn check_new(&self, entry: &CatalogEntry) -> Result<(), NewEntryError> {
        let code = entry.code.trim();
        let well_formed = !code.is_empty()
            && code.len() <= 40
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            return Err(NewEntryError::BadCode(code.to_string()));
        }
        if entry.zh.trim().is_empty() || entry.en.trim().is_empty() {
            return Err(NewEntryError::NamesMissing);
        }
        let words = [&entry.code, &entry.zh, &entry.en]
            .into_iter()
            .chain(&entry.aliases);
        for word in words {
            let lowered = lowered(word);
            if let Some(other) = self.entries.iter().find(|e| e.answers_to(&lowered)) {
                return Err(NewEntryError::Taken {
                    kind: self.kind,
                    word: word.trim().to_string(),
                    by: other.clone(),
                });
            }
        }
        Ok(())
    }

    pub fn get(&self, code: &str) -> Option<&CatalogEntry> {
        self.entries.iter().find(|e| e.code == code)
    }

    /// The display name of a code; an unknown code shows as itself.
    pub fn label<'a>(&'a self, code: &'a str, lang: Lang) -> &'a str {
        self.get(code).map_or(code, |e| e.label(lang))
    }
}

/// A topic or service that is missing (`input` empty) or that the catalog does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub struct CatalogError {
    pub kind: CatalogKind,
    pub input: String,
    /// What the catalog offers instead.
    pub choices: Vec<CatalogEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_catalogs_hold_the_specified_codes() {
        let topics = CatalogKind::Topic.defaults();
        assert_eq!(topics.entries.len(), 14);
        assert_eq!(topics.resolve("信息公开").unwrap().code, "info-disclosure");
        assert_eq!(topics.resolve("Work safety").unwrap().code, "work-safety");
        assert_eq!(topics.resolve(" enforcement ").unwrap().code, "enforcement");
        assert_eq!(
            topics.resolve("政府信息公开").unwrap().code,
            "info-disclosure"
        );
        let services = CatalogKind::Service.defaults();
        assert_eq!(services.entries.len(), 9);
        assert_eq!(
            services.resolve("合同审核").unwrap().code,
            "contract-review"
        );
        let err = services.resolve("haircut").unwrap_err().to_string();
        assert!(
            err.contains("unknown service \"haircut\"") && err.contains("opinion"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_topic_in_chinese_lists_the_chinese_names_with_their_codes() {
        let topics = CatalogKind::Topic.defaults();
        let err = topics.resolve("税务").unwrap_err().message(Lang::Zh);
        assert!(
            err.starts_with("没有“税务”这一领域") && err.contains("信息公开（info-disclosure）"),
            "{err}"
        );
        let missing = topics.resolve(" ").unwrap_err().message(Lang::Zh);
        assert!(missing.starts_with("未填写领域："), "{missing}");
    }

    #[test]
    fn categories_answer_to_codes_and_both_languages() {
        assert_eq!(Category::parse("staff"), Some(Category::Staff));
        assert_eq!(Category::parse("公职律师"), Some(Category::PublicLawyer));
        assert_eq!(
            Category::parse("首席/专职政府法律顾问"),
            Some(Category::Staff)
        );
        assert_eq!(Category::parse("External lawyer"), Some(Category::External));
        assert_eq!(Category::parse("特约法律咨询专家"), Some(Category::Expert));
        assert_eq!(Category::parse("intern"), None);
    }

    #[test]
    fn satisfaction_blank_is_unrated() {
        assert_eq!(Satisfaction::parse_optional(""), Ok(None));
        assert_eq!(
            Satisfaction::parse_optional("基本满意"),
            Ok(Some(Satisfaction::Basic))
        );
        assert_eq!(
            Satisfaction::parse_optional("Satisfied"),
            Ok(Some(Satisfaction::Satisfied))
        );
        assert!(Satisfaction::parse_optional("great").is_err());
    }
}
