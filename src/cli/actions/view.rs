//! How the action runtime speaks to the console: a plan rendered as the dialog shows it, and an
//! action's progress events as lines. Words only; it decides and executes nothing.

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::act::Plan;
use crate::act::confirm::{ConfirmKey, Prompt};
use crate::act::executor::{Progress, ProgressEvent};
use crate::journal::Journal;
use crate::tui::actions::{ActionEvent, ConfirmNeed, OverrideNeed, PlanView};

/// Forwards an action's progress to the console as lines, until the sender is dropped.
pub(super) fn forward(
    mut rx: mpsc::UnboundedReceiver<Progress>,
    events: mpsc::UnboundedSender<ActionEvent>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        while let Some(p) = rx.recv().await {
            if matches!(p.event, ProgressEvent::Finished { .. }) {
                continue;
            }
            let _ = events.send(ActionEvent::Progress {
                plan_id: p.plan_id.clone(),
                line: progress_line(&p),
            });
        }
    })
}

/// One progress event in words, with its step.
fn progress_line(p: &Progress) -> String {
    let step = if p.step == 0 {
        "preview".to_owned()
    } else {
        format!("step {}/{}", p.step, p.of)
    };
    let what = match &p.event {
        ProgressEvent::Started { what } => format!("started: {what}"),
        ProgressEvent::Poll {
            polls,
            status,
            percent,
        } => match percent {
            Some(pc) => format!("Azure says {status} ({pc:.0} %), poll {polls}"),
            None => format!("Azure says {status}, poll {polls}"),
        },
        ProgressEvent::Note { words } => words.clone(),
        ProgressEvent::Done { report } => format!("✓ done: {report}"),
        ProgressEvent::Failed { error } => format!("✗ failed: {error}"),
        ProgressEvent::Finished { outcome } => outcome.clone(),
    };
    format!("{step} · {what}")
}

/// The plan as the console shows it.
pub(super) fn view(plan: &Plan, journal: &Journal) -> PlanView {
    let mut lines: Vec<String> = plan.render_text().lines().map(str::to_owned).collect();
    lines.push(String::new());
    lines.push(format!(
        "Journal: the intent is written to {} before the first call.",
        journal.path().display()
    ));
    let confirm = match &plan.confirmation.prompt {
        Prompt::Key {
            key: ConfirmKey::Enter,
        } => ConfirmNeed::Enter,
        Prompt::Key { key: ConfirmKey::Y } => ConfirmNeed::Y,
        Prompt::TypeTarget { expected } => ConfirmNeed::TypeName(expected.clone()),
    };
    PlanView {
        id: plan.id.clone(),
        action: plan.action.clone(),
        title: plan.title.clone(),
        risk: plan.risk.label().to_uppercase(),
        lines,
        confirm,
        overrides: plan
            .confirmation
            .overrides_needed
            .iter()
            .map(|o| OverrideNeed {
                label: o.why.clone(),
                target: o.target.clone(),
            })
            .collect(),
        undo: plan.undo.clone(),
    }
}
