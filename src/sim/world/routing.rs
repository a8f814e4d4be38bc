//! Traffic Manager endpoints and Front Door origins: their enabled state (world state, changed by
//! the timeline or a write) and their health as the services' own probes see it.
//!
//! Traffic Manager probes each endpoint's health path every 30 s and tolerates 3 failures: an
//! endpoint is Degraded after 4 failed probes in a row and Online again after one success. Front
//! Door samples the last 4 probes and needs 3 successes. A probe succeeds when the app answers its
//! health path with 200 (Healthy or Degraded). Owns that logic and nothing about load.

use chrono::{DateTime, TimeDelta, Utc};

use super::World;
use super::history::History;
use crate::config::TmEndpointType;
use crate::sim::scenario::Toggle;

/// Seconds between two probes (both services, as configured in the simulated profiles).
pub const PROBE_INTERVAL_SECONDS: i64 = 30;
/// Traffic Manager's tolerated number of failures.
pub const TM_TOLERATED_FAILURES: u32 = 3;
/// Front Door's sample size.
pub const FD_SAMPLE_SIZE: u32 = 4;
/// Front Door's successful samples required.
pub const FD_SUCCESSFUL_SAMPLES: u32 = 3;

/// A Traffic Manager endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct EndpointState {
    /// Name.
    pub name: String,
    /// Type (path segment).
    pub endpoint_type: TmEndpointType,
    /// Index of the target app.
    pub app: usize,
    /// Priority.
    pub priority: u16,
    /// Weight (weighted routing; 1 unless changed).
    pub weight: u16,
    /// Enabled or disabled, over time.
    pub status: History<Toggle>,
}

/// The Traffic Manager profile.
#[derive(Debug, Clone, PartialEq)]
pub struct TmState {
    /// Profile name.
    pub profile: String,
    /// Resource group.
    pub resource_group: String,
    /// Subscription id.
    pub subscription_id: String,
    /// Endpoints.
    pub endpoints: Vec<EndpointState>,
}

/// A Front Door origin.
#[derive(Debug, Clone, PartialEq)]
pub struct OriginState {
    /// Name.
    pub name: String,
    /// Index of the target app.
    pub app: usize,
    /// Priority.
    pub priority: u16,
    /// Weight.
    pub weight: u16,
    /// Enabled or disabled, over time.
    pub state: History<Toggle>,
}

/// The Front Door profile with its origin group.
#[derive(Debug, Clone, PartialEq)]
pub struct FdState {
    /// Profile name.
    pub profile: String,
    /// Origin group name.
    pub origin_group: String,
    /// Resource group.
    pub resource_group: String,
    /// Subscription id.
    pub subscription_id: String,
    /// Origins.
    pub origins: Vec<OriginState>,
}

/// The routing layer in front of the apps.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Routing {
    /// Traffic Manager, if the estate has one.
    pub tm: Option<TmState>,
    /// Front Door, if the estate has one.
    pub fd: Option<FdState>,
}

/// The probe grid time at or before `t`.
fn last_probe(t: DateTime<Utc>) -> DateTime<Utc> {
    let s = t.timestamp();
    let p = s - s.rem_euclid(PROBE_INTERVAL_SECONDS);
    DateTime::from_timestamp(p, 0).unwrap_or(t)
}

impl World {
    /// The routing layer.
    pub fn routing(&self) -> &Routing {
        &self.routing
    }

    /// Whether the health probe of an app's production slot succeeds at `t`.
    pub fn probe_ok(&self, app: usize, t: DateTime<Utc>) -> bool {
        let h = self.health(app, 0, t);
        h.reachable && h.status != super::health::HealthStatus::Unhealthy
    }

