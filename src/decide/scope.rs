//! The incident's scope: which dependencies an app's health checks name (its storage account,
//! its queues, its messaging namespace and the geo-DR alias in front of it, a downstream API),
//! which of them fail, and for each region how many apps and dependencies fail (with its storage
//! accounts and queues as `dependencies` judges them) and what the platform says — the evidence
//! behind "Regional or shared dependency issue?" and the scope gate.
//!
//! Pure reads of the snapshot and the estate.

use chrono::{DateTime, Utc};

use crate::config::{Estate, GeoDrAlias, QueueKind};
use crate::model::{AppState, Health, Snapshot};

use super::evidence::fresh;

/// What sort of dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DepKind {
    /// A storage account (task hub, queues, content).
    Storage,
    /// A Service Bus or Event Hubs namespace.
    Messaging,
    /// Anything else a health check names (a downstream API).
    Other,
}

/// A dependency seen failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    /// What sort.
    pub kind: DepKind,
    /// The account, namespace or check name.
    pub name: String,
    /// The geo-DR alias in front of a messaging namespace.
    pub alias: Option<String>,
    /// How it was seen (`storage check on func-x`).
    pub seen: String,
    /// When the read that showed it was made.
    pub at: Option<DateTime<Utc>>,
    /// The read (`GET /api/health`, `ARM storage accounts`, `queue metadata`).
    pub source: String,
}

impl Dependency {
    /// Words: `storage stordersprodkrc (queue check on func-fulfil-prod-krc)`.
    pub fn words(&self) -> String {
        let kind = match self.kind {
            DepKind::Storage => "storage",
            DepKind::Messaging => "messaging",
            DepKind::Other => "dependency",
        };
        format!("{kind} {} ({})", self.name, self.seen)
    }
}

fn queue_account(estate: &Estate, app: &str, kinds: &[QueueKind]) -> Option<String> {
    estate
        .queues
        .iter()
        .find(|q| q.app == app && kinds.contains(&q.kind))
        .map(|q| q.account.clone())
}

/// The storage account an app's `storage` check most likely names: its task hub's, else the
/// account of a Storage queue it consumes.
pub fn storage_of(estate: &Estate, app: &str) -> Option<String> {
    estate
        .app(app)
        .and_then(|a| a.task_hub_storage.clone())
        .or_else(|| queue_account(estate, app, &[QueueKind::Storage]))
}

/// The dependency a health check of `app` names, or `None` for the app's own check.
pub fn dependency_of_check(estate: &Estate, app: &str, check: &str) -> Option<Dependency> {
    let c = check.to_ascii_lowercase().replace(['-', '_'], "");
    let seen = format!("{check} check on {app}");
    let (kind, name) = match c.as_str() {
        "application" | "app" | "self" => return None,
        "storage" => (DepKind::Storage, storage_of(estate, app)),
        "queue" | "queues" => (
            DepKind::Storage,
            queue_account(estate, app, &[QueueKind::Storage]),
        ),
        "servicebus" | "sb" => (
            DepKind::Messaging,
            queue_account(estate, app, &[QueueKind::ServiceBus]),
        ),
        "eventhubs" | "eventhub" | "eh" => (
            DepKind::Messaging,
            queue_account(estate, app, &[QueueKind::EventHubs]),
        ),
        "messaging" => (
            DepKind::Messaging,
            queue_account(estate, app, &[QueueKind::ServiceBus, QueueKind::EventHubs]),
        ),
        _ => (DepKind::Other, None),
    };
    let name = name.unwrap_or_else(|| format!("{check} of {app}"));
    let alias = estate
        .geo_dr_aliases
        .iter()
        .find(|a| a.primary_namespace == name || a.secondary_namespace == name)
        .map(|a| a.name.clone());
    Some(Dependency {
        kind,
        name,
        alias,
        seen,
        at: None,
        source: "health check".to_owned(),
    })
}

