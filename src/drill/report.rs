//! The drill report (`drill-report.md` in the incident folder): the result and its reasons, the
//! score against the drill's targets, the runbook's drill checklist (owner and escalation path,
//! the rollback and failover commands this drill tested, RTO and RPO against the targets, action
//! items for what missed its target), then the incident report of the same journal
//! ([`crate::journal::report::render`]) under one more heading level.
//!
//! Pure: records, spec and score in, Markdown out. No I/O, no clock.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::score::Score;
use super::spec::DrillSpec;
use crate::decide::{ActionKind, Strategy, strategy_of};
use crate::journal::report::{Targets, render as incident_report, runs};
use crate::journal::{Record, Warning};

/// The file name of the drill report inside the incident folder.
pub const FILE_NAME: &str = "drill-report.md";

/// What the report is about besides the journal.
#[derive(Debug, Clone, Copy)]
pub struct About<'a> {
    /// The scenario's name (`a-slot-swap`).
    pub scenario: &'a str,
    /// The drill.
    pub spec: &'a DrillSpec,
    /// The scenario's start.
    pub start: DateTime<Utc>,
    /// The estate's name.
    pub estate: &'a str,
    /// Who drove it (`autopilot`, `commander at the console`).
    pub driver: &'a str,
    /// When the commander quit the console, on the drill's clock (`None` on autopilot).
    pub quit_at: Option<DateTime<Utc>>,
}

