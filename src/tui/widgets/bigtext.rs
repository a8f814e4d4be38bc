//! Large text for presenter mode: a 3×5 pixel font drawn with half blocks (`▀▄█`, 3 rows tall)
//! or full blocks (5 rows tall or more), each pixel one or more columns wide. Digits, `:`, `-`,
//! `.`, space and A–Z; anything else draws as a space. ratatui has no big-text widget, so this is
//! ours.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

/// Glyph rows, top to bottom, three bits each (`#` on).
fn glyph(c: char) -> [&'static str; 5] {
    match c.to_ascii_uppercase() {
        '0' | 'O' => ["###", "#.#", "#.#", "#.#", "###"],
        '1' => [".#.", "##.", ".#.", ".#.", "###"],
        '2' => ["###", "..#", "###", "#..", "###"],
        '3' => ["###", "..#", "###", "..#", "###"],
        '4' => ["#.#", "#.#", "###", "..#", "..#"],
        '5' | 'S' => ["###", "#..", "###", "..#", "###"],
        '6' => ["###", "#..", "###", "#.#", "###"],
        '7' => ["###", "..#", "..#", "..#", "..#"],
        '8' => ["###", "#.#", "###", "#.#", "###"],
        '9' => ["###", "#.#", "###", "..#", "###"],
        ':' => ["...", ".#.", "...", ".#.", "..."],
        '-' => ["...", "...", "###", "...", "..."],
        '.' => ["...", "...", "...", "...", ".#."],
        'A' => [".#.", "#.#", "###", "#.#", "#.#"],
        'B' => ["##.", "#.#", "##.", "#.#", "##."],
        'C' => ["###", "#..", "#..", "#..", "###"],
        'D' => ["##.", "#.#", "#.#", "#.#", "##."],
        'E' => ["###", "#..", "##.", "#..", "###"],
        'F' => ["###", "#..", "##.", "#..", "#.."],
        'G' => ["###", "#..", "#.#", "#.#", "###"],
        'H' => ["#.#", "#.#", "###", "#.#", "#.#"],
        'I' => ["###", ".#.", ".#.", ".#.", "###"],
        'J' => ["..#", "..#", "..#", "#.#", "###"],
        'K' => ["#.#", "#.#", "##.", "#.#", "#.#"],
        'L' => ["#..", "#..", "#..", "#..", "###"],
        'M' => ["#.#", "###", "###", "#.#", "#.#"],
        'N' => ["##.", "#.#", "#.#", "#.#", "#.#"],
        'P' => ["###", "#.#", "###", "#..", "#.."],
        'Q' => ["###", "#.#", "#.#", "###", "..#"],
        'R' => ["##.", "#.#", "##.", "#.#", "#.#"],
        'T' => ["###", ".#.", ".#.", ".#.", ".#."],
        'U' => ["#.#", "#.#", "#.#", "#.#", "###"],
        'V' => ["#.#", "#.#", "#.#", "#.#", ".#."],
        'W' => ["#.#", "#.#", "###", "###", "#.#"],
        'X' => ["#.#", "#.#", ".#.", "#.#", "#.#"],
        'Y' => ["#.#", "#.#", ".#.", ".#.", ".#."],
        'Z' => ["###", "..#", ".#.", "#..", "###"],
        _ => ["...", "...", "...", "...", "..."],
    }
}

/// How big the pixels are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// Half blocks: two pixel rows per cell row, this many columns per pixel; 3 rows tall.
    Half(u16),
    /// Full blocks: this many columns and rows per pixel; 5 × rows tall.
    Full(u16, u16),
}

impl Font {
    /// The fonts from largest to smallest, for picking the largest that fits.
    pub const BY_SIZE: [Font; 5] = [
        Font::Full(4, 2),
        Font::Full(3, 2),
        Font::Full(2, 1),
        Font::Half(2),
        Font::Half(1),
    ];

    fn cols(self) -> u16 {
        match self {
            Self::Half(c) | Self::Full(c, _) => c.max(1),
        }
    }

    /// Rows a text takes in this font.
    pub fn height(self) -> u16 {
        match self {
            Self::Half(_) => 3,
            Self::Full(_, r) => 5 * r.max(1),
        }
    }

