//! `cli`: the command line: argument parsing and the non-interactive commands.

use std::process::ExitCode;

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    ExitCode::SUCCESS
}
