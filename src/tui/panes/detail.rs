//! The app detail view (Enter on an app, or `:app NAME`): site and Resource Health, every slot
//! with its health, version and checks, settings and key drift against the app's counterparts in
//! other regions (counts and names only; values are never held), functions and whether each is
//! disabled, and charts of failure rate and latency.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph};

use super::region_rows::{route_of, route_spans};
use crate::model::observed::short_age;
use crate::model::{AppState as App, MetricPoint, SlotState, Snapshot};
use crate::tui::app::AppState;
use crate::tui::derive::age::AgeSummary;
use crate::tui::derive::drift::Drift;
use crate::tui::derive::{clock, hhmm};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{cell, error_lines, pane_block};

/// Draws the detail of the named app.
pub fn render(f: &mut Frame, area: Rect, state: &AppState, name: &str) {
    let theme = state.theme();
    let now = state.data.now;
    let Some((snap, app)) = state
        .snapshot()
        .and_then(|s| s.apps.iter().find(|a| a.name == name).map(|a| (s, a)))
    else {
        let block = pane_block("App detail", None, true, theme);
        let msg = Paragraph::new(format!("no app `{name}` in the data")).block(block);
        f.render_widget(msg, area);
        return;
    };
    let mut age = AgeSummary::default();
    age.add(&app.site, now);
    app.slots.iter().for_each(|s| age.add(&s.health, now));
    age.add(&app.platform, now);
    age.add(&app.metrics, now);
    age.add(&app.settings, now);
    age.add(&app.keys, now);
    age.add(&app.functions, now);
    let title = format!("{} · {} · {}", app.name, app.service, app.region);
    let block = pane_block(&title, Some(&age), true, theme);
    let inner = block.inner(area);
    f.render_widget(block, area);

    let mut lines = facts(snap, app, theme);
    lines.extend(error_lines(&age, theme, 3));
    // The text first; the charts take what is left when that is at least 8 rows.
    let text_h = (lines.len() as u16).min(inner.height);
    let chart_h = if inner.height.saturating_sub(text_h) >= 8 {
        inner.height - text_h
    } else {
        0
    };
    let [text, charts] = inner.layout(&Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(chart_h),
    ]));
    f.render_widget(
        Paragraph::new(lines).scroll((state.detail_scroll(), 0)),
        text,
    );
    if chart_h > 0 {
        let points = app.metrics.get().map(Vec::as_slice).unwrap_or_default();
        let [left, right] = charts.layout(&Layout::horizontal([Constraint::Fill(1); 2]));
        chart(
            f,
            left,
            points,
            "Failure rate %",
            |p| p.failure_rate() * 100.0,
            Role::ChartSecondary,
            theme,
        );
        chart(
            f,
            right,
            points,
            "Avg latency ms",
            |p| p.avg_ms.unwrap_or(0.0),
            Role::ChartPrimary,
            theme,
        );
    }
}

fn heading(text: &str, theme: &Theme) -> Line<'static> {
    Line::styled(text.to_owned(), theme.style(Role::Title))
}

fn facts(snap: &Snapshot, app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = site_lines(app, theme);
    if let Some(route) = route_of(snap, &app.name) {
        let mut spans = vec![Span::styled(cell("Route", 10), theme.style(Role::Muted))];
        spans.extend(route_spans(Some(route), false, theme));
        out.push(Line::from(spans));
    }
    out.push(Line::raw(""));
    out.push(heading("Slots", theme));
    out.extend(app.slots.iter().map(|s| slot_line(s, snap, theme)));
    out.push(Line::raw(""));
    out.extend(drift_lines(snap, app, theme));
    out.push(Line::raw(""));
    out.extend(function_lines(app, theme));
    out
}

/// The site's state and Resource Health.
fn site_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let muted = theme.style(Role::Muted);
    let mut out = Vec::new();
    if let Some(site) = app.site.get() {
        let last_swap = site
            .last_swap
            .as_ref()
            .map(|(t, from, to)| format!(" · last swap {} {from}→{to}", clock(*t)))
            .unwrap_or_default();
        let enabled = if site.enabled { "enabled" } else { "disabled" };
        out.push(Line::from(vec![
            Span::styled(cell("Site", 10), muted),
            Span::styled(
                format!(
                    "{} · {enabled} · {}{last_swap}",
                    site.state, site.availability
                ),
                theme.style(Role::Text),
            ),
        ]));
    }
    if let Some(p) = app.platform.get() {
        let since = p
            .since
            .map(|s| format!(" since {}", s.format("%m-%d %H:%M")))
            .unwrap_or_default();
        out.push(Line::from(vec![
            Span::styled(cell("Platform", 10), muted),
            Span::styled(
                format!("{} {}", p.state.symbol(), p.word),
                theme.health(p.state),
            ),
            Span::styled(
                format!("{since} — {}", p.summary.as_deref().unwrap_or("")),
                muted,
            ),
        ]));
    }
    out
}

