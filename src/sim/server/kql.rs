//! The small part of KQL the simulator's Resource Graph understands: `Resources`, then `where`
//! clauses joined by `and` (`=~`, `==`, `!~`, `!=`, `in~`, `in`, `!in~`, `!in`, `contains`,
//! `startswith`, `has`), `project`, `order by`, `limit`/`take`. Anything else is an error naming
//! what was not understood, as Resource Graph's `InvalidQuery` does.

/// The columns a clause may test.
pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "type",
    "location",
    "resourceGroup",
    "subscriptionId",
    "kind",
];

/// The columns `project` may name: the above, plus the two object columns.
pub const PROJECTABLE: &[&str] = &[
    "id",
    "name",
    "type",
    "location",
    "resourceGroup",
    "subscriptionId",
    "kind",
    "tags",
    "properties",
];

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=~`: equal, ignoring case.
    EqCi,
    /// `==`.
    Eq,
    /// `!~`.
    NeCi,
    /// `!=`.
    Ne,
    /// `in~`.
    InCi,
    /// `in`.
    In,
    /// `!in~`.
    NotInCi,
    /// `!in`.
    NotIn,
    /// `contains` (ignoring case).
    Contains,
    /// `startswith` (ignoring case).
    StartsWith,
    /// `has` (ignoring case; treated as contains).
    Has,
}

/// One `where` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Column (canonical spelling).
    pub column: &'static str,
    /// Comparison.
    pub op: Op,
    /// Value(s).
    pub values: Vec<String>,
}

impl Clause {
    /// Whether a row's value passes.
    pub fn matches(&self, v: &str) -> bool {
        let lower = v.to_ascii_lowercase();
        let any_ci = || self.values.iter().any(|x| x.eq_ignore_ascii_case(v));
        let any = || self.values.iter().any(|x| x == v);
        let first = self
            .values
            .first()
            .map(|s| s.to_ascii_lowercase())
            .unwrap_or_default();
        match self.op {
            Op::EqCi | Op::InCi => any_ci(),
            Op::Eq | Op::In => any(),
            Op::NeCi | Op::NotInCi => !any_ci(),
            Op::Ne | Op::NotIn => !any(),
            Op::Contains | Op::Has => lower.contains(&first),
            Op::StartsWith => lower.starts_with(&first),
        }
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// `where` clauses, all of which must hold.
    pub clauses: Vec<Clause>,
    /// Projected columns, if any.
    pub project: Option<Vec<String>>,
    /// Order: column and whether descending.
    pub order: Option<(&'static str, bool)>,
    /// Row limit.
    pub limit: Option<usize>,
}

/// Splits on `sep` outside single or double quotes and parentheses.
fn split_outside(s: &str, sep: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut quote, mut depth, mut start) = (None::<char>, 0i32, 0usize);
    let lower = s.to_ascii_lowercase();
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, _) if depth == 0 && lower[i..].starts_with(sep) => {
                out.push(s[start..i].to_owned());
                i += sep.len();
                start = i;
                continue;
            }
            _ => {}
        }
        i += c.len_utf8();
    }
    out.push(s[start..].to_owned());
    out
}

fn column(name: &str) -> Result<&'static str, String> {
    column_of(COLUMNS, name)
}

fn column_of(columns: &[&'static str], name: &str) -> Result<&'static str, String> {
    columns
        .iter()
        .find(|c| c.eq_ignore_ascii_case(name.trim()))
        .copied()
        .ok_or_else(|| {
            format!(
                "unknown column '{}' (the simulator knows {})",
                name.trim(),
                columns.join(", ")
            )
        })
}

fn unquote(v: &str) -> Result<String, String> {
    let v = v.trim();
    let inner = v
        .strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .or_else(|| v.strip_prefix('"').and_then(|x| x.strip_suffix('"')))
        .ok_or_else(|| format!("expected a quoted string, found '{v}'"))?;
    Ok(inner.to_owned())
}

fn clause(text: &str) -> Result<Clause, String> {
    let t = text.trim();
    let end = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    let col = column(&t[..end])?;
    let rest = t[end..].trim_start();
    let ops = [
        ("!in~", Op::NotInCi),
        ("in~", Op::InCi),
        ("!in", Op::NotIn),
        ("=~", Op::EqCi),
        ("!~", Op::NeCi),
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("contains", Op::Contains),
        ("startswith", Op::StartsWith),
        ("has", Op::Has),
        ("in", Op::In),
    ];
    let (sym, op) = ops
        .iter()
        .find(|(s, _)| rest.to_ascii_lowercase().starts_with(s))
        .copied()
        .ok_or_else(|| format!("unsupported comparison in '{t}'"))?;
    let value = rest[sym.len()..].trim();
    let values = if matches!(op, Op::InCi | Op::In | Op::NotInCi | Op::NotIn) {
        let list = value
            .strip_prefix('(')
            .and_then(|v| v.strip_suffix(')'))
            .ok_or_else(|| format!("expected a parenthesised list after '{sym}' in '{t}'"))?;
        split_outside(list, ",")
            .iter()
            .map(|v| unquote(v))
            .collect::<Result<_, _>>()?
    } else {
        vec![unquote(value)?]
    };
    Ok(Clause {
        column: col,
        op,
        values,
    })
}

/// Parses a query over `Resources`.
pub fn parse(text: &str) -> Result<Query, String> {
    let stages = split_outside(text, "|");
    let table = stages.first().map(|s| s.trim()).unwrap_or_default();
    if !table.eq_ignore_ascii_case("resources") {
        return Err(format!(
            "the simulator answers queries over 'Resources' only, not '{table}'"
        ));
    }
    let mut q = Query::default();
    for stage in &stages[1..] {
        let s = stage.trim();
        let (word, rest) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
        match word.to_ascii_lowercase().as_str() {
            "where" => {
                for c in split_outside(rest, " and ") {
                    if c.to_ascii_lowercase().contains(" or ") {
                        return Err(format!("'or' is not supported in '{}'", c.trim()));
                    }
                    q.clauses.push(clause(&c)?);
                }
            }
            "project" => {
                q.project = Some(
                    rest.split(',')
                        .map(|c| column_of(PROJECTABLE, c).map(str::to_owned))
                        .collect::<Result<_, _>>()?,
                );
            }
            "order" | "sort" => {
                let by = rest.trim_start();
                let by = by
                    .strip_prefix("by")
                    .or_else(|| by.strip_prefix("BY"))
                    .ok_or_else(|| format!("expected 'by' in '{s}'"))?;
                let mut parts = by.split_whitespace();
                let col = column(parts.next().unwrap_or_default())?;
                let desc = parts.next().is_none_or(|d| d.eq_ignore_ascii_case("desc"));
                q.order = Some((col, desc));
            }
            "limit" | "take" => {
                q.limit = Some(
                    rest.trim()
                        .parse()
                        .map_err(|_| format!("expected a number in '{s}'"))?,
                );
            }
            other => {
                return Err(format!(
                    "the operator '{other}' is not supported by the simulator"
                ));
            }
        }
    }
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_clients_queries() {
        let q = parse(
            "Resources | where type =~ 'microsoft.web/sites' and resourceGroup in~ ('rg-a', 'RG-B') \
             | project id, name, type | order by name asc | limit 50",
        )
        .expect("valid");
        assert_eq!(q.clauses.len(), 2);
        assert_eq!(q.clauses[0].column, "type");
        assert!(q.clauses[0].matches("Microsoft.Web/sites"));
        assert!(q.clauses[1].matches("rg-b"));
        assert!(!q.clauses[1].matches("rg-c"));
        assert_eq!(
            q.project.as_deref(),
            Some(&["id".to_owned(), "name".to_owned(), "type".to_owned()][..])
        );
        assert_eq!(q.order, Some(("name", false)));
        assert_eq!(q.limit, Some(50));
        let q =
            parse("resources | where kind contains 'functionapp' and name !~ 'x'").expect("valid");
        assert!(q.clauses[0].matches("functionapp,linux"));
        assert!(q.clauses[1].matches("y"));
    }

    #[test]
    fn rejects_what_it_does_not_understand() {
        for (bad, why) in [
            ("ResourceContainers", "Resources"),
            ("Resources | summarize count()", "summarize"),
            ("Resources | where type =~ 'a' or type =~ 'b'", "or"),
            ("Resources | where colour =~ 'red'", "colour"),
            ("Resources | where type in~ 'a'", "parenthesised"),
        ] {
            let e = parse(bad).expect_err(bad);
            assert!(e.contains(why), "{e}");
        }
    }
}
