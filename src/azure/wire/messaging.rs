//! Service Bus and Event Hubs bodies: a Service Bus queue with its counts, a namespace's geo-DR
//! alias (`disasterRecoveryConfigs`), and the alias failover request.

use serde::{Deserialize, Serialize};

/// A Service Bus queue (the fields warroom reads).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SbQueue {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Properties.
    pub properties: SbQueueProperties,
}

/// Service Bus queue properties.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SbQueueProperties {
    /// Message counts by state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_details: Option<CountDetails>,
    /// Total messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_count: Option<u64>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_in_bytes: Option<u64>,
    /// `Active`, `Disabled`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Last access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed_at: Option<String>,
    /// Last update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

/// Message counts by state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CountDetails {
    /// Active messages.
    #[serde(default)]
    pub active_message_count: u64,
    /// Dead-lettered messages.
    #[serde(default)]
    pub dead_letter_message_count: u64,
    /// Scheduled messages.
    #[serde(default)]
    pub scheduled_message_count: u64,
    /// Messages being transferred.
    #[serde(default)]
    pub transfer_message_count: u64,
    /// Transfer dead-letter messages.
    #[serde(default)]
    pub transfer_dead_letter_message_count: u64,
}

/// A geo-DR alias as seen from one namespace.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct DisasterRecoveryConfig {
    /// ARM id.
    pub id: String,
    /// Alias name.
    pub name: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Properties.
    pub properties: DisasterRecoveryProperties,
}

/// Geo-DR alias properties.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DisasterRecoveryProperties {
    /// `Accepted`, `Succeeded` or `Failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    /// Operations not yet replicated to the secondary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_replication_operations_count: Option<u64>,
    /// The paired namespace (name or ARM id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_namespace: Option<String>,
    /// Alternate name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate_name: Option<String>,
    /// `Primary`, `PrimaryNotReplicating` or `Secondary`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// The optional body of a Service Bus alias failover (Event Hubs' 2024-01-01 failover has none).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct FailoverRequest {
    /// The failover's options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<FailoverProperties>,
}

/// Service Bus failover options.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct FailoverProperties {
    /// Wait for pending replication to finish before switching (spelled with a capital I).
    #[serde(
        rename = "IsSafeFailover",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_safe_failover: Option<bool>,
}
