//! `cli`: the command line. Parses arguments (clap derive) and runs the non-interactive commands:
//! `status`, `plan`, `report`, `drill`, `sim serve` and `check`. Exit codes: 0 ok, 1 a check failed, 2 an
//! error.
//!
//! Owns argument parsing and wiring (estate + client + observer + simulator); the work itself
//! lives in the library modules.

mod actions;
mod check;
mod console;
#[cfg(test)]
mod demo_screens;
pub mod drill;
mod plan;
mod report;
mod run;
pub mod status_table;
mod walkthrough;
mod wiring;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// A terminal incident console for recovering Azure Functions apps.
///
/// `warroom demo` opens the console on a simulated estate; `warroom --config FILE` opens it on a
/// real one.
#[derive(Debug, Parser)]
#[command(name = "warroom", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a command, the console opens on the estate given with --config.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The estate file of a real estate to open the console on.
    #[arg(long, value_name = "FILE", env = "WARROOM_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// How to authenticate against Azure (chain, cli, developer-tools, managed-identity,
    /// workload-identity, client-secret).
    #[arg(
        long,
        env = "WARROOM_CREDENTIAL",
        default_value = "chain",
        global = true
    )]
    pub credential: String,
    /// Console options.
    #[command(flatten)]
    pub console: ConsoleArgs,
}

/// How the console looks.
#[derive(Debug, Args, Clone)]
pub struct ConsoleArgs {
    /// The theme: dark, light, high-contrast or colorblind (`t` cycles them).
    #[arg(long, env = "WARROOM_THEME", global = true)]
    pub theme: Option<String>,
    /// A theme file overriding part of a built-in (see themes/).
    #[arg(long, value_name = "FILE", global = true)]
    pub theme_file: Option<PathBuf>,
    /// Draw without colour (NO_COLOR is honoured too).
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Show the estate and the runbook only: no action is planned or carried out.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// With --config: start a fresh incident even when the estate's latest incident is still
    /// open (by default the console resumes it and reconciles its unfinished actions first).
    #[arg(long, global = true)]
    pub new_incident: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the console on the simulated demo estate (a bad release lands about a minute in).
    Demo {
        /// The scenario to run (see assets/scenarios/).
        #[arg(long, default_value = "bad-release")]
        scenario: String,
        /// Virtual seconds per wall second.
        #[arg(long, default_value_t = 1.0, value_parser = speed, allow_negative_numbers = true)]
        speed: f64,
    },
    /// Print one snapshot of the estate as a table (or JSON).
    Status(StatusArgs),
    /// Print the plan of an action (steps, REST calls, az commands, gates, safety rules, risk,
    /// undo) without executing anything.
    Plan(PlanArgs),
    /// Write the Markdown incident report of an incident's journal (the latest by default).
    Report(ReportArgs),
    /// Validate an estate file: exit 0 when valid, 2 with every error otherwise.
    Check {
        /// The estate file (TOML).
        file: PathBuf,
    },
    /// Drills: rehearse a recovery on the simulated demo estate, scored against the drill's
    /// targets, with a drill report in the incident folder.
    Drill {
        /// What to do with drills.
        #[command(subcommand)]
        command: DrillCommand,
    },
    /// The simulated Azure.
    Sim {
        /// What to do with the simulator.
        #[command(subcommand)]
        command: SimCommand,
    },
}

/// `warroom status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Use the embedded demo estate, served by the simulated Azure on loopback (otherwise give
    /// --config FILE).
    #[arg(long)]
    pub demo: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// With --demo: the scenario to simulate.
    #[arg(long, default_value = "bad-release")]
    pub scenario: String,
    /// With --demo: virtual minutes after the scenario starts at which to take the snapshot
    /// (the default scenario's bad release lands about a minute in).
    #[arg(long, value_name = "MINUTES", default_value_t = 3.0)]
    pub at: f64,
}

/// `warroom plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The action: swap, swap-back, redeploy, restart, failover, tm-disable, tm-enable,
    /// fd-disable, fd-enable, timers, sync-secondary, alias-failover, storage-failover,
    /// freeze-on, freeze-off, suppress-on, suppress-off, rebuild, forensics.
    pub action: String,
    /// What it acts on: an app, endpoint, origin, alias, storage account or region name.
    #[arg(long)]
    pub target: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Plan against the embedded demo estate, served by the simulated Azure on loopback
    /// (otherwise give --config FILE).
    #[arg(long)]
    pub demo: bool,
    /// With --demo: the scenario to simulate.
    #[arg(long, default_value = "bad-release")]
    pub scenario: String,
    /// With --demo: virtual minutes after the scenario starts at which to take the snapshot.
    #[arg(long, value_name = "MINUTES", default_value_t = 3.0)]
    pub at: f64,
}

/// `warroom report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The incident: a folder name under `$WARROOM_STATE_DIR/incidents/`, or a folder's path
    /// (default: the most recent incident).
    pub incident: Option<String>,
    /// Write the report to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `warroom drill …`.