    /// The results of the last `n` probes of an app at or before `t`, newest first.
    fn probes(&self, app: usize, t: DateTime<Utc>, n: u32) -> impl Iterator<Item = bool> + '_ {
        let last = last_probe(t);
        (0..i64::from(n))
            .map(move |k| self.probe_ok(app, last - TimeDelta::seconds(k * PROBE_INTERVAL_SECONDS)))
    }

    /// A Traffic Manager endpoint's `endpointMonitorStatus` at `t`.
    pub fn endpoint_monitor_status(
        &self,
        endpoint: &EndpointState,
        t: DateTime<Utc>,
    ) -> &'static str {
        if !endpoint.status.at(t).is_enabled() {
            return "Disabled";
        }
        let failing = self
            .probes(endpoint.app, t, TM_TOLERATED_FAILURES + 1)
            .all(|ok| !ok);
        if failing { "Degraded" } else { "Online" }
    }

    /// The profile's `profileMonitorStatus` at `t`: Inactive with no endpoint enabled, Degraded
    /// when any enabled endpoint is, else Online.
    pub fn profile_monitor_status(&self, tm: &TmState, t: DateTime<Utc>) -> &'static str {
        let statuses: Vec<&str> = tm
            .endpoints
            .iter()
            .filter(|e| e.status.at(t).is_enabled())
            .map(|e| self.endpoint_monitor_status(e, t))
            .collect();
        if statuses.is_empty() {
            "Inactive"
        } else if statuses.contains(&"Degraded") {
            "Degraded"
        } else {
            "Online"
        }
    }

    /// Whether Front Door considers an origin healthy at `t` (enough of its last samples passed).
    pub fn origin_healthy(&self, origin: &OriginState, t: DateTime<Utc>) -> bool {
        let passed = self
            .probes(origin.app, t, FD_SAMPLE_SIZE)
            .filter(|ok| *ok)
            .count();
        passed >= FD_SUCCESSFUL_SAMPLES as usize
    }

    /// The share of its service's routed traffic an app's production slot gets at `t`, as a
    /// multiplier of its own load: 1 when nothing routes to it or its entries are enabled; 0 when
    /// every routing entry that targets it is disabled; more than 1 when it takes over the load of
    /// a disabled counterpart. (Health-based automatic failover is not modelled in the load.)
    pub fn routing_load(&self, app: usize, t: DateTime<Utc>) -> f64 {
        let entries = |a: usize| -> Vec<bool> {
            let mut v = Vec::new();
            if let Some(tm) = &self.routing.tm {
                v.extend(
                    tm.endpoints
                        .iter()
                        .filter(|e| e.app == a)
                        .map(|e| e.status.at(t).is_enabled()),
                );
            }
            if let Some(fd) = &self.routing.fd {
                v.extend(
                    fd.origins
                        .iter()
                        .filter(|o| o.app == a)
                        .map(|o| o.state.at(t).is_enabled()),
                );
            }
            v
        };
        let routed = |a: usize| !entries(a).is_empty();
        let enabled = |a: usize| entries(a).iter().any(|e| *e);
        if !routed(app) {
            return 1.0;
        }
        if !enabled(app) {
            return 0.0;
        }
        let me = &self.apps[app];
        let peers: Vec<usize> = (0..self.apps.len())
            .filter(|&i| self.apps[i].service == me.service && routed(i))
            .collect();
        let receivers: Vec<usize> = peers.iter().copied().filter(|&i| enabled(i)).collect();
        let moved: f64 = peers
            .iter()
            .filter(|&&i| !enabled(i))
            .map(|&i| self.apps[i].load_rpm)
            .sum();
        let receivers_load: f64 = receivers.iter().map(|&i| self.apps[i].load_rpm).sum();
        if me.load_rpm <= 0.0 || receivers_load <= 0.0 {
            return 1.0;
        }
        // The moved load is shared in proportion to the receivers' own loads.
        1.0 + moved / receivers_load
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
    fn endpoint_degrades_after_four_failed_probes_and_recovers_after_one() {
        let mut w = world("region-outage");
        let start = w.start();
        w.advance_to(start + TimeDelta::minutes(5));
        let tm = w.routing().tm.clone().expect("tm");
        let primary = &tm.endpoints[0];
        let at = |s: i64| start + TimeDelta::seconds(s);
        assert_eq!(w.endpoint_monitor_status(primary, at(59)), "Online");
        // Outage at 60 s: probes at 60, 90, 120 fail; the fourth failure (150 s) degrades it.
        assert_eq!(w.endpoint_monitor_status(primary, at(140)), "Online");
        assert_eq!(w.endpoint_monitor_status(primary, at(150)), "Degraded");
        assert_eq!(w.profile_monitor_status(&tm, at(150)), "Degraded");
        assert_eq!(
            w.endpoint_monitor_status(&tm.endpoints[1], at(150)),
            "Online"
        );
    }

    #[test]
    fn disabling_an_endpoint_moves_its_load_to_the_enabled_one() {
        let mut w = world("calm");
        let start = w.start();
        let krc = w.app_index("func-orders-prod-krc").expect("app");
        let jpe = w.app_index("func-orders-prod-jpe").expect("app");
        assert!((w.routing_load(krc, start) - 1.0).abs() < 1e-9);
        w.advance_to(start + TimeDelta::minutes(1));
        w.set_endpoint_status("primary-endpoint", Toggle::Disabled, "test")
            .expect("known endpoint");
        let t = w.now();
        assert!(w.routing_load(krc, t).abs() < 1e-9);
        let expected = 1.0 + w.apps()[krc].load_rpm / w.apps()[jpe].load_rpm;
        assert!((w.routing_load(jpe, t) - expected).abs() < 1e-9);
        let tm = w.routing().tm.clone().expect("tm");
        assert_eq!(w.endpoint_monitor_status(&tm.endpoints[0], t), "Disabled");
        // The past is unchanged.
        assert!((w.routing_load(krc, start) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn origins_follow_their_apps_probes() {
        let mut w = world("region-outage");
        let start = w.start();
        w.advance_to(start + TimeDelta::minutes(5));
        let fd = w.routing().fd.clone().expect("fd");
        assert!(w.origin_healthy(&fd.origins[0], start + TimeDelta::seconds(50)));
        assert!(!w.origin_healthy(&fd.origins[0], start + TimeDelta::minutes(3)));
        assert!(w.origin_healthy(&fd.origins[1], start + TimeDelta::minutes(3)));
    }
}
