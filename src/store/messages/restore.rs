//! Why a snapshot's records cannot be restored: a field no form would take, a blank name, an
//! unknown code, a day out of range, a broken audit trail. Text from the file is shown with its
//! control characters escaped.

use super::super::SnapshotRecord;
use super::super::verify::LinkFault;
use crate::domain::lang::{Pair, pair};
use crate::domain::model::{FieldError, TextField};
use crate::domain::strings::printable;
use crate::domain::{CatalogKind, EntryId};

impl SnapshotRecord {
    fn both(&self) -> Pair {
        match self {
            SnapshotRecord::Advisor(id) => {
                let id = printable(id);
                both!("顾问 {id}", "advisor {id}")
            }
            SnapshotRecord::Catalog(kind, code) => {
                let code = printable(code);
                let (zk, ek) = pair(|lang| kind.label(lang).to_string());
                both!("{zk} {code}", "{ek} {code}")
            }
            SnapshotRecord::Item(number) => {
                let number = printable(number);
                both!("事项 #{number}", "item #{number}")
            }
            SnapshotRecord::Entry(id) => both!("记录 #{}", "entry #{}", id.0),
        }
    }
}

pub(super) fn field(record: &SnapshotRecord, error: &FieldError) -> Pair {
    let ((zr, er), (ze, ee)) = (record.both(), pair(|lang| error.message(lang)));
    both!("{zr}：{ze}", "{er}: {ee}")
}

pub(super) fn blank(record: &SnapshotRecord, which: TextField) -> Pair {
    let (zr, er) = record.both();
    let (zf, ef) = pair(|lang| which.label(lang).to_string());
    both!("{zr} 的{zf}为空", "{er} has no {ef}")
}

pub(super) fn unknown(item: &str, kind: CatalogKind, code: &str) -> Pair {
    let (item, code) = (printable(item), printable(code));
    let (zk, ek) = pair(|lang| kind.label(lang).to_string());
    both!(
        "事项 #{item} 的{zk}“{code}”不在目录中",
        "item #{item} names the {ek} \"{code}\", which no catalog holds"
    )
}

pub(super) fn day_refused(entry: EntryId, date: chrono::NaiveDate) -> Pair {
    both!(
        "记录 #{} 的日期 {date} 早于 2000 年",
        "entry #{} is dated {date}, before 2000",
        entry.0
    )
}

pub(super) fn trail(position: u64, fault: &LinkFault) -> Pair {
    let (zh, en) = fault.both(position);
    both!(
        "其中的审计记录 {position}{zh}",
        "its audit record {position} {en}"
    )
}
