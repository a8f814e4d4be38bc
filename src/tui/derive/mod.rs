//! What the console derives from snapshots before drawing: changes (deployments and swaps),
//! the failure-rate onset, the incident (detection and recovery), the RPO estimate, pane ages and
//! the timeline. Pure functions of snapshots and a `now` parameter; no terminal, no clock reads.
//!
//! These are simple rules for now; the decision engine (#4) will supply better ones.

pub mod age;
pub mod drift;
pub mod incident;
pub mod rpo;
pub mod timeline;

use chrono::{DateTime, Duration, Utc};

use crate::model::{ActivityEvent, ActivityKind, AppState, MetricPoint, Snapshot};

/// A failure rate is an onset when it exceeds this many times the median before it…
pub const ONSET_FACTOR: f64 = 3.0;
/// …and this absolute rate.
pub const ONSET_MIN_RATE: f64 = 0.02;
/// How many earlier minutes an onset needs to compare with.
pub const ONSET_MIN_HISTORY: usize = 3;

/// The first minute whose failure rate exceeds [`ONSET_FACTOR`] × the median of the minutes
/// before it and [`ONSET_MIN_RATE`]; `None` when there is no such minute.
pub fn failure_onset(points: &[MetricPoint]) -> Option<DateTime<Utc>> {
    let mut earlier: Vec<f64> = Vec::with_capacity(points.len());
    for p in points {
        let rate = p.failure_rate();
        if earlier.len() >= ONSET_MIN_HISTORY {
            let median = median(&mut earlier.clone());
            if rate > ONSET_MIN_RATE && rate > ONSET_FACTOR * median {
                return Some(p.at);
            }
        }
        earlier.push(rate);
    }
    None
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        f64::midpoint(v[n / 2 - 1], v[n / 2])
    }
}

/// The onset of an app's failures, from its metrics.
pub fn app_onset(app: &AppState) -> Option<DateTime<Utc>> {
    app.metrics.get().and_then(|m| failure_onset(m))
}

/// A deployment or a swap, seen from Kudu's history or the activity log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// When it ended (or started, while in progress).
    pub at: DateTime<Utc>,
    /// The app.
    pub app: String,
    /// Deployment or swap.
    pub kind: ChangeKind,
    /// The slot deployed to, or `staging⇄production` for a swap.
    pub slot: String,
    /// The version deployed.
    pub version: Option<String>,
    /// Who.
    pub who: Option<String>,
    /// Status word.
    pub status: String,
    /// Whether it is still running.
    pub in_progress: bool,
}

/// What a [`Change`] was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A deployment to a slot.
    Deployment,
    /// A slot swap.
    Swap,
}

impl ChangeKind {
    /// A symbol and word.
    pub fn label(self) -> &'static str {
        match self {
            Self::Deployment => "↑ deploy",
            Self::Swap => "⇄ swap",
        }
    }
}

/// The app (and slot) an ARM resource id names: `…/sites/{app}[/slots/{slot}]…`.
pub fn site_of(resource_id: &str) -> Option<(&str, Option<&str>)> {
    let mut parts = resource_id.split('/');
    parts.by_ref().find(|p| p.eq_ignore_ascii_case("sites"))?;
    let app = parts.next()?;
    let slot = match parts.next() {
        Some(p) if p.eq_ignore_ascii_case("slots") => parts.next(),
        _ => None,
    };
    Some((app, slot))
}

/// How long after an operation's `Started` event its end is looked for.
const OPERATION_SPAN: Duration = Duration::minutes(15);

fn is_started(ev: &ActivityEvent) -> bool {
    ev.status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("started") || s.eq_ignore_ascii_case("accepted"))
}

/// Whether an activity event only says that an operation started while the log also holds its
/// end (Azure logs `Started`, then `Succeeded` or `Failed`, for one operation): one operation
/// is one change, not two.
pub fn superseded(ev: &ActivityEvent, log: &[ActivityEvent]) -> bool {
    is_started(ev)
        && log.iter().any(|o| {
            o.resource_id == ev.resource_id
                && o.operation == ev.operation
                && !is_started(o)
                && o.at >= ev.at
                && o.at - ev.at <= OPERATION_SPAN
        })
}

/// Every deployment and swap in the snapshot, newest first; a swap's `Started` event counts only
/// while its end is not in the log yet (as a change in progress).
pub fn changes(snap: &Snapshot) -> Vec<Change> {
    let mut out = Vec::new();
    for app in &snap.apps {
        for d in app.deployments.get().into_iter().flatten() {
            let Some(at) = d.ended.or(d.started) else {
                continue;
            };
            out.push(Change {
                at,
                app: app.name.clone(),
                kind: ChangeKind::Deployment,
                slot: d.slot.clone(),
                version: d.version.clone(),
                who: d.deployer.clone().or_else(|| d.author.clone()),
                status: d.status.clone(),
                in_progress: d.in_progress,
            });
        }
    }
    let log = snap.activity.get().map_or(&[][..], Vec::as_slice);
    for ev in log {
        if ev.kind != ActivityKind::Swap || superseded(ev, log) {
            continue;
        }
        let Some((app, slot)) = site_of(&ev.resource_id) else {
            continue;
        };
        out.push(Change {
            at: ev.at,
            app: app.to_owned(),
            kind: ChangeKind::Swap,
            slot: format!("{}⇄production", slot.unwrap_or("staging")),
            version: None,
            who: ev.caller.clone(),
            status: ev.status.clone().unwrap_or_else(|| "—".to_owned()),
            in_progress: is_started(ev),
        });
    }
    out.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.app.cmp(&b.app)));
    out
}

