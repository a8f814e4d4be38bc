//! Health, derived from state: each app slot's health report (the runbook's JSON: status, checks,
//! version, durationMs, timestamp) and the platform's view of a resource (Resource Health).
//!
//! The application check follows the running version's failure probability (a bad release makes
//! it Unhealthy) and fails while the runtime is corrupted or the slot's worker is stuck; the storage and queue checks follow dependency failures and storage outages; a
//! region outage makes the app unreachable; a host still starting after a deployment (the
//! scenario's cold start) is Unhealthy and answers without a report. The platform view only knows about platform problems
//! (region and storage outages): a bad release is not one. Owns these rules, nothing else.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::World;
use super::history::History;
use crate::config::QueueKind;
use crate::sim::rng::noise;
use crate::sim::scenario::Check;

/// A health word, ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HealthStatus {
    /// Everything works.
    Healthy,
    /// Working with problems.
    Degraded,
    /// Not working.
    Unhealthy,
}

impl HealthStatus {
    /// The word the health endpoint writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Healthy => "Healthy",
            Self::Degraded => "Degraded",
            Self::Unhealthy => "Unhealthy",
        }
    }
}

/// An app slot's health report at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthReport {
    /// The worst of the checks.
    pub status: HealthStatus,
    /// Check name to status (`application`, `storage`, `queue`, and `downstream` while failing).
    pub checks: BTreeMap<&'static str, HealthStatus>,
    /// The running version.
    pub version: String,
    /// How long the check took.
    pub duration_ms: u64,
    /// When.
    pub at: DateTime<Utc>,
    /// Whether the app answers at all (false in a region outage).
    pub reachable: bool,
    /// Whether the slot's host is still starting after a deployment: it answers 503 without a
    /// report, and counts as Unhealthy.
    pub starting: bool,
}

/// The platform's view of a resource at an instant (Resource Health).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformStatus {
    /// Whether the platform serves the resource.
    pub available: bool,
    /// When the current state began.
    pub since: DateTime<Utc>,
    /// Why, in a few words, when unavailable.
    pub cause: Option<&'static str>,
}

/// Failure probability at which the application check turns Degraded.
const DEGRADED_AT: f64 = 0.05;
/// Failure probability at which the application check turns Unhealthy.
const UNHEALTHY_AT: f64 = 0.2;

impl World {
    /// Whether a region (short name) is out at `t`.
    pub fn region_out(&self, region: &str, t: DateTime<Utc>) -> bool {
        self.region_history(region).is_some_and(|h| *h.at(t))
    }

    pub(super) fn region_history(&self, region: &str) -> Option<&History<bool>> {
        self.regions_out.get(region)
    }

    /// Whether a check of an app fails at `t` because of a dependency failure or an outage of the
    /// storage behind it.
    pub(super) fn check_failing(&self, app: usize, check: Check, t: DateTime<Utc>) -> bool {
        let a = &self.apps[app];
        if a.failing_checks.at(t).contains(&check) {
            return true;
        }
        match check {
            Check::Storage => a
                .storage_account
                .as_deref()
                .is_some_and(|s| self.storage_out(s, t)),
            Check::Queue => self.queues.iter().any(|q| {
                q.app == Some(app)
                    && q.kind == QueueKind::Storage
                    && self.storage_out(&q.account, t)
            }),
            Check::Downstream => false,
        }
    }

