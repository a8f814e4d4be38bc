//! Redeploy end to end against the simulator, on the bad release of the orders API in krc: the
//! version is chosen from the deployment history and the artifact store's listing (a known-good
//! release whose package was deleted is passed over, and the plan says so), zip deployed through
//! Kudu, the settings baseline re-applied where it drifted (names in the plan, values masked,
//! the result read back by digest), and the restart run only when the app is still unhealthy
//! once it has had its warm-up window after the deploy (its health probed on the virtual clock
//! meanwhile; journaled as skipped, with how long it took, when it turns healthy, and with what
//! it still answered when it does not). Each plan is made from a real snapshot, confirmed as its
//! risk asks, executed with the intent on disk before every call, and its effect seen through the
//! client in a fresh snapshot.

#[path = "common/act.rs"]
mod bench;
#[path = "common/wire.rs"]
mod wire;

use bench::{Bench, Ran, az, setting_digest};
use chrono::{DateTime, TimeDelta, Utc};
use warroom::act::{
    ConfirmKey, Effect, OutcomeStatus, Plan, PlanError, ProgressEvent, Prompt, Risk,
};
use warroom::config::Estate;
use warroom::decide::ActionKind;
use warroom::journal::Entry;
use warroom::model::Health;
use warroom::sim::Scenario;
use warroom::sim::scenario::{Event, Offset};

const ORDERS: &str = "func-orders-prod-krc";
const BASELINE: &str = "func-orders-prod-jpe";
const GOOD: &str = "2026.03.28";
const OLDER: &str = "2026.03.21";
/// Drifted in krc: one changed, one gone. Neither differs by region by design.
const CHANGED: &str = "DOWNSTREAM_API_KEY";
const MISSING: &str = "APPLICATIONINSIGHTS_CONNECTION_STRING";

/// The bad release with `events` added to its timeline.
fn bad_release_with(events: Vec<Event>) -> Scenario {
    let mut s = Scenario::builtin("bad-release").expect("built-in scenario");
    s.events.extend(events);
    s
}

fn at(offset: &str) -> Offset {
    offset.parse().expect("offset")
}

fn deleted(version: &str, offset: &str) -> Event {
    Event::ArtifactDeleted {
        at: at(offset),
        service: "orders-api".into(),
        version: version.into(),
    }
}

/// The version production reports in a snapshot.
fn production_version(snap: &warroom::model::Snapshot) -> Option<String> {
    Bench::app(snap, ORDERS)
        .production()
        .and_then(|s| s.health.get())
        .and_then(|h| h.version.clone())
}

/// The version a plan zip deploys.
fn deployed(plan: &Plan) -> &str {
    plan.steps
        .iter()
        .find_map(|s| match &s.effect {
            Effect::ZipDeploy { version, .. } => Some(version.as_str()),
            _ => None,
        })
        .expect("a zip deploy step")
}

/// What a plan's restart step reported, as journaled.
fn restart_report(b: &Bench, plan: &Plan) -> String {
    let n = plan
        .steps
        .iter()
        .position(|s| matches!(s.effect, Effect::Restart { .. }))
        .expect("a restart step")
        + 1;
    b.step_reports(plan)
        .into_iter()
        .find_map(|(i, r)| (i == n).then_some(r))
        .expect("the restart step journaled")
}

/// When each step of `plan` was journaled done (virtual time), by step number.
fn step_times(b: &Bench, plan: &Plan) -> Vec<(usize, DateTime<Utc>)> {
    b.records()
        .into_iter()
        .filter_map(|r| match r.entry {
            Entry::Step(s) if s.plan_id == plan.id => Some((s.n, r.at)),
            _ => None,
        })
        .collect()
}

/// The step number (from 1) of the plan's restart.
fn restart_step(plan: &Plan) -> usize {
    plan.steps
        .iter()
        .position(|s| matches!(s.effect, Effect::Restart { .. }))
        .expect("a restart step")
        + 1
}

/// How long the restart step took (from the step before it being journaled to it being
/// journaled), in virtual time.
fn restart_took(b: &Bench, plan: &Plan) -> TimeDelta {
    let n = restart_step(plan);
    let times = step_times(b, plan);
    let at = |k: usize| {
        times
            .iter()
            .find_map(|(i, t)| (*i == k).then_some(*t))
            .expect("journaled")
    };
    at(n) - at(n - 1)
}

fn restarted(ran: &Ran) -> bool {
    ran.wrote("POST", &format!("/sites/{ORDERS}/restart"))
}

