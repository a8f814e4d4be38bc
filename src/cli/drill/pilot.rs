//! The autopilot's commander: what it says, what it hears from the action runtime, and how it
//! plans, confirms (never overriding what the drill does not allow) and closes. Words and
//! requests only: the runtime plans and executes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, eyre};

use super::autopilot::Options;
use crate::decide::{
    DecideContext, Decision, IncidentFacts, NodeId, OverrideTarget, ProposedAction,
};
use crate::drill::DrillSpec;
use crate::sim::SimClock;
use crate::tui::ActionPort;
use crate::tui::actions::{ActionEvent, ActionRequest, ConfirmNeed, PlanView};
use crate::tui::derive::incident::Incident;

/// How long the autopilot waits for the runtime to answer before it calls the run broken (a
/// bound on a bug, never a pace: every answer comes as soon as the runtime has it).
pub(super) const ANSWER_BOUND: Duration = Duration::from_mins(2);

/// What one read of the estate came to, for the loop that reads it.
pub(super) enum Turn {
    /// The recovery was validated and the incident closed: the run is over.
    Closed,
    /// The time limit passed unrecovered: the run is over.
    OutOfTime,
    /// An action ran (it moved time itself): read again at once.
    Ran,
    /// Nothing to do, or blocked: step on and read again.
    Wait,
}

/// What the commander remembers between reads, to say each thing once.
#[derive(Default)]
pub(super) struct Memo {
    summary: String,
    block: String,
}

/// What the autopilot makes of one recommended action.
pub(super) enum Attempt {
    /// It ran (its outcome is journaled and told).
    Ran,
    /// It did not run (a gate the drill does not allow overridden, a refusal, no plan).
    Blocked(String),
}

/// The autopilot's session: the port, its own view of the incident, and the progress lines.
pub(super) struct Pilot<'a> {
    pub(super) port: ActionPort,
    pub(super) spec: &'a DrillSpec,
    pub(super) start: DateTime<Utc>,
    pub(super) clock: SimClock,
    pub(super) cx: DecideContext,
    pub(super) lines: Vec<String>,
    pub(super) on_line: &'a mut (dyn FnMut(&str) + Send),
}

/// The data consistency gate's checks in the plan's words (`storage replication within RPO:
/// … 1m05s behind`), one line; `None` when the gate does not apply.
fn data_consistency(view: &PlanView) -> Option<String> {
    let at = view.lines.iter().position(|l| {
        l.trim_start().starts_with(['✓', '!', '✗', '?']) && l.contains("data consistency")
    })?;
    let checks: Vec<&str> = view.lines[at + 1..]
        .iter()
        .take_while(|l| l.starts_with("      "))
        .map(|l| l.trim())
        .filter(|l| !l.starts_with("override reason"))
        .collect();
    (!checks.is_empty()).then(|| checks.join("; "))
}

