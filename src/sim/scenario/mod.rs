//! Scenario files (`assets/scenarios/*.toml`): what the simulated estate looks like at the start
//! and what happens to it afterwards.
//!
//! A scenario gives the seed, the virtual start time, the default clock speed and ARM page size,
//! the release versions with their behaviour (failure probability and latency), each app's initial
//! slots and deployment history and request load, queue rates, storage geo-replication lag, alias
//! replication backlog, and the fault timeline ([`Event`]). Settings and keys are not written here:
//! the world generates them from the estate. This module owns the file format and its checks
//! against an estate; it never touches the world or the network.

mod events;
mod init;
mod offset;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Estate;

pub use events::{Check, Event, Toggle};
pub use init::{
    AliasInit, AppInit, Defaults, DeploymentInit, QueueInit, StorageInit, VersionProfile,
};
pub use offset::{Offset, OffsetError};

/// The scenarios shipped in the binary, by name.
const BUILTIN: &[(&str, &str)] = &[
    (
        "a-slot-swap",
        include_str!("../../../assets/scenarios/a-slot-swap.toml"),
    ),
    (
        "b-redeploy",
        include_str!("../../../assets/scenarios/b-redeploy.toml"),
    ),
    (
        "bad-release",
        include_str!("../../../assets/scenarios/bad-release.toml"),
    ),
    (
        "c-event-hubs",
        include_str!("../../../assets/scenarios/c-event-hubs.toml"),
    ),
    (
        "c-front-door",
        include_str!("../../../assets/scenarios/c-front-door.toml"),
    ),
    (
        "c-traffic-manager",
        include_str!("../../../assets/scenarios/c-traffic-manager.toml"),
    ),
    ("calm", include_str!("../../../assets/scenarios/calm.toml")),
    (
        "d-rebuild",
        include_str!("../../../assets/scenarios/d-rebuild.toml"),
    ),
    (
        "duplicate-timers",
        include_str!("../../../assets/scenarios/duplicate-timers.toml"),
    ),
    (
        "durable-storage",
        include_str!("../../../assets/scenarios/durable-storage.toml"),
    ),
    (
        "region-outage",
        include_str!("../../../assets/scenarios/region-outage.toml"),
    ),
    (
        "secondary-out-of-sync",
        include_str!("../../../assets/scenarios/secondary-out-of-sync.toml"),
    ),
    (
        "throttled",
        include_str!("../../../assets/scenarios/throttled.toml"),
    ),
];

/// The scenario `warroom demo` uses when none is named.
pub const DEFAULT_SCENARIO: &str = "bad-release";

/// A whole scenario file.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scenario {
    /// Short name.
    pub name: String,
    /// What happens, in a sentence or two.
    pub description: String,
    /// Seed of every random draw (noise, fake secrets, message ids).
    pub seed: u64,
    /// Virtual time at offset zero (RFC 3339).
    pub start: DateTime<Utc>,
    /// Default clock speed: virtual seconds per real second.
    #[serde(default = "one")]
    pub speed: f64,
    /// Items per page of ARM lists.
    #[serde(default = "default_page_size")]
    pub page_size: usize,
    /// Values for everything not set per app, queue, account or alias.
    #[serde(default)]
    pub defaults: Defaults,
    /// Release versions and how they behave.
    #[serde(default)]
    pub versions: BTreeMap<String, VersionProfile>,
    /// Per-app initial state.
    #[serde(default, rename = "app")]
    pub apps: Vec<AppInit>,
    /// Per-queue rates.
    #[serde(default, rename = "queue")]
    pub queues: Vec<QueueInit>,
    /// Per-storage-account replication.
    #[serde(default, rename = "storage-account")]
    pub storage_accounts: Vec<StorageInit>,
    /// Per-alias replication backlog.
    #[serde(default, rename = "alias")]
    pub aliases: Vec<AliasInit>,
    /// The fault timeline.
    #[serde(default, rename = "event")]
    pub events: Vec<Event>,
    /// What makes the scenario a drill: narrative, hints, expected strategy, targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drill: Option<crate::drill::DrillSpec>,
}

