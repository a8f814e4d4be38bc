//! What the runtime journals of each new snapshot: the incident's declaration, the observations
//! that changed the picture (`journal::observation`, only while the incident is open), the
//! recovery validated after an action, and each new decision of the engine with its evidence.
//! Nothing while the estate is calm. It reads the snapshot and asks the engine; it runs nothing.

use super::Worker;
use crate::decide::{self, NodeId};
use crate::journal::Entry;
use crate::model::Snapshot;
use crate::tui::actions::ActionEvent;

impl Worker {
    /// Journals what changed the picture: the declaration, then what was observed to change,
    /// then each new decision (path or recommendation) with its evidence.
    pub(super) fn journal_picture(&mut self, snap: &Snapshot) {
        // The watch sees every snapshot, calm or not, so the picture before the incident is
        // known; what it finds is journaled only while an incident is open.
        let affected = self
            .incident
            .as_ref()
            .map(|i| i.apps.clone())
            .unwrap_or_default();
        let changes = self.watch.observe(snap, &affected);
        let Some(i) = &self.incident else {
            return;
        };
        if !self.declared {
            let entry = Entry::Declared {
                detected_at: i.detected_at,
                apps: i.apps.clone(),
            };
            self.declared = self.append(&entry);
        }
        if self.declared && !self.closed && !changes.is_empty() {
            self.append(&Entry::Observed { changes });
        }
        self.journal_decision(snap);
    }

    /// Journals the recovery validated within the window, and the engine's answer when its path
    /// or recommendation changed.
    fn journal_decision(&mut self, snap: &Snapshot) {
        let now = (self.rt.now)();
        let d = decide::evaluate(snap, &self.rt.estate, &self.context(), now);
        if self.cx.validated_at.is_none()
            && !self.cx.actions.is_empty()
            && d.answer(NodeId::Validated).answer == decide::Answer::Yes
        {
            // Validated within the window: it stands (journaled, so a resume keeps it), and the
            // console hears so.
            self.cx.validated_at = Some(now);
            self.append(&Entry::Validated { at: now });
            self.send(ActionEvent::Context(Box::new(self.context())));
        }
        let rec = d.recommendation.as_ref().map(|r| r.action.clone());
        let path: Vec<String> = d.path.iter().map(|n| format!("{n:?}")).collect();
        let key = (path.clone(), rec.clone());
        if self.last_decision.as_ref() == Some(&key) {
            return;
        }
        let evidence = d
            .path
            .iter()
            .filter_map(|n| {
                let a = d.answer(*n);
                let first = a.evidence.first()?;
                Some(format!(
                    "{}: {:?}: {}",
                    decide::flowchart::flow_node(*n).label,
                    a.answer,
                    first.text
                ))
            })
            .collect();
        let entry = Entry::Decision {
            path,
            recommendation: rec,
            summary: d.summary.clone(),
            evidence,
        };
        if self.append(&entry) {
            self.last_decision = Some(key);
        }
    }
}

#[cfg(test)]
#[path = "picture_tests.rs"]
mod tests;
