//! warroom's Microsoft.Web write calls (`azure::writes::web`) against the real simulator: slot
//! swap as a long-running operation followed to the end in virtual time and seen by the console's
//! reads, 409 while the app is busy, 400 naming a bad field, restart. Clocks are Manual; the
//! client's waits move virtual time (`VirtualWait`), nothing sleeps.

#[path = "common/wire.rs"]
mod wire;
#[path = "common/writes.rs"]
mod writes;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;
use warroom::azure::lro::{self, LroOptions, LroProgress};
use warroom::azure::wire::api;
use warroom::azure::writes::kudu::{self, ZipDeployError};
use warroom::azure::writes::web;
use warroom::azure::{Error, Method, Redacted};
use wire::{VirtualWait, Wire};
use writes::{
    ORDERS, ORDERS_JPE, active_version, app_index, blob_account, busy, no_progress, running, site,
};

/// The activity log's events of `operation` made through the API on an app's resource group:
/// (status, timestamp), oldest first.
async fn operator_events(w: &Wire, app: &str, operation: &str) -> Vec<(String, String)> {
    let rg = w.rg_of(app);
    let log = w
        .client
        .activity_log(&rg.subscription, &rg.resource_group, w.t(-3600), w.now())
        .await
        .expect("activity log");
    let mut ours: Vec<(String, String)> = log
        .iter()
        .filter(|e| e.operation_name.value == operation)
        .filter(|e| e.caller.as_deref() == Some("operator@contoso.example"))
        .map(|e| {
            let status = e.status.as_ref().map(|s| s.value.clone());
            (status.unwrap_or_default(), e.event_timestamp.clone())
        })
        .collect();
    ours.sort_by(|a, b| a.1.cmp(&b.1));
    ours
}

#[tokio::test]
async fn a_swap_is_accepted_polled_and_seen_by_the_console_then_swapped_back() {
    let w = Wire::start("bad-release").await;
    w.at(5 * 60);
    assert_eq!(running(&w, ORDERS, "production").await.0, "2026.04.04");
    let body = json!({"targetSlot": "production", "preserveVnet": true});
    let path = format!("{}/slots/staging/slotsswap", site(&w, ORDERS));
    let first = w
        .client
        .begin(Method::Post, &path, api::WEB, Some(&body))
        .await
        .expect("accepted");
    assert_eq!(first.status, 202);
    let location = first.header("location").expect("Location").to_owned();
    assert!(
        location.starts_with(w.sim.base_url()) && location.contains("/operationresults/"),
        "{location}"
    );
    assert!(location.contains("api-version=2024-11-01"), "{location}");
    assert_eq!(first.retry_after(), Some(Duration::from_secs(10)));
    // Accepted is not done: the console still sees the bad release in production.
    let poll = w
        .client
        .get_arm_link(&location, "Location")
        .await
        .expect("poll");
    assert_eq!(poll.status, 202);
    assert_eq!(active_version(&w, ORDERS).await, "2026.04.04");
    assert!(busy(&w, ORDERS));

    let clock = VirtualWait::new(&w);
    let mut seen = Vec::new();
    let mut progress = |p: &LroProgress| seen.push(p.status.clone());
    let outcome = lro::wait_with_clock(
        &w.client,
        first,
        &LroOptions::default(),
        &mut progress,
        &clock,
    )
    .await
    .expect("the swap completes");
    assert_eq!(outcome.status, "Succeeded");
    assert_eq!(outcome.reply.status, 200);
    assert_eq!(
        clock.waited(),
        Duration::from_secs(20),
        "the swap's virtual duration"
    );
    assert_eq!(seen.len() as u32, outcome.polls - 1, "{seen:?}");

    // The console's reads: health, Kudu, the site's swap status, the activity log.
    assert_eq!(
        running(&w, ORDERS, "production").await,
        ("2026.03.28".to_owned(), 200)
    );
    assert_eq!(running(&w, ORDERS, "staging").await.0, "2026.04.04");
    assert_eq!(active_version(&w, ORDERS).await, "2026.03.28");
    let rg = w.rg_of(ORDERS);
    let prod = w
        .client
        .get_site(&rg, ORDERS, "production")
        .await
        .expect("site");
    let swap = prod.properties.slot_swap_status.expect("swap status");
    assert_eq!(
        (
            swap.source_slot_name.as_str(),
            swap.destination_slot_name.as_str()
        ),
        ("staging", "production")
    );
    assert_eq!(swap.timestamp_utc, "2026-04-04T09:05:20Z");
    w.sim.clock().advance(Duration::from_secs(31));
    assert_eq!(
        operator_events(&w, ORDERS, "Microsoft.Web/sites/slots/slotsswap/action").await,
        [
            ("Started".to_owned(), "2026-04-04T09:05:00Z".to_owned()),
            ("Succeeded".to_owned(), "2026-04-04T09:05:20Z".to_owned())
        ]
    );

    // And back, asked from production this time.
    let outcome = web::swap_slot_with_clock(
        &w.client,
        &site(&w, ORDERS),
        "production",
        "staging",
        &LroOptions::default(),
        &mut no_progress(),
        &VirtualWait::new(&w),
    )
    .await
    .expect("the swap back completes");
    assert!(outcome.polls >= 1);
    assert_eq!(running(&w, ORDERS, "production").await.0, "2026.04.04");
    assert!(!busy(&w, ORDERS));
}

