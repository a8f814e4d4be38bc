//! The evidence behind the deployment side of the flow: when each affected app's failures began
//! (the change point, else the detection time, said so), whether a deployment or swap completed
//! shortly before that onset and put the version the failing instances run into production
//! ("Deployment related?"), and whether a staging slot runs the last known good version, healthy,
//! with the app's dependencies healthy ("Slots available and healthy dependencies?").
//!
//! Stale or missing data never yields a confident answer: it yields Unknown, in words. Pure.

use chrono::{DateTime, Duration, Utc};

use crate::config::Estate;
use crate::model::{AppState, Health, MetricPoint, Snapshot};

use super::dependencies::dependencies_healthy;
use super::evidence::{Change, ChangeKind, changes, clock, ev, fresh, hhmm, promoted};
use super::lkg::LastGood;
use super::onset::change_point;
use super::{ActionKind, Answer, DecideContext, Evidence};

/// How long before the onset a change still counts as its likely cause.
pub const CAUSE_WINDOW: Duration = Duration::minutes(30);
/// A change inside the onset's minute came before the failures in it.
pub const ONSET_MINUTE: Duration = Duration::minutes(1);

/// An answer with its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Yes, No or Unknown.
    pub answer: Answer,
    /// Why.
    pub evidence: Vec<Evidence>,
}

/// When an app's failures began.
#[derive(Debug, Clone, PartialEq)]
pub struct Onset {
    /// The time.
    pub at: DateTime<Utc>,
    /// Whether it is a change point of the failure-rate series (else a detection time).
    pub from_series: bool,
    /// Why this time.
    pub evidence: Evidence,
}

/// The onset of `app`'s failures: the change point of its (fresh) failure-rate series before
/// the first action, else the incident's detection time, else when its health was read failing.
pub fn onset_of(app: &AppState, cx: &DecideContext, now: DateTime<Utc>) -> Onset {
    let cut = cx.first_action_at();
    let source = app.metrics.source.as_str();
    let why_not = match fresh(&app.metrics, now) {
        Ok(points) => {
            let before: Vec<MetricPoint> = points
                .iter()
                .filter(|p| cut.is_none_or(|c| p.at < c))
                .cloned()
                .collect();
            if let Some(cp) = change_point(&before) {
                return Onset {
                    at: cp.at,
                    from_series: true,
                    evidence: ev(format!("{}: {}", app.name, cp.words()), Some(cp.at), source),
                };
            }
            format!("no change point in {} min of failure rate", before.len())
        }
        Err(e) => e,
    };
    let (at, what) = match (&cx.incident, app.production().and_then(|s| s.health.at)) {
        (Some(i), _) => (i.detected_at, "the incident's detection"),
        (None, Some(t)) => (t, "the failing health read"),
        (None, None) => (now, "now"),
    };
    Onset {
        at,
        from_series: false,
        evidence: ev(
            format!(
                "{}: {why_not}; onset taken as {what} at {}",
                app.name,
                clock(at)
            ),
            Some(at),
            source,
        ),
    }
}

/// The change judged to have caused the failures.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    /// The change.
    pub change: Change,
    /// The onset it preceded.
    pub onset: DateTime<Utc>,
    /// The version the failing instances run.
    pub running: Option<String>,
}

impl Cause {
    /// The bad release: what the change put in, else what production runs.
    pub fn release(&self) -> Option<&str> {
        self.change.version.as_deref().or(self.running.as_deref())
    }
}

fn within(c: &Change, onset: DateTime<Utc>) -> bool {
    c.at < onset + ONSET_MINUTE && onset - c.at <= CAUSE_WINDOW
}

fn lead(c: &Change, onset: DateTime<Utc>) -> String {
    let mins = (onset - c.at).num_minutes();
    if mins >= 1 {
        format!("{mins}m before onset {}", hhmm(onset))
    } else {
        format!("in the onset minute {}", hhmm(onset))
    }
}

