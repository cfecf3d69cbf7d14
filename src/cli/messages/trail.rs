//! The words of `history` over the audit trail: its table's headings, and what it says when
//! no record matches.

use crate::domain::Lang;
use crate::report::table::{Align, Table};
use crate::store::{AuditRecord, brief_pair};

/// The audit records as a table: number, when, who, what, before, after. Every cell is shown
/// with its control characters escaped (the table does it).
pub fn trail_table(records: &[AuditRecord], lang: Lang) -> String {
    if records.is_empty() {
        return format!(
            "{}\n",
            lang.of(("审计记录中没有相关的改动", "no audit record matches"))
        );
    }
    let header = lang.of((
        ["序号", "时间", "操作人", "改动", "改动前", "改动后"],
        ["No.", "When", "Who", "What", "Before", "After"],
    ));
    let rows = records
        .iter()
        .map(|r| {
            let (before, after) = brief_pair(&r.before, &r.after);
            vec![
                r.seq.to_string(),
                r.at.format("%Y-%m-%d %H:%M").to_string(),
                r.who.clone(),
                r.action.label(lang).to_string(),
                before,
                after,
            ]
        })
        .collect();
    let table = Table {
        header: header.iter().map(|h| (*h).to_string()).collect(),
        align: vec![
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Left,
        ],
        rows,
        footer: None,
    };
    format!("{table}")
}

/// The heading over an entry's audit records, after its history.
pub fn trail_heading(count: usize, lang: Lang) -> String {
    lang.of((
        format!("\n审计记录（{count} 条）：\n"),
        format!("\nAudit records ({count}):\n"),
    ))
}

/// `history --item` named no item.
pub(super) fn no_such_item(given: &str, lang: Lang) -> String {
    let given = crate::domain::strings::printable(given);
    lang.of((
        format!("没有事项“{given}”：请用事项编号（如 #2024-0019）或导入时的事项键"),
        format!(
            "there is no item \"{given}\": give its number (such as #2024-0019) or the key it \
                was imported under"
        ),
    ))
}
