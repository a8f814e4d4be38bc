//! `warroom drill list` and `warroom drill run NAME [--autopilot] [--speed X]`: the drills of the
//! built-in scenarios, run on the simulated demo estate by the autopilot or by a commander at the
//! console, then scored and reported into the incident folder.
//!
//! Owns the commands and the autopilot ([`autopilot`]); the score and the report are
//! [`crate::drill`]'s.

pub mod autopilot;
pub mod headless;
mod pilot;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, WrapErr, eyre};

use super::ConsoleArgs;
use super::actions::incident_dir;
use super::run::{finish, runtime};
use crate::config::Estate;
use crate::drill::report::{About, FILE_NAME, quit_line, render};
use crate::drill::{DrillSpec, Score, score};
use crate::journal::{self, Record, Warning};
use crate::sim::Scenario;

/// Exit code when the drill did not reach its expected outcome.
const EXIT_MISSED: u8 = 1;

/// The built-in scenarios that are drills, with their drill, in name order.
pub fn drills() -> Vec<(Scenario, DrillSpec)> {
    Scenario::list()
        .into_iter()
        .filter_map(|n| Scenario::builtin(n).ok())
        .filter_map(|s| s.drill.clone().map(|d| (s, d)))
        .collect()
}

/// The score and the drill report of an incident's journal.
pub fn score_and_report(
    scenario: &Scenario,
    spec: &DrillSpec,
    records: &[Record],
    warnings: &[Warning],
    driver: &str,
) -> (Score, String) {
    score_and_report_quit(scenario, spec, records, warnings, driver, None)
}

/// [`score_and_report`] of a drill whose console was quit at `quit_at` (the drill's clock).
pub fn score_and_report_quit(
    scenario: &Scenario,
    spec: &DrillSpec,
    records: &[Record],
    warnings: &[Warning],
    driver: &str,
    quit_at: Option<DateTime<Utc>>,
) -> (Score, String) {
    let s = score(records, spec, scenario.start);
    let estate = Estate::demo();
    let about = About {
        scenario: &scenario.name,
        spec,
        start: scenario.start,
        estate: &estate.name,
        driver,
        quit_at,
    };
    let markdown = render(&about, &s, records, warnings);
    (s, markdown)
}

/// `warroom drill list`.
pub(super) fn list() -> ExitCode {
    let rows: Vec<[String; 4]> = drills()
        .iter()
        .map(|(s, d)| {
            [
                s.name.clone(),
                d.title.clone(),
                d.expected_strategy.label().to_owned(),
                d.targets.rto.to_string(),
            ]
        })
        .collect();
    let head = ["NAME", "TITLE", "EXPECTED STRATEGY", "RTO TARGET"];
    let mut width = head.map(str::len);
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: [&str; 4]| {
        let mut out = String::new();
        for (i, (c, w)) in cells.iter().zip(width).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(c);
            } else {
                let _ = write!(out, "{c:<w$}  ");
            }
        }
        out
    };
    println!("{}", line(head));
    for r in &rows {
        println!("{}", line([&r[0], &r[1], &r[2], &r[3]]));
    }
    if rows.is_empty() {
        println!("(no built-in scenario has a [drill] table)");
    }
    ExitCode::SUCCESS
}

