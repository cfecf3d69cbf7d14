//! A store's card: the small JSON file a counsel hands the office so the office can enrol the
//! store. It names the store (its id and a name for people) and carries the public key its
//! bundles must be signed with. The same three fields name a bundle's sender.
//!
//! ```json
//! {
//!   "format": "counsel-log-card",
//!   "version": 1,
//!   "store": "01HZX3V9Q6W8E2R4T6Y8A0B2C4",
//!   "name": "张三的台账",
//!   "public_key": "<64 lowercase hex digits>"
//! }
//! ```

use ed25519_dalek::{PUBLIC_KEY_LENGTH, VerifyingKey};
use serde_json::{Map, Value, json};
use ulid::Ulid;

use crate::domain::Lang;

/// The `format` tag of a card file.
pub const CARD_FORMAT: &str = "counsel-log-card";

/// The card layout this build writes and the newest it reads.
pub const CARD_VERSION: u32 = 1;

/// The longest name a store may give itself, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// A store as other stores know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The store's id, made once when the store was created.
    pub store: Ulid,
    /// A name for people: whose store it is. One line, no control characters.
    pub name: String,
    /// The key the store's bundles are signed with.
    pub public_key: VerifyingKey,
}

/// Why a card file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum CardFault {
    /// The file is not JSON at all.
    NotJson,
    /// JSON, but without `"format": "counsel-log-card"` and a version.
    NotACard,
    /// Written by a newer counsel-log, in a layout this build does not know.
    Newer { found: u64 },
    /// One of the fields naming the store is missing or unusable.
    Identity(IdentityFault),
}

/// What is wrong with the fields that name a store (in a card, or as a bundle's sender).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum IdentityFault {
    /// The field `field` is absent or not a text.
    Missing { field: &'static str },
    /// The store id is not a ULID.
    StoreId,
    /// The public key is not 32 bytes written as 64 hex digits.
    KeyNotHex,
    /// 32 bytes, but not a point of the curve, or a weak (small-order) key that would accept
    /// forged signatures.
    KeyUnusable,
    /// The name is empty or only spaces.
    NameEmpty,
    /// The name is longer than [`MAX_NAME_CHARS`].
    NameTooLong { chars: usize },
    /// The name holds a control character (`code` its Unicode scalar value), which a terminal
    /// could act on and a person cannot see.
    NameControl { code: u32 },
}

impl Card {
    /// The card of store `store` called `name` (trimmed), whose bundles `public_key` verifies.
    pub fn new(store: Ulid, name: &str, public_key: &VerifyingKey) -> Result<Card, IdentityFault> {
        Ok(Card {
            store,
            name: check_name(name)?,
            public_key: *public_key,
        })
    }

    /// The card file: pretty JSON with a trailing newline, fields in a fixed order.
    pub fn to_json(&self) -> String {
        let mut card = Map::new();
        card.insert("format".into(), json!(CARD_FORMAT));
        card.insert("version".into(), json!(CARD_VERSION));
        if let Value::Object(fields) = self.sender_value() {
            card.extend(fields);
        }
        // `{:#}` is serde_json's pretty printing, which cannot fail on a value already built.
        format!("{:#}\n", Value::Object(card))
    }

    /// The store's fields as a bundle names its sender:
    /// `{"store": ULID, "name": …, "public_key": hex}`.
    pub fn sender_value(&self) -> Value {
        json!({
            "store": self.store.to_string(),
            "name": self.name,
            "public_key": hex::encode(self.public_key.as_bytes()),
        })
    }

    /// Reads a card file, refusing anything that is not a card this build can trust to name
    /// a store and its key.
    pub fn parse(bytes: &[u8]) -> Result<Card, CardFault> {
        let value: Value = serde_json::from_slice(bytes).map_err(|_| CardFault::NotJson)?;
        let fields = value.as_object().ok_or(CardFault::NotACard)?;
        if fields.get("format").and_then(Value::as_str) != Some(CARD_FORMAT) {
            return Err(CardFault::NotACard);
        }
        match fields.get("version").and_then(Value::as_u64) {
            None | Some(0) => return Err(CardFault::NotACard),
            Some(found) if found > u64::from(CARD_VERSION) => {
                return Err(CardFault::Newer { found });
            }
            Some(_) => {}
        }
        identity_of(fields).map_err(CardFault::Identity)
    }
}

/// The store named by `store`, `name` and `public_key` among `fields`.
pub(super) fn identity_of(fields: &Map<String, Value>) -> Result<Card, IdentityFault> {
    let text = |field: &'static str| {
        fields
            .get(field)
            .and_then(Value::as_str)
            .ok_or(IdentityFault::Missing { field })
    };
    let store = parse_store_id(text("store")?)?;
    let name = check_name(text("name")?)?;
    let public_key = parse_public_key(text("public_key")?)?;
    Ok(Card {
        store,
        name,
        public_key,
    })
}

