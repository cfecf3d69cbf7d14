//! The workbook of `report --format xlsx` and of the Report screen's `x`: the period's paragraph
//! and figures, a sheet per grouping, and the entries behind them. Figures are written as numbers
//! (hours already rounded to one decimal, so a sheet shows exactly what every other output
//! shows), never as formulas that a spreadsheet would recompute differently.

use std::collections::HashMap;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::strings::strings;
use super::{Gathered, Names, ReportError};
use crate::domain::intake::shown_number;
use crate::domain::rounding::{self, Rounding};
use crate::domain::{Entry, Item, ItemId, Lang, Minutes, Period, Row, Summary, Tally};
use crate::store::Store;

/// The workbook of a period's report, as the bytes of an `.xlsx` file: the report, a sheet per
/// tally and the entries, which are read from the store here.
pub fn workbook(
    store: &Store,
    names: &Names,
    report: &Gathered,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    let entries = Entries::read(store, report.summary.period)?;
    let head = store.audit_head_record()?;
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    report_sheet(sheet, &report.summary, (lang, report.rounding), &bold)?;
    let italic = Format::new().set_italic();
    sheet.write_string_with_format(2, 0, super::strings::MadeFrom(&head).message(lang), &italic)?;
    for t in &report.tallies {
        tally_sheet(book.add_worksheet(), t, lang, &bold)?;
    }
    entries_sheet(book.add_worksheet(), &entries, names, lang, &bold)?;
    Ok(book.save_to_buffer()?)
}

/// The entries of a period with the items they belong to.
struct Entries {
    entries: Vec<Entry>,
    items: HashMap<ItemId, Item>,
}

impl Entries {
    fn read(store: &Store, period: Period) -> crate::store::Result<Entries> {
        let entries = store.entries(period)?;
        let mut items = HashMap::new();
        for e in &entries {
            if !items.contains_key(&e.item)
                && let Some(item) = store.item(e.item)?
            {
                items.insert(e.item, item);
            }
        }
        Ok(Entries { entries, items })
    }
}

