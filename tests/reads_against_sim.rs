//! warroom's real client against the real simulator: the Microsoft.Web reads (sites, slots,
//! deployment history from ARM and Kudu, app settings, keys, functions, health endpoints) and the
//! routing reads (Traffic Manager, Front Door). Every assertion is on content the scenario
//! implies, not only that a body parsed. Clocks are Manual: virtual time moves only when a test
//! sets it.

#[path = "common/wire.rs"]
mod wire;

use std::collections::BTreeSet;

use warroom::azure::wire::health::AppHealthReport;
use warroom::azure::wire::web::{FunctionEnvelope, Site};
use warroom::config::RegionRole;
use wire::Wire;

const ORDERS: &str = "func-orders-prod-krc";

/// An origin as compared: name, priority, weight, enabled state.
type OriginRow = (String, Option<u32>, Option<u32>, Option<String>);

/// Names as `list_sites` spells them: `app` for production, `app/slot` for a slot.
fn expected_sites(w: &Wire, region: &str, with_slots: bool) -> BTreeSet<String> {
    w.estate
        .apps
        .iter()
        .filter(|a| a.region == region)
        .flat_map(|a| {
            let slots = if with_slots { a.slots.clone() } else { vec![] };
            std::iter::once(a.name.clone())
                .chain(slots.into_iter().map(|s| format!("{}/{s}", a.name)))
        })
        .collect()
}

#[tokio::test]
async fn list_sites_pages_through_both_resource_groups() {
    let w = Wire::start("bad-release").await;
    w.at(5 * 60);
    for region in &w.estate.regions {
        let rg = w.rg(&region.name);
        let before = w.served();
        let sites = w.client.list_sites(&rg, false).await.expect("list sites");
        let requests = w.served() - before;
        let names: Vec<String> = sites.iter().map(|s| s.name.clone()).collect();
        let unique: BTreeSet<String> = names.iter().cloned().collect();
        assert_eq!(
            names.len(),
            unique.len(),
            "every app exactly once: {names:?}"
        );
        assert_eq!(
            unique,
            expected_sites(&w, &region.name, false),
            "{}",
            region.name
        );
        // Six apps per group at five a page: the client followed nextLink.
        assert_eq!(names.len(), 6);
        assert!(requests >= 2, "{requests} requests for two pages");
        for s in &sites {
            assert_eq!(
                s.location.to_ascii_lowercase().replace(' ', ""),
                region.location
            );
            assert!(s.is_function_app(), "{}: kind {:?}", s.name, s.kind);
            assert_eq!(s.slot_name(), "production");
            assert_eq!(
                s.properties.resource_group.as_deref(),
                Some(region.resource_group.as_str())
            );
            assert!(s.id.ends_with(&format!("/providers/Microsoft.Web/sites/{}", s.name)));
        }
    }
    // With slots: the staging slots come too, each once.
    let krc = w
        .client
        .list_sites(&w.rg("krc"), true)
        .await
        .expect("with slots");
    let names: Vec<String> = krc.iter().map(|s| s.name.clone()).collect();
    let unique: BTreeSet<String> = names.iter().cloned().collect();
    assert_eq!(names.len(), unique.len(), "{names:?}");
    assert_eq!(unique, expected_sites(&w, "krc", true));
    assert!(unique.contains("func-orders-prod-krc/staging"));
}

