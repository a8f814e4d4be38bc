//! The header: estate name, the SIMULATED / PRODUCTION banner, the read-only marker and the
//! data's age on the first row; the incident clock, the RTO countdown and the RPO estimate on the
//! second. Two rows at every width; words shorten when narrow.

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::model::observed::short_age;
use crate::tui::app::AppState;
use crate::tui::derive::rpo::RpoEstimate;
use crate::tui::derive::{clock, span};
use crate::tui::theme::{Role, Theme};

/// Rows the header takes.
pub const HEIGHT: u16 = 2;

/// How old the whole snapshot may get before the header marks it stale.
pub const SNAPSHOT_STALE_AFTER: Duration = Duration::seconds(15);

/// Draws the header.
pub fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let theme = app.theme();
    let narrow = area.width < 110;
    let [top, bottom] = area.layout(&ratatui::layout::Layout::vertical([1, 1]));
    let Some(snap) = app.snapshot() else {
        f.render_widget(
            Paragraph::new(Line::styled(
                " waiting for the first snapshot…",
                theme.style(Role::Muted),
            )),
            top,
        );
        return;
    };
    let now = app.data.now;

    // Row 1: name, banner, read-only; age and clock on the right.
    let (banner, role) = if snap.simulated {
        (" SIMULATED ", Role::BannerSim)
    } else {
        (" PRODUCTION ", Role::BannerProd)
    };
    let mut left = vec![
        Span::styled(format!(" {} ", snap.estate), theme.style(Role::Title)),
        Span::styled(banner, theme.style(role)),
    ];
    if app.ui.read_only {
        left.push(Span::raw(" "));
        left.push(Span::styled(" READ-ONLY ", theme.style(Role::ReadOnly)));
    }
    if app.data.resumed.is_some() {
        left.push(Span::raw(" "));
        left.push(Span::styled("↻ RESUMED", theme.style(Role::Warn)));
    }
    let age = now - snap.taken_at;
    let age_role = if age > SNAPSHOT_STALE_AFTER {
        Role::Stale
    } else {
        Role::Muted
    };
    let stale = if age > SNAPSHOT_STALE_AFTER {
        "STALE "
    } else {
        ""
    };
    let right = Line::from(vec![
        Span::styled(
            format!("data {stale}{} ", short_age(age)),
            theme.style(age_role),
        ),
        Span::styled(format!("{} UTC ", clock(now)), theme.style(Role::Text)),
    ]);
    f.render_widget(Paragraph::new(Line::from(left)), top);
    f.render_widget(Paragraph::new(right).alignment(Alignment::Right), top);

    // Row 2: incident clock, RTO, RPO.
    let mut spans = incident_spans(app, theme, narrow);
    spans.push(Span::styled("  │  ", theme.style(Role::Border)));
    spans.extend(rpo_spans(&RpoEstimate::of(snap, now), theme, narrow));
    f.render_widget(Paragraph::new(Line::from(spans)), bottom);
}

/// The incident clock and RTO countdown.
fn incident_spans(app: &AppState, theme: &Theme, narrow: bool) -> Vec<Span<'static>> {
    let Some(snap) = app.snapshot() else {
        return Vec::new();
    };
    let target = Duration::minutes(i64::from(snap.rto_minutes));
    let now = app.data.now;
    let Some(inc) = &app.data.incident else {
        return vec![
            Span::styled(" ✓ no incident", theme.style(Role::Ok)),
            Span::styled("  │  ", theme.style(Role::Border)),
            Span::styled(
                format!("RTO target {}m", snap.rto_minutes),
                theme.style(Role::Muted),
            ),
        ];
    };
    let elapsed = inc.elapsed(now);
    let since = if narrow {
        String::new()
    } else {
        format!(" since {}", clock(inc.detected_at))
    };
    let mut out = Vec::new();
    if let Some(at) = app.data.context.closed_at {
        let text = if narrow {
            " ■ CLOSED".to_owned()
        } else {
            format!(" ■ CLOSED at {}", clock(at))
        };
        out.push(Span::styled(text, theme.style(Role::Muted)));
        let sep = if narrow { " · " } else { "  │  " };
        out.push(Span::styled(sep, theme.style(Role::Border)));
    }
    let closed = app.data.context.closed_at.is_some();
    if let Some(back) = inc.recovered_at {
        // Narrow and closed: the RTO below carries the time, so the word makes room for the RPO.
        if !(narrow && closed) {
            let lead = if closed { "" } else { " " };
            out.push(Span::styled(
                format!("{lead}✓ RECOVERED in {}", span(elapsed)),
                theme.style(Role::Ok),
            ));
            if !narrow {
                out.push(Span::styled(
                    format!(" at {}", clock(back)),
                    theme.style(Role::Muted),
                ));
            }
            out.push(Span::styled("  │  ", theme.style(Role::Border)));
        }
        let (word, role) = if elapsed <= target {
            ("met", Role::Ok)
        } else {
            ("missed", Role::Crit)
        };
        out.push(Span::styled(
            format!("RTO {word} {}/{}m", span(elapsed), snap.rto_minutes),
            theme.style(role),
        ));
    } else {
        out.push(Span::styled(
            format!(" ✗ INCIDENT {}", span(elapsed)),
            theme.style(Role::Crit),
        ));
        if app.data.resumed.is_some() && !narrow {
            out.push(Span::styled(" declared", theme.style(Role::Muted)));
        }
        out.push(Span::styled(since, theme.style(Role::Muted)));
        out.push(Span::styled("  │  ", theme.style(Role::Border)));
        let left = target - elapsed;
        let (text, role) = if left < Duration::zero() {
            (format!("RTO over by {}", span(left)), Role::Crit)
        } else if left * 4 < target {
            (format!("RTO {} left", span(left)), Role::Warn)
        } else {
            (format!("RTO {} left", span(left)), Role::Ok)
        };
        out.push(Span::styled(text, theme.style(role)));
        if !narrow {
            out.push(Span::styled(
                format!(" of {}m", snap.rto_minutes),
                theme.style(Role::Muted),
            ));
        }
    }
    out
}

/// The RPO estimate against its target.
fn rpo_spans(rpo: &RpoEstimate, theme: &Theme, narrow: bool) -> Vec<Span<'static>> {
    let ratio = rpo.ratio();
    let role = if ratio >= 1.0 {
        Role::Crit
    } else if ratio >= 0.5 {
        Role::Warn
    } else {
        Role::Ok
    };
    let target = rpo.target.num_minutes();
    let mut out = vec![match &rpo.worst {
        Some((lag, _)) => Span::styled(format!("RPO ≈{}/{target}m", span(*lag)), theme.style(role)),
        None => Span::styled(format!("RPO ≈0/{target}m"), theme.style(Role::Ok)),
    }];
    if let (Some((_, what)), false) = (&rpo.worst, narrow) {
        out.push(Span::styled(format!(" {what}"), theme.style(Role::Muted)));
    }
    if rpo.pending_operations > 0 {
        out.push(Span::styled(
            format!(" · {} pending", rpo.pending_operations),
            theme.style(Role::Warn),
        ));
    }
    out
}
