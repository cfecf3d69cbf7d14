//! Every text of the team's ledger layer, in both languages side by side: why a card or a
//! bundle is refused, and what to do about it.

use super::card::{CARD_VERSION, CardFault, IdentityFault, MAX_NAME_CHARS};
use super::envelope::{BUNDLE_VERSION, EnvelopeFault};
use crate::domain::Lang;
use crate::domain::lang::Pair;

/// A text in both languages with the same values, Chinese first: `both!("…{n}…", "…{n}…")`.
macro_rules! both {
    ($zh:literal, $en:literal $(, $value:expr)* $(,)?) => {
        (format!($zh $(, $value)*), format!($en $(, $value)*))
    };
}

impl CardFault {
    /// Why the card cannot be used and what to do, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(self.both())
    }

    fn both(&self) -> Pair {
        match self {
            CardFault::NotJson => both!(
                "这不是 counsel-log 的台账名片（不是 JSON 文件）：请选用对方以 `counsel-log identity \
                    --out 文件` 写出的文件",
                "this is not a counsel-log card (it is not JSON): choose the file its store wrote \
                    with `counsel-log identity --out FILE`"
            ),
            CardFault::NotACard => both!(
                "这不是 counsel-log 的台账名片（没有 \"format\": \"counsel-log-card\" 及版本号）：\
                    请选用对方以 `counsel-log identity --out 文件` 写出的文件",
                "this is not a counsel-log card (it has no \"format\": \"counsel-log-card\" and \
                    version): choose the file its store wrote with `counsel-log identity --out \
                    FILE`"
            ),
            CardFault::Newer { found } => both!(
                "该名片为第 {found} 版格式，本版本 counsel-log 最高只能读取第 {CARD_VERSION} 版：\
                    请升级 counsel-log 后重试",
                "this card is format version {found}, and this counsel-log reads up to version \
                    {CARD_VERSION}: update counsel-log and try again"
            ),
            CardFault::Identity(fault) => {
                let (zh, en) = fault.both();
                both!(
                    "该名片无法使用：{zh}；请对方用 `counsel-log identity --out 文件` 重新写出名片",
                    "this card cannot be used: {en}; ask its store for a new one, written with \
                        `counsel-log identity --out FILE`"
                )
            }
        }
    }
}

impl IdentityFault {
    /// What is wrong with the fields naming a store, to follow "the card" or "the sender".
    pub fn message(&self, lang: Lang) -> String {
        lang.of(self.both())
    }

    fn both(&self) -> Pair {
        match self {
            IdentityFault::Missing { field } => {
                both!("缺少文本字段 \"{field}\"", "it has no \"{field}\" text")
            }
            IdentityFault::StoreId => both!(
                "台账编号不是 ULID（26 位字母和数字）",
                "its store id is not a ULID (26 letters and digits)"
            ),
            IdentityFault::KeyNotHex => both!(
                "公钥不是 64 位十六进制数字",
                "its public key is not 64 hex digits"
            ),
            IdentityFault::KeyUnusable => both!(
                "公钥不是可用的 ed25519 公钥",
                "its public key is not a usable ed25519 key"
            ),
            IdentityFault::NameEmpty => both!("名称为空", "its name is empty"),
            IdentityFault::NameTooLong { chars } => both!(
                "名称有 {chars} 个字符，超过 {MAX_NAME_CHARS} 个的上限",
                "its name has {chars} characters, over the limit of {MAX_NAME_CHARS}"
            ),
            IdentityFault::NameControl { code } => both!(
                "名称中含有不可见的控制字符（U+{code:04X}）",
                "its name holds an invisible control character (U+{code:04X})"
            ),
        }
    }
}

