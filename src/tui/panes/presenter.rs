//! Presenter mode (`p`), for a shared screen: few, large elements — the incident clock and the
//! RTO left in big digits, the current step of the runbook in big letters with its evidence, and
//! each region's health in a large box. Falls back to bold text where big text does not fit.

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use crate::tui::app::AppState;
use crate::tui::derive::incident::is_failing;
use crate::tui::derive::{clock, span};
use crate::tui::flowchart::NodeState;
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::bigtext::{BigText, Font};
use crate::tui::widgets::fit;

/// Draws text in the largest font that fits, else as a bold line.
fn big(f: &mut Frame, area: Rect, text: &str, style: Style) {
    match BigText::fit(text, area) {
        Some(font) => f.render_widget(BigText::new(text, font, style), area),
        None => f.render_widget(
            Paragraph::new(Span::styled(
                fit(text, usize::from(area.width)),
                style.bold(),
            )),
            area,
        ),
    }
}

/// The tallest font whose text rows leave `rest` rows free out of `rows`, at this width.
fn font_for(text: &str, width: u16, rows: u16, rest: u16) -> u16 {
    Font::BY_SIZE
        .into_iter()
        .find(|f| f.width(text) <= width && f.height() + rest <= rows)
        .map_or(1, Font::height)
}

/// Draws presenter mode.
pub fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let theme = app.theme();
    let Some(snap) = app.snapshot() else {
        f.render_widget(Paragraph::new("waiting for the first snapshot…"), area);
        return;
    };
    let area = area.inner(ratatui::layout::Margin::new(2, 0));
    // Rows: title, gap, clock label + digits, gap, step label + word + evidence, gap, regions.
    let clock_h = font_for("00:00", area.width / 2, area.height, 3 + 5 + 1 + 7);
    let step_h = font_for("ROLLBACK", area.width, area.height, 3 + 1 + clock_h + 2 + 7);
    let [title, _, clocks, _, step, _, regions] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1 + clock_h),
        Constraint::Length(1),
        Constraint::Length(2 + step_h),
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    let (banner, role) = if snap.simulated {
        (" SIMULATED ", Role::BannerSim)
    } else {
        (" PRODUCTION ", Role::BannerProd)
    };
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!("{}  ", snap.estate), theme.style(Role::Title)),
            Span::styled(banner, theme.style(role)),
            Span::styled(
                format!("   {} UTC", clock(app.data.now)),
                theme.style(Role::Muted),
            ),
        ])),
        title,
    );
    clocks_row(f, clocks, app, theme);
    step_row(f, step, app, theme);
    regions_row(f, regions, app, theme);
}

fn labelled(f: &mut Frame, area: Rect, label: &str, value: &str, style: Style, theme: &Theme) {
    let [l, v] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
    ]));
    f.render_widget(
        Paragraph::new(Span::styled(label.to_owned(), theme.style(Role::Muted))),
        l,
    );
    big(f, v, value, style);
}

fn clocks_row(f: &mut Frame, area: Rect, app: &AppState, theme: &Theme) {
    let [left, right] = area.layout(&Layout::horizontal([Constraint::Fill(1); 2]));
    let Some(snap) = app.snapshot() else { return };
    let target = Duration::minutes(i64::from(snap.rto_minutes));
    let now = app.data.now;
    match &app.data.incident {
        None => {
            labelled(f, left, "✓ NO INCIDENT", "OK", theme.style(Role::Ok), theme);
            labelled(
                f,
                right,
                &format!("RTO target {}m", snap.rto_minutes),
                &span(target),
                theme.style(Role::Muted),
                theme,
            );
        }
        Some(inc) => {
            let elapsed = inc.elapsed(now);
            if inc.recovered_at.is_some() {
                labelled(
                    f,
                    left,
                    &format!("✓ RECOVERED · detected {}", clock(inc.detected_at)),
                    &span(elapsed),
                    theme.style(Role::Ok),
                    theme,
                );
                let (word, role) = if elapsed <= target {
                    ("met", Role::Ok)
                } else {
                    ("missed", Role::Crit)
                };
                labelled(
                    f,
                    right,
                    &format!("RTO {word} · target {}m", snap.rto_minutes),
                    &span(elapsed),
                    theme.style(role),
                    theme,
                );
            } else {
                labelled(
                    f,
                    left,
                    &format!("✗ INCIDENT · since {}", clock(inc.detected_at)),
                    &span(elapsed),
                    theme.style(Role::Crit),
                    theme,
                );
                let left_t = target - elapsed;
                let (label, role) = if left_t < Duration::zero() {
                    ("RTO OVER BY", Role::Crit)
                } else if left_t * 4 < target {
                    ("RTO LEFT", Role::Warn)
                } else {
                    ("RTO LEFT", Role::Ok)
                };
                labelled(
                    f,
                    right,
                    &format!("{label} · target {}m", snap.rto_minutes),
                    &span(left_t),
                    theme.style(role),
                    theme,
                );
            }
        }
    }
}

