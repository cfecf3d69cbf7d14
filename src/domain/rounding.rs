//! How a table rounds its rows: each row's hours (and share) on its own, which is exact per row
//! but may leave the rows a tenth off their total, or apportioned by largest remainder, so the
//! rows add to the total exactly. Minutes are never rounded.

use super::duration::Minutes;
use super::tally::{Ratio, Tally};

/// How a table shows its rows' hours and shares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Rounding {
    /// Each row rounded half up on its own, as the total is: the rows may be a tenth or two off
    /// the total, and the table then says so.
    #[default]
    EachRow,
    /// The total's tenths shared out over the rows by largest remainder: the rows add up to the
    /// total exactly, each row within a tenth of its own exact figure.
    Apportioned,
}

/// The figures a table shows in tenths (of an hour, or of a percent), for each row and the
/// total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub rows: Vec<u64>,
    pub total: u64,
}

impl Shown {
    /// Whether the rows add up to the total as shown.
    pub fn adds_up(&self) -> bool {
        self.rows.iter().sum::<u64>() == self.total
    }

    /// Row `i` as text with one decimal: `432.3`.
    pub fn row_text(&self, i: usize) -> String {
        one_decimal(self.rows.get(i).copied().unwrap_or(0))
    }

    /// The total as text with one decimal.
    pub fn total_text(&self) -> String {
        one_decimal(self.total)
    }
}

/// `4323` tenths as `432.3`.
pub fn one_decimal(tenths: u64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The hours shown for rows of `parts` minutes under a total of `total` minutes, in tenths.
pub fn hours(parts: &[Minutes], total: Minutes, rounding: Rounding) -> Shown {
    let total = total.tenths_of_hour();
    let rows = match rounding {
        Rounding::EachRow => parts.iter().map(|m| m.tenths_of_hour()).collect(),
        Rounding::Apportioned => {
            // The rows' own sum is shared out, so rows that do not make up the whole total
            // (none do today) are never padded to it.
            let whole: Minutes = parts.iter().copied().sum();
            largest_remainder(&minutes(parts), whole.tenths_of_hour())
        }
    };
    Shown { rows, total }
}

/// Each row's share of `total`, in tenths of a percent; `None` when the total is nothing (every
/// share is then shown as `—`).
pub fn shares(parts: &[Minutes], total: Minutes, rounding: Rounding) -> Option<Shown> {
    let whole = Ratio::new(total.0, total.0).per_mille()?;
    let rows = match rounding {
        Rounding::EachRow => parts
            .iter()
            .map(|m| Ratio::new(m.0, total.0).per_mille().unwrap_or(0))
            .collect(),
        Rounding::Apportioned => largest_remainder(&minutes(parts), whole),
    };
    Some(Shown { rows, total: whole })
}

fn minutes(parts: &[Minutes]) -> Vec<u64> {
    parts.iter().map(|m| m.0).collect()
}

/// Shares `units` out over `weights` in proportion (Hamilton's method): each gets the whole
/// part of its quota, then the units left over go one each to the largest remainders, ties to
/// the earlier row so the result never depends on anything but the order shown. The result
/// adds up to `units` exactly (nothing when every weight is zero).
pub fn largest_remainder(weights: &[u64], units: u64) -> Vec<u64> {
    let sum: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let quota = |w: u64| u128::from(w) * u128::from(units);
    // Each whole part is at most `units`, so it fits back in a u64.
    let mut shares: Vec<u64> = weights
        .iter()
        .map(|&w| u64::try_from(quota(w) / sum).unwrap_or(units))
        .collect();
    let given: u64 = shares.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(quota(weights[i]) % sum), i));
    let left = usize::try_from(units.saturating_sub(given)).unwrap_or(usize::MAX);
    for &i in order.iter().take(left) {
        shares[i] += 1;
    }
    shares
}

/// A tally's hours and shares as its table shows them, under the tally's own rounding.
pub struct TallyFigures {
    pub hours: Shown,
    /// `None` when the period holds nothing.
    pub shares: Option<Shown>,
}

impl TallyFigures {
    /// Whether every rounded column adds up to its total, so the table needs no note.
    pub fn adds_up(&self) -> bool {
        self.hours.adds_up() && self.shares.as_ref().is_none_or(Shown::adds_up)
    }

    /// Row `i`'s share as shown: `32.4%`, or `—` when the period holds nothing.
    pub fn share_text(&self, i: usize) -> String {
        self.shares.as_ref().map_or_else(
            || "—".into(),
            |s| percent(s.rows.get(i).copied().unwrap_or(0)),
        )
    }

    /// The total's share as shown: `100.0%`, or `—`.
    pub fn total_share_text(&self) -> String {
        self.shares
            .as_ref()
            .map_or_else(|| "—".into(), |s| percent(s.total))
    }
}

fn percent(per_mille: u64) -> String {
    format!("{}.{}%", per_mille / 10, per_mille % 10)
}

impl Tally {
    /// The same tally shown under `rounding`.
    #[must_use]
    pub fn rounded(mut self, rounding: Rounding) -> Tally {
        self.rounding = rounding;
        self
    }

    /// The hours and shares its table shows, under its rounding.
    pub fn figures(&self) -> TallyFigures {
        let parts: Vec<Minutes> = self.rows.iter().map(|r| r.minutes).collect();
        TallyFigures {
            hours: hours(&parts, self.total.minutes, self.rounding),
            shares: shares(&parts, self.total.minutes, self.rounding),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainder_adds_up_and_stays_within_one_of_the_quota() {
        assert_eq!(largest_remainder(&[1, 1, 1], 10), [4, 3, 3]);
        assert_eq!(largest_remainder(&[0, 0], 5), [0, 0]);
        assert_eq!(largest_remainder(&[], 5), Vec::<u64>::new());
        assert_eq!(largest_remainder(&[2, 1], 0), [0, 0]);
        let weights = [14_406, 5_580, 4_038, 1_914];
        let shares = largest_remainder(&weights, 4323);
        assert_eq!(shares.iter().sum::<u64>(), 4323);
        for (w, s) in weights.iter().zip(&shares) {
            let exact = f64::from(u32::try_from(*w).unwrap()) * 4323.0 / 25_938.0;
            assert!((exact - f64::from(u32::try_from(*s).unwrap())).abs() < 1.0);
        }
    }

    #[test]
    fn rows_rounded_alone_may_miss_the_total_and_apportioned_rows_never_do() {
        // 0.05 h three times: each row shows 0.1 (half up), the total of 9 minutes 0.2.
        let parts = [Minutes(3), Minutes(3), Minutes(3)];
        let alone = hours(&parts, Minutes(9), Rounding::EachRow);
        assert_eq!((alone.rows.clone(), alone.total), (vec![1, 1, 1], 2));
        assert!(!alone.adds_up());
        let apportioned = hours(&parts, Minutes(9), Rounding::Apportioned);
        assert_eq!(apportioned.rows, [1, 1, 0]);
        assert!(apportioned.adds_up());
        let s = shares(&parts, Minutes(9), Rounding::EachRow).unwrap();
        assert_eq!(s.rows, [333, 333, 333]);
        assert!(!s.adds_up());
        assert!(
            shares(&parts, Minutes(9), Rounding::Apportioned)
                .unwrap()
                .adds_up()
        );
        assert_eq!(shares(&[], Minutes(0), Rounding::EachRow), None);
    }
}
