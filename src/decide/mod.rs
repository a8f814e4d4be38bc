//! The decision engine: the runbook flowchart (seed 000) as data, evaluated against a
//! [`Snapshot`](crate::model::Snapshot), each answer with the evidence behind it (numbers and
//! times); the health-based gates; the safety rules every proposed action is checked against; the
//! overrides a commander types; the verification after an action and the escalation order; and the
//! recommendation in plain words.
//!
//! Pure: no I/O, no clock (`now` is a parameter), no terminal. It reads `model` and `config` and
//! must not import `azure`, `sim`, `observe`, `act` or `tui`. The types in this file are the
//! contract with `act` (plans carry gate and safety results) and `tui` (nodes show answers).
//!
//! Entry points: [`evaluate`] (the whole flow → [`Decision`]), [`gates_for`] and [`safety_for`]
//! (for any proposed action), with a [`DecideContext`] (incident, overrides, actions, in flight).
//! One concern per file: `flowchart` (the runbook as a table), `context`, `onset` (the failure
//! onset as a change point, the baseline), `evidence` (freshness, changes, versions), `deploy`
//! (deployment related? slots healthy?), `lkg` (the last known good release from the history
//! and the artifact store: one rule, which `act`'s redeploy and rebuild call too),
//! `dependencies` (dependency health from the health checks and the storage and queue state),
//! `scope` and `regional` (regions), `moves` (what a failover moves, judged from the live
//! routes), `reach` (what an action touches), `gates` with `readiness`, `consistency` and `sync`
//! (digest comparison), `timers` (timers running in both regions), `prepare` (storage failover,
//! sync before a failover), `safety` with `route_rules`, `overrides`, `verify`, `recommend`,
//! `eval` with `walk` and `after` (recommend, verify, close or escalate).

pub mod action;
mod after;
mod closed;
pub mod consistency;
pub mod context;
pub mod dependencies;
pub mod deploy;
pub mod eval;
pub mod evidence;
pub mod flowchart;
pub mod gates;
mod latency;
pub mod lkg;
mod moves;
pub mod onset;
mod outside;
pub mod overrides;
mod prepare;
pub mod reach;
pub mod readiness;
pub mod recommend;
pub mod regional;
pub mod route_rules;
pub mod safety;
pub mod scope;
pub mod sync;
#[cfg(test)]
mod testkit;
pub mod timers;
pub mod verify;
mod walk;

pub use action::{ActionKind, ProposedAction};
pub use context::{ActionRecord, DEFAULT_VERIFY_WINDOW, DecideContext, IncidentFacts, strategy_of};
pub use eval::{Decision, evaluate};
pub use flowchart::{EDGES, ESCALATION_ORDER, FlowEdge, FlowNode, NODES, NodeKind};
pub use gates::gates_for;
pub use onset::{Baseline, ChangePoint, change_point};
pub use overrides::OverrideError;
pub use safety::safety_for;
pub use verify::Verification;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A node of the runbook's flowchart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeId {
    /// Incident detected.
    Detected,
    /// Assess scope.
    Scope,
    /// Deployment related?
    DeployRelated,
    /// Slots available and healthy dependencies?
    SlotsHealthy,
    /// Rollback via slot swap.
    SlotSwap,
    /// Redeploy last known good artifact.
    Redeploy,
    /// Regional or shared dependency issue?
    Regional,
    /// Regional failover.
    Failover,
    /// Rebuild app or infra component.
    Rebuild,
    /// Verify health and SLOs.
    Verify,
    /// Recovery validated?
    Validated,
    /// Close incident and start follow-up.
    Close,
    /// Escalate and run next strategy.
    Escalate,
}

/// A node's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// A decision answered yes.
    Yes,
    /// A decision answered no.
    No,
    /// The evidence does not settle it (data missing or stale).
    Unknown,
    /// A step that is the current recommendation.
    Current,
    /// A step already carried out.
    Done,
    /// A step or decision not yet reached.
    Pending,
}

/// One piece of evidence: what was seen, with its numbers, when, and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Plain words with numbers (`failure rate 31.2 % from 02:14, was 0.4 %`).
    pub text: String,
    /// When the fact was true or observed.
    pub at: Option<DateTime<Utc>>,
    /// Which read it came from (`metrics`, `health`, `deployments`, `resource health`, …).
    pub source: String,
}

/// The answer at one node with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeAnswer {
    /// The node.
    pub node: NodeId,
    /// Its answer.
    pub answer: Answer,
    /// Why.
    pub evidence: Vec<Evidence>,
    /// The override that set this answer, if the commander overrode it.
    pub overridden: Option<Override>,
}

