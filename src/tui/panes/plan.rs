//! The plan dialog: the plan's text (steps, REST calls, `az` equivalents, gates, safety rules,
//! risk, duration, undo), scrollable; the progress of a running action; and the prompt that says
//! exactly what confirms it. Risk is a word, never only a colour. Draws; changes nothing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::tui::actions::{PlanDialog, Stage};
use crate::tui::app::AppState;
use crate::tui::theme::Role;
use crate::tui::walkthrough::Look;
use crate::tui::widgets::pane_block;

/// Draws the dialog over `area`.
pub fn render(f: &mut Frame, area: Rect, app: &AppState, d: &PlanDialog) {
    let theme = app.theme();
    let r = area.centered(
        Constraint::Length(area.width.saturating_sub(4).min(120)),
        Constraint::Length(area.height.saturating_sub(2)),
    );
    f.render_widget(Clear, r);
    let title = format!(
        "PLAN · {} RISK · {} · ↑↓ scroll · Esc {}",
        d.plan.risk,
        d.plan.title,
        if matches!(d.stage, Stage::Reason(_) | Stage::Confirm) {
            "cancels"
        } else {
            "closes"
        }
    );
    let danger = d.plan.risk == "HIGH";
    let mut block =
        super::walkthrough::mark(pane_block(&title, None, true, theme), app, Look::Gates);
    if danger {
        block = block.border_style(theme.style(Role::DangerPrompt));
    }
    let inner = block.inner(r);
    f.render_widget(block, r);

    let progress_rows = if d.progress.is_empty() {
        0
    } else {
        (d.progress.len() as u16 + 1).min(inner.height / 3)
    };
    let [body, progress, prompt] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(progress_rows),
        Constraint::Length(2),
    ])
    .areas(inner);

    let lines: Vec<Line> = d
        .plan
        .lines
        .iter()
        .map(|l| {
            Line::styled(
                l.clone(),
                line_role(l).map_or(theme.style(Role::Text), |r| theme.style(r)),
            )
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((d.scroll, 0)),
        body,
    );

    if progress_rows > 0 {
        let skip = d.progress.len().saturating_sub(progress_rows as usize - 1);
        let mut lines = vec![Line::styled("Progress", theme.style(Role::Title))];
        lines.extend(
            d.progress
                .iter()
                .skip(skip)
                .map(|l| Line::styled(l.clone(), theme.style(Role::Info))),
        );
        f.render_widget(Paragraph::new(lines), progress);
    }

    let role = match &d.stage {
        Stage::Done { ok: true, .. } => Role::Ok,
        Stage::Done { ok: false, .. } | Stage::Refused(_) => Role::Crit,
        Stage::Reason(_) | Stage::Confirm => Role::DangerPrompt,
        Stage::Sent | Stage::Running => Role::Evaluating,
    };
    f.render_widget(
        Paragraph::new(Line::styled(d.prompt(), theme.style(role))).wrap(Wrap { trim: true }),
        prompt,
    );
}

/// Lines that carry a verdict get its colour; the verdict's word is in the text itself.
fn line_role(line: &str) -> Option<Role> {
    let t = line.trim_start();
    if t.starts_with("BLOCKED") || t.contains("✗ FAIL") || t.contains("✗ REFUSED") {
        Some(Role::GateFail)
    } else if t.contains("? UNKNOWN") {
        Some(Role::Unknown)
    } else if t.contains("✓ PASS") || t.contains("✓ ALLOWED") {
        Some(Role::GatePass)
    } else if t.ends_with(':') && !t.starts_with('$') {
        Some(Role::Title)
    } else if t.starts_with("$ az") || t.starts_with("az ") {
        Some(Role::KeyHint)
    } else {
        None
    }
}
