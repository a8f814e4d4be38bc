//! The runtime that carries out actions for the console. It owns the incident's decision context
//! (actions taken, overrides given, what is in flight), the pending plans and the journal; it
//! builds a plan from the latest snapshot (`decide` for the gates and safety rules, `act` for the
//! plan), checks the commander's confirmation with `act::confirm`, and executes a confirmed plan
//! through `act::execute`, which journals the intent before the first call.
//!
//! It talks to the console only through the [`ActionPort`] channels: the console shows and
//! forwards, this task decides nothing the engine has not said and runs nothing unconfirmed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::act::executor::{Effects, execute, run_preview};
use crate::act::{Plan, catalogue, confirm};
use crate::config::Estate;
use crate::decide::{
    self, ActionRecord, DecideContext, IncidentFacts, NodeId, Override, OverrideTarget,
    ProposedAction,
};
use crate::journal::observation::Watch;
use crate::journal::{Entry, Journal, Resumed};
use crate::model::Snapshot;
use crate::tui::ActionPort;
use crate::tui::actions::{ActionEvent, ActionRequest};
use crate::tui::derive::incident::Incident;

#[cfg(test)]
mod console_tests;
mod folder;
mod picture;
pub(super) mod resume;
#[cfg(test)]
mod test_sim;
mod view;

pub use folder::{estate_slug, incident_dir, stamp, stamp_in};

use view::{forward, view};

/// The clock the runtime reads: virtual time in the demo, wall time on a real estate.
pub type Now = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Everything the runtime needs.
pub struct Runtime {
    /// The estate.
    pub estate: Arc<Estate>,
    /// The observer's snapshots.
    pub snapshots: watch::Receiver<Arc<Snapshot>>,
    /// What carries out effects (Azure, or the simulator behind the same client).
    pub effects: Arc<dyn Effects>,
    /// The incident's journal.
    pub journal: Journal,
    /// The clock.
    pub now: Now,
    /// The open incident this journal continues, restored from its records; `None` for a fresh
    /// incident.
    pub resume: Option<Resumed>,
    /// Told the data time of each snapshot once the runtime has taken it in (journaled the
    /// declaration and decision it brings): a scripted commander waits on it. `None` in the
    /// console.
    pub taken_in: Option<watch::Sender<DateTime<Utc>>>,
}

/// Starts the runtime; returns the console's end of the channels and the task.
pub fn spawn(rt: Runtime) -> (ActionPort, JoinHandle<()>) {
    let (req_tx, req_rx) = mpsc::unbounded_channel();
    let (ev_tx, ev_rx) = mpsc::unbounded_channel();
    let worker = Worker {
        rt,
        events: ev_tx,
        cx: DecideContext::default(),
        incident: None,
        plans: HashMap::new(),
        declared: false,
        last_decision: None,
        hold: None,
        issued: HashSet::new(),
        watch: Watch::new(),
        closed: false,
    };
    let task = tokio::spawn(worker.run(req_rx));
    (
        ActionPort {
            requests: req_tx,
            events: ev_rx,
        },
        task,
    )
}

struct Worker {
    rt: Runtime,
    events: mpsc::UnboundedSender<ActionEvent>,
    cx: DecideContext,
    incident: Option<Incident>,
    plans: HashMap<String, Plan>,
    /// Whether the incident's declaration is journaled.
    declared: bool,
    /// The last decision journaled: its path (as journaled) and recommendation.
    last_decision: Option<(Vec<String>, Option<ProposedAction>)>,
    /// Why no plan is offered yet (a resumed incident's reconciliation not yet seen).
    hold: Option<String>,
    /// Every plan id issued in this incident (journaled or offered): a plan id names one plan.
    issued: HashSet<String>,
    /// The picture observations are measured against, fed every snapshot.
    watch: Watch,
    /// Whether the incident's closing is journaled: nothing more is observed.
    closed: bool,
}

