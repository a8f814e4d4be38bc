//! The timeline pane: what happened, newest first, each line stamped with its data time and
//! marked with a symbol and a colour by kind (health changes, deployments, activity, queue
//! thresholds, failing sources). A long entry wraps under its text, not under its time, so the
//! times stay a column; a narrow pane drops the seconds.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::app::AppState;
use crate::tui::derive::age::AgeSummary;
use crate::tui::derive::timeline::{EntryKind, TimelineEntry};
use crate::tui::derive::{clock, hhmm};
use crate::tui::msg::PaneId;
use crate::tui::theme::{Role, Theme};
use crate::tui::walkthrough::Look;

/// Below this inner width the time is `HH:MM`.
const NARROW: u16 = 60;

fn role(kind: EntryKind, theme: &Theme) -> ratatui::style::Style {
    match kind {
        EntryKind::Health(h) => theme.health(h),
        EntryKind::Started | EntryKind::Journal => theme.style(Role::Muted),
        EntryKind::Deployment | EntryKind::Activity => theme.style(Role::Info),
        EntryKind::QueueOver => theme.style(Role::Warn),
        EntryKind::QueueBack | EntryKind::SourceRecovered => theme.style(Role::Ok),
        EntryKind::SourceFailing => theme.style(Role::Stale),
    }
}

/// Splits `text` into lines of at most `width` characters at spaces (a word longer than a line
/// is cut).
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        let used = line.chars().count();
        if used > 0 && used + 1 + word.len() <= width {
            line.push(' ');
            line.extend(word);
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
        }
        while word.len() > width {
            lines.push(word.drain(..width).collect());
        }
        line = word.into_iter().collect();
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// One entry as screen lines of `width` columns: time and symbol, then its text, wrapped under
/// the text.
fn entry_lines(e: &TimelineEntry, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let time = if width < NARROW {
        hhmm(e.at)
    } else {
        clock(e.at)
    };
    let prefix = format!("{time} {} ", e.kind.symbol());
    let indent = prefix.chars().count();
    let text_w = usize::from(width).saturating_sub(indent).max(8);
    let mut out = Vec::new();
    for (i, part) in wrap_words(&e.text, text_w).into_iter().enumerate() {
        let text = Span::styled(part, theme.style(Role::Text));
        out.push(if i == 0 {
            Line::from(vec![
                Span::styled(format!("{time} "), theme.style(Role::Muted)),
                Span::styled(format!("{} ", e.kind.symbol()), role(e.kind, theme)),
                text,
            ])
        } else {
            Line::from(vec![Span::raw(" ".repeat(indent)), text])
        });
    }
    out
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
    let block = super::walkthrough::mark(block, app, Look::Pane(PaneId::Timeline));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let rows = usize::from(inner.height);
    let mut lines: Vec<Line> = Vec::with_capacity(rows);
    for e in app
        .data
        .timeline
        .iter()
        .rev()
        .skip(usize::from(app.scroll(PaneId::Timeline)))
    {
        if lines.len() >= rows {
            break;
        }
        lines.extend(entry_lines(e, inner.width, theme));
    }
    lines.truncate(rows);
    f.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_spaces_and_long_words_are_cut() {
        assert_eq!(
            wrap_words("swap by release-pipeline on func-orders", 16),
            ["swap by", "release-pipeline", "on func-orders"]
        );
        assert_eq!(wrap_words("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap_words("", 4), [""]);
    }

    #[test]
    fn a_long_entry_wraps_under_its_text_and_narrow_panes_drop_seconds() {
        let e = TimelineEntry {
            at: crate::tui::fixtures::at(0),
            kind: EntryKind::Activity,
            text: "func-orders-prod-krc/staging: swap by oncall@contoso.example".to_owned(),
        };
        let theme = crate::tui::theme::ThemeSet::builtin(false);
        let lines: Vec<String> = entry_lines(&e, 38, theme.active())
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "02:30 ⇄ func-orders-prod-krc/staging:",
                "        swap by oncall@contoso.example"
            ]
        );
        let wide = entry_lines(&e, 80, theme.active());
        assert_eq!(wide.len(), 1);
        assert!(wide[0].to_string().starts_with("02:30:00 ⇄ func-orders"));
    }
}
