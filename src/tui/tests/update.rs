//! `AppState::update`: keys and messages in, state and intents out. No terminal, no sleeps; the
//! clock only moves through `Msg::Tick`.

use std::sync::Arc;

use chrono::Duration;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::ConsoleOptions;
use crate::tui::app::{AppState, Modal, View};
use crate::tui::fixtures::{self, BAD, CALM};
use crate::tui::msg::{Command, Intent, Msg, PaneId};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn console() -> AppState {
    fixtures::console_at(BAD, (160, 48), &ConsoleOptions::default())
}

fn typed(app: &mut AppState, text: &str) {
    for c in text.chars() {
        app.update(key(c));
    }
}

#[test]
fn q_and_ctrl_c_ask_to_quit() {
    let mut app = console();
    assert_eq!(app.update(key('q')), Some(Intent::Quit));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(app.update(Msg::Key(ctrl_c)), Some(Intent::Quit));
}

#[test]
fn the_first_snapshot_selects_the_first_app_and_the_clock_only_moves_on_ticks() {
    let mut app = AppState::new(&ConsoleOptions::default(), fixtures::at(0));
    assert_eq!(app.ui.selected_app, None);
    app.update(Msg::Snapshot(Arc::new(fixtures::calm())));
    assert_eq!(app.ui.selected_app.as_deref(), Some("func-orders-prod-krc"));
    assert_eq!(app.data.now, fixtures::at(0));
    app.update(Msg::Tick(fixtures::at(CALM + 7)));
    assert_eq!(app.data.now, fixtures::at(CALM + 7));
}

#[test]
fn tab_and_digits_move_the_focus_and_choose_the_lower_pane() {
    let mut app = console();
    assert_eq!(app.ui.focus, PaneId::Regions);
    app.update(code(KeyCode::Tab));
    assert_eq!(app.ui.focus, PaneId::Queues);
    app.update(code(KeyCode::BackTab));
    app.update(code(KeyCode::BackTab));
    assert_eq!(app.ui.focus, PaneId::Flowchart);
    app.update(key('4'));
    assert_eq!(
        (app.ui.focus, app.ui.lower),
        (PaneId::Deployments, PaneId::Deployments)
    );
    app.update(key('1'));
    assert_eq!(
        app.ui.lower,
        PaneId::Deployments,
        "the runbook is not a lower pane"
    );
}

#[test]
fn arrows_select_apps_in_screen_order_and_stop_at_the_ends() {
    let mut app = console();
    app.update(code(KeyCode::Up));
    assert_eq!(app.ui.selected_app.as_deref(), Some("func-orders-prod-krc"));
    app.update(key('j'));
    assert_eq!(
        app.ui.selected_app.as_deref(),
        Some("func-catalog-prod-krc")
    );
    app.update(key('G'));
    assert_eq!(
        app.ui.selected_app.as_deref(),
        Some("func-reconcile-prod-jpe")
    );
    app.update(code(KeyCode::Down));
    assert_eq!(
        app.ui.selected_app.as_deref(),
        Some("func-reconcile-prod-jpe")
    );
}

#[test]
fn enter_opens_the_selected_app_only_from_the_regions_pane_and_esc_comes_back() {
    let mut app = console();
    app.update(key('3'));
    app.update(code(KeyCode::Enter));
    assert_eq!(app.ui.view, View::Main);
    app.update(key('2'));
    app.update(key('j'));
    app.update(code(KeyCode::Enter));
    assert_eq!(app.ui.view, View::Detail("func-catalog-prod-krc".into()));
    app.update(code(KeyCode::Esc));
    assert_eq!(app.ui.view, View::Main);
}

#[test]
fn scrolling_a_pane_stops_at_its_last_line() {
    let mut app = console();
    app.update(key('5'));
    for _ in 0..3 {
        app.update(code(KeyCode::PageDown));
    }
    let last = app.data.timeline.len() as u16 - 1;
    assert_eq!(app.scroll(PaneId::Timeline), last);
    app.update(key('k'));
    assert_eq!(app.scroll(PaneId::Timeline), last - 1);
    app.update(key('g'));
    assert_eq!(app.scroll(PaneId::Timeline), 0);
}

#[test]
fn a_modal_gets_keys_first() {
    let mut app = console();
    app.update(key('?'));
    assert_eq!(app.modal, Some(Modal::Help));
    // `q` closes the help instead of quitting; Tab does nothing behind it.
    assert_eq!(app.update(code(KeyCode::Tab)), None);
    assert_eq!(app.ui.focus, PaneId::Regions);
    assert_eq!(app.update(key('q')), None);
    assert_eq!(app.modal, None);
    assert!(!app.changes_on(&key('x')), "an unbound key changes nothing");
    app.update(key('?'));
    assert!(
        app.changes_on(&key('x')),
        "an open modal may change on any key"
    );
}