/// What the commander overrides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OverrideTarget {
    /// A decision node's answer (yes or no).
    Node {
        /// The node.
        node: NodeId,
        /// The answer forced.
        answer: bool,
    },
    /// A failed or unknown gate.
    Gate {
        /// The gate.
        gate: GateId,
    },
    /// A safety rule, for one action on one target.
    Safety {
        /// The rule.
        rule: SafetyRule,
        /// The action's target.
        target: String,
    },
}

/// An override with the commander's typed reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// What is overridden.
    pub target: OverrideTarget,
    /// The reason, as typed (never empty).
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The health-based decision gates of seed 000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateId {
    /// Incident scope: which apps, regions and dependencies are affected.
    Scope,
    /// Secondary readiness: healthy, warm, settings and keys in sync, timers ready.
    SecondaryReadiness,
    /// Data consistency: geo-replication last sync against the RPO, pending replication, backlog.
    DataConsistency,
    /// Alert suppression for the switch.
    AlertSuppression,
}

/// A gate's or a check's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateStatus {
    /// Passed.
    Pass,
    /// Failed: blocks the action unless overridden.
    Fail,
    /// Not known (data missing or stale): blocks like a failure unless overridden.
    Unknown,
}

/// One check inside a gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateCheck {
    /// What is checked (`settings in sync`).
    pub name: String,
    /// Its status.
    pub status: GateStatus,
    /// The numbers (`2 settings differ: FEATURE_X, QUEUE_CONN (by value digest)`).
    pub detail: String,
}

/// A gate's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateResult {
    /// The gate.
    pub gate: GateId,
    /// The worst of its checks.
    pub status: GateStatus,
    /// The checks.
    pub checks: Vec<GateCheck>,
    /// The override, when the commander overrode a failed gate.
    pub overridden: Option<Override>,
}

impl GateId {
    /// The gate in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Scope => "incident scope",
            Self::SecondaryReadiness => "secondary readiness",
            Self::DataConsistency => "data consistency",
            Self::AlertSuppression => "alert suppression",
        }
    }
}

impl GateStatus {
    /// The status in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "passes",
            Self::Fail => "fails",
            Self::Unknown => "unknown",
        }
    }
}

impl GateResult {
    /// Whether the gate lets the action through (passed, or overridden).
    pub fn allows(&self) -> bool {
        self.status == GateStatus::Pass || self.overridden.is_some()
    }
}

/// The safety rules every proposed action is checked against (in the spirit of AWS ARC's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyRule {
    /// Never disable the last enabled Traffic Manager endpoint or Front Door origin.
    LastEnabledRoute,
    /// Never fail over into a region that is itself unhealthy.
    UnhealthyTarget,
    /// One action in flight per target.
    OneInFlight,
    /// No swap while a deployment to that app is running.
    SwapDuringDeployment,
    /// No alias failover while replication is pending, unless named.
    PendingReplication,
}

impl SafetyRule {
    /// The rule in plain words, as a refusal names it.
    pub fn words(self) -> &'static str {
        match self {
            Self::LastEnabledRoute => "never disable the last enabled endpoint or origin",
            Self::UnhealthyTarget => "never fail over into an unhealthy region",
            Self::OneInFlight => "one action in flight per target",
            Self::SwapDuringDeployment => "no swap while a deployment to the app is running",
            Self::PendingReplication => "no alias failover while replication is pending",
        }
    }
}

/// A safety rule's verdict on one proposed action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SafetyCheck {
    /// The rule.
    pub rule: SafetyRule,
    /// Whether the action is allowed by it.
    pub allowed: bool,
    /// Why, with numbers (`tm-orders-krc is the only enabled endpoint of tm-orders`).
    pub reason: String,
    /// The override that names this rule, when the commander overrode a refusal.
    pub overridden: Option<Override>,
}

impl SafetyCheck {
    /// Whether the rule lets the action through (allowed, or overridden).
    pub fn allows(&self) -> bool {
        self.allowed || self.overridden.is_some()
    }
}

/// The recovery strategies, in the runbook's escalation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Path A: rollback by slot swap.
    SlotSwap,
    /// Path B: redeploy the last known good artifact.
    Redeploy,
    /// Path C: regional failover.
    Failover,
    /// Path D: rebuild.
    Rebuild,
}

/// The recommendation: a strategy, the action that carries it out, and the reasons in plain words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The strategy.
    pub strategy: Strategy,
    /// The first action to take.
    pub action: ProposedAction,
    /// Plain words, most important first.
    pub reasons: Vec<String>,
}
