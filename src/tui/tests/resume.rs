//! A resumed incident on the console: the restored declaration drives the incident clock, the
//! journal's lines join the timeline, the header says RESUMED, and no plan is asked for until
//! the reconciliation dialog has been acknowledged with Enter. Pure: messages in, state out, and
//! the screen drawn on a test backend.

use chrono::Duration;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::decide::IncidentFacts;
use crate::tui::ConsoleOptions;
use crate::tui::actions::{ActionEvent, ActionRequest, ReconcileView, ResumeView};
use crate::tui::app::{AppState, Modal};
use crate::tui::derive::timeline::EntryKind;
use crate::tui::fixtures::{self, BAD, DETECTED};
use crate::tui::layout;
use crate::tui::msg::{Intent, Msg};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn console() -> AppState {
    let opts = ConsoleOptions {
        read_only: false,
        ..ConsoleOptions::default()
    };
    fixtures::console_at(BAD, (160, 48), &opts)
}

fn screen(app: &AppState) -> String {
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("test backend");
    term.draw(|f| layout::render(f, app)).expect("drawn");
    let buf = term.backend().buffer().clone();
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

/// `:restart func-orders-prod-krc`, Enter.
fn plan_restart(app: &mut AppState) -> Option<Intent> {
    app.update(key(KeyCode::Char(':')));
    for c in "restart func-orders-prod-krc".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    app.update(key(KeyCode::Enter))
}

fn resumed(unfinished: usize) -> ResumeView {
    ResumeView {
        journal: "/state/incidents/orders-platform-prod-20260404T090000Z/journal.jsonl".into(),
        declared: Some(IncidentFacts {
            // Declared ten minutes before this console saw the first failure.
            detected_at: fixtures::at(DETECTED) - Duration::minutes(10),
            apps: vec![
                "func-orders-prod-krc".into(),
                "func-payments-prod-krc".into(),
            ],
        }),
        last_at: Some(fixtures::at(DETECTED)),
        actions: 1,
        unfinished,
        timeline: vec![(
            fixtures::at(DETECTED) - Duration::minutes(9),
            "action confirmed: swap-back func-orders-prod-krc".into(),
        )],
    }
}

#[test]
fn the_declaration_restores_the_incident_clock_and_the_journal_joins_the_timeline() {
    let mut app = console();
    let seen = app.data.incident.clone().expect("an incident seen");
    assert_eq!(seen.detected_at, fixtures::at(DETECTED));
    app.update(Msg::Action(ActionEvent::Resumed(Box::new(resumed(0)))));
    let inc = app.data.incident.clone().expect("the incident");
    assert_eq!(
        inc.detected_at,
        fixtures::at(DETECTED) - Duration::minutes(10)
    );
    assert_eq!(
        inc.apps,
        ["func-orders-prod-krc", "func-payments-prod-krc"],
        "the declared apps first, then the ones seen"
    );
    let journal: Vec<&str> = app
        .data
        .timeline
        .iter()
        .filter(|e| e.kind == EntryKind::Journal)
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(
        journal,
        ["action confirmed: swap-back func-orders-prod-krc"]
    );
    let text = screen(&app);
    assert!(text.contains("↻ RESUMED"), "{text}");
    assert!(text.contains("declared since"), "{text}");
    // Nothing unfinished: no hold, plans are offered at once.
    assert_eq!(app.ui.hold, None);
    assert!(matches!(
        plan_restart(&mut app),
        Some(Intent::Action(ActionRequest::Plan(_)))
    ));
}

#[test]
fn plans_wait_until_the_reconciliation_is_acknowledged_with_enter() {
    let mut app = console();
    app.update(Msg::Action(ActionEvent::Resumed(Box::new(resumed(1)))));
    // Still reconciling: `a` and `:plan` say why they wait.
    assert_eq!(app.update(key(KeyCode::Char('a'))), None);
    let flash = app.ui.flash.clone().unwrap_or_default();
    assert!(flash.contains("wait: reconciling 1 unfinished"), "{flash}");
    assert_eq!(plan_restart(&mut app), None);
    let flash = app.ui.flash.clone().unwrap_or_default();
    assert!(flash.contains("waits: reconciling 1 unfinished"), "{flash}");

    app.update(Msg::Action(ActionEvent::Reconciled(vec![ReconcileView {
        headline: "✓ swap-back func-orders-prod-krc: IN PLACE (1 of 2 steps journaled done)".into(),
        checks: vec![
            "✓ step 1 (swap, journaled done): in place: production reports 2026.03.28".into(),
        ],
    }])));
    assert!(matches!(app.modal, Some(Modal::Reconciled(_))));
    let text = screen(&app);
    assert!(text.contains("unfinished actions reconciled"), "{text}");
    assert!(text.contains("IN PLACE (1 of 2 steps"), "{text}");
    assert!(text.contains("Press Enter to acknowledge"), "{text}");
    // Other keys do not dismiss it.
    assert_eq!(app.update(key(KeyCode::Esc)), None);
    assert_eq!(app.update(key(KeyCode::Char('a'))), None);
    assert!(matches!(app.modal, Some(Modal::Reconciled(_))));
    assert_eq!(
        app.update(key(KeyCode::Enter)),
        Some(Intent::Action(ActionRequest::ReconciliationSeen))
    );
    assert!(app.modal.is_none() && app.ui.hold.is_none());
    assert!(matches!(
        plan_restart(&mut app),
        Some(Intent::Action(ActionRequest::Plan(_)))
    ));
}
