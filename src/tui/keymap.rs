//! Key bindings: key → [`Command`], with the defaults in code. Owns key normalisation (shifted
//! letters, release events) and the key names shown in the footer and help. It knows nothing of
//! state: modals are given keys before the keymap by `app::update`.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::msg::{Command, PaneId};

/// A key as the keymap sees it: the code and the modifiers that matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    mods: KeyModifiers,
}

impl Key {
    /// Normalises a terminal key event; `None` for releases and repeats of non-movement keys.
    pub fn from_event(ev: KeyEvent) -> Option<Self> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        if matches!(ev.code, KeyCode::BackTab) {
            mods = KeyModifiers::NONE;
        }
        Some(Self {
            code: ev.code,
            mods,
        })
    }

    const fn plain(code: KeyCode) -> Self {
        Self {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    const fn ctrl(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }
}

/// One documented binding, for the help overlay.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// How the key is written on screen.
    pub keys: &'static str,
    /// What it does.
    pub what: &'static str,
}

/// The bindings shown in help, in reading order.
pub const HELP: &[Binding] = &[
    Binding {
        keys: "a",
        what: "plan the recommended action (read it, then confirm)",
    },
    Binding {
        keys: "Tab / S-Tab",
        what: "focus the next / previous pane",
    },
    Binding {
        keys: "1-5",
        what: "focus runbook, regions, queues, deployments, timeline",
    },
    Binding {
        keys: "↑↓ / j k",
        what: "select an app, or scroll",
    },
    Binding {
        keys: "PgUp PgDn g G",
        what: "scroll by a page, to the top, to the end",
    },
    Binding {
        keys: "Enter",
        what: "open the selected app's detail",
    },
    Binding {
        keys: "Esc",
        what: "back to the main view, close an overlay",
    },
    Binding {
        keys: "n",
        what: "write a note into the incident journal (opens :note)",
    },
    Binding {
        keys: "h",
        what: "in a drill: reveal the next hint (journaled)",
    },
    Binding {
        keys: "p",
        what: "presenter mode: large clock, step and health",
    },
    Binding {
        keys: "t",
        what: "next theme",
    },
    Binding {
        keys: ":",
        what: "command line (Tab completes names)",
    },
    Binding {
        keys: "?",
        what: "this help",
    },
    Binding {
        keys: "q / Ctrl-C",
        what: "quit",
    },
];

/// Key → command.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: HashMap<Key, Command>,
}

impl Default for Keymap {
    fn default() -> Self {
        use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, PageDown, PageUp, Tab, Up};
        let mut b = HashMap::new();
        let plain: [(KeyCode, Command); 27] = [
            (Char('q'), Command::Quit),
            (Char('?'), Command::Help),
            (Char(':'), Command::CommandLine),
            (Char('p'), Command::Presenter),
            (Char('t'), Command::CycleTheme),
            (Tab, Command::FocusNext),
            (BackTab, Command::FocusPrev),
            (Up, Command::Up),
            (Char('k'), Command::Up),
            (Down, Command::Down),
            (Char('j'), Command::Down),
            (PageUp, Command::PageUp),
            (PageDown, Command::PageDown),
            (Home, Command::Top),
            (Char('g'), Command::Top),
            (End, Command::Bottom),
            (Char('G'), Command::Bottom),
            (Enter, Command::Open),
            (Esc, Command::Back),
            (Char('1'), Command::Focus(PaneId::Flowchart)),
            (Char('2'), Command::Focus(PaneId::Regions)),
            (Char('3'), Command::Focus(PaneId::Queues)),
            (Char('4'), Command::Focus(PaneId::Deployments)),
            (Char('5'), Command::Focus(PaneId::Timeline)),
            (Char('a'), Command::Act),
            (Char('n'), Command::NoteLine),
            (Char('h'), Command::Hint),
        ];
        for (code, cmd) in plain {
            b.insert(Key::plain(code), cmd);
        }
        b.insert(Key::ctrl('c'), Command::Quit);
        Self { bindings: b }
    }
}

impl Keymap {
    /// The command bound to a key event, if any.
    pub fn command(&self, ev: KeyEvent) -> Option<Command> {
        Key::from_event(ev).and_then(|k| self.bindings.get(&k).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_resolve_letters_arrows_and_ctrl_c() {
        let km = Keymap::default();
        let none = KeyModifiers::NONE;
        assert_eq!(
            km.command(key(KeyCode::Char('q'), none)),
            Some(Command::Quit)
        );
        assert_eq!(
            km.command(key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Command::Quit)
        );
        assert_eq!(km.command(key(KeyCode::Down, none)), Some(Command::Down));
        assert_eq!(km.command(key(KeyCode::Char('x'), none)), None);
    }

    #[test]
    fn shifted_letters_and_backtab_ignore_the_shift_flag() {
        let km = Keymap::default();
        assert_eq!(
            km.command(key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Command::Bottom)
        );
        assert_eq!(
            km.command(key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Command::FocusPrev)
        );
    }

    #[test]
    fn n_writes_a_note_and_h_reveals_a_hint_and_help_and_readme_say_so() {
        let km = Keymap::default();
        let none = KeyModifiers::NONE;
        assert_eq!(
            km.command(key(KeyCode::Char('n'), none)),
            Some(Command::NoteLine)
        );
        assert_eq!(
            km.command(key(KeyCode::Char('h'), none)),
            Some(Command::Hint)
        );
        let readme = include_str!("../../README.md");
        for k in ["n", "h"] {
            assert!(HELP.iter().any(|b| b.keys == k), "help lists `{k}`");
            assert!(readme.contains(&format!("| `{k}` |")), "README lists `{k}`");
        }
    }

    #[test]
    fn releases_do_nothing() {
        let km = Keymap::default();
        let mut ev = key(KeyCode::Char('q'), KeyModifiers::NONE);
        ev.kind = KeyEventKind::Release;
        assert_eq!(km.command(ev), None);
    }
}
