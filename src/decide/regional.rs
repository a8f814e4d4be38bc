//! "Regional or shared dependency issue?": the affected regions as the evidence shows them (apps
//! and dependencies failing, platform health), and the other regions' state beside them. What a
//! failover moves, in words, is `moves`'s (re-exported here). Pure.

use chrono::{DateTime, Utc};

use crate::config::Estate;
use crate::model::{AppState, Snapshot};

use super::Answer;
use super::deploy::Finding;
use super::evidence::ev;
use super::scope::{RegionView, region_view};

pub use super::moves::failover_routes;

/// The answer, and the failing region when yes.
#[derive(Debug, Clone)]
pub struct RegionalFinding {
    /// The answer and its evidence.
    pub finding: Finding,
    /// The region to fail over away from.
    pub bad: Option<RegionView>,
}

/// Answers "Regional or shared dependency issue?".
pub fn regional(
    snap: &Snapshot,
    estate: &Estate,
    affected: &[&AppState],
    now: DateTime<Utc>,
) -> RegionalFinding {
    let views: Vec<RegionView> = snap
        .regions
        .iter()
        .filter(|r| affected.iter().any(|a| a.region == r.name))
        .map(|r| region_view(snap, estate, &r.name, now))
        .collect();
    let mut evidence = Vec::new();
    let src = "health, Resource Health, storage";
    if let Some(bad) = views.iter().find(|v| v.is_bad()) {
        evidence.push(ev(bad.words(), Some(now), src));
        for r in snap.regions.iter().filter(|r| r.name != bad.name) {
            let v = region_view(snap, estate, &r.name, now);
            let word = if v.is_healthy() {
                "healthy"
            } else if v.unknown.is_empty() {
                "NOT healthy"
            } else {
                "health not known"
            };
            evidence.push(ev(format!("{word} — {}", v.words()), Some(now), src));
        }
        return RegionalFinding {
            finding: Finding {
                answer: Answer::Yes,
                evidence,
            },
            bad: Some(bad.clone()),
        };
    }
    if let Some(d) = super::timers::duplicates(snap, estate)
        .into_iter()
        .find(|d| affected.iter().any(|a| a.name == d.idle.name))
    {
        let bad = region_view(snap, estate, &d.idle.region, now);
        evidence.push(ev(d.words(), Some(now), "functions, settings, routes"));
        evidence.push(ev(
            format!(
                "the failover to {} is incomplete: {}'s timers still run",
                d.active.region, d.idle.region
            ),
            Some(now),
            "functions, settings, routes",
        ));
        return RegionalFinding {
            finding: Finding {
                answer: Answer::Yes,
                evidence,
            },
            bad: Some(bad),
        };
    }
    for v in &views {
        evidence.push(ev(v.words(), Some(now), src));
    }
    let answer = if views.iter().any(|v| !v.unknown.is_empty()) {
        Answer::Unknown
    } else {
        evidence.push(ev(
            "fewer than two apps or dependencies failing in one region, platform available",
            Some(now),
            src,
        ));
        Answer::No
    };
    RegionalFinding {
        finding: Finding { answer, evidence },
        bad: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::testkit;
    use crate::model::Health;

    #[test]
    fn two_failing_apps_in_one_region_beside_a_healthy_one_are_regional() {
        let (mut snap, estate) = testkit::calm();
        testkit::set_health(&mut snap, "func-orders-prod-krc", Health::Unhealthy);
        testkit::set_health(&mut snap, "func-fulfil-prod-krc", Health::Unhealthy);
        let hit: Vec<&AppState> = snap
            .apps
            .iter()
            .filter(|a| a.name.ends_with("krc") && a.name.contains("orders"))
            .collect();
        let r = regional(&snap, &estate, &hit, testkit::now());
        assert_eq!(r.finding.answer, Answer::Yes);
        assert!(
            r.finding.evidence[0]
                .text
                .starts_with("krc: 2 of 6 apps failing"),
            "{:?}",
            r.finding.evidence
        );
        assert!(
            r.finding.evidence[1]
                .text
                .starts_with("healthy — jpe: 0 of 6 apps failing"),
            "{:?}",
            r.finding.evidence
        );
        let routes = failover_routes("krc", &hit, &snap, &estate, testkit::now());
        assert!(
            routes[0].starts_with("Traffic Manager tm-functions-prod: disable primary-endpoint"),
            "{routes:?}"
        );
        assert!(
            routes.iter().skip(1).all(|r| r.starts_with("also: ")),
            "{routes:?}"
        );
    }

    #[test]
    fn one_app_failing_alone_is_not_regional_and_stale_health_is_unknown() {
        let (mut snap, estate) = testkit::calm();
        testkit::set_health(&mut snap, "func-workflow-prod-krc", Health::Unhealthy);
        let now = testkit::now();
        let hit: Vec<&AppState> = snap
            .apps
            .iter()
            .filter(|a| a.name == "func-workflow-prod-krc")
            .collect();
        assert_eq!(
            regional(&snap, &estate, &hit, now).finding.answer,
            Answer::No
        );
        testkit::app(&mut snap, "func-orders-prod-krc").slots[0]
            .health
            .at = Some(testkit::at(-10));
        let hit: Vec<&AppState> = snap
            .apps
            .iter()
            .filter(|a| a.name == "func-workflow-prod-krc")
            .collect();
        let r = regional(&snap, &estate, &hit, now);
        assert_eq!(r.finding.answer, Answer::Unknown);
        assert!(
            r.finding.evidence[0]
                .text
                .contains("func-orders-prod-krc health GET /api/health: stale"),
            "{:?}",
            r.finding.evidence
        );
    }
}