fn one() -> f64 {
    1.0
}

fn default_page_size() -> usize {
    100
}

/// Why a scenario cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// No built-in scenario has that name.
    #[error("no built-in scenario named {name:?} (known: {known})")]
    UnknownBuiltin {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: String,
    },
    /// The TOML did not parse.
    #[error("scenario {origin}: {message}")]
    Parse {
        /// Which file.
        origin: String,
        /// The parser's message (with line and column).
        message: String,
    },
    /// The scenario is inconsistent or names something the estate lacks.
    #[error("scenario {scenario}: {what}")]
    Invalid {
        /// The scenario's name.
        scenario: String,
        /// What is wrong.
        what: String,
    },
}

impl Scenario {
    /// Parses scenario text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, ScenarioError> {
        let s: Self = toml::from_str(text).map_err(|e| ScenarioError::Parse {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        s.check_self()?;
        Ok(s)
    }

    /// Reads and parses a scenario file.
    pub fn load(path: &std::path::Path) -> Result<Self, ScenarioError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::Parse {
            origin: origin.clone(),
            message: format!("cannot read the file: {e}"),
        })?;
        Self::parse(&text, &origin)
    }

    /// A scenario shipped in the binary.
    pub fn builtin(name: &str) -> Result<Self, ScenarioError> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            ScenarioError::UnknownBuiltin {
                name: name.to_owned(),
                known: Self::list().join(", "),
            }
        })?;
        Self::parse(text, &format!("assets/scenarios/{name}.toml"))
    }

    /// The names of the built-in scenarios.
    pub fn list() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _)| *n).collect()
    }

    /// The behaviour of a version (the default profile when the scenario does not list it).
    pub fn profile(&self, version: &str) -> VersionProfile {
        self.versions
            .get(version)
            .copied()
            .unwrap_or(self.defaults.profile)
    }

    /// The virtual time of an offset.
    pub fn time_of(&self, at: Offset) -> DateTime<Utc> {
        self.start + at.delta()
    }

    fn invalid(&self, what: impl Into<String>) -> ScenarioError {
        ScenarioError::Invalid {
            scenario: self.name.clone(),
            what: what.into(),
        }
    }

    /// Checks what can be checked without an estate.
    fn check_self(&self) -> Result<(), ScenarioError> {
        if !(self.speed.is_finite() && self.speed > 0.0) {
            return Err(self.invalid("speed must be a positive number"));
        }
        if self.page_size == 0 {
            return Err(self.invalid("page-size must be at least 1"));
        }
        let profiles = self
            .versions
            .iter()
            .map(|(v, p)| (format!("version {v}"), *p))
            .chain([("defaults.profile".to_owned(), self.defaults.profile)]);
        for (what, p) in profiles {
            check_profile(&what, p).map_err(|e| self.invalid(e))?;
        }
        if let Some(d) = &self.drill {
            let problems = d.problems();
            if !problems.is_empty() {
                return Err(self.invalid(problems.join("; ")));
            }
        }
        for e in &self.events {
            match e {
                Event::BadVersion {
                    version,
                    failure_probability,
                    latency_p50_ms,
                    latency_p95_ms,
                    ..
                } => check_profile(
                    &format!("bad-version {version}"),
                    VersionProfile {
                        failure_probability: *failure_probability,
                        latency_p50_ms: *latency_p50_ms,
                        latency_p95_ms: *latency_p95_ms,
                    },
                )
                .map_err(|m| self.invalid(m))?,
                Event::ApiErrors { status, .. } if !matches!(status, 500 | 503) => {
                    return Err(self.invalid(format!(
                        "api-errors status must be 500 or 503, not {status}"
                    )));
                }
                Event::ApiThrottling { duration, .. }
                | Event::ApiErrors { duration, .. }
                | Event::SlowApi { duration, .. }
                    if duration.as_secs() <= 0 =>
                {
                    return Err(self.invalid(format!(
                        "{} at {} needs a positive duration",
                        e.kind(),
                        e.at()
                    )));
                }
                _ => {}
            }
        }
        for app in &self.apps {
            for d in &app.deployments {
                if d.at.as_secs() >= 0 {
                    return Err(self.invalid(format!(
                        "app {}: past deployments must be before the start (a negative `at`), \
                         not {}",
                        app.name, d.at
                    )));
                }
            }
        }
        Ok(())
    }

    /// Checks that everything the scenario names exists in `estate`.
    pub fn check_against(&self, estate: &Estate) -> Result<(), ScenarioError> {
        super::world::check_scenario(self, estate).map_err(|what| self.invalid(what))
    }
}

