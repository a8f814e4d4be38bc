//! Checks of a forensic snapshot's deployment log file against the simulator it was taken from,
//! for the action tests (`act_*_against_sim`). Included with `#[path]` beside `act.rs`.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of these helpers"
)]

use crate::bench::{Bench, secret_values};

/// The deployment log file holds the logs of the latest deployments and of the one production
/// runs, with their detail lines, Kudu's connection string echo masked; the raw log served by the
/// simulator did carry the secret (so the masking is what kept it out).
pub async fn assert_deployment_logs_kept(b: &Bench, file: &std::path::Path, history: &str) {
    let text = std::fs::read_to_string(file).expect("deployment-log.json");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let kept = doc["deployments"].as_array().expect("deployments kept");
    let history: serde_json::Value = serde_json::from_str(history).expect("JSON");
    let records = history["deployments"].as_array().expect("records");
    let newest: Vec<&str> = records
        .iter()
        .take(3)
        .filter_map(|d| d["id"].as_str())
        .collect();
    let active = records
        .iter()
        .find(|d| d["active"] == true)
        .and_then(|d| d["id"].as_str())
        .expect("production runs a deployment");
    let ids: Vec<&str> = kept.iter().filter_map(|d| d["id"].as_str()).collect();
    for id in newest.iter().chain([&active]) {
        assert!(ids.contains(id), "the log of {id} is kept: {ids:?}");
    }
    assert!(ids.len() <= 4, "the latest three and production's: {ids:?}");
    let log_of = |id: &str| {
        kept.iter()
            .find(|d| d["id"] == id)
            .and_then(|d| d["log"].as_array())
            .unwrap_or_else(|| panic!("{id} has its log"))
            .clone()
    };
    let log = log_of(active);
    let messages: Vec<&str> = log.iter().filter_map(|e| e["message"].as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("Deployment successful")),
        "{messages:?}"
    );
    for e in &log {
        assert!(
            e["log_time"].is_string() && e["id"].is_string() && e["type"].is_i64(),
            "Kudu's entry shape: {e}"
        );
    }
    let command = log
        .iter()
        .find(|e| e["message"] == "Running deployment command...")
        .expect("the deployment command's entry");
    let url = command["details_url"].as_str().expect("it has details");
    let details: Vec<&str> = command["details"]
        .as_array()
        .expect("its details were read")
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(
        details.iter().any(|m| m.starts_with("AzureWebJobsStorage=")
            && m.contains("AccountName=")
            && m.contains("AccountKey=***;")),
        "the echoed connection string is kept, its key masked: {details:?}"
    );
    // The simulator's log did carry the key: read it raw, as Kudu serves it.
    let raw =
        b.w.client
            .get_raw(
                url::Url::parse(url).expect("details URL"),
                warroom::azure::RawOptions {
                    auth: warroom::azure::RawAuth::None,
                    retry: false,
                },
            )
            .await
            .expect("raw details");
    let raw = String::from_utf8_lossy(&raw.body).to_string();
    let secrets = secret_values(&b.w);
    assert!(
        secrets.iter().any(|s| raw.contains(s.as_str())),
        "the raw log echoes a secret, so masking is tested"
    );
    for s in &secrets {
        assert!(!text.contains(s.as_str()), "no secret in the kept log");
    }
}
