//! The commander's overrides: creating one (the reason is typed and never empty), and finding the
//! override that applies to a decision node, a gate or a safety rule on one target. The latest
//! valid override (by time, not after `now`) wins; an override with a blank reason is never
//! applied, whoever built it.
//!
//! Pure; the journal records overrides, `eval`, `gates` and `safety` apply them.

use chrono::{DateTime, Utc};

use super::{
    GateId, GateResult, GateStatus, NodeId, Override, OverrideTarget, ProposedAction, SafetyCheck,
    SafetyRule,
};

/// Why an override was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    /// The reason was empty or blank.
    #[error("an override needs a typed reason")]
    EmptyReason,
    /// The node is not a decision (only yes/no questions can be overridden).
    #[error("{0:?} is not a decision; only decisions can be overridden")]
    NotADecision(NodeId),
}

/// The nodes whose answer may be overridden.
pub const OVERRIDABLE: [NodeId; 4] = [
    NodeId::DeployRelated,
    NodeId::SlotsHealthy,
    NodeId::Regional,
    NodeId::Validated,
];

impl Override {
    /// An override with its reason (trimmed), refused when the reason is blank or the node is
    /// not a decision.
    pub fn new(
        target: OverrideTarget,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<Self, OverrideError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(OverrideError::EmptyReason);
        }
        if let OverrideTarget::Node { node, .. } = target
            && !OVERRIDABLE.contains(&node)
        {
            return Err(OverrideError::NotADecision(node));
        }
        Ok(Self {
            target,
            reason: reason.to_owned(),
            at,
        })
    }

    /// Whether this override may be applied at `now`.
    pub fn is_valid(&self, now: DateTime<Utc>) -> bool {
        !self.reason.trim().is_empty() && self.at <= now
    }

    /// Words for the evidence: `overridden at 09:14:02: "reason"`.
    pub fn words(&self) -> String {
        format!(
            "overridden at {}: \"{}\"",
            self.at.format("%H:%M:%S"),
            self.reason
        )
    }
}

fn latest(
    overrides: &[Override],
    now: DateTime<Utc>,
    want: impl Fn(&OverrideTarget) -> bool,
) -> Option<&Override> {
    overrides
        .iter()
        .filter(|o| o.is_valid(now) && want(&o.target))
        .max_by_key(|o| o.at)
}

/// The override of a decision node's answer, with the answer it forces.
pub fn node_override(
    overrides: &[Override],
    node: NodeId,
    now: DateTime<Utc>,
) -> Option<(&Override, bool)> {
    if !OVERRIDABLE.contains(&node) {
        return None;
    }
    let o = latest(
        overrides,
        now,
        |t| matches!(t, OverrideTarget::Node { node: n, .. } if *n == node),
    )?;
    match o.target {
        OverrideTarget::Node { answer, .. } => Some((o, answer)),
        _ => None,
    }
}

/// The override of a gate.
pub fn gate_override(
    overrides: &[Override],
    gate: GateId,
    now: DateTime<Utc>,
) -> Option<&Override> {
    latest(
        overrides,
        now,
        |t| matches!(t, OverrideTarget::Gate { gate: g } if *g == gate),
    )
}

/// The override of a safety rule for one target.
pub fn safety_override<'a>(
    overrides: &'a [Override],
    rule: SafetyRule,
    target: &str,
    now: DateTime<Utc>,
) -> Option<&'a Override> {
    latest(
        overrides,
        now,
        |t| matches!(t, OverrideTarget::Safety { rule: r, target: g } if *r == rule && g == target),
    )
}

/// Marks every gate that does not pass and has an override as overridden.
pub fn apply_to_gates(gates: &mut [GateResult], overrides: &[Override], now: DateTime<Utc>) {
    for g in gates.iter_mut().filter(|g| g.status != GateStatus::Pass) {
        g.overridden = gate_override(overrides, g.gate, now).cloned();
    }
}

/// Marks every refusal of `action` that has an override naming its rule and target.
pub fn apply_to_safety(
    checks: &mut [SafetyCheck],
    action: &ProposedAction,
    overrides: &[Override],
    now: DateTime<Utc>,
) {
    for c in checks.iter_mut().filter(|c| !c.allowed) {
        c.overridden = safety_override(overrides, c.rule, &action.target, now).cloned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 4, 4, 9, 0, 0)
            .single()
            .expect("valid")
            + Duration::minutes(min)
    }

    #[test]
    fn an_override_needs_a_reason_and_a_decision() {
        let node = OverrideTarget::Node {
            node: NodeId::DeployRelated,
            answer: true,
        };
        assert_eq!(
            Override::new(node.clone(), "  ", t(0)),
            Err(OverrideError::EmptyReason)
        );
        let o = Override::new(node, " release notes say so ", t(0)).expect("valid");
        assert_eq!(o.reason, "release notes say so");
        let step = OverrideTarget::Node {
            node: NodeId::SlotSwap,
            answer: true,
        };
        assert_eq!(
            Override::new(step, "x", t(0)),
            Err(OverrideError::NotADecision(NodeId::SlotSwap))
        );
    }

    #[test]
    fn the_latest_valid_override_wins_and_blank_or_future_ones_are_ignored() {
        let node = |answer, reason: &str, at| Override {
            target: OverrideTarget::Node {
                node: NodeId::Regional,
                answer,
            },
            reason: reason.to_owned(),
            at,
        };
        let list = [
            node(true, "first", t(1)),
            node(false, "second", t(2)),
            node(true, "", t(3)),
            node(true, "future", t(9)),
        ];
        let (o, answer) = node_override(&list, NodeId::Regional, t(5)).expect("one applies");
        assert_eq!((o.reason.as_str(), answer), ("second", false));
        assert!(node_override(&list, NodeId::DeployRelated, t(5)).is_none());
    }

    #[test]
    fn safety_overrides_name_the_rule_and_the_target() {
        let o = Override {
            target: OverrideTarget::Safety {
                rule: SafetyRule::PendingReplication,
                target: "sb-functions-prod".into(),
            },
            reason: "the 3 pending operations are test messages".into(),
            at: t(1),
        };
        let list = [o];
        let action = |target: &str| ProposedAction {
            kind: crate::decide::ActionKind::AliasFailover,
            target: target.to_owned(),
            release: None,
        };
        let refusal = SafetyCheck {
            rule: SafetyRule::PendingReplication,
            allowed: false,
            reason: "3 pending".into(),
            overridden: None,
        };
        let mut checks = vec![refusal.clone()];
        apply_to_safety(&mut checks, &action("evh-functions-prod"), &list, t(2));
        assert!(!checks[0].allows());
        apply_to_safety(&mut checks, &action("sb-functions-prod"), &list, t(2));
        assert!(checks[0].allows());
        assert!(checks[0].overridden.is_some());
    }
}
