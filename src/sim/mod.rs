//! `sim`: the simulated Azure: world state, virtual clock, fault timeline, derived telemetry, and
//! the HTTP server that serves it through Azure's own REST surface.
//!
//! - [`clock`]: the virtual clock (wall time × speed, or stepped by tests).
//! - [`rng`]: seeded, order-independent randomness.
//! - [`scenario`]: scenario files (initial state and fault timeline), built-ins embedded.
//! - [`world`]: the estate's state over virtual time, and everything derived from it.
//! - [`server`]: the HTTP server (axum, loopback) that serves the world through Azure's REST
//!   surface.
//!
//! This module must not touch the console, the snapshot model or the client: it serves Azure's
//! REST surface and nothing else knows it is simulated.

pub mod clock;
pub mod rng;
pub mod scenario;
pub mod server;
pub mod world;

pub use clock::{ClockMode, SimClock};
pub use scenario::{Scenario, ScenarioError};
pub use server::{RequestCounts, SimError, SimHandle, SimOptions, SimServer, WriteRequest};
pub use world::{World, WorldError};

use std::io::Write as _;

use crate::config::Estate;

/// `warroom sim serve`: serves `estate` under `scenario` on 127.0.0.1:`port` (0 picks a free
/// port) with a wall clock at `speed` (the scenario's own speed when `None`), prints the base URL
/// and the endpoint templates a client must use, and runs until Ctrl-C.
pub async fn serve_forever(
    estate: Estate,
    scenario: Scenario,
    port: u16,
    speed: Option<f64>,
) -> Result<(), SimError> {
    let speed = speed.unwrap_or(scenario.speed);
    let clock = SimClock::wall(scenario.start, speed);
    let name = scenario.name.clone();
    let handle = SimServer::start(estate, scenario, clock, SimOptions { port }).await?;
    let e = handle.endpoints();
    let banner = format!(
        "simulated Azure: scenario {name}, clock ×{speed}, listening on {}\n  \
         ARM        {}\n  \
         Kudu       {}\n  \
         app hosts  {}   (a slot: {{app}}-{{slot}})\n  \
         queues     {}\n  \
         metrics    {}\n  \
         blobs      {}\n\
         any bearer token is accepted; none is required. Ctrl-C stops.\n",
        handle.base_url(),
        e.arm,
        e.kudu,
        e.app_host,
        e.queue,
        e.metrics,
        e.blob
    );
    // One write, and a reader that has gone (a script that read the first line) is no reason
    // to stop serving: `println!` would panic on the closed pipe.
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    tokio::signal::ctrl_c().await.map_err(SimError::Serve)?;
    handle.shutdown().await
}
