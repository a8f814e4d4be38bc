//! The guards around every action, end to end against the simulator: a typed confirmation that
//! does not match executes nothing (no write reaches the simulator, no intent is journaled); a
//! failed gate blocks until it is overridden with a reason, and the reason is in the journal's
//! intent; a refusing safety rule blocks the same way; a change made by someone else between an
//! action's writes and its check fails the action, and its outcome says so; and no secret value
//! (settings, keys, read back through the client's redacted readers) ever reaches the journal, a
//! forensic file or a progress event.

#[path = "common/act.rs"]
mod bench;
#[path = "common/wire.rs"]
mod wire;

use bench::{Bench, gate, gates_needed, rule, setting_digest};
use warroom::act::{self, OutcomeStatus, Refusal};
use warroom::azure::writes::web::{function_key_values, host_key_values, read_app_settings_values};
use warroom::config::Estate;
use warroom::decide::{ActionKind, GateId, OverrideTarget, SafetyRule};
use warroom::journal::{self, Entry};
use warroom::sim::Scenario;
use warroom::sim::scenario::Event;

const JPE: &str = "func-orders-prod-jpe";
const KRC: &str = "func-orders-prod-krc";

/// The region outage with the orders API's settings drifted in the secondary a minute in.
fn outage_with_drift() -> Scenario {
    let mut s = Scenario::builtin("region-outage").expect("scenario");
    s.events.push(Event::SettingsDrift {
        at: "1m".parse().expect("offset"),
        app: JPE.into(),
        slot: "production".into(),
        changed: vec!["DOWNSTREAM_API_KEY".into()],
        missing: Vec::new(),
    });
    s
}

#[tokio::test]
async fn a_typed_confirmation_that_does_not_match_executes_nothing() {
    let mut b = Bench::start("region-outage", 3 * 60).await;
    let log = b.w.sim.write_log();
    let writes = b.w.sim.counts().writes;
    for (kind, target, wrong) in [
        (ActionKind::TmDisable, "primary-endpoint", "primary-endpoin"),
        (ActionKind::TmDisable, "primary-endpoint", "y"),
        (ActionKind::Failover, "krc", "KRC"),
        (ActionKind::Failover, "krc", ""),
        (ActionKind::Failover, "krc", "jpe"),
    ] {
        let plan = b.plan(kind, target).await;
        let reasons = bench::reasons(&plan);
        assert!(!reasons.is_empty(), "the outage needs overrides too");
        let refused =
            act::confirm(&plan, wrong, &reasons, b.w.now()).expect_err("a wrong name is refused");
        let Refusal::WrongConfirmation { expected } = &refused else {
            panic!("{refused}");
        };
        assert!(expected.contains(target), "{expected}");
        // The right name without the needed reasons is refused too.
        let refused = act::confirm(&plan, target, &[], b.w.now()).expect_err("refused");
        assert!(
            matches!(refused, Refusal::OverrideMissing { .. }),
            "{refused}"
        );
    }
    assert_eq!(b.w.sim.write_log(), log, "no write reached the simulator");
    assert_eq!(b.w.sim.counts().writes, writes);
    let (records, _) = journal::read(&b.dir);
    assert!(records.is_empty(), "nothing journaled: {records:?}");
}

