//! Themes: styles named by meaning ([`Role`]), never by colour. Owns the roles, [`Theme`] (one
//! style per role, and its colourless form for `NO_COLOR`) and the built-in themes (embedded from
//! `themes/*.toml`). The set the console cycles through and the user theme overlay are `set`'s;
//! theme files, style strings and [`ThemeError`] are `file`'s.
//!
//! A user theme names a `parent` built-in and overrides any subset of its roles. An unknown role,
//! a bad colour or an unknown parent is a [`ThemeError`] naming the file and the key; the console
//! shows it and falls back to the parent. Nothing here draws or touches the terminal.

use std::fmt;

use ratatui::style::{Color, Modifier, Style};

use crate::model::Health;

mod file;
mod set;

pub use file::{ThemeError, parse_style};
use file::{parse_roles, parse_table};
pub use set::ThemeSet;

/// The built-in theme files, in the order `t` cycles them.
const BUILTINS: [(&str, &str); 4] = [
    (
        "themes/dark.toml",
        include_str!("../../../themes/dark.toml"),
    ),
    (
        "themes/light.toml",
        include_str!("../../../themes/light.toml"),
    ),
    (
        "themes/high-contrast.toml",
        include_str!("../../../themes/high-contrast.toml"),
    ),
    (
        "themes/colorblind.toml",
        include_str!("../../../themes/colorblind.toml"),
    ),
];

macro_rules! roles {
    ($($variant:ident = $key:literal: $doc:literal,)*) => {
        /// What a style means on screen. Widgets ask for a role; the theme decides the look.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Role {
            $(#[doc = $doc] $variant,)*
        }

        impl Role {
            /// Every role, in file order.
            pub const ALL: &[Role] = &[$(Role::$variant,)*];

            /// The role's key in a theme file.
            pub fn key(self) -> &'static str {
                match self { $(Role::$variant => $key,)* }
            }
        }
    };
}

roles! {
    Text = "text": "Ordinary text.",
    Muted = "muted": "Secondary text: units, labels, not-reached steps.",
    Title = "title": "Pane titles and headings.",
    Border = "border": "Pane borders.",
    BorderFocused = "border_focused": "The focused pane's border.",
    Ok = "ok": "Healthy, serving, within target.",
    Warn = "warn": "Degraded or approaching a target.",
    Crit = "crit": "Failing, unhealthy, past a target.",
    Unknown = "unknown": "No data or unknown status.",
    Stale = "stale": "Data older than its refresh interval, or from a failing source.",
    Info = "info": "Neutral facts worth noticing: deployments, swaps.",
    RecommendedPath = "recommended_path": "The runbook step the console recommends, and the path to it.",
    Evaluating = "evaluating": "A runbook step being evaluated.",
    Done = "done": "A runbook step completed.",
    GatePass = "gate_pass": "A gate that passes.",
    GateFail = "gate_fail": "A gate that fails.",
    Selection = "selection": "The selected row.",
    DangerPrompt = "danger_prompt": "A prompt before a risky action.",
    BannerSim = "banner_sim": "The SIMULATED environment banner.",
    BannerProd = "banner_prod": "The PRODUCTION environment banner.",
    ReadOnly = "read_only": "The read-only marker.",
    KeyHint = "key_hint": "Keys in the footer and help.",
    Spark = "spark": "Sparklines.",
    ChartPrimary = "chart_primary": "A chart's first series.",
    ChartSecondary = "chart_secondary": "A chart's second series.",
}

/// A complete theme: one style per role.
#[derive(Clone, PartialEq, Eq)]
pub struct Theme {
    /// Its name (`dark`, or the user file's stem).
    pub name: String,
    styles: Vec<Style>,
}

impl fmt::Debug for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Theme")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Theme {
    /// The style of a role.
    pub fn style(&self, role: Role) -> Style {
        self.styles[role as usize]
    }

    /// The style of a health status.
    pub fn health(&self, h: Health) -> Style {
        self.style(match h {
            Health::Healthy => Role::Ok,
            Health::Degraded => Role::Warn,
            Health::Unhealthy | Health::Unreachable => Role::Crit,
            Health::Unknown => Role::Unknown,
        })
    }

    /// A pane border: focused or not.
    pub fn border(&self, focused: bool) -> Style {
        self.style(if focused {
            Role::BorderFocused
        } else {
            Role::Border
        })
    }

    /// The same theme with every colour removed and modifiers kept (`NO_COLOR`). Roles whose
    /// meaning came from a background get `reversed` so they still stand out.
    #[must_use]
    pub fn without_colour(&self) -> Self {
        let styles = Role::ALL
            .iter()
            .map(|&role| {
                let s = self.style(role);
                let mut plain = Style::new()
                    .add_modifier(s.add_modifier)
                    .remove_modifier(s.sub_modifier);
                if s.bg.is_some_and(|c| c != Color::Reset) {
                    plain = plain.add_modifier(Modifier::REVERSED);
                }
                plain
            })
            .collect();
        Self {
            name: self.name.clone(),
            styles,
        }
    }

    /// Parses a built-in theme file: every role must be present.
    fn parse_builtin(file: &str, text: &str) -> Result<Self, ThemeError> {
        let table = parse_table(file, text)?;
        let name = table
            .get("name")
            .and_then(toml::Value::as_str)
            .unwrap_or(file)
            .to_owned();
        let overrides = parse_roles(file, &table, &["name"])?;
        let mut styles = Vec::with_capacity(Role::ALL.len());
        for (i, role) in Role::ALL.iter().enumerate() {
            let style = overrides[i].ok_or_else(|| ThemeError::MissingRole {
                file: file.to_owned(),
                key: format!("roles.{}", role.key()),
            })?;
            styles.push(style);
        }
        Ok(Self { name, styles })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_defines_every_role_and_parses() {
        for (file, text) in BUILTINS {
            let t = Theme::parse_builtin(file, text).expect("valid built-in");
            assert_eq!(t.styles.len(), Role::ALL.len(), "{file}");
        }
        assert_eq!(
            ThemeSet::builtin(false).names(),
            ["dark", "light", "high-contrast", "colorblind"]
        );
    }
}
