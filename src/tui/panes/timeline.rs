//! The timeline pane: what happened, newest first, each line stamped with its data time and
//! marked with a symbol and a colour by kind (health changes, deployments, activity, queue
//! thresholds, failing sources).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::app::AppState;
use crate::tui::derive::age::AgeSummary;
use crate::tui::derive::clock;
use crate::tui::derive::timeline::EntryKind;
use crate::tui::msg::PaneId;
use crate::tui::theme::{Role, Theme};

fn role(kind: EntryKind, theme: &Theme) -> ratatui::style::Style {
    match kind {
        EntryKind::Health(h) => theme.health(h),
        EntryKind::Started => theme.style(Role::Muted),
        EntryKind::Deployment | EntryKind::Activity => theme.style(Role::Info),
        EntryKind::QueueOver => theme.style(Role::Warn),
        EntryKind::QueueBack | EntryKind::SourceRecovered => theme.style(Role::Ok),
        EntryKind::SourceFailing => theme.style(Role::Stale),
    }
}

/// Draws the pane.
pub fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let theme = app.theme();
    let focused = app.ui.focus == PaneId::Timeline;
    let mut summary = AgeSummary::default();
    if let Some(s) = app.snapshot() {
        summary.oldest = Some(app.data.now - s.taken_at);
    }
    let block = crate::tui::widgets::pane_block("Timeline", Some(&summary), focused, theme);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines: Vec<Line> = app
        .data
        .timeline
        .iter()
        .rev()
        .skip(usize::from(app.scroll(PaneId::Timeline)))
        .take(usize::from(inner.height))
        .map(|e| {
            Line::from(vec![
                Span::styled(format!("{} ", clock(e.at)), theme.style(Role::Muted)),
                Span::styled(format!("{} ", e.kind.symbol()), role(e.kind, theme)),
                Span::styled(e.text.clone(), theme.style(Role::Text)),
            ])
        })
        .collect();
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
