//! [`evaluate`]: the runbook's flow walked against a snapshot. Each decision is answered from
//! evidence (or overridden by the commander), the walk follows the flowchart table's edges, and
//! stops where the evidence does not settle a question (Unknown), at the recommended step, or at
//! verification; after an action, verification decides between closing and escalating to the
//! next strategy. Every node has an answer (Pending when not reached). Pure.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Estate;
use crate::model::{AppState, Snapshot};

use super::deploy::{Finding, deploy_related, onset_of, slots_healthy};
use super::evidence::{clock, ev, fresh};
use super::flowchart::{flow_node, next};
use super::lkg::LastGood;
use super::regional::regional;
use super::scope::{affected, region_view};
use super::walk::{Found, Walk};
use super::{
    Answer, DecideContext, GateResult, NodeAnswer, NodeId, Recommendation, SafetyCheck, Strategy,
    after, gates_for, safety_for,
};

/// The engine's answer for one snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// Every node's answer, in the flowchart's order (Pending when not reached).
    pub answers: Vec<NodeAnswer>,
    /// The nodes walked, in order.
    pub path: Vec<NodeId>,
    /// The gates of the recommended action.
    pub gates: Vec<GateResult>,
    /// The safety verdicts on the recommended action.
    pub safety: Vec<SafetyCheck>,
    /// What to do next, if anything.
    pub recommendation: Option<Recommendation>,
    /// The earliest failure onset found in the affected apps' failure-rate series.
    pub onset: Option<DateTime<Utc>>,
    /// The affected apps.
    pub affected_apps: Vec<String>,
    /// Their regions.
    pub affected_regions: Vec<String>,
    /// One line for the header.
    pub summary: String,
}

impl Decision {
    /// The answer at a node.
    pub fn answer(&self, node: NodeId) -> &NodeAnswer {
        self.answers
            .iter()
            .find(|a| a.node == node)
            .expect("every node has an answer")
    }

    /// Whether the recommended action may go ahead: every gate allows it and every rule too.
    pub fn cleared(&self) -> bool {
        self.recommendation.is_some()
            && self.gates.iter().all(GateResult::allows)
            && self.safety.iter().all(SafetyCheck::allows)
    }
}

fn first_text(f: &Finding) -> Vec<String> {
    f.evidence
        .iter()
        .rev()
        .take(2)
        .rev()
        .map(|e| e.text.clone())
        .collect()
}

/// When a swap of `app` has already been carried out, its staging slot now holds what
/// production ran: the question was answered yes when the swap was chosen.
fn swapped(cx: &DecideContext, app: &str) -> Option<Finding> {
    let r = cx.actions.iter().rev().find(|r| {
        r.action.target == app
            && r.strategy() == Some(Strategy::SlotSwap)
            && r.finished.is_some()
            && r.succeeded != Some(false)
    })?;
    let at = r.finished.unwrap_or(r.started);
    Some(Finding {
        answer: Answer::Yes,
        evidence: vec![ev(
            format!(
                "{} {app} carried out at {}: staging was swapped in (it now holds what production ran)",
                r.action.kind.name(),
                clock(at)
            ),
            Some(at),
            "actions",
        )],
    })
}

/// Walks the decisions from "Deployment related?" to a strategy, or stops at an unsettled one.
fn decide<'a>(
    w: &mut Walk,
    found: &mut Found<'a>,
    snap: &'a Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> Option<Strategy> {
    let onsets: Vec<_> = found
        .affected
        .iter()
        .map(|a| onset_of(a, cx, now))
        .collect();
    let mut node = NodeId::DeployRelated;
    loop {
        if let Some(s) = flow_node(node).strategy {
            return Some(s);
        }
        let finding = match node {
            NodeId::DeployRelated => {
                let (f, cause) = deploy_related(snap, &found.affected, &onsets, cx, now);
                if let Some(a) = cause
                    .as_ref()
                    .and_then(|c| snap.apps.iter().find(|a| a.name == c.change.app))
                {
                    found.app = a;
                }
                found.cause = cause;
                f
            }
            NodeId::SlotsHealthy => {
                let running = found
                    .app
                    .production()
                    .and_then(|s| s.health.get())
                    .and_then(|h| h.version.clone());
                let release = found
                    .cause
                    .as_ref()
                    .and_then(|c| c.release().map(str::to_owned))
                    .or(running);
                let (f, good) = slots_healthy(snap, estate, found.app, release.as_deref(), now);
                found.last_good = Some(good);
                swapped(cx, &found.app.name).unwrap_or(f)
            }
            NodeId::Regional => {
                let r = regional(snap, estate, &found.affected, now);
                found.bad = r.bad;
                r.finding
            }
            _ => return None,
        };
        found.why.extend(first_text(&finding));
        let answer = w.decide(node, finding, cx, now);
        if node == NodeId::Regional && answer == Answer::Yes && found.bad.is_none() {
            found.bad = Some(region_view(snap, estate, &found.app.region, now));
        }
        node = match answer {
            Answer::Yes => next(node, Some(true))?,
            Answer::No => next(node, Some(false))?,
            _ => return None,
        };
    }
}

