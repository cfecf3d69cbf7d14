//! What `x` writes: the Tallies table as a spreadsheet-ready CSV; the Report screen as a
//! Markdown document (paragraph and the tallies behind it) beside the workbook of
//! `report --format xlsx`. Pure: file names and contents are computed here; the app writes them.

use crate::cli::{ReportFormat, render_report};
use crate::domain::{Lang, Period, Summary, Tally};

/// A file to write: its name (no directory) and its bytes.
pub struct Export {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// `2024-03`, `2024-Q1`, `2024-01-01_2024-06-30`: the period as it goes into a file name.
fn stem(period: &Period) -> String {
    format!("counsel-log-{}", period.code().replace("..", "_"))
}

/// The workbook's file name: `counsel-log-2024.xlsx`.
pub fn workbook_name(period: &Period) -> String {
    format!("{}.xlsx", stem(period))
}

/// The tally as CSV, exactly as `report --format csv` writes it (UTF-8 with a BOM, so that a
/// spreadsheet opens the Chinese correctly).
pub fn tally_csv(t: &Tally, lang: Lang) -> Export {
    Export {
        name: format!("{}-{}.csv", stem(&t.period), t.by.code()),
        bytes: render_report(t, ReportFormat::Csv, lang).into_bytes(),
    }
}

/// The period's report: the paragraph, then a table per grouping.
pub fn report_md(summary: &Summary, tallies: &[Tally], lang: Lang) -> Export {
    let mut text = format!(
        "# {} · {}\n\n{summary}\n",
        lang.pick("法律顾问工作报告", "Legal advisors' report"),
        summary.period.label(lang)
    );
    for t in tallies {
        text += &format!(
            "\n## {}{}\n\n{}",
            lang.pick("按", "By "),
            t.by.label(lang),
            render_report(t, ReportFormat::Md, lang)
        );
    }
    Export {
        name: format!("{}-report.md", stem(&summary.period)),
        bytes: text.into_bytes(),
    }
}
