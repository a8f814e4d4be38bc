//! Traffic Manager bodies (`Microsoft.Network/trafficManagerProfiles`).

use serde::{Deserialize, Serialize};

/// A Traffic Manager profile.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct TmProfile {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Always `global`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Properties.
    pub properties: TmProfileProperties,
}

/// A profile's properties.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TmProfileProperties {
    /// `Enabled` or `Disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_status: Option<String>,
    /// `Priority`, `Weighted`, `Performance`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_routing_method: Option<String>,
    /// DNS settings (the TTL lives here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<TmDnsConfig>,
    /// Health monitoring settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitor_config: Option<TmMonitorConfig>,
    /// The endpoints.
    #[serde(default)]
    pub endpoints: Vec<TmEndpoint>,
}

/// DNS settings of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TmDnsConfig {
    /// Relative DNS name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative_name: Option<String>,
    /// Fully qualified name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<String>,
    /// DNS TTL in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
}

/// Health monitoring settings of a profile.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TmMonitorConfig {
    /// `CheckingEndpoints`, `Online`, `Degraded`, `Disabled`, `Inactive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_monitor_status: Option<String>,
    /// `HTTP`, `HTTPS`, `TCP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Probe path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Probe interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_in_seconds: Option<u32>,
    /// Probe timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<u32>,
    /// Failures tolerated before an endpoint is degraded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerated_number_of_failures: Option<u32>,
}

/// A Traffic Manager endpoint.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct TmEndpoint {
    /// ARM id (its type segment is camelCase, e.g. `azureEndpoints`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name.
    pub name: String,
    /// Resource type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Properties.
    pub properties: TmEndpointProperties,
}

/// An endpoint's properties.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TmEndpointProperties {
    /// The target resource (Azure endpoints).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_resource_id: Option<String>,
    /// The target host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// `Enabled` or `Disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_status: Option<String>,
    /// Weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Priority (1 first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    /// Location for performance routing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_location: Option<String>,
    /// `CheckingEndpoint`, `Online`, `Degraded`, `Disabled`, `Inactive`, `Stopped`, `Unmonitored`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint_monitor_status: Option<String>,
}

/// The PATCH body that enables or disables an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct TmEndpointPatch {
    /// Only the fields to change.
    pub properties: TmEndpointProperties,
}
