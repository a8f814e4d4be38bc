//! Whole screens and panes on a `TestBackend`: insta snapshots of the demo story at fixed moments
//! (before, during and after the bad release) at 80×24 and 160×48, exact buffers of small panes,
//! styles per theme, a sweep of sizes that must never panic, and the event loop end to end.

use std::sync::Arc;

use chrono::Duration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use tokio::sync::{mpsc, watch};

use crate::tui::ConsoleOptions;
use crate::tui::app::AppState;
use crate::tui::fixtures::{self, AFTER, BAD, CALM};
use crate::tui::msg::{Command, Msg};
use crate::tui::{event_loop, layout, panes};

fn draw(app: &AppState, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    term.draw(|f| layout::render(f, app)).expect("drawn");
    term
}

fn screen(t: i64, w: u16, h: u16, theme: &str) -> Terminal<TestBackend> {
    let mut app = fixtures::console_at(t, (w, h), &ConsoleOptions::default());
    app.update(Msg::Command(Command::Theme(theme.to_owned())));
    draw(&app, w, h)
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

#[test]
fn whole_screens_of_the_story_at_80x24_and_160x48() {
    for (name, t) in [("calm", CALM), ("bad_release", BAD), ("recovered", AFTER)] {
        for (w, h) in [(80, 24), (160, 48)] {
            let dark = screen(t, w, h, "dark");
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), dark.backend());
            // Themes change styles only: the colour-blind screen has the same text.
            let cb = screen(t, w, h, "colorblind");
            assert_eq!(
                text(cb.backend().buffer()),
                text(dark.backend().buffer()),
                "{name} {w}x{h}"
            );
        }
    }
}

#[test]
fn detail_presenter_and_help_at_120x40() {
    for (name, cmd) in [
        ("detail", Command::App("func-orders-prod-krc".into())),
        ("presenter", Command::Presenter),
        ("help", Command::Help),
    ] {
        let mut app = fixtures::console_at(BAD, (120, 40), &ConsoleOptions::default());
        app.update(Msg::Command(cmd));
        insta::assert_snapshot!(format!("{name}_120x40"), draw(&app, 120, 40).backend());
    }
}

#[test]
fn help_taller_than_the_terminal_scrolls_to_its_last_line() {
    let mut app = fixtures::console_at(BAD, (80, 24), &ConsoleOptions::default());
    app.update(Msg::Command(Command::Help));
    let top = text(draw(&app, 80, 24).backend().buffer());
    assert!(top.contains("Help · ↑↓ scroll · Esc closes"), "{top}");
    assert!(!top.contains("leave the console"), "{top}");
    for _ in 0..40 {
        app.update(Msg::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)));
    }
    let bottom = text(draw(&app, 80, 24).backend().buffer());
    assert!(bottom.contains("leave the console"), "{bottom}");
    assert!(bottom.contains("? unknown"), "{bottom}");
}

#[test]
fn the_header_has_the_same_words_in_every_theme_and_its_styles_per_theme() {
    for theme in ["dark", "light", "high-contrast", "colorblind"] {
        let mut app = fixtures::console_at(BAD, (80, 24), &ConsoleOptions::default());
        app.update(Msg::Command(Command::Theme(theme.to_owned())));
        let mut term = Terminal::new(TestBackend::new(80, 2)).expect("test backend");
        term.draw(|f| panes::header::render(f, f.area(), &app))
            .expect("drawn");
        let buf = term.backend().buffer();
        assert_eq!(
            buf.clone(),
            styled_like(
                buf,
                [
                    " Orders platform (prod)  SIMULATED   READ-ONLY             data 0s 03:04:30 UTC ",
                    " ✗ INCIDENT 4:20  │  RTO 25:40 left  │  RPO ≈1:58/5m · 3 pending                ",
                ]
            ),
            "{theme}"
        );
        insta::assert_debug_snapshot!(format!("header_styles_{theme}"), buf);
    }
}

/// `lines` as a buffer with `like`'s styles, so a comparison checks the text only.
fn styled_like<const N: usize>(like: &Buffer, lines: [&str; N]) -> Buffer {
    let mut b = Buffer::with_lines(lines);
    for (cell, src) in b.content.iter_mut().zip(&like.content) {
        cell.set_style(src.style());
    }
    b
}

#[test]
fn no_color_draws_without_colour_but_keeps_the_words() {
    let opts = ConsoleOptions {
        no_color: true,
        ..ConsoleOptions::default()
    };
    let app = fixtures::console_at(BAD, (80, 24), &opts);
    let term = draw(&app, 80, 24);
    let buf = term.backend().buffer();
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
    let plain = screen(BAD, 80, 24, "dark");
    assert_eq!(text(buf), text(plain.backend().buffer()));
}

