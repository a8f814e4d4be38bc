//! The walk's state while `eval` and `after` fill it in: every node's answer (Pending until
//! reached), the path taken, and what the decisions found on the way (the app to act on, the
//! failing region, the cause, the last known good version, the reasons so far). Applies node
//! overrides as answers are given. Pure.

use chrono::{DateTime, Utc};

use super::deploy::{Cause, Finding};
use super::evidence::ev;
use super::flowchart::NODES;
use super::lkg::LastGood;
use super::recommend::Basis;
use super::scope::RegionView;
use super::{Answer, DecideContext, Evidence, NodeAnswer, NodeId, overrides};
use crate::model::AppState;

/// The answers as the walk fills them in.
pub struct Walk {
    pub answers: Vec<NodeAnswer>,
    pub path: Vec<NodeId>,
}

impl Walk {
    pub fn new() -> Self {
        Self {
            answers: NODES
                .iter()
                .map(|n| NodeAnswer {
                    node: n.id,
                    answer: Answer::Pending,
                    evidence: Vec::new(),
                    overridden: None,
                })
                .collect(),
            path: Vec::new(),
        }
    }

    fn slot(&mut self, node: NodeId) -> &mut NodeAnswer {
        self.answers
            .iter_mut()
            .find(|a| a.node == node)
            .expect("every node has an answer")
    }

    /// Answers a node and adds it to the path.
    pub fn set(&mut self, node: NodeId, answer: Answer, evidence: Vec<Evidence>) {
        let s = self.slot(node);
        s.answer = answer;
        s.evidence = evidence;
        if !self.path.contains(&node) {
            self.path.push(node);
        }
    }

    /// Adds evidence to a node without walking it.
    pub fn note(&mut self, node: NodeId, e: Evidence) {
        self.slot(node).evidence.push(e);
    }

    /// Answers a decision from a finding, unless the commander overrode it; returns the answer.
    pub fn decide(
        &mut self,
        node: NodeId,
        f: Finding,
        cx: &DecideContext,
        now: DateTime<Utc>,
    ) -> Answer {
        let over = overrides::node_override(&cx.overrides, node, now);
        let answer = match over {
            Some((_, yes)) => {
                if yes {
                    Answer::Yes
                } else {
                    Answer::No
                }
            }
            None => f.answer,
        };
        let mut evidence = f.evidence;
        if let Some((o, _)) = over {
            evidence.insert(
                0,
                ev(
                    format!("{} (evidence said {:?})", o.words(), f.answer),
                    Some(o.at),
                    "override",
                ),
            );
        }
        self.set(node, answer, evidence);
        self.slot(node).overridden = over.map(|(o, _)| o.clone());
        answer
    }
}

/// What the walk found on its way.
pub struct Found<'a> {
    pub affected: Vec<&'a AppState>,
    pub app: &'a AppState,
    pub bad: Option<RegionView>,
    pub cause: Option<Cause>,
    pub last_good: Option<LastGood>,
    /// Why the flow's strategy gave way to the next one before anything was done.
    pub instead: Option<String>,
    pub why: Vec<String>,
}

impl Found<'_> {
    pub fn basis(&self) -> Basis<'_> {
        Basis {
            app: self.app,
            bad: self.bad.as_ref(),
            affected: &self.affected,
            last_good: self.last_good.clone(),
            why: self.why.clone(),
        }
    }
}
