//! [`Plan`]: what an action will do before it does it: its steps (each with the REST call, the
//! `az` command that does the same, and the concrete [`Effect`]), the gates and safety rules it
//! was checked against, its risk, expected duration, undo and the confirmation it needs.
//!
//! Plain data, serialisable for `warroom plan --json`. No values of secrets anywhere: request
//! bodies are summaries with placeholders such as `<value of FEATURE_X from func-orders-prod-krc>`.

use serde::Serialize;

use super::confirm::{Confirmation, OverrideNeeded};
use super::effect::Effect;
use crate::decide::{
    GateResult, GateStatus, Override, OverrideTarget, ProposedAction, SafetyCheck,
};

/// An action's plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// A stable id: kind, target and the snapshot's time.
    pub id: String,
    /// The action.
    pub action: ProposedAction,
    /// One line.
    pub title: String,
    /// A few sentences: what is wrong, what changes, why this way.
    pub summary: String,
    /// The steps, in order.
    pub steps: Vec<PlanStep>,
    /// A read-only step the console runs and shows before asking for confirmation (the
    /// template what-if of a rebuild).
    pub preview: Option<PlanStep>,
    /// The preview's result, once run ([`super::executor::run_preview`]).
    pub preview_result: Option<String>,
    /// How risky.
    pub risk: Risk,
    /// How long it is expected to take.
    pub expected: Expected,
    /// The action that undoes this one, where one exists.
    pub undo: Option<ProposedAction>,
    /// Further remarks (why not another way, what has no undo, what to do next).
    pub notes: Vec<String>,
    /// Separate actions the situation may call for next (alias or storage failover).
    pub follow_ups: Vec<ProposedAction>,
    /// The gates the action was checked against.
    pub gates: Vec<GateResult>,
    /// The safety rules' verdicts.
    pub safety: Vec<SafetyCheck>,
    /// What the commander must type or press, and the overrides still needed.
    pub confirmation: Confirmation,
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanStep {
    /// Plain words.
    pub what: String,
    /// The REST call it makes (the main one, when a step makes several).
    pub call: Option<RestCall>,
    /// The `az` command that does the same, with values masked.
    pub az: Option<String>,
    /// The concrete operation the executor performs.
    pub effect: Effect,
}

/// A REST call as the plan shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestCall {
    /// `GET`, `PUT`, `POST`, `PATCH` or `DELETE`.
    pub method: String,
    /// An ARM path, or a Kudu / data-plane URL (template).
    pub path: String,
    /// The `api-version` (ARM calls only).
    pub api_version: Option<String>,
    /// A secret-free summary of the body.
    pub body: Option<serde_json::Value>,
}

impl RestCall {
    /// An ARM call.
    pub fn arm(
        method: &str,
        path: String,
        api_version: &str,
        body: Option<serde_json::Value>,
    ) -> Self {
        Self {
            method: method.to_owned(),
            path,
            api_version: Some(api_version.to_owned()),
            body,
        }
    }

    /// A call to a non-ARM URL (Kudu, a data plane, a health endpoint).
    pub fn url(method: &str, url: String, body: Option<serde_json::Value>) -> Self {
        Self {
            method: method.to_owned(),
            path: url,
            api_version: None,
            body,
        }
    }

    /// `METHOD path?api-version=…` on one line.
    pub fn line(&self) -> String {
        match &self.api_version {
            Some(v) => {
                let sep = if self.path.contains('?') { '&' } else { '?' };
                format!("{} {}{sep}api-version={v}", self.method, self.path)
            }
            None => format!("{} {}", self.method, self.path),
        }
    }
}

/// An action's risk, which sets its confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Read-only or easily undone, no traffic moves.
    Low,
    /// Changes what serves, with an undo.
    Medium,
    /// Moves traffic or data between regions, or cannot be undone.
    High,
}

impl Risk {
    /// A word.
    pub fn label(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "HIGH",
        }
    }
}

/// How long an action is expected to take, from documentation-level estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Expected {
    /// Shortest, seconds.
    pub min_secs: u64,
    /// Longest, seconds.
    pub max_secs: u64,
}

impl Expected {
    /// Between `min` and `max` minutes.
    pub const fn minutes(min: u64, max: u64) -> Self {
        Self {
            min_secs: min * 60,
            max_secs: max * 60,
        }
    }

