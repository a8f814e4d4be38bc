//! Pure conversions from wire bodies to the model. No I/O; unit-tested on hand-written bodies.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::azure::reads::HealthProbe;
use crate::azure::wire::cdn::AfdOrigin;
use crate::azure::wire::graph::GraphResource;
use crate::azure::wire::health::AvailabilityStatus;
use crate::azure::wire::kudu::DeployStatus;
use crate::azure::wire::messaging::DisasterRecoveryConfig;
use crate::azure::wire::monitor::{ActivityLogEvent, Metric};
use crate::azure::wire::network::TmEndpoint;
use crate::azure::wire::storage::StorageAccount;
use crate::azure::wire::web::{ArmDeployment, FunctionEnvelope, HostKeys};
use crate::model::snapshot::{AliasFacts, StorageFacts};
use crate::model::{
    ActivityEvent, ActivityKind, DeploymentRecord, FunctionState, Health, HealthReport,
    InventoryItem, MetricPoint, PlatformHealth, RouteState, Routing, SecretDigest, SiteInfo,
};

/// Parses an Azure timestamp (RFC 3339, with or without a zone; Azure sometimes omits it).
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

/// Site facts from a Resource Graph row of type `microsoft.web/sites`.
pub fn site_info(row: &GraphResource) -> SiteInfo {
    let p = row.properties.as_ref();
    let s = |k: &str| {
        p.and_then(|p| p.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let swap = p.and_then(|p| p.get("slotSwapStatus")).and_then(|v| {
        Some((
            parse_time(v.get("timestampUtc")?.as_str()?)?,
            v.get("sourceSlotName")?.as_str()?.to_owned(),
            v.get("destinationSlotName")?.as_str()?.to_owned(),
        ))
    });
    SiteInfo {
        state: s("state").unwrap_or_else(|| "Unknown".to_owned()),
        enabled: p
            .and_then(|p| p.get("enabled"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(true),
        availability: s("availabilityState").unwrap_or_else(|| "Unknown".to_owned()),
        last_swap: swap,
    }
}

/// An inventory row.
pub fn inventory_item(row: &GraphResource) -> InventoryItem {
    InventoryItem {
        id: row.id.clone(),
        name: row.name.clone(),
        resource_type: row.resource_type.to_ascii_lowercase(),
        location: row.location.clone(),
        state: row
            .properties
            .as_ref()
            .and_then(|p| p.get("state"))
            .and_then(|v| v.as_str())
            .map(str::to_owned),
    }
}

/// The resource an availability status belongs to (its id without the status suffix).
pub fn status_resource_id(status: &AvailabilityStatus) -> String {
    let lower = status.id.to_ascii_lowercase();
    lower
        .find("/providers/microsoft.resourcehealth/")
        .map_or(lower.clone(), |i| lower[..i].to_owned())
}

/// Platform health from Resource Health.
pub fn platform_health(status: &AvailabilityStatus) -> PlatformHealth {
    let word = status.properties.availability_state.clone();
    PlatformHealth {
        state: Health::parse(&word),
        summary: status.properties.summary.clone(),
        since: status
            .properties
            .occured_time
            .as_deref()
            .and_then(parse_time),
        word,
    }
}

/// A health report from a probe. A probe that answered without a report counts as unhealthy
/// (5xx) or unknown.
pub fn health_report(probe: &HealthProbe) -> HealthReport {
    match &probe.report {
        Some(r) => HealthReport {
            status: Health::parse(&r.status),
            http_status: Some(probe.http_status),
            checks: r
                .checks
                .iter()
                .map(|(k, v)| (k.clone(), Health::parse(v)))
                .collect(),
            version: r.version.clone(),
            duration_ms: r.duration_ms,
        },
        None => HealthReport {
            status: if probe.http_status >= 500 {
                Health::Unhealthy
            } else {
                Health::Unknown
            },
            http_status: Some(probe.http_status),
            checks: BTreeMap::new(),
            version: None,
            duration_ms: None,
        },
    }
}

/// The report when the endpoint could not be reached at all.
pub fn unreachable_report() -> HealthReport {
    HealthReport {
        status: Health::Unreachable,
        http_status: None,
        checks: BTreeMap::new(),
        version: None,
        duration_ms: None,
    }
}

/// Per-minute points from one resource's metrics (the `value` of an ARM metrics response or of a
/// batch answer's entry) with `Requests`, `Http5xx` and `HttpResponseTime` (seconds) or
/// `AverageResponseTime` (milliseconds).
pub fn metric_points(metrics: &[Metric]) -> Vec<MetricPoint> {
    let mut points: BTreeMap<String, MetricPoint> = BTreeMap::new();
    for metric in metrics {
        let name = metric.name.value.as_str();
        let to_ms = if metric.unit.eq_ignore_ascii_case("seconds") {
            1000.0
        } else {
            1.0
        };
        for series in &metric.timeseries {
            for v in &series.data {
                let Some(at) = parse_time(&v.time_stamp) else {
                    continue;
                };
                let p = points.entry(v.time_stamp.clone()).or_insert(MetricPoint {
                    at,
                    requests: 0.0,
                    failures: 0.0,
                    avg_ms: None,
                    max_ms: None,
                    p95_ms: None,
                });
                match name {
                    "Requests" => p.requests += v.total.unwrap_or(0.0),
                    "Http5xx" => p.failures += v.total.unwrap_or(0.0),
                    "HttpResponseTime" | "AverageResponseTime" => {
                        p.avg_ms = v.average.map(|a| a * to_ms);
                        p.max_ms = v.maximum.map(|m| m * to_ms);
                    }
                    _ => {}
                }
            }
        }
    }
    points.into_values().collect()
}

/// A deployment record of a slot.
pub fn deployment(d: &ArmDeployment, slot: &str) -> DeploymentRecord {
    let p = &d.properties;
    let status = p
        .status
        .map_or(DeployStatus::Unknown(-1), DeployStatus::from_code);
    DeploymentRecord {
        id: d.name.rsplit('/').next().unwrap_or(&d.name).to_owned(),
        slot: slot.to_owned(),
        version: p.message.clone(),
        deployer: p.deployer.clone(),
        author: p.author.clone(),
        status: status.label().to_owned(),
        in_progress: status.in_progress(),
        started: p.start_time.as_deref().and_then(parse_time),
        ended: p.end_time.as_deref().and_then(parse_time),
        active: p.active.unwrap_or(false),
    }
}

/// A release package listed in the artifact store.
pub fn artifact(a: &crate::azure::writes::kudu::Artifact) -> crate::model::ArtifactRecord {
    crate::model::ArtifactRecord {
        name: a.name.clone(),
        service: a.service.clone(),
        version: a.version.clone(),
        last_modified: a.last_modified,
    }
}

/// Host keys as digests under `host/…`, `system/…` and `master`.
pub fn host_key_digests(keys: &HostKeys) -> BTreeMap<String, SecretDigest> {
    let mut out = BTreeMap::new();
    if let Some(m) = &keys.master_key {
        out.insert("master".to_owned(), SecretDigest::of(m));
    }
    for (k, v) in &keys.function_keys {
        out.insert(format!("host/{k}"), SecretDigest::of(v));
    }
    for (k, v) in &keys.system_keys {
        out.insert(format!("system/{k}"), SecretDigest::of(v));
    }
    out
}

/// A function's state.
pub fn function_state(f: &FunctionEnvelope) -> FunctionState {
    FunctionState {
        name: f.function_name().to_owned(),
        disabled: f.properties.is_disabled.unwrap_or(false),
    }
}

fn routing(enabled: bool, monitor: Option<&str>) -> Routing {
    match (enabled, monitor.map(str::to_ascii_lowercase).as_deref()) {
        (false, _) => Routing::Disabled,
        (true, Some("online")) => Routing::Serving,
        (true, Some("degraded" | "stopped" | "inactive")) => Routing::Degraded,
        _ => Routing::Checking,
    }
}

/// A Traffic Manager endpoint's state; `app` comes from the estate.
pub fn tm_route(e: &TmEndpoint, app: &str) -> RouteState {
    let p = &e.properties;
    let enabled = p
        .endpoint_status
        .as_deref()
        .is_none_or(|s| s.eq_ignore_ascii_case("enabled"));
    RouteState {
        name: e.name.clone(),
        app: app.to_owned(),
        routing: routing(enabled, p.endpoint_monitor_status.as_deref()),
        enabled,
        monitor: p.endpoint_monitor_status.clone(),
        priority: p.priority,
        weight: p.weight,
    }
}

/// A Front Door origin's state. Front Door reports no per-origin health through ARM, so the
/// origin is `serving` when enabled and the app's own probe decides health elsewhere.
pub fn afd_route(o: &AfdOrigin, app: &str) -> RouteState {
    let p = &o.properties;
    let enabled = p
        .enabled_state
        .as_deref()
        .is_none_or(|s| s.eq_ignore_ascii_case("enabled"));
    RouteState {
        name: o.name.clone(),
        app: app.to_owned(),
        routing: if enabled {
            Routing::Serving
        } else {
            Routing::Disabled
        },
        enabled,
        monitor: p.provisioning_state.clone(),
        priority: p.priority,
        weight: p.weight,
    }
}

/// Storage replication facts.
pub fn storage_facts(a: &StorageAccount) -> StorageFacts {
    let p = &a.properties;
    let geo = p.geo_replication_stats.as_ref();
    StorageFacts {
        sku: a.sku.name.clone(),
        primary_status: p.status_of_primary.clone(),
        secondary_status: p.status_of_secondary.clone(),
        geo_status: geo.and_then(|g| g.status.clone()),
        last_sync: geo
            .and_then(|g| g.last_sync_time.as_deref())
            .and_then(parse_time),
        can_failover: geo.and_then(|g| g.can_failover),
        primary_location: p.primary_location.clone(),
    }
}

/// Alias facts.
pub fn alias_facts(c: &DisasterRecoveryConfig) -> AliasFacts {
    let p = &c.properties;
    AliasFacts {
        role: p.role.clone().unwrap_or_else(|| "Unknown".to_owned()),
        partner: p.partner_namespace.clone(),
        pending_operations: p.pending_replication_operations_count.unwrap_or(0),
        provisioning: p
            .provisioning_state
            .clone()
            .unwrap_or_else(|| "Unknown".to_owned()),
    }
}

/// An activity log event, classified.
pub fn activity_event(e: &ActivityLogEvent) -> Option<ActivityEvent> {
    let op = e.operation_name.value.clone();
    let lower = format!(
        "{} {}",
        op.to_ascii_lowercase(),
        e.resource_id
            .as_deref()
            .unwrap_or_default()
            .to_ascii_lowercase()
    );
    let kind = if lower.contains("slotsswap") {
        ActivityKind::Swap
    } else if [
        "deployments",
        "publish",
        "zipdeploy",
        "onedeploy",
        "extensions/write",
    ]
    .iter()
    .any(|k| lower.contains(k))
    {
        ActivityKind::Deployment
    } else if lower.contains("restart") {
        ActivityKind::Restart
    } else if lower.contains("/config/") || lower.contains("keys") {
        ActivityKind::ConfigWrite
    } else {
        ActivityKind::Other
    };
    Some(ActivityEvent {
        at: parse_time(&e.event_timestamp)?,
        kind,
        operation: op,
        resource_id: e.resource_id.clone().unwrap_or_default(),
        caller: e.caller.clone(),
        status: e.status.as_ref().map(|s| s.value.clone()),
    })
}
