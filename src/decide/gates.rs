//! The health-based decision gates of seed 000 for one proposed action: incident scope,
//! secondary readiness (`readiness`), data consistency (`consistency`) and alert suppression.
//! Which gates apply depends on the action kind — anything that moves traffic or a role to
//! another region meets all four, an app-level rollback or rebuild meets the scope gate only.
//! A gate is the worst of its checks; a gate that does not pass carries the commander's override
//! when there is one.
//!
//! Pure: reads the snapshot, the estate and the context; never the secrets' values.

use chrono::{DateTime, Utc};

use crate::config::Estate;
use crate::model::Snapshot;

use super::evidence::fresh;
use super::reach::{Reach, reach};
use super::scope::{affected, region_view};
use super::{
    ActionKind, DecideContext, GateCheck, GateId, GateResult, GateStatus, ProposedAction,
    consistency, overrides, readiness,
};

/// The gates an action kind must pass, in the runbook's order.
pub fn applicable(kind: ActionKind) -> &'static [GateId] {
    const ALL: &[GateId] = &[
        GateId::Scope,
        GateId::SecondaryReadiness,
        GateId::DataConsistency,
        GateId::AlertSuppression,
    ];
    match kind {
        ActionKind::Failover
        | ActionKind::TmDisable
        | ActionKind::FdDisable
        | ActionKind::AliasFailover
        | ActionKind::StorageFailover
        | ActionKind::Timers => ALL,
        ActionKind::Swap
        | ActionKind::SwapBack
        | ActionKind::Redeploy
        | ActionKind::Restart
        | ActionKind::Rebuild
        | ActionKind::TmEnable
        | ActionKind::FdEnable => &ALL[..1],
        ActionKind::SyncSecondary
        | ActionKind::FreezeOn
        | ActionKind::FreezeOff
        | ActionKind::SuppressOn
        | ActionKind::SuppressOff
        | ActionKind::Forensics => &[],
    }
}

/// Passing, failing and unknown findings of one check, gathered over several subjects.
#[derive(Debug, Default)]
pub struct Tally {
    /// What passed.
    pub pass: Vec<String>,
    /// What failed.
    pub fail: Vec<String>,
    /// What could not be read freshly.
    pub unknown: Vec<String>,
}

impl Tally {
    /// The check: failed if anything failed, unknown if anything is unknown, else passed (with
    /// `summary` of what passed).
    pub fn check(self, name: &str, summary: impl FnOnce(&[String]) -> String) -> GateCheck {
        let not_known = |u: &[String]| format!("not known: {}", u.join("; "));
        let (status, detail) = if !self.fail.is_empty() {
            let mut d = self.fail.join("; ");
            if !self.unknown.is_empty() {
                d = format!("{d} — {}", not_known(&self.unknown));
            }
            (GateStatus::Fail, d)
        } else if !self.unknown.is_empty() {
            (GateStatus::Unknown, not_known(&self.unknown))
        } else {
            (GateStatus::Pass, summary(&self.pass))
        };
        GateCheck {
            name: name.to_owned(),
            status,
            detail,
        }
    }
}

/// The worst status of a set of checks (a gate without checks passes).
pub fn worst(checks: &[GateCheck]) -> GateStatus {
    if checks.iter().any(|c| c.status == GateStatus::Fail) {
        GateStatus::Fail
    } else if checks.iter().any(|c| c.status == GateStatus::Unknown) {
        GateStatus::Unknown
    } else {
        GateStatus::Pass
    }
}

fn result(gate: GateId, checks: Vec<GateCheck>) -> GateResult {
    GateResult {
        gate,
        status: worst(&checks),
        checks,
        overridden: None,
    }
}

fn app_level(kind: ActionKind) -> bool {
    matches!(
        kind,
        ActionKind::Swap
            | ActionKind::SwapBack
            | ActionKind::Redeploy
            | ActionKind::Restart
            | ActionKind::Rebuild
    )
}

