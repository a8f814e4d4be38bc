//! The second half of the flow, once the decisions have picked a strategy: recommend its action
//! (or wait for it while it runs), verify after it finished, and close or escalate to the next
//! strategy when the recovery is not validated within the verification window. A redeploy the
//! reads show impossible (no known-good release with its package in the artifact store) gives
//! way to the next strategy in the escalation order, as a failed one would.
//! Pure; fills in the walk `eval` started.

use chrono::{DateTime, Utc};

use crate::config::Estate;
use crate::model::Snapshot;

use super::evidence::{age, clock, ev};
use super::flowchart::strategy_node;
use super::recommend::{next_strategy, recommend};
use super::verify::{subjects, verify};
use super::walk::{Found, Walk};
use super::{
    ActionRecord, Answer, DecideContext, Evidence, GateStatus, NodeId, Recommendation, Strategy,
};

/// The strategy to carry out instead of `s` when `s` is a redeploy that cannot be carried out:
/// the Redeploy step answers No with why, and the next strategy that applies is returned (what
/// was tried is left to the follow-up); `s` itself otherwise.
pub(super) fn instead_of_redeploy(
    w: &mut Walk,
    s: Strategy,
    found: &mut Found<'_>,
    snap: &Snapshot,
    estate: &Estate,
    now: DateTime<Utc>,
) -> Strategy {
    if s != Strategy::Redeploy {
        return s;
    }
    let Some(good) = found.last_good.as_ref() else {
        return s;
    };
    let Some(why) = good.impossible() else {
        return s;
    };
    let (next, skipped) = next_strategy(s, &[], found.app, snap, estate, now, Some(good));
    let Some(next) = next else {
        return s;
    };
    let mut evidence = good.evidence(now);
    evidence.extend(skipped.into_iter().map(|x| ev(x, Some(now), "decision")));
    evidence.push(ev(
        format!("next strategy: {}", next.label()),
        Some(now),
        "decision",
    ));
    w.set(NodeId::Redeploy, Answer::No, evidence);
    found.instead = Some(format!("{} instead of a redeploy: {why}", next.label()));
    next
}

/// The evidence on a strategy's step once recommended: the first reason, and for a redeploy the
/// release chosen and those passed over.
fn step_evidence(s: Strategy, first: &str, found: &Found<'_>, now: DateTime<Utc>) -> Vec<Evidence> {
    let mut out = vec![ev(first, Some(now), "decision")];
    if s == Strategy::Redeploy
        && let Some(good) = &found.last_good
    {
        out.extend(good.evidence(now));
    }
    out
}

