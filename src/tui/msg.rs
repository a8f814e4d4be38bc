//! The console's inputs ([`Msg`]) and outputs ([`Intent`]), and the commands keys and the command
//! line resolve to ([`Command`]). Plain data: no terminal, no clock, no I/O.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEvent;

use super::actions::{ActionEvent, ActionRequest};
use crate::decide::{NodeId, ProposedAction};
use crate::model::Snapshot;

/// Everything `AppState::update` consumes.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press from the terminal.
    Key(KeyEvent),
    /// The clock: ages, the incident clock and the RTO countdown move on. Carries "now".
    Tick(DateTime<Utc>),
    /// A new snapshot of the estate.
    Snapshot(Arc<Snapshot>),
    /// The terminal was resized to (columns, rows).
    Resize(u16, u16),
    /// A command, from a key binding or the command line.
    Command(Command),
    /// News of a plan or an action from the runtime.
    Action(ActionEvent),
}

/// What the console asks of the runtime. The console itself never does I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Intent {
    /// Leave: restore the terminal and return.
    Quit,
    /// Ask the runtime to plan, confirm or cancel an action.
    Action(ActionRequest),
}

/// A pane of the main view, in focus order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneId {
    /// The runbook flowchart.
    Flowchart,
    /// Regions and apps.
    Regions,
    /// Queues.
    Queues,
    /// Deployments and swaps.
    Deployments,
    /// The timeline of what happened.
    Timeline,
}

impl PaneId {
    /// Every pane, in focus order.
    pub const ALL: [PaneId; 5] = [
        Self::Flowchart,
        Self::Regions,
        Self::Queues,
        Self::Deployments,
        Self::Timeline,
    ];

    /// The pane's name, as the command line and titles use it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Flowchart => "runbook",
            Self::Regions => "regions",
            Self::Queues => "queues",
            Self::Deployments => "deployments",
            Self::Timeline => "timeline",
        }
    }

    /// The pane after this one (wrapping).
    #[must_use]
    pub fn next(self) -> Self {
        Self::ALL[(self as usize + 1) % Self::ALL.len()]
    }

    /// The pane before this one (wrapping).
    #[must_use]
    pub fn prev(self) -> Self {
        Self::ALL[(self as usize + Self::ALL.len() - 1) % Self::ALL.len()]
    }
}

/// A console command. Keys resolve to these through the keymap; `:name args` reaches them by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Leave the console.
    Quit,
    /// Open (or close) the help overlay.
    Help,
    /// Open the command line.
    CommandLine,
    /// Open the command line with `note ` typed, for a journal note (`n`).
    NoteLine,
    /// Reveal the drill's next hint (`h`, `:hint`); journaled as a note.
    Hint,
    /// Toggle presenter mode.
    Presenter,
    /// Back to the main view (from detail or presenter; closes overlays).
    Main,
    /// Switch to the next theme.
    CycleTheme,
    /// Switch to a theme by name.
    Theme(String),
    /// Focus the next pane.
    FocusNext,
    /// Focus the previous pane.
    FocusPrev,
    /// Focus a pane.
    Focus(PaneId),
    /// Move the selection or scroll up one line.
    Up,
    /// Move the selection or scroll down one line.
    Down,
    /// Scroll up a page.
    PageUp,
    /// Scroll down a page.
    PageDown,
    /// Jump to the first line.
    Top,
    /// Jump to the last line.
    Bottom,
    /// Open what is selected (an app's detail).
    Open,
    /// Close the current view or overlay.
    Back,
    /// Open an app's detail view by name.
    App(String),
    /// Plan the recommended action.
    Act,
    /// Plan an action typed on the command line.
    Plan(ProposedAction),
    /// Override a decision's answer with a reason (`:override regional no REASON`).
    Override {
        /// The decision.
        node: NodeId,
        /// The answer forced.
        answer: bool,
        /// Why.
        reason: String,
    },
    /// A note for the journal (`:note TEXT`).
    Note(String),
    /// Close the incident (`:close [TEXT]`, or `a` when the runbook reaches Close).
    Close(String),
}
