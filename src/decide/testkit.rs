//! Test-only: a calm snapshot of the demo estate (every app healthy on its version, every datum
//! fresh, settings and keys in sync between regions, timers disabled in the passive region) that
//! the unit tests bend into the case they test.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::config::{App, Estate, RegionRole};
use crate::model::{
    AliasFacts, AliasState, AppState, DeploymentRecord, FunctionState, Health, HealthReport,
    MetricPoint, Observed, PlatformHealth, QueueState, RegionInfo, RouteState, Routes, Routing,
    SiteInfo, SlotState, Snapshot, StorageFacts, StorageState, digest_map,
};

/// The snapshot's time: 2026-04-04 09:20:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 4, 9, 20, 0)
        .single()
        .expect("valid")
}

/// `now` plus `min` minutes.
pub fn at(min: i64) -> DateTime<Utc> {
    now() + Duration::minutes(min)
}

fn ok<T>(v: T, source: &str) -> Observed<T> {
    Observed::ok(
        v,
        now() - Duration::seconds(20),
        source,
        Duration::minutes(1),
    )
}

fn report(status: Health, version: &str) -> HealthReport {
    HealthReport {
        status,
        http_status: Some(if status == Health::Healthy { 200 } else { 503 }),
        checks: BTreeMap::from([
            ("application".to_owned(), status),
            ("storage".to_owned(), Health::Healthy),
        ]),
        version: Some(version.to_owned()),
        duration_ms: Some(30),
    }
}

/// Twenty minutes of calm metrics ending the minute before `now`.
pub fn calm_metrics() -> Vec<MetricPoint> {
    (0..20)
        .map(|i| MetricPoint {
            at: at(i - 20),
            requests: 1000.0,
            failures: if i % 2 == 0 { 2.0 } else { 3.0 },
            avg_ms: Some(80.0),
            max_ms: Some(300.0),
            p95_ms: None,
        })
        .collect()
}

fn app_state(estate: &Estate, a: &App) -> AppState {
    let secondary = estate
        .region(&a.region)
        .is_some_and(|r| r.role == RegionRole::Secondary);
    let mut settings = BTreeMap::from([
        (
            "AzureWebJobsStorage".to_owned(),
            format!("conn-{}", a.region),
        ),
        ("DEPLOYMENT_REGION".to_owned(), a.region.clone()),
        (
            "DOWNSTREAM_API_KEY".to_owned(),
            format!("key-{}", a.service),
        ),
    ]);
    if secondary {
        for t in &a.timer_functions {
            settings.insert(format!("AzureWebJobs.{t}.Disabled"), "true".to_owned());
        }
    }
    let keys = BTreeMap::from([("host/master".to_owned(), format!("master-{}", a.service))]);
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
    let slots = std::iter::once("production".to_owned())
        .chain(a.slots.iter().cloned())
        .map(|name| SlotState {
            name,
            health: ok(report(Health::Healthy, "v1"), "GET /api/health"),
        })
        .collect();
    AppState {
        name: a.name.clone(),
        service: a.service.clone(),
        region: a.region.clone(),
        site: ok(
            SiteInfo {
                state: "Running".into(),
                enabled: true,
                availability: "Normal".into(),
                last_swap: None,
            },
            "ARM sites",
        ),
        slots,
        platform: ok(
            PlatformHealth {
                state: Health::Healthy,
                word: "Available".into(),
                summary: None,
                since: None,
            },
            "Resource Health",
        ),
        metrics: ok(calm_metrics(), "Azure Monitor metrics"),
        deployments: ok(
            vec![DeploymentRecord {
                id: format!("{}-v1", a.name),
                slot: "production".into(),
                version: Some("v1".into()),
                deployer: None,
                author: None,
                status: "Success".into(),
                in_progress: false,
                started: Some(at(-10 * 1440)),
                ended: Some(at(-10 * 1440)),
                active: true,
            }],
            "Kudu deployments",
        ),
        settings: ok(digest_map(&settings), "ARM appsettings"),
        keys: ok(digest_map(&keys), "ARM host keys"),
        functions: ok(functions, "ARM functions"),
    }
}

