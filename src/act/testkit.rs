//! Test snapshots of the demo estate for the action tests (act may not use the console's
//! fixtures): everything healthy at 03:04:30 with one story on top, a bad release of
//! `func-orders-prod-krc` (2026.04.02 deployed to staging at 02:40 and swapped into production at
//! 02:58; 2026.03.28 the last good one), plus small mutators.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::config::{Estate, RegionRole};
use crate::decide::{GateCheck, GateId, GateResult, GateStatus, SafetyCheck, SafetyRule};
use crate::model::{
    AliasFacts, AliasState, AppState, ArtifactRecord, DeploymentRecord, FunctionState, Health,
    HealthReport, Observed, QueueState, RegionInfo, RouteState, Routes, Routing, SiteInfo,
    SlotState, Snapshot, StorageFacts, StorageState, digest_map,
};

pub const ORDERS_KRC: &str = "func-orders-prod-krc";
pub const ORDERS_JPE: &str = "func-orders-prod-jpe";
pub const GOOD: &str = "2026.03.28";
pub const BAD: &str = "2026.04.02";
/// A secret value planted in the orders apps' settings; it must never appear in output.
pub const PLANTED: &str = "AccountKey=planted-secret-value-7f3a";

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 3, 4, 30)
        .single()
        .expect("a valid time")
}

fn obs<T>(v: T, source: &str) -> Observed<T> {
    Observed::ok(
        v,
        now() - Duration::seconds(20),
        source,
        Duration::minutes(5),
    )
}

fn report(status: Health, version: &str) -> HealthReport {
    HealthReport {
        status,
        http_status: Some(if status == Health::Healthy { 200 } else { 503 }),
        checks: BTreeMap::from([("application".to_owned(), status)]),
        version: Some(version.to_owned()),
        duration_ms: Some(30),
    }
}

fn deployment(id: &str, slot: &str, version: &str, ago_min: i64, active: bool) -> DeploymentRecord {
    let ended = now() - Duration::minutes(ago_min);
    DeploymentRecord {
        id: id.to_owned(),
        slot: slot.to_owned(),
        version: Some(version.to_owned()),
        deployer: Some("GitHub Actions".to_owned()),
        author: None,
        status: "success".to_owned(),
        in_progress: false,
        started: Some(ended - Duration::seconds(90)),
        ended: Some(ended),
        active,
    }
}

fn settings(app: &str, service: &str, region: &str) -> BTreeMap<String, String> {
    let mut s = BTreeMap::from([
        ("FUNCTIONS_EXTENSION_VERSION".to_owned(), "~4".to_owned()),
        (
            "AzureWebJobsStorage".to_owned(),
            format!("storage-of-{app}"),
        ),
        ("DEPLOYMENT_REGION".to_owned(), region.to_owned()),
    ]);
    if service == "orders-api" {
        s.insert("QUEUE_CONN".to_owned(), PLANTED.to_owned());
        s.insert("Orders__TimeoutSeconds".to_owned(), "30".to_owned());
        if region == "krc" {
            s.insert("FEATURE_X".to_owned(), "on".to_owned());
            s.insert("QUEUE_CONN".to_owned(), format!("{PLANTED}-krc"));
        }
    }
    s
}

fn app_state(estate: &Estate, name: &str) -> AppState {
    let a = estate.app(name).expect("demo app");
    let secondary = estate.region_of(a).role == RegionRole::Secondary;
    let mut slots = vec![SlotState {
        name: "production".to_owned(),
        health: obs(report(Health::Healthy, GOOD), "GET /api/health"),
    }];
    for s in &a.slots {
        slots.push(SlotState {
            name: s.clone(),
            health: obs(report(Health::Healthy, GOOD), "GET /api/health"),
        });
    }
    let functions = a
        .functions
        .iter()
        .map(|f| FunctionState {
            name: f.clone(),
            disabled: false,
        })
        .chain(a.timer_functions.iter().map(|f| FunctionState {
            name: f.clone(),
            disabled: secondary,
        }))
        .collect();
    let mut keys = BTreeMap::from([
        ("host/default".to_owned(), format!("host-{}", a.service)),
        ("master".to_owned(), format!("master-{}", a.service)),
    ]);
    if a.name == ORDERS_KRC {
        keys.insert(
            "function/CreateOrder/default".to_owned(),
            PLANTED.to_owned(),
        );
    }
    AppState {
        name: a.name.clone(),
        service: a.service.clone(),
        region: a.region.clone(),
        site: obs(
            SiteInfo {
                state: "Running".to_owned(),
                enabled: true,
                availability: "Normal".to_owned(),
                last_swap: None,
            },
            "ARM sites",
        ),
        slots,
        platform: Observed::missing("Resource Health", Duration::minutes(2)),
        metrics: Observed::missing("metrics", Duration::minutes(1)),
        deployments: obs(
            vec![
                deployment(
                    &format!("{name}-good"),
                    "production",
                    GOOD,
                    14 * 24 * 60,
                    true,
                ),
                deployment(
                    &format!("{name}-prev"),
                    "production",
                    "2026.02.11",
                    40 * 24 * 60,
                    false,
                ),
            ],
            "Kudu deployments",
        ),
        settings: obs(
            digest_map(&settings(&a.name, &a.service, &a.region)),
            "ARM appsettings",
        ),
        keys: obs(digest_map(&keys), "ARM host keys"),
        functions: obs(functions, "ARM functions"),
    }
}

