//! Durations as whole minutes: strict parsing of what people type and exact display in hours.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Deserialize, Serialize};

/// Minutes in a day: the most one advisor can log on one date.
pub const DAY: Minutes = Minutes(24 * 60);

/// A duration in whole minutes. All arithmetic on time is done on this type, never on floats.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Minutes(pub u64);

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(super::lang::Lang::En))]
pub enum DurationError {
    Empty,
    Zero,
    Negative,
    Malformed(String),
    NotWholeMinutes(String),
    TooLong(String),
}

/// `1` and `30` of `1:30` or `1h30m` as minutes; `None` unless both are digits and the
/// minutes are under 60.
fn hours_and_minutes(hours: &str, minutes: &str) -> Option<u64> {
    let (h, m) = (digits(hours)?, digits(minutes)?);
    if m >= 60 {
        return None;
    }
    Some(h.saturating_mul(60).saturating_add(m))
}

/// A bare whole number too large for hours but not for minutes (`90`): what was likely meant.
pub(super) fn minutes_meant(input: &str) -> Option<u64> {
    digits(input.trim()).filter(|n| (25..=DAY.0).contains(n))
}

impl Minutes {
    pub const ZERO: Minutes = Minutes(0);

    /// Tenths of an hour, rounded half up: 25938 min → 4323 (432.3 h).
    pub fn tenths_of_hour(self) -> u64 {
        (self.0 * 10 + 30) / 60
    }

    /// Hours with one decimal as a string, exact: `432.3`.
    pub fn hours(self) -> String {
        let t = self.tenths_of_hour();
        format!("{}.{}", t / 10, t % 10)
    }

    /// Hours with one decimal as a JSON number (the decimal string read back, so it prints
    /// `432.3`).
    pub fn hours_json(self) -> serde_json::Number {
        let read_back = self.hours().parse().unwrap_or(0.0);
        serde_json::Number::from_f64(read_back).unwrap_or_else(|| serde_json::Number::from(0))
    }

    /// Exactly, in words: `24.5 hours` when it is whole tenths of an hour, else `24 h 1 min`.
    pub fn exact(self) -> String {
        self.exact_in(super::lang::Lang::En)
    }

    /// Rounds up to the next multiple of `increment` minutes (the timer's billing increment).
    pub fn round_up_to(self, increment: u64) -> Minutes {
        if increment <= 1 {
            return self;
        }
        Minutes(self.0.div_ceil(increment) * increment)
    }

    /// Reads what a person types: `1.5`, `1.5h`, `1:30`, `90m`, `1h30m`, `1h30`, and the
    /// Chinese units `1.5小时`, `90分钟`, `1小时30分` (full-width digits too).
    /// Rejects zero, negatives, `nan`, `inf`, exponents, commas and anything over 24 hours.
    pub fn parse(input: &str) -> Result<Minutes, DurationError> {
        let typed: String = input
            .chars()
            .map(normalize_char)
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
            .replace("小时", "h")
            .replace("分钟", "m")
            .replace('分', "m");
        // `1h30` means `1h30m`.
        let typed = match typed.split_once('h') {
            Some((_, m)) if !m.is_empty() && !m.ends_with('m') => format!("{typed}m"),
            _ => typed,
        };
        let typed = typed.trim();
        if typed.is_empty() {
            return Err(DurationError::Empty);
        }
        if typed.starts_with('-') {
            return Err(DurationError::Negative);
        }
        let bad = || DurationError::Malformed(input.trim().to_string());
        let minutes = if let Some((h, m)) = typed.split_once(':') {
            if m.len() != 2 {
                return Err(bad());
            }
            hours_and_minutes(h, m).ok_or_else(bad)?
        } else if let Some(m) = typed.strip_suffix('m') {
            match m.split_once('h') {
                Some((h, m)) => hours_and_minutes(h, m).ok_or_else(bad)?,
                None => digits(m).ok_or_else(bad)?,
            }
        } else {
            let h = typed.strip_suffix('h').unwrap_or(typed);
            decimal_hours_to_minutes(h)
                .ok_or_else(bad)?
                .ok_or_else(|| DurationError::NotWholeMinutes(input.trim().to_string()))?
        };
        if minutes == 0 {
            return Err(DurationError::Zero);
        }
        if minutes > DAY.0 {
            return Err(DurationError::TooLong(input.trim().to_string()));
        }
        Ok(Minutes(minutes))
    }
}

/// Full-width digits and punctuation (as typed with a Chinese input method) become ASCII.
fn normalize_char(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' | '。' => '.',
        '：' => ':',
        'Ｈ' | 'ｈ' => 'h',
        'Ｍ' | 'ｍ' => 'm',
        '　' => ' ',
        _ => c,
    }
}

/// A non-empty run of ASCII digits, nothing else; a number too large for a `u64` is read as
/// the largest, which is more than any day holds (`99999999999999999999h` is too long, not
/// malformed).
fn digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.parse().unwrap_or(u64::MAX))
}

/// `1`, `1.5`, `.5`, `0.25` hours → minutes. Outer `None`: not a number. Inner `None`: a number
/// that is not a whole number of minutes (e.g. `0.01`).
fn decimal_hours_to_minutes(s: &str) -> Option<Option<u64>> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if s.ends_with('.') {
        return None;
    }
    let whole = if whole.is_empty() { 0 } else { digits(whole)? };
    if !frac.is_empty() && (frac.len() > 6 || !frac.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    // minutes = (whole + frac / 10^n) * 60, exact only when frac * 60 divides by 10^n.
    let scale = 10u64.pow(u32::try_from(frac.len()).ok()?);
    let frac_value = if frac.is_empty() {
        0
    } else {
        frac.parse::<u64>().ok()?
    };
    let frac_minutes = frac_value * 60;
    if frac_minutes % scale != 0 {
        return Some(None);
    }
    Some(Some(
        whole
            .saturating_mul(60)
            .saturating_add(frac_minutes / scale),
    ))
}

