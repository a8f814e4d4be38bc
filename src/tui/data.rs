//! [`DataView`]: what the console knows of the estate — the latest snapshot and what it derives
//! from the sequence of snapshots it has seen (incident, timeline, flowchart states, changes,
//! onsets). Updated only by `apply`, read by the panes. Pure.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::derive::incident::Incident;
use super::derive::timeline::{self, TimelineEntry};
use super::derive::{Change, app_onset, changes};
use super::flowchart::{Flowchart, NodeStates, from_decide};
use super::msg::PaneId;
use crate::config::Estate;
use crate::decide::{self, DecideContext, Decision, IncidentFacts, ProposedAction};
use crate::model::Snapshot;

/// How many timeline entries are kept.
pub const TIMELINE_CAP: usize = 500;

/// The data side of the console's state.
#[derive(Debug, Clone)]
pub struct DataView {
    /// The latest snapshot.
    pub snapshot: Option<Arc<Snapshot>>,
    /// The clock, as of the last tick.
    pub now: DateTime<Utc>,
    /// The incident, once an app has been seen unhealthy.
    pub incident: Option<Incident>,
    /// What happened, in data-time order, oldest first.
    pub timeline: VecDeque<TimelineEntry>,
    /// The runbook flowchart.
    pub flowchart: Flowchart,
    /// Its node states, from the latest snapshot.
    pub flow: NodeStates,
    /// Deployments and swaps in the latest snapshot, newest first.
    pub changes: Vec<Change>,
    /// Failure-rate onsets of the incident's apps (none without an incident).
    pub onsets: HashMap<String, DateTime<Utc>>,
    /// The action the decision engine recommends now, which `a` plans.
    pub recommended: Option<ProposedAction>,
    /// The estate the snapshots describe (the engine reads its shape: regions, routes, pairs).
    pub estate: Arc<Estate>,
    /// What the runtime knows of the incident: actions, overrides, in flight.
    pub context: DecideContext,
    /// The engine's latest decision.
    pub decision: Option<Decision>,
    /// When the engine first validated the recovery (a failover restores the service while the
    /// failed region's apps stay down), until it stops validating it.
    pub validated_at: Option<DateTime<Utc>>,
    /// The journal of the incident this console resumed, if it resumed one.
    pub resumed: Option<String>,
}

impl DataView {
    /// Nothing seen yet, on `estate`.
    pub fn new(now: DateTime<Utc>, estate: Arc<Estate>) -> Self {
        Self {
            snapshot: None,
            now,
            incident: None,
            timeline: VecDeque::new(),
            flowchart: Flowchart::runbook(),
            flow: NodeStates::default(),
            changes: Vec::new(),
            onsets: HashMap::new(),
            recommended: None,
            estate,
            context: DecideContext::default(),
            decision: None,
            validated_at: None,
            resumed: None,
        }
    }

    /// Takes in a resumed incident: the declaration restores the incident clock (detection time
    /// and apps) and the journal's lines join the timeline.
    pub fn resume(&mut self, view: &crate::tui::actions::ResumeView) {
        self.resumed = Some(view.journal.clone());
        if let Some(d) = &view.declared {
            let inc = self.incident.get_or_insert_with(|| Incident {
                detected_at: d.detected_at,
                apps: Vec::new(),
                recovered_at: None,
            });
            inc.detected_at = d.detected_at;
            let seen = std::mem::take(&mut inc.apps);
            inc.apps.clone_from(&d.apps);
            for a in seen {
                if !inc.apps.contains(&a) {
                    inc.apps.push(a);
                }
            }
        }
        for (at, text) in &view.timeline {
            self.insert(TimelineEntry {
                at: *at,
                kind: timeline::EntryKind::Journal,
                text: text.clone(),
            });
        }
        self.decide();
    }