/// The changes to `app` that could have caused an onset: those seen in the reads, or else the
/// release production runs that was deployed to another slot shortly before.
/// The version production ran before the commander swapped `app`: the swap moved it into the
/// other slot, whose health report now names it. `None` when no swap of `app` succeeded.
fn swapped_out(app: &AppState, cx: &DecideContext, now: DateTime<Utc>) -> Option<String> {
    let swapped = cx.actions.iter().any(|a| {
        matches!(a.action.kind, ActionKind::Swap | ActionKind::SwapBack)
            && a.action.target == app.name
            && a.succeeded == Some(true)
    });
    if !swapped {
        return None;
    }
    app.slots
        .iter()
        .filter(|s| s.name != "production")
        .find_map(|s| fresh(&s.health, now).ok()?.version.clone())
}

fn candidates(
    snap: &Snapshot,
    app: &AppState,
    running: Option<&str>,
    onset: DateTime<Utc>,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> Vec<Change> {
    let mut seen: Vec<Change> = changes(snap, app, now)
        .into_iter()
        .filter(|c| within(c, onset))
        .collect();
    if seen.is_empty() {
        seen.extend(promoted(app, running, onset, CAUSE_WINDOW, now).filter(|c| within(c, onset)));
    }
    if seen
        .iter()
        .all(|c| cx.first_action_at().is_some_and(|t| c.at >= t))
    {
        // Only the commander's own changes in view: the commander's swap replaced the release's
        // swap as the site's last swap, and production no longer runs the release, until the
        // activity log (which reports late) shows the release's swap. The release is what the
        // swap moved out of production.
        let before = swapped_out(app, cx, now);
        seen.extend(
            promoted(app, before.as_deref(), onset, CAUSE_WINDOW, now)
                .filter(|c| within(c, onset))
                .map(|c| Change {
                    kind: ChangeKind::SwappedOut,
                    ..c
                }),
        );
    }
    seen
}

/// What the failing instances run, against the change's version.
fn version_words(change: Option<&str>, running: Option<&str>) -> String {
    match (change, running) {
        (Some(v), Some(r)) if v == r => format!("failing instances run {v}, the new release"),
        (Some(v), Some(r)) => {
            format!("production runs {r} since the actions taken; the release was {v}")
        }
        (None, Some(r)) => {
            format!("failing instances run {r} (the change's version is not recorded)")
        }
        (_, None) => {
            "the failing instances' version is not known (health not freshly read)".to_owned()
        }
    }
}

/// "Deployment related?" for the affected apps, with the cause when yes.
pub fn deploy_related(
    snap: &Snapshot,
    affected: &[&AppState],
    onsets: &[Onset],
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> (Finding, Option<Cause>) {
    let acted = cx.first_action_at();
    let mut evidence: Vec<Evidence> = onsets.iter().map(|o| o.evidence.clone()).collect();
    let mut stale_hit: Option<(Change, DateTime<Utc>)> = None;
    let mut blind: Vec<String> = Vec::new();
    let mut dismissed = false;
    for (app, onset) in affected.iter().zip(onsets) {
        let running = app
            .production()
            .and_then(|s| fresh(&s.health, now).ok())
            .and_then(|h| h.version.clone());
        // The version was true when production's health was read.
        let read_at = app
            .production()
            .and_then(|s| s.health.at)
            .filter(|_| running.is_some());
        for c in candidates(snap, app, running.as_deref(), onset.at, cx, now) {
            // Once an action has run, production may run another version because of it.
            let comparable = acted.is_none_or(|t| t < c.at);
            if let (Some(v), Some(r), true) = (&c.version, &running, comparable)
                && v != r
            {
                evidence.push(ev(
                    format!("{}; production runs {r}, not {v}: not the cause", c.words()),
                    Some(c.at),
                    &c.source,
                ));
                dismissed = true;
                continue;
            }
            if !c.fresh {
                stale_hit.get_or_insert((c, onset.at));
                continue;
            }
            evidence.push(ev(
                format!("{}, {}", c.words(), lead(&c, onset.at)),
                Some(c.at),
                &c.source,
            ));
            evidence.push(ev(
                version_words(c.version.as_deref(), running.as_deref()),
                read_at.or(Some(now)),
                "GET /api/health",
            ));
            let cause = Cause {
                change: c,
                onset: onset.at,
                running,
            };
            return (
                Finding {
                    answer: Answer::Yes,
                    evidence,
                },
                Some(cause),
            );
        }
        if let (Err(d), Err(a)) = (fresh(&app.deployments, now), fresh(&snap.activity, now)) {
            blind.push(format!("{}: {d}; {a}", app.name));
        }
    }
    let answer = if let Some((c, onset)) = stale_hit {
        evidence.push(ev(
            format!(
                "{}, {}, but only in data that is not fresh ({})",
                c.words(),
                lead(&c, onset),
                c.source
            ),
            Some(c.at),
            &c.source,
        ));
        Answer::Unknown
    } else if !blind.is_empty() {
        evidence.push(ev(
            format!("cannot rule out a release: {}", blind.join("; ")),
            None,
            "deployments",
        ));
        Answer::Unknown
    } else {
        let names: Vec<&str> = affected.iter().map(|a| a.name.as_str()).collect();
        evidence.push(ev(
            format!(
                "{} deployment or swap on {} completed within {}m before the onset",
                if dismissed { "no other" } else { "no" },
                names.join(", "),
                CAUSE_WINDOW.num_minutes()
            ),
            None,
            "deployments, activity log",
        ));
        Answer::No
    };
    (Finding { answer, evidence }, None)
}

/// "Slots available and healthy dependencies?" for the app of the cause (`release` is the bad
/// version); also returns the last known good ([`LastGood`]): the staging slot is compared with
/// the history's newest known good (what the slot holds, whatever the artifact store keeps).
pub fn slots_healthy(
    snap: &Snapshot,
    estate: &Estate,
    app: &AppState,
    release: Option<&str>,
    now: DateTime<Utc>,
) -> (Finding, LastGood) {
    let good = LastGood::of(app, snap, estate, release);
    let lkg = good.history.clone();
    let mut evidence = Vec::new();
    let no = |text: String, at: Option<DateTime<Utc>>, evidence: &mut Vec<Evidence>| {
        evidence.push(ev(text, at.or(Some(now)), "GET /api/health"));
        Answer::No
    };
    let conf_slots = estate
        .app(&app.name)
        .map(|a| a.slots.clone())
        .unwrap_or_default();
    let staging = app
        .slots
        .iter()
        .find(|s| s.name != "production" && conf_slots.contains(&s.name));
    let answer = match staging {
        None => {
            let plan = estate.app(&app.name).map_or("unknown", |a| a.plan.as_str());
            no(
                format!("{} has no deployment slot ({plan} plan)", app.name),
                None,
                &mut evidence,
            )
        }
        Some(slot) => match fresh(&slot.health, now) {
            Err(e) => {
                evidence.push(ev(
                    format!("{} {}: {e}", app.name, slot.name),
                    None,
                    &slot.health.source,
                ));
                Answer::Unknown
            }
            Ok(h) if h.status != Health::Healthy => no(
                format!("{} {} is {}", app.name, slot.name, h.status.label()),
                slot.health.at,
                &mut evidence,
            ),
            Ok(h) => {
                let read = slot.health.at;
                let v = h.version.as_deref();
                match (v, release, lkg.as_deref()) {
                    (Some(v), Some(bad), _) if v == bad => no(
                        format!("{} runs the bad release {bad} too", slot.name),
                        read,
                        &mut evidence,
                    ),
                    (Some(v), _, Some(good)) if v != good => no(
                        format!("{} runs {v}, not the last known good {good}", slot.name),
                        read,
                        &mut evidence,
                    ),
                    (None, _, _) => no(
                        format!("{} reports no version", slot.name),
                        read,
                        &mut evidence,
                    ),
                    (Some(v), _, good) => {
                        let why = if good.is_some() {
                            format!("{} healthy on {v}, the last known good", slot.name)
                        } else {
                            format!(
                                "{} healthy on {v}, not the release {} (last known good not in the history)",
                                slot.name,
                                release.unwrap_or("?")
                            )
                        };
                        evidence.push(ev(why, read.or(Some(now)), &slot.health.source));
                        Answer::Yes
                    }
                }
            }
        },
    };
    if answer != Answer::Yes {
        return (Finding { answer, evidence }, good);
    }
    let answer = dependencies_healthy(snap, estate, app, now, &mut evidence);
    (Finding { answer, evidence }, good)
}
