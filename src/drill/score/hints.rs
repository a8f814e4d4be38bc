//! The hints a drill's commander revealed, counted from the journal: the console journals each
//! hint it shows as a note starting [`HINT_NOTE`]. Told beside the score; they do not change
//! whether the drill passed. Pure.

use crate::drill::spec::DrillSpec;
use crate::journal::{Entry, Record};

/// The words a journal note of a revealed hint starts with (the console writes them).
pub const HINT_NOTE: &str = "hint revealed: ";

/// How many of the drill's hints were revealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hints {
    /// Hints revealed (each counted once, however often its note was written).
    pub revealed: usize,
    /// Hints the drill has.
    pub available: usize,
}

impl Hints {
    /// `1 of 3 revealed`, `none of 3 revealed`.
    pub fn words(&self) -> String {
        if self.revealed == 0 {
            format!("none of {} revealed", self.available)
        } else {
            format!("{} of {} revealed", self.revealed, self.available)
        }
    }
}

/// The hints of `spec` revealed in `records`.
pub(super) fn hints(records: &[Record], spec: &DrillSpec) -> Hints {
    let mut seen: Vec<&str> = Vec::new();
    for r in records {
        if let Entry::Note { text } = &r.entry
            && let Some(hint) = text.strip_prefix(HINT_NOTE)
        {
            let hint = hint.trim();
            if !seen.contains(&hint) {
                seen.push(hint);
            }
        }
    }
    Hints {
        revealed: seen.len().min(spec.hints.len()),
        available: spec.hints.len(),
    }
}
