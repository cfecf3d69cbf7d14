//! The topic and service-type catalogs, and the departments items have named.

use serde_json::json;

use super::{AuditAction, Rejection, Result, Stamp, Store, StoreError, Unreadable, codec};
use crate::domain::{Catalog, CatalogEntry, CatalogKind};

/// `kind NUL code`: one catalog is a prefix scan.
pub(super) fn catalog_key(kind: CatalogKind, code: &str) -> Vec<u8> {
    let mut k = kind.name().as_bytes().to_vec();
    k.push(0);
    k.extend_from_slice(code.as_bytes());
    k
}

/// Departments are remembered, once each, for completion in the form.
pub(super) fn department_key(name: &str) -> Vec<u8> {
    let mut k = DEPARTMENT_PREFIX.to_vec();
    k.extend_from_slice(name.as_bytes());
    k
}

pub(super) const DEPARTMENT_PREFIX: &[u8] = b"department\0";

impl Store {
    /// Adds a topic or service type of the user's own, in one audited transaction
    /// (`catalog.add`); one that clashes with an entry already there is refused.
    pub fn add_catalog_entry(
        &self,
        kind: CatalogKind,
        entry: &CatalogEntry,
        stamp: &Stamp,
    ) -> Result<()> {
        if let Err(e) = self.catalog(kind)?.check_new(entry) {
            return Err(StoreError::Rejected(Rejection::CatalogEntry(Box::new(e))));
        }
        self.commit(|tx| {
            let key = catalog_key(kind, &entry.code);
            tx.catalogs()
                .insert(key.as_slice(), codec::encode_json(entry))?;
            tx.touched(super::Kind::Catalog, &key)?;
            tx.audit(
                stamp,
                AuditAction::CatalogAdd,
                json!(null),
                json!({"kind": kind.name(), "entry": entry}),
            )
        })
    }

    /// The topic or service-type catalog: the shipped entries in their order, then the user's
    /// own by code.
    pub fn catalog(&self, kind: CatalogKind) -> Result<Catalog> {
        let mut prefix = kind.name().as_bytes().to_vec();
        prefix.push(0);
        let mut entries = Vec::new();
        for kv in self.trees.catalogs.scan_prefix(&prefix) {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            let e: CatalogEntry =
                codec::decode_json(&v).ok_or_else(|| self.unreadable(Unreadable::CatalogRecord))?;
            entries.push(e);
        }
        // Keep the shipped order (the order of the assets), then the user's additions by code.
        let defaults = kind.defaults();
        let rank = |code: &str| {
            defaults
                .entries
                .iter()
                .position(|d| d.code == code)
                .unwrap_or(usize::MAX)
        };
        entries.sort_by(|a, b| {
            rank(&a.code)
                .cmp(&rank(&b.code))
                .then_with(|| a.code.cmp(&b.code))
        });
        Ok(Catalog { kind, entries })
    }

    /// Every requesting department an item has named, in order.
    pub fn departments(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for kv in self.trees.catalogs.scan_prefix(DEPARTMENT_PREFIX) {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            out.push(String::from_utf8_lossy(&k[DEPARTMENT_PREFIX.len()..]).into_owned());
        }
        Ok(out)
    }
}
