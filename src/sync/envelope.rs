//! The signed file a store sends: one JSON document holding the bundle's body exactly as it was
//! signed, its SHA-256 and its ed25519 signature.
//!
//! ```json
//! {"bundle":BODY,"sha256":"<64 lowercase hex>","signature":"<128 lowercase hex>"}
//! ```
//!
//! The checksum and the signature cover BODY's bytes exactly as they stand in the file, from its
//! opening `{` to its closing `}`: the body is read back as a raw slice, never parsed and
//! written again, so no difference in number or escape formatting between writer and reader
//! can break a good signature. The checksum tells a damaged or edited file apart from a bad
//! signature. BODY opens with a header every version keeps:
//! `"format": "counsel-log-bundle"`, `"version": N`, and
//! `"sender": {"store": ULID, "name": …, "public_key": hex}`; the rest is the caller's.

use ed25519_dalek::{SIGNATURE_LENGTH, Signature, Signer, SigningKey, VerifyingKey};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use ulid::Ulid;

use super::card::{Card, IdentityFault, identity_of};
use crate::domain::Lang;

/// The `format` tag in a bundle's body.
pub const BUNDLE_FORMAT: &str = "counsel-log-bundle";

/// The bundle layout this build writes and the newest it reads.
pub const BUNDLE_VERSION: u32 = 1;

/// Why a bundle file cannot be trusted or read. Nothing is imported from a refused file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub enum EnvelopeFault {
    /// The file is not JSON; `line` and `column` say where it stops being JSON.
    NotJson { line: usize, column: usize },
    /// JSON, but not a counsel-log bundle: not the envelope, or a body without the bundle's
    /// `format` tag and version.
    NotABundle,
    /// The JSON ends early: the file of `bytes` bytes was cut off in copying or sending.
    Truncated { bytes: usize },
    /// The body's checksum does not match it, or the checksum or signature field is not
    /// what `seal` writes: the file was damaged or edited after it was written.
    Damaged,
    /// Written by a newer counsel-log, in a layout this build does not know.
    Newer { found: u64 },
    /// The body's `sender` does not name a store properly.
    Sender(IdentityFault),
    /// The signature does not match the body and the sender's key.
    BadSignature,
    /// The sender's key is not the one on the card enrolled for its store `store`.
    KeyDiffers { store: Ulid },
}

/// A bundle file opened and checked for damage, not yet for its signer: call
/// [`Sealed::verify`] with the enrolled key before trusting anything in [`Sealed::body`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed<'a> {
    body: &'a str,
    version: u32,
    sender: Card,
    checksum: String,
    signature: Signature,
}

/// The envelope as it stands in the file; `bundle` borrows the body's exact bytes.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    bundle: &'a RawValue,
    sha256: String,
    signature: String,
}

/// The part of a body every version keeps; the rest is skipped.
#[derive(Deserialize)]
struct Header {
    format: Option<Value>,
    version: Option<Value>,
    sender: Option<Value>,
}

/// The bundle file for `body_json` (one JSON object, as `serde_json` writes it), signed with
/// `key`. Whitespace around the object is left out, since the file cannot keep it as part of
/// the body.
pub fn seal(body_json: &str, key: &SigningKey) -> String {
    let body = body_json.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    let signature = key.sign(body.as_bytes());
    format!(
        "{{\"bundle\":{body},\"sha256\":\"{}\",\"signature\":\"{}\"}}\n",
        sha256_hex(body),
        hex::encode(signature.to_bytes())
    )
}

/// Opens a bundle file: checks that it is whole and unaltered since it was written, and reads
/// its header. Its signer is checked by [`Sealed::verify`].
pub fn open(bytes: &[u8]) -> Result<Sealed<'_>, EnvelopeFault> {
    let envelope: Envelope<'_> = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() {
            EnvelopeFault::Truncated { bytes: bytes.len() }
        } else if e.is_data() {
            EnvelopeFault::NotABundle
        } else {
            EnvelopeFault::NotJson {
                line: e.line(),
                column: e.column(),
            }
        }
    })?;
    let body = envelope.bundle.get();
    let checksum = sha256_hex(body);
    if envelope.sha256 != checksum {
        return Err(EnvelopeFault::Damaged);
    }
    let signature = parse_signature(&envelope.signature).ok_or(EnvelopeFault::Damaged)?;
    let (version, sender) = read_header(body)?;
    Ok(Sealed {
        body,
        version,
        sender,
        checksum,
        signature,
    })
}

