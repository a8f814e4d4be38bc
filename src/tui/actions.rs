//! The console's side of actions. It owns what the console asks the runtime ([`ActionRequest`]:
//! plan an action, confirm a plan with exactly what was typed, cancel), what it hears back
//! ([`ActionEvent`]: a plan to show, progress, the outcome, a refusal), and the plan dialog's state
//! and keys ([`PlanDialog`]).
//!
//! The console never builds, confirms or executes a plan: it shows the plan the runtime built and
//! forwards the commander's typing. The runtime confirms (`act::confirm`) and executes; a typed
//! name that does not match executes nothing. Pure: no I/O, no clock.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::decide::{DecideContext, NodeId, OverrideTarget, ProposedAction};

/// A plan as the console shows it: words only, no secrets (the runtime renders it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanView {
    /// The plan's id, echoed back on confirmation.
    pub id: String,
    /// The action planned (planned again after a refusal).
    pub action: ProposedAction,
    /// One line: the action and its target.
    pub title: String,
    /// The risk, as a word (`LOW`, `MEDIUM`, `HIGH`).
    pub risk: String,
    /// The plan's text: steps, calls, `az` equivalents, gates, safety, duration, undo.
    pub lines: Vec<String>,
    /// What confirms it.
    pub confirm: ConfirmNeed,
    /// Failed gates and refused safety rules: each needs a typed reason to go on.
    pub overrides: Vec<OverrideNeed>,
    /// The undo, offered after success.
    pub undo: Option<ProposedAction>,
}

/// How a plan is confirmed, scaled to its risk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmNeed {
    /// Enter (low risk).
    Enter,
    /// `y` (medium risk).
    Y,
    /// Type this name exactly (high risk).
    TypeName(String),
}

/// One override the commander must give a reason for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideNeed {
    /// What is overridden, in words (`gate: secondary readiness — 2 settings differ`).
    pub label: String,
    /// The engine's name for it.
    pub target: OverrideTarget,
}

/// What the console asks the runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionRequest {
    /// Build the plan of an action (nothing runs).
    Plan(ProposedAction),
    /// Confirm a plan with what was typed and the override reasons; the runtime checks them.
    Confirm {
        /// The plan.
        plan_id: String,
        /// Exactly what was typed (`y`, or the target's name).
        typed: String,
        /// A reason per override, in the plan's order.
        reasons: Vec<(OverrideTarget, String)>,
    },
    /// Override a decision's answer; the runtime journals it before the engine uses it.
    Override {
        /// The decision.
        node: NodeId,
        /// The answer forced.
        answer: bool,
        /// Why.
        reason: String,
    },
    /// Write a note into the journal.
    Note(String),
    /// Close the incident, with the commander's words.
    Close(String),
    /// The dialog was closed before confirmation.
    Cancel {
        /// The plan.
        plan_id: String,
    },
    /// The commander has seen the reconciliation of a resumed incident (Enter in its dialog):
    /// plans are offered again.
    ReconciliationSeen,
}

/// A resumed incident as the console is told of it on start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeView {
    /// The journal's path.
    pub journal: String,
    /// The incident as declared (detection time, apps), if the journal declared it.
    pub declared: Option<crate::decide::IncidentFacts>,
    /// When the journal's last line was written.
    pub last_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Actions restored.
    pub actions: usize,
    /// Intents left unfinished, being reconciled against Azure.
    pub unfinished: usize,
    /// The journal's timeline, oldest first.
    pub timeline: Vec<(chrono::DateTime<chrono::Utc>, String)>,
}

/// One unfinished intent as reconciled: a headline and a line per check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconcileView {
    /// The action, what was found, the steps journaled.
    pub headline: String,
    /// One line per write effect read back.
    pub checks: Vec<String>,
}

