//! Verification after a recovery action (seed 000, "Verification"): every health check of the
//! apps now serving is Healthy, read after the action finished; their failure rate is back within
//! the pre-incident baseline; their latency too — as p95 against the baseline's p95 when the
//! estate names a Log Analytics workspace (read with the metrics), else as average and maximum
//! response time per minute, which is all the platform metrics hold (and the words say so);
//! and their queues are draining. Also which apps to verify after an action: the app itself after
//! a rollback or rebuild, the counterparts taking over after a failover.
//! Pure.

use chrono::{DateTime, Duration, Utc};

use crate::config::Estate;
use crate::model::{AppState, Health, MetricPoint, Observed, Snapshot};

use super::evidence::{age, clock, fresh};
use super::gates::{Tally, worst};
use super::latency;
pub use super::latency::{LATENCY_FACTOR, LATENCY_SLACK_MS};
use super::onset::{Baseline, baseline, pct};
use super::reach::reach;
use super::{GateCheck, GateStatus, ProposedAction};

/// The failure-rate ceiling used when no pre-incident baseline is in the kept series.
pub const FALLBACK_CEILING: f64 = 0.01;
/// How many of the latest minutes after the action are judged.
pub const RECENT_MINUTES: usize = 3;
/// The result of verification.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// The checks.
    pub checks: Vec<GateCheck>,
    /// The worst of them.
    pub status: GateStatus,
}

/// The apps that must be healthy after `action`: the counterparts taking over after a
/// failover-type action, else the app acted on, else the affected apps.
pub fn subjects<'a>(
    action: &ProposedAction,
    affected: &[&'a AppState],
    snap: &'a Snapshot,
    estate: &Estate,
) -> Vec<&'a AppState> {
    let r = reach(action, snap, estate);
    let takes_over = !r.pairs.is_empty()
        && r.apps.is_empty()
        && matches!(
            action.kind,
            super::ActionKind::Failover
                | super::ActionKind::AliasFailover
                | super::ActionKind::StorageFailover
        );
    let mut out: Vec<&AppState> = Vec::new();
    if takes_over
        || matches!(
            action.kind,
            super::ActionKind::TmDisable | super::ActionKind::FdDisable
        )
    {
        let from_affected: Vec<&AppState> = r
            .pairs
            .iter()
            .filter(|(p, _)| affected.iter().any(|a| a.name == p.name))
            .map(|(_, s)| *s)
            .collect();
        let pick = if from_affected.is_empty() {
            r.pairs.iter().map(|(_, s)| *s).collect()
        } else {
            from_affected
        };
        for s in pick {
            if !out.iter().any(|x| x.name == s.name) {
                out.push(s);
            }
        }
    } else if let Some(a) = r.apps.first() {
        out.push(a);
    } else {
        out.extend(affected.iter().copied());
    }
    out
}

fn health(apps: &[&AppState], since: DateTime<Utc>, now: DateTime<Utc>) -> GateCheck {
    let mut t = Tally::default();
    for a in apps {
        let slot = a.production();
        match slot.map(|s| (fresh(&s.health, now), s.health.at)) {
            Some((Ok(_), Some(at))) if at < since => t.unknown.push(format!(
                "{} health last read {}, before the action finished",
                a.name,
                clock(at)
            )),
            Some((Ok(r), _)) => {
                let bad: Vec<String> = r
                    .checks
                    .iter()
                    .filter(|(_, h)| **h != Health::Healthy)
                    .map(|(n, h)| format!("{n} {}", h.label()))
                    .collect();
                if r.status == Health::Healthy && bad.is_empty() {
                    t.pass
                        .push(format!("{} ({} checks)", a.name, r.checks.len()));
                } else {
                    let detail = if bad.is_empty() {
                        r.status.label().to_owned()
                    } else {
                        bad.join(", ")
                    };
                    t.fail.push(format!("{}: {detail}", a.name));
                }
            }
            Some((Err(e), _)) => t.unknown.push(format!("{} {e}", a.name)),
            None => t.fail.push(format!("{}: no production slot", a.name)),
        }
    }
    t.check("every health check healthy", |p| {
        format!("healthy: {}", p.join(", "))
    })
}

/// The latest minutes (with requests) that started at or after `since`.
fn recent(points: &[MetricPoint], since: DateTime<Utc>) -> Vec<&MetricPoint> {
    let after: Vec<&MetricPoint> = points
        .iter()
        .filter(|p| p.at >= since && p.requests > 0.0)
        .collect();
    after[after.len().saturating_sub(RECENT_MINUTES)..].to_vec()
}

