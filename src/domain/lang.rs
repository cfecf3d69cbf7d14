//! The two languages counsel-log speaks.

use std::fmt;

/// Display language for labels, reports and the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh`, `zh_CN.UTF-8`, `en`, `en_US.UTF-8`, `C` …: anything starting with `zh` is Chinese.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Reads `zh` or `en` exactly, as given on the command line or in the configuration.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "中文" => Some(Lang::Zh),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// The code `--lang` takes for this language.
    pub fn code(self) -> &'static str {
        self.of(("zh", "en"))
    }

    /// The one of a text's `(zh, en)` pair this language asks for. Only the texts files call
    /// it: each writes its texts as such pairs, in matches with no catch-all arm.
    pub fn of<T>(self, (zh, en): (T, T)) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.of(("zh", "en")))
    }
}

/// A text in Chinese and in English, as the texts files write each text before
/// [`Lang::of`] chooses one.
pub type Pair = (String, String);

/// Both languages of a text another layer already words (a domain error inside a store's or
/// an import's message).
pub fn pair(text: impl Fn(Lang) -> String) -> Pair {
    (text(Lang::Zh), text(Lang::En))
}

/// An English noun agreeing with its count: `item` for 1, `items` for any other number.
/// Chinese has no plural.
pub fn english_noun<'a, N>(n: N, one: &'a str, many: &'a str) -> &'a str
where
    N: PartialEq + From<u8> + Copy,
{
    if n == N::from(1) { one } else { many }
}
