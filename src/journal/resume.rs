//! [`Resumed`]: an open incident's state restored from its journal's records alone — the
//! declaration, the overrides, the actions with their outcomes (as the engine's
//! [`ActionRecord`]s), when the recovery was validated, the last decision, whether it was closed,
//! where the sequence stands, and the intents left unfinished by a crash (an intent with neither
//! an outcome nor a reconciliation), with the steps journaled as done.
//!
//! Pure: it reads records, never a file, a clock or Azure. Checking an unfinished intent against
//! Azure is `act::reconcile`; the runtime journals what it found as [`Entry::Reconciled`].

use chrono::{DateTime, Utc};

use super::entry::{Entry, Found, Intent, Record, StepDone};
use crate::decide::{ActionRecord, IncidentFacts, Override, ProposedAction};

/// The engine's last journaled decision.
#[derive(Debug, Clone, PartialEq)]
pub struct LastDecision {
    /// The nodes walked (the engine's ids, as journaled).
    pub path: Vec<String>,
    /// The recommended action, if any.
    pub recommendation: Option<ProposedAction>,
    /// The engine's one-line summary.
    pub summary: String,
    /// When it was journaled.
    pub at: DateTime<Utc>,
}

/// An intent the journal holds no outcome or reconciliation for.
#[derive(Debug, Clone, PartialEq)]
pub struct Unfinished {
    /// The intent as journaled.
    pub intent: Intent,
    /// The steps journaled as completed, in order.
    pub steps_done: Vec<StepDone>,
    /// The intent's sequence number.
    pub seq: u64,
}

/// An incident's state, restored from its records.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resumed {
    /// The declaration: when the incident was detected and the apps affected.
    pub declared: Option<IncidentFacts>,
    /// The overrides given, in order: journaled on their own or carried by an intent.
    pub overrides: Vec<Override>,
    /// Every action started, in order, with its end when the journal holds one.
    pub actions: Vec<ActionRecord>,
    /// When the recovery was validated after the last action, if it was.
    pub validated_at: Option<DateTime<Utc>>,
    /// The last decision journaled.
    pub last_decision: Option<LastDecision>,
    /// Whether the incident was closed.
    pub closed: bool,
    /// The last record's sequence number and time.
    pub last: Option<(u64, DateTime<Utc>)>,
    /// The intents left unfinished, in order.
    pub unfinished: Vec<Unfinished>,
    /// Every plan id an intent has used, in order (a new plan must not reuse one).
    pub plan_ids: Vec<String>,
    /// What happened, one plain line per record that tells (the console's timeline), in order.
    pub timeline: Vec<(DateTime<Utc>, String)>,
}

/// What a reconciliation makes of an interrupted action in the decision context: in place, a
/// success (`Some(Some(true))`); unknown, an end without a verdict (`Some(None)`); not or partly
/// in place, no attempt of its strategy at all (`None`): a crash stopped it before it took
/// effect, which says nothing about whether the strategy works, so the engine may offer it again
/// instead of escalating. The journal keeps the intent and its reconciliation either way.
pub fn found_succeeded(found: Found) -> Option<Option<bool>> {
    match found {
        Found::InPlace => Some(Some(true)),
        Found::Unknown => Some(None),
        Found::NotInPlace | Found::PartlyInPlace => None,
    }
}

