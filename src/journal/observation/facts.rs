//! The states a snapshot shows, each keyed for [`Watch`](super::Watch) to compare with the
//! picture: health, platform per region, routes, aliases, storage and queues. Pure reads of the
//! snapshot: names, states, locations, counts and times; never a setting's or key's value.

use chrono::{DateTime, Duration, Utc};

use crate::journal::entry::ObservationKind;
use crate::model::observed::short_age;
use crate::model::{AppState, Health, Observed, QueueState, Snapshot};

/// A queue whose oldest message is younger than this is keeping up.
const KEEPING_UP: Duration = Duration::minutes(1);
/// A queue whose oldest message is not known (Service Bus) keeps up while it holds fewer
/// messages than this.
const SMALL_QUEUE: u64 = 100;
/// How many of a queue's latest reads its trend (draining or not) is taken over.
const TREND_READS: usize = 4;

/// One state read from a snapshot.
#[derive(Debug, Clone)]
pub(super) struct Fact {
    pub(super) key: String,
    pub(super) kind: ObservationKind,
    pub(super) subject: String,
    pub(super) value: String,
    pub(super) detail: Option<String>,
    pub(super) at: DateTime<Utc>,
}

/// The data time of an observed value (the snapshot's time if it has none).
fn at<T>(o: &Observed<T>, snap: &Snapshot) -> DateTime<Utc> {
    o.at.unwrap_or(snap.taken_at)
}

/// Every state the snapshot shows, keyed.
pub(super) fn facts(snap: &Snapshot) -> Vec<Fact> {
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

/// Traffic Manager endpoints by enabled and monitor state; Front Door origins by enabled state
/// only (ARM reports no per-origin health: what the model holds beside it is the origin's
/// provisioning state, which a write moves through `Updating` without a change of routing).
fn routes(snap: &Snapshot, out: &mut Vec<Fact>) {
    let both = [
        (
            "tm",
            "Traffic Manager endpoint",
            &snap.routes.traffic_manager,
            true,
        ),
        ("fd", "Front Door origin", &snap.routes.front_door, false),
    ];
    for (key, what, profile, monitored) in both {
        let Some((_, routes)) = profile else {
            continue;
        };
        for r in routes.get().into_iter().flatten() {
            let enabled = if r.enabled { "enabled" } else { "disabled" };
            let value = match r.monitor.as_deref().filter(|_| monitored) {
                Some(m) => format!("{enabled}, monitor {m}"),
                None => enabled.to_owned(),
            };
            out.push(Fact {
                key: format!("route/{key}/{}", r.name),
                kind: ObservationKind::Route,
                subject: format!("{what} {} ({})", r.name, r.app),
                value,
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
