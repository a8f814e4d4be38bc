//! A full frame of the console at 200×60 with every pane populated: the demo story's fixture
//! during the bad release (regions with sparklines, the runbook drawn as boxes with evidence,
//! queues, deployments with the onset mark, a timeline, the header's clocks), drawn through
//! ratatui's `Terminal` on a `TestBackend`. Goal: under 1 ms median.
//!
//!   cargo bench --bench render

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::tui::ConsoleOptions;
use warroom::tui::fixtures::{self, BAD};
use warroom::tui::layout;

fn full_frame(c: &mut Criterion) {
    let (w, h) = (200, 60);
    let app = fixtures::console_at(BAD, (w, h), &ConsoleOptions::default());
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("a test backend");
    // Every pane has something to draw.
    term.draw(|f| layout::render(f, &app)).expect("drawn");
    let screen = term.backend().to_string();
    for must in [
        "Regions",
        "Runbook",
        "Queues",
        "Deployments",
        "Timeline",
        "◆ before onset",
    ] {
        assert!(screen.contains(must), "{must} missing:\n{screen}");
    }
    c.bench_function("full frame 200x60", |b| {
        b.iter(|| {
            // A fresh buffer each frame: the whole screen is drawn and diffed, as after a resize.
            term.clear().expect("cleared");
            term.draw(|f| layout::render(f, black_box(&app)))
                .expect("drawn");
        });
    });
    c.bench_function("redraw 200x60", |b| {
        // The 1 s tick's redraw: everything rendered, only changed cells written.
        b.iter(|| {
            term.draw(|f| layout::render(f, black_box(&app)))
                .expect("drawn");
        });
    });
}

criterion_group!(benches, full_frame);
criterion_main!(benches);
