//! Turns the decision engine's answers ([`crate::decide::NodeAnswer`]) into the console's node
//! states: which flowchart box shows what, with its first line of evidence and the override
//! marker. Pure; owns only the mapping between the engine's node ids and the drawing's.

use super::{NodeState, NodeStates};
use crate::decide::{Answer, NodeAnswer, NodeId};

/// The drawing's id of an engine node.
pub fn drawing_id(node: NodeId) -> &'static str {
    match node {
        NodeId::Detected => "detected",
        NodeId::Scope => "assess",
        NodeId::DeployRelated => "deploy_related",
        NodeId::SlotsHealthy => "slots_healthy",
        NodeId::SlotSwap => "swap",
        NodeId::Redeploy => "redeploy",
        NodeId::Regional => "regional",
        NodeId::Failover => "failover",
        NodeId::Rebuild => "rebuild",
        NodeId::Verify => "verify",
        NodeId::Validated => "validated",
        NodeId::Close => "close",
        NodeId::Escalate => "escalate",
    }
}

/// The state a box shows for an answer.
fn state(answer: Answer) -> NodeState {
    match answer {
        Answer::Yes => NodeState::Yes,
        Answer::No => NodeState::No,
        Answer::Unknown => NodeState::Evaluating,
        Answer::Current => NodeState::Recommended,
        Answer::Done => NodeState::Done,
        Answer::Pending => NodeState::NotReached,
    }
}

/// One line of evidence: the first piece, marked when the commander overrode the answer.
fn evidence_line(a: &NodeAnswer) -> Option<String> {
    let first = a.evidence.first().map(|e| e.text.clone());
    match (&a.overridden, first) {
        (Some(o), Some(t)) => Some(format!("OVERRIDDEN ({}); {t}", o.reason)),
        (Some(o), None) => Some(format!("OVERRIDDEN ({})", o.reason)),
        (None, t) => t,
    }
}

/// The node states for a set of answers; unreached nodes are left out (drawn as not reached).
pub fn node_states(answers: &[NodeAnswer]) -> NodeStates {
    let mut s = NodeStates::default();
    for a in answers {
        let st = state(a.answer);
        if st == NodeState::NotReached && a.evidence.is_empty() {
            continue;
        }
        s.set(drawing_id(a.node), st, evidence_line(a));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{Evidence, Override, OverrideTarget};
    use crate::tui::flowchart::Flowchart;
    use chrono::{TimeZone, Utc};

    fn answer(node: NodeId, answer: Answer, text: &str) -> NodeAnswer {
        NodeAnswer {
            node,
            answer,
            evidence: vec![Evidence {
                text: text.to_owned(),
                at: None,
                source: "metrics".to_owned(),
            }],
            overridden: None,
        }
    }

    #[test]
    fn every_engine_node_has_a_box_in_the_drawing() {
        let chart = Flowchart::runbook();
        for node in [
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
        ] {
            let id = drawing_id(node);
            assert!(chart.nodes.iter().any(|n| n.id == id), "{id} not drawn");
        }
    }

    #[test]
    fn answers_become_states_with_their_evidence_and_overrides_are_marked() {
        let mut over = answer(NodeId::DeployRelated, Answer::No, "no change before onset");
        over.overridden = Some(Override {
            target: OverrideTarget::Node {
                node: NodeId::DeployRelated,
                answer: false,
            },
            reason: "config push outside the pipeline".to_owned(),
            at: Utc
                .with_ymd_and_hms(2026, 11, 24, 2, 0, 0)
                .single()
                .expect("valid"),
        });
        let s = node_states(&[
            answer(
                NodeId::Detected,
                Answer::Done,
                "orders-api-krc unhealthy since 02:14",
            ),
            over,
            answer(
                NodeId::SlotSwap,
                Answer::Current,
                "staging runs 1.4.2, Healthy",
            ),
            NodeAnswer {
                node: NodeId::Close,
                answer: Answer::Pending,
                evidence: vec![],
                overridden: None,
            },
        ]);
        assert_eq!(s.state("detected"), NodeState::Done);
        assert_eq!(s.state("swap"), NodeState::Recommended);
        assert_eq!(s.state("close"), NodeState::NotReached);
        let dr = s.get("deploy_related");
        assert_eq!(dr.state, NodeState::No);
        let ev = dr.evidence.expect("evidence");
        assert!(
            ev.starts_with("OVERRIDDEN (config push outside the pipeline)"),
            "{ev}"
        );
        assert!(ev.contains("no change before onset"));
    }
}
