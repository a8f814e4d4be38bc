//! `Redacted<T>`: a wrapper for secrets (keys, tokens, app-setting values) that never prints them.
//!
//! Owns only the wrapper. `Debug`, `Display` and `Serialize` write `***`; the value is reachable
//! through [`Redacted::expose`] alone, so every place that reads a secret is easy to find.

use std::fmt;

/// A secret value whose `Debug`, `Display` and `Serialize` forms are `***`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Redacted<T>(T);

/// What a redacted value prints as.
pub const REDACTED: &str = "***";

impl<T> Redacted<T> {
    /// Wraps a secret.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself; call sites of this method are the places a secret is used.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> From<T> for Redacted<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T> fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> fmt::Display for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> serde::Serialize for Redacted<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(REDACTED)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Redacted<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_secret() {
        let key = Redacted::new("s3cr3t-key".to_string());
        assert_eq!(format!("{key:?}"), "***");
        assert_eq!(format!("{key}"), "***");
        assert_eq!(serde_json::to_string(&key).expect("serialize"), "\"***\"");
        assert_eq!(key.expose(), "s3cr3t-key");
        let nested = format!("{:?}", Some(&key));
        assert!(!nested.contains("s3cr3t"), "{nested}");
    }

    #[test]
    fn deserializes_the_real_value() {
        let key: Redacted<String> = serde_json::from_str("\"abc\"").expect("deserialize");
        assert_eq!(key.expose(), "abc");
    }
}
