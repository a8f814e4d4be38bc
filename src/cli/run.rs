//! The one-shot commands that need the async runtime: `status` and `sim serve`.

use std::path::Path;
use std::process::ExitCode;

use color_eyre::eyre::{Result, WrapErr, eyre};

use crate::config::Estate;
use crate::sim::scenario::Scenario;

use super::StatusArgs;
use super::status_table;
use super::wiring::{DemoClock, real, start_demo};

pub(super) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .wrap_err("starting the async runtime")
}

pub(super) fn finish(r: Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("warroom: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `warroom status`.
pub fn status(args: &StatusArgs, config: Option<&Path>, credential: &str) -> ExitCode {
    crate::logging::to_stderr();
    finish(runtime().and_then(|rt| rt.block_on(status_async(args, config, credential))))
}

async fn status_async(args: &StatusArgs, config: Option<&Path>, credential: &str) -> Result<()> {
    let snap = if args.demo {
        let demo = start_demo(Estate::demo(), &args.scenario, DemoClock::FrozenAt(args.at)).await?;
        let snap = demo.observer.refresh_all().await;
        demo.sim
            .shutdown()
            .await
            .wrap_err("stopping the simulator")?;
        snap
    } else {
        let path = config.ok_or_else(|| eyre!("give --demo or --config FILE"))?;
        let (_, observer, _) = real(path, credential)?;
        observer.refresh_all().await
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&snap).wrap_err("writing JSON")?
        );
    } else {
        print!("{}", status_table::render(&snap));
    }
    Ok(())
}

/// `warroom sim serve`.
/// `warroom sim serve`. The scenario's timeline starts at the wall clock's now unless
/// `scenario_time`: a console on a `--config` estate reads with the wall clock, and data from the
/// scenario's own date would all look months old to it.
pub fn sim_serve(
    scenario: &str,
    port: u16,
    speed: f64,
    scenario_time: bool,
    config: Option<&Path>,
) -> ExitCode {
    crate::logging::to_stderr();
    let r = (|| -> Result<()> {
        let estate = match config {
            Some(p) => Estate::load(p).map_err(|e| eyre!("{e}"))?,
            None => Estate::demo(),
        };
        let mut scenario = Scenario::builtin(scenario).wrap_err_with(|| {
            format!(
                "unknown scenario `{scenario}`; built-in scenarios: {}",
                Scenario::list().join(", ")
            )
        })?;
        if !scenario_time {
            let now = chrono::Utc::now();
            scenario.start =
                now - chrono::Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos()));
        }
        runtime()?.block_on(async {
            crate::sim::serve_forever(estate, scenario, port, Some(speed))
                .await
                .wrap_err("serving the simulated Azure")
        })
    })();
    finish(r)
}
