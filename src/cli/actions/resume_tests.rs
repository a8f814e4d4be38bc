//! The runtime resuming an incident against the in-process simulator: a journal whose first
//! unfinished intent's change did happen (a Traffic Manager endpoint disabled) and whose second
//! did not (a Front Door origin still enabled), with a torn last line. On start the runtime
//! journals a reconciliation for each before it takes any plan, restores the context with both
//! actions, and plans again once the reconciliation has been seen.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::super::{Runtime, spawn};
use super::latest_open;
use crate::act::effect::{Effect, VerifyCheck};
use crate::act::{AzureEffects, Effects};
use crate::azure::writes::routing;
use crate::azure::{AzureClient, QueueAuth};
use crate::config::Estate;
use crate::decide::{ActionKind, DecideContext, ProposedAction};
use crate::journal::tests::TempDir;
use crate::journal::{self, Entry, Found, Intent, IntentStep, Journal};
use crate::observe::{Clock, Observer};
use crate::sim::{Scenario, SimClock};
use crate::tui::ActionPort;
use crate::tui::actions::{ActionEvent, ActionRequest};

fn intent(action: ProposedAction, steps: Vec<Effect>, at: chrono::DateTime<chrono::Utc>) -> Entry {
    Entry::Intent(Intent {
        plan_id: format!("{}:{}@test", action.kind.name(), action.target),
        title: format!("{} {}", action.kind.name(), action.target),
        action,
        risk: "high".into(),
        steps: steps
            .into_iter()
            .zip(1..)
            .map(|(e, n)| IntentStep {
                n,
                what: format!("step {n}"),
                effect: serde_json::to_value(&e).expect("serialises"),
                az: None,
            })
            .collect(),
        overrides: vec![],
        confirmed_at: at,
    })
}

/// A journal as a crash leaves it: the declaration, two intents without outcome (a Traffic
/// Manager disable and a Front Door disable), and a torn last line.
fn write_crashed_journal(
    dir: &std::path::Path,
    ep: &str,
    origin: &str,
    now: chrono::DateTime<chrono::Utc>,
) {
    {
        let mut j = Journal::open_or_create(dir).expect("journal");
        j.append(&Entry::Declared {
            detected_at: now - chrono::Duration::minutes(2),
            apps: vec!["func-orders-prod-krc".into()],
        })
        .expect("append");
        j.append(&intent(
            ProposedAction::new(ActionKind::TmDisable, "primary-endpoint"),
            vec![
                Effect::TmStatus {
                    endpoint_id: ep.to_owned(),
                    enabled: false,
                },
                Effect::Verify(VerifyCheck::RouteState {
                    id: ep.to_owned(),
                    enabled: false,
                }),
            ],
            now,
        ))
        .expect("append");
        j.append(&intent(
            ProposedAction::new(ActionKind::FdDisable, "origin-primary"),
            vec![Effect::FdState {
                origin_id: origin.to_owned(),
                enabled: false,
            }],
            now,
        ))
        .expect("append");
    }
    // A crash mid-write leaves a torn line.
    let file = dir.join(journal::FILE_NAME);
    let mut text = std::fs::read_to_string(&file).expect("reads");
    text.push_str("{\"v\":1,\"seq\":4,\"entry\":{\"kind\":\"st");
    std::fs::write(&file, text).expect("writes");
}

/// The runtime on the resumed incident, its clock the simulator's, one snapshot to plan from.
async fn start(
    client: &AzureClient,
    estate: &Estate,
    clock: &SimClock,
    dir: &std::path::Path,
    resumed: crate::journal::Resumed,
) -> (ActionPort, tokio::task::JoinHandle<()>) {
    let c = clock.clone();
    let snap = Observer::new(
        Arc::new(client.clone()),
        Arc::new(client.queues(QueueAuth::None).expect("queues")),
        Arc::new(estate.clone()),
        Clock::custom(move || c.now(), 1.0),
        true,
    )
    .refresh_all()
    .await;
    let (_snap_tx, snapshots) = watch::channel(Arc::new(snap));
    let mut effects = AzureEffects::new(client.clone(), estate.clone(), dir.to_path_buf());
    let c = clock.clone();
    effects.now = Arc::new(move || c.now());
    let c = clock.clone();
    let journal = Journal::open_or_create(dir)
        .expect("reopens")
        .with_clock(Arc::new(move || c.now()));
    let c = clock.clone();
    let effects: Arc<dyn Effects> = Arc::new(effects);
    spawn(Runtime {
        estate: Arc::new(estate.clone()),
        snapshots,
        effects,
        journal,
        now: Arc::new(move || c.now()),
        resume: Some(resumed),
        taken_in: None,
    })
}

/// The next event, failing the test if none comes.
async fn next(port: &mut ActionPort) -> ActionEvent {
    tokio::time::timeout(Duration::from_mins(1), port.events.recv())
        .await
        .expect("an event in time")
        .expect("the runtime is alive")
}

async fn told_the_torn_line(port: &mut ActionPort) {
    // The torn line is told first: set aside out of the journal.
    let ActionEvent::Notice(torn) = next(port).await else {
        panic!("the torn line is told first");
    };
    assert!(
        torn.contains("torn") && torn.contains("journal.torn"),
        "{torn}"
    );
}