/// `warroom drill run NAME [--autopilot] [--speed X]`; with `--autopilot --config FILE`, against
/// the simulator the estate file points at ([`headless`]).
pub(super) fn run(
    name: &str,
    autopilot: bool,
    speed: Option<f64>,
    config: Option<&Path>,
    args: &ConsoleArgs,
) -> ExitCode {
    let scenario = match Scenario::builtin(name) {
        Ok(s) if s.drill.is_some() => s,
        Ok(_) | Err(_) => {
            let known: Vec<String> = drills().into_iter().map(|(s, _)| s.name).collect();
            eprintln!(
                "warroom: no drill named `{name}` (drills: {})",
                known.join(", ")
            );
            return ExitCode::from(2);
        }
    };
    let outcome = if let (true, Some(config)) = (autopilot, config) {
        crate::logging::to_stderr();
        runtime().and_then(|rt| {
            rt.block_on(async {
                let spec = scenario.drill.clone().ok_or_else(|| eyre!("not a drill"))?;
                headless::run(config, &spec, args.new_incident, &mut |l: &str| {
                    println!("{l}");
                })
                .await
            })
        })
    } else if autopilot {
        crate::logging::to_stderr();
        runtime().and_then(|rt| rt.block_on(on_autopilot(&scenario, speed)))
    } else {
        at_console(&scenario, speed.unwrap_or(1.0), args)
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(EXIT_MISSED),
        Err(e) => finish(Err(e)),
    }
}

async fn on_autopilot(scenario: &Scenario, speed: Option<f64>) -> Result<bool> {
    let dir = incident_dir(&Estate::demo(), chrono::Utc::now());
    let mut opts = autopilot::Options::new(&dir);
    opts.pace = speed;
    let r = autopilot::run(&scenario.name, &opts, &mut |l: &str| println!("{l}")).await?;
    let (s, markdown) =
        score_and_report(&r.scenario, &r.spec, &r.records, &r.warnings, "autopilot");
    let path = write(&r.incident_dir, &markdown)?;
    print_score(&r.scenario, &s, None, &path);
    Ok(s.passed())
}

fn at_console(scenario: &Scenario, speed: f64, args: &ConsoleArgs) -> Result<bool> {
    let spec = scenario
        .drill
        .clone()
        .ok_or_else(|| eyre!("scenario `{}` is not a drill", scenario.name))?;
    if args.read_only {
        return Err(eyre!(
            "a drill is scored from the incident's journal, and --read-only keeps none: run it \
             without --read-only (or watch the scenario with `warroom demo --scenario {} \
             --read-only`)",
            scenario.name
        ));
    }
    if let Err(e) = super::console::need_terminal() {
        return Err(eyre!(
            "{e}; `warroom drill run {name} --autopilot` runs the drill without one",
            name = scenario.name
        ));
    }
    let session = super::console::demo_session(&scenario.name, speed, args)?
        .ok_or_else(|| eyre!("the console ran read-only: nothing to score"))?;
    let (records, warnings) = journal::read(&session.dir);
    let (s, markdown) = score_and_report_quit(
        scenario,
        &spec,
        &records,
        &warnings,
        "commander at the console",
        Some(session.quit_at),
    );
    let path = write(&session.dir, &markdown)?;
    print_score(scenario, &s, Some(session.quit_at), &path);
    Ok(s.passed())
}

fn write(dir: &Path, markdown: &str) -> Result<PathBuf> {
    let path = dir.join(FILE_NAME);
    std::fs::write(&path, markdown).wrap_err_with(|| format!("writing {}", path.display()))?;
    Ok(path)
}

fn print_score(scenario: &Scenario, s: &Score, quit_at: Option<DateTime<Utc>>, path: &Path) {
    let title = scenario.drill.as_ref().map_or("", |d| d.title.as_str());
    println!();
    println!("Drill {} ({title})", scenario.name);
    if let Some(line) = quit_line(quit_at, s) {
        println!("{line}");
    }
    println!("Score:");
    for i in &s.items {
        println!(
            "  {} {:<18} {} (target: {})",
            if i.met { "✓" } else { "✗" },
            i.what,
            i.achieved,
            i.target
        );
    }
    println!("  · {:<18} {} (not scored)", "Hints", s.hints.words());
    if s.passed() {
        println!("PASSED: every target met.");
    } else {
        println!("FAILED:");
        for r in s.reasons() {
            println!("  - {r}");
        }
    }
    println!("Drill report: {}", path.display());
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_console_journals_hints_in_the_words_the_score_counts() {
        assert_eq!(crate::tui::walk_flow::HINT_NOTE, crate::drill::HINT_NOTE);
    }
}
