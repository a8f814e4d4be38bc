//! The autopilot: a scripted commander for drills. It drives the very action runtime the console
//! drives, through the same [`ActionPort`]: it reads the estate, asks the engine, and when there
//! is a recommendation and nothing in flight it plans it, confirms it as the plan asks (Enter,
//! `y`, or the target's name typed), waits for the outcome, and sends Close once the engine has
//! validated the recovery. It never overrides a gate the drill does not allow, and never a safety
//! rule.
//!
//! Time is virtual: the simulator's clock is manual, stepped by the autopilot between reads, and
//! the executor's waits (long-running operations, checks) advance it instead of sleeping, so a
//! drill takes seconds and is the same run for the same seed. Nothing here waits on the wall
//! clock except the optional pacing for a human watching (`--speed`), which changes no result.
//! Owns the loop and its progress lines; deciding is `decide`'s, planning and executing the
//! runtime's.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, WrapErr, eyre};
use tokio::sync::watch;

use super::super::actions::{self, Now};
use super::super::wiring::{DemoClock, start_demo};
use crate::act::AzureEffects;
use crate::azure::QueueAuth;
use crate::azure::lro::LroClock;
use crate::config::Estate;
use crate::decide::{self, DecideContext, IncidentFacts, NodeId, OverrideTarget, ProposedAction};
use crate::drill::DrillSpec;
use crate::journal::{self, Journal, Record, Warning};
use crate::model::{Health, Snapshot};
use crate::sim::{Scenario, SimClock};
use crate::tui::ActionPort;
use crate::tui::actions::{ActionEvent, ActionRequest, ConfirmNeed, PlanView};
use crate::tui::derive::incident::Incident;

/// How long the autopilot waits for the runtime to answer before it calls the run broken (a
/// bound on a bug, never a pace: every answer comes as soon as the runtime has it).
const ANSWER_BOUND: Duration = Duration::from_secs(120);

/// How an autopilot run is set up.
#[derive(Debug, Clone)]
pub struct Options {
    /// Virtual time between two reads of the estate (the console's fastest poll).
    pub step: Duration,
    /// Virtual seconds per wall second to pace the run for a human watching; `None` runs as
    /// fast as the simulator answers.
    pub pace: Option<f64>,
    /// The incident folder (journal, forensic files, the drill report).
    pub incident_dir: PathBuf,
}

impl Options {
    /// Steps of 15 virtual seconds, unpaced, into `incident_dir`.
    pub fn new(incident_dir: &Path) -> Self {
        Self {
            step: Duration::from_secs(15),
            pace: None,
            incident_dir: incident_dir.to_path_buf(),
        }
    }
}

/// What an autopilot run came to.
#[derive(Debug)]
pub struct AutopilotRun {
    /// The scenario run.
    pub scenario: Scenario,
    /// Its drill.
    pub spec: DrillSpec,
    /// The incident folder.
    pub incident_dir: PathBuf,
    /// The journal's records.
    pub records: Vec<Record>,
    /// What reading the journal met.
    pub warnings: Vec<Warning>,
    /// Whether the engine validated the recovery and the incident was closed.
    pub recovered: bool,
    /// The apps not healthy in production at the last read (empty when all are healthy).
    pub unhealthy: Vec<String>,
    /// The last snapshot read.
    pub last: Arc<Snapshot>,
    /// Virtual time when the run stopped.
    pub ended_at: DateTime<Utc>,
    /// The progress lines, as they were told.
    pub lines: Vec<String>,
}

/// The executor's waits on the simulator's virtual clock: each wait moves virtual time forward.
struct VirtualWait {
    clock: SimClock,
    waited: Mutex<Duration>,
}

#[async_trait::async_trait]
impl LroClock for VirtualWait {
    fn elapsed(&self) -> Duration {
        *self
            .waited
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn sleep(&self, duration: Duration) {
        self.clock.advance(duration);
        *self
            .waited
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) += duration;
    }
}

/// What the autopilot makes of one recommended action.
enum Attempt {
    /// It ran (its outcome is journaled and told).
    Ran,
    /// It did not run (a gate the drill does not allow overridden, a refusal, no plan).
    Blocked(String),
}

