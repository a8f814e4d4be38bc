//! Places a flowchart's nodes as boxes, top to bottom, in layers: [`layout_flowchart`]. Pure and
//! deterministic; works for any flowchart (cycles are broken at their back edges, which `route`
//! then draws along a side channel). Returns nothing when the drawing cannot fit, and the pane
//! shows the compact path instead.

use ratatui::layout::{Rect, Size};

use super::{Flowchart, NodeState, NodeStates};

/// Columns between boxes of one layer.
const GAP_X: u16 = 1;
/// Columns kept at the right for each edge that goes back up or skips layers.
const CHANNEL_W: u16 = 2;

/// A node placed on screen, with the text it shows. Coordinates are relative to the drawing's
/// top-left corner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeBox {
    /// Index into `Flowchart::nodes`.
    pub node: usize,
    /// The box, borders included.
    pub rect: Rect,
    /// Its layer (row of boxes), from 0.
    pub layer: usize,
    /// Its live state.
    pub state: NodeState,
    /// The label that fits: the runbook's words or the short form.
    pub label: String,
    /// The evidence line (empty when there is none), when the boxes are tall enough for one.
    pub detail: Option<String>,
}

/// Each node's layer: the longest path to it from the start, ignoring back edges.
pub fn layers(chart: &Flowchart) -> Vec<usize> {
    let n = chart.nodes.len();
    let forward: Vec<_> = forward_edges(chart);
    let mut layer = vec![0usize; n];
    // Relax in topological order (Kahn); forward edges form a DAG by construction.
    let mut indegree = vec![0usize; n];
    for &(_, to) in &forward {
        indegree[to] += 1;
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).rev().collect();
    while let Some(u) = ready.pop() {
        for &(from, to) in &forward {
            if from == u {
                layer[to] = layer[to].max(layer[u] + 1);
                indegree[to] -= 1;
                if indegree[to] == 0 {
                    ready.push(to);
                }
            }
        }
    }
    layer
}

/// The edges that do not close a cycle, found by a depth-first walk from each node in order.
pub fn forward_edges(chart: &Flowchart) -> Vec<(usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Closed,
    }
    let n = chart.nodes.len();
    let mut mark = vec![Mark::New; n];
    let mut out = Vec::new();
    for root in 0..n {
        if mark[root] != Mark::New {
            continue;
        }
        // Stack of (node, next edge index to look at).
        let mut stack = vec![(root, 0usize)];
        mark[root] = Mark::Open;
        while let Some(&mut (u, ref mut next)) = stack.last_mut() {
            let edge = chart.edges.iter().filter(|e| e.from == u).nth(*next);
            *next += 1;
            match edge {
                Some(e) if e.to < n => match mark[e.to] {
                    Mark::New => {
                        out.push((u, e.to));
                        mark[e.to] = Mark::Open;
                        stack.push((e.to, 0));
                    }
                    Mark::Closed => out.push((u, e.to)),
                    Mark::Open => {}
                },
                Some(_) => {}
                None => {
                    mark[u] = Mark::Closed;
                    stack.pop();
                }
            }
        }
    }
    out
}

