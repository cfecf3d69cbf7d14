//! The words of the team's ledger and of the store's signing key: refusing a peer, a bundle's
//! records, a change to another store's entry or to a closed month.

use super::super::error::ClosingRefusal;
use super::super::keypair::KeyFault;
use super::Pair;
use crate::domain::Lang;

/// The refusal to change another store's entry.
pub(super) fn not_ours(entry: crate::domain::EntryId, origin: &str) -> Pair {
    both!(
        "记录 #{} 来自台账“{origin}”，只有它自己能修改或删除：如需更正，请用 \
            counsel-log correct {} --hours 小时 --reason 原因",
        "entry #{} came from the store \"{origin}\" and only that store changes or deletes \
            it: to correct it, use counsel-log correct {} --hours H --reason TEXT",
        entry.0,
        entry.0
    )
}

/// The refusal to change another store's item.
pub(super) fn item_not_ours(number: &str, origin: &str) -> Pair {
    both!(
        "事项 #{number} 来自台账“{origin}”，它的状态、评价和内容只由该台账修改",
        "item #{number} came from the store \"{origin}\": its state, rating and fields are \
            changed there"
    )
}

/// The refusal to edit a corrected entry.
pub(super) fn corrected(entry: crate::domain::EntryId) -> Pair {
    both!(
        "记录 #{} 已有更正，不能再直接修改：请用 counsel-log correct {} --hours 小时 \
            --reason 原因 再记一次更正",
        "entry #{} has a correction and is no longer edited directly: record another \
            correction with counsel-log correct {} --hours H --reason TEXT",
        entry.0,
        entry.0
    )
}

impl super::super::MergeRefusal {
    pub(super) fn both(&self) -> Pair {
        use super::super::MergeRefusal;
        match self {
            MergeRefusal::NotEnrolledFor {
                advisor,
                sender,
                speaks_for,
                date,
            } => {
                let day = date.map(|d| format!(" {d}")).unwrap_or_default();
                let now = speaks_for.join(",");
                let with = if now.is_empty() {
                    advisor.clone()
                } else {
                    format!("{now},{advisor}")
                };
                both!(
                    "拒收，未写入任何内容：该包含有顾问 {advisor}{day} 的记录，而发送方“{sender}”\
                        只登记代表 {now}。若是误记，请该台账删除那条记录后用 counsel-log bundle \
                        --all 重新写出数据包（这个被拒的包里的其他记录也随之送达）；若它确实代表 \
                        {advisor}，请先运行 counsel-log peer set \"{sender}\" --advisors {with} \
                        再导入",
                    "refused, nothing was written: the bundle holds a record of advisor \
                        {advisor}{day}, and its sender \"{sender}\" is enrolled only for {now}. If \
                        it was logged by mistake, that store deletes the entry and writes a new \
                        bundle with counsel-log bundle --all (which also brings the rest of this \
                        refused bundle); if that store does speak for {advisor}, run counsel-log \
                        peer set \"{sender}\" --advisors {with} and import again"
                )
            }
            MergeRefusal::ItemMissing { entry } => both!(
                "拒收：该包中的记录 {entry} 所属的事项既不在包中也不在本台账：请让发送方用 \
                    counsel-log bundle --all 重新生成；未写入任何内容",
                "refused: entry {entry} of the bundle belongs to an item neither the bundle nor \
                    this store holds: ask the sender for a full bundle (counsel-log bundle --all); \
                    nothing was written"
            ),
            MergeRefusal::NotTheirs { record, sender } => both!(
                "拒收：该包要修改记录 {record}，但它是另一台账的记录，发送方“{sender}”既不是它的\
                    来源，也不是它传来的途径；未写入任何内容。请向该记录的来源台账核实",
                "refused: the bundle changes record {record}, which another store sent here, and \
                    its sender \"{sender}\" is neither that record's origin nor the store it came \
                    through; nothing was written. Check with the store the record came from"
            ),
            MergeRefusal::UnknownCode {
                record,
                code,
                service,
            } => {
                let (zh_kind, en_kind, flag) = if *service {
                    ("服务方式", "service type", "service")
                } else {
                    ("领域", "topic", "topic")
                };
                let code = crate::domain::strings::printable(code);
                both!(
                    "拒收，未写入任何内容：该包中的事项 {record} 的{zh_kind}“{code}”不在本台账的目录中。\
                        如确需此{zh_kind}，请先 counsel-log catalog add --kind {flag} --code {code} \
                        … 再导入",
                    "refused, nothing was written: item {record} of the bundle has the {en_kind} \
                        \"{code}\", which this store's catalog does not have. If it is wanted, add \
                        it first with counsel-log catalog add --kind {flag} --code {code} … and \
                        import again"
                )
            }
            MergeRefusal::Twice { record } => both!(
                "拒收，未写入任何内容：记录 {record} 在数据包中出现了两次，而数据包中每条记录只出现一次：\
                    该文件不是 counsel-log 写出的，请对方重新写出数据包",
                "refused, nothing was written: record {record} appears twice in the bundle, where \
                    counsel-log writes each record once: ask the sender for a new bundle"
            ),
            MergeRefusal::Invalid { record, what } => both!(
                "拒收：该包中的记录 {record} 的 {what} 不是 counsel-log 会写出的值；\
                    未写入任何内容",
                "refused: record {record} of the bundle has a {what} no counsel-log writes; \
                    nothing was written"
            ),
        }
    }
}