/// The failing dependencies an app's (fresh) health report names, with the read's time.
pub fn failing_checks(estate: &Estate, app: &AppState, now: DateTime<Utc>) -> Vec<Dependency> {
    let Some(slot) = app.production() else {
        return Vec::new();
    };
    let Ok(report) = fresh(&slot.health, now) else {
        return Vec::new();
    };
    report
        .checks
        .iter()
        .filter(|(_, h)| !h.is_ok() && **h != Health::Unknown)
        .filter_map(|(name, _)| dependency_of_check(estate, &app.name, name))
        .map(|d| Dependency {
            at: slot.health.at,
            source: slot.health.source.clone(),
            ..d
        })
        .collect()
}

/// Whether an app's production health, freshly read, says it is failing.
pub fn is_failing(app: &AppState, now: DateTime<Utc>) -> Option<bool> {
    let report = app.production().and_then(|s| fresh(&s.health, now).ok())?;
    Some(matches!(
        report.status,
        Health::Unhealthy | Health::Unreachable
    ))
}

/// One region as the evidence shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegionView {
    /// Short name.
    pub name: String,
    /// Apps in the region.
    pub apps: usize,
    /// Apps freshly seen healthy.
    pub healthy: Vec<String>,
    /// Apps freshly seen failing.
    pub failing: Vec<String>,
    /// Dependencies failing (distinct).
    pub deps: Vec<Dependency>,
    /// Platform (Resource Health) not available: app and Azure's word.
    pub platform: Vec<(String, String)>,
    /// What could not be read freshly.
    pub unknown: Vec<String>,
}

impl RegionView {
    /// Failing apps plus failing dependencies.
    pub fn signals(&self) -> usize {
        self.failing.len() + self.deps.len()
    }

    /// A regional or shared-dependency issue: two or more apps or dependencies failing, or an
    /// app failing while the platform is degraded there.
    pub fn is_bad(&self) -> bool {
        self.signals() >= 2 || (!self.failing.is_empty() && !self.platform.is_empty())
    }

    /// Every app healthy, nothing failing, platform available, nothing unknown.
    pub fn is_healthy(&self) -> bool {
        self.healthy.len() == self.apps
            && self.deps.is_empty()
            && self.platform.is_empty()
            && self.unknown.is_empty()
    }

    /// Plain words with the counts.
    pub fn words(&self) -> String {
        let mut parts = vec![format!(
            "{} of {} apps failing{}",
            self.failing.len(),
            self.apps,
            list(&self.failing)
        )];
        if !self.deps.is_empty() {
            let deps: Vec<String> = self.deps.iter().map(Dependency::words).collect();
            parts.push(format!(
                "{} dependencies failing: {}",
                self.deps.len(),
                deps.join("; ")
            ));
        }
        if self.platform.is_empty() {
            parts.push("platform available".to_owned());
        } else {
            let p: Vec<String> = self
                .platform
                .iter()
                .map(|(a, w)| format!("{w} for {a}"))
                .collect();
            parts.push(format!("platform {}", p.join(", ")));
        }
        if !self.unknown.is_empty() {
            parts.push(format!("not known: {}", self.unknown.join("; ")));
        }
        format!("{}: {}", self.name, parts.join(", "))
    }
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!(" ({})", names.join(", "))
    }
}

