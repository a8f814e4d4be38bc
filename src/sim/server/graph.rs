//! Microsoft.ResourceGraph: `POST /providers/Microsoft.ResourceGraph/resources`, the inventory in
//! one call. Rows are every simulated resource (sites and slots, the Traffic Manager and Front Door
//! profiles, storage accounts, messaging namespaces) in `objectArray` format, filtered by the KQL
//! subset of `kql`, paged by `options.$top` with `$skipToken`.

use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::arm::{Ctx, Reply};
use super::conventions::errors::{bad_request, no_such_path};
use super::conventions::paging::{offset, token};
use super::kql::{self, Query};
use super::{cdn, network, storage, web};
use crate::azure::wire::graph::{GraphResource, QueryRequest, QueryResponse};
use crate::azure::wire::{ArmErrorBody, ArmErrorDetail};
use crate::config::QueueKind;
use crate::sim::world::World;

/// Rows per page when the request does not say.
const DEFAULT_TOP: usize = 100;
/// The most rows a page may hold.
const MAX_TOP: usize = 1000;

/// Routes a Microsoft.ResourceGraph request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    if !cx.path.scope.is_empty() || !cx.path.rest_is(&["resources"]) {
        return Err(no_such_path(&cx.req.raw_path));
    }
    cx.expect_method(&Method::POST)?;
    let request: QueryRequest = serde_json::from_slice(&cx.req.body).map_err(|e| {
        bad_request(
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: {e}"),
        )
    })?;
    let options = request.options.clone().unwrap_or_default();
    if options
        .result_format
        .as_deref()
        .is_some_and(|f| !f.eq_ignore_ascii_case("objectArray"))
    {
        return Err(bad_request(
            "BadRequest",
            "The simulator answers in resultFormat 'objectArray' only.",
        ));
    }
    let query = kql::parse(&request.query).map_err(invalid_query)?;
    let mut rows = select(&rows(w, cx.t), &request.subscriptions, &query);
    let total = rows.len();
    let start = match options.skip_token.as_deref() {
        Some(t) => offset(t).ok_or_else(|| {
            bad_request("BadRequest", format!("The $skipToken '{t}' is not valid."))
        })?,
        None => options.skip.map_or(0, |s| s as usize),
    };
    let top = options
        .top
        .map_or(DEFAULT_TOP, |t| (t as usize).clamp(1, MAX_TOP));
    let end = start.saturating_add(top).min(total);
    let page: Vec<GraphResource> = rows.drain(start.min(total)..end).collect();
    let skip_token = (end < total).then(|| token(end));
    cx.ok(&QueryResponse {
        total_records: total as u64,
        count: page.len() as u64,
        result_truncated: "false".to_owned(),
        skip_token,
        data: page,
        facets: Vec::new(),
    })
}

fn invalid_query(reason: String) -> super::conventions::errors::Fail {
    let mut body = ArmErrorBody::new(
        "BadRequest",
        "Please provide below info when asking for support: the query and the time of the request.",
    );
    body.error.details = vec![
        ArmErrorDetail { code: "InvalidQuery".to_owned(), message: "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.".to_owned(), target: None, details: Vec::new() },
        ArmErrorDetail { code: "ParserFailure".to_owned(), message: reason, target: None, details: Vec::new() },
    ];
    (StatusCode::BAD_REQUEST, axum::Json(body))
        .into_response()
        .into()
}

fn value<'a>(r: &'a GraphResource, column: &str) -> &'a str {
    match column {
        "id" => &r.id,
        "name" => &r.name,
        "type" => &r.resource_type,
        "location" => r.location.as_deref().unwrap_or_default(),
        "resourceGroup" => r.resource_group.as_deref().unwrap_or_default(),
        "subscriptionId" => r.subscription_id.as_deref().unwrap_or_default(),
        _ => r.kind.as_deref().unwrap_or_default(),
    }
}

