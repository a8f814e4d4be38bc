//! Opening the console: `warroom demo` (the simulated estate, its clock running, always a fresh
//! incident) and `warroom --config FILE` (a real estate, wall-clock time; the estate's open
//! incident is resumed unless `--new-incident`). The observer's pollers feed the
//! console through a `watch` channel; the console never waits on the network.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, WrapErr};
use tokio::sync::watch;

use super::actions::{self, Now};
use crate::act::AzureEffects;
use crate::azure::{AzureClient, QueueAuth};
use crate::config::Estate;
use crate::journal::{Journal, Resumed};
use crate::tui::{ActionPort, ConsoleOptions, run as run_console};

use super::ConsoleArgs;
use super::actions::resume::open_incident;
use super::run::{finish, runtime};
use super::walkthrough;
use super::wiring::{DemoClock, real_with_auth as real_observer, start_demo};

fn options(args: &ConsoleArgs, read_only: bool, estate: Arc<Estate>) -> ConsoleOptions {
    ConsoleOptions {
        theme: args.theme.clone(),
        theme_file: args.theme_file.clone(),
        no_color: args.no_color,
        read_only,
        estate,
        walkthrough: None,
    }
}

/// The console draws on a terminal: without one (output piped, no tty) it says so before
/// anything starts, instead of failing half-way.
pub(super) fn need_terminal() -> Result<()> {
    use std::io::IsTerminal as _;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        Ok(())
    } else {
        Err(color_eyre::eyre::eyre!(
            "the console needs a terminal: stdin and stdout must be one (they are redirected or \
             there is no tty)"
        ))
    }
}

fn log_to_file() {
    let path = crate::logging::state_dir().join("warroom.log");
    if let Err(e) = crate::logging::to_file(&path) {
        eprintln!("warroom: cannot log to {}: {e}", path.display());
    }
}

/// The action runtime for a console: effects through `client`, the journal of `resume`'s open
/// incident (its sequence continues) or a fresh one, the given clock (virtual in the demo).
/// Returns the console's port and the incident folder, or why actions are off.
fn action_runtime(
    estate: &Arc<Estate>,
    client: AzureClient,
    snapshots: &watch::Receiver<Arc<crate::model::Snapshot>>,
    now: Now,
    artifact_auth: Option<QueueAuth>,
    resume: Option<(PathBuf, Resumed)>,
) -> Result<(ActionPort, PathBuf)> {
    let (dir, resume) = match resume {
        Some((dir, r)) => (dir, Some(r)),
        // Named by the wall clock: demo runs share a virtual start and must not share a journal.
        None => (actions::incident_dir(estate, chrono::Utc::now()), None),
    };
    let journal = Journal::open_or_create(&dir)
        .wrap_err_with(|| format!("opening the incident journal in {}", dir.display()))?
        .with_clock(now.clone());
    let mut effects = AzureEffects::new(client, (**estate).clone(), dir.clone());
    effects.now = now.clone();
    effects.artifact_auth = artifact_auth;
    let (port, _task) = actions::spawn(actions::Runtime {
        estate: Arc::clone(estate),
        snapshots: snapshots.clone(),
        effects: Arc::new(effects),
        journal,
        now,
        resume,
        taken_in: None,
    });
    Ok((port, dir))
}

/// The demo estate; under a drill, with the drill's RTO target, so that the header measures
/// against the target the walkthrough shows and the drill is scored against.
fn demo_estate(scenario: &str) -> Estate {
    let mut estate = Estate::demo();
    if let Ok(Some(drill)) = crate::sim::Scenario::builtin(scenario).map(|s| s.drill) {
        let secs = drill.targets.rto.as_secs().max(1);
        estate.rto_minutes = u32::try_from((secs + 59) / 60).unwrap_or(estate.rto_minutes);
    }
    estate
}

/// `warroom demo`.
pub fn demo(scenario: &str, speed: f64, args: &ConsoleArgs) -> ExitCode {
    finish(demo_session(scenario, speed, args).map(|_| ()))
}

/// What a demo console leaves behind for `warroom drill run NAME` to score.
pub(super) struct Session {
    /// The incident folder.
    pub dir: PathBuf,
    /// When the console was quit, on the simulated world's clock.
    pub quit_at: DateTime<Utc>,
}

/// The console on the demo estate under `scenario` until it is quit; returns the incident
/// folder and the virtual time it was quit at (`None` when read-only).
pub(super) fn demo_session(
    scenario: &str,
    speed: f64,
    args: &ConsoleArgs,
) -> Result<Option<Session>> {
    need_terminal()?;
    log_to_file();
    runtime().and_then(|rt| {
        rt.block_on(async {
            let demo =
                start_demo(demo_estate(scenario), scenario, DemoClock::Running(speed)).await?;
            let (stop_tx, stop_rx) = watch::channel(false);
            let snapshots = demo.observer.spawn(stop_rx);
            let clock = demo.sim.clock().clone();
            let quit_clock = clock.clone();
            let now: Now = Arc::new(move || clock.now());
            let (port, dir) = if args.read_only {
                (None, None)
            } else {
                let (port, dir) = action_runtime(
                    &demo.estate,
                    demo.client.clone(),
                    &snapshots,
                    now.clone(),
                    Some(QueueAuth::None),
                    // The demo's simulated world restarts with each run: never resumed.
                    None,
                )?;
                (Some(port), Some(dir))
            };
            let mut opts = options(args, port.is_none(), demo.estate.clone());
            opts.walkthrough = walkthrough::of(&demo.scenario);
            let result = run_console(snapshots, move || now(), opts, port).await;
            let quit_at = quit_clock.now();
            let _ = stop_tx.send(true);
            demo.sim
                .shutdown()
                .await
                .wrap_err("stopping the simulator")?;
            result.map(|()| dir.map(|dir| Session { dir, quit_at }))
        })
    })
}

/// `warroom --config FILE`.
pub fn real(path: &Path, credential: &str, args: &ConsoleArgs) -> ExitCode {
    if let Err(e) = need_terminal() {
        return finish(Err(e));
    }
    log_to_file();
    let r: Result<()> = runtime().and_then(|rt| {
        rt.block_on(async {
            let (estate, observer, client, auth) = real_observer(path, credential)?;
            let (stop_tx, stop_rx) = watch::channel(false);
            let snapshots = observer.spawn(stop_rx);
            let port = if args.read_only {
                None
            } else {
                let resume = open_incident(&estate, args.new_incident);
                if let Some((dir, r)) = &resume {
                    tracing::info!(
                        dir = %dir.display(),
                        unfinished = r.unfinished.len(),
                        "resuming the open incident"
                    );
                }
                let now: Now = Arc::new(chrono::Utc::now);
                Some(action_runtime(&estate, client, &snapshots, now, Some(auth), resume)?.0)
            };
            let opts = options(args, port.is_none(), estate);
            let result = run_console(snapshots, chrono::Utc::now, opts, port).await;
            let _ = stop_tx.send(true);
            result
        })
    });
    finish(r)
}
