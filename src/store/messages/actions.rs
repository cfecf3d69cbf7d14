//! What each kind of audited change is called, in both languages: the "what" of `history` and
//! of the interface's history of an entry.

use crate::domain::Lang;
use crate::store::AuditAction;

impl AuditAction {
    /// The change in a few words, in the given language.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.of(match self {
            AuditAction::AdvisorAdd => ("添加顾问", "advisor added"),
            AuditAction::AdvisorEdit => ("修改顾问", "advisor changed"),
            AuditAction::ImportAdvisors => ("导入顾问", "advisors imported"),
            AuditAction::CatalogAdd => ("添加目录项", "catalog entry added"),
            AuditAction::EntryAdd => ("登记工时", "entry logged"),
            AuditAction::ImportEntries => ("导入工时", "entries imported"),
            AuditAction::EntryEdit => ("修改记录", "entry changed"),
            AuditAction::EntryDelete => ("删除记录", "entry deleted"),
            AuditAction::ItemEdit => ("修改事项", "item changed"),
            AuditAction::TimerStart => ("开始计时", "timer started"),
            AuditAction::TimerStop => ("停止计时并登记", "timer stopped and logged"),
            AuditAction::TimerCancel => ("取消计时", "timer cancelled"),
            AuditAction::Undo => ("撤销", "undone"),
            AuditAction::Rollback => ("回滚未完成的导入", "unfinished import rolled back"),
            AuditAction::Restore => ("从备份恢复", "restored"),
            AuditAction::PeerAdd => ("登记台账", "store enrolled"),
            AuditAction::PeerEdit => ("修改已登记台账", "enrolled store changed"),
            AuditAction::PeerRemove => ("移除已登记台账", "enrolled store removed"),
            AuditAction::BundleImport => ("合并数据包", "bundle merged"),
            AuditAction::BundleWrite => ("写出数据包", "bundle written"),
            AuditAction::StoreName => ("台账改名", "store renamed"),
            AuditAction::Correct => ("更正记录", "entry corrected"),
            AuditAction::Migrate => ("升级数据格式", "store brought up to date"),
            AuditAction::MonthClose => ("月份关账", "month closed"),
            AuditAction::MonthReopen => ("月份重开", "month reopened"),
        })
    }
}