fn scope_gate(
    action: &ProposedAction,
    r: &Reach<'_>,
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> GateResult {
    let hit = affected(snap, estate, cx, now);
    let names: Vec<String> = hit.iter().map(|a| a.name.clone()).collect();
    let mut known = Tally::default();
    for a in &hit {
        match a.production().map(|s| fresh(&s.health, now)) {
            Some(Ok(h)) => known.pass.push(format!("{} {}", a.name, h.status.label())),
            Some(Err(e)) => known.unknown.push(format!("{} health {e}", a.name)),
            None => known
                .unknown
                .push(format!("{}: no production slot", a.name)),
        }
    }
    if hit.is_empty() {
        known
            .fail
            .push("no app is affected: nothing to recover".to_owned());
    }
    let first = known.check("affected apps known", |p| {
        format!("{} affected: {}", p.len(), p.join(", "))
    });
    let mut fits = Tally::default();
    if let Some(why) = &r.unresolved {
        fits.fail.push(why.clone());
    } else if app_level(action.kind) {
        if names.contains(&action.target) {
            fits.pass.push(format!("{} is affected", action.target));
        } else {
            fits.fail.push(format!(
                "{} is not among the affected apps ({})",
                action.target,
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            ));
        }
    } else if let Some(src) = &r.source {
        let view = region_view(snap, estate, src, now);
        let inside: Vec<&String> = names
            .iter()
            .filter(|n| hit.iter().any(|a| a.name == **n && a.region == *src))
            .collect();
        if matches!(action.kind, ActionKind::TmEnable | ActionKind::FdEnable) {
            fits.pass.push(format!("enabling a route to {src}"));
        } else if inside.is_empty() {
            fits.fail
                .push(format!("no affected app in {src}; {}", view.words()));
        } else {
            fits.pass.push(view.words());
        }
    }
    let second = fits.check("action fits the scope", |p| p.join("; "));
    let mut deps = Tally::default();
    for region in hit
        .iter()
        .map(|a| a.region.as_str())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let v = region_view(snap, estate, region, now);
        if v.deps.is_empty() {
            deps.pass
                .push(format!("{region}: app-only, no dependency failing"));
        } else {
            let d: Vec<String> = v.deps.iter().map(super::scope::Dependency::words).collect();
            deps.pass
                .push(format!("{region}: dependency-wide: {}", d.join("; ")));
        }
    }
    let third = deps.check("dependency scope", |p| {
        if p.is_empty() {
            "no affected region".to_owned()
        } else {
            p.join("; ")
        }
    });
    result(GateId::Scope, vec![first, second, third])
}

fn suppression_gate(action: &ProposedAction, r: &Reach<'_>, cx: &DecideContext) -> GateResult {
    let region = r.source.clone().unwrap_or_default();
    if action.kind == ActionKind::Failover {
        // The regional failover's own plan suppresses alerts before it routes away.
        return result(
            GateId::AlertSuppression,
            vec![GateCheck {
                name: format!("alerts suppressed for {region}"),
                status: GateStatus::Pass,
                detail: "the failover plan suppresses alerts for the switch before it routes away"
                    .to_owned(),
            }],
        );
    }
    let last = cx
        .actions
        .iter()
        .filter(|a| a.action.target == region && a.succeeded == Some(true))
        .filter(|a| {
            matches!(
                a.action.kind,
                ActionKind::SuppressOn | ActionKind::SuppressOff
            )
        })
        .max_by_key(|a| a.finished.unwrap_or(a.started));
    let check = match last {
        Some(a) if a.action.kind == ActionKind::SuppressOn => GateCheck {
            name: format!("alerts suppressed for {region}"),
            status: GateStatus::Pass,
            detail: format!(
                "suppress-on {region} succeeded at {}",
                a.finished.unwrap_or(a.started).format("%H:%M:%S")
            ),
        },
        Some(a) => GateCheck {
            name: format!("alerts suppressed for {region}"),
            status: GateStatus::Fail,
            detail: format!(
                "suppress-off {region} at {}: alerts are live again",
                a.finished.unwrap_or(a.started).format("%H:%M:%S")
            ),
        },
        None => GateCheck {
            name: format!("alerts suppressed for {region}"),
            status: GateStatus::Unknown,
            detail: format!(
                "no record that alerts for {region} are suppressed or rerouted (action suppress-on)"
            ),
        },
    };
    result(GateId::AlertSuppression, vec![check])
}