impl Add for Minutes {
    type Output = Minutes;
    fn add(self, rhs: Minutes) -> Minutes {
        Minutes(self.0 + rhs.0)
    }
}

impl AddAssign for Minutes {
    fn add_assign(&mut self, rhs: Minutes) {
        self.0 += rhs.0;
    }
}

impl Sum for Minutes {
    fn sum<I: Iterator<Item = Minutes>>(iter: I) -> Minutes {
        Minutes(iter.map(|m| m.0).sum())
    }
}

impl fmt::Display for Minutes {
    /// Shown as hours with one decimal, the way every report states time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.hours())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> u64 {
        Minutes::parse(s).unwrap_or_else(|e| panic!("{s}: {e}")).0
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(ok("1.5"), 90);
        assert_eq!(ok("1.5h"), 90);
        assert_eq!(ok("1:30"), 90);
        assert_eq!(ok("90m"), 90);
        assert_eq!(ok("1h30m"), 90);
        assert_eq!(ok("2"), 120);
        assert_eq!(ok(".5"), 30);
        assert_eq!(ok("0.1"), 6);
        assert_eq!(ok("0.25h"), 15);
        assert_eq!(ok(" 1.5H "), 90);
        assert_eq!(ok("1 h 30 m"), 90);
        assert_eq!(ok("24"), 1440);
        assert_eq!(ok("1h30"), 90);
        assert_eq!(ok("1.5小时"), 90);
        assert_eq!(ok("90分钟"), 90);
        assert_eq!(ok("1小时30分"), 90);
    }

    #[test]
    fn a_bare_number_too_big_for_hours_suggests_minutes() {
        let e = Minutes::parse("90").unwrap_err();
        assert!(
            e.message(crate::domain::Lang::En)
                .contains("for 90 minutes write 90m")
        );
        assert!(
            e.message(crate::domain::Lang::Zh)
                .contains("如指 90 分钟，请写 90m")
        );
        let e = Minutes::parse("2000").unwrap_err();
        assert!(!e.message(crate::domain::Lang::En).contains("2000m"));
    }

    #[test]
    fn normalizes_full_width_input() {
        assert_eq!(ok("１．５"), 90);
        assert_eq!(ok("１：３０"), 90);
        assert_eq!(ok("９０ｍ"), 90);
    }

    #[test]
    fn rejects_what_is_not_a_plain_duration() {
        for bad in [
            "nan", "NaN", "inf", "-inf", "1e1", "1,5", "1.", "", " ", "abc", "1:3", "1:60",
            "1h60m", "h", "m", "1.5.2", "+1", "0x10", "1h30x", "1hh30", "小时", "1h60",
        ] {
            assert!(Minutes::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(Minutes::parse("0"), Err(DurationError::Zero));
        assert_eq!(Minutes::parse("0m"), Err(DurationError::Zero));
        assert_eq!(Minutes::parse("-1"), Err(DurationError::Negative));
        assert!(matches!(
            Minutes::parse("0.01"),
            Err(DurationError::NotWholeMinutes(_))
        ));
        assert!(matches!(
            Minutes::parse("25"),
            Err(DurationError::TooLong(_))
        ));
        // A number too large for any day is too long, however many digits it has.
        for huge in [
            "99999999999",
            "2147483648m",
            "99999999999999999999h",
            "99999999999999:00",
        ] {
            assert!(
                matches!(Minutes::parse(huge), Err(DurationError::TooLong(_))),
                "{huge}: {:?}",
                Minutes::parse(huge)
            );
        }
    }

    #[test]
    fn hours_round_half_up_to_one_decimal() {
        assert_eq!(Minutes(25938).hours(), "432.3");
        assert_eq!(Minutes(3).hours(), "0.1");
        assert_eq!(Minutes(2).hours(), "0.0");
        assert_eq!(Minutes(90).hours(), "1.5");
        assert_eq!(Minutes(0).hours(), "0.0");
        assert_eq!(Minutes(25938).hours_json().to_string(), "432.3");
        assert_eq!(Minutes(120).hours_json().to_string(), "2.0");
        assert_eq!(Minutes(1470).exact(), "24.5 hours");
        assert_eq!(Minutes(1441).exact(), "24 h 1 min");
    }

    #[test]
    fn timer_rounds_up_to_the_increment() {
        assert_eq!(Minutes(1).round_up_to(6), Minutes(6));
        assert_eq!(Minutes(6).round_up_to(6), Minutes(6));
        assert_eq!(Minutes(7).round_up_to(6), Minutes(12));
        assert_eq!(Minutes(7).round_up_to(1), Minutes(7));
    }

    proptest::proptest! {
        #[test]
        fn every_minute_count_round_trips_through_its_written_forms(m in 1u64..=1440) {
            proptest::prop_assert_eq!(ok(&format!("{m}m")), m);
            proptest::prop_assert_eq!(ok(&format!("{}:{:02}", m / 60, m % 60)), m);
            proptest::prop_assert_eq!(ok(&format!("{}h{}m", m / 60, m % 60)), m);
        }
    }
}
