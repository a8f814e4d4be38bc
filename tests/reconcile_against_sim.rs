//! Reconciliation against the simulator: an intent left unfinished (journaled, no outcome) is
//! read back through AzureEffects. Each case reconciles the same intent twice: before the plan
//! ran (the change is not in place) and after it ran to the end (in place), for a swap, a Traffic
//! Manager disable, a Front Door disable, timers (settings flags), a settings and keys sync
//! (compared by digest, partly in place after a crash between two writes), a release freeze (a lock)
//! and a regional failover (each write read back, its read-back and health checks skipped as
//! read-only). A restart is said to leave no trace.

#[path = "common/act.rs"]
mod bench;
#[path = "common/infra.rs"]
mod infra;
#[path = "common/wire.rs"]
mod wire;

use bench::{Bench, secret_values};
use warroom::act::reconcile::{Reconciliation, reconcile};
use warroom::act::{Effect, Effects, Plan, StepProgress, executor};
use warroom::decide::ActionKind;
use warroom::journal::resume::Unfinished;
use warroom::journal::{Found, Intent};
use warroom::sim::Scenario;
use warroom::sim::scenario::Event;
use warroom::sim::world::HostKeyKind;

/// The intent of `plan` as the executor journals it, with no step done and no outcome.
fn unfinished(plan: &Plan, b: &Bench) -> Unfinished {
    Unfinished {
        intent: Intent {
            plan_id: plan.id.clone(),
            action: plan.action.clone(),
            title: plan.title.clone(),
            risk: plan.risk.label().to_lowercase(),
            // The steps exactly as the executor journals them.
            steps: executor::intent_steps(plan),
            overrides: vec![],
            confirmed_at: b.w.now(),
        },
        steps_done: vec![],
        seq: 1,
    }
}

/// Reconciles `u` and checks its lines carry no secret of the world.
async fn check(b: &Bench, u: &Unfinished) -> Reconciliation {
    let r = reconcile(u, &b.effects()).await;
    let secrets = secret_values(&b.w);
    let text = r.checks.join("\n");
    for s in &secrets {
        assert!(!text.contains(s.as_str()), "a check line holds a secret");
    }
    r
}

/// Reconciles `plan`'s intent before and after running it: not in place, then in place.
async fn before_and_after(b: &mut Bench, plan: &Plan) -> (Reconciliation, Reconciliation) {
    let u = unfinished(plan, b);
    let before = check(b, &u).await;
    let ran = b
        .execute(plan, &bench::typed(plan), &bench::reasons(plan))
        .await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    let after = check(b, &u).await;
    (before, after)
}

#[tokio::test]
async fn a_swap_is_judged_by_the_version_production_reports_against_the_plans_expectation() {
    let mut b = Bench::start("bad-release", 5 * 60).await;
    let plan = b.plan(ActionKind::SwapBack, "func-orders-prod-krc").await;
    let (before, after) = before_and_after(&mut b, &plan).await;
    // Not seen in place, a swap is unknown rather than "not in place": it may still be running,
    // and a second swap would undo it.
    assert_eq!(before.found, Found::Unknown, "{:#?}", before.checks);
    assert!(
        before.checks[0].contains("reports 2026.04.04")
            && before.checks[0].contains("expected 2026.03.28")
            && before.checks[0].contains("a second swap would undo the first")
            && before.checks[0].contains("not repeated"),
        "{:#?}",
        before.checks
    );
    assert_eq!(after.found, Found::InPlace, "{:#?}", after.checks);
    assert!(
        after.checks[0].contains("reports 2026.03.28"),
        "{:#?}",
        after.checks
    );
    assert_eq!(after.checks.len(), 1, "the check step is read only");
    assert!(
        after.headline().contains("IN PLACE"),
        "{}",
        after.headline()
    );
}