#[tokio::test]
async fn get_site_and_list_slots_follow_the_swap() {
    let w = Wire::start("bad-release").await;
    let rg = w.rg("krc");
    w.at(30);
    let site = w
        .client
        .get_site(&rg, ORDERS, "production")
        .await
        .expect("site");
    assert_eq!(site.name, ORDERS);
    assert_eq!(site.properties.state.as_deref(), Some("Running"));
    assert!(site.properties.slot_swap_status.is_none(), "no swap yet");
    let staging = w
        .client
        .get_site(&rg, ORDERS, "staging")
        .await
        .expect("slot");
    assert_eq!(staging.name, format!("{ORDERS}/staging"));
    assert_eq!(staging.slot_name(), "staging");
    assert!(
        staging
            .id
            .ends_with("/sites/func-orders-prod-krc/slots/staging")
    );

    w.at(5 * 60);
    let site = w
        .client
        .get_site(&rg, ORDERS, "production")
        .await
        .expect("site");
    let swap = site.properties.slot_swap_status.expect("swapped at 1:10");
    assert_eq!(
        (
            swap.source_slot_name.as_str(),
            swap.destination_slot_name.as_str()
        ),
        ("staging", "production")
    );
    assert!(
        swap.timestamp_utc.starts_with("2026-04-04T09:01:10"),
        "{}",
        swap.timestamp_utc
    );

    let slots = w.client.list_slots(&rg, ORDERS).await.expect("slots");
    let names: Vec<&str> = slots.iter().map(Site::slot_name).collect();
    assert_eq!(names, ["staging"]);
    // A Consumption app has no slots.
    let none = w
        .client
        .list_slots(&rg, "func-fulfil-prod-krc")
        .await
        .expect("slots of a consumption app");
    assert!(none.is_empty(), "{none:?}");
    // A missing app is ARM's typed 404.
    let err = w
        .client
        .get_site(&rg, "func-nope", "production")
        .await
        .expect_err("no such app");
    assert!(err.is_not_found(), "{err}");
    assert_eq!(err.code(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn arm_and_kudu_deployments_show_the_release_after_the_deploy() {
    let w = Wire::start("bad-release").await;
    let rg = w.rg("krc");
    let messages = |d: &[warroom::azure::wire::web::ArmDeployment]| -> Vec<String> {
        d.iter()
            .filter_map(|d| d.properties.message.clone())
            .collect()
    };
    w.at(40);
    let staging = w
        .client
        .list_arm_deployments(&rg, ORDERS, "staging")
        .await
        .expect("staging deployments");
    assert!(
        !messages(&staging).contains(&"2026.04.04".to_owned()),
        "{:?}",
        messages(&staging)
    );
    assert_eq!(
        messages(&staging).first().map(String::as_str),
        Some("2026.03.28")
    );

    w.at(60);
    let staging = w
        .client
        .list_arm_deployments(&rg, ORDERS, "staging")
        .await
        .expect("staging deployments");
    let newest = staging.first().expect("a deployment");
    assert_eq!(newest.properties.message.as_deref(), Some("2026.04.04"));
    assert_eq!(
        newest.properties.deployer.as_deref(),
        Some("GitHub Actions")
    );
    assert_eq!(
        newest.properties.author.as_deref(),
        Some("release-pipeline")
    );
    assert_eq!(newest.properties.status, Some(4), "success");
    // Production still runs the last good release until the swap.
    let production = w
        .client
        .list_arm_deployments(&rg, ORDERS, "production")
        .await
        .expect("production deployments");
    assert_eq!(
        messages(&production),
        ["2026.03.28", "2026.03.21"],
        "the scenario's history, newest first"
    );
    let kudu = w
        .client
        .kudu_deployments(&w.kudu(ORDERS))
        .await
        .expect("kudu");
    let active: Vec<&str> = kudu
        .iter()
        .filter(|d| d.active)
        .filter_map(|d| d.message.as_deref())
        .collect();
    assert_eq!(active, ["2026.03.28"]);

    w.at(5 * 60);
    let production = w
        .client
        .list_arm_deployments(&rg, ORDERS, "production")
        .await
        .expect("production deployments");
    assert_eq!(
        messages(&production).first().map(String::as_str),
        Some("2026.04.04")
    );
    let kudu = w
        .client
        .kudu_deployments(&w.kudu(ORDERS))
        .await
        .expect("kudu");
    let first = kudu.first().expect("a deployment");
    assert_eq!(
        (first.message.as_deref(), first.active, first.status),
        (Some("2026.04.04"), true, 4)
    );
    assert_eq!(
        kudu.iter().filter(|d| d.active).count(),
        1,
        "one active deployment"
    );
}

#[tokio::test]
async fn app_settings_are_listed_by_name_and_never_printed() {
    let w = Wire::start("bad-release").await;
    w.at(5 * 60);
    let rg = w.rg("krc");
    for slot in ["production", "staging"] {
        let settings = w
            .client
            .list_app_settings(&rg, ORDERS, slot)
            .await
            .expect("settings");
        for name in [
            "AzureWebJobsStorage",
            "FUNCTIONS_EXTENSION_VERSION",
            "FUNCTIONS_WORKER_RUNTIME",
            "WEBSITE_RUN_FROM_PACKAGE",
        ] {
            assert!(settings.properties.contains_key(name), "{slot}: {name}");
        }
        assert!(
            settings.properties["AzureWebJobsStorage"].contains("AccountKey="),
            "the value really is a secret"
        );
        let debug = format!("{settings:?}");
        for (name, value) in &settings.properties {
            assert!(
                debug.contains(&format!("{name:?}")),
                "names are shown: {debug}"
            );
            assert!(
                !debug.contains(&format!("{value:?}")),
                "the value of {name} leaked into Debug: {debug}"
            );
        }
        assert!(!debug.contains("AccountKey"), "{debug}");
    }
}

#[tokio::test]
async fn host_and_function_keys_are_listed_and_redacted() {
    let w = Wire::start("calm").await;
    let rg = w.rg("krc");
    let host = w
        .client
        .list_host_keys(&rg, ORDERS)
        .await
        .expect("host keys");
    let master = host.master_key.clone().expect("a master key");
    assert!(master.len() >= 20, "a real-looking key");
    assert!(host.function_keys.contains_key("default"));
    let debug = format!("{host:?}");
    assert!(!debug.contains(&master), "{debug}");
    for v in host.function_keys.values().chain(host.system_keys.values()) {
        assert!(!debug.contains(v.as_str()), "{debug}");
    }

    let fk = w
        .client
        .list_function_keys(&rg, ORDERS, "CreateOrder")
        .await
        .expect("function keys");
    let default = fk.properties.get("default").expect("a default key");
    assert_ne!(default, &master);
    assert!(!format!("{fk:?}").contains(default.as_str()));
    // The secondary of a service is kept in sync (same keys); another service has its own.
    let jpe = w
        .client
        .list_host_keys(&w.rg("jpe"), "func-orders-prod-jpe")
        .await
        .expect("jpe host keys");
    assert_eq!(jpe.master_key.as_deref(), Some(master.as_str()));
    let catalog = w
        .client
        .list_host_keys(&rg, "func-catalog-prod-krc")
        .await
        .expect("catalog host keys");
    assert_ne!(catalog.master_key.as_deref(), Some(master.as_str()));
}

#[tokio::test]
async fn timer_functions_are_disabled_in_the_passive_region_only() {
    let w = Wire::start("calm").await;
    for (app, region, disabled) in [
        ("func-reconcile-prod-jpe", "jpe", true),
        ("func-reconcile-prod-krc", "krc", false),
    ] {
        let config = w.estate.app(app).expect("app");
        assert_eq!(
            w.estate.region(region).map(|r| r.role),
            Some(if disabled {
                RegionRole::Secondary
            } else {
                RegionRole::Primary
            })
        );
        let functions = w
            .client
            .list_functions(&w.rg(region), app)
            .await
            .expect("functions");
        let names: BTreeSet<&str> = functions
            .iter()
            .map(FunctionEnvelope::function_name)
            .collect();
        let expected: BTreeSet<&str> = config
            .timer_functions
            .iter()
            .chain(&config.functions)
            .map(String::as_str)
            .collect();
        assert_eq!(names, expected, "{app}");
        for f in &functions {
            let is_timer = config
                .timer_functions
                .iter()
                .any(|t| t == f.function_name());
            assert_eq!(
                f.properties.is_disabled,
                Some(is_timer && disabled),
                "{app}/{}",
                f.function_name()
            );
        }
    }
}

#[tokio::test]
async fn health_probes_show_the_bad_release_in_production_only() {
    let w = Wire::start("bad-release").await;
    let report = |p: &warroom::azure::reads::HealthProbe| -> AppHealthReport {
        p.report.clone().expect("a health report")
    };
    w.at(60);
    let before = w
        .client
        .probe_health(&w.health_url(ORDERS, "production"))
        .await
        .expect("probe");
    assert_eq!(before.http_status, 200);
    let r = report(&before);
    assert_eq!(
        (r.status.as_str(), r.version.as_deref()),
        ("Healthy", Some("2026.03.28"))
    );

    w.at(5 * 60);
    let after = w
        .client
        .probe_health(&w.health_url(ORDERS, "production"))
        .await
        .expect("probe");
    assert_eq!(after.http_status, 503);
    let r = report(&after);
    assert_eq!(
        (r.status.as_str(), r.version.as_deref()),
        ("Unhealthy", Some("2026.04.04"))
    );
    assert_eq!(r.timestamp_utc.as_deref(), Some("2026-04-04T09:05:00Z"));
    let staging = w
        .client
        .probe_health(&w.health_url(ORDERS, "staging"))
        .await
        .expect("probe");
    assert_eq!(staging.http_status, 200);
    let r = report(&staging);
    assert_eq!(
        (r.status.as_str(), r.version.as_deref()),
        ("Healthy", Some("2026.03.28"))
    );
    // The other region never saw the release.
    let jpe = w
        .client
        .probe_health(&w.health_url("func-orders-prod-jpe", "production"))
        .await
        .expect("probe");
    assert_eq!(jpe.http_status, 200);
    // A probe is never retried: one request each.
    let before = w.served();
    w.client
        .probe_health(&w.health_url(ORDERS, "production"))
        .await
        .expect("probe");
    assert_eq!(w.served() - before, 1, "a 503 probe is not retried");
}

#[tokio::test]
async fn traffic_manager_primary_degrades_after_the_bad_release() {
    let w = Wire::start("bad-release").await;
    let tm = w.estate.traffic_manager.clone().expect("a TM profile");
    let rg = w.rg(&tm.region);
    let statuses = |p: &warroom::azure::wire::network::TmProfile| -> Vec<(String, Option<u32>, Option<String>)> {
        p.properties
            .endpoints
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    e.properties.priority,
                    e.properties.endpoint_monitor_status.clone(),
                )
            })
            .collect()
    };
    w.at(60);
    let profile = w
        .client
        .get_tm_profile(&rg, &tm.profile)
        .await
        .expect("profile");
    assert_eq!(profile.name, tm.profile);
    assert_eq!(
        profile.properties.traffic_routing_method.as_deref(),
        Some("Priority")
    );
    assert_eq!(
        statuses(&profile),
        [
            (
                "primary-endpoint".to_owned(),
                Some(1),
                Some("Online".to_owned())
            ),
            (
                "secondary-endpoint".to_owned(),
                Some(2),
                Some("Online".to_owned())
            ),
        ]
    );
    let primary = &profile.properties.endpoints[0];
    assert!(
        primary
            .properties
            .target_resource_id
            .as_deref()
            .is_some_and(|id| id.ends_with("/sites/func-orders-prod-krc")),
        "{primary:?}"
    );
    assert!(
        profile
            .properties
            .monitor_config
            .as_ref()
            .and_then(|m| m.path.as_deref())
            == Some("/api/health")
    );

    w.at(5 * 60);
    let profile = w
        .client
        .get_tm_profile(&rg, &tm.profile)
        .await
        .expect("profile");
    assert_eq!(
        statuses(&profile),
        [
            (
                "primary-endpoint".to_owned(),
                Some(1),
                Some("Degraded".to_owned())
            ),
            (
                "secondary-endpoint".to_owned(),
                Some(2),
                Some("Online".to_owned())
            ),
        ]
    );
}

