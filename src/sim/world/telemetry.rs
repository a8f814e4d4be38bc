//! Telemetry derived from state, never scripted: per-minute requests, failures and latency of
//! an app slot, the numbers behind Azure Monitor's `Requests`, `Http5xx`, `HttpResponseTime` and
//! `AverageResponseTime`.
//!
//! requests = load × noise; failures ~ requests × the failure probability of what runs there
//! (version, dependency failures, region outage), with binomial-like noise; latency from the
//! version's profile, slowed by failing dependencies. Every draw is [`noise`] keyed by the app,
//! slot and minute, so a minute's numbers do not depend on when or in what order they are asked.

use chrono::{DateTime, TimeDelta, Utc};

use super::World;
use super::apps::PRODUCTION;
use crate::sim::rng::{jitter, noise};
use crate::sim::scenario::{Check, VersionProfile};

/// One minute of an app slot's traffic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinuteStats {
    /// Requests.
    pub requests: f64,
    /// Requests answered with a 5xx.
    pub failures: f64,
    /// Mean response time, ms.
    pub avg_ms: f64,
    /// Slowest response, ms.
    pub max_ms: f64,
    /// Fastest response, ms.
    pub min_ms: f64,
    /// The 95th percentile response time, ms (what Application Insights' `AppRequests` gives a
    /// `percentile(DurationMs, 95)` query): the version's p95, slowed as the average is.
    pub p95_ms: f64,
}

/// Latency of requests that time out in a region outage, ms.
const OUTAGE_LATENCY_MS: f64 = 30_000.0;

impl World {
    /// The behaviour of a version at `t` (after any `bad-version` event).
    pub fn profile_at(&self, version: &str, t: DateTime<Utc>) -> VersionProfile {
        self.version_changes
            .get(version)
            .map_or_else(|| self.scenario.profile(version), |h| *h.at(t))
    }

    /// The probability that a request to an app slot fails at `t`.
    pub fn failure_probability(&self, app: usize, slot: usize, t: DateTime<Utc>) -> f64 {
        let a = &self.apps[app];
        if self.region_out(&a.region, t) {
            return 1.0;
        }
        let version = a.slots[slot].version.at(t);
        let mut ok = 1.0 - self.profile_at(version, t).failure_probability;
        for (check, survive) in [
            (Check::Storage, 0.4),
            (Check::Queue, 0.85),
            (Check::Downstream, 0.7),
        ] {
            if self.check_failing(app, check, t) {
                ok *= survive;
            }
        }
        if self.corrupted(app, t) {
            ok *= 0.3;
        }
        if *a.slots[slot].stuck.at(t) {
            ok *= 0.25;
        }
        if !self.failing_messaging(app, t).is_empty() {
            ok *= 0.85;
        }
        (1.0 - ok).clamp(0.0, 1.0)
    }

    /// Requests per minute reaching an app slot at `t`.
    pub fn load(&self, app: usize, slot: usize, t: DateTime<Utc>) -> f64 {
        let a = &self.apps[app];
        if a.slots[slot].name == PRODUCTION {
            a.load_rpm * self.routing_load(app, t)
        } else {
            a.load_rpm * self.scenario.defaults.slot_load_fraction
        }
    }