#[tokio::test]
async fn a_traffic_manager_disable_is_in_place_once_the_endpoint_reads_disabled() {
    let mut b = Bench::start("region-outage", 3 * 60).await;
    b.run(ActionKind::SuppressOn, "krc").await;
    let plan = b.plan(ActionKind::TmDisable, "primary-endpoint").await;
    let (before, after) = before_and_after(&mut b, &plan).await;
    assert_eq!(before.found, Found::NotInPlace, "{:#?}", before.checks);
    assert!(
        before.checks.iter().any(|c| c.contains("reads Enabled")),
        "{:#?}",
        before.checks
    );
    assert_eq!(after.found, Found::InPlace, "{:#?}", after.checks);
    assert!(
        after.checks.iter().any(|c| c.contains("reads Disabled")),
        "{:#?}",
        after.checks
    );
}

#[tokio::test]
async fn a_front_door_disable_is_in_place_once_the_origin_reads_disabled() {
    let mut b = Bench::start("region-outage", 3 * 60).await;
    b.run(ActionKind::SuppressOn, "krc").await;
    let plan = b.plan(ActionKind::FdDisable, "origin-primary").await;
    let (before, after) = before_and_after(&mut b, &plan).await;
    assert_eq!(before.found, Found::NotInPlace, "{:#?}", before.checks);
    assert_eq!(after.found, Found::InPlace, "{:#?}", after.checks);
    assert!(
        after
            .checks
            .iter()
            .any(|c| c.contains("origin-primary reads Disabled")),
        "{:#?}",
        after.checks
    );
}

#[tokio::test]
async fn a_failover_is_read_back_write_by_write_and_its_checks_are_skipped() {
    let mut b = Bench::start("region-outage", 3 * 60).await;
    let plan = b.plan(ActionKind::Failover, "krc").await;
    let writes: Vec<(usize, &str)> = plan
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.effect.is_read_only())
        .map(|(i, s)| (i + 1, s.what.as_str()))
        .collect();
    let checks = plan.steps.len() - writes.len();
    assert!(
        checks >= 2
            && plan.steps.iter().any(|s| matches!(
                s.effect,
                Effect::Verify(warroom::act::VerifyCheck::ReadBack { .. })
            )),
        "a read-back and health checks: {:#?}",
        plan.steps
    );
    let (before, after) = before_and_after(&mut b, &plan).await;
    assert_eq!(before.found, Found::NotInPlace, "{:#?}", before.checks);
    assert_eq!(after.found, Found::InPlace, "{:#?}", after.checks);
    // One line per write, in step order; the read-back and the health checks only read, so
    // they are not reconciled (nor their copies of the writes read twice).
    for r in [&before, &after] {
        assert_eq!(r.checks.len(), writes.len(), "{:#?}", r.checks);
        for (line, (n, what)) in r.checks.iter().zip(&writes) {
            assert!(
                line.contains(&format!("step {n} ({what}, not journaled)")),
                "{line}"
            );
        }
    }
    assert!(
        after
            .checks
            .iter()
            .any(|c| c.contains("primary-endpoint reads Disabled"))
            && after
                .checks
                .iter()
                .any(|c| c.contains("origin-primary reads Disabled")),
        "{:#?}",
        after.checks
    );
}

#[tokio::test]
async fn timers_are_compared_flag_by_flag() {
    let mut b = Bench::start("region-outage", 3 * 60).await;
    let plan = b.plan(ActionKind::Timers, "func-reconcile-prod-jpe").await;
    let (before, after) = before_and_after(&mut b, &plan).await;
    assert_eq!(before.found, Found::NotInPlace, "{:#?}", before.checks);
    assert_eq!(after.found, Found::InPlace, "{:#?}", after.checks);
    assert!(
        after.checks.iter().any(|c| c.contains(".Disabled=false")),
        "{:#?}",
        after.checks
    );
}