#[tokio::test]
async fn a_failed_gate_blocks_without_a_reason_and_runs_with_one_kept_in_the_intent() {
    let mut b = Bench::start_with(Estate::demo(), outage_with_drift(), 3 * 60).await;
    let plan = b.plan(ActionKind::Failover, "krc").await;
    let gates = gates_needed(&plan);
    assert!(
        gates.contains(&GateId::SecondaryReadiness),
        "{:#?}",
        plan.blocked_reasons()
    );
    assert!(
        plan.blocked_reasons()
            .iter()
            .any(|r| r.contains("secondary readiness") && r.contains("DOWNSTREAM_API_KEY")),
        "the drift is named: {:#?}",
        plan.blocked_reasons()
    );
    let why = "orders-jpe drift is the downstream key only; the failover step copies it";
    let mut reasons: Vec<(OverrideTarget, String)> = bench::reasons(&plan)
        .into_iter()
        .filter(|(t, _)| *t != gate(GateId::SecondaryReadiness))
        .collect();
    let before = b.w.sim.write_log();
    let refused = act::confirm(&plan, "krc", &reasons, b.w.now()).expect_err("blocked");
    assert!(
        matches!(&refused, Refusal::OverrideMissing { why } if why.contains("secondary readiness")),
        "{refused}"
    );
    reasons.push((gate(GateId::SecondaryReadiness), "   ".into()));
    let refused = act::confirm(&plan, "krc", &reasons, b.w.now()).expect_err("empty reason");
    assert!(matches!(refused, Refusal::EmptyReason { .. }), "{refused}");
    assert_eq!(b.w.sim.write_log(), before, "refusals write nothing");
    assert!(
        journal::read(&b.dir).0.is_empty(),
        "refusals journal nothing"
    );

    reasons.pop();
    reasons.push((gate(GateId::SecondaryReadiness), why.into()));
    let ran = b.execute(&plan, "krc", &reasons).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    let intent = b
        .records()
        .into_iter()
        .find_map(|r| match r.entry {
            Entry::Intent(i) if i.plan_id == plan.id => Some(i),
            _ => None,
        })
        .expect("the intent");
    let kept = intent
        .overrides
        .iter()
        .find(|o| o.target == gate(GateId::SecondaryReadiness))
        .expect("the override is in the intent");
    assert_eq!(kept.reason, why);
    assert_eq!(
        intent.overrides.len(),
        gates.len(),
        "every override is kept"
    );
    assert!(intent.overrides.iter().all(|o| !o.reason.trim().is_empty()));
    // The failover's own sync brought the secondary back in step.
    let after = b.snapshot().await;
    assert_eq!(
        setting_digest(&after, JPE, "DOWNSTREAM_API_KEY"),
        setting_digest(&after, KRC, "DOWNSTREAM_API_KEY")
    );
    b.assert_secret_free();
}

#[tokio::test]
async fn a_refusing_safety_rule_blocks_disabling_the_last_enabled_endpoint() {
    let mut b = Bench::start("region-outage", 3 * 60).await;
    b.run(ActionKind::TmDisable, "primary-endpoint").await;
    let plan = b.plan(ActionKind::TmDisable, "secondary-endpoint").await;
    let target = rule(SafetyRule::LastEnabledRoute, "secondary-endpoint");
    assert!(
        plan.confirmation
            .overrides_needed
            .iter()
            .any(|o| o.target == target),
        "{:#?}",
        plan.blocked_reasons()
    );
    let log = b.w.sim.write_log();
    let without: Vec<_> = bench::reasons(&plan)
        .into_iter()
        .filter(|(t, _)| *t != target)
        .collect();
    let refused =
        act::confirm(&plan, "secondary-endpoint", &without, b.w.now()).expect_err("refused");
    assert!(
        matches!(&refused, Refusal::OverrideMissing { why } if why.contains("last enabled")),
        "{refused}"
    );
    assert_eq!(b.w.sim.write_log(), log);
    let (records, _) = journal::read(&b.dir);
    assert!(
        !records
            .iter()
            .any(|r| matches!(&r.entry, Entry::Intent(i) if i.plan_id == plan.id)),
        "no intent for the refused plan"
    );
}

/// Setting and key values of the orders API in both regions, read through the client's
/// redacted readers (the values the console must never write anywhere).
async fn redacted_values(b: &Bench) -> Vec<String> {
    let mut values = Vec::new();
    for app in [KRC, JPE] {
        let site = b.w.rg_of(app).site(app, "production");
        let settings = read_app_settings_values(&b.w.client, &site, "production")
            .await
            .expect("settings");
        values.extend(
            [
                "DOWNSTREAM_API_KEY",
                "AzureWebJobsStorage",
                "APPLICATIONINSIGHTS_CONNECTION_STRING",
            ]
            .iter()
            .filter_map(|n| settings.get(*n))
            .map(|v| v.expose().clone()),
        );
        let host = host_key_values(&b.w.client, &site, "production")
            .await
            .expect("host keys");
        values.extend(host.master.map(|m| m.expose().clone()));
        values.extend(host.function_keys.values().map(|v| v.expose().clone()));
        let f = function_key_values(&b.w.client, &site, "production", "CreateOrder")
            .await
            .expect("function keys");
        values.extend(f.values().map(|v| v.expose().clone()));
    }
    values
}