impl super::super::PeerRefusal {
    pub(super) fn both(&self) -> Pair {
        use super::super::PeerRefusal;
        match self {
            PeerRefusal::Itself => both!(
                "这是本台账自己的名片：请在汇总台账上登记各顾问台账的名片",
                "that card is this store's own: enrol the counsel's stores' cards at the office"
            ),
            PeerRefusal::Known { name } => both!(
                "该台账已登记为“{name}”：若它换了电脑、从备份恢复后有了新密钥，请用 counsel-log peer set \
                    \"{name}\" --card 新名片文件；要改它代表的顾问或名称，也用 peer set",
                "that store is enrolled already, as \"{name}\": if it was restored on a new machine \
                    with a new key, use counsel-log peer set \"{name}\" --card NEW-CARD; to change \
                    its advisors or name, peer set too"
            ),
            PeerRefusal::Unknown { what } => both!(
                "没有已登记的台账叫“{what}”：counsel-log peer list 列出已登记的台账",
                "no enrolled store is called \"{what}\": counsel-log peer list shows them"
            ),
            PeerRefusal::NameTaken { name } => both!(
                "已有登记的台账叫“{name}”：请用 --name 另起一个名称",
                "an enrolled store is already called \"{name}\": choose another with --name"
            ),
            PeerRefusal::KeyKnown { name } => both!(
                "该名片的公钥已登记给台账“{name}”：一把密钥只能代表一个台账。若“{name}”已重建，\
                    请用 counsel-log peer set \"{name}\" --card 新名片文件",
                "that card's public key is already enrolled for \"{name}\": one key speaks for one \
                    store. If \"{name}\" was set up again, use counsel-log peer set \"{name}\" \
                    --card NEW-CARD"
            ),
            PeerRefusal::UnknownAdvisors { ids } => both!(
                "名单上没有顾问 {}：请先导入名单（counsel-log import advisors 文件）",
                "advisor {} is not on the roster: import the roster first (counsel-log import \
                    advisors FILE)",
                ids.join(", ")
            ),
            PeerRefusal::NoAdvisors => both!(
                "请用 --advisors 指定该台账代表的顾问，如 --advisors A001,A014",
                "name the advisors that store speaks for with --advisors, e.g. --advisors A001,A014"
            ),
        }
    }
}

impl ClosingRefusal {
    pub(super) fn both(&self) -> Pair {
        let (ClosingRefusal::AlreadyClosed { month: m, .. }
        | ClosingRefusal::NotClosed(m)
        | ClosingRefusal::NotBegun { month: m, .. }
        | ClosingRefusal::NoReason(m)) = self;
        let label = m.period().label(Lang::Zh);
        match self {
            ClosingRefusal::AlreadyClosed { at, .. } => both!(
                "{label}已于 {} 结账，未作改动：如需重新开账，请用 `counsel-log reopen {m} --reason \
                    原因`",
                "{m} was already closed on {}; nothing was changed: to reopen it, use `counsel-log \
                    reopen {m} --reason TEXT`",
                at.date_naive()
            ),
            ClosingRefusal::NotClosed(_) => both!(
                "{label}未结账，无可重新开账，未作改动：请检查月份",
                "{m} is not closed, so there is nothing to reopen; nothing was changed: check the \
                    month"
            ),
            ClosingRefusal::NotBegun { today, .. } => both!(
                "{label}尚未结束（今天是 {today}），月份结束后才能结账：请检查月份，或等到下月再结账",
                "{m} is not over yet (today is {today}); a month is closed once it has ended: check \
                    the month, or close it once it is over"
            ),
            ClosingRefusal::NoReason(_) => both!(
                "重新开账须说明原因（记入审计记录）：请用 --reason 原因 给出",
                "reopening {m} needs a reason for the audit trail: give it with --reason TEXT"
            ),
        }
    }
}

impl KeyFault {
    /// The problem with the store's signing key and what to do, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(self.both())
    }

    pub(super) fn both(&self) -> Pair {
        match self {
            KeyFault::Missing { path } => both!(
                "台账的签名密钥 {} 不见了：请从台账目录的备份中恢复该文件；或用 counsel-log \
                    identity --new-key 生成新密钥，再把新名片交给办公室（peer set 名称 --card 文件）",
                "the store's signing key {} is missing: restore the file from a copy of the store \
                    folder, or make a new one with counsel-log identity --new-key and give the office \
                    the new card (peer set NAME --card FILE)",
                path.display()
            ),
            KeyFault::Malformed { path } => both!(
                "台账的签名密钥 {} 已损坏（应为 64 位十六进制数字）：请从台账目录的备份中恢复该文件；\
                    若改用新密钥，办公室须重新登记本台账",
                "the store's signing key {} is damaged (it should hold 64 hex digits): restore the \
                    file from a copy of the store folder; with a new key the office would have to \
                    enrol this store again",
                path.display()
            ),
            KeyFault::Exposed { path, mode } => {
                let path = path.display();
                both!(
                    "台账的签名密钥 {path} 可被其他用户读写（权限 {mode:04o}）：请运行 `chmod 600 {path}` \
                    后重试",
                    "the store's signing key {path} is open to other users (permissions {mode:04o}): \
                    run `chmod 600 {path}` and try again"
                )
            }
            KeyFault::Io { path, words } => both!(
                "无法读写台账的签名密钥 {}（{words}）：请检查权限和磁盘空间",
                "cannot read or write the store's signing key {} ({words}): check the permissions \
                    and the disk space",
                path.display()
            ),
            KeyFault::NoRandomness { words } => both!(
                "操作系统未能提供生成密钥所需的随机数（{words}）：请重试",
                "the operating system gave no randomness to make a key ({words}): try again"
            ),
        }
    }
}
