//! warroom: a terminal incident console for recovering Azure Functions apps.
//!
//! ```text
//!              ┌──────────── console (TUI / status / plan / report) ────────────┐
//!              │ observe ─► snapshot ─► decide (flowchart, gates) ─► act ─► journal │
//!              └───────────────────────────┬─────────────────────────────────────┘
//!                                          │ azure client (reqwest + azure_identity)
//!                       ┌──────────────────┴──────────────────┐
//!           real Azure (ARM, Kudu, Storage queues,     simulated Azure on loopback (`sim`):
//!           the apps' /api/health)                     the same REST surface, a virtual estate,
//!                                                      a virtual clock and a fault timeline
//! ```
//!
//! Module map:
//! - [`config`]: the estate file, validated, with precise errors.
//! - [`model`]: the snapshot of the estate at an instant; every datum carries when and where it
//!   was observed.
//! - [`azure`]: the REST client (auth, retries, typed errors) and the wire types it shares with
//!   the simulator.
//! - [`sim`]: the simulated Azure: world state, virtual clock, fault timeline, HTTP server.
//! - [`observe`]: pollers that turn client reads into snapshots.
//! - [`decide`]: the runbook flowchart answered from a snapshot: evidence, gates, safety rules,
//!   overrides, verification and the recommendation. Pure.
//! - [`act`]: the action catalogue: plans (calls, `az` equivalents, gates, risk, undo),
//!   confirmation scaled to risk, and the executor that journals intent before any call.
//! - [`journal`]: the append-only incident journal (one folder per incident, JSON lines, synced).
//! - [`tui`]: the console: event loop, state, panes, themes.
//! - [`cli`]: the command line.
//! - [`logging`]: tracing to stderr or to a file, and the state directory.

pub mod act;
pub mod azure;
pub mod cli;
pub mod config;
pub mod decide;
pub mod drill;
pub mod journal;
pub mod logging;
pub mod model;
pub mod observe;
pub mod sim;
pub mod tui;
