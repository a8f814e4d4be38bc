//! The queues pane: per queue, depth, age of the oldest message, a trend sparkline, the rate it
//! grows or drains per minute, and how close the oldest message is to the RPO target (a gauge and
//! a percentage). Depth and age from a failing source stay visible, marked old. A queue whose
//! oldest message cannot be read (Service Bus through ARM) says its age is unknown rather than
//! 0 % of the RPO; one never read (Event Hubs, whose lag ARM does not expose) says so instead of
//! looking stale. Narrow panes cut the queue's name, never its region.

use chrono::{DateTime, Duration, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::{Freshness, QueueState, Snapshot};
use crate::tui::app::AppState;
use crate::tui::derive::age::AgeSummary;
use crate::tui::derive::span;
use crate::tui::msg::PaneId;
use crate::tui::theme::{Role, Theme};
use crate::tui::walkthrough::Look;
use crate::tui::widgets::{bar, cell, col, error_lines, fit, pane_block, rcell, spark};

const MAX_ERRORS: usize = 2;
/// The depth a trend sparkline is scaled to at least, so a near-empty queue stays flat.
const DEPTH_FLOOR: f64 = 10.0;

/// Age and failing sources of the queues.
pub fn age(snap: &Snapshot, now: DateTime<Utc>) -> AgeSummary {
    let mut a = AgeSummary::default();
    for q in &snap.queues {
        let name = format!("{} ({})", q.name, q.region);
        a.add_named(&name, &q.depth, now);
        a.add_named(&name, &q.oldest, now);
    }
    a
}

/// Rows (borders included) the pane would like: one per queue, a header, failing sources.
pub fn height(app: &AppState) -> u16 {
    app.snapshot().map_or(3, |s| {
        let errs = age(s, app.data.now).errors.len().min(MAX_ERRORS + 1);
        (s.queues.len() + errs + 3) as u16
    })
}

/// Draws the pane.
pub fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let theme = app.theme();
    let focused = app.ui.focus == PaneId::Queues;
    let Some(snap) = app.snapshot() else {
        f.render_widget(pane_block("Queues", None, focused, theme), area);
        return;
    };
    let now = app.data.now;
    let summary = age(snap, now);
    let block = pane_block("Queues", Some(&summary), focused, theme);
    let block = super::walkthrough::mark(block, app, Look::Pane(PaneId::Queues));
    let inner = block.inner(area);
    f.render_widget(block, area);

    let cols = Columns::for_width(usize::from(inner.width));
    let target = Duration::minutes(i64::from(snap.rpo_minutes));
    let mut lines = Vec::with_capacity(snap.queues.len() + 3);
    lines.push(cols.header(snap.rpo_minutes, theme));
    let skip = usize::from(app.scroll(PaneId::Queues));
    for q in snap.queues.iter().skip(skip) {
        lines.push(cols.row(q, now, target, theme));
    }
    lines.extend(error_lines(&summary, theme, MAX_ERRORS));
    f.render_widget(Paragraph::new(lines), inner);
}

/// Which columns fit the pane's width.
struct Columns {
    width: usize,
    /// Below 60 columns: no trend sparkline.
    narrow: bool,
    /// From 90 columns: the queue's kind too.
    wide: bool,
    name: usize,
}

impl Columns {
    fn for_width(width: usize) -> Self {
        let narrow = width < 60;
        Self {
            width,
            narrow,
            wide: width >= 90,
            name: if narrow {
                width.saturating_sub(26).clamp(8, 20)
            } else {
                22
            },
        }
    }

