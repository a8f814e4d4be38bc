//! The two safety rules about where traffic goes: never disable the last enabled Traffic Manager
//! endpoint or Front Door origin (for a disable, or a regional failover that disables the
//! region's routes), and never fail over into a region that is itself unhealthy — or whose health
//! cannot be confirmed from fresh data. Pure; `safety` applies them.

use chrono::{DateTime, Utc};

use crate::config::Estate;
use crate::model::{Observed, RouteState, Snapshot};

use super::evidence::fresh;
use super::reach::Reach;
use super::readiness::fails_only_on;
use super::scope::region_view;
use super::{ActionKind, ProposedAction};

/// Routes (profile name, kind word, routes) of one routing service.
type RouteSet<'a> = (&'a str, &'static str, &'a Observed<Vec<RouteState>>);

/// Which routes the action disables, per profile: `Ok(None)` when it disables none there.
fn last_route(
    action: &ProposedAction,
    set: RouteSet<'_>,
    r: &Reach<'_>,
    snap: &Snapshot,
    now: DateTime<Utc>,
) -> Result<Option<String>, String> {
    let (profile, word, routes) = set;
    let in_source = |route: &RouteState| {
        snap.apps
            .iter()
            .any(|a| a.name == route.app && Some(&a.region) == r.source.as_ref())
    };
    let disables = |route: &RouteState| match action.kind {
        ActionKind::Failover => in_source(route),
        _ => route.name == action.target,
    };
    let all = routes.get().map_or(&[][..], Vec::as_slice);
    if !all.iter().any(&disables) {
        return Ok(None);
    }
    let routes = fresh(routes, now).map_err(|e| format!("cannot confirm: {profile} {e}"))?;
    let enabled: Vec<&RouteState> = routes.iter().filter(|x| x.enabled).collect();
    let going: Vec<&str> = enabled
        .iter()
        .filter(|x| disables(x))
        .map(|x| x.name.as_str())
        .collect();
    let staying = enabled.len() - going.len();
    if going.is_empty() {
        return Ok(Some(format!("{profile}: nothing enabled to disable")));
    }
    if staying == 0 {
        return Err(format!(
            "{} {} the only enabled {word}{} of {profile} ({} of {} enabled)",
            going.join(", "),
            if going.len() == 1 { "is" } else { "are" },
            if going.len() == 1 { "" } else { "s" },
            enabled.len(),
            routes.len()
        ));
    }
    Ok(Some(format!(
        "{profile}: {staying} other {word}(s) stay enabled ({} of {} enabled now)",
        enabled.len(),
        routes.len()
    )))
}

pub fn last_enabled_route(
    action: &ProposedAction,
    r: &Reach<'_>,
    snap: &Snapshot,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let mut sets: Vec<RouteSet<'_>> = Vec::new();
    if let Some((p, o)) = &snap.routes.traffic_manager
        && action.kind != ActionKind::FdDisable
    {
        sets.push((p.as_str(), "endpoint", o));
    }
    if let Some((p, o)) = &snap.routes.front_door
        && action.kind != ActionKind::TmDisable
    {
        sets.push((p.as_str(), "origin", o));
    }
    let mut ok = Vec::new();
    for set in sets {
        if let Some(words) = last_route(action, set, r, snap, now)? {
            ok.push(words);
        }
    }
    if ok.is_empty() {
        Ok(format!(
            "no endpoint or origin named {} is disabled",
            action.target
        ))
    } else {
        Ok(ok.join("; "))
    }
}