/// A store id in its one written form: 26 Crockford base-32 digits (either case). The `ulid`
/// crate reads a first digit above 7 by dropping the bits that do not fit, so two texts would
/// name one store; the round trip refuses that.
fn parse_store_id(text: &str) -> Result<Ulid, IdentityFault> {
    let id = Ulid::from_string(text).map_err(|_| IdentityFault::StoreId)?;
    if id.to_string().eq_ignore_ascii_case(text) {
        Ok(id)
    } else {
        Err(IdentityFault::StoreId)
    }
}

/// A public key written as 64 hex digits, refused unless it can verify signatures safely.
fn parse_public_key(digits: &str) -> Result<VerifyingKey, IdentityFault> {
    let mut bytes = [0u8; PUBLIC_KEY_LENGTH];
    hex::decode_to_slice(digits, &mut bytes).map_err(|_| IdentityFault::KeyNotHex)?;
    let key = VerifyingKey::from_bytes(&bytes).map_err(|_| IdentityFault::KeyUnusable)?;
    if key.is_weak() {
        return Err(IdentityFault::KeyUnusable);
    }
    Ok(key)
}

/// A store's name, trimmed: one line of at most [`MAX_NAME_CHARS`] characters. Stricter than
/// the ledger's free text (`domain::model::check_text`), which allows line breaks and tabs:
/// a name is shown on one line in lists of peers.
pub fn check_name(name: &str) -> Result<String, IdentityFault> {
    let name = name.trim();
    if name.is_empty() {
        return Err(IdentityFault::NameEmpty);
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(IdentityFault::NameTooLong { chars });
    }
    // Bidirectional overrides would make the name read other than it is.
    // So are marks that take no room, which would let two names look alike.
    let hidden = |c: &char| {
        c.is_control()
            || crate::domain::model::is_bidi_override(*c)
            || matches!(
                c,
                '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
            )
    };
    if let Some(c) = name.chars().find(hidden) {
        return Err(IdentityFault::NameControl { code: u32::from(c) });
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::SigningKey;

    use super::*;

    const STORE: &str = "01HZX3V9Q6W8E2R4T6Y8A0B2C4";

    fn key(seed: u8) -> VerifyingKey {
        SigningKey::from_bytes(&[seed; 32]).verifying_key()
    }

    fn card() -> Card {
        Card::new(Ulid::from_string(STORE).unwrap(), " 张三的台账 ", &key(7)).unwrap()
    }

    /// The card's JSON with `field` set to `value` (or removed, for `Value::Null`).
    fn edited(field: &str, value: Value) -> Vec<u8> {
        let mut json: Value = serde_json::from_str(&card().to_json()).unwrap();
        let fields = json.as_object_mut().unwrap();
        if value.is_null() {
            fields.remove(field);
        } else {
            fields.insert(field.to_string(), value);
        }
        json.to_string().into_bytes()
    }

    #[test]
    fn a_card_reads_back_as_written() {
        let card = card();
        assert_eq!(card.name, "张三的台账");
        let json = card.to_json();
        assert!(json.ends_with("}\n"));
        let expected = format!(
            "{{\n  \"format\": \"counsel-log-card\",\n  \"version\": 1,\n  \"store\": \"{STORE}\",\n  \
             \"name\": \"张三的台账\",\n  \"public_key\": \"{}\"\n}}\n",
            hex::encode(key(7).as_bytes())
        );
        assert_eq!(json, expected);
        assert_eq!(Card::parse(json.as_bytes()).unwrap(), card);
    }

    #[test]
    fn a_card_with_more_fields_or_digits_in_the_other_case_still_reads() {
        let upper = hex::encode_upper(key(7).as_bytes());
        assert_eq!(
            Card::parse(&edited("public_key", json!(upper))).unwrap(),
            card()
        );
        assert_eq!(
            Card::parse(&edited("note", json!("later"))).unwrap(),
            card()
        );
    }

    #[test]
    fn what_is_not_a_card_is_refused() {
        assert_eq!(Card::parse(b"").unwrap_err(), CardFault::NotJson);
        assert_eq!(Card::parse(b"name,key\n").unwrap_err(), CardFault::NotJson);
        let half = card().to_json();
        let half = &half.as_bytes()[..half.len() / 2];
        assert_eq!(Card::parse(half).unwrap_err(), CardFault::NotJson);
        assert_eq!(Card::parse(b"[1,2]").unwrap_err(), CardFault::NotACard);
        let bundle = edited("format", json!("counsel-log-bundle"));
        assert_eq!(Card::parse(&bundle).unwrap_err(), CardFault::NotACard);
        assert_eq!(
            Card::parse(&edited("format", Value::Null)).unwrap_err(),
            CardFault::NotACard
        );
        for version in [Value::Null, json!(0), json!("1"), json!(-1), json!(1.5)] {
            let refused = Card::parse(&edited("version", version)).unwrap_err();
            assert_eq!(refused, CardFault::NotACard);
        }
    }

    #[test]
    fn a_newer_card_is_refused_naming_both_versions() {
        let refused = Card::parse(&edited("version", json!(2))).unwrap_err();
        assert_eq!(refused, CardFault::Newer { found: 2 });
        let words = refused.message(Lang::En);
        assert!(
            words.contains("version 2") && words.contains("up to version 1"),
            "{words}"
        );
        assert!(words.contains("update counsel-log"), "{words}");
    }

    #[test]
    fn a_card_with_a_bad_field_is_refused_naming_it() {
        let identity = |field: &str, value: Value| match Card::parse(&edited(field, value)) {
            Err(CardFault::Identity(fault)) => fault,
            other => panic!("{field}: {other:?}"),
        };
        let missing = |field| IdentityFault::Missing { field };
        assert_eq!(identity("store", Value::Null), missing("store"));
        assert_eq!(identity("name", json!(7)), missing("name"));
        assert_eq!(identity("public_key", Value::Null), missing("public_key"));
        for store in [
            "",
            "01HZX3V9Q6W8E2R4T6Y8A0B2C",
            "01HZX3V9Q6W8E2R4T6Y8A0B2CU",
            "8ZZZZZZZZZZZZZZZZZZZZZZZZZ",
        ] {
            assert_eq!(
                identity("store", json!(store)),
                IdentityFault::StoreId,
                "{store}"
            );
        }
        let hex_key = hex::encode(key(7).as_bytes());
        for not_hex in [
            &hex_key[..62],
            &format!("{hex_key}00"),
            &hex_key.replace('a', "g"),
            "",
        ] {
            assert_eq!(
                identity("public_key", json!(not_hex)),
                IdentityFault::KeyNotHex
            );
        }
        // y = 2: no point of the curve has it.
        let off_curve = format!("02{}", "00".repeat(31));
        assert_eq!(
            identity("public_key", json!(off_curve)),
            IdentityFault::KeyUnusable
        );
        // The neutral point: a weak key, for which forged signatures verify.
        let weak = format!("01{}", "00".repeat(31));
        assert_eq!(
            identity("public_key", json!(weak)),
            IdentityFault::KeyUnusable
        );
    }

    #[test]
    fn a_card_name_must_be_one_short_visible_line() {
        let name_fault = |name: &str| match Card::parse(&edited("name", json!(name))) {
            Err(CardFault::Identity(fault)) => fault,
            other => panic!("{name:?}: {other:?}"),
        };
        assert_eq!(name_fault(""), IdentityFault::NameEmpty);
        assert_eq!(name_fault(" \u{3000} "), IdentityFault::NameEmpty);
        let long = "律".repeat(MAX_NAME_CHARS + 1);
        let chars = MAX_NAME_CHARS + 1;
        assert_eq!(name_fault(&long), IdentityFault::NameTooLong { chars });
        assert_eq!(name_fault("a\nb"), IdentityFault::NameControl { code: 10 });
        assert_eq!(name_fault("a\tb"), IdentityFault::NameControl { code: 9 });
        assert_eq!(
            name_fault("a\u{1b}[2Jb"),
            IdentityFault::NameControl { code: 0x1b }
        );
        let longest = "律".repeat(MAX_NAME_CHARS);
        assert_eq!(
            Card::parse(&edited("name", json!(longest))).unwrap().name,
            longest
        );
        let made = Card::new(Ulid::nil(), "a\u{7f}", &key(1));
        assert_eq!(made.unwrap_err(), IdentityFault::NameControl { code: 0x7f });
    }

    #[test]
    fn every_refusal_says_what_to_do_in_both_languages() {
        let faults = [
            CardFault::NotJson,
            CardFault::NotACard,
            CardFault::Newer { found: 3 },
            CardFault::Identity(IdentityFault::KeyNotHex),
        ];
        for fault in faults {
            let (zh, en) = (fault.message(Lang::Zh), fault.message(Lang::En));
            assert!(en.contains("counsel-log"), "{en}");
            assert!(zh.contains("counsel-log"), "{zh}");
            assert_ne!(zh, en);
        }
    }
}
