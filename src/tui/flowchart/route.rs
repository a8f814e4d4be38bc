//! Routes a laid-out flowchart's edges as box-drawing cells: [`route_edges`]. Edges between
//! neighbouring layers run down into the row between them, across, and down into the child's top
//! border (`▼`); edges that go back up or skip layers run along a channel at the right. Cells
//! that several edges share merge into one junction character. Pure; the pane paints the result.

use std::collections::BTreeMap;

use super::layout::NodeBox;
use super::{Edge, Flowchart};

const UP: u8 = 1;
const DOWN: u8 = 2;
const LEFT: u8 = 4;
const RIGHT: u8 = 8;

/// One cell of an edge line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCell {
    /// Column.
    pub x: u16,
    /// Row.
    pub y: u16,
    /// The character to draw.
    pub ch: char,
    /// Whether an edge of the current path runs through it.
    pub on_path: bool,
}

/// A yes/no label on an edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeText {
    /// Column of the first character.
    pub x: u16,
    /// Row.
    pub y: u16,
    /// The word.
    pub text: &'static str,
    /// Whether the edge is on the current path.
    pub on_path: bool,
}

/// Everything to draw for the edges, relative to the drawing's top-left corner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Routes {
    /// Line cells, including `┬` on parents' bottom borders and `▼` on children's top borders.
    pub cells: Vec<LineCell>,
    /// Edge labels.
    pub labels: Vec<EdgeText>,
}

/// Routes every edge between placed boxes. `path` is the current path (node indices in order);
/// an edge joining two consecutive path nodes is marked `on_path`.
pub fn route_edges(chart: &Flowchart, boxes: &[NodeBox], path: &[usize]) -> Routes {
    let find = |node: usize| boxes.iter().find(|b| b.node == node);
    let on_path = |e: &Edge| path.windows(2).any(|w| w[0] == e.from && w[1] == e.to);
    let right_edge = boxes.iter().map(|b| b.rect.right()).max().unwrap_or(0);
    let mut grid: BTreeMap<(u16, u16), (u8, bool)> = BTreeMap::new();
    let mut fixed: BTreeMap<(u16, u16), (char, bool)> = BTreeMap::new();
    let mut labels = Vec::new();
    let mut channel = 0u16;

    let mut mark = |x: u16, y: u16, dirs: u8, hot: bool| {
        let cell = grid.entry((x, y)).or_insert((0, false));
        cell.0 |= dirs;
        cell.1 |= hot;
    };

    for e in &chart.edges {
        let (Some(p), Some(c)) = (find(e.from), find(e.to)) else {
            continue;
        };
        let hot = on_path(e);
        let px = p.rect.x + p.rect.width / 2;
        let cx = c.rect.x + c.rect.width / 2;
        let below_p = p.rect.bottom();
        fixed.insert((px, below_p - 1), ('┬', hot));
        let upward = c.rect.y <= p.rect.y;
        let mid = c.rect.y + c.rect.height / 2;
        let clear_right = !boxes.iter().any(|b| {
            b.node != c.node
                && b.rect.x >= c.rect.right()
                && (b.rect.y..b.rect.bottom()).contains(&mid)
        });
        if upward && clear_right || c.rect.y == 0 {
            // A back edge: out along the channel at the right and in at the side, so it never
            // merges with the edges coming in from above.
            let lane = right_edge + 1 + channel * 2;
            channel += 1;
            horizontal(&mut mark, px, lane, below_p, hot);
            mark(px, below_p, UP, hot);
            vertical(&mut mark, lane, below_p, mid, hot);
            horizontal(&mut mark, c.rect.right(), lane, mid, hot);
            fixed.insert((c.rect.right() - 1, mid), ('◀', hot));
            continue;
        }
        let above_c = c.rect.y - 1;
        fixed.insert((cx, c.rect.y), ('▼', hot));
        if below_p == above_c {
            // Neighbouring layers: one row between them.
            let y = below_p;
            horizontal(&mut mark, px, cx, y, hot);
            mark(px, y, UP, hot);
            mark(cx, y, DOWN, hot);
            if let Some(label) = e.label {
                let text = label.word();
                let len = text.len() as u16;
                let x = match cx.cmp(&px) {
                    std::cmp::Ordering::Less => Some(cx + 2).filter(|x| x + len < px),
                    std::cmp::Ordering::Greater => cx.checked_sub(len + 1).filter(|&x| x > px),
                    std::cmp::Ordering::Equal => Some(cx + 2),
                };
                if let Some(x) = x {
                    labels.push(EdgeText {
                        x,
                        y,
                        text,
                        on_path: hot,
                    });
                }
            }
        } else {
            // Back or long edge: out to a channel at the right, along it, and back in.
            let lane = right_edge + 1 + channel * 2;
            channel += 1;
            horizontal(&mut mark, px, lane, below_p, hot);
            mark(px, below_p, UP, hot);
            vertical(&mut mark, lane, below_p, above_c, hot);
            horizontal(&mut mark, lane, cx, above_c, hot);
            mark(cx, above_c, DOWN, hot);
            if let Some(label) = e.label {
                labels.push(EdgeText {
                    x: px + 2,
                    y: below_p,
                    text: label.word(),
                    on_path: hot,
                });
            }
        }
    }

    let mut cells: Vec<LineCell> = grid
        .into_iter()
        .map(|((x, y), (dirs, on_path))| LineCell {
            x,
            y,
            ch: junction(dirs),
            on_path,
        })
        .collect();
    cells.extend(
        fixed
            .into_iter()
            .map(|((x, y), (ch, on_path))| LineCell { x, y, ch, on_path }),
    );
    Routes { cells, labels }
}

