//! The incident as the console has seen it: detected the first time an app went unhealthy in the
//! data, recovered when every affected app is healthy again. Drives the incident clock and the
//! RTO countdown. Pure: it moves only when given a snapshot.

use chrono::{DateTime, Duration, Utc};

use crate::model::{AppState, Health, Snapshot};

/// What the console knows of the current incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    /// The data time the first app was seen unhealthy.
    pub detected_at: DateTime<Utc>,
    /// Apps seen unhealthy during the incident, in the order they were seen.
    pub apps: Vec<String>,
    /// The data time every affected app was healthy again; cleared if one fails again.
    pub recovered_at: Option<DateTime<Utc>>,
}

/// Whether an app counts as failing for detection.
pub fn is_failing(h: Health) -> bool {
    matches!(h, Health::Unhealthy | Health::Unreachable)
}

/// When the app's production health was observed, or the snapshot's time.
fn seen_at(app: &AppState, snap: &Snapshot) -> DateTime<Utc> {
    app.production()
        .and_then(|s| s.health.at)
        .unwrap_or(snap.taken_at)
}

impl Incident {
    /// Moves the incident on with a new snapshot: detects, widens, recovers or relapses.
    pub fn observe(current: Option<Self>, snap: &Snapshot) -> Option<Self> {
        Self::observe_with(current, snap, &[])
    }

    /// [`Incident::observe`], with the apps the engine counts as affected although their health
    /// is fine (timer functions running in both regions, `decide::timers::duplicated`): they
    /// open or widen the incident like a failing app, and it has not recovered while any remain.
    pub fn observe_with(current: Option<Self>, snap: &Snapshot, also: &[String]) -> Option<Self> {
        let failing: Vec<&AppState> = snap
            .apps
            .iter()
            .filter(|a| is_failing(a.health()) || also.contains(&a.name))
            .collect();
        let mut inc = if let Some(i) = current {
            i
        } else {
            let first = failing.iter().map(|a| seen_at(a, snap)).min()?;
            Self {
                detected_at: first,
                apps: Vec::new(),
                recovered_at: None,
            }
        };
        for a in &failing {
            if !inc.apps.contains(&a.name) {
                inc.apps.push(a.name.clone());
            }
        }
        if failing.is_empty() {
            if inc.recovered_at.is_none() {
                let back = snap
                    .apps
                    .iter()
                    .filter(|a| inc.apps.contains(&a.name))
                    .map(|a| seen_at(a, snap))
                    .max()
                    .unwrap_or(snap.taken_at);
                inc.recovered_at = Some(back);
            }
        } else {
            inc.recovered_at = None;
        }
        Some(inc)
    }

    /// How long the incident has run at `now` (until recovery, once recovered).
    pub fn elapsed(&self, now: DateTime<Utc>) -> Duration {
        self.recovered_at.unwrap_or(now) - self.detected_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixtures;

    #[test]
    fn calm_data_detects_nothing() {
        assert_eq!(Incident::observe(None, &fixtures::calm()), None);
    }

    #[test]
    fn detection_is_when_the_first_app_was_seen_unhealthy_and_recovery_when_all_are_back() {
        let bad = fixtures::first_failure();
        let inc = Incident::observe(None, &bad).expect("detected");
        let inc = Incident::observe(Some(inc), &fixtures::bad_release()).expect("kept");
        assert_eq!(inc.apps, ["func-orders-prod-krc"]);
        assert_eq!(inc.detected_at, fixtures::at(fixtures::DETECTED));
        assert_eq!(inc.recovered_at, None);
        let after = Incident::observe(Some(inc.clone()), &fixtures::back_healthy()).expect("kept");
        let after = Incident::observe(Some(after), &fixtures::recovered()).expect("kept");
        assert_eq!(after.detected_at, inc.detected_at);
        assert_eq!(after.recovered_at, Some(fixtures::at(fixtures::RECOVERED)));
        assert_eq!(
            after.elapsed(fixtures::at(fixtures::RECOVERED + 600)),
            Duration::seconds(fixtures::RECOVERED - fixtures::DETECTED)
        );
        let relapse = Incident::observe(Some(after), &bad).expect("kept");
        assert_eq!(relapse.recovered_at, None);
    }

    #[test]
    fn a_healthy_app_the_engine_counts_as_affected_opens_the_incident_until_it_is_not() {
        let calm = fixtures::calm();
        let twice = vec!["func-orders-prod-krc".to_owned()];
        let inc = Incident::observe_with(None, &calm, &twice).expect("detected");
        assert_eq!(inc.apps, twice);
        assert_eq!(inc.recovered_at, None);
        let after = Incident::observe_with(Some(inc), &calm, &[]).expect("kept");
        assert!(after.recovered_at.is_some());
    }
}