impl Worker {
    async fn run(mut self, mut requests: mpsc::UnboundedReceiver<ActionRequest>) {
        self.tell_set_aside();
        // A resumed incident is restored and its unfinished intents reconciled before any
        // request is taken (requests wait in the channel meanwhile).
        if let Some(resumed) = self.rt.resume.take() {
            self.resume(resumed).await;
        }
        let mut snapshots_open = true;
        loop {
            tokio::select! {
                req = requests.recv() => match req {
                    Some(r) => self.handle(r).await,
                    None => break,
                },
                changed = self.rt.snapshots.changed(), if snapshots_open => {
                    if changed.is_err() {
                        snapshots_open = false;
                    } else {
                        let snap = Arc::clone(&self.rt.snapshots.borrow_and_update());
                        self.incident = Incident::observe_with(
                            self.incident.take(),
                            &snap,
                            &decide::timers::duplicated(&snap, &self.rt.estate),
                        );
                        self.journal_picture(&snap);
                        if let Some(t) = &self.rt.taken_in {
                            t.send_replace(snap.taken_at);
                        }
                    }
                }
            }
        }
    }

    /// Appends an entry; a failure is told to the console (and logged), never swallowed.
    fn append(&mut self, entry: &Entry) -> bool {
        match self.rt.journal.append(entry) {
            Ok(_) => true,
            Err(e) => {
                tracing::error!(error = %e, "journal append failed");
                self.send(ActionEvent::Notice(format!("JOURNAL WRITE FAILED: {e}")));
                false
            }
        }
    }

    fn send(&self, ev: ActionEvent) {
        // The console has gone: nothing left to tell.
        let _ = self.events.send(ev);
    }

    /// The context with the incident the runtime has seen.
    fn context(&self) -> DecideContext {
        let mut cx = self.cx.clone();
        if cx.incident.is_none() {
            cx.incident = self.incident.as_ref().map(|i| IncidentFacts {
                detected_at: i.detected_at,
                apps: i.apps.clone(),
            });
        }
        cx
    }

    async fn handle(&mut self, req: ActionRequest) {
        if let Some(why) = self.hold.clone() {
            match req {
                ActionRequest::Plan(_) => {
                    return self.send(ActionEvent::NoPlan(format!("waiting: {why}")));
                }
                ActionRequest::Confirm { plan_id, .. } => {
                    return self.send(ActionEvent::Refused {
                        plan_id,
                        reason: format!("waiting: {why}"),
                    });
                }
                _ => {}
            }
        }
        match req {
            ActionRequest::Plan(action) => self.plan(action).await,
            ActionRequest::Confirm {
                plan_id,
                typed,
                reasons,
            } => self.confirm(&plan_id, &typed, &reasons).await,
            ActionRequest::Cancel { plan_id } => {
                if self.plans.remove(&plan_id).is_some() {
                    self.append(&Entry::Declined {
                        plan_id,
                        reason: "closed by the commander without running it".to_owned(),
                    });
                }
            }
            ActionRequest::Override {
                node,
                answer,
                reason,
            } => self.override_node(node, answer, &reason),
            ActionRequest::Note(text) => {
                if self.append(&Entry::Note { text }) {
                    self.send(ActionEvent::Notice("note journaled".to_owned()));
                }
            }
            ActionRequest::Close(text) => self.close(text),
            ActionRequest::ReconciliationSeen => self.reconciliation_seen(),
        }
    }

    /// Closes the incident: journaled with whether the engine had validated the recovery.
    fn close(&mut self, text: String) {
        let validated = self
            .last_decision
            .as_ref()
            .is_some_and(|(path, _)| path.iter().any(|n| n == "Close"));
        let entry = Entry::Closed { validated, text };
        if self.append(&entry) {
            self.closed = true;
            self.cx.closed_at = Some((self.rt.now)());
            self.send(ActionEvent::Context(Box::new(self.context())));
            let how = if validated {
                "recovery validated"
            } else {
                "NOT validated by the engine"
            };
            self.send(ActionEvent::Notice(format!(
                "incident closed ({how}); journal: {}",
                self.rt.journal.path().display()
            )));
        }
    }

    /// An override is journaled first; only then does the engine use it.
    fn override_node(&mut self, node: NodeId, answer: bool, reason: &str) {
        let now = (self.rt.now)();
        let o = match Override::new(OverrideTarget::Node { node, answer }, reason, now) {
            Ok(o) => o,
            Err(e) => return self.send(ActionEvent::Notice(format!("no override: {e}"))),
        };
        if let Err(e) = self.rt.journal.append(&Entry::Override(o.clone())) {
            return self.send(ActionEvent::Notice(format!(
                "the override was NOT journaled, so it is not applied: {e}"
            )));
        }
        let word = if answer { "yes" } else { "no" };
        self.cx.overrides.push(o);
        self.send(ActionEvent::Context(Box::new(self.context())));
        self.send(ActionEvent::Notice(format!(
            "override journaled: \"{}\" = {word} ({reason})",
            decide::flowchart::flow_node(node).label
        )));
    }