    /// Puts an entry where its time puts it, after the entries of the same time already there.
    fn insert(&mut self, e: TimelineEntry) {
        if self.timeline.len() == TIMELINE_CAP {
            self.timeline.pop_front();
        }
        let at = self
            .timeline
            .iter()
            .rposition(|x| x.at <= e.at)
            .map_or(0, |i| i + 1);
        self.timeline.insert(at, e);
    }

    /// Takes in a new snapshot: diffs it against the last for the timeline and re-derives the rest.
    pub fn apply(&mut self, snap: Arc<Snapshot>) {
        for e in timeline::diff(self.snapshot.as_deref(), &snap) {
            // Sources report late (the activity log by minutes): an entry goes where its data
            // time puts it.
            self.insert(e);
        }
        self.incident = Incident::observe_with(
            self.incident.take(),
            &snap,
            &decide::timers::duplicated(&snap, &self.estate),
        );
        self.snapshot = Some(Arc::clone(&snap));
        self.decide();
        self.changes = changes(&snap);
        // Only the incident's apps: on a calm estate a noisy minute is not an onset worth a mark.
        let affected = self
            .incident
            .as_ref()
            .map(|i| i.apps.as_slice())
            .unwrap_or_default();
        self.onsets = snap
            .apps
            .iter()
            .filter(|a| affected.contains(&a.name))
            .filter_map(|a| Some((a.name.clone(), app_onset(a)?)))
            .collect();
        self.snapshot = Some(snap);
    }

    /// Takes the runtime's view of the incident (actions, overrides) and decides again.
    pub fn set_context(&mut self, cx: DecideContext) {
        self.context = cx;
        self.decide();
    }

    /// Asks the engine about the latest snapshot, with the incident the console has seen.
    fn decide(&mut self) {
        let Some(snap) = self.snapshot.clone() else {
            return;
        };
        let mut cx = self.context.clone();
        if cx.incident.is_none() {
            cx.incident = self.incident.as_ref().map(|i| IncidentFacts {
                detected_at: i.detected_at,
                apps: i.apps.clone(),
            });
        }
        let now = self.now.max(snap.taken_at);
        let d = decide::evaluate(&snap, &self.estate, &cx, now);
        self.flow = from_decide::node_states(&d.answers);
        self.recommended = d.recommendation.as_ref().map(|r| r.action.clone());
        if d.answer(decide::NodeId::Validated).answer == decide::Answer::Yes {
            let at = *self.validated_at.get_or_insert(now);
            if let Some(inc) = self.incident.as_mut()
                && inc.recovered_at.is_none()
            {
                inc.recovered_at = Some(at);
            }
        } else {
            self.validated_at = None;
        }
        self.decision = Some(d);
    }

    /// App names in screen order: by region (estate order), then estate order.
    pub fn app_order(&self) -> Vec<String> {
        let Some(s) = &self.snapshot else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(s.apps.len());
        for r in &s.regions {
            out.extend(
                s.apps
                    .iter()
                    .filter(|a| a.region == r.name)
                    .map(|a| a.name.clone()),
            );
        }
        out.extend(
            s.apps
                .iter()
                .filter(|a| !s.regions.iter().any(|r| r.name == a.region))
                .map(|a| a.name.clone()),
        );
        out
    }

    /// How many lines a pane's content has, for scrolling.
    pub fn lines(&self, pane: PaneId) -> usize {
        match pane {
            PaneId::Flowchart => self.flowchart.nodes.len(),
            PaneId::Regions => self.app_order().len(),
            PaneId::Queues => self.snapshot.as_ref().map_or(0, |s| s.queues.len()),
            PaneId::Deployments => self.changes.len(),
            PaneId::Timeline => self.timeline.len(),
        }
    }

