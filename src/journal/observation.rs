//! `journal::observation`: the changes in the estate a commander cares about, found by comparing
//! each snapshot with the picture before it, as [`Observation`]s for an
//! [`Entry::Observed`](super::Entry::Observed) line: an app's production health (with the failing checks' names), a region's platform status
//! (the worst Resource Health of its apps), a Traffic Manager endpoint's or Front Door origin's
//! enabled and monitor state, a geo-DR alias's role, a storage account's primary location and its
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

use chrono::{DateTime, Duration, Utc};

use super::entry::{Observation, ObservationKind};
use crate::model::observed::short_age;
use crate::model::{AppState, Health, Observed, QueueState, Snapshot};

/// A queue whose oldest message is younger than this is keeping up.
const KEEPING_UP: Duration = Duration::minutes(1);
/// A queue whose oldest message is not known (Service Bus) keeps up while it holds fewer
/// messages than this.
const SMALL_QUEUE: u64 = 100;
/// How many of a queue's latest reads its trend (draining or not) is taken over.
const TREND_READS: usize = 4;

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

/// One state read from a snapshot.
#[derive(Debug, Clone)]
struct Fact {
    key: String,
    kind: ObservationKind,
    subject: String,
    value: String,
    detail: Option<String>,
    at: DateTime<Utc>,
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
            let swap = self.swap(app);
            if told {
                out.extend(news);
                out.extend(swap);
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

/// The data time of an observed value (the snapshot's time if it has none).
fn at<T>(o: &Observed<T>, snap: &Snapshot) -> DateTime<Utc> {
    o.at.unwrap_or(snap.taken_at)
}

/// Every state the snapshot shows, keyed.
fn facts(snap: &Snapshot) -> Vec<Fact> {
    let mut out = Vec::new();
    health(snap, &mut out);
    platform(snap, &mut out);
    routes(snap, &mut out);
    for a in &snap.aliases {
        if let Some(f) = a.state.get() {
            out.push(Fact {
                key: format!("alias/{}", a.name),
                kind: ObservationKind::Alias,
                subject: format!("geo-DR alias {} role", a.name),
                value: format!("{} on {}", f.role, a.primary_namespace),
                detail: None,
                at: at(&a.state, snap),
            });
        }
    }
    storage(snap, &mut out);
    for q in &snap.queues {
        queue(snap, q, &mut out);
    }
    out
}

fn health(snap: &Snapshot, out: &mut Vec<Fact>) {
    for app in &snap.apps {
        let Some(slot) = app.production() else {
            continue;
        };
        let Some(report) = slot.health.get().filter(|r| r.status != Health::Unknown) else {
            continue;
        };
        let failing: Vec<&str> = report
            .checks
            .iter()
            .filter(|(_, h)| !h.is_ok())
            .map(|(name, _)| name.as_str())
            .collect();
        out.push(Fact {
            key: format!("health/{}", app.name),
            kind: ObservationKind::Health,
            subject: format!("{} health", app.name),
            value: report.status.label().to_owned(),
            detail: (!failing.is_empty()).then(|| format!("failing: {}", failing.join(", "))),
            at: at(&slot.health, snap),
        });
    }
}

/// How bad a platform state is, for the worst of a region.
fn rank(h: Health) -> u8 {
    match h {
        Health::Healthy => 1,
        Health::Degraded => 2,
        Health::Unhealthy | Health::Unreachable => 3,
        Health::Unknown => 0,
    }
}

fn platform(snap: &Snapshot, out: &mut Vec<Fact>) {
    for region in &snap.regions {
        let read: Vec<(&AppState, Health, &str)> = snap
            .apps
            .iter()
            .filter(|a| a.region == region.name)
            .filter_map(|a| a.platform.get().map(|p| (a, p.state, p.word.as_str())))
            .collect();
        let Some(&(_, worst, word)) = read.iter().max_by_key(|(_, h, _)| rank(*h)) else {
            continue;
        };
        let apps: Vec<&str> = read
            .iter()
            .filter(|(_, h, w)| *h == worst && *w == word)
            .map(|(a, _, _)| a.name.as_str())
            .collect();
        out.push(Fact {
            key: format!("platform/{}", region.name),
            kind: ObservationKind::Platform,
            subject: format!("region {} ({}) platform", region.name, region.location),
            value: word.to_owned(),
            detail: (worst != Health::Healthy)
                .then(|| format!("Resource Health {word} on {}", apps.join(", "))),
            at: read
                .iter()
                .filter_map(|(a, _, _)| a.platform.at)
                .max()
                .unwrap_or(snap.taken_at),
        });
    }
}

fn routes(snap: &Snapshot, out: &mut Vec<Fact>) {
    let both = [
        (
            "tm",
            "Traffic Manager endpoint",
            &snap.routes.traffic_manager,
        ),
        ("fd", "Front Door origin", &snap.routes.front_door),
    ];
    for (key, what, profile) in both {
        let Some((_, routes)) = profile else {
            continue;
        };
        for r in routes.get().into_iter().flatten() {
            let enabled = if r.enabled { "enabled" } else { "disabled" };
            out.push(Fact {
                key: format!("route/{key}/{}", r.name),
                kind: ObservationKind::Route,
                subject: format!("{what} {} ({})", r.name, r.app),
                value: r
                    .monitor
                    .as_deref()
                    .map_or_else(|| enabled.to_owned(), |m| format!("{enabled}, monitor {m}")),
                detail: None,
                at: at(routes, snap),
            });
        }
    }
}

fn rpo(snap: &Snapshot) -> (Duration, String) {
    let minutes = snap.rpo_minutes;
    (
        Duration::minutes(i64::from(minutes)),
        format!("the RPO of {minutes}m"),
    )
}

fn storage(snap: &Snapshot, out: &mut Vec<Fact>) {
    let (target, words) = rpo(snap);
    for s in &snap.storage {
        let Some(f) = s.state.get() else {
            continue;
        };
        let read = at(&s.state, snap);
        if let Some(loc) = &f.primary_location {
            out.push(Fact {
                key: format!("storage-location/{}", s.name),
                kind: ObservationKind::StorageLocation,
                subject: format!("storage {} primary location", s.name),
                value: loc.clone(),
                detail: None,
                at: read,
            });
        }
        if let Some(sync) = f.last_sync {
            let lag = read - sync;
            let over = if lag > target { "over" } else { "within" };
            out.push(Fact {
                key: format!("storage-lag/{}", s.name),
                kind: ObservationKind::StorageLag,
                subject: format!("storage {} replication lag", s.name),
                value: format!("{over} {words}"),
                detail: Some(format!("last sync {} before the read", short_age(lag))),
                at: read,
            });
        }
    }
}

fn queue(snap: &Snapshot, q: &QueueState, out: &mut Vec<Fact>) {
    let (target, words) = rpo(snap);
    let subject = format!("queue {} ({}, {})", q.name, q.account, q.region);
    let key = format!("{}/{}", q.account, q.name);
    let oldest = q.oldest.get().copied().flatten();
    let age = oldest.map(|o| at(&q.oldest, snap) - o);
    if let Some(age) = age {
        let over = if age > target { "over" } else { "within" };
        out.push(Fact {
            key: format!("queue-backlog/{key}"),
            kind: ObservationKind::QueueBacklog,
            subject: format!("{subject} backlog"),
            value: format!("{over} {words}"),
            detail: Some(format!("oldest message {} old", short_age(age))),
            at: at(&q.oldest, snap),
        });
    }
    let Some(&depth) = q.depth.get() else {
        return;
    };
    let rate = trend(q);
    let keeping_up = depth == 0 || age.map_or(depth < SMALL_QUEUE, |a| a < KEEPING_UP);
    let flow = match rate {
        _ if keeping_up => "keeping up",
        Some(r) if r < 0.0 => "draining",
        _ => "not draining",
    };
    out.push(Fact {
        key: format!("queue-flow/{key}"),
        kind: ObservationKind::QueueFlow,
        subject,
        value: flow.to_owned(),
        detail: Some(match rate {
            Some(r) => format!("depth {depth}, {r:+.0}/min"),
            None => format!("depth {depth}"),
        }),
        at: at(&q.depth, snap),
    });
}

/// Growth in messages per minute over the queue's latest reads (negative when draining): the
/// whole kept history would still show the growth of an outage long after the queue drains.
fn trend(q: &QueueState) -> Option<f64> {
    let recent = &q.history[q.history.len().saturating_sub(TREND_READS)..];
    let (first, last) = (recent.first()?, recent.last()?);
    let minutes = (last.0 - first.0).num_milliseconds() as f64 / 60_000.0;
    (minutes > 0.0).then(|| (last.1 as f64 - first.1 as f64) / minutes)
}

#[cfg(test)]
#[path = "observation_tests.rs"]
mod tests;
