//! How the console's state moves with the keys of a drill and of notes: `h` reveals the next
//! hint and journals it as a note (so the drill's score can count hints), `n` opens the command
//! line with `note ` typed. An `impl` of [`AppState`](super::app::AppState), kept apart so the
//! state file stays readable. Pure.

use super::actions::ActionRequest;
use super::app::{AppState, CommandLine, Modal};
use super::msg::Intent;

/// The journal note's words for a revealed hint; the drill's score counts notes that start so
/// (`crate::drill::HINT_NOTE`, the same words: a `cli::drill` test holds them equal).
pub const HINT_NOTE: &str = "hint revealed: ";

impl AppState {
    /// `n`: the command line with `note ` typed, unless there is no journal to write to.
    pub(crate) fn note_line(&mut self) {
        if self.ui.read_only {
            self.ui.flash =
                Some("read-only: no journal here, so no override or note is taken".to_owned());
            return;
        }
        self.modal = Some(Modal::Command(CommandLine {
            input: "note ".to_owned(),
            candidates: Vec::new(),
        }));
    }

    /// `h`: reveals the drill's next hint and asks for it to be journaled as a note.
    pub(crate) fn reveal_hint(&mut self) -> Option<Intent> {
        let Some(walk) = self.walk.as_mut() else {
            self.ui.flash = Some("hints come with a drill; this scenario has none".to_owned());
            return None;
        };
        let total = walk.view.hints.len();
        let Some((n, hint)) = walk.reveal() else {
            self.ui.flash = Some(format!("no more hints: all {total} are shown"));
            return None;
        };
        let note = format!("{HINT_NOTE}{}", hint.text);
        if self.ui.read_only {
            self.ui.flash = Some(format!("hint {n} of {total} (read-only: not journaled)"));
            return None;
        }
        self.ui.flash = Some(format!("hint {n} of {total}"));
        Some(Intent::Action(ActionRequest::Note(note)))
    }
}
