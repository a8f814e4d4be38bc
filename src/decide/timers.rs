//! Timer functions running in two regions at once (seed 004): a pair of apps of one service
//! whose timer functions are enabled on both sides while both run. The side that should keep
//! them is the one traffic is routed to (the other region's Traffic Manager endpoints and Front
//! Door origins all disabled), else the estate's primary. Pure reads of the snapshot.

use crate::config::Estate;
use crate::model::{AppState, Snapshot};

use super::scope::is_failing;
use super::sync::timer_disabled;

/// A pair whose timers both run.
#[derive(Debug, Clone)]
pub struct Duplicate<'a> {
    /// The app that should keep its timers.
    pub active: &'a AppState,
    /// The app whose timers should be disabled.
    pub idle: &'a AppState,
    /// The timer functions enabled on both sides.
    pub functions: Vec<String>,
}

/// Whether every route the estate has into `region` is read as disabled (and there is one).
fn routed_away(snap: &Snapshot, estate: &Estate, region: &str) -> bool {
    let in_region = |app: &str| estate.app(app).is_some_and(|a| a.region == region);
    let mut names: Vec<(&str, bool)> = Vec::new();
    if let Some(tm) = &estate.traffic_manager {
        names.extend(
            tm.endpoints
                .iter()
                .filter(|e| in_region(&e.app))
                .map(|e| (e.name.as_str(), true)),
        );
    }
    if let Some(fd) = &estate.front_door {
        names.extend(
            fd.origins
                .iter()
                .filter(|o| in_region(&o.app))
                .map(|o| (o.name.as_str(), false)),
        );
    }
    !names.is_empty()
        && names.iter().all(|(name, tm)| {
            let routes = if *tm {
                &snap.routes.traffic_manager
            } else {
                &snap.routes.front_door
            };
            routes
                .as_ref()
                .and_then(|(_, o)| o.get())
                .and_then(|r| r.iter().find(|r| r.name == *name))
                .is_some_and(|r| !r.enabled)
        })
}

/// The timers of `timers` that `app` runs (enabled), as read.
pub fn enabled_timers(app: &AppState, timers: &[String]) -> Vec<String> {
    let functions = app.functions.get().map(Vec::as_slice);
    let settings = app.settings.get();
    timers
        .iter()
        .filter(|t| timer_disabled(t, functions, settings) == Some(false))
        .cloned()
        .collect()
}

/// The pairs whose timer functions run in both regions.
pub fn duplicates<'a>(snap: &'a Snapshot, estate: &Estate) -> Vec<Duplicate<'a>> {
    let now = snap.taken_at;
    let state = |name: &str| snap.apps.iter().find(|a| a.name == name);
    let mut out = Vec::new();
    for conf in estate.apps.iter().filter(|a| !a.timer_functions.is_empty()) {
        for other in estate.counterparts(conf).filter(|o| o.name > conf.name) {
            let (Some(a), Some(b)) = (state(&conf.name), state(&other.name)) else {
                continue;
            };
            if is_failing(a, now) != Some(false) || is_failing(b, now) != Some(false) {
                continue;
            }
            let both: Vec<String> = enabled_timers(a, &conf.timer_functions)
                .into_iter()
                .filter(|f| enabled_timers(b, &other.timer_functions).contains(f))
                .collect();
            if both.is_empty() {
                continue;
            }
            let a_away = routed_away(snap, estate, &a.region);
            let b_away = routed_away(snap, estate, &b.region);
            let a_primary = estate.primary().name == a.region;
            let (active, idle) = match (a_away, b_away) {
                (true, false) => (b, a),
                (false, true) => (a, b),
                _ if a_primary => (a, b),
                _ => (b, a),
            };
            out.push(Duplicate {
                active,
                idle,
                functions: both,
            });
        }
    }
    out
}

/// The apps whose timers run although their counterpart's do (the side to disable): affected
/// although healthy.
pub fn duplicated(snap: &Snapshot, estate: &Estate) -> Vec<String> {
    duplicates(snap, estate)
        .into_iter()
        .map(|d| d.idle.name.clone())
        .collect()
}

impl Duplicate<'_> {
    /// Plain words with the names.
    pub fn words(&self) -> String {
        format!(
            "timers {} enabled in both {} and {}: each run happens twice; they belong in {} ({})",
            self.functions.join(", "),
            self.active.name,
            self.idle.name,
            self.active.name,
            self.active.region
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::testkit;

    #[test]
    fn timers_enabled_on_both_sides_are_found_and_belong_to_the_primary_by_default() {
        let (mut snap, estate) = testkit::calm();
        assert!(duplicates(&snap, &estate).is_empty());
        testkit::enable_timers(&mut snap, "func-reconcile-prod-jpe");
        let d = duplicates(&snap, &estate);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].active.name, "func-reconcile-prod-krc");
        assert_eq!(d[0].idle.name, "func-reconcile-prod-jpe");
        assert!(
            d[0].words().contains("NightlyReconcile"),
            "{}",
            d[0].words()
        );
    }
}