#[tokio::test]
async fn front_door_origin_group_and_origins() {
    let w = Wire::start("calm").await;
    let fd = w.estate.front_door.clone().expect("a Front Door");
    let rg = w.rg(&fd.region);
    let group = w
        .client
        .get_afd_origin_group(&rg, &fd.profile, &fd.origin_group)
        .await
        .expect("origin group");
    assert_eq!(group.name, fd.origin_group);
    let probe = group
        .properties
        .health_probe_settings
        .expect("probe settings");
    assert_eq!(probe.probe_path.as_deref(), Some("/api/health"));
    assert!(group.properties.load_balancing_settings.is_some());

    let before = w.served();
    let origins = w
        .client
        .list_afd_origins(&rg, &fd.profile, &fd.origin_group)
        .await
        .expect("origins");
    assert_eq!(w.served() - before, 1, "two origins fit one page");
    let got: Vec<OriginRow> = origins
        .iter()
        .map(|o| {
            (
                o.name.clone(),
                o.properties.priority,
                o.properties.weight,
                o.properties.enabled_state.clone(),
            )
        })
        .collect();
    let expected: Vec<OriginRow> = fd
        .origins
        .iter()
        .map(|o| {
            (
                o.name.clone(),
                Some(u32::from(o.priority)),
                Some(u32::from(o.weight)),
                Some("Enabled".to_owned()),
            )
        })
        .collect();
    assert_eq!(got, expected);
    for (origin, config) in origins.iter().zip(&fd.origins) {
        let host = origin.properties.host_name.as_deref().unwrap_or_default();
        assert!(host.starts_with(&config.app), "{host} for {}", config.app);
    }
}
