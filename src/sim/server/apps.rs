//! The apps' own hosts (`/_apps/{app}` for production, `/_apps/{app}-{slot}` for a slot, as Azure
//! names slot hosts; `--{slot}` is accepted too): the health endpoint at the app's health path,
//! returning the runbook's JSON with 200 when Healthy or Degraded and 503 when Unhealthy, a
//! bodyless 502 when the app's region is out (the front end cannot reach it), and a 503 with a
//! line of text, no report, while the slot's host starts cold after a deployment.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::conventions::iso;
use super::conventions::middleware::set_date;
use crate::azure::wire::health::AppHealthReport;
use crate::sim::world::{HealthStatus, World};

/// The app and slot indices a host name stands for: the app itself, or `app-slot` /
/// `app--slot` for a slot. An exact app name wins over a slot reading.
pub(crate) fn resolve_host(w: &World, host: &str) -> Option<(usize, usize)> {
    if let Some(a) = w.app_index(host) {
        return Some((a, 0));
    }
    let candidates = host
        .match_indices('-')
        .map(|(i, _)| (&host[..i], &host[i + 1..]))
        .map(|(app, slot)| (app.trim_end_matches('-'), slot));
    for (app, slot) in candidates {
        if let Some(a) = w.app_index(app)
            && let Some(s) = w.apps()[a].slot_index(slot).filter(|&s| s != 0)
        {
            return Some((a, s));
        }
    }
    None
}

/// Any GET or HEAD on an app host.
pub(crate) async fn serve(
    State(sim): State<Shared>,
    Path((host, path)): Path<(String, String)>,
) -> Response {
    let w = sim.world();
    let Some((app, slot)) = resolve_host(&w, &host) else {
        return (StatusCode::NOT_FOUND, "no such app host").into_response();
    };
    let a = &w.apps()[app];
    let t = w.now();
    if w.region_out(&a.region, t) {
        return StatusCode::BAD_GATEWAY.into_response();
    }
    let wanted = a.health_path.trim_start_matches('/');
    if !path.trim_end_matches('/').eq_ignore_ascii_case(wanted) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let report = w.health(app, slot, t);
    if report.starting {
        // A Functions host starting cold answers 503 with a line of text, not the app's report.
        let mut resp = (
            StatusCode::SERVICE_UNAVAILABLE,
            "Function host is not running.",
        )
            .into_response();
        set_date(&mut resp, t);
        return resp;
    }
    let body = AppHealthReport {
        status: report.status.as_str().to_owned(),
        checks: report
            .checks
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.as_str().to_owned()))
            .collect(),
        version: Some(report.version.clone()),
        duration_ms: Some(report.duration_ms),
        timestamp_utc: Some(iso(t)),
    };
    let status = if report.status == HealthStatus::Unhealthy {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let mut resp = (status, Json(body)).into_response();
    set_date(&mut resp, t);
    resp
}
