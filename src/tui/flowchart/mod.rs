//! The runbook flowchart as data ([`Flowchart`]: nodes and labelled edges), the live state of each
//! node ([`NodeStates`]), and the walk along the answered path. The drawing (`layout`, `route`)
//! takes any flowchart; [`Flowchart::runbook`] is seed 000's. Pure: no terminal, no clock.
//!
//! The decision engine (`crate::decide`) answers the nodes; `from_decide` maps its answers here.

pub mod from_decide;
pub mod layout;
pub mod route;

use std::collections::HashMap;

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A step to carry out.
    Process,
    /// A question answered yes or no.
    Decision,
    /// Where a path ends.
    Terminal,
}

/// One node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable id (`deploy_related`).
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// The runbook's words.
    pub label: String,
    /// A short form for small boxes.
    pub short: String,
}

/// Which answer an edge follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeLabel {
    /// Followed when the decision is yes.
    Yes,
    /// Followed when the decision is no.
    No,
}

impl EdgeLabel {
    /// The word drawn on the edge.
    pub fn word(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
        }
    }
}

/// One edge, by node index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// From node.
    pub from: usize,
    /// To node.
    pub to: usize,
    /// The answer it follows, for edges leaving a decision.
    pub label: Option<EdgeLabel>,
}

/// A flowchart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flowchart {
    /// Nodes; the first is the start.
    pub nodes: Vec<Node>,
    /// Edges.
    pub edges: Vec<Edge>,
}

/// The live state of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeState {
    /// Not reached on the current path.
    NotReached,
    /// Being evaluated (waiting for data or an answer).
    Evaluating,
    /// A decision answered yes.
    Yes,
    /// A decision answered no.
    No,
    /// The step the console recommends next.
    Recommended,
    /// Carried out, or passed.
    Done,
    /// Carried out and failed.
    Failed,
}

impl NodeState {
    /// A one-character symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::NotReached => "·",
            Self::Evaluating => "…",
            Self::Yes | Self::Done => "✓",
            Self::No | Self::Failed => "✗",
            Self::Recommended => "▶",
        }
    }

    /// A word of at most four letters, for box borders (empty when not reached).
    pub fn short_word(self) -> &'static str {
        match self {
            Self::NotReached => "",
            Self::Evaluating => "now",
            Self::Yes => "yes",
            Self::No => "no",
            Self::Recommended => "next",
            Self::Done => "done",
            Self::Failed => "fail",
        }
    }

    /// A word.
    pub fn word(self) -> &'static str {
        match self {
            Self::NotReached => "not reached",
            Self::Evaluating => "evaluating",
            Self::Yes => "yes",
            Self::No => "no",
            Self::Recommended => "recommended",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }
}

/// A node's state with its evidence in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeStatus {
    /// The state.
    pub state: NodeState,
    /// Why, in one line (numbers and times), when there is something to say.
    pub evidence: Option<String>,
}

/// The state of every node, by id; absent means not reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeStates(pub HashMap<String, NodeStatus>);

impl NodeStates {
    /// A node's status (not reached when absent).
    pub fn get(&self, id: &str) -> NodeStatus {
        self.0.get(id).cloned().unwrap_or(NodeStatus {
            state: NodeState::NotReached,
            evidence: None,
        })
    }

    /// A node's state.
    pub fn state(&self, id: &str) -> NodeState {
        self.0.get(id).map_or(NodeState::NotReached, |s| s.state)
    }

    /// Sets a node's state and evidence.
    pub fn set(&mut self, id: &str, state: NodeState, evidence: impl Into<Option<String>>) {
        self.0.insert(
            id.to_owned(),
            NodeStatus {
                state,
                evidence: evidence.into(),
            },
        );
    }
}

impl Flowchart {
    /// Builds a flowchart from `(id, kind, label, short)` rows and `(from, to, label)` edges by id.
    /// Edges naming unknown ids are dropped (the runbook's table is checked by a test).
    pub fn from_table(
        nodes: &[(&str, NodeKind, &str, &str)],
        edges: &[(&str, &str, Option<EdgeLabel>)],
    ) -> Self {
        let nodes: Vec<Node> = nodes
            .iter()
            .map(|&(id, kind, label, short)| Node {
                id: id.to_owned(),
                kind,
                label: label.to_owned(),
                short: short.to_owned(),
            })
            .collect();
        let index = |id: &str| nodes.iter().position(|n| n.id == id);
        let edges = edges
            .iter()
            .filter_map(|&(from, to, label)| {
                Some(Edge {
                    from: index(from)?,
                    to: index(to)?,
                    label,
                })
            })
            .collect();
        Self { nodes, edges }
    }

