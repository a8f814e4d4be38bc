//! [`Plan::render_text`]: a plan as plain text for the CLI and the console: numbered steps with
//! their calls and `az` commands, gates and safety verdicts in words, risk, duration, undo, and
//! the confirmation needed, or BLOCKED and why. Every status has a word, never colour alone.

use std::fmt::Write as _;

use super::plan::{Plan, PlanStep, gate_words, status_words};
use crate::decide::GateStatus;

impl Plan {
    /// The plan as text, lines of at most a few hundred characters, no trailing spaces.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "PLAN {} {}: {}",
            self.action.kind.name(),
            self.action.target,
            self.title
        );
        let _ = writeln!(out, "  id {}", self.id);
        for line in self.summary.lines() {
            let _ = writeln!(out, "  {line}");
        }
        let undo = self.undo.as_ref().map_or_else(
            || "none".to_owned(),
            |u| format!("{} {}", u.kind.name(), u.target),
        );
        let _ = writeln!(
            out,
            "Risk: {}   Expected: {}   Undo: {undo}",
            self.risk.label(),
            self.expected.words()
        );
        if let Some(preview) = &self.preview {
            let _ = writeln!(out, "Preview before confirming:");
            step(&mut out, "P", preview);
            match &self.preview_result {
                Some(r) => {
                    for line in r.lines() {
                        let _ = writeln!(out, "     result: {line}");
                    }
                }
                None => {
                    let _ = writeln!(out, "     result: not run yet");
                }
            }
        }
        let _ = writeln!(out, "Steps:");
        for (i, s) in self.steps.iter().enumerate() {
            step(&mut out, &(i + 1).to_string(), s);
        }
        gates(&mut out, self);
        if !self.notes.is_empty() {
            let _ = writeln!(out, "Notes:");
            for n in &self.notes {
                let _ = writeln!(out, "  - {n}");
            }
        }
        if !self.follow_ups.is_empty() {
            let _ = writeln!(out, "May also be needed, as separate actions:");
            for f in &self.follow_ups {
                let _ = writeln!(out, "  - {} {}", f.kind.name(), f.target);
            }
        }
        let blocked = self.blocked_reasons();
        if blocked.is_empty() {
            let _ = writeln!(out, "Confirm: {}", self.confirmation.words());
        } else {
            let _ = writeln!(out, "BLOCKED:");
            for b in &blocked {
                let _ = writeln!(out, "  - {b}");
            }
            let _ = writeln!(
                out,
                "  To proceed anyway, override each with a typed reason (kept in the journal), then {}.",
                super::confirm::Confirmation {
                    prompt: self.confirmation.prompt.clone(),
                    overrides_needed: Vec::new(),
                }
                .words()
            );
        }
        out
    }
}

fn step(out: &mut String, n: &str, s: &PlanStep) {
    let _ = writeln!(out, "  {n}. {}", s.what);
    if let Some(call) = &s.call {
        let _ = writeln!(out, "     call: {}", call.line());
        if let Some(body) = &call.body {
            let _ = writeln!(out, "     body: {body}");
        }
    }
    if let Some(az) = &s.az {
        for (i, line) in az.lines().enumerate() {
            let head = if i == 0 { "az:  " } else { "     " };
            let _ = writeln!(out, "     {head} {line}");
        }
    }
}

fn gates(out: &mut String, plan: &Plan) {
    if plan.gates.is_empty() {
        let _ = writeln!(out, "Gates: none apply");
    } else {
        let _ = writeln!(out, "Gates:");
    }
    for g in &plan.gates {
        let (sym, word) = match (g.status, &g.overridden) {
            (GateStatus::Pass, _) => ("✓", "PASS".to_owned()),
            (s, Some(_)) => ("!", format!("{} (overridden)", status_words(s))),
            (GateStatus::Fail, None) => ("✗", "FAILED".to_owned()),
            (GateStatus::Unknown, None) => ("?", "UNKNOWN".to_owned()),
        };
        let _ = writeln!(out, "  {sym} {word}  {}", gate_words(g.gate));
        for c in &g.checks {
            let _ = writeln!(
                out,
                "      {} {}: {}",
                status_words(c.status),
                c.name,
                c.detail
            );
        }
        if let Some(o) = &g.overridden {
            let _ = writeln!(out, "      override reason: {}", o.reason);
        }
    }
    if plan.safety.is_empty() {
        let _ = writeln!(out, "Safety: no rule applies");
    } else {
        let _ = writeln!(out, "Safety:");
    }
    for s in &plan.safety {
        let (sym, word) = match (s.allowed, &s.overridden) {
            (true, _) => ("✓", "allowed"),
            (false, Some(_)) => ("!", "REFUSED (overridden)"),
            (false, None) => ("✗", "REFUSED"),
        };
        let _ = writeln!(out, "  {sym} {word}  {}: {}", s.rule.words(), s.reason);
        if let Some(o) = &s.overridden {
            let _ = writeln!(out, "      override reason: {}", o.reason);
        }
    }
}
