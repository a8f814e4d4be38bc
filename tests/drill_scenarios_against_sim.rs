//! Every drill scenario of `assets/scenarios/` against the simulator: a few minutes after the
//! drill's fault, a snapshot read through warroom's client must lead the decision engine to the
//! drill's expected strategy and first expected action; following the engine's recommendations
//! (planned, confirmed and executed through `act`, with a reason for every override a plan needs)
//! must then recover the simulated estate until the engine validates the recovery.

#[path = "common/act.rs"]
mod bench;
#[path = "common/wire.rs"]
mod wire;

use bench::Bench;
use warroom::decide::{self, ActionKind, Answer, Decision, GateId, GateStatus, NodeId};
use warroom::sim::Scenario;

/// The drills this branch adds.
const DRILLS: [&str; 6] = [
    "c-front-door",
    "c-event-hubs",
    "d-rebuild",
    "durable-storage",
    "duplicate-timers",
    "secondary-out-of-sync",
];

/// How long after the fault the first snapshot is taken.
const AFTER_FAULT: i64 = 4 * 60;

async fn decision(b: &mut Bench) -> Decision {
    let snap = b.snapshot().await;
    let cx = b.context(&snap);
    decide::evaluate(&snap, &b.w.estate, &cx, b.w.now())
}

/// Starts a drill a few minutes after its fault; returns the bench and the spec's expectations.
async fn start(name: &str) -> (Bench, warroom::drill::DrillSpec) {
    let spec = Scenario::builtin(name)
        .expect("built-in")
        .drill
        .unwrap_or_else(|| panic!("{name} has a [drill] table"));
    let b = Bench::start(name, spec.fault_at.as_secs() + AFTER_FAULT).await;
    (b, spec)
}

/// Follows the engine until it validates the recovery; returns the action kinds taken.
async fn follow(b: &mut Bench, name: &str) -> Vec<ActionKind> {
    let mut taken = Vec::new();
    for _ in 0..20 {
        let d = decision(b).await;
        if d.answer(NodeId::Close).answer == Answer::Current {
            return taken;
        }
        if let Some(r) = &d.recommendation {
            b.run(r.action.kind, &r.action.target).await;
            taken.push(r.action.kind);
        }
        b.w.at((b.w.now() - b.w.start).num_seconds() + 60);
    }
    let d = decision(b).await;
    panic!(
        "{name}: not validated after {taken:?}: {} ({:#?})",
        d.summary,
        d.answer(NodeId::Verify)
    );
}

#[tokio::test]
async fn every_drill_is_a_builtin_with_a_drill_table() {
    for name in DRILLS {
        assert!(Scenario::list().contains(&name), "{name} is registered");
        let s = Scenario::builtin(name).expect("parses");
        let d = s.drill.expect("a drill");
        assert!(!d.expected_actions.is_empty(), "{name}");
        assert!(!d.narrative.is_empty() && !d.hints.is_empty(), "{name}");
        assert!(
            s.events.iter().any(|e| e.at() == d.fault_at),
            "{name}: an event at fault-at"
        );
    }
}

async fn check_drill(name: &str) -> Bench {
    let (mut b, spec) = start(name).await;
    let d = decision(&mut b).await;
    let rec = d
        .recommendation
        .clone()
        .unwrap_or_else(|| panic!("{name}: no recommendation: {}", d.summary));
    assert_eq!(rec.strategy, spec.expected_strategy, "{name}: {rec:#?}");
    assert_eq!(
        rec.action.kind, spec.expected_actions[0],
        "{name}: {rec:#?}"
    );
    let taken = follow(&mut b, name).await;
    assert!(
        taken.starts_with(&spec.expected_actions),
        "{name}: took {taken:?}, expected {:?} first",
        spec.expected_actions
    );
    b.assert_secret_free();
    b
}

#[tokio::test]
async fn c_front_door_fails_the_region_over_and_front_door_serves_japaneast() {
    let b = check_drill("c-front-door").await;
    let snap = b.snapshot().await;
    let fd = snap
        .routes
        .front_door
        .as_ref()
        .and_then(|(_, o)| o.get())
        .expect("front door read");
    let primary = fd
        .iter()
        .find(|r| r.name == "origin-primary")
        .expect("origin");
    assert!(!primary.enabled, "origin-primary disabled");
}

#[tokio::test]
async fn c_event_hubs_fails_the_alias_over_to_japaneast() {
    let b = check_drill("c-event-hubs").await;
    let snap = b.snapshot().await;
    let alias = snap
        .aliases
        .iter()
        .find(|a| a.name == "evh-functions-prod")
        .expect("alias");
    assert_eq!(alias.primary_namespace, "evhns-functions-prod-jpe");
}

