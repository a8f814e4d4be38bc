//! ARM's conventions at the wire, warroom's real client against the real simulator's fault
//! windows (the `throttled` scenario: 429 from 0:30 to 1:00 with `Retry-After: 1`, 503 from 2:00
//! to 2:30, 500 from 3:00 to 3:20): a 429 retried after its `Retry-After` and then answered, a
//! 500 surfaced as ARM's typed error after the retries, and a missing or unsupported
//! `api-version` rejected with ARM's codes.
//!
//! The clock is Manual. The throttling test moves it past the window only once the first attempt
//! has been answered (an event the client's transport reports), so no test sleeps.

#[path = "common/wire.rs"]
mod wire;

use std::time::{Duration, Instant};

use url::Url;
use warroom::azure::error::parse_arm_error;
use warroom::azure::wire::api;
use warroom::azure::wire::web::Site;
use warroom::azure::{Error, RawAuth, RawOptions};
use wire::Wire;

const ORDERS: &str = "func-orders-prod-krc";

#[tokio::test]
async fn a_429_is_retried_after_retry_after_and_then_succeeds() {
    let w = Wire::start("throttled").await;
    w.at(35);
    let served = w.served();
    let answered = w.answers();
    let client = w.client.clone();
    let rg = w.rg("krc");
    let started = Instant::now();
    let read = tokio::spawn(async move { client.get_site(&rg, ORDERS, "production").await });
    // The first attempt is answered (429, Retry-After: 1) inside the window …
    w.until_answers(answered + 1).await;
    assert_eq!(w.served() - served, 1, "one attempt so far");
    assert!(!read.is_finished(), "the client is waiting to retry");
    // … then the window passes before the retry.
    w.at(61);
    let site = read
        .await
        .expect("the read task")
        .expect("the retry succeeds");
    assert_eq!(site.name, ORDERS);
    assert_eq!(w.served() - served, 2, "exactly one retry");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "the retry waited for Retry-After (1 s), not the 10 ms backoff: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_500_is_arms_typed_error_after_the_retries() {
    let w = Wire::start("throttled").await;
    let max_retries =
        u64::from(wire::test_config(Url::parse("http://x").expect("url")).max_retries);
    // Virtual time only moves forward (the world ignores a clock set back), so the 503 window
    // comes first.
    for (secs, status, expected_code) in [
        (125, 503, "ServiceUnavailable"),
        (185, 500, "InternalServerError"),
    ] {
        w.at(secs);
        let served = w.served();
        let err = w
            .client
            .get_site(&w.rg("krc"), ORDERS, "production")
            .await
            .expect_err("inside the fault window");
        match &err {
            Error::Arm {
                status: got,
                code,
                message,
                ..
            } => {
                assert_eq!((*got, code.as_str()), (status, expected_code));
                assert!(!message.is_empty());
            }
            other => panic!("not a typed ARM error: {other:?}"),
        }
        assert_eq!(
            w.served() - served,
            1 + max_retries,
            "{status}: the first attempt and every retry"
        );
    }
    // Outside the windows the same read succeeds at once.
    w.at(200);
    let served = w.served();
    w.client
        .get_site(&w.rg("krc"), ORDERS, "production")
        .await
        .expect("after the window");
    assert_eq!(w.served() - served, 1);
}

#[tokio::test]
async fn a_missing_api_version_is_rejected_with_arms_code() {
    let w = Wire::start("calm").await;
    let path = w.rg("krc").site(ORDERS, "production");
    let url = Url::parse(&format!("{}{path}", w.estate.endpoints.arm)).expect("url");
    assert!(url.query().is_none());
    let served = w.served();
    let reply = w
        .client
        .get_raw(
            url,
            RawOptions {
                auth: RawAuth::Arm,
                retry: true,
            },
        )
        .await
        .expect("an answer");
    assert_eq!(reply.status, 400);
    assert_eq!(w.served() - served, 1, "a 400 is not retried");
    let detail = parse_arm_error(&reply.body).expect("ARM's error body");
    assert_eq!(detail.code, "MissingApiVersionParameter");
    assert!(detail.message.contains("api-version"), "{}", detail.message);
    // As a typed error through the same reply.
    let err = reply.error_for_status().expect_err("400");
    assert_eq!(err.code(), Some("MissingApiVersionParameter"));
}

#[tokio::test]
async fn an_unsupported_api_version_is_no_registered_provider() {
    let w = Wire::start("calm").await;
    let path = w.rg("krc").site(ORDERS, "production");
    let served = w.served();
    let err = w
        .client
        .get_json::<Site>(&path, "1999-01-01")
        .await
        .expect_err("1999-01-01 is not a Microsoft.Web version");
    match &err {
        Error::Arm {
            status,
            code,
            message,
            ..
        } => {
            assert_eq!((*status, code.as_str()), (400, "NoRegisteredProviderFound"));
            assert!(message.contains("1999-01-01"), "{message}");
            assert!(
                message.contains(api::WEB),
                "names the supported versions: {message}"
            );
        }
        other => panic!("not a typed ARM error: {other:?}"),
    }
    assert_eq!(w.served() - served, 1);
    // The version the client speaks is accepted.
    let site: Site = w.client.get_json(&path, api::WEB).await.expect("supported");
    assert_eq!(site.name, ORDERS);
}
