//! The safety rules every proposed action is checked against (in the spirit of AWS ARC's):
//! never disable the last enabled Traffic Manager endpoint or Front Door origin; never fail over
//! into an unhealthy region; one action in flight per target; no swap while a deployment to the
//! app is running; no alias failover while replication is pending. A rule that cannot be checked
//! on fresh data refuses (it cannot confirm the action is safe). A refusal names the rule and the
//! numbers; an override naming the rule and the target lets it through, recorded.
//!
//! Pure.

use chrono::{DateTime, Utc};

use crate::config::Estate;
use crate::model::Snapshot;

use super::evidence::{fresh, running_deployments};
use super::reach::{Reach, reach};
use super::route_rules::{last_enabled_route, unhealthy_target};
use super::{ActionKind, DecideContext, ProposedAction, SafetyCheck, SafetyRule, overrides};

/// The rules that apply to an action kind.
pub fn rules_for(kind: ActionKind) -> &'static [SafetyRule] {
    use SafetyRule::{
        LastEnabledRoute, OneInFlight, PendingReplication, SwapDuringDeployment, UnhealthyTarget,
    };
    match kind {
        ActionKind::Failover | ActionKind::TmDisable | ActionKind::FdDisable => {
            &[LastEnabledRoute, UnhealthyTarget, OneInFlight]
        }
        ActionKind::AliasFailover => &[UnhealthyTarget, OneInFlight, PendingReplication],
        ActionKind::StorageFailover | ActionKind::Timers => &[UnhealthyTarget, OneInFlight],
        ActionKind::Swap | ActionKind::SwapBack => &[OneInFlight, SwapDuringDeployment],
        _ => &[OneInFlight],
    }
}

fn verdict(rule: SafetyRule, outcome: Result<String, String>) -> SafetyCheck {
    match outcome {
        Ok(why) => SafetyCheck {
            rule,
            allowed: true,
            reason: why,
            overridden: None,
        },
        Err(why) => SafetyCheck {
            rule,
            allowed: false,
            reason: format!("refused — {}: {why}", rule.words()),
            overridden: None,
        },
    }
}

fn one_in_flight(action: &ProposedAction, cx: &DecideContext) -> Result<String, String> {
    let mut busy: Vec<String> = cx
        .in_flight
        .iter()
        .filter(|a| a.target == action.target)
        .map(|a| format!("{} on {} is in flight", a.kind.name(), a.target))
        .collect();
    busy.extend(
        cx.actions
            .iter()
            .filter(|a| a.running() && a.action.target == action.target)
            .filter(|a| !cx.in_flight.iter().any(|f| f.same_move(&a.action)))
            .map(|a| {
                format!(
                    "{} on {} running since {}",
                    a.action.kind.name(),
                    a.action.target,
                    a.started.format("%H:%M:%S")
                )
            }),
    );
    if busy.is_empty() {
        Ok(format!("nothing else in flight on {}", action.target))
    } else {
        Err(format!("{} ({} in flight)", busy.join("; "), busy.len()))
    }
}

fn swap_during_deployment(
    r: &Reach<'_>,
    snap: &Snapshot,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let app = r
        .apps
        .first()
        .ok_or_else(|| r.unresolved.clone().unwrap_or_else(|| "no app".to_owned()))?;
    let running =
        running_deployments(snap, app, now).map_err(|e| format!("cannot confirm: {e}"))?;
    if running.is_empty() {
        Ok(format!("no deployment to {} running", app.name))
    } else {
        Err(format!(
            "{} running on {}: {}",
            running.len(),
            app.name,
            running.join("; ")
        ))
    }
}

fn pending_replication(
    action: &ProposedAction,
    snap: &Snapshot,
    now: DateTime<Utc>,
) -> Result<String, String> {
    let alias = snap
        .aliases
        .iter()
        .find(|a| a.name == action.target)
        .ok_or_else(|| format!("alias {} not observed", action.target))?;
    let facts =
        fresh(&alias.state, now).map_err(|e| format!("cannot confirm: {} {e}", alias.name))?;
    if facts.pending_operations == 0 {
        Ok(format!("{}: 0 pending replication operations", alias.name))
    } else {
        Err(format!(
            "{} has {} pending replication operations",
            alias.name, facts.pending_operations
        ))
    }
}