/// The sheet row `n` rows from the top. A number past `u32` is past the format's 1,048,576 rows
/// too: it becomes `u32::MAX`, which the writer refuses with its row-limit error.
fn row(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The sheet column `n` columns from the left; past `u16` it is refused as [`row`] is.
fn column(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// A count as the number a cell holds. A cell holds a double, exact for every whole number up to
/// 2^53 (no ledger comes near); a larger count becomes the nearest double, as the spreadsheet
/// itself would store it.
fn number(n: u64) -> f64 {
    let [a, b, c, d, e, f, g, h] = n.to_be_bytes();
    let (high, low) = (
        u32::from_be_bytes([a, b, c, d]),
        u32::from_be_bytes([e, f, g, h]),
    );
    f64::from(high) * 4_294_967_296.0 + f64::from(low)
}

/// `432.3` as the number 432.3: the one-decimal hours every output shows.
fn tenths(hours: &str) -> f64 {
    hours.parse().unwrap_or(0.0)
}

/// A ratio as JSON (`0.95` or `null`) to the number a percent cell holds.
fn ratio(json: &serde_json::Value) -> Option<f64> {
    json.as_f64()
}

fn write_header(sheet: &mut Worksheet, header: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, column(c), *h, bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The first sheet: the paragraph, then the figures it came from.
fn report_sheet(
    sheet: &mut Worksheet,
    summary: &Summary,
    (lang, rounding): (Lang, Rounding),
    bold: &Format,
) -> Result<(), XlsxError> {
    let words = strings(lang);
    sheet.set_name(words.report_sheet)?;
    sheet.write_string_with_format(0, 0, summary.period.label(lang), bold)?;
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.merge_range(1, 0, 1, 5, &summary.to_string(), &wrapped)?;
    sheet.set_row_height(1, 90)?;
    let t = &summary.total;
    let hours = Format::new().set_num_format("0.0");
    let percent = Format::new().set_num_format("0.0%");
    let figures = [
        (number(t.items), None),
        (tenths(&t.minutes.hours()), Some(&hours)),
        (number(t.minutes.0), None),
        (number(t.rated()), None),
        (number(t.satisfied), None),
        (number(t.basic), None),
        (number(t.unsatisfied), None),
    ];
    let [names @ .., rate_name] = words.figures;
    let mut r = 3;
    for (name, (value, format)) in names.into_iter().zip(figures) {
        sheet.write_string(r, 0, name)?;
        match format {
            Some(f) => sheet.write_number_with_format(r, 1, value, f)?,
            None => sheet.write_number(r, 1, value)?,
        };
        r += 1;
    }
    sheet.write_string(r, 0, rate_name)?;
    if let Some(rate) = ratio(&t.satisfaction().json()) {
        sheet.write_number_with_format(r, 1, rate, &percent)?;
    }
    participation(sheet, summary, (r + 2, rounding), lang, bold)?;
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 12)?;
    Ok(())
}

/// The first sheet's table of each category's participation, from row `top`; its hours rounded
/// as `rounding` says, with the note under it when they do not add up to the period's.
fn participation(
    sheet: &mut Worksheet,
    summary: &Summary,
    (top, rounding): (u32, Rounding),
    lang: Lang,
    bold: &Format,
) -> Result<(), XlsxError> {
    let hours = Format::new().set_num_format("0.0");
    let percent = Format::new().set_num_format("0.0%");
    for (c, h) in strings(lang).category_columns.iter().enumerate() {
        sheet.write_string_with_format(top, column(c), *h, bold)?;
    }
    let minutes: Vec<Minutes> = summary.categories.iter().map(|c| c.minutes).collect();
    let shown = rounding::hours(&minutes, summary.total.minutes, rounding);
    let mut r = top + 1;
    for (i, c) in summary.categories.iter().enumerate() {
        sheet.write_string(r, 0, c.category.label(lang))?;
        sheet.write_number(r, 1, number(c.total))?;
        sheet.write_number(r, 2, number(c.participating))?;
        if let Some(rate) = ratio(&c.rate().json()) {
            sheet.write_number_with_format(r, 3, rate, &percent)?;
        }
        sheet.write_number(r, 4, number(c.items))?;
        sheet.write_number_with_format(r, 5, tenths(&shown.row_text(i)), &hours)?;
        r += 1;
    }
    if !shown.adds_up() {
        let italic = Format::new().set_italic();
        sheet.write_string_with_format(r, 0, strings(lang).rounding_note, &italic)?;
    }
    Ok(())
}

/// The formats of a grouping sheet's rows: plain, hours and percent; bold on the total row.
struct RowFormats {
    plain: Format,
    hours: Format,
    percent: Format,
}

impl RowFormats {
    fn new(bold: bool) -> RowFormats {
        let base = if bold {
            Format::new().set_bold()
        } else {
            Format::new()
        };
        RowFormats {
            hours: base.clone().set_num_format("0.0"),
            percent: base.clone().set_num_format("0.0%"),
            plain: base,
        }
    }
}

/// One grouping: the rows of `report --by`, then the total.
fn tally_sheet(
    sheet: &mut Worksheet,
    t: &Tally,
    lang: Lang,
    bold: &Format,
) -> Result<(), XlsxError> {
    let words = strings(lang);
    sheet.set_name(format!("{}{}", words.by_heading, t.by.label(lang)))?;
    // A column's heading begins with a capital, as its neighbours do ("Items", "Minutes").
    let grouping = t.by.heading(lang);
    let mut header = vec![words.key, grouping.as_str()];
    header.extend(words.sheet_columns);
    write_header(sheet, &header, bold)?;
    let plain = RowFormats::new(false);
    let hours = t.figures().hours;
    for ((r, line), i) in (1..).zip(&t.rows).zip(0..) {
        let shown = tenths(&hours.row_text(i));
        tally_row(sheet, r, (&line.key, &line.label), (line, shown), &plain)?;
    }
    let r = row(t.rows.len() + 1);
    let total = (&t.total, tenths(&hours.total_text()));
    tally_row(sheet, r, ("", words.total), total, &RowFormats::new(true))?;
    sheet.autofit();
    // Beside the total, as the CSV's `note` column has it, so that the total stays the sheet's
    // last row; written after the fit, so that its length widens no column.
    if !hours.adds_up() {
        let italic = Format::new().set_italic();
        sheet.write_string_with_format(r, 10, words.rounding_note, &italic)?;
    }
    Ok(())
}

/// A grouping sheet's row `r`: the key and label given, then the figures of `line` with its
/// hours as the table shows them.
fn tally_row(
    sheet: &mut Worksheet,
    r: u32,
    (key, label): (&str, &str),
    (line, hours): (&Row, f64),
    formats: &RowFormats,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(r, 0, key, &formats.plain)?;
    sheet.write_string_with_format(r, 1, label, &formats.plain)?;
    let counts = [
        (2, line.items),
        (3, line.minutes.0),
        (5, line.rated()),
        (6, line.satisfied),
        (7, line.basic),
        (8, line.unsatisfied),
    ];
    for (c, n) in counts {
        sheet.write_number_with_format(r, c, number(n), &formats.plain)?;
    }
    sheet.write_number_with_format(r, 4, hours, &formats.hours)?;
    if let Some(rate) = ratio(&line.satisfaction().json()) {
        sheet.write_number_with_format(r, 9, rate, &formats.percent)?;
    }
    Ok(())
}

/// The last sheet: every entry of the period with its item's fields.
fn entries_sheet(
    sheet: &mut Worksheet,
    entries: &Entries,
    names: &Names,
    lang: Lang,
    bold: &Format,
) -> Result<(), XlsxError> {
    let words = strings(lang);
    sheet.set_name(words.entries_sheet)?;
    write_header(sheet, &words.entry_columns, bold)?;
    let hours = Format::new().set_num_format("0.0");
    for (r, e) in (1..).zip(&entries.entries) {
        let item = entries.items.get(&e.item);
        let field = |f: fn(&Item) -> &str| item.map_or("", f);
        let name = names
            .advisors
            .get(&e.advisor)
            .map_or("", |a| a.name.as_str());
        sheet.write_string(r, 0, e.date.to_string())?;
        sheet.write_string(r, 1, &e.advisor)?;
        sheet.write_string(r, 2, name)?;
        sheet.write_string(
            r,
            3,
            item.map_or_else(String::new, |i| shown_number(&i.number)),
        )?;
        sheet.write_string(r, 4, field(|i| &i.title))?;
        sheet.write_string(r, 5, names.topics.label(field(|i| &i.topic), lang))?;
        sheet.write_string(r, 6, names.services.label(field(|i| &i.service), lang))?;
        sheet.write_string(r, 7, field(|i| &i.department))?;
        sheet.write_number(r, 8, number(e.minutes.0))?;
        sheet.write_number_with_format(r, 9, tenths(&e.minutes.hours()), &hours)?;
        let rating = item
            .and_then(|i| i.satisfaction)
            .map_or("", |s| s.label(lang));
        sheet.write_string(r, 10, rating)?;
        sheet.write_string(r, 11, &e.note)?;
    }
    sheet.autofit();
    Ok(())
}
