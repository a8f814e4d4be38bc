//! Cross-field checks on a parsed estate file: every reference resolves, names are unique, the
//! region roles make sense, values are in range. Each error names the file, the dotted key with its
//! line and column (from the `Spanned` spans) and the reason: what is wrong and what would be
//! right. All problems are reported together, in file order.
//!
//! Owns the rules only; the shape of the file is `file`'s, the resolved estate `resolve`'s. Pure:
//! no I/O, no clock.

mod apps;
mod data;
mod estate;
mod routing;
#[cfg(test)]
mod tests;

use std::ops::Range;

use toml::Spanned;

use super::error::{ConfigError, ConfigErrors, line_col};
use super::file::EstateFile;

/// Checks a parsed file; returns every problem found.
pub(super) fn validate(f: &EstateFile, origin: &str, text: &str) -> Result<(), ConfigErrors> {
    let mut c = Checker {
        origin,
        text,
        errs: Vec::new(),
    };
    let names = Names::of(f);
    estate::check(&mut c, f, &names);
    apps::check(&mut c, f, &names);
    routing::check(&mut c, f, &names);
    data::check(&mut c, f, &names);
    if c.errs.is_empty() {
        Ok(())
    } else {
        // File order reads best; errors without a position (none today) come first.
        c.errs.sort_by_key(|e| e.position);
        Err(ConfigErrors(c.errs))
    }
}

/// The names other tables refer to, collected once.
struct Names<'f> {
    subscriptions: Vec<&'f str>,
    regions: Vec<&'f str>,
    apps: Vec<&'f str>,
    storage_accounts: Vec<&'f str>,
}

impl<'f> Names<'f> {
    fn of(f: &'f EstateFile) -> Self {
        Self {
            subscriptions: f
                .subscriptions
                .iter()
                .map(|s| s.name.get_ref().as_str())
                .collect(),
            regions: f
                .regions
                .iter()
                .map(|r| r.name.get_ref().as_str())
                .collect(),
            apps: f.apps.iter().map(|a| a.name.get_ref().as_str()).collect(),
            storage_accounts: f
                .storage_accounts
                .iter()
                .map(|s| s.name.get_ref().as_str())
                .collect(),
        }
    }
}

/// Collects errors for one file.
struct Checker<'a> {
    origin: &'a str,
    text: &'a str,
    errs: Vec<ConfigError>,
}

impl Checker<'_> {
    /// Records a problem at `key`, positioned at the start of `span`.
    fn push(
        &mut self,
        key: impl Into<String>,
        span: Option<Range<usize>>,
        reason: impl Into<String>,
    ) {
        self.errs.push(ConfigError {
            file: self.origin.to_owned(),
            key: key.into(),
            position: span.map(|s| line_col(self.text, s.start)),
            reason: reason.into(),
        });
    }

    /// Checks that `value` names one of `known`; `what` is the singular noun ("region").
    fn reference(
        &mut self,
        key: impl Into<String>,
        value: &Spanned<String>,
        what: &str,
        known: &[&str],
    ) {
        let name = value.get_ref();
        if known.contains(&name.as_str()) {
            return;
        }
        let hint =
            suggestion(name, known).map_or_else(String::new, |s| format!("did you mean `{s}`? "));
        self.push(
            key,
            Some(value.span()),
            format!(
                "no {what} is named `{name}`; {hint}known {what}s: {}",
                list(known)
            ),
        );
    }

    /// Reports every name after the first that repeats an earlier one in `table`.
    fn unique<'n>(
        &mut self,
        table: &str,
        what: &str,
        names: impl IntoIterator<Item = &'n Spanned<String>>,
    ) {
        let mut seen: Vec<&str> = Vec::new();
        for (i, name) in names.into_iter().enumerate() {
            let n = name.get_ref().as_str();
            if let Some(first) = seen.iter().position(|s| *s == n) {
                self.push(
                    format!("{table}[{i}].name"),
                    Some(name.span()),
                    format!("duplicate {what} name `{n}`: `{table}[{first}]` already has it; each {what} needs its own name"),
                );
            }
            seen.push(n);
        }
    }
}

/// Names as a readable list: "`a`, `b`", or "none are defined".
fn list(names: &[&str]) -> String {
    if names.is_empty() {
        "none are defined".to_owned()
    } else {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The known name closest to a misspelt one, when it is close enough to be the likely intent and
/// no other name is as close (a tie would be a guess).
fn suggestion<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    let mut close: Vec<(usize, &'k str)> = known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= limit)
        .collect();
    close.sort_by_key(|(d, _)| *d);
    match close.as_slice() {
        [(_, only)] => Some(only),
        [(d0, best), (d1, _), ..] if d0 < d1 => Some(best),
        _ => None,
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}
