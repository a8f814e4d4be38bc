//! Drills: rehearsals of a recovery on the simulated estate, scored.
//!
//! A drill is a scenario file (`assets/scenarios/`) with a `[drill]` table ([`DrillSpec`]): the
//! narrative the war room is told and when, hints with where to look, the strategy the runbook
//! expects, and the targets the score is measured against. The fault timeline itself is the
//! scenario's (`sim::scenario`). This module owns the drill's format, its [`score`] (from the
//! incident's journal) and its [`report`] (`drill-report.md`); all pure, it never touches the
//! terminal or the network. The autopilot that runs a drill lives in `cli::drill`, beside the
//! action runtime it drives.

pub mod report;
pub mod score;
pub mod spec;

pub use score::{HINT_NOTE, Hints, Item, RpoEstimate, Score, score};
pub use spec::{AllowedOverride, DrillSpec, Hint, NarrativeLine, Targets};
