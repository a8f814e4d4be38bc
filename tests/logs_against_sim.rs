//! warroom's Log Analytics p95 read against the simulator's query API: the per-minute p95 of
//! every app named, consistent before and after a bad release, and Log Analytics' errors typed.
//! The clock is Manual: virtual time moves only when the test sets it.

#[path = "common/wire.rs"]
mod wire;

use std::sync::Arc;

use chrono::TimeDelta;
use warroom::azure::Error;
use warroom::model::{Freshness, Snapshot};
use warroom::observe::{Clock, Observer};
use wire::Wire;

async fn snapshot(w: &Wire) -> Snapshot {
    let clock = w.sim.clock().clone();
    Observer::new(
        Arc::new(w.client.clone()),
        Arc::new(w.queues.clone()),
        Arc::new(w.estate.clone()),
        Clock::custom(move || clock.now(), 1.0),
        true,
    )
    .refresh_all()
    .await
}

const ORDERS: &str = "func-orders-prod-krc";
const CATALOG: &str = "func-catalog-prod-krc";

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

#[tokio::test]
async fn p95_per_minute_rises_with_a_bad_release_and_only_there() {
    let w = Wire::start("bad-release").await;
    w.at(12 * 60);
    let workspace = w
        .estate
        .log_analytics_workspace
        .clone()
        .expect("the demo estate names a workspace");
    let from = w.t(-10 * 60);
    let minutes = w
        .client
        .latency_p95(
            &w.estate.endpoints.logs,
            &workspace,
            &[ORDERS, CATALOG],
            from,
            w.now(),
        )
        .await
        .expect("p95 read");
    // 22 complete minutes of two apps, each with requests.
    assert_eq!(minutes.len(), 44, "{minutes:#?}");
    assert!(minutes.iter().all(|m| m.count > 0 && m.p95_ms.is_some()));
    assert!(
        minutes
            .iter()
            .all(|m| m.at >= from && m.at + TimeDelta::minutes(1) <= w.now())
    );
    let p95 = |app: &str, before: bool| -> Vec<f64> {
        minutes
            .iter()
            .filter(|m| m.app == app && (m.at < w.start) == before)
            .filter(|m| before || m.at >= w.t(2 * 60))
            .filter_map(|m| m.p95_ms)
            .collect()
    };
    let (orders_before, orders_after) = (mean(&p95(ORDERS, true)), mean(&p95(ORDERS, false)));
    assert!(
        orders_after > 2.0 * orders_before,
        "{orders_before} → {orders_after}"
    );
    let (cat_before, cat_after) = (mean(&p95(CATALOG, true)), mean(&p95(CATALOG, false)));
    assert!(
        (cat_after / cat_before - 1.0).abs() < 0.15,
        "catalog is unaffected: {cat_before} → {cat_after}"
    );
}

#[tokio::test]
async fn an_unknown_workspace_and_a_query_it_cannot_run_are_log_analytics_errors() {
    let w = Wire::start("calm").await;
    w.at(60);
    let e = w
        .client
        .latency_p95(
            &w.estate.endpoints.logs,
            "00000000-0000-0000-0000-000000000000",
            &[ORDERS],
            w.t(-600),
            w.now(),
        )
        .await
        .expect_err("no such workspace");
    match &e {
        Error::Arm { status, code, .. } => {
            assert_eq!(*status, 404);
            assert_eq!(code, "WorkspaceNotFoundError");
        }
        other => panic!("expected a typed service error, got {other:?}"),
    }
    let workspace = w.estate.log_analytics_workspace.clone().expect("workspace");
    let url = format!(
        "{}/v1/workspaces/{workspace}/query",
        w.estate.endpoints.logs
    );
    let r = reqwest::Client::new()
        .post(&url)
        .json(&serde_json::json!({"query": "AppRequests | take 10", "timespan": "PT30M"}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(r.status().as_u16(), 400);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"]["code"], "BadArgumentError");
    assert!(
        body["error"]["innererror"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("understands only")),
        "{body}"
    );
}

#[tokio::test]
async fn the_observer_puts_p95_beside_the_averages_with_its_own_age_and_error() {
    let mut w = Wire::start("bad-release").await;
    w.at(12 * 60);
    let snap = snapshot(&w).await;
    let source = snap.p95_source.as_ref().expect("a workspace is configured");
    assert_eq!(source.freshness(w.now()), Freshness::Fresh, "{source:?}");
    let orders = snap.apps.iter().find(|a| a.name == ORDERS).expect("orders");
    let points = orders.metrics.get().expect("metrics read");
    assert!(points.len() >= 20, "{}", points.len());
    // Every complete minute with requests has a p95, above that minute's average (latency is
    // right-skewed) and rising with the bad release while the scenario's start is behind.
    for p in points.iter().filter(|p| p.requests > 0.0) {
        let p95 = p.p95_ms.unwrap_or_else(|| panic!("no p95 at {}", p.at));
        let avg = p.avg_ms.expect("avg");
        assert!(avg < p95, "{}: avg {avg} p95 {p95}", p.at);
    }
    let p95_mean = |before: bool| {
        let v: Vec<f64> = points
            .iter()
            .filter(|p| (p.at < w.start) == before && (before || p.at >= w.t(120)))
            .filter_map(|p| p.p95_ms)
            .collect();
        mean(&v)
    };
    assert!(p95_mean(false) > 2.0 * p95_mean(true));

    // The same estate with a workspace the simulator does not know: metrics still read, no p95,
    // and the p95 source says why.
    w.estate.log_analytics_workspace = Some("00000000-0000-0000-0000-000000000000".to_owned());
    let snap = snapshot(&w).await;
    let source = snap.p95_source.as_ref().expect("configured");
    assert_eq!(source.freshness(w.now()), Freshness::Missing);
    let err = source.error.as_ref().expect("an error");
    assert!(
        err.message.contains("WorkspaceNotFoundError"),
        "{}",
        err.message
    );
    let orders = snap.apps.iter().find(|a| a.name == ORDERS).expect("orders");
    let points = orders.metrics.get().expect("metrics still read");
    assert!(points.iter().all(|p| p.p95_ms.is_none()));

    // No workspace at all: no p95 source.
    w.estate.log_analytics_workspace = None;
    assert!(snapshot(&w).await.p95_source.is_none());
}
