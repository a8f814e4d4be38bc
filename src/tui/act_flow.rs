//! How the console's state moves with actions: `a` plans the recommended action, `:ACTION TARGET`
//! plans any other, the plan dialog forwards the commander's typing, and the runtime's news
//! (a plan, progress, the outcome, a refusal) updates the dialog. An `impl` of
//! [`AppState`](super::app::AppState), kept apart so the state file stays readable. Pure.

use ratatui::crossterm::event::KeyEvent;

use super::actions::{ActionEvent, ActionRequest, DialogOutcome, PlanDialog};
use super::app::{AppState, Modal};
use super::msg::Intent;
use crate::decide::ProposedAction;

impl AppState {
    /// `a`: plans the action the engine recommends, if there is one.
    pub(crate) fn act_on_recommendation(&mut self) -> Option<Intent> {
        if let Some(why) = &self.ui.hold {
            self.ui.flash = Some(format!("new actions wait: {why}"));
            None
        } else if let Some(action) = self.data.recommended.clone() {
            self.request_plan(action)
        } else if self.data.decision.as_ref().is_some_and(|d| {
            d.answer(crate::decide::NodeId::Close).answer == crate::decide::Answer::Current
        }) {
            self.request_journal(ActionRequest::Close("recovery validated".to_owned()))
        } else {
            self.ui.flash = Some("nothing is recommended now".to_owned());
            None
        }
    }

    /// Asks the runtime for a plan, unless the console is read-only or a resumed incident's
    /// reconciliation has not been acknowledged.
    pub(crate) fn request_plan(&mut self, action: ProposedAction) -> Option<Intent> {
        if let Some(why) = &self.ui.hold {
            self.ui.flash = Some(format!(
                "`{} {}` waits: {why}",
                action.kind.name(),
                action.target
            ));
            return None;
        }
        if self.ui.read_only {
            self.ui.flash = Some(format!(
                "read-only: `{} {}` is not offered (try `warroom plan {} --target {}`)",
                action.kind.name(),
                action.target,
                action.kind.name(),
                action.target
            ));
            return None;
        }
        self.ui.flash = Some(format!(
            "planning {} {}…",
            action.kind.name(),
            action.target
        ));
        Some(Intent::Action(ActionRequest::Plan(action)))
    }

    /// Sends a journal request (an override, a note), unless the console is read-only.
    pub(crate) fn request_journal(&mut self, req: ActionRequest) -> Option<Intent> {
        if self.ui.read_only {
            self.ui.flash =
                Some("read-only: no journal here, so no override or note is taken".to_owned());
            return None;
        }
        Some(Intent::Action(req))
    }

    /// A key while the plan dialog is open.
    pub(crate) fn plan_key(&mut self, key: KeyEvent) -> Option<Intent> {
        let Some(Modal::Plan(dialog)) = self.modal.as_mut() else {
            return None;
        };
        match dialog.key(key) {
            DialogOutcome::Stay => None,
            DialogOutcome::Send(req) => Some(Intent::Action(req)),
            DialogOutcome::Close(req) => {
                self.modal = None;
                match req {
                    Some(ActionRequest::Plan(action)) => self.request_plan(action),
                    other => other.map(Intent::Action),
                }
            }
        }
    }

    /// A key while the reconciliation dialog is open: Enter acknowledges it, and the runtime
    /// offers plans again.
    pub(crate) fn reconciled_key(&mut self, key: KeyEvent) -> Option<Intent> {
        if key.code == ratatui::crossterm::event::KeyCode::Enter {
            self.modal = None;
            self.ui.hold = None;
            self.ui.flash = Some("reconciliation acknowledged".to_owned());
            return Some(Intent::Action(ActionRequest::ReconciliationSeen));
        }
        self.ui.flash =
            Some("read the reconciliation, then press Enter: no new action before that".to_owned());
        None
    }

    /// News from the runtime.
    pub(crate) fn action_event(&mut self, ev: ActionEvent) -> Option<Intent> {
        match ev {
            ActionEvent::Plan(view) => {
                self.ui.flash = None;
                self.modal = Some(Modal::Plan(Box::new(PlanDialog::new(*view))));
            }
            ActionEvent::NoPlan(why) => self.ui.flash = Some(format!("no plan: {why}")),
            ActionEvent::Notice(line) => self.ui.flash = Some(line),
            ActionEvent::Context(cx) => self.data.set_context(*cx),
            ActionEvent::Resumed(view) => {
                if view.unfinished > 0 {
                    self.ui.hold = Some(format!(
                        "reconciling {} unfinished action(s) against Azure first",
                        view.unfinished
                    ));
                }
                self.ui.flash = Some(format!(
                    "RESUMED the open incident: {} action(s) restored, {} unfinished; journal {}",
                    view.actions, view.unfinished, view.journal
                ));
                self.data.resume(&view);
            }
            ActionEvent::Reconciled(views) => {
                self.ui.hold = Some(
                    "acknowledge the reconciliation of the unfinished actions first (Enter)"
                        .to_owned(),
                );
                self.modal = Some(Modal::Reconciled(views));
            }
            ActionEvent::Progress { ref plan_id, .. }
            | ActionEvent::Finished { ref plan_id, .. }
            | ActionEvent::Refused { ref plan_id, .. } => match self.modal.as_mut() {
                Some(Modal::Plan(d)) if &d.plan.id == plan_id => d.event(&ev),
                _ => {
                    // The dialog was closed: the outcome still reaches the screen.
                    if let ActionEvent::Finished { ok, summary, .. } = &ev {
                        let mark = if *ok { "DONE ✓" } else { "FAILED ✗" };
                        self.ui.flash = Some(format!("{mark} {summary}"));
                    }
                }
            },
        }
        None
    }
}