impl Pilot<'_> {
    /// One read's worth of commanding: says a new decision; closes once the engine validated the
    /// recovery; stops when `out_of_time` says the limit passed (with those words); else plans
    /// and confirms the recommendation when nothing is in flight.
    pub(super) async fn turn(
        &mut self,
        d: &Decision,
        memo: &mut Memo,
        out_of_time: Option<String>,
    ) -> Result<Turn> {
        if d.summary != memo.summary {
            memo.summary.clone_from(&d.summary);
            self.say(&format!("decision: {}", d.summary));
        }
        if d.path.contains(&NodeId::Close) && !self.cx.actions.is_empty() {
            self.close().await?;
            return Ok(Turn::Closed);
        }
        if let Some(words) = out_of_time {
            self.say(&words);
            return Ok(Turn::OutOfTime);
        }
        let Some(rec) = d.recommendation.as_ref() else {
            return Ok(Turn::Wait);
        };
        if !self.cx.in_flight.is_empty() {
            return Ok(Turn::Wait);
        }
        match self.attempt(&rec.action, rec.strategy.label()).await? {
            Attempt::Ran => {
                memo.block.clear();
                Ok(Turn::Ran)
            }
            Attempt::Blocked(why) => {
                if why != memo.block {
                    self.say(&format!("blocked: {why}"));
                    memo.block = why;
                }
                Ok(Turn::Wait)
            }
        }
    }

    /// Tells a progress line, stamped with the virtual time and the offset from the start.
    pub(super) fn say(&mut self, words: &str) {
        let now = self.clock.now();
        let secs = (now - self.start).num_seconds();
        let line = format!(
            "+{:02}:{:02} {} {words}",
            secs / 60,
            secs % 60,
            now.format("%H:%M:%S")
        );
        self.tell(&line);
    }

    /// Tells a line as it is.
    fn tell(&mut self, line: &str) {
        (self.on_line)(line);
        self.lines.push(line.to_owned());
    }

    /// The context as the console would ask with it: the runtime's, with the incident seen.
    pub(super) fn context(&self, incident: Option<&Incident>) -> DecideContext {
        let mut cx = self.cx.clone();
        if cx.incident.is_none() {
            cx.incident = incident.map(|i| IncidentFacts {
                detected_at: i.detected_at,
                apps: i.apps.clone(),
            });
        }
        cx
    }

    /// Takes in whatever the runtime has said without being asked.
    pub(super) fn drain(&mut self) {
        while let Ok(ev) = self.port.events.try_recv() {
            self.hear(ev);
        }
    }

    /// Takes in one event that is not an answer awaited.
    fn hear(&mut self, ev: ActionEvent) {
        match ev {
            ActionEvent::Context(cx) => self.cx = *cx,
            ActionEvent::Notice(line) => self.say(&format!("runtime: {line}")),
            // Progress comes through its own task, later than it happened: told without a time
            // (the journal has each step's).
            ActionEvent::Progress { line, .. } => self.tell(&format!("{:17}{line}", "")),
            ActionEvent::Resumed(r) => self.say(&format!(
                "resumed {} ({} actions restored, {} unfinished)",
                r.journal, r.actions, r.unfinished
            )),
            // A scripted commander reads the reconciliation like a person would, then carries on.
            ActionEvent::Reconciled(found) => {
                for r in &found {
                    self.say(&format!("reconciled: {}", r.headline));
                    for c in &r.checks {
                        self.tell(&format!("{:17}{c}", ""));
                    }
                }
                if self.send(ActionRequest::ReconciliationSeen).is_err() {
                    self.say("the action runtime stopped");
                }
            }
            ActionEvent::Plan(_)
            | ActionEvent::NoPlan(_)
            | ActionEvent::Refused { .. }
            | ActionEvent::Finished { .. } => {}
        }
    }

    /// The runtime's next event.
    async fn next(&mut self) -> Result<ActionEvent> {
        tokio::time::timeout(ANSWER_BOUND, self.port.events.recv())
            .await
            .map_err(|_| eyre!("the action runtime did not answer"))?
            .ok_or_else(|| eyre!("the action runtime stopped"))
    }

    fn send(&self, req: ActionRequest) -> Result<()> {
        self.port
            .requests
            .send(req)
            .map_err(|_| eyre!("the action runtime stopped"))
    }

    /// Plans `action`, confirms it as asked and follows it to its outcome.
    pub(super) async fn attempt(
        &mut self,
        action: &ProposedAction,
        strategy: &str,
    ) -> Result<Attempt> {
        let words = format!("{} {}", action.kind.name(), action.target);
        self.send(ActionRequest::Plan(action.clone()))?;
        let view = loop {
            match self.next().await? {
                ActionEvent::Plan(v) => break *v,
                ActionEvent::NoPlan(why) => {
                    return Ok(Attempt::Blocked(format!("no plan for {words}: {why}")));
                }
                other => self.hear(other),
            }
        };
        let reasons = match self.reasons(&view) {
            Ok(r) => r,
            Err(why) => {
                self.send(ActionRequest::Cancel {
                    plan_id: view.id.clone(),
                })?;
                return Ok(Attempt::Blocked(format!("{words} not run: {why}")));
            }
        };
        let (typed, how) = match &view.confirm {
            ConfirmNeed::Enter => (String::new(), "Enter".to_owned()),
            ConfirmNeed::Y => ("y".to_owned(), "y".to_owned()),
            ConfirmNeed::TypeName(name) => (name.clone(), format!("typing {name}")),
        };
        let overridden = if reasons.is_empty() {
            String::new()
        } else {
            format!(", {} gate(s) overridden as the drill allows", reasons.len())
        };
        if let Some(exposure) = data_consistency(&view) {
            // As a careful commander does: the replication figures go into the journal before
            // traffic moves, so the data at risk is on record.
            self.send(ActionRequest::Note(format!(
                "RPO exposure before {words}: {exposure}"
            )))?;
        }
        self.say(&format!(
            "action: {words} ({strategy}), risk {}, confirmed by {how}{overridden}",
            view.risk
        ));
        self.send(ActionRequest::Confirm {
            plan_id: view.id.clone(),
            typed,
            reasons,
        })?;
        loop {
            match self.next().await? {
                ActionEvent::Finished { ok, summary, .. } => {
                    self.drain();
                    let word = if ok { "succeeded" } else { "FAILED" };
                    self.say(&format!("outcome: {words} {word}: {summary}"));
                    return Ok(Attempt::Ran);
                }
                ActionEvent::Refused { reason, .. } => {
                    return Ok(Attempt::Blocked(format!("{words} refused: {reason}")));
                }
                other => self.hear(other),
            }
        }
    }

    /// A reason for each override the plan needs, when the drill allows every one of them.
    fn reasons(&self, view: &PlanView) -> Result<Vec<(OverrideTarget, String)>, String> {
        view.overrides
            .iter()
            .map(|need| {
                let allowed = match &need.target {
                    OverrideTarget::Gate { gate } => {
                        self.spec.allowed_overrides.iter().find(|a| a.gate == *gate)
                    }
                    OverrideTarget::Node { .. } | OverrideTarget::Safety { .. } => None,
                };
                allowed.map_or_else(
                    || {
                        Err(format!(
                            "{} (the drill does not allow overriding it)",
                            need.label
                        ))
                    },
                    |a| Ok((need.target.clone(), a.reason.clone())),
                )
            })
            .collect()
    }

    /// Closes the incident and waits for the runtime to say so.
    pub(super) async fn close(&mut self) -> Result<()> {
        self.say("recovery validated: closing the incident");
        self.send(ActionRequest::Close(
            "drill autopilot: the engine validated the recovery".to_owned(),
        ))?;
        loop {
            match self.next().await? {
                ActionEvent::Notice(line) => {
                    self.say(&format!("runtime: {line}"));
                    if line.starts_with("incident closed") || line.contains("JOURNAL") {
                        return Ok(());
                    }
                }
                other => self.hear(other),
            }
        }
    }

    /// Moves virtual time one step (not past the limit), paced for a human when asked.
    pub(super) async fn step(
        &mut self,
        opts: &Options,
        wall_start: tokio::time::Instant,
        limit: DateTime<Utc>,
    ) {
        let now = self.clock.now();
        let left = (limit - now).to_std().unwrap_or(Duration::ZERO);
        self.clock
            .advance(opts.step.min(left).max(Duration::from_secs(1)));
        if let Some(speed) = opts.pace.filter(|s| s.is_finite() && *s > 0.0) {
            let elapsed = (self.clock.now() - self.start).to_std().unwrap_or_default();
            tokio::time::sleep_until(wall_start + elapsed.div_f64(speed)).await;
        }
    }
}
