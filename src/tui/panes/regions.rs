//! The regions pane: per region, per app, the health (status word and symbol, every check of
//! the health endpoint, Resource Health), the version in each slot, failure rate with a
//! sparkline, latency (the p95 when Log Analytics reports one, else the average: platform metrics
//! have no percentiles; the narrow row shows the average only), and the Traffic Manager endpoint or
//! Front Door origin. Rows shrink with the width (see [`Format`]); the selected app is
//! highlighted and opens the detail view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::region_rows::{
    AppRow, build_rows, checks_spans, platform_spans, route_spans, slot_spans,
};
use crate::model::{Freshness, RegionInfo, Snapshot};
use crate::tui::app::AppState;
use crate::tui::derive::age::AgeSummary;
use crate::tui::msg::PaneId;
use crate::tui::theme::{Role, Theme};
use crate::tui::walkthrough::Look;
use crate::tui::widgets::{col, error_lines, fit, pane_block, percent, spark};

/// How much of each app a row shows, by the room there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One line with everything (wide panes).
    Full,
    /// Two lines per app: figures, then checks, Resource Health and route.
    TwoLine,
    /// One line: figures, route and failing checks.
    Line,
    /// The essentials, for regions side by side in a small terminal.
    Narrow,
}

const FULL_MIN: u16 = 160;
const LINE_MIN: u16 = 72;
const MAX_ERRORS: usize = 2;

/// Age and failing sources of everything this pane draws.
pub fn age(snap: &Snapshot, now: chrono::DateTime<chrono::Utc>) -> AgeSummary {
    let mut a = AgeSummary::default();
    for app in &snap.apps {
        a.add_named(&app.name, &app.site, now);
        for s in &app.slots {
            a.add_named(&format!("{}/{}", app.name, s.name), &s.health, now);
        }
        a.add_named(&app.name, &app.platform, now);
        a.add_named(&app.name, &app.metrics, now);
    }
    for (name, o) in [&snap.routes.traffic_manager, &snap.routes.front_door]
        .into_iter()
        .flatten()
    {
        a.add_named(name, o, now);
    }
    a
}

/// The layout of the pane for an inner width and the rows available: the format, whether the
/// regions sit side by side, and the rows it needs.
fn plan(snap: &Snapshot, inner_w: u16, rows: u16, errors: u16) -> (Format, bool, u16) {
    let regions = snap.regions.len().max(1) as u16;
    let per = snap
        .regions
        .iter()
        .map(|r| snap.apps.iter().filter(|a| a.region == r.name).count())
        .max()
        .unwrap_or(0) as u16;
    let stacked = |lines: u16| regions * (1 + per * lines) + errors;
    if inner_w >= FULL_MIN && stacked(1) <= rows {
        return (Format::Full, false, stacked(1));
    }
    if inner_w >= LINE_MIN {
        if stacked(2) <= rows && inner_w < FULL_MIN {
            return (Format::TwoLine, false, stacked(2));
        }
        if stacked(1) <= rows {
            return (Format::Line, false, stacked(1));
        }
    }
    let column_w = inner_w / regions;
    let format = if column_w >= LINE_MIN {
        Format::Line
    } else {
        Format::Narrow
    };
    (format, true, 1 + per + errors)
}

/// The rows (borders included) the pane would like within `budget`, at this width.
pub fn height(app: &AppState, width: u16, budget: u16) -> u16 {
    let Some(snap) = app.snapshot() else {
        return 3;
    };
    let errors = age(snap, app.data.now).errors.len().min(MAX_ERRORS) as u16;
    let inner = budget.saturating_sub(2);
    let (_, _, need) = plan(snap, width.saturating_sub(2), inner, errors);
    (need + 2).min(budget)
}

