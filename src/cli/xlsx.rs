//! `report --format xlsx`: a real workbook for the report writer — the period's paragraph and
//! figures, a sheet per grouping, and the entries behind them. Figures are written as numbers
//! (hours already rounded to one decimal, so a sheet shows exactly what every other output
//! shows), never as formulas that a spreadsheet would recompute differently.

use std::collections::HashMap;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::domain::tally::{Labels, Tallier};
use crate::domain::{CatalogKind, GroupBy, Item, ItemId, Lang, Period, Row, Summary, Tally};
use crate::store::{Result, Store};

/// What went wrong building the workbook (an internal limit of the format, never bad input).
fn failed(e: XlsxError) -> crate::store::StoreError {
    crate::store::Rejection::Workbook(e.to_string()).into()
}

/// The period's tally under every grouping (advisor, category, topic, service, department,
/// month), gathered in one pass over its entries.
pub fn every_grouping(store: &Store, period: Period, lang: Lang) -> Result<Vec<Tally>> {
    let advisors = store.advisors()?;
    let topics = store.catalog(CatalogKind::Topic)?;
    let services = store.catalog(CatalogKind::Service)?;
    let labels = Labels {
        advisors: &advisors,
        topics: &topics,
        services: &services,
        lang,
    };
    let mut tallier = Tallier::new(period, &labels, &GroupBy::ALL);
    store.for_each_fact(period, |f| tallier.add(f))?;
    Ok(tallier.finish())
}

/// The workbook of the summary's period, as the bytes of an `.xlsx` file: the report, a sheet
/// per tally (see [`every_grouping`]) and the entries.
pub fn workbook(
    store: &Store,
    summary: &Summary,
    tallies: &[Tally],
    lang: Lang,
) -> Result<Vec<u8>> {
    let period = summary.period;
    let advisors = store.advisors()?;
    let topics = store.catalog(CatalogKind::Topic)?;
    let services = store.catalog(CatalogKind::Service)?;

    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    report_sheet(book.add_worksheet(), summary, lang, &bold).map_err(failed)?;
    for t in tallies {
        tally_sheet(book.add_worksheet(), t, lang, &bold).map_err(failed)?;
    }

    let mut items: HashMap<ItemId, Item> = HashMap::new();
    let entries = store.entries(period)?;
    for e in &entries {
        if !items.contains_key(&e.item)
            && let Some(item) = store.item(e.item)?
        {
            items.insert(e.item, item);
        }
    }
    let sheet = book.add_worksheet();
    sheet
        .set_name(lang.pick("记录", "Entries"))
        .map_err(failed)?;
    let header = [
        lang.pick("日期", "Date"),
        lang.pick("顾问编号", "Advisor id"),
        lang.pick("顾问", "Advisor"),
        lang.pick("事项", "Item"),
        lang.pick("标题", "Title"),
        lang.pick("领域", "Topic"),
        lang.pick("服务方式", "Service"),
        lang.pick("委托部门", "Department"),
        lang.pick("分钟", "Minutes"),
        lang.pick("小时", "Hours"),
        lang.pick("满意度", "Satisfaction"),
        lang.pick("备注", "Note"),
    ];
    write_header(sheet, &header, &bold).map_err(failed)?;
    let hours = Format::new().set_num_format("0.0");
    for (i, e) in entries.iter().enumerate() {
        let r = i as u32 + 1;
        let item = items.get(&e.item);
        let field = |f: fn(&Item) -> &str| item.map_or("", f);
        let name = advisors.get(&e.advisor).map_or("", |a| a.name.as_str());
        sheet
            .write_string(r, 0, e.date.to_string())
            .map_err(failed)?;
        sheet.write_string(r, 1, &e.advisor).map_err(failed)?;
        sheet.write_string(r, 2, name).map_err(failed)?;
        sheet
            .write_string(r, 3, field(|i| &i.number))
            .map_err(failed)?;
        sheet
            .write_string(r, 4, field(|i| &i.title))
            .map_err(failed)?;
        let topic = topics.label(field(|i| &i.topic), lang).to_string();
        sheet.write_string(r, 5, topic).map_err(failed)?;
        let service = services.label(field(|i| &i.service), lang).to_string();
        sheet.write_string(r, 6, service).map_err(failed)?;
        sheet
            .write_string(r, 7, field(|i| &i.department))
            .map_err(failed)?;
        sheet
            .write_number(r, 8, e.minutes.0 as f64)
            .map_err(failed)?;
        sheet
            .write_number_with_format(r, 9, tenths(&e.minutes.hours()), &hours)
            .map_err(failed)?;
        let rating = item
            .and_then(|i| i.satisfaction)
            .map_or("", |s| s.label(lang));
        sheet.write_string(r, 10, rating).map_err(failed)?;
        sheet.write_string(r, 11, &e.note).map_err(failed)?;
    }
    sheet.autofit();
    book.save_to_buffer().map_err(failed)
}

/// `432.3` as the number 432.3: the one-decimal hours every output shows.
fn tenths(hours: &str) -> f64 {
    hours.parse().unwrap_or(0.0)
}

