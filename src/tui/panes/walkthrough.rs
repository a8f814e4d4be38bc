//! The walkthrough pane of a drill: what the war room has heard so far (each line with its virtual
//! time and who said it, newest at the bottom), and the latest hint revealed with where it says
//! to look. Its title carries the drill's title, the RTO target and the time since the fault. Also
//! owns the `◀ look here` marker other panes put on their title when the hint names them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::timeline::wrap_words;
use crate::tui::app::AppState;
use crate::tui::derive::{clock, hhmm, span};
use crate::tui::theme::{Role, Theme};
use crate::tui::walkthrough::{LOOK_HERE, Look, Said, Walkthrough, target};
use crate::tui::widgets::{fit, pane_block};

/// Below this inner width the narrative's times are `HH:MM`.
const NARROW: u16 = 60;

/// The rows the pane would like at `width` columns: the whole narrative (heard or not, so the
/// layout does not move as it is heard), a hint of three rows, and the borders.
pub fn height(app: &AppState, width: u16) -> u16 {
    app.walk.as_ref().map_or(0, |w| {
        let inner = width.saturating_sub(2);
        let theme = app.theme();
        let said: usize = w
            .view
            .narrative
            .iter()
            .map(|s| said_lines(s, inner, theme).len())
            .sum();
        u16::try_from(said.max(1) + 3 + 2).unwrap_or(u16::MAX)
    })
}

/// Adds the `◀ look here` marker to a pane's frame when the latest hint names `here`.
pub fn mark<'a>(block: Block<'a>, app: &AppState, here: Look) -> Block<'a> {
    if app.walk.as_ref().and_then(Walkthrough::look) == Some(here) {
        block.title(Line::from(vec![
            Span::raw(" "),
            Span::styled(LOOK_HERE, app.theme().style(Role::Warn)),
            Span::raw(" "),
        ]))
    } else {
        block
    }
}

/// The right-hand title: the RTO target and the time since the fault.
fn clock_title(w: &Walkthrough, app: &AppState) -> String {
    let since = w.since_fault(app.data.now).map_or_else(
        || "no fault yet".to_owned(),
        |d| format!("fault +{}", span(d)),
    );
    format!("RTO {} · {since}", target(w.view.rto))
}

/// One narrative line as screen lines of `width` columns: the time, then who said it and what,
/// wrapped under the words.
fn said_lines(s: &Said, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let time = if width < NARROW {
        hhmm(s.at)
    } else {
        clock(s.at)
    };
    let indent = time.chars().count() + 1;
    let text_w = usize::from(width).saturating_sub(indent).max(8);
    let who = format!("{}:", s.from);
    let words = format!("{who} {}", s.text);
    wrap_words(&words, text_w)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            if i > 0 {
                return Line::from(vec![
                    Span::raw(" ".repeat(indent)),
                    Span::styled(part, theme.style(Role::Text)),
                ]);
            }
            let mut spans = vec![Span::styled(format!("{time} "), theme.style(Role::Muted))];
            match part.strip_prefix(&who) {
                Some(rest) => {
                    spans.push(Span::styled(who.clone(), theme.style(Role::Info)));
                    spans.push(Span::styled(rest.to_owned(), theme.style(Role::Text)));
                }
                None => spans.push(Span::styled(part, theme.style(Role::Info))),
            }
            Line::from(spans)
        })
        .collect()
}

/// The hint lines: how to get one, or the latest with its number and where to look.
fn hint_lines(w: &Walkthrough, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let total = w.view.hints.len();
    let Some(hint) = w.current() else {
        return vec![Line::from(vec![
            Span::styled("h", theme.style(Role::KeyHint)),
            Span::styled(
                format!(" reveals a hint · {total} available"),
                theme.style(Role::Muted),
            ),
        ])];
    };
    let look = match Look::parse(&hint.look) {
        Some(l) => format!("look at {} ({})", hint.look, l.how()),
        None => format!("look at {}", hint.look),
    };
    let more = if w.revealed < total {
        " · h next"
    } else {
        " · no more"
    };
    let number = Span::styled(
        format!("hint {} of {total}", w.revealed),
        theme.style(Role::Title),
    );
    let more = Span::styled(more, theme.style(Role::Muted));
    let one_line = Line::from(vec![
        number.clone(),
        Span::styled(format!(" · {look}"), theme.style(Role::Warn)),
        more.clone(),
    ]);
    // On one line when it fits, else the number, then where to look.
    let mut out = if one_line.width() <= usize::from(width) {
        vec![one_line]
    } else {
        vec![
            Line::from(vec![number, more]),
            Line::styled(look, theme.style(Role::Warn)),
        ]
    };
    out.extend(
        wrap_words(&hint.text, usize::from(width).max(8))
            .into_iter()
            .map(|l| Line::styled(l, theme.style(Role::Text))),
    );
    out
}

/// Draws the pane (nothing outside a drill).
pub fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let Some(w) = &app.walk else {
        return;
    };
    let theme = app.theme();
    let right = clock_title(w, app);
    // Corners, a space either side of each title, and one column of border between them.
    let room = usize::from(area.width).saturating_sub(right.chars().count() + 7);
    let left = fit(&format!("Drill: {}", w.view.title), room.max(6));
    let block = pane_block(&left, None, false, theme).title(
        Line::from(vec![
            Span::raw(" "),
            Span::styled(right, theme.style(Role::Title)),
            Span::raw(" "),
        ])
        .right_aligned(),
    );
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.height == 0 {
        return;
    }

    let mut hints = hint_lines(w, inner.width, theme);
    // The hint never takes more than half the pane, so the newest words heard stay in view.
    hints.truncate(usize::from(inner.height.div_ceil(2)).max(1));
    let rows = usize::from(inner.height).saturating_sub(hints.len());
    let heard = w.heard(app.data.now);
    let mut said: Vec<Line> = Vec::with_capacity(rows);
    if heard.is_empty() {
        said.push(Line::styled("nothing heard yet", theme.style(Role::Muted)));
    }
    // Newest at the bottom: when the lines do not fit, the oldest go, whole, off the top.
    for s in heard.iter().rev() {
        let mut lines = said_lines(s, inner.width, theme);
        if !said.is_empty() && said.len() + lines.len() > rows {
            break;
        }
        lines.append(&mut said);
        said = lines;
    }
    said.resize(rows, Line::raw(""));
    said.extend(hints);
    f.render_widget(Paragraph::new(said), inner);
}
