//! Front Door (Standard/Premium) bodies: origin groups and origins (`Microsoft.Cdn/profiles`).

use serde::{Deserialize, Serialize};

/// An origin group.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct AfdOriginGroup {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Properties.
    pub properties: AfdOriginGroupProperties,
}

/// An origin group's properties.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AfdOriginGroupProperties {
    /// Load balancing settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancing_settings: Option<AfdLoadBalancing>,
    /// Health probe settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_probe_settings: Option<AfdHealthProbe>,
    /// Minutes before traffic returns to a healed origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traffic_restoration_time_to_healed_or_new_endpoints_in_minutes: Option<u32>,
    /// `Succeeded`, `Updating`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    /// `NotStarted`, `InProgress`, `Succeeded`, `Failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_status: Option<String>,
}

/// Load balancing settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AfdLoadBalancing {
    /// Samples considered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_size: Option<u32>,
    /// Samples that must succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub successful_samples_required: Option<u32>,
    /// Latency sensitivity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_latency_in_milliseconds: Option<u32>,
}

/// Health probe settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AfdHealthProbe {
    /// Probe path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe_path: Option<String>,
    /// `GET`, `HEAD`, `NotSet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe_request_type: Option<String>,
    /// `Http`, `Https`, `NotSet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe_protocol: Option<String>,
    /// Interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe_interval_in_seconds: Option<u32>,
}

/// An origin.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct AfdOrigin {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Properties.
    pub properties: AfdOriginProperties,
}

/// An origin's properties.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AfdOriginProperties {
    /// Host name of the origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    /// HTTP port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_port: Option<u16>,
    /// HTTPS port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub https_port: Option<u16>,
    /// Host header sent to the origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_host_header: Option<String>,
    /// Priority (1 first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    /// Weight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// `Enabled` or `Disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_state: Option<String>,
    /// Whether the certificate name is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforce_certificate_name_check: Option<bool>,
    /// The origin group's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_group_name: Option<String>,
    /// `Succeeded`, `Updating`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    /// `NotStarted`, `InProgress`, `Succeeded`, `Failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_status: Option<String>,
}

/// The PATCH body that enables or disables an origin.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct AfdOriginPatch {
    /// Only the fields to change.
    pub properties: AfdOriginProperties,
}