#[tokio::test]
async fn d_rebuild_rebuilds_the_corrupted_app() {
    let b = check_drill("d-rebuild").await;
    assert!(
        b.dir.join("forensics").is_dir(),
        "forensic evidence kept before the rebuild"
    );
}

#[tokio::test]
async fn durable_storage_fails_the_task_hub_account_over() {
    let (mut b, _) = start("durable-storage").await;
    let d = decision(&mut b).await;
    // A storage failover does not hold alerts itself: suppressing them for krc comes first.
    let rec = d.recommendation.expect("a recommendation");
    assert_eq!(
        (rec.action.kind, rec.action.target.as_str()),
        (ActionKind::SuppressOn, "krc"),
        "{rec:#?}"
    );
    assert!(
        rec.reasons
            .iter()
            .any(|r| r == "then: storage-failover stworkflowprod"),
        "{:#?}",
        rec.reasons
    );
    b.run(ActionKind::SuppressOn, "krc").await;
    let d = decision(&mut b).await;
    let rec = d.recommendation.expect("a recommendation");
    assert_eq!(rec.action.target, "stworkflowprod");
    assert!(
        rec.reasons
            .iter()
            .any(|r| r.starts_with("RPO: writes after the last sync")),
        "{:#?}",
        rec.reasons
    );
    // japaneast's workflow app fails only on the shared account the failover restores: neither
    // the readiness gate nor the unhealthy-target rule holds the failover for it.
    assert!(
        d.gates.iter().all(decide::GateResult::allows),
        "{:#?}",
        d.gates
    );
    assert!(
        d.safety.iter().all(decide::SafetyCheck::allows),
        "{:#?}",
        d.safety
    );
    let ready = d
        .gates
        .iter()
        .find(|g| g.gate == GateId::SecondaryReadiness)
        .expect("readiness gate");
    assert!(
        ready.checks[0]
            .detail
            .contains("func-workflow-prod-jpe failing only on stworkflowprod"),
        "{ready:#?}"
    );
    drop(b);
    check_drill("durable-storage").await;
}

#[tokio::test]
async fn duplicate_timers_are_disabled_in_the_old_region() {
    let (mut b, _) = start("duplicate-timers").await;
    let d = decision(&mut b).await;
    let rec = d.recommendation.expect("a recommendation");
    assert_eq!(
        (rec.action.kind, rec.action.target.as_str()),
        (ActionKind::SuppressOn, "krc"),
        "{rec:#?}"
    );
    b.run(ActionKind::SuppressOn, "krc").await;
    let d = decision(&mut b).await;
    let rec = d.recommendation.expect("a recommendation");
    assert_eq!(rec.action.target, "func-reconcile-prod-jpe", "{rec:#?}");
    // japaneast already runs the timers: disabling them in krc moves no data.
    let data = d
        .gates
        .iter()
        .find(|g| g.gate == GateId::DataConsistency)
        .expect("data consistency gate");
    assert_eq!(data.status, GateStatus::Pass, "{data:#?}");
    assert!(
        d.gates.iter().all(decide::GateResult::allows),
        "{:#?}",
        d.gates
    );
    drop(b);
    let b = check_drill("duplicate-timers").await;
    let snap = b.snapshot().await;
    let krc = Bench::app(&snap, "func-reconcile-prod-krc")
        .functions
        .get()
        .expect("functions");
    assert!(
        krc.iter()
            .filter(|f| f.name != "Health")
            .all(|f| f.disabled),
        "{krc:?}"
    );
}

#[tokio::test]
async fn secondary_out_of_sync_blocks_the_failover_until_synced() {
    let (mut b, _) = start("secondary-out-of-sync").await;
    let snap = b.snapshot().await;
    let cx = b.context(&snap);
    let failover = decide::ProposedAction::new(ActionKind::Failover, "krc");
    let gates = decide::gates_for(&failover, &snap, &b.w.estate, &cx, b.w.now());
    let ready = gates
        .iter()
        .find(|g| g.gate == GateId::SecondaryReadiness)
        .expect("readiness gate");
    assert_eq!(ready.status, GateStatus::Fail, "{ready:#?}");
    let details: Vec<&str> = ready.checks.iter().map(|c| c.detail.as_str()).collect();
    assert!(
        details.iter().any(|d| d.contains("DOWNSTREAM_API_KEY")),
        "{details:#?}"
    );
    assert!(
        details
            .iter()
            .any(|d| d.contains("function/CreateOrder/default")),
        "{details:#?}"
    );
    let d = decision(&mut b).await;
    let rec = d.recommendation.expect("a recommendation");
    assert_eq!(rec.action.target, "func-orders-prod-jpe", "{rec:#?}");
    drop(b);
    check_drill("secondary-out-of-sync").await;
}
