//! A simple evaluator of the runbook flowchart, until the decision engine (#4) lands: answers
//! each decision from the snapshot and the incident the console has seen, with one line of
//! evidence. Pure.
//!
//! - deployment related: an affected app had a deployment or swap end within 15 minutes before
//!   its failure onset (from the failure-rate series; detection time when there is none), or
//!   inside the onset minute;
//! - slots healthy: the app has a staging slot whose health is Healthy;
//! - regional: two or more apps unhealthy in one region, or the platform Unavailable there,
//!   while another region is healthy.

use chrono::{DateTime, Utc};

use crate::model::{AppState, Health, Snapshot};
use crate::tui::derive::incident::{Incident, is_failing};
use crate::tui::derive::{Change, ChangeKind, app_onset, change_before, changes, clock, hhmm};

use super::{NodeState, NodeStates};

/// The evidence for "deployment related": the change, how long before the onset, the app.
fn cause_evidence(change: &Change, app: &str, onset: DateTime<Utc>) -> String {
    let mins = (onset - change.at).num_minutes();
    let label = change.kind.label();
    if mins >= 1 {
        format!(
            "{label} {mins}m before onset {}: {app} at {}",
            hhmm(onset),
            hhmm(change.at)
        )
    } else {
        format!(
            "{label} in onset minute {}: {app} at {}",
            hhmm(onset),
            clock(change.at)
        )
    }
}

/// Evaluates the runbook against a snapshot and the incident so far.
pub fn evaluate(snap: &Snapshot, incident: Option<&Incident>) -> NodeStates {
    let mut s = NodeStates::default();
    let Some(inc) = incident else {
        let n = snap.apps.len();
        s.set(
            "detected",
            NodeState::Evaluating,
            format!("no app unhealthy ({n} watched)"),
        );
        return s;
    };
    let affected: Vec<&AppState> = inc
        .apps
        .iter()
        .filter_map(|name| snap.apps.iter().find(|a| &a.name == name))
        .collect();
    let Some(first) = affected.first() else {
        s.set(
            "detected",
            NodeState::Evaluating,
            "affected apps not in the data".to_owned(),
        );
        return s;
    };
    let more = match affected.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    s.set(
        "detected",
        NodeState::Done,
        format!(
            "{}{more} unhealthy at {}",
            first.name,
            clock(inc.detected_at)
        ),
    );
    s.set("assess", NodeState::Done, scope(snap, &inc.apps));

    let all = changes(snap);
    let cause = affected.iter().find_map(|a| {
        let onset = app_onset(a).unwrap_or(inc.detected_at);
        change_before(&all, &a.name, onset).map(|c| (*a, c, onset))
    });
    let action = if let Some((app, change, onset)) = cause {
        s.set(
            "deploy_related",
            NodeState::Yes,
            cause_evidence(change, &app.name, onset),
        );
        slots(&mut s, app, &all, inc)
    } else {
        s.set(
            "deploy_related",
            NodeState::No,
            "no deployment or swap within 15m before onset".to_owned(),
        );
        regional(&mut s, snap, first)
    };

    if inc.recovered_at.is_some() {
        if s.state(action) == NodeState::Recommended {
            s.set(action, NodeState::Done, None);
        }
        let worst = snap
            .apps
            .iter()
            .filter_map(|a| {
                a.metrics
                    .get()?
                    .last()
                    .map(crate::model::MetricPoint::failure_rate)
            })
            .fold(0.0_f64, f64::max);
        s.set(
            "verify",
            NodeState::Done,
            format!("all apps healthy; worst failure rate {:.1}%", worst * 100.0),
        );
        let since = inc.recovered_at.map(clock).unwrap_or_default();
        s.set(
            "validated",
            NodeState::Yes,
            format!("healthy since {since}"),
        );
        s.set(
            "close",
            NodeState::Recommended,
            "write the follow-up".to_owned(),
        );
    }
    s
}

/// Answers "slots available and healthy?" and recommends swap or redeploy; returns the action.
fn slots(s: &mut NodeStates, app: &AppState, all: &[Change], inc: &Incident) -> &'static str {
    let swapped_back = all
        .iter()
        .find(|c| c.app == app.name && c.kind == ChangeKind::Swap && c.at >= inc.detected_at);
    if let Some(c) = swapped_back {
        s.set(
            "slots_healthy",
            NodeState::Yes,
            "staging held the last good version".to_owned(),
        );
        let by = c
            .who
            .as_deref()
            .map(|w| format!(" by {w}"))
            .unwrap_or_default();
        s.set(
            "swap",
            NodeState::Done,
            format!("swapped at {}{by}", clock(c.at)),
        );
        return "swap";
    }
    let staging = app.slots.iter().find(|sl| sl.name != "production");
    let report = staging.and_then(|sl| sl.health.get());
    match (staging, report) {
        (Some(sl), Some(r)) if r.status == Health::Healthy => {
            let v = r.version.as_deref().unwrap_or("?");
            s.set(
                "slots_healthy",
                NodeState::Yes,
                format!("{} ✓ healthy on {v}", sl.name),
            );
            s.set(
                "swap",
                NodeState::Recommended,
                format!("swap {} into production on {}", sl.name, app.name),
            );
            "swap"
        }
        (staging, report) => {
            let why = match (staging, report) {
                (None, _) => "no staging slot".to_owned(),
                (Some(sl), None) => format!("{}: no health data", sl.name),
                (Some(sl), Some(r)) => {
                    format!("{} {} {}", sl.name, r.status.symbol(), r.status.label())
                }
            };
            s.set("slots_healthy", NodeState::No, why);
            let lkg = last_good_version(app);
            s.set(
                "redeploy",
                NodeState::Recommended,
                format!(
                    "redeploy {} to {}",
                    lkg.unwrap_or("the last good artifact"),
                    app.name
                ),
            );
            "redeploy"
        }
    }
}

