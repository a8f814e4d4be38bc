//! The ARM front door: every request that is not Kudu, an app host, the queue data plane or the
//! metrics data plane. It parses the request, applies ARM's conventions (api-version, fault
//! windows, subscription and resource group, management locks, headers), and hands the request
//! to the provider module for its namespace.

use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::conventions::errors::{Fail, arm_error, no_such_path, resource_group_not_found};
use super::conventions::middleware::{
    add_arm_headers, apply_faults, check_api_version, check_scope,
};
use super::conventions::{ArmPath, ArmRequest, paging};
use super::{
    RequestNumber, Shared, alerts, cdn, deployments, graph, health, locks, messaging, monitor,
    network, storage, tags, web,
};
use crate::azure::wire::Page;
use crate::sim::world::World;

/// What a provider handler gets: the request, its parsed path and the virtual time.
pub(crate) struct Ctx<'a> {
    /// The server's base URL (for absolute links).
    pub base_url: &'a str,
    /// The request's virtual time.
    pub t: DateTime<Utc>,
    /// The request.
    pub req: &'a ArmRequest,
    /// Its path.
    pub path: &'a ArmPath,
}

/// A provider's answer: a response, or an ARM error response.
pub(crate) type Reply = Result<Response, Fail>;

impl Ctx<'_> {
    /// A page of `items` for this request at the world's page size.
    pub fn page<T>(&self, w: &World, items: Vec<T>) -> Result<Page<T>, Fail> {
        paging::page(self.base_url, self.req, items, w.page_size())
    }

    /// 200 with a JSON body (headers only for HEAD); a 500 if the body does not serialise.
    pub fn ok<T: Serialize>(&self, body: &T) -> Reply {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            arm_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                format!("The response could not be written: {e}"),
            )
        })?;
        let mut r = if self.req.method == Method::HEAD {
            StatusCode::OK.into_response()
        } else {
            (StatusCode::OK, bytes).into_response()
        };
        r.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json; charset=utf-8"),
        );
        Ok(r)
    }

    /// The resource group in the path (checked to exist before providers run).
    pub fn resource_group(&self) -> &str {
        self.path.resource_group().unwrap_or_default()
    }

    /// The rest of the path after the namespace, as `&str`s.
    pub fn rest(&self) -> Vec<&str> {
        self.path.rest.iter().map(String::as_str).collect()
    }

    /// Whether the method is `m`; otherwise a 405 to return.
    pub fn expect_method(&self, m: &Method) -> Result<(), Fail> {
        if self.req.method == *m || (*m == Method::GET && self.req.method == Method::HEAD) {
            Ok(())
        } else {
            Err(super::conventions::errors::method_not_allowed(
                self.req.method.as_str(),
            ))
        }
    }
}

/// The fallback handler: every ARM request.
pub(crate) async fn handle(
    State(sim): State<Shared>,
    Extension(RequestNumber(n)): Extension<RequestNumber>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if uri.path().starts_with("/_") {
        // A path under one of the non-ARM surfaces that none of their routes matched.
        return (StatusCode::NOT_FOUND, "no such path on this surface").into_response();
    }
    let req = ArmRequest::new(method, uri.path(), uri.query(), headers, body);
    let path = ArmPath::parse(&req.segments);
    let (mut resp, delay, seed, location, t) = {
        let mut w = sim.world();
        let t = w.now();
        let seed = w.seed();
        let location = w.estate().primary().location.clone();
        let mut delay = std::time::Duration::ZERO;
        let result = check_api_version(&req, &path)
            .and_then(|()| apply_faults(&w, t))
            .and_then(|d| {
                delay = d;
                check_scope(&w, &path)
            })
            .and_then(|()| check_locks(&w, &req, &path))
            .and_then(|()| {
                let cx = Ctx {
                    base_url: sim.base_url(),
                    t,
                    req: &req,
                    path: &path,
                };
                dispatch(&mut w, &cx)
            });
        let resp = result.unwrap_or_else(IntoResponse::into_response);
        (resp, delay, seed, location, t)
    };
    add_arm_headers(&mut resp, seed, n, &req, &location, t);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    resp
}

