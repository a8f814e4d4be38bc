//! `cli`: the command line. Parses arguments (clap derive) and runs the non-interactive commands:
//! `status`, `sim serve` and `check`. Exit codes: 0 ok, 1 a check failed, 2 an error.
//!
//! Owns argument parsing and wiring (estate + client + observer + simulator); the work itself
//! lives in the library modules.

mod check;
mod run;
pub mod status_table;
mod wiring;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// A terminal incident console for recovering Azure Functions apps.
#[derive(Debug, Parser)]
#[command(name = "warroom", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print one snapshot of the estate as a table (or JSON).
    Status(StatusArgs),
    /// Validate an estate file: exit 0 when valid, 2 with every error otherwise.
    Check {
        /// The estate file (TOML).
        file: PathBuf,
    },
    /// The simulated Azure.
    Sim {
        /// What to do with the simulator.
        #[command(subcommand)]
        command: SimCommand,
    },
}

/// Where the estate comes from.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct EstateSource {
    /// Use the embedded demo estate, served by the simulated Azure on loopback.
    #[arg(long)]
    pub demo: bool,
    /// An estate file describing a real estate.
    #[arg(long, value_name = "FILE", env = "WARROOM_CONFIG")]
    pub config: Option<PathBuf>,
}

/// `warroom status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Which estate.
    #[command(flatten)]
    pub source: EstateSource,
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
    /// With --config: how to authenticate (chain, cli, developer-tools, managed-identity,
    /// workload-identity, client-secret).
    #[arg(long, env = "WARROOM_CREDENTIAL", default_value = "chain")]
    pub credential: String,
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
        /// Virtual seconds per wall second.
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
        /// An estate file to simulate instead of the demo estate.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { file } => check::run(&file),
        Command::Status(args) => run::status(&args),
        Command::Sim {
            command:
                SimCommand::Serve {
                    scenario,
                    port,
                    speed,
                    config,
                },
        } => run::sim_serve(&scenario, port, speed, config.as_deref()),
    }
}
