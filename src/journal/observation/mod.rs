//! `journal::observation`: the changes in the estate a commander cares about, found by comparing
//! each snapshot with the picture before it, as [`Observation`]s for an
//! [`Entry::Observed`](super::Entry::Observed) line: an app's production health (with the failing
//! checks' names), a region's platform status (the worst Resource Health of its apps), a Traffic
//! Manager endpoint's enabled and monitor state, a Front Door origin's enabled state (ARM reports
//! no per-origin health), a geo-DR alias's role, a storage account's primary location and its
//! replication lag against the RPO, a queue's backlog against its threshold (the oldest message
//! against the RPO, as the console's timeline has it) and whether it is keeping up, draining or
//! not draining; and, on the apps the incident affects, each new deployment and swap.
//!
//! No flapping: a state change counts once it has held for two consecutive reads of its source,
//! and a flap back before then cancels it. Reads, not snapshots: the observer publishes a
//! snapshot on every source's refresh, so one health read is carried by several snapshots; two
//! snapshots carrying the same read (the same data time) are one sighting. The change is
//! stamped with the data time of its first read. Deployments and swaps are events, not states:
//! they cannot flap, so each is told when first seen. A state or history seen for the first time
//! is the picture, not a change (the declaration tells of what was failing when the console
//! started); data not read (yet) changes nothing.
//!
//! Pure: snapshots in, observations out; no clock, no I/O, no decision. It reads health checks'
//! names, states, locations, counts and times; never a setting's or key's value (it does not
//! look at settings or keys at all). Whether to journal what it finds (only while an incident is
//! open) is the runtime's call: it is fed every snapshot, calm or not, so the picture is known
//! when the incident starts.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

mod facts;

use facts::{Fact, facts};

use super::entry::{Observation, ObservationKind};
use crate::model::{AppState, Snapshot};

/// The picture the changes are measured against, moved on by each snapshot.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    /// Per state: what the picture holds, and a different state seen since.
    states: BTreeMap<String, Held>,
    /// Per app, once its deployment history was read: each deployment id seen, and whether it
    /// was in progress then.
    deployments: BTreeMap<String, BTreeMap<String, bool>>,
    /// Per app, once its site was read: the last swap ARM recorded.
    swaps: BTreeMap<String, Option<(DateTime<Utc>, String, String)>>,
}

#[derive(Debug, Clone)]
struct Held {
    value: String,
    pending: Option<Pending>,
}

#[derive(Debug, Clone)]
struct Pending {
    /// The different state as its first read showed it.
    first: Fact,
    /// The data time of the latest read showing it.
    last_at: DateTime<Utc>,
}

impl Watch {
    /// A watch that has seen nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the picture on with `snap`; returns what changed, oldest first. `affected` are the
    /// apps the incident affects: only their deployments and swaps are told.
    pub fn observe(&mut self, snap: &Snapshot, affected: &[String]) -> Vec<Observation> {
        let mut out = Vec::new();
        for fact in facts(snap) {
            if let Some(o) = self.state(fact) {
                out.push(o);
            }
        }
        for app in &snap.apps {
            let told = affected.contains(&app.name);
            let news = self.deployments(app, snap.taken_at);
            let swapped = self.swap(app);
            if told {
                out.extend(news);
                out.extend(swapped);
            }
        }
        out.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.subject.cmp(&b.subject)));
        out
    }

    fn state(&mut self, fact: Fact) -> Option<Observation> {
        let Some(held) = self.states.get_mut(&fact.key) else {
            // First seen: the picture, not a change.
            self.states.insert(
                fact.key.clone(),
                Held {
                    value: fact.value,
                    pending: None,
                },
            );
            return None;
        };
        if fact.value == held.value {
            // Back before it held: a flap, nothing to tell.
            held.pending = None;
            return None;
        }
        match &mut held.pending {
            Some(p) if p.first.value == fact.value => {
                if fact.at <= p.last_at {
                    // The same read, carried by another snapshot.
                    return None;
                }
                let first = p.first.clone();
                let from = std::mem::replace(&mut held.value, fact.value.clone());
                held.pending = None;
                Some(Observation {
                    kind: fact.kind,
                    at: first.at,
                    subject: fact.subject,
                    from: Some(from),
                    to: fact.value,
                    detail: fact.detail,
                })
            }
            _ => {
                held.pending = Some(Pending {
                    last_at: fact.at,
                    first: fact,
                });
                None
            }
        }
    }

    /// New deployments (and the end of one first seen in progress) on `app`.
    fn deployments(&mut self, app: &AppState, taken_at: DateTime<Utc>) -> Vec<Observation> {
        let Some(list) = app.deployments.get() else {
            return Vec::new();
        };
        let Some(seen) = self.deployments.get_mut(&app.name) else {
            // The first read of the history is the past, not news.
            let ids = list.iter().map(|d| (d.id.clone(), d.in_progress)).collect();
            self.deployments.insert(app.name.clone(), ids);
            return Vec::new();
        };
        let mut out = Vec::new();
        for d in list {
            let to = match seen.insert(d.id.clone(), d.in_progress) {
                None => format!(
                    "deployment {} to {}{} ({})",
                    d.version.as_deref().unwrap_or("of an unnamed version"),
                    d.slot,
                    d.deployer
                        .as_deref()
                        .or(d.author.as_deref())
                        .map(|w| format!(" by {w}"))
                        .unwrap_or_default(),
                    if d.in_progress {
                        "in progress"
                    } else {
                        &d.status
                    }
                ),
                Some(true) if !d.in_progress => format!(
                    "deployment {} to {} ended: {}",
                    d.version.as_deref().unwrap_or("of an unnamed version"),
                    d.slot,
                    d.status
                ),
                Some(_) => continue,
            };
            out.push(Observation {
                kind: ObservationKind::Deployment,
                at: d
                    .ended
                    .filter(|_| !d.in_progress)
                    .or(d.started)
                    .or(app.deployments.at)
                    .unwrap_or(taken_at),
                subject: app.name.clone(),
                from: None,
                to,
                detail: None,
            });
        }
        out
    }

    /// A new swap ARM recorded on `app`'s site.
    fn swap(&mut self, app: &AppState) -> Option<Observation> {
        let site = app.site.get()?;
        let Some(last) = self.swaps.get_mut(&app.name) else {
            self.swaps.insert(app.name.clone(), site.last_swap.clone());
            return None;
        };
        let now = site.last_swap.clone()?;
        if last.as_ref() == Some(&now) {
            return None;
        }
        *last = Some(now.clone());
        let (at, source, target) = now;
        Some(Observation {
            kind: ObservationKind::Swap,
            at,
            subject: app.name.clone(),
            from: None,
            to: format!("slot swap of {source} into {target}"),
            detail: None,
        })
    }
}

#[cfg(test)]
mod tests;
