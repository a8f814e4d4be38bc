//! The routing actions end to end against the simulator: Traffic Manager endpoint and Front
//! Door origin disable with their undo (enable), timers moved to the other region and back, and
//! the regional failover on the demo estate (both routers) and on estates with only one of them.
//! Each change is seen afterwards in a fresh snapshot read through the client. The failover reads
//! every write back once traffic has moved, before the health checks; a route switched back by
//! hand in between fails that read-back, and the outcome and journal say so.

#[path = "common/act.rs"]
mod bench;
#[path = "common/wire.rs"]
mod wire;

use bench::{Bench, Ran, az, gates_needed};
use warroom::act::{
    ConfirmKey, Effect, OutcomeStatus, Plan, Prompt, Risk, SettingSource, VerifyCheck,
};
use warroom::azure::writes::governance::list_alert_processing_rules;
use warroom::config::Estate;
use warroom::decide::{ActionKind, GateId, ProposedAction};
use warroom::journal::Entry;
use warroom::model::{RouteState, Routing, Snapshot};
use warroom::sim::Scenario;
use warroom::sim::scenario::Toggle;

const OUTAGE: &str = "region-outage";
/// Three minutes in: krc has been down for two.
const IN_OUTAGE: i64 = 3 * 60;

/// A Traffic Manager endpoint (`tm`) or Front Door origin in a snapshot.
fn route<'s>(snap: &'s Snapshot, tm: bool, name: &str) -> &'s RouteState {
    let routes = if tm {
        &snap.routes.traffic_manager
    } else {
        &snap.routes.front_door
    };
    routes
        .as_ref()
        .and_then(|(_, o)| o.get())
        .and_then(|r| r.iter().find(|r| r.name == name))
        .unwrap_or_else(|| panic!("{name} in the snapshot"))
}

/// Whether each timer function of an app is disabled, as the snapshot reads them.
fn timers_disabled(snap: &Snapshot, app: &str) -> Vec<bool> {
    let functions = Bench::app(snap, app)
        .functions
        .get()
        .expect("functions read");
    ["NightlyReconcile", "PurgeExpiredReservations"]
        .iter()
        .map(|f| {
            functions
                .iter()
                .find(|s| s.name == *f)
                .unwrap_or_else(|| panic!("{f} listed for {app}"))
                .disabled
        })
        .collect()
}

#[tokio::test]
async fn tm_disable_moves_traffic_off_the_failed_region_and_tm_enable_undoes_it() {
    let mut b = Bench::start(OUTAGE, IN_OUTAGE).await;
    let before = b.snapshot().await;
    assert!(route(&before, true, "primary-endpoint").enabled);

    let plan = b.plan(ActionKind::TmDisable, "primary-endpoint").await;
    assert_eq!(
        gates_needed(&plan),
        [GateId::DataConsistency, GateId::AlertSuppression],
        "{:#?}",
        plan.blocked_reasons()
    );
    // Alerts held first, as the runbook asks: the alert suppression gate then passes.
    b.run(ActionKind::SuppressOn, "krc").await;
    let plan = b.plan(ActionKind::TmDisable, "primary-endpoint").await;
    assert_eq!(plan.risk, Risk::High);
    assert_eq!(
        plan.confirmation.prompt,
        Prompt::TypeTarget {
            expected: "primary-endpoint".into()
        }
    );
    assert_eq!(
        plan.undo,
        Some(ProposedAction {
            kind: ActionKind::TmEnable,
            target: "primary-endpoint".into(),
            release: None,
        })
    );
    assert!(az(&plan).contains("az network traffic-manager endpoint update"));
    assert!(
        az(&plan).contains("--endpoint-status Disabled"),
        "{}",
        az(&plan)
    );
    assert!(
        az(&plan).contains("az network traffic-manager endpoint show --resource-group rg-functions-prod-krc --profile-name")
            && az(&plan).ends_with("--name primary-endpoint --query endpointStatus"),
        "the check shows its az read: {}",
        az(&plan)
    );
    assert_eq!(
        gates_needed(&plan),
        [GateId::DataConsistency],
        "replication from krc is behind in the outage: {:#?}",
        plan.blocked_reasons()
    );

    let ran = b
        .execute(&plan, "primary-endpoint", &bench::reasons(&plan))
        .await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(
        ran.wrote("PATCH", "/azureEndpoints/primary-endpoint"),
        "{:?}",
        ran.writes
    );
    let after = b.snapshot().await;
    let p = route(&after, true, "primary-endpoint");
    assert!(!p.enabled);
    assert_eq!(p.routing, Routing::Disabled);
    assert!(route(&after, true, "secondary-endpoint").enabled);

    let ran = b.run(ActionKind::TmEnable, "primary-endpoint").await;
    assert_eq!(ran.plan.risk, Risk::Medium);
    assert_eq!(
        ran.plan.undo.as_ref().map(|u| u.kind),
        Some(ActionKind::TmDisable)
    );
    let back = b.snapshot().await;
    assert!(route(&back, true, "primary-endpoint").enabled);
    b.assert_secret_free();
}

