//! The report's RTO, RPO and Follow-ups sections. RTO is measured from the journal's own times
//! (detection to the validated close, or provisionally to the last successful action); RPO is
//! only what the journal's notes and evidence say of it; nothing is estimated here.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};

use super::actions::{counts, runs};
use super::{Targets, closed, declared, hms, warning_words};
use crate::decide::ActionKind;
use crate::journal::entry::{Entry, Record, Warning};

/// `13 min 47 s`.
fn span(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    format!("{} min {} s", secs / 60, secs % 60)
}

/// What the RTO measure came to.
pub(crate) enum Rto {
    /// Detection to the validated close.
    Final(Duration),
    /// Detection to the last successful action, the recovery not (yet) validated.
    Provisional(Duration, DateTime<Utc>),
    /// No successful action and no validated close.
    NotRecovered,
    /// No declaration: detection time unknown.
    Unknown,
}

pub(crate) fn measure(records: &[Record]) -> Rto {
    let Some((detected, _)) = declared(records) else {
        return Rto::Unknown;
    };
    if let Some((r, true, _)) = closed(records) {
        return Rto::Final(r.at - detected);
    }
    let last_ok = runs(records)
        .iter()
        .filter_map(|run| match (run.outcome, run.outcome_at) {
            (Some(o), Some(r)) if o.result == "succeeded" => Some(r.at),
            _ => None,
        })
        .max();
    match last_ok {
        Some(at) => Rto::Provisional(at - detected, at),
        None => Rto::NotRecovered,
    }
}

fn against(d: Duration, target: Option<u32>) -> String {
    match target {
        Some(m) => {
            let t = Duration::minutes(i64::from(m));
            if d <= t {
                format!("**met** (target {m} min, {} to spare)", span(t - d))
            } else {
                let over = d - t;
                let mins = (over.num_seconds() + 59) / 60;
                format!(
                    "**missed by {mins} min** (target {m} min, over by {})",
                    span(over)
                )
            }
        }
        None => "target not known (give --config FILE)".to_owned(),
    }
}

pub(super) fn rto(out: &mut String, records: &[Record], targets: &Targets) {
    out.push_str("## RTO\n\n");
    let target = targets
        .rto_minutes
        .map_or_else(|| "not known".to_owned(), |m| format!("{m} min"));
    let _ = writeln!(out, "- Target: {target}");
    let detected = declared(records).map(|(t, _)| t);
    match measure(records) {
        Rto::Final(d) => {
            let end = closed(records).map(|(r, _, _)| r.at);
            let _ = writeln!(
                out,
                "- Achieved: {} (detected {} → closed validated {}): {}",
                span(d),
                detected.map(hms).unwrap_or_default(),
                end.map(hms).unwrap_or_default(),
                against(d, targets.rto_minutes)
            );
        }
        Rto::Provisional(d, at) => {
            let _ = writeln!(
                out,
                "- Achieved (provisional: the recovery is not validated in the journal): {} \
                 (detected {} → last successful action {}): {}",
                span(d),
                detected.map(hms).unwrap_or_default(),
                hms(at),
                against(d, targets.rto_minutes)
            );
        }
        Rto::NotRecovered => {
            let last = records.last().map(|r| r.at);
            let elapsed = match (detected, last) {
                (Some(a), Some(b)) => format!(
                    ", {} after detection as of the last entry at {}",
                    span(b - a),
                    hms(b)
                ),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "- Achieved: not recovered: no action succeeded and the recovery is not \
                 validated{elapsed}"
            );
        }
        Rto::Unknown => {
            out.push_str(
                "- Achieved: unknown: the journal has no declaration, so no detection time\n",
            );
        }
    }
    out.push('\n');
}

