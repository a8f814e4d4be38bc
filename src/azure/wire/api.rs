//! The api-version each resource provider is called with (AZURE-API.md section 0). The client
//! sends these; the simulator accepts them (and the other current versions Microsoft's SDKs send).

/// Microsoft.Web (sites, slots, config, functions, deployments).
pub const WEB: &str = "2024-11-01";
/// Microsoft.Network Traffic Manager.
pub const TRAFFIC_MANAGER: &str = "2022-04-01";
/// Microsoft.Cdn (Front Door Standard/Premium).
pub const CDN: &str = "2025-04-15";
/// Microsoft.ResourceHealth.
pub const RESOURCE_HEALTH: &str = "2024-02-01";
/// Microsoft.Insights metrics.
pub const METRICS: &str = "2024-02-01";
/// Microsoft.Insights activity log (its only version).
pub const ACTIVITY_LOG: &str = "2015-04-01";
/// Microsoft.ResourceGraph.
pub const RESOURCE_GRAPH: &str = "2024-04-01";
/// Microsoft.Storage (ARM).
pub const STORAGE: &str = "2025-01-01";
/// Microsoft.ServiceBus and Microsoft.EventHub.
pub const MESSAGING: &str = "2024-01-01";
/// Microsoft.Resources deployments.
pub const DEPLOYMENTS: &str = "2025-04-01";
/// Microsoft.Authorization locks.
pub const LOCKS: &str = "2020-05-01";
/// Microsoft.Resources tags at a scope (`…/providers/Microsoft.Resources/tags/default`).
pub const TAGS: &str = "2021-04-01";
/// Microsoft.AlertsManagement alert processing rules.
pub const ALERT_RULES: &str = "2021-08-08";
/// Storage queue data plane `x-ms-version`.
pub const QUEUE_DATA_PLANE: &str = "2026-02-06";
/// Azure Monitor metrics data plane (the batch metrics call).
pub const METRICS_BATCH: &str = "2023-10-01";
