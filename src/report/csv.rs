//! A tally as CSV, for a spreadsheet: codes and exact minutes beside the labels and hours.

use super::strings::strings;
use crate::domain::formula::neutralised;
use crate::domain::{Lang, Tally};

/// Excel reads a UTF-8 CSV as Chinese only when it starts with a byte-order mark, so every CSV
/// counsel-log writes carries one, to a file or to the terminal (SPEC §4.5). The importer
/// strips it, so what we write we read back.
pub const BOM: &str = "\u{feff}";

/// What a CSV writer wrote, as the file's text: with the BOM in front.
pub fn finish(writer: csv::Writer<Vec<u8>>) -> String {
    let text = String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default();
    format!("{BOM}{text}")
}

/// Writes one row of a CSV file, every cell neutralised (see [`neutralised`]): the files
/// counsel-log writes are opened in spreadsheets, and a title such as `=HYPERLINK(…)` must show
/// as text there, never run.
pub fn write_row<I, S>(writer: &mut csv::Writer<Vec<u8>>, cells: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    // Writing to memory fails only when a row has another number of fields than the first,
    // which every writer here rules out by building its rows from one header.
    let _ = write_row_into(writer, cells);
}

/// [`write_row`] into any writer (a file, as it streams): whether the row was written.
pub fn write_row_into<W, I, S>(writer: &mut csv::Writer<W>, cells: I) -> csv::Result<()>
where
    W: std::io::Write,
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    writer.write_record(
        cells
            .into_iter()
            .map(|c| neutralised(c.as_ref()).into_owned()),
    )
}

/// What the first row of a CSV says: the keys programs read it by (the default: offices'
/// scripts read `report --format csv` by these names), or the columns' names in a language, for
/// people opening the file in a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Header {
    Keys,
    Names(Lang),
}

/// The columns of a tally's CSV by their keys: those of a row of `report --format json`, then
/// `note` and `row`.
pub const TALLY_KEYS: [&str; 12] = [
    "key",
    "label",
    "items",
    "minutes",
    "hours",
    "rated",
    "satisfied",
    "basic",
    "unsatisfied",
    "satisfaction_rate",
    "note",
    "row",
];

/// What the `row` column (and the `row` of each JSON row) says of a row of groups and of the
/// total: the total is found by it the same way in every format, whatever its `key` says there
/// (`total` in CSV, `""` in JSON, each kept for the scripts that read it).
pub const GROUP_ROW: &str = "group";
pub const TOTAL_ROW: &str = "total";

/// The tally as `report --format csv` writes it: a row per group, then `total`; with the BOM.
/// The `note` column is blank but on the total row when the rows' rounded hours do not add up
/// to the total's, where it carries the note a table would; `row` says which row is the total.
pub fn tally(t: &Tally, lang: Lang, header: Header) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    match header {
        Header::Keys => write_row(&mut w, TALLY_KEYS),
        Header::Names(words) => write_row(&mut w, strings(words).csv_columns),
    }
    let hours = t.figures().hours;
    let note = if hours.adds_up() {
        ""
    } else {
        strings(lang).rounding_note
    };
    let rows = t
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r, r.key.as_str(), hours.row_text(i), "", GROUP_ROW));
    let total = (&t.total, "total", hours.total_text(), note, TOTAL_ROW);
    for (r, key, hours, note, row) in rows.chain(std::iter::once(total)) {
        let rate = r.satisfaction().json();
        write_row(
            &mut w,
            [
                key.to_string(),
                r.label.clone(),
                r.items.to_string(),
                r.minutes.0.to_string(),
                hours,
                r.rated().to_string(),
                r.satisfied.to_string(),
                r.basic.to_string(),
                r.unsatisfied.to_string(),
                if rate.is_null() {
                    String::new()
                } else {
                    rate.to_string()
                },
                note.to_string(),
                row.to_string(),
            ],
        );
    }
    finish(w)
}
