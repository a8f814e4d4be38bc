//! The Storage queue data plane under `/_queue/{account}`: queue metadata (`?comp=metadata`, GET
//! and HEAD, with `x-ms-approximate-messages-count`), peek (`messages?peekonly=true`, XML with
//! RFC 1123 times), put message, create queue, and a non-destructive get of messages. Errors are
//! Storage's XML errors with `x-ms-error-code`. Any `Authorization` is accepted.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};

use super::Shared;
use super::conventions::errors::Fail;
use super::conventions::rfc1123;
use crate::azure::wire::api::QUEUE_DATA_PLANE;
use crate::config::QueueKind;
use crate::sim::rng::stable_guid;
use crate::sim::world::{PeekedMessage, World};

type Params = Query<Vec<(String, String)>>;

fn param<'a>(p: &'a [(String, String)], name: &str) -> Option<&'a str> {
    p.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Storage's response headers.
fn headers(w: &World, req: &HeaderMap, t: DateTime<Utc>) -> Vec<(&'static str, String)> {
    let n = t.timestamp_nanos_opt().unwrap_or_default().to_string();
    let version = req
        .get("x-ms-version")
        .and_then(|v| v.to_str().ok())
        .unwrap_or(QUEUE_DATA_PLANE)
        .to_owned();
    vec![
        (
            "x-ms-request-id",
            stable_guid(w.seed(), &["queue-request", &n]),
        ),
        ("x-ms-version", version),
        ("date", rfc1123(t)),
        (
            "server",
            "Windows-Azure-Queue/1.0 Microsoft-HTTPAPI/2.0".to_owned(),
        ),
    ]
}

fn respond(status: StatusCode, hs: Vec<(&'static str, String)>, body: Option<String>) -> Response {
    let mut r = match body {
        Some(b) => (status, b).into_response(),
        None => status.into_response(),
    };
    for (k, v) in hs {
        if let Ok(v) = HeaderValue::from_str(&v) {
            r.headers_mut().insert(HeaderName::from_static(k), v);
        }
    }
    if r.headers().contains_key("x-ms-error-code")
        || status == StatusCode::OK
        || status == StatusCode::CREATED
    {
        r.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/xml"),
        );
    }
    r
}

fn error(
    w: &World,
    req: &HeaderMap,
    t: DateTime<Utc>,
    status: StatusCode,
    code: &'static str,
    message: &str,
) -> Response {
    let mut hs = headers(w, req, t);
    let id = hs[0].1.clone();
    hs.push(("x-ms-error-code", code.to_owned()));
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}\nRequestId:{id}\nTime:{}</Message></Error>",
        t.format("%Y-%m-%dT%H:%M:%S%.6f0Z")
    );
    respond(status, hs, Some(body))
}

/// Checks the account and queue; the error response otherwise.
fn check(w: &World, req: &HeaderMap, account: &str, queue: Option<&str>) -> Result<(), Fail> {
    let t = w.now();
    let Some(acct) = w.storage_account(account) else {
        return Err(Fail::from(error(
            w,
            req,
            t,
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            "The specified resource does not exist.",
        )));
    };
    if w.storage_out(&acct.name, t) {
        return Err(Fail::from(error(
            w,
            req,
            t,
            StatusCode::SERVICE_UNAVAILABLE,
            "ServerBusy",
            "The server is currently unable to receive requests. Please retry your request.",
        )));
    }
    if let Some(q) = queue
        && !w
            .queue(account, q)
            .is_some_and(|q| q.kind == QueueKind::Storage)
    {
        return Err(Fail::from(error(
            w,
            req,
            t,
            StatusCode::NOT_FOUND,
            "QueueNotFound",
            "The specified queue does not exist.",
        )));
    }
    Ok(())
}

/// `GET|HEAD /{queue}?comp=metadata`.
pub(crate) async fn metadata(
    State(sim): State<Shared>,
    Path((account, queue)): Path<(String, String)>,
    Query(p): Params,
    req: HeaderMap,
) -> Response {
    let w = sim.world();
    let t = w.now();
    if !param(&p, "comp").is_some_and(|c| c.eq_ignore_ascii_case("metadata")) {
        return error(
            &w,
            &req,
            t,
            StatusCode::BAD_REQUEST,
            "InvalidQueryParameterValue",
            "Value for one of the query parameters specified in the request URI is invalid.",
        );
    }
    if let Err(e) = check(&w, &req, &account, Some(&queue)) {
        return e.into_response();
    }
    let depth = w
        .queue(&account, &queue)
        .map_or(0, crate::sim::world::QueueState::depth);
    let mut hs = headers(&w, &req, t);
    hs.push(("x-ms-approximate-messages-count", depth.to_string()));
    respond(StatusCode::OK, hs, None)
}