/// Recommends `s` or follows up on the actions taken; returns the recommendation and a summary.
pub(super) fn act_and_verify(
    w: &mut Walk,
    s: Strategy,
    found: &Found<'_>,
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> (Option<Recommendation>, String) {
    let Some(last) = cx.last_strategy_action() else {
        return first_action(w, s, found, snap, estate, cx, now);
    };
    let taken = last
        .strategy()
        .expect("last_strategy_action has a strategy");
    for r in cx
        .actions
        .iter()
        .filter(|r| r.strategy().is_some_and(|t| t != taken))
    {
        let t = r.strategy().expect("filtered on strategy");
        w.set(strategy_node(t), Answer::Done, vec![record_words(r)]);
    }
    if taken != s {
        w.note(
            strategy_node(s),
            ev(
                format!("the runbook's path; {} was taken instead", taken.label()),
                Some(last.started),
                "actions",
            ),
        );
    }
    let node = strategy_node(taken);
    let Some(finished) = last.finished else {
        w.set(node, Answer::Current, vec![record_words(last)]);
        return (
            None,
            format!(
                "waiting: {} {} running since {}",
                last.action.kind.name(),
                last.action.target,
                clock(last.started)
            ),
        );
    };
    w.set(node, Answer::Done, vec![record_words(last)]);
    let validated = validation(w, last, finished, found, snap, estate, cx, now);
    match w.decide(NodeId::Validated, validated, cx, now) {
        Answer::Yes => {
            let words = "recovery validated: close the incident and start the follow-up".to_owned();
            w.set(
                NodeId::Close,
                Answer::Current,
                vec![ev(words.clone(), Some(now), "decision")],
            );
            (None, words)
        }
        Answer::No => escalate(w, taken, found, snap, estate, cx, now),
        _ => {
            let until = finished + cx.verify_window;
            (
                None,
                format!(
                    "verifying {} {} until {}",
                    last.action.kind.name(),
                    last.action.target,
                    clock(until)
                ),
            )
        }
    }
}

/// Whether the recovery is validated after the last strategy's action finished.
#[allow(clippy::too_many_arguments)]
fn validation(
    w: &mut Walk,
    last: &ActionRecord,
    finished: DateTime<Utc>,
    found: &Found<'_>,
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> super::deploy::Finding {
    if last.succeeded == Some(false) {
        w.set(
            NodeId::Verify,
            Answer::Done,
            vec![ev(
                "nothing to verify: the action failed",
                Some(finished),
                "actions",
            )],
        );
        super::deploy::Finding {
            answer: Answer::No,
            evidence: vec![ev(
                format!("{} failed at {}", last.action.kind.name(), clock(finished)),
                Some(finished),
                "actions",
            )],
        }
    } else if let Some(at) = cx.validated_at.filter(|at| *at >= finished) {
        // Validated once within the window: the recovery stands. A later failure is a new
        // incident, not a reason to escalate this one.
        w.set(
            NodeId::Verify,
            Answer::Done,
            vec![ev(
                format!("verified at {}", clock(at)),
                Some(at),
                "decision",
            )],
        );
        super::deploy::Finding {
            answer: Answer::Yes,
            evidence: vec![ev(
                format!(
                    "recovery validated at {}; later readings do not reopen it",
                    clock(at)
                ),
                Some(at),
                "decision",
            )],
        }
    } else {
        verification(w, last, finished, found, snap, estate, cx, now)
    }
}

/// Nothing done yet: recommend the strategy's action, unless it is already in flight.
fn first_action(
    w: &mut Walk,
    s: Strategy,
    found: &Found<'_>,
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> (Option<Recommendation>, String) {
    let mut rec = recommend(s, &found.basis(), snap, estate, now);
    if let Some(why) = &found.instead {
        rec.reasons.insert(1.min(rec.reasons.len()), why.clone());
    }
    let rec = super::prepare::sync_first(rec, snap, estate, cx, now);
    let rec = super::prepare::suppress_first(rec, snap, estate, cx, now);
    let node = strategy_node(s);
    if cx.in_flight.iter().any(|a| a.same_move(&rec.action)) {
        let words = format!(
            "{} {} is in flight",
            rec.action.kind.name(),
            rec.action.target
        );
        w.set(
            node,
            Answer::Current,
            vec![ev(words.clone(), Some(now), "context")],
        );
        return (None, format!("waiting: {words}"));
    }
    let first = rec.reasons.first().cloned().unwrap_or_default();
    w.set(node, Answer::Current, step_evidence(s, &first, found, now));
    (Some(rec), format!("{}: {first}", s.label()))
}

fn record_words(r: &ActionRecord) -> super::Evidence {
    let outcome = match (r.finished, r.succeeded) {
        (None, _) => format!("running since {}", clock(r.started)),
        (Some(f), Some(false)) => format!("failed at {}", clock(f)),
        (Some(f), Some(true)) => format!("succeeded at {}", clock(f)),
        (Some(f), None) => format!("finished at {}", clock(f)),
    };
    ev(
        format!("{} {} {outcome}", r.action.kind.name(), r.action.target),
        Some(r.started),
        "actions",
    )
}

#[allow(clippy::too_many_arguments)]
fn verification(
    w: &mut Walk,
    last: &ActionRecord,
    finished: DateTime<Utc>,
    found: &Found<'_>,
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> super::deploy::Finding {
    let apps = subjects(&last.action, &found.affected, snap, estate);
    let v = verify(&apps, snap, finished, cx.first_action_at(), now);
    let deadline = finished + cx.verify_window;
    let evidence: Vec<super::Evidence> = v
        .checks
        .iter()
        .map(|c| {
            let mark = match c.status {
                GateStatus::Pass => "✓",
                GateStatus::Fail => "✗",
                GateStatus::Unknown => "?",
            };
            ev(
                format!("{mark} {}: {}", c.name, c.detail),
                Some(now),
                "verification",
            )
        })
        .collect();
    let passing = v
        .checks
        .iter()
        .filter(|c| c.status == GateStatus::Pass)
        .count();
    let failing: Vec<String> = v
        .checks
        .iter()
        .filter(|c| c.status != GateStatus::Pass)
        .map(|c| format!("{}: {}", c.name, c.detail))
        .collect();
    let (verify_answer, answer, words) = if v.status == GateStatus::Pass {
        (
            Answer::Done,
            Answer::Yes,
            format!("all {} checks pass at {}", v.checks.len(), clock(now)),
        )
    } else if now <= deadline {
        (
            Answer::Current,
            Answer::Pending,
            format!(
                "{passing} of {} checks pass; validating until {} ({} left)",
                v.checks.len(),
                clock(deadline),
                age(deadline - now)
            ),
        )
    } else {
        (
            Answer::Done,
            Answer::No,
            format!(
                "not validated within {} of {} finishing at {}: {}",
                age(cx.verify_window),
                last.action.kind.name(),
                clock(finished),
                failing.join("; ")
            ),
        )
    };
    w.set(NodeId::Verify, verify_answer, evidence);
    super::deploy::Finding {
        answer,
        evidence: vec![ev(words, Some(now), "verification")],
    }
}

fn escalate(
    w: &mut Walk,
    failed: Strategy,
    found: &Found<'_>,
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> (Option<Recommendation>, String) {
    let (next, skipped) = next_strategy(
        failed,
        &cx.tried(),
        found.app,
        snap,
        estate,
        now,
        found.last_good.as_ref(),
    );
    let mut evidence: Vec<super::Evidence> = skipped
        .into_iter()
        .map(|s| ev(s, Some(now), "decision"))
        .collect();
    let people = if estate.escalation.is_empty() {
        estate.owner.clone()
    } else {
        estate.escalation.join(" → ")
    };
    evidence.push(ev(format!("escalation path: {people}"), None, "estate"));
    let Some(n) = next else {
        evidence.insert(0, ev("no strategy left to try", Some(now), "decision"));
        w.set(NodeId::Escalate, Answer::Current, evidence);
        return (None, format!("all strategies tried: escalate to {people}"));
    };
    evidence.insert(
        0,
        ev(
            format!("next strategy: {}", n.label()),
            Some(now),
            "decision",
        ),
    );
    w.set(NodeId::Escalate, Answer::Current, evidence);
    let mut rec = recommend(n, &found.basis(), snap, estate, now);
    rec.reasons.insert(
        1.min(rec.reasons.len()),
        format!("escalation: {} did not recover the service", failed.label()),
    );
    let first = rec.reasons.first().cloned().unwrap_or_default();
    w.set(
        strategy_node(n),
        Answer::Current,
        step_evidence(n, &first, found, now),
    );
    (Some(rec), format!("escalate: {}: {first}", n.label()))
}
