//! The Blob service under `/_blob/{account}`, as far as the artifact store needs it: List Blobs
//! (`GET /_blob/{account}/{container}?restype=container&comp=list`, with `prefix`, `marker`
//! and `maxresults`), one `{service}/{version}.zip` per release the world knows. Errors are
//! Storage's XML errors with `x-ms-error-code`; any `Authorization` is accepted.
//!
//! Owns the listing's paging and XML; what the store holds is the world's.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::Shared;
use super::conventions::middleware::set_date;
use super::conventions::rfc1123;
use crate::azure::wire::api::QUEUE_DATA_PLANE;
use crate::azure::wire::blob::{BlobItem, BlobList};
use crate::azure::xml;
use crate::sim::rng::{hash_parts, stable_guid};
use crate::sim::world::World;

/// The most blobs one page holds, as in Azure.
const MAX_RESULTS: usize = 5000;

fn param<'a>(p: &'a [(String, String)], name: &str) -> Option<&'a str> {
    p.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// An answer with Storage's headers.
fn answer(w: &World, req: &HeaderMap, status: StatusCode, body: String) -> Response {
    let now = w.now();
    let mut resp = (status, body).into_response();
    let version = req
        .get("x-ms-version")
        .and_then(|v| v.to_str().ok())
        .unwrap_or(QUEUE_DATA_PLANE)
        .to_owned();
    let nanos = now.timestamp_nanos_opt().unwrap_or_default().to_string();
    let headers = resp.headers_mut();
    for (name, value) in [
        (
            "x-ms-request-id",
            stable_guid(w.seed(), &["blob-request", &nanos]),
        ),
        ("x-ms-version", version),
        (
            "server",
            "Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0".to_owned(),
        ),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    set_date(&mut resp, now);
    resp
}

fn error(
    w: &World,
    req: &HeaderMap,
    status: StatusCode,
    code: &'static str,
    message: &str,
) -> Response {
    let body = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{}\nTime:{}</Message></Error>",
        xml::escape(message),
        w.now().format("%Y-%m-%dT%H:%M:%S%.6f0Z")
    );
    let mut r = answer(w, req, status, body);
    r.headers_mut()
        .insert("x-ms-error-code", HeaderValue::from_static(code));
    r
}

fn etag(w: &World, name: &str, t: DateTime<Utc>) -> String {
    format!(
        "\"0x8D{:013X}\"",
        hash_parts(w.seed(), &["blob-etag", name, &t.timestamp().to_string()])
            & 0x000F_FFFF_FFFF_FFFF
    )
}

/// `GET /_blob/{account}/{container}?restype=container&comp=list`.
pub(crate) async fn list(
    State(sim): State<Shared>,
    Path((account, container)): Path<(String, String)>,
    Query(params): Query<Vec<(String, String)>>,
    req: HeaderMap,
) -> Response {
    let w = sim.world();
    let listing = param(&params, "restype").is_some_and(|v| v == "container")
        && param(&params, "comp").is_some_and(|v| v == "list");
    if !listing {
        return error(
            &w,
            &req,
            StatusCode::BAD_REQUEST,
            "InvalidQueryParameterValue",
            "The simulator's Blob service only lists blobs (restype=container&comp=list).",
        );
    }
    let store = w.estate().artifact_store.as_ref();
    if !store.is_some_and(|s| s.account.eq_ignore_ascii_case(&account) && s.container == container)
    {
        return error(
            &w,
            &req,
            StatusCode::NOT_FOUND,
            "ContainerNotFound",
            "The specified container does not exist.",
        );
    }
    if w.storage_out(&account, w.now()) {
        return error(
            &w,
            &req,
            StatusCode::SERVICE_UNAVAILABLE,
            "ServerBusy",
            "The server is currently unable to receive requests. Please retry your request.",
        );
    }
    let max = match param(&params, "maxresults").map(str::parse::<usize>) {
        None => MAX_RESULTS,
        Some(Ok(n)) if n > 0 => n.min(MAX_RESULTS),
        Some(_) => {
            return error(
                &w,
                &req,
                StatusCode::BAD_REQUEST,
                "OutOfRangeQueryParameterValue",
                "maxresults must be a positive number.",
            );
        }
    };
    let prefix = param(&params, "prefix").unwrap_or_default();
    let marker = param(&params, "marker").unwrap_or_default();
    let mut blobs: Vec<_> = w
        .artifacts()
        .into_iter()
        .filter(|b| b.name.starts_with(prefix) && b.name.as_str() >= marker)
        .collect();
    let next_marker = blobs.get(max).map(|b| b.name.clone());
    blobs.truncate(max);
    let page = BlobList {
        blobs: blobs
            .iter()
            .map(|b| BlobItem {
                name: b.name.clone(),
                last_modified: rfc1123(b.last_modified),
                content_length: b.size,
                content_type: Some("application/zip".to_owned()),
                etag: Some(etag(&w, &b.name, b.last_modified)),
            })
            .collect(),
        next_marker,
    };
    let endpoint = format!("{}/_blob/{account}/", sim.base_url());
    answer(&w, &req, StatusCode::OK, page.to_xml(&endpoint, &container))
}
