//! Every built-in drill run on autopilot, in-process against the simulator on a virtual clock:
//! the scripted commander follows the engine through the console's action runtime, and the drill
//! must reach its expected outcome: the runbook's strategy chosen, the expected actions taken,
//! the recovery validated and the incident closed, every target met, and the estate serving
//! again (every app healthy, except the apps of a region failed away from, to which no route
//! sends traffic any more). The drill reports of drills A and C are snapshots: virtual times and
//! a seeded simulator make them the same on every run.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use warroom::cli::drill::autopilot::{AutopilotRun, Options, run};
use warroom::cli::drill::{drills, score_and_report};
use warroom::config::Estate;
use warroom::decide::ActionKind;
use warroom::journal::Entry;
use warroom::model::{Health, RouteState, Snapshot};

/// The drills whose report is kept as a snapshot.
const SNAPSHOTS: [&str; 2] = ["a-slot-swap", "c-traffic-manager"];

/// A fresh incident folder, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Self(std::env::temp_dir().join(format!(
            "warroom-drill-{name}-{}-{nanos}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        )))
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The text with the simulator's loopback port (picked afresh by each run, and shown in the
/// health probes' `curl` equivalents) written as `[port]`.
fn loopback(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("127.0.0.1:") {
        let (head, tail) = rest.split_at(i + "127.0.0.1:".len());
        out.push_str(head);
        out.push_str("[port]");
        rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

/// Every Traffic Manager endpoint and Front Door origin in a snapshot.
fn routes(snap: &Snapshot) -> Vec<&RouteState> {
    [&snap.routes.traffic_manager, &snap.routes.front_door]
        .into_iter()
        .filter_map(|r| r.as_ref().and_then(|(_, o)| o.get()))
        .flatten()
        .collect()
}

/// The regions the drill failed away from (the targets of its failovers).
fn failed_away(r: &AutopilotRun) -> Vec<String> {
    r.records
        .iter()
        .filter_map(|rec| match &rec.entry {
            Entry::Intent(i) if i.action.kind == ActionKind::Failover => {
                Some(i.action.target.clone())
            }
            _ => None,
        })
        .collect()
}

/// The estate serves again: every app healthy, except in a region failed away from, and no
/// route sends traffic to an app that is not healthy.
fn assert_serving(name: &str, r: &AutopilotRun) {
    let estate = Estate::demo();
    let away = failed_away(r);
    for app in &r.last.apps {
        let region = estate
            .app(&app.name)
            .map(|a| a.region.clone())
            .unwrap_or_default();
        if !away.contains(&region) {
            assert_eq!(
                app.health(),
                Health::Healthy,
                "{name}: {} ({region}) is not healthy at the end",
                app.name
            );
        }
    }
    for route in routes(&r.last) {
        let healthy = r
            .last
            .apps
            .iter()
            .any(|a| a.name == route.app && a.health() == Health::Healthy);
        assert!(
            healthy || !route.enabled,
            "{name}: route {} still sends traffic to {}, which is not healthy",
            route.name,
            route.app
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_builtin_drill_reaches_its_expected_outcome_on_autopilot() {
    let all = drills();
    let names: Vec<&str> = all.iter().map(|(s, _)| s.name.as_str()).collect();
    for expected in ["a-slot-swap", "b-redeploy", "c-traffic-manager"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    for (scenario, spec) in &all {
        let name = scenario.name.as_str();
        let dir = Dir::new(name);
        let started = std::time::Instant::now();
        let r = run(name, &Options::new(&dir.0), &mut |_: &str| {})
            .await
            .unwrap_or_else(|e| panic!("{name}: the autopilot ran: {e:#}"));
        let lines = r.lines.join("\n");
        assert!(r.warnings.is_empty(), "{name}: {:?}", r.warnings);
        assert!(r.recovered, "{name} did not recover:\n{lines}");
        let (score, report) =
            score_and_report(&r.scenario, spec, &r.records, &r.warnings, "autopilot");
        assert_eq!(
            score.branch,
            Some(spec.expected_strategy),
            "{name}: branch chosen\n{lines}"
        );
        assert!(
            score.passed(),
            "{name} missed: {:?}\n{lines}",
            score.reasons()
        );
        assert!(
            matches!(
                r.records.last().map(|x| &x.entry),
                Some(Entry::Closed {
                    validated: true,
                    ..
                })
            ),
            "{name}: the journal ends with the validated close"
        );
        assert_serving(name, &r);
        assert!(
            r.ended_at <= scenario.time_of(spec.targets.time_limit),
            "{name}: within the time limit"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{name}: a drill on autopilot takes seconds, this one {:?}",
            started.elapsed()
        );
        assert!(report.contains("## Result: PASSED ✓"), "{name}");
        if SNAPSHOTS.contains(&name) {
            insta::assert_snapshot!(format!("drill_report_{name}"), loopback(&report));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drill_is_the_same_run_for_the_same_seed() {
    // The journal's effects hold the simulator's loopback address, which differs between runs;
    // everything a person reads (the report, the progress lines) is the same.
    let mut runs = Vec::new();
    for _ in 0..2 {
        let dir = Dir::new("b-again");
        let r = run("b-redeploy", &Options::new(&dir.0), &mut |_: &str| {})
            .await
            .expect("the autopilot runs");
        let (_, report) =
            score_and_report(&r.scenario, &r.spec, &r.records, &r.warnings, "autopilot");
        let folder = dir.0.display().to_string();
        let lines: Vec<String> = r
            .lines
            .iter()
            .map(|l| l.replace(&folder, "[dir]"))
            .collect();
        runs.push((loopback(&report), lines));
    }
    assert_eq!(runs[0].0, runs[1].0, "the same report");
    assert_eq!(runs[0].1, runs[1].1, "the same progress lines");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drill_whose_gate_is_not_allowed_stops_unrecovered_at_its_time_limit() {
    // Drill C without its allowed override: the autopilot must not override the failed data
    // consistency gate, so nothing runs and the drill stops at its (shortened) time limit.
    let dir = Dir::new("c-no-override");
    let r = warroom::cli::drill::autopilot::run_with(
        "c-traffic-manager",
        &Options::new(&dir.0),
        |spec| {
            spec.allowed_overrides.clear();
            spec.targets.time_limit = warroom::sim::scenario::Offset::seconds(6 * 60);
        },
        &mut |_: &str| {},
    )
    .await
    .expect("the autopilot runs");
    assert!(!r.recovered);
    assert!(
        !r.records
            .iter()
            .any(|x| matches!(x.entry, Entry::Intent(_))),
        "no action ran"
    );
    // Each plan shown is journaled with what blocks it, and each is declined.
    let planned: Vec<&String> = r
        .records
        .iter()
        .filter_map(|x| match &x.entry {
            Entry::Planned {
                plan_id, blocked, ..
            } if blocked.iter().any(|b| b.contains("data consistency")) => Some(plan_id),
            _ => None,
        })
        .collect();
    assert!(!planned.is_empty(), "{:#?}", r.records);
    for id in planned {
        assert!(
            r.records.iter().any(|x| matches!(
                &x.entry,
                Entry::Declined { plan_id, .. } if plan_id == id
            )),
            "{id} declined"
        );
    }
    assert!(
        r.lines
            .iter()
            .any(|l| l.contains("blocked:") && l.contains("data consistency")),
        "{:#?}",
        r.lines
    );
    assert!(r.lines.last().is_some_and(|l| l.contains("time limit")));
    let (score, report) =
        score_and_report(&r.scenario, &r.spec, &r.records, &r.warnings, "autopilot");
    assert!(!score.passed());
    assert!(report.contains("## Result: FAILED ✗"));
    assert!(
        report.contains("Time to decide: no action confirmed"),
        "{report}"
    );
}
