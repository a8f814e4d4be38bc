//! The Log Analytics query API (`POST /_logs/v1/workspaces/{workspaceId}/query`) over the world's
//! telemetry, as workspace-based Application Insights would answer it from `AppRequests`.
//!
//! Understands exactly the query warroom sends (`azure::reads::p95_query`): per-minute p95 and
//! count of named apps' requests, windowed by the body's `timespan` (an ISO 8601 `start/end`).
//! Any other text is refused as Log Analytics refuses what it cannot run: 400 `BadArgumentError`
//! with the reason inside. Only complete minutes with requests have a row (`count()` makes no
//! group of nothing); the production slot is the app's role.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;

use super::Shared;
use super::conventions::iso;
use crate::azure::reads::PERCENTILE;
use crate::azure::wire::logs::{Column, QueryBody, QueryResults, Table};
use crate::sim::world::{PRODUCTION, World};

/// Log Analytics' error shape: `{error:{code,message,details[],innererror}}`.
fn la_error(status: StatusCode, code: &str, message: &str, inner: &str) -> Response {
    let body = json!({"error": {
        "code": code,
        "message": message,
        "details": [{"code": "InvalidArgument", "message": inner}],
        "innererror": {"code": "SemanticError", "message": inner},
    }});
    (status, Json(body)).into_response()
}

fn bad_argument(inner: &str) -> Response {
    la_error(
        StatusCode::BAD_REQUEST,
        "BadArgumentError",
        "The request had some invalid properties",
        inner,
    )
}

const HEAD: &str = "AppRequests | where AppRoleName in~ (";

/// The apps a query names, when it is the one query the simulator understands.
fn apps_of(query: &str) -> Result<Vec<String>, String> {
    let tail = format!(
        ") | summarize p95 = percentile(DurationMs, {PERCENTILE}), n = count() by bin(TimeGenerated, 1m), AppRoleName"
    );
    let list = query
        .trim()
        .strip_prefix(HEAD)
        .and_then(|r| r.strip_suffix(tail.as_str()))
        .ok_or_else(|| {
            format!("the simulator understands only `{HEAD}\"app\", …{tail}`; got `{query}`")
        })?;
    list.split(',')
        .map(|s| {
            let s = s.trim();
            s.strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .filter(|n| !n.is_empty() && !n.contains(['"', '\\']))
                .map(str::to_owned)
                .ok_or_else(|| format!("`{s}` is not a quoted app name"))
        })
        .collect()
}

/// The window of a `start/end` timespan.
fn window(timespan: Option<&str>) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let t = timespan.ok_or("the simulator needs a `timespan` of the form start/end")?;
    let (a, b) = t
        .split_once('/')
        .ok_or_else(|| format!("timespan `{t}` is not an ISO 8601 start/end interval"))?;
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|e| format!("timespan `{t}`: `{s}` is not a time: {e}"))
    };
    let (from, to) = (parse(a)?, parse(b)?);
    if from >= to {
        return Err(format!("timespan `{t}` ends before it starts"));
    }
    Ok((from, to))
}

/// The answer: one row per app and complete minute with requests.
fn answer(w: &World, apps: &[String], from: DateTime<Utc>, to: DateTime<Utc>) -> QueryResults {
    let col = |name: &str, t: &str| Column {
        name: name.to_owned(),
        column_type: t.to_owned(),
    };
    let end = to.min(w.now());
    let mut rows = Vec::new();
    let first = from.timestamp().div_euclid(60) * 60;
    let mut minute = DateTime::from_timestamp(first, 0).unwrap_or(from);
    while minute + TimeDelta::minutes(1) <= end {
        for name in apps {
            let Some(a) = w.app_index(name) else { continue };
            let Some(slot) = w.apps()[a].slot_index(PRODUCTION) else {
                continue;
            };
            let s = w.minute_stats(a, slot, minute);
            if s.requests > 0.0 {
                rows.push(vec![
                    json!(iso(minute)),
                    json!(w.apps()[a].name),
                    json!((s.p95_ms * 100.0).round() / 100.0),
                    json!(s.requests),
                ]);
            }
        }
        minute += TimeDelta::minutes(1);
    }
    QueryResults {
        tables: vec![Table {
            name: "PrimaryResult".to_owned(),
            columns: vec![
                col("TimeGenerated", "datetime"),
                col("AppRoleName", "string"),
                col("p95", "real"),
                col("n", "long"),
            ],
            rows,
        }],
        error: None,
    }
}

/// `POST /_logs/v1/workspaces/{workspaceId}/query`.
pub(crate) async fn query(
    State(sim): State<Shared>,
    Path(workspace): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let w = sim.world();
    let known = w
        .estate()
        .log_analytics_workspace
        .as_deref()
        .is_some_and(|id| id.eq_ignore_ascii_case(&workspace));
    if !known {
        return la_error(
            StatusCode::NOT_FOUND,
            "WorkspaceNotFoundError",
            &format!("The workspace {workspace} could not be found"),
            "no such workspace in the simulated estate",
        );
    }
    let q: QueryBody = match serde_json::from_slice(&body) {
        Ok(q) => q,
        Err(e) => return bad_argument(&format!("the body is not a query body: {e}")),
    };
    let apps = match apps_of(&q.query) {
        Ok(a) => a,
        Err(m) => return bad_argument(&m),
    };
    match window(q.timespan.as_deref()) {
        Ok((from, to)) => Json(answer(&w, &apps, from, to)).into_response(),
        Err(m) => bad_argument(&m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azure::reads::p95_query;

    #[test]
    fn the_clients_query_is_understood_and_others_are_not() {
        let q = p95_query(&["func-a", "func-b"]);
        assert_eq!(
            apps_of(&q).expect("understood"),
            vec!["func-a".to_owned(), "func-b".to_owned()]
        );
        let e = apps_of("AppRequests | take 10").expect_err("not understood");
        assert!(e.contains("understands only"), "{e}");
        assert!(window(Some("PT30M")).is_err());
        assert!(window(None).is_err());
        assert!(window(Some("2026-04-04T09:00:00Z/2026-04-04T09:30:00Z")).is_ok());
    }
}
