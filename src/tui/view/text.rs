//! Text measured in display columns (a Chinese character takes two): cut to fit, padded, and
//! wrapped without breaking a figure.

use unicode_truncate::{Alignment, UnicodeTruncateStr};
use unicode_width::UnicodeWidthStr;

/// Cuts `text` to at most `width` display columns, marking the cut with `…`; a cut that falls
/// just after a space (between two words of an English name) drops the space, so the mark
/// follows the word it cuts short: `Legality…`, not `Legality …`. One line always: a line
/// break or tab in the text shows as its escape (`\u{a}`), as the command line shows it, not as
/// a cut or a gap.
pub fn fit(text: &str, width: usize) -> String {
    let text = crate::domain::strings::printable(text);
    if text.width() <= width {
        return text;
    }
    let (kept, _) = text.unicode_truncate(width.saturating_sub(1));
    format!("{}…", kept.trim_end())
}

/// Pads `text` to `width` display columns, cutting it with `…` if it is wider.
pub fn pad(text: &str, width: usize) -> String {
    fit(text, width)
        .unicode_pad(width, Alignment::Left, false)
        .into_owned()
}

/// Right-aligns `text` in `width` display columns.
pub fn rpad(text: &str, width: usize) -> String {
    text.unicode_pad(width, Alignment::Right, false)
        .into_owned()
}

/// `text` without its first `columns` display columns (a wide character straddling the edge goes
/// too), for a field scrolled sideways.
pub fn skip_columns(text: &str, columns: usize) -> &str {
    let (skipped, _) = text.unicode_truncate(columns);
    let mut rest = &text[skipped.len()..];
    if skipped.width() < columns {
        // The next character straddles the edge: it cannot show by halves.
        let mut chars = rest.chars();
        chars.next();
        rest = chars.as_str();
    }
    rest
}

/// The most lines a form's foot gives a problem or a question.
pub const FOOT_LINES: usize = 4;

/// A form's foot: `text` wrapped to `width` columns (see [`wrap`]), two lines at least, and at
/// most [`FOOT_LINES`], the last cut to fit should the text need more.
pub fn foot(text: &str, width: usize) -> Vec<String> {
    let mut lines = wrap(text, width);
    if lines.len() > FOOT_LINES {
        let rest = lines.split_off(FOOT_LINES - 1).join(" ");
        lines.push(fit(&rest, width));
    }
    lines.resize(lines.len().max(2), String::new());
    lines
}

/// Wraps `text` to lines of at most `width` columns without ever breaking inside a figure, a code
/// or an English word (`432.3`, `40.4%`, `A001`), and without starting a line with the closing
/// punctuation of Chinese text (`，。、；：）`), so a paragraph copied from the screen keeps its
/// numbers whole.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for token in tokens(paragraph) {
            let blank = token.trim().is_empty();
            if line.is_empty() && blank {
                continue;
            }
            if line.width() + token.width() > width && !line.is_empty() {
                lines.push(line.trim_end().to_string());
                line = String::new();
                if blank {
                    continue;
                }
            }
            // A token wider than the whole line (a long code) is the one place a cut happens.
            let mut rest = token.as_str();
            while rest.width() > width {
                let cut = fit_prefix(rest, width);
                lines.push(rest[..cut].to_string());
                rest = &rest[cut..];
            }
            line.push_str(rest);
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Splits text into the pieces a line may break between: runs of ASCII letters, digits and
/// signs; runs of spaces; single other characters, each with the closing punctuation after it.
fn tokens(text: &str) -> Vec<String> {
    const CLOSING: &str = "，。、；：！？）」』”’》〉%％…";
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let glue = match (prev, out.last_mut()) {
            (Some(p), Some(_)) => {
                (p.is_ascii_graphic() && c.is_ascii_graphic())
                    || (p == ' ' && c == ' ')
                    || (CLOSING.contains(c) && p != ' ')
            }
            _ => false,
        };
        match out.last_mut() {
            Some(last) if glue => last.push(c),
            _ => out.push(c.to_string()),
        }
        prev = Some(c);
    }
    out
}

/// The byte length of the longest prefix of `text` that fits in `width` columns (at least one
/// character).
fn fit_prefix(text: &str, width: usize) -> usize {
    match text.unicode_truncate(width) {
        ("", _) => text.chars().next().map_or(0, char::len_utf8),
        (prefix, _) => prefix.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_figures_whole_and_punctuation_attached() {
        let text = "2024年，法律顾问共提供法律服务171件次，工作时长432.3小时，服务满意率100%。\
            公职律师47名，参与率40.4%。";
        for width in 8..40 {
            let lines = wrap(text, width);
            assert!(
                lines.iter().all(|l| l.width() <= width),
                "{width}: {lines:?}"
            );
            assert_eq!(lines.concat(), text, "{width}");
            for figure in ["171", "432.3", "100%。", "47", "40.4%。"] {
                assert!(
                    lines.iter().any(|l| l.contains(figure)),
                    "{width} {figure}: {lines:?}"
                );
            }
            assert!(
                lines.iter().all(|l| !l.starts_with(['，', '。'])),
                "{lines:?}"
            );
        }
    }

    #[test]
    fn a_line_break_or_tab_in_a_cell_shows_as_its_escape_on_one_line() {
        assert_eq!(fit("Line1\nLine2", 40), "Line1\\u{a}Line2");
        assert_eq!(fit("Tab\there", 40), "Tab\\u{9}here");
        assert_eq!(fit("Line1\nLine2", 8), "Line1\\u…");
        assert!(!fit("a\u{1b}[2Jb", 40).contains('\u{1b}'));
    }

    #[test]
    fn english_wraps_at_spaces() {
        let lines = wrap(
            "provided 171 legal service items over 432.3 working hours",
            20,
        );
        assert_eq!(
            lines,
            [
                "provided 171 legal",
                "service items over",
                "432.3 working hours"
            ]
        );
    }

    #[test]
    fn cuts_and_pads_count_wide_characters_twice() {
        assert_eq!(fit("法律顾问", 8), "法律顾问");
        assert_eq!(fit("法律顾问", 7), "法律顾…");
        assert_eq!(fit("法律顾问", 6), "法律…");
        assert_eq!(pad("法律顾问", 7), "法律顾…");
        assert_eq!(pad("法律", 6), "法律  ");
        assert_eq!(rpad("12", 4), "  12");
        assert_eq!(skip_columns("法律顾问", 2), "律顾问");
        assert_eq!(skip_columns("法律顾问", 3), "顾问");
        assert_eq!(skip_columns("ab法", 0), "ab法");
    }
}
