//! The secondary-readiness gate's checks: for each (primary, secondary) pair an action reaches,
//! is the secondary healthy, warm (served requests in the last minutes), in step with the primary
//! (settings and keys by name and digest, the by-design regional differences set apart), and are
//! its timer functions disabled and ready to be enabled. Pure; only names reach the words.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};

use crate::config::Estate;
use crate::model::{AppState, Health};

use super::GateCheck;
use super::evidence::fresh;
use super::gates::Tally;
use super::reach::Reach;
use super::scope::failing_checks;
use super::sync::{DigestDiff, differs_by_design, no_exceptions, timer_disabled};

/// How far back "warm" looks for requests.
pub const WARM_WINDOW: Duration = Duration::minutes(5);

/// Whether `app` fails only on `dep` (the dependency the action restores), by its health checks.
pub fn fails_only_on(
    app: &AppState,
    dep: Option<&str>,
    estate: &Estate,
    now: DateTime<Utc>,
) -> bool {
    let Some(dep) = dep else {
        return false;
    };
    let failing = failing_checks(estate, app, now);
    !failing.is_empty() && failing.iter().all(|d| d.name == dep)
}

fn healthy(
    secondaries: &[&AppState],
    restores: Option<&str>,
    estate: &Estate,
    now: DateTime<Utc>,
) -> GateCheck {
    let mut t = Tally::default();
    let mut spared = Vec::new();
    for s in secondaries {
        match s.production().map(|p| fresh(&p.health, now)) {
            Some(Ok(r)) if r.status == Health::Healthy => {}
            Some(Ok(_)) if fails_only_on(s, restores, estate, now) => {
                spared.push(s.name.clone());
            }
            Some(Ok(r)) => t.fail.push(format!(
                "{} {}{}",
                s.name,
                r.status.label(),
                r.http_status.map(|c| format!(" ({c})")).unwrap_or_default()
            )),
            Some(Err(e)) => t.unknown.push(format!("{} health {e}", s.name)),
            None => t.fail.push(format!("{}: no production slot", s.name)),
        }
        match fresh(&s.platform, now) {
            Ok(p) if matches!(p.state, Health::Degraded | Health::Unhealthy) => {
                t.fail.push(format!("{} platform {}", s.name, p.word));
            }
            Ok(_) => t.pass.push(s.name.clone()),
            Err(e) => t.unknown.push(format!("{} platform {e}", s.name)),
        }
    }
    let restores = restores.unwrap_or_default();
    t.check("secondary healthy", |p| {
        let mut d = format!(
            "{} of {} healthy, platform available",
            p.len().saturating_sub(spared.len()),
            secondaries.len()
        );
        if !spared.is_empty() {
            let _ = write!(
                d,
                "; {} failing only on {restores}, which this action restores",
                spared.join(", ")
            );
        }
        d
    })
}

fn warm(secondaries: &[&AppState], now: DateTime<Utc>) -> GateCheck {
    let mut t = Tally::default();
    for s in secondaries {
        match fresh(&s.metrics, now) {
            Ok(points) => {
                let recent: Vec<f64> = points
                    .iter()
                    .filter(|p| p.at >= now - WARM_WINDOW - Duration::minutes(1))
                    .map(|p| p.requests)
                    .collect();
                let sum: f64 = recent.iter().sum();
                if recent.is_empty() {
                    t.unknown
                        .push(format!("{}: no metrics in the last 5 min", s.name));
                } else if sum > 0.0 {
                    t.pass.push(format!("{} {sum:.0} requests", s.name));
                } else {
                    t.fail
                        .push(format!("{}: 0 requests in the last 5 min (cold)", s.name));
                }
            }
            Err(e) => t.unknown.push(format!("{} metrics {e}", s.name)),
        }
    }
    t.check("secondary warm", |p| {
        format!("served requests in the last 5 min: {}", p.join(", "))
    })
}

fn in_sync(pairs: &[(&AppState, &AppState)], keys: bool, now: DateTime<Utc>) -> GateCheck {
    let mut t = Tally::default();
    let mut by_design: Vec<String> = Vec::new();
    for (p, s) in pairs {
        let (a, b) = if keys {
            (&p.keys, &s.keys)
        } else {
            (&p.settings, &s.settings)
        };
        match (fresh(a, now), fresh(b, now)) {
            (Ok(a), Ok(b)) => {
                let allow = if keys {
                    no_exceptions
                } else {
                    differs_by_design
                };
                let d = DigestDiff::between(a, b, allow);
                for n in d.by_design.clone() {
                    if !by_design.contains(&n) {
                        by_design.push(n);
                    }
                }
                if d.in_sync() {
                    t.pass.push(s.name.clone());
                } else {
                    t.fail
                        .push(format!("{} vs {}: {}", s.name, p.name, d.words()));
                }
            }
            (Err(e), _) => t.unknown.push(format!("{} {e}", p.name)),
            (_, Err(e)) => t.unknown.push(format!("{} {e}", s.name)),
        }
    }
    let name = if keys {
        "keys in sync"
    } else {
        "settings in sync"
    };
    t.check(name, |p| {
        let mut d = format!("{} of {} in sync by digest", p.len(), pairs.len());
        if !by_design.is_empty() {
            let _ = write!(d, " (differ by design: {})", by_design.join(", "));
        }
        d
    })
}