fn routes(estate: &Estate) -> Routes {
    let route = |name: &str, app: &str, priority: u16, weight: Option<u16>| RouteState {
        name: name.to_owned(),
        app: app.to_owned(),
        routing: Routing::Serving,
        enabled: true,
        monitor: Some("Online".to_owned()),
        priority: Some(u32::from(priority)),
        weight: weight.map(u32::from),
    };
    Routes {
        traffic_manager: estate.traffic_manager.as_ref().map(|tm| {
            let eps = tm
                .endpoints
                .iter()
                .map(|e| route(&e.name, &e.app, e.priority, None))
                .collect();
            (tm.profile.clone(), obs(eps, "ARM trafficManagerProfiles"))
        }),
        front_door: estate.front_door.as_ref().map(|fd| {
            let os = fd
                .origins
                .iter()
                .map(|o| route(&o.name, &o.app, o.priority, Some(o.weight)))
                .collect();
            (
                format!("{}/{}", fd.profile, fd.origin_group),
                obs(os, "ARM afd origins"),
            )
        }),
    }
}

/// Everything healthy, every app on its good version.
pub fn calm() -> Snapshot {
    let estate = Estate::demo();
    Snapshot {
        taken_at: now(),
        estate: estate.name.clone(),
        simulated: true,
        rto_minutes: estate.rto_minutes,
        rpo_minutes: estate.rpo_minutes,
        regions: estate
            .regions
            .iter()
            .map(|r| RegionInfo {
                name: r.name.clone(),
                location: r.location.clone(),
                primary: r.role == RegionRole::Primary,
                resource_group: r.resource_group.clone(),
            })
            .collect(),
        apps: estate
            .apps
            .iter()
            .map(|a| app_state(&estate, &a.name))
            .collect(),
        routes: routes(&estate),
        queues: estate
            .queues
            .iter()
            .map(|q| QueueState {
                name: q.name.clone(),
                kind: q.kind.as_str().to_owned(),
                account: q.account.clone(),
                region: q.region.clone(),
                app: q.app.clone(),
                depth: obs(3, "queue"),
                oldest: obs(None, "queue"),
                history: Vec::new(),
            })
            .collect(),
        storage: estate
            .storage_accounts
            .iter()
            .map(|s| StorageState {
                name: s.name.clone(),
                region: s.region.clone(),
                task_hub: s.task_hub.clone(),
                state: obs(
                    StorageFacts {
                        sku: format!("Standard_{:?}", s.replication).to_uppercase(),
                        primary_status: Some("available".to_owned()),
                        secondary_status: Some("available".to_owned()),
                        geo_status: Some("Live".to_owned()),
                        last_sync: Some(now() - Duration::minutes(2)),
                        can_failover: Some(true),
                        primary_location: None,
                    },
                    "ARM storage",
                ),
            })
            .collect(),
        aliases: estate
            .geo_dr_aliases
            .iter()
            .map(|a| AliasState {
                name: a.name.clone(),
                kind: a.kind.as_str().to_owned(),
                primary_namespace: a.primary_namespace.clone(),
                state: obs(
                    AliasFacts {
                        role: "Primary".to_owned(),
                        partner: Some(a.secondary_namespace.clone()),
                        pending_operations: 0,
                        provisioning: "Succeeded".to_owned(),
                    },
                    "ARM disasterRecoveryConfigs",
                ),
            })
            .collect(),
        activity: obs(Vec::new(), "activity log"),
        inventory: obs(Vec::new(), "Resource Graph"),
        p95_source: None,
        artifacts: Some(obs(artifacts(&estate), "Blob service list")),
    }
}

/// The artifact store: a package of every service at every version the snapshot's histories
/// name (the bad release's is added with it).
fn artifacts(estate: &Estate) -> Vec<ArtifactRecord> {
    let mut out: Vec<ArtifactRecord> = Vec::new();
    for a in &estate.apps {
        for version in [GOOD, "2026.02.11", BAD] {
            let name = format!("{}/{version}.zip", a.service);
            if !out.iter().any(|r| r.name == name) {
                out.push(ArtifactRecord {
                    name,
                    service: Some(a.service.clone()),
                    version: version.to_owned(),
                    last_modified: now() - Duration::days(60),
                });
            }
        }
    }
    out
}

/// Removes a package from the snapshot's artifact store.
pub fn drop_artifact(s: &mut Snapshot, service: &str, version: &str) {
    if let Some(list) = s.artifacts.as_mut().and_then(|o| o.value.as_mut()) {
        list.retain(|r| !(r.service.as_deref() == Some(service) && r.version == version));
    }
}

pub fn app_mut<'a>(s: &'a mut Snapshot, name: &str) -> &'a mut AppState {
    s.apps
        .iter_mut()
        .find(|a| a.name == name)
        .expect("app in snapshot")
}

/// The bad release: 2026.04.02 deployed to staging at 02:40, swapped into production at 02:58,
/// production unhealthy; staging holds 2026.03.28 and is healthy.
pub fn bad_release() -> Snapshot {
    let mut s = calm();
    let app = app_mut(&mut s, ORDERS_KRC);
    app.slots[0].health = obs(report(Health::Unhealthy, BAD), "GET /api/health");
    app.slots[1].health = obs(report(Health::Healthy, GOOD), "GET /api/health");
    if let Some(d) = app.deployments.value.as_mut() {
        d.insert(
            0,
            deployment("orders-bad-staging", "staging", BAD, 24, true),
        );
    }
    s
}

/// A passing gate.
pub fn gate(gate: GateId, status: GateStatus) -> GateResult {
    GateResult {
        gate,
        status,
        checks: vec![GateCheck {
            name: "test check".to_owned(),
            status,
            detail: format!("{gate:?} is {status:?}"),
        }],
        overridden: None,
    }
}

/// A safety verdict.
pub fn safety(rule: SafetyRule, allowed: bool) -> SafetyCheck {
    SafetyCheck {
        rule,
        allowed,
        reason: format!("{rule:?} {}", if allowed { "allows" } else { "refuses" }),
        overridden: None,
    }
}
