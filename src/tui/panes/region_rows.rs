//! The view model of the regions pane: one [`AppRow`] per app, with everything a row shows
//! already picked out of the snapshot (health and its freshness, checks, slot versions, Resource
//! Health, failure rates, latency, route), and the styled cells the pane composes rows from.
//! Built once per frame, then painted.

use chrono::{DateTime, Utc};

use ratatui::text::Span;

use crate::model::observed::short_age;
use crate::model::{AppState, Freshness, Health, RouteState, Routing, Snapshot};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::cell;

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
    /// The latest minute's p95 response time, when Log Analytics reported one.
    pub p95_ms: Option<f64>,
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

/// The Traffic Manager endpoint (`TM`) or Front Door origin (`FD`) that routes to an app.
pub fn route_of<'a>(snap: &'a Snapshot, app: &str) -> Option<(&'static str, &'a RouteState)> {
    [
        ("TM", &snap.routes.traffic_manager),
        ("FD", &snap.routes.front_door),
    ]
    .into_iter()
    .find_map(|(kind, r)| {
        let (_, o) = r.as_ref()?;
        o.get()?.iter().find(|e| e.app == app).map(|e| (kind, e))
    })
}

/// The rows of every app, in snapshot order.
pub fn build_rows(snap: &Snapshot, now: DateTime<Utc>) -> Vec<AppRow<'_>> {
    snap.apps
        .iter()
        .map(|app| {
            let prod = app.production();
            let report = prod.and_then(|s| s.health.get());
            let points = app.metrics.get().map(Vec::as_slice).unwrap_or_default();
            let route = route_of(snap, &app.name);
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
                p95_ms: points.last().and_then(|p| p.p95_ms),
                route,
            }
        })
        .collect()
}

/// `prod 2026.04.02 ✗  staging 2026.03.28 ✓`, the versions in each slot.
pub(super) fn slot_spans(row: &AppRow, theme: &Theme) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    for (slot, version, h) in &row.slots {
        let name = if *slot == "production" { "prod" } else { slot };
        out.push(Span::styled(format!("{name} "), theme.style(Role::Muted)));
        out.push(Span::styled(
            format!("{} ", version.unwrap_or("—")),
            theme.style(Role::Info),
        ));
        out.push(Span::styled(format!("{}  ", h.symbol()), theme.health(*h)));
    }
    if row.slots.len() == 1 {
        out.push(Span::raw(" ".repeat(22)));
    }
    out
}

/// Every check (`application ✗ storage ✓ queue ✓`), or in short form only the failing ones.
pub(super) fn checks_spans(row: &AppRow, short: bool, theme: &Theme) -> Vec<Span<'static>> {
    let failing: Vec<_> = row.checks.iter().filter(|(_, h)| !h.is_ok()).collect();
    if short && failing.is_empty() {
        let n = row.checks.len();
        let text = if n == 0 {
            "no checks".to_owned()
        } else {
            format!("{n} checks ✓")
        };
        return vec![Span::styled(text, theme.style(Role::Muted))];
    }
    let list: Vec<&(String, Health)> = if short {
        failing
    } else {
        row.checks.iter().collect()
    };
    let mut out = Vec::new();
    for (name, h) in list {
        out.push(Span::styled(format!("{name} "), theme.style(Role::Muted)));
        out.push(Span::styled(format!("{} ", h.symbol()), theme.health(*h)));
    }
    out
}

/// `RH ✓ Available`, marked old when its source is failing.
pub(super) fn platform_spans(row: &AppRow, theme: &Theme) -> Vec<Span<'static>> {
    match &row.platform {
        Some((h, word)) => {
            let (style, note) = if row.platform_fresh == Freshness::Fresh {
                (theme.health(*h), String::new())
            } else {
                (
                    theme.style(Role::Stale),
                    format!(" ⚠ old {}", row.platform_age),
                )
            };
            vec![
                Span::styled("RH ", theme.style(Role::Muted)),
                Span::styled(format!("{} {word}{note}", h.symbol()), style),
            ]
        }
        None => vec![Span::styled("RH ? no data", theme.style(Role::Unknown))],
    }
}

/// `TM ◐ degraded p1`, or in long form `TM primary-endpoint ◐ degraded (enabled · monitor
/// Degraded p1)`; blank in short form when the app has no route.
pub fn route_spans(
    route: Option<(&'static str, &RouteState)>,
    short: bool,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let Some((kind, r)) = route else {
        return if short {
            vec![Span::raw(" ".repeat(17))]
        } else {
            Vec::new()
        };
    };
    let style = theme.style(match r.routing {
        Routing::Serving => Role::Ok,
        Routing::Degraded => Role::Crit,
        Routing::Disabled => Role::Warn,
        Routing::Checking => Role::Unknown,
    });
    let prio = r.priority.map(|p| format!(" p{p}")).unwrap_or_default();
    if short {
        vec![
            Span::styled(format!("{kind} "), theme.style(Role::Muted)),
            Span::styled(
                cell(
                    &format!("{} {}{prio}", r.routing.symbol(), r.routing.label()),
                    13,
                ),
                style,
            ),
            Span::raw(" "),
        ]
    } else {
        let enabled = if r.enabled { "enabled" } else { "disabled" };
        let monitor = r
            .monitor
            .as_deref()
            .map(|m| format!(" · monitor {m}"))
            .unwrap_or_default();
        vec![
            Span::styled(format!("{kind} {} ", r.name), theme.style(Role::Muted)),
            Span::styled(
                format!("{} {}", r.routing.symbol(), r.routing.label()),
                style,
            ),
            Span::styled(
                format!(" ({enabled}{monitor}{prio})"),
                theme.style(Role::Muted),
            ),
        ]
    }
}