    /// The recovery decision flow of the runbook (seed 000).
    pub fn runbook() -> Self {
        use EdgeLabel::{No, Yes};
        use NodeKind::{Decision, Process, Terminal};
        Self::from_table(
            &[
                ("detected", Terminal, "Incident detected", "Detected"),
                ("assess", Process, "Assess scope and impact", "Assess scope"),
                (
                    "deploy_related",
                    Decision,
                    "Deployment related?",
                    "Deploy related?",
                ),
                (
                    "slots_healthy",
                    Decision,
                    "Slots available and healthy dependencies?",
                    "Slots healthy?",
                ),
                (
                    "regional",
                    Decision,
                    "Regional or shared dependency issue?",
                    "Regional?",
                ),
                ("swap", Process, "Rollback via slot swap", "Slot swap"),
                (
                    "redeploy",
                    Process,
                    "Redeploy last known good artifact",
                    "Redeploy LKG",
                ),
                ("failover", Process, "Execute regional failover", "Failover"),
                (
                    "rebuild",
                    Process,
                    "Rebuild app or infra component",
                    "Rebuild",
                ),
                ("verify", Process, "Verify health and SLOs", "Verify"),
                ("validated", Decision, "Recovery validated?", "Validated?"),
                (
                    "close",
                    Terminal,
                    "Close incident and start follow-up",
                    "Close",
                ),
                (
                    "escalate",
                    Terminal,
                    "Escalate and run next strategy",
                    "Escalate",
                ),
            ],
            &[
                ("detected", "assess", None),
                ("assess", "deploy_related", None),
                ("deploy_related", "slots_healthy", Some(Yes)),
                ("deploy_related", "regional", Some(No)),
                ("slots_healthy", "swap", Some(Yes)),
                ("slots_healthy", "redeploy", Some(No)),
                ("regional", "failover", Some(Yes)),
                ("regional", "rebuild", Some(No)),
                ("swap", "verify", None),
                ("redeploy", "verify", None),
                ("failover", "verify", None),
                ("rebuild", "verify", None),
                ("verify", "validated", None),
                ("validated", "close", Some(Yes)),
                ("validated", "escalate", Some(No)),
            ],
        )
    }

    /// The edges leaving a node.
    pub fn out_edges(&self, node: usize) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(move |e| e.from == node)
    }

    /// The path from the start through answered decisions and reached steps, ending at the first
    /// step that is recommended, evaluating or not yet reached. Never loops.
    pub fn current_path(&self, states: &NodeStates) -> Vec<usize> {
        let mut path = Vec::new();
        let mut at = 0;
        while at < self.nodes.len() && !path.contains(&at) {
            path.push(at);
            let state = states.state(&self.nodes[at].id);
            let follow = match state {
                NodeState::Yes => Some(EdgeLabel::Yes),
                NodeState::No => Some(EdgeLabel::No),
                NodeState::Done => None,
                _ => break,
            };
            let next = self
                .out_edges(at)
                .find(|e| follow.is_none_or(|f| e.label == Some(f)))
                .map(|e| e.to);
            match next {
                Some(n) => at = n,
                None => break,
            }
        }
        path
    }

    /// The first recommended node, if any.
    pub fn recommended(&self, states: &NodeStates) -> Option<usize> {
        self.nodes
            .iter()
            .position(|n| states.state(&n.id) == NodeState::Recommended)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runbook_has_every_edge_of_the_seed() {
        let f = Flowchart::runbook();
        assert_eq!(f.nodes.len(), 13);
        assert_eq!(f.edges.len(), 15, "an edge names an unknown node");
        for (i, n) in f.nodes.iter().enumerate() {
            if n.kind == NodeKind::Decision {
                let labels: Vec<_> = f.out_edges(i).map(|e| e.label).collect();
                assert_eq!(
                    labels,
                    [Some(EdgeLabel::Yes), Some(EdgeLabel::No)],
                    "{}",
                    n.id
                );
            }
        }
    }

    #[test]
    fn the_current_path_follows_answers_and_stops_at_the_recommendation() {
        let f = Flowchart::runbook();
        let mut s = NodeStates::default();
        s.set("detected", NodeState::Done, None);
        s.set("assess", NodeState::Done, None);
        s.set(
            "deploy_related",
            NodeState::Yes,
            Some("swap 1m before onset".into()),
        );
        s.set("slots_healthy", NodeState::No, None);
        s.set("redeploy", NodeState::Recommended, None);
        let ids: Vec<_> = f
            .current_path(&s)
            .into_iter()
            .map(|i| f.nodes[i].id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "detected",
                "assess",
                "deploy_related",
                "slots_healthy",
                "redeploy"
            ]
        );
        assert_eq!(
            f.recommended(&s).map(|i| f.nodes[i].id.as_str()),
            Some("redeploy")
        );
    }

    #[test]
    fn the_current_path_of_nothing_is_the_start() {
        let f = Flowchart::runbook();
        assert_eq!(f.current_path(&NodeStates::default()), [0]);
    }
}