/// Draws the pane.
pub fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let theme = app.theme();
    let focused = app.ui.focus == PaneId::Regions;
    let Some(snap) = app.snapshot() else {
        f.render_widget(pane_block("Regions", None, focused, theme), area);
        return;
    };
    let now = app.data.now;
    let summary = age(snap, now);
    let block = pane_block("Regions", Some(&summary), focused, theme);
    let block = super::walkthrough::mark(block, app, Look::Pane(PaneId::Regions));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let errs = error_lines(&summary, theme, MAX_ERRORS);
    let (format, side, _) = plan(snap, inner.width, inner.height, errs.len() as u16);
    let rows = build_rows(snap, now);
    let selected = app.ui.selected_app.as_deref();

    let body_h = inner.height.saturating_sub(errs.len() as u16);
    let columns: Vec<Rect> = if side {
        let n = snap.regions.len().max(1) as u16;
        let w = inner.width / n;
        (0..n)
            .map(|i| Rect::new(inner.x + i * w, inner.y, w.saturating_sub(1), body_h))
            .collect()
    } else {
        vec![Rect::new(inner.x, inner.y, inner.width, body_h)]
    };
    let mut all: Vec<Vec<Line>> = vec![Vec::new(); columns.len()];
    let mut sel_line: Vec<Option<usize>> = vec![None; columns.len()];
    for (i, region) in snap.regions.iter().enumerate() {
        let c = if side { i.min(columns.len() - 1) } else { 0 };
        let width = usize::from(columns[c].width);
        let mine: Vec<&AppRow> = rows
            .iter()
            .filter(|r| r.app.region == region.name)
            .collect();
        all[c].push(heading(region, &mine, width, theme));
        for row in mine {
            let is_sel = selected == Some(row.app.name.as_str());
            if is_sel {
                sel_line[c] = Some(all[c].len());
            }
            for line in app_lines(row, format, width, is_sel && focused, theme) {
                let line = if is_sel {
                    line.patch_style(theme.style(Role::Selection))
                } else {
                    line
                };
                all[c].push(line);
            }
        }
    }
    for ((lines, rect), sel) in all.into_iter().zip(columns).zip(sel_line) {
        // Keep the selection in view.
        let offset = sel.map_or(0, |s| (s + 1).saturating_sub(usize::from(rect.height)));
        f.render_widget(Paragraph::new(lines).scroll((offset as u16, 0)), rect);
    }
    if !errs.is_empty() {
        let y = inner.y + body_h;
        let r = Rect::new(inner.x, y, inner.width, inner.bottom().saturating_sub(y));
        f.render_widget(Paragraph::new(errs), r);
    }
}

/// `krc koreacentral · primary      ✗ 1 of 5 unhealthy`
fn heading(region: &RegionInfo, rows: &[&AppRow], width: usize, theme: &Theme) -> Line<'static> {
    let failing = rows.iter().filter(|r| !r.health.is_ok()).count();
    let role = if region.primary {
        "primary"
    } else {
        "secondary"
    };
    let (state, style) = if failing == 0 {
        (
            format!("✓ all {} healthy", rows.len()),
            theme.style(Role::Ok),
        )
    } else {
        (
            format!("✗ {failing} of {} not healthy", rows.len()),
            theme.style(Role::Crit),
        )
    };
    let mut spans = vec![Span::styled(region.name.clone(), theme.style(Role::Title))];
    let mut right = Vec::new();
    if width >= 60 {
        spans.push(Span::styled(
            format!(" {} · {role}", region.location),
            theme.style(Role::Title),
        ));
        let ok = rows.iter().filter(|r| r.platform_ok()).count();
        // Resource Health that is missing or stale is not known, which is not "unavailable".
        let unknown = rows
            .iter()
            .filter(|r| r.platform.is_none() || r.platform_fresh != Freshness::Fresh)
            .count();
        let (text, rh_role) = if ok == rows.len() {
            (format!("✓ {ok}/{} available", rows.len()), Role::Ok)
        } else if unknown == rows.len() {
            ("? not known".to_owned(), Role::Stale)
        } else if unknown > 0 {
            (
                format!("? {ok}/{} up, {unknown} unknown", rows.len()),
                Role::Warn,
            )
        } else {
            (format!("! {ok}/{} available", rows.len()), Role::Warn)
        };
        right.push(Span::styled("RH ", theme.style(Role::Muted)));
        right.push(Span::styled(text, theme.style(rh_role)));
        right.push(Span::styled(" · ", theme.style(Role::Muted)));
    } else {
        spans.push(Span::styled(format!(" · {role}"), theme.style(Role::Title)));
    }
    right.push(Span::styled(state, style));
    let used: usize = spans.iter().chain(&right).map(Span::width).sum();
    spans.push(Span::raw(" ".repeat(width.saturating_sub(used + 1).max(1))));
    spans.extend(right);
    Line::from(spans)
}

/// The failure-rate level a sparkline is scaled to at least, so that noise stays flat.
const SPARK_FLOOR: f64 = 0.05;

