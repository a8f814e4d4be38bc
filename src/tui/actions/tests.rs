use super::*;
use crate::decide::{ActionKind, GateId};
use ratatui::crossterm::event::KeyModifiers;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn type_str(d: &mut PlanDialog, s: &str) {
    for c in s.chars() {
        assert_eq!(d.key(key(KeyCode::Char(c))), DialogOutcome::Stay);
    }
}

fn plan(confirm: ConfirmNeed, overrides: Vec<OverrideNeed>) -> PlanView {
    PlanView {
        id: "p1".into(),
        action: ProposedAction::new(ActionKind::Failover, "krc"),
        title: "failover krc".into(),
        risk: "HIGH".into(),
        lines: vec!["1. disable tm endpoint".into()],
        confirm,
        overrides,
        undo: Some(ProposedAction {
            kind: ActionKind::TmEnable,
            target: "ep-krc".into(),
            release: None,
        }),
    }
}

#[test]
fn a_typed_name_is_sent_exactly_as_typed_and_the_dialog_waits() {
    let mut d = PlanDialog::new(plan(ConfirmNeed::TypeName("krc".into()), vec![]));
    assert_eq!(d.stage, Stage::Confirm);
    type_str(&mut d, "krx");
    assert_eq!(d.key(key(KeyCode::Backspace)), DialogOutcome::Stay);
    type_str(&mut d, "c");
    assert!(d.prompt().contains("Type krc"), "{}", d.prompt());
    assert_eq!(
        d.key(key(KeyCode::Enter)),
        DialogOutcome::Send(ActionRequest::Confirm {
            plan_id: "p1".into(),
            typed: "krc".into(),
            reasons: vec![],
        })
    );
    assert_eq!(d.stage, Stage::Sent);
    // Keys while sent type nothing and send nothing.
    assert_eq!(d.key(key(KeyCode::Char('y'))), DialogOutcome::Stay);
}

#[test]
fn a_mismatched_name_is_still_forwarded_for_the_runtime_to_refuse() {
    let mut d = PlanDialog::new(plan(ConfirmNeed::TypeName("krc".into()), vec![]));
    type_str(&mut d, "jpe");
    let DialogOutcome::Send(ActionRequest::Confirm { typed, .. }) = d.key(key(KeyCode::Enter))
    else {
        panic!("expected a confirmation request");
    };
    assert_eq!(typed, "jpe");
    d.event(&ActionEvent::Refused {
        plan_id: "p1".into(),
        reason: "typed `jpe`, expected `krc`".into(),
    });
    assert!(
        d.prompt().starts_with("REFUSED, nothing ran")
            && d.prompt().contains("Enter plans it again"),
        "{}",
        d.prompt()
    );
    // Typing on does nothing: the refused plan is gone; Enter asks for a fresh plan of it.
    type_str(&mut d, "krc");
    assert_eq!(
        d.key(key(KeyCode::Enter)),
        DialogOutcome::Close(Some(ActionRequest::Plan(ProposedAction::new(
            ActionKind::Failover,
            "krc"
        ))))
    );
}

#[test]
fn one_key_plans_run_on_y_only() {
    let mut d = PlanDialog::new(plan(ConfirmNeed::Y, vec![]));
    assert_eq!(d.key(key(KeyCode::Char('n'))), DialogOutcome::Stay);
    assert_eq!(d.key(key(KeyCode::Enter)), DialogOutcome::Stay);
    assert!(matches!(
        d.key(key(KeyCode::Char('y'))),
        DialogOutcome::Send(ActionRequest::Confirm { ref typed, .. }) if typed == "y"
    ));
}

#[test]
fn low_risk_plans_run_on_enter() {
    let mut d = PlanDialog::new(plan(ConfirmNeed::Enter, vec![]));
    assert_eq!(d.key(key(KeyCode::Char('y'))), DialogOutcome::Stay);
    assert!(matches!(
        d.key(key(KeyCode::Enter)),
        DialogOutcome::Send(ActionRequest::Confirm { ref typed, .. }) if typed.is_empty()
    ));
}

#[test]
fn every_override_needs_a_non_empty_reason_before_confirmation() {
    let o = OverrideNeed {
        label: "gate: secondary readiness".into(),
        target: OverrideTarget::Gate {
            gate: GateId::SecondaryReadiness,
        },
    };
    let mut d = PlanDialog::new(plan(ConfirmNeed::Y, vec![o.clone()]));
    assert_eq!(d.stage, Stage::Reason(0));
    // y is typed into the reason, not taken as confirmation.
    type_str(&mut d, "   ");
    assert_eq!(d.key(key(KeyCode::Enter)), DialogOutcome::Stay);
    assert_eq!(d.stage, Stage::Reason(0), "a blank reason is not a reason");
    d.input.clear();
    type_str(&mut d, "y settings drift is known");
    assert_eq!(d.key(key(KeyCode::Enter)), DialogOutcome::Stay);
    assert_eq!(d.stage, Stage::Confirm);
    assert_eq!(
        d.key(key(KeyCode::Char('y'))),
        DialogOutcome::Send(ActionRequest::Confirm {
            plan_id: "p1".into(),
            typed: "y".into(),
            reasons: vec![(o.target, "y settings drift is known".into())],
        })
    );
}

#[test]
fn esc_cancels_a_pending_plan_but_not_a_running_one() {
    let mut d = PlanDialog::new(plan(ConfirmNeed::Y, vec![]));
    assert_eq!(
        d.key(key(KeyCode::Esc)),
        DialogOutcome::Close(Some(ActionRequest::Cancel {
            plan_id: "p1".into()
        }))
    );
    let mut d = PlanDialog::new(plan(ConfirmNeed::Y, vec![]));
    let _ = d.key(key(KeyCode::Char('y')));
    d.event(&ActionEvent::Progress {
        plan_id: "p1".into(),
        line: "swap: InProgress (poll 1)".into(),
    });
    assert_eq!(d.stage, Stage::Running);
    assert_eq!(d.progress.len(), 1);
    assert_eq!(d.key(key(KeyCode::Esc)), DialogOutcome::Close(None));
}

#[test]
fn after_success_u_plans_the_undo() {
    let mut d = PlanDialog::new(plan(ConfirmNeed::Y, vec![]));
    let _ = d.key(key(KeyCode::Char('y')));
    d.event(&ActionEvent::Finished {
        plan_id: "p1".into(),
        ok: true,
        summary: "endpoint disabled".into(),
    });
    assert!(
        d.prompt().contains("u plans the undo (tm-enable ep-krc)"),
        "{}",
        d.prompt()
    );
    assert_eq!(
        d.key(key(KeyCode::Char('u'))),
        DialogOutcome::Close(Some(ActionRequest::Plan(ProposedAction {
            kind: ActionKind::TmEnable,
            target: "ep-krc".into(),
            release: None,
        })))
    );
}
