//! The runbook pane: the flowchart drawn as boxes and arrows when it fits (a Block per box, edges
//! set cell by cell), with the evidence of the current path below; when it does not fit, the
//! current path as a list, each step with its state and evidence. Any flowchart given as data
//! draws; the layout and routing are pure functions in `tui::flowchart`.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect, Size};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};

use crate::tui::app::AppState;
use crate::tui::derive::age::AgeSummary;
use crate::tui::flowchart::layout::{NodeBox, layout_flowchart};
use crate::tui::flowchart::route::route_edges;
use crate::tui::flowchart::{Flowchart, NodeKind, NodeState, NodeStates};
use crate::tui::msg::PaneId;
use crate::tui::theme::{Role, Theme};
use crate::tui::walkthrough::Look;
use crate::tui::widgets::{fit, pane_block};

/// The style of a node state.
pub fn state_style(state: NodeState, theme: &Theme) -> Style {
    theme.style(match state {
        NodeState::NotReached => Role::Muted,
        NodeState::Evaluating => Role::Evaluating,
        NodeState::Yes | NodeState::No | NodeState::Done => Role::Done,
        NodeState::Recommended => Role::RecommendedPath,
        NodeState::Failed => Role::Crit,
    })
}

/// Rows (borders included) the drawing wants at this width, or a compact list's rows.
pub fn height(app: &AppState, width: u16, budget: u16) -> u16 {
    let chart = &app.data.flowchart;
    let inner = Size::new(width.saturating_sub(2), budget.saturating_sub(2));
    let boxes = layout_flowchart(chart, &app.data.flow, inner);
    let drawing = boxes.iter().map(|b| b.rect.bottom()).max().unwrap_or(0);
    let evidence = chart.current_path(&app.data.flow).len() as u16 + 1;
    let want = if boxes.is_empty() {
        compact_lines(
            chart,
            &app.data.flow,
            usize::from(width),
            usize::from(budget),
            app.theme(),
        )
        .len() as u16
    } else {
        drawing + evidence
    };
    (want + 2).min(budget)
}

/// Draws the pane.
pub fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let theme = app.theme();
    let focused = app.ui.focus == PaneId::Flowchart;
    let mut summary = AgeSummary::default();
    if let Some(s) = app.snapshot() {
        summary.oldest = Some(app.data.now - s.taken_at);
    }
    let block = pane_block("Runbook", Some(&summary), focused, theme);
    let block = super::walkthrough::mark(block, app, Look::Pane(PaneId::Flowchart));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let chart = &app.data.flowchart;
    let states = &app.data.flow;
    let boxes = layout_flowchart(chart, states, Size::new(inner.width, inner.height));
    if boxes.is_empty() {
        let lines = compact_lines(
            chart,
            states,
            usize::from(inner.width),
            usize::from(inner.height),
            theme,
        );
        let skip = usize::from(app.scroll(PaneId::Flowchart));
        f.render_widget(Paragraph::new(lines).scroll((skip as u16, 0)), inner);
        return;
    }
    let drawn_w = boxes.iter().map(|b| b.rect.right()).max().unwrap_or(0);
    let drawn_h = boxes.iter().map(|b| b.rect.bottom()).max().unwrap_or(0);
    let origin = (inner.x + inner.width.saturating_sub(drawn_w) / 2, inner.y);
    draw(f, inner, origin, chart, states, &boxes, theme);
    let below = Rect::new(
        inner.x,
        inner.y + drawn_h + 1,
        inner.width,
        inner.height.saturating_sub(drawn_h + 1),
    );
    if below.height > 0 {
        let rows = usize::from(below.height);
        let lines = evidence_lines(chart, states, usize::from(inner.width), rows, theme);
        f.render_widget(Paragraph::new(lines), below);
    }
}

fn draw(
    f: &mut Frame,
    clip: Rect,
    origin: (u16, u16),
    chart: &Flowchart,
    states: &NodeStates,
    boxes: &[NodeBox],
    theme: &Theme,
) {
    let path = chart.current_path(states);
    let at = |x: u16, y: u16| (origin.0 + x, origin.1 + y);
    for b in boxes {
        let rect = Rect {
            x: origin.0 + b.rect.x,
            y: origin.1 + b.rect.y,
            ..b.rect
        }
        .intersection(clip);
        let node = &chart.nodes[b.node];
        let style = state_style(b.state, theme);
        let border = match (b.state, node.kind) {
            (NodeState::Recommended, _) => BorderType::Thick,
            (_, NodeKind::Decision) => BorderType::Double,
            (_, NodeKind::Terminal) => BorderType::Rounded,
            (_, NodeKind::Process) => BorderType::Plain,
        };
        let border_style = if b.state == NodeState::NotReached {
            theme.style(Role::Border)
        } else {
            style
        };
        let mut block = Block::bordered()
            .border_type(border)
            .border_style(border_style);
        // The state's word on the bottom border, right of the centre where an edge may leave.
        let word = b.state.short_word();
        if !word.is_empty() && usize::from(b.rect.width / 2) >= word.len() + 4 {
            block = block.title_bottom(
                Line::from(format!(" {word} "))
                    .alignment(Alignment::Right)
                    .style(style),
            );
        }
        let inner_w = usize::from(b.rect.width.saturating_sub(2));
        let mut lines = vec![Line::from(vec![
            Span::styled(format!("{} ", b.state.symbol()), style),
            Span::styled(
                fit(&b.label, inner_w.saturating_sub(2)),
                if b.state == NodeState::NotReached {
                    theme.style(Role::Muted)
                } else {
                    theme.style(Role::Text)
                },
            ),
        ])];
        if let Some(d) = &b.detail {
            lines.push(Line::styled(fit(d, inner_w), theme.style(Role::Muted)));
        }
        f.render_widget(Paragraph::new(lines).block(block), rect);
    }
    let routes = route_edges(chart, boxes, &path);
    let buf = f.buffer_mut();
    for c in &routes.cells {
        let (x, y) = at(c.x, c.y);
        if clip.contains(ratatui::layout::Position::new(x, y)) {
            let role = if c.on_path {
                Role::RecommendedPath
            } else {
                Role::Border
            };
            buf[(x, y)].set_char(c.ch).set_style(theme.style(role));
        }
    }
    for l in &routes.labels {
        let (x, y) = at(l.x, l.y);
        if y < clip.bottom() && x < clip.right() {
            let role = if l.on_path {
                Role::RecommendedPath
            } else {
                Role::Muted
            };
            let room = usize::from(clip.right() - x);
            buf.set_stringn(x, y, l.text, room, theme.style(role));
        }
    }
}

