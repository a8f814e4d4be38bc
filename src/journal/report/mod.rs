//! `journal::report`: the Markdown incident report, rendered from an incident's journal records.
//! Title and summary, timeline, decisions with their evidence, overrides, actions with their `az`
//! equivalents, the achieved RTO against its target, what is known of the RPO, follow-ups and
//! the journal's own warnings.
//!
//! Pure: records in, Markdown out. No I/O and no clock (every time comes from the records). It
//! must not compute anything the journal does not record: what is unknown is said plainly. It
//! prints only what entries hold (names, digests, plain words, masked `az` commands, and the
//! commander's own notes); entries never hold a secret value.

mod actions;
mod measures;

pub(crate) use actions::{ActionRun, all_overrides, runs};
pub(crate) use measures::{Rto, measure};

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::entry::{Entry, Record, Warning};
use crate::decide::{NODES, Override, OverrideTarget, ProposedAction, strategy_of};

/// The estate's targets the report measures against; `None` where they are not known (the
/// journal does not name its estate file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// Recovery time objective, minutes.
    pub rto_minutes: Option<u32>,
    /// Recovery point objective, minutes.
    pub rpo_minutes: Option<u32>,
    /// The estate's display name.
    pub estate_name: Option<String>,
}

/// Renders the report of one incident from its records (in journal order) and the warnings met
/// while reading them.
pub fn render(records: &[Record], warnings: &[Warning], targets: &Targets) -> String {
    let mut out = String::new();
    title(&mut out, records, targets);
    summary(&mut out, records, targets);
    timeline(&mut out, records);
    decisions(&mut out, records);
    actions::overrides(&mut out, records);
    actions::actions(&mut out, records);
    measures::rto(&mut out, records, targets);
    measures::rpo(&mut out, records, targets);
    measures::follow_ups(&mut out, records, warnings, targets);
    journal_warnings(&mut out, warnings);
    out
}

/// `HH:MM:SS`.
fn hms(t: DateTime<Utc>) -> String {
    t.format("%H:%M:%S").to_string()
}

