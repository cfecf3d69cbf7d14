//! How people name an item: a bare reference (`B5-1`, `2024-0019`) is only ever an office's
//! own key; the ledger's own number is written with a leading `#` (`#2024-0039`), so the two
//! can never be taken for each other, and no key may begin with `#`.

/// What marks a reference as the ledger's own item number.
pub const NUMBER_MARK: char = '#';

/// An item's number as people see and type it: `2024-0039` → `#2024-0039`.
pub fn shown_number(number: &str) -> String {
    format!("{NUMBER_MARK}{number}")
}

/// True when a reference names an item by the ledger's number (`#2024-0039`), never a key.
pub fn is_number(reference: &str) -> bool {
    reference.trim_start().starts_with(NUMBER_MARK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_marked_and_a_key_is_not() {
        assert_eq!(shown_number("2024-0039"), "#2024-0039");
        assert!(is_number("#2024-0039"));
        assert!(is_number(" #B5"));
        assert!(!is_number("2024-0039"));
        assert!(!is_number("B5-1"));
    }
}