#[test]
fn stale_data_is_marked_in_pane_titles_and_the_header() {
    let mut app = fixtures::console_at(CALM, (160, 48), &ConsoleOptions::default());
    app.update(Msg::Tick(fixtures::at(CALM) + Duration::minutes(3)));
    let s = text(draw(&app, 160, 48).backend().buffer());
    assert!(s.contains("data STALE 3m"), "{s}");
    assert!(s.contains("STALE 3m ┓") || s.contains("STALE 3m ┐"), "{s}");
}

#[test]
fn a_failing_source_shows_its_error_and_keeps_the_last_good_value() {
    let s = text(screen(BAD, 160, 48, "dark").backend().buffer());
    assert!(
        s.contains("⚠ FAILING func-telemetry-prod-jpe Resource Health · last good 5m ago: 429"),
        "{s}"
    );
    assert!(s.contains("RH ✓ Available ⚠ old 5m"), "{s}");
}

#[test]
fn the_deployment_before_the_onset_is_marked() {
    let s = text(screen(BAD, 160, 48, "dark").backend().buffer());
    let line = s
        .lines()
        .find(|l| l.contains("◆ before onset"))
        .expect("a marked change");
    assert!(
        line.contains("⇄ swap") && line.contains("orders-api krc") && line.contains("02:59"),
        "{line}"
    );
}

#[test]
fn a_calm_estate_marks_no_deployment_even_with_a_noisy_minute() {
    let mut noisy = fixtures::calm();
    let jpe = noisy
        .apps
        .iter_mut()
        .find(|a| a.name == "func-orders-prod-krc")
        .expect("the app");
    let last = jpe
        .metrics
        .value
        .as_mut()
        .and_then(|m| m.last_mut())
        .expect("metrics");
    last.failures = last.requests * 0.2;
    let mut app = AppState::new(&ConsoleOptions::default(), fixtures::at(CALM));
    app.update(Msg::Snapshot(Arc::new(noisy)));
    let s = text(draw(&app, 160, 48).backend().buffer());
    assert!(s.contains("Deployments"), "{s}");
    assert!(!s.contains('◆'), "{s}");
}

#[test]
fn at_80x24_focusing_deployments_shows_them_with_the_onset_mark() {
    let mut app = fixtures::console_at(BAD, (80, 24), &ConsoleOptions::default());
    app.update(Msg::Command(Command::Focus(
        crate::tui::msg::PaneId::Deployments,
    )));
    let s = text(draw(&app, 80, 24).backend().buffer());
    let line = s
        .lines()
        .find(|l| l.contains("◆"))
        .expect("a marked change");
    assert!(
        line.contains("02:58 ⇄ orders-api krc") && line.contains("◆ before onset"),
        "{line}"
    );
}

/// The queues pane alone, `w` columns wide, of a snapshot changed by `edit`.
fn queues_pane(w: u16, edit: impl FnOnce(&mut crate::model::Snapshot)) -> String {
    let mut snap = fixtures::bad_release();
    edit(&mut snap);
    let mut app = AppState::new(&ConsoleOptions::default(), fixtures::at(BAD));
    app.update(Msg::Snapshot(Arc::new(snap)));
    let mut term = Terminal::new(TestBackend::new(w, 8)).expect("test backend");
    term.draw(|f| panes::queues::render(f, f.area(), &app))
        .expect("drawn");
    text(term.backend().buffer())
}

#[test]
fn queue_rows_say_what_is_not_known_and_keep_their_regions_when_narrow() {
    let s = queues_pane(40, |_| {});
    let rows: Vec<&str> = s.lines().filter(|l| l.contains("orders-")).collect();
    assert_eq!(rows.len(), 2, "{s}");
    assert!(
        rows[0].contains(" krc ") && rows[1].contains(" jpe "),
        "{s}"
    );

    // Messages waiting and no age for the oldest: not "0 %" of the RPO.
    let s = queues_pane(100, |snap| {
        let q = snap
            .queues
            .iter_mut()
            .find(|q| q.name == "payments")
            .expect("the queue");
        q.depth.value = Some(6);
        q.oldest.value = Some(None);
    });
    let row = s.lines().find(|l| l.contains("payments")).expect("a row");
    assert!(row.contains("age unknown") && !row.contains('%'), "{row}");
    let s = queues_pane(40, |snap| {
        let q = snap
            .queues
            .iter_mut()
            .find(|q| q.name == "payments")
            .expect("the queue");
        q.oldest.value = Some(None);
    });
    let row = s.lines().find(|l| l.contains("payments")).expect("a row");
    assert!(row.contains("age ?") && !row.contains('%'), "{row}");

    // Never read, and not failing: what it is, not a stale "no data".
    let s = queues_pane(100, |snap| {
        let q = snap
            .queues
            .iter_mut()
            .find(|q| q.name == "telemetry")
            .expect("the queue");
        q.kind = "event-hubs".to_owned();
        q.depth = crate::model::Observed::missing("lag", chrono::Duration::seconds(30));
        q.oldest = crate::model::Observed::missing("peek", chrono::Duration::seconds(30));
    });
    let row = s.lines().find(|l| l.contains("telemetry")).expect("a row");
    assert!(row.contains("consumer lag not exposed by ARM"), "{row}");
    assert!(!row.contains("old"), "{row}");
    assert!(
        !s.lines().next().unwrap_or_default().contains("no data"),
        "{s}"
    );
}

