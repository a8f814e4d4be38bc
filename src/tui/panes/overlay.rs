//! The overlays drawn over any view: help (`?`), the command line (`:`) with its completions, and
//! notices such as a broken theme file. Each clears its rectangle first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::tui::app::{AppState, CommandLine, Modal};
use crate::tui::command::COMMANDS;
use crate::tui::keymap::HELP;
use crate::tui::theme::Role;
use crate::tui::widgets::{cell, pane_block};

/// Draws the open overlay, if any.
pub fn render(f: &mut Frame, area: Rect, app: &AppState) {
    match &app.modal {
        None => {}
        Some(Modal::Help) => help(f, area, app),
        Some(Modal::Command(line)) => command_line(f, area, app, line),
        Some(Modal::Notice { title, body }) => {
            notice(f, area, app, title, body, "Press Esc or Enter to continue.");
        }
        Some(Modal::Reconciled(views)) => notice(
            f,
            area,
            app,
            "Resumed · unfinished actions reconciled against Azure",
            &reconciled_body(views),
            "Press Enter to acknowledge; new actions are offered after that.",
        ),
        Some(Modal::Plan(d)) => super::plan::render(f, area, app, d),
    }
}

fn help(f: &mut Frame, area: Rect, app: &AppState) {
    let theme = app.theme();
    let mut lines = vec![Line::styled("Keys", theme.style(Role::Title))];
    for b in HELP {
        lines.push(Line::from(vec![
            Span::styled(cell(b.keys, 15), theme.style(Role::KeyHint)),
            Span::styled(b.what, theme.style(Role::Text)),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Commands (after :)", theme.style(Role::Title)));
    for (name, what) in COMMANDS {
        lines.push(Line::from(vec![
            Span::styled(cell(name, 15), theme.style(Role::KeyHint)),
            Span::styled(*what, theme.style(Role::Text)),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Every status has a symbol and a word: ✓ healthy  ! degraded  ✗ unhealthy  ⊘ unreachable  ? unknown",
        theme.style(Role::Muted),
    ));
    let w = area.width.min(84);
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = u16::try_from(para.line_count(w.saturating_sub(2))).unwrap_or(u16::MAX);
    let total = rows.saturating_add(2);
    let h = total.min(area.height);
    let r = area.centered(Constraint::Length(w), Constraint::Length(h));
    f.render_widget(Clear, r);
    let cut = total > area.height;
    let title = if cut {
        "Help · ↑↓ scroll · Esc closes"
    } else {
        "Help · Esc closes"
    };
    let scroll = if cut {
        app.ui.help_scroll.min(total - area.height)
    } else {
        0
    };
    let block = pane_block(title, None, true, theme);
    f.render_widget(para.block(block).scroll((scroll, 0)), r);
}

fn command_line(f: &mut Frame, area: Rect, app: &AppState, line: &CommandLine) {
    let theme = app.theme();
    let extra = u16::from(!line.candidates.is_empty());
    let h = (3 + extra).min(area.height);
    let r = Rect::new(area.x, area.bottom().saturating_sub(h), area.width, h);
    f.render_widget(Clear, r);
    let mut lines = vec![Line::from(vec![
        Span::styled(":", theme.style(Role::KeyHint)),
        Span::styled(line.input.clone(), theme.style(Role::Text)),
        Span::styled("█", theme.style(Role::Muted)),
    ])];
    if extra > 0 {
        lines.push(Line::styled(
            line.candidates.join("  "),
            theme.style(Role::Muted),
        ));
    }
    let block = pane_block(
        "Command · Tab completes · Enter runs · Esc cancels",
        None,
        true,
        theme,
    );
    f.render_widget(Paragraph::new(lines).block(block), r);
}

/// The reconciliation dialog's text: each intent's headline and its checks.
fn reconciled_body(views: &[crate::tui::actions::ReconcileView]) -> String {
    let mut out = String::from(
        "warroom restarted on an open incident. Actions confirmed before the restart had no \
         journaled outcome; each was checked against Azure (no outcome is invented):\n",
    );
    for v in views {
        out.push('\n');
        out.push_str(&v.headline);
        for c in &v.checks {
            out.push_str("\n  ");
            out.push_str(c);
        }
        out.push('\n');
    }
    out
}

fn notice(f: &mut Frame, area: Rect, app: &AppState, title: &str, body: &str, hint: &str) {
    let theme = app.theme();
    let w = area.width.min(96);
    let lines: Vec<Line> = body
        .lines()
        .map(|l| Line::styled(l.to_owned(), theme.style(Role::Text)))
        .chain([
            Line::raw(""),
            Line::styled(hint.to_owned(), theme.style(Role::Muted)),
        ])
        .collect();
    let text_rows: u16 = lines
        .iter()
        .map(|l| {
            (l.width() as u16)
                .div_ceil(w.saturating_sub(2).max(1))
                .max(1)
        })
        .sum();
    let r = area.centered(
        Constraint::Length(w),
        Constraint::Length((text_rows + 2).min(area.height)),
    );
    f.render_widget(Clear, r);
    let block = pane_block(title, None, true, theme).border_style(theme.style(Role::DangerPrompt));
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        r,
    );
}