#[tokio::test]
async fn redeploy_puts_the_last_known_good_release_into_production() {
    let mut b = Bench::start("bad-release", 5 * 60).await;
    let plan = b.plan(ActionKind::Redeploy, ORDERS).await;
    assert_eq!(plan.risk, Risk::Medium);
    assert_eq!(plan.confirmation.prompt, Prompt::Key { key: ConfirmKey::Y });
    assert_eq!(plan.undo, None, "a redeploy has no undo");
    assert!(az(&plan).contains("az functionapp deployment source config-zip"));
    assert!(matches!(&plan.steps[0].effect, Effect::ZipDeploy { version, .. } if version == GOOD));
    assert!(
        !plan.summary.contains("passed over"),
        "every package is there: {}",
        plan.summary
    );
    assert!(
        plan.confirmation.overrides_needed.is_empty(),
        "{:?}",
        plan.blocked_reasons()
    );

    let ran = b.execute(&plan, "y", &[]).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(ran.wrote("POST", "/api/zipdeploy"), "{:?}", ran.writes);
    let after = b.snapshot().await;
    assert_eq!(production_version(&after).as_deref(), Some(GOOD));
    let deployments = Bench::app(&after, ORDERS)
        .deployments
        .get()
        .expect("deployments read");
    let active = deployments
        .iter()
        .find(|d| d.active && d.slot == "production")
        .expect("an active production deployment");
    assert_eq!(active.version.as_deref(), Some(GOOD));
    assert!(active.started.is_some_and(|t| t >= b.confirmed_at(&plan)));
    b.assert_secret_free();
}

#[tokio::test]
async fn redeploy_passes_over_a_known_good_release_whose_package_was_deleted() {
    let scenario = bad_release_with(vec![deleted(GOOD, "2m")]);
    let mut b = Bench::start_with(Estate::demo(), scenario, 5 * 60).await;
    let snap = b.snapshot().await;
    let listed = snap
        .artifacts
        .as_ref()
        .and_then(|o| o.get())
        .expect("the artifact store listed with the deployment history");
    let orders: Vec<&str> = listed
        .iter()
        .filter(|a| a.service.as_deref() == Some("orders-api"))
        .map(|a| a.version.as_str())
        .collect();
    assert!(
        orders.contains(&OLDER) && !orders.contains(&GOOD),
        "{orders:?}"
    );

    let plan = b.plan(ActionKind::Redeploy, ORDERS).await;
    assert_eq!(
        deployed(&plan),
        OLDER,
        "the newest known good with a package"
    );
    assert!(
        plan.summary.contains(&format!(
            "{GOOD}: package orders-api/{GOOD}.zip missing from stfuncartifactsprod/releases"
        )),
        "the plan says which release was passed over and why: {}",
        plan.summary
    );
    assert!(
        plan.render_text().contains("passed over"),
        "{}",
        plan.render_text()
    );
    let ran = b
        .execute(&plan, &bench::typed(&plan), &bench::reasons(&plan))
        .await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    let after = b.snapshot().await;
    assert_eq!(production_version(&after).as_deref(), Some(OLDER));
    assert_eq!(Bench::app(&after, ORDERS).health(), Health::Healthy);
    b.assert_secret_free();
}

#[tokio::test]
async fn redeploy_without_any_good_package_is_refused_and_a_stale_plan_stops_before_deploying() {
    // 2026.03.28's package goes at 2:00, 2026.03.21's at 10:00.
    let scenario = bad_release_with(vec![deleted(GOOD, "2m"), deleted(OLDER, "10m")]);
    let mut b = Bench::start_with(Estate::demo(), scenario, 5 * 60).await;
    let early = b.plan(ActionKind::Redeploy, ORDERS).await;
    assert_eq!(deployed(&early), OLDER);

    b.w.at(11 * 60);
    match b.try_plan(ActionKind::Redeploy, ORDERS).await {
        Err(PlanError::NotApplicable(why)) => assert!(
            why.contains("no release known good")
                && why.contains(&format!("{GOOD}: package orders-api/{GOOD}.zip missing"))
                && why.contains(&format!("{OLDER}: package orders-api/{OLDER}.zip missing")),
            "{why}"
        ),
        other => panic!("no plan when no known-good package is left: {other:?}"),
    }

    // The plan made before the package went is looked up again before the deploy: it stops
    // there, and nothing reaches Kudu.
    let ran = b
        .execute(&early, &bench::typed(&early), &bench::reasons(&early))
        .await;
    assert!(!ran.outcome.succeeded());
    assert!(
        matches!(ran.outcome.status, OutcomeStatus::Failed { step: 1, .. }),
        "{}",
        ran.outcome.words()
    );
    assert!(
        ran.outcome.words().contains("not in the artifact store"),
        "{}",
        ran.outcome.words()
    );
    assert!(!ran.wrote("POST", "/api/zipdeploy"), "{:?}", ran.writes);
    b.assert_secret_free();
}

