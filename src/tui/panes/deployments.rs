//! The deployments pane: every deployment (Kudu) and swap (activity log), newest first, with time,
//! app, slot, version, deployer and status. During an incident, the change just before the failure
//! onset of an app in it is marked `◆ before onset`.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::Snapshot;
use crate::tui::app::AppState;
use crate::tui::derive::age::AgeSummary;
use crate::tui::derive::{Change, ChangeKind, change_before_index, hhmm};
use crate::tui::msg::PaneId;
use crate::tui::theme::{Role, Theme};
use crate::tui::walkthrough::Look;
use crate::tui::widgets::{col, error_lines, pane_block};

/// Age and failing sources of deployments and the activity log.
pub fn age(snap: &Snapshot, now: DateTime<Utc>) -> AgeSummary {
    let mut a = AgeSummary::default();
    for app in &snap.apps {
        a.add_named(&app.name, &app.deployments, now);
    }
    a.add(&snap.activity, now);
    a
}

/// The indices of the changes to mark: for each app with an onset, its newest change within
/// [`CAUSE_WINDOW`](crate::tui::derive::CAUSE_WINDOW) before it (the runbook's rule).
pub fn marked<S: std::hash::BuildHasher>(
    changes: &[Change],
    onsets: &std::collections::HashMap<String, DateTime<Utc>, S>,
) -> HashSet<usize> {
    onsets
        .iter()
        .filter_map(|(app, onset)| change_before_index(changes, app, *onset))
        .collect()
}

/// `HH:MM` today, `MM-DD` on an earlier day.
fn when(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if now.date_naive() == at.date_naive() {
        hhmm(at)
    } else {
        at.format("%m-%d").to_string()
    }
}

/// One change as a line, with as many columns as `w` allows; `onset` marks it as the change
/// just before that onset.
fn change_line(
    c: &Change,
    snap: &Snapshot,
    now: DateTime<Utc>,
    w: usize,
    onset: Option<DateTime<Utc>>,
    theme: &Theme,
) -> Line<'static> {
    let full_names = w >= 120;
    let muted = theme.style(Role::Muted);
    let name = if full_names {
        c.app.clone()
    } else {
        let app = snap.apps.iter().find(|a| a.name == c.app);
        app.map_or_else(|| c.app.clone(), |a| format!("{} {}", a.service, a.region))
    };
    let kind_style = theme.style(match c.kind {
        ChangeKind::Swap => Role::Info,
        ChangeKind::Deployment => Role::Text,
    });
    let narrow = w < 50;
    let name_w = if full_names { 22 } else { 15 };
    let (kind, kind_w) = if narrow {
        (c.kind.label().split(' ').next().unwrap_or("·"), 1)
    } else {
        (c.kind.label(), 8)
    };
    let mut spans = vec![
        col(&when(c.at, now), 5, muted),
        col(kind, kind_w, kind_style),
        col(&name, name_w, theme.style(Role::Text)),
    ];
    if w >= 60 {
        spans.push(col(&c.slot, 18, muted));
    }
    // In a narrow pane the onset mark takes the version's place.
    if !(narrow && onset.is_some()) {
        let version = c.version.as_deref().unwrap_or("—");
        spans.push(col(version, 10, theme.style(Role::Info)));
    }
    if w >= 100 {
        spans.push(col(c.who.as_deref().unwrap_or("—"), 18, muted));
    }
    if w >= 110 {
        let role = if c.in_progress {
            Role::Evaluating
        } else {
            Role::Muted
        };
        spans.push(col(&c.status, 9, theme.style(role)));
    }
    if let Some(onset) = onset {
        let used: usize = spans.iter().map(Span::width).sum();
        let long = format!("◆ before onset {}", hhmm(onset));
        let room = w.saturating_sub(used);
        let text = if long.chars().count() <= room {
            long
        } else if room >= 14 {
            "◆ before onset".to_owned()
        } else {
            "◆ onset".to_owned()
        };
        spans.push(Span::styled(text, theme.style(Role::Warn)));
    }
    Line::from(spans)
}

/// Draws the pane.
pub fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let theme = app.theme();
    let focused = app.ui.focus == PaneId::Deployments;
    let Some(snap) = app.snapshot() else {
        f.render_widget(pane_block("Deployments", None, focused, theme), area);
        return;
    };
    let now = app.data.now;
    let summary = age(snap, now);
    let block = pane_block("Deployments", Some(&summary), focused, theme);
    let block = super::walkthrough::mark(block, app, Look::Pane(PaneId::Deployments));
    let inner = block.inner(area);
    f.render_widget(block, area);

    let changes = &app.data.changes;
    let marks = marked(changes, &app.data.onsets);
    let w = usize::from(inner.width);
    let mut lines: Vec<Line> = changes
        .iter()
        .enumerate()
        .skip(usize::from(app.scroll(PaneId::Deployments)))
        .map(|(i, c)| {
            let onset = marks
                .contains(&i)
                .then(|| app.data.onsets.get(&c.app).copied())
                .flatten();
            change_line(c, snap, now, w, onset, theme)
        })
        .collect();
    let muted = theme.style(Role::Muted);
    if lines.is_empty() {
        lines.push(Line::styled("no deployments or swaps seen", muted));
    }
    let errs = error_lines(&summary, theme, 2);
    let body = inner.height.saturating_sub(errs.len() as u16);
    f.render_widget(
        Paragraph::new(lines),
        Rect {
            height: body,
            ..inner
        },
    );
    if !errs.is_empty() {
        f.render_widget(
            Paragraph::new(errs),
            Rect {
                y: inner.y + body,
                height: inner.height - body,
                ..inner
            },
        );
    }
}