#[test]
fn the_runbook_draws_boxes_at_160x48_and_the_path_at_80x24() {
    let wide = text(screen(BAD, 160, 48, "dark").backend().buffer());
    assert!(wide.contains("┃▶ Slot swap      ┃"), "{wide}");
    assert!(wide.contains("┌─yes───"), "{wide}");
    let small = text(screen(BAD, 80, 24, "dark").backend().buffer());
    assert!(small.contains("▶ Rollback via slot swap"), "{small}");
    assert!(!small.contains("╔"), "no boxes at 80×24");
}

#[test]
fn below_80x24_the_screen_says_so_and_no_size_panics() {
    let views = [
        None,
        Some(Command::App("func-orders-prod-krc".into())),
        Some(Command::Presenter),
        Some(Command::Help),
        Some(Command::CommandLine),
    ];
    let sizes = [
        (1, 1),
        (2, 1),
        (1, 2),
        (10, 5),
        (40, 12),
        (79, 23),
        (79, 24),
        (80, 23),
        (80, 24),
        (81, 25),
        (100, 30),
        (119, 31),
        (120, 32),
        (159, 41),
        (160, 42),
        (160, 48),
        (200, 60),
        (300, 80),
    ];
    for t in [CALM, BAD, AFTER] {
        for view in &views {
            for (w, h) in sizes {
                let mut app = fixtures::console_at(t, (w, h), &ConsoleOptions::default());
                if let Some(cmd) = view {
                    app.update(Msg::Command(cmd.clone()));
                }
                let s = text(draw(&app, w, h).backend().buffer());
                if w < 80 || h < 24 {
                    assert!(w < 18 || s.contains("too small"), "{w}x{h}: {s}");
                }
            }
        }
    }
}

#[test]
fn the_detail_view_shows_drift_names_and_never_a_value_or_digest() {
    let mut app = fixtures::console_at(BAD, (160, 48), &ConsoleOptions::default());
    app.update(Msg::Command(Command::App("func-orders-prod-krc".into())));
    let s = text(draw(&app, 160, 48).backend().buffer());
    assert!(
        s.contains("missing there (1): Orders__FeatureNewPricing"),
        "{s}"
    );
    assert!(
        s.contains("differ (1): function/CreateOrder/default"),
        "{s}"
    );
    assert!(
        s.contains("TM primary-endpoint ◐ degraded (enabled · monitor Degraded p1)"),
        "{s}"
    );
    let snap = app.snapshot().expect("data");
    let orders = snap
        .apps
        .iter()
        .find(|a| a.name == "func-orders-prod-krc")
        .expect("app");
    let digests = orders
        .settings
        .get()
        .into_iter()
        .chain(orders.keys.get())
        .flat_map(|m| m.values());
    for d in digests {
        assert!(!s.contains(d.short()), "a digest reached the screen");
    }
    for value in ["InstrumentationKey", "fixture-host", "https://pricing"] {
        assert!(
            !s.contains(value),
            "a setting value reached the screen: {value}"
        );
    }
}

#[test]
fn an_empty_console_draws_at_every_size() {
    let app = AppState::new(&ConsoleOptions::default(), fixtures::at(0));
    for (w, h) in [(80, 24), (160, 48), (300, 80)] {
        let s = text(draw(&app, w, h).backend().buffer());
        assert!(s.contains("waiting for the first snapshot"), "{s}");
    }
}

#[test]
fn a_compact_runbook_pane_lists_the_path_with_evidence() {
    let app = fixtures::console_at(BAD, (80, 24), &ConsoleOptions::default());
    let mut term = Terminal::new(TestBackend::new(44, 11)).expect("test backend");
    term.draw(|f| panes::flowchart::render(f, Rect::new(0, 0, 44, 11), &app))
        .expect("drawn");
    insta::assert_snapshot!("runbook_compact_44x11", term.backend());
}

