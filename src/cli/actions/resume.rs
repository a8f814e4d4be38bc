//! Resuming an open incident: finding the estate's latest incident folder without a closing
//! ([`latest_open`]), restoring the runtime's decision context and declaration from its journal,
//! and reconciling every unfinished intent against Azure before any new plan is offered. Each
//! reconciliation is journaled (no outcome is invented); the console is told the results and
//! plans wait until the commander has seen them.

use std::path::{Path, PathBuf};

use super::{Worker, estate_slug, stamp};
use crate::act::reconcile::reconcile;
use crate::config::Estate;
use crate::decide;
use crate::journal::resume::found_succeeded;
use crate::journal::{self, Entry, Resumed};
use crate::tui::actions::{ActionEvent, ReconcileView, ResumeView};
use crate::tui::derive::incident::Incident;

/// The estate's latest incident folder under `incidents`, with its journal restored, when that
/// incident is still open (no closing entry). Only the latest counts: an older open folder is
/// history. A folder belongs to the estate when its name is the estate's slug, `-`, and a
/// `yyyymmddThhmmssZ` time (with `-2`, `-3`, … for later incidents of the same second).
pub fn latest_open(incidents: &Path, estate: &Estate) -> Option<(PathBuf, Resumed)> {
    let prefix = format!("{}-", estate_slug(&estate.name));
    let latest = std::fs::read_dir(incidents)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let started = stamp(name.strip_prefix(&prefix)?)?;
            Some((started, e.path()))
        })
        .max()?;
    let dir = latest.1;
    let (records, warnings) = journal::read(&dir);
    for w in &warnings {
        tracing::warn!(?w, dir = %dir.display(), "resuming a journal with a warning");
    }
    let resumed = Resumed::from_records(&records);
    (!resumed.closed).then_some((dir, resumed))
}

/// The open incident of the estate under the state directory, unless a fresh one is asked for.
pub fn open_incident(estate: &Estate, fresh: bool) -> Option<(PathBuf, Resumed)> {
    if fresh {
        return None;
    }
    latest_open(&crate::logging::state_dir().join("incidents"), estate)
}

impl Worker {
    /// Tells of a torn last line the journal set aside when it was opened.
    pub(super) fn tell_set_aside(&self) {
        if let Some(a) = self.rt.journal.set_aside() {
            let words = format!(
                "the journal's last line {} was torn by a crash ({} bytes): set aside in {}",
                a.line,
                a.bytes,
                a.file.display()
            );
            tracing::warn!("{words}");
            self.send(ActionEvent::Notice(words));
        }
    }

    /// Restores the incident and reconciles its unfinished intents, telling the console.
    pub(super) async fn resume(&mut self, r: Resumed) {
        self.issued.extend(r.plan_ids.iter().cloned());
        self.cx.overrides.clone_from(&r.overrides);
        self.cx.actions.clone_from(&r.actions);
        self.cx.validated_at = r.validated_at;
        if let Some(d) = &r.declared {
            self.declared = true;
            self.incident = Some(Incident {
                detected_at: d.detected_at,
                apps: d.apps.clone(),
                recovered_at: None,
            });
        }
        self.last_decision = r
            .last_decision
            .as_ref()
            .map(|d| (d.path.clone(), d.recommendation.clone()));
        let n = r.unfinished.len();
        self.send(ActionEvent::Resumed(Box::new(ResumeView {
            journal: self.rt.journal.path().display().to_string(),
            declared: r.declared.clone(),
            last_at: r.last.map(|(_, at)| at),
            actions: r.actions.len(),
            unfinished: n,
            timeline: r.timeline.clone(),
        })));
        self.send(ActionEvent::Context(Box::new(self.context())));
        if n == 0 {
            return;
        }
        let mut views = Vec::with_capacity(n);
        for u in &r.unfinished {
            let rec = reconcile(u, &*self.rt.effects).await;
            tracing::info!(plan = %rec.plan_id, found = rec.found.words(), "reconciled");
            let journaled = self.append(&Entry::Reconciled(rec.entry()));
            let ended = (self.rt.now)();
            let this = |a: &decide::ActionRecord| {
                a.action == u.intent.action && a.started == u.intent.confirmed_at && a.running()
            };
            match found_succeeded(rec.found) {
                Some(verdict) => {
                    if let Some(a) = self.cx.actions.iter_mut().find(|a| this(a)) {
                        a.finished = Some(ended);
                        a.succeeded = verdict;
                    }
                }
                // Interrupted before it took effect: no attempt of its strategy.
                None => self.cx.actions.retain(|a| !this(a)),
            }
            let mut checks = rec.checks.clone();
            if !journaled {
                checks.push("the journal could not record this reconciliation".to_owned());
            }
            views.push(ReconcileView {
                headline: rec.headline(),
                checks,
            });
        }
        self.send(ActionEvent::Context(Box::new(self.context())));
        self.send(ActionEvent::Reconciled(views));
        self.hold = Some(format!(
            "the reconciliation of {n} unfinished action(s) has not been acknowledged yet \
             (Enter in its dialog)"
        ));
    }

    /// The commander has seen the reconciliation: plans are offered again.
    pub(super) fn reconciliation_seen(&mut self) {
        if self.hold.take().is_some() {
            self.append(&Entry::Note {
                text: "the reconciliation after the restart was shown to the commander".to_owned(),
            });
        }
    }
}

#[cfg(test)]
#[path = "resume_tests.rs"]
mod tests;