/// `YYYY-MM-DD HH:MM:SS UTC`.
fn full(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `swap func-orders-krc` (`redeploy func-orders-krc (release 2026.03.28)` when the engine named
/// the release).
fn action_words(a: &ProposedAction) -> String {
    a.words()
}

/// A journaled node id (`DeployRelated`) as the runbook's words, or as written when unknown.
fn node_words(id: &str) -> String {
    NODES
        .iter()
        .find(|n| format!("{:?}", n.id) == id)
        .map_or_else(|| id.to_owned(), |n| n.label.to_owned())
}

/// What an override overrides, in words.
fn override_words(o: &Override) -> String {
    match &o.target {
        OverrideTarget::Node { node, answer } => format!(
            "node \"{}\" forced to {}",
            node_words(&format!("{node:?}")),
            if *answer { "yes" } else { "no" }
        ),
        OverrideTarget::Gate { gate } => format!("gate \"{}\"", gate.label()),
        OverrideTarget::Safety { rule, target } => {
            format!("safety rule \"{}\" on {target}", rule.words())
        }
    }
}

fn warning_words(w: &Warning) -> String {
    match w {
        Warning::TornLastLine { line } => {
            format!("line {line} was cut short (a crash mid-write?) and is ignored")
        }
        Warning::Malformed { line, error } => format!("line {line} does not parse ({error})"),
        Warning::UnknownVersion { line, v } => {
            format!("line {line} has format version {v}, which this build does not read")
        }
        Warning::Unreadable { error } => format!("the journal could not be read ({error})"),
    }
}

fn declared(records: &[Record]) -> Option<(DateTime<Utc>, &[String])> {
    records.iter().find_map(|r| match &r.entry {
        Entry::Declared { detected_at, apps } => Some((*detected_at, apps.as_slice())),
        _ => None,
    })
}

fn closed(records: &[Record]) -> Option<(&Record, bool, &str)> {
    records.iter().rev().find_map(|r| match &r.entry {
        Entry::Closed { validated, text } => Some((r, *validated, text.as_str())),
        _ => None,
    })
}

fn title(out: &mut String, records: &[Record], targets: &Targets) {
    let estate = targets.estate_name.as_deref().unwrap_or("unknown estate");
    let when = declared(records)
        .map(|(t, _)| t)
        .or_else(|| records.first().map(|r| r.at));
    match when {
        Some(t) => {
            let _ = writeln!(out, "# Incident report: {estate}, {}\n", full(t));
        }
        None => {
            let _ = writeln!(out, "# Incident report: {estate}\n");
        }
    }
}

fn summary(out: &mut String, records: &[Record], targets: &Targets) {
    let mut s = String::new();
    match &targets.estate_name {
        Some(name) => {
            let _ = write!(s, "Estate: {name}. ");
        }
        None => s.push_str("Estate: not known (give --config FILE for its name and targets). "),
    }
    match declared(records) {
        Some((t, apps)) => {
            let apps = if apps.is_empty() {
                "no app named".to_owned()
            } else {
                apps.join(", ")
            };
            let _ = write!(s, "Detected at {}, apps affected: {apps}. ", full(t));
        }
        None => s.push_str("The journal has no declaration: detection time and apps unknown. "),
    }
    let mut strategies: Vec<&str> = Vec::new();
    let mut taken = 0;
    for r in records {
        if let Entry::Intent(i) = &r.entry {
            taken += 1;
            if let Some(st) = strategy_of(i.action.kind)
                && !strategies.contains(&st.label())
            {
                strategies.push(st.label());
            }
        }
    }
    if taken == 0 {
        s.push_str("No recovery action was taken. ");
    } else {
        let strategy = if strategies.is_empty() {
            "supporting actions only".to_owned()
        } else {
            strategies.join(", then ")
        };
        let (ok, failed) = actions::counts(records);
        let _ = write!(
            s,
            "Strategy taken: {strategy} ({taken} action{} run: {ok} succeeded, {failed} failed). ",
            if taken == 1 { "" } else { "s" }
        );
    }
    match closed(records) {
        Some((r, true, _)) => {
            let _ = write!(s, "Closed at {} with the recovery validated.", hms(r.at));
        }
        Some((r, false, _)) => {
            let _ = write!(
                s,
                "Closed at {} WITHOUT the engine having validated the recovery.",
                hms(r.at)
            );
        }
        None => s.push_str("Still open: the journal has no closing entry."),
    }
    let _ = writeln!(out, "{s}\n");
}

fn timeline(out: &mut String, records: &[Record]) {
    out.push_str("## Timeline\n\n");
    if records.is_empty() {
        out.push_str("The journal holds no entry.\n\n");
        return;
    }
    for r in records {
        let _ = writeln!(out, "- {} {}", hms(r.at), timeline_line(&r.entry));
    }
    out.push('\n');
}

fn timeline_line(e: &Entry) -> String {
    match e {
        Entry::Declared { detected_at, apps } => format!(
            "**declared**: detected at {}, apps {}",
            hms(*detected_at),
            if apps.is_empty() {
                "none named".to_owned()
            } else {
                apps.join(", ")
            }
        ),
        Entry::Decision {
            recommendation,
            summary,
            ..
        } => format!(
            "**decision**: {summary} (recommends {})",
            recommendation
                .as_ref()
                .map_or_else(|| "no action".to_owned(), action_words)
        ),
        Entry::Note { text } => format!("**note**: {text}"),
        Entry::Override(o) => format!("**override**: {}, reason: {}", override_words(o), o.reason),
        Entry::Intent(i) => format!(
            "**intent**: {} ({}, risk {}, {} steps, confirmed {})",
            action_words(&i.action),
            i.title,
            i.risk,
            i.steps.len(),
            hms(i.confirmed_at)
        ),
        Entry::Step(s) => format!(
            "**step** {}/{} of `{}`: {}: {}",
            s.n, s.of, s.plan_id, s.what, s.report
        ),
        Entry::Outcome(o) => format!(
            "**outcome** of `{}`: {}{}",
            o.plan_id,
            o.result,
            actions::failure_words(o)
        ),
        Entry::Closed { validated, text } => format!(
            "**closed** ({}): {text}",
            if *validated {
                "recovery validated"
            } else {
                "not validated by the engine"
            }
        ),
        Entry::Reconciled(c) => format!(
            "**reconciled** `{}` after a restart: {} ({})",
            c.plan_id,
            c.found.words(),
            c.checks.join("; ")
        ),
        Entry::Validated { at } => format!("**validated**: recovery validated at {}", hms(*at)),
        Entry::Observed { changes } => format!(
            "**observed**: {}",
            changes
                .iter()
                .map(super::Observation::line)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Entry::Planned {
            plan_id,
            title,
            risk,
            blocked,
            ..
        } => format!(
            "**planned** `{plan_id}`: {title} (risk {risk}){}",
            if blocked.is_empty() {
                String::new()
            } else {
                format!("; blocked until overridden: {}", blocked.join("; "))
            }
        ),
        Entry::Declined { plan_id, reason } => format!("**declined** `{plan_id}`: {reason}"),
        Entry::Unknown => "an entry of a kind this build does not know".to_owned(),
    }
}

fn decisions(out: &mut String, records: &[Record]) {
    out.push_str("## Decisions\n\n");
    let mut any = false;
    for r in records {
        let Entry::Decision {
            path,
            recommendation,
            summary,
            evidence,
        } = &r.entry
        else {
            continue;
        };
        any = true;
        let _ = writeln!(out, "### {} {summary}\n", hms(r.at));
        let _ = writeln!(
            out,
            "- Recommendation: {}",
            recommendation
                .as_ref()
                .map_or_else(|| "none".to_owned(), action_words)
        );
        let path: Vec<String> = path.iter().map(|p| node_words(p)).collect();
        let _ = writeln!(out, "- Path: {}", path.join(" → "));
        if evidence.is_empty() {
            out.push_str("- Evidence: none recorded\n");
        } else {
            out.push_str("- Evidence:\n");
            for line in evidence {
                let _ = writeln!(out, "  - {line}");
            }
        }
        out.push('\n');
    }
    if !any {
        out.push_str("The journal records no decision of the engine.\n\n");
    }
}

fn journal_warnings(out: &mut String, warnings: &[Warning]) {
    if warnings.is_empty() {
        return;
    }
    out.push_str("## Journal warnings\n\n");
    for w in warnings {
        let _ = writeln!(out, "- {}", warning_words(w));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests;
