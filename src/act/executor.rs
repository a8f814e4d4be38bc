//! The executor: runs a [`Confirmed`] plan step by step through an [`Effects`] implementation,
//! with the journal as a write-ahead log. The intent is appended and synced before the first
//! call; if that fails nothing is called. Each completed step is journaled, and the outcome
//! always is, failure included. Progress goes to the console over a channel.
//!
//! Owns the order of calls and journal writes. It must not build calls itself (that is
//! [`Effects`]) nor decide whether an action should run (that is `decide` and [`super::confirm`]).

use serde::Serialize;
use tokio::sync::mpsc::UnboundedSender;

use super::confirm::Confirmed;
use super::effect::Effect;
use super::outcome::{Outcome, OutcomeStatus};
use super::plan::Plan;
use crate::journal::{ActionOutcome, Entry, Found, Intent, IntentStep, Journal, StepDone};

/// What a step reported: plain words and the names it touched; never a value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StepReport {
    /// Plain words (`swapped staging into production`, `3 settings written`).
    pub words: String,
    /// Names changed (settings, keys, resources).
    pub names: Vec<String>,
    /// What the step could not do and went on without (a forensic part that could not be
    /// read), in words; the outcome lists them all.
    pub gaps: Vec<String>,
}

impl StepReport {
    /// A report in words.
    pub fn words(words: impl Into<String>) -> Self {
        Self {
            words: words.into(),
            names: Vec::new(),
            gaps: Vec::new(),
        }
    }
}

/// Why a step failed, in words (Azure's code and message, never a request body or a secret).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActError {
    /// Azure refused or failed the call.
    #[error("{0}")]
    Azure(String),
    /// Something the step needs is not there (a package, a setting in the source app).
    #[error("cannot run: {0}")]
    Precondition(String),
    /// The check after the action did not pass.
    #[error("verification failed: {0}")]
    Verify(String),
    /// The effect has no implementation in this build.
    #[error("not available yet: {0}")]
    NotWired(String),
    /// A local file could not be written (forensics).
    #[error("local file: {0}")]
    Io(String),
}

impl From<crate::azure::Error> for ActError {
    fn from(e: crate::azure::Error) -> Self {
        Self::Azure(e.to_string())
    }
}

/// A progress event of a running action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// The plan.
    pub plan_id: String,
    /// The step, from 1 (0 for a preview).
    pub step: usize,
    /// How many steps.
    pub of: usize,
    /// What happened.
    pub event: ProgressEvent,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProgressEvent {
    /// A step started.
    Started {
        /// Its words.
        what: String,
    },
    /// A long-running operation was polled.
    Poll {
        /// Polls so far.
        polls: u32,
        /// Azure's status word.
        status: String,
        /// Percent complete, when Azure gives it.
        percent: Option<f64>,
    },
    /// A remark while a step runs (`probe says Unhealthy, restarting`).
    Note {
        /// Its words.
        words: String,
    },
    /// A step finished.
    Done {
        /// Its report.
        report: String,
    },
    /// A step failed.
    Failed {
        /// The error.
        error: String,
    },
    /// The action ended.
    Finished {
        /// The outcome in words.
        outcome: String,
    },
}

/// Where an effect reports progress while it runs.
#[derive(Debug, Clone)]
pub struct StepProgress {
    tx: UnboundedSender<Progress>,
    plan_id: String,
    step: usize,
    of: usize,
}

impl StepProgress {
    /// A sink for step `step` of `of`.
    pub fn new(tx: UnboundedSender<Progress>, plan_id: &str, step: usize, of: usize) -> Self {
        Self {
            tx,
            plan_id: plan_id.to_owned(),
            step,
            of,
        }
    }

    fn send(&self, event: ProgressEvent) {
        // A closed receiver only means nobody is watching; the action goes on.
        let _ = self.tx.send(Progress {
            plan_id: self.plan_id.clone(),
            step: self.step,
            of: self.of,
            event,
        });
    }

