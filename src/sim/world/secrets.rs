//! Fake app settings, host keys and function keys, generated from the estate and the seed.
//!
//! Values look like the real thing (`DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…`)
//! and are random, but a value that is shared in a real estate is the same here: the two regions
//! of a service share their App Insights key, messaging alias connection, downstream API key, host
//! keys and function keys (seed 004: the secondary is kept in sync), while each region has its
//! own storage connection, content share and `DEPLOYMENT_REGION`, and timer functions are disabled
//! in the secondary (`AzureWebJobs.<name>.Disabled=true`). Owns generation only; values never
//! reach logs: nothing here implements `Debug` on a value.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::config::{App, Estate, QueueKind, RegionRole, TriggerKind};
use crate::sim::rng::{Rng, stable_guid};

/// A base64 key of `n` random bytes that depends only on the seed and the key parts.
pub fn key(seed: u64, parts: &[&str], n: usize) -> String {
    STANDARD.encode(Rng::from_parts(seed, parts).bytes(n))
}

/// A Functions-style key (URL-safe characters, ending in `==`).
fn function_key(seed: u64, parts: &[&str]) -> String {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Rng::from_parts(seed, parts).bytes(40));
    format!("{raw}==")
}

/// A storage connection string for an account.
pub fn storage_connection(seed: u64, account: &str) -> String {
    format!(
        "DefaultEndpointsProtocol=https;AccountName={account};AccountKey={};\
         EndpointSuffix=core.windows.net",
        key(seed, &["account-key", account], 64)
    )
}

/// The storage account an app uses for `AzureWebJobsStorage`: its task hub's account, else the
/// account of a Storage queue it consumes, else the first other account in its region.
pub fn app_storage_account(estate: &Estate, app: &App) -> Option<String> {
    if let Some(a) = &app.task_hub_storage {
        return Some(a.clone());
    }
    if let Some(q) = estate
        .queues
        .iter()
        .find(|q| q.app == app.name && q.kind == QueueKind::Storage)
    {
        return Some(q.account.clone());
    }
    let artifacts = estate.artifact_store.as_ref().map(|a| a.account.as_str());
    let in_region = |s: &&crate::config::StorageAccount| s.region == app.region;
    estate
        .storage_accounts
        .iter()
        .filter(in_region)
        .find(|s| Some(s.name.as_str()) != artifacts && s.task_hub.is_none())
        .or_else(|| estate.storage_accounts.iter().find(in_region))
        .map(|s| s.name.clone())
}

/// The host name a messaging connection of `kind` uses: the geo-DR alias when there is one
/// (it is what apps in both regions connect to), else the app's own namespace.
fn messaging_host(estate: &Estate, app: &App, kind: QueueKind) -> String {
    let own = estate
        .queues
        .iter()
        .find(|q| q.app == app.name && q.kind == kind)
        .map(|q| q.account.clone());
    let alias = estate.geo_dr_aliases.iter().find(|a| {
        a.kind == kind
            && own
                .as_ref()
                .is_none_or(|ns| *ns == a.primary_namespace || *ns == a.secondary_namespace)
    });
    alias
        .map(|a| a.name.clone())
        .or(own)
        .unwrap_or_else(|| format!("{}-ns", app.service))
}

