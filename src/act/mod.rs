//! `act`: the action catalogue and its execution. For each action: its [`Plan`] (steps with the
//! REST call and the `az` command that does the same, gates, safety verdicts, risk, expected
//! duration, undo), the confirmation scaled to its risk ([`confirm`]), and the [`execute`]
//! loop that runs a [`Confirmed`] plan through [`Effects`] with the journal as a write-ahead log.
//!
//! Layout: `plan` and `effect` (the data), `render` (text), `catalogue` (dispatch), `actions/`
//! (one action per file, pure), `confirm` (pure), `executor` (the loop), `effects_azure` (the
//! effects against Azure through `crate::azure`).
//!
//! Must not import `tui` or `sim`. Planning is pure (times come from the snapshot); only the
//! executor and the effects do I/O. No secret value ever enters a plan, a progress event or the
//! journal: settings and keys are named, compared by digest, and copied inside the effects.

pub mod actions;
pub mod catalogue;
pub mod confirm;
pub mod effect;
pub mod effects_azure;
pub mod executor;
pub mod outcome;
pub mod plan;
pub mod reconcile;
pub mod render;

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod tests;

pub use catalogue::{PlanError, plan, plan_in};
pub use confirm::{ConfirmKey, Confirmation, Confirmed, OverrideNeeded, Prompt, Refusal, confirm};
pub use effect::{Effect, ForensicPart, LockLevel, SettingSource, VerifyCheck};
pub use effects_azure::AzureEffects;
pub use executor::{
    ActError, Effects, Observation, Progress, ProgressEvent, StepProgress, StepReport, execute,
    run_preview,
};
pub use outcome::{Outcome, OutcomeStatus};
pub use plan::{Expected, Plan, PlanStep, RestCall, Risk};
