//! warroom's settings and key writes (`azure::writes::web`) against the real simulator: the
//! settings merge that never deletes and flips a timer's disabled state, host and function keys
//! written then listed, and the simulator's write log holding exactly the writes made.

#[path = "common/wire.rs"]
mod wire;
#[path = "common/writes.rs"]
mod writes;

use std::collections::BTreeMap;

use url::Url;
use warroom::azure::lro::LroOptions;
use warroom::azure::writes::kudu;
use warroom::azure::writes::web::{self, HostKeyType};
use warroom::azure::{QueueAuth, Redacted};
use wire::{VirtualWait, Wire};
use writes::{ORDERS, ORDERS_JPE, RECONCILE_JPE, blob_account, no_progress, site};

#[tokio::test]
async fn a_settings_merge_never_deletes_and_flips_a_timers_disabled_state() {
    let w = Wire::start("calm").await;
    let rg = w.rg_of(RECONCILE_JPE);
    let site_id = site(&w, RECONCILE_JPE);
    let disabled = |fs: &[warroom::azure::wire::web::FunctionEnvelope], name: &str| {
        fs.iter()
            .find(|f| f.function_name() == name)
            .and_then(|f| f.properties.is_disabled)
    };
    let before = w
        .client
        .list_functions(&rg, RECONCILE_JPE)
        .await
        .expect("functions");
    assert_eq!(disabled(&before, "NightlyReconcile"), Some(true));
    let old = web::read_app_settings_values(&w.client, &site_id, "production")
        .await
        .expect("values");
    let flag = "AzureWebJobs.NightlyReconcile.Disabled".to_owned();
    let set = BTreeMap::from([
        (flag.clone(), Redacted::new("false".to_owned())),
        (
            "RECOVERY_NOTE".to_owned(),
            Redacted::new("drill".to_owned()),
        ),
    ]);
    let change = web::merge_app_settings(&w.client, &site_id, "production", &set)
        .await
        .expect("merge");
    assert_eq!(change.added, ["RECOVERY_NOTE"]);
    assert_eq!(change.modified, std::slice::from_ref(&flag));
    assert!(change.unchanged.is_empty() && change.written);
    assert_eq!(change.kept, old.len() - 1);
    let now = web::read_app_settings_values(&w.client, &site_id, "production")
        .await
        .expect("values");
    for (name, value) in &old {
        if *name != flag {
            assert_eq!(now.get(name), Some(value), "{name} kept as it was");
        }
    }
    assert_eq!(now.len(), old.len() + 1);
    let after = w
        .client
        .list_functions(&rg, RECONCILE_JPE)
        .await
        .expect("functions");
    assert_eq!(disabled(&after, "NightlyReconcile"), Some(false));
    assert_eq!(disabled(&after, "PurgeExpiredReservations"), Some(true));
    // The same merge again changes nothing and writes nothing.
    let writes = w.sim.counts().writes;
    let again = web::merge_app_settings(&w.client, &site_id, "production", &set)
        .await
        .expect("merge");
    assert_eq!((again.unchanged.len(), again.written), (2, false));
    assert_eq!(w.sim.counts().writes, writes);
}