impl Resumed {
    /// Restores the state the records describe. Records are taken in order; a step, outcome or
    /// reconciliation belongs to the latest intent of its plan before it.
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per entry kind, read in one pass over the records"
    )]
    pub fn from_records(records: &[Record]) -> Self {
        let mut out = Self::default();
        // Per action (index into `actions`): its plan id, and whether it has ended.
        let mut plans: Vec<(String, bool)> = Vec::new();
        // Actions a crash interrupted before they took effect (by index): dropped at the end.
        let mut interrupted: Vec<usize> = Vec::new();
        let mut steps: Vec<Vec<StepDone>> = Vec::new();
        let mut intents: Vec<(Intent, u64)> = Vec::new();
        let find = |plans: &[(String, bool)], id: &str| plans.iter().rposition(|(p, _)| p == id);
        for r in records {
            if let Some(line) = timeline_line(&r.entry) {
                out.timeline.push((r.at, line));
            }
            out.last = Some(match out.last {
                Some((seq, at)) if seq > r.seq => (seq, at),
                _ => (r.seq, r.at),
            });
            match &r.entry {
                Entry::Declared { detected_at, apps } => {
                    if out.declared.is_none() {
                        out.declared = Some(IncidentFacts {
                            detected_at: *detected_at,
                            apps: apps.clone(),
                        });
                    }
                }
                Entry::Override(o) => out.overrides.push(o.clone()),
                Entry::Intent(i) => {
                    out.overrides.extend(i.overrides.iter().cloned());
                    // A new action is verified afresh.
                    out.validated_at = None;
                    out.actions.push(ActionRecord {
                        action: i.action.clone(),
                        strategy: None,
                        started: i.confirmed_at,
                        finished: None,
                        succeeded: None,
                    });
                    plans.push((i.plan_id.clone(), false));
                    out.plan_ids.push(i.plan_id.clone());
                    steps.push(Vec::new());
                    intents.push((i.clone(), r.seq));
                }
                Entry::Step(s) => {
                    if let Some(k) = find(&plans, &s.plan_id) {
                        steps[k].push(s.clone());
                    }
                }
                Entry::Outcome(o) => {
                    if let Some(k) = find(&plans, &o.plan_id).filter(|k| !plans[*k].1) {
                        plans[k].1 = true;
                        out.actions[k].finished = Some(r.at);
                        out.actions[k].succeeded = Some(o.result == "succeeded");
                    }
                }
                Entry::Reconciled(c) => {
                    if let Some(k) = find(&plans, &c.plan_id).filter(|k| !plans[*k].1) {
                        plans[k].1 = true;
                        out.actions[k].finished = Some(r.at);
                        match found_succeeded(c.found) {
                            Some(verdict) => out.actions[k].succeeded = verdict,
                            None => interrupted.push(k),
                        }
                    }
                }
                Entry::Validated { at } => {
                    if !out.actions.is_empty() {
                        out.validated_at = Some(*at);
                    }
                }
                Entry::Decision {
                    path,
                    recommendation,
                    summary,
                    ..
                } => {
                    out.last_decision = Some(LastDecision {
                        path: path.clone(),
                        recommendation: recommendation.clone(),
                        summary: summary.clone(),
                        at: r.at,
                    });
                }
                Entry::Closed { .. } => out.closed = true,
                Entry::Note { .. }
                | Entry::Observed { .. }
                | Entry::Planned { .. }
                | Entry::Declined { .. }
                | Entry::Unknown => {}
            }
        }
        out.unfinished = plans
            .iter()
            .zip(steps)
            .zip(intents)
            .filter(|((p, _), _)| !p.1)
            .map(|((_, steps_done), (intent, seq))| Unfinished {
                intent,
                steps_done,
                seq,
            })
            .collect();
        let mut k = 0;
        out.actions.retain(|_| {
            k += 1;
            !interrupted.contains(&(k - 1))
        });
        out
    }

    /// The next sequence number the journal will write.
    pub fn next_seq(&self) -> u64 {
        self.last.map_or(1, |(seq, _)| seq + 1)
    }
}

/// A record's line on the console's timeline (names, states, words; never a value).
fn timeline_line(e: &Entry) -> Option<String> {
    let act = |a: &ProposedAction| format!("{} {}", a.kind.name(), a.target);
    Some(match e {
        Entry::Declared { apps, .. } => format!("incident declared: {}", apps.join(", ")),
        Entry::Decision { summary, .. } => format!("decision: {summary}"),
        Entry::Override(o) => format!("override: {}", o.reason),
        Entry::Intent(i) => format!("action confirmed: {}", act(&i.action)),
        Entry::Outcome(o) => format!("action {} {}", o.plan_id, o.result),
        Entry::Reconciled(c) => format!(
            "reconciled after a restart: {} {}",
            c.plan_id,
            c.found.words()
        ),
        Entry::Validated { .. } => "recovery validated".to_owned(),
        Entry::Note { text } => format!("note: {text}"),
        Entry::Closed { text, .. } => format!("closed: {text}"),
        Entry::Observed { changes } => format!(
            "observed: {}",
            changes
                .iter()
                .map(super::entry::Observation::line)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Entry::Planned { title, risk, .. } => format!("plan shown: {title} (risk {risk})"),
        Entry::Declined { plan_id, reason } => format!("plan {plan_id} not run: {reason}"),
        Entry::Step(_) | Entry::Unknown => return None,
    })
}

#[cfg(test)]
#[path = "resume_tests.rs"]
mod tests;