/// Places the boxes in `size`, or returns an empty list when they cannot fit.
pub fn layout_flowchart(chart: &Flowchart, states: &NodeStates, size: Size) -> Vec<NodeBox> {
    let n = chart.nodes.len();
    if n == 0 {
        return Vec::new();
    }
    let layer = layers(chart);
    let depth = layer.iter().max().map_or(1, |m| m + 1);
    let rows = order_layers(chart, &layer, depth);
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1) as u16;
    let forward = forward_edges(chart);
    let channels = chart
        .edges
        .iter()
        .filter(|e| !forward.contains(&(e.from, e.to)) || layer[e.to] != layer[e.from] + 1)
        .count() as u16;
    let usable_w = size.width.saturating_sub(channels * CHANNEL_W);

    // Box height: 4 rows (label + evidence) when there is room, else 3; and a row under the
    // last layer when an edge leaves it for a channel.
    let spare_row = u16::from(channels > 0);
    let height_for = |h: u16| depth as u16 * h + (depth as u16 - 1) + spare_row;
    let box_h = if height_for(4) <= size.height {
        4
    } else if height_for(3) <= size.height {
        3
    } else {
        return Vec::new();
    };

    let longest = |f: fn(&super::Node) -> &str| {
        chart
            .nodes
            .iter()
            .map(|n| f(n).chars().count())
            .max()
            .unwrap_or(0) as u16
            + 4
    };
    let (full_w, short_w) = (longest(|n| &n.label), longest(|n| &n.short));
    let fit_w = usable_w.saturating_sub((widest - 1) * GAP_X) / widest;
    if fit_w < short_w {
        return Vec::new();
    }
    let box_w = fit_w.min(full_w.max(short_w + 6));
    let total_w = widest * box_w + (widest - 1) * GAP_X;

    let columns = place_columns(chart, &rows, box_w, total_w);
    let inner = usize::from(box_w - 2);
    let mut out = Vec::with_capacity(n);
    for (l, row) in rows.iter().enumerate() {
        for &node in row {
            let node_status = states.get(&chart.nodes[node].id);
            let x = columns[node];
            let label = if chart.nodes[node].label.chars().count() + 2 <= inner {
                chart.nodes[node].label.clone()
            } else {
                chart.nodes[node].short.clone()
            };
            // Tall boxes carry the evidence (the state's word is on the border).
            let detail = (box_h == 4).then(|| node_status.evidence.clone().unwrap_or_default());
            out.push(NodeBox {
                node,
                rect: Rect::new(x, l as u16 * (box_h + 1), box_w, box_h),
                layer: l,
                state: node_status.state,
                label,
                detail,
            });
        }
    }
    out
}

/// Nodes per layer, ordered by the mean position of their parents (one top-down pass).
fn order_layers(chart: &Flowchart, layer: &[usize], depth: usize) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (i, &l) in layer.iter().enumerate() {
        rows[l].push(i);
    }
    for l in 1..depth {
        let above = rows[l - 1].clone();
        let key = |node: usize| {
            let parents: Vec<f64> = chart
                .edges
                .iter()
                .filter(|e| e.to == node)
                .filter_map(|e| above.iter().position(|&p| p == e.from))
                .map(|p| p as f64)
                .collect();
            if parents.is_empty() {
                f64::MAX
            } else {
                parents.iter().sum::<f64>() / parents.len() as f64
            }
        };
        rows[l].sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
    }
    rows
}

