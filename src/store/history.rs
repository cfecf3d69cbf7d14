//! An entry's history as the store knows it: where it came from, its revision, the change that
//! last wrote it here, what it was as logged, and every correction of it.

use chrono::{DateTime, FixedOffset};

use super::ident::Kind;
use super::shared::Correction;
use super::{AuditAction, Rejection, Result, Store, Unreadable, codec, keys};
use crate::domain::{Entry, EntryId};

/// What `history ENTRY` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryHistory {
    /// The entry as the figures count it.
    pub counted: Entry,
    /// The entry as its origin logged it (its latest revision).
    pub logged: Entry,
    /// The store that created it, by name, when it is not this one.
    pub origin: Option<String>,
    pub revision: u64,
    /// The change that last wrote it here: when, who and what.
    pub last_change: Option<(DateTime<FixedOffset>, String, AuditAction)>,
    /// Its corrections, oldest first (the newest counts), each with the store that made it
    /// when that is not this one.
    pub corrections: Vec<(Correction, Option<String>)>,
}

impl Store {
    pub fn entry_history(&self, id: EntryId) -> Result<EntryHistory> {
        let counted = self.entry(id)?.ok_or(Rejection::EntryGone(id))?;
        let logged = self.original_entry(id)?;
        let Some((gid, ident)) = self.ident_of(Kind::Entry, &keys::id_key(id.0))? else {
            return Err(self.unreadable(Unreadable::Identity));
        };
        let origin = if ident.origin == self.me {
            None
        } else {
            Some(self.store_name_of(ident.origin)?)
        };
        let last_change = match self
            .trees
            .audit
            .get(keys::id_key(ident.seq))
            .map_err(|e| self.err(e))?
        {
            Some(v) => {
                codec::decode_json::<super::AuditRecord>(&v).map(|r| (r.at, r.who, r.action))
            }
            None => None,
        };
        let mut corrections = Vec::new();
        for (cid, c) in self.corrections_by_id(gid)? {
            if c.advisor != logged.advisor {
                continue;
            }
            let made_at = match self.ident_by_gid(cid)? {
                Some(id) if id.origin != self.me => Some(self.store_name_of(id.origin)?),
                _ => None,
            };
            corrections.push((c, made_at));
        }
        Ok(EntryHistory {
            counted,
            logged,
            origin,
            revision: ident.rev,
            last_change,
            corrections,
        })
    }
}

/// Where an entry shown on screen came from and whether a correction changed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The store that created it, by name, when it is not this one.
    pub origin: Option<String>,
    /// What it was as logged, when a correction changed what is counted.
    pub logged: Option<crate::domain::Minutes>,
}

impl Store {
    /// True when the store holds anything of a team: enrolled peers or corrections. Only then
    /// is an entry's provenance worth looking up.
    pub fn has_team_records(&self) -> Result<bool> {
        let peers = self.trees.peers.first().map_err(|e| self.err(e))?;
        let corrections = self.trees.corrections.first().map_err(|e| self.err(e))?;
        Ok(peers.is_some() || corrections.is_some())
    }

    /// Where entry `entry` came from and what it was as logged, when it was corrected.
    pub fn provenance(&self, entry: &Entry) -> Result<Provenance> {
        let Some((gid, ident)) = self.ident_of(Kind::Entry, &keys::id_key(entry.id.0))? else {
            return Ok(Provenance::default());
        };
        let origin = if ident.origin == self.me {
            None
        } else {
            Some(self.store_name_of(ident.origin)?)
        };
        let logged = match self
            .trees
            .corrections
            .get(super::correct::original_row(gid))
            .map_err(|e| self.err(e))?
        {
            Some(v) => codec::decode_json::<Entry>(&v)
                .map(|e| e.minutes)
                .filter(|m| *m != entry.minutes),
            None => None,
        };
        Ok(Provenance { origin, logged })
    }
}