    async fn plan(&mut self, action: ProposedAction) {
        let snap = Arc::clone(&self.rt.snapshots.borrow());
        let now = (self.rt.now)();
        let cx = self.context();
        let gates = decide::gates_for(&action, &snap, &self.rt.estate, &cx, now);
        let safety = decide::safety_for(&action, &snap, &self.rt.estate, &cx, now);
        let planned = catalogue::plan_in(
            &action,
            &self.rt.estate,
            &snap,
            cx.incident.as_ref(),
            gates,
            safety,
        );
        let mut plan = match planned {
            Ok(p) => p,
            Err(e) => return self.send(ActionEvent::NoPlan(e.to_string())),
        };
        // Planned again from the same snapshot, or after a restart within the same second: a
        // suffix keeps the id naming one plan.
        let base = plan.id.clone();
        let mut n = 1;
        while self.issued.contains(&plan.id) {
            n += 1;
            plan.id = format!("{base}#{n}");
        }
        self.issued.insert(plan.id.clone());
        if plan.preview.is_some() {
            let (tx, rx) = mpsc::unbounded_channel();
            let fwd = forward(rx, self.events.clone());
            let r = run_preview(&mut plan, &*self.rt.effects, tx).await;
            let _ = fwd.await;
            if let Err(e) = r {
                return self.send(ActionEvent::NoPlan(format!("the preview failed: {e}")));
            }
        }
        let view = view(&plan, &self.rt.journal);
        self.append(&Entry::Planned {
            plan_id: plan.id.clone(),
            action: plan.action.clone(),
            title: plan.title.clone(),
            risk: plan.risk.label().to_lowercase(),
            blocked: plan.blocked_reasons(),
        });
        self.plans.insert(plan.id.clone(), plan);
        self.send(ActionEvent::Plan(Box::new(view)));
    }

    async fn confirm(&mut self, plan_id: &str, typed: &str, reasons: &[(OverrideTarget, String)]) {
        let Some(plan) = self.plans.remove(plan_id) else {
            return self.send(ActionEvent::Refused {
                plan_id: plan_id.to_owned(),
                reason: "this plan is no longer pending; plan the action again".to_owned(),
            });
        };
        let now = (self.rt.now)();
        let confirmed = match confirm::confirm(&plan, typed, reasons, now) {
            Ok(c) => c,
            Err(refusal) => {
                tracing::info!(plan = plan_id, %refusal, "confirmation refused; nothing ran");
                self.append(&Entry::Declined {
                    plan_id: plan_id.to_owned(),
                    reason: format!("confirmation refused, nothing ran: {refusal}"),
                });
                return self.send(ActionEvent::Refused {
                    plan_id: plan_id.to_owned(),
                    reason: refusal.to_string(),
                });
            }
        };
        let action = plan.action.clone();
        self.cx
            .overrides
            .extend(confirmed.overrides().iter().cloned());
        self.cx.in_flight.push(action.clone());
        // A new action is verified afresh.
        self.cx.validated_at = None;
        self.cx.actions.push(ActionRecord {
            action: action.clone(),
            strategy: None,
            started: now,
            finished: None,
            succeeded: None,
        });
        self.send(ActionEvent::Context(Box::new(self.context())));

        let (tx, rx) = mpsc::unbounded_channel();
        let fwd = forward(rx, self.events.clone());
        let outcome = execute(confirmed, &mut self.rt.journal, &*self.rt.effects, tx).await;
        let _ = fwd.await;

        let ended = (self.rt.now)();
        self.cx.in_flight.retain(|a| a != &action);
        if let Some(r) = self
            .cx
            .actions
            .iter_mut()
            .rev()
            .find(|r| r.action == action && r.finished.is_none())
        {
            r.finished = Some(ended);
            r.succeeded = Some(outcome.succeeded());
        }
        self.send(ActionEvent::Context(Box::new(self.context())));
        self.send(ActionEvent::Finished {
            plan_id: plan_id.to_owned(),
            ok: outcome.succeeded(),
            summary: outcome.words(),
        });
    }
}
