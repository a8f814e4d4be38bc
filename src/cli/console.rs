//! Opening the console: `warroom demo` (the simulated estate, its clock running) and
//! `warroom --config FILE` (a real estate, wall-clock time). The observer's pollers feed the
//! console through a `watch` channel; the console never waits on the network.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use color_eyre::eyre::{Result, WrapErr};
use tokio::sync::watch;

use super::actions::{self, Now};
use crate::act::AzureEffects;
use crate::azure::{AzureClient, QueueAuth};
use crate::config::Estate;
use crate::journal::Journal;
use crate::tui::{ActionPort, ConsoleOptions, run as run_console};

use super::ConsoleArgs;
use super::run::{finish, runtime};
use super::walkthrough;
use super::wiring::{DemoClock, real as real_observer, start_demo};

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

/// The action runtime for a console: effects through `client`, a fresh incident journal, the
/// given clock (virtual in the demo). Returns the console's port, or why actions are off.
fn action_runtime(
    estate: &Arc<Estate>,
    client: AzureClient,
    snapshots: &watch::Receiver<Arc<crate::model::Snapshot>>,
    now: Now,
    artifact_auth: Option<QueueAuth>,
) -> Result<ActionPort> {
    // Named by the wall clock: demo runs share a virtual start and must not share a journal.
    let dir = actions::incident_dir(estate, chrono::Utc::now());
    let journal = Journal::open_or_create(&dir)
        .wrap_err_with(|| format!("opening the incident journal in {}", dir.display()))?
        .with_clock(now.clone());
    let mut effects = AzureEffects::new(client, (**estate).clone(), dir);
    effects.now = now.clone();
    effects.artifact_auth = artifact_auth;
    let (port, _task) = actions::spawn(actions::Runtime {
        estate: Arc::clone(estate),
        snapshots: snapshots.clone(),
        effects: Arc::new(effects),
        journal,
        now,
    });
    Ok(port)
}

/// `warroom demo`.
pub fn demo(scenario: &str, speed: f64, args: &ConsoleArgs) -> ExitCode {
    log_to_file();
    let r = runtime().and_then(|rt| {
        rt.block_on(async {
            let demo = start_demo(Estate::demo(), scenario, DemoClock::Running(speed)).await?;
            let (stop_tx, stop_rx) = watch::channel(false);
            let snapshots = demo.observer.spawn(stop_rx);
            let clock = demo.sim.clock().clone();
            let now: Now = Arc::new(move || clock.now());
            let port = if args.read_only {
                None
            } else {
                Some(action_runtime(
                    &demo.estate,
                    demo.client.clone(),
                    &snapshots,
                    now.clone(),
                    Some(QueueAuth::None),
                )?)
            };
            let mut opts = options(args, port.is_none(), demo.estate.clone());
            opts.walkthrough = walkthrough::of(&demo.scenario);
            let result = run_console(snapshots, move || now(), opts, port).await;
            let _ = stop_tx.send(true);
            demo.sim
                .shutdown()
                .await
                .wrap_err("stopping the simulator")?;
            result
        })
    });
    finish(r)
}

/// `warroom --config FILE`.
pub fn real(path: &Path, credential: &str, args: &ConsoleArgs) -> ExitCode {
    log_to_file();
    let r: Result<()> = runtime().and_then(|rt| {
        rt.block_on(async {
            let (estate, observer, _client) = real_observer(path, credential)?;
            let (stop_tx, stop_rx) = watch::channel(false);
            let snapshots = observer.spawn(stop_rx);
            let result = run_console(
                snapshots,
                chrono::Utc::now,
                options(args, true, estate),
                None,
            )
            .await;
            let _ = stop_tx.send(true);
            result
        })
    });
    finish(r)
}