    /// A poll of a long-running operation.
    pub fn poll(&self, polls: u32, status: &str, percent: Option<f64>) {
        self.send(ProgressEvent::Poll {
            polls,
            status: status.to_owned(),
            percent,
        });
    }

    /// A remark.
    pub fn note(&self, words: impl Into<String>) {
        self.send(ProgressEvent::Note {
            words: words.into(),
        });
    }
}

/// The concrete operations, performed against Azure ([`super::effects_azure::AzureEffects`]) or
/// a test double.
#[async_trait::async_trait]
pub trait Effects: Send + Sync {
    /// Performs one effect to the end (long-running operations followed), reporting polls.
    async fn run(&self, effect: &Effect, progress: &StepProgress) -> Result<StepReport, ActError>;

    /// Reads whether an effect's change is in place now, changing nothing (used to reconcile an
    /// intent left unfinished by a crash). Without an implementation: unknown, with words.
    async fn observe(&self, effect: &Effect) -> Observation {
        Observation::unknown(format!(
            "{} cannot be checked by this build",
            super::effects_azure::op_name(effect)
        ))
    }
}

/// What a read of an effect's change found: in place or not, in plain words (names, versions,
/// states; never a value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Observation {
    /// In place, not in place, partly (of several names), or unknown.
    pub found: Found,
    /// What was read, in words.
    pub words: String,
    /// The change leaves no trace to read (a restart): its unknown does not weigh on the whole.
    pub traceless: bool,
}

impl Observation {
    /// The change is in place.
    pub fn in_place(words: impl Into<String>) -> Self {
        Self::with(Found::InPlace, words)
    }

    /// The change is not in place.
    pub fn not_in_place(words: impl Into<String>) -> Self {
        Self::with(Found::NotInPlace, words)
    }

    /// It could not be told.
    pub fn unknown(words: impl Into<String>) -> Self {
        Self::with(Found::Unknown, words)
    }

    /// `found`, in words.
    pub fn with(found: Found, words: impl Into<String>) -> Self {
        Self {
            found,
            words: words.into(),
            traceless: false,
        }
    }

    /// In place when `holds`, else not.
    pub fn holds(holds: bool, words: impl Into<String>) -> Self {
        if holds {
            Self::in_place(words)
        } else {
            Self::not_in_place(words)
        }
    }
}

fn intent(confirmed: &Confirmed) -> Entry {
    let plan = confirmed.plan();
    Entry::Intent(Intent {
        plan_id: plan.id.clone(),
        action: plan.action.clone(),
        title: plan.title.clone(),
        risk: plan.risk.label().to_lowercase(),
        steps: intent_steps(plan),
        overrides: confirmed.overrides().to_vec(),
        confirmed_at: confirmed.at(),
    })
}

/// The steps of `plan` as its intent journals them (what, effect, `az`; numbered from 1).
pub fn intent_steps(plan: &Plan) -> Vec<IntentStep> {
    plan.steps
        .iter()
        .enumerate()
        .map(|(i, s)| IntentStep {
            n: i + 1,
            what: s.what.clone(),
            effect: serde_json::to_value(&s.effect).unwrap_or_default(),
            az: s.az.clone(),
        })
        .collect()
}