/// What the runtime tells the console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionEvent {
    /// A plan, to show and confirm (boxed: the largest by far).
    Plan(Box<PlanView>),
    /// A plan could not be built (unknown target, say).
    NoPlan(String),
    /// One line for the footer (an override or note journaled, or why not).
    Notice(String),
    /// Confirmation refused: nothing was executed.
    Refused {
        /// The plan.
        plan_id: String,
        /// Why.
        reason: String,
    },
    /// A line of progress (a step done, an operation polled).
    Progress {
        /// The plan.
        plan_id: String,
        /// The line.
        line: String,
    },
    /// The runtime's view of the incident changed (an action started or ended, an override).
    Context(Box<DecideContext>),
    /// The incident was resumed from its journal (sent first, before any reconciliation).
    Resumed(Box<ResumeView>),
    /// The unfinished intents were reconciled against Azure (each journaled): shown before any
    /// new action is offered.
    Reconciled(Vec<ReconcileView>),
    /// The action ended (the outcome is journaled).
    Finished {
        /// The plan.
        plan_id: String,
        /// Whether every step succeeded.
        ok: bool,
        /// One line.
        summary: String,
    },
}

/// Where the dialog is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Typing the reason for override `n`.
    Reason(usize),
    /// Waiting for the confirming key or name.
    Confirm,
    /// Confirmation sent; waiting for the runtime.
    Sent,
    /// Executing.
    Running,
    /// Ended.
    Done {
        /// Whether it succeeded.
        ok: bool,
        /// One line.
        summary: String,
    },
    /// The runtime refused the confirmation; nothing ran.
    Refused(String),
}

/// The plan dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDialog {
    /// The plan.
    pub plan: PlanView,
    /// Where the dialog is.
    pub stage: Stage,
    /// What is being typed (a reason or the name).
    pub input: String,
    /// Reasons given so far.
    pub reasons: Vec<String>,
    /// Progress lines, oldest first.
    pub progress: Vec<String>,
    /// Scroll offset of the plan's text.
    pub scroll: u16,
}

/// What a key in the dialog leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogOutcome {
    /// Stay open.
    Stay,
    /// Close it, telling the runtime when a plan was pending.
    Close(Option<ActionRequest>),
    /// Send this request and stay open.
    Send(ActionRequest),
}

impl PlanDialog {
    /// A dialog for a fresh plan: reasons first when overrides are needed, then confirmation.
    pub fn new(plan: PlanView) -> Self {
        let stage = if plan.overrides.is_empty() {
            Stage::Confirm
        } else {
            Stage::Reason(0)
        };
        Self {
            plan,
            stage,
            input: String::new(),
            reasons: Vec::new(),
            progress: Vec::new(),
            scroll: 0,
        }
    }

    /// The prompt line under the plan.
    pub fn prompt(&self) -> String {
        match &self.stage {
            Stage::Reason(i) => format!(
                "OVERRIDE {}/{}: {} · type a reason, Enter: {}▏",
                i + 1,
                self.plan.overrides.len(),
                self.plan.overrides[*i].label,
                self.input
            ),
            Stage::Confirm => match &self.plan.confirm {
                ConfirmNeed::Enter => "Press Enter to run this plan · Esc cancels".to_owned(),
                ConfirmNeed::Y => "Press y to run this plan · Esc cancels".to_owned(),
                ConfirmNeed::TypeName(name) => {
                    format!(
                        "Type {name} to run this plan, Enter · Esc cancels: {}▏",
                        self.input
                    )
                }
            },
            Stage::Sent => "confirming…".to_owned(),
            Stage::Running => "running · the journal holds the intent".to_owned(),
            Stage::Done { ok: true, summary } => match &self.plan.undo {
                Some(u) => format!(
                    "DONE ✓ {summary} · u plans the undo ({} {}) · Esc closes",
                    u.kind.name(),
                    u.target
                ),
                None => format!("DONE ✓ {summary} · Esc closes"),
            },
            Stage::Done { ok: false, summary } => format!("FAILED ✗ {summary} · Esc closes"),
            Stage::Refused(why) => {
                format!("REFUSED, nothing ran: {why} · Enter plans it again · Esc closes")
            }
        }
    }

