//! Health bodies: Resource Health's `availabilityStatuses/current` (the platform's view) and the
//! app's own health endpoint report (the runbook's JSON: status, checks, version, durationMs).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Resource Health's current availability status of a resource.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct AvailabilityStatus {
    /// ARM id of the status.
    pub id: String,
    /// Always `current`.
    pub name: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Properties.
    pub properties: AvailabilityStatusProperties,
}

/// Availability status properties. Note Azure's spelling `occuredTime`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityStatusProperties {
    /// `Available`, `Unavailable`, `Degraded` or `Unknown`.
    pub availability_state: String,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `Planned`, `Unplanned`, `UserInitiated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_type: Option<String>,
    /// Context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `Transient` or `Persistent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_chronicity: Option<String>,
    /// Detailed status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detailed_status: Option<String>,
    /// When the state began (Azure's spelling).
    #[serde(
        rename = "occuredTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub occured_time: Option<String>,
    /// When it was reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_time: Option<String>,
    /// Estimated resolution.
    #[serde(
        rename = "resolutionETA",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution_eta: Option<String>,
}

/// The app's health endpoint report (seed 000's health check JSON).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppHealthReport {
    /// `Healthy`, `Degraded` or `Unhealthy`.
    pub status: String,
    /// Each dependency check, name to `Healthy` / `Degraded` / `Unhealthy`.
    #[serde(default)]
    pub checks: BTreeMap<String, String>,
    /// The running release version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How long the check took.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// When the report was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_utc: Option<String>,
}
