//! warroom's Log Analytics p95 read against the simulator's query API: the per-minute p95 of
//! every app named, consistent before and after a bad release, and Log Analytics' errors typed.
//! The clock is Manual: virtual time moves only when the test sets it.

#[path = "common/wire.rs"]
mod wire;

use chrono::TimeDelta;
use warroom::azure::Error;
use wire::Wire;

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