fn write_header(
    sheet: &mut Worksheet,
    header: &[&str],
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The first sheet: the paragraph, then the figures it came from.
fn report_sheet(
    sheet: &mut Worksheet,
    summary: &Summary,
    lang: Lang,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(lang.pick("报告", "Report"))?;
    sheet.write_string_with_format(0, 0, summary.period.label(lang), bold)?;
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.merge_range(1, 0, 1, 5, &summary.to_string(), &wrapped)?;
    sheet.set_row_height(1, 90)?;
    let t = &summary.total;
    let hours = Format::new().set_num_format("0.0");
    let percent = Format::new().set_num_format("0.0%");
    let figures: [(&str, f64, Option<&Format>); 7] = [
        (lang.pick("件次", "Items"), t.items as f64, None),
        (
            lang.pick("小时", "Hours"),
            tenths(&t.minutes.hours()),
            Some(&hours),
        ),
        (lang.pick("分钟", "Minutes"), t.minutes.0 as f64, None),
        (lang.pick("已评价", "Rated"), t.rated() as f64, None),
        (lang.pick("满意", "Satisfied"), t.satisfied as f64, None),
        (
            lang.pick("基本满意", "Basically satisfied"),
            t.basic as f64,
            None,
        ),
        (
            lang.pick("不满意", "Unsatisfied"),
            t.unsatisfied as f64,
            None,
        ),
    ];
    for (i, (name, value, format)) in figures.into_iter().enumerate() {
        let r = 3 + i as u32;
        sheet.write_string(r, 0, name)?;
        match format {
            Some(f) => sheet.write_number_with_format(r, 1, value, f)?,
            None => sheet.write_number(r, 1, value)?,
        };
    }
    let r = 3 + 7;
    sheet.write_string(r, 0, lang.pick("满意率", "Satisfaction rate"))?;
    if let Some(rate) = ratio(t.satisfaction().json()) {
        sheet.write_number_with_format(r, 1, rate, &percent)?;
    }
    let r = r + 2;
    let header = [
        lang.pick("类别", "Category"),
        lang.pick("人数", "Advisors"),
        lang.pick("参与", "Participating"),
        lang.pick("参与率", "Participation"),
        lang.pick("件次", "Items"),
        lang.pick("小时", "Hours"),
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(r, c as u16, *h, bold)?;
    }
    for (i, c) in summary.categories.iter().enumerate() {
        let row = r + 1 + i as u32;
        sheet.write_string(row, 0, c.category.label(lang))?;
        sheet.write_number(row, 1, c.total as f64)?;
        sheet.write_number(row, 2, c.participating as f64)?;
        if let Some(rate) = ratio(c.rate().json()) {
            sheet.write_number_with_format(row, 3, rate, &percent)?;
        }
        sheet.write_number(row, 4, c.items as f64)?;
        sheet.write_number_with_format(row, 5, tenths(&c.minutes.hours()), &hours)?;
    }
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 12)?;
    Ok(())
}

/// A ratio as JSON (`0.95` or `null`) to the number a percent cell holds.
fn ratio(json: serde_json::Value) -> Option<f64> {
    json.as_f64()
}

/// One grouping: the rows of `report --by`, then the total.
fn tally_sheet(
    sheet: &mut Worksheet,
    t: &Tally,
    lang: Lang,
    bold: &Format,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(format!("{}{}", lang.pick("按", "By "), t.by.label(lang)))?;
    let header = [
        lang.pick("代码", "Key"),
        t.by.label(lang),
        lang.pick("件次", "Items"),
        lang.pick("分钟", "Minutes"),
        lang.pick("小时", "Hours"),
        lang.pick("已评价", "Rated"),
        lang.pick("满意", "Satisfied"),
        lang.pick("基本满意", "Basic"),
        lang.pick("不满意", "Unsatisfied"),
        lang.pick("满意率", "Satisfaction rate"),
    ];
    write_header(sheet, &header, bold)?;
    let hours = Format::new().set_num_format("0.0");
    let percent = Format::new().set_num_format("0.0%");
    let total_hours = Format::new().set_num_format("0.0").set_bold();
    let total_percent = Format::new().set_num_format("0.0%").set_bold();
    let write = |sheet: &mut Worksheet, r: u32, row: &Row, total: bool| {
        let (plain, h, p) = if total {
            (bold.clone(), &total_hours, &total_percent)
        } else {
            (Format::new(), &hours, &percent)
        };
        let key = if total { "" } else { row.key.as_str() };
        let label = if total {
            lang.pick("合计", "Total")
        } else {
            row.label.as_str()
        };
        sheet.write_string_with_format(r, 0, key, &plain)?;
        sheet.write_string_with_format(r, 1, label, &plain)?;
        let counts = [
            (2, row.items),
            (3, row.minutes.0),
            (5, row.rated()),
            (6, row.satisfied),
            (7, row.basic),
            (8, row.unsatisfied),
        ];
        for (c, n) in counts {
            sheet.write_number_with_format(r, c, n as f64, &plain)?;
        }
        sheet.write_number_with_format(r, 4, tenths(&row.minutes.hours()), h)?;
        if let Some(rate) = ratio(row.satisfaction().json()) {
            sheet.write_number_with_format(r, 9, rate, p)?;
        }
        Ok::<(), XlsxError>(())
    };
    for (i, row) in t.rows.iter().enumerate() {
        write(sheet, i as u32 + 1, row, false)?;
    }
    write(sheet, t.rows.len() as u32 + 1, &t.total, true)?;
    sheet.autofit();
    Ok(())
}