    /// The traffic of an app slot in the minute starting at `minute` (sampled at its middle).
    pub fn minute_stats(&self, app: usize, slot: usize, minute: DateTime<Utc>) -> MinuteStats {
        let t = minute + TimeDelta::seconds(30);
        let m = minute.timestamp().div_euclid(60);
        let a = &self.apps[app];
        let key = |what: &'static str| [a.name.as_str(), a.slots[slot].name.as_str(), what];
        let seed = self.seed();
        let requests = (self.load(app, slot, t) * jitter(seed, &key("requests"), m, 0.12)).round();
        let p = self.failure_probability(app, slot, t);
        let mean = requests * p;
        let spread = (requests * p * (1.0 - p)).sqrt() * 1.7;
        let failures = (mean + spread * (2.0 * noise(seed, &key("failures"), m) - 1.0))
            .round()
            .clamp(0.0, requests);
        let version = a.slots[slot].version.at(t);
        let profile = self.profile_at(version, t);
        let (avg_ms, max_ms, min_ms, p95_ms) = if self.region_out(&a.region, t) {
            (
                OUTAGE_LATENCY_MS,
                OUTAGE_LATENCY_MS * 1.3,
                OUTAGE_LATENCY_MS * 0.5,
                OUTAGE_LATENCY_MS * 1.15,
            )
        } else {
            let dependency_failing = [Check::Storage, Check::Queue, Check::Downstream]
                .into_iter()
                .any(|c| self.check_failing(app, c, t));
            let dependency_factor = if dependency_failing { 2.5 } else { 1.0 };
            // The mean of a right-skewed latency sits above the median.
            let avg = profile.latency_p50_ms
                * 1.12
                * dependency_factor
                * jitter(seed, &key("avg"), m, 0.08);
            let max = profile.latency_p95_ms
                * 1.9
                * dependency_factor
                * jitter(seed, &key("max"), m, 0.2);
            let min = profile.latency_p50_ms * 0.22 * jitter(seed, &key("min"), m, 0.1);
            // Within ±10 % of the profile's p95 (less than the max's lowest draw, 1.52 × p95).
            let p95 =
                profile.latency_p95_ms * dependency_factor * jitter(seed, &key("p95"), m, 0.1);
            (avg, max.max(avg), min.min(avg), p95.min(max).max(min))
        };
        MinuteStats {
            requests,
            failures,
            avg_ms,
            max_ms,
            min_ms,
            p95_ms,
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

    fn rate(w: &World, app: usize, slot: usize, from: DateTime<Utc>, minutes: i64) -> (f64, f64) {
        let (mut req, mut fail, mut lat) = (0.0, 0.0, 0.0);
        for k in 0..minutes {
            let s = w.minute_stats(app, slot, from + TimeDelta::minutes(k));
            req += s.requests;
            fail += s.failures;
            lat += s.avg_ms;
        }
        (fail / req, lat / minutes as f64)
    }

    #[test]
    fn a_bad_release_raises_failures_and_latency_of_the_slot_running_it() {
        let mut w = world("bad-release");
        let start = w.start();
        w.advance_to(start + TimeDelta::minutes(12));
        let app = w.app_index("func-orders-prod-krc").expect("app");
        let (before, lat_before) = rate(&w, app, 0, start - TimeDelta::minutes(10), 10);
        let (after, lat_after) = rate(&w, app, 0, start + TimeDelta::minutes(2), 10);
        assert!(before < 0.01, "baseline failure rate {before}");
        assert!(
            (0.25..0.37).contains(&after),
            "bad release failure rate {after}"
        );
        assert!(lat_after > 2.0 * lat_before, "{lat_before} → {lat_after}");
        let (staging, _) = rate(&w, app, 1, start + TimeDelta::minutes(2), 10);
        assert!(staging < 0.05, "staging runs the good release: {staging}");
        let other = w.app_index("func-catalog-prod-krc").expect("app");
        let (other_after, _) = rate(&w, other, 0, start + TimeDelta::minutes(2), 10);
        assert!(
            other_after < 0.01,
            "other apps are unaffected: {other_after}"
        );
    }

    #[test]
    fn requests_follow_the_configured_load() {
        let w = world("calm");
        let app = w.app_index("func-orders-prod-krc").expect("app");
        let start = w.start();
        let total: f64 = (0..30)
            .map(|k| {
                w.minute_stats(app, 0, start - TimeDelta::minutes(k))
                    .requests
            })
            .sum();
        let per_minute = total / 30.0;
        assert!((1100.0..1300.0).contains(&per_minute), "{per_minute}");
    }

    #[test]
    fn the_minute_p95_follows_the_versions_profile_and_a_bad_release_raises_it() {
        let mut w = world("bad-release");
        let start = w.start();
        w.advance_to(start + TimeDelta::minutes(12));
        let app = w.app_index("func-orders-prod-krc").expect("app");
        let version = w.apps()[app].slots[0]
            .version
            .at(start - TimeDelta::minutes(5))
            .clone();
        let profile = w.profile_at(&version, start - TimeDelta::minutes(5));
        for k in 1..=10 {
            let s = w.minute_stats(app, 0, start - TimeDelta::minutes(k));
            let ratio = s.p95_ms / profile.latency_p95_ms;
            assert!((0.9..=1.1).contains(&ratio), "p95 {} vs profile", s.p95_ms);
            assert!(s.p95_ms <= s.max_ms && s.p95_ms >= s.min_ms, "{s:?}");
        }
        let before = w.minute_stats(app, 0, start - TimeDelta::minutes(3)).p95_ms;
        let after = w.minute_stats(app, 0, start + TimeDelta::minutes(5)).p95_ms;
        assert!(after > 2.0 * before, "{before} → {after}");
    }

    #[test]
    fn region_outage_fails_every_request_there() {
        let mut w = world("region-outage");
        let start = w.start();
        w.advance_to(start + TimeDelta::minutes(5));
        let app = w.app_index("func-catalog-prod-krc").expect("app");
        let s = w.minute_stats(app, 0, start + TimeDelta::minutes(3));
        assert!(s.requests > 0.0);
        assert!((s.failures - s.requests).abs() < f64::EPSILON);
        let jpe = w.app_index("func-catalog-prod-jpe").expect("app");
        assert!(
            w.minute_stats(jpe, 0, start + TimeDelta::minutes(3))
                .failures
                < 5.0
        );
    }
}
