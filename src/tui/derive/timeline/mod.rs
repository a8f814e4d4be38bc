//! The timeline: what happened, derived by diffing consecutive snapshots — health changes, new
//! deployments and activity (swaps, restarts, config writes), queues crossing the RPO threshold,
//! sources starting or stopping failing. Each entry is stamped with the data's time, not the
//! screen's. First observations are not changes: a health seen for the first time is recorded
//! only when it is not healthy, and the first read of a deployment history or of the activity log
//! is the past, not news. Pure.
//!
//! Owns the entry types, [`diff`] and its ordering, and the health, deployment-history and queue
//! comparisons. The activity log is read in `activity`, failing and recovering sources in
//! `sources`. It must not touch the terminal or draw: the timeline pane renders these entries.

use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};

use crate::model::{AppState, Health, QueueState, Snapshot};

mod activity;
mod sources;

use activity::activity;
use sources::sources;

/// What a timeline entry records; decides its symbol and style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// The console started watching.
    Started,
    /// An app's (or its platform's) health changed to this.
    Health(Health),
    /// A deployment was seen.
    Deployment,
    /// A swap, restart or configuration write was seen in the activity log.
    Activity,
    /// A queue's oldest message passed the RPO target.
    QueueOver,
    /// A queue's oldest message came back under the RPO target.
    QueueBack,
    /// A source started failing.
    SourceFailing,
    /// A failing source answered again.
    SourceRecovered,
    /// A line of the incident's journal, restored when the incident was resumed.
    Journal,
}

impl EntryKind {
    /// A one-character symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Started => "●",
            Self::Health(h) => h.symbol(),
            Self::Deployment => "↑",
            Self::Activity => "⇄",
            Self::QueueOver => "▲",
            Self::QueueBack => "▼",
            Self::SourceFailing => "⚠",
            Self::SourceRecovered => "↺",
            Self::Journal => "✎",
        }
    }
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// Data time.
    pub at: DateTime<Utc>,
    /// What kind.
    pub kind: EntryKind,
    /// What happened, in words.
    pub text: String,
}

fn entry(at: DateTime<Utc>, kind: EntryKind, text: String) -> TimelineEntry {
    TimelineEntry { at, kind, text }
}

/// The entries a new snapshot adds, oldest first.
pub fn diff(prev: Option<&Snapshot>, next: &Snapshot) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    let Some(prev) = prev else {
        out.push(entry(
            next.taken_at,
            EntryKind::Started,
            format!(
                "watching {} apps in {} regions",
                next.apps.len(),
                next.regions.len()
            ),
        ));
        health(None, next, &mut out);
        sources(None, next, &mut out);
        out.sort_by_key(|e| e.at);
        return out;
    };
    health(Some(prev), next, &mut out);
    deployments(prev, next, &mut out);
    activity(prev, next, &mut out);
    queues(prev, next, &mut out);
    sources(Some(prev), next, &mut out);
    out.sort_by_key(|e| e.at);
    out
}

fn health(prev: Option<&Snapshot>, next: &Snapshot, out: &mut Vec<TimelineEntry>) {
    for app in &next.apps {
        let old = prev.and_then(|p| p.apps.iter().find(|a| a.name == app.name));
        // A health never observed before is a first observation, not a change: it is recorded
        // only when it is not healthy, and without a "was".
        let was = old
            .filter(|a| a.production().is_some_and(|s| s.health.get().is_some()))
            .map(AppState::health);
        let now = app.health();
        let changed = match was {
            Some(w) => w != now,
            None => now != Health::Healthy && now != Health::Unknown,
        };
        if changed {
            let at = app
                .production()
                .and_then(|s| s.health.at)
                .unwrap_or(next.taken_at);
            let failing: Vec<&str> = app
                .production()
                .and_then(|s| s.health.get())
                .map(|r| {
                    r.checks
                        .iter()
                        .filter(|(_, h)| !h.is_ok())
                        .map(|(k, _)| k.as_str())
                        .collect()
                })
                .unwrap_or_default();
            let mut text = format!("{} {}", app.name, now.label());
            if let Some(w) = was {
                let _ = write!(text, " (was {})", w.label());
            }
            if !failing.is_empty() {
                let _ = write!(text, ": {} failing", failing.join(", "));
            }
            out.push(entry(at, EntryKind::Health(now), text));
        }
        let plat = |a: &AppState| a.platform.get().map(|p| (p.state, p.word.clone()));
        if let (Some(o), Some((state, word))) = (old.and_then(plat), plat(app))
            && o.0 != state
        {
            let at = app.platform.at.unwrap_or(next.taken_at);
            let text = format!("Resource Health of {}: {word} (was {})", app.name, o.1);
            out.push(entry(at, EntryKind::Health(state), text));
        }
    }
}

fn deployments(prev: &Snapshot, next: &Snapshot, out: &mut Vec<TimelineEntry>) {
    for app in &next.apps {
        // The first history read of an app is what happened before the console watched, not
        // news: only deployments that appear after it are.
        let Some(seen) = prev
            .apps
            .iter()
            .find(|a| a.name == app.name)
            .and_then(|a| a.deployments.get())
            .map(|d| d.iter().map(|d| d.id.as_str()).collect::<HashSet<&str>>())
        else {
            continue;
        };
        for d in app.deployments.get().into_iter().flatten() {
            if seen.contains(d.id.as_str()) {
                continue;
            }
            let at = d.ended.or(d.started).unwrap_or(next.taken_at);
            let text = format!(
                "{}: deployment {} to {}{} ({})",
                app.name,
                d.version.as_deref().unwrap_or("?"),
                d.slot,
                d.deployer
                    .as_deref()
                    .map(|w| format!(" by {w}"))
                    .unwrap_or_default(),
                d.status
            );
            out.push(entry(at, EntryKind::Deployment, text));
        }
    }
}

