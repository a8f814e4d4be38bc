//! The screen: composes the panes for the view and the terminal size. Render only: reads
//! `AppState`, never changes it.
//!
//! ```text
//!  compact (80×24 up to 119 or 31)         medium (120×32 up)              wide (160×42 up)
//! ┌────────────────────────────────┐  ┌───────────────────────────┐  ┌─────────────┬──────────────┐
//! │ header: estate SIMULATED  age  │  │ header                    │  │ header                     │
//! │ incident · RTO · RPO           │  │                           │  │                            │
//! ├ Regions: side by side ─────────┤  ├ Regions: stacked ─────────┤  ├ Runbook     ├ Regions ─────┤
//! │ krc …        │ jpe …           │  │ krc …                     │  │ boxes and   │ krc …  jpe … │
//! ├ Runbook ─────┬ Queues ─────────┤  │ jpe …                     │  │ arrows,     ├ Queues ──────┤
//! │ current path │                 │  ├ Runbook ────┬ Queues ─────┤  │ evidence    │              │
//! │ with its     ├ Timeline or     │  │ boxes, or   ├ Deployments ┤  ├ Deployments ├ Timeline ────┤
//! │ evidence     │ Deployments     │  │ the path    ├ Timeline ───┤  │             │              │
//! │ footer: the keys that work here│  │ footer                    │  │ footer                     │
//! └────────────────────────────────┘  └───────────────────────────┘  └─────────────┴──────────────┘
//! ```
//!
//! In a drill the walkthrough pane joins them: under the timeline when wide; in the timeline's
//! place when medium and in the place of queues and timeline when compact, until one of those
//! panes is focused.
//!
//! Below 80×24 the screen says so instead. Presenter mode and the app detail take the body;
//! overlays (help, command line, notices) draw last, over everything.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::app::{AppState, View};
use super::msg::PaneId;
use super::panes::{
    deployments, detail, flowchart, footer, header, overlay, presenter, queues, regions, timeline,
    walkthrough,
};
use super::theme::Role;

/// The smallest screen the console lays out.
pub const MIN_SIZE: (u16, u16) = (80, 24);
const MEDIUM: (u16, u16) = (120, 32);
const WIDE: (u16, u16) = (160, 42);
/// The runbook's boxes need this many columns (four boxes side by side, plus borders).
const RUNBOOK_MIN_W: u16 = 84;

