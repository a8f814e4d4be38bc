//! Virtual time offsets written in scenario files: `"90s"`, `"1m30s"`, `"-6d"`, `"2h15m"`.
//!
//! Owns the text form of an offset from the scenario's start and nothing else.

use std::fmt;
use std::str::FromStr;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

/// A signed offset from the scenario's start, in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct Offset(i64);

impl Offset {
    /// An offset of `secs` seconds.
    pub const fn seconds(secs: i64) -> Self {
        Self(secs)
    }

    /// The offset in seconds.
    pub const fn as_secs(self) -> i64 {
        self.0
    }

    /// The offset as a `TimeDelta`.
    pub fn delta(self) -> TimeDelta {
        TimeDelta::seconds(self.0)
    }
}

/// Why an offset did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid time offset {text:?}: {reason} (write it like \"90s\", \"1m30s\", \"-6d\")")]
pub struct OffsetError {
    text: String,
    reason: &'static str,
}

impl FromStr for Offset {
    type Err = OffsetError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |reason| OffsetError {
            text: text.to_owned(),
            reason,
        };
        let trimmed = text.trim();
        let (negative, body) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
        };
        if body.is_empty() {
            return Err(err("it is empty"));
        }
        if body == "0" {
            return Ok(Self(0));
        }
        let mut total: i64 = 0;
        let mut number = String::new();
        let mut last_rank = usize::MAX;
        for c in body.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let (unit, rank) = match c {
                'd' => (86_400, 0),
                'h' => (3_600, 1),
                'm' => (60, 2),
                's' => (1, 3),
                _ => return Err(err("units are d, h, m and s")),
            };
            if number.is_empty() {
                return Err(err("a unit needs a number before it"));
            }
            if last_rank != usize::MAX && rank <= last_rank {
                return Err(err("units must go from days down to seconds, once each"));
            }
            last_rank = rank;
            let n: i64 = number.parse().map_err(|_| err("the number is too large"))?;
            total = n
                .checked_mul(unit)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(|| err("the offset is too large"))?;
            number.clear();
        }
        if !number.is_empty() {
            return Err(err("the last number has no unit"));
        }
        Ok(Self(if negative { -total } else { total }))
    }
}

impl TryFrom<String> for Offset {
    type Error = OffsetError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Offset> for String {
    fn from(o: Offset) -> Self {
        o.to_string()
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        if self.0 < 0 {
            f.write_str("-")?;
        }
        let mut rest = self.0.unsigned_abs();
        for (unit, label) in [(86_400, 'd'), (3_600, 'h'), (60, 'm'), (1, 's')] {
            if rest >= unit {
                write!(f, "{}{label}", rest / unit)?;
                rest %= unit;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_compound_and_signed_offsets() {
        let p = |s: &str| s.parse::<Offset>().map(Offset::as_secs);
        assert_eq!(p("90s"), Ok(90));
        assert_eq!(p("1m30s"), Ok(90));
        assert_eq!(p("-6d"), Ok(-518_400));
        assert_eq!(p("2h15m"), Ok(8_100));
        assert_eq!(p("+5m"), Ok(300));
        assert_eq!(p("0"), Ok(0));
    }

    #[test]
    fn rejects_malformed_offsets_with_a_reason() {
        for bad in ["", "5", "m", "5x", "1s1m", "1m1m", "-"] {
            let e = bad.parse::<Offset>().expect_err(bad);
            assert!(e.to_string().contains("invalid time offset"), "{e}");
        }
    }

    #[test]
    fn display_round_trips() {
        for s in ["1d2h3m4s", "-6d", "45s", "0s"] {
            let o: Offset = s.parse().expect("valid");
            assert_eq!(o.to_string(), s);
        }
    }
}
