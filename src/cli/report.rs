//! `warroom report [INCIDENT] [--out FILE]`: the Markdown incident report of one incident folder
//! (by name under `$WARROOM_STATE_DIR/incidents/`, or a path; the most recent by default), on
//! stdout or into a file. The targets come from `--config FILE`, else from the demo estate when
//! the folder is one of the demo's, else they are reported as not known.
//!
//! Owns choosing the folder and the estate and writing the result; the report itself is
//! [`crate::journal::report::render`]. It reads the journal and never writes to it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use super::ReportArgs;
use super::actions::{estate_slug, stamp_in};
use crate::config::Estate;
use crate::journal::report::{Targets, render};
use crate::journal::{self, FILE_NAME};

/// The exit code for an error (no incident, unreadable estate, unwritable output).
const EXIT_ERROR: u8 = 2;

/// Runs `warroom report` and returns the exit code.
pub(super) fn run(args: &ReportArgs, config: Option<&Path>) -> ExitCode {
    match report(args, config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("warroom: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn report(args: &ReportArgs, config: Option<&Path>) -> Result<(), String> {
    let incidents = crate::logging::state_dir().join("incidents");
    let dir = match &args.incident {
        Some(name) => named(&incidents, name)?,
        None => latest(&incidents)?,
    };
    if !dir.join(FILE_NAME).is_file() {
        return Err(format!(
            "{} holds no {FILE_NAME}: not an incident folder",
            dir.display()
        ));
    }
    let targets = targets(&dir, config)?;
    let (records, warnings) = journal::read(&dir);
    let markdown = render(&records, &warnings, &targets);
    if let Some(out) = &args.out {
        std::fs::write(out, markdown)
            .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        println!(
            "{}: report of incident {}",
            out.display(),
            folder_name(&dir)
        );
    } else {
        // A reader that stops early (`| head`) is not an error worth a panic.
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        match stdout
            .write_all(markdown.as_bytes())
            .and_then(|()| stdout.flush())
        {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => return Err(format!("cannot write the report: {e}")),
        }
    }
    Ok(())
}

/// An incident by folder name under `incidents`, or by path.
fn named(incidents: &Path, name: &str) -> Result<PathBuf, String> {
    let under = incidents.join(name);
    if under.is_dir() {
        return Ok(under);
    }
    let path = PathBuf::from(name);
    if path.is_dir() {
        return Ok(path);
    }
    Err(format!(
        "no incident `{name}`: neither a folder under {} nor a folder at that path",
        incidents.display()
    ))
}

/// The most recent incident folder: by the start time in its name (`…-20260404T090115Z`, then
/// its same-second suffix `-2`, …), else by its modification time.
fn latest(incidents: &Path) -> Result<PathBuf, String> {
    let none = || {
        format!(
            "no incidents yet under {} (an incident folder is made when the console declares \
             one; set WARROOM_STATE_DIR to look elsewhere)",
            incidents.display()
        )
    };
    let entries = std::fs::read_dir(incidents).map_err(|_| none())?;
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter_map(|p| started(&p).map(|t| (t, p)))
        .max()
        .map(|(_, p)| p)
        .ok_or_else(none)
}

fn folder_name(dir: &Path) -> String {
    dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// When an incident folder's incident started, with its same-second sequence: from its name,
/// else its modification time.
fn started(dir: &Path) -> Option<(DateTime<Utc>, u32)> {
    let name = folder_name(dir);
    stamp_in(&name).or_else(|| {
        std::fs::metadata(dir)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| (DateTime::<Utc>::from(t), 1))
    })
}

/// The targets: from `--config`, else the demo estate's for a demo incident, else not known.
fn targets(dir: &Path, config: Option<&Path>) -> Result<Targets, String> {
    let estate = if let Some(path) = config {
        Some(Estate::load(path).map_err(|errors| {
            let lines: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
            format!("the estate file is not valid:\n{}", lines.join("\n"))
        })?)
    } else {
        let demo = Estate::demo();
        let prefix = format!("{}-", estate_slug(&demo.name));
        folder_name(dir).starts_with(&prefix).then_some(demo)
    };
    Ok(estate.map_or_else(Targets::default, |e| Targets {
        rto_minutes: Some(e.rto_minutes),
        rpo_minutes: Some(e.rpo_minutes),
        estate_name: Some(e.name),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_time_comes_from_the_folder_name() {
        let (t, n) =
            started(Path::new("/x/orders-platform-prod-20260404T090115Z")).expect("parses");
        assert_eq!(
            (t.to_rfc3339().as_str(), n),
            ("2026-04-04T09:01:15+00:00", 1)
        );
        // A second incident of the same second comes after the first.
        let second =
            started(Path::new("/x/orders-platform-prod-20260404T090115Z-2")).expect("parses");
        assert_eq!(second, (t, 2));
    }

    #[test]
    fn a_demo_folder_gets_the_demo_targets_and_another_gets_none() {
        let demo =
            targets(Path::new("/x/orders-platform-prod-20260404T090115Z"), None).expect("targets");
        assert_eq!(demo.rto_minutes, Some(30));
        assert_eq!(demo.rpo_minutes, Some(5));
        assert_eq!(demo.estate_name.as_deref(), Some("Orders platform (prod)"));
        let other = targets(Path::new("/x/payments-20260404T090115Z"), None).expect("targets");
        assert_eq!(other, Targets::default());
    }
}