fn detected(w: &mut Walk, hit: &[&AppState], cx: &DecideContext, now: DateTime<Utc>) {
    let mut evidence = Vec::new();
    if let Some(i) = &cx.incident {
        evidence.push(ev(
            format!(
                "detected at {}: {}",
                clock(i.detected_at),
                i.apps.join(", ")
            ),
            Some(i.detected_at),
            "incident",
        ));
    }
    for a in hit {
        if let Some((Ok(h), at)) = a.production().map(|s| (fresh(&s.health, now), s.health.at)) {
            let code = h.http_status.map(|c| format!(" ({c})")).unwrap_or_default();
            evidence.push(ev(
                format!(
                    "{} {}{code}, read {}",
                    a.name,
                    h.status.label(),
                    at.map_or_else(|| "?".into(), clock)
                ),
                at,
                "GET /api/health",
            ));
        }
    }
    w.set(NodeId::Detected, Answer::Done, evidence);
}

fn scope(
    w: &mut Walk,
    snap: &Snapshot,
    estate: &Estate,
    regions: &[String],
    n: usize,
    now: DateTime<Utc>,
) {
    let mut evidence = vec![ev(
        format!(
            "{n} of {} apps affected, in {}",
            snap.apps.len(),
            regions.join(", ")
        ),
        Some(now),
        "health",
    )];
    for r in regions {
        evidence.push(ev(
            region_view(snap, estate, r, now).words(),
            Some(now),
            "health, Resource Health",
        ));
    }
    w.set(NodeId::Scope, Answer::Done, evidence);
}

fn watching(snap: &Snapshot, cx: &DecideContext, now: DateTime<Utc>) -> Decision {
    let mut w = Walk::new();
    if let Some(i) = &cx.incident {
        let summary = format!(
            "incident detected at {} for {}, none of them in the data",
            clock(i.detected_at),
            i.apps.join(", ")
        );
        w.set(
            NodeId::Detected,
            Answer::Unknown,
            vec![ev(summary.clone(), Some(i.detected_at), "incident")],
        );
        return finish_watching(w, summary);
    }
    let unread: Vec<String> = snap
        .apps
        .iter()
        .filter_map(|a| match a.production().map(|s| fresh(&s.health, now)) {
            Some(Ok(_)) => None,
            Some(Err(e)) => Some(format!("{} {e}", a.name)),
            None => Some(format!("{}: no production slot", a.name)),
        })
        .collect();
    let (answer, summary) = if unread.is_empty() {
        (
            Answer::Pending,
            format!("watching {} apps: none failing", snap.apps.len()),
        )
    } else {
        (
            Answer::Unknown,
            format!(
                "watching {} apps: health not fresh for {}",
                snap.apps.len(),
                unread.len()
            ),
        )
    };
    let mut evidence = vec![ev(summary.clone(), Some(now), "GET /api/health")];
    evidence.extend(unread.into_iter().map(|u| ev(u, None, "GET /api/health")));
    w.set(NodeId::Detected, answer, evidence);
    finish_watching(w, summary)
}

fn finish_watching(w: Walk, summary: String) -> Decision {
    Decision {
        answers: w.answers,
        path: w.path,
        gates: Vec::new(),
        safety: Vec::new(),
        recommendation: None,
        onset: None,
        affected_apps: Vec::new(),
        affected_regions: Vec::new(),
        summary,
    }
}

