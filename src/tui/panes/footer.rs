//! The footer: the keys that work in the current view or overlay, as many as fit, and the last
//! command's message on the right.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::{AppState, Modal, View};
use crate::tui::msg::PaneId;
use crate::tui::theme::Role;

/// The (key, what) pairs that work right now, most useful first.
pub fn hints(app: &AppState) -> Vec<(&'static str, &'static str)> {
    match (&app.modal, &app.ui.view) {
        (Some(Modal::Command(_)), _) => {
            vec![("Tab", "complete"), ("Enter", "run"), ("Esc", "cancel")]
        }
        (Some(Modal::Plan(_)), _) => vec![("↑↓", "scroll the plan"), ("Esc", "cancel or close")],
        (Some(Modal::Reconciled(_)), _) => vec![("Enter", "acknowledge the reconciliation")],
        (Some(_), _) => vec![("Esc", "close")],
        (None, View::Detail(_)) => vec![
            ("Esc", "back"),
            ("↑↓", "scroll"),
            ("p", "presenter"),
            ("t", "theme"),
            (":", "command"),
            ("?", "help"),
            ("q", "quit"),
        ],
        (None, View::Presenter) => {
            vec![("p", "back"), ("t", "theme"), ("?", "help"), ("q", "quit")]
        }
        (None, View::Main) => {
            let mut v = Vec::new();
            let closing = app.data.decision.as_ref().is_some_and(|d| {
                d.answer(crate::decide::NodeId::Close).answer == crate::decide::Answer::Current
            });
            if !app.ui.read_only && app.data.recommended.is_some() {
                v.push(("a", "plan the recommended action"));
            } else if !app.ui.read_only && closing {
                v.push(("a", "close the incident"));
            }
            if app.walk.is_some() {
                v.push(("h", "hint"));
            }
            v.push(("Tab", "pane"));
            if app.ui.focus == PaneId::Regions {
                v.push(("↑↓", "select"));
                v.push(("Enter", "detail"));
            } else {
                v.push(("↑↓", "scroll"));
            }
            if !app.ui.read_only {
                v.push(("n", "note"));
            }
            v.extend([
                ("p", "presenter"),
                ("t", "theme"),
                (":", "command"),
                ("?", "help"),
                ("q", "quit"),
            ]);
            v
        }
    }
}

/// Draws the footer.
pub fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let theme = app.theme();
    let flash = app.ui.flash.as_deref().unwrap_or("");
    let room = usize::from(area.width).saturating_sub(flash.chars().count() + 2);
    let mut items = hints(app);
    let width = |items: &[(&str, &str)]| -> usize {
        1 + items
            .iter()
            .map(|(k, w)| k.chars().count() + w.chars().count() + 3)
            .sum::<usize>()
    };
    // Drop from the middle: the first hints say where you are, the last ones (help, quit) always
    // matter.
    while width(&items) > room && items.len() > 2 {
        items.remove(items.len() - 3);
    }
    let mut spans = vec![Span::raw(" ")];
    if width(&items) <= room {
        for (key, what) in items {
            spans.push(Span::styled(key, theme.style(Role::KeyHint)));
            spans.push(Span::styled(format!(" {what}  "), theme.style(Role::Muted)));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
    if !flash.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(format!("{flash} "), theme.style(Role::Info)))
                .alignment(Alignment::Right),
            area,
        );
    }
}
