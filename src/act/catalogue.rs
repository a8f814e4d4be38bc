//! [`plan`]: the catalogue's entry point. Dispatches an action to its file under `actions/`,
//! then adds the gates and safety verdicts the engine computed, the plan's id and the
//! confirmation its risk and verdicts call for. Pure.

use super::actions::{self, Ctx, Draft};
use super::confirm::{Confirmation, Prompt, settle};
use super::plan::Plan;
use crate::config::Estate;
use crate::decide::{ActionKind, GateResult, IncidentFacts, ProposedAction, SafetyCheck};
use crate::model::Snapshot;

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The target does not name what the action needs.
    #[error("{action} needs {expects} as its target; {target:?} is not one (known: {known})")]
    UnknownTarget {
        /// The action's name.
        action: &'static str,
        /// What it was given.
        target: String,
        /// What it needs, in words.
        expects: &'static str,
        /// The names it would accept.
        known: String,
    },
    /// The action does not apply to this target or estate (no slot, no artifact store, …).
    #[error("{0}")]
    NotApplicable(String),
    /// The estate is already as the action would leave it.
    #[error("nothing to do: {0}")]
    NothingToDo(String),
}

impl PlanError {
    /// An unknown target, with the names that would do.
    pub fn unknown(
        action: &ProposedAction,
        expects: &'static str,
        known: impl Iterator<Item = String>,
    ) -> Self {
        Self::UnknownTarget {
            action: action.kind.name(),
            target: action.target.clone(),
            expects,
            known: known.collect::<Vec<_>>().join(", "),
        }
    }
}

/// The plan for `action` on the estate as `snap` shows it, carrying the engine's gates and
/// safety verdicts (from `decide::gates_for` and `decide::safety_for`), outside an incident.
pub fn plan(
    action: &ProposedAction,
    estate: &Estate,
    snap: &Snapshot,
    gates: Vec<GateResult>,
    safety: Vec<SafetyCheck>,
) -> Result<Plan, PlanError> {
    plan_in(action, estate, snap, None, gates, safety)
}

/// [`plan`] within an incident: the evidence a forensic snapshot keeps reaches back to the
/// incident's start (its detection, or the change before it).
pub fn plan_in(
    action: &ProposedAction,
    estate: &Estate,
    snap: &Snapshot,
    incident: Option<&IncidentFacts>,
    gates: Vec<GateResult>,
    safety: Vec<SafetyCheck>,
) -> Result<Plan, PlanError> {
    let cx = Ctx {
        estate,
        snap,
        action,
        incident,
    };
    let draft = match action.kind {
        ActionKind::Swap | ActionKind::SwapBack => actions::swap::plan(&cx)?,
        ActionKind::Redeploy => actions::redeploy::plan(&cx)?,
        ActionKind::Restart => actions::restart::plan(&cx)?,
        ActionKind::TmDisable
        | ActionKind::TmEnable
        | ActionKind::FdDisable
        | ActionKind::FdEnable => actions::routing::plan(&cx)?,
        ActionKind::Timers => actions::timers::plan(&cx)?,
        ActionKind::SyncSecondary => actions::sync::plan(&cx)?,
        ActionKind::AliasFailover => actions::alias::plan(&cx)?,
        ActionKind::StorageFailover => actions::storage::plan(&cx)?,
        ActionKind::FreezeOn | ActionKind::FreezeOff => actions::freeze::plan(&cx)?,
        ActionKind::SuppressOn | ActionKind::SuppressOff => actions::suppress::plan(&cx)?,
        ActionKind::Rebuild => actions::rebuild::plan(&cx)?,
        ActionKind::Forensics => actions::forensics::plan(&cx)?,
        ActionKind::Failover => actions::failover::plan(&cx)?,
    };
    Ok(finish(draft, action, snap, gates, safety))
}

fn finish(
    draft: Draft,
    action: &ProposedAction,
    snap: &Snapshot,
    gates: Vec<GateResult>,
    safety: Vec<SafetyCheck>,
) -> Plan {
    let mut plan = Plan {
        id: plan_id(action, snap),
        action: action.clone(),
        title: draft.title,
        summary: draft.summary,
        steps: draft.steps,
        preview: draft.preview,
        preview_result: None,
        risk: draft.risk,
        expected: draft.expected,
        undo: draft.undo,
        notes: draft.notes,
        follow_ups: draft.follow_ups,
        gates,
        safety,
        confirmation: Confirmation {
            prompt: Prompt::TypeTarget {
                expected: action.target.clone(),
            },
            overrides_needed: Vec::new(),
        },
    };
    settle(&mut plan);
    plan
}

/// `swap:func-orders-prod-krc@20260314T030430Z`.
pub fn plan_id(action: &ProposedAction, snap: &Snapshot) -> String {
    format!(
        "{}:{}@{}",
        action.kind.name(),
        action.target,
        snap.taken_at.format("%Y%m%dT%H%M%SZ")
    )
}
