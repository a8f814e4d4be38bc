//! One app of the scenario's snapshot: the calm defaults of the demo estate (healthy on
//! 2026.03.28, twenty calm minutes, settings and keys shared by the regions of a service except
//! what differs by design, timers disabled in the passive region), then the scenario's changes.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use warroom::config::{App, Estate, RegionRole};
use warroom::model::{
    AppState, DeploymentRecord, FunctionState, Health, HealthReport, MetricPoint, Observed,
    PlatformHealth, SiteInfo, SlotState, digest_map,
};

use super::spec::AppSpec;
use super::{series, time};

/// The version every app runs unless the scenario says otherwise.
pub const GOOD: &str = "2026.03.28";

/// A value read 20 s before `now`, or an hour before when `stale`.
pub fn observed<T>(
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
    let shared = |k: &str, v: String| (k.to_owned(), v);
    let mut s = BTreeMap::from([
        shared("AzureWebJobsStorage", conn.clone()),
        shared("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", conn),
        shared("WEBSITE_CONTENTSHARE", a.name.clone()),
        shared("DEPLOYMENT_REGION", region.location.clone()),
        shared("FUNCTIONS_EXTENSION_VERSION", "~4".to_owned()),
        shared("FUNCTIONS_WORKER_RUNTIME", "dotnet-isolated".to_owned()),
        shared(
            "APPLICATIONINSIGHTS_CONNECTION_STRING",
            format!("InstrumentationKey=ai-{}", a.service),
        ),
        shared(
            "DOWNSTREAM_API_KEY",
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
    let p95 = spec.p95.as_deref().map(series).unwrap_or_default();
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
                p95_ms: p95.get(i).copied(),
            }
        })
        .collect()
}

fn report(
    status: Health,
    http: u16,
    version: String,
    checks: BTreeMap<String, Health>,
) -> HealthReport {
    HealthReport {
        status,
        http_status: Some(if status == Health::Healthy { 200 } else { http }),
        checks,
        version: Some(version),
        duration_ms: Some(40),
    }
}

fn slots(a: &App, spec: &AppSpec, now: DateTime<Utc>) -> Vec<SlotState> {
    let stale = |what: &str| spec.stale.iter().any(|s| s == what);
    let status = spec.health.as_deref().map_or(Health::Healthy, health);
    let http = spec.http.unwrap_or(503);
    let mut checks = BTreeMap::from([
        ("application".to_owned(), status),
        ("storage".to_owned(), Health::Healthy),
    ]);
    for (k, v) in &spec.checks {
        checks.insert(k.clone(), health(v));
    }
    let version = spec.version.clone().unwrap_or_else(|| GOOD.to_owned());
    let probe = |r: HealthReport, stale: bool| {
        observed(r, now, "GET /api/health", Duration::seconds(30), stale)
    };
    let mut out = vec![SlotState {
        name: "production".to_owned(),
        health: probe(
            report(status, http, version.clone(), checks),
            stale("health"),
        ),
    }];
    let staging = spec.staging.as_ref();
    let s_status = staging
        .and_then(|s| s.health.as_deref())
        .map_or(Health::Healthy, health);
    let s_version = staging.and_then(|s| s.version.clone()).unwrap_or(version);
    for name in &a.slots {
        let checks = BTreeMap::from([
            ("application".to_owned(), s_status),
            ("storage".to_owned(), Health::Healthy),
        ]);
        out.push(SlotState {
            name: name.clone(),
            health: probe(
                report(s_status, http, s_version.clone(), checks),
                stale("staging"),
            ),
        });
    }
    out
}

fn deployments(a: &App, spec: &AppSpec, now: DateTime<Utc>) -> Vec<DeploymentRecord> {
    let record = |id: String, slot: &str, version: &str| DeploymentRecord {
        id,
        slot: slot.to_owned(),
        version: Some(version.to_owned()),
        deployer: Some("release-pipeline".to_owned()),
        author: None,
        status: "Success".to_owned(),
        in_progress: false,
        started: Some(now - Duration::days(10)),
        ended: Some(now - Duration::days(10)),
        active: false,
    };
    let base = spec.base_version.as_deref().unwrap_or(GOOD);
    let mut out = vec![record(format!("{}-base", a.name), "production", base)];
    for (i, d) in spec.deployments.iter().enumerate() {
        let ended = d.ended.as_deref().map(time);
        let started = d.started.as_deref().map(time);
        out.push(DeploymentRecord {
            status: d
                .status
                .clone()
                .unwrap_or_else(|| if d.in_progress { "Building" } else { "Success" }.to_owned()),
            in_progress: d.in_progress,
            started: started.or(ended.map(|e| e - Duration::seconds(90))),
            ended,
            active: !d.in_progress,
            ..record(format!("{}-{i}", a.name), &d.slot, &d.version)
        });
    }
    out.sort_by_key(|d| std::cmp::Reverse(d.started));
    out
}

fn platform(spec: &AppSpec) -> PlatformHealth {
    let state = spec.platform.as_deref().map_or(Health::Healthy, health);
    let word = match state {
        Health::Healthy => "Available",
        Health::Degraded => "Degraded",
        _ => "Unavailable",
    };
    PlatformHealth {
        state,
        word: word.to_owned(),
        summary: None,
        since: None,
    }
}

fn make_missing(app: &mut AppState, what: &str) {
    match what {
        "health" => {
            app.slots[0].health = Observed::missing("GET /api/health", Duration::seconds(30));
        }
        "metrics" => {
            app.metrics = Observed::missing("Azure Monitor metrics", Duration::minutes(1));
        }
        "deployments" => {
            app.deployments = Observed::missing("Kudu deployments", Duration::minutes(1));
        }
        "platform" => {
            app.platform = Observed::missing("Resource Health", Duration::minutes(2));
        }
        other => panic!("cannot make {other} missing"),
    }
}

/// The app's state at `now` after the scenario's changes.
pub fn app_state(estate: &Estate, a: &App, spec: &AppSpec, now: DateTime<Utc>) -> AppState {
    let stale = |what: &str| spec.stale.iter().any(|s| s == what);
    let secondary = estate.region_of(a).role == RegionRole::Secondary;
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
    let site = SiteInfo {
        state: "Running".into(),
        enabled: true,
        availability: "Normal".into(),
        last_swap: spec
            .last_swap
            .as_ref()
            .map(|s| (time(&s.at), s.from.clone(), "production".to_owned())),
    };
    let minute = Duration::minutes(1);
    let five = Duration::minutes(5);
    let mut app = AppState {
        name: a.name.clone(),
        service: a.service.clone(),
        region: a.region.clone(),
        site: observed(site, now, "ARM sites", minute, stale("site")),
        slots: slots(a, spec, now),
        platform: observed(
            platform(spec),
            now,
            "Resource Health",
            Duration::minutes(2),
            stale("platform"),
        ),
        metrics: observed(
            metrics(spec, now),
            now,
            "Azure Monitor metrics",
            minute,
            stale("metrics"),
        ),
        deployments: observed(
            deployments(a, spec, now),
            now,
            "Kudu deployments",
            minute,
            stale("deployments"),
        ),
        settings: observed(
            digest_map(&settings),
            now,
            "ARM appsettings",
            five,
            stale("settings"),
        ),
        keys: observed(digest_map(&keys), now, "ARM host keys", five, stale("keys")),
        functions: observed(functions, now, "ARM functions", five, stale("functions")),
    };
    for m in &spec.missing {
        make_missing(&mut app, m);
    }
    app
}