    /// Columns a text takes: each glyph 3 pixels wide plus a gap of one pixel.
    pub fn width(self, text: &str) -> u16 {
        let n = text.chars().count() as u16;
        (n * 4 * self.cols()).saturating_sub(self.cols())
    }
}

/// Big text, drawn from the top-left of its area and clipped to it.
#[derive(Debug, Clone)]
pub struct BigText<'a> {
    text: &'a str,
    font: Font,
    style: Style,
}

impl<'a> BigText<'a> {
    /// Big text in a font.
    pub fn new(text: &'a str, font: Font, style: Style) -> Self {
        Self { text, font, style }
    }

    /// The largest font in which `text` fits `area`, if any.
    pub fn fit(text: &str, area: Rect) -> Option<Font> {
        Font::BY_SIZE
            .into_iter()
            .find(|f| f.width(text) <= area.width && f.height() <= area.height)
    }
}

impl Widget for BigText<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let cols = self.font.cols();
        let mut put = |x: u16, y: u16, ch: &str| {
            if x < area.right() && y < area.bottom() {
                buf[(x, y)].set_symbol(ch).set_style(self.style);
            }
        };
        for (i, c) in self.text.chars().enumerate() {
            let g = glyph(c);
            let x0 = area.x.saturating_add(i as u16 * 4 * cols);
            if x0 >= area.right() {
                break;
            }
            for px in 0..3u16 {
                let on = |r: usize| g[r].as_bytes()[usize::from(px)] == b'#';
                for s in 0..cols {
                    let x = x0.saturating_add(px * cols + s);
                    match self.font {
                        Font::Half(_) => {
                            for (row, top, bottom) in
                                [(0, 0, Some(1)), (1, 2, Some(3)), (2, 4, None)]
                            {
                                let ch = match (on(top), bottom.is_some_and(on)) {
                                    (true, true) => "█",
                                    (true, false) => "▀",
                                    (false, true) => "▄",
                                    (false, false) => continue,
                                };
                                put(x, area.y + row, ch);
                            }
                        }
                        Font::Full(_, rows) => {
                            for r in 0..5u16 {
                                if on(usize::from(r)) {
                                    for dy in 0..rows.max(1) {
                                        put(x, area.y + r * rows.max(1) + dy, "█");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_draw_in_three_rows_of_half_blocks() {
        let area = Rect::new(0, 0, 7, 3);
        let mut buf = Buffer::empty(area);
        BigText::new("42", Font::Half(1), Style::new()).render(area, &mut buf);
        assert_eq!(buf, Buffer::with_lines(["█ █ ▀▀█", "▀▀█ █▀▀", "  ▀ ▀▀▀"]));
        assert_eq!(Font::Half(1).width("42"), 7);
        assert_eq!(Font::Half(2).width("42"), 14);
        assert_eq!(Font::Full(2, 1).height(), 5);
    }

    #[test]
    fn it_clips_to_a_small_area_without_panicking() {
        let area = Rect::new(0, 0, 2, 1);
        let mut buf = Buffer::empty(area);
        BigText::new("12:34", Font::Half(3), Style::new()).render(area, &mut buf);
        assert_eq!(buf, Buffer::with_lines(["▄▄"]));
    }

    #[test]
    fn full_blocks_scale_pixels_in_both_directions() {
        let area = Rect::new(0, 0, 6, 10);
        let mut buf = Buffer::empty(area);
        BigText::new("1", Font::Full(2, 2), Style::new()).render(area, &mut buf);
        assert_eq!(buf[(2, 0)].symbol(), "█");
        assert_eq!(buf[(0, 0)].symbol(), " ");
        assert_eq!(buf[(0, 2)].symbol(), "█");
        assert_eq!(buf[(5, 9)].symbol(), "█");
        assert_eq!(
            BigText::fit("12:34", Rect::new(0, 0, 40, 10)),
            Some(Font::Full(2, 1))
        );
        assert_eq!(BigText::fit("12:34", Rect::new(0, 0, 3, 3)), None);
    }
}
