//! Confirmation: the typed key or name, overrides with reasons, the preview rule.

use super::super::testkit::{ORDERS_KRC, gate, now, safety};
use super::super::{Refusal, confirm};
use super::{plan_ok, plan_on};
use crate::decide::{ActionKind, GateId, GateStatus, Override, OverrideTarget, SafetyRule};

fn with_gates(
    kind: ActionKind,
    target: &str,
    gates: Vec<crate::decide::GateResult>,
    rules: Vec<crate::decide::SafetyCheck>,
) -> super::Plan {
    super::super::plan(
        &super::action(kind, target),
        &crate::config::Estate::demo(),
        &super::super::testkit::bad_release(),
        gates,
        rules,
    )
    .expect("plans")
}

#[test]
fn high_risk_needs_the_target_name_typed_exactly() {
    let p = plan_ok(ActionKind::TmDisable, "primary-endpoint");
    for wrong in [
        "",
        "y",
        "primary-endpoin",
        "PRIMARY-ENDPOINT",
        "secondary-endpoint",
    ] {
        let r = confirm(&p, wrong, &[], now());
        assert!(
            matches!(r, Err(Refusal::WrongConfirmation { ref expected }) if expected.contains("\"primary-endpoint\"")),
            "{wrong:?}: {r:?}"
        );
    }
    let ok = confirm(&p, "primary-endpoint", &[], now()).expect("confirms");
    assert_eq!(ok.plan().id, p.id);
    assert_eq!(ok.at(), now());
    assert!(ok.overrides().is_empty());
}

#[test]
fn medium_risk_takes_y_and_low_risk_takes_enter() {
    let swap = plan_ok(ActionKind::Swap, ORDERS_KRC);
    assert!(confirm(&swap, "n", &[], now()).is_err());
    assert!(confirm(&swap, "", &[], now()).is_err());
    assert!(confirm(&swap, "y", &[], now()).is_ok());
    let restart = plan_ok(ActionKind::Restart, ORDERS_KRC);
    assert!(confirm(&restart, "", &[], now()).is_ok());
    assert!(confirm(&restart, "x", &[], now()).is_err());
}

#[test]
fn a_failed_gate_blocks_until_overridden_with_a_non_empty_reason() {
    let p = with_gates(
        ActionKind::Swap,
        ORDERS_KRC,
        vec![
            gate(GateId::Scope, GateStatus::Pass),
            gate(GateId::SecondaryReadiness, GateStatus::Fail),
        ],
        vec![],
    );
    assert!(p.is_blocked());
    assert_eq!(p.blocked_reasons().len(), 1);
    assert!(p.blocked_reasons()[0].contains("secondary readiness is FAILED"));
    let target = OverrideTarget::Gate {
        gate: GateId::SecondaryReadiness,
    };
    assert_eq!(p.confirmation.overrides_needed.len(), 1);
    assert_eq!(p.confirmation.overrides_needed[0].target, target);

    assert!(matches!(
        confirm(&p, "y", &[], now()),
        Err(Refusal::OverrideMissing { .. })
    ));
    assert!(matches!(
        confirm(&p, "y", &[(target.clone(), "   ".into())], now()),
        Err(Refusal::EmptyReason { .. })
    ));
    // The right reason, but the wrong key: still refused.
    let reason = (
        target.clone(),
        "secondary not involved in a slot swap".to_owned(),
    );
    assert!(matches!(
        confirm(&p, "n", std::slice::from_ref(&reason), now()),
        Err(Refusal::WrongConfirmation { .. })
    ));
    let ok = confirm(&p, "y", &[reason], now()).expect("confirms");
    assert!(!ok.plan().is_blocked());
    assert_eq!(ok.overrides().len(), 1);
    assert_eq!(
        ok.overrides()[0].reason,
        "secondary not involved in a slot swap"
    );
    assert_eq!(ok.overrides()[0].target, target);
    assert!(
        ok.plan()
            .render_text()
            .contains("override reason: secondary not involved")
    );
}

#[test]
fn an_unknown_gate_and_a_refusing_rule_each_need_their_own_override() {
    let p = with_gates(
        ActionKind::TmDisable,
        "primary-endpoint",
        vec![gate(GateId::DataConsistency, GateStatus::Unknown)],
        vec![
            safety(SafetyRule::OneInFlight, true),
            safety(SafetyRule::LastEnabledRoute, false),
        ],
    );
    assert_eq!(p.blocked_reasons().len(), 2);
    let gate_o = (
        OverrideTarget::Gate {
            gate: GateId::DataConsistency,
        },
        "replication lag accepted by the data owner".to_owned(),
    );
    let rule_o = (
        OverrideTarget::Safety {
            rule: SafetyRule::LastEnabledRoute,
            target: "primary-endpoint".into(),
        },
        "maintenance page served by the CDN".to_owned(),
    );
    let only_gate = confirm(&p, "primary-endpoint", std::slice::from_ref(&gate_o), now());
    assert!(
        matches!(only_gate, Err(Refusal::OverrideMissing { ref why }) if why.contains("last enabled"))
    );
    // A safety override names the action's target: one for another target does not count.
    let wrong_target = (
        OverrideTarget::Safety {
            rule: SafetyRule::LastEnabledRoute,
            target: "secondary-endpoint".into(),
        },
        "x".to_owned(),
    );
    assert!(
        confirm(
            &p,
            "primary-endpoint",
            &[gate_o.clone(), wrong_target],
            now()
        )
        .is_err()
    );
    let ok = confirm(&p, "primary-endpoint", &[gate_o, rule_o], now()).expect("confirms");
    assert_eq!(ok.overrides().len(), 2);
}

#[test]
fn an_override_made_in_the_engine_already_unblocks_and_is_carried() {
    let mut g = gate(GateId::SecondaryReadiness, GateStatus::Fail);
    g.overridden = Some(Override {
        target: OverrideTarget::Gate {
            gate: GateId::SecondaryReadiness,
        },
        reason: "typed earlier".into(),
        at: now(),
    });
    let p = with_gates(ActionKind::Swap, ORDERS_KRC, vec![g], vec![]);
    assert!(!p.is_blocked());
    let ok = confirm(&p, "y", &[], now()).expect("confirms");
    assert_eq!(ok.overrides().len(), 1);
    assert_eq!(ok.overrides()[0].reason, "typed earlier");
}

#[test]
fn a_rebuild_cannot_be_confirmed_before_its_what_if_is_shown() {
    let mut p = plan_on(
        ActionKind::Rebuild,
        ORDERS_KRC,
        &super::super::testkit::bad_release(),
    )
    .expect("plans");
    assert!(matches!(
        confirm(&p, ORDERS_KRC, &[], now()),
        Err(Refusal::PreviewMissing)
    ));
    p.preview_result = Some("2 to create, 1 to modify".into());
    assert!(confirm(&p, ORDERS_KRC, &[], now()).is_ok());
}
