//! Tests of the action catalogue, confirmation and executor, on the demo estate with the
//! snapshots of [`super::testkit`].

mod confirm;
mod executor;
mod plans;
mod plans_failover;
mod plans_forensics;
mod plans_infra;
mod plans_release;
mod plans_verify;

use super::testkit::bad_release;
use super::{Effect, Plan, PlanError, PlanStep, plan};
use crate::config::Estate;
use crate::decide::{ActionKind, ProposedAction};
use crate::model::Snapshot;

/// The demo subscription's path prefix.
pub const SUB: &str = "/subscriptions/8f3c2a71-5d04-4e6b-9a1f-0c7e2b9d4a10";

pub fn action(kind: ActionKind, target: &str) -> ProposedAction {
    ProposedAction {
        kind,
        target: target.to_owned(),
        release: None,
    }
}

/// The plan for an action on the demo estate as `snap` shows it, with no gates or rules.
pub fn plan_on(kind: ActionKind, target: &str, snap: &Snapshot) -> Result<Plan, PlanError> {
    plan(
        &action(kind, target),
        &Estate::demo(),
        snap,
        Vec::new(),
        Vec::new(),
    )
}

/// The plan during the bad release; panics with the error when there is none.
pub fn plan_ok(kind: ActionKind, target: &str) -> Plan {
    match plan_on(kind, target, &bad_release()) {
        Ok(p) => p,
        Err(e) => panic!("{} {target}: {e}", kind.name()),
    }
}

/// The step's call as `METHOD path?api-version=…`.
pub fn line(step: &PlanStep) -> String {
    step.call
        .as_ref()
        .map(super::RestCall::line)
        .unwrap_or_default()
}

/// The serialised operation names of the plan's steps.
pub fn ops(plan: &Plan) -> Vec<String> {
    plan.steps
        .iter()
        .map(|s| super::effects_azure::op_name(&s.effect))
        .collect()
}

/// The effect of step `i`.
pub fn effect(plan: &Plan, i: usize) -> &Effect {
    &plan.steps[i].effect
}
