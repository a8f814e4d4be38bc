//! Kudu zip deployment from a package URI: `POST /_kudu/{app}/api/zipdeploy?isAsync=true` with
//! `Content-Type: application/json` and `{"packageUri": "…"}`. The answer is 202 with
//! `Location` at `/api/deployments/latest`, which shows the deployment Building (1), Deploying
//! (2), then Success (4) or Failed (3) once its virtual duration has passed; the slot then runs
//! the version the package names (`…/{service}/{version}.zip`). 409 while a deployment (or a
//! swap) runs. The simulator has no zips to unpack, so a raw zip body answers 415 saying so; a
//! package on the simulator's own Blob service that the artifact store lacks fails the deployment
//! as a download failure would.
//!
//! Owns request checks and the answer; the deployment itself is the world's. It never echoes the
//! package URI, which may carry a SAS token.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use url::Url;

use super::Shared;
use super::apps::resolve_host;
use super::conventions::errors::Fail;
use super::conventions::middleware::set_date;
use super::conventions::percent_decode;
use super::web_writes::API_CALLER;
use crate::azure::wire::kudu::ZipDeployRequest;
use crate::config::PlanKind;
use crate::sim::world::{World, WorldError};

/// Kudu's error answer: a status and a message.
fn kudu_error(status: StatusCode, message: &str) -> Fail {
    Fail::from((status, Json(json!({ "Message": message }))).into_response())
}

/// `POST /api/zipdeploy`.
pub(crate) async fn zipdeploy(
    State(sim): State<Shared>,
    Path(host): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut w = sim.world();
    let t = w.now();
    let mut r = deploy(&mut w, sim.base_url(), &host, &params, &headers, &body)
        .unwrap_or_else(IntoResponse::into_response);
    set_date(&mut r, t);
    r
}

fn deploy(
    w: &mut World,
    base: &str,
    host: &str,
    params: &[(String, String)],
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, Fail> {
    let (app, slot) = resolve_host(w, host)
        .ok_or_else(|| kudu_error(StatusCode::NOT_FOUND, "No such SCM site."))?;
    let a = &w.apps()[app];
    if w.region_out(&a.region, w.now()) {
        return Err(Fail::from(StatusCode::BAD_GATEWAY.into_response()));
    }
    if a.plan == PlanKind::FlexConsumption {
        return Err(kudu_error(
            StatusCode::BAD_REQUEST,
            "Flex Consumption apps do not support zip deploy; use One Deploy.",
        ));
    }
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !json_body {
        return Err(kudu_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "The simulator deploys from a package URI only: send Content-Type: application/json \
             with a body {\"packageUri\": \"<url of the zip>\"}. Zip bodies are not accepted.",
        ));
    }
    let is_async = params
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("isAsync"))
        .is_some_and(|(_, v)| v.eq_ignore_ascii_case("true"));
    if !is_async {
        return Err(kudu_error(
            StatusCode::BAD_REQUEST,
            "The simulator deploys asynchronously only: add isAsync=true and poll the Location \
             it answers with.",
        ));
    }
    let request: ZipDeployRequest = serde_json::from_slice(body).map_err(|_| {
        kudu_error(
            StatusCode::BAD_REQUEST,
            "The body must be a JSON object with a string packageUri.",
        )
    })?;
    let url = Url::parse(request.package_uri.trim())
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| {
            kudu_error(
                StatusCode::BAD_REQUEST,
                "packageUri is not an absolute http(s) URL.",
            )
        })?;
    let version = package_version(&url).ok_or_else(|| {
        kudu_error(
            StatusCode::BAD_REQUEST,
            "packageUri must name a zip file (…/{version}.zip).",
        )
    })?;
    let failure = unfetchable(w, base, &url);
    let (app_name, slot_name) = (a.name.clone(), a.slots[slot].name.clone());
    match w.begin_deploy(&app_name, &slot_name, &version, failure, API_CALLER) {
        Ok(_) => {
            let mut r = StatusCode::ACCEPTED.into_response();
            let location = format!("{base}/_kudu/{host}/api/deployments/latest");
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            Ok(r)
        }
        Err(WorldError::Busy { .. }) => Err(kudu_error(
            StatusCode::CONFLICT,
            "There is a deployment currently in progress. Please try again when it completes.",
        )),
        Err(e) => Err(kudu_error(StatusCode::BAD_REQUEST, &e.to_string())),
    }
}

/// The version a package URL names: its last path segment without `.zip`.
fn package_version(url: &Url) -> Option<String> {
    let file = percent_decode(url.path_segments()?.next_back()?);
    let stem = file
        .strip_suffix(".zip")
        .or_else(|| file.strip_suffix(".ZIP"))?;
    (!stem.is_empty()).then(|| stem.to_owned())
}

/// Why Kudu could not fetch a package on the simulator's own Blob service, if it could not: the
/// account or container is not the artifact store's, or the blob is not there. Packages
/// elsewhere are taken as fetched (the simulator cannot look).
fn unfetchable(w: &World, base: &str, url: &Url) -> Option<String> {
    let own = Url::parse(base).ok()?;
    if url.origin() != own.origin() {
        return None;
    }
    let segments: Vec<String> = url.path_segments()?.map(percent_decode).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let ["_blob", account, container, blob @ ..] = segments.as_slice() else {
        return Some("Failed to download the package: the URL is not a blob (404).".to_owned());
    };
    let store = w.estate().artifact_store.as_ref();
    let known =
        store.is_some_and(|s| s.account.eq_ignore_ascii_case(account) && s.container == *container);
    let name = blob.join("/");
    if known && w.artifact_exists(&name) {
        None
    } else {
        Some(format!(
            "Failed to download the package: blob {name} was not found in {account}/{container} \
             (404 BlobNotFound)."
        ))
    }
}