/// The gates `action` must pass, with the commander's overrides applied.
pub fn gates_for(
    action: &ProposedAction,
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> Vec<GateResult> {
    let r = reach(action, snap, estate);
    let mut out: Vec<GateResult> = applicable(action.kind)
        .iter()
        .map(|g| match g {
            GateId::Scope => scope_gate(action, &r, snap, estate, cx, now),
            GateId::SecondaryReadiness => result(
                GateId::SecondaryReadiness,
                readiness::checks(&r, estate, now),
            ),
            GateId::DataConsistency => result(
                GateId::DataConsistency,
                consistency::checks(action, &r, snap, estate, now),
            ),
            GateId::AlertSuppression => suppression_gate(action, &r, cx),
        })
        .collect();
    overrides::apply_to_gates(&mut out, &cx.overrides, now);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::testkit;
    use crate::model::Health;

    #[test]
    fn a_swap_meets_the_scope_gate_only_and_a_failover_all_four() {
        let (mut snap, estate) = testkit::calm();
        testkit::set_health(&mut snap, "func-orders-prod-krc", Health::Unhealthy);
        let cx = DecideContext::default();
        let now = testkit::now();
        let g = gates_for(
            &ProposedAction::new(ActionKind::Swap, "func-orders-prod-krc"),
            &snap,
            &estate,
            &cx,
            now,
        );
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].status, GateStatus::Pass, "{g:#?}");
        let g = gates_for(
            &ProposedAction::new(ActionKind::Failover, "krc"),
            &snap,
            &estate,
            &cx,
            now,
        );
        let ids: Vec<GateId> = g.iter().map(|g| g.gate).collect();
        assert_eq!(ids, applicable(ActionKind::Failover));
        // The failover's own plan suppresses alerts first.
        assert_eq!(g[3].status, GateStatus::Pass, "{g:#?}");
        // A route switch alone does not: nobody suppressed alerts, which blocks like a failure.
        let g = gates_for(
            &ProposedAction::new(ActionKind::TmDisable, "primary-endpoint"),
            &snap,
            &estate,
            &cx,
            now,
        );
        let alerts = g
            .iter()
            .find(|g| g.gate == GateId::AlertSuppression)
            .expect("the alert gate");
        assert_eq!(alerts.status, GateStatus::Unknown);
        assert!(!alerts.allows());
    }

    #[test]
    fn a_swap_of_an_app_that_is_not_affected_fails_the_scope_gate() {
        let (mut snap, estate) = testkit::calm();
        testkit::set_health(&mut snap, "func-orders-prod-krc", Health::Unhealthy);
        let g = gates_for(
            &ProposedAction::new(ActionKind::Swap, "func-catalog-prod-krc"),
            &snap,
            &estate,
            &DecideContext::default(),
            testkit::now(),
        );
        assert_eq!(g[0].status, GateStatus::Fail);
        let fits = &g[0].checks[1];
        assert!(
            fits.detail.contains(
                "func-catalog-prod-krc is not among the affected apps (func-orders-prod-krc)"
            ),
            "{fits:?}"
        );
    }

    #[test]
    fn the_tally_is_the_worst_of_what_it_saw() {
        let mut t = Tally::default();
        t.pass.push("a".into());
        t.unknown.push("b stale".into());
        assert_eq!(t.check("x", |_| String::new()).status, GateStatus::Unknown);
        let mut t = Tally::default();
        t.fail.push("c bad".into());
        t.unknown.push("b stale".into());
        let c = t.check("x", |_| String::new());
        assert_eq!(
            (c.status, c.detail.as_str()),
            (GateStatus::Fail, "c bad — not known: b stale")
        );
    }
}
