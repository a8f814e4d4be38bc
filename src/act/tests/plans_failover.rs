//! The composite failover plan, and the plan's text.

use super::super::testkit::{ORDERS_KRC, bad_release, calm, gate};
use super::super::{Effect, Prompt, Risk, SettingSource, VerifyCheck};
use super::{action, ops, plan_on};
use crate::config::Estate;
use crate::decide::{ActionKind, GateId, GateStatus};

fn enabled_flag(e: &Effect) -> Option<bool> {
    match e {
        Effect::TmStatus { enabled, .. } | Effect::FdState { enabled, .. } => Some(*enabled),
        _ => None,
    }
}

#[test]
fn failover_syncs_suppresses_routes_away_flips_timers_and_verifies_in_that_order() {
    let p = plan_on(ActionKind::Failover, "krc", &calm()).expect("plans");
    assert_eq!(
        ops(&p),
        [
            "merge_settings", // orders settings krc → jpe
            "sync_keys",      // orders function key
            "alert_rule",
            "tm_status",
            "fd_state",
            "merge_settings", // reconcile timers on in jpe
            "merge_settings", // and off in krc
            "verify",         // every write above read back
            "verify",
            "verify",
            "verify",
        ]
    );
    // Once traffic has moved, every write is read back, routes included, before the health
    // checks of the apps that now serve.
    let Effect::Verify(VerifyCheck::ReadBack { effects }) = &p.steps[7].effect else {
        panic!("a read-back after the writes: {:?}", p.steps[7].effect);
    };
    let writes: Vec<Effect> = p.steps[..7].iter().map(|s| s.effect.clone()).collect();
    assert_eq!(effects, &writes);
    assert_eq!(
        p.steps[7].what,
        "Verify the failover's writes read back: settings of func-orders-prod-jpe by digest, \
         keys of func-orders-prod-jpe by digest, alert rule warroom-suppress-krc until 04:04 UTC, \
         endpoint primary-endpoint Disabled, origin origin-primary Disabled, timers enabled in \
         func-reconcile-prod-jpe, timers disabled in func-reconcile-prod-krc"
    );
    let az = p.steps[7].az.as_deref().unwrap_or_default();
    for read in [
        "az monitor alert-processing-rule show --resource-group rg-functions-prod-krc --name warroom-suppress-krc",
        "--profile-name tm-functions-prod --type azureEndpoints --name primary-endpoint --query endpointStatus",
        "--origin-name origin-primary --query enabledState",
        "--name func-reconcile-prod-krc --query \"[?name=='AzureWebJobs.NightlyReconcile.Disabled'",
        "--name func-orders-prod-jpe --function-name CreateOrder --query \"default\" -o tsv | sha256sum",
    ] {
        assert!(az.contains(read), "{read} in {az}");
    }
    assert!(!az.contains(" update ") && !az.contains(" set "), "{az}");
    assert!(
        matches!(&p.steps[2].effect, Effect::AlertRule { id, on: true, .. } if id.ends_with("/actionRules/warroom-suppress-krc"))
    );
    assert!(
        matches!(&p.steps[3].effect, Effect::TmStatus { endpoint_id, enabled: false } if endpoint_id.ends_with("/primary-endpoint"))
    );
    assert!(
        matches!(&p.steps[4].effect, Effect::FdState { origin_id, enabled: false } if origin_id.ends_with("/origin-primary"))
    );
    assert!(
        matches!(&p.steps[5].effect, Effect::MergeSettings { site_id, set, .. }
        if site_id.ends_with("/func-reconcile-prod-jpe") && set.values().all(|s| *s == SettingSource::Flag { value: false }))
    );
    let verified: Vec<&str> = p
        .steps
        .iter()
        .filter_map(|s| match &s.effect {
            Effect::Verify(VerifyCheck::AppHealthy { app, .. }) => Some(app.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        verified,
        [
            "func-catalog-prod-jpe",
            "func-orders-prod-jpe",
            "func-reconcile-prod-jpe"
        ]
    );
    assert_eq!(p.risk, Risk::High);
    assert_eq!(
        p.confirmation.prompt,
        Prompt::TypeTarget {
            expected: "krc".into()
        }
    );
    assert_eq!(p.undo, None);
    assert!(p.follow_ups.is_empty(), "{:?}", p.follow_ups);
}

#[test]
fn failover_enables_a_disabled_destination_route_before_disabling_the_failing_one() {
    let mut snap = calm();
    if let Some((_, o)) = snap.routes.traffic_manager.as_mut()
        && let Some(eps) = o.value.as_mut()
    {
        eps[1].enabled = false; // secondary-endpoint
    }
    let p = plan_on(ActionKind::Failover, "krc", &snap).expect("plans");
    let tm: Vec<(String, bool)> = p
        .steps
        .iter()
        .filter_map(|s| match &s.effect {
            Effect::TmStatus {
                endpoint_id,
                enabled,
            } => Some((
                endpoint_id
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                *enabled,
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        tm,
        [
            ("secondary-endpoint".to_owned(), true),
            ("primary-endpoint".to_owned(), false)
        ]
    );
}

#[test]
fn failover_never_disables_the_last_enabled_route() {
    let mut estate = Estate::demo();
    if let Some(tm) = estate.traffic_manager.as_mut() {
        tm.endpoints.retain(|e| e.name == "primary-endpoint");
    }
    let snap = calm();
    let p = super::super::plan(
        &action(ActionKind::Failover, "krc"),
        &estate,
        &snap,
        vec![],
        vec![],
    )
    .expect("plans");
    assert!(
        !p.steps
            .iter()
            .any(|s| matches!(s.effect, Effect::TmStatus { .. }))
    );
    assert!(
        p.steps
            .iter()
            .any(|s| enabled_flag(&s.effect) == Some(false)),
        "the origin still moves"
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("primary-endpoint stays enabled"))
    );
}

#[test]
fn failover_names_alias_and_storage_failover_only_when_the_dependency_fails() {
    let mut snap = calm();
    if let Some(s) = snap.storage.iter_mut().find(|s| s.name == "stworkflowprod")
        && let Some(f) = s.state.value.as_mut()
    {
        f.primary_status = Some("unavailable".into());
    }
    if let Some(a) = snap
        .aliases
        .iter_mut()
        .find(|a| a.name == "sb-functions-prod")
    {
        a.state.fail("503 ServiceUnavailable", snap.taken_at);
    }
    let p = plan_on(ActionKind::Failover, "krc", &snap).expect("plans");
    assert_eq!(
        p.follow_ups,
        [
            action(ActionKind::AliasFailover, "sb-functions-prod"),
            action(ActionKind::StorageFailover, "stworkflowprod")
        ]
    );
    // Separate actions: nothing in the failover itself touches them.
    assert!(!p.steps.iter().any(|s| matches!(
        s.effect,
        Effect::AliasFailover { .. } | Effect::StorageFailover { .. }
    )));
    assert!(p.render_text().contains("alias-failover sb-functions-prod"));
}

#[test]
fn the_text_numbers_steps_shows_calls_az_gates_and_the_confirmation() {
    let mut p = plan_on(ActionKind::Swap, ORDERS_KRC, &bad_release()).expect("plans");
    let text = p.render_text();
    assert!(
        text.starts_with("PLAN swap func-orders-prod-krc: "),
        "{text}"
    );
    assert!(text.contains("  1. Swap slot staging into production of func-orders-prod-krc"));
    assert!(
        text.contains("call: POST /subscriptions/")
            && text.contains("slotsswap?api-version=2024-11-01")
    );
    assert!(text.contains("az:   az functionapp deployment slot swap"));
    assert!(
        text.contains("Risk: medium   Expected: 1–5 min   Undo: swap-back func-orders-prod-krc")
    );
    assert!(text.contains("Confirm: press y"));
    assert!(!text.contains("BLOCKED"));
    assert!(
        text.lines().all(|l| l == l.trim_end()),
        "no trailing spaces"
    );

    p.gates = vec![
        gate(GateId::Scope, GateStatus::Pass),
        gate(GateId::SecondaryReadiness, GateStatus::Fail),
        gate(GateId::DataConsistency, GateStatus::Unknown),
    ];
    super::super::confirm::settle(&mut p);
    let text = p.render_text();
    assert!(text.contains("✓ PASS  incident scope"));
    assert!(text.contains("✗ FAILED  secondary readiness"));
    assert!(text.contains("? UNKNOWN  data consistency"));
    assert!(
        text.contains(
            "BLOCKED:\n  - gate secondary readiness is FAILED: SecondaryReadiness is Fail"
        )
    );
    assert!(text.contains("gate data consistency is UNKNOWN"));
    assert!(!text.contains("Confirm: press y"));
}