fn check_profile(what: &str, p: VersionProfile) -> Result<(), String> {
    if !(0.0..=1.0).contains(&p.failure_probability) {
        return Err(format!(
            "{what}: failure-probability must be between 0 and 1"
        ));
    }
    if !(p.latency_p50_ms > 0.0 && p.latency_p95_ms >= p.latency_p50_ms) {
        return Err(format!(
            "{what}: latencies must be positive with p95 at least p50"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses_and_fits_the_demo_estate() {
        let estate = Estate::demo();
        assert!(Scenario::list().contains(&DEFAULT_SCENARIO));
        for name in Scenario::list() {
            let s = Scenario::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(s.name, name);
            s.check_against(&estate)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn unknown_builtin_lists_the_known_ones() {
        let e = Scenario::builtin("nope").expect_err("unknown");
        assert!(e.to_string().contains("bad-release"), "{e}");
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_name() {
        let text = "name='x'\ndescription='d'\nseed=1\nstart='2026-01-01T00:00:00Z'\ncolour=1\n";
        let e = Scenario::parse(text, "x.toml").expect_err("unknown key");
        assert!(e.to_string().contains("colour"), "{e}");
        let text = "name='x'\ndescription='d'\nseed=1\nstart='2026-01-01T00:00:00Z'\n\
                    [[event]]\nkind='swap'\nat='1m'\napp='a'\nslott='s'\n";
        let e = Scenario::parse(text, "x.toml").expect_err("unknown event key");
        assert!(e.to_string().contains("slott"), "{e}");
    }

    #[test]
    fn inconsistent_values_are_rejected() {
        let head = "name='x'\ndescription='d'\nseed=1\nstart='2026-01-01T00:00:00Z'\n";
        let cases = [
            (
                "[[event]]\nkind='api-errors'\nat='1m'\nduration='1m'\nstatus=404\n",
                "500 or 503",
            ),
            (
                "[versions.'1']\nfailure-probability=2.0\nlatency-p50-ms=1\nlatency-p95-ms=2\n",
                "between 0 and 1",
            ),
            (
                "[[event]]\nkind='slow-api'\nat='1m'\nduration='0'\ndelay-ms=5\n",
                "positive duration",
            ),
            (
                "[[app]]\nname='a'\n[[app.deployment]]\nversion='1'\nat='1m'\n",
                "before the start",
            ),
        ];
        for (body, expected) in cases {
            let e = Scenario::parse(&format!("{head}{body}"), "x.toml").expect_err(body);
            assert!(e.to_string().contains(expected), "{e}");
        }
    }

    #[test]
    fn the_default_scenario_makes_a_bad_release_in_the_first_minutes() {
        let s = Scenario::builtin(DEFAULT_SCENARIO).expect("builtin");
        let swap = s
            .events
            .iter()
            .find(|e| matches!(e, Event::Swap { .. }))
            .expect("a swap");
        assert!((30..=120).contains(&swap.at().as_secs()));
        assert!(s.profile("2026.04.04").failure_probability >= 0.2);
        assert!(s.profile("2026.03.28").failure_probability < 0.02);
    }
}