#[test]
fn the_runbook_pane_draws_any_flowchart_given_as_data() {
    use crate::tui::flowchart::{EdgeLabel, Flowchart, NodeKind, NodeState, NodeStates};
    let mut app = fixtures::console_at(BAD, (80, 24), &ConsoleOptions::default());
    app.data.flowchart = Flowchart::from_table(
        &[
            ("page", NodeKind::Terminal, "Paged", "Paged"),
            ("dns", NodeKind::Decision, "DNS resolves?", "DNS?"),
            ("flush", NodeKind::Process, "Flush resolver caches", "Flush"),
            ("call", NodeKind::Terminal, "Call the vendor", "Call"),
        ],
        &[
            ("page", "dns", None),
            ("dns", "call", Some(EdgeLabel::Yes)),
            ("dns", "flush", Some(EdgeLabel::No)),
            ("flush", "dns", None),
        ],
    );
    let mut states = NodeStates::default();
    states.set("page", NodeState::Done, None);
    states.set(
        "dns",
        NodeState::No,
        Some("NXDOMAIN from 2 of 3 resolvers".to_owned()),
    );
    states.set("flush", NodeState::Recommended, None);
    app.data.flow = states;
    let mut term = Terminal::new(TestBackend::new(60, 16)).expect("test backend");
    term.draw(|f| panes::flowchart::render(f, Rect::new(0, 0, 60, 16), &app))
        .expect("drawn");
    insta::assert_snapshot!("runbook_other_chart_60x16", term.backend());
    let s = text(term.backend().buffer());
    assert!(
        s.contains("✗ DNS resolves?") && s.contains("▶ Flush resolver caches"),
        "{s}"
    );
    assert!(
        s.contains("◀"),
        "the edge back up to the decision is drawn: {s}"
    );
}

#[tokio::test]
async fn the_event_loop_draws_takes_snapshots_and_quits_on_q() {
    let (snap_tx, mut snap_rx) = watch::channel(Arc::new(fixtures::calm()));
    let (in_tx, in_rx) = mpsc::channel(16);
    let mut term = Terminal::new(TestBackend::new(100, 30)).expect("test backend");
    let mut app = AppState::new(&ConsoleOptions::default(), fixtures::at(0));
    snap_tx.send_replace(Arc::new(fixtures::first_failure()));
    drop(snap_tx);
    let key = |c| {
        Ok(Msg::Key(ratatui::crossterm::event::KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Char(c),
            ratatui::crossterm::event::KeyModifiers::NONE,
        )))
    };
    in_tx.send(key('p')).await.expect("queued");
    in_tx.send(key('q')).await.expect("queued");
    let now = || fixtures::at(fixtures::DETECTED + 20);
    event_loop(&mut term, &mut app, &mut snap_rx, in_rx, &mut None, &now)
        .await
        .expect("a clean quit");
    assert!(
        app.data.incident.is_some(),
        "the snapshot sent before start was read"
    );
    assert_eq!(app.ui.view, crate::tui::app::View::Presenter);
    let s = text(term.backend().buffer());
    assert!(s.contains("Orders platform (prod)"), "{s}");
}

#[tokio::test]
async fn the_event_loop_reports_a_terminal_input_error() {
    let (_snap_tx, mut snap_rx) = watch::channel(Arc::new(fixtures::calm()));
    let (in_tx, in_rx) = mpsc::channel(4);
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    let mut app = AppState::new(&ConsoleOptions::default(), fixtures::at(0));
    in_tx
        .send(Err(std::io::Error::other("tty gone")))
        .await
        .expect("queued");
    let now = || fixtures::at(CALM);
    let err = event_loop(&mut term, &mut app, &mut snap_rx, in_rx, &mut None, &now)
        .await
        .expect_err("the error comes back");
    assert!(format!("{err:#}").contains("tty gone"), "{err:#}");
}

#[test]
fn the_regions_pane_shows_p95_where_log_analytics_reports_one() {
    let mut app = fixtures::console_at(BAD, (160, 48), &ConsoleOptions::default());
    let mut snap = fixtures::snapshot_at(BAD);
    let orders = snap
        .apps
        .iter_mut()
        .find(|a| a.name == "func-orders-prod-krc")
        .expect("orders");
    if let Some(p) = orders.metrics.value.as_mut().and_then(|v| v.last_mut()) {
        p.p95_ms = Some(1412.0);
    }
    app.update(Msg::Snapshot(Arc::new(snap)));
    app.update(Msg::Tick(fixtures::at(BAD)));
    let screen = text(draw(&app, 160, 48).backend().buffer());
    let row = |service: &str, nth: usize| {
        screen
            .lines()
            .filter(|l| l.contains(service) && l.contains('%'))
            .nth(nth)
            .unwrap_or_else(|| panic!("no {service} row in\n{screen}"))
            .to_owned()
    };
    // Orders in the primary region has a p95: it replaces the average, with its name.
    assert!(row("orders-api", 0).contains("p95   1.4s TM"), "{screen}");
    // Its counterpart has none: the average stays, said to be one.
    assert!(row("orders-api", 1).contains("ms avg TM"), "{screen}");
}