fn horizontal(mark: &mut impl FnMut(u16, u16, u8, bool), a: u16, b: u16, y: u16, hot: bool) {
    let (lo, hi) = (a.min(b), a.max(b));
    for x in lo..=hi {
        let mut d = 0;
        if x > lo {
            d |= LEFT;
        }
        if x < hi {
            d |= RIGHT;
        }
        mark(x, y, d, hot);
    }
}

fn vertical(mark: &mut impl FnMut(u16, u16, u8, bool), x: u16, a: u16, b: u16, hot: bool) {
    let (lo, hi) = (a.min(b), a.max(b));
    for y in lo..=hi {
        let mut d = 0;
        if y > lo {
            d |= UP;
        }
        if y < hi {
            d |= DOWN;
        }
        mark(x, y, d, hot);
    }
}

/// The box-drawing character joining the given directions.
fn junction(dirs: u8) -> char {
    match dirs {
        d if d == UP | DOWN | LEFT | RIGHT => '┼',
        d if d == UP | DOWN | RIGHT => '├',
        d if d == UP | DOWN | LEFT => '┤',
        d if d == LEFT | RIGHT | DOWN => '┬',
        d if d == LEFT | RIGHT | UP => '┴',
        d if d == DOWN | RIGHT => '┌',
        d if d == DOWN | LEFT => '┐',
        d if d == UP | RIGHT => '└',
        d if d == UP | LEFT => '┘',
        d if d & (LEFT | RIGHT) != 0 && d & (UP | DOWN) == 0 => '─',
        _ => '│',
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Size;

    use super::super::layout::layout_flowchart;
    use super::super::{EdgeLabel, NodeKind, NodeStates};
    use super::*;

    fn row(r: &Routes, y: u16) -> String {
        let mut cells: Vec<_> = r.cells.iter().filter(|c| c.y == y).collect();
        cells.sort_by_key(|c| c.x);
        let mut s = String::new();
        let mut x = cells.first().map_or(0, |c| c.x);
        for c in cells {
            while x < c.x {
                s.push(' ');
                x += 1;
            }
            s.push(c.ch);
            x += 1;
        }
        s
    }

    fn fork() -> Flowchart {
        Flowchart::from_table(
            &[
                ("q", NodeKind::Decision, "Q?", "Q?"),
                ("a", NodeKind::Process, "A", "A"),
                ("b", NodeKind::Process, "B", "B"),
                ("end", NodeKind::Terminal, "End", "End"),
            ],
            &[
                ("q", "a", Some(EdgeLabel::Yes)),
                ("q", "b", Some(EdgeLabel::No)),
                ("a", "end", None),
                ("b", "end", None),
            ],
        )
    }

    #[test]
    fn a_fork_splits_under_the_parent_and_a_join_merges_over_the_child() {
        let f = fork();
        let boxes = layout_flowchart(&f, &NodeStates::default(), Size::new(40, 11));
        let r = route_edges(&f, &boxes, &[0, 1]);
        assert_eq!(row(&r, 3), "┌──────┴──────┐");
        assert_eq!(row(&r, 7), "└──────┬──────┘");
        assert!(r.cells.iter().any(|c| c.ch == '▼' && c.y == 4));
        let yes = r
            .labels
            .iter()
            .find(|l| l.text == "yes")
            .expect("yes label");
        assert!(yes.on_path && yes.y == 3);
        assert!(
            !r.labels
                .iter()
                .find(|l| l.text == "no")
                .expect("no")
                .on_path
        );
    }

    #[test]
    fn a_back_edge_runs_along_the_right_channel() {
        let f = Flowchart::from_table(
            &[
                ("a", NodeKind::Process, "A", "A"),
                ("b", NodeKind::Process, "B", "B"),
            ],
            &[("a", "b", None), ("b", "a", None)],
        );
        let boxes = layout_flowchart(&f, &NodeStates::default(), Size::new(30, 9));
        // `a` starts at row 0, so the edge back into it comes in from the right.
        let r = route_edges(&f, &boxes, &[]);
        let a = boxes[0].rect;
        assert!(r.cells.iter().any(|c| c.ch == '◀' && c.x == a.right() - 1));
        assert!(r.cells.iter().any(|c| c.ch == '┘' && c.x > a.right()));
        let b = boxes[1].rect;
        assert!(
            r.cells
                .iter()
                .any(|c| c.ch == '▼' && c.y == b.y && c.x == b.x + b.width / 2)
        );
        assert_eq!(r.cells.iter().filter(|c| c.ch == '▼').count(), 1);
    }

    #[test]
    fn junctions_cover_every_combination() {
        assert_eq!(junction(UP | DOWN), '│');
        assert_eq!(junction(LEFT), '─');
        assert_eq!(junction(UP | LEFT | RIGHT), '┴');
        assert_eq!(junction(UP | DOWN | LEFT | RIGHT), '┼');
    }
}
