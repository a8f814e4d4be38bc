//! "Regional or shared dependency issue?": the affected regions as the evidence shows them (apps
//! and dependencies failing, platform health), and the other regions' state beside them; and, for
//! a failover, the routes that would move — Traffic Manager endpoints, Front Door origins,
//! messaging geo-DR aliases and timer functions — named, those serving affected apps first.
//! Pure.

use chrono::{DateTime, Utc};

use crate::config::Estate;
use crate::model::{AppState, Snapshot};

use super::Answer;
use super::deploy::Finding;
use super::evidence::ev;
use super::scope::{RegionView, region_view};

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

fn region_of<'a>(snap: &'a Snapshot, app: &str) -> Option<&'a str> {
    snap.apps
        .iter()
        .find(|a| a.name == app)
        .map(|a| a.region.as_str())
}

/// Words for the routes of one profile moving away from `region`, and whether one of them
/// serves an affected app; `None` when none of its routes is in the region.
fn route_words(
    head: &str,
    verb: &str,
    routes: &[(&str, &str)],
    region: &str,
    snap: &Snapshot,
    hit: &dyn Fn(&str) -> bool,
) -> Option<(String, bool)> {
    let (going, staying): (Vec<_>, Vec<_>) = routes
        .iter()
        .partition(|(_, app)| region_of(snap, app) == Some(region));
    if going.is_empty() {
        return None;
    }
    let words = |list: &[&(&str, &str)]| -> String {
        let named: Vec<String> = list.iter().map(|(n, a)| format!("{n} ({a})")).collect();
        if named.is_empty() {
            "nothing".to_owned()
        } else {
            named.join(", ")
        }
    };
    Some((
        format!(
            "{head}: disable {}; {} {verb}",
            words(&going),
            words(&staying)
        ),
        going.iter().any(|(_, a)| hit(a)),
    ))
}

/// What a failover away from `region` moves, in words; routes serving an affected app first.
pub fn failover_routes(
    region: &str,
    affected: &[&AppState],
    snap: &Snapshot,
    estate: &Estate,
) -> Vec<String> {
    let hit = |app: &str| affected.iter().any(|a| a.name == app);
    let mut first = Vec::new();
    let mut rest = Vec::new();
    let mut place = |words: Option<(String, bool)>| match words {
        Some((w, true)) => first.push(w),
        Some((w, false)) => rest.push(w),
        None => {}
    };
    if let Some(tm) = &estate.traffic_manager {
        let routes: Vec<(&str, &str)> = tm
            .endpoints
            .iter()
            .map(|e| (e.name.as_str(), e.app.as_str()))
            .collect();
        let head = format!("Traffic Manager {}", tm.profile);
        place(route_words(
            &head,
            "takes the traffic",
            &routes,
            region,
            snap,
            &hit,
        ));
    }
    if let Some(fd) = &estate.front_door {
        let routes: Vec<(&str, &str)> = fd
            .origins
            .iter()
            .map(|o| (o.name.as_str(), o.app.as_str()))
            .collect();
        let head = format!("Front Door {}/{}", fd.profile, fd.origin_group);
        place(route_words(
            &head,
            "keeps serving",
            &routes,
            region,
            snap,
            &hit,
        ));
    }
    for a in estate
        .geo_dr_aliases
        .iter()
        .filter(|a| a.primary_region == region)
    {
        let words = format!(
            "messaging alias {}: fail over {} → {} (alias-failover)",
            a.name, a.primary_namespace, a.secondary_namespace
        );
        let consumers = estate
            .queues
            .iter()
            .any(|q| q.account == a.primary_namespace && hit(&q.app));
        if consumers {
            first.push(words);
        } else {
            rest.push(words);
        }
    }
    for app in estate
        .apps
        .iter()
        .filter(|a| a.region == region && !a.timer_functions.is_empty())
    {
        for c in estate.counterparts(app) {
            rest.push(format!(
                "timers: enable {} in {}, disable them in {}",
                c.timer_functions.join(", "),
                c.name,
                app.name
            ));
        }
    }
    first.extend(rest.into_iter().map(|w| format!("also: {w}")));
    first
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
        let routes = failover_routes("krc", &hit, &snap, &estate);
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
