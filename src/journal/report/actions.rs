//! The report's Overrides and Actions sections: every override with its reason (journaled on
//! its own or carried by an action's intent), and each action with its steps, their `az`
//! equivalents and its outcome. Reads records only.

use std::fmt::Write as _;

use super::{action_words, hms, override_words};
use crate::decide::Override;
use crate::journal::entry::{ActionOutcome, Entry, Intent, Reconciled, Record, StepDone};

/// One action as journaled: its intent, the steps done and its outcome.
pub(crate) struct ActionRun<'a> {
    pub intent: &'a Intent,
    pub steps: Vec<(&'a Record, &'a StepDone)>,
    pub outcome: Option<&'a ActionOutcome>,
    pub outcome_at: Option<&'a Record>,
    /// The reconciliation after a restart, when the run had no outcome.
    pub reconciled: Option<(&'a Record, &'a Reconciled)>,
}

/// Every action in intent order, with the steps and outcome journaled for its plan after its
/// intent (and before a later intent of the same plan).
pub(crate) fn runs(records: &[Record]) -> Vec<ActionRun<'_>> {
    let mut out = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let Entry::Intent(intent) = &r.entry else {
            continue;
        };
        let mut run = ActionRun {
            intent,
            steps: Vec::new(),
            outcome: None,
            outcome_at: None,
            reconciled: None,
        };
        for later in &records[i + 1..] {
            match &later.entry {
                Entry::Intent(next) if next.plan_id == intent.plan_id => break,
                Entry::Step(s) if s.plan_id == intent.plan_id => run.steps.push((later, s)),
                Entry::Outcome(o) if o.plan_id == intent.plan_id => {
                    run.outcome = Some(o);
                    run.outcome_at = Some(later);
                    break;
                }
                Entry::Reconciled(c) if c.plan_id == intent.plan_id => {
                    run.reconciled = Some((later, c));
                    break;
                }
                _ => {}
            }
        }
        out.push(run);
    }
    out
}

/// How many actions succeeded and how many failed.
pub(super) fn counts(records: &[Record]) -> (usize, usize) {
    let runs = runs(records);
    let ok = runs
        .iter()
        .filter(|r| r.outcome.is_some_and(|o| o.result == "succeeded"))
        .count();
    let failed = runs
        .iter()
        .filter(|r| r.outcome.is_some_and(|o| o.result != "succeeded"))
        .count();
    (ok, failed)
}

/// `, at step 2: the error`, or nothing for a success; then what is missing, if anything.
pub(super) fn failure_words(o: &ActionOutcome) -> String {
    let mut s = String::new();
    if let Some(n) = o.failed_step {
        let _ = write!(s, ", at step {n}");
    }
    if let Some(e) = &o.error {
        let _ = write!(s, ": {e}");
    }
    if !o.gaps.is_empty() {
        let _ = write!(s, "; MISSING: {}", o.gaps.join("; "));
    }
    s
}

/// Every override, once: journaled on its own, or carried by an action's intent.
pub(crate) fn all_overrides(records: &[Record]) -> Vec<(&Override, Option<&str>)> {
    let mut out: Vec<(&Override, Option<&str>)> = Vec::new();
    for r in records {
        let found: Vec<(&Override, Option<&str>)> = match &r.entry {
            Entry::Override(o) => vec![(o, None)],
            Entry::Intent(i) => i
                .overrides
                .iter()
                .map(|o| (o, Some(i.plan_id.as_str())))
                .collect(),
            _ => Vec::new(),
        };
        for (o, plan) in found {
            if !out.iter().any(|(seen, _)| *seen == o) {
                out.push((o, plan));
            }
        }
    }
    out
}

pub(super) fn overrides(out: &mut String, records: &[Record]) {
    out.push_str("## Overrides\n\n");
    let all = all_overrides(records);
    if all.is_empty() {
        out.push_str("None: every gate, safety rule and answer stood as the engine gave it.\n\n");
        return;
    }
    for (o, plan) in all {
        let _ = write!(
            out,
            "- {} {}, reason: \"{}\"",
            hms(o.at),
            override_words(o),
            o.reason
        );
        if let Some(p) = plan {
            let _ = write!(out, " (confirmed with `{p}`)");
        }
        out.push('\n');
    }
    out.push('\n');
}

pub(super) fn actions(out: &mut String, records: &[Record]) {
    out.push_str("## Actions\n\n");
    let runs = runs(records);
    if runs.is_empty() {
        out.push_str("No action was run.\n\n");
        return;
    }
    for run in &runs {
        action(out, run);
    }
}

fn action(out: &mut String, run: &ActionRun<'_>) {
    let i = run.intent;
    let _ = writeln!(out, "### {}: {}\n", action_words(&i.action), i.title);
    let _ = writeln!(out, "- Plan: `{}`", i.plan_id);
    let _ = writeln!(out, "- Risk: {}", i.risk);
    let _ = writeln!(out, "- Confirmed at: {}", hms(i.confirmed_at));
    if i.overrides.is_empty() {
        out.push_str("- Overrides: none\n");
    } else {
        let words: Vec<String> = i.overrides.iter().map(override_words).collect();
        let _ = writeln!(out, "- Overrides: {}", words.join("; "));
    }
    out.push_str("- Steps:\n");
    for step in &i.steps {
        let done = run.steps.iter().find(|(_, s)| s.n == step.n);
        match done {
            Some((r, s)) => {
                let _ = write!(
                    out,
                    "  {}. {}: done at {}: {}",
                    step.n,
                    step.what,
                    hms(r.at),
                    s.report
                );
                if !s.names.is_empty() {
                    let _ = write!(out, " (names: {})", s.names.join(", "));
                }
                out.push('\n');
            }
            None => {
                let _ = writeln!(out, "  {}. {}: not done", step.n, step.what);
            }
        }
    }
    let az: Vec<&str> = i.steps.iter().filter_map(|s| s.az.as_deref()).collect();
    if az.is_empty() {
        out.push_str("- `az` equivalents: none recorded\n");
    } else {
        out.push_str("- `az` equivalents (values masked):\n\n```sh\n");
        for line in az {
            let _ = writeln!(out, "{line}");
        }
        out.push_str("```\n\n");
    }
    match (run.outcome, run.outcome_at) {
        (Some(o), Some(r)) => {
            let _ = writeln!(
                out,
                "- Outcome at {}: {} ({} of {} steps done){}",
                hms(r.at),
                o.result,
                o.steps_done,
                i.steps.len(),
                failure_words(o)
            );
        }
        _ => match run.reconciled {
            Some((r, c)) => {
                let _ = writeln!(
                    out,
                    "- Outcome: NOT journaled (the run was interrupted); reconciled against \
                     Azure at {} after a restart: {}",
                    hms(r.at),
                    c.found.words()
                );
                for line in &c.checks {
                    let _ = writeln!(out, "  - {line}");
                }
            }
            None => out.push_str(
                "- Outcome: NOT journaled (the run was interrupted, or is still in progress): \
                 check the estate before acting again\n",
            ),
        },
    }
    out.push('\n');
}