/// The autopilot's session: the port, its own view of the incident, and the progress lines.
struct Pilot<'a> {
    port: ActionPort,
    spec: &'a DrillSpec,
    start: DateTime<Utc>,
    clock: SimClock,
    cx: DecideContext,
    lines: Vec<String>,
    on_line: &'a mut (dyn FnMut(&str) + Send),
}

/// Runs the built-in scenario `name`'s drill on autopilot; `on_line` hears each progress line as
/// it happens.
pub async fn run(
    name: &str,
    opts: &Options,
    on_line: &mut (dyn FnMut(&str) + Send),
) -> Result<AutopilotRun> {
    run_with(name, opts, |_| {}, on_line).await
}

/// [`run`] with the drill changed by `edit` first (fewer allowed overrides, a shorter time limit):
/// what-ifs for rehearsals and tests. The scenario's timeline is not changed.
pub async fn run_with(
    name: &str,
    opts: &Options,
    edit: impl FnOnce(&mut DrillSpec),
    on_line: &mut (dyn FnMut(&str) + Send),
) -> Result<AutopilotRun> {
    let scenario = Scenario::builtin(name).wrap_err_with(|| format!("no drill named `{name}`"))?;
    let mut spec = scenario
        .drill
        .clone()
        .ok_or_else(|| eyre!("scenario `{name}` has no [drill] table: not a drill"))?;
    edit(&mut spec);
    let demo = start_demo(Estate::demo(), name, DemoClock::FrozenAt(0.0)).await?;
    let clock = demo.sim.clock().clone();
    let now: Now = {
        let c = clock.clone();
        Arc::new(move || c.now())
    };
    let dir = opts.incident_dir.clone();
    let journal = Journal::open_or_create(&dir)
        .wrap_err_with(|| format!("opening the incident journal in {}", dir.display()))?
        .with_clock(now.clone());
    let mut effects = AzureEffects::new(demo.client.clone(), (*demo.estate).clone(), dir.clone());
    effects.now = now.clone();
    effects.artifact_auth = Some(QueueAuth::None);
    let wait_clock = clock.clone();
    effects.clock = Arc::new(move || {
        Box::new(VirtualWait {
            clock: wait_clock.clone(),
            waited: Mutex::new(Duration::ZERO),
        })
    });
    let (snap_tx, snap_rx) = watch::channel(Arc::new(demo.observer.snapshot()));
    let (seen_tx, mut seen_rx) = watch::channel(scenario.start - chrono::Duration::days(1));
    let (port, task) = actions::spawn(actions::Runtime {
        estate: Arc::clone(&demo.estate),
        snapshots: snap_rx,
        effects: Arc::new(effects),
        journal,
        now,
        taken_in: Some(seen_tx),
    });
    let mut pilot = Pilot {
        port,
        spec: &spec,
        start: scenario.start,
        clock: clock.clone(),
        cx: DecideContext::default(),
        lines: Vec::new(),
        on_line,
    };
    pilot.say(&format!(
        "drill {name}: {} (rehearses {}); time limit {}",
        spec.title, spec.rehearses, spec.targets.time_limit
    ));
    let limit = scenario.time_of(spec.targets.time_limit);
    let wall_start = tokio::time::Instant::now();
    let mut incident: Option<Incident> = None;
    let mut last_summary = String::new();
    let mut last_block = String::new();
    let mut recovered = false;
    let mut last;
    loop {
        let snap = Arc::new(demo.observer.refresh_all().await);
        last = Arc::clone(&snap);
        snap_tx.send_replace(Arc::clone(&snap));
        tokio::time::timeout(ANSWER_BOUND, seen_rx.wait_for(|t| *t >= snap.taken_at))
            .await
            .map_err(|_| eyre!("the action runtime did not take in the snapshot"))?
            .map_err(|_| eyre!("the action runtime stopped"))?;
        pilot.drain();
        incident = Incident::observe(incident.take(), &snap);
        let now = clock.now();
        let d = decide::evaluate(&snap, &demo.estate, &pilot.context(incident.as_ref()), now);
        if d.summary != last_summary {
            last_summary.clone_from(&d.summary);
            pilot.say(&format!("decision: {}", d.summary));
        }
        if d.path.contains(&NodeId::Close) && !pilot.cx.actions.is_empty() {
            pilot.close().await?;
            recovered = true;
            break;
        }
        if clock.now() >= limit {
            pilot.say(&format!(
                "time limit {} reached: the drill stops unrecovered",
                spec.targets.time_limit
            ));
            break;
        }
        if let Some(rec) = d.recommendation.as_ref()
            && pilot.cx.in_flight.is_empty()
        {
            match pilot.attempt(&rec.action, rec.strategy.label()).await? {
                Attempt::Ran => {
                    last_block.clear();
                    // The action moved virtual time itself: read again before stepping on.
                    continue;
                }
                Attempt::Blocked(why) => {
                    if why != last_block {
                        pilot.say(&format!("blocked: {why}"));
                        last_block = why;
                    }
                }
            }
        }
        pilot.step(opts, wall_start, limit).await;
    }
    let ended_at = clock.now();
    let lines = std::mem::take(&mut pilot.lines);
    drop(pilot);
    let _ = task.await;
    demo.sim
        .shutdown()
        .await
        .wrap_err("stopping the simulator")?;
    let (records, warnings) = journal::read(&dir);
    Ok(AutopilotRun {
        scenario,
        spec,
        incident_dir: dir,
        records,
        warnings,
        recovered,
        unhealthy: not_healthy(&last),
        last,
        ended_at,
        lines,
    })
}

