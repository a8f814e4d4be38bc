//! Kudu (the SCM site) under `/_kudu/{app}` (`{app}-{slot}` for a slot): the deployment records
//! of `/api/deployments` (newest first), `/api/deployments/latest` and `/api/deployments/{id}`,
//! in Kudu's snake_case `DeployResult` with its integer status codes. A zip deployment still
//! running is the newest record (status 1 Building, then 2 Deploying, `complete` false); zip
//! deployment itself is `kudu_deploy`'s, a deployment's log `kudu_log`'s.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::Shared;
use super::apps::resolve_host;
use super::conventions::errors::Fail;
use super::conventions::iso;
use super::web::running_status;
use crate::azure::wire::kudu::DeployResult;
use crate::sim::world::{OperationKind, World, ZIP_DEPLOYER};

/// The record of the zip deployment running on a slot, if one is.
fn running(w: &World, base: &str, host: &str, app: usize, slot: usize) -> Option<DeployResult> {
    let a = &w.apps()[app];
    let s = &a.slots[slot];
    let o = w.running_deployment(app, &s.name)?;
    let OperationKind::Deploy {
        version,
        deployment_id,
        ..
    } = &o.kind
    else {
        return None;
    };
    let status = running_status(o, w.now());
    let url = format!("{base}/_kudu/{host}/api/deployments/{deployment_id}");
    Some(DeployResult {
        id: deployment_id.clone(),
        status,
        status_text: Some(if status == 1 { "Building" } else { "Deploying" }.to_owned()),
        author_email: None,
        author: Some(o.caller.clone()),
        deployer: Some(ZIP_DEPLOYER.to_owned()),
        message: Some(version.clone()),
        progress: Some(format!("Deploying package {version}")),
        received_time: Some(iso(o.started)),
        start_time: Some(iso(o.started + chrono::TimeDelta::seconds(1))),
        end_time: None,
        last_success_end_time: s.active_deployment().map(|d| iso(d.end)),
        complete: false,
        active: false,
        is_temp: false,
        is_readonly: false,
        log_url: Some(format!("{url}/log")),
        url: Some(url),
        site_name: Some(a.name.clone()),
    })
}

fn results(w: &World, base: &str, host: &str, app: usize, slot: usize) -> Vec<DeployResult> {
    let a = &w.apps()[app];
    let s = &a.slots[slot];
    let active = s.active_deployment();
    let last_success = active.map(|d| iso(d.end));
    let finished = s.deployments.iter().rev().map(|d| {
        let url = format!("{base}/_kudu/{host}/api/deployments/{}", d.id);
        DeployResult {
            id: d.id.clone(),
            status: d.status_code(),
            status_text: Some(
                w.deployment_failure(&d.id)
                    .map(str::to_owned)
                    .unwrap_or_default(),
            ),
            author_email: None,
            author: Some(d.author.clone()),
            deployer: Some(d.deployer.clone()),
            message: Some(d.version.clone()),
            progress: Some(String::new()),
            received_time: Some(iso(d.received)),
            start_time: Some(iso(d.start)),
            end_time: Some(iso(d.end)),
            last_success_end_time: last_success.clone(),
            complete: true,
            active: active.is_some_and(|x| x.id == d.id),
            is_temp: false,
            is_readonly: false,
            log_url: Some(format!("{url}/log")),
            url: Some(url),
            site_name: Some(a.name.clone()),
        }
    });
    running(w, base, host, app, slot)
        .into_iter()
        .chain(finished)
        .collect()
}

/// The records of a host, or the response to give instead.
fn records(sim: &Shared, host: &str) -> Result<Vec<DeployResult>, Fail> {
    let w = sim.world();
    let (app, slot) = resolve_host(&w, host)
        .ok_or_else(|| Fail::from((StatusCode::NOT_FOUND, "no such SCM site").into_response()))?;
    if w.region_out(&w.apps()[app].region, w.now()) {
        return Err(Fail::from(StatusCode::BAD_GATEWAY.into_response()));
    }
    Ok(results(&w, sim.base_url(), host, app, slot))
}

/// A Kudu JSON answer, dated in virtual time.
pub(super) fn answer<T: serde::Serialize>(sim: &Shared, body: &T) -> Response {
    let mut r = Json(body).into_response();
    let t = sim.world().now();
    super::conventions::middleware::set_date(&mut r, t);
    r
}

/// `GET /api/deployments`.
pub(crate) async fn list(State(sim): State<Shared>, Path(host): Path<String>) -> Response {
    match records(&sim, &host) {
        Ok(r) => answer(&sim, &r),
        Err(e) => e.into_response(),
    }
}

/// `GET /api/deployments/latest`.
pub(crate) async fn latest(State(sim): State<Shared>, Path(host): Path<String>) -> Response {
    match records(&sim, &host) {
        Ok(r) => match r.into_iter().next() {
            Some(d) => answer(&sim, &d),
            None => not_found("latest"),
        },
        Err(e) => e.into_response(),
    }
}

/// `GET /api/deployments/{id}`.
pub(crate) async fn one(
    State(sim): State<Shared>,
    Path((host, id)): Path<(String, String)>,
) -> Response {
    match records(&sim, &host) {
        Ok(r) => match r.into_iter().find(|d| d.id.eq_ignore_ascii_case(&id)) {
            Some(d) => answer(&sim, &d),
            None => not_found(&id),
        },
        Err(e) => e.into_response(),
    }
}

pub(super) fn not_found(id: &str) -> Response {
    // Kudu's own error shape (no shared wire type: the client only reads its status).
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "Message": format!("Deployment '{id}' not found.") })),
    )
        .into_response()
}
