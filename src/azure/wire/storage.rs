//! Microsoft.Storage bodies: a storage account with its geo-replication statistics (the account
//! failover action has no body: `failoverType=Planned` is a query parameter).

use serde::{Deserialize, Serialize};

/// A storage account (the fields warroom reads).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct StorageAccount {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Location.
    pub location: String,
    /// Kind, e.g. `StorageV2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// SKU.
    pub sku: StorageSku,
    /// Properties.
    pub properties: StorageAccountProperties,
}

/// A storage SKU.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct StorageSku {
    /// e.g. `Standard_RAGRS`.
    pub name: String,
    /// e.g. `Standard`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
}

/// Storage account properties.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StorageAccountProperties {
    /// `Succeeded`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    /// Primary location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_location: Option<String>,
    /// `available` or `unavailable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_of_primary: Option<String>,
    /// Secondary location (geo-redundant SKUs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secondary_location: Option<String>,
    /// `available` or `unavailable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_of_secondary: Option<String>,
    /// Last geo-failover time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_geo_failover_time: Option<String>,
    /// `true` while an account failover runs (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover_in_progress: Option<bool>,
    /// Present with `$expand=geoReplicationStats`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo_replication_stats: Option<GeoReplicationStats>,
}

/// Geo-replication statistics.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GeoReplicationStats {
    /// `Live`, `Bootstrap` or `Unavailable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Writes before this time are on the secondary (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_time: Option<String>,
    /// Whether an unplanned failover is possible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_failover: Option<bool>,
    /// Whether a planned failover is possible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_planned_failover: Option<bool>,
    /// Redundancy after an unplanned failover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_failover_redundancy: Option<String>,
    /// Redundancy after a planned failover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_planned_failover_redundancy: Option<String>,
}