    /// Whether the plan is still waiting for the commander (closing it cancels the plan).
    fn pending(&self) -> bool {
        matches!(self.stage, Stage::Reason(_) | Stage::Confirm)
    }

    /// Takes an event about this dialog's plan.
    pub fn event(&mut self, ev: &ActionEvent) {
        match ev {
            ActionEvent::Progress { line, .. } => {
                self.stage = Stage::Running;
                self.progress.push(line.clone());
            }
            ActionEvent::Finished { ok, summary, .. } => {
                self.stage = Stage::Done {
                    ok: *ok,
                    summary: summary.clone(),
                };
            }
            ActionEvent::Refused { reason, .. } => self.stage = Stage::Refused(reason.clone()),
            ActionEvent::Plan(_)
            | ActionEvent::NoPlan(_)
            | ActionEvent::Notice(_)
            | ActionEvent::Resumed(_)
            | ActionEvent::Reconciled(_)
            | ActionEvent::Context(_) => {}
        }
    }

    /// Handles a key.
    pub fn key(&mut self, key: KeyEvent) -> DialogOutcome {
        match key.code {
            KeyCode::Esc => {
                let cancel = self.pending().then(|| ActionRequest::Cancel {
                    plan_id: self.plan.id.clone(),
                });
                return DialogOutcome::Close(cancel);
            }
            KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Down => self.scroll = self.scroll.saturating_add(1),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::PageDown => self.scroll = self.scroll.saturating_add(10),
            _ => return self.typed(key.code),
        }
        DialogOutcome::Stay
    }

    fn typed(&mut self, code: KeyCode) -> DialogOutcome {
        match (&self.stage, code) {
            (Stage::Reason(i), KeyCode::Enter) => {
                let reason = self.input.trim().to_owned();
                if reason.is_empty() {
                    return DialogOutcome::Stay;
                }
                self.reasons.push(reason);
                self.input.clear();
                let next = i + 1;
                self.stage = if next < self.plan.overrides.len() {
                    Stage::Reason(next)
                } else {
                    Stage::Confirm
                };
            }
            (Stage::Confirm, KeyCode::Char('y')) if self.plan.confirm == ConfirmNeed::Y => {
                return self.send("y".to_owned());
            }
            (Stage::Confirm, KeyCode::Enter) if self.plan.confirm == ConfirmNeed::Enter => {
                return self.send(String::new());
            }
            (Stage::Confirm, KeyCode::Char(_) | KeyCode::Enter)
                if !matches!(self.plan.confirm, ConfirmNeed::TypeName(_)) => {}
            (Stage::Confirm, KeyCode::Enter) => {
                let typed = std::mem::take(&mut self.input);
                return self.send(typed);
            }
            (Stage::Reason(_) | Stage::Confirm, KeyCode::Backspace) => {
                self.input.pop();
            }
            (Stage::Reason(_) | Stage::Confirm, KeyCode::Char(c)) => self.input.push(c),
            (Stage::Done { ok: true, .. }, KeyCode::Char('u')) => {
                if let Some(undo) = self.plan.undo.clone() {
                    return DialogOutcome::Close(Some(ActionRequest::Plan(undo)));
                }
            }
            (Stage::Done { .. }, KeyCode::Enter) => return DialogOutcome::Close(None),
            // A refused plan is declined for good; a fresh plan of the same action is the way to
            // try again (its gates read afresh, its name typed again).
            (Stage::Refused(_), KeyCode::Enter) => {
                return DialogOutcome::Close(Some(ActionRequest::Plan(self.plan.action.clone())));
            }
            _ => {}
        }
        DialogOutcome::Stay
    }

    fn send(&mut self, typed: String) -> DialogOutcome {
        self.stage = Stage::Sent;
        let reasons = self
            .plan
            .overrides
            .iter()
            .zip(&self.reasons)
            .map(|(o, r)| (o.target.clone(), r.clone()))
            .collect();
        DialogOutcome::Send(ActionRequest::Confirm {
            plan_id: self.plan.id.clone(),
            typed,
            reasons,
        })
    }
}

#[cfg(test)]
mod tests;
