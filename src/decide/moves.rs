//! What a failover away from a region moves, in words: Traffic Manager endpoints and Front Door
//! origins (named from the estate, judged from the snapshot's live route state: enabled or
//! disabled, the endpoint monitor's status, and the health report of the app behind each route
//! that would be left serving), messaging geo-DR aliases and timer functions; those serving
//! affected apps first. A route that would be left serving but is disabled, degraded or not
//! confirmed is said plainly, so the words agree with the safety rules that judge the same
//! state. Pure.

use chrono::{DateTime, Utc};

use crate::config::Estate;
use crate::model::{AppState, Health, Observed, RouteState, Routing, Snapshot};

use super::evidence::fresh;

fn region_of<'a>(snap: &'a Snapshot, app: &str) -> Option<&'a str> {
    snap.apps
        .iter()
        .find(|a| a.name == app)
        .map(|a| a.region.as_str())
}

/// One profile's routes: the estate's (name, app) pairs and the live read of their state.
struct Profile<'a> {
    head: String,
    verb: &'static str,
    routes: Vec<(&'a str, &'a str)>,
    live: Option<&'a Observed<Vec<RouteState>>>,
}

/// The live state of one route, when freshly read; otherwise why it is not known.
fn live_route<'a>(
    p: &'a Profile<'_>,
    name: &str,
    now: DateTime<Utc>,
) -> Result<&'a RouteState, String> {
    let Some(live) = p.live else {
        return Err("is not confirmed: its state is not read".to_owned());
    };
    let all = fresh(live, now).map_err(|e| format!("is not confirmed: {e}"))?;
    all.iter()
        .find(|r| r.name == name)
        .ok_or_else(|| format!("is not confirmed: not in the {} read", live.source))
}

/// Why a route left to serve might not, and whether it is because it is disabled: `None` when
/// it is enabled, its monitor (where there is one) says online, and its app reports Healthy on a
/// fresh read.
fn standing_problem(
    p: &Profile<'_>,
    name: &str,
    app: &str,
    snap: &Snapshot,
    now: DateTime<Utc>,
) -> Option<(String, bool)> {
    let route = match live_route(p, name, now) {
        Ok(r) => r,
        Err(e) => return Some((e, false)),
    };
    let monitor = route.monitor.as_deref().unwrap_or("no status");
    let state = match route.routing {
        Routing::Disabled => return Some(("is disabled".to_owned(), true)),
        Routing::Degraded => Some(format!("degraded (monitor {monitor})")),
        Routing::Checking => Some(format!("not confirmed online (monitor {monitor})")),
        Routing::Serving => None,
    };
    let health = snap
        .apps
        .iter()
        .find(|a| a.name == app)
        .and_then(AppState::production)
        .map(|s| fresh(&s.health, now).map(|h| h.status));
    let app_words = match health {
        Some(Ok(Health::Healthy)) => None,
        Some(Ok(h)) => Some(format!("{app} reports {}", h.label())),
        Some(Err(e)) => Some(format!("{app}'s health is not known ({e})")),
        None => Some(format!("{app} is not in the snapshot")),
    };
    let words = match (state, app_words) {
        (None, None) => return None,
        (Some(s), None) => format!("is enabled but {s}"),
        (None, Some(a)) => format!("is enabled but {a}"),
        (Some(s), Some(a)) => format!("is enabled but {s}, and {a}"),
    };
    Some((words, false))
}

