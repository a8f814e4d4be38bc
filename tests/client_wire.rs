//! The client at the wire against a small scripted fake (axum on loopback): retries and
//! `Retry-After`, typed errors, `nextLink` paging, timeouts, auth rules, and long-running
//! operations. The simulator-based tests cover the real REST surface; these pin the client's own
//! behaviour where the fake can script exact sequences.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method as HttpMethod, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use url::Url;
use warroom::azure::lro::{self, LroClock, LroOptions};
use warroom::azure::{AzureClient, ClientConfig, Error, Method, RawAuth, RawOptions};

/// One scripted answer.
#[derive(Clone)]
enum Answer {
    Reply {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Never answers (for timeouts).
    Hang,
}

fn reply(status: u16, body: &str) -> Answer {
    Answer::Reply {
        status,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

fn reply_with(status: u16, headers: &[(&'static str, &str)], body: &str) -> Answer {
    Answer::Reply {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (*k, (*v).to_string()))
            .collect(),
        body: body.to_string(),
    }
}

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: String,
    authorization: Option<String>,
    body: Vec<u8>,
}

#[derive(Default)]
struct Script {
    /// Answers per path, consumed in order; the last one repeats.
    answers: HashMap<String, VecDeque<Answer>>,
    seen: Vec<Seen>,
}

#[derive(Clone, Default)]
struct Fake(Arc<Mutex<Script>>);

impl Fake {
    fn on(&self, path: &str, answers: Vec<Answer>) {
        self.0
            .lock()
            .expect("lock")
            .answers
            .insert(path.to_string(), answers.into());
    }
    fn seen(&self) -> Vec<Seen> {
        self.0.lock().expect("lock").seen.clone()
    }
    fn hits(&self, path: &str) -> usize {
        self.seen().iter().filter(|s| s.path == path).count()
    }
}

async fn handle(
    State(fake): State<Fake>,
    method: HttpMethod,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let answer = {
        let mut script = fake.0.lock().expect("lock");
        script.seen.push(Seen {
            method: method.to_string(),
            path: uri.path().to_string(),
            query: uri.query().unwrap_or_default().to_string(),
            authorization: headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            body: body.to_vec(),
        });
        match script.answers.get_mut(uri.path()) {
            Some(queue) if queue.len() > 1 => queue.pop_front(),
            Some(queue) => queue.front().cloned(),
            None => None,
        }
    };
    match answer {
        None => (StatusCode::NOT_FOUND, "unscripted path").into_response(),
        Some(Answer::Hang) => std::future::pending().await,
        Some(Answer::Reply {
            status,
            headers,
            body,
        }) => {
            let mut response = (
                StatusCode::from_u16(status).expect("status"),
                [("content-type", "application/json")],
                body,
            )
                .into_response();
            for (k, v) in headers {
                response
                    .headers_mut()
                    .insert(k, v.parse().expect("header value"));
            }
            response
        }
    }
}

async fn start() -> (Fake, Url) {
    let fake = Fake::default();
    let app = Router::new().fallback(handle).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (fake, Url::parse(&format!("http://{addr}")).expect("url"))
}

/// Fast retries so tests wait only where a `Retry-After` says so.
fn config(base: &Url) -> ClientConfig {
    let mut c = ClientConfig::new(base.clone());
    c.retry_initial_delay = Duration::from_millis(1);
    c.max_retries = 2;
    c.timeout = Duration::from_secs(20);
    c
}

fn client(base: &Url) -> AzureClient {
    AzureClient::new(config(base)).expect("client")
}

const API: &str = "2024-11-01";

#[tokio::test]
async fn throttled_once_then_ok_waits_for_retry_after() {
    let (fake, base) = start().await;
    fake.on(
        "/subscriptions/s/thing",
        vec![
            reply_with(
                429,
                &[("retry-after", "1")],
                r#"{"error":{"code":"TooManyRequests","message":"slow"}}"#,
            ),
            reply(200, r#"{"name":"ok"}"#),
        ],
    );
    let started = Instant::now();
    let v: serde_json::Value = client(&base)
        .get_json("/subscriptions/s/thing", API)
        .await
        .expect("retried to success");
    assert_eq!(v["name"], "ok");
    assert_eq!(fake.hits("/subscriptions/s/thing"), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    let first = &fake.seen()[0];
    assert_eq!(first.query, "api-version=2024-11-01");
    assert_eq!(
        first.authorization, None,
        "no credential, no Authorization header"
    );
}

#[tokio::test]
async fn persistent_500_is_a_typed_arm_error_after_retries() {
    let (fake, base) = start().await;
    let body = r#"{"error":{"code":"InternalServerError","message":"backend exploded","target":"sites/x"}}"#;
    fake.on("/subscriptions/s/broken", vec![reply(500, body)]);
    let err = client(&base)
        .get_json::<serde_json::Value>("/subscriptions/s/broken", API)
        .await
        .expect_err("500");
    assert_eq!(
        err,
        Error::Arm {
            status: 500,
            code: "InternalServerError".into(),
            message: "backend exploded".into(),
            target: Some("sites/x".into()),
        }
    );
    assert_eq!(
        fake.hits("/subscriptions/s/broken"),
        3,
        "first try + 2 retries"
    );
}

#[tokio::test]
async fn writes_do_not_retry_a_500() {
    let (fake, base) = start().await;
    fake.on(
        "/subscriptions/s/act",
        vec![reply(500, r#"{"error":{"code":"Boom","message":"m"}}"#)],
    );
    let err = client(&base)
        .post_json::<_, serde_json::Value>("/subscriptions/s/act", API, &serde_json::json!({"a":1}))
        .await
        .expect_err("500");
    assert_eq!(err.code(), Some("Boom"));
    assert_eq!(fake.hits("/subscriptions/s/act"), 1);
    assert_eq!(fake.seen()[0].body, br#"{"a":1}"#);
    assert_eq!(fake.seen()[0].method, "POST");
}

#[tokio::test]
async fn throttling_that_never_ends_is_throttled() {
    let (fake, base) = start().await;
    fake.on("/t", vec![reply_with(429, &[("retry-after", "0")], "")]);
    let err = client(&base)
        .get_json::<serde_json::Value>("/t", API)
        .await
        .expect_err("429");
    assert_eq!(
        err,
        Error::Throttled {
            retry_after: Some(Duration::ZERO)
        }
    );
    assert_eq!(fake.hits("/t"), 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_fails_at_once() {
    let (fake, base) = start().await;
    fake.on("/t", vec![reply_with(429, &[("retry-after", "3600")], "")]);
    let started = Instant::now();
    let err = client(&base)
        .get_json::<serde_json::Value>("/t", API)
        .await
        .expect_err("429");
    assert_eq!(
        err,
        Error::Throttled {
            retry_after: Some(Duration::from_hours(1))
        }
    );
    assert_eq!(fake.hits("/t"), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn paging_follows_next_link_across_three_pages() {
    let (fake, base) = start().await;
    let page = |items: &str, next: Option<&str>| {
        let next = next.map_or(String::new(), |n| format!(r#","nextLink":"{base}{n}""#));
        reply(200, &format!(r#"{{"value":[{items}]{next}}}"#))
    };
    fake.on(
        "/subscriptions/s/sites",
        vec![page("1,2", Some("p2?api-version=2024-11-01&$skiptoken=a"))],
    );
    fake.on(
        "/p2",
        vec![page("3", Some("p3?api-version=2024-11-01&$skiptoken=b"))],
    );
    fake.on("/p3", vec![page("4,5", None)]);
    let all: Vec<u32> = client(&base)
        .get_all("/subscriptions/s/sites", API)
        .await
        .expect("all");
    assert_eq!(all, [1, 2, 3, 4, 5]);
    let seen = fake.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(
        seen[2].query, "api-version=2024-11-01&$skiptoken=b",
        "nextLink used verbatim"
    );
}

#[tokio::test]
async fn a_missing_page_fails_the_whole_list() {
    let (fake, base) = start().await;
    fake.on(
        "/list",
        vec![reply(
            200,
            &format!(r#"{{"value":[1],"nextLink":"{base}gone?x=1"}}"#),
        )],
    );
    fake.on(
        "/gone",
        vec![reply(
            404,
            r#"{"error":{"code":"NotFound","message":"no page"}}"#,
        )],
    );
    let err = client(&base)
        .get_all::<u32>("/list", API)
        .await
        .expect_err("partial list");
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("NotFound"));
}

#[tokio::test]
async fn next_link_to_another_origin_is_not_followed() {
    let (fake, base) = start().await;
    let (other, other_base) = start().await;
    fake.on(
        "/list",
        vec![reply(
            200,
            &format!(r#"{{"value":[1],"nextLink":"{other_base}steal"}}"#),
        )],
    );
    let err = client(&base)
        .get_all::<u32>("/list", API)
        .await
        .expect_err("foreign link");
    assert!(
        matches!(err, Error::Decode { ref what, .. } if what == "nextLink"),
        "{err:?}"
    );
    assert!(other.seen().is_empty());
}

#[tokio::test]
async fn a_paging_loop_is_detected() {
    let (fake, base) = start().await;
    fake.on(
        "/loop",
        vec![reply(
            200,
            &format!(r#"{{"value":[1],"nextLink":"{base}loop"}}"#),
        )],
    );
    let err = client(&base)
        .get_all::<u32>("/loop", API)
        .await
        .expect_err("loop");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(fake.hits("/loop"), 2);
}

#[tokio::test]
async fn a_hanging_server_times_out() {
    let (fake, base) = start().await;
    fake.on("/slow", vec![Answer::Hang]);
    let mut c = config(&base);
    c.timeout = Duration::from_millis(300);
    let err = AzureClient::new(c)
        .expect("client")
        .get_json::<serde_json::Value>("/slow", API)
        .await;
    assert_eq!(err.expect_err("timeout"), Error::Timeout);
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base =
        Url::parse(&format!("http://{}", listener.local_addr().expect("addr"))).expect("url");
    drop(listener);
    let mut c = config(&base);
    c.max_retries = 0;
    let err = AzureClient::new(c)
        .expect("client")
        .get_json::<serde_json::Value>("/x", API)
        .await;
    let err = err.expect_err("refused");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(
        !err.to_string().contains("api-version"),
        "no URL in the message: {err}"
    );
}

#[tokio::test]
async fn a_token_is_never_sent_over_plain_http() {
    let (fake, base) = start().await;
    fake.on("/x", vec![reply(200, "{}")]);
    let credential = warroom::azure::build_credential(
        warroom::azure::CredentialKind::AzureCli,
        &warroom::azure::CredentialOptions::default(),
    )
    .expect("build")
    .expect("some");
    let c = config(&base).with_credential(Some(credential));
    let err = AzureClient::new(c)
        .expect("client")
        .get_json::<serde_json::Value>("/x", API)
        .await;
    assert!(
        matches!(err, Err(Error::Auth(ref m)) if m.contains("plain http")),
        "{err:?}"
    );
    assert!(fake.seen().is_empty());
}

#[tokio::test]
async fn raw_get_returns_error_statuses_and_probes_do_not_retry() {
    let (fake, base) = start().await;
    fake.on("/api/health", vec![reply(503, r#"{"status":"Unhealthy"}"#)]);
    let url = base.join("/api/health").expect("url");
    let probe = RawOptions {
        auth: RawAuth::None,
        retry: false,
    };
    let r = client(&base)
        .get_raw(url.clone(), probe)
        .await
        .expect("answer");
    assert_eq!(r.status, 503);
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    assert_eq!(r.body, br#"{"status":"Unhealthy"}"#);
    assert_eq!(fake.hits("/api/health"), 1);
    let retrying = RawOptions {
        auth: RawAuth::None,
        retry: true,
    };
    client(&base).get_raw(url, retrying).await.expect("answer");
    assert_eq!(fake.hits("/api/health"), 1 + 3);
}

#[tokio::test]
async fn arm_paths_keep_their_own_query() {
    let (fake, base) = start().await;
    fake.on(
        "/subscriptions/s/providers/Microsoft.Insights/eventtypes/management/values",
        vec![reply(200, r#"{"value":[]}"#)],
    );
    let path = "/subscriptions/s/providers/Microsoft.Insights/eventtypes/management/values?$filter=eventTimestamp%20ge%20%272026-11-21%27";
    let v: Vec<serde_json::Value> = client(&base)
        .get_all(path, "2015-04-01")
        .await
        .expect("list");
    assert!(v.is_empty());
    assert_eq!(
        fake.seen()[0].query,
        "$filter=eventTimestamp%20ge%20%272026-11-21%27&api-version=2015-04-01"
    );
}

/// A clock that records sleeps instead of waiting.
#[derive(Default)]
struct VirtualClock(Mutex<Vec<Duration>>);

#[async_trait::async_trait]
impl LroClock for VirtualClock {
    fn elapsed(&self) -> Duration {
        self.0.lock().expect("lock").iter().sum()
    }
    async fn sleep(&self, d: Duration) {
        self.0.lock().expect("lock").push(d);
    }
}

fn lro_options() -> LroOptions {
    LroOptions {
        poll_floor: Duration::from_secs(1),
        default_interval: Duration::from_secs(5),
        timeout: Duration::from_mins(2),
    }
}

#[tokio::test]
async fn lro_follows_azure_async_operation_until_succeeded() {
    let (fake, base) = start().await;
    let op = format!("{base}ops/1");
    fake.on(
        "/sites/a/slotsswap",
        vec![reply_with(
            202,
            &[("azure-asyncoperation", &op), ("retry-after", "3")],
            "",
        )],
    );
    fake.on(
        "/ops/1",
        vec![
            reply_with(
                200,
                &[("retry-after", "7")],
                r#"{"status":"InProgress","percentComplete":40}"#,
            ),
            reply_with(200, &[("retry-after", "0")], r#"{"status":"InProgress"}"#),
            reply(200, r#"{"status":"Succeeded"}"#),
        ],
    );
    let c = client(&base);
    let first = c
        .begin(
            Method::Post,
            "/sites/a/slotsswap",
            API,
            Some(&serde_json::json!({"targetSlot":"production"})),
        )
        .await
        .expect("accepted");
    let clock = VirtualClock::default();
    let mut reports = Vec::new();
    let outcome = lro::wait_with_clock(
        &c,
        first,
        &lro_options(),
        &mut |p| reports.push(p.clone()),
        &clock,
    )
    .await
    .expect("succeeded");
    assert_eq!(outcome.status, "Succeeded");
    assert_eq!(outcome.polls, 3);
    // 3 s from the first reply, 7 s as asked, then the 1 s floor for "0".
    let slept: Vec<u64> = clock
        .0
        .lock()
        .expect("lock")
        .iter()
        .map(Duration::as_secs)
        .collect();
    assert_eq!(slept, [3, 7, 1]);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].percent_complete, Some(40.0));
    assert_eq!(reports[1].elapsed, Duration::from_secs(10));
}

#[tokio::test]
async fn lro_failure_carries_the_service_error() {
    let (fake, base) = start().await;
    let op = format!("{base}ops/2");
    fake.on(
        "/act",
        vec![reply_with(202, &[("azure-asyncoperation", &op)], "")],
    );
    fake.on(
        "/ops/2",
        vec![reply(200, r#"{"status":"Failed","error":{"code":"SwapConflict","message":"another swap is running"}}"#)],
    );
    let c = client(&base);
    let first = c
        .begin(Method::Post, "/act", API, None)
        .await
        .expect("accepted");
    let clock = VirtualClock::default();
    let err = lro::wait_with_clock(&c, first, &lro_options(), &mut |_| {}, &clock)
        .await
        .expect_err("failed");
    assert!(
        matches!(err, Error::LroFailed { ref status, .. } if status == "Failed"),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("SwapConflict"));
    assert_eq!(
        clock.0.lock().expect("lock").as_slice(),
        [Duration::from_secs(5)],
        "default interval"
    );
}

#[tokio::test]
async fn lro_follows_location_until_it_stops_answering_202() {
    let (fake, base) = start().await;
    let loc = format!("{base}results/3");
    fake.on(
        "/act",
        vec![reply_with(
            202,
            &[("location", &loc), ("retry-after", "2")],
            "",
        )],
    );
    fake.on(
        "/results/3",
        vec![reply(202, ""), reply(200, r#"{"done":true}"#)],
    );
    let c = client(&base);
    let first = c
        .begin(Method::Post, "/act", API, None)
        .await
        .expect("accepted");
    let clock = VirtualClock::default();
    let outcome = lro::wait_with_clock(&c, first, &lro_options(), &mut |_| {}, &clock)
        .await
        .expect("done");
    assert_eq!(outcome.reply.status, 200);
    assert_eq!(
        outcome
            .reply
            .json::<serde_json::Value>("result")
            .expect("json")["done"],
        true
    );
    assert_eq!(outcome.polls, 2);
}

#[tokio::test]
async fn lro_gives_up_at_its_deadline() {
    let (fake, base) = start().await;
    let op = format!("{base}ops/4");
    fake.on(
        "/act",
        vec![reply_with(
            202,
            &[("azure-asyncoperation", &op), ("retry-after", "10")],
            "",
        )],
    );
    fake.on(
        "/ops/4",
        vec![reply_with(
            200,
            &[("retry-after", "10")],
            r#"{"status":"Running"}"#,
        )],
    );
    let c = client(&base);
    let first = c
        .begin(Method::Post, "/act", API, None)
        .await
        .expect("accepted");
    let clock = VirtualClock::default();
    let mut options = lro_options();
    options.timeout = Duration::from_secs(25);
    let err = lro::wait_with_clock(&c, first, &options, &mut |_| {}, &clock).await;
    assert_eq!(err.expect_err("deadline"), Error::Timeout);
    assert_eq!(
        fake.hits("/ops/4"),
        2,
        "polled at 10 s and 20 s, not at 30 s"
    );
}

#[tokio::test]
async fn lro_without_operation_headers_is_already_done() {
    let (fake, base) = start().await;
    fake.on("/restart", vec![reply(200, "")]);
    let c = client(&base);
    let first = c
        .begin(Method::Post, "/restart", API, None)
        .await
        .expect("ok");
    let outcome = lro::wait(&c, first, &lro_options(), &mut |_| {})
        .await
        .expect("done");
    assert_eq!(outcome.polls, 0);
}

/// A tracing writer into a shared buffer.
#[derive(Clone, Default)]
struct LogBuf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn each_attempt_is_logged_without_query_headers_or_bodies() {
    let logs = LogBuf::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (fake, base) = start().await;
    fake.on(
        "/subscriptions/s/config/appsettings/list",
        vec![
            reply_with(429, &[("retry-after", "0")], ""),
            reply(200, r#"{"properties":{"DB_PASSWORD":"hunter2"}}"#),
        ],
    );
    let _: serde_json::Value = client(&base)
        .post_json(
            "/subscriptions/s/config/appsettings/list?sig=topsecret",
            API,
            &serde_json::json!({"body":"request-body-value"}),
        )
        .await
        .expect("ok after a retry");
    let text = String::from_utf8(logs.0.lock().expect("lock").clone()).expect("utf8");
    let ours: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("azure request"))
        .collect();
    assert_eq!(ours.len(), 2, "{text}");
    assert!(
        ours[0].contains("status=429") && ours[0].contains("attempt=1"),
        "{}",
        ours[0]
    );
    assert!(
        ours[1].contains("status=200") && ours[1].contains("attempt=2"),
        "{}",
        ours[1]
    );
    assert!(
        ours[1].contains("path=/subscriptions/s/config/appsettings/list"),
        "{}",
        ours[1]
    );
    assert!(
        ours[1].contains("method=POST") && ours[1].contains("duration_ms="),
        "{}",
        ours[1]
    );
    for secret in ["topsecret", "hunter2", "request-body-value"] {
        assert!(!text.contains(secret), "{secret} leaked into logs:\n{text}");
    }
}