impl Sealed<'_> {
    /// Checks that the bundle was signed by the store enrolled with `expected`: the sender's
    /// key must be that key, and the signature must be that key's over the body.
    pub fn verify(&self, expected: &VerifyingKey) -> Result<(), EnvelopeFault> {
        if self.sender.public_key != *expected {
            return Err(EnvelopeFault::KeyDiffers {
                store: self.sender.store,
            });
        }
        // Strict: refuses weak keys and the second, altered form every signature has.
        expected
            .verify_strict(self.body.as_bytes(), &self.signature)
            .map_err(|_| EnvelopeFault::BadSignature)
    }

    /// The body's JSON exactly as signed, for the caller to read once verified.
    pub fn body(&self) -> &str {
        self.body
    }

    /// The body's layout version: 1 up to [`BUNDLE_VERSION`].
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The sender as the body names it: look up the enrolled card by `sender().store`.
    pub fn sender(&self) -> &Card {
        &self.sender
    }

    /// The body's SHA-256 in hex: the same file sent twice has the same checksum.
    pub fn checksum(&self) -> &str {
        &self.checksum
    }
}

fn sha256_hex(body: &str) -> String {
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// A signature exactly as `seal` writes it: 128 lowercase hex digits. Upper case is refused
/// so that no edit of the file, however small, leaves it readable.
fn parse_signature(digits: &str) -> Option<Signature> {
    if !digits
        .bytes()
        .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return None;
    }
    let mut bytes = [0u8; SIGNATURE_LENGTH];
    hex::decode_to_slice(digits, &mut bytes).ok()?;
    Some(Signature::from_bytes(&bytes))
}