/// The view of one region at `now`.
pub fn region_view(
    snap: &Snapshot,
    estate: &Estate,
    region: &str,
    now: DateTime<Utc>,
) -> RegionView {
    let mut v = RegionView {
        name: region.to_owned(),
        ..RegionView::default()
    };
    let mut platform_read = false;
    for app in snap.apps.iter().filter(|a| a.region == region) {
        v.apps += 1;
        match app.production().map(|s| fresh(&s.health, now)) {
            Some(Ok(r)) if matches!(r.status, Health::Unhealthy | Health::Unreachable) => {
                v.failing.push(app.name.clone());
            }
            Some(Ok(r)) if r.status == Health::Healthy => v.healthy.push(app.name.clone()),
            Some(Ok(_)) => {}
            Some(Err(e)) => v.unknown.push(format!("{} health {e}", app.name)),
            None => v.unknown.push(format!("{}: no production slot", app.name)),
        }
        for d in failing_checks(estate, app, now) {
            if !v.deps.iter().any(|x| x.kind == d.kind && x.name == d.name) {
                v.deps.push(d);
            }
        }
        if let Ok(p) = fresh(&app.platform, now) {
            platform_read = true;
            if matches!(p.state, Health::Degraded | Health::Unhealthy) {
                v.platform.push((app.name.clone(), p.word.clone()));
            }
        }
    }
    if !platform_read && v.apps > 0 {
        v.unknown
            .push("platform health (Resource Health) not freshly read".to_owned());
    }
    super::dependencies::region_stores(snap, region, now, &mut v.deps);
    v
}

/// The alias to fail over when every failing dependency is a messaging namespace behind one
/// geo-DR alias whose primary is in the failing region.
pub fn messaging_alias<'a>(estate: &'a Estate, view: &RegionView) -> Option<&'a GeoDrAlias> {
    let first = view.deps.first()?;
    if view.deps.iter().any(|d| d.kind != DepKind::Messaging) {
        return None;
    }
    let name = first.alias.as_deref()?;
    if view.deps.iter().any(|d| d.alias.as_deref() != Some(name)) {
        return None;
    }
    estate
        .geo_dr_aliases
        .iter()
        .find(|a| a.name == name && a.primary_region == view.name)
}

/// The affected apps, in snapshot order: those the incident names, those freshly seen failing,
/// and those running timer functions that already run in their counterpart's region.
pub fn affected<'a>(
    snap: &'a Snapshot,
    estate: &Estate,
    cx: &super::DecideContext,
    now: DateTime<Utc>,
) -> Vec<&'a AppState> {
    let named = |a: &AppState| {
        cx.incident
            .as_ref()
            .is_some_and(|i| i.apps.contains(&a.name))
    };
    let twice = super::timers::duplicated(snap, estate);
    snap.apps
        .iter()
        .filter(|a| named(a) || is_failing(a, now) == Some(true) || twice.contains(&a.name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_name_the_dependencies_the_estate_gives_them() {
        let e = Estate::demo();
        let d = dependency_of_check(&e, "func-fulfil-prod-krc", "queue").expect("dep");
        assert_eq!(
            (d.kind, d.name.as_str()),
            (DepKind::Storage, "stordersprodkrc")
        );
        let d = dependency_of_check(&e, "func-fulfil-prod-krc", "servicebus").expect("dep");
        assert_eq!(d.name, "sb-functions-prod-krc");
        assert_eq!(d.alias.as_deref(), Some("sb-functions-prod"));
        let d = dependency_of_check(&e, "func-workflow-prod-krc", "storage").expect("dep");
        assert_eq!(d.name, "stworkflowprod");
        let d = dependency_of_check(&e, "func-orders-prod-krc", "downstream").expect("dep");
        assert_eq!(d.kind, DepKind::Other);
        assert!(dependency_of_check(&e, "func-orders-prod-krc", "application").is_none());
    }

    #[test]
    fn a_region_is_bad_with_two_signals_or_a_failing_app_on_a_degraded_platform() {
        let mut v = RegionView {
            name: "krc".into(),
            apps: 3,
            failing: vec!["a".into()],
            ..RegionView::default()
        };
        assert!(!v.is_bad());
        v.platform.push(("a".into(), "Degraded".into()));
        assert!(v.is_bad());
        v.platform.clear();
        v.deps.push(Dependency {
            kind: DepKind::Other,
            name: "downstream".into(),
            alias: None,
            seen: "x".into(),
            at: None,
            source: "health check".into(),
        });
        assert!(v.is_bad());
        assert!(
            v.words().contains("1 of 3 apps failing (a)"),
            "{}",
            v.words()
        );
    }
}
