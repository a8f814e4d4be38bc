//! Confirmation scaled to risk, and the [`Confirmed`] token that is the only way into the
//! executor. Pure: no I/O, `now` is a parameter.
//!
//! Low risk takes Enter, medium risk `y`, high risk the target's name typed out. Every failed or
//! unknown gate and every refusing safety rule needs an override with a non-empty reason.
//! [`Confirmed`] has a private field, so nothing but [`confirm`] can make one: an action cannot
//! run without passing here.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::plan::{Plan, Risk, overrides_needed};
use crate::decide::{Override, OverrideTarget};

/// What the commander must do to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Prompt {
    /// Press one key.
    Key {
        /// Which key.
        key: ConfirmKey,
    },
    /// Type the target's name.
    TypeTarget {
        /// The name to type, exactly.
        expected: String,
    },
}

/// The key a one-key confirmation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmKey {
    /// Enter (low risk).
    Enter,
    /// `y` (medium risk).
    Y,
}

/// An override the plan needs before it can run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverrideNeeded {
    /// What must be overridden.
    pub target: OverrideTarget,
    /// Why, in words.
    pub why: String,
}

/// The confirmation a plan needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confirmation {
    /// Key or typed name.
    pub prompt: Prompt,
    /// Overrides still needed, each with a reason to type.
    pub overrides_needed: Vec<OverrideNeeded>,
}

impl Confirmation {
    /// The prompt for a risk on a target.
    pub fn prompt_for(risk: Risk, target: &str) -> Prompt {
        match risk {
            Risk::Low => Prompt::Key {
                key: ConfirmKey::Enter,
            },
            Risk::Medium => Prompt::Key { key: ConfirmKey::Y },
            Risk::High => Prompt::TypeTarget {
                expected: target.to_owned(),
            },
        }
    }

    /// What to do, in words.
    pub fn words(&self) -> String {
        let base = match &self.prompt {
            Prompt::Key {
                key: ConfirmKey::Enter,
            } => "press Enter".to_owned(),
            Prompt::Key { key: ConfirmKey::Y } => "press y".to_owned(),
            Prompt::TypeTarget { expected } => format!("type the target's name \"{expected}\""),
        };
        match self.overrides_needed.len() {
            0 => base,
            n => format!("{base}, after typing a reason for each of the {n} overrides"),
        }
    }
}

/// Sets the plan's confirmation from its risk, gates and safety verdicts.
pub fn settle(plan: &mut Plan) {
    plan.confirmation = Confirmation {
        prompt: Confirmation::prompt_for(plan.risk, &plan.action.target),
        overrides_needed: overrides_needed(plan),
    };
}

/// A plan the commander confirmed, with the overrides it runs under. Made only by [`confirm`];
/// not `Clone`, so one confirmation runs once.
#[derive(Debug)]
pub struct Confirmed {
    plan: Plan,
    overrides: Vec<Override>,
    at: DateTime<Utc>,
}

impl Confirmed {
    /// The plan, with the overrides applied to its gates and safety verdicts.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Every override the action runs under (the engine's and the ones typed at confirmation).
    pub fn overrides(&self) -> &[Override] {
        &self.overrides
    }

    /// When it was confirmed.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }
}

/// Why a confirmation was refused. Nothing runs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The key or name typed is not the one asked for.
    #[error("what was typed does not match: {expected} to confirm")]
    WrongConfirmation {
        /// What was asked for, in words.
        expected: String,
    },
    /// A failed gate or refusing rule has no override.
    #[error("blocked: {why}; an override with a reason is needed")]
    OverrideMissing {
        /// What needs overriding, in words.
        why: String,
    },
    /// An override's reason is empty.
    #[error("an override needs a reason: {why}")]
    EmptyReason {
        /// What was overridden, in words.
        why: String,
    },
    /// The plan's preview (what-if) has not been run and shown.
    #[error("the preview must be run and shown before confirming")]
    PreviewMissing,
}

/// Checks what the commander typed against the plan's confirmation and the reasons given for
/// its needed overrides; on success the [`Confirmed`] token carries the plan with the overrides
/// applied. Reasons for targets the plan does not need are ignored.
pub fn confirm(
    plan: &Plan,
    typed: &str,
    reasons: &[(OverrideTarget, String)],
    now: DateTime<Utc>,
) -> Result<Confirmed, Refusal> {
    if plan.preview.is_some() && plan.preview_result.is_none() {
        return Err(Refusal::PreviewMissing);
    }
    let typed_ok = match &plan.confirmation.prompt {
        Prompt::Key {
            key: ConfirmKey::Enter,
        } => typed.trim().is_empty() || typed.trim().eq_ignore_ascii_case("enter"),
        Prompt::Key { key: ConfirmKey::Y } => typed.trim().eq_ignore_ascii_case("y"),
        Prompt::TypeTarget { expected } => typed.trim() == expected,
    };
    if !typed_ok {
        let words = Confirmation {
            prompt: plan.confirmation.prompt.clone(),
            overrides_needed: Vec::new(),
        }
        .words();
        return Err(Refusal::WrongConfirmation { expected: words });
    }
    let mut confirmed = plan.clone();
    for needed in overrides_needed(plan) {
        let Some((_, reason)) = reasons.iter().find(|(t, _)| *t == needed.target) else {
            return Err(Refusal::OverrideMissing { why: needed.why });
        };
        if reason.trim().is_empty() {
            return Err(Refusal::EmptyReason { why: needed.why });
        }
        confirmed.apply_override(&Override {
            target: needed.target.clone(),
            reason: reason.trim().to_owned(),
            at: now,
        });
    }
    debug_assert!(!confirmed.is_blocked());
    let overrides = confirmed.overrides();
    Ok(Confirmed {
        plan: confirmed,
        overrides,
        at: now,
    })
}
