//! Who is missing from a period: the active advisors who logged nothing in it, and the stores
//! enrolled here whose last bundle is late. `counsel-log missing` prints it; the Team screen
//! shows the same sources and lateness beside its ranking, so both say the same thing.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::domain::{Advisor, Period};
use crate::store::{Peer, Result, Store};

/// The day a peer's newest bundle was merged here: when the office last heard from it, by the
/// office's own clock (the sender's clock may be wrong, and a bundle written long ago and sent
/// late is not news to the office until it arrives).
pub fn last_bundle(peer: &Peer) -> Option<NaiveDate> {
    peer.last.as_ref().map(|r| r.at.date_naive())
}

/// Whole days from `date` to `today`; a date after today (another clock) counts as today.
pub fn days_since(date: NaiveDate, today: NaiveDate) -> u64 {
    u64::try_from((today - date).num_days()).unwrap_or(0)
}

/// A peer's last bundle, how long ago it came, and whether that is late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lateness {
    /// `None` when it never sent one.
    pub last_bundle: Option<NaiveDate>,
    pub days: Option<u64>,
    /// Never sent one, or the last is older than the days allowed.
    pub late: bool,
}

impl Lateness {
    pub fn of(peer: &Peer, today: NaiveDate, late_after_days: u32) -> Lateness {
        let last_bundle = last_bundle(peer);
        let days = last_bundle.map(|d| days_since(d, today));
        Lateness {
            last_bundle,
            days,
            late: days.is_none_or(|d| d > u64::from(late_after_days)),
        }
    }
}

/// The stores enrolled here, and which of them speaks for each advisor.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    peers: Vec<Peer>,
    /// Advisor id → index in `peers`.
    by_advisor: HashMap<String, usize>,
}

impl Sources {
    pub fn read(store: &Store) -> Result<Sources> {
        Ok(Sources::new(store.peers()?))
    }

    /// When several peers speak for one advisor, the one heard from most recently is their
    /// source (then the first by name): it is the one whose work arrived last.
    pub fn new(peers: Vec<Peer>) -> Sources {
        let mut by_advisor: HashMap<String, usize> = HashMap::new();
        for (i, peer) in peers.iter().enumerate() {
            for id in &peer.advisors {
                let newer = by_advisor
                    .get(id)
                    .is_none_or(|&j| last_bundle(peer) > last_bundle(&peers[j]));
                if newer {
                    by_advisor.insert(id.clone(), i);
                }
            }
        }
        Sources { peers, by_advisor }
    }

    /// No store is enrolled here: this is not an office that gathers bundles.
    pub fn is_empty(&self) -> bool {
        self.peers.is_empty()
    }

    /// Every enrolled peer, by name.
    pub fn peers(&self) -> &[Peer] {
        &self.peers
    }

    /// The peer that speaks for an advisor; `None` when their work is logged in this store.
    pub fn of(&self, advisor: &str) -> Option<&Peer> {
        self.by_advisor.get(advisor).map(|&i| &self.peers[i])
    }

    /// How many peers are late.
    pub fn late(&self, today: NaiveDate, late_after_days: u32) -> usize {
        self.peers
            .iter()
            .filter(|p| Lateness::of(p, today, late_after_days).late)
            .count()
    }
}

/// An active advisor who logged nothing in the period, and who speaks for them.
#[derive(Debug, Clone)]
pub struct MissingAdvisor {
    pub advisor: Advisor,
    /// The name of the peer that speaks for them, if one does.
    pub peer: Option<String>,
    pub last_bundle: Option<NaiveDate>,
}

/// A peer whose last bundle is late, or that never sent one.
#[derive(Debug, Clone)]
pub struct LatePeer {
    pub peer: Peer,
    pub lateness: Lateness,
}

/// Who is missing from a period, as of `today`.
#[derive(Debug, Clone)]
pub struct Missing {
    pub period: Period,
    pub late_after_days: u32,
    /// Active advisors on the roster.
    pub active: usize,
    /// By category, then id.
    pub advisors: Vec<MissingAdvisor>,
    /// Peers enrolled here.
    pub enrolled: usize,
    /// Those that never sent a bundle first, then the longest silent.
    pub peers: Vec<LatePeer>,
}

impl Missing {
    pub fn gather(
        store: &Store,
        period: Period,
        today: NaiveDate,
        late_after_days: u32,
    ) -> Result<Missing> {
        let mut logged: HashSet<String> = HashSet::new();
        match store.counts(period)? {
            Some(counts) => logged.extend(
                counts
                    .groups
                    .get(&crate::domain::GroupBy::Advisor)
                    .into_iter()
                    .flat_map(|rows| rows.keys().cloned()),
            ),
            None => store.for_each_fact(period, |f| {
                if !logged.contains(&f.advisor) {
                    logged.insert(f.advisor.clone());
                }
            })?,
        }
        let sources = Sources::read(store)?;
        let roster = store.advisors()?;
        let active = roster.values().filter(|a| a.active).count();
        let mut advisors: Vec<MissingAdvisor> = roster
            .into_values()
            .filter(|a| a.active && !logged.contains(&a.id))
            .map(|advisor| {
                let peer = sources.of(&advisor.id);
                MissingAdvisor {
                    peer: peer.map(|p| p.name.clone()),
                    last_bundle: peer.and_then(last_bundle),
                    advisor,
                }
            })
            .collect();
        advisors.sort_by(|a, b| {
            (a.advisor.category, &a.advisor.id).cmp(&(b.advisor.category, &b.advisor.id))
        });
        let mut peers: Vec<LatePeer> = sources
            .peers()
            .iter()
            .map(|p| LatePeer {
                peer: p.clone(),
                lateness: Lateness::of(p, today, late_after_days),
            })
            .filter(|l| l.lateness.late)
            .collect();
        // Never having sent a bundle is the longest silence of all.
        peers.sort_by(|a, b| {
            let silent = |l: &LatePeer| l.lateness.days.unwrap_or(u64::MAX);
            silent(b)
                .cmp(&silent(a))
                .then_with(|| a.peer.name.cmp(&b.peer.name))
        });
        Ok(Missing {
            period,
            late_after_days,
            active,
            advisors,
            enrolled: sources.peers().len(),
            peers,
        })
    }

    /// The JSON `missing --format json` prints (a contract: see the README).
    pub fn to_json(&self) -> Value {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        let advisors: Vec<Value> = self
            .advisors
            .iter()
            .map(|m| {
                json!({
                    "id": m.advisor.id,
                    "name": m.advisor.name,
                    "category": m.advisor.category.code(),
                    "unit": m.advisor.unit,
                    "peer": m.peer,
                    "last_bundle": date(m.last_bundle),
                })
            })
            .collect();
        let peers: Vec<Value> = self
            .peers
            .iter()
            .map(|l| {
                json!({
                    "store": l.peer.store.to_string(),
                    "name": l.peer.name,
                    "advisors": l.peer.advisors,
                    "last_bundle": date(l.lateness.last_bundle),
                    "days": l.lateness.days,
                })
            })
            .collect();
        json!({
            "period": {"from": self.period.from.to_string(), "to": self.period.to.to_string()},
            "late_after_days": self.late_after_days,
            "advisors": advisors,
            "peers": peers,
        })
    }
}
