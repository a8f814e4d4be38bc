//! A drill's score, from the incident's journal alone: time to detect (the fault to the
//! declaration), time to decide (the declaration to the first confirmed action), the branch
//! chosen against the runbook's, the expected actions taken, the gates honoured or overridden,
//! the recovery validated within the time limit, the RTO (detection to the validated close, as
//! the incident report measures it) and an RPO estimate, each against the drill's target, and
//! pass or fail with the reasons; beside them, the hints revealed (which do not change it).
//!
//! Pure: records, the spec and the scenario's start in, a [`Score`] out. No I/O, no clock.

use chrono::{DateTime, Duration, Utc};

use super::spec::DrillSpec;
use crate::decide::{ActionKind, OverrideTarget, Strategy, strategy_of};
use crate::journal::report::{Rto, all_overrides, measure, runs};
use crate::journal::{Entry, Intent, Record};
use crate::sim::scenario::Offset;

/// One measure of the score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What is measured (`Time to detect`).
    pub what: &'static str,
    /// The target, in words.
    pub target: String,
    /// What the drill achieved, in words.
    pub achieved: String,
    /// Whether the target was met.
    pub met: bool,
}

/// The RPO estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RpoEstimate {
    /// No action moved data or traffic to another region: nothing written is lost.
    NothingMoved,
    /// Traffic moved while storage replication was this far behind, with this many messaging
    /// operations not yet replicated, as journaled before the move.
    Lag(Duration, u64),
    /// Only messaging moved (a geo-DR alias): this many operations were not yet replicated, as
    /// journaled before the move; no storage replication was involved.
    Messaging(u64),
    /// Traffic moved and the journal records no replication figure.
    Unknown,
}

/// A drill's score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// When the fault began.
    pub fault_at: DateTime<Utc>,
    /// The strategy of the first action that carried one out.
    pub branch: Option<Strategy>,
    /// The RPO estimate.
    pub rpo: RpoEstimate,
    /// The measures, in the checklist's order.
    pub items: Vec<Item>,
    /// The hints revealed (told beside the measures; they do not change the result).
    pub hints: Hints,
}

impl Score {
    /// Whether every target was met.
    pub fn passed(&self) -> bool {
        self.items.iter().all(|i| i.met)
    }

    /// Why the drill failed, one line per missed target (empty when it passed).
    pub fn reasons(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|i| !i.met)
            .map(|i| format!("{}: {} (target: {})", i.what, i.achieved, i.target))
            .collect()
    }
}

/// `1m55s`, as scenario offsets are written.
pub fn span(d: Duration) -> String {
    Offset::seconds(d.num_seconds().max(0)).to_string()
}

