//! The journal's line format: a versioned [`Record`] around one [`Entry`]. Entries hold names,
//! digests, plain words and the plan's secret-free effects; never a setting's or key's value.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::decide::{Override, ProposedAction};

/// The version of the line format this build writes.
pub const FORMAT_VERSION: u32 = 1;

/// One line of `journal.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Line format version ([`FORMAT_VERSION`]).
    pub v: u32,
    /// Sequence number within the incident, from 1.
    pub seq: u64,
    /// When the entry was written (the journal's clock: virtual time in the simulator).
    pub at: DateTime<Utc>,
    /// What happened.
    pub entry: Entry,
}

/// What a journal line records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// An action is about to run: written and synced before its first call.
    Intent(Intent),
    /// One step of an action completed.
    Step(StepDone),
    /// How an action ended.
    Outcome(ActionOutcome),
    /// A commander's override with its reason.
    Override(Override),
    /// The incident was declared: the first app seen failing.
    Declared {
        /// When it was detected (data time).
        detected_at: DateTime<Utc>,
        /// The apps affected so far.
        apps: Vec<String>,
    },
    /// The engine's answer changed: a new path or recommendation, with the evidence behind it.
    Decision {
        /// The nodes walked, in order (the engine's ids).
        path: Vec<String>,
        /// The recommended action, if any.
        recommendation: Option<ProposedAction>,
        /// The engine's one-line summary.
        summary: String,
        /// The evidence behind the answers on the path, one line each (numbers and times).
        evidence: Vec<String>,
    },
    /// The incident was closed by the commander.
    Closed {
        /// When the recovery was validated, if the engine had validated it.
        validated: bool,
        /// The commander's words.
        text: String,
    },
    /// A free note.
    Note {
        /// The note's words.
        text: String,
    },
    /// An unfinished intent (no outcome) was checked against Azure after a restart; it closes
    /// the intent for later resumes. No outcome is invented: this says what was found.
    Reconciled(Reconciled),
    /// The engine validated the recovery after the last action (the runtime latched it).
    Validated {
        /// When it was validated (the runtime's clock).
        at: DateTime<Utc>,
    },
    /// What changed in the estate since the picture before, in plain words with the data's
    /// times: health, platform, routes, aliases, storage, queues, deployments and swaps
    /// (`journal::observation`). Names and states only; never a value.
    Observed {
        /// The changes, oldest first.
        changes: Vec<Observation>,
    },
    /// A plan was shown to the commander (nothing runs until it is confirmed).
    Planned {
        /// The plan's id.
        plan_id: String,
        /// The action and its target.
        action: ProposedAction,
        /// The plan's title.
        title: String,
        /// The plan's risk word.
        risk: String,
        /// What blocks it until overridden (gates, safety rules), one line each.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        blocked: Vec<String>,
    },
    /// A plan shown was not run: closed by the commander, or its confirmation refused.
    Declined {
        /// The plan's id.
        plan_id: String,
        /// Why, in words (never what was typed).
        reason: String,
    },
    /// An entry kind this build does not know (written by a newer warroom).
    #[serde(other)]
    Unknown,
}

/// What an [`Observation`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservationKind {
    /// An app's production health.
    Health,
    /// A region's platform status (Resource Health of its apps).
    Platform,
    /// A Traffic Manager endpoint's or Front Door origin's enabled and monitor state.
    Route,
    /// A messaging geo-DR alias's role.
    Alias,
    /// A storage account's primary location.
    StorageLocation,
    /// A storage account's replication lag against the RPO.
    StorageLag,
    /// A queue's backlog against its threshold (the RPO).
    QueueBacklog,
    /// Whether a queue is keeping up, draining or not draining.
    QueueFlow,
    /// A deployment on an affected app.
    Deployment,
    /// A slot swap on an affected app.
    Swap,
    /// A kind this build does not know.
    #[serde(other)]
    Other,
}

