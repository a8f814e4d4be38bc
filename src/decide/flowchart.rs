//! The runbook's recovery decision flow (seed 000) as data: its nodes with their labels and
//! kinds, and its edges, each decision edge labelled yes or no. The evaluator walks this table;
//! it holds no decision logic of its own. Owns the shape of the flow only — answers and evidence
//! live in `eval` and the evidence modules.

use serde::Serialize;

use super::{NodeId, Strategy};

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// Where the flow starts.
    Start,
    /// Something to do.
    Step,
    /// A question answered yes or no.
    Decision,
    /// Where the flow ends.
    End,
}

/// One node of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FlowNode {
    /// The node.
    pub id: NodeId,
    /// The runbook's words for it.
    pub label: &'static str,
    /// What it is.
    pub kind: NodeKind,
    /// The recovery strategy it carries out, for the four strategy steps.
    pub strategy: Option<Strategy>,
}

/// One edge: from, to, and for decisions the answer that takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FlowEdge {
    /// Source.
    pub from: NodeId,
    /// Destination.
    pub to: NodeId,
    /// `Some(true)` for a yes edge, `Some(false)` for a no edge, `None` for a plain step.
    pub when: Option<bool>,
}

const fn node(id: NodeId, label: &'static str, kind: NodeKind) -> FlowNode {
    FlowNode {
        id,
        label,
        kind,
        strategy: None,
    }
}

const fn strategy(id: NodeId, label: &'static str, s: Strategy) -> FlowNode {
    FlowNode {
        id,
        label,
        kind: NodeKind::Step,
        strategy: Some(s),
    }
}

/// Every node, in the runbook's order.
pub const NODES: [FlowNode; 13] = [
    node(NodeId::Detected, "Incident detected", NodeKind::Start),
    node(NodeId::Scope, "Assess scope and impact", NodeKind::Step),
    node(
        NodeId::DeployRelated,
        "Deployment related?",
        NodeKind::Decision,
    ),
    node(
        NodeId::SlotsHealthy,
        "Slots available and healthy dependencies?",
        NodeKind::Decision,
    ),
    strategy(
        NodeId::SlotSwap,
        "Rollback via slot swap",
        Strategy::SlotSwap,
    ),
    strategy(
        NodeId::Redeploy,
        "Redeploy last known good artifact",
        Strategy::Redeploy,
    ),
    node(
        NodeId::Regional,
        "Regional or shared dependency issue?",
        NodeKind::Decision,
    ),
    strategy(
        NodeId::Failover,
        "Execute regional failover",
        Strategy::Failover,
    ),
    strategy(
        NodeId::Rebuild,
        "Rebuild app or infra component",
        Strategy::Rebuild,
    ),
    node(NodeId::Verify, "Verify health and SLOs", NodeKind::Step),
    node(NodeId::Validated, "Recovery validated?", NodeKind::Decision),
    node(
        NodeId::Close,
        "Close incident and start follow-up",
        NodeKind::End,
    ),
    node(
        NodeId::Escalate,
        "Escalate and run next strategy",
        NodeKind::End,
    ),
];

const fn step(from: NodeId, to: NodeId) -> FlowEdge {
    FlowEdge {
        from,
        to,
        when: None,
    }
}

const fn yes(from: NodeId, to: NodeId) -> FlowEdge {
    FlowEdge {
        from,
        to,
        when: Some(true),
    }
}

const fn no(from: NodeId, to: NodeId) -> FlowEdge {
    FlowEdge {
        from,
        to,
        when: Some(false),
    }
}

/// Every edge of the runbook's flow.
pub const EDGES: [FlowEdge; 15] = [
    step(NodeId::Detected, NodeId::Scope),
    step(NodeId::Scope, NodeId::DeployRelated),
    yes(NodeId::DeployRelated, NodeId::SlotsHealthy),
    no(NodeId::DeployRelated, NodeId::Regional),
    yes(NodeId::SlotsHealthy, NodeId::SlotSwap),
    no(NodeId::SlotsHealthy, NodeId::Redeploy),
    yes(NodeId::Regional, NodeId::Failover),
    no(NodeId::Regional, NodeId::Rebuild),
    step(NodeId::SlotSwap, NodeId::Verify),
    step(NodeId::Redeploy, NodeId::Verify),
    step(NodeId::Failover, NodeId::Verify),
    step(NodeId::Rebuild, NodeId::Verify),
    step(NodeId::Verify, NodeId::Validated),
    yes(NodeId::Validated, NodeId::Close),
    no(NodeId::Validated, NodeId::Escalate),
];

