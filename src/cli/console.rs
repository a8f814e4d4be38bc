//! Opening the console: `warroom demo` (the simulated estate, its clock running, always a fresh
//! incident) and `warroom --config FILE` (a real estate, wall-clock time; the estate's open
//! incident is resumed unless `--new-incident`). The observer's pollers feed the
//! console through a `watch` channel; the console never waits on the network.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

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

/// `warroom demo`.
pub fn demo(scenario: &str, speed: f64, args: &ConsoleArgs) -> ExitCode {
    finish(demo_session(scenario, speed, args).map(|_| ()))
}

/// The console on the demo estate under `scenario` until it is quit; returns the incident
/// folder (`None` when read-only). `warroom drill run NAME` scores it afterwards.
pub(super) fn demo_session(
    scenario: &str,
    speed: f64,
    args: &ConsoleArgs,
) -> Result<Option<PathBuf>> {
    log_to_file();
    runtime().and_then(|rt| {
        rt.block_on(async {
            let demo = start_demo(Estate::demo(), scenario, DemoClock::Running(speed)).await?;
            let (stop_tx, stop_rx) = watch::channel(false);
            let snapshots = demo.observer.spawn(stop_rx);
            let clock = demo.sim.clock().clone();
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
            let _ = stop_tx.send(true);
            demo.sim
                .shutdown()
                .await
                .wrap_err("stopping the simulator")?;
            result.map(|()| dir)
        })
    })
}

/// `warroom --config FILE`.
pub fn real(path: &Path, credential: &str, args: &ConsoleArgs) -> ExitCode {
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