/// A slot: health, HTTP status, version, probe time and every check.
fn slot_line(s: &SlotState, snap: &Snapshot, theme: &Theme) -> Line<'static> {
    let muted = theme.style(Role::Muted);
    let mut spans = vec![
        Span::raw("  "),
        Span::styled(cell(&s.name, 12), theme.style(Role::Text)),
    ];
    match s.health.get() {
        Some(r) => {
            let status = format!("{} {}", r.status.symbol(), r.status.label());
            let http = r
                .http_status
                .map_or_else(|| "HTTP —".to_owned(), |c| format!("HTTP {c}"));
            let took = r.duration_ms.map_or_else(String::new, |d| format!("{d}ms"));
            spans.push(Span::styled(cell(&status, 13), theme.health(r.status)));
            spans.push(Span::styled(cell(&http, 9), muted));
            spans.push(Span::styled(
                cell(r.version.as_deref().unwrap_or("—"), 12),
                theme.style(Role::Info),
            ));
            spans.push(Span::styled(cell(&took, 7), muted));
            for (check, h) in &r.checks {
                spans.push(Span::styled(format!("{check} "), muted));
                spans.push(Span::styled(format!("{}  ", h.symbol()), theme.health(*h)));
            }
        }
        None => spans.push(Span::styled("? no health data", theme.style(Role::Unknown))),
    }
    if let Some(age) = s.health.age(snap.taken_at) {
        spans.push(Span::styled(format!("({} ago)", short_age(age)), muted));
    }
    Line::from(spans)
}

/// Settings and key drift against each counterpart in another region.
fn drift_lines(snap: &Snapshot, app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let others = snap
        .apps
        .iter()
        .filter(|a| a.service == app.service && a.name != app.name);
    for other in others {
        let title = format!(
            "Drift against {} (names only; values compared by digest)",
            other.name
        );
        out.push(heading(&title, theme));
        for (what, here, there) in [
            ("settings", &app.settings, &other.settings),
            ("keys", &app.keys, &other.keys),
        ] {
            let (Some(h), Some(t)) = (here.get(), there.get()) else {
                out.push(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(cell(what, 10), theme.style(Role::Muted)),
                    Span::styled("? not read yet", theme.style(Role::Unknown)),
                ]));
                continue;
            };
            out.push(drift_line(what, &Drift::between(h, t), theme));
        }
    }
    out
}

/// Functions and whether each is disabled.
fn function_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let Some(fns) = app.functions.get() else {
        return Vec::new();
    };
    let disabled = fns.iter().filter(|f| f.disabled).count();
    let title = format!("Functions ({}, {disabled} disabled)", fns.len());
    let mut spans = vec![Span::raw("  ")];
    for f in fns {
        let (sym, word, role) = if f.disabled {
            ("○", "disabled", Role::Warn)
        } else {
            ("●", "enabled", Role::Ok)
        };
        spans.push(Span::styled(format!("{sym} "), theme.style(role)));
        spans.push(Span::styled(
            format!("{} ", f.name),
            theme.style(Role::Text),
        ));
        spans.push(Span::styled(format!("{word}   "), theme.style(Role::Muted)));
    }
    vec![heading(&title, theme), Line::from(spans)]
}

fn drift_line(what: &str, d: &Drift, theme: &Theme) -> Line<'static> {
    let muted = theme.style(Role::Muted);
    let mut spans = vec![Span::raw("  "), Span::styled(cell(what, 10), muted)];
    if d.is_empty() {
        spans.push(Span::styled("✓ in sync", theme.style(Role::Ok)));
    } else {
        let n = d.missing_there.len() + d.missing_here.len() + d.differ.len();
        spans.push(Span::styled(
            format!("✗ {n} difference{}", if n == 1 { "" } else { "s" }),
            theme.style(Role::Warn),
        ));
    }
    for (label, names) in [
        ("missing there", &d.missing_there),
        ("missing here", &d.missing_here),
        ("differ", &d.differ),
    ] {
        if !names.is_empty() {
            spans.push(Span::styled(
                format!(" · {label} ({}): ", names.len()),
                muted,
            ));
            spans.push(Span::styled(names.join(", "), theme.style(Role::Text)));
        }
    }
    if !d.per_region.is_empty() {
        spans.push(Span::styled(
            format!(
                " · per region as expected ({}): {}",
                d.per_region.len(),
                d.per_region.join(", ")
            ),
            muted,
        ));
    }
    Line::from(spans)
}

fn chart(
    f: &mut Frame,
    area: Rect,
    points: &[MetricPoint],
    title: &str,
    y: impl Fn(&MetricPoint) -> f64,
    role: Role,
    theme: &Theme,
) {
    let data: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| (i as f64, y(p)))
        .collect();
    let top = data.iter().map(|d| d.1).fold(0.0_f64, f64::max).max(1.0) * 1.15;
    let x_max = (data.len().max(2) - 1) as f64;
    let first = points.first().map(|p| hhmm(p.at)).unwrap_or_default();
    let last = points.last().map(|p| hhmm(p.at)).unwrap_or_default();
    let dataset = Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(theme.style(role))
        .data(&data);
    let chart = Chart::new(vec![dataset])
        .block(pane_block(title, None, false, theme))
        .x_axis(
            Axis::default()
                .bounds([0.0, x_max])
                .labels([first, last])
                .style(theme.style(Role::Muted)),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .labels(["0".to_owned(), format!("{top:.0}")])
                .style(theme.style(Role::Muted)),
        );
    f.render_widget(chart, area);
}
