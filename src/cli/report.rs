//! `counsel-log report`: a period's tally as a table, CSV, JSON or Markdown.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Context, Result, extension, period, with_bom, write_file};
use crate::domain::tally::{Labels, Ratio, Tallier};
use crate::domain::{CatalogKind, GroupBy, Lang, Row, Tally};
use crate::report::table::{Align, Table};
use crate::store::Store;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum By {
    Advisor,
    Category,
    Topic,
    Service,
    Department,
    Month,
}

impl From<By> for GroupBy {
    fn from(b: By) -> GroupBy {
        match b {
            By::Advisor => GroupBy::Advisor,
            By::Category => GroupBy::Category,
            By::Topic => GroupBy::Topic,
            By::Service => GroupBy::Service,
            By::Department => GroupBy::Department,
            By::Month => GroupBy::Month,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Md,
    /// A workbook: the report, a sheet per grouping and the entries (written with `--out`).
    Xlsx,
}

impl Format {
    /// The format a file name asks for: `.csv`, `.json`, `.md` (or `.markdown`), `.txt`,
    /// `.xlsx`.
    fn of(path: &Path) -> Option<Format> {
        match extension(path)?.as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Md),
            "txt" => Some(Format::Table),
            _ => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// 2024, 2024-03, 2024-Q1 or 2024-01-01..2024-06-30 [default: this month]
    #[arg(long)]
    period: Option<String>,
    #[arg(long, value_enum, default_value = "advisor")]
    by: By,
    /// table, csv, json, md or xlsx (a workbook of every grouping and the entries; needs --out)
    /// [default: from the --out file's extension (.csv, .json, .md, .txt, .xlsx), else table]
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write to this file instead of printing
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(a: ReportArgs, store: &Store, ctx: &Context) -> Result<String> {
    let period = period(a.period.as_deref(), ctx)?;
    let advisors = store.advisors()?;
    let topics = store.catalog(CatalogKind::Topic)?;
    let services = store.catalog(CatalogKind::Service)?;
    let labels = Labels {
        advisors: &advisors,
        topics: &topics,
        services: &services,
        lang: ctx.lang,
    };
    let mut tallier = Tallier::new(period, &labels, &[a.by.into()]);
    store.for_each_fact(period, |f| tallier.add(f))?;
    let t = tallier.finish().remove(0);
    // An old spreadsheet extension would get a text table Excel refuses to open.
    if a.format.is_none()
        && let Some(ext) = a.out.as_deref().and_then(extension)
        && matches!(ext.as_str(), "xls" | "xlsm" | "ods" | "et")
    {
        return Err(super::Error::Input(match ctx.lang {
            Lang::Zh => format!(
                "不能写成 .{ext} 文件：工作簿请用 .xlsx（如 --out 2024.xlsx），或用 --format 指定格式"
            ),
            Lang::En => format!(
                "cannot write a .{ext} file: for a workbook use .xlsx (e.g. --out 2024.xlsx), or choose a --format"
            ),
        }));
    }
    // An explicit --format wins over the file's extension: the user asked for it.
    let format = a
        .format
        .or_else(|| a.out.as_deref().and_then(Format::of))
        .unwrap_or(Format::Table);
    if format == Format::Xlsx {
        let Some(path) = a.out else {
            return Err(super::Error::Input(
                ctx.lang
                    .pick(
                        "xlsx 工作簿不能显示在终端上：请用 --out 指定文件，如 --out 2024.xlsx",
                        "a workbook cannot be printed to the terminal: name a file with --out, e.g. --out 2024.xlsx",
                    )
                    .to_string(),
            ));
        };
        let summary = super::summary_of(store, period, ctx.lang)?;
        let tallies = crate::report::xlsx::every_grouping(store, period, ctx.lang)?;
        let bytes = crate::report::xlsx::workbook(store, &summary, &tallies, ctx.lang)?;
        write_file(&path, &bytes, ctx.lang)?;
        return Ok(match ctx.lang {
            Lang::Zh => format!("已写入工作簿 {}。\n", path.display()),
            Lang::En => format!("Wrote the workbook {}.\n", path.display()),
        });
    }
    let text = render(&t, format, ctx.lang);
    match a.out {
        None => Ok(text),
        Some(path) => {
            write_file(&path, text.as_bytes(), ctx.lang)?;
            Ok(match ctx.lang {
                Lang::Zh => format!("已写入 {}。\n", path.display()),
                Lang::En => format!("Wrote {}.\n", path.display()),
            })
        }
    }
}

/// The tally in the chosen format.
pub fn render(t: &Tally, format: Format, lang: Lang) -> String {
    match format {
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&t.to_json()).unwrap_or_default()
        ),
        Format::Csv => with_bom(&csv(t)),
        Format::Md => markdown(t, lang),
        // A workbook is bytes, written by `run`; as text it is the table.
        Format::Table | Format::Xlsx => {
            let title = format!(
                "{} · {} {}\n\n",
                t.period.label(lang),
                lang.pick("按", "by"),
                t.by.label(lang)
            );
            format!("{title}{}", table(t, lang))
        }
    }
}

fn header(t: &Tally, lang: Lang) -> Vec<String> {
    [
        t.by.label(lang),
        lang.pick("件次", "items"),
        lang.pick("小时", "hours"),
        lang.pick("占比", "share"),
        lang.pick("已评价", "rated"),
        lang.pick("满意", "satisfied"),
        lang.pick("基本满意", "basic"),
        lang.pick("不满意", "unsatisfied"),
        lang.pick("满意率", "rate"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn cells(r: &Row, total: &Row, with_key: bool) -> Vec<String> {
    let name = if with_key && r.key != r.label {
        format!("{} {}", r.label, r.key)
    } else {
        r.label.clone()
    };
    vec![
        name,
        r.items.to_string(),
        r.minutes.hours(),
        Ratio::new(r.minutes.0, total.minutes.0).percent(),
        r.rated().to_string(),
        r.satisfied.to_string(),
        r.basic.to_string(),
        r.unsatisfied.to_string(),
        r.satisfaction().percent(),
    ]
}

fn table(t: &Tally, lang: Lang) -> Table {
    let with_key = t.by == GroupBy::Advisor;
    let mut align = vec![Align::Right; 9];
    align[0] = Align::Left;
    Table {
        header: header(t, lang),
        align,
        rows: t
            .rows
            .iter()
            .map(|r| cells(r, &t.total, with_key))
            .collect(),
        footer: Some(cells(&t.total, &t.total, false)),
    }
}

fn markdown(t: &Tally, lang: Lang) -> String {
    let with_key = t.by == GroupBy::Advisor;
    let line = |cells: Vec<String>| {
        format!(
            "| {} |\n",
            cells
                .iter()
                .map(|c| c.replace('|', "\\|"))
                .collect::<Vec<_>>()
                .join(" | ")
        )
    };
    let mut s = format!(
        "**{} · {} {}**\n\n",
        t.period.label(lang),
        lang.pick("按", "by"),
        t.by.label(lang)
    );
    s += &line(header(t, lang));
    s += &format!("|---|{}\n", "---:|".repeat(8));
    for r in &t.rows {
        s += &line(cells(r, &t.total, with_key));
    }
    let mut total = cells(&t.total, &t.total, false);
    total[0] = format!("**{}**", total[0]);
    s += &line(total);
    s
}

fn csv(t: &Tally) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
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
    ]);
    for r in t.rows.iter().chain(std::iter::once(&t.total)) {
        let key = if r.key.is_empty() {
            "total"
        } else {
            r.key.as_str()
        };
        let rate = r.satisfaction().json();
        let _ = w.write_record([
            key.to_string(),
            r.label.clone(),
            r.items.to_string(),
            r.minutes.0.to_string(),
            r.minutes.hours(),
            r.rated().to_string(),
            r.satisfied.to_string(),
            r.basic.to_string(),
            r.unsatisfied.to_string(),
            if rate.is_null() {
                String::new()
            } else {
                rate.to_string()
            },
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