#[tokio::test]
async fn no_secret_value_reaches_the_journal_forensic_files_or_progress() {
    let mut b = Bench::start_with(Estate::demo(), outage_with_drift(), 3 * 60).await;
    // Values read back through the client's redacted readers, before and after.
    let mut values = redacted_values(&b).await;
    // (Forensics of a krc app would stop at its Kudu, unreachable in the outage.)
    b.run(ActionKind::Forensics, JPE).await;
    b.run(ActionKind::SyncSecondary, JPE).await;
    b.run(ActionKind::Timers, "func-reconcile-prod-jpe").await;
    b.run(ActionKind::Failover, "krc").await;
    b.run(ActionKind::Forensics, "func-fulfil-prod-jpe").await;
    values.extend(redacted_values(&b).await);
    values.retain(|v| v.len() >= 12);
    assert!(values.len() >= 10, "values to look for: {}", values.len());

    let text = std::fs::read_to_string(b.dir.join(journal::FILE_NAME)).expect("journal");
    assert!(
        text.lines().count() > 20,
        "the journal recorded the actions"
    );
    for v in &values {
        assert!(
            !text.contains(v.as_str()),
            "the journal holds a value ({} chars)",
            v.len()
        );
    }
    // Every file of the incident folder and every progress event, against every secret the
    // world holds.
    b.assert_secret_free();
}

#[tokio::test]
async fn a_timer_switched_back_on_before_the_check_fails_the_timers_action() {
    let mut b = Bench::start("region-outage", 3 * 60).await;
    let plan = b.plan(ActionKind::Timers, "func-reconcile-prod-jpe").await;
    let check = plan.steps.len();
    let ran = b
        .execute_meddled(
            &plan,
            "y",
            &bench::reasons(&plan),
            Box::new(|w| {
                // Someone re-enables a timer in krc by hand (the portal's toggle writes the flag).
                let app = "func-reconcile-prod-krc";
                let mut settings = w
                    .apps()
                    .iter()
                    .find(|a| a.name == app)
                    .and_then(|a| a.slots.iter().find(|s| s.name == "production"))
                    .map(|s| s.settings.clone())
                    .expect("krc's settings");
                settings.insert(
                    "AzureWebJobs.NightlyReconcile.Disabled".to_owned(),
                    "false".to_owned(),
                );
                w.set_app_settings(app, "production", settings, "someone@example.com")
                    .expect("settings written");
            }),
        )
        .await;
    assert_eq!(
        ran.outcome.steps_done,
        check - 1,
        "both writes went through"
    );
    let OutcomeStatus::Failed { step, error, .. } = &ran.outcome.status else {
        panic!("the check fails: {}", ran.outcome.words());
    };
    assert_eq!(*step, check);
    assert!(
        error.starts_with("verification failed: ")
            && error.contains("✓ settings of func-reconcile-prod-jpe in place")
            && error.contains("◐ settings of func-reconcile-prod-krc in place: AzureWebJobs.PurgeExpiredReservations.Disabled=true; not in place: AzureWebJobs.NightlyReconcile.Disabled≠true"),
        "{error}"
    );
    assert!(!ran.outcome.verified());
    // The console reads what the check read: the timer runs in both regions.
    let after = b.snapshot().await;
    let krc = Bench::app(&after, "func-reconcile-prod-krc")
        .functions
        .get()
        .expect("functions read");
    let disabled = |f: &str| krc.iter().find(|s| s.name == f).map(|s| s.disabled);
    assert_eq!(
        (
            disabled("NightlyReconcile"),
            disabled("PurgeExpiredReservations")
        ),
        (Some(false), Some(true))
    );
    b.assert_secret_free();
}