    /// The health report of an app slot (indices into [`World::apps`]) at `t`.
    pub fn health(&self, app: usize, slot: usize, t: DateTime<Utc>) -> HealthReport {
        let a = &self.apps[app];
        let s = &a.slots[slot];
        let version = s.version.at(t).clone();
        let second = t.timestamp();
        let base = 18.0 + 30.0 * noise(self.seed(), &["health-ms", &a.name, &s.name], second);
        if self.region_out(&a.region, t) {
            let checks = [
                ("application", HealthStatus::Unhealthy),
                ("storage", HealthStatus::Unhealthy),
                ("queue", HealthStatus::Unhealthy),
            ];
            return HealthReport {
                status: HealthStatus::Unhealthy,
                checks: checks.into_iter().collect(),
                version,
                duration_ms: 30_000,
                at: t,
                reachable: false,
                starting: false,
            };
        }
        if s.starting(t) {
            return HealthReport {
                status: HealthStatus::Unhealthy,
                checks: BTreeMap::from([("application", HealthStatus::Unhealthy)]),
                version,
                duration_ms: 0,
                at: t,
                reachable: true,
                starting: true,
            };
        }
        let profile = self.profile_at(&version, t);
        let app_check = if self.corrupted(app, t)
            || *s.stuck.at(t)
            || profile.failure_probability >= UNHEALTHY_AT
        {
            HealthStatus::Unhealthy
        } else if profile.failure_probability >= DEGRADED_AT {
            HealthStatus::Degraded
        } else {
            HealthStatus::Healthy
        };
        let mut checks = BTreeMap::from([("application", app_check)]);
        let mut timeouts = 0.0;
        for check in [Check::Storage, Check::Queue, Check::Downstream] {
            let failing = self.check_failing(app, check, t);
            if failing {
                timeouts += 2_000.0;
                checks.insert(check.key(), HealthStatus::Unhealthy);
            } else if check != Check::Downstream {
                checks.insert(check.key(), HealthStatus::Healthy);
            }
        }
        for key in self.failing_messaging(app, t) {
            timeouts += 2_000.0;
            checks.insert(key, HealthStatus::Unhealthy);
        }
        let status = checks
            .values()
            .copied()
            .max()
            .unwrap_or(HealthStatus::Healthy);
        let slowdown = (profile.latency_p50_ms / 85.0).clamp(0.5, 6.0);
        HealthReport {
            status,
            checks,
            version,
            duration_ms: (base * slowdown + timeouts).round() as u64,
            at: t,
            reachable: true,
            starting: false,
        }
    }