/// Draws the whole screen.
pub fn render(f: &mut Frame, app: &AppState) {
    let area = f.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        too_small(f, area, app);
        return;
    }
    let [head, body, foot] = area.layout(&Layout::vertical([
        Constraint::Length(header::HEIGHT),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    match &app.ui.view {
        View::Main => {
            header::render(f, head, app);
            main_view(f, body, app);
        }
        View::Detail(name) => {
            header::render(f, head, app);
            detail::render(f, body, app, name);
        }
        View::Presenter => presenter::render(f, head.union(body), app),
    }
    footer::render(f, foot, app);
    overlay::render(f, area, app);
}

fn too_small(f: &mut Frame, area: Rect, app: &AppState) {
    let theme = app.theme();
    let text = vec![
        Line::styled("terminal too small", theme.style(Role::Warn)),
        Line::styled(
            format!(
                "need {}×{}, have {}×{}",
                MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
            ),
            theme.style(Role::Text),
        ),
        Line::styled("q quits", theme.style(Role::Muted)),
    ];
    let h = 3.min(area.height);
    let r = area.centered_vertically(Constraint::Length(h));
    f.render_widget(Paragraph::new(text).centered().wrap(Wrap { trim: true }), r);
}

fn main_view(f: &mut Frame, body: Rect, app: &AppState) {
    let (w, h) = (body.width, body.height + header::HEIGHT + 1);
    if w >= WIDE.0 && h >= WIDE.1 {
        wide(f, body, app);
    } else if w >= MEDIUM.0 && h >= MEDIUM.1 {
        medium(f, body, app);
    } else {
        compact(f, body, app);
    }
}

fn compact(f: &mut Frame, body: Rect, app: &AppState) {
    let reg_h = regions::height(app, body.width, body.height / 2);
    let [top, bottom] = body.layout(&Layout::vertical([
        Constraint::Length(reg_h),
        Constraint::Fill(1),
    ]));
    regions::render(f, top, app);
    let [left, right] = bottom.layout(&Layout::horizontal([Constraint::Fill(1); 2]));
    flowchart::render(f, left, app);
    // In a drill the walkthrough takes the right column until queues, deployments or the
    // timeline is focused.
    if app.walk.is_some()
        && !matches!(
            app.ui.focus,
            PaneId::Queues | PaneId::Deployments | PaneId::Timeline
        )
    {
        walkthrough::render(f, right, app);
        return;
    }
    let q_h = queues::height(app).min(right.height.saturating_sub(5));
    let [q, lower] = right.layout(&Layout::vertical([
        Constraint::Length(q_h),
        Constraint::Fill(1),
    ]));
    queues::render(f, q, app);
    match app.ui.lower {
        PaneId::Deployments => deployments::render(f, lower, app),
        _ => timeline::render(f, lower, app),
    }
}

fn medium(f: &mut Frame, body: Rect, app: &AppState) {
    // Regions stacked when the panes below keep 18 rows (queues, deployments, timeline), else
    // side by side.
    let reg_h = regions::height(app, body.width, body.height.saturating_sub(18));
    let [top, bottom] = body.layout(&Layout::vertical([
        Constraint::Length(reg_h),
        Constraint::Fill(1),
    ]));
    regions::render(f, top, app);
    let run_w = if bottom.width / 2 >= RUNBOOK_MIN_W {
        bottom.width / 2
    } else {
        bottom.width * 2 / 5
    };
    let [left, right] = bottom.layout(&Layout::horizontal([
        Constraint::Length(run_w),
        Constraint::Fill(1),
    ]));
    flowchart::render(f, left, app);
    side_column(f, right, app, true);
}

fn wide(f: &mut Frame, body: Rect, app: &AppState) {
    let run_w = (body.width * 9 / 20).clamp(RUNBOOK_MIN_W, 130);
    let [left, right] = body.layout(&Layout::horizontal([
        Constraint::Length(run_w),
        Constraint::Fill(1),
    ]));
    let run_h = flowchart::height(app, left.width, left.height.saturating_sub(6));
    let [run, deps] = left.layout(&Layout::vertical([
        Constraint::Length(run_h),
        Constraint::Fill(1),
    ]));
    flowchart::render(f, run, app);
    deployments::render(f, deps, app);
    let walk_h = walkthrough::height(app, right.width).min(right.height / 3);
    let reg_h = regions::height(app, right.width, right.height.saturating_sub(12 + walk_h));
    let [reg, rest] = right.layout(&Layout::vertical([
        Constraint::Length(reg_h),
        Constraint::Fill(1),
    ]));
    regions::render(f, reg, app);
    side_column(f, rest, app, false);
}

/// Queues, then (optionally) deployments, then the timeline, in a column.
fn side_column(f: &mut Frame, area: Rect, app: &AppState, with_deployments: bool) {
    let rest = if with_deployments { 10 } else { 5 };
    let q_h = queues::height(app).min(area.height.saturating_sub(rest));
    // In a drill the walkthrough takes the timeline's place until the timeline is focused, with
    // the rows it needs, up to half of what the queues leave.
    let walk_instead = with_deployments && app.walk.is_some() && app.ui.focus != PaneId::Timeline;
    if walk_instead {
        let left = area.height.saturating_sub(q_h);
        let walk_h = walkthrough::height(app, area.width).min(left.div_ceil(2) + 1);
        let [q, d, w] = area.layout(&Layout::vertical([
            Constraint::Length(q_h),
            Constraint::Fill(1),
            Constraint::Length(walk_h),
        ]));
        queues::render(f, q, app);
        deployments::render(f, d, app);
        walkthrough::render(f, w, app);
    } else if with_deployments {
        let [q, d, t] = area.layout(&Layout::vertical([
            Constraint::Length(q_h),
            Constraint::Fill(1),
            Constraint::Fill(1),
        ]));
        queues::render(f, q, app);
        deployments::render(f, d, app);
        timeline::render(f, t, app);
    } else {
        let walk_h = walkthrough::height(app, area.width).min(area.height.saturating_sub(q_h + 5));
        let [q, t, w] = area.layout(&Layout::vertical([
            Constraint::Length(q_h),
            Constraint::Fill(1),
            Constraint::Length(walk_h),
        ]));
        queues::render(f, q, app);
        timeline::render(f, t, app);
        walkthrough::render(f, w, app);
    }
}