/// Lines of notes and decision evidence that speak of the recovery point.
fn rpo_mentions(records: &[Record]) -> Vec<(DateTime<Utc>, String)> {
    let speaks = |s: &str| {
        let l = s.to_lowercase();
        l.contains("rpo") || l.contains("data loss") || l.contains("last sync")
    };
    let mut out = Vec::new();
    for r in records {
        match &r.entry {
            Entry::Note { text } if speaks(text) => out.push((r.at, format!("note: {text}"))),
            Entry::Decision { evidence, .. } => {
                for e in evidence.iter().filter(|e| speaks(e)) {
                    out.push((r.at, format!("evidence: {e}")));
                }
            }
            _ => {}
        }
    }
    out
}

pub(super) fn rpo(out: &mut String, records: &[Record], targets: &Targets) {
    out.push_str("## RPO\n\n");
    let target = targets
        .rpo_minutes
        .map_or_else(|| "not known".to_owned(), |m| format!("{m} min"));
    let _ = writeln!(out, "- Target: {target}");
    let mentions = rpo_mentions(records);
    if mentions.is_empty() {
        out.push_str(
            "- Achieved: estimate not recorded by this journal: no note or evidence speaks of \
             data loss or replication lag, so the data lost (if any) is unknown\n",
        );
    } else {
        out.push_str(
            "- Achieved: not measured by this report; the journal says of it (verify against \
             the replication's own figures):\n",
        );
        for (at, line) in mentions {
            let _ = writeln!(out, "  - {} {line}", hms(at));
        }
    }
    out.push('\n');
}

fn item(out: &mut String, done: bool, words: &str) {
    let _ = writeln!(out, "- [{}] {words}", if done { "x" } else { " " });
}

pub(super) fn follow_ups(
    out: &mut String,
    records: &[Record],
    warnings: &[Warning],
    targets: &Targets,
) {
    out.push_str("## Follow-ups\n\n");
    item(
        out,
        false,
        "Owner and escalation path: confirm who owned the incident and whether escalation was needed",
    );
    item(
        out,
        false,
        "Root cause of the release or outage found and recorded (the journal records the recovery, not the cause)",
    );
    let runs = runs(records);
    let rollback = runs.iter().any(|r| {
        matches!(
            r.intent.action.kind,
            ActionKind::Swap | ActionKind::SwapBack | ActionKind::Redeploy
        )
    });
    item(
        out,
        false,
        &format!(
            "Rollback command set tested{}",
            if rollback {
                " (the `az` equivalents above are the commands this incident used)"
            } else {
                " (no rollback was run in this incident)"
            }
        ),
    );
    let failover = runs
        .iter()
        .any(|r| r.intent.action.kind == ActionKind::Failover);
    item(
        out,
        false,
        &format!(
            "Region failover procedure tested{}",
            if failover {
                " (a failover was run in this incident: review it)"
            } else {
                " (no failover was run in this incident)"
            }
        ),
    );
    let rto = match measure(records) {
        Rto::Final(d) => format!(
            "RTO measured against target: {}",
            against(d, targets.rto_minutes)
        ),
        Rto::Provisional(..) => {
            "RTO against target: provisional only, validate the recovery".into()
        }
        Rto::NotRecovered => "RTO against target: not recovered yet".into(),
        Rto::Unknown => "RTO against target: unknown (no detection time)".into(),
    };
    item(out, matches!(measure(records), Rto::Final(_)), &rto);
    item(
        out,
        false,
        "RPO against target: establish the data lost from the replication's figures",
    );
    let (_, failed) = counts(records);
    if failed > 0 {
        item(
            out,
            false,
            &format!("Investigate the {failed} failed action(s) listed under Actions"),
        );
    }
    for run in runs
        .iter()
        .filter(|r| r.outcome.is_none() && r.reconciled.is_none())
    {
        item(
            out,
            false,
            &format!(
                "Reconcile `{}`: its outcome was never journaled",
                run.intent.plan_id
            ),
        );
    }
    if closed(records).is_none() {
        item(
            out,
            false,
            "Close the incident once the recovery is validated",
        );
    }
    for w in warnings {
        item(out, false, &format!("Journal: {}", warning_words(w)));
    }
    item(
        out,
        false,
        "Action items tracked for every gap found in this incident",
    );
    out.push('\n');
}
