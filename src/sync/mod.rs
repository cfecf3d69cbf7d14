//! The team's ledger: who a store is (its card), the signed files stores send each other
//! (bundles), and merging them by revision. Above the store: it reads and writes through
//! `Store`'s API, never sled.

mod bundle;
mod card;
mod envelope;
mod messages;

pub use bundle::{
    Body, BundleFault, Checked, Counts, Since, Written, card, check, import, import_in_parts, write,
};
pub use card::{
    CARD_FORMAT, CARD_VERSION, Card, CardFault, IdentityFault, MAX_NAME_CHARS, check_name,
};
pub use envelope::{BUNDLE_FORMAT, BUNDLE_VERSION, EnvelopeFault, Sealed, open, seal};