fn step_row(f: &mut Frame, area: Rect, app: &AppState, theme: &Theme) {
    let chart = &app.data.flowchart;
    let states = &app.data.flow;
    let node = chart
        .recommended(states)
        .or_else(|| chart.current_path(states).last().copied());
    let Some(index) = node else { return };
    let step = &chart.nodes[index];
    let st = states.get(&step.id);
    let (label, role) = match st.state {
        NodeState::Recommended => ("▶ RECOMMENDED NEXT STEP", Role::RecommendedPath),
        NodeState::Evaluating => ("… WATCHING", Role::Evaluating),
        _ => ("CURRENT STEP", Role::Text),
    };
    let [label_area, word_area, evidence_area] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ]));
    f.render_widget(
        Paragraph::new(Span::styled(
            format!("{label} · {}", step.label),
            theme.style(role),
        )),
        label_area,
    );
    let word = if st.state == NodeState::Evaluating {
        "WATCHING"
    } else {
        step.short.trim_end_matches('?')
    };
    big(f, word_area, word, theme.style(role));
    if let Some(ev) = st.evidence {
        f.render_widget(
            Paragraph::new(Span::styled(ev, theme.style(Role::Text))),
            evidence_area,
        );
    }
}

fn regions_row(f: &mut Frame, area: Rect, app: &AppState, theme: &Theme) {
    let Some(snap) = app.snapshot() else { return };
    let n = snap.regions.len().max(1);
    let cols = area.layout_vec(&Layout::horizontal(vec![Constraint::Fill(1); n]).spacing(2));
    for (region, rect) in snap.regions.iter().zip(cols) {
        let apps: Vec<_> = snap
            .apps
            .iter()
            .filter(|a| a.region == region.name)
            .collect();
        let failing: Vec<_> = apps
            .iter()
            .filter(|a| is_failing(a.health()) || !a.health().is_ok())
            .collect();
        let (status, role) = if failing.is_empty() {
            (format!("✓ all {} apps healthy", apps.len()), Role::Ok)
        } else {
            (
                format!("✗ {} of {} apps not healthy", failing.len(), apps.len()),
                Role::Crit,
            )
        };
        let block = Block::bordered()
            .border_type(BorderType::Thick)
            .border_style(theme.style(role))
            .title(Span::styled(
                format!(
                    " {} · {} ",
                    region.location,
                    if region.primary {
                        "primary"
                    } else {
                        "secondary"
                    }
                ),
                theme.style(Role::Title),
            ));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let name_h = font_for(&region.name, inner.width, inner.height, 4);
        let [name, st, list] = inner.layout(&Layout::vertical([
            Constraint::Length(name_h),
            Constraint::Length(1),
            Constraint::Fill(1),
        ]));
        big(f, name, &region.name.to_uppercase(), theme.style(role));
        f.render_widget(
            Paragraph::new(Span::styled(status, theme.style(role).bold())),
            st,
        );
        let lines: Vec<Line> = failing
            .iter()
            .map(|a| {
                let h = a.health();
                Line::from(vec![
                    Span::styled(format!("{} {} ", h.symbol(), h.label()), theme.health(h)),
                    Span::styled(a.name.clone(), theme.style(Role::Text)),
                ])
            })
            .collect();
        f.render_widget(Paragraph::new(lines), list);
    }
}
