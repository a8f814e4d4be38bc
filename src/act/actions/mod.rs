//! The action catalogue, one action (or one pair of an action and its undo) per file. Each file
//! turns a target, the estate and the snapshot into a [`Draft`]: steps, risk, duration, undo and
//! notes. [`super::catalogue::plan`] adds the gates, safety verdicts and confirmation.
//!
//! Pure like `decide`: no I/O, no clock (times come from the snapshot).

pub mod alias;
pub mod failover;
pub mod forensics;
pub mod freeze;
pub mod rebuild;
pub mod redeploy;
pub mod restart;
pub mod routing;
pub mod steps;
pub mod steps_edge;
pub mod steps_verify;
pub mod storage;
pub mod suppress;
pub mod swap;
pub mod sync;
pub mod template;
pub mod timers;

use super::catalogue::PlanError;
use super::plan::{Expected, PlanStep, Risk};
use crate::config::{App, Estate, Region, RegionRole};
use crate::decide::{IncidentFacts, ProposedAction};
use crate::model::{AppState, Snapshot};

/// A plan before gates, safety and confirmation are added.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// One line.
    pub title: String,
    /// A few sentences.
    pub summary: String,
    /// The steps.
    pub steps: Vec<PlanStep>,
    /// A read-only step run before confirmation.
    pub preview: Option<PlanStep>,
    /// Risk.
    pub risk: Risk,
    /// Expected duration.
    pub expected: Expected,
    /// The undo.
    pub undo: Option<ProposedAction>,
    /// Remarks.
    pub notes: Vec<String>,
    /// Separate actions that may be needed next.
    pub follow_ups: Vec<ProposedAction>,
}

impl Draft {
    /// A draft with the essentials; the rest empty.
    pub fn new(title: String, summary: String, risk: Risk, expected: Expected) -> Self {
        Self {
            title,
            summary,
            steps: Vec::new(),
            preview: None,
            risk,
            expected,
            undo: None,
            notes: Vec::new(),
            follow_ups: Vec::new(),
        }
    }
}

/// What an action plans against.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The estate.
    pub estate: &'a Estate,
    /// The snapshot.
    pub snap: &'a Snapshot,
    /// The action.
    pub action: &'a ProposedAction,
    /// The incident, when one is declared (its detection time bounds what evidence is kept).
    pub incident: Option<&'a IncidentFacts>,
}

impl<'a> Ctx<'a> {
    /// The target as an app of the estate.
    pub fn target_app(&self) -> Result<&'a App, PlanError> {
        self.estate.app(&self.action.target).ok_or_else(|| {
            PlanError::unknown(
                self.action,
                "an app",
                self.estate.apps.iter().map(|a| a.name.clone()),
            )
        })
    }

    /// The target as a region of the estate.
    pub fn target_region(&self) -> Result<&'a Region, PlanError> {
        self.estate.region(&self.action.target).ok_or_else(|| {
            PlanError::unknown(
                self.action,
                "a region short name",
                self.estate.regions.iter().map(|r| r.name.clone()),
            )
        })
    }

    /// An app's observed state.
    pub fn state(&self, app: &str) -> Option<&'a AppState> {
        self.snap.apps.iter().find(|a| a.name == app)
    }

    /// The region traffic moves to when `from` fails: the first secondary for the primary, the
    /// primary for a secondary.
    pub fn other_region(&self, from: &Region) -> Option<&'a Region> {
        match from.role {
            RegionRole::Primary => self.estate.secondaries().next(),
            RegionRole::Secondary => Some(self.estate.primary()),
        }
    }

    /// The app of the same service in `region`.
    pub fn counterpart_in(&self, app: &App, region: &str) -> Option<&'a App> {
        self.estate
            .apps
            .iter()
            .find(|a| a.service == app.service && a.region == region && a.name != app.name)
    }

    /// The app of the same service in the primary region (for an app in a secondary).
    pub fn primary_counterpart(&self, app: &App) -> Option<&'a App> {
        self.counterpart_in(app, &self.estate.primary().name)
    }
}

/// The version an app's production slot reports (the engine's reading, shared).
pub use crate::decide::lkg::running_version;