#[tokio::test]
async fn redeploy_reapplies_the_drifted_baseline_and_skips_the_restart_once_healthy() {
    let scenario = bad_release_with(vec![Event::SettingsDrift {
        at: at("2m"),
        app: ORDERS.into(),
        slot: "production".into(),
        changed: vec![CHANGED.into()],
        missing: vec![MISSING.into()],
    }]);
    let mut b = Bench::start_with(Estate::demo(), scenario, 5 * 60).await;
    let before = b.snapshot().await;
    assert_ne!(
        setting_digest(&before, ORDERS, CHANGED),
        setting_digest(&before, BASELINE, CHANGED)
    );
    assert_eq!(setting_digest(&before, ORDERS, MISSING), None);

    let plan = b.plan(ActionKind::Redeploy, ORDERS).await;
    let merge = plan
        .steps
        .iter()
        .find(|s| matches!(s.effect, Effect::MergeSettings { .. }))
        .expect("a settings step: the baseline drifted");
    // The diff by key: the missing name added, the changed one changed, from the baseline.
    assert!(
        merge.what.contains(BASELINE)
            && merge.what.contains(&format!("adds {MISSING}"))
            && merge
                .what
                .contains(&format!("changes {CHANGED} (value digests differ)")),
        "{}",
        merge.what
    );
    let Effect::MergeSettings { set, .. } = &merge.effect else {
        unreachable!("matched above")
    };
    assert_eq!(
        set.keys().map(String::as_str).collect::<Vec<_>>(),
        [MISSING, CHANGED],
        "only the drifted names, in name order"
    );
    // Values masked: the plan names where each value comes from, never the value.
    let shown = plan.render_text();
    assert!(
        shown.contains(&format!("{CHANGED}=<value of {CHANGED} from {BASELINE}>")),
        "{shown}"
    );
    for secret in bench::secret_values(&b.w) {
        assert!(
            !shown.contains(&secret),
            "a value in the plan ({} chars)",
            secret.len()
        );
    }
    assert!(matches!(
        plan.steps
            .iter()
            .map(|s| &s.effect)
            .collect::<Vec<_>>()
            .as_slice(),
        [
            Effect::ZipDeploy { .. },
            Effect::MergeSettings { .. },
            Effect::Restart {
                only_if_unhealthy: true,
                warm_up_secs: 120,
                ..
            },
            Effect::Verify(_)
        ]
    ));
    assert!(
        plan.steps[2].what.contains("after a warm-up of up to 2m"),
        "the plan says the window: {}",
        plan.steps[2].what
    );

    let ran = b
        .execute(&plan, &bench::typed(&plan), &bench::reasons(&plan))
        .await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(ran.wrote("PUT", "/config/appsettings"), "{:?}", ran.writes);
    // Healthy on the good release after the deploy (this scenario starts hosts warm): the
    // restart is skipped at the first probe with no wait, and journaled so.
    assert!(!restarted(&ran), "{:?}", ran.writes);
    let report = restart_report(&b, &plan);
    assert_eq!(
        report,
        format!("{ORDERS} healthy at the first probe: restart skipped")
    );
    assert_eq!(restart_took(&b, &plan), TimeDelta::zero());
    let after = b.snapshot().await;
    for name in [CHANGED, MISSING] {
        assert!(
            setting_digest(&after, ORDERS, name).is_some(),
            "{name} is set"
        );
        assert_eq!(
            setting_digest(&after, ORDERS, name),
            setting_digest(&after, BASELINE, name),
            "{name} re-applied from the baseline (compared by digest)"
        );
    }
    assert_eq!(production_version(&after).as_deref(), Some(GOOD));
    assert_eq!(Bench::app(&after, ORDERS).health(), Health::Healthy);
    b.assert_secret_free();
}