#[tokio::test]
async fn fd_disable_stops_routing_to_the_failed_origin_and_fd_enable_undoes_it() {
    let mut b = Bench::start(OUTAGE, IN_OUTAGE).await;
    let plan = b.plan(ActionKind::FdDisable, "origin-primary").await;
    assert_eq!(plan.risk, Risk::High);
    assert_eq!(
        plan.confirmation.prompt,
        Prompt::TypeTarget {
            expected: "origin-primary".into()
        }
    );
    assert_eq!(
        plan.undo.as_ref().map(|u| u.kind),
        Some(ActionKind::FdEnable)
    );
    assert!(az(&plan).contains("az afd origin update"), "{}", az(&plan));
    assert!(
        az(&plan).ends_with("--origin-name origin-primary --query enabledState"),
        "the check shows its az read: {}",
        az(&plan)
    );
    assert!(matches!(
        &plan.steps[0].effect,
        Effect::FdState { enabled: false, .. }
    ));

    let ran = b
        .execute(&plan, "origin-primary", &bench::reasons(&plan))
        .await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(
        ran.wrote("PATCH", "/origins/origin-primary"),
        "{:?}",
        ran.writes
    );
    let after = b.snapshot().await;
    assert!(!route(&after, false, "origin-primary").enabled);
    assert_eq!(
        route(&after, false, "origin-primary").routing,
        Routing::Disabled
    );
    assert!(route(&after, false, "origin-secondary").enabled);

    b.run(ActionKind::FdEnable, "origin-primary").await;
    let back = b.snapshot().await;
    assert!(route(&back, false, "origin-primary").enabled);
    b.assert_secret_free();
}

