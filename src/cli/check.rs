//! `warroom check FILE`: validates an estate file.

use std::path::Path;
use std::process::ExitCode;

use crate::config::Estate;

/// Validates the file: prints a summary and exits 0, or prints every error and exits 2.
pub fn run(path: &Path) -> ExitCode {
    match Estate::load(path) {
        Ok(e) => {
            println!(
                "{}: ok ({} apps in {} regions)",
                path.display(),
                e.apps.len(),
                e.regions.len()
            );
            ExitCode::SUCCESS
        }
        Err(errs) => {
            eprintln!("{errs}");
            ExitCode::from(2)
        }
    }
}