/// The left column of every node's box: the widest layer evenly spaced, the others centred over
/// their neighbours in the layer placed before them, pushed apart where they would overlap.
fn place_columns(chart: &Flowchart, rows: &[Vec<usize>], box_w: u16, total_w: u16) -> Vec<u16> {
    let slot = f64::from(box_w + GAP_X);
    let half = f64::from(box_w) / 2.0;
    let mut center = vec![f64::NAN; chart.nodes.len()];
    let widest = (0..rows.len())
        .max_by_key(|&l| (rows[l].len(), usize::MAX - l))
        .unwrap_or(0);
    let offset = f64::midpoint(
        f64::from(total_w) - slot * rows[widest].len() as f64,
        f64::from(GAP_X),
    );
    for (i, &node) in rows[widest].iter().enumerate() {
        center[node] = offset + slot * i as f64 + half;
    }
    let up = (0..widest).rev();
    let down = widest + 1..rows.len();
    for l in up.chain(down) {
        let neighbour = |node: usize| -> Option<f64> {
            let xs: Vec<f64> = chart
                .edges
                .iter()
                .filter_map(|e| {
                    let other = if e.from == node {
                        e.to
                    } else if e.to == node {
                        e.from
                    } else {
                        return None;
                    };
                    Some(center[other]).filter(|c| !c.is_nan())
                })
                .collect();
            (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
        };
        let mut desired: Vec<(usize, f64)> = rows[l]
            .iter()
            .map(|&node| (node, neighbour(node).unwrap_or(f64::from(total_w) / 2.0)))
            .collect();
        spread(&mut desired, slot, half, f64::from(total_w) - half);
        for (node, c) in desired {
            center[node] = c;
        }
    }
    let max_left = f64::from(total_w - box_w);
    center
        .iter()
        .map(|c| (c - half).round().clamp(0.0, max_left) as u16)
        .collect()
}

/// Moves centres apart to at least `slot`, keeping their order and mean, within `[lo, hi]`.
fn spread(items: &mut [(usize, f64)], slot: f64, lo: f64, hi: f64) {
    let want: f64 = items.iter().map(|i| i.1).sum::<f64>() / items.len().max(1) as f64;
    for i in 1..items.len() {
        items[i].1 = items[i].1.max(items[i - 1].1 + slot);
    }
    let got: f64 = items.iter().map(|i| i.1).sum::<f64>() / items.len().max(1) as f64;
    for it in items.iter_mut() {
        it.1 -= got - want;
    }
    if let Some(last) = items.last().map(|i| i.1)
        && last > hi
    {
        for it in items.iter_mut() {
            it.1 -= last - hi;
        }
    }
    if let Some(first) = items.first().map(|i| i.1)
        && first < lo
    {
        for it in items.iter_mut() {
            it.1 += lo - first;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{EdgeLabel, NodeKind};
    use super::*;

    fn boxes(size: (u16, u16)) -> Vec<NodeBox> {
        layout_flowchart(
            &Flowchart::runbook(),
            &NodeStates::default(),
            Size::new(size.0, size.1),
        )
    }

    fn by_id<'a>(b: &'a [NodeBox], id: &str) -> &'a NodeBox {
        let f = Flowchart::runbook();
        let i = f.nodes.iter().position(|n| n.id == id).expect("node");
        b.iter().find(|nb| nb.node == i).expect("placed")
    }

    #[test]
    fn the_runbook_has_eight_layers_and_four_actions_side_by_side() {
        let l = layers(&Flowchart::runbook());
        assert_eq!(l.iter().max(), Some(&7));
        let b = boxes((100, 40));
        assert_eq!(b.len(), 13);
        let actions: Vec<_> = ["swap", "redeploy", "failover", "rebuild"]
            .iter()
            .map(|id| by_id(&b, id).rect)
            .collect();
        assert!(
            actions
                .windows(2)
                .all(|w| w[0].y == w[1].y && w[0].right() < w[1].x)
        );
    }

    #[test]
    fn boxes_never_overlap_and_stay_inside() {
        for size in [(80, 31), (100, 40), (200, 60), (300, 80)] {
            let b = boxes(size);
            assert!(!b.is_empty(), "{size:?}");
            for (i, a) in b.iter().enumerate() {
                assert!(
                    a.rect.right() <= size.0 && a.rect.bottom() <= size.1,
                    "{size:?}"
                );
                for c in &b[i + 1..] {
                    assert!(!a.rect.intersects(c.rect), "{a:?} {c:?}");
                }
            }
        }
    }

    #[test]
    fn parents_sit_over_their_children() {
        let b = boxes((100, 40));
        let mid = |r: Rect| r.x + r.width / 2;
        let slots = mid(by_id(&b, "slots_healthy").rect);
        let (swap, redeploy) = (mid(by_id(&b, "swap").rect), mid(by_id(&b, "redeploy").rect));
        assert!(swap < slots && slots < redeploy);
        assert_eq!(
            mid(by_id(&b, "detected").rect),
            mid(by_id(&b, "verify").rect)
        );
    }

    #[test]
    fn too_small_gives_nothing_and_tall_boxes_carry_evidence() {
        assert!(boxes((60, 40)).is_empty());
        assert!(boxes((100, 20)).is_empty());
        assert!(by_id(&boxes((100, 31)), "assess").detail.is_none());
        assert_eq!(
            by_id(&boxes((100, 39)), "assess").detail.as_deref(),
            Some("")
        );
    }

    #[test]
    fn long_labels_give_way_to_short_ones_in_narrow_boxes() {
        assert_eq!(
            by_id(&boxes((82, 31)), "slots_healthy").label,
            "Slots healthy?"
        );
        assert_eq!(
            by_id(&boxes((300, 40)), "slots_healthy").label,
            "Slots available and healthy dependencies?"
        );
    }

    #[test]
    fn a_cycle_is_broken_and_any_chart_lays_out() {
        let f = Flowchart::from_table(
            &[
                ("a", NodeKind::Terminal, "Start", "Start"),
                ("b", NodeKind::Decision, "Check?", "Check?"),
                ("c", NodeKind::Process, "Fix", "Fix"),
            ],
            &[
                ("a", "b", None),
                ("b", "c", Some(EdgeLabel::No)),
                ("c", "b", None),
                ("b", "a", Some(EdgeLabel::Yes)),
            ],
        );
        assert_eq!(layers(&f), [0, 1, 2]);
        let b = layout_flowchart(&f, &NodeStates::default(), Size::new(40, 20));
        assert_eq!(b.len(), 3);
    }
}