    /// Finds an app by exact name, or by a fragment that matches exactly one app.
    pub fn find_app(&self, name: &str) -> Result<String, String> {
        let names = self.app_order();
        if names.iter().any(|n| n == name) {
            return Ok(name.to_owned());
        }
        let hits: Vec<&String> = names.iter().filter(|n| n.contains(name)).collect();
        match hits.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(format!("no app `{name}`")),
            many => Err(format!(
                "`{name}` matches {} apps: {}",
                many.len(),
                many.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixtures;

    #[test]
    fn apps_are_ordered_by_region_then_estate_order() {
        let mut d = DataView::new(fixtures::at(0), Arc::new(Estate::demo()));
        d.apply(Arc::new(fixtures::calm()));
        let order = d.app_order();
        assert_eq!(order.len(), 12);
        assert_eq!(order[0], "func-orders-prod-krc");
        assert_eq!(order[6], "func-orders-prod-jpe");
    }

    #[test]
    fn apps_are_found_by_unique_fragment() {
        let mut d = DataView::new(fixtures::at(0), Arc::new(Estate::demo()));
        d.apply(Arc::new(fixtures::calm()));
        assert_eq!(
            d.find_app("catalog-prod-jpe"),
            Ok("func-catalog-prod-jpe".into())
        );
        assert!(
            d.find_app("orders")
                .expect_err("an error")
                .contains("matches 2 apps")
        );
        assert!(d.find_app("nope").is_err());
    }

    /// A noisy last minute on one app: a failure-rate onset with nothing wrong.
    fn spike(snap: &mut Snapshot, app: &str) {
        let a = snap
            .apps
            .iter_mut()
            .find(|a| a.name == app)
            .expect("the app");
        let last = a
            .metrics
            .value
            .as_mut()
            .and_then(|m| m.last_mut())
            .expect("metrics");
        last.failures = last.requests * 0.2;
        assert!(
            crate::tui::derive::app_onset(a).is_some(),
            "the spike is an onset"
        );
    }

    #[test]
    fn onsets_count_only_for_the_incidents_apps() {
        let mut noisy = fixtures::calm();
        spike(&mut noisy, "func-orders-prod-jpe");
        let mut d = DataView::new(fixtures::at(0), Arc::new(Estate::demo()));
        d.apply(Arc::new(noisy));
        assert!(d.onsets.is_empty(), "{:?}", d.onsets);

        let mut bad = fixtures::bad_release();
        spike(&mut bad, "func-orders-prod-jpe");
        d.apply(Arc::new(fixtures::first_failure()));
        d.apply(Arc::new(bad));
        let apps: Vec<&String> = d.onsets.keys().collect();
        assert_eq!(apps, ["func-orders-prod-krc"]);
    }

    #[test]
    fn a_late_report_takes_its_place_in_time() {
        let calm = fixtures::calm();
        let mut lagging = fixtures::first_failure();
        lagging.activity = calm.activity.clone();
        let mut d = DataView::new(fixtures::at(0), Arc::new(Estate::demo()));
        for s in [calm, lagging, fixtures::first_failure()] {
            d.apply(Arc::new(s));
        }
        let kinds: Vec<_> = d.timeline.iter().map(|e| e.kind).collect();
        assert!(
            d.timeline
                .iter()
                .zip(d.timeline.iter().skip(1))
                .all(|(a, b)| a.at <= b.at),
            "{:#?}",
            d.timeline
        );
        let swap = kinds
            .iter()
            .position(|k| *k == timeline::EntryKind::Activity)
            .expect("the swap, reported last");
        let sick = kinds
            .iter()
            .position(|k| matches!(k, timeline::EntryKind::Health(_)))
            .expect("the health change");
        assert!(swap < sick, "{:#?}", d.timeline);
    }

    #[test]
    fn the_sequence_builds_a_timeline_and_an_incident() {
        let mut d = DataView::new(fixtures::at(0), Arc::new(Estate::demo()));
        for s in fixtures::history_until(fixtures::BAD) {
            d.apply(Arc::new(s));
        }
        assert!(d.incident.is_some());
        assert!(d.timeline.len() >= 4, "{:#?}", d.timeline);
        assert!(d.onsets.contains_key("func-orders-prod-krc"));
    }
}