#[tokio::test]
async fn timers_move_to_the_secondary_and_their_undo_moves_them_back() {
    let mut b = Bench::start(OUTAGE, IN_OUTAGE).await;
    let before = b.snapshot().await;
    assert_eq!(
        timers_disabled(&before, "func-reconcile-prod-jpe"),
        [true, true]
    );
    assert_eq!(
        timers_disabled(&before, "func-reconcile-prod-krc"),
        [false, false]
    );

    let plan = b.plan(ActionKind::Timers, "func-reconcile-prod-jpe").await;
    assert_eq!(plan.risk, Risk::Medium);
    assert_eq!(plan.confirmation.prompt, Prompt::Key { key: ConfirmKey::Y });
    assert_eq!(
        plan.undo,
        Some(ProposedAction {
            kind: ActionKind::Timers,
            target: "func-reconcile-prod-krc".into(),
            release: None,
        })
    );
    assert!(az(&plan).contains("az functionapp config appsettings set"));
    assert!(
        az(&plan).contains("AzureWebJobs.NightlyReconcile.Disabled=false"),
        "{}",
        az(&plan)
    );
    let ran = b.execute(&plan, "y", &bench::reasons(&plan)).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    // The last step read the flags back in both apps, and the outcome says so.
    let Some(Effect::Verify(VerifyCheck::ReadBack { effects })) =
        plan.steps.last().map(|s| &s.effect)
    else {
        panic!("a read-back check last: {:?}", plan.steps.last());
    };
    assert_eq!(effects.len(), 2, "both apps' flags are read back");
    assert!(ran.outcome.verified(), "{}", ran.outcome.words());
    let [report] = ran.outcome.verified.as_slice() else {
        panic!("one check: {:?}", ran.outcome.verified);
    };
    assert!(
        report.contains("✓ settings of func-reconcile-prod-jpe in place: AzureWebJobs.NightlyReconcile.Disabled=false, AzureWebJobs.PurgeExpiredReservations.Disabled=false")
            && report.contains("✓ settings of func-reconcile-prod-krc in place: AzureWebJobs.NightlyReconcile.Disabled=true"),
        "{report}"
    );
    let after = b.snapshot().await;
    assert_eq!(
        timers_disabled(&after, "func-reconcile-prod-jpe"),
        [false, false]
    );
    assert_eq!(
        timers_disabled(&after, "func-reconcile-prod-krc"),
        [true, true]
    );

    let undo = plan.undo.clone().expect("undo");
    let back = b.run(undo.kind, &undo.target).await;
    assert!(back.outcome.verified(), "{}", back.outcome.words());
    let back = b.snapshot().await;
    assert_eq!(
        timers_disabled(&back, "func-reconcile-prod-jpe"),
        [true, true]
    );
    assert_eq!(
        timers_disabled(&back, "func-reconcile-prod-krc"),
        [false, false]
    );
    b.assert_secret_free();
}