#[test]
fn the_command_line_reaches_views_by_name() {
    let mut app = console();
    app.update(key(':'));
    typed(&mut app, "app catalog-prod-jpe");
    app.update(code(KeyCode::Enter));
    assert_eq!(app.modal, None);
    assert_eq!(app.ui.view, View::Detail("func-catalog-prod-jpe".into()));
    app.update(key(':'));
    typed(&mut app, "presenter");
    app.update(code(KeyCode::Enter));
    assert_eq!(app.ui.view, View::Presenter);
    app.update(key(':'));
    typed(&mut app, "main");
    app.update(code(KeyCode::Enter));
    assert_eq!(app.ui.view, View::Main);
    app.update(key(':'));
    typed(&mut app, "quit");
    assert_eq!(app.update(code(KeyCode::Enter)), Some(Intent::Quit));
}

#[test]
fn the_command_line_completes_and_reports_errors_in_the_footer() {
    let mut app = console();
    app.update(key(':'));
    typed(&mut app, "app func-orders");
    app.update(code(KeyCode::Tab));
    let Some(Modal::Command(line)) = &app.modal else {
        panic!("the command line is open");
    };
    assert_eq!(line.input, "app func-orders-prod-");
    assert_eq!(line.candidates.len(), 2);
    app.update(code(KeyCode::Esc));
    assert_eq!(app.modal, None);
    app.update(key(':'));
    typed(&mut app, "frobnicate");
    app.update(code(KeyCode::Enter));
    assert!(
        app.ui
            .flash
            .as_deref()
            .is_some_and(|f| f.contains("frobnicate"))
    );
    app.update(key(':'));
    app.update(code(KeyCode::Backspace));
    assert_eq!(app.modal, None, "backspace on an empty line closes it");
}

#[test]
fn t_cycles_themes_and_theme_selects_by_name() {
    let mut app = console();
    assert_eq!(app.theme().name, "dark");
    app.update(key('t'));
    assert_eq!(app.theme().name, "light");
    assert_eq!(app.ui.flash.as_deref(), Some("theme: light"));
    app.update(Msg::Command(Command::Theme("colorblind".into())));
    assert_eq!(app.theme().name, "colorblind");
    app.update(Msg::Command(Command::Theme("nope".into())));
    assert_eq!(app.theme().name, "colorblind");
    assert!(
        app.ui
            .flash
            .as_deref()
            .is_some_and(|f| f.contains("no theme `nope`"))
    );
}

#[test]
fn p_toggles_presenter_mode() {
    let mut app = console();
    app.update(key('p'));
    assert_eq!(app.ui.view, View::Presenter);
    app.update(key('p'));
    assert_eq!(app.ui.view, View::Main);
}

#[test]
fn a_broken_user_theme_opens_a_notice_and_falls_back_to_its_parent() {
    let dir = std::env::temp_dir().join(format!("warroom-theme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("mine.toml");
    std::fs::write(&path, "parent = \"light\"\n[roles]\nokk = \"blue\"\n").expect("written");
    let opts = ConsoleOptions {
        theme_file: Some(path.clone()),
        ..ConsoleOptions::default()
    };
    let mut app = AppState::new(&opts, fixtures::at(0));
    let _ = std::fs::remove_dir_all(&dir);
    let Some(Modal::Notice { body, .. }) = &app.modal else {
        panic!("a notice is open");
    };
    assert!(
        body.contains("mine.toml") && body.contains("roles.okk"),
        "{body}"
    );
    assert_eq!(app.theme().name, "light");
    app.update(code(KeyCode::Enter));
    assert_eq!(app.modal, None);
}

#[test]
fn snapshots_feed_the_incident_timeline_and_runbook() {
    let mut app = AppState::new(&ConsoleOptions::default(), fixtures::at(0));
    app.update(Msg::Snapshot(Arc::new(fixtures::calm())));
    assert!(app.data.incident.is_none());
    let before = app.data.timeline.len();
    app.update(Msg::Snapshot(Arc::new(fixtures::first_failure())));
    let inc = app.data.incident.clone().expect("detected");
    assert_eq!(inc.detected_at, fixtures::at(fixtures::DETECTED));
    assert!(app.data.timeline.len() > before);
    assert_eq!(
        app.data.flow.state("swap"),
        crate::tui::flowchart::NodeState::Recommended
    );
    app.update(Msg::Tick(
        fixtures::at(fixtures::DETECTED) + Duration::minutes(3),
    ));
    assert_eq!(inc.elapsed(app.data.now), Duration::minutes(3));
}
