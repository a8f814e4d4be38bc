//! Configuration errors: each names the file, the key (with line and column where known) and the
//! reason, in one line a person can act on.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One problem in an estate file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as the user named it.
    pub file: String,
    /// The dotted key path (for example `app[2].region`); empty when the file itself is at fault.
    pub key: String,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong, and what would be right.
    pub reason: String,
}

impl ConfigError {
    /// An error that the file could not be read.
    pub fn io(file: &str, err: &std::io::Error) -> Self {
        Self {
            file: file.to_owned(),
            key: String::new(),
            position: None,
            reason: format!("cannot read the file: {err}"),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": key `{}`", self.key)?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Every problem found in one file (validation reports them all, not just the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ConfigErrors {
    /// One error.
    pub fn single(e: ConfigError) -> Self {
        Self(vec![e])
    }

    /// Converts a TOML error into errors that name the key and its line and column.
    ///
    /// A syntax error is reported with every other syntax error the parser recovered from (up to
    /// [`MAX_SYNTAX_ERRORS`]); an error of shape (unknown key, wrong type, missing key) alone,
    /// as serde stops at the first.
    pub fn from_toml(file: &str, text: &str, err: &toml::de::Error) -> Self {
        let (doc, syntax) = DeTable::parse_recoverable(text);
        let one = |e: &toml::de::Error, syntax: bool| {
            let span = e.span();
            let missing_value = span.as_ref().is_some_and(|s| {
                s.is_empty() && text[..s.start].trim_end_matches([' ', '\t']).ends_with('=')
            });
            let reason = match (syntax, missing_value) {
                (false, _) => tidy_message(e.message()),
                (true, true) => "TOML syntax error: a value is missing after `=`".to_owned(),
                (true, false) => format!("TOML syntax error: {}", tidy_message(e.message())),
            };
            ConfigError {
                file: file.to_owned(),
                key: span
                    .clone()
                    .map(|s| key_in(doc.get_ref(), text, s.start))
                    .unwrap_or_default(),
                position: span.map(|s| line_col(text, s.start)),
                reason,
            }
        };
        if syntax.is_empty() {
            return Self::single(one(err, false));
        }
        let mut errs: Vec<ConfigError> = syntax.iter().map(|e| one(e, true)).collect();
        errs.sort_by_key(|e| e.position);
        // One mistake often upsets the rest of its line: keep the first error of each line.
        errs.dedup_by_key(|e| e.position.map(|(line, _)| line));
        errs.truncate(MAX_SYNTAX_ERRORS);
        Self(errs)
    }
}

/// At most this many syntax errors are reported: after the first few, the parser's recovery
/// mostly reports the echoes of the first.
pub const MAX_SYNTAX_ERRORS: usize = 5;

/// Rewrites toml's and serde's one-line messages in the words an estate file's author uses (key,
/// value, number); anything unrecognised is kept as it is, on one line.
fn tidy_message(message: &str) -> String {
    let message = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let message = message
        .replace("expected u16", "expected a whole number from 0 to 65535")
        .replace(
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        );
    if let Some(rest) = message.strip_prefix("unknown field ") {
        match rest.split_once(", expected ") {
            Some((field, known)) => {
                let known = known.strip_prefix("one of ").unwrap_or(known);
                format!("unknown key {field}; the keys allowed here are {known}")
            }
            None => format!("unknown key {rest}"),
        }
    } else if let Some(rest) = message.strip_prefix("missing field ") {
        format!("required key {rest} is missing")
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        match rest.split_once(", expected ") {
            Some((value, known)) => {
                let known = known.strip_prefix("one of ").unwrap_or(known);
                format!("unknown value {value}; expected one of {known}")
            }
            None => format!("unknown value {rest}"),
        }
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        format!("wrong type: found {rest}")
    } else if let Some(rest) = message.strip_prefix("invalid value: ") {
        format!("invalid value: found {rest}")
    } else if message == "duplicate key" {
        "this key or table is already defined earlier in the same table; keep one".to_owned()
    } else {
        message
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

impl std::error::Error for ConfigError {}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The dotted key a byte offset falls in (for example `app[3].triggers[0]`), found in the parsed
/// document; empty when the offset is in no key or value (a comment, blank space).
pub fn key_at(text: &str, offset: usize) -> String {
    let (doc, _) = DeTable::parse_recoverable(text);
    key_in(doc.get_ref(), text, offset)
}

/// [`key_at`] on an already parsed document. Where the parser could not recover a key (inside
/// a broken table header), the key is read from the lines instead.
fn key_in(doc: &DeTable<'_>, text: &str, offset: usize) -> String {
    let mut best = None;
    walk_table(doc, "", offset, &mut best);
    best.map_or_else(|| key_by_lines(text, offset), |(_, path)| path)
}

/// The narrowest (then deepest) key or value found so far: its span length and dotted path.
type Best = Option<(usize, String)>;

fn walk_table(table: &DeTable<'_>, prefix: &str, offset: usize, best: &mut Best) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key_segment(key.get_ref())
        } else {
            format!("{prefix}.{}", key_segment(key.get_ref()))
        };
        consider(&key.span(), &path, offset, best);
        walk_value(value, &path, offset, best);
    }
}

fn walk_value(value: &Spanned<DeValue<'_>>, path: &str, offset: usize, best: &mut Best) {
    consider(&value.span(), path, offset, best);
    match value.get_ref() {
        DeValue::Table(t) => walk_table(t, path, offset, best),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_value(item, &format!("{path}[{i}]"), offset, best);
            }
        }
        _ => {}
    }
}

/// Keeps `path` when its span holds `offset` and is no wider than the best so far; later (deeper)
/// candidates win ties, so an array-of-tables element beats the array that shares its span.
fn consider(span: &Range<usize>, path: &str, offset: usize, best: &mut Best) {
    let holds = span.contains(&offset) || (span.is_empty() && span.start == offset);
    if holds && best.as_ref().is_none_or(|(len, _)| span.len() <= *len) {
        *best = Some((span.len(), path.to_owned()));
    }
}

/// A key as it appears in a dotted path: bare when TOML allows it bare, quoted otherwise.
fn key_segment(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_owned()
    } else {
        format!("{key:?}")
    }
}