#[tokio::test]
async fn redeploy_restarts_an_app_still_unhealthy_after_the_deploy() {
    // A stuck worker: the deploy does not clear it, a restart does.
    let scenario = bad_release_with(vec![Event::WorkerStuck {
        at: at("2m"),
        app: ORDERS.into(),
        slot: "production".into(),
    }]);
    let mut b = Bench::start_with(Estate::demo(), scenario, 5 * 60).await;
    let plan = b.plan(ActionKind::Redeploy, ORDERS).await;
    assert_eq!(deployed(&plan), GOOD);
    let ran = b
        .execute(&plan, &bench::typed(&plan), &bench::reasons(&plan))
        .await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(
        restarted(&ran),
        "still unhealthy: restarted {:?}",
        ran.writes
    );
    let deploy_at = ran
        .writes
        .iter()
        .position(|w| w.path.ends_with("/api/zipdeploy"))
        .expect("the deploy");
    let restart_at = ran
        .writes
        .iter()
        .position(|w| {
            w.path
                .to_ascii_lowercase()
                .ends_with(&format!("/sites/{ORDERS}/restart"))
        })
        .expect("the restart");
    assert!(deploy_at < restart_at, "the restart comes after the deploy");
    // It was given the whole warm-up window first, on the virtual clock: probed every 10 s for
    // two minutes, still answering 503 with its report at the end.
    let report = restart_report(&b, &plan);
    assert_eq!(
        report,
        format!("{ORDERS} still 503 (unhealthy) after 2m: restarted {ORDERS} (production)")
    );
    assert_eq!(restart_took(&b, &plan), TimeDelta::minutes(2));
    let n = restart_step(&plan);
    let polls: Vec<&str> = b
        .progress
        .iter()
        .filter(|p| p.plan_id == plan.id && p.step == n)
        .filter_map(|p| match &p.event {
            ProgressEvent::Poll { status, .. } => Some(status.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        polls.len(),
        12,
        "probes at 0, 10, … 110 s, then 120 s: {polls:#?}"
    );
    assert!(
        polls[0].contains("answers 503 (unhealthy) after 0s; warming up, up to 2m"),
        "{polls:#?}"
    );
    let after = b.snapshot().await;
    assert_eq!(production_version(&after).as_deref(), Some(GOOD));
    assert_eq!(Bench::app(&after, ORDERS).health(), Health::Healthy);
    b.assert_secret_free();
}

#[tokio::test]
async fn redeploy_waits_out_a_cold_start_and_sends_no_restart_once_the_app_answers_healthy() {
    // Hosts start cold here: a freshly deployed slot answers 503 without a report for 40 s.
    let mut scenario = bad_release_with(Vec::new());
    scenario.defaults.cold_start_seconds = 40.0;
    let mut b = Bench::start_with(Estate::demo(), scenario, 5 * 60).await;
    let plan = b.plan(ActionKind::Redeploy, ORDERS).await;
    assert_eq!(deployed(&plan), GOOD);
    let ran = b
        .execute(&plan, &bench::typed(&plan), &bench::reasons(&plan))
        .await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(ran.outcome.verified(), "{}", ran.outcome.words());
    assert!(ran.wrote("POST", "/api/zipdeploy"), "{:?}", ran.writes);
    assert!(
        !restarted(&ran),
        "healthy within the window: no restart is sent {:?}",
        ran.writes
    );

    // The warm-up began when the step before the restart was journaled; the host answers from
    // the deployment's end plus 40 s; the first probe at or after that (every 10 s) is healthy.
    let after = b.snapshot().await;
    let deployment = Bench::app(&after, ORDERS)
        .deployments
        .get()
        .expect("deployments read")
        .iter()
        .find(|d| d.active && d.slot == "production")
        .cloned()
        .expect("the redeploy's record");
    assert_eq!(deployment.version.as_deref(), Some(GOOD));
    let warm_at = deployment.ended.expect("finished") + TimeDelta::seconds(40);
    let n = restart_step(&plan);
    let began = step_times(&b, &plan)
        .into_iter()
        .find_map(|(i, t)| (i == n - 1).then_some(t))
        .expect("the step before the restart");
    let left = (warm_at - began).num_seconds();
    assert!(
        left > 0,
        "still starting when the restart step began ({left}s left)"
    );
    let waited = (left + 9) / 10 * 10;
    let report = restart_report(&b, &plan);
    assert_eq!(
        report,
        format!("{ORDERS} healthy after {waited}s: restart skipped")
    );
    assert_eq!(restart_took(&b, &plan), TimeDelta::seconds(waited));
    // What it saw meanwhile: the cold host's 503 without a report.
    let saw_cold = b.progress.iter().any(|p| {
        p.plan_id == plan.id
            && p.step == n
            && matches!(&p.event, ProgressEvent::Poll { status, .. }
                if status.contains("answers 503 (no report)"))
    });
    assert!(saw_cold, "the probes saw the cold start");
    assert_eq!(production_version(&after).as_deref(), Some(GOOD));
    assert_eq!(Bench::app(&after, ORDERS).health(), Health::Healthy);
    b.assert_secret_free();
}
