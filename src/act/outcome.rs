//! How an action ended: [`Outcome`] (the status, the steps done, what the checks read back, what
//! could not be read) and its words for the screen and the journal. Pure data; the executor
//! fills it in and must remain the only writer of the journal.

use serde::Serialize;

/// How an action ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The plan.
    pub plan_id: String,
    /// Succeeded, failed at a step, or never started.
    pub status: OutcomeStatus,
    /// Steps completed.
    pub steps_done: usize,
    /// What each check step that passed read (the plan's `Verify` steps), in order.
    pub verified: Vec<String>,
    /// Set when the journal could not record the outcome (or a step).
    pub journal_error: Option<String>,
    /// What the steps could not do and went on without (see [`super::StepReport::gaps`]).
    pub gaps: Vec<String>,
}

/// Succeeded, failed at a step, or never started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum OutcomeStatus {
    /// Every step completed.
    Succeeded,
    /// A step failed; the steps after it did not run.
    Failed {
        /// The step, from 1.
        step: usize,
        /// Its words.
        what: String,
        /// The error.
        error: String,
    },
    /// Nothing was called (the intent could not be journaled).
    NotStarted {
        /// Why.
        error: String,
    },
}

impl Outcome {
    /// Whether every step completed.
    pub fn succeeded(&self) -> bool {
        self.status == OutcomeStatus::Succeeded
    }

    /// Whether every step completed and at least one of them was a check that passed: the
    /// change was read back, not only asked for.
    pub fn verified(&self) -> bool {
        self.succeeded() && !self.verified.is_empty()
    }

    /// The outcome in words, with what is missing named.
    pub fn words(&self) -> String {
        let head = match &self.status {
            OutcomeStatus::Succeeded if self.verified.is_empty() => format!(
                "succeeded: {} step(s) done (nothing read back)",
                self.steps_done
            ),
            OutcomeStatus::Succeeded => format!(
                "succeeded and verified: {} step(s) done, {} check(s) passed",
                self.steps_done,
                self.verified.len()
            ),
            OutcomeStatus::Failed { step, what, error } => {
                format!("FAILED at step {step} ({what}): {error}")
            }
            OutcomeStatus::NotStarted { error } => format!("NOT STARTED: {error}"),
        };
        if self.gaps.is_empty() {
            head
        } else {
            format!("{head}; MISSING: {}", self.gaps.join("; "))
        }
    }
}
