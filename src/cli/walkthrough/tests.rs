//! The drill's walkthrough from the scenario file to the screen: the view's times on the
//! scenario's clock, and the real demo path (simulator, observer, console) on a copy of the
//! bad-release scenario with a test-only `[drill]` table, drawn before and after a narrative
//! line's time.

use std::sync::Arc;

use chrono::Duration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{of, view};
use crate::cli::wiring::{DemoClock, start_demo_with};
use crate::config::Estate;
use crate::observe::SourceKind;
use crate::sim::scenario::Scenario;
use crate::tui::ConsoleOptions;
use crate::tui::app::AppState;
use crate::tui::layout;
use crate::tui::msg::Msg;

/// The built-in bad release with the test-only drill table appended.
fn drill_scenario() -> Scenario {
    let text = format!(
        "{}\n{}",
        include_str!("../../../assets/scenarios/bad-release.toml"),
        include_str!("../../../tests/data/drill/bad-release-drill-table.toml")
    );
    Scenario::parse(&text, "bad-release + test drill table").expect("the drill scenario parses")
}

#[test]
fn a_scenario_without_a_drill_has_no_walkthrough() {
    let plain = Scenario::builtin("bad-release").expect("built in");
    assert_eq!(of(&plain), None);
}

#[test]
fn the_drill_table_becomes_the_consoles_view_on_the_scenarios_clock() {
    let s = drill_scenario();
    let spec = s.drill.as_ref().expect("a drill");
    let v = view(spec, s.start);
    assert_eq!(v.title, "A: a bad release with slots");
    assert_eq!(v.rto, Duration::minutes(15));
    assert_eq!(v.fault_at, s.start + Duration::seconds(70));
    assert_eq!(v.narrative.len(), 2);
    assert_eq!(v.narrative[0].at, s.start + Duration::seconds(150));
    assert_eq!(v.narrative[1].from, "customer support");
    assert_eq!(v.hints[0].look, "deployments");
    assert_eq!(of(&s), Some(v));
}

fn text(app: &AppState, (w, h): (u16, u16)) -> String {
    let mut app = app.clone();
    app.update(Msg::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("a test backend");
    term.draw(|f| layout::render(f, &app)).expect("drawn");
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The console on the demo path at `secs` virtual seconds into `scenario`.
async fn console_at(scenario: Scenario, secs: i64) -> AppState {
    let demo = start_demo_with(Estate::demo(), scenario, DemoClock::FrozenAt(0.0))
        .await
        .expect("the demo starts");
    let start = demo.scenario.start;
    let opts = ConsoleOptions {
        walkthrough: of(&demo.scenario),
        ..ConsoleOptions::default()
    };
    let mut app = AppState::new(&opts, start);
    let at = start + Duration::seconds(secs);
    demo.sim.clock().set(at);
    demo.observer.refresh(&SourceKind::ALL).await;
    app.update(Msg::Snapshot(Arc::new(demo.observer.snapshot())));
    app.update(Msg::Tick(at));
    demo.sim.shutdown().await.expect("the simulator stops");
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_of_a_drill_shows_what_is_heard_once_its_time_has_come() {
    let before = text(&console_at(drill_scenario(), 140).await, (160, 48));
    assert!(
        before.contains("Drill: A: a bad release with slots"),
        "{before}"
    );
    assert!(before.contains("RTO 15m · fault +1:10"), "{before}");
    assert!(before.contains("nothing heard yet"), "{before}");
    assert!(!before.contains("Paged"), "{before}");

    let after = text(&console_at(drill_scenario(), 160).await, (160, 48));
    assert!(after.contains("RTO 15m · fault +1:30"), "{after}");
    assert!(
        after.contains("09:02:30 on-call: Paged: the orders API"),
        "{after}"
    );
    assert!(!after.contains("Customers report"), "not yet: {after}");
    assert!(after.contains("h reveals a hint · 2 available"), "{after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_of_a_plain_scenario_has_no_walkthrough() {
    let plain = Scenario::builtin("bad-release").expect("built in");
    let screen = text(&console_at(plain, 160).await, (160, 48));
    assert!(!screen.contains("Drill:"), "{screen}");
    assert!(screen.contains("Timeline"), "{screen}");
}
