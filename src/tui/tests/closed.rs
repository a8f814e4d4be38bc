//! A closed incident on the console: the header says CLOSED (with its time when there is room)
//! beside the recovery and the RTO, and the RPO still fits at 80 columns. Pure: the context the
//! runtime sends after journaling the close, and the screen drawn on a test backend.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::tui::ConsoleOptions;
use crate::tui::actions::ActionEvent;
use crate::tui::fixtures::{self, AFTER};
use crate::tui::layout;
use crate::tui::msg::Msg;

fn header(w: u16, h: u16, closed: bool) -> String {
    let mut app = fixtures::console_at(AFTER, (w, h), &ConsoleOptions::default());
    if closed {
        let mut cx = app.data.context.clone();
        cx.closed_at = Some(fixtures::at(AFTER));
        app.update(Msg::Action(ActionEvent::Context(Box::new(cx))));
    }
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    term.draw(|f| layout::render(f, &app)).expect("drawn");
    let buf = term.backend().buffer();
    (0..w).map(|x| buf[(x, 1)].symbol()).collect::<String>()
}

#[test]
fn the_header_says_closed_with_its_time_and_keeps_the_rpo_at_80_columns() {
    let open = header(160, 48, false);
    assert!(open.starts_with(" ✓ RECOVERED in"), "{open}");
    assert!(!open.contains("CLOSED"), "{open}");

    let wide = header(160, 48, true);
    let at = fixtures::at(AFTER).format("%H:%M:%S").to_string();
    assert!(
        wide.starts_with(&format!(" ■ CLOSED at {at}  │  ✓ RECOVERED in")),
        "{wide}"
    );
    assert!(wide.contains("RTO met"), "{wide}");

    let narrow = header(80, 24, true);
    assert!(narrow.starts_with(" ■ CLOSED · RTO met"), "{narrow}");
    assert!(narrow.contains("RPO ≈"), "{narrow}");
}
