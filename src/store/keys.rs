//! Byte layout of keys. Entry keys start with the date, so a period is one range scan.

use chrono::{Datelike, NaiveDate};

use crate::domain::{EntryId, ItemId};

/// Length of an entry key: 4 bytes of day number, 8 bytes of entry id.
pub const ENTRY_KEY_LEN: usize = 12;

/// Days since 0001-01-01, big-endian, so byte order is date order. No date before year 1 is
/// ever stored (entries start in 2000); one would sort last and read back as unreadable.
fn day_bytes(date: NaiveDate) -> [u8; 4] {
    u32::try_from(date.num_days_from_ce())
        .unwrap_or(u32::MAX)
        .to_be_bytes()
}

pub fn entry_key(date: NaiveDate, id: EntryId) -> [u8; ENTRY_KEY_LEN] {
    let mut k = [0; ENTRY_KEY_LEN];
    k[..4].copy_from_slice(&day_bytes(date));
    k[4..].copy_from_slice(&id.0.to_be_bytes());
    k
}

/// The first and last possible keys of the days `from..=to`.
pub fn entry_range(from: NaiveDate, to: NaiveDate) -> ([u8; ENTRY_KEY_LEN], [u8; ENTRY_KEY_LEN]) {
    (
        entry_key(from, EntryId(0)),
        entry_key(to, EntryId(u64::MAX)),
    )
}

/// Reads an entry key back; `None` when the bytes are not one (a damaged store).
pub fn parse_entry_key(k: &[u8]) -> Option<(NaiveDate, EntryId)> {
    if k.len() != ENTRY_KEY_LEN {
        return None;
    }
    let days = u32::from_be_bytes(k[..4].try_into().ok()?);
    let date = NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?)?;
    Some((date, EntryId(u64::from_be_bytes(k[4..].try_into().ok()?))))
}

pub fn id_key(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

pub fn parse_id(k: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(k.try_into().ok()?))
}

/// `item id ++ entry id`: the entries of one item are a prefix scan.
pub fn item_entry_key(item: ItemId, entry: EntryId) -> [u8; 16] {
    let mut k = [0; 16];
    k[..8].copy_from_slice(&item.0.to_be_bytes());
    k[8..].copy_from_slice(&entry.0.to_be_bytes());
    k
}

/// `fingerprint ++ entry id`: how many entries say the same thing is a prefix count.
pub fn fingerprint_key(fp: &[u8; 16], entry: EntryId) -> [u8; 24] {
    let mut k = [0; 24];
    k[..16].copy_from_slice(fp);
    k[16..].copy_from_slice(&entry.0.to_be_bytes());
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_keys_sort_by_date_then_id() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let a = entry_key(d("2024-03-05"), EntryId(99));
        let b = entry_key(d("2024-03-06"), EntryId(1));
        assert!(a < b);
        assert_eq!(parse_entry_key(&a), Some((d("2024-03-05"), EntryId(99))));
        let (lo, hi) = entry_range(d("2024-03-01"), d("2024-03-31"));
        assert!(lo <= a && a <= hi && b <= hi);
    }
}