fn select(all: &[GraphResource], subscriptions: &[String], q: &Query) -> Vec<GraphResource> {
    let mut rows: Vec<GraphResource> = all
        .iter()
        .filter(|r| {
            subscriptions.is_empty()
                || subscriptions
                    .iter()
                    .any(|s| Some(s.as_str()) == r.subscription_id.as_deref())
        })
        .filter(|r| q.clauses.iter().all(|c| c.matches(value(r, c.column))))
        .cloned()
        .collect();
    if let Some((col, desc)) = q.order {
        rows.sort_by(|a, b| {
            value(a, col)
                .to_ascii_lowercase()
                .cmp(&value(b, col).to_ascii_lowercase())
        });
        if desc {
            rows.reverse();
        }
    }
    if let Some(n) = q.limit {
        rows.truncate(n);
    }
    if let Some(cols) = &q.project {
        let has = |c: &str| cols.iter().any(|x| x == c);
        for r in &mut rows {
            // id, name and type are always present in the wire type.
            if !has("location") {
                r.location = None;
            }
            if !has("resourceGroup") {
                r.resource_group = None;
            }
            if !has("subscriptionId") {
                r.subscription_id = None;
            }
            if !has("kind") {
                r.kind = None;
            }
            if !has("properties") {
                r.properties = None;
            }
            if !has("tags") {
                r.tags = None;
            }
        }
    }
    rows
}

fn row(
    (id, name, rtype): (String, String, &str),
    (location, rg, sub): (&str, &str, &str),
    kind: Option<&str>,
    properties: serde_json::Value,
) -> GraphResource {
    GraphResource {
        id,
        name,
        resource_type: rtype.to_ascii_lowercase(),
        location: Some(location.to_ascii_lowercase()),
        resource_group: Some(rg.to_ascii_lowercase()),
        subscription_id: Some(sub.to_owned()),
        kind: kind.map(str::to_owned),
        tags: Some(json!({})),
        properties: Some(properties),
    }
}

/// Every resource as a Resource Graph row at `t`.
fn rows(w: &World, t: DateTime<Utc>) -> Vec<GraphResource> {
    let mut out = Vec::new();
    for (i, a) in w.apps().iter().enumerate() {
        for s in 0..a.slots.len() {
            let site = web::site(w, i, s, t);
            let props = serde_json::to_value(&site.properties).unwrap_or_default();
            out.push(row(
                (site.id, site.name, &site.resource_type),
                (&a.location, &a.resource_group, &a.subscription_id),
                site.kind.as_deref(),
                props,
            ));
        }
    }
    if let Some(tm) = &w.routing().tm {
        let p = network::profile(w, tm, t);
        let props = serde_json::to_value(&p.properties).unwrap_or_default();
        out.push(row(
            (p.id, p.name, &p.resource_type),
            ("global", &tm.resource_group, &tm.subscription_id),
            None,
            props,
        ));
    }
    if let Some(fd) = &w.routing().fd {
        let props = json!({ "provisioningState": "Succeeded", "resourceState": "Active", "frontDoorId": crate::sim::rng::stable_guid(w.seed(), &["frontdoor", &fd.profile]) });
        out.push(row(
            (
                cdn::profile_id(fd),
                fd.profile.clone(),
                "Microsoft.Cdn/profiles",
            ),
            ("global", &fd.resource_group, &fd.subscription_id),
            Some("frontdoor"),
            props,
        ));
    }
    for s in w.storage_accounts() {
        if let Some(acct) = storage::account(w, &s.name, &s.resource_group, false, t) {
            let props = serde_json::to_value(&acct.properties).unwrap_or_default();
            out.push(row(
                (acct.id, acct.name, &acct.resource_type),
                (&s.location, &s.resource_group, &s.subscription_id),
                acct.kind.as_deref(),
                props,
            ));
        }
    }
    for n in w.namespaces() {
        let endpoint = format!("https://{}.servicebus.windows.net:443/", n.name);
        let props = json!({ "provisioningState": "Succeeded", "status": "Active", "serviceBusEndpoint": endpoint });
        let kind = (n.kind == QueueKind::EventHubs).then_some("EventHub");
        out.push(row(
            (
                n.id(),
                n.name.clone(),
                &format!("{}/namespaces", n.provider()),
            ),
            (&n.location, &n.resource_group, &n.subscription_id),
            kind,
            props,
        ));
    }
    out
}