fn queues(prev: &Snapshot, next: &Snapshot, out: &mut Vec<TimelineEntry>) {
    let target = Duration::minutes(i64::from(next.rpo_minutes));
    for q in &next.queues {
        let Some(old) = prev
            .queues
            .iter()
            .find(|p| p.name == q.name && p.account == q.account)
        else {
            continue;
        };
        let over = |q: &QueueState, at: DateTime<Utc>| q.oldest_age(at).is_some_and(|a| a > target);
        let (was, is) = (over(old, prev.taken_at), over(q, next.taken_at));
        if was != is {
            let at = q.oldest.at.unwrap_or(next.taken_at);
            let (kind, how) = if is {
                (EntryKind::QueueOver, "passed")
            } else {
                (EntryKind::QueueBack, "back under")
            };
            let text = format!(
                "queue {} ({}): oldest message {how} the RPO of {}m",
                q.name, q.region, next.rpo_minutes
            );
            out.push(entry(at, kind, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixtures;

    #[test]
    fn the_first_snapshot_starts_the_timeline() {
        let e = diff(None, &fixtures::calm());
        assert_eq!(e[0].kind, EntryKind::Started);
        assert!(e[0].text.contains("12 apps in 2 regions"), "{}", e[0].text);
        assert_eq!(e.len(), 1, "{e:#?}");
    }

    /// `snap` as the console sees it before its first reads: no health, no deployment history,
    /// no activity log.
    fn not_yet_read(snap: &Snapshot) -> Snapshot {
        let mut s = snap.clone();
        for app in &mut s.apps {
            for slot in &mut app.slots {
                slot.health.value = None;
                slot.health.at = None;
            }
            app.deployments.value = None;
            app.deployments.at = None;
        }
        s.activity.value = None;
        s.activity.at = None;
        s
    }

    #[test]
    fn first_observations_are_not_changes() {
        let calm = fixtures::calm();
        let e = diff(Some(&not_yet_read(&calm)), &calm);
        assert!(
            e.iter().all(|e| !matches!(
                e.kind,
                EntryKind::Health(_) | EntryKind::Deployment | EntryKind::Activity
            )),
            "{e:#?}"
        );
        // An app first seen failing is worth a line, but it did not change from anything.
        let bad = fixtures::first_failure();
        let e = diff(Some(&not_yet_read(&bad)), &bad);
        let health: Vec<_> = e
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Health(_)))
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(health.len(), 1, "{health:#?}");
        assert!(health[0].starts_with("func-orders-prod-krc unhealthy"));
        assert!(!health[0].contains("(was"), "{}", health[0]);
        // Once read, a new deployment is news.
        let staged = fixtures::snapshot_at(fixtures::STAGED - 60);
        let e = diff(Some(&staged), &fixtures::calm());
        assert!(e.iter().any(|e| e.kind == EntryKind::Deployment), "{e:#?}");
    }

    #[test]
    fn a_bad_release_shows_the_swap_the_health_change_and_the_failing_source() {
        let (calm, bad) = (fixtures::calm(), fixtures::first_failure());
        let e = diff(Some(&calm), &bad);
        let texts: Vec<_> = e.iter().map(|e| e.text.as_str()).collect();
        let swap = e
            .iter()
            .position(|e| e.kind == EntryKind::Activity)
            .expect("swap");
        let health = e
            .iter()
            .position(|e| e.kind == EntryKind::Health(Health::Unhealthy))
            .expect("health change");
        assert!(swap < health, "sorted by data time: {texts:#?}");
        assert!(texts[health].contains("func-orders-prod-krc unhealthy (was healthy)"));
        assert!(texts[health].contains("application failing"), "{texts:#?}");
        assert_eq!(e[health].at, fixtures::at(fixtures::DETECTED));
        assert!(e.iter().any(|e| e.kind == EntryKind::SourceFailing
            && e.text.contains("Resource Health func-telemetry-prod-jpe")));
    }

    #[test]
    fn a_queue_crossing_the_rpo_target_and_coming_back_is_recorded() {
        let calm = fixtures::calm();
        let mut late = fixtures::calm();
        late.taken_at += chrono::Duration::seconds(30);
        let q = late
            .queues
            .iter_mut()
            .find(|q| q.name == "payments")
            .expect("queue");
        q.oldest.value = Some(Some(late.taken_at - chrono::Duration::minutes(6)));
        let over = diff(Some(&calm), &late);
        assert!(over.iter().any(|e| e.kind == EntryKind::QueueOver
            && e.text == "queue payments (krc): oldest message passed the RPO of 5m"));
        let back = diff(Some(&late), &calm);
        assert!(back.iter().any(|e| e.kind == EntryKind::QueueBack));
    }

    #[test]
    fn recovery_shows_the_swap_back_and_the_health_coming_back() {
        let e = diff(Some(&fixtures::bad_release()), &fixtures::recovered());
        assert!(e.iter().any(|e| {
            e.kind == EntryKind::Health(Health::Healthy)
                && e.text
                    .contains("func-orders-prod-krc healthy (was unhealthy)")
        }));
        assert!(e.iter().any(|e| e.kind == EntryKind::SourceRecovered));
        assert!(
            e.iter()
                .any(|e| e.kind == EntryKind::Activity && e.text.contains("swap"))
        );
    }
}