/// The failover's read-back check: where it is in the plan, the writes it reads back.
fn read_back(plan: &Plan) -> (usize, &[Effect]) {
    plan.steps
        .iter()
        .enumerate()
        .find_map(|(i, s)| match &s.effect {
            Effect::Verify(VerifyCheck::ReadBack { effects }) => Some((i, effects.as_slice())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a read-back check: {:#?}", plan.steps))
}

/// Checks the failover plan reads every write back once traffic has moved (after the last
/// route change, before the serving apps' health checks), that the check passed, and returns
/// its journaled report.
fn assert_read_back(b: &Bench, ran: &Ran) -> String {
    let plan = &ran.plan;
    let (check, effects) = read_back(plan);
    let writes: Vec<&Effect> = plan
        .steps
        .iter()
        .map(|s| &s.effect)
        .filter(|e| !e.is_read_only())
        .collect();
    assert_eq!(
        effects.iter().collect::<Vec<_>>(),
        writes,
        "every write, routes included"
    );
    let last_write = plan
        .steps
        .iter()
        .rposition(|s| !s.effect.is_read_only())
        .expect("writes");
    let last_route = plan
        .steps
        .iter()
        .rposition(|s| matches!(s.effect, Effect::TmStatus { .. } | Effect::FdState { .. }))
        .expect("a route change");
    assert!(
        last_route < check && last_write + 1 == check,
        "after the writes"
    );
    let health = &plan.steps[check + 1..];
    assert!(
        !health.is_empty()
            && health
                .iter()
                .all(|s| matches!(s.effect, Effect::Verify(VerifyCheck::AppHealthy { .. }))),
        "the health checks follow: {health:#?}"
    );
    assert!(
        ran.outcome.words().starts_with("succeeded and verified"),
        "{}",
        ran.outcome.words()
    );
    let report = b
        .step_reports(plan)
        .into_iter()
        .find_map(|(n, r)| (n == check + 1).then_some(r))
        .expect("the read-back is journaled");
    assert_eq!(ran.outcome.verified.first(), Some(&report));
    assert_eq!(
        report.matches('✓').count(),
        effects.len(),
        "one line per write, each in place: {report}"
    );
    assert!(!report.contains('✗'), "{report}");
    report
}

/// Runs `failover krc` on `estate` in the outage; returns the bench, the snapshot after and the
/// read-back check's journaled report.
async fn failover(estate: Estate) -> (Bench, Snapshot, String) {
    let scenario = Scenario::builtin(OUTAGE).expect("scenario");
    let mut b = Bench::start_with(estate, scenario, IN_OUTAGE).await;
    let plan = b.plan(ActionKind::Failover, "krc").await;
    assert_eq!(plan.risk, Risk::High);
    assert_eq!(
        plan.confirmation.prompt,
        Prompt::TypeTarget {
            expected: "krc".into()
        }
    );
    assert_eq!(plan.undo, None, "failing back is another failover");
    assert!(
        plan.notes.iter().any(|n| n.contains("failover jpe")),
        "{:?}",
        plan.notes
    );
    assert!(az(&plan).contains("az monitor alert-processing-rule create"));
    // The secondary is ready (each region keeps its own storage connections), so nothing is
    // copied; replication from the failed region is behind. Alerts are held by the plan itself.
    assert_eq!(
        gates_needed(&plan),
        [GateId::DataConsistency],
        "{:#?}",
        plan.blocked_reasons()
    );
    assert!(
        !plan
            .steps
            .iter()
            .any(|s| matches!(&s.effect, Effect::MergeSettings { set, .. }
            if set.values().any(|v| matches!(v, SettingSource::CopyFrom { .. })))),
        "no setting is copied between regions"
    );
    let queue_conn = |snap: &Snapshot| {
        bench::setting_digest(snap, "func-fulfil-prod-jpe", "QueueStorageConnection").cloned()
    };
    let before = b.snapshot().await;
    let ran = b.execute(&plan, "krc", &bench::reasons(&plan)).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    let report = assert_read_back(&b, &ran);
    assert!(
        report.contains("✓ settings of func-reconcile-prod-jpe in place: AzureWebJobs.NightlyReconcile.Disabled=false")
            && report.contains("✓ settings of func-reconcile-prod-krc in place: AzureWebJobs.NightlyReconcile.Disabled=true")
            && report.contains("warroom-suppress-krc"),
        "{report}"
    );
    let after = b.snapshot().await;
    assert_eq!(
        queue_conn(&after),
        queue_conn(&before),
        "jpe's worker still reads its own queue account"
    );
    assert!(queue_conn(&after).is_some());
    assert_ne!(
        queue_conn(&after).as_ref(),
        bench::setting_digest(&after, "func-fulfil-prod-krc", "QueueStorageConnection")
    );
    // Timers run in jpe now, not in krc.
    assert_eq!(
        timers_disabled(&after, "func-reconcile-prod-jpe"),
        [false, false]
    );
    assert_eq!(
        timers_disabled(&after, "func-reconcile-prod-krc"),
        [true, true]
    );
    // Alerts for krc are held.
    let sub = b.w.estate.primary().subscription_id.clone();
    let rules = list_alert_processing_rules(&b.w.client, &sub)
        .await
        .expect("rules");
    assert!(
        rules
            .iter()
            .any(|r| r.name.as_deref() == Some("warroom-suppress-krc")
                && r.properties
                    .scopes
                    .iter()
                    .any(|s| s.ends_with("/rg-functions-prod-krc"))),
        "the suppression rule is listed"
    );
    b.assert_secret_free();
    (b, after, report)
}

#[tokio::test]
async fn failover_on_the_demo_estate_moves_both_routers_timers_and_alerts() {
    let (b, after, report) = failover(Estate::demo()).await;
    assert!(
        report.contains("✓ endpoint primary-endpoint reads Disabled")
            && report.contains("✓ origin origin-primary reads Disabled"),
        "{report}"
    );
    assert!(!route(&after, true, "primary-endpoint").enabled);
    assert!(route(&after, true, "secondary-endpoint").enabled);
    assert!(!route(&after, false, "origin-primary").enabled);
    assert!(route(&after, false, "origin-secondary").enabled);
    assert!(
        b.w.sim
            .write_log()
            .iter()
            .any(|r| r.path.contains("Microsoft.Cdn"))
    );
}

#[tokio::test]
async fn failover_through_traffic_manager_alone_and_through_front_door_alone() {
    let mut tm_only = Estate::demo();
    tm_only.front_door = None;
    let (b, after, report) = failover(tm_only).await;
    assert!(
        report.contains("✓ endpoint primary-endpoint reads Disabled") && !report.contains("origin"),
        "{report}"
    );
    assert!(after.routes.front_door.is_none());
    assert!(!route(&after, true, "primary-endpoint").enabled);
    assert!(route(&after, true, "secondary-endpoint").enabled);
    assert!(
        !b.w.sim
            .write_log()
            .iter()
            .any(|r| r.path.contains("Microsoft.Cdn"))
    );

    let mut fd_only = Estate::demo();
    fd_only.traffic_manager = None;
    let (b, after, report) = failover(fd_only).await;
    assert!(
        report.contains("✓ origin origin-primary reads Disabled") && !report.contains("endpoint"),
        "{report}"
    );
    assert!(after.routes.traffic_manager.is_none());
    assert!(!route(&after, false, "origin-primary").enabled);
    assert!(route(&after, false, "origin-secondary").enabled);
    assert!(
        !b.w.sim
            .write_log()
            .iter()
            .any(|r| r.path.contains("trafficManagerProfiles"))
    );
}

#[tokio::test]
async fn a_failover_whose_route_is_switched_back_by_hand_fails_its_read_back_before_any_health_check()
 {
    let mut b = Bench::start(OUTAGE, IN_OUTAGE).await;
    let plan = b.plan(ActionKind::Failover, "krc").await;
    let (check, _) = read_back(&plan);
    let ran = b
        .execute_meddled(
            &plan,
            "krc",
            &bench::reasons(&plan),
            Box::new(|w| {
                // Someone puts the failed region back into rotation by hand between the
                // console's writes and its check.
                w.set_endpoint_status("primary-endpoint", Toggle::Enabled, "someone@example.com")
                    .expect("the endpoint exists");
            }),
        )
        .await;
    assert!(
        ran.wrote("PATCH", "/primary-endpoint"),
        "the endpoint was disabled: {:?}",
        ran.writes
    );
    let OutcomeStatus::Failed { step, what, error } = &ran.outcome.status else {
        panic!("the read-back fails: {}", ran.outcome.words());
    };
    assert_eq!(*step, check + 1, "the read-back is the step that failed");
    assert!(
        what.starts_with("Verify the failover's writes read back"),
        "{what}"
    );
    assert!(
        error.starts_with("verification failed: ")
            && error.contains("✗ endpoint primary-endpoint reads Enabled")
            && error.contains("✓ origin origin-primary reads Disabled"),
        "{error}"
    );
    // It stops there: the health checks of jpe, which would pass, do not hide it.
    assert_eq!(ran.outcome.steps_done, check);
    assert!(!ran.outcome.verified());
    let journaled = b
        .records()
        .into_iter()
        .find_map(|r| match r.entry {
            Entry::Outcome(o) if o.plan_id == plan.id => Some(o),
            _ => None,
        })
        .expect("the outcome is journaled");
    assert_eq!(journaled.failed_step, Some(check + 1));
    assert!(
        journaled
            .error
            .as_deref()
            .is_some_and(|e| e.contains("primary-endpoint reads Enabled")),
        "{journaled:?}"
    );
    b.assert_secret_free();
}
