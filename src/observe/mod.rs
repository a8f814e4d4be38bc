//! `observe`: turns client reads into [`Snapshot`]s. Each source kind (inventory, health probes,
//! metrics, …) is refreshed on its own interval by its own task; every refresh updates its part of
//! the snapshot (a good value with its time, or an error beside the last good value) and publishes
//! the whole snapshot on a `watch` channel, so a burst of refreshes costs the UI one redraw.
//!
//! Owns scheduling, staleness bookkeeping and the conversion of wire bodies into the model
//! (`convert`). It must not render anything, decide anything, or write to Azure.

mod clock;
mod convert;
mod init;
mod runner;
mod sources;

pub use clock::Clock;
pub use runner::{Observer, RefreshStats};
pub use sources::SourceKind;