/// The generated app settings of an app slot.
pub fn app_settings(seed: u64, estate: &Estate, app: &App, slot: &str) -> BTreeMap<String, String> {
    let region = estate.region_of(app);
    let primary = estate.primary();
    let mut s = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        s.insert(k.to_owned(), v);
    };
    if let Some(account) = app_storage_account(estate, app) {
        let conn = storage_connection(seed, &account);
        put("AzureWebJobsStorage", conn.clone());
        put("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", conn);
    }
    let share_suffix = &stable_guid(seed, &["content-share", &app.name, slot])[..8];
    let share = if slot == "production" {
        format!("{}-{share_suffix}", app.name)
    } else {
        format!("{}-{slot}-{share_suffix}", app.name)
    };
    put("WEBSITE_CONTENTSHARE", share);
    put("FUNCTIONS_EXTENSION_VERSION", "~4".to_owned());
    put("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated".to_owned());
    put("WEBSITE_RUN_FROM_PACKAGE", "1".to_owned());
    put("DEPLOYMENT_REGION", region.location.clone());
    put(
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        format!(
            "InstrumentationKey={};IngestionEndpoint=https://{loc}-0.in.applicationinsights.azure.com/;\
             LiveEndpoint=https://{loc}.livediagnostics.monitor.azure.com/",
            stable_guid(seed, &["app-insights", &app.service]),
            loc = primary.location
        ),
    );
    put(
        "DOWNSTREAM_API_KEY",
        key(seed, &["downstream-key", &app.service], 32),
    );
    for trigger in &app.triggers {
        match trigger {
            TriggerKind::ServiceBus => {
                let host = messaging_host(estate, app, QueueKind::ServiceBus);
                put(
                    "ServiceBusConnection",
                    format!(
                        "Endpoint=sb://{host}.servicebus.windows.net/;\
                         SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={}",
                        key(seed, &["sas", &host], 32)
                    ),
                );
            }
            TriggerKind::EventHubs => {
                let host = messaging_host(estate, app, QueueKind::EventHubs);
                put(
                    "EventHubConnection",
                    format!(
                        "Endpoint=sb://{host}.servicebus.windows.net/;\
                         SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={}",
                        key(seed, &["sas", &host], 32)
                    ),
                );
                let group = estate
                    .queues
                    .iter()
                    .find_map(|q| {
                        let same_service =
                            estate.app(&q.app).is_some_and(|a| a.service == app.service);
                        (q.kind == QueueKind::EventHubs && same_service)
                            .then(|| q.consumer_group.clone())
                            .flatten()
                    })
                    .unwrap_or_else(|| "$Default".to_owned());
                put("EventHubConsumerGroup", group);
            }
            TriggerKind::StorageQueue => {
                let account = estate
                    .queues
                    .iter()
                    .find(|q| q.app == app.name && q.kind == QueueKind::Storage)
                    .map(|q| q.account.clone())
                    .or_else(|| app_storage_account(estate, app));
                if let Some(a) = account {
                    put("QueueStorageConnection", storage_connection(seed, &a));
                }
            }
            TriggerKind::Durable => {
                let hub = app
                    .task_hub_storage
                    .as_ref()
                    .and_then(|acct| estate.storage_accounts.iter().find(|s| s.name == *acct))
                    .and_then(|s| s.task_hub.clone())
                    .unwrap_or_else(|| format!("{}Hub", app.service.replace('-', "")));
                put("DurableTaskHubName", hub);
            }
            TriggerKind::Http | TriggerKind::Timer => {}
        }
    }
    if region.role == RegionRole::Secondary {
        for timer in &app.timer_functions {
            put(&format!("AzureWebJobs.{timer}.Disabled"), "true".to_owned());
        }
    }
    s
}

/// Host keys of an app slot: the master key, host-level function keys and system keys.
#[derive(Clone, PartialEq, Eq)]
pub struct HostKeySet {
    /// The master key.
    pub master: String,
    /// Host-level function keys.
    pub function: BTreeMap<String, String>,
    /// System keys (extensions).
    pub system: BTreeMap<String, String>,
}

/// The generated host keys of an app slot (shared by the regions of a service).
pub fn host_keys(seed: u64, app: &App, slot: &str) -> HostKeySet {
    let svc = app.service.as_str();
    let mut system = BTreeMap::new();
    if app.triggers.contains(&TriggerKind::Durable) {
        system.insert(
            "durabletask_extension".to_owned(),
            function_key(seed, &["system-key", svc, slot, "durabletask"]),
        );
    }
    if app.triggers.contains(&TriggerKind::EventHubs) {
        system.insert(
            "eventgrid_extension".to_owned(),
            function_key(seed, &["system-key", svc, slot, "eventgrid"]),
        );
    }
    HostKeySet {
        master: function_key(seed, &["master-key", svc, slot]),
        function: BTreeMap::from([(
            "default".to_owned(),
            function_key(seed, &["host-key", svc, slot, "default"]),
        )]),
        system,
    }
}

