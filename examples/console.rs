//! The console on the fixture story, without the simulator: virtual time runs from 02:54 at
//! `SPEED`× and a new snapshot of the story is published every real second. For trying the
//! console by hand: `cargo run --example console` (q quits).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use warroom::tui::{ConsoleOptions, fixtures, run};

/// Virtual seconds per real second.
const SPEED: i64 = 20;
/// Where the story starts: a minute before the calm snapshot.
const START: i64 = fixtures::CALM - 60;

#[tokio::main]
async fn main() -> color_eyre::Result<()> {
    let begun = Instant::now();
    let virtual_secs = move || {
        let real = i64::try_from(begun.elapsed().as_millis()).unwrap_or(i64::MAX);
        START + real * SPEED / 1000
    };
    let (tx, rx) = watch::channel(Arc::new(fixtures::snapshot_at(START)));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let t = virtual_secs().min(fixtures::AFTER + 600);
            if tx.send(Arc::new(fixtures::snapshot_at(t))).is_err() {
                break;
            }
        }
    });
    let now = move || fixtures::at(virtual_secs());
    run(rx, now, ConsoleOptions::default(), None).await
}