#[tokio::test]
async fn a_resumed_incident_is_reconciled_and_journaled_before_any_plan() {
    let scenario = Scenario::builtin("region-outage").expect("scenario");
    let clock = SimClock::manual(scenario.start);
    clock.advance(Duration::from_mins(3));
    let (sim, estate, client) = super::super::test_sim::serve(scenario, &clock).await;

    // The first action's change happened before the crash; the second's did not.
    let ep = routing::tm_endpoint_id(&estate, "primary-endpoint").expect("endpoint");
    let origin = routing::fd_origin_id(&estate, "origin-primary").expect("origin");
    routing::set_tm_endpoint_status(&client, &ep, false)
        .await
        .expect("disabled");

    let tmp = TempDir::new("resume-runtime");
    let incidents = tmp.0.join("incidents");
    let slug = super::super::estate_slug(&estate.name);
    let dir = incidents.join(format!("{slug}-20260404T090000Z"));
    write_crashed_journal(&dir, &ep, &origin, clock.now());

    let (found, resumed) = latest_open(&incidents, &estate).expect("the open incident");
    assert_eq!(found, dir);
    assert_eq!(resumed.unfinished.len(), 2);

    let (mut port, task) = start(&client, &estate, &clock, &dir, resumed).await;
    // Asked at once, before the reconciliation could have been shown.
    let tm_enable = ProposedAction::new(ActionKind::TmEnable, "primary-endpoint");
    port.requests
        .send(ActionRequest::Plan(tm_enable.clone()))
        .expect("sent");

    told_the_torn_line(&mut port).await;
    let ActionEvent::Resumed(view) = next(&mut port).await else {
        panic!("then the resume");
    };
    assert_eq!((view.actions, view.unfinished), (2, 2));
    assert!(view.declared.is_some());
    let mut cx: Option<DecideContext> = None;
    let views = loop {
        match next(&mut port).await {
            ActionEvent::Context(c) => cx = Some(*c),
            ActionEvent::Reconciled(v) => break v,
            other => panic!("nothing but the context before the reconciliation: {other:?}"),
        }
    };
    assert_eq!(views.len(), 2);
    assert!(views[0].headline.contains("IN PLACE"), "{views:#?}");
    assert!(views[1].headline.contains("NOT IN PLACE"), "{views:#?}");

    // Journaled before any plan, continuing the sequence after the torn line, which is no
    // longer in the journal.
    let (records, warnings) = journal::read(&dir);
    assert_eq!(warnings, [], "the journal holds committed lines only");
    let reconciled: Vec<(u64, Found)> = records
        .iter()
        .filter_map(|r| match &r.entry {
            Entry::Reconciled(c) => Some((r.seq, c.found)),
            _ => None,
        })
        .collect();
    assert_eq!(reconciled, [(4, Found::InPlace), (5, Found::NotInPlace)]);
    assert!(
        !records.iter().any(|r| matches!(r.entry, Entry::Outcome(_))),
        "no outcome is invented"
    );

    // The restored context holds the action found in place; the one a crash interrupted before
    // it took effect is no attempt of its strategy (the journal keeps it).
    let cx = cx.expect("a context");
    let ends: Vec<(ActionKind, Option<bool>, bool)> = cx
        .actions
        .iter()
        .map(|a| (a.action.kind, a.succeeded, a.finished.is_some()))
        .collect();
    assert_eq!(ends, [(ActionKind::TmDisable, Some(true), true)]);

    // The plan asked for at once waited.
    let ActionEvent::NoPlan(why) = next(&mut port).await else {
        panic!("the early plan is refused");
    };
    assert!(why.starts_with("waiting:"), "{why}");

    port.requests
        .send(ActionRequest::ReconciliationSeen)
        .expect("sent");
    port.requests
        .send(ActionRequest::Plan(tm_enable))
        .expect("sent");
    let plan = loop {
        match next(&mut port).await {
            ActionEvent::Plan(p) => break *p,
            ActionEvent::Context(_) | ActionEvent::Notice(_) => {}
            other => panic!("a plan once the reconciliation was seen: {other:?}"),
        }
    };
    assert!(plan.title.contains("primary-endpoint"), "{}", plan.title);

    drop(port);
    task.await.expect("the runtime ends");
    sim.shutdown().await.expect("stops");
}

#[test]
fn an_estate_without_incidents_or_with_a_closed_latest_one_starts_fresh() {
    let tmp = TempDir::new("resume-latest");
    let estate = Estate::demo();
    assert!(latest_open(&tmp.0, &estate).is_none(), "no folder at all");
    let slug = super::super::estate_slug(&estate.name);
    // Another estate's open incident whose slug starts the same is not this estate's.
    Journal::open_or_create(&tmp.0.join(format!("{slug}-staging-20260405T000000Z")))
        .expect("other");
    let empty = tmp.0.join(format!("{slug}-20260403T000000Z"));
    Journal::open_or_create(&empty).expect("empty");
    let (dir, r) = latest_open(&tmp.0, &estate).expect("an incident with zero entries is open");
    assert_eq!(dir, empty);
    assert!(r.unfinished.is_empty() && r.declared.is_none());
    Journal::open_or_create(&tmp.0.join(format!("{slug}-20260404T000000Z")))
        .expect("closed")
        .append(&Entry::Closed {
            validated: false,
            text: "done".into(),
        })
        .expect("append");
    assert!(
        latest_open(&tmp.0, &estate).is_none(),
        "the latest is closed: a fresh incident"
    );
}
