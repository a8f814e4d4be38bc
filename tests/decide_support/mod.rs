//! Builds a [`Snapshot`] and a [`DecideContext`] from a compact TOML scenario on top of the demo
//! estate (`Estate::demo()`): every app healthy on its version with twenty calm minutes of
//! metrics, every datum freshly read, settings and keys in step between regions (each region
//! with its own storage connection, content share and region name, timers disabled in the
//! passive region), routes enabled, replication caught up — then the scenario's changes on top.
//! Also reads the scenario's expectations. Test support only.

#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use warroom::config::{App, Estate, RegionRole};
use warroom::decide::{
    ActionKind, ActionRecord, DecideContext, IncidentFacts, Override, OverrideTarget,
    ProposedAction, Strategy,
};
use warroom::model::{
    ActivityEvent, ActivityKind, AliasFacts, AliasState, AppState, DeploymentRecord, FunctionState,
    Health, HealthReport, MetricPoint, Observed, PlatformHealth, QueueState, RegionInfo,
    RouteState, Routes, Routing, SiteInfo, SlotState, Snapshot, StorageFacts, StorageState,
    digest_map,
};

/// The scenario's day.
pub const DAY: (i32, u32, u32) = (2026, 4, 4);

/// A time as the scenarios write it: `HH:MM`, `HH:MM:SS` (on [`DAY`]) or RFC 3339.
pub fn time(s: &str) -> DateTime<Utc> {
    if s.contains('T') {
        return DateTime::parse_from_rfc3339(s)
            .unwrap_or_else(|e| panic!("bad time {s:?}: {e}"))
            .with_timezone(&Utc);
    }
    let t = NaiveTime::parse_from_str(s, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .unwrap_or_else(|e| panic!("bad time {s:?}: {e}"));
    let d = NaiveDate::from_ymd_opt(DAY.0, DAY.1, DAY.2).expect("valid day");
    Utc.from_utc_datetime(&d.and_time(t))
}

/// A snake_case or kebab-case word parsed as a serde enum.
pub fn word<T: DeserializeOwned>(s: &str) -> T {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .unwrap_or_else(|e| panic!("bad word {s:?}: {e}"))
}

/// A series `0.002x12 0.31x8`: each value repeated.
pub fn series(spec: &str) -> Vec<f64> {
    spec.split_whitespace()
        .flat_map(|part| {
            let (v, n) = part.split_once('x').unwrap_or((part, "1"));
            let v: f64 = v.parse().unwrap_or_else(|e| panic!("bad value {v:?}: {e}"));
            let n: usize = n.parse().unwrap_or_else(|e| panic!("bad count {n:?}: {e}"));
            std::iter::repeat_n(v, n)
        })
        .collect()
}

/// One scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What it shows.
    pub title: String,
    /// The evaluation time.
    pub now: String,
    /// Apps to change.
    #[serde(default)]
    pub app: Vec<AppSpec>,
    /// Activity log events.
    #[serde(default)]
    pub activity: Vec<ActivitySpec>,
    /// Top-level sources made stale: `activity`, `traffic_manager`, `front_door`, `aliases`.
    #[serde(default)]
    pub stale: Vec<String>,
    /// Route changes.
    #[serde(default)]
    pub route: Vec<RouteSpec>,
    /// Storage changes.
    #[serde(default)]
    pub storage: Vec<StorageSpec>,
    /// Alias changes.
    #[serde(default)]
    pub alias: Vec<AliasSpec>,
    /// Queue changes.
    #[serde(default)]
    pub queue: Vec<QueueSpec>,
    /// The context.
    #[serde(default)]
    pub context: ContextSpec,
    /// What must come out.
    pub expect: Expect,
}