/// Runs a confirmed plan. Never panics on a failing step or journal: the [`Outcome`] says what
/// happened.
pub async fn execute(
    confirmed: Confirmed,
    journal: &mut Journal,
    effects: &dyn Effects,
    progress: UnboundedSender<Progress>,
) -> Outcome {
    let plan = confirmed.plan();
    let of = plan.steps.len();
    let finish = |outcome: &Outcome| {
        StepProgress::new(progress.clone(), &outcome.plan_id, of, of).send(
            ProgressEvent::Finished {
                outcome: outcome.words(),
            },
        );
    };
    if let Err(e) = journal.append(&intent(&confirmed)) {
        let outcome = Outcome {
            plan_id: plan.id.clone(),
            status: OutcomeStatus::NotStarted {
                error: format!("the journal could not record the intent ({e}); nothing was called"),
            },
            steps_done: 0,
            verified: Vec::new(),
            journal_error: Some(e.to_string()),
            gaps: Vec::new(),
        };
        finish(&outcome);
        return outcome;
    }
    let mut status = OutcomeStatus::Succeeded;
    let mut done = 0;
    let mut gaps = Vec::new();
    let mut verified = Vec::new();
    for (i, step) in plan.steps.iter().enumerate() {
        let n = i + 1;
        let sink = StepProgress::new(progress.clone(), &plan.id, n, of);
        sink.send(ProgressEvent::Started {
            what: step.what.clone(),
        });
        match effects.run(&step.effect, &sink).await {
            Ok(report) => {
                sink.send(ProgressEvent::Done {
                    report: report.words.clone(),
                });
                if matches!(step.effect, Effect::Verify(_)) {
                    verified.push(report.words.clone());
                }
                for gap in &report.gaps {
                    sink.note(format!("MISSING: {gap}"));
                }
                gaps.extend(report.gaps);
                let entry = Entry::Step(StepDone {
                    plan_id: plan.id.clone(),
                    n,
                    of,
                    what: step.what.clone(),
                    report: report.words,
                    names: report.names,
                });
                done = n;
                if let Err(e) = journal.append(&entry) {
                    status = OutcomeStatus::Failed {
                        step: n,
                        what: step.what.clone(),
                        error: format!(
                            "the step completed but the journal could not record it ({e}); stopping"
                        ),
                    };
                    break;
                }
            }
            Err(e) => {
                sink.send(ProgressEvent::Failed {
                    error: e.to_string(),
                });
                status = OutcomeStatus::Failed {
                    step: n,
                    what: step.what.clone(),
                    error: e.to_string(),
                };
                break;
            }
        }
    }
    let outcome = Outcome {
        plan_id: plan.id.clone(),
        status,
        steps_done: done,
        verified,
        journal_error: None,
        gaps,
    };
    let outcome = journal_outcome(journal, outcome);
    finish(&outcome);
    outcome
}

/// Journals how the action ended; a journal that cannot record it is said on the outcome.
fn journal_outcome(journal: &mut Journal, mut outcome: Outcome) -> Outcome {
    let (result, failed_step, error) = match &outcome.status {
        OutcomeStatus::Succeeded => ("succeeded", None, None),
        OutcomeStatus::Failed { step, error, .. } => ("failed", Some(*step), Some(error.clone())),
        OutcomeStatus::NotStarted { error } => ("not_started", None, Some(error.clone())),
    };
    outcome.journal_error = journal
        .append(&Entry::Outcome(ActionOutcome {
            plan_id: outcome.plan_id.clone(),
            result: result.to_owned(),
            steps_done: outcome.steps_done,
            failed_step,
            error,
            gaps: outcome.gaps.clone(),
        }))
        .err()
        .map(|e| e.to_string());
    outcome
}

/// Runs a plan's read-only preview (the what-if of a rebuild) and keeps its result on the plan,
/// so it is shown before confirmation. Refuses an effect that would change anything.
pub async fn run_preview(
    plan: &mut Plan,
    effects: &dyn Effects,
    progress: UnboundedSender<Progress>,
) -> Result<(), ActError> {
    let Some(step) = &plan.preview else {
        return Ok(());
    };
    if !step.effect.is_read_only() {
        return Err(ActError::Precondition(
            "a preview must only read; this one would change something".to_owned(),
        ));
    }
    let sink = StepProgress::new(progress, &plan.id, 0, plan.steps.len());
    sink.send(ProgressEvent::Started {
        what: step.what.clone(),
    });
    let report = effects.run(&step.effect, &sink).await?;
    sink.send(ProgressEvent::Done {
        report: report.words.clone(),
    });
    plan.preview_result = Some(report.words);
    Ok(())
}
