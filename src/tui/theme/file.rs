//! Theme files: TOML parsing, the `[roles]` table, style strings (`"black on cyan bold"`) and
//! [`ThemeError`], which always names the file and the key. Pure: text in, styles or errors out.

use ratatui::style::{Color, Modifier, Style};

use super::Role;

/// Why a theme could not be used. Every variant names the file (or built-in) it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    /// The file could not be read.
    #[error("theme {file}: cannot read it: {reason}")]
    Io {
        /// The file.
        file: String,
        /// The OS error.
        reason: String,
    },
    /// The file is not valid TOML, or a key has the wrong type.
    #[error("theme {file}: {reason}")]
    Syntax {
        /// The file.
        file: String,
        /// The parser's message.
        reason: String,
    },
    /// A key that themes do not have.
    #[error("theme {file}: unknown key `{key}` (roles are: {known})")]
    UnknownKey {
        /// The file.
        file: String,
        /// The key, with its table (`roles.foo`).
        key: String,
        /// The keys that exist.
        known: String,
    },
    /// A style that does not parse.
    #[error("theme {file}: `{key}` = \"{value}\": {reason}")]
    BadStyle {
        /// The file.
        file: String,
        /// The key (`roles.crit`).
        key: String,
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A user theme without `parent`, or naming a parent that is not built in.
    #[error("theme {file}: `parent` must name a built-in theme ({known}), got {given}")]
    BadParent {
        /// The file.
        file: String,
        /// What was given (`nothing` when absent).
        given: String,
        /// The built-in names.
        known: String,
    },
    /// A built-in theme that misses a role (a bug caught by tests).
    #[error("theme {file}: role `{key}` is missing")]
    MissingRole {
        /// The file.
        file: String,
        /// The missing key.
        key: String,
    },
}

pub(super) fn parse_table(file: &str, text: &str) -> Result<toml::Table, ThemeError> {
    text.parse::<toml::Table>().map_err(|e| ThemeError::Syntax {
        file: file.to_owned(),
        reason: e.to_string().trim().replace('\n', " "),
    })
}

/// Reads `[roles]`: one optional style per role, in [`Role::ALL`] order. Top-level keys other
/// than `allowed` and `roles` are errors, as are unknown roles.
pub(super) fn parse_roles(
    file: &str,
    table: &toml::Table,
    allowed: &[&str],
) -> Result<Vec<Option<Style>>, ThemeError> {
    let known_roles = || {
        Role::ALL
            .iter()
            .map(|r| r.key())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for key in table.keys() {
        if key != "roles" && !allowed.contains(&key.as_str()) {
            return Err(ThemeError::UnknownKey {
                file: file.to_owned(),
                key: key.clone(),
                known: format!("{}, roles", allowed.join(", ")),
            });
        }
    }
    let mut out = vec![None; Role::ALL.len()];
    let Some(roles) = table.get("roles") else {
        return Ok(out);
    };
    let roles = roles.as_table().ok_or_else(|| ThemeError::Syntax {
        file: file.to_owned(),
        reason: "`roles` must be a table".to_owned(),
    })?;
    for (key, value) in roles {
        let Some(i) = Role::ALL.iter().position(|r| r.key() == key) else {
            return Err(ThemeError::UnknownKey {
                file: file.to_owned(),
                key: format!("roles.{key}"),
                known: known_roles(),
            });
        };
        let bad = |value: String, reason: String| ThemeError::BadStyle {
            file: file.to_owned(),
            key: format!("roles.{key}"),
            value,
            reason,
        };
        let text = value
            .as_str()
            .ok_or_else(|| bad(value.to_string(), "a style is a string".to_owned()))?;
        out[i] = Some(parse_style(text).map_err(|reason| bad(text.to_owned(), reason))?);
    }
    Ok(out)
}

/// Parses `"[fg] [on bg] [modifier …]"`, e.g. `"lightred bold"` or `"black on cyan"`.
pub fn parse_style(text: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let mut words = text.split_whitespace();
    let mut seen_fg = false;
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        if let Some(m) = modifier(&lower) {
            style = style.add_modifier(m);
        } else if lower == "on" {
            let bg = words.next().ok_or("`on` needs a colour after it")?;
            style = style.bg(colour(bg)?);
        } else if seen_fg {
            return Err(format!("`{word}` is neither a modifier nor `on <colour>`"));
        } else {
            style = style.fg(colour(word)?);
            seen_fg = true;
        }
    }
    Ok(style)
}

fn modifier(word: &str) -> Option<Modifier> {
    Some(match word {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" | "underline" => Modifier::UNDERLINED,
        "reversed" | "reverse" => Modifier::REVERSED,
        "crossed_out" => Modifier::CROSSED_OUT,
        _ => return None,
    })
}

fn colour(word: &str) -> Result<Color, String> {
    if word.eq_ignore_ascii_case("default") {
        return Ok(Color::Reset);
    }
    word.parse::<Color>().map_err(|_| {
        format!("`{word}` is not a colour (use a name such as lightred, a 0-255 index, or #rrggbb)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_parse_colours_backgrounds_and_modifiers() {
        let s = parse_style("black on #e69f00 bold").expect("valid");
        assert_eq!(s.fg, Some(Color::Black));
        assert_eq!(s.bg, Some(Color::Rgb(0xe6, 0x9f, 0x00)));
        assert!(s.add_modifier.contains(Modifier::BOLD));
        assert_eq!(
            parse_style("237").expect("valid").fg,
            Some(Color::Indexed(237))
        );
        assert!(parse_style("rde").is_err());
        assert!(parse_style("red blue").is_err());
        assert!(parse_style("red on").is_err());
    }
}