fn hms(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

/// Whether an action moves traffic, a role or data to another region.
fn moves_region(kind: ActionKind) -> bool {
    matches!(
        kind,
        ActionKind::Failover
            | ActionKind::TmDisable
            | ActionKind::FdDisable
            | ActionKind::AliasFailover
            | ActionKind::StorageFailover
    )
}

/// Scores the incident of `records` as a run of `spec`, whose scenario started at `start`.
pub fn score(records: &[Record], spec: &DrillSpec, start: DateTime<Utc>) -> Score {
    let t = spec.targets;
    let fault_at = start + spec.fault_at.delta();
    let limit = start + t.time_limit.delta();
    let declared = records.iter().find_map(|r| match &r.entry {
        Entry::Declared { .. } => Some(r.at),
        _ => None,
    });
    let runs = runs(records);
    let mut items = Vec::new();

    items.push(detect(declared, fault_at, t.detect_within));
    items.push(decide(
        declared,
        runs.first().map(|r| r.intent),
        t.decide_within,
    ));

    let branch_run = runs
        .iter()
        .find_map(|r| strategy_of(r.intent.action.kind).map(|s| (s, r.intent)));
    let branch = branch_run.map(|(s, _)| s);
    items.push(Item {
        what: "Branch chosen",
        target: spec.expected_strategy.label().to_owned(),
        achieved: branch_run.map_or_else(
            || "no recovery strategy taken".to_owned(),
            |(s, i)| {
                format!(
                    "{} ({} {})",
                    s.label(),
                    i.action.kind.name(),
                    i.action.target
                )
            },
        ),
        met: branch == Some(spec.expected_strategy),
    });

    if !spec.expected_actions.is_empty() {
        items.push(expected_actions(spec, &runs));
    }
    items.push(gates(spec, records));
    items.push(recovery(records, limit));

    items.push(rto(records, t.rto));
    let rpo = rpo_estimate(records);
    items.push(rpo_item(&rpo, t.rpo));

    Score {
        fault_at,
        branch,
        rpo,
        items,
        hints: hints(records, spec),
    }
}

/// Time to detect: the fault to the declaration.
fn detect(declared: Option<DateTime<Utc>>, fault_at: DateTime<Utc>, within: Offset) -> Item {
    let target = format!("within {within} of the fault");
    match declared {
        Some(at) => Item {
            what: "Time to detect",
            target,
            achieved: format!(
                "{} (fault {} → declared {})",
                span(at - fault_at),
                hms(fault_at),
                hms(at)
            ),
            met: at - fault_at <= within.delta(),
        },
        None => Item {
            what: "Time to detect",
            target,
            achieved: "never declared".to_owned(),
            met: false,
        },
    }
}

/// Time to decide: the declaration to the first confirmed action.
fn decide(declared: Option<DateTime<Utc>>, first: Option<&Intent>, within: Offset) -> Item {
    let target = format!("within {within} of detection");
    match (declared, first) {
        (Some(d), Some(i)) => Item {
            what: "Time to decide",
            target,
            achieved: format!(
                "{} (declared {} → {} {} confirmed {})",
                span(i.confirmed_at - d),
                hms(d),
                i.action.kind.name(),
                i.action.target,
                hms(i.confirmed_at)
            ),
            met: i.confirmed_at - d <= within.delta(),
        },
        _ => Item {
            what: "Time to decide",
            target,
            achieved: "no action confirmed".to_owned(),
            met: false,
        },
    }
}

/// The RTO: detection to the validated close, as the incident report measures it.
fn rto(records: &[Record], target: Offset) -> Item {
    let (achieved, met) = match measure(records) {
        Rto::Final(d) => (
            format!("{} (detection → validated recovery)", span(d)),
            d <= target.delta(),
        ),
        Rto::Provisional(d, _) => (
            format!(
                "not achieved: recovery not validated ({} to the last successful action)",
                span(d)
            ),
            false,
        ),
        Rto::NotRecovered | Rto::Unknown => ("not achieved: not recovered".to_owned(), false),
    };
    Item {
        what: "RTO",
        target: target.to_string(),
        achieved,
        met,
    }
}

/// Each expected action taken and succeeded, in order.
fn expected_actions(spec: &DrillSpec, runs: &[crate::journal::report::ActionRun<'_>]) -> Item {
    let succeeded: Vec<ActionKind> = runs
        .iter()
        .filter(|r| r.outcome.is_some_and(|o| o.result == "succeeded"))
        .map(|r| r.intent.action.kind)
        .collect();
    let mut rest = succeeded.iter();
    let mut words = Vec::new();
    let mut all = true;
    for kind in &spec.expected_actions {
        // In order: each is looked for after the previous one found.
        let found = rest.any(|k| k == kind);
        all &= found;
        words.push(format!(
            "{} {}",
            kind.name(),
            if found { "✓ taken" } else { "✗ not taken" }
        ));
    }
    let ran: Vec<&str> = runs.iter().map(|r| r.intent.action.kind.name()).collect();
    Item {
        what: "Expected actions",
        target: spec
            .expected_actions
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", then "),
        achieved: format!(
            "{} (ran: {})",
            words.join("; "),
            if ran.is_empty() {
                "nothing".to_owned()
            } else {
                ran.join(", ")
            }
        ),
        met: all,
    }
}

/// Every override, and whether the drill allows it.
fn gates(spec: &DrillSpec, records: &[Record]) -> Item {
    let allowed: Vec<String> = spec
        .allowed_overrides
        .iter()
        .map(|a| a.gate.label().to_owned())
        .collect();
    let mut words = Vec::new();
    let mut ok = true;
    for (o, _) in all_overrides(records) {
        let (what, fine) = match &o.target {
            OverrideTarget::Gate { gate } => (
                format!("gate {}", gate.label()),
                spec.allowed_overrides.iter().any(|a| a.gate == *gate),
            ),
            OverrideTarget::Safety { rule, target } => (
                format!("safety rule \"{}\" on {target}", rule.words()),
                false,
            ),
            OverrideTarget::Node { node, answer } => (
                format!(
                    "answer of {} forced to {}",
                    crate::decide::flowchart::flow_node(*node).label,
                    if *answer { "yes" } else { "no" }
                ),
                false,
            ),
        };
        ok &= fine;
        words.push(format!(
            "{what} overridden ({})",
            if fine {
                "allowed by the drill"
            } else {
                "NOT allowed by the drill"
            }
        ));
    }
    Item {
        what: "Gates",
        target: if allowed.is_empty() {
            "every gate and safety rule honoured".to_owned()
        } else {
            format!(
                "honoured; the drill allows overriding {}",
                allowed.join(", ")
            )
        },
        achieved: if words.is_empty() {
            "every gate and safety rule honoured".to_owned()
        } else {
            words.join("; ")
        },
        met: ok,
    }
}

/// The recovery validated by the engine and the incident closed, within the time limit.
fn recovery(records: &[Record], limit: DateTime<Utc>) -> Item {
    let closed = records.iter().rev().find_map(|r| match &r.entry {
        Entry::Closed { validated, .. } => Some((r.at, *validated)),
        _ => None,
    });
    let (achieved, met) = match closed {
        Some((at, true)) if at <= limit => (format!("validated and closed at {}", hms(at)), true),
        Some((at, true)) => (
            format!("validated and closed at {}, after the time limit", hms(at)),
            false,
        ),
        Some((at, false)) => (
            format!(
                "closed at {} WITHOUT the engine validating the recovery",
                hms(at)
            ),
            false,
        ),
        None => (
            "not recovered: the incident was never closed".to_owned(),
            false,
        ),
    };
    Item {
        what: "Recovery",
        target: format!("validated and closed by {}", hms(limit)),
        achieved,
        met,
    }
}

mod hints;
mod rpo;

use hints::hints;
pub use hints::{HINT_NOTE, Hints};
use rpo::{rpo_estimate, rpo_item};

#[cfg(test)]
mod tests;