    fn header(&self, rpo_minutes: u32, theme: &Theme) -> Line<'static> {
        let muted = theme.style(Role::Muted);
        let mut header = vec![
            col("queue", self.name, muted),
            Span::styled(format!("{} ", rcell("depth", 5)), muted),
            Span::styled(format!("{} ", rcell("oldest", 6)), muted),
        ];
        if !self.narrow {
            header.push(col("trend", 8, muted));
        }
        header.push(Span::styled(format!("{} ", rcell("/min", 4)), muted));
        if self.wide {
            header.push(col("kind", 11, muted));
        }
        header.push(Span::styled(format!("of RPO {rpo_minutes}m"), muted));
        Line::from(header)
    }

    fn row(
        &self,
        q: &QueueState,
        now: DateTime<Utc>,
        target: Duration,
        theme: &Theme,
    ) -> Line<'static> {
        let name = self.name_cell(q);
        if q.depth.get().is_none() && q.depth.error.is_none() {
            return self.unread(q, &name, theme);
        }
        let fresh = q.depth.freshness(now) == Freshness::Fresh;
        let value_style = if fresh {
            theme.style(Role::Text)
        } else {
            theme.style(Role::Stale)
        };
        let depth = q.depth.get().map_or_else(|| "—".to_owned(), u64::to_string);
        let oldest = q.oldest_age(now);
        // Messages waiting and no age for the oldest: the gauge would claim 0 %.
        let age_unknown = oldest.is_none() && q.depth.get().is_some_and(|d| *d > 0);
        let ratio = oldest.map_or(0.0, |a| {
            a.num_seconds() as f64 / target.num_seconds().max(1) as f64
        });
        let gauge_style = theme.style(if ratio >= 1.0 {
            Role::Crit
        } else if ratio >= 0.5 {
            Role::Warn
        } else {
            Role::Ok
        });
        let rate = q.rate_per_minute().map_or_else(
            || "—".to_owned(),
            |r| {
                if r.abs() < 0.5 {
                    "0".to_owned()
                } else {
                    format!("{r:+.0}")
                }
            },
        );
        let oldest = oldest.map_or_else(|| "—".to_owned(), span);
        let mut spans = vec![
            Span::styled(format!("{name} "), theme.style(Role::Text)),
            Span::styled(format!("{} ", rcell(&depth, 5)), value_style),
            Span::styled(format!("{} ", rcell(&oldest, 6)), value_style),
        ];
        if !self.narrow {
            let history: Vec<f64> = q.history.iter().map(|(_, d)| *d as f64).collect();
            let top = history.iter().copied().fold(DEPTH_FLOOR, f64::max);
            spans.push(Span::styled(
                format!("{} ", spark(&history, 8, Some(top))),
                theme.style(Role::Spark),
            ));
        }
        spans.push(Span::styled(
            format!("{} ", rcell(&rate, 4)),
            theme.style(Role::Text),
        ));
        if self.wide {
            spans.push(col(&q.kind, 11, theme.style(Role::Muted)));
        }
        if age_unknown {
            let used: usize = spans.iter().map(Span::width).sum();
            let room = self.width.saturating_sub(used);
            let word = if room >= 17 { "age unknown" } else { "age ?" };
            spans.push(Span::styled(word, theme.style(Role::Muted)));
            if !fresh {
                spans.push(Span::styled(" ⚠ old", theme.style(Role::Stale)));
            }
            return Line::from(spans);
        }
        let used: usize = spans.iter().map(Span::width).sum();
        let gauge_w = self.width.saturating_sub(used + 6).min(20);
        if gauge_w >= 4 {
            spans.push(Span::styled(
                format!("{} ", bar(ratio, gauge_w)),
                gauge_style,
            ));
        }
        spans.push(Span::styled(format!("{:.0}%", ratio * 100.0), gauge_style));
        if !fresh {
            spans.push(Span::styled(" ⚠ old", theme.style(Role::Stale)));
        }
        Line::from(spans)
    }

    /// The queue's name and region in exactly `self.name` columns: the name gives way first, so
    /// two queues of one name in two regions stay apart.
    fn name_cell(&self, q: &QueueState) -> String {
        let region = q.region.chars().count();
        let name_w = self.name.saturating_sub(region + 1);
        cell(&format!("{} {}", fit(&q.name, name_w), q.region), self.name)
    }

    /// A queue never read: what can be said instead of numbers.
    fn unread(&self, q: &QueueState, name: &str, theme: &Theme) -> Line<'static> {
        let muted = theme.style(Role::Muted);
        let (long, short) = if q.kind == "event-hubs" {
            ("consumer lag not exposed by ARM", "lag not readable")
        } else {
            ("waiting for the first read", "not read yet")
        };
        let room = self.width.saturating_sub(self.name + 1);
        let text = if long.chars().count() <= room {
            long
        } else {
            short
        };
        Line::from(vec![
            Span::styled(format!("{name} "), theme.style(Role::Text)),
            Span::styled(fit(text, room), muted),
        ])
    }
}