/// The calm demo estate and its snapshot.
pub fn calm() -> (Snapshot, Estate) {
    let estate = Estate::demo();
    let route = |name: &str, app: &str| RouteState {
        name: name.to_owned(),
        app: app.to_owned(),
        routing: Routing::Serving,
        enabled: true,
        monitor: Some("Online".into()),
        priority: None,
        weight: None,
    };
    let tm = estate.traffic_manager.as_ref().map(|t| {
        let eps = t.endpoints.iter().map(|e| route(&e.name, &e.app)).collect();
        (t.profile.clone(), ok(eps, "ARM Traffic Manager"))
    });
    let fd = estate.front_door.as_ref().map(|f| {
        let os = f.origins.iter().map(|o| route(&o.name, &o.app)).collect();
        (f.profile.clone(), ok(os, "ARM Front Door"))
    });
    let snap = Snapshot {
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
        apps: estate.apps.iter().map(|a| app_state(&estate, a)).collect(),
        routes: Routes {
            traffic_manager: tm,
            front_door: fd,
        },
        queues: estate
            .queues
            .iter()
            .map(|q| QueueState {
                name: q.name.clone(),
                kind: q.kind.as_str().to_owned(),
                account: q.account.clone(),
                region: q.region.clone(),
                app: q.app.clone(),
                depth: ok(3, "queue"),
                oldest: ok(Some(now() - Duration::seconds(10)), "queue"),
                history: vec![(at(-5), 3), (at(0), 3)],
            })
            .collect(),
        storage: estate
            .storage_accounts
            .iter()
            .map(|s| StorageState {
                name: s.name.clone(),
                region: s.region.clone(),
                task_hub: s.task_hub.clone(),
                state: ok(
                    StorageFacts {
                        sku: "Standard_RAGRS".into(),
                        primary_status: Some("available".into()),
                        secondary_status: Some("available".into()),
                        geo_status: Some("Live".into()),
                        last_sync: Some(now() - Duration::seconds(40)),
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
                kind: "service-bus".into(),
                primary_namespace: a.primary_namespace.clone(),
                state: ok(
                    AliasFacts {
                        role: "Primary".into(),
                        partner: Some(a.secondary_namespace.clone()),
                        pending_operations: 0,
                        provisioning: "Succeeded".into(),
                    },
                    "ARM disasterRecoveryConfigs",
                ),
            })
            .collect(),
        activity: ok(Vec::new(), "activity log"),
        inventory: ok(Vec::new(), "Resource Graph"),
        p95_source: None,
        artifacts: None,
    };
    (snap, estate)
}

/// The app of that name, to bend.
pub fn app<'a>(snap: &'a mut Snapshot, name: &str) -> &'a mut AppState {
    snap.apps
        .iter_mut()
        .find(|a| a.name == name)
        .expect("a demo app")
}

/// Switches an app's timer functions on: each function enabled and its
/// `AzureWebJobs.<name>.Disabled` setting gone. Returns the app for more changes.
pub fn enable_timers<'a>(snap: &'a mut Snapshot, name: &str) -> &'a mut AppState {
    let a = app(snap, name);
    for f in a.functions.value.as_mut().expect("functions") {
        f.disabled = false;
    }
    a.settings
        .value
        .as_mut()
        .expect("settings")
        .retain(|k, _| !k.ends_with(".Disabled"));
    a
}

/// Sets an app's production health.
pub fn set_health(snap: &mut Snapshot, name: &str, status: Health) {
    let a = app(snap, name);
    let slot = a.slots.first_mut().expect("production");
    let v = slot.health.value.as_mut().expect("a report");
    v.status = status;
    v.checks.insert("application".into(), status);
}

/// One rule's verdict on `action` over the demo estate at [`now`].
pub fn safety_check(
    action: &super::ProposedAction,
    snap: &Snapshot,
    cx: &super::DecideContext,
    rule: super::SafetyRule,
) -> super::SafetyCheck {
    super::safety_for(action, snap, &Estate::demo(), cx, now())
        .into_iter()
        .find(|c| c.rule == rule)
        .expect("the rule applies")
}
