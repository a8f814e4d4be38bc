//! The theme set: the built-in themes in the order `t` cycles them, the user theme file laid over
//! its `parent`, which theme is active, and `NO_COLOR` applied to all of them. A user file that
//! cannot be used is left out, with its [`ThemeError`] returned for the console to show and its
//! parent (or `dark`) active.
//!
//! Owns [`ThemeSet`] only. What a role means, a theme's styles and the built-in files are the
//! parent's; reading the TOML and style strings is `file`'s. Nothing here draws or touches the
//! terminal.

use std::path::Path;

use super::file::{parse_roles, parse_table};
use super::{BUILTINS, Theme, ThemeError};

/// The themes the console can cycle through, and which one is active.
#[derive(Debug, Clone)]
pub struct ThemeSet {
    themes: Vec<Theme>,
    active: usize,
}

impl ThemeSet {
    /// The built-in themes, `dark` active; colourless when `no_color`.
    pub fn builtin(no_color: bool) -> Self {
        let themes = BUILTINS
            .iter()
            .map(|(file, text)| {
                let t = Theme::parse_builtin(file, text)
                    .expect("built-in themes are complete and valid (tested)");
                if no_color { t.without_colour() } else { t }
            })
            .collect();
        Self { themes, active: 0 }
    }

    /// The built-ins plus a user theme file, which becomes active. On error the user theme is left
    /// out, its parent (or `dark`) is active, and the error is returned for the console to show.
    pub fn with_user_file(path: &Path, no_color: bool) -> (Self, Option<ThemeError>) {
        let file = path.display().to_string();
        let stem = path
            .file_stem()
            .map_or_else(|| file.clone(), |s| s.to_string_lossy().into_owned());
        let mut set = Self::builtin(no_color);
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let (theme, parent, err) = set.overlay(&file, &stem, &text);
                if let Some(t) = theme {
                    set.themes
                        .push(if no_color { t.without_colour() } else { t });
                    set.active = set.themes.len() - 1;
                } else {
                    set.active = parent;
                }
                (set, err)
            }
            Err(e) => (
                set,
                Some(ThemeError::Io {
                    file,
                    reason: e.to_string(),
                }),
            ),
        }
    }

    /// Applies user theme text over its parent: the theme, the parent's index, and any error.
    fn overlay(
        &self,
        file: &str,
        name: &str,
        text: &str,
    ) -> (Option<Theme>, usize, Option<ThemeError>) {
        let table = match parse_table(file, text) {
            Ok(t) => t,
            Err(e) => return (None, 0, Some(e)),
        };
        let given = table.get("parent").and_then(toml::Value::as_str);
        let Some(parent) = given.and_then(|p| self.index_of(p)) else {
            let err = ThemeError::BadParent {
                file: file.to_owned(),
                given: given.map_or_else(|| "nothing".to_owned(), |g| format!("`{g}`")),
                known: self.names().join(", "),
            };
            return (None, 0, Some(err));
        };
        match parse_roles(file, &table, &["parent", "name"]) {
            Ok(overrides) => {
                let mut theme = self.themes[parent].clone();
                table
                    .get("name")
                    .and_then(toml::Value::as_str)
                    .unwrap_or(name)
                    .clone_into(&mut theme.name);
                for (slot, o) in theme.styles.iter_mut().zip(overrides) {
                    if let Some(style) = o {
                        *slot = style;
                    }
                }
                (Some(theme), parent, None)
            }
            Err(e) => (None, parent, Some(e)),
        }
    }

    /// The active theme.
    pub fn active(&self) -> &Theme {
        &self.themes[self.active]
    }

    /// Makes the next theme active, wrapping around.
    pub fn cycle(&mut self) {
        self.active = (self.active + 1) % self.themes.len();
    }

    /// Makes the named theme active; false when there is none by that name.
    pub fn select(&mut self, name: &str) -> bool {
        self.index_of(name).map(|i| self.active = i).is_some()
    }

    /// The names of the themes, in cycling order.
    pub fn names(&self) -> Vec<&str> {
        self.themes.iter().map(|t| t.name.as_str()).collect()
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::theme::Role;
    use ratatui::style::{Color, Modifier};

    fn user(text: &str) -> (Option<Theme>, usize, Option<ThemeError>) {
        ThemeSet::builtin(false).overlay("my.toml", "my", text)
    }

    #[test]
    fn colorblind_never_puts_red_against_green() {
        let set = ThemeSet::builtin(false);
        let cb = &set.themes[3];
        let is_red_or_green = |c: Option<Color>| {
            matches!(
                c,
                Some(Color::Red | Color::LightRed | Color::Green | Color::LightGreen)
            )
        };
        for role in [
            Role::Ok,
            Role::Crit,
            Role::Warn,
            Role::GatePass,
            Role::GateFail,
        ] {
            assert!(!is_red_or_green(cb.style(role).fg), "{role:?}");
        }
        assert_ne!(cb.style(Role::Ok).fg, cb.style(Role::Crit).fg);
    }

    #[test]
    fn a_user_theme_overrides_some_roles_of_its_parent() {
        let (theme, parent, err) = user("parent = \"light\"\n[roles]\ncrit = \"magenta bold\"\n");
        assert!(err.is_none());
        let theme = theme.expect("theme");
        let light = &ThemeSet::builtin(false).themes[1];
        assert_eq!(parent, 1);
        assert_eq!(theme.name, "my");
        assert_eq!(theme.style(Role::Crit).fg, Some(Color::Magenta));
        assert_eq!(theme.style(Role::Ok), light.style(Role::Ok));
    }

    #[test]
    fn an_unknown_role_is_an_error_naming_file_and_key_and_falls_back_to_the_parent() {
        let (theme, parent, err) = user("parent = \"colorblind\"\n[roles]\ncritical = \"red\"\n");
        assert!(theme.is_none());
        assert_eq!(parent, 3);
        let msg = err.expect("error").to_string();
        assert!(
            msg.contains("my.toml") && msg.contains("roles.critical"),
            "{msg}"
        );
    }

    #[test]
    fn a_bad_colour_is_an_error_naming_the_key_and_value() {
        let (_, _, err) = user("parent = \"dark\"\n[roles]\nok = \"grene\"\n");
        let msg = err.expect("error").to_string();
        assert!(msg.contains("roles.ok") && msg.contains("grene"), "{msg}");
    }

    #[test]
    fn a_missing_or_unknown_parent_is_an_error() {
        let (_, _, err) = user("[roles]\nok = \"blue\"\n");
        assert!(matches!(err, Some(ThemeError::BadParent { .. })));
        let (_, _, err) = user("parent = \"solarized\"\n");
        let msg = err.expect("error").to_string();
        assert!(
            msg.contains("solarized") && msg.contains("dark, light"),
            "{msg}"
        );
    }

    #[test]
    fn a_missing_user_file_is_reported_and_dark_stays_active() {
        let (set, err) = ThemeSet::with_user_file(Path::new("/nonexistent/mine.toml"), false);
        assert!(matches!(err, Some(ThemeError::Io { .. })));
        assert_eq!(set.active().name, "dark");
    }

    #[test]
    fn no_color_keeps_modifiers_and_drops_colours() {
        let set = ThemeSet::builtin(true);
        for theme in &set.themes {
            for &role in Role::ALL {
                let s = theme.style(role);
                assert!(s.fg.is_none() && s.bg.is_none(), "{} {role:?}", theme.name);
            }
            assert!(
                theme
                    .style(Role::BannerProd)
                    .add_modifier
                    .contains(Modifier::REVERSED)
            );
        }
        assert!(
            set.active()
                .style(Role::Crit)
                .add_modifier
                .contains(Modifier::BOLD)
        );
    }

    #[test]
    fn cycling_and_selecting_by_name() {
        let mut set = ThemeSet::builtin(false);
        set.cycle();
        assert_eq!(set.active().name, "light");
        assert!(set.select("colorblind"));
        assert_eq!(set.active().name, "colorblind");
        set.cycle();
        assert_eq!(set.active().name, "dark");
        assert!(!set.select("nope"));
    }
}