/// `PUT /{queue}`: 201 when created, 204 when it already exists.
pub(crate) async fn create(
    State(sim): State<Shared>,
    Path((account, queue)): Path<(String, String)>,
    req: HeaderMap,
) -> Response {
    let mut w = sim.world();
    let t = w.now();
    if let Err(e) = check(&w, &req, &account, None) {
        return e.into_response();
    }
    match w.create_queue(&account, &queue) {
        Ok(true) => respond(StatusCode::CREATED, headers(&w, &req, t), None),
        Ok(false) => respond(StatusCode::NO_CONTENT, headers(&w, &req, t), None),
        Err(_) => error(
            &w,
            &req,
            t,
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            "The specified resource does not exist.",
        ),
    }
}

fn message_xml(m: &PeekedMessage, dequeue: Option<(&str, DateTime<Utc>)>) -> String {
    let extra = dequeue.map_or_else(String::new, |(receipt, visible)| {
        format!(
            "<PopReceipt>{receipt}</PopReceipt><TimeNextVisible>{}</TimeNextVisible>",
            rfc1123(visible)
        )
    });
    format!(
        "<QueueMessage><MessageId>{}</MessageId><InsertionTime>{}</InsertionTime><ExpirationTime>{}</ExpirationTime>{extra}<DequeueCount>{}</DequeueCount><MessageText>{}</MessageText></QueueMessage>",
        m.id,
        rfc1123(m.inserted),
        rfc1123(m.expires),
        u8::from(dequeue.is_some()),
        escape(&m.text)
    )
}

/// `GET /{queue}/messages`: with `peekonly=true` a peek; otherwise the same messages with pop
/// receipts (the simulator does not hide dequeued messages).
pub(crate) async fn get_messages(
    State(sim): State<Shared>,
    Path((account, queue)): Path<(String, String)>,
    Query(p): Params,
    req: HeaderMap,
) -> Response {
    let w = sim.world();
    let t = w.now();
    if let Err(e) = check(&w, &req, &account, Some(&queue)) {
        return e.into_response();
    }
    let n = match param(&p, "numofmessages").map(str::parse::<usize>) {
        None => 1,
        Some(Ok(n)) if (1..=32).contains(&n) => n,
        Some(_) => {
            return error(
                &w,
                &req,
                t,
                StatusCode::BAD_REQUEST,
                "OutOfRangeQueryParameterValue",
                "One of the query parameters specified in the request URI is outside the permissible range.",
            );
        }
    };
    let peek = param(&p, "peekonly").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let msgs = w
        .queue(&account, &queue)
        .map(|q| q.peek(w.seed(), n))
        .unwrap_or_default();
    let visible = t + TimeDelta::seconds(30);
    let items: String = msgs
        .iter()
        .map(|m| {
            let receipt = stable_guid(w.seed(), &["pop", &m.id]);
            message_xml(m, (!peek).then_some((receipt.as_str(), visible)))
        })
        .collect();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList>{items}</QueueMessagesList>"
    );
    respond(StatusCode::OK, headers(&w, &req, t), Some(body))
}

/// `POST /{queue}/messages`: enqueues `<QueueMessage><MessageText>…</MessageText></QueueMessage>`.
pub(crate) async fn put_message(
    State(sim): State<Shared>,
    Path((account, queue)): Path<(String, String)>,
    req: HeaderMap,
    body: String,
) -> Response {
    let mut w = sim.world();
    let t = w.now();
    if let Err(e) = check(&w, &req, &account, Some(&queue)) {
        return e.into_response();
    }
    let text = body
        .split_once("<MessageText>")
        .and_then(|(_, rest)| rest.split_once("</MessageText>"))
        .map(|(text, _)| unescape(text));
    let Some(text) = text else {
        return error(
            &w,
            &req,
            t,
            StatusCode::BAD_REQUEST,
            "InvalidXmlDocument",
            "XML specified is not syntactically valid.",
        );
    };
    let seed = w.seed();
    let Some(q) = w.queue_mut(&account, &queue) else {
        return error(
            &w,
            &req,
            t,
            StatusCode::NOT_FOUND,
            "QueueNotFound",
            "The specified queue does not exist.",
        );
    };
    let m = q.enqueue(seed, t, text);
    let receipt = stable_guid(seed, &["pop", &m.id]);
    let item = format!(
        "<QueueMessage><MessageId>{}</MessageId><InsertionTime>{}</InsertionTime><ExpirationTime>{}</ExpirationTime><PopReceipt>{receipt}</PopReceipt><TimeNextVisible>{}</TimeNextVisible></QueueMessage>",
        m.id,
        rfc1123(m.inserted),
        rfc1123(m.expires),
        rfc1123(t)
    );
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList>{item}</QueueMessagesList>"
    );
    respond(StatusCode::CREATED, headers(&w, &req, t), Some(body))
}