#[tokio::test]
async fn keys_written_are_listed() {
    let w = Wire::start("calm").await;
    let rg = w.rg_of(ORDERS);
    let site_id = site(&w, ORDERS);
    let value = Redacted::new("ci-key-0123456789abcdefghijklmnopqrstuv".to_owned());
    let k = web::put_host_key(
        &w.client,
        &site_id,
        "production",
        HostKeyType::FunctionKeys,
        "ci",
        Some(&value),
    )
    .await
    .expect("host key");
    assert!(k.created && k.value == value && k.name == "ci");
    let listed = w.client.list_host_keys(&rg, ORDERS).await.expect("keys");
    assert_eq!(listed.function_keys.get("ci"), Some(value.expose()));
    let replaced = web::put_host_key(
        &w.client,
        &site_id,
        "production",
        HostKeyType::FunctionKeys,
        "ci",
        None,
    )
    .await
    .expect("generated");
    assert!(!replaced.created && replaced.value != value);
    let master = web::put_host_key(
        &w.client,
        &site_id,
        "production",
        HostKeyType::MasterKey,
        "_master",
        None,
    )
    .await
    .expect("master");
    let values = web::host_key_values(&w.client, &site_id, "production")
        .await
        .expect("values");
    assert_eq!(values.master.as_ref(), Some(&master.value));
    assert_eq!(values.function_keys.get("ci"), Some(&replaced.value));
    let f = web::put_function_key(
        &w.client,
        &site_id,
        "production",
        "CreateOrder",
        "partner",
        None,
    )
    .await
    .expect("function key");
    assert!(f.created && f.value.expose().ends_with("=="));
    let keys = w
        .client
        .list_function_keys(&rg, ORDERS, "CreateOrder")
        .await
        .expect("keys");
    assert_eq!(keys.properties.get("partner"), Some(f.value.expose()));
    assert!(
        keys.properties.contains_key("default"),
        "the generated key stays"
    );
    let missing = web::put_function_key(
        &w.client,
        &site_id,
        "production",
        "NoSuchFunction",
        "k",
        None,
    )
    .await;
    assert_eq!(missing.map(|_| ()).map_err(|e| e.status()), Err(Some(404)));
    assert!(!format!("{k:?}{f:?}{values:?}").contains(value.expose()));
}

#[tokio::test]
async fn the_write_log_holds_every_write_and_nothing_else() {
    let w = Wire::start("calm").await;
    let rg = w.rg_of(ORDERS);
    let site_id = site(&w, ORDERS);
    w.client.list_sites(&rg, true).await.expect("sites");
    w.client
        .list_app_settings(&rg, ORDERS, "production")
        .await
        .expect("settings");
    w.client.list_host_keys(&rg, ORDERS).await.expect("keys");
    w.client
        .kudu_deployments(&w.kudu(ORDERS))
        .await
        .expect("kudu");
    let account = Url::parse(&blob_account(&w)).expect("URL");
    kudu::list_artifacts(&w.client, QueueAuth::None, &account, "releases")
        .await
        .expect("listing");
    assert!(w.sim.write_log().is_empty(), "{:?}", w.sim.write_log());
    assert_eq!(w.sim.counts().writes, 0);

    web::restart(&w.client, &site_id, "production", false)
        .await
        .expect("restart");
    let set = BTreeMap::from([("A".to_owned(), Redacted::new("1".to_owned()))]);
    web::merge_app_settings(&w.client, &site_id, "staging", &set)
        .await
        .expect("merge");
    web::put_host_key(
        &w.client,
        &site_id,
        "production",
        HostKeyType::SystemKeys,
        "ext",
        None,
    )
    .await
    .expect("key");
    web::swap_slot_with_clock(
        &w.client,
        &site_id,
        "staging",
        "production",
        &LroOptions::default(),
        &mut no_progress(),
        &VirtualWait::new(&w),
    )
    .await
    .expect("swap");
    let package = Redacted::new(format!(
        "{account}/releases/orders-api/2026.03.28.zip?sv=2025&sig=s3cret"
    ));
    kudu::zip_deploy_with_clock(
        &w.client,
        &w.kudu(ORDERS_JPE),
        &package,
        &LroOptions::default(),
        &mut no_progress(),
        &VirtualWait::new(&w),
    )
    .await
    .expect("deploy");
    let log: Vec<(String, String)> = w
        .sim
        .write_log()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    let expected = [
        ("POST", format!("{site_id}/restart")),
        ("PUT", format!("{site_id}/slots/staging/config/appsettings")),
        ("PUT", format!("{site_id}/host/default/systemKeys/ext")),
        ("POST", format!("{site_id}/slots/staging/slotsswap")),
        ("POST", format!("/_kudu/{ORDERS_JPE}/api/zipdeploy")),
    ];
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(m, p)| (m.to_owned(), p))
        .collect();
    assert_eq!(log, expected);
    assert_eq!(w.sim.counts().writes, 5);
    assert!(!format!("{:?}", w.sim.write_log()).contains("s3cret"));
}
