//! `warroom check FILE`: validates an estate file without touching Azure. On success one line on
//! stdout (`FILE: ok (…)`); on failure every error on stderr, one per line as
//! `file:line:col: key `k`: reason`, and exit code 2.

use std::path::Path;
use std::process::ExitCode;

use crate::config::Estate;

/// The exit code for a file with errors (or one that cannot be read).
const EXIT_INVALID: u8 = 2;

/// Runs the check and returns the exit code.
pub(super) fn run(file: &Path) -> ExitCode {
    match Estate::load(file) {
        Ok(estate) => {
            println!("{}: ok ({})", file.display(), summary(&estate));
            ExitCode::SUCCESS
        }
        Err(errors) => {
            for e in &errors.0 {
                eprintln!("{e}");
            }
            ExitCode::from(EXIT_INVALID)
        }
    }
}

/// What the estate holds, in one line: apps and regions first, then whatever else it has.
fn summary(e: &Estate) -> String {
    let mut parts = vec![format!(
        "{} in {} (primary {})",
        count(e.apps.len(), "app", "apps"),
        count(e.regions.len(), "region", "regions"),
        e.primary().name
    )];
    for (n, one, many) in [
        (
            e.storage_accounts.len(),
            "storage account",
            "storage accounts",
        ),
        (e.queues.len(), "queue", "queues"),
        (e.geo_dr_aliases.len(), "geo-DR alias", "geo-DR aliases"),
    ] {
        if n > 0 {
            parts.push(count(n, one, many));
        }
    }
    if let Some(tm) = &e.traffic_manager {
        parts.push(format!(
            "Traffic Manager with {}",
            count(tm.endpoints.len(), "endpoint", "endpoints")
        ));
    }
    if let Some(fd) = &e.front_door {
        parts.push(format!(
            "Front Door with {}",
            count(fd.origins.len(), "origin", "origins")
        ));
    }
    parts.join(", ")
}

/// `n` with the right form of its noun.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_summary_counts_what_the_file_holds() {
        assert_eq!(
            summary(&Estate::demo()),
            "12 apps in 2 regions (primary krc), 4 storage accounts, 4 queues, 2 geo-DR aliases, \
             Traffic Manager with 2 endpoints, Front Door with 2 origins"
        );
    }

    #[test]
    fn a_summary_leaves_out_what_the_estate_lacks() {
        let mut e = Estate::demo();
        e.storage_accounts.clear();
        e.queues.truncate(1);
        e.traffic_manager = None;
        e.front_door = None;
        e.geo_dr_aliases.clear();
        assert_eq!(summary(&e), "12 apps in 2 regions (primary krc), 1 queue");
    }
}