/// Changes to one app.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    pub name: String,
    pub health: Option<String>,
    pub http: Option<u16>,
    pub version: Option<String>,
    /// The version of the production deployment ten days ago (default 2026.03.28).
    pub base_version: Option<String>,
    #[serde(default)]
    pub checks: BTreeMap<String, String>,
    pub staging: Option<SlotSpec>,
    pub failure: Option<String>,
    pub requests: Option<f64>,
    pub latency: Option<String>,
    pub platform: Option<String>,
    #[serde(default)]
    pub deployments: Vec<DeploySpec>,
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
    #[serde(default)]
    pub remove_settings: Vec<String>,
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    #[serde(default)]
    pub remove_keys: Vec<String>,
    #[serde(default)]
    pub timers_enabled: bool,
    pub last_swap: Option<SwapSpec>,
    /// Sources made stale: `health`, `metrics`, `deployments`, `settings`, `keys`,
    /// `functions`, `platform`, `site`, `staging`.
    #[serde(default)]
    pub stale: Vec<String>,
    /// Sources never read.
    #[serde(default)]
    pub missing: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotSpec {
    pub health: Option<String>,
    pub version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploySpec {
    pub slot: String,
    pub version: String,
    pub ended: Option<String>,
    pub started: Option<String>,
    pub status: Option<String>,
    #[serde(default)]
    pub in_progress: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwapSpec {
    pub at: String,
    pub from: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivitySpec {
    pub at: String,
    pub kind: String,
    pub app: String,
    pub slot: Option<String>,
    pub status: Option<String>,
    pub caller: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSpec {
    pub name: String,
    pub enabled: Option<bool>,
    pub monitor: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageSpec {
    pub name: String,
    pub last_sync: Option<String>,
    pub primary_status: Option<String>,
    #[serde(default)]
    pub stale: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliasSpec {
    pub name: String,
    pub pending: Option<u64>,
    #[serde(default)]
    pub stale: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueSpec {
    pub name: String,
    pub region: String,
    pub depth: Option<u64>,
    pub oldest: Option<String>,
    /// `depth@HH:MM …`, oldest first.
    pub history: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSpec {
    pub incident: Option<IncidentSpec>,
    pub verify_window_minutes: Option<i64>,
    #[serde(default)]
    pub action: Vec<ActionSpec>,
    #[serde(default)]
    pub in_flight: Vec<TargetSpec>,
    #[serde(default, rename = "override")]
    pub overrides: Vec<OverrideSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentSpec {
    pub detected_at: String,
    pub apps: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSpec {
    pub kind: String,
    pub target: String,
    pub strategy: Option<String>,
    pub started: String,
    pub finished: Option<String>,
    pub succeeded: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    pub kind: String,
    pub target: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideSpec {
    pub target: OverrideTarget,
    pub reason: String,
    pub at: String,
}

/// What must come out of the evaluation.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    #[serde(default)]
    pub nodes: BTreeMap<String, String>,
    #[serde(default)]
    pub evidence: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub overridden_nodes: Vec<String>,
    pub path: Option<Vec<String>>,
    pub recommendation: Option<RecExpect>,
    #[serde(default)]
    pub no_recommendation: bool,
    #[serde(default)]
    pub reasons: Vec<String>,
    pub first_reason: Option<String>,
    #[serde(default)]
    pub gates: BTreeMap<String, String>,
    #[serde(default)]
    pub gate_overridden: Vec<String>,
    #[serde(default)]
    pub gate_details: Vec<String>,
    #[serde(default)]
    pub safety_refused: Vec<String>,
    #[serde(default)]
    pub safety_allowed: Vec<String>,
    #[serde(default)]
    pub safety_overridden: Vec<String>,
    #[serde(default)]
    pub safety_reasons: Vec<String>,
    pub onset: Option<String>,
    pub affected_apps: Option<Vec<String>>,
    pub affected_regions: Option<Vec<String>>,
    #[serde(default)]
    pub summary: Vec<String>,
    #[serde(default)]
    pub not_anywhere: Vec<String>,
    pub cleared: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecExpect {
    pub strategy: String,
    pub kind: String,
    pub target: String,
}

fn observed<T>(
    v: T,
    now: DateTime<Utc>,
    source: &str,
    refresh: Duration,
    stale: bool,
) -> Observed<T> {
    let at = if stale {
        now - Duration::hours(1)
    } else {
        now - Duration::seconds(20)
    };
    Observed::ok(v, at, source, refresh)
}

fn health(s: &str) -> Health {
    match s {
        "unreachable" => Health::Unreachable,
        other => Health::parse(other),
    }
}

fn default_settings(estate: &Estate, a: &App) -> BTreeMap<String, String> {
    let region = estate.region_of(a);
    let storage = a
        .task_hub_storage
        .clone()
        .unwrap_or_else(|| format!("st{}{}", a.service.replace('-', ""), a.region));
    let conn = format!(
        "DefaultEndpointsProtocol=https;AccountName={storage};AccountKey=k-{}",
        a.region
    );
    let mut s = BTreeMap::from([
        ("AzureWebJobsStorage".to_owned(), conn.clone()),
        ("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING".to_owned(), conn),
        ("WEBSITE_CONTENTSHARE".to_owned(), a.name.clone()),
        ("DEPLOYMENT_REGION".to_owned(), region.location.clone()),
        ("FUNCTIONS_EXTENSION_VERSION".to_owned(), "~4".to_owned()),
        (
            "FUNCTIONS_WORKER_RUNTIME".to_owned(),
            "dotnet-isolated".to_owned(),
        ),
        (
            "APPLICATIONINSIGHTS_CONNECTION_STRING".to_owned(),
            format!("InstrumentationKey=ai-{}", a.service),
        ),
        (
            "DOWNSTREAM_API_KEY".to_owned(),
            format!("dk-{}-s3cr3t-value", a.service),
        ),
    ]);
    if region.role == RegionRole::Secondary {
        for t in &a.timer_functions {
            s.insert(format!("AzureWebJobs.{t}.Disabled"), "true".to_owned());
        }
    }
    s
}

fn default_keys(a: &App) -> BTreeMap<String, String> {
    let mut k = BTreeMap::from([
        ("host/master".to_owned(), format!("mk-{}", a.service)),
        ("host/default".to_owned(), format!("hk-{}", a.service)),
    ]);
    for f in a.functions.iter().chain(&a.timer_functions) {
        k.insert(
            format!("function/{f}/default"),
            format!("fk-{}-{f}", a.service),
        );
    }
    k
}

fn metrics(spec: &AppSpec, now: DateTime<Utc>) -> Vec<MetricPoint> {
    let rates = spec.failure.as_deref().map_or_else(
        || {
            (0..20)
                .map(|i| if i % 2 == 0 { 0.002 } else { 0.003 })
                .collect()
        },
        series,
    );
    let latency = spec.latency.as_deref().map(series).unwrap_or_default();
    let requests = spec.requests.unwrap_or(1000.0);
    let last = now - Duration::seconds(now.timestamp().rem_euclid(60)) - Duration::minutes(1);
    let n = rates.len();
    rates
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let avg = latency.get(i).copied().unwrap_or(80.0);
            MetricPoint {
                at: last - Duration::minutes(i64::try_from(n - 1 - i).expect("few points")),
                requests,
                failures: (r * requests).round(),
                avg_ms: Some(avg),
                max_ms: Some(avg * 4.0),
            }
        })
        .collect()
}

fn app_state(estate: &Estate, a: &App, spec: &AppSpec, now: DateTime<Utc>) -> AppState {
    let st = |what: &str| spec.stale.iter().any(|s| s == what);
    let secondary = estate.region_of(a).role == RegionRole::Secondary;
    let status = spec.health.as_deref().map_or(Health::Healthy, health);
    let mut checks = BTreeMap::from([
        ("application".to_owned(), status),
        ("storage".to_owned(), Health::Healthy),
    ]);
    for (k, v) in &spec.checks {
        checks.insert(k.clone(), health(v));
    }
    let version = spec
        .version
        .clone()
        .unwrap_or_else(|| "2026.03.28".to_owned());
    let report = |status: Health, version: String, checks: BTreeMap<String, Health>| HealthReport {
        status,
        http_status: Some(if status == Health::Healthy {
            200
        } else {
            spec.http.unwrap_or(503)
        }),
        checks,
        version: Some(version),
        duration_ms: Some(40),
    };
    let mut slots = vec![SlotState {
        name: "production".to_owned(),
        health: observed(
            report(status, version.clone(), checks),
            now,
            "GET /api/health",
            Duration::seconds(30),
            st("health"),
        ),
    }];
    for name in &a.slots {
        let s_status = spec
            .staging
            .as_ref()
            .and_then(|s| s.health.as_deref())
            .map_or(Health::Healthy, health);
        let s_version = spec
            .staging
            .as_ref()
            .and_then(|s| s.version.clone())
            .unwrap_or_else(|| version.clone());
        let checks = BTreeMap::from([
            ("application".to_owned(), s_status),
            ("storage".to_owned(), Health::Healthy),
        ]);
        slots.push(SlotState {
            name: name.clone(),
            health: observed(
                report(s_status, s_version, checks),
                now,
                "GET /api/health",
                Duration::seconds(30),
                st("staging"),
            ),
        });
    }
    let mut deployments = vec![DeploymentRecord {
        id: format!("{}-base", a.name),
        slot: "production".to_owned(),
        version: Some(
            spec.base_version
                .clone()
                .unwrap_or_else(|| "2026.03.28".to_owned()),
        ),
        deployer: Some("release-pipeline".to_owned()),
        author: None,
        status: "Success".to_owned(),
        in_progress: false,
        started: Some(now - Duration::days(10)),
        ended: Some(now - Duration::days(10)),
        active: false,
    }];
    for (i, d) in spec.deployments.iter().enumerate() {
        let ended = d.ended.as_deref().map(time);
        deployments.push(DeploymentRecord {
            id: format!("{}-{i}", a.name),
            slot: d.slot.clone(),
            version: Some(d.version.clone()),
            deployer: Some("release-pipeline".to_owned()),
            author: None,
            status: d.status.clone().unwrap_or_else(|| {
                if d.in_progress {
                    "Building".into()
                } else {
                    "Success".into()
                }
            }),
            in_progress: d.in_progress,
            started: d
                .started
                .as_deref()
                .map(time)
                .or(ended.map(|e| e - Duration::seconds(90))),
            ended,
            active: !d.in_progress,
        });
    }
    deployments.sort_by(|x, y| y.started.cmp(&x.started));
    let mut settings = default_settings(estate, a);
    if spec.timers_enabled {
        settings.retain(|k, _| !k.ends_with(".Disabled"));
    }
    settings.extend(spec.settings.clone());
    settings.retain(|k, _| !spec.remove_settings.contains(k));
    let mut keys = default_keys(a);
    keys.extend(spec.keys.clone());
    keys.retain(|k, _| !spec.remove_keys.contains(k));
    let functions: Vec<FunctionState> = a
        .functions
        .iter()
        .map(|f| FunctionState {
            name: f.clone(),
            disabled: false,
        })
        .chain(a.timer_functions.iter().map(|f| FunctionState {
            name: f.clone(),
            disabled: secondary && !spec.timers_enabled,
        }))
        .collect();
    let platform = spec.platform.as_deref().map_or(Health::Healthy, health);
    let word = match platform {
        Health::Healthy => "Available",
        Health::Degraded => "Degraded",
        _ => "Unavailable",
    };
    let mut app = AppState {
        name: a.name.clone(),
        service: a.service.clone(),
        region: a.region.clone(),
        site: observed(
            SiteInfo {
                state: "Running".into(),
                enabled: true,
                availability: "Normal".into(),
                last_swap: spec
                    .last_swap
                    .as_ref()
                    .map(|s| (time(&s.at), s.from.clone(), "production".to_owned())),
            },
            now,
            "ARM sites",
            Duration::minutes(1),
            st("site"),
        ),
        slots,
        platform: observed(
            PlatformHealth {
                state: platform,
                word: word.into(),
                summary: None,
                since: None,
            },
            now,
            "Resource Health",
            Duration::minutes(2),
            st("platform"),
        ),
        metrics: observed(
            metrics(spec, now),
            now,
            "Azure Monitor metrics",
            Duration::minutes(1),
            st("metrics"),
        ),
        deployments: observed(
            deployments,
            now,
            "Kudu deployments",
            Duration::minutes(1),
            st("deployments"),
        ),
        settings: observed(
            digest_map(&settings),
            now,
            "ARM appsettings",
            Duration::minutes(5),
            st("settings"),
        ),
        keys: observed(
            digest_map(&keys),
            now,
            "ARM host keys",
            Duration::minutes(5),
            st("keys"),
        ),
        functions: observed(
            functions,
            now,
            "ARM functions",
            Duration::minutes(5),
            st("functions"),
        ),
    };
    for m in &spec.missing {
        match m.as_str() {
            "health" => {
                app.slots[0].health = Observed::missing("GET /api/health", Duration::seconds(30))
            }
            "metrics" => {
                app.metrics = Observed::missing("Azure Monitor metrics", Duration::minutes(1))
            }
            "deployments" => {
                app.deployments = Observed::missing("Kudu deployments", Duration::minutes(1))
            }
            "platform" => app.platform = Observed::missing("Resource Health", Duration::minutes(2)),
            other => panic!("cannot make {other} missing"),
        }
    }
    app
}

fn activity(estate: &Estate, spec: &ActivitySpec) -> ActivityEvent {
    let app = estate
        .app(&spec.app)
        .unwrap_or_else(|| panic!("no app {}", spec.app));
    let id = estate.app_id(app);
    let (kind, resource_id, operation) = match spec.kind.as_str() {
        "swap" => (
            ActivityKind::Swap,
            format!(
                "{id}/slots/{}/slotsswap",
                spec.slot.as_deref().unwrap_or("staging")
            ),
            "Microsoft.Web/sites/slots/slotsswap/action",
        ),
        "deployment" => (
            ActivityKind::Deployment,
            match &spec.slot {
                Some(s) => format!("{id}/slots/{s}/extensions/zipdeploy"),
                None => format!("{id}/extensions/zipdeploy"),
            },
            "Microsoft.Web/sites/extensions/write",
        ),
        "restart" => (
            ActivityKind::Restart,
            format!("{id}/restart"),
            "Microsoft.Web/sites/restart/action",
        ),
        other => panic!("unknown activity kind {other}"),
    };
    ActivityEvent {
        at: time(&spec.at),
        kind,
        operation: operation.to_owned(),
        resource_id,
        caller: spec.caller.clone(),
        status: Some(
            spec.status
                .clone()
                .unwrap_or_else(|| "Succeeded".to_owned()),
        ),
    }
}

/// The snapshot, the estate, the context and `now` of a scenario.
pub fn build(sc: &Scenario) -> (Snapshot, Estate, DecideContext, DateTime<Utc>) {
    let estate = Estate::demo();
    let now = time(&sc.now);
    for s in &sc.app {
        assert!(
            estate.app(&s.name).is_some(),
            "no app {} in the demo estate",
            s.name
        );
    }
    let spec_of = |name: &str| sc.app.iter().find(|s| s.name == name);
    let empty = AppSpec::default();
    let top_stale = |what: &str| sc.stale.iter().any(|s| s == what);
    let route = |name: &str, app: &str| {
        let spec = sc.route.iter().find(|r| r.name == name);
        let enabled = spec.and_then(|r| r.enabled).unwrap_or(true);
        RouteState {
            name: name.to_owned(),
            app: app.to_owned(),
            routing: if enabled {
                Routing::Serving
            } else {
                Routing::Disabled
            },
            enabled,
            monitor: Some(
                spec.and_then(|r| r.monitor.clone())
                    .unwrap_or_else(|| "Online".into()),
            ),
            priority: None,
            weight: None,
        }
    };
    let tm = estate.traffic_manager.as_ref().map(|t| {
        let eps = t.endpoints.iter().map(|e| route(&e.name, &e.app)).collect();
        (
            t.profile.clone(),
            observed(
                eps,
                now,
                "ARM Traffic Manager",
                Duration::minutes(1),
                top_stale("traffic_manager"),
            ),
        )
    });
    let fd = estate.front_door.as_ref().map(|f| {
        let os = f.origins.iter().map(|o| route(&o.name, &o.app)).collect();
        (
            f.profile.clone(),
            observed(
                os,
                now,
                "ARM Front Door",
                Duration::minutes(1),
                top_stale("front_door"),
            ),
        )
    });
    let queues = estate
        .queues
        .iter()
        .map(|q| {
            let spec = sc
                .queue
                .iter()
                .find(|s| s.name == q.name && s.region == q.region);
            let depth = spec.and_then(|s| s.depth).unwrap_or(2);
            let history = spec.and_then(|s| s.history.as_deref()).map_or_else(
                || {
                    vec![
                        (now - Duration::minutes(5), depth),
                        (now - Duration::seconds(20), depth),
                    ]
                },
                |h| {
                    h.split_whitespace()
                        .map(|p| {
                            let (d, t) = p.split_once('@').expect("depth@time");
                            (time(t), d.parse().expect("a depth"))
                        })
                        .collect()
                },
            );
            let oldest = spec
                .and_then(|s| s.oldest.as_deref())
                .map_or(now - Duration::seconds(15), time);
            QueueState {
                name: q.name.clone(),
                kind: q.kind.as_str().to_owned(),
                account: q.account.clone(),
                region: q.region.clone(),
                app: q.app.clone(),
                depth: observed(depth, now, "queue metadata", Duration::minutes(1), false),
                oldest: observed(Some(oldest), now, "queue peek", Duration::minutes(1), false),
                history,
            }
        })
        .collect();
    let storage = estate
        .storage_accounts
        .iter()
        .map(|s| {
            let spec = sc.storage.iter().find(|x| x.name == s.name);
            let sku = format!("Standard_{:?}", s.replication)
                .to_uppercase()
                .replace("STANDARD", "Standard");
            let geo = sku.contains("GRS") || sku.contains("GZRS");
            let last_sync = spec
                .and_then(|x| x.last_sync.as_deref())
                .map(time)
                .or_else(|| geo.then(|| now - Duration::seconds(40)));
            StorageState {
                name: s.name.clone(),
                region: s.region.clone(),
                task_hub: s.task_hub.clone(),
                state: observed(
                    StorageFacts {
                        sku,
                        primary_status: Some(
                            spec.and_then(|x| x.primary_status.clone())
                                .unwrap_or_else(|| "available".into()),
                        ),
                        secondary_status: geo.then(|| "available".to_owned()),
                        geo_status: geo.then(|| "Live".to_owned()),
                        last_sync,
                        can_failover: Some(geo),
                    },
                    now,
                    "ARM storage accounts",
                    Duration::minutes(2),
                    spec.is_some_and(|x| x.stale),
                ),
            }
        })
        .collect();
    let aliases = estate
        .geo_dr_aliases
        .iter()
        .map(|a| {
            let spec = sc.alias.iter().find(|x| x.name == a.name);
            AliasState {
                name: a.name.clone(),
                kind: a.kind.as_str().to_owned(),
                primary_namespace: a.primary_namespace.clone(),
                state: observed(
                    AliasFacts {
                        role: "Primary".into(),
                        partner: Some(a.secondary_namespace.clone()),
                        pending_operations: spec.and_then(|x| x.pending).unwrap_or(0),
                        provisioning: "Succeeded".into(),
                    },
                    now,
                    "ARM disasterRecoveryConfigs",
                    Duration::minutes(2),
                    spec.is_some_and(|x| x.stale) || top_stale("aliases"),
                ),
            }
        })
        .collect();
    let snap = Snapshot {
        taken_at: now,
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
            .map(|a| app_state(&estate, a, spec_of(&a.name).unwrap_or(&empty), now))
            .collect(),
        routes: Routes {
            traffic_manager: tm,
            front_door: fd,
        },
        queues,
        storage,
        aliases,
        activity: observed(
            sc.activity.iter().map(|a| activity(&estate, a)).collect(),
            now,
            "activity log",
            Duration::minutes(5),
            top_stale("activity"),
        ),
        inventory: observed(
            Vec::new(),
            now,
            "Resource Graph",
            Duration::minutes(5),
            false,
        ),
    };
    let cx = context(&sc.context);
    (snap, estate, cx, now)
}

fn context(c: &ContextSpec) -> DecideContext {
    let mut cx = DecideContext {
        incident: c.incident.as_ref().map(|i| IncidentFacts {
            detected_at: time(&i.detected_at),
            apps: i.apps.clone(),
        }),
        ..DecideContext::default()
    };
    if let Some(m) = c.verify_window_minutes {
        cx.verify_window = Duration::minutes(m);
    }
    let action = |kind: &str, target: &str| ProposedAction {
        kind: ActionKind::parse(kind).unwrap_or_else(|| panic!("unknown action {kind}")),
        target: target.to_owned(),
    };
    cx.actions = c
        .action
        .iter()
        .map(|a| ActionRecord {
            action: action(&a.kind, &a.target),
            strategy: a.strategy.as_deref().map(word::<Strategy>),
            started: time(&a.started),
            finished: a.finished.as_deref().map(time),
            succeeded: a.succeeded,
        })
        .collect();
    cx.in_flight = c
        .in_flight
        .iter()
        .map(|t| action(&t.kind, &t.target))
        .collect();
    cx.overrides = c
        .overrides
        .iter()
        .map(|o| Override::new(o.target.clone(), &o.reason, time(&o.at)).expect("a valid override"))
        .collect();
    cx
}
