//! Whole-world tests: determinism, the built-in scenarios' stories, and the writes.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::sim::scenario::Scenario;

fn world(name: &str) -> World {
    World::new(&Estate::demo(), &Scenario::builtin(name).expect("scenario")).expect("world")
}

/// Everything observable about the world at `t`, as text, asked in the given app order.
fn observe(w: &World, t: DateTime<Utc>, order: &[usize]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for &a in order {
        for s in 0..w.apps()[a].slots.len() {
            let key = format!("{}/{}", w.apps()[a].name, w.apps()[a].slots[s].name);
            out.insert(format!("health {key}"), format!("{:?}", w.health(a, s, t)));
            for k in 1..=5 {
                let m = w.minute_stats(a, s, t - TimeDelta::minutes(k));
                out.insert(format!("minute {key} -{k}"), format!("{m:?}"));
            }
        }
    }
    for q in w.queues() {
        out.insert(
            format!("queue {}/{}", q.account, q.name),
            format!("{} {:?} {:?}", q.depth(), q.oldest(), q.peek(w.seed(), 3)),
        );
    }
    for s in w.storage_accounts() {
        out.insert(
            format!("storage {}", s.name),
            format!("{:?}", w.storage_view(&s.name, t)),
        );
    }
    out
}

#[test]
fn same_scenario_and_seed_give_the_same_world_whatever_the_query_order() {
    let mut a = world("bad-release");
    let mut b = world("bad-release");
    let start = a.start();
    let end = start + TimeDelta::minutes(7) + TimeDelta::milliseconds(400);
    // One jump against many irregular steps.
    a.advance_to(end);
    let mut t = start;
    let mut step = 1;
    while t < end {
        t = (t + TimeDelta::milliseconds(137 * step)).min(end);
        b.advance_to(t);
        step = step % 40 + 3;
    }
    let n = a.apps().len();
    let forward: Vec<usize> = (0..n).collect();
    let backward: Vec<usize> = (0..n).rev().collect();
    for at in [
        start + TimeDelta::seconds(30),
        start + TimeDelta::minutes(4),
        end,
    ] {
        assert_eq!(observe(&a, at, &forward), observe(&b, at, &backward));
    }
}

#[test]
fn a_different_seed_gives_different_noise() {
    let a = world("calm");
    let mut scenario = Scenario::builtin("calm").expect("scenario");
    scenario.seed += 1;
    let b = World::new(&Estate::demo(), &scenario).expect("world");
    let t = a.start();
    let minutes = |w: &World| -> Vec<String> {
        (1..=10)
            .map(|k| format!("{:?}", w.minute_stats(0, 0, t - TimeDelta::minutes(k))))
            .collect()
    };
    assert_ne!(minutes(&a), minutes(&b));
    assert_ne!(a.apps()[0].slots[0].settings, b.apps()[0].slots[0].settings);
    // The story is the same: same versions, same health words.
    assert_eq!(a.health(0, 0, t).status, b.health(0, 0, t).status);
}

#[test]
fn the_bad_release_swaps_in_the_new_version_and_logs_it() {
    let mut w = world("bad-release");
    let start = w.start();
    w.advance_to(start + TimeDelta::minutes(3));
    let app = w.app("func-orders-prod-krc").expect("app");
    let prod = &app.slots[0];
    let staging = &app.slots[1];
    assert_eq!(prod.version.current(), "2026.04.04");
    assert_eq!(staging.version.current(), "2026.03.28");
    // Deployment records travel with the content.
    assert_eq!(
        prod.active_deployment().map(|d| d.version.as_str()),
        Some("2026.04.04")
    );
    assert_eq!(
        staging.active_deployment().map(|d| d.version.as_str()),
        Some("2026.03.28")
    );
    let swap = prod.last_swap.as_ref().expect("swapped");
    assert_eq!(
        (swap.source.as_str(), swap.destination.as_str()),
        ("staging", "production")
    );
    assert_eq!(swap.at, start + TimeDelta::seconds(70));
    let ops: Vec<(&str, &str, DateTime<Utc>)> = w
        .activity()
        .map(|r| (r.operation.as_str(), r.status, r.timestamp))
        .collect();
    assert!(ops.contains(&(
        "Microsoft.Web/sites/slots/slotsswap/action",
        "Succeeded",
        start + TimeDelta::seconds(70)
    )));
    assert!(
        ops.iter()
            .any(|(op, _, _)| *op == "Microsoft.Web/sites/slots/extensions/write")
    );
}

#[test]
fn activity_is_listed_only_after_ingestion() {
    let mut w = world("bad-release");
    let start = w.start();
    w.advance_to(start + TimeDelta::seconds(75));
    assert!(!w.activity().any(|r| r.operation.contains("slotsswap")));
    w.advance_to(start + TimeDelta::seconds(70) + INGESTION_DELAY);
    assert!(w.activity().any(|r| r.operation.contains("slotsswap")));
}