/// The key an offset falls in, read line by line: the nearest table header above it (counting
/// array-of-tables entries) plus the key on its line. Used where the document did not parse.
fn key_by_lines(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let mut table = String::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in text[..line_end].lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix("[[") {
            let name = name.trim_end_matches(']').trim().to_owned();
            let n = counts.entry(name.clone()).or_insert(0);
            table = format!("{name}[{n}]");
            *n += 1;
        } else if let Some(name) = t.strip_prefix('[') {
            name.trim_end_matches(']').trim().clone_into(&mut table);
        }
    }
    let key = text[line_start..line_end]
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_owned())
        .filter(|k| !k.starts_with('[') && !k.starts_with('#'))
        .unwrap_or_default();
    match (table.is_empty(), key.is_empty()) {
        (true, _) => key,
        (false, true) => table,
        (false, false) => format!("{table}.{key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# top\n[estate]\nname = \"x\"\n\"odd key\" = 1\n\n[[app]]\nname = \"a\"\n\n[[app]]\nname = \"b\"\ntriggers = [\"http\", \"timer\"]\n";

    fn at(needle: &str) -> usize {
        DOC.find(needle).expect("needle in DOC")
    }

    #[test]
    fn key_at_finds_keys_values_elements_and_headers() {
        assert_eq!(key_at(DOC, at("\"x\"")), "estate.name");
        assert_eq!(key_at(DOC, at("name = \"x\"")), "estate.name");
        assert_eq!(key_at(DOC, at("\"odd")), "estate.\"odd key\"");
        assert_eq!(key_at(DOC, at("\"b\"")), "app[1].name");
        assert_eq!(key_at(DOC, at("\"timer\"")), "app[1].triggers[1]");
        assert_eq!(key_at(DOC, at("[[app]]\nname = \"b\"")), "app[1]");
        assert_eq!(key_at(DOC, at("[estate]")), "estate");
    }

    #[test]
    fn key_at_is_empty_outside_any_key() {
        assert_eq!(key_at(DOC, 0), "");
    }

    #[test]
    fn line_col_counts_from_one_in_characters() {
        assert_eq!(line_col("ab\ncé=d", 0), (1, 1));
        assert_eq!(line_col("ab\ncé=d", 3), (2, 1));
        assert_eq!(line_col("ab\ncé=d", "ab\ncé".len()), (2, 3));
    }

    #[test]
    fn messages_are_reworded_for_people() {
        assert_eq!(
            tidy_message("unknown field `x`, expected one of `a`, `b`"),
            "unknown key `x`; the keys allowed here are `a`, `b`"
        );
        assert_eq!(
            tidy_message("missing field `a`"),
            "required key `a` is missing"
        );
        assert_eq!(
            tidy_message("invalid type: string \"1\", expected u16"),
            "wrong type: found string \"1\", expected a whole number from 0 to 65535"
        );
        assert_eq!(tidy_message("first\n  second  \n"), "first; second");
    }

    #[test]
    fn display_leaves_out_what_is_unknown() {
        let e = ConfigError {
            file: "f.toml".into(),
            key: String::new(),
            position: None,
            reason: "cannot read the file".into(),
        };
        assert_eq!(e.to_string(), "f.toml: cannot read the file");
    }
}