/// One change the runtime observed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// What it is about.
    pub kind: ObservationKind,
    /// When the data first showed it (the source's data time, not the journal's).
    pub at: DateTime<Utc>,
    /// What changed: `func-orders-prod-krc health`, `region krc platform`.
    pub subject: String,
    /// The state before, in words; `None` for an event (a deployment, a swap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The state now (or the event), in words.
    pub to: String,
    /// More words: the failing checks' names, the apps, the lag (names and numbers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Observation {
    /// One plain line, without its time: `func-x health: healthy → unhealthy (storage failing)`.
    pub fn words(&self) -> String {
        let mut s = match &self.from {
            Some(from) => format!("{}: {from} → {}", self.subject, self.to),
            None => format!("{}: {}", self.subject, self.to),
        };
        if let Some(d) = &self.detail {
            s.push_str(" (");
            s.push_str(d);
            s.push(')');
        }
        s
    }

    /// [`Self::words`] with its data time: `… at 09:01:15`.
    pub fn line(&self) -> String {
        format!("{} at {}", self.words(), self.at.format("%H:%M:%S"))
    }
}

/// An action's intent: everything needed to reconcile it against Azure after a crash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// The plan's id.
    pub plan_id: String,
    /// The action and its target.
    pub action: ProposedAction,
    /// The plan's title.
    pub title: String,
    /// The plan's risk word.
    pub risk: String,
    /// The steps, in order.
    pub steps: Vec<IntentStep>,
    /// Every override the action runs under, with its reason.
    pub overrides: Vec<Override>,
    /// When the commander confirmed.
    pub confirmed_at: DateTime<Utc>,
}

/// One planned step as the intent records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentStep {
    /// Its number, from 1.
    pub n: usize,
    /// Plain words.
    pub what: String,
    /// The concrete operation (secret-free by construction of the plan).
    pub effect: serde_json::Value,
    /// The `az` command that does the same, values masked as the plan shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub az: Option<String>,
}

/// A completed step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepDone {
    /// The plan's id.
    pub plan_id: String,
    /// The step's number, from 1.
    pub n: usize,
    /// How many steps the plan has.
    pub of: usize,
    /// Plain words of the step.
    pub what: String,
    /// What the step reported, in plain words (names, versions, states; never values).
    pub report: String,
    /// Names the step changed (setting or key names, resource names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

/// How an action ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionOutcome {
    /// The plan's id.
    pub plan_id: String,
    /// `succeeded` or `failed`.
    pub result: String,
    /// Steps completed.
    pub steps_done: usize,
    /// The step that failed, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_step: Option<usize>,
    /// The error, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What the action could not do and went on without (forensic parts it could not read).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<String>,
}

/// What a reconciliation found of an unfinished intent's changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Found {
    /// Every change the intent meant is in place.
    InPlace,
    /// None of them is.
    NotInPlace,
    /// Some are, some are not.
    PartlyInPlace,
    /// It could not be told (a read failed, or the change leaves no trace).
    Unknown,
}

impl Found {
    /// Plain words.
    pub fn words(self) -> &'static str {
        match self {
            Self::InPlace => "in place",
            Self::NotInPlace => "not in place",
            Self::PartlyInPlace => "partly in place",
            Self::Unknown => "unknown",
        }
    }
}

/// The result of reconciling an unfinished intent against Azure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciled {
    /// The plan's id.
    pub plan_id: String,
    /// What was found, overall.
    pub found: Found,
    /// One plain line per effect checked: names, versions, states; never a value.
    pub checks: Vec<String>,
}

/// Something odd found while reading a journal; reading never fails on these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// The last line was cut short (a crash mid-write); it is ignored.
    TornLastLine {
        /// Its line number, from 1.
        line: usize,
    },
    /// A line in the middle does not parse; it is skipped.
    Malformed {
        /// Its line number, from 1.
        line: usize,
        /// Why.
        error: String,
    },
    /// A line written in a format version this build does not read; it is skipped.
    UnknownVersion {
        /// Its line number, from 1.
        line: usize,
        /// Its version.
        v: u64,
    },
    /// The file could not be read at all.
    Unreadable {
        /// Why.
        error: String,
    },
}