#[tokio::test]
async fn a_settings_and_keys_sync_is_compared_by_digest_and_never_shows_a_value() {
    let mut s = Scenario::builtin("calm").expect("scenario");
    s.events.push(Event::SettingsDrift {
        at: "1m".parse().expect("offset"),
        app: "func-orders-prod-jpe".into(),
        slot: "production".into(),
        changed: vec!["DOWNSTREAM_API_KEY".into()],
        missing: vec!["APPLICATIONINSIGHTS_CONNECTION_STRING".into()],
    });
    let mut b = Bench::start_with(warroom::config::Estate::demo(), s, 5 * 60).await;
    b.w.sim.with_world(|w| {
        w.set_host_key(
            "func-orders-prod-jpe",
            "production",
            HostKeyKind::Function,
            "default",
            None,
            "someone",
        )
        .expect("key drift");
    });
    let plan = b
        .plan(ActionKind::SyncSecondary, "func-orders-prod-jpe")
        .await;
    let u = unfinished(&plan, &b);
    let before = check(&b, &u).await;
    assert_eq!(before.found, Found::NotInPlace, "{:#?}", before.checks);
    // A crash between two writes: one of the drifted settings copied, the other not.
    let Some(Effect::MergeSettings { site_id, slot, set }) = plan
        .steps
        .iter()
        .map(|s| &s.effect)
        .find(|e| matches!(e, Effect::MergeSettings { .. }))
    else {
        panic!("the sync merges settings: {:#?}", plan.steps);
    };
    assert_eq!(set.len(), 2, "{set:?}");
    let one = Effect::MergeSettings {
        site_id: site_id.clone(),
        slot: slot.clone(),
        set: set
            .iter()
            .filter(|(k, _)| *k == "DOWNSTREAM_API_KEY")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    b.effects()
        .run(&one, &StepProgress::new(tx, &plan.id, 1, 1))
        .await
        .expect("one setting copied");
    let half = check(&b, &u).await;
    assert_eq!(half.found, Found::PartlyInPlace, "{:#?}", half.checks);
    assert!(
        half.checks.iter().any(|c| c.contains(
            "in place: DOWNSTREAM_API_KEY (digests equal); not in place: APPLICATIONINSIGHTS_CONNECTION_STRING"
        )),
        "{:#?}",
        half.checks
    );
    let ran = b.execute(&plan, "y", &[]).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    let after = check(&b, &u).await;
    assert_eq!(after.found, Found::InPlace, "{:#?}", after.checks);
    assert!(
        after
            .checks
            .iter()
            .any(|c| c.contains("DOWNSTREAM_API_KEY (digests equal)"))
            && after
                .checks
                .iter()
                .any(|c| c.contains("(compared by digest) in place: host/default")),
        "{:#?}",
        after.checks
    );
}

#[tokio::test]
async fn a_release_freeze_is_in_place_while_its_lock_exists() {
    let mut b = Bench::start("bad-release", 5 * 60).await;
    let plan = b.plan(ActionKind::FreezeOn, "krc").await;
    let (before, after) = before_and_after(&mut b, &plan).await;
    assert_eq!(before.found, Found::NotInPlace, "{:#?}", before.checks);
    assert!(
        before.checks[0].contains("does not exist"),
        "{:#?}",
        before.checks
    );
    assert_eq!(after.found, Found::InPlace, "{:#?}", after.checks);
    assert!(after.checks[0].contains("exists"), "{:#?}", after.checks);
}

#[tokio::test]
async fn a_restart_leaves_no_trace_and_the_current_health_is_reported() {
    let mut b = Bench::start("bad-release", 5 * 60).await;
    let plan = b.plan(ActionKind::Restart, "func-orders-prod-krc").await;
    let u = unfinished(&plan, &b);
    let r = check(&b, &u).await;
    assert_eq!(r.found, Found::Unknown, "{:#?}", r.checks);
    assert!(
        r.checks
            .iter()
            .any(|c| c.contains("leaves no trace") && c.contains("2026.04.04")),
        "{:#?}",
        r.checks
    );
}
