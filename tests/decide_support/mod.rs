//! Builds a [`Snapshot`] and a [`DecideContext`] from a compact TOML scenario on top of the demo
//! estate (`Estate::demo()`): every app healthy on its version with twenty calm minutes of
//! metrics, every datum freshly read, settings and keys in step between regions (each region
//! with its own storage connection, content share and region name, timers disabled in the
//! passive region), routes enabled, replication caught up, every release in the histories with
//! its package in the artifact store — then the scenario's changes on top (`estate_append` adds
//! TOML to the demo estate, for a queue or an account it lacks; `[artifacts]` deletes packages
//! or makes the store's listing unreadable).
//! Test support only: `spec` is the file's shape, `apps` and `world` build the snapshot.

pub mod apps;
pub mod spec;
pub mod world;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::de::DeserializeOwned;

use warroom::config::{DEMO_ESTATE, Estate, RegionRole};
use warroom::decide::{
    ActionKind, ActionRecord, DecideContext, IncidentFacts, Override, ProposedAction, Strategy,
};
use warroom::model::{RegionInfo, Snapshot};

pub use spec::Scenario;
use spec::{AppSpec, ContextSpec};

/// The scenarios' day.
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

/// The snapshot, the estate, the context and `now` of a scenario.
pub fn build(sc: &Scenario) -> (Snapshot, Estate, DecideContext, DateTime<Utc>) {
    let estate = match &sc.estate_append {
        None => Estate::demo(),
        Some(more) => Estate::parse(&format!("{DEMO_ESTATE}\n{more}"), "scenario estate")
            .unwrap_or_else(|e| panic!("the demo estate with the scenario's additions: {e}")),
    };
    let now = time(&sc.now);
    for s in &sc.app {
        assert!(
            estate.app(&s.name).is_some(),
            "no app {} in the demo estate",
            s.name
        );
    }
    let empty = AppSpec::default();
    let apps: Vec<_> = estate
        .apps
        .iter()
        .map(|a| {
            let spec = sc.app.iter().find(|s| s.name == a.name).unwrap_or(&empty);
            apps::app_state(&estate, a, spec, now)
        })
        .collect();
    let artifacts = world::artifacts(sc, &estate, &apps, now);
    let stale_log = sc.stale.iter().any(|s| s == "activity");
    let log = sc
        .activity
        .iter()
        .map(|a| world::activity(&estate, a))
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
        apps,
        routes: world::routes(sc, &estate, now),
        queues: world::queues(sc, &estate, now),
        storage: world::storage(sc, &estate, now),
        aliases: world::aliases(sc, &estate, now),
        activity: apps::observed(log, now, "activity log", Duration::minutes(5), stale_log),
        inventory: apps::observed(
            Vec::new(),
            now,
            "Resource Graph",
            Duration::minutes(5),
            false,
        ),
        p95_source: sc.app.iter().any(|a| a.p95.is_some()).then(|| {
            apps::observed(
                sc.app.len(),
                now,
                "Log Analytics AppRequests p95",
                Duration::minutes(1),
                false,
            )
        }),
        artifacts,
    };
    (snap, estate, context(&sc.context), now)
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
    cx.validated_at = c.validated_at.as_deref().map(time);
    let action = |kind: &str, target: &str| ProposedAction {
        kind: ActionKind::parse(kind).unwrap_or_else(|| panic!("unknown action {kind}")),
        target: target.to_owned(),
        release: None,
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
