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
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, WrapErr, eyre};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::super::actions::{self, Now};
use super::super::wiring::{Demo, DemoClock, VirtualWait, start_demo};
use super::pilot::{ANSWER_BOUND, Memo, Pilot, Turn};
use crate::act::AzureEffects;
use crate::azure::QueueAuth;
use crate::config::Estate;
use crate::decide::{self, DecideContext};
use crate::drill::DrillSpec;
use crate::journal::{self, Journal, Record, Warning};
use crate::model::{Health, Snapshot};
use crate::sim::Scenario;
use crate::tui::ActionPort;
use crate::tui::derive::incident::Incident;

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
    let dir = opts.incident_dir.clone();
    let (port, task, snap_tx, mut seen_rx) = runtime(&demo, &dir, scenario.start)?;
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
    let mut memo = Memo::default();
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
        incident = observe(incident.take(), &snap, &demo.estate);
        let now = clock.now();
        let d = decide::evaluate(&snap, &demo.estate, &pilot.context(incident.as_ref()), now);
        let out_of_time = (clock.now() >= limit).then(|| {
            format!(
                "time limit {} reached: the drill stops unrecovered",
                spec.targets.time_limit
            )
        });
        match pilot.turn(&d, &mut memo, out_of_time).await? {
            Turn::Closed => {
                recovered = true;
                break;
            }
            Turn::OutOfTime => break,
            // The action moved virtual time itself: read again before stepping on.
            Turn::Ran => continue,
            Turn::Wait => {}
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

/// The action runtime on the demo's simulator, its clock and waits virtual, journaling into
/// `dir`: the port, the task, where snapshots are published and where their intake is told.
#[allow(
    clippy::type_complexity,
    reason = "the four ends of one runtime, taken apart at once by the one caller"
)]
fn runtime(
    demo: &Demo,
    dir: &Path,
    start: DateTime<Utc>,
) -> Result<(
    ActionPort,
    JoinHandle<()>,
    watch::Sender<Arc<Snapshot>>,
    watch::Receiver<DateTime<Utc>>,
)> {
    let clock = demo.sim.clock().clone();
    let now: Now = {
        let c = clock.clone();
        Arc::new(move || c.now())
    };
    let journal = Journal::open_or_create(dir)
        .wrap_err_with(|| format!("opening the incident journal in {}", dir.display()))?
        .with_clock(now.clone());
    let mut effects = AzureEffects::new(
        demo.client.clone(),
        (*demo.estate).clone(),
        dir.to_path_buf(),
    );
    effects.now = now.clone();
    effects.artifact_auth = Some(QueueAuth::None);
    effects.clock = Arc::new(move || Box::new(VirtualWait::on(clock.clone())));
    let (snap_tx, snap_rx) = watch::channel(Arc::new(demo.observer.snapshot()));
    let (seen_tx, seen_rx) = watch::channel(start - chrono::Duration::days(1));
    let (port, task) = actions::spawn(actions::Runtime {
        estate: Arc::clone(&demo.estate),
        snapshots: snap_rx,
        effects: Arc::new(effects),
        journal,
        now,
        resume: None,
        taken_in: Some(seen_tx),
    });
    Ok((port, task, snap_tx, seen_rx))
}

/// The incident moved on with a snapshot, the apps running duplicate timers counted as affected
/// (as the action runtime counts them).
fn observe(incident: Option<Incident>, snap: &Snapshot, estate: &Estate) -> Option<Incident> {
    Incident::observe_with(incident, snap, &decide::timers::duplicated(snap, estate))
}

/// The apps whose production is not healthy.
fn not_healthy(snap: &Snapshot) -> Vec<String> {
    snap.apps
        .iter()
        .filter(|a| a.health() != Health::Healthy)
        .map(|a| a.name.clone())
        .collect()
}