/// How long before an onset a change still counts as its likely cause.
pub const CAUSE_WINDOW: Duration = Duration::minutes(15);

/// An onset is the start of a metrics minute: a change inside that minute came before the
/// failures in it.
pub const ONSET_BUCKET: Duration = Duration::minutes(1);

/// The index of the newest change on `app` that ended within [`CAUSE_WINDOW`] before `onset`'s
/// minute ended (`changes` newest first, as [`changes`] returns them).
pub fn change_before_index(changes: &[Change], app: &str, onset: DateTime<Utc>) -> Option<usize> {
    changes.iter().position(|c| {
        c.app == app
            && !c.in_progress
            && c.at < onset + ONSET_BUCKET
            && onset - c.at <= CAUSE_WINDOW
    })
}

/// The newest change on `app` that ended within [`CAUSE_WINDOW`] before `onset`'s minute ended.
pub fn change_before<'a>(
    changes: &'a [Change],
    app: &str,
    onset: DateTime<Utc>,
) -> Option<&'a Change> {
    change_before_index(changes, app, onset).map(|i| &changes[i])
}

/// `HH:MM:SS` in UTC.
pub fn clock(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

/// `HH:MM` in UTC.
pub fn hhmm(t: DateTime<Utc>) -> String {
    t.format("%H:%M").to_string()
}

/// A duration as `m:ss` or `h:mm:ss` (negative durations as their absolute value).
pub fn span(d: Duration) -> String {
    let s = d.num_seconds().abs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 14, 3, 0, 0)
            .single()
            .expect("valid")
            + Duration::minutes(min)
    }

    fn points(rates: &[f64]) -> Vec<MetricPoint> {
        rates
            .iter()
            .enumerate()
            .map(|(i, r)| MetricPoint {
                at: t(i64::try_from(i).expect("few points")),
                requests: 1000.0,
                failures: r * 1000.0,
                avg_ms: None,
                max_ms: None,
                p95_ms: None,
            })
            .collect()
    }

    #[test]
    fn the_onset_is_the_first_minute_over_three_times_the_median_and_two_percent() {
        assert_eq!(
            failure_onset(&points(&[0.003, 0.004, 0.002, 0.003, 0.15, 0.2])),
            Some(t(4))
        );
        // 3× the median but under 2%: not an onset.
        assert_eq!(failure_onset(&points(&[0.002, 0.002, 0.002, 0.019])), None);
        // Always high: nothing to compare with, no onset.
        assert_eq!(failure_onset(&points(&[0.2, 0.2, 0.2, 0.2])), None);
        assert_eq!(failure_onset(&points(&[0.5])), None);
    }

    #[test]
    fn site_of_reads_apps_and_slots_from_resource_ids() {
        let id =
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/func-a/slots/staging";
        assert_eq!(site_of(id), Some(("func-a", Some("staging"))));
        assert_eq!(
            site_of("/subscriptions/s/providers/Microsoft.Web/sites/func-b"),
            Some(("func-b", None))
        );
        assert_eq!(site_of("/subscriptions/s/resourceGroups/rg"), None);
    }

    #[test]
    fn a_change_counts_as_a_cause_only_within_the_window_before_onset() {
        let c = |min| Change {
            at: t(min),
            app: "a".into(),
            kind: ChangeKind::Swap,
            slot: "staging⇄production".into(),
            version: None,
            who: None,
            status: "Succeeded".into(),
            in_progress: false,
        };
        let list = [c(10), c(-20)];
        assert_eq!(change_before(&list, "a", t(12)).map(|c| c.at), Some(t(10)));
        assert_eq!(change_before(&list, "a", t(9)), None);
        assert_eq!(change_before(&list, "b", t(12)), None);
        // A swap at 10:10 is inside the onset minute 10:00 and comes before its failures.
        let list = [
            Change {
                at: t(10) + Duration::seconds(10),
                ..c(0)
            },
            c(9),
        ];
        assert_eq!(change_before_index(&list, "a", t(10)), Some(0));
        assert_eq!(change_before_index(&list, "a", t(9)), Some(1));
    }

    /// The bad-release fixture with the activity log as Azure writes it: each swap logged as
    /// `Started` 40 s before its `Succeeded`.
    fn with_started_events(snap: &mut Snapshot) {
        let log = snap.activity.value.as_mut().expect("the fixture has a log");
        let started: Vec<ActivityEvent> = log
            .iter()
            .map(|e| ActivityEvent {
                at: e.at - Duration::seconds(40),
                status: Some("Started".to_owned()),
                ..e.clone()
            })
            .collect();
        log.extend(started);
    }

    #[test]
    fn a_swap_logged_as_started_and_succeeded_is_one_change() {
        let mut snap = crate::tui::fixtures::bad_release();
        let before = changes(&snap);
        with_started_events(&mut snap);
        assert_eq!(changes(&snap), before);
        // Only the start in the log: one change, still in progress.
        let log = snap.activity.value.as_mut().expect("a log");
        log.retain(|e| e.kind != ActivityKind::Swap || e.status.as_deref() == Some("Started"));
        let swaps: Vec<Change> = changes(&snap)
            .into_iter()
            .filter(|c| c.kind == ChangeKind::Swap)
            .collect();
        assert_eq!(swaps.len(), 1, "{swaps:#?}");
        assert!(swaps[0].in_progress);
    }

    #[test]
    fn spans_read_as_clocks() {
        assert_eq!(span(Duration::seconds(75)), "1:15");
        assert_eq!(span(Duration::seconds(3725)), "1:02:05");
        assert_eq!(span(Duration::seconds(-30)), "0:30");
    }
}
