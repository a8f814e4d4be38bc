//! Prints the console's screen for a fixture moment, as text, to look at it without a terminal:
//! `cargo run --example preview -- bad 160 48 [dark|colorblind|…] [presenter|detail|help]`.
//! Moments: calm, first, bad, back, after.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::tui::msg::{Command, Msg};
use warroom::tui::{ConsoleOptions, fixtures, layout};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, d: &str| args.get(i).cloned().unwrap_or_else(|| d.to_owned());
    let t = match arg(0, "bad").as_str() {
        "calm" => fixtures::CALM,
        "first" => fixtures::DETECTED + 5,
        "back" => fixtures::RECOVERED + 5,
        "after" => fixtures::AFTER,
        _ => fixtures::BAD,
    };
    let (w, h) = (
        arg(1, "160").parse().unwrap_or(160),
        arg(2, "48").parse().unwrap_or(48),
    );
    let mut app = fixtures::console_at(t, (w, h), &ConsoleOptions::default());
    app.update(Msg::Command(Command::Theme(arg(3, "dark"))));
    match arg(4, "").as_str() {
        "presenter" => drop(app.update(Msg::Command(Command::Presenter))),
        "detail" => drop(app.update(Msg::Command(Command::App("func-orders-prod-krc".into())))),
        "help" => drop(app.update(Msg::Command(Command::Help))),
        _ => {}
    }
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("a test backend");
    term.draw(|f| layout::render(f, &app)).expect("drawn");
    let buf = term.backend().buffer();
    for y in 0..h {
        let line: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
        println!("{line}");
    }
}