impl EnvelopeFault {
    /// Why the bundle is refused and what to do, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        lang.of(self.both())
    }

    fn both(&self) -> Pair {
        match self {
            EnvelopeFault::NotJson { line, column } => both!(
                "这不是 counsel-log 的数据包（第 {line} 行第 {column} 列起不是 JSON），未导入任何内容：\
                    请选用对方以 `counsel-log bundle --out 文件` 写出的文件",
                "this is not a counsel-log bundle (it stops being JSON at line {line}, column \
                    {column}); nothing was imported: choose the file written with `counsel-log \
                    bundle --out FILE`"
            ),
            EnvelopeFault::NotABundle => both!(
                "这不是 counsel-log 的数据包（没有 \"format\": \"counsel-log-bundle\" 及版本号），\
                    未导入任何内容：请选用对方以 `counsel-log bundle --out 文件` 写出的文件",
                "this is not a counsel-log bundle (it has no \"format\": \"counsel-log-bundle\" \
                    and version); nothing was imported: choose the file written with `counsel-log \
                    bundle --out FILE`"
            ),
            EnvelopeFault::Truncated { bytes } => both!(
                "数据包不完整（{bytes} 字节后中断），可能在复制或发送时被截断，未导入任何内容：\
                    请重新复制，或请对方重新发送",
                "the bundle ends early (after {bytes} bytes): it was cut off in copying or \
                    sending; nothing was imported: copy it again, or ask the sender to send it \
                    again"
            ),
            EnvelopeFault::Damaged => both!(
                "数据包在写出后被损坏或改动（校验和与内容不符），未导入任何内容：请对方重新发送",
                "the bundle was damaged or edited after it was written (its checksum does not \
                    match its contents); nothing was imported: ask the sender to send it again"
            ),
            EnvelopeFault::Newer { found } => both!(
                "该数据包为第 {found} 版格式，本版本 counsel-log 最高只能读取第 {BUNDLE_VERSION} 版，\
                    未导入任何内容：请升级 counsel-log 后再导入",
                "this bundle is format version {found}, and this counsel-log reads up to version \
                    {BUNDLE_VERSION}; nothing was imported: update counsel-log and import it again"
            ),
            EnvelopeFault::Sender(fault) => {
                let (zh, en) = fault.both();
                both!(
                    "数据包的发送方信息有误：{zh}；未导入任何内容：请对方用 counsel-log 重新写出数据包",
                    "the bundle's sender is malformed: {en}; nothing was imported: ask the sender \
                        to write the bundle again with counsel-log"
                )
            }
            EnvelopeFault::BadSignature => both!(
                "数据包的签名与其内容和发送方的密钥不符：它被改动过，或并非由登记的台账写出；\
                    未导入任何内容：请对方重新写出数据包，不要采信此文件",
                "the bundle's signature does not match its contents and the sender's key: it was \
                    altered, or not written by the enrolled store; nothing was imported: ask the \
                    sender for a new bundle and do not trust this file"
            ),
            EnvelopeFault::KeyDiffers { store } => both!(
                "数据包所用的密钥与台账 {store} 登记的名片不同，未导入任何内容：若该台账已重建\
                    （例如从备份恢复到新电脑），请取得其新名片后运行 counsel-log peer set {store} \
                    --card 新名片文件；否则不要采信此文件",
                "the bundle is signed with a key other than the one on the card enrolled for \
                    store {store}; nothing was imported: if that store was set up again (restored \
                    from a backup on a new machine, say), get its new card and run counsel-log \
                    peer set {store} --card NEW-CARD; otherwise do not trust this file"
            ),
        }
    }
}

impl super::BundleFault {
    /// Why the bundle was not written or taken in, and what to do, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        use super::BundleFault;
        let (zh, en) = match self {
            BundleFault::Envelope(fault) => return fault.message(lang),
            BundleFault::Store(e) => return e.message(lang),
            BundleFault::UnknownSender { store, name } => both!(
                "数据包来自未登记的台账“{name}”（{store}），未导入任何内容：如它确应代表某些顾问，\
                    请先用 counsel-log peer add 名片文件 --advisors … 登记它",
                "the bundle comes from a store nobody enrolled here, \"{name}\" ({store}); nothing \
                    was imported: if it does speak for some advisors, enrol it first with \
                    counsel-log peer add CARD --advisors …"
            ),
            BundleFault::EnrolledKeyUnusable { name } => both!(
                "登记的台账“{name}”的公钥无法使用，未导入任何内容：请取得其名片并重新登记",
                "the public key enrolled for \"{name}\" is unusable; nothing was imported: get its \
                    card and enrol it again"
            ),
            BundleFault::Malformed { what } => both!(
                "数据包签名无误，但内容的格式不对（{what}），未导入任何内容：请对方用同一版本的 \
                    counsel-log 重新写出",
                "the bundle is signed but its contents are not laid out as counsel-log writes them \
                    ({what}); nothing was imported: ask the sender to write it again with the same \
                    counsel-log version"
            ),
            BundleFault::CountsDiffer => both!(
                "数据包所记的条数与其内容不符，未导入任何内容：请对方重新写出数据包",
                "the bundle's counts disagree with what it holds; nothing was imported: ask the \
                    sender for a new bundle"
            ),
        };
        lang.of((zh, en))
    }
}