#[derive(Debug, Subcommand)]
pub enum DrillCommand {
    /// List the drills: name, title, expected strategy, RTO target.
    List,
    /// Run a drill: at the console (scored when it exits), or on autopilot.
    Run {
        /// The drill (see `warroom drill list`).
        name: String,
        /// A scripted commander follows the engine's recommendation on a virtual clock; prints
        /// progress, the score and the report's path; exit 0 when the expected outcome is
        /// reached, 1 otherwise.
        #[arg(long)]
        autopilot: bool,
        /// Virtual seconds per wall second: the console's clock (default 1), or with
        /// --autopilot a pace for watching (default: as fast as the simulator answers).
        #[arg(long, value_parser = speed, allow_negative_numbers = true)]
        speed: Option<f64>,
    },
}

/// `warroom sim …`.
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve the simulated Azure on loopback until Ctrl-C, printing its base URL.
    Serve {
        /// The scenario to run (see assets/scenarios/).
        #[arg(long, default_value = "bad-release")]
        scenario: String,
        /// The port (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Virtual seconds per wall second (keep 1 for a console on `--config`, which reads
        /// with the wall clock).
        #[arg(long, default_value_t = 1.0, value_parser = speed, allow_negative_numbers = true)]
        speed: f64,
        /// Start at the scenario's own date instead of now (by default the timeline starts at
        /// the wall clock's now, so a `--config` console sees fresh data).
        #[arg(long)]
        scenario_time: bool,
    },
}

/// A `--speed`: a finite number of virtual seconds per wall second, above zero (at 0 the
/// simulated world would stand still, and a drill's clock with it).
fn speed(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        Ok(_) => Err(format!(
            "`{s}` virtual seconds per wall second: the speed must be above 0 (1 is real time, \
             10 ten times faster)"
        )),
        Err(_) => Err(format!("`{s}` is not a number")),
    }
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => {
            if let Some(path) = cli.config.as_deref() {
                console::real(path, &cli.credential, &cli.console)
            } else {
                eprintln!(
                    "warroom: give --config FILE to open the console on a real estate, or run \
                     `warroom demo` (see `warroom --help`)"
                );
                ExitCode::from(2)
            }
        }
        Some(Command::Demo { scenario, speed }) => console::demo(&scenario, speed, &cli.console),
        Some(Command::Check { file }) => check::run(&file),
        Some(Command::Status(args)) => run::status(&args, cli.config.as_deref(), &cli.credential),
        Some(Command::Plan(args)) => plan::run(&args, cli.config.as_deref(), &cli.credential),
        Some(Command::Report(args)) => report::run(&args, cli.config.as_deref()),
        Some(Command::Drill {
            command: DrillCommand::List,
        }) => drill::list(),
        Some(Command::Drill {
            command:
                DrillCommand::Run {
                    name,
                    autopilot,
                    speed,
                },
        }) => drill::run(&name, autopilot, speed, cli.config.as_deref(), &cli.console),
        Some(Command::Sim {
            command:
                SimCommand::Serve {
                    scenario,
                    port,
                    speed,
                    scenario_time,
                },
        }) => run::sim_serve(&scenario, port, speed, scenario_time, cli.config.as_deref()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn check_takes_a_file() {
        let cli = Cli::try_parse_from(["warroom", "check", "estate.toml"]).expect("parses");
        assert!(
            matches!(cli.command, Some(Command::Check { file }) if file.as_path() == std::path::Path::new("estate.toml"))
        );
    }

    #[test]
    fn a_speed_is_a_number_above_zero() {
        for bad in ["0", "-1", "nan", "inf", "fast"] {
            for args in [
                vec!["warroom", "drill", "run", "a-slot-swap", "--speed", bad],
                vec!["warroom", "demo", "--speed", bad],
            ] {
                let e = Cli::try_parse_from(&args).expect_err("refused");
                assert_eq!(e.exit_code(), 2, "{args:?}");
                assert!(e.to_string().contains(bad), "{args:?}: {e}");
            }
        }
        let cli = Cli::try_parse_from(["warroom", "drill", "run", "a-slot-swap", "--speed", "0.5"])
            .expect("parses");
        assert!(matches!(
            cli.command,
            Some(Command::Drill {
                command: DrillCommand::Run { speed: Some(x), .. }
            }) if (x - 0.5).abs() < f64::EPSILON
        ));
    }

    #[test]
    fn check_without_a_file_is_an_error() {
        assert!(Cli::try_parse_from(["warroom", "check"]).is_err());
    }

    #[test]
    fn config_is_global_and_status_takes_it() {
        let cli = Cli::try_parse_from(["warroom", "status", "--config", "e.toml", "--json"])
            .expect("parses");
        assert_eq!(cli.config, Some(PathBuf::from("e.toml")));
        assert!(matches!(
            cli.command,
            Some(Command::Status(StatusArgs { json: true, .. }))
        ));
    }
}