/// ARM's management locks: a write to a resource under a `ReadOnly` lock (any POST, PUT, PATCH
/// or DELETE, POST-based reads included), or a DELETE under any lock, is 409 `ScopeLocked`.
/// The locks API itself is never blocked.
fn check_locks(w: &World, req: &ArmRequest, path: &ArmPath) -> Result<(), Fail> {
    if req.method == Method::GET || req.method == Method::HEAD {
        return Ok(());
    }
    if path
        .namespace
        .as_deref()
        .is_some_and(|ns| ns.eq_ignore_ascii_case("Microsoft.Authorization"))
    {
        return Ok(());
    }
    let target = format!("/{}", req.segments.join("/"));
    let delete = req.method == Method::DELETE;
    match w.blocking_lock(&target, delete) {
        None => Ok(()),
        Some(lock) => Err(arm_error(
            StatusCode::CONFLICT,
            "ScopeLocked",
            format!(
                "The scope '{target}' cannot perform {} operation because following scope(s) are \
                 locked: '{}'. Please remove the lock and try again.",
                if delete { "delete" } else { "write" },
                lock.scope
            ),
        )),
    }
}

fn dispatch(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let Some(ns) = cx.path.namespace.as_deref() else {
        // `/subscriptions/{s}/operationresults/{id}`: where ARM's own operations are polled.
        if let [s, _, o, id] = cx.path.scope.as_slice()
            && s.eq_ignore_ascii_case("subscriptions")
            && o.eq_ignore_ascii_case("operationresults")
        {
            return deployments::operation_result(w, cx, id);
        }
        return resource_group(w, cx);
    };
    match ns.to_ascii_lowercase().as_str() {
        "microsoft.web" => web::handle(w, cx),
        "microsoft.network" => network::handle(w, cx),
        "microsoft.cdn" => cdn::handle(w, cx),
        "microsoft.resourcehealth" => health::handle(w, cx),
        "microsoft.insights" => monitor::handle(w, cx),
        "microsoft.resourcegraph" => graph::handle(w, cx),
        "microsoft.storage" => storage::handle(w, cx),
        "microsoft.servicebus" | "microsoft.eventhub" => messaging::handle(w, cx),
        "microsoft.authorization" => locks::handle(w, cx),
        "microsoft.alertsmanagement" => alerts::handle(w, cx),
        "microsoft.resources" if cx.path.resource_type().as_deref() == Some("tags") => {
            tags::handle(w, cx)
        }
        "microsoft.resources" => deployments::handle(w, cx),
        _ => Err(no_such_path(&cx.req.raw_path)),
    }
}

/// `GET /subscriptions/{sub}/resourceGroups/{rg}`: the resource group itself.
fn resource_group(w: &World, cx: &Ctx<'_>) -> Reply {
    let (Some(sub), Some(rg)) = (cx.path.subscription(), cx.path.resource_group()) else {
        return Err(no_such_path(&cx.req.raw_path));
    };
    if cx.path.scope.len() != 4 {
        return Err(no_such_path(&cx.req.raw_path));
    }
    cx.expect_method(&Method::GET)?;
    let region = w
        .estate()
        .regions
        .iter()
        .find(|r| r.resource_group.eq_ignore_ascii_case(rg))
        .ok_or_else(|| resource_group_not_found(rg))?;
    // No wire type: warroom's client never reads resource groups; this is for other clients
    // (`az group show --query tags` sees the tags the Tags API set).
    let id = format!(
        "/subscriptions/{sub}/resourceGroups/{}",
        region.resource_group
    );
    let body = serde_json::json!({
        "id": id,
        "name": region.resource_group,
        "type": "Microsoft.Resources/resourceGroups",
        "location": region.location,
        "tags": w.tags_at(&id),
        "properties": { "provisioningState": "Succeeded" },
    });
    cx.ok(&body)
}
