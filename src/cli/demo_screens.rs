//! Whole screens of the real demo at fixed virtual times: the simulator with the demo estate and
//! the `bad-release` scenario on a manual clock, the real observer reading it over loopback, and
//! the console fed the observer's snapshots on the live cadence (each source kind on its own
//! interval, a snapshot every 15 virtual seconds). The screens are drawn on a `TestBackend` at
//! 80×24 and 160×48 in the dark theme (text, reviewed by eye) and the colour-blind theme (text
//! and styles) before the fault (0:30), during it (3:00) and after the recovery (a swap back at
//! 3:30; 6:00). Telemetry is seeded and time is virtual, so every screen is the same on every run.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::wiring::{Demo, DemoClock, start_demo};
use crate::config::Estate;
use crate::observe::SourceKind;
use crate::tui::ConsoleOptions;
use crate::tui::app::AppState;
use crate::tui::layout;
use crate::tui::msg::{Command, Msg};

/// The cadence the console sees snapshots at, in virtual seconds.
const STEP: u64 = 15;
/// When the incident commander swaps the good release back (virtual seconds).
const SWAP_BACK: u64 = 210;
/// The moments the screens are checked at: before, during, after.
const MOMENTS: [(&str, u64); 3] = [("before", 30), ("during", 180), ("after", 360)];
const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

/// The source kinds due at `t` seconds: every kind whose interval divides `t`.
fn due(t: u64) -> Vec<SourceKind> {
    SourceKind::ALL
        .into_iter()
        .filter(|k| t.is_multiple_of(k.interval().num_seconds().unsigned_abs()))
        .collect()
}

/// Moves the demo's clock to `t` seconds after the scenario's start and refreshes what is due.
async fn step(demo: &Demo, start: chrono::DateTime<chrono::Utc>, t: u64) -> crate::model::Snapshot {
    let at = start + chrono::Duration::seconds(i64::try_from(t).expect("a few minutes"));
    demo.sim.clock().set(at);
    demo.observer.refresh(&due(t)).await;
    demo.observer.snapshot()
}

fn draw(app: &AppState, theme: &str, (w, h): (u16, u16)) -> Buffer {
    let mut app = app.clone();
    app.update(Msg::Command(Command::Theme(theme.to_owned())));
    app.update(Msg::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("a test backend");
    term.draw(|f| layout::render(f, &app)).expect("drawn");
    term.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let a = buf.area;
    (a.y..a.bottom())
        .map(|y| {
            (a.x..a.right())
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the demo story and returns the console's state at each moment.
async fn story() -> Vec<(&'static str, AppState)> {
    let demo = start_demo(Estate::demo(), "bad-release", DemoClock::FrozenAt(0.0))
        .await
        .expect("the demo starts");
    let start = demo.sim.clock().now();
    let mut app = AppState::new(&ConsoleOptions::default(), start);
    let mut out = Vec::new();
    for t in (0..=MOMENTS[2].1).step_by(usize::try_from(STEP).expect("small")) {
        if t == SWAP_BACK {
            demo.sim
                .clock()
                .set(start + chrono::Duration::seconds(SWAP_BACK.cast_signed()));
            demo.sim
                .with_world(|w| {
                    w.swap_slots(
                        "func-orders-prod-krc",
                        "staging",
                        "production",
                        "oncall@contoso.example",
                    )
                })
                .expect("the swap back");
        }
        let snap = step(&demo, start, t).await;
        let now = snap.taken_at;
        app.update(Msg::Snapshot(Arc::new(snap)));
        app.update(Msg::Tick(now));
        if let Some((name, _)) = MOMENTS.iter().find(|(_, m)| *m == t) {
            out.push((*name, app.clone()));
        }
    }
    demo.sim.shutdown().await.expect("the simulator stops");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_before_during_and_after_the_bad_release() {
    let moments = story().await;
    assert_eq!(moments.len(), 3);
    for (name, app) in &moments {
        for size in SIZES {
            let (w, h) = size;
            let dark = draw(app, "dark", size);
            let dark_text = text(&dark);
            insta::assert_snapshot!(format!("demo_{name}_{w}x{h}_dark"), dark_text);
            let cb = draw(app, "colorblind", size);
            assert_eq!(text(&cb), dark_text, "themes change styles only");
            insta::assert_debug_snapshot!(format!("demo_{name}_{w}x{h}_colorblind"), cb);
        }
    }
    // What the screens must say, beyond matching their reviewed snapshots.
    let wide = |i: usize| text(&draw(&moments[i].1, "dark", (160, 48)));
    let (before, during, after) = (wide(0), wide(1), wide(2));
    assert!(before.contains("✓ no incident"), "{before}");
    assert!(
        !before.contains('◆'),
        "no onset mark on a calm estate: {before}"
    );
    assert!(!before.contains("was unknown"), "{before}");
    assert!(during.contains("✗ INCIDENT"), "{during}");
    assert!(during.contains("✗ unhealthy orders-api"), "{during}");
    assert!(during.contains("◆ before onset"), "{during}");
    assert!(after.contains("✓ RECOVERED in"), "{after}");
    assert!(after.contains("swap by oncall@contoso.example"), "{after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_story_draws_the_same_screens_on_every_run() {
    let (a, b) = (story().await, story().await);
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        for size in SIZES {
            assert_eq!(
                text(&draw(x, "dark", size)),
                text(&draw(y, "dark", size)),
                "{name} {size:?}"
            );
        }
    }
}