fn rates_and_latency(
    apps: &[&AppState],
    p95_source: Option<&Observed<usize>>,
    since: DateTime<Utc>,
    baseline_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (GateCheck, GateCheck) {
    let (mut rate, mut lat) = (Tally::default(), Tally::default());
    for a in apps {
        let points = match fresh(&a.metrics, now) {
            Ok(p) => p,
            Err(e) => {
                rate.unknown.push(format!("{} {e}", a.name));
                lat.unknown.push(format!("{} {e}", a.name));
                continue;
            }
        };
        let after = recent(points, since);
        if after.is_empty() {
            let w = format!("{}: no metrics minute since {} yet", a.name, clock(since));
            rate.unknown.push(w.clone());
            lat.unknown.push(w);
            continue;
        }
        let base: Option<Baseline> = baseline(points, baseline_until);
        let now_rate = after.iter().map(|p| p.failures).sum::<f64>()
            / after.iter().map(|p| p.requests).sum::<f64>();
        let (ceiling, basis) = match &base {
            Some(b) => (
                b.ceiling,
                format!(
                    "baseline {} over {}, ceiling {}",
                    pct(b.failure_rate),
                    b.basis,
                    pct(b.ceiling)
                ),
            ),
            None => (
                FALLBACK_CEILING,
                format!(
                    "no pre-incident baseline in the kept series; ceiling {}",
                    pct(FALLBACK_CEILING)
                ),
            ),
        };
        let words = format!(
            "{} {} over the last {} min ({basis})",
            a.name,
            pct(now_rate),
            after.len()
        );
        if now_rate <= ceiling {
            rate.pass.push(words);
        } else {
            rate.fail.push(words);
        }
        latency::judge(&mut lat, a, &after, base.as_ref(), p95_source, now);
    }
    let note = if p95_source.is_some() {
        "p95 from Log Analytics"
    } else {
        "avg/max only: no p95 (no Log Analytics workspace configured)"
    };
    let mut l = lat.check("latency at baseline", |p| p.join("; "));
    l.detail = format!("{} ({note})", l.detail);
    (rate.check("failure rate at baseline", |p| p.join("; ")), l)
}

fn queues(apps: &[&AppState], snap: &Snapshot, now: DateTime<Utc>) -> GateCheck {
    let mut t = Tally::default();
    for q in snap
        .queues
        .iter()
        .filter(|q| apps.iter().any(|a| a.name == q.app))
    {
        let depth = match fresh(&q.depth, now) {
            Ok(d) => *d,
            Err(e) => {
                t.unknown.push(format!("{} ({}) {e}", q.name, q.account));
                continue;
            }
        };
        let rate = q.rate_per_minute();
        let keeping_up = fresh(&q.oldest, now)
            .ok()
            .and_then(|o| o.map(|o| now - o))
            .is_some_and(|a| a < Duration::minutes(1));
        match rate {
            _ if depth == 0 => t.pass.push(format!("{} empty", q.name)),
            Some(r) if r < 0.0 => t
                .pass
                .push(format!("{} depth {depth}, draining {:.0}/min", q.name, -r)),
            _ if keeping_up => t
                .pass
                .push(format!("{} depth {depth}, oldest under 1m", q.name)),
            Some(r) => t
                .fail
                .push(format!("{} depth {depth}, growing {r:+.0}/min", q.name)),
            None => t.fail.push(format!(
                "{} depth {depth}, oldest {}",
                q.name,
                fresh(&q.oldest, now)
                    .ok()
                    .copied()
                    .flatten()
                    .map_or_else(|| "?".to_owned(), |o| age(now - o))
            )),
        }
    }
    t.check("queues draining", |p| {
        if p.is_empty() {
            "no queue consumed".to_owned()
        } else {
            p.join("; ")
        }
    })
}

/// Verifies recovery of `apps` after an action finished at `since`; the baseline is taken from
/// the minutes before `baseline_until` (the first action's start).
pub fn verify(
    apps: &[&AppState],
    snap: &Snapshot,
    since: DateTime<Utc>,
    baseline_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Verification {
    let (rate, lat) = rates_and_latency(apps, snap.p95_source.as_ref(), since, baseline_until, now);
    let checks = vec![health(apps, since, now), rate, lat, queues(apps, snap, now)];
    Verification {
        status: worst(&checks),
        checks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::testkit;

    /// Changes each of orders' minutes (by index, oldest first).
    fn each_minute(snap: &mut Snapshot, mut f: impl FnMut(usize, &mut crate::model::MetricPoint)) {
        let app = testkit::app(snap, "func-orders-prod-krc");
        let points = app.metrics.value.as_mut().expect("metrics");
        for (i, p) in points.iter_mut().enumerate() {
            f(i, p);
        }
    }

    /// Orders' failures: 30 % in minutes 8–13, `after` (a rate) from minute 14 on.
    fn bad_then(snap: &mut Snapshot, after: f64) {
        each_minute(snap, |i, p| {
            if (8..14).contains(&i) {
                p.failures = 300.0;
            } else if i >= 14 {
                p.failures = after * 1000.0;
            }
        });
    }

    /// Verification of orders since 6 minutes ago, the baseline ending 7 minutes ago.
    fn verify_orders(snap: &Snapshot) -> Verification {
        let apps: Vec<&AppState> = snap
            .apps
            .iter()
            .filter(|a| a.name == "func-orders-prod-krc")
            .collect();
        verify(
            &apps,
            snap,
            testkit::at(-6),
            Some(testkit::at(-7)),
            testkit::now(),
        )
    }

    #[test]
    fn back_to_baseline_passes_and_still_failing_fails_with_the_numbers() {
        let (mut snap, _) = testkit::calm();
        bad_then(&mut snap, 0.002);
        let v = verify_orders(&snap);
        assert_eq!(v.status, GateStatus::Pass, "{v:#?}");
        assert!(
            v.checks[1]
                .detail
                .contains("0.2 % over the last 3 min (baseline 0.2 %"),
            "{}",
            v.checks[1].detail
        );
        assert!(
            v.checks[2]
                .detail
                .contains("avg/max only: no p95 (no Log Analytics workspace configured)"),
            "{}",
            v.checks[2].detail
        );
        bad_then(&mut snap, 0.2);
        let v = verify_orders(&snap);
        assert_eq!(v.checks[1].status, GateStatus::Fail);
        assert!(
            v.checks[1]
                .detail
                .starts_with("func-orders-prod-krc 20.0 % over the last 3 min"),
            "{}",
            v.checks[1].detail
        );
    }

    /// Orders' p95: 300 ms before the incident, `after` ms from minute 14 on; averages untouched.
    fn p95_then(snap: &mut Snapshot, after: f64) {
        let now = testkit::now();
        snap.p95_source = Some(Observed::ok(
            30,
            now,
            "Log Analytics AppRequests p95",
            Duration::minutes(1),
        ));
        each_minute(snap, |i, p| {
            p.p95_ms = Some(match i {
                0..8 => 300.0,
                8..14 => 2400.0,
                _ => after,
            });
        });
    }

    #[test]
    fn p95_still_high_fails_verification_though_the_average_recovered() {
        let (mut snap, _) = testkit::calm();
        bad_then(&mut snap, 0.002);
        p95_then(&mut snap, 1400.0);
        let v = verify_orders(&snap);
        assert_eq!(v.checks[2].status, GateStatus::Fail, "{v:#?}");
        assert_eq!(v.status, GateStatus::Fail);
        assert!(
            v.checks[2]
                .detail
                .contains("p95 1400 ms vs baseline p95 300 ms, limit 450 ms"),
            "{}",
            v.checks[2].detail
        );
        assert!(v.checks[2].detail.contains("p95 from Log Analytics"));
        p95_then(&mut snap, 320.0);
        let v = verify_orders(&snap);
        assert_eq!(v.checks[2].status, GateStatus::Pass, "{v:#?}");
        if let Some(s) = snap.p95_source.as_mut() {
            s.fail("Log Analytics answered 403", testkit::now());
        }
        each_minute(&mut snap, |_, p| p.p95_ms = None);
        let v = verify_orders(&snap);
        assert_eq!(v.checks[2].status, GateStatus::Unknown, "{v:#?}");
    }

    #[test]
    fn a_health_read_older_than_the_action_is_not_evidence_of_recovery() {
        let (snap, _) = testkit::calm();
        let apps: Vec<&AppState> = snap.apps.iter().take(1).collect();
        let v = verify(&apps, &snap, testkit::at(0), None, testkit::now());
        assert_eq!(v.checks[0].status, GateStatus::Unknown);
        assert!(v.checks[0].detail.contains("before the action finished"));
    }

    #[test]
    fn a_growing_queue_is_not_draining() {
        let (mut snap, _) = testkit::calm();
        let q = snap
            .queues
            .iter_mut()
            .find(|q| q.name == "payments")
            .expect("queue");
        q.depth.value = Some(900);
        q.oldest.value = Some(Some(testkit::at(-6)));
        q.history = vec![(testkit::at(-5), 400), (testkit::at(0), 900)];
        let apps: Vec<&AppState> = snap
            .apps
            .iter()
            .filter(|a| a.name == "func-fulfil-prod-krc")
            .collect();
        let c = queues(&apps, &snap, testkit::now());
        assert_eq!(c.status, GateStatus::Fail);
        assert!(
            c.detail.contains("payments depth 900, growing +100/min"),
            "{}",
            c.detail
        );
    }
}