pub fn unhealthy_target(
    r: &Reach<'_>,
    snap: &Snapshot,
    estate: &Estate,
    now: DateTime<Utc>,
) -> Result<String, String> {
    if let Some(why) = &r.unresolved {
        return Err(why.clone());
    }
    if r.towards.is_empty() {
        return Err("no region to fail over into".to_owned());
    }
    let mut fine = Vec::new();
    for region in &r.towards {
        let mut v = region_view(snap, estate, region, now);
        // What fails there only on the dependency the action restores does not count against
        // the region (the shared account a storage failover moves).
        let mut restored = Vec::new();
        if let Some(dep) = r.restores.as_deref() {
            v.deps.retain(|d| d.name != dep);
            v.failing.retain(|name| {
                let only = snap
                    .apps
                    .iter()
                    .find(|a| a.name == *name)
                    .is_some_and(|a| fails_only_on(a, Some(dep), estate, now));
                if only {
                    restored.push(name.clone());
                }
                !only
            });
        }
        if !v.failing.is_empty() || !v.deps.is_empty() || !v.platform.is_empty() {
            return Err(v.words());
        }
        if !v.unknown.is_empty() {
            return Err(format!(
                "cannot confirm {region} is healthy: {}",
                v.unknown.join("; ")
            ));
        }
        match (restored.is_empty(), r.restores.as_deref()) {
            (false, Some(dep)) => fine.push(format!(
                "{} ({} failing only on {dep}, which this action restores)",
                v.words(),
                restored.join(", ")
            )),
            _ => fine.push(v.words()),
        }
    }
    Ok(fine.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{DecideContext, SafetyRule, testkit};
    use crate::model::Health;

    #[test]
    fn the_last_enabled_endpoint_is_never_disabled() {
        let (mut snap, _) = testkit::calm();
        let cx = DecideContext::default();
        let c = testkit::safety_check(
            &ProposedAction::new(ActionKind::TmDisable, "primary-endpoint"),
            &snap,
            &cx,
            SafetyRule::LastEnabledRoute,
        );
        assert!(c.allowed, "{c:?}");
        if let Some((_, routes)) = &mut snap.routes.traffic_manager {
            routes.value.as_mut().expect("routes")[1].enabled = false;
        }
        let c = testkit::safety_check(
            &ProposedAction::new(ActionKind::TmDisable, "primary-endpoint"),
            &snap,
            &cx,
            SafetyRule::LastEnabledRoute,
        );
        assert!(!c.allows());
        assert_eq!(
            c.reason,
            "refused — never disable the last enabled endpoint or origin: primary-endpoint is the only enabled endpoint of tm-functions-prod (1 of 2 enabled)"
        );
        // A regional failover would disable it too.
        let c = testkit::safety_check(
            &ProposedAction::new(ActionKind::Failover, "krc"),
            &snap,
            &cx,
            SafetyRule::LastEnabledRoute,
        );
        assert!(!c.allowed);
    }

    #[test]
    fn the_last_enabled_origin_is_never_disabled() {
        let (mut snap, _) = testkit::calm();
        let cx = DecideContext::default();
        let disable = ProposedAction::new(ActionKind::FdDisable, "origin-primary");
        let c = testkit::safety_check(&disable, &snap, &cx, SafetyRule::LastEnabledRoute);
        assert!(c.allowed, "{c:?}");
        assert!(
            c.reason.contains(
                "afd-functions-prod: 1 other origin(s) stay enabled (2 of 2 enabled now)"
            ),
            "{}",
            c.reason
        );
        if let Some((_, origins)) = &mut snap.routes.front_door {
            let o = origins.value.as_mut().expect("origins");
            o.iter_mut()
                .filter(|o| o.name == "origin-secondary")
                .for_each(|o| o.enabled = false);
        }
        let c = testkit::safety_check(&disable, &snap, &cx, SafetyRule::LastEnabledRoute);
        assert!(!c.allows());
        assert_eq!(
            c.reason,
            "refused — never disable the last enabled endpoint or origin: origin-primary is the only enabled origin of afd-functions-prod (1 of 2 enabled)"
        );
        // A regional failover would disable it too.
        let c = testkit::safety_check(
            &ProposedAction::new(ActionKind::Failover, "krc"),
            &snap,
            &cx,
            SafetyRule::LastEnabledRoute,
        );
        assert!(!c.allowed);
        assert!(c.reason.contains("only enabled origin"), "{}", c.reason);
        // Disabling a Traffic Manager endpoint leaves Front Door alone.
        let c = testkit::safety_check(
            &ProposedAction::new(ActionKind::TmDisable, "primary-endpoint"),
            &snap,
            &cx,
            SafetyRule::LastEnabledRoute,
        );
        assert!(c.allowed, "{c:?}");
    }

    #[test]
    fn failing_over_into_an_unhealthy_region_is_refused() {
        let (mut snap, _) = testkit::calm();
        let cx = DecideContext::default();
        assert!(
            testkit::safety_check(
                &ProposedAction::new(ActionKind::Failover, "krc"),
                &snap,
                &cx,
                SafetyRule::UnhealthyTarget
            )
            .allowed
        );
        testkit::set_health(&mut snap, "func-orders-prod-jpe", Health::Unhealthy);
        let c = testkit::safety_check(
            &ProposedAction::new(ActionKind::Failover, "krc"),
            &snap,
            &cx,
            SafetyRule::UnhealthyTarget,
        );
        assert!(!c.allowed);
        assert!(
            c.reason
                .contains("jpe: 1 of 6 apps failing (func-orders-prod-jpe)"),
            "{}",
            c.reason
        );
    }
}