fn timers(
    pairs: &[(&AppState, &AppState)],
    acted_on: &[&AppState],
    estate: &Estate,
    now: DateTime<Utc>,
) -> GateCheck {
    let mut t = Tally::default();
    for (p, s) in pairs {
        // A timers action on `s` is what turns them on there and off in `p`.
        let target = acted_on.iter().any(|a| a.name == s.name);
        let Some(conf) = estate.app(&s.name) else {
            continue;
        };
        let functions = fresh(&s.functions, now).ok();
        let settings = fresh(&s.settings, now).ok();
        for timer in &conf.timer_functions {
            let present = functions.map(|fs| fs.iter().any(|f| f.name == *timer));
            match (
                present,
                timer_disabled(timer, functions.map(Vec::as_slice), settings),
            ) {
                (Some(false), _) => t.fail.push(format!("{timer} missing in {}", s.name)),
                (_, Some(true)) => t.pass.push(format!("{timer} in {}", s.name)),
                (_, Some(false)) if target => t.pass.push(format!(
                    "{timer} in {} (kept; disabled in {})",
                    s.name, p.name
                )),
                (_, Some(false)) => t.fail.push(format!(
                    "{timer} enabled in {} while {} is active: it would run in both",
                    s.name, p.name
                )),
                (_, None) => t.unknown.push(format!(
                    "{timer} in {}: functions and settings not freshly read",
                    s.name
                )),
            }
        }
    }
    t.check("timers ready", |p| {
        if p.is_empty() {
            "no timer functions".to_owned()
        } else {
            format!(
                "disabled in the passive region, ready to enable: {}",
                p.join(", ")
            )
        }
    })
}

/// The readiness checks of the pairs an action reaches.
pub fn checks(r: &Reach<'_>, estate: &Estate, now: DateTime<Utc>) -> Vec<GateCheck> {
    if r.pairs.is_empty() {
        let why = r.unresolved.clone().unwrap_or_else(|| {
            format!(
                "no counterpart app in {}",
                if r.towards.is_empty() {
                    "another region".to_owned()
                } else {
                    r.towards.join(", ")
                }
            )
        });
        return vec![GateCheck {
            name: "secondary exists".to_owned(),
            status: super::GateStatus::Fail,
            detail: why,
        }];
    }
    let mut secondaries: Vec<&AppState> = Vec::new();
    for (_, s) in &r.pairs {
        if !secondaries.iter().any(|x| x.name == s.name) {
            secondaries.push(s);
        }
    }
    vec![
        healthy(&secondaries, r.restores.as_deref(), estate, now),
        warm(&secondaries, now),
        in_sync(&r.pairs, false, now),
        in_sync(&r.pairs, true, now),
        timers(&r.pairs, &r.apps, estate, now),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::reach::reach;
    use crate::decide::{ActionKind, GateStatus, ProposedAction, testkit};
    use crate::model::SecretDigest;

    fn failover() -> ProposedAction {
        ProposedAction {
            kind: ActionKind::Failover,
            target: "krc".into(),
            release: None,
        }
    }

    #[test]
    fn a_calm_secondary_is_ready() {
        let (snap, estate) = testkit::calm();
        let r = reach(&failover(), &snap, &estate);
        let c = checks(&r, &estate, testkit::now());
        assert!(c.iter().all(|c| c.status == GateStatus::Pass), "{c:#?}");
        assert!(
            c[2].detail
                .contains("differ by design: AzureWebJobsStorage, DEPLOYMENT_REGION"),
            "{}",
            c[2].detail
        );
        assert!(
            c[4].detail
                .contains("NightlyReconcile in func-reconcile-prod-jpe"),
            "{}",
            c[4].detail
        );
    }

    #[test]
    fn a_setting_that_differs_by_digest_fails_without_showing_its_value() {
        let (mut snap, estate) = testkit::calm();
        let jpe = testkit::app(&mut snap, "func-orders-prod-jpe");
        let s = jpe.settings.value.as_mut().expect("settings");
        s.insert(
            "DOWNSTREAM_API_KEY".into(),
            SecretDigest::of("rotated-only-in-jpe"),
        );
        let k = jpe.keys.value.as_mut().expect("keys");
        k.remove("host/master");
        let r = reach(&failover(), &snap, &estate);
        let c = checks(&r, &estate, testkit::now());
        assert_eq!(c[2].status, GateStatus::Fail);
        assert_eq!(
            c[2].detail,
            "func-orders-prod-jpe vs func-orders-prod-krc: DOWNSTREAM_API_KEY differ by digest"
        );
        assert!(!c[2].detail.contains("rotated"));
        assert_eq!(c[3].status, GateStatus::Fail);
        assert!(
            c[3].detail.contains("host/master missing"),
            "{}",
            c[3].detail
        );
    }

    #[test]
    fn an_enabled_passive_timer_and_a_cold_secondary_fail_and_stale_settings_are_unknown() {
        let (mut snap, estate) = testkit::calm();
        let jpe = testkit::enable_timers(&mut snap, "func-reconcile-prod-jpe");
        for p in jpe.metrics.value.as_mut().expect("metrics") {
            p.requests = 0.0;
        }
        let orders = testkit::app(&mut snap, "func-orders-prod-jpe");
        orders.settings.at = Some(testkit::at(-30));
        let r = reach(&failover(), &snap, &estate);
        let c = checks(&r, &estate, testkit::now());
        assert_eq!(c[1].status, GateStatus::Fail);
        assert!(
            c[1].detail.contains("func-reconcile-prod-jpe: 0 requests"),
            "{}",
            c[1].detail
        );
        assert_eq!(c[4].status, GateStatus::Fail);
        assert!(
            c[4].detail
                .contains("NightlyReconcile enabled in func-reconcile-prod-jpe")
        );
        assert_eq!(c[2].status, GateStatus::Unknown);
        assert!(c[2].detail.contains("stale, 30m old"), "{}", c[2].detail);
    }
}