/// Evaluates the runbook against the snapshot.
pub fn evaluate(
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> Decision {
    let cx = &*super::outside::with_outside_changes(snap, cx, now);
    let hit = affected(snap, estate, cx, now);
    let Some(first) = hit.first().copied() else {
        return watching(snap, cx, now);
    };
    let regions: Vec<String> = snap
        .regions
        .iter()
        .filter(|r| hit.iter().any(|a| a.region == r.name))
        .map(|r| r.name.clone())
        .collect();
    let mut w = Walk::new();
    detected(&mut w, &hit, cx, now);
    scope(&mut w, snap, estate, &regions, hit.len(), now);
    let onset = hit
        .iter()
        .map(|a| onset_of(a, cx, now))
        .filter(|o| o.from_series)
        .map(|o| o.at)
        .min();
    let mut found = Found {
        affected: hit.clone(),
        app: first,
        bad: None,
        cause: None,
        last_good: None,
        instead: None,
        why: Vec::new(),
    };
    let strategy = decide(&mut w, &mut found, snap, estate, cx, now);
    let (recommendation, summary) = match strategy {
        None => {
            let stuck = w.path.last().copied().unwrap_or(NodeId::Detected);
            let why = w
                .answers
                .iter()
                .find(|a| a.node == stuck)
                .and_then(|a| a.evidence.last())
                .map_or_else(String::new, |e| e.text.clone());
            (
                None,
                format!(
                    "cannot decide \"{}\": {why}; refresh the data or override with a reason",
                    flow_node(stuck).label
                ),
            )
        }
        Some(s) => {
            if found.last_good.is_none() {
                // Not reached through the slots' question: what production runs is the release
                // to replace (the plans' rule too).
                found.last_good = Some(LastGood::of(found.app, snap, estate, None));
            }
            let s = after::instead_of_redeploy(&mut w, s, &mut found, snap, estate, now);
            after::act_and_verify(&mut w, s, &found, snap, estate, cx, now)
        }
    };
    let (recommendation, summary) = match cx.closed_at {
        Some(at) => (None, super::closed::closed(&mut w, at)),
        None => (recommendation, summary),
    };
    let (gates, safety) = recommendation.as_ref().map_or_else(
        || (Vec::new(), Vec::new()),
        |r: &Recommendation| {
            (
                gates_for(&r.action, snap, estate, cx, now),
                safety_for(&r.action, snap, estate, cx, now),
            )
        },
    );
    let summary = blocked(summary, &gates, &safety);
    Decision {
        answers: w.answers,
        path: w.path,
        gates,
        safety,
        recommendation,
        onset,
        affected_apps: hit.iter().map(|a| a.name.clone()).collect(),
        affected_regions: regions,
        summary,
    }
}

fn blocked(summary: String, gates: &[GateResult], safety: &[SafetyCheck]) -> String {
    let mut blocks: Vec<String> = gates
        .iter()
        .filter(|g| !g.allows())
        .map(|g| format!("{} {}", g.gate.label(), g.status.label()))
        .collect();
    blocks.extend(
        safety
            .iter()
            .filter(|c| !c.allows())
            .map(|c| format!("refused: {}", c.rule.words())),
    );
    if blocks.is_empty() {
        summary
    } else {
        format!("{summary} — blocked: {}", blocks.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{ActionKind, Override, OverrideTarget, ProposedAction, testkit};
    use crate::model::Health;

    #[test]
    fn a_calm_estate_is_watched_and_nothing_is_recommended() {
        let (mut snap, estate) = testkit::calm();
        let cx = DecideContext::default();
        let d = evaluate(&snap, &estate, &cx, testkit::now());
        assert_eq!(d.answer(NodeId::Detected).answer, Answer::Pending);
        assert_eq!(d.path, [NodeId::Detected]);
        assert!(d.recommendation.is_none() && !d.cleared());
        assert_eq!(d.summary, "watching 12 apps: none failing");
        // A stale health read: not "all healthy" any more, but not known.
        testkit::app(&mut snap, "func-orders-prod-jpe").slots[0]
            .health
            .at = Some(testkit::at(-5));
        let d = evaluate(&snap, &estate, &cx, testkit::now());
        assert_eq!(d.answer(NodeId::Detected).answer, Answer::Unknown);
        assert_eq!(d.summary, "watching 12 apps: health not fresh for 1");
    }

    fn two_failing_in_krc() -> (Snapshot, Estate) {
        let (mut snap, estate) = testkit::calm();
        testkit::set_health(&mut snap, "func-orders-prod-krc", Health::Unhealthy);
        testkit::set_health(&mut snap, "func-catalog-prod-krc", Health::Unhealthy);
        (snap, estate)
    }

    #[test]
    fn an_override_of_the_regional_question_takes_the_other_edge() {
        let (snap, estate) = two_failing_in_krc();
        let mut cx = DecideContext::default();
        let d = evaluate(&snap, &estate, &cx, testkit::now());
        assert_eq!(d.answer(NodeId::Regional).answer, Answer::Yes);
        assert_eq!(d.answer(NodeId::Failover).answer, Answer::Current);
        cx.overrides.push(
            Override::new(
                OverrideTarget::Node {
                    node: NodeId::Regional,
                    answer: false,
                },
                "the catalog failure is a known, unrelated bug",
                testkit::at(-1),
            )
            .expect("valid"),
        );
        let d = evaluate(&snap, &estate, &cx, testkit::now());
        let regional = d.answer(NodeId::Regional);
        assert_eq!(regional.answer, Answer::No);
        assert!(regional.overridden.is_some());
        assert!(regional.evidence[0].text.ends_with("(evidence said Yes)"));
        assert_eq!(d.answer(NodeId::Failover).answer, Answer::Pending);
        let rec = d.recommendation.expect("a recommendation");
        assert_eq!(rec.strategy, Strategy::Rebuild);
        assert_eq!(rec.action.target, "func-orders-prod-krc");
    }

    #[test]
    fn the_recommended_action_already_in_flight_is_waited_for_not_recommended_again() {
        let (snap, estate) = two_failing_in_krc();
        let cx = DecideContext {
            in_flight: vec![ProposedAction {
                kind: ActionKind::Failover,
                target: "krc".into(),
                release: None,
            }],
            ..DecideContext::default()
        };
        let d = evaluate(&snap, &estate, &cx, testkit::now());
        assert_eq!(d.answer(NodeId::Failover).answer, Answer::Current);
        assert!(d.recommendation.is_none());
        assert_eq!(d.summary, "waiting: failover krc is in flight");
    }
}
