//! A drill's score, from the incident's journal alone: time to detect (the fault to the
//! declaration), time to decide (the declaration to the first confirmed action), the branch
//! chosen against the runbook's, the expected actions taken, the gates honoured or overridden,
//! the recovery validated within the time limit, the RTO (detection to the validated close, as
//! the incident report measures it) and an RPO estimate, each against the drill's target, and
//! pass or fail with the reasons.
//!
//! Pure: records, the spec and the scenario's start in, a [`Score`] out. No I/O, no clock.

use chrono::{DateTime, Duration, Utc};

use super::spec::DrillSpec;
use crate::decide::{ActionKind, OverrideTarget, Strategy, strategy_of};
use crate::journal::report::{Rto, all_overrides, measure, runs};
use crate::journal::{Entry, Record};
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

    items.push(match declared {
        Some(at) => Item {
            what: "Time to detect",
            target: format!("within {} of the fault", t.detect_within),
            achieved: format!(
                "{} (fault {} → declared {})",
                span(at - fault_at),
                hms(fault_at),
                hms(at)
            ),
            met: at - fault_at <= t.detect_within.delta(),
        },
        None => Item {
            what: "Time to detect",
            target: format!("within {} of the fault", t.detect_within),
            achieved: "never declared".to_owned(),
            met: false,
        },
    });

    let first = runs.first().map(|r| r.intent);
    items.push(match (declared, first) {
        (Some(d), Some(i)) => Item {
            what: "Time to decide",
            target: format!("within {} of detection", t.decide_within),
            achieved: format!(
                "{} (declared {} → {} {} confirmed {})",
                span(i.confirmed_at - d),
                hms(d),
                i.action.kind.name(),
                i.action.target,
                hms(i.confirmed_at)
            ),
            met: i.confirmed_at - d <= t.decide_within.delta(),
        },
        _ => Item {
            what: "Time to decide",
            target: format!("within {} of detection", t.decide_within),
            achieved: "no action confirmed".to_owned(),
            met: false,
        },
    });

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

    items.push(match measure(records) {
        Rto::Final(d) => Item {
            what: "RTO",
            target: t.rto.to_string(),
            achieved: format!("{} (detection → validated recovery)", span(d)),
            met: d <= t.rto.delta(),
        },
        Rto::Provisional(d, _) => Item {
            what: "RTO",
            target: t.rto.to_string(),
            achieved: format!(
                "not achieved: recovery not validated ({} to the last successful action)",
                span(d)
            ),
            met: false,
        },
        Rto::NotRecovered | Rto::Unknown => Item {
            what: "RTO",
            target: t.rto.to_string(),
            achieved: "not achieved: not recovered".to_owned(),
            met: false,
        },
    });

    let rpo = rpo_estimate(records);
    items.push(Item {
        what: "RPO (estimate)",
        target: t.rpo.to_string(),
        achieved: match &rpo {
            RpoEstimate::NothingMoved => {
                "0s: nothing moved to another region, the data stayed where it was written"
                    .to_owned()
            }
            RpoEstimate::Lag(d, 0) => format!(
                "up to {}: storage replication was that far behind when traffic moved",
                span(*d)
            ),
            RpoEstimate::Lag(d, n) => format!(
                "up to {}: storage replication was that far behind when traffic moved, and {n} \
                 messaging operation(s) were not yet replicated",
                span(*d)
            ),
            RpoEstimate::Unknown => {
                "unknown: traffic moved and the journal records no replication figure".to_owned()
            }
        },
        met: match &rpo {
            RpoEstimate::NothingMoved => true,
            RpoEstimate::Lag(d, _) => *d <= t.rpo.delta(),
            RpoEstimate::Unknown => false,
        },
    });

    Score {
        fault_at,
        branch,
        rpo,
        items,
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
            OverrideTarget::Safety { rule, target } => {
                (format!("safety rule \"{}\" on {target}", rule.words()), false)
            }
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
            format!("honoured; the drill allows overriding {}", allowed.join(", "))
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
        None => ("not recovered: the incident was never closed".to_owned(), false),
    };
    Item {
        what: "Recovery",
        target: format!("validated and closed by {}", hms(limit)),
        achieved,
        met,
    }
}

/// The RPO estimate: nothing lost when nothing moved region; else the largest storage
/// replication lag the journal's notes recorded (`… 1m05s behind`) before the first action that
/// moved a region, with the messaging operations still pending then.
fn rpo_estimate(records: &[Record]) -> RpoEstimate {
    let Some(moved) = records.iter().position(
        |r| matches!(&r.entry, Entry::Intent(i) if moves_region(i.action.kind)),
    ) else {
        return RpoEstimate::NothingMoved;
    };
    let notes: Vec<&str> = records[..moved]
        .iter()
        .filter_map(|r| match &r.entry {
            Entry::Note { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let pending = notes.iter().map(|n| pending(n)).max().unwrap_or(0);
    notes
        .into_iter()
        .flat_map(lags)
        .max()
        .map_or(RpoEstimate::Unknown, |lag| RpoEstimate::Lag(lag, pending))
}

/// The `<n> pending replication operations` of a text, summed.
fn pending(text: &str) -> u64 {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(3)
        .filter(|w| w[1] == "pending" && w[2].starts_with("replication"))
        .filter_map(|w| w[0].parse::<u64>().ok())
        .sum()
}

/// Every `<offset> behind` in a text (`stworkflowprod last sync 09:00:51, 1m09s behind`).
fn lags(text: &str) -> Vec<Duration> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .filter(|w| w[1] == "behind")
        .filter_map(|w| w[0].parse::<Offset>().ok())
        .map(Offset::delta)
        .collect()
}

#[cfg(test)]
mod tests;