    /// The platform's view, at `t`, of a resource in `region` (none for global resources and for
    /// storage, whose primary stays reachable in a regional compute outage) that may also have its
    /// own outage history (a storage account's).
    pub fn platform_status(
        &self,
        region: Option<&str>,
        own_outage: Option<&History<bool>>,
        t: DateTime<Utc>,
    ) -> PlatformStatus {
        let region_h = region.and_then(|r| self.region_history(r));
        let region_since = region_h.and_then(|h| h.true_since(t));
        let own_since = own_outage.and_then(|h| h.true_since(t));
        let down_since = match (region_since, own_since) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(since) = down_since {
            return PlatformStatus {
                available: false,
                since: since.max(self.start() - TimeDelta::days(30)),
                cause: Some(if region_since.is_some() {
                    "a platform outage in the region"
                } else {
                    "a storage service outage"
                }),
            };
        }
        // Available since the last recovery, or for a long time.
        let last_change = [
            region_h.and_then(|h| {
                h.changes()
                    .iter()
                    .rev()
                    .find(|(ct, _)| *ct <= t)
                    .map(|c| c.0)
            }),
            own_outage.and_then(|h| {
                h.changes()
                    .iter()
                    .rev()
                    .find(|(ct, _)| *ct <= t)
                    .map(|c| c.0)
            }),
        ]
        .into_iter()
        .flatten()
        .max();
        PlatformStatus {
            available: true,
            since: last_change.unwrap_or(self.start() - TimeDelta::days(30)),
            cause: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Estate;
    use crate::sim::scenario::Scenario;

    fn world(name: &str) -> World {
        World::new(&Estate::demo(), &Scenario::builtin(name).expect("scenario")).expect("world")
    }

    #[test]
    fn bad_release_makes_production_unhealthy_and_leaves_staging_healthy() {
        let mut w = world("bad-release");
        let start = w.start();
        w.advance_to(start + TimeDelta::minutes(3));
        let app = w.app_index("func-orders-prod-krc").expect("app");
        let before = w.health(app, 0, start + TimeDelta::seconds(60));
        assert_eq!(before.status, HealthStatus::Healthy);
        assert_eq!(before.version, "2026.03.28");
        let after = w.health(app, 0, start + TimeDelta::minutes(2));
        assert_eq!(after.status, HealthStatus::Unhealthy);
        assert_eq!(after.checks["application"], HealthStatus::Unhealthy);
        assert_eq!(after.checks["storage"], HealthStatus::Healthy);
        assert_eq!(after.version, "2026.04.04");
        let staging = w.health(app, 1, start + TimeDelta::minutes(2));
        assert_eq!(staging.status, HealthStatus::Healthy);
        assert_eq!(staging.version, "2026.03.28");
        // The platform sees no problem in a bad release.
        let p = w.platform_status(Some("krc"), None, start + TimeDelta::minutes(2));
        assert!(p.available);
    }

    #[test]
    fn region_outage_makes_apps_unreachable_and_the_platform_unavailable() {
        let mut w = world("region-outage");
        let start = w.start();
        w.advance_to(start + TimeDelta::minutes(2));
        let t = start + TimeDelta::minutes(2);
        for a in 0..w.apps().len() {
            let h = w.health(a, 0, t);
            let in_krc = w.apps()[a].region == "krc";
            assert_eq!(!h.reachable, in_krc, "{}", w.apps()[a].name);
            assert_eq!(h.status == HealthStatus::Unhealthy, in_krc);
        }
        let p = w.platform_status(Some("krc"), None, t);
        assert!(!p.available);
        assert_eq!(p.since, start + TimeDelta::minutes(1));
        assert!(w.platform_status(Some("jpe"), None, t).available);
    }

    #[test]
    fn a_host_starts_cold_after_a_deployment_only_when_the_scenario_says_so() {
        let world_at = |name: &str, cold: f64| {
            let mut s = Scenario::builtin(name).expect("scenario");
            s.defaults.cold_start_seconds = cold;
            let mut w = World::new(&Estate::demo(), &s).expect("world");
            let start = w.start();
            w.advance_to(start + TimeDelta::minutes(3));
            (w, start)
        };
        // Release 2026.04.06 goes straight to production at 1:00; with a 40 s cold start its
        // host answers from 1:40.
        let (w, start) = world_at("b-redeploy", 40.0);
        let app = w.app_index("func-fulfil-prod-krc").expect("app");
        let at = |s: i64| w.health(app, 0, start + TimeDelta::seconds(s));
        assert!(!at(59).starting && at(59).status == HealthStatus::Healthy);
        for s in [60, 80, 99] {
            let h = at(s);
            assert!(h.starting && h.reachable, "{s}s: {h:?}");
            assert_eq!(h.status, HealthStatus::Unhealthy);
            assert_eq!(h.version, "2026.04.06");
        }
        assert!(!at(100).starting, "warm at 1:40");
        assert_eq!(at(100).version, "2026.04.06");

        // A zip deploy through the API starts it cold again when it completes.
        let (mut w, _) = world_at("b-redeploy", 40.0);
        w.begin_deploy(
            "func-fulfil-prod-krc",
            "production",
            "2026.03.25",
            None,
            "me",
        )
        .expect("begins");
        let done = w.now() + super::super::writes::DEFAULT_DEPLOY_DURATION;
        w.advance_to(done + TimeDelta::seconds(10));
        let h = w.health(app, 0, done + TimeDelta::seconds(10));
        assert!(h.starting && h.version == "2026.03.25", "{h:?}");
        w.advance_to(done + TimeDelta::seconds(40));
        let h = w.health(app, 0, done + TimeDelta::seconds(40));
        assert_eq!(h.status, HealthStatus::Healthy, "{h:?}");

        // A swap warms the source first: the release deployed to staging at 0:50 and swapped
        // in at 1:10 is not starting in either slot after the swap.
        let (w, start) = world_at("bad-release", 40.0);
        let orders = w.app_index("func-orders-prod-krc").expect("app");
        let t = |s: i64| start + TimeDelta::seconds(s);
        assert!(
            w.health(orders, 1, t(60)).starting,
            "staging after its deploy"
        );
        assert!(!w.health(orders, 0, t(60)).starting);
        assert!(!w.health(orders, 0, t(75)).starting && !w.health(orders, 1, t(75)).starting);

        // Without one (the built-in scenarios), the new version answers at once.
        let (w, start) = world_at("b-redeploy", 0.0);
        assert!(!w.health(app, 0, start + TimeDelta::seconds(60)).starting);
    }

    #[test]
    fn health_durations_are_plausible_and_repeatable() {
        let w = world("calm");
        let t = w.start();
        let a = w.health(0, 0, t);
        assert!((9..=100).contains(&a.duration_ms), "{}", a.duration_ms);
        assert_eq!(a, w.health(0, 0, t));
    }
}