/// The evidence of the steps on the current path, one line each: the latest `rows` of them.
fn evidence_lines(
    chart: &Flowchart,
    states: &NodeStates,
    width: usize,
    rows: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let answered: Vec<usize> = chart
        .current_path(states)
        .into_iter()
        .filter(|i| states.get(&chart.nodes[*i].id).evidence.is_some())
        .collect();
    answered[answered.len().saturating_sub(rows)..]
        .iter()
        .copied()
        .filter_map(|i| {
            let node = &chart.nodes[i];
            let st = states.get(&node.id);
            let ev = st.evidence?;
            let head = format!("{} {}: ", st.state.symbol(), node.short);
            let room = width.saturating_sub(head.chars().count());
            Some(Line::from(vec![
                Span::styled(head, state_style(st.state, theme)),
                Span::styled(fit(&ev, room), theme.style(Role::Text)),
            ]))
        })
        .collect()
}

/// The current path as a list, then the steps after it up to the next decision. Each step gets
/// a line; evidence gets a line of its own under the steps that matter most (the decisions,
/// latest first, then the recommended step) while `budget` rows allow, else it follows the label.
fn compact_lines(
    chart: &Flowchart,
    states: &NodeStates,
    width: usize,
    budget: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let path = chart.current_path(states);
    let mut steps = path.clone();
    let mut at = path.last().copied();
    while let Some(n) = at {
        let next: Vec<_> = chart.out_edges(n).map(|e| e.to).collect();
        match next.as_slice() {
            [one] if !steps.contains(one) && steps.len() < path.len() + 3 => {
                steps.push(*one);
                at = (chart.nodes[*one].kind != NodeKind::Decision).then_some(*one);
            }
            _ => at = None,
        }
    }
    // Which steps get their evidence on a line of its own.
    let mut spare = budget.saturating_sub(steps.len());
    let mut order: Vec<usize> = steps
        .iter()
        .copied()
        .filter(|&i| states.get(&chart.nodes[i].id).evidence.is_some())
        .collect();
    order.sort_by_key(|&i| {
        let st = states.state(&chart.nodes[i].id);
        let rank = match (st, chart.nodes[i].kind) {
            (_, NodeKind::Decision) => 0,
            (NodeState::Recommended | NodeState::Evaluating, _) => 1,
            _ => 2,
        };
        (
            rank,
            usize::MAX - steps.iter().position(|&s| s == i).unwrap_or(0),
        )
    });
    let mut own_line = Vec::new();
    for i in order {
        if spare == 0 {
            break;
        }
        own_line.push(i);
        spare -= 1;
    }
    let mut out = Vec::new();
    for i in steps {
        let node = &chart.nodes[i];
        let st = states.get(&node.id);
        let style = state_style(st.state, theme);
        let text_style = if st.state == NodeState::NotReached {
            theme.style(Role::Muted)
        } else {
            theme.style(Role::Text)
        };
        let room = width.saturating_sub(2);
        let label = if node.label.chars().count() <= room {
            &node.label
        } else {
            &node.short
        };
        let label = fit(label, room);
        let rest = room.saturating_sub(label.chars().count() + 3);
        let word = match st.state {
            NodeState::Yes | NodeState::No | NodeState::Recommended | NodeState::Evaluating => {
                format!("{}: ", st.state.word())
            }
            _ => String::new(),
        };
        let mut head = vec![
            Span::styled(format!("{} ", st.state.symbol()), style),
            Span::styled(label, text_style),
        ];
        match st.evidence {
            Some(ev) if own_line.contains(&i) => {
                out.push(Line::from(head));
                out.push(Line::from(vec![
                    Span::styled(format!("  {word}"), style),
                    Span::styled(
                        fit(&ev, room.saturating_sub(word.chars().count())),
                        theme.style(Role::Muted),
                    ),
                ]));
            }
            Some(ev) if rest > 4 => {
                head.push(Span::styled(" · ", theme.style(Role::Muted)));
                head.push(Span::styled(
                    fit(&format!("{word}{ev}"), rest),
                    theme.style(Role::Muted),
                ));
                out.push(Line::from(head));
            }
            _ => out.push(Line::from(head)),
        }
    }
    out
}
