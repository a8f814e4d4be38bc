//! `cli`: the command line: argument parsing (clap derive) and the non-interactive commands, one
//! file per command under `cli/`. Owns exit codes and what goes to stdout and stderr; the work
//! itself belongs to the library modules.
//!
//! Exit codes: 0 ok, 2 the input is wrong (clap uses 2 for bad arguments too).

mod check;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A terminal incident console for recovering Azure Functions apps.
#[derive(Debug, Parser)]
#[command(name = "warroom", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate an estate file.
    ///
    /// Prints a one-line summary and exits 0, or prints every error (file:line:column, key,
    /// reason) to stderr and exits 2.
    Check {
        /// The estate file (TOML).
        file: PathBuf,
    },
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { file } => check::run(&file),
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
        let Command::Check { file } = cli.command;
        assert_eq!(file, PathBuf::from("estate.toml"));
    }

    #[test]
    fn check_without_a_file_is_an_error() {
        assert!(Cli::try_parse_from(["warroom", "check"]).is_err());
    }
}
