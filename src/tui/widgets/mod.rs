//! Small drawing helpers shared by the panes: the pane frame with its data age, text sparklines
//! and gauges, truncation, and the lines that show a failing source. They build ratatui values
//! from view data; they hold no state.

pub mod bigtext;

use chrono::Duration;
use ratatui::layout::Alignment;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType};

use super::derive::age::AgeSummary;
use super::theme::{Role, Theme};
use crate::model::Freshness;
use crate::model::observed::short_age;

/// The label for a pane's data age: `4s`, `STALE 2m`, `FAILING · 1m`, `no data`, styled.
pub fn age_span(age: &AgeSummary, theme: &Theme) -> Span<'static> {
    let when = age.oldest.map(short_age).unwrap_or_default();
    match age.freshness {
        Freshness::Fresh => Span::styled(when, theme.style(Role::Muted)),
        Freshness::Missing => Span::styled("no data", theme.style(Role::Unknown)),
        f if when.is_empty() => Span::styled(f.label(), theme.style(Role::Stale)),
        f => Span::styled(format!("{} {when}", f.label()), theme.style(Role::Stale)),
    }
}

/// A pane's frame: its title on the left, its data's age on the right.
pub fn pane_block<'a>(
    title: &'a str,
    age: Option<&AgeSummary>,
    focused: bool,
    theme: &Theme,
) -> Block<'a> {
    let mut block = Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(theme.border(focused))
        .title(Line::from(vec![
            Span::raw(" "),
            Span::styled(title, theme.style(Role::Title)),
            Span::raw(" "),
        ]));
    if let Some(age) = age {
        block = block.title(
            Line::from(vec![Span::raw(" "), age_span(age, theme), Span::raw(" ")])
                .alignment(Alignment::Right),
        );
    }
    block
}

/// One line per failing source: `⚠ FAILING <what> · last good 4m ago: <message>`.
pub fn error_lines(age: &AgeSummary, theme: &Theme, max: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = age
        .errors
        .iter()
        .take(max)
        .map(|(source, message, last)| {
            let last = last.map_or_else(
                || "no good value yet".to_owned(),
                |a| format!("last good {} ago", short_age(a)),
            );
            Line::from(vec![
                Span::styled("⚠ FAILING ", theme.style(Role::Stale)),
                Span::styled(format!("{source} · {last}: "), theme.style(Role::Muted)),
                Span::styled(message.clone(), theme.style(Role::Text)),
            ])
        })
        .collect();
    if age.errors.len() > max {
        let more = age.errors.len() - max;
        out.push(Line::styled(
            format!("⚠ {more} more failing source(s)"),
            theme.style(Role::Stale),
        ));
    }
    out
}

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A text sparkline of the last `width` values, scaled to `max` (or their own maximum).
pub fn spark(values: &[f64], width: usize, max: Option<f64>) -> String {
    let tail = &values[values.len().saturating_sub(width)..];
    let top = max.unwrap_or_else(|| tail.iter().copied().fold(0.0, f64::max));
    tail.iter()
        .map(|&v| {
            if top <= 0.0 || v <= 0.0 {
                BARS[0]
            } else {
                let i = ((v / top) * 7.0).round().clamp(0.0, 7.0) as usize;
                BARS[i]
            }
        })
        .collect()
}

/// A text gauge: `width` cells, filled in proportion to `ratio` (capped at 1).
pub fn bar(ratio: f64, width: usize) -> String {
    let filled = (ratio.clamp(0.0, 1.0) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// Cuts a string to `width` characters, ending with `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_owned()
    } else if width == 0 {
        String::new()
    } else {
        let mut out: String = s.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}

/// Pads or cuts a string to exactly `width` characters.
pub fn cell(s: &str, width: usize) -> String {
    format!("{:<width$}", fit(s, width))
}

/// Pads or cuts a string to exactly `width` characters, right-aligned.
pub fn rcell(s: &str, width: usize) -> String {
    format!("{:>width$}", fit(s, width))
}

/// A styled cell of exactly `width` characters followed by one space.
pub fn col(s: &str, width: usize, style: Style) -> Span<'static> {
    Span::styled(format!("{} ", cell(s, width)), style)
}

/// A failure rate as a percentage with one decimal.
pub fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// The age label of a value that is not fresh: ` (old 4m)`, empty when fresh.
pub fn old_mark(freshness: Freshness, age: Option<Duration>) -> String {
    match freshness {
        Freshness::Fresh => String::new(),
        Freshness::Missing => " (no data)".to_owned(),
        _ => format!(" (old {})", age.map(short_age).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_their_maximum() {
        assert_eq!(spark(&[0.0, 0.5, 1.0], 3, None), "▁▅█");
        assert_eq!(spark(&[0.0, 0.0], 5, None), "▁▁");
        assert_eq!(spark(&[1.0, 2.0, 3.0, 4.0], 2, Some(8.0)), "▄▅");
    }

    #[test]
    fn gauges_and_cells_have_exact_widths() {
        assert_eq!(bar(0.5, 8), "████░░░░");
        assert_eq!(bar(3.0, 4), "████");
        assert_eq!(cell("orders-api", 6), "order…");
        assert_eq!(rcell("42", 4), "  42");
        assert_eq!(fit("abc", 0), "");
    }
}
