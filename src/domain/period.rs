//! Calendar dates as people type them, and the periods reports cover: a year, a quarter, a month,
//! an explicit range, or all time.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};

use super::lang::Lang;

/// The earliest year the ledger accepts; anything older is a typing mistake.
pub const FIRST_YEAR: i32 = 2000;

/// Why a date or period could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum PeriodError {
    MalformedDate(String),
    ImpossibleDate(String),
    FutureDate(String, NaiveDate),
    TooOld(String),
    Malformed(String),
    /// `2024-13`: a month past December (or month 0).
    NoSuchMonth(String),
    /// `2024-Q5`: a quarter past the fourth (or quarter 0).
    NoSuchQuarter(String),
    /// A period that begins after today (given): it holds nothing yet.
    NotBegun(String, NaiveDate),
    Reversed(String),
}

/// Reads a `YYYY-MM-DD` date (also `YYYY/MM/DD` and `YYYY.MM.DD`, as spreadsheets write them)
/// and checks it is real, not before 2000 and not after `today`.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, PeriodError> {
    let date = parse_calendar_date(input)?;
    if date > today {
        return Err(PeriodError::FutureDate(date.to_string(), today));
    }
    Ok(date)
}

/// A date as written in Chinese (`2026年11月5日`) or as a spreadsheet's date cell saved as CSV
/// (`2026-11-05 00:00:00`), brought to `2026-11-5`; any other text unchanged. An entry is
/// dated by its day, so a time of day after the date says nothing more, but it must be a time.
fn day_written(typed: &str) -> String {
    let day = match typed.split_once([' ', 'T']) {
        Some((day, time))
            if chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M:%S").is_ok()
                || chrono::NaiveTime::parse_from_str(time.trim(), "%H:%M").is_ok() =>
        {
            day.trim_end()
        }
        _ => typed,
    };
    match day.strip_suffix('日') {
        Some(chinese) => chinese.replace(['年', '月'], "-"),
        None => day.to_string(),
    }
}

/// Reads a date without the "not in the future" check (for period bounds).
fn parse_calendar_date(input: &str) -> Result<NaiveDate, PeriodError> {
    let typed = input.trim();
    let malformed = || PeriodError::MalformedDate(typed.to_string());
    let day = day_written(typed);
    let parts: Vec<&str> = day.split(['-', '/', '.']).collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(malformed());
    };
    let number = |p: &str, max_len: usize| -> Result<u32, PeriodError> {
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed());
        }
        p.parse().map_err(|_| malformed())
    };
    if y.len() != 4 {
        return Err(malformed());
    }
    let y = i32::try_from(number(y, 4)?).map_err(|_| malformed())?;
    let (m, d) = (number(m, 2)?, number(d, 2)?);
    if y < FIRST_YEAR {
        return Err(PeriodError::TooOld(typed.to_string()));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| PeriodError::ImpossibleDate(typed.to_string()))
}

/// One end of a range: a date, else the first or last day (`end`) of a year, quarter or month.
fn range_end(input: &str, end: fn(Period) -> NaiveDate) -> Result<NaiveDate, PeriodError> {
    match parse_calendar_date(input) {
        Err(PeriodError::MalformedDate(typed)) => match Period::parse(&typed) {
            Ok(p) if !typed.contains("..") => Ok(end(p)),
            Ok(_) | Err(PeriodError::Malformed(_)) => Err(PeriodError::MalformedDate(typed)),
            Err(e) => Err(e),
        },
        other => other,
    }
}

/// What kind of span a period is, which decides how `[` / `]` step and how it is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Year,
    Quarter,
    Month,
    Range,
    /// Every entry ever: from the first entry's date to today (see [`Period::all`]).
    All,
}

/// An inclusive span of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub kind: PeriodKind,
}

