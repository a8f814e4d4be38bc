//! warroom's Kudu writes and the artifact store (`azure::writes::kudu`) against the real
//! simulator: zip deploy from a package URI followed until Kudu says Success, a package the store
//! lacks failing, Kudu's own protocol (202, Location, status 1 → 2 → 4, 409, 415 for raw zips),
//! and the store's listing with its paging.

#[path = "common/wire.rs"]
mod wire;
#[path = "common/writes.rs"]
mod writes;

use std::time::Duration;

use serde_json::json;
use url::Url;
use warroom::azure::lro::{LroOptions, LroProgress};
use warroom::azure::writes::kudu::{self, ZipDeployError};
use warroom::azure::{QueueAuth, Redacted};
use wire::{VirtualWait, Wire};
use writes::{ORDERS_JPE, active_version, blob_account, no_progress, running};

#[tokio::test]
async fn zip_deploy_runs_the_package_version_once_kudu_says_success() {
    let w = Wire::start("calm").await;
    assert_eq!(running(&w, ORDERS_JPE, "production").await.0, "2026.03.28");
    let package = Redacted::new(format!(
        "{}/releases/orders-api/2026.03.21.zip",
        blob_account(&w)
    ));
    let mut seen = Vec::new();
    let mut progress = |p: &LroProgress| seen.push(p.status.clone());
    let d = kudu::zip_deploy_with_clock(
        &w.client,
        &w.kudu(ORDERS_JPE),
        &package,
        &LroOptions::default(),
        &mut progress,
        &VirtualWait::new(&w),
    )
    .await
    .expect("deployed");
    assert_eq!(d.status, warroom::azure::wire::kudu::DeployStatus::Success);
    assert_eq!(d.message.as_deref(), Some("2026.03.21"));
    assert!(d.complete && d.active);
    assert!(
        seen.contains(&"building".to_owned()) && seen.contains(&"deploying".to_owned()),
        "{seen:?}"
    );
    assert_eq!(
        running(&w, ORDERS_JPE, "production").await,
        ("2026.03.21".to_owned(), 200)
    );
    assert_eq!(active_version(&w, ORDERS_JPE).await, "2026.03.21");
    let arm = w
        .client
        .list_arm_deployments(&w.rg_of(ORDERS_JPE), ORDERS_JPE, "production")
        .await
        .expect("ARM history");
    assert_eq!(arm[0].properties.message.as_deref(), Some("2026.03.21"));
    assert_eq!(arm[0].properties.active, Some(true));

    // A package the store lacks fails as a download would, and changes nothing.
    let missing = Redacted::new(format!(
        "{}/releases/orders-api/2099.01.01.zip",
        blob_account(&w)
    ));
    let r = kudu::zip_deploy_with_clock(
        &w.client,
        &w.kudu(ORDERS_JPE),
        &missing,
        &LroOptions::default(),
        &mut no_progress(),
        &VirtualWait::new(&w),
    )
    .await;
    let Err(ZipDeployError::Failed(failed)) = r else {
        panic!("expected a failed deployment, got {r:?}");
    };
    assert!(
        failed
            .status_text
            .as_deref()
            .is_some_and(|t| t.contains("not found")),
        "{failed:?}"
    );
    assert_eq!(running(&w, ORDERS_JPE, "production").await.0, "2026.03.21");
}

#[tokio::test]
async fn kudu_speaks_its_own_protocol_while_a_deployment_runs() {
    let w = Wire::start("calm").await;
    let http = reqwest::Client::new();
    let post = format!("{}/api/zipdeploy?isAsync=true", w.kudu(ORDERS_JPE));
    let body =
        json!({"packageUri": format!("{}/releases/orders-api/2026.03.21.zip", blob_account(&w))});
    let zip = http
        .post(&post)
        .header("content-type", "application/zip")
        .body(vec![0x50, 0x4b, 3, 4])
        .send()
        .await
        .expect("answer");
    assert_eq!(zip.status(), 415);
    assert!(zip.text().await.expect("body").contains("package URI"));
    let r = http.post(&post).json(&body).send().await.expect("answer");
    assert_eq!(r.status(), 202);
    let location = r.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(location.ends_with(&format!("/_kudu/{ORDERS_JPE}/api/deployments/latest")));
    let status = |v: serde_json::Value| (v["status"].as_i64(), v["complete"].as_bool());
    let latest = || async {
        http.get(&location)
            .send()
            .await
            .expect("answer")
            .json::<serde_json::Value>()
            .await
            .expect("JSON")
    };
    assert_eq!(status(latest().await), (Some(1), Some(false)));
    assert_eq!(
        http.post(&post)
            .json(&body)
            .send()
            .await
            .expect("answer")
            .status(),
        409
    );
    w.sim.clock().advance(Duration::from_secs(25));
    assert_eq!(status(latest().await), (Some(2), Some(false)));
    w.sim.clock().advance(Duration::from_secs(15));
    let done = latest().await;
    assert_eq!(status(done.clone()), (Some(4), Some(true)));
    assert_eq!(done["message"], "2026.03.21");
    assert_eq!(done["active"], true);
}

#[tokio::test]
async fn the_artifact_store_lists_every_release_zip() {
    let w = Wire::start("bad-release").await;
    let store = w.estate.artifact_store.clone().expect("artifact store");
    let account = Url::parse(&blob_account(&w)).expect("URL");
    let all = kudu::list_artifacts(&w.client, QueueAuth::None, &account, &store.container)
        .await
        .expect("listing");
    let names: Vec<&str> = all.iter().map(|a| a.name.as_str()).collect();
    for expected in [
        "orders-api/2026.03.21.zip",
        "orders-api/2026.03.28.zip",
        "orders-api/2026.04.04.zip",
        "catalog-api/2026.03.30.zip",
        "reconcile/2026.01.09.zip",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let bad = all
        .iter()
        .find(|a| a.name == "orders-api/2026.04.04.zip")
        .expect("release");
    assert_eq!(
        (bad.service.as_deref(), bad.version.as_str()),
        (Some("orders-api"), "2026.04.04")
    );
    assert!(bad.size > 1_000_000 && bad.last_modified < w.now());
    // Paging, as another client would page: two at a time, the same blobs in the same order.
    let http = reqwest::Client::new();
    let mut paged = Vec::new();
    let mut marker = String::new();
    loop {
        let url = format!(
            "{account}/{}?restype=container&comp=list&maxresults=2&marker={marker}",
            store.container
        );
        let text = http
            .get(&url)
            .send()
            .await
            .expect("answer")
            .text()
            .await
            .expect("body");
        let page = warroom::azure::wire::blob::BlobList::parse(&text).expect("a page");
        assert!(page.blobs.len() <= 2);
        paged.extend(page.blobs.into_iter().map(|b| b.name));
        match page.next_marker {
            Some(m) => marker = m,
            None => break,
        }
    }
    assert_eq!(paged, names);
    let none =
        kudu::list_artifacts(&w.client, QueueAuth::None, &account, "no-such-container").await;
    assert_eq!(
        none.map(|_| ()).map_err(|e| e.code().map(str::to_owned)),
        Err(Some("ContainerNotFound".to_owned()))
    );
}
