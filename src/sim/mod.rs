//! `sim`: the simulated Azure: world state, virtual clock, fault timeline, derived telemetry, and
//! the HTTP server that serves it through Azure's own REST surface.
//!
//! - [`clock`]: the virtual clock (wall time × speed, or stepped by tests).
//! - [`rng`]: seeded, order-independent randomness.
//! - [`scenario`]: scenario files (initial state and fault timeline), built-ins embedded.
//! - [`world`]: the estate's state over virtual time, and everything derived from it.
//!
//! This module must not touch the console, the snapshot model or the client: it serves Azure's
//! REST surface and nothing else knows it is simulated.

pub mod clock;
pub mod rng;
pub mod scenario;
pub mod world;

pub use clock::{ClockMode, SimClock};
pub use scenario::{Scenario, ScenarioError};
pub use world::{World, WorldError};
