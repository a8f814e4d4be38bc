//! Status vocabularies with their symbol and word, so colour never carries meaning alone.

use serde::Serialize;

/// Health of an app, a slot or a dependency check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Health {
    /// Every check passes.
    Healthy,
    /// Serving, with some checks failing.
    Degraded,
    /// Failing its health checks.
    Unhealthy,
    /// The health endpoint could not be reached.
    Unreachable,
    /// Not known (no data).
    Unknown,
}

impl Health {
    /// Parses Azure's and the runbook's words (`Healthy`, `Available`, …).
    pub fn parse(s: &str) -> Self {
        match s.to_ascii_lowercase().as_str() {
            "healthy" | "available" | "online" => Self::Healthy,
            "degraded" => Self::Degraded,
            "unhealthy" | "unavailable" => Self::Unhealthy,
            _ => Self::Unknown,
        }
    }

    /// A one-character symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Healthy => "✓",
            Self::Degraded => "!",
            Self::Unhealthy => "✗",
            Self::Unreachable => "⊘",
            Self::Unknown => "?",
        }
    }

    /// A word.
    pub fn label(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Degraded => "degraded",
            Self::Unhealthy => "unhealthy",
            Self::Unreachable => "unreachable",
            Self::Unknown => "unknown",
        }
    }

    /// Whether this counts as serving well.
    pub fn is_ok(self) -> bool {
        self == Self::Healthy
    }
}

/// State of a route (Traffic Manager endpoint or Front Door origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Routing {
    /// Enabled and its monitor says online.
    Serving,
    /// Enabled but its monitor says degraded.
    Degraded,
    /// Disabled by an operator.
    Disabled,
    /// Enabled; monitor status unknown or checking.
    Checking,
}

impl Routing {
    /// A one-character symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Serving => "●",
            Self::Degraded => "◐",
            Self::Disabled => "○",
            Self::Checking => "◌",
        }
    }

    /// A word.
    pub fn label(self) -> &'static str {
        match self {
            Self::Serving => "serving",
            Self::Degraded => "degraded",
            Self::Disabled => "disabled",
            Self::Checking => "checking",
        }
    }
}
