//! Per-minute p95 latency of the estate's apps from a Log Analytics workspace (workspace-based
//! Application Insights, table `AppRequests`) through the Log Analytics query API. Azure Monitor's
//! platform metrics hold no percentiles; this is where p95 comes from.
//!
//! Owns the query text, the request and the reading of the tables answer into
//! [`LatencyMinute`]s. Transport, auth and HTTP errors belong to `client`.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::azure::client::AzureClient;
use crate::azure::error::Error;
use crate::azure::wire::logs::{QueryBody, QueryResults, Table};

/// The percentile read.
pub const PERCENTILE: u8 = 95;

/// One app's requests in one minute, as Application Insights recorded them.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencyMinute {
    /// The app (`AppRoleName`: the function app's name).
    pub app: String,
    /// Start of the minute.
    pub at: DateTime<Utc>,
    /// The 95th percentile of `DurationMs`, when the workspace reported one.
    pub p95_ms: Option<f64>,
    /// Requests recorded.
    pub count: u64,
}

/// The Log Analytics OAuth scope for a query endpoint: its origin plus `/.default`
/// (`https://api.loganalytics.io/.default` for the public cloud).
pub fn logs_scope(endpoint: &str) -> String {
    match url::Url::parse(endpoint) {
        Ok(u) => format!("{}/.default", u.origin().ascii_serialization()),
        Err(_) => "https://api.loganalytics.io/.default".to_owned(),
    }
}

/// The KQL asked: per-minute p95 and count of the named apps' requests. The window is the
/// request's `timespan`, not part of the text. App names are Azure names (letters, digits,
/// hyphens), quoted as KQL string literals.
pub fn p95_query(apps: &[&str]) -> String {
    let names: Vec<String> = apps
        .iter()
        .map(|a| format!("\"{}\"", a.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!(
        "AppRequests | where AppRoleName in~ ({}) | summarize p95 = percentile(DurationMs, {PERCENTILE}), n = count() by bin(TimeGenerated, 1m), AppRoleName",
        names.join(", ")
    )
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn bad(detail: impl Into<String>) -> Error {
    Error::Decode {
        what: "Log Analytics query answer".into(),
        detail: detail.into(),
    }
}

fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Reads the `PrimaryResult` table of a p95 query into minutes; a row without a time or an app
/// is an error, a `null` p95 is a minute without one.
pub fn latency_minutes(results: &QueryResults) -> Result<Vec<LatencyMinute>, Error> {
    if let Some(e) = &results.error {
        return Err(bad(format!("partial result: {}: {}", e.code, e.message)));
    }
    let table: &Table = results
        .tables
        .iter()
        .find(|t| t.name == "PrimaryResult")
        .ok_or_else(|| bad("no PrimaryResult table"))?;
    let col = |name: &str| {
        table
            .column(name)
            .ok_or_else(|| bad(format!("no `{name}` column in PrimaryResult")))
    };
    let (time, app, p95, n) = (
        col("TimeGenerated")?,
        col("AppRoleName")?,
        col("p95")?,
        col("n")?,
    );
    table
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let cell = |k: usize| row.get(k).unwrap_or(&serde_json::Value::Null);
            let at = cell(time)
                .as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .ok_or_else(|| {
                    bad(format!(
                        "row {i}: TimeGenerated {} is not a time",
                        cell(time)
                    ))
                })?
                .with_timezone(&Utc);
            let name = cell(app)
                .as_str()
                .filter(|s| !s.is_empty())
                .ok_or_else(|| bad(format!("row {i}: no AppRoleName")))?;
            let count = number(cell(n)).unwrap_or(0.0).max(0.0);
            Ok(LatencyMinute {
                app: name.to_owned(),
                at,
                p95_ms: number(cell(p95)),
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                count: count.round() as u64,
            })
        })
        .collect()
}

impl AzureClient {
    /// Per-minute p95 latency and request count of `apps` between `from` and `to`, from the Log
    /// Analytics workspace `workspace` at `endpoint` (`Endpoints::logs`), with a token for the
    /// Log Analytics scope (none when the client has no credential).
    pub async fn latency_p95(
        &self,
        endpoint: &str,
        workspace: &str,
        apps: &[&str],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<LatencyMinute>, Error> {
        let raw = format!(
            "{}/v1/workspaces/{workspace}/query",
            endpoint.trim_end_matches('/')
        );
        let url = url::Url::parse(&raw).map_err(|e| bad(format!("{raw:?} is not a URL: {e}")))?;
        let body = QueryBody {
            query: p95_query(apps),
            timespan: Some(format!("{}/{}", iso(from), iso(to))),
        };
        let results: QueryResults = self
            .post_data_plane(url, &logs_scope(endpoint), &body, "Log Analytics query")
            .await?;
        latency_minutes(&results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(json: &str) -> QueryResults {
        serde_json::from_str(json).expect("a tables answer")
    }

    #[test]
    fn rows_become_minutes_and_a_null_p95_is_none() {
        let r = results(
            r#"{"tables":[{"name":"PrimaryResult","columns":[
                {"name":"TimeGenerated","type":"datetime"},{"name":"AppRoleName","type":"string"},
                {"name":"p95","type":"real"},{"name":"n","type":"long"}],
              "rows":[["2026-04-04T09:00:00Z","func-a",412.5,1200],
                      ["2026-04-04T09:01:00Z","func-a",null,"0"]]}]}"#,
        );
        let m = latency_minutes(&r).expect("minutes");
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].app, "func-a");
        assert_eq!(m[0].p95_ms, Some(412.5));
        assert_eq!(m[0].count, 1200);
        assert_eq!(m[1].p95_ms, None);
        assert_eq!(m[1].count, 0);
    }

    #[test]
    fn a_missing_column_or_a_partial_result_is_a_decode_error() {
        let r = results(
            r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"}],"rows":[]}]}"#,
        );
        let e = latency_minutes(&r).expect_err("no AppRoleName");
        assert!(e.to_string().contains("no `AppRoleName` column"), "{e}");
        let r = results(
            r#"{"tables":[],"error":{"code":"PartialError","message":"some shards failed"}}"#,
        );
        let e = latency_minutes(&r).expect_err("partial");
        assert!(e.to_string().contains("PartialError"), "{e}");
    }

    #[test]
    fn the_scope_is_the_endpoints_origin() {
        assert_eq!(
            logs_scope("https://api.loganalytics.io"),
            "https://api.loganalytics.io/.default"
        );
        assert_eq!(
            logs_scope("http://127.0.0.1:4000/_logs"),
            "http://127.0.0.1:4000/.default"
        );
    }
}
