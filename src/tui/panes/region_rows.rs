//! The view model of the regions pane: one [`AppRow`] per app, with everything a row shows
//! already picked out of the snapshot (health and its freshness, checks, slot versions, Resource
//! Health, failure rates, latency, route). Built once per frame, then painted.

use chrono::{DateTime, Utc};

use crate::model::observed::short_age;
use crate::model::{AppState, Freshness, Health, RouteState, Snapshot};

/// What one app's row shows.
#[derive(Debug, Clone)]
pub struct AppRow<'a> {
    /// The app.
    pub app: &'a AppState,
    /// Production health.
    pub health: Health,
    /// How fresh the production health is.
    pub health_fresh: Freshness,
    /// The production health endpoint's checks.
    pub checks: Vec<(String, Health)>,
    /// Each slot: name, running version, health.
    pub slots: Vec<(&'a str, Option<&'a str>, Health)>,
    /// Resource Health: state and Azure's word.
    pub platform: Option<(Health, &'a str)>,
    /// How fresh Resource Health is.
    pub platform_fresh: Freshness,
    /// The age of the Resource Health value, as text.
    pub platform_age: String,
    /// Failure rate per minute, oldest first.
    pub rates: Vec<f64>,
    /// The latest minute's failure rate.
    pub rate: Option<f64>,
    /// The latest minute's average response time.
    pub avg_ms: Option<f64>,
    /// The route to this app: `TM` or `FD` and the endpoint or origin.
    pub route: Option<(&'static str, &'a RouteState)>,
}

impl AppRow<'_> {
    /// The production slot's version.
    pub fn prod_version(&self) -> Option<&str> {
        self.slots.first().and_then(|s| s.1)
    }

    /// Whether Resource Health is fine and fresh.
    pub fn platform_ok(&self) -> bool {
        self.platform_fresh == Freshness::Fresh && self.platform.is_some_and(|p| p.0.is_ok())
    }
}

/// The rows of every app, in snapshot order.
pub fn build_rows(snap: &Snapshot, now: DateTime<Utc>) -> Vec<AppRow<'_>> {
    snap.apps
        .iter()
        .map(|app| {
            let prod = app.production();
            let report = prod.and_then(|s| s.health.get());
            let points = app.metrics.get().map(Vec::as_slice).unwrap_or_default();
            let route = [
                ("TM", &snap.routes.traffic_manager),
                ("FD", &snap.routes.front_door),
            ]
            .into_iter()
            .find_map(|(kind, r)| {
                let (_, o) = r.as_ref()?;
                o.get()?
                    .iter()
                    .find(|e| e.app == app.name)
                    .map(|e| (kind, e))
            });
            AppRow {
                app,
                health: app.health(),
                health_fresh: prod.map_or(Freshness::Missing, |s| s.health.freshness(now)),
                checks: report
                    .map(|r| r.checks.iter().map(|(k, v)| (k.clone(), *v)).collect())
                    .unwrap_or_default(),
                slots: app
                    .slots
                    .iter()
                    .map(|s| {
                        let r = s.health.get();
                        (
                            s.name.as_str(),
                            r.and_then(|r| r.version.as_deref()),
                            r.map_or(Health::Unknown, |r| r.status),
                        )
                    })
                    .collect(),
                platform: app.platform.get().map(|p| (p.state, p.word.as_str())),
                platform_fresh: app.platform.freshness(now),
                platform_age: app.platform.age(now).map(short_age).unwrap_or_default(),
                rates: points
                    .iter()
                    .map(crate::model::MetricPoint::failure_rate)
                    .collect(),
                rate: points.last().map(crate::model::MetricPoint::failure_rate),
                avg_ms: points.last().and_then(|p| p.avg_ms),
                route,
            }
        })
        .collect()
}