/// The version of the production deployment before the active one.
fn last_good_version(app: &AppState) -> Option<&str> {
    app.deployments
        .get()?
        .iter()
        .filter(|d| d.slot == "production")
        .nth(1)
        .and_then(|d| d.version.as_deref())
}

/// Answers "regional or shared dependency?" and recommends failover or rebuild.
fn regional(s: &mut NodeStates, snap: &Snapshot, first: &AppState) -> &'static str {
    let region_bad = |region: &str| {
        let apps = snap.apps.iter().filter(|a| a.region == region);
        let failing = apps.clone().filter(|a| is_failing(a.health())).count();
        let platform_down = apps
            .filter_map(|a| a.platform.get())
            .any(|p| p.state == Health::Unhealthy);
        (failing, platform_down)
    };
    let bad = snap.regions.iter().find(|r| {
        let (failing, down) = region_bad(&r.name);
        failing >= 2 || down
    });
    let healthy_other = bad.and_then(|b| {
        snap.regions
            .iter()
            .find(|r| r.name != b.name && region_bad(&r.name) == (0, false))
    });
    if let (Some(b), Some(other)) = (bad, healthy_other) {
        let (failing, down) = region_bad(&b.name);
        let why = if down {
            format!("platform Unavailable in {}; {} healthy", b.name, other.name)
        } else {
            format!(
                "{failing} apps unhealthy in {}; {} healthy",
                b.name, other.name
            )
        };
        s.set("regional", NodeState::Yes, why);
        s.set(
            "failover",
            NodeState::Recommended,
            format!("fail over {} → {}", b.name, other.name),
        );
        "failover"
    } else {
        let (failing, _) = region_bad(&first.region);
        s.set(
            "regional",
            NodeState::No,
            format!(
                "{failing} app(s) unhealthy in {}; platform available",
                first.region
            ),
        );
        s.set(
            "rebuild",
            NodeState::Recommended,
            format!("rebuild {}", first.name),
        );
        "rebuild"
    }
}

/// One line on the incident's scope: the affected apps per region.
fn scope(snap: &Snapshot, affected: &[String]) -> String {
    let hit = |a: &&AppState| affected.contains(&a.name);
    let per_region: Vec<String> = snap
        .regions
        .iter()
        .map(|r| {
            let n = snap
                .apps
                .iter()
                .filter(|a| a.region == r.name)
                .filter(hit)
                .count();
            format!("{} {n}", r.name)
        })
        .collect();
    let total = snap.apps.iter().filter(hit).count();
    format!(
        "{total} of {} apps affected ({})",
        snap.apps.len(),
        per_region.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixtures;

    fn run(snaps: &[Snapshot]) -> NodeStates {
        let mut inc = None;
        for s in snaps {
            inc = Incident::observe(inc, s);
        }
        evaluate(snaps.last().expect("one"), inc.as_ref())
    }

    #[test]
    fn calm_is_watching_and_nothing_else() {
        let s = run(&[fixtures::calm()]);
        assert_eq!(s.state("detected"), NodeState::Evaluating);
        assert_eq!(s.state("deploy_related"), NodeState::NotReached);
    }

    #[test]
    fn a_bad_release_with_a_healthy_staging_slot_recommends_the_swap() {
        let s = run(&[fixtures::calm(), fixtures::bad_release()]);
        assert_eq!(s.state("deploy_related"), NodeState::Yes);
        let ev = s.get("deploy_related").evidence.expect("evidence");
        assert_eq!(
            ev,
            "⇄ swap 1m before onset 02:59: func-orders-prod-krc at 02:58"
        );
        assert_eq!(s.state("slots_healthy"), NodeState::Yes);
        assert_eq!(
            s.get("slots_healthy").evidence.as_deref(),
            Some("staging ✓ healthy on 2026.03.28")
        );
        assert_eq!(s.state("swap"), NodeState::Recommended);
        assert_eq!(s.state("regional"), NodeState::NotReached);
        assert_eq!(s.state("verify"), NodeState::NotReached);
    }

    #[test]
    fn after_the_swap_back_the_swap_is_done_and_closing_is_next() {
        let s = run(&[
            fixtures::calm(),
            fixtures::bad_release(),
            fixtures::recovered(),
        ]);
        assert_eq!(s.state("swap"), NodeState::Done);
        assert_eq!(s.state("verify"), NodeState::Done);
        assert_eq!(s.state("validated"), NodeState::Yes);
        assert_eq!(s.state("close"), NodeState::Recommended);
    }

    #[test]
    fn without_a_change_before_onset_two_failing_apps_in_one_region_mean_failover() {
        let mut snap = fixtures::regional_outage();
        snap.activity.value = Some(Vec::new());
        let s = run(&[fixtures::calm(), snap]);
        assert_eq!(s.state("deploy_related"), NodeState::No);
        assert_eq!(s.state("regional"), NodeState::Yes);
        assert_eq!(s.state("failover"), NodeState::Recommended);
        assert_eq!(
            s.get("failover").evidence.as_deref(),
            Some("fail over krc → jpe")
        );
    }
}
