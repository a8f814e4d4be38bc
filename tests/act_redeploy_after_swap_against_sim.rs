//! The engine and the redeploy plan name the same release after a slot swap put the last known
//! good back into production and it still failed (its worker stuck: the content, not the
//! release, is at fault). The engine escalates to a redeploy of the last known good — what
//! production runs now — and the plan made from that recommendation (`a` in the console)
//! re-pushes exactly that release, saying so, and recovers the app; the same action typed by
//! hand chooses from the history and never re-pushes what production runs. End to end against
//! the simulator on its virtual clock: real snapshots through the client, the engine's
//! evaluation, plans with its gates and safety verdicts, executed with the intent journaled
//! first.

#[path = "common/act.rs"]
mod bench;
#[path = "common/wire.rs"]
mod wire;

use bench::{Bench, reasons, typed};
use chrono::TimeDelta;
use warroom::act::{Effect, Plan};
use warroom::config::Estate;
use warroom::decide::{self, ActionKind, Decision, IncidentFacts, NodeId, Strategy};
use warroom::model::{Health, Snapshot};
use warroom::sim::Scenario;
use warroom::sim::scenario::Event;

const ORDERS: &str = "func-orders-prod-krc";
/// The last known good: staging keeps it while the bad release runs in production.
const GOOD: &str = "2026.03.28";
/// The known-good release before it.
const OLDER: &str = "2026.03.21";
/// The bad release the scenario swaps into production about a minute in.
const BAD: &str = "2026.04.04";

/// The engine's answer on a fresh snapshot.
async fn decide(b: &mut Bench) -> (Snapshot, Decision) {
    let snap = b.snapshot().await;
    let cx = b.context(&snap);
    let d = decide::evaluate(&snap, &b.w.estate, &cx, b.w.now());
    (snap, d)
}

/// The version and health production reports in a snapshot.
fn production(snap: &Snapshot) -> (Option<String>, Option<Health>) {
    let h = Bench::app(snap, ORDERS)
        .production()
        .and_then(|s| s.health.get());
    (h.and_then(|h| h.version.clone()), h.map(|h| h.status))
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

/// The bad release, the commander's swap of the last known good back into production as the
/// engine recommends it (five minutes in), and production's worker stuck two minutes later.
async fn swapped_back_and_stuck() -> Bench {
    let mut s = Scenario::builtin("bad-release").expect("built-in scenario");
    s.events.push(Event::WorkerStuck {
        at: "7m".parse().expect("offset"),
        app: ORDERS.into(),
        slot: "production".into(),
    });
    let mut b = Bench::start_with(Estate::demo(), s, 5 * 60).await;
    // The commander declares the incident now (the bad release's own swap, before, is the
    // change blamed, not an action taken).
    b.cx.incident = Some(IncidentFacts {
        detected_at: b.w.now(),
        apps: vec![ORDERS.to_owned()],
    });
    // The engine blames the bad release and recommends the swap; `a` plans it.
    let (snap, d) = decide(&mut b).await;
    assert_eq!(production(&snap).0.as_deref(), Some(BAD));
    let rec = d
        .recommendation
        .clone()
        .unwrap_or_else(|| panic!("a recommendation: {} {:?}", d.summary, d.path));
    assert_eq!(
        (rec.strategy, rec.action.kind, rec.action.target.as_str()),
        (Strategy::SlotSwap, ActionKind::Swap, ORDERS),
        "{}",
        d.summary
    );
    let plan = b.try_plan_action(rec.action).await.expect("a swap plan");
    let ran = b.execute(&plan, &typed(&plan), &reasons(&plan)).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    b
}

#[tokio::test]
async fn after_a_swap_back_that_still_fails_the_plan_redeploys_the_release_the_engine_names() {
    let mut b = swapped_back_and_stuck().await;

    // Past the verification window: production runs the last known good and fails.
    let swapped = b.w.now();
    b.w.sim.clock().set(swapped + TimeDelta::minutes(12));
    let (snap, d) = decide(&mut b).await;
    assert_eq!(
        production(&snap),
        (Some(GOOD.to_owned()), Some(Health::Unhealthy))
    );
    assert_eq!(d.answer(NodeId::Validated).answer, decide::Answer::No);
    let rec = d.recommendation.clone().expect("an escalation");
    assert_eq!(
        (rec.strategy, rec.action.kind, rec.action.target.as_str()),
        (Strategy::Redeploy, ActionKind::Redeploy, ORDERS),
        "{}",
        d.summary
    );
    assert_eq!(
        rec.action.release.as_deref(),
        Some(GOOD),
        "the engine names the release it means"
    );
    assert!(
        rec.reasons[0].starts_with(&format!("redeploy {GOOD} to {ORDERS}")),
        "{:?}",
        rec.reasons
    );

    // Typed by hand, the plan chooses from the history: older than what production runs.
    let by_hand = b.plan(ActionKind::Redeploy, ORDERS).await;
    assert_eq!(deployed(&by_hand), OLDER);
    assert!(
        by_hand
            .summary
            .contains(&format!("Chosen from the history: {OLDER}")),
        "{}",
        by_hand.summary
    );
    assert!(
        !by_hand.summary.contains("re-pushes"),
        "{}",
        by_hand.summary
    );

    // From the recommendation, the plan deploys exactly the release the runbook named.
    let plan = b
        .try_plan_action(rec.action.clone())
        .await
        .expect("a redeploy plan");
    assert_eq!(deployed(&plan), GOOD);
    assert_eq!(plan.action, rec.action);
    assert!(
        plan.summary
            .contains(&format!("The release the runbook chose: {GOOD}")),
        "{}",
        plan.summary
    );
    assert!(
        plan.summary.contains(&format!(
            "Production runs {GOOD} already: this re-pushes its package."
        )),
        "{}",
        plan.summary
    );
    assert!(plan.render_text().contains("re-pushes its package"));

    // Carried out: the package re-pushed, the stuck worker restarted after its warm-up, and
    // production healthy on the release the engine named.
    let ran = b.execute(&plan, &typed(&plan), &reasons(&plan)).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(ran.wrote("POST", "/api/zipdeploy"), "{:?}", ran.writes);
    assert!(
        ran.wrote("POST", &format!("/sites/{ORDERS}/restart")),
        "the stuck worker is restarted: {:?}",
        ran.writes
    );
    let after = b.snapshot().await;
    assert_eq!(
        production(&after),
        (Some(GOOD.to_owned()), Some(Health::Healthy))
    );
    // The journal keeps the release the engine named with the intent.
    let named = b.records().into_iter().any(|r| match r.entry {
        warroom::journal::Entry::Intent(i) => {
            i.plan_id == plan.id && i.action.release.as_deref() == Some(GOOD)
        }
        _ => false,
    });
    assert!(named, "the intent names the release");
    b.assert_secret_free();
}