impl Period {
    pub fn year(year: i32) -> Option<Period> {
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
            kind: PeriodKind::Year,
        })
    }

    pub fn quarter(year: i32, quarter: u32) -> Option<Period> {
        if !(1..=4).contains(&quarter) {
            return None;
        }
        let from = NaiveDate::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1)?;
        Some(Period {
            from,
            to: from + Months::new(3) - chrono::Days::new(1),
            kind: PeriodKind::Quarter,
        })
    }

    pub fn month(year: i32, month: u32) -> Option<Period> {
        let from = NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(Period {
            from,
            to: from + Months::new(1) - chrono::Days::new(1),
            kind: PeriodKind::Month,
        })
    }

    /// The month containing `today`: the default period everywhere.
    pub fn current_month(today: NaiveDate) -> Period {
        Period::month(today.year(), today.month()).unwrap_or(Period {
            from: today,
            to: today,
            kind: PeriodKind::Range,
        })
    }

    /// Whether `input` asks for all time (`all`, `全部`): a period only the ledger can bound,
    /// so the caller reads its first entry's date and calls [`Period::all`].
    pub fn is_all(input: &str) -> bool {
        let typed = input.trim();
        typed.eq_ignore_ascii_case("all") || typed == "全部"
    }

    /// All time: from the first entry's date (`entries` holds the first and the last) to today,
    /// or to the last entry's date should a peer's clock have run ahead; from 2000-01-01 when
    /// there is no entry yet.
    pub fn all(entries: Option<(NaiveDate, NaiveDate)>, today: NaiveDate) -> Period {
        let first_day = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap_or(NaiveDate::MIN);
        let (first, last) = entries.unwrap_or((first_day, today));
        Period {
            from: first.min(today),
            to: last.max(today),
            kind: PeriodKind::All,
        }
    }

    /// Reads `2024`, `2024-03`, `2024-Q1` or `2024-01-01..2024-06-30`; either end of a range
    /// may also be a year, quarter or month (`2000..2026` is 2000-01-01..2026-12-31). `all`
    /// needs the ledger: see [`Period::is_all`].
    pub fn parse(input: &str) -> Result<Period, PeriodError> {
        let typed = input.trim();
        let malformed = || PeriodError::Malformed(typed.to_string());
        if let Some((a, b)) = typed.split_once("..") {
            let from = range_end(a, |p| p.from)?;
            let to = range_end(b, |p| p.to)?;
            if to < from {
                return Err(PeriodError::Reversed(typed.to_string()));
            }
            return Ok(Period {
                from,
                to,
                kind: PeriodKind::Range,
            });
        }
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let year = |p: &str| -> Result<i32, PeriodError> {
            if p.len() != 4 || !all_digits(p) {
                return Err(malformed());
            }
            let y: i32 = p.parse().map_err(|_| malformed())?;
            if y < FIRST_YEAR {
                return Err(PeriodError::TooOld(typed.to_string()));
            }
            Ok(y)
        };
        match typed.split_once('-') {
            None => Period::year(year(typed)?).ok_or_else(malformed),
            Some((y, rest)) => {
                let y = year(y)?;
                if let Some(q) = rest.strip_prefix(['Q', 'q']) {
                    if q.len() != 1 || !all_digits(q) {
                        return Err(malformed());
                    }
                    Period::quarter(y, q.parse().map_err(|_| malformed())?)
                        .ok_or_else(|| PeriodError::NoSuchQuarter(typed.to_string()))
                } else if rest.len() <= 2 && all_digits(rest) {
                    Period::month(y, rest.parse().map_err(|_| malformed())?)
                        .ok_or_else(|| PeriodError::NoSuchMonth(typed.to_string()))
                } else {
                    // A single day is a one-day range.
                    let day = parse_calendar_date(typed).map_err(|_| malformed())?;
                    Ok(Period {
                        from: day,
                        to: day,
                        kind: PeriodKind::Range,
                    })
                }
            }
        }
    }

    /// [`Period::parse`], refusing a period that begins after `today`: nothing can be logged
    /// in it yet, so a report of it would say only that nothing was.
    pub fn parse_until(input: &str, today: NaiveDate) -> Result<Period, PeriodError> {
        let period = Period::parse(input)?;
        if period.from > today {
            return Err(PeriodError::NotBegun(input.trim().to_string(), today));
        }
        Ok(period)
    }

    /// The period of the same kind just before (`back`) or after this one.
    pub fn step(self, forward: bool) -> Period {
        let shift = |d: NaiveDate, months: u32| {
            if forward {
                d + Months::new(months)
            } else {
                d - Months::new(months)
            }
        };
        let months = match self.kind {
            PeriodKind::Year => 12,
            PeriodKind::Quarter => 3,
            PeriodKind::Month => 1,
            // All time has no neighbour.
            PeriodKind::All => return self,
            PeriodKind::Range => {
                // A period never ends before it starts, so the span is never negative.
                let span = u64::try_from((self.to - self.from).num_days()).unwrap_or(0);
                let days = chrono::Days::new(span + 1);
                let (from, to) = if forward {
                    (self.from + days, self.to + days)
                } else {
                    (self.from - days, self.to - days)
                };
                return Period {
                    from,
                    to,
                    kind: PeriodKind::Range,
                };
            }
        };
        let from = shift(self.from, months);
        Period {
            from,
            to: from + Months::new(months) - chrono::Days::new(1),
            kind: self.kind,
        }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The period as typed: `2024`, `2024-Q1`, `2024-03` or `2024-01-01..2024-06-30`.
    pub fn code(&self) -> String {
        match self.kind {
            PeriodKind::Year => format!("{}", self.from.year()),
            PeriodKind::Quarter => format!("{}-Q{}", self.from.year(), self.from.month0() / 3 + 1),
            PeriodKind::Month => format!("{}-{:02}", self.from.year(), self.from.month()),
            PeriodKind::Range => format!("{}..{}", self.from, self.to),
            PeriodKind::All => "all".to_string(),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn reads_every_period_form() {
        let y = Period::parse("2024").unwrap();
        assert_eq!((y.from, y.to), (d("2024-01-01"), d("2024-12-31")));
        let q = Period::parse("2024-Q1").unwrap();
        assert_eq!((q.from, q.to), (d("2024-01-01"), d("2024-03-31")));
        let q4 = Period::parse("2024-q4").unwrap();
        assert_eq!((q4.from, q4.to), (d("2024-10-01"), d("2024-12-31")));
        let m = Period::parse("2024-02").unwrap();
        assert_eq!((m.from, m.to), (d("2024-02-01"), d("2024-02-29")));
        let r = Period::parse("2024-01-01..2024-06-30").unwrap();
        assert_eq!(
            (r.from, r.to, r.kind),
            (d("2024-01-01"), d("2024-06-30"), PeriodKind::Range)
        );
        let years = Period::parse("2000..2026").unwrap();
        assert_eq!((years.from, years.to), (d("2000-01-01"), d("2026-12-31")));
        let mixed = Period::parse("2024-Q2..2024-07-15").unwrap();
        assert_eq!((mixed.from, mixed.to), (d("2024-04-01"), d("2024-07-15")));
        assert!(Period::parse("2024-13..2025").is_err());
    }

    #[test]
    fn all_time_runs_from_the_first_entry_to_today_and_has_no_neighbour() {
        assert!(Period::is_all(" ALL ") && Period::is_all("全部") && !Period::is_all("al"));
        let today = d("2026-12-01");
        let all = Period::all(Some((d("2019-03-05"), d("2026-11-30"))), today);
        assert_eq!(
            (all.from, all.to, all.code()),
            (d("2019-03-05"), today, "all".into())
        );
        assert_eq!(all.step(true), all);
        assert_eq!(all.step(false), all);
        let empty = Period::all(None, today);
        assert_eq!((empty.from, empty.to), (d("2000-01-01"), today));
        assert!(Period::parse("all").is_err(), "all needs the ledger");
    }

    #[test]
    fn rejects_bad_periods_with_the_reason() {
        for bad in [
            "",
            "24",
            "2024-13",
            "2024-Q5",
            "2024-Q0",
            "Q1",
            "2024-00",
            "abcd",
            "2024-1-1-1",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad:?}");
        }
        assert!(matches!(Period::parse("1999"), Err(PeriodError::TooOld(_))));
        for month in ["2024-13", "2024-00", "2024-13..2025"] {
            assert!(
                matches!(Period::parse(month), Err(PeriodError::NoSuchMonth(_))),
                "{month}"
            );
        }
        let today = d("2026-12-03");
        assert!(Period::parse_until("2026-12", today).is_ok());
        assert!(Period::parse_until("2026", today).is_ok());
        for later in ["2027", "2026-12-04..2027-01-01", "2030-Q1"] {
            assert!(
                matches!(
                    Period::parse_until(later, today),
                    Err(PeriodError::NotBegun(_, _))
                ),
                "{later}"
            );
        }
        for quarter in ["2024-Q5", "2024-Q0"] {
            assert!(
                matches!(Period::parse(quarter), Err(PeriodError::NoSuchQuarter(_))),
                "{quarter}"
            );
        }
        assert!(matches!(
            Period::parse("2024-06-30..2024-01-01"),
            Err(PeriodError::Reversed(_))
        ));
        assert!(matches!(
            Period::parse("2024-02-30..2024-03-01"),
            Err(PeriodError::ImpossibleDate(_))
        ));
    }

    #[test]
    fn steps_to_the_neighbouring_period() {
        let m = Period::parse("2024-01").unwrap();
        assert_eq!(m.step(false).code(), "2023-12");
        assert_eq!(m.step(true).code(), "2024-02");
        assert_eq!(
            Period::parse("2024-Q4").unwrap().step(true).code(),
            "2025-Q1"
        );
        assert_eq!(Period::parse("2024").unwrap().step(false).code(), "2023");
        let r = Period::parse("2024-01-01..2024-01-10").unwrap().step(true);
        assert_eq!(r.code(), "2024-01-11..2024-01-20");
    }

    #[test]
    fn dates_must_be_real_past_and_recent() {
        let today = d("2024-06-15");
        assert_eq!(parse_date("2024-03-05", today), Ok(d("2024-03-05")));
        assert_eq!(parse_date("2024/3/5", today), Ok(d("2024-03-05")));
        assert!(matches!(
            parse_date("2024-02-30", today),
            Err(PeriodError::ImpossibleDate(_))
        ));
        assert!(matches!(
            parse_date("2024-06-16", today),
            Err(PeriodError::FutureDate(..))
        ));
        assert!(matches!(
            parse_date("1999-12-31", today),
            Err(PeriodError::TooOld(_))
        ));
        assert!(matches!(
            parse_date("5 March", today),
            Err(PeriodError::MalformedDate(_))
        ));
        assert!(matches!(
            parse_date("24-03-05", today),
            Err(PeriodError::MalformedDate(_))
        ));
    }

    #[test]
    fn dates_in_chinese_and_from_spreadsheet_date_cells_are_read() {
        let today = d("2026-12-01");
        for typed in [
            "2026年11月5日",
            "2026/11/5",
            "2026-11-05 00:00:00",
            "2026/11/5 0:00",
            "2026-11-05T00:00:00",
            " 2026年11月05日 ",
        ] {
            assert_eq!(parse_date(typed, today), Ok(d("2026-11-05")), "{typed}");
        }
        for typed in [
            "2026年11月5",
            "2026-11-05 25:00",
            "2026-11-05 noon",
            "2026年11月日",
        ] {
            assert!(
                matches!(parse_date(typed, today), Err(PeriodError::MalformedDate(_))),
                "{typed}"
            );
        }
        assert!(matches!(
            parse_date("2026年2月30日", today),
            Err(PeriodError::ImpossibleDate(_))
        ));
    }

    #[test]
    fn names_periods_in_both_languages() {
        assert_eq!(Period::parse("2024").unwrap().label(Lang::Zh), "2024年");
        assert_eq!(
            Period::parse("2024-Q1").unwrap().label(Lang::Zh),
            "2024年第一季度"
        );
        assert_eq!(
            Period::parse("2024-03").unwrap().label(Lang::Zh),
            "2024年3月"
        );
        assert_eq!(
            Period::parse("2024-03").unwrap().label(Lang::En),
            "March 2024"
        );
    }
}