/// The safety verdicts on `action`, with the commander's overrides applied.
pub fn safety_for(
    action: &ProposedAction,
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> Vec<SafetyCheck> {
    let r = reach(action, snap, estate);
    let mut out: Vec<SafetyCheck> = rules_for(action.kind)
        .iter()
        .map(|&rule| {
            let outcome = match rule {
                SafetyRule::LastEnabledRoute => last_enabled_route(action, &r, snap, now),
                SafetyRule::UnhealthyTarget => unhealthy_target(&r, snap, estate, now),
                SafetyRule::OneInFlight => one_in_flight(action, cx),
                SafetyRule::SwapDuringDeployment => swap_during_deployment(&r, snap, now),
                SafetyRule::PendingReplication => pending_replication(action, snap, now),
            };
            verdict(rule, outcome)
        })
        .collect();
    overrides::apply_to_safety(&mut out, action, &cx.overrides, now);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{ActionRecord, Override, OverrideTarget, testkit};
    use crate::model::DeploymentRecord;

    #[test]
    fn one_action_in_flight_per_target() {
        let (snap, _) = testkit::calm();
        let mut cx = DecideContext::default();
        let swap_action = ProposedAction::new(ActionKind::Swap, "func-orders-prod-krc");
        assert!(testkit::safety_check(&swap_action, &snap, &cx, SafetyRule::OneInFlight).allowed);
        cx.actions.push(ActionRecord {
            action: ProposedAction::new(ActionKind::Restart, "func-orders-prod-krc"),
            strategy: None,
            started: testkit::at(-2),
            finished: None,
            succeeded: None,
        });
        let c = testkit::safety_check(&swap_action, &snap, &cx, SafetyRule::OneInFlight);
        assert!(!c.allowed);
        assert!(
            c.reason
                .contains("restart on func-orders-prod-krc running since 09:18:00 (1 in flight)"),
            "{}",
            c.reason
        );
    }

    #[test]
    fn no_swap_while_a_deployment_runs_or_when_that_cannot_be_known() {
        let (mut snap, _) = testkit::calm();
        let cx = DecideContext::default();
        let swap_action = ProposedAction::new(ActionKind::Swap, "func-orders-prod-krc");
        let app = testkit::app(&mut snap, "func-orders-prod-krc");
        app.deployments.value.as_mut().expect("records").insert(
            0,
            DeploymentRecord {
                id: "d2".into(),
                slot: "production".into(),
                version: Some("2026.04.03".into()),
                deployer: None,
                author: None,
                status: "Building".into(),
                in_progress: true,
                started: Some(testkit::at(-3)),
                ended: None,
                active: false,
            },
        );
        let c = testkit::safety_check(&swap_action, &snap, &cx, SafetyRule::SwapDuringDeployment);
        assert!(!c.allowed);
        assert!(
            c.reason
                .contains("deployment 2026.04.03 to production since 09:17:00"),
            "{}",
            c.reason
        );
        let app = testkit::app(&mut snap, "func-orders-prod-krc");
        app.deployments.at = Some(testkit::at(-40));
        let c = testkit::safety_check(&swap_action, &snap, &cx, SafetyRule::SwapDuringDeployment);
        assert!(
            c.reason.contains("cannot confirm: Kudu deployments: stale"),
            "{}",
            c.reason
        );
    }

    #[test]
    fn pending_replication_refuses_an_alias_failover_unless_overridden() {
        let (mut snap, _) = testkit::calm();
        let mut cx = DecideContext::default();
        let fo = ProposedAction::new(ActionKind::AliasFailover, "sb-functions-prod");
        snap.aliases[0]
            .state
            .value
            .as_mut()
            .expect("facts")
            .pending_operations = 3;
        let c = testkit::safety_check(&fo, &snap, &cx, SafetyRule::PendingReplication);
        assert!(!c.allows());
        assert!(
            c.reason
                .ends_with("sb-functions-prod has 3 pending replication operations"),
            "{}",
            c.reason
        );
        cx.overrides.push(Override {
            target: OverrideTarget::Safety {
                rule: SafetyRule::PendingReplication,
                target: "sb-functions-prod".into(),
            },
            reason: "pending operations are test traffic".into(),
            at: testkit::at(-1),
        });
        let c = testkit::safety_check(&fo, &snap, &cx, SafetyRule::PendingReplication);
        assert!(!c.allowed && c.allows());
    }
}
