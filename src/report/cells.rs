//! A tally as text: its title, and its lines as cells — the name, then items, hours, share,
//! ratings and rate — as the text table, the Markdown and the Tallies screen all show them.

use super::strings::strings;
use crate::domain::tally::Ratio;
use crate::domain::{GroupBy, Lang, Row, Tally};

/// `2024 · by topic`, `2024年 · 按 领域`.
pub fn title(t: &Tally, lang: Lang) -> String {
    format!(
        "{} · {} {}",
        t.period.label(lang),
        strings(lang).by,
        t.by.label(lang)
    )
}

/// The column headings: the grouping, then the figures.
pub fn header(t: &Tally, lang: Lang) -> Vec<String> {
    std::iter::once(t.by.label(lang))
        .chain(strings(lang).tally_columns)
        .map(str::to_string)
        .collect()
}

/// The cells of one of the tally's rows.
pub fn cells(t: &Tally, row: &Row) -> Vec<String> {
    let name = match t.by {
        // Two advisors may share a name; the id tells them apart.
        GroupBy::Advisor if row.label != row.key => format!("{} {}", row.label, row.key),
        _ => row.label.clone(),
    };
    line(name, row, &t.total)
}

/// The cells of the tally's total line.
pub fn total_cells(t: &Tally) -> Vec<String> {
    line(t.total.label.clone(), &t.total, &t.total)
}

fn line(name: String, r: &Row, total: &Row) -> Vec<String> {
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