/// The node's entry in the table.
pub fn flow_node(id: NodeId) -> &'static FlowNode {
    NODES
        .iter()
        .find(|n| n.id == id)
        .expect("every NodeId is in NODES (checked by a test)")
}

/// Where the flow goes from `from`: for a decision, along the edge of `answer`; for a step,
/// along its only edge (`answer` ignored). `None` at the ends, or for a decision not answered.
pub fn next(from: NodeId, answer: Option<bool>) -> Option<NodeId> {
    let decision = flow_node(from).kind == NodeKind::Decision;
    EDGES
        .iter()
        .find(|e| e.from == from && (!decision || (answer.is_some() && e.when == answer)))
        .map(|e| e.to)
}

/// The step that carries out a strategy.
pub fn strategy_node(s: Strategy) -> NodeId {
    NODES
        .iter()
        .find(|n| n.strategy == Some(s))
        .map(|n| n.id)
        .expect("every strategy has its step (checked by a test)")
}

/// The strategies in the runbook's escalation order.
pub const ESCALATION_ORDER: [Strategy; 4] = [
    Strategy::SlotSwap,
    Strategy::Redeploy,
    Strategy::Failover,
    Strategy::Rebuild,
];

impl Strategy {
    /// The runbook's words for the strategy.
    pub fn label(self) -> &'static str {
        flow_node(strategy_node(self)).label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [NodeId; 13] = [
        NodeId::Detected,
        NodeId::Scope,
        NodeId::DeployRelated,
        NodeId::SlotsHealthy,
        NodeId::SlotSwap,
        NodeId::Redeploy,
        NodeId::Regional,
        NodeId::Failover,
        NodeId::Rebuild,
        NodeId::Verify,
        NodeId::Validated,
        NodeId::Close,
        NodeId::Escalate,
    ];

    #[test]
    fn every_node_is_in_the_table_once_and_decisions_have_a_yes_and_a_no() {
        for id in ALL {
            assert_eq!(NODES.iter().filter(|n| n.id == id).count(), 1, "{id:?}");
            let out: Vec<_> = EDGES.iter().filter(|e| e.from == id).collect();
            match flow_node(id).kind {
                NodeKind::Decision => {
                    assert_eq!(out.len(), 2, "{id:?}");
                    assert!(out.iter().any(|e| e.when == Some(true)));
                    assert!(out.iter().any(|e| e.when == Some(false)));
                }
                NodeKind::End => assert!(out.is_empty(), "{id:?}"),
                NodeKind::Start | NodeKind::Step => assert_eq!(out.len(), 1, "{id:?}"),
            }
        }
    }

    #[test]
    fn the_four_paths_of_the_runbook_follow_the_table() {
        assert_eq!(next(NodeId::Detected, None), Some(NodeId::Scope));
        assert_eq!(
            next(NodeId::DeployRelated, Some(true)),
            Some(NodeId::SlotsHealthy)
        );
        assert_eq!(
            next(NodeId::SlotsHealthy, Some(false)),
            Some(NodeId::Redeploy)
        );
        assert_eq!(next(NodeId::Regional, Some(true)), Some(NodeId::Failover));
        assert_eq!(next(NodeId::Regional, Some(false)), Some(NodeId::Rebuild));
        assert_eq!(next(NodeId::Rebuild, None), Some(NodeId::Verify));
        assert_eq!(next(NodeId::Validated, Some(false)), Some(NodeId::Escalate));
        // An unanswered decision goes nowhere; the ends go nowhere.
        assert_eq!(next(NodeId::DeployRelated, None), None);
        assert_eq!(next(NodeId::Close, None), None);
    }

    #[test]
    fn strategies_map_to_their_steps_in_escalation_order() {
        let steps: Vec<NodeId> = ESCALATION_ORDER.into_iter().map(strategy_node).collect();
        assert_eq!(
            steps,
            [
                NodeId::SlotSwap,
                NodeId::Redeploy,
                NodeId::Failover,
                NodeId::Rebuild
            ]
        );
        assert_eq!(Strategy::Failover.label(), "Execute regional failover");
    }
}