#[test]
fn queues_in_an_out_region_grow_and_keep_their_oldest_message() {
    let mut w = world("region-outage");
    let start = w.start();
    w.advance_to(start + TimeDelta::minutes(1));
    let before = w
        .queue("stordersprodkrc", "orders-to-fulfil")
        .expect("queue")
        .depth();
    w.advance_to(start + TimeDelta::minutes(11));
    let q = w
        .queue("stordersprodkrc", "orders-to-fulfil")
        .expect("queue");
    assert!(q.depth() > before + 900, "{before} → {}", q.depth());
    let oldest = q.oldest().expect("backlog");
    assert!(
        oldest <= start + TimeDelta::minutes(1) + TimeDelta::seconds(5),
        "{oldest}"
    );
    let jpe = w
        .queue("stordersprodjpe", "orders-to-fulfil")
        .expect("queue");
    assert!(jpe.depth() < 5, "the secondary drains: {}", jpe.depth());
}

#[test]
fn writes_change_state_from_now_on() {
    let mut w = world("calm");
    let start = w.start();
    w.advance_to(start + TimeDelta::minutes(2));
    let id = w
        .deploy(
            "func-orders-prod-krc",
            "staging",
            "2026.05.01",
            "az_cli_functions",
            "me",
        )
        .expect("deploy");
    assert_eq!(id.len(), 36);
    w.advance_to(start + TimeDelta::minutes(3));
    w.swap_slots("func-orders-prod-krc", "staging", "production", "me")
        .expect("swap");
    let app = w.app_index("func-orders-prod-krc").expect("app");
    assert_eq!(w.health(app, 0, w.now()).version, "2026.05.01");
    assert_eq!(
        w.health(app, 0, start).version,
        "2026.03.28",
        "the past is unchanged"
    );
    let mut settings = w.apps()[app].slots[0].settings.clone();
    settings.insert(
        "AzureWebJobs.CreateOrder.Disabled".to_owned(),
        "true".to_owned(),
    );
    w.set_app_settings("func-orders-prod-krc", "production", settings, "me")
        .expect("settings");
    let a = &w.apps()[app];
    assert!(a.function_disabled(&a.slots[0], "CreateOrder"));
    assert!(!a.function_disabled(&a.slots[1], "CreateOrder"));
    assert_eq!(
        w.swap_slots("func-orders-prod-krc", "staging", "staging", "me"),
        Err(WorldError::SameSlot("staging".to_owned()))
    );
    assert!(matches!(
        w.deploy("nope", "production", "1", "x", "y"),
        Err(WorldError::UnknownApp(_))
    ));
}

#[test]
fn timeline_faults_and_drift_apply_at_their_times() {
    let w = {
        let mut w = world("throttled");
        w.advance_to(w.start() + TimeDelta::minutes(6));
        w
    };
    let at = |s: i64| w.api_faults(w.start() + TimeDelta::seconds(s));
    assert_eq!(at(29), ActiveFaults::default());
    assert_eq!(at(30).throttle, Some(1));
    assert_eq!(at(125).error, Some(503));
    assert_eq!(at(190).error, Some(500));
    assert_eq!(at(245).delay_ms, 300);
    assert_eq!(at(305).throttle, Some(2));
    assert_eq!(at(311), ActiveFaults::default(), "cleared at 5:10");

    let text = r#"
name = "drift"
description = "d"
seed = 1
start = "2026-04-04T09:00:00Z"
[[event]]
at = "1m"
kind = "settings-drift"
app = "func-reconcile-prod-jpe"
changed = ["DOWNSTREAM_API_KEY"]
missing = ["AzureWebJobs.NightlyReconcile.Disabled"]
[[event]]
at = "2m"
kind = "consumer-stopped"
app = "func-fulfil-prod-krc"
"#;
    let s = Scenario::parse(text, "drift.toml").expect("scenario");
    let mut w = World::new(&Estate::demo(), &s).expect("world");
    let before = w.app("func-reconcile-prod-jpe").expect("app").slots[0]
        .settings
        .clone();
    w.advance_to(w.start() + TimeDelta::minutes(12));
    let a = w.app("func-reconcile-prod-jpe").expect("app");
    let after = &a.slots[0].settings;
    assert_ne!(before["DOWNSTREAM_API_KEY"], after["DOWNSTREAM_API_KEY"]);
    assert!(!after.contains_key("AzureWebJobs.NightlyReconcile.Disabled"));
    assert!(!a.function_disabled(&a.slots[0], "NightlyReconcile"));
    assert!(a.function_disabled(&a.slots[0], "PurgeExpiredReservations"));
    let q = w
        .queue("stordersprodkrc", "orders-to-fulfil")
        .expect("queue");
    assert!(
        q.depth() > 500,
        "consumer stopped for ten minutes: {}",
        q.depth()
    );
    let app = w.app_index("func-fulfil-prod-krc").expect("app");
    assert_eq!(
        w.health(app, 0, w.now()).status,
        HealthStatus::Healthy,
        "a stopped consumer still looks healthy"
    );
}