/// Words for the routes of one profile moving away from `region`, and whether one of them
/// serves an affected app; `None` when none of its routes is in the region.
fn route_words(
    p: &Profile<'_>,
    region: &str,
    snap: &Snapshot,
    hit: &dyn Fn(&str) -> bool,
    now: DateTime<Utc>,
) -> Option<(String, bool)> {
    let (going, staying): (Vec<_>, Vec<_>) = p
        .routes
        .iter()
        .partition(|(_, app)| region_of(snap, app) == Some(region));
    if going.is_empty() {
        return None;
    }
    let named = |(n, a): &(&str, &str)| format!("{n} ({a})");
    let (already, to_disable): (Vec<_>, Vec<_>) = going
        .iter()
        .partition(|(n, _)| live_route(p, n, now).is_ok_and(|r| !r.enabled));
    let mut what = Vec::new();
    if !to_disable.is_empty() {
        let list: Vec<String> = to_disable.iter().copied().map(named).collect();
        what.push(format!("disable {}", list.join(", ")));
    }
    if !already.is_empty() {
        let list: Vec<String> = already.iter().copied().map(named).collect();
        what.push(format!("{} already disabled", list.join(", ")));
    }
    let mut fine = Vec::new();
    let mut problems = Vec::new();
    let mut all_disabled = true;
    for r in &staying {
        match standing_problem(p, r.0, r.1, snap, now) {
            None => fine.push(named(r)),
            Some((why, disabled)) => {
                all_disabled &= disabled;
                problems.push(format!("{} {why}", named(r)));
            }
        }
    }
    let rest = match (fine.is_empty(), problems.is_empty()) {
        (true, true) => format!("nothing {}", p.verb),
        (false, true) => format!("{} {}", fine.join(", "), p.verb),
        (false, false) => format!(
            "{} {}; but {}",
            fine.join(", "),
            p.verb,
            problems.join("; ")
        ),
        (true, false) if all_disabled => {
            format!("but nothing would be left serving: {}", problems.join("; "))
        }
        (true, false) => format!(
            "but nothing left is confirmed to serve: {}",
            problems.join("; ")
        ),
    };
    Some((
        format!("{}: {}; {rest}", p.head, what.join("; ")),
        going.iter().any(|(_, a)| hit(a)),
    ))
}

/// What a failover away from `region` moves, in words; routes serving an affected app first.
pub fn failover_routes(
    region: &str,
    affected: &[&AppState],
    snap: &Snapshot,
    estate: &Estate,
    now: DateTime<Utc>,
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
        let p = Profile {
            head: format!("Traffic Manager {}", tm.profile),
            verb: "takes the traffic",
            routes: tm
                .endpoints
                .iter()
                .map(|e| (e.name.as_str(), e.app.as_str()))
                .collect(),
            live: snap.routes.traffic_manager.as_ref().map(|(_, o)| o),
        };
        place(route_words(&p, region, snap, &hit, now));
    }
    if let Some(fd) = &estate.front_door {
        let p = Profile {
            head: format!("Front Door {}/{}", fd.profile, fd.origin_group),
            verb: "keeps serving",
            routes: fd
                .origins
                .iter()
                .map(|o| (o.name.as_str(), o.app.as_str()))
                .collect(),
            live: snap.routes.front_door.as_ref().map(|(_, o)| o),
        };
        place(route_words(&p, region, snap, &hit, now));
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

    fn catalog_krc(snap: &Snapshot) -> Vec<&AppState> {
        snap.apps
            .iter()
            .filter(|a| a.name == "func-catalog-prod-krc")
            .collect()
    }

    fn origin<'a>(snap: &'a mut Snapshot, name: &str) -> &'a mut RouteState {
        snap.routes
            .front_door
            .as_mut()
            .and_then(|(_, o)| o.value.as_mut())
            .and_then(|v| v.iter_mut().find(|r| r.name == name))
            .expect("origin")
    }

    #[test]
    fn the_route_left_serving_is_judged_from_the_live_state() {
        let (mut snap, estate) = testkit::calm();
        let now = testkit::now();
        let words =
            |snap: &Snapshot| failover_routes("krc", &catalog_krc(snap), snap, &estate, now);
        assert!(
            words(&snap)[0].ends_with(
                "disable origin-primary (func-catalog-prod-krc); origin-secondary (func-catalog-prod-jpe) keeps serving"
            ),
            "{:?}",
            words(&snap)
        );
        let o = origin(&mut snap, "origin-secondary");
        o.enabled = false;
        o.routing = Routing::Disabled;
        let w = words(&snap);
        assert!(
            w[0].ends_with(
                "disable origin-primary (func-catalog-prod-krc); but nothing would be left serving: origin-secondary (func-catalog-prod-jpe) is disabled"
            ),
            "{w:?}"
        );
        assert!(!w[0].contains("keeps serving"), "{w:?}");
        // Enabled again, but its app reports unhealthy.
        let o = origin(&mut snap, "origin-secondary");
        o.enabled = true;
        o.routing = Routing::Serving;
        testkit::set_health(&mut snap, "func-catalog-prod-jpe", Health::Unhealthy);
        let w = words(&snap);
        assert!(
            w[0].contains("origin-secondary (func-catalog-prod-jpe) is enabled but func-catalog-prod-jpe reports unhealthy"),
            "{w:?}"
        );
    }
}
