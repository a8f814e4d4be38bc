//! Helpers shared by the write tests (`writes_*_against_sim`): the demo apps they write to,
//! and the console's own reads of what a write changed. A helper panics only when a read fails;
//! the tests make the assertions.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of these helpers"
)]

use warroom::azure::lro::LroProgress;

use crate::wire::Wire;

/// The orders API in the primary region (Premium, a staging slot).
pub const ORDERS: &str = "func-orders-prod-krc";
/// The orders API in the secondary region.
pub const ORDERS_JPE: &str = "func-orders-prod-jpe";
/// The reconcile timers in the secondary region (disabled there).
pub const RECONCILE_JPE: &str = "func-reconcile-prod-jpe";

/// An app's site id.
pub fn site(w: &Wire, app: &str) -> String {
    w.rg_of(app).site(app, "production")
}

/// A progress callback that ignores progress.
pub fn no_progress() -> impl FnMut(&LroProgress) + Send {
    |_: &LroProgress| {}
}

/// The version a slot's health endpoint reports, and its HTTP status.
pub async fn running(w: &Wire, app: &str, slot: &str) -> (String, u16) {
    let p = w
        .client
        .probe_health(&w.health_url(app, slot))
        .await
        .expect("health answer");
    let report = p.report.expect("a health report");
    (report.version.expect("a version"), p.http_status)
}

/// The message (version) of the active Kudu deployment of a slot.
pub async fn active_version(w: &Wire, app: &str) -> String {
    let records = w
        .client
        .kudu_deployments(&w.kudu(app))
        .await
        .expect("Kudu deployments");
    records
        .iter()
        .find(|d| d.active)
        .and_then(|d| d.message.clone())
        .expect("an active deployment")
}

/// An app's index in the world.
pub fn app_index(w: &Wire, app: &str) -> usize {
    w.sim.with_world(|world| world.app_index(app).expect("app"))
}

/// Whether an operation runs on the app.
pub fn busy(w: &Wire, app: &str) -> bool {
    let i = app_index(w, app);
    w.sim
        .with_world(|world| world.running_operation(i).is_some())
}

/// The artifact store's Blob account URL.
pub fn blob_account(w: &Wire) -> String {
    let store = w.estate.artifact_store.as_ref().expect("artifact store");
    w.estate.endpoints.blob.replace("{account}", &store.account)
}