#[tokio::test]
async fn a_busy_app_answers_409_to_every_write_until_the_swap_ends() {
    let w = Wire::start("calm").await;
    let site_id = site(&w, ORDERS);
    let body = json!({"targetSlot": "staging", "preserveVnet": false});
    let path = format!("{site_id}/slotsswap");
    let first = w
        .client
        .begin(Method::Post, &path, api::WEB, Some(&body))
        .await
        .expect("accepted");
    assert_eq!(first.status, 202);
    let again = w
        .client
        .begin(Method::Post, &path, api::WEB, Some(&body))
        .await;
    let Err(Error::Arm {
        status,
        code,
        message,
        ..
    }) = again
    else {
        panic!("expected a 409, got {again:?}");
    };
    assert_eq!((status, code.as_str()), (409, "Conflict"));
    assert!(message.contains("SwapSiteSlots"), "{message}");
    let restart = web::restart(&w.client, &site_id, "production", false).await;
    assert_eq!(restart.map_err(|e| e.status()), Err(Some(409)));
    let set = BTreeMap::from([("X".to_owned(), Redacted::new("1".to_owned()))]);
    let merge = web::merge_app_settings(&w.client, &site_id, "staging", &set).await;
    assert_eq!(merge.map_err(|e| e.status()), Err(Some(409)));
    let package = Redacted::new(format!(
        "{}/releases/orders-api/2026.03.28.zip",
        blob_account(&w)
    ));
    let deploy = kudu::zip_deploy_with_clock(
        &w.client,
        &w.kudu(ORDERS),
        &package,
        &LroOptions::default(),
        &mut no_progress(),
        &VirtualWait::new(&w),
    )
    .await;
    assert_eq!(deploy, Err(ZipDeployError::InProgress));
    // Another app is not busy.
    web::restart(&w.client, &site(&w, ORDERS_JPE), "production", true)
        .await
        .expect("another app restarts");
    lro::wait_with_clock(
        &w.client,
        first,
        &LroOptions::default(),
        &mut no_progress(),
        &VirtualWait::new(&w),
    )
    .await
    .expect("the swap completes");
    web::restart(&w.client, &site_id, "production", false)
        .await
        .expect("free again");
}

#[tokio::test]
async fn bad_bodies_answer_400_naming_the_field_and_change_nothing() {
    let w = Wire::start("calm").await;
    let site_id = site(&w, ORDERS);
    let path = format!("{site_id}/slotsswap");
    for (body, field) in [
        (json!({"preserveVnet": true}), "targetSlot"),
        (json!({"targetSlot": "staging"}), "preserveVnet"),
        (json!({"targetSlot": 7, "preserveVnet": true}), "targetSlot"),
        (
            json!({"targetSlot": "production", "preserveVnet": true}),
            "targetSlot",
        ),
    ] {
        let r = w
            .client
            .begin(Method::Post, &path, api::WEB, Some(&body))
            .await;
        let Err(Error::Arm { status, target, .. }) = &r else {
            panic!("{body}: expected a 400, got {r:?}");
        };
        assert_eq!((*status, target.as_deref()), (400, Some(field)), "{body}");
    }
    let unknown = json!({"targetSlot": "blue", "preserveVnet": true});
    let r = w
        .client
        .begin(Method::Post, &path, api::WEB, Some(&unknown))
        .await;
    assert_eq!(r.map(|_| ()).map_err(|e| e.status()), Err(Some(404)));
    let settings = format!("{site_id}/config/appsettings");
    let r = w
        .client
        .begin(
            Method::Put,
            &settings,
            api::WEB,
            Some(&json!({"properties": {"A": 1}})),
        )
        .await;
    assert!(
        matches!(&r, Err(Error::Arm { status: 400, target: Some(t), .. }) if t == "properties.A"),
        "{r:?}"
    );
    // Raw requests a typed client cannot make: broken JSON, no api-version.
    let http = reqwest::Client::new();
    let url = format!("{}{path}?api-version=2024-11-01", w.sim.base_url());
    let broken = http
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"targetSlot\": ")
        .send()
        .await
        .expect("answer");
    assert_eq!(broken.status(), 400);
    let text = broken.text().await.expect("body");
    assert!(text.contains("InvalidRequestContent"), "{text}");
    let bare = http
        .post(format!("{}{path}", w.sim.base_url()))
        .json(&json!({"targetSlot": "staging", "preserveVnet": true}))
        .send()
        .await
        .expect("answer");
    assert_eq!(bare.status(), 400);
    assert!(
        bare.text()
            .await
            .expect("body")
            .contains("MissingApiVersionParameter")
    );
    assert!(!busy(&w, ORDERS), "no bad request began an operation");
    let names = w
        .client
        .list_app_settings(&w.rg_of(ORDERS), ORDERS, "production")
        .await
        .expect("settings");
    assert!(!names.properties.contains_key("A"));
}

#[tokio::test]
async fn restart_answers_200_and_is_logged() {
    let w = Wire::start("calm").await;
    let site_id = site(&w, ORDERS);
    web::restart(&w.client, &site_id, "staging", true)
        .await
        .expect("restart");
    let i = app_index(&w, ORDERS);
    let restarts = w
        .sim
        .with_world(|world| world.apps()[i].slot("staging").map(|s| s.restarts.len()));
    assert_eq!(restarts, Some(1));
    let bad = w
        .client
        .begin(
            Method::Post,
            &format!("{site_id}/restart?softRestart=maybe"),
            api::WEB,
            None,
        )
        .await;
    assert!(
        matches!(&bad, Err(Error::Arm { status: 400, target: Some(t), .. }) if t == "softRestart"),
        "{bad:?}"
    );
    w.sim.clock().advance(Duration::from_secs(31));
    let rg = w.rg_of(ORDERS);
    let log = w
        .client
        .activity_log(&rg.subscription, &rg.resource_group, w.t(-60), w.now())
        .await
        .expect("log");
    assert!(
        log.iter()
            .any(|e| e.operation_name.value == "Microsoft.Web/sites/slots/restart/action"),
        "{log:?}"
    );
}