/// The data consistency gate's checks in the plan's words (`storage replication within RPO:
/// … 1m05s behind`), one line; `None` when the gate does not apply.
fn data_consistency(view: &PlanView) -> Option<String> {
    let at = view
        .lines
        .iter()
        .position(|l| l.trim_start().starts_with(['✓', '!', '✗', '?']) && l.contains("data consistency"))?;
    let checks: Vec<&str> = view.lines[at + 1..]
        .iter()
        .take_while(|l| l.starts_with("      "))
        .map(|l| l.trim())
        .filter(|l| !l.starts_with("override reason"))
        .collect();
    (!checks.is_empty()).then(|| checks.join("; "))
}

/// The apps whose production is not healthy.
fn not_healthy(snap: &Snapshot) -> Vec<String> {
    snap.apps
        .iter()
        .filter(|a| a.health() != Health::Healthy)
        .map(|a| a.name.clone())
        .collect()
}

impl Pilot<'_> {
    /// Tells a progress line, stamped with the virtual time and the offset from the start.
    fn say(&mut self, words: &str) {
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
    fn context(&self, incident: Option<&Incident>) -> DecideContext {
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
    fn drain(&mut self) {
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
    async fn attempt(&mut self, action: &ProposedAction, strategy: &str) -> Result<Attempt> {
        let words = format!("{} {}", action.kind.name(), action.target);
        self.send(ActionRequest::Plan(action.clone()))?;
        let view = loop {
            match self.next().await? {
                ActionEvent::Plan(v) => break v,
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
                    || Err(format!("{} (the drill does not allow overriding it)", need.label)),
                    |a| Ok((need.target.clone(), a.reason.clone())),
                )
            })
            .collect()
    }

    /// Closes the incident and waits for the runtime to say so.
    async fn close(&mut self) -> Result<()> {
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
    async fn step(&mut self, opts: &Options, wall_start: tokio::time::Instant, limit: DateTime<Utc>) {
        let now = self.clock.now();
        let left = (limit - now).to_std().unwrap_or(Duration::ZERO);
        self.clock.advance(opts.step.min(left).max(Duration::from_secs(1)));
        if let Some(speed) = opts.pace.filter(|s| s.is_finite() && *s > 0.0) {
            let elapsed = (self.clock.now() - self.start).to_std().unwrap_or_default();
            tokio::time::sleep_until(wall_start + elapsed.div_f64(speed)).await;
        }
    }
}