/// The line(s) of one app in a format.
fn app_lines(
    row: &AppRow,
    format: Format,
    width: usize,
    mark: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let marker = Span::styled(if mark { "▶" } else { " " }, theme.style(Role::Title));
    let health_style = if row.health_fresh == Freshness::Fresh {
        theme.health(row.health)
    } else {
        theme.style(Role::Stale)
    };
    let health = col(
        &format!("{} {}", row.health.symbol(), row.health.label()),
        11,
        health_style,
    );
    let service = col(&row.app.service, 11, theme.style(Role::Text));
    let fail = row.rate.map_or_else(|| "—".to_owned(), percent);
    let fail_style = match row.rate {
        Some(r) if r >= 0.05 => theme.style(Role::Crit),
        Some(r) if r >= 0.02 => theme.style(Role::Warn),
        _ => theme.style(Role::Text),
    };
    let top = row.rates.iter().copied().fold(SPARK_FLOOR, f64::max);
    let avg = row
        .avg_ms
        .map_or_else(|| "—".to_owned(), |ms| format!("{ms:.0}ms"));
    let mut spans = vec![marker, health, service];
    if format == Format::Narrow {
        spans.push(Span::styled(format!("{:>6} ", fit(&fail, 6)), fail_style));
        let room = width.saturating_sub(32);
        spans.push(Span::styled(
            format!("{} ", spark(&row.rates, room.min(10), Some(top))),
            theme.style(Role::Spark),
        ));
        // Wider columns take the latency, then the production version.
        let mut left = room.saturating_sub(11);
        if left >= 7 {
            spans.push(Span::styled(format!("{avg:>6} "), theme.style(Role::Text)));
            left -= 7;
        }
        if left >= 11 {
            let version = row.prod_version().unwrap_or("—");
            spans.push(col(version, 10, theme.style(Role::Info)));
        }
        return vec![Line::from(spans)];
    }
    if format == Format::Line {
        spans.push(col(
            row.prod_version().unwrap_or("—"),
            10,
            theme.style(Role::Info),
        ));
    }
    spans.push(Span::styled(format!("{fail:>5} "), fail_style));
    spans.push(Span::styled(
        format!("{} ", spark(&row.rates, 8, Some(top))),
        theme.style(Role::Spark),
    ));
    // The p95 when Log Analytics reports one (what verification compares), else the average.
    let latency = row.p95_ms.map_or_else(
        || format!("{avg:>6} avg "),
        |ms| format!("p95 {:>6} ", duration_ms(ms)),
    );
    spans.push(Span::styled(latency, theme.style(Role::Text)));
    // Resource Health takes the route's column when the app has no route and RH needs a word.
    let rh_in_route = row.route.is_none() && !row.platform_ok() && format != Format::Full;
    if rh_in_route {
        spans.extend(platform_spans(row, theme));
        spans.push(Span::raw(" "));
    } else {
        spans.extend(route_spans(row.route, true, theme));
    }
    let used: usize = spans.iter().map(Span::width).sum();
    match format {
        Format::Line => {
            let all = checks_spans(row, false, theme);
            let all_w: usize = all.iter().map(Span::width).sum();
            if used + all_w <= width {
                spans.extend(all);
            } else {
                spans.extend(checks_spans(row, true, theme));
            }
            if !row.platform_ok() && !rh_in_route {
                spans.push(Span::raw(" "));
                spans.extend(platform_spans(row, theme));
            }
            vec![Line::from(spans)]
        }
        Format::TwoLine => {
            if !row.platform_ok() && !rh_in_route {
                spans.extend(platform_spans(row, theme));
            }
            let mut second = vec![Span::raw("  ")];
            second.extend(slot_spans(row, theme));
            second.extend(checks_spans(row, false, theme));
            vec![Line::from(spans), Line::from(second)]
        }
        Format::Full | Format::Narrow => {
            spans.extend(slot_spans(row, theme));
            spans.extend(checks_spans(row, false, theme));
            spans.push(Span::raw(" "));
            spans.extend(platform_spans(row, theme));
            vec![Line::from(spans)]
        }
    }
}
/// A latency in the fewest characters: `412ms`, `1.4s`, `31s`.
fn duration_ms(ms: f64) -> String {
    if ms < 999.5 {
        format!("{ms:.0}ms")
    } else if ms < 9950.0 {
        format!("{:.1}s", ms / 1000.0)
    } else {
        format!("{:.0}s", ms / 1000.0)
    }
}