    /// The sum of two estimates (steps in sequence).
    #[must_use]
    pub const fn then(self, other: Self) -> Self {
        Self {
            min_secs: self.min_secs + other.min_secs,
            max_secs: self.max_secs + other.max_secs,
        }
    }

    /// `30 s–2 min`, `5–15 min`.
    pub fn words(self) -> String {
        let w = |s: u64| {
            if s < 60 {
                format!("{s} s")
            } else {
                format!("{} min", s.div_ceil(60))
            }
        };
        if self.min_secs >= 60 && self.max_secs >= 60 {
            format!(
                "{}–{} min",
                self.min_secs.div_ceil(60),
                self.max_secs.div_ceil(60)
            )
        } else {
            format!("{}–{}", w(self.min_secs), w(self.max_secs))
        }
    }
}

impl Plan {
    /// Why the plan cannot run as it stands: each failed or unknown gate and each refusing
    /// safety rule that is not overridden. Empty when it may run.
    pub fn blocked_reasons(&self) -> Vec<String> {
        let gates = self.gates.iter().filter(|g| !g.allows()).map(|g| {
            let failing: Vec<&str> = g
                .checks
                .iter()
                .filter(|c| c.status != GateStatus::Pass)
                .map(|c| c.detail.as_str())
                .collect();
            format!(
                "gate {} is {}: {}",
                gate_words(g.gate),
                status_words(g.status),
                failing.join("; ")
            )
        });
        let safety = self
            .safety
            .iter()
            .filter(|s| !s.allows())
            .map(|s| format!("safety rule \"{}\" refuses: {}", s.rule.words(), s.reason));
        gates.chain(safety).collect()
    }

    /// Whether a failed gate or refusing rule stands without an override.
    pub fn is_blocked(&self) -> bool {
        !self.blocked_reasons().is_empty()
    }

    /// Records an override on the gate or safety rule it names; returns whether it matched one
    /// that needed it. The confirmation's list of needed overrides shrinks accordingly.
    pub fn apply_override(&mut self, o: &Override) -> bool {
        let mut matched = false;
        match &o.target {
            OverrideTarget::Gate { gate } => {
                for g in self
                    .gates
                    .iter_mut()
                    .filter(|g| g.gate == *gate && !g.allows())
                {
                    g.overridden = Some(o.clone());
                    matched = true;
                }
            }
            OverrideTarget::Safety { rule, target } => {
                if *target == self.action.target {
                    for s in self
                        .safety
                        .iter_mut()
                        .filter(|s| s.rule == *rule && !s.allows())
                    {
                        s.overridden = Some(o.clone());
                        matched = true;
                    }
                }
            }
            OverrideTarget::Node { .. } => {}
        }
        self.confirmation.overrides_needed = overrides_needed(self);
        matched
    }

    /// Every override the plan carries (set by the engine or by [`Self::apply_override`]).
    pub fn overrides(&self) -> Vec<Override> {
        let gates = self.gates.iter().filter_map(|g| g.overridden.clone());
        let safety = self.safety.iter().filter_map(|s| s.overridden.clone());
        gates.chain(safety).collect()
    }
}

/// The overrides a plan still needs: one per failed or unknown gate and per refusing rule.
pub fn overrides_needed(plan: &Plan) -> Vec<OverrideNeeded> {
    let gates = plan
        .gates
        .iter()
        .filter(|g| !g.allows())
        .map(|g| OverrideNeeded {
            target: OverrideTarget::Gate { gate: g.gate },
            why: format!("gate {} is {}", gate_words(g.gate), status_words(g.status)),
        });
    let safety = plan
        .safety
        .iter()
        .filter(|s| !s.allows())
        .map(|s| OverrideNeeded {
            target: OverrideTarget::Safety {
                rule: s.rule,
                target: plan.action.target.clone(),
            },
            why: format!("safety rule \"{}\": {}", s.rule.words(), s.reason),
        });
    gates.chain(safety).collect()
}

/// A gate in words.
pub fn gate_words(g: crate::decide::GateId) -> &'static str {
    use crate::decide::GateId;
    match g {
        GateId::Scope => "incident scope",
        GateId::SecondaryReadiness => "secondary readiness",
        GateId::DataConsistency => "data consistency",
        GateId::AlertSuppression => "alert suppression",
    }
}

/// A gate status in words (colour never carries it alone).
pub fn status_words(s: GateStatus) -> &'static str {
    match s {
        GateStatus::Pass => "PASS",
        GateStatus::Fail => "FAILED",
        GateStatus::Unknown => "UNKNOWN",
    }
}