/// The version and sender in a body whose checksum matched.
fn read_header(body: &str) -> Result<(u32, Card), EnvelopeFault> {
    if !body.starts_with('{') {
        return Err(EnvelopeFault::NotABundle);
    }
    let header: Header = serde_json::from_str(body).map_err(|_| EnvelopeFault::NotABundle)?;
    if header.format.as_ref().and_then(Value::as_str) != Some(BUNDLE_FORMAT) {
        return Err(EnvelopeFault::NotABundle);
    }
    let found = header.version.as_ref().and_then(Value::as_u64);
    let found = found.filter(|v| *v > 0).ok_or(EnvelopeFault::NotABundle)?;
    let version = u32::try_from(found)
        .ok()
        .filter(|v| *v <= BUNDLE_VERSION)
        .ok_or(EnvelopeFault::Newer { found })?;
    let sender = header.sender.as_ref().and_then(Value::as_object);
    let sender = sender.ok_or(EnvelopeFault::Sender(IdentityFault::Missing {
        field: "sender",
    }))?;
    let sender = identity_of(sender).map_err(EnvelopeFault::Sender)?;
    Ok((version, sender))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const STORE: &str = "01HZX3V9Q6W8E2R4T6Y8A0B2C4";

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn card_of(key: &SigningKey) -> Card {
        let store = Ulid::from_string(STORE).unwrap();
        Card::new(store, "张三的台账", &key.verifying_key()).unwrap()
    }

    /// A small body as a bundle writer would make it, naming `sender` at `version`.
    fn body(sender: &Card, version: u64) -> String {
        json!({
            "format": BUNDLE_FORMAT,
            "version": version,
            "sender": sender.sender_value(),
            "written": "2024-03-05T10:00:00+08:00",
            "entries": [{"gid": "01HZX3V9Q6W8E2R4T6Y8A0B2C5", "rev": 2, "minutes": 90,
                         "note": "合同审核 \"甲\"\n", "advisor": "A014"}],
        })
        .to_string()
    }

    /// What opening and verifying `file` against the key of `enrolled` gives.
    fn check(file: &[u8], enrolled: &SigningKey) -> Result<(), EnvelopeFault> {
        open(file)?.verify(&enrolled.verifying_key())
    }

    #[test]
    fn a_sealed_bundle_opens_with_its_exact_body_and_sender() {
        let key = key(1);
        let body = body(&card_of(&key), 1);
        let file = seal(&body, &key);
        assert!(file.starts_with("{\"bundle\":{") && file.ends_with("}\n"));
        let sealed = open(file.as_bytes()).unwrap();
        sealed.verify(&key.verifying_key()).unwrap();
        assert_eq!(sealed.body(), body);
        assert_eq!(sealed.version(), 1);
        assert_eq!(sealed.sender(), &card_of(&key));
        assert_eq!(
            sealed.checksum(),
            hex::encode(Sha256::digest(body.as_bytes()))
        );
    }

    #[test]
    fn whitespace_around_the_body_and_in_the_envelope_changes_nothing() {
        let key = key(1);
        let body = body(&card_of(&key), 1);
        let file = seal(&format!("\n  {body}\n"), &key);
        let sealed = open(file.as_bytes()).unwrap();
        assert_eq!(sealed.body(), body);
        sealed.verify(&key.verifying_key()).unwrap();
        // Reformatted by hand outside the body, the file still holds the same signed bytes.
        let spaced = file
            .replacen("{\"bundle\":", "{\n  \"bundle\": ", 1)
            .replacen(",\"sha256\":", ",\n  \"sha256\" : ", 1);
        check(spaced.as_bytes(), &key).unwrap();
    }

    #[test]
    fn a_body_written_with_other_spacing_verifies_as_it_stands() {
        let key = key(1);
        let value: Value = serde_json::from_str(&body(&card_of(&key), 1)).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let file = seal(&pretty, &key);
        let sealed = open(file.as_bytes()).unwrap();
        assert_eq!(sealed.body(), pretty);
        sealed.verify(&key.verifying_key()).unwrap();
    }

    #[test]
    fn every_single_bit_flipped_anywhere_in_the_file_is_refused() {
        let key = key(1);
        let file = seal(&body(&card_of(&key), 1), &key).into_bytes();
        for at in 0..file.len() {
            for bit in 0..8 {
                let mut edited = file.clone();
                edited[at] ^= 1 << bit;
                let result = check(&edited, &key);
                assert!(result.is_err(), "byte {at} bit {bit} passed: {result:?}");
            }
        }
    }

    #[test]
    fn any_other_byte_anywhere_in_the_body_is_refused() {
        let key = key(1);
        let body = body(&card_of(&key), 1);
        let file = seal(&body, &key).into_bytes();
        let start = "{\"bundle\":".len();
        let end = start + body.len();
        assert_eq!(&file[start..end], body.as_bytes());
        for at in start..end {
            for value in [
                b' ',
                b'0',
                b'a',
                b'"',
                b'}',
                0,
                0xff,
                file[at].wrapping_add(1),
            ] {
                if value == file[at] {
                    continue;
                }
                let mut edited = file.clone();
                edited[at] = value;
                assert!(check(&edited, &key).is_err(), "byte {at} as {value} passed");
            }
        }
    }

    #[test]
    fn a_body_edited_with_care_is_refused_as_damaged_or_badly_signed() {
        let key = key(1);
        let file = seal(&body(&card_of(&key), 1), &key);
        let edited = file.replacen("\"minutes\":90", "\"minutes\":99", 1);
        assert_ne!(edited, file);
        assert_eq!(check(edited.as_bytes(), &key), Err(EnvelopeFault::Damaged));
        // The editor also wrote the checksum of the edited body: the signature catches it.
        let envelope: Value = serde_json::from_str(&edited).unwrap();
        let new_body = envelope["bundle"].to_string();
        let old_sum = sha256_hex(&body(&card_of(&key), 1));
        let resummed = edited.replacen(&old_sum, &sha256_hex(&new_body), 1);
        assert_eq!(
            check(resummed.as_bytes(), &key),
            Err(EnvelopeFault::BadSignature)
        );
    }

    #[test]
    fn a_cut_off_file_is_refused_as_truncated_at_every_length() {
        let key = key(1);
        let file = seal(&body(&card_of(&key), 1), &key).into_bytes();
        // Up to the closing brace; without only the final newline it is the same document.
        for len in 0..file.len() - 1 {
            let refused = open(&file[..len]).unwrap_err();
            assert_eq!(refused, EnvelopeFault::Truncated { bytes: len }, "at {len}");
        }
    }

    #[test]
    fn a_signature_by_another_key_is_refused() {
        let (enrolled, other) = (key(1), key(2));
        // Signed by another key while naming the enrolled store's key as its sender.
        let forged = seal(&body(&card_of(&enrolled), 1), &other);
        assert_eq!(
            check(forged.as_bytes(), &enrolled),
            Err(EnvelopeFault::BadSignature)
        );
        // Signed by another key that names itself: not the key on the enrolled card.
        let other_store = seal(&body(&card_of(&other), 1), &other);
        let store = Ulid::from_string(STORE).unwrap();
        let refused = check(other_store.as_bytes(), &enrolled);
        assert_eq!(refused, Err(EnvelopeFault::KeyDiffers { store }));
        check(other_store.as_bytes(), &other).unwrap();
    }

    #[test]
    fn a_signature_field_not_as_seal_writes_it_is_refused_as_damaged() {
        let key = key(1);
        let file = seal(&body(&card_of(&key), 1), &key);
        let envelope: Value = serde_json::from_str(&file).unwrap();
        let signature = envelope["signature"].as_str().unwrap();
        let upper = file.replacen(signature, &signature.to_uppercase(), 1);
        assert_eq!(open(upper.as_bytes()).unwrap_err(), EnvelopeFault::Damaged);
        let short = file.replacen(signature, &signature[2..], 1);
        assert_eq!(open(short.as_bytes()).unwrap_err(), EnvelopeFault::Damaged);
    }

    #[test]
    fn a_newer_bundle_is_refused_naming_both_versions() {
        let key = key(1);
        for found in [2, u64::from(u32::MAX) + 1] {
            let file = seal(&body(&card_of(&key), found), &key);
            let refused = open(file.as_bytes()).unwrap_err();
            assert_eq!(refused, EnvelopeFault::Newer { found });
            let en = refused.message(Lang::En);
            assert!(en.contains(&format!("version {found}")), "{en}");
            assert!(
                en.contains("up to version 1") && en.contains("update counsel-log"),
                "{en}"
            );
            let zh = refused.message(Lang::Zh);
            assert!(zh.contains(&found.to_string()) && zh.contains("1"), "{zh}");
        }
    }

    #[test]
    fn what_is_not_a_bundle_is_refused_as_such() {
        let key = key(1);
        assert!(matches!(
            open(b"date,advisor\n"),
            Err(EnvelopeFault::NotJson { line: 1, .. })
        ));
        let card = card_of(&key).to_json();
        assert_eq!(
            open(card.as_bytes()).unwrap_err(),
            EnvelopeFault::NotABundle
        );
        assert_eq!(open(b"[1]").unwrap_err(), EnvelopeFault::NotABundle);
        let sealed_body = |body: Value| seal(&body.to_string(), &key);
        let mut wrong: Vec<Value> = vec![json!([1, 2]), json!({"format": "counsel-log-card"})];
        for version in [Value::Null, json!(0), json!("1"), json!(-1)] {
            let mut body: Value = serde_json::from_str(&body(&card_of(&key), 1)).unwrap();
            body["version"] = version;
            wrong.push(body);
        }
        for body in wrong {
            let refused = open(sealed_body(body.clone()).as_bytes()).unwrap_err();
            assert_eq!(refused, EnvelopeFault::NotABundle, "{body}");
        }
        let mut trailing = seal(&body(&card_of(&key), 1), &key).into_bytes();
        trailing.extend_from_slice(b"{}");
        assert!(matches!(
            open(&trailing),
            Err(EnvelopeFault::NotJson { .. })
        ));
    }

    #[test]
    fn a_body_without_a_proper_sender_is_refused_naming_the_field() {
        let key = key(1);
        let mut body: Value = serde_json::from_str(&body(&card_of(&key), 1)).unwrap();
        body["sender"]["public_key"] = json!("beef");
        let file = seal(&body.to_string(), &key);
        let refused = open(file.as_bytes()).unwrap_err();
        assert_eq!(refused, EnvelopeFault::Sender(IdentityFault::KeyNotHex));
        body.as_object_mut().unwrap().remove("sender");
        let file = seal(&body.to_string(), &key);
        let missing = IdentityFault::Missing { field: "sender" };
        assert_eq!(
            open(file.as_bytes()).unwrap_err(),
            EnvelopeFault::Sender(missing)
        );
    }

    #[test]
    fn every_refusal_says_what_to_do_in_both_languages() {
        let store = Ulid::from_string(STORE).unwrap();
        let faults = [
            EnvelopeFault::NotJson { line: 1, column: 2 },
            EnvelopeFault::NotABundle,
            EnvelopeFault::Truncated { bytes: 10 },
            EnvelopeFault::Damaged,
            EnvelopeFault::Newer { found: 2 },
            EnvelopeFault::Sender(IdentityFault::StoreId),
            EnvelopeFault::BadSignature,
            EnvelopeFault::KeyDiffers { store },
        ];
        for fault in faults {
            let (zh, en) = (fault.message(Lang::Zh), fault.message(Lang::En));
            assert!(en.contains("nothing was imported"), "{en}");
            assert!(zh.contains("未导入任何内容"), "{zh}");
        }
    }
}