/// The generated keys of one function (shared by the regions of a service).
pub fn function_keys(seed: u64, app: &App, slot: &str, function: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(
        "default".to_owned(),
        function_key(seed, &["function-key", &app.service, slot, function]),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_app<'a>(estate: &'a Estate, name: &str) -> &'a App {
        estate.app(name).expect("demo app")
    }

    #[test]
    fn storage_connections_look_real_and_depend_on_the_seed() {
        let c = storage_connection(1, "stordersprodkrc");
        assert!(
            c.starts_with("DefaultEndpointsProtocol=https;AccountName=stordersprodkrc;AccountKey=")
        );
        assert!(c.ends_with(";EndpointSuffix=core.windows.net"));
        assert_ne!(c, storage_connection(2, "stordersprodkrc"));
        assert_eq!(c, storage_connection(1, "stordersprodkrc"));
    }

    #[test]
    fn regions_share_service_secrets_but_not_regional_ones() {
        let e = Estate::demo();
        let krc = app_settings(7, &e, demo_app(&e, "func-fulfil-prod-krc"), "production");
        let jpe = app_settings(7, &e, demo_app(&e, "func-fulfil-prod-jpe"), "production");
        for shared in [
            "APPLICATIONINSIGHTS_CONNECTION_STRING",
            "DOWNSTREAM_API_KEY",
            "ServiceBusConnection",
        ] {
            assert_eq!(krc.get(shared), jpe.get(shared), "{shared}");
            assert!(krc.contains_key(shared), "{shared}");
        }
        for regional in [
            "AzureWebJobsStorage",
            "WEBSITE_CONTENTSHARE",
            "DEPLOYMENT_REGION",
        ] {
            assert_ne!(krc.get(regional), jpe.get(regional), "{regional}");
        }
        assert!(krc["ServiceBusConnection"].contains("sb://sb-functions-prod.servicebus"));
    }

    #[test]
    fn timers_are_disabled_in_the_secondary_only() {
        let e = Estate::demo();
        let krc = app_settings(7, &e, demo_app(&e, "func-reconcile-prod-krc"), "production");
        let jpe = app_settings(7, &e, demo_app(&e, "func-reconcile-prod-jpe"), "production");
        assert!(!krc.keys().any(|k| k.ends_with(".Disabled")));
        assert_eq!(
            jpe.get("AzureWebJobs.NightlyReconcile.Disabled")
                .map(String::as_str),
            Some("true")
        );
        assert_eq!(
            jpe.get("AzureWebJobs.PurgeExpiredReservations.Disabled")
                .map(String::as_str),
            Some("true")
        );
    }

    #[test]
    fn durable_apps_name_their_task_hub_and_use_its_account() {
        let e = Estate::demo();
        let app = demo_app(&e, "func-workflow-prod-jpe");
        let s = app_settings(7, &e, app, "production");
        assert_eq!(
            s.get("DurableTaskHubName").map(String::as_str),
            Some("WorkflowHub")
        );
        assert!(s["AzureWebJobsStorage"].contains("AccountName=stworkflowprod;"));
        assert!(
            host_keys(7, app, "production")
                .system
                .contains_key("durabletask_extension")
        );
    }

    #[test]
    fn keys_are_shared_by_regions_and_differ_by_slot() {
        let e = Estate::demo();
        let krc = demo_app(&e, "func-orders-prod-krc");
        let jpe = demo_app(&e, "func-orders-prod-jpe");
        assert!(host_keys(7, krc, "production") == host_keys(7, jpe, "production"));
        assert!(host_keys(7, krc, "production") != host_keys(7, krc, "staging"));
        assert_eq!(
            function_keys(7, krc, "production", "CreateOrder"),
            function_keys(7, jpe, "production", "CreateOrder")
        );
        assert!(host_keys(7, krc, "production").master.ends_with("=="));
    }
}
