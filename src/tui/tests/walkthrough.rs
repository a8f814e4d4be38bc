//! The walkthrough pane of a drill: screens before and after a narrative line's time, with a hint
//! revealed (the pane it names marked in words), at 80×24; and the keys: `h` journals the hint
//! as a note, `n` opens the command line with `note ` typed.

use chrono::Duration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::ConsoleOptions;
use crate::tui::actions::ActionRequest;
use crate::tui::app::{AppState, Modal};
use crate::tui::fixtures::{self, BAD, THIRD_LINE};
use crate::tui::layout;
use crate::tui::msg::{Intent, Msg, PaneId};
use crate::tui::walkthrough::{LOOK_HERE, Look};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn opts(read_only: bool) -> ConsoleOptions {
    ConsoleOptions {
        read_only,
        walkthrough: Some(fixtures::walkthrough()),
        ..ConsoleOptions::default()
    }
}

fn drill_at(t: i64, size: (u16, u16)) -> AppState {
    fixtures::console_at(t, size, &opts(false))
}

fn screen(app: &AppState) -> String {
    let (w, h) = app.ui.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    term.draw(|f| layout::render(f, app)).expect("drawn");
    let buf = term.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_pane_before_and_after_a_narrative_lines_time() {
    let before = screen(&drill_at(THIRD_LINE - 1, (160, 48)));
    insta::assert_snapshot!("walkthrough_before_third_line_160x48", before);
    assert!(
        before.contains("Drill: A: a bad release with slots"),
        "{before}"
    );
    assert!(before.contains("RTO 15m · fault +6:59"), "{before}");
    assert!(before.contains("03:00:30 on-call: Paged"), "{before}");
    assert!(
        before.contains("03:02:00 customer support: Customers"),
        "{before}"
    );
    assert!(!before.contains("What is the ETA"), "{before}");
    assert!(
        before.contains("h reveals a hint · 3 available"),
        "{before}"
    );

    let after = screen(&drill_at(THIRD_LINE, (160, 48)));
    insta::assert_snapshot!("walkthrough_after_third_line_160x48", after);
    assert!(after.contains("RTO 15m · fault +7:00"), "{after}");
    let said = |s: &str| after.find(s).unwrap_or_else(|| panic!("{s}: {after}"));
    assert!(
        said("03:02:00 customer support") < said("03:05:00 head of engineering: What is the ETA"),
        "newest at the bottom"
    );
}

#[test]
fn before_the_fault_the_title_says_so_and_nothing_is_heard() {
    let app = drill_at(fixtures::CALM, (160, 48));
    let s = screen(&app);
    assert!(s.contains("RTO 15m · no fault yet"), "{s}");
    assert!(s.contains("nothing heard yet"), "{s}");
}

#[test]
fn a_revealed_hint_marks_the_pane_it_names_in_words() {
    let mut app = drill_at(BAD, (160, 48));
    assert!(!screen(&app).contains(LOOK_HERE));
    app.update(key('h'));
    let s = screen(&app);
    insta::assert_snapshot!("walkthrough_hint_1_160x48", s);
    assert!(s.contains(&format!("Deployments ─ {LOOK_HERE}")), "{s}");
    assert_eq!(s.matches(LOOK_HERE).count(), 1, "{s}");
    assert!(
        s.contains("hint 1 of 3 · look at deployments (key 4)"),
        "{s}"
    );
    assert!(
        s.contains("The failures began a minute after a change"),
        "{s}"
    );

    app.update(key('h'));
    let s = screen(&app);
    assert!(s.contains(&format!("Regions ━ {LOOK_HERE}")), "{s}");
    assert!(!s.contains(&format!("Deployments ─ {LOOK_HERE}")), "{s}");
    assert!(s.contains("hint 2 of 3"), "{s}");
    assert_eq!(
        app.walk
            .as_ref()
            .and_then(crate::tui::walkthrough::Walkthrough::look),
        Some(Look::Pane(PaneId::Regions))
    );
}

#[test]
fn at_80x24_the_walkthrough_stays_readable() {
    let mut app = drill_at(THIRD_LINE, (80, 24));
    app.update(key('h'));
    let s = screen(&app);
    insta::assert_snapshot!("walkthrough_hint_1_80x24", s);
    assert!(s.contains("Drill: A: a"), "{s}");
    assert!(s.contains("fault +7:00"), "{s}");
    assert!(s.contains("03:05 head of engineering:"), "{s}");
    assert!(s.contains("hint 1 of 3"), "{s}");
    // The hint names the deployments, which the compact layout shows once focused.
    app.update(key('4'));
    let s = screen(&app);
    assert!(s.contains(&format!("Deployments ━ {LOOK_HERE}")), "{s}");
    assert!(!s.contains("Drill:"), "{s}");
    app.update(key('1'));
    assert!(screen(&app).contains("Drill:"));
}

#[test]
fn at_120x32_the_walkthrough_takes_the_timelines_place_until_it_is_focused() {
    let mut app = drill_at(THIRD_LINE, (120, 32));
    app.update(key('h'));
    let s = screen(&app);
    insta::assert_snapshot!("walkthrough_hint_1_120x32", s);
    assert!(
        s.contains("03:05:00 head of engineering: What is the ETA?"),
        "{s}"
    );
    assert!(
        s.contains("hint 1 of 3 · look at deployments (key 4) · h next"),
        "{s}"
    );
    assert!(s.contains(&format!("Deployments ─ {LOOK_HERE}")), "{s}");
    assert!(!s.contains("Timeline"), "{s}");
    app.update(key('5'));
    let s = screen(&app);
    assert!(s.contains("Timeline"), "{s}");
    assert!(!s.contains("Drill:"), "{s}");
}

#[test]
fn a_hint_about_gates_marks_the_plan_dialog() {
    use crate::tui::actions::{ActionEvent, ConfirmNeed, PlanView};
    let mut app = drill_at(BAD, (160, 48));
    for _ in 0..3 {
        app.update(key('h'));
    }
    assert_eq!(
        app.walk
            .as_ref()
            .and_then(crate::tui::walkthrough::Walkthrough::look),
        Some(Look::Gates)
    );
    assert!(
        !screen(&app).contains(LOOK_HERE),
        "no pane of the main view is named"
    );
    app.update(Msg::Action(ActionEvent::Plan(Box::new(PlanView {
        id: "p1".into(),
        action: crate::decide::ProposedAction::new(
            crate::decide::ActionKind::SwapBack,
            "func-orders-prod-krc",
        ),
        title: "swap-back func-orders-prod-krc".into(),
        risk: "MEDIUM".into(),
        lines: vec!["gate: staging healthy ✓".into()],
        confirm: ConfirmNeed::Y,
        overrides: Vec::new(),
        undo: None,
    }))));
    let s = screen(&app);
    assert!(s.contains(&format!("Esc cancels ━ {LOOK_HERE}")), "{s}");
}

#[test]
fn the_hint_key_journals_each_hint_as_a_note_then_stops() {
    let mut app = drill_at(BAD, (160, 48));
    let hints = fixtures::walkthrough().hints;
    for (i, h) in hints.iter().enumerate() {
        assert_eq!(
            app.update(key('h')),
            Some(Intent::Action(ActionRequest::Note(format!(
                "hint revealed: {}",
                h.text
            )))),
        );
        assert_eq!(
            app.ui.flash.as_deref(),
            Some(format!("hint {} of {}", i + 1, hints.len()).as_str())
        );
    }
    assert_eq!(app.update(key('h')), None);
    assert!(
        app.ui
            .flash
            .as_deref()
            .is_some_and(|f| f.contains("no more hints"))
    );
}

#[test]
fn without_a_journal_or_a_drill_the_hint_key_sends_nothing_and_says_why() {
    let mut ro = fixtures::console_at(BAD, (160, 48), &opts(true));
    assert_eq!(ro.update(key('h')), None);
    assert_eq!(ro.walk.as_ref().map(|w| w.revealed), Some(1));
    assert!(
        ro.ui
            .flash
            .as_deref()
            .is_some_and(|f| f.contains("not journaled"))
    );

    let mut plain = fixtures::console_at(BAD, (160, 48), &ConsoleOptions::default());
    assert_eq!(plain.update(key('h')), None);
    assert!(
        plain
            .ui
            .flash
            .as_deref()
            .is_some_and(|f| f.contains("drill"))
    );
    assert!(!screen(&plain).contains("Drill:"));
}

#[test]
fn n_opens_the_command_line_with_note_typed_and_enter_journals_it() {
    let mut app = drill_at(BAD, (160, 48));
    app.update(key('n'));
    assert!(matches!(&app.modal, Some(Modal::Command(l)) if l.input == "note "));
    assert!(screen(&app).contains(":note █"));
    for c in "paged the platform lead".chars() {
        app.update(key(c));
    }
    let enter = Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert_eq!(
        app.update(enter),
        Some(Intent::Action(ActionRequest::Note(
            "paged the platform lead".into()
        )))
    );

    let mut ro = fixtures::console_at(BAD, (160, 48), &opts(true));
    ro.update(key('n'));
    assert!(ro.modal.is_none());
    assert!(
        ro.ui
            .flash
            .as_deref()
            .is_some_and(|f| f.contains("read-only"))
    );
}

#[test]
fn the_time_since_the_fault_moves_with_the_virtual_clock_only() {
    let mut app = drill_at(BAD, (160, 48));
    let a = screen(&app);
    app.update(Msg::Tick(fixtures::at(BAD) + Duration::seconds(61)));
    let b = screen(&app);
    assert!(a.contains("fault +6:30"), "{a}");
    assert!(b.contains("fault +7:31"), "{b}");
}