fn full(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// Whole minutes of a target, rounded up (the incident report measures in minutes).
fn minutes(o: crate::sim::scenario::Offset) -> u32 {
    u32::try_from((o.as_secs().max(0) + 59) / 60).unwrap_or(u32::MAX)
}

/// Renders the drill report.
pub fn render(
    about: &About<'_>,
    score: &Score,
    records: &[Record],
    warnings: &[Warning],
) -> String {
    let spec = about.spec;
    let mut out = String::new();
    let _ = writeln!(out, "# Drill report: {}\n", spec.title);
    let _ = writeln!(
        out,
        "Scenario `{}` on {}, rehearsing {}. Started {}; the fault began at {}. Driven by the {}.\n",
        about.scenario,
        about.estate,
        spec.rehearses,
        full(about.start),
        full(score.fault_at),
        about.driver
    );
    if let Some(line) = quit_line(about.quit_at, score) {
        let _ = writeln!(out, "{line}\n");
    }
    result(&mut out, score);
    table(&mut out, score);
    let _ = writeln!(
        out,
        "Hints: {} (each journaled as a note when revealed; they do not change the result).\n",
        score.hints.words()
    );
    checklist(&mut out, spec, score, records);
    let targets = Targets {
        rto_minutes: Some(minutes(spec.targets.rto)),
        rpo_minutes: Some(minutes(spec.targets.rpo)),
        estate_name: Some(about.estate.to_owned()),
    };
    out.push_str("## The incident report\n\n");
    out.push_str(
        "The incident report of the drill's journal follows, as `warroom report` writes it, with \
         the drill's targets.\n\n",
    );
    let mut fenced = false;
    for line in incident_report(records, warnings, &targets).lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// When the console was quit, and what that left undone: `None` when it was not quit (the
/// autopilot) or the drill passed.
pub fn quit_line(quit_at: Option<DateTime<Utc>>, score: &Score) -> Option<String> {
    let at = quit_at?;
    let when = at.format("%H:%M:%S");
    if at < score.fault_at {
        Some(format!(
            "The console was quit at {when} on the drill's clock, before the fault began at {}: \
             nothing had happened yet to detect or recover.",
            score.fault_at.format("%H:%M:%S")
        ))
    } else if score.passed() {
        None
    } else if score.items.iter().any(|i| i.what == "Recovery" && !i.met) {
        Some(format!(
            "The console was quit at {when} on the drill's clock, {} after the fault began, \
             before the recovery was validated and the incident closed (`a` at Close closes it).",
            super::score::span(at - score.fault_at)
        ))
    } else {
        Some(format!(
            "The console was quit at {when} on the drill's clock."
        ))
    }
}

fn result(out: &mut String, score: &Score) {
    if score.passed() {
        out.push_str("## Result: PASSED ✓\n\nEvery target was met.\n\n");
    } else {
        out.push_str("## Result: FAILED ✗\n\n");
        for r in score.reasons() {
            let _ = writeln!(out, "- {r}");
        }
        out.push('\n');
    }
}

fn table(out: &mut String, score: &Score) {
    out.push_str("## Score\n\n| Measure | Target | Achieved | Met |\n|---|---|---|---|\n");
    for i in &score.items {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            i.what,
            i.target.replace('|', "\\|"),
            i.achieved.replace('|', "\\|"),
            if i.met { "✓ yes" } else { "✗ no" }
        );
    }
    out.push('\n');
}

fn item(out: &mut String, done: bool, words: &str) {
    let _ = writeln!(out, "- [{}] {words}", if done { "x" } else { " " });
}

/// The `az` commands of the actions of `strategy` that ran, in order.
fn commands(records: &[Record], strategy: Strategy) -> (Vec<String>, bool) {
    let mut az = Vec::new();
    let mut ok = false;
    for run in runs(records) {
        let kind = run.intent.action.kind;
        if strategy_of(kind) != Some(strategy)
            && !(strategy == Strategy::Failover && kind == ActionKind::Timers)
        {
            continue;
        }
        ok |= run.outcome.is_some_and(|o| o.result == "succeeded");
        az.extend(run.intent.steps.iter().filter_map(|s| s.az.clone()));
    }
    (az, ok)
}

/// The checklist's rollback and failover lines, with the commands that ran.
fn tested(out: &mut String, records: &[Record]) {
    let mut rollback = Vec::new();
    let mut rollback_ok = false;
    for s in [Strategy::SlotSwap, Strategy::Redeploy, Strategy::Rebuild] {
        let (az, ok) = commands(records, s);
        rollback.extend(az);
        rollback_ok |= ok;
    }
    if rollback.is_empty() {
        item(
            out,
            false,
            "Tested rollback command set: no rollback ran in this drill",
        );
    } else {
        item(
            out,
            rollback_ok,
            &format!(
                "Tested rollback command set ({}): the `az` equivalents of what ran, values masked:",
                if rollback_ok {
                    "it succeeded"
                } else {
                    "it did NOT succeed"
                }
            ),
        );
        code(out, &rollback);
    }
    let (failover, failover_ok) = commands(records, Strategy::Failover);
    if failover.is_empty() {
        item(
            out,
            false,
            "Tested region failover procedure: no failover ran in this drill",
        );
    } else {
        item(
            out,
            failover_ok,
            &format!(
                "Tested region failover procedure ({}): the `az` equivalents of what ran, values masked:",
                if failover_ok {
                    "it succeeded"
                } else {
                    "it did NOT succeed"
                }
            ),
        );
        code(out, &failover);
    }
}

/// A code block inside a checklist item: every line indented with the item, those of a
/// command that spans several lines (a check's reads) included, so the block stays in the item.
fn code(out: &mut String, lines: &[String]) {
    out.push_str("\n  ```sh\n");
    for l in lines.iter().flat_map(|l| l.lines()) {
        let _ = writeln!(out, "  {l}");
    }
    out.push_str("  ```\n");
}

fn checklist(out: &mut String, spec: &DrillSpec, score: &Score, records: &[Record]) {
    out.push_str("## Drill checklist\n\n");
    let escalation = if spec.escalation.is_empty() {
        "no escalation path documented".to_owned()
    } else {
        format!("escalation: {}", spec.escalation.join(" → "))
    };
    item(
        out,
        !spec.escalation.is_empty(),
        &format!(
            "Documented owner and escalation path: {}; {escalation}",
            spec.owner
        ),
    );
    tested(out, records);
    let measured = |what: &str| score.items.iter().find(|i| i.what == what);
    let mut objectives = Vec::new();
    let mut all_met = true;
    for what in ["RTO", "RPO (estimate)"] {
        if let Some(i) = measured(what) {
            all_met &= i.met;
            objectives.push(format!(
                "{what} {} against {} ({})",
                i.achieved,
                i.target,
                if i.met { "met" } else { "MISSED" }
            ));
        }
    }
    item(
        out,
        all_met,
        &format!(
            "Measured achieved RTO/RPO versus targets: {}",
            objectives.join("; ")
        ),
    );
    let missed: Vec<_> = score.items.iter().filter(|i| !i.met).collect();
    item(
        out,
        missed.is_empty(),
        "Action items tracked for gaps found during the drill (below)",
    );
    out.push_str("\n### Action items\n\n");
    if missed.is_empty() {
        out.push_str("None: every target was met. Schedule the next drill.\n\n");
        return;
    }
    for i in missed {
        let _ = writeln!(out, "- [ ] {}: {}", i.what, action_item(i.what));
        let _ = writeln!(out, "  (achieved {}; target {})", i.achieved, i.target);
    }
    out.push('\n');
}

/// What to follow up when a measure misses its target.
fn action_item(what: &str) -> &'static str {
    match what {
        "Time to detect" => "tighten the alerts and health probes so the fault is declared sooner",
        "Time to decide" => "rehearse the decision: who decides, with which evidence, and how fast",
        "Branch chosen" => {
            "review why the runbook's branch was not taken; fix the runbook or the training"
        }
        "Expected actions" => "walk through the runbook's steps for this branch with the team",
        "Gates" => "review every override: was the risk accepted by the service owner?",
        "Recovery" => "find why the recovery was not validated in time; fix the procedure",
        "RTO" => "shorten the recovery: pre-warm capacity, script the steps, remove waits",
        "RPO (estimate)" => "reduce the replication lag or record it before moving traffic",
        _ => "follow up",
    }
}
