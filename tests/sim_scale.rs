//! The simulator at the size of a large estate: a generated estate of 1,000 apps is served, ten
//! virtual minutes pass, and the inventory comes back whole through Resource Graph paging, in
//! well under the time a `cargo test` run can afford.

use std::time::{Duration, Instant};

use chrono::TimeDelta;
use warroom::azure::wire::graph::QueryResponse;
use warroom::config::Estate;
use warroom::config::generate::generated_toml;
use warroom::sim::{Scenario, SimClock, SimOptions, SimServer};

#[tokio::test]
async fn a_thousand_apps_are_served_quickly() {
    let estate =
        Estate::parse(&generated_toml(1_000), "generated").expect("generated estate is valid");
    // The calm scenario's per-app entries name demo apps; a generated estate takes the defaults.
    let mut scenario = Scenario::builtin("calm").expect("scenario");
    scenario.apps.clear();
    scenario.queues.clear();
    scenario.storage_accounts.clear();
    scenario.aliases.clear();
    let started = Instant::now();
    let clock = SimClock::manual(scenario.start);
    let h = SimServer::start(
        estate.clone(),
        scenario.clone(),
        clock.clone(),
        SimOptions::default(),
    )
    .await
    .expect("server");
    clock.set(scenario.start + TimeDelta::minutes(10));
    let http = reqwest::Client::new();
    let url = format!(
        "{}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01",
        h.base_url()
    );
    let mut token: Option<String> = None;
    let mut rows = 0;
    loop {
        let mut options = serde_json::json!({ "$top": 1000 });
        if let Some(t) = &token {
            options["$skipToken"] = serde_json::Value::String(t.clone());
        }
        let body = serde_json::json!({
            "query": "Resources | where type =~ 'microsoft.web/sites' | project id, name, type, resourceGroup",
            "options": options,
        });
        let page: QueryResponse = http
            .post(&url)
            .json(&body)
            .send()
            .await
            .expect("query")
            .json()
            .await
            .expect("page");
        rows += page.count;
        token = page.skip_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(rows, estate.apps.len() as u64);
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(20),
        "1,000 apps took {elapsed:?}"
    );
    assert_eq!(
        h.counts().by_surface.get("arm").copied(),
        Some(1),
        "one page holds a thousand rows"
    );
}
