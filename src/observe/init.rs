//! The first snapshot of an estate: every part present, nothing observed yet.

use chrono::{DateTime, Utc};

use crate::config::{Estate, QueueKind, RegionRole};
use crate::model::{
    AliasState, AppState, Observed, QueueState, RegionInfo, Routes, SlotState, Snapshot,
    StorageState,
};

use super::sources::SourceKind;

fn missing<T>(kind: SourceKind, what: &str) -> Observed<T> {
    Observed::missing(format!("{} {what}", kind.label()), kind.interval())
}

/// The label of a queue kind.
pub fn queue_kind_word(kind: QueueKind) -> &'static str {
    match kind {
        QueueKind::Storage => "storage",
        QueueKind::ServiceBus => "service-bus",
        QueueKind::EventHubs => "event-hubs",
    }
}

/// The p95 read, not yet made: `None` when the estate names no Log Analytics workspace.
fn p95_source(estate: &Estate) -> Option<Observed<usize>> {
    estate.log_analytics_workspace.as_ref().map(|_| {
        Observed::missing(
            "Log Analytics AppRequests p95",
            SourceKind::Metrics.interval(),
        )
    })
}

/// The artifact store's listing, not yet read (with the deployment history): `None` when the
/// estate names no artifact store.
fn artifacts_source(estate: &Estate) -> Option<Observed<Vec<crate::model::ArtifactRecord>>> {
    estate.artifact_store.as_ref().map(|a| {
        Observed::missing(
            format!("Blob service {}/{} list", a.account, a.container),
            SourceKind::Deployments.interval(),
        )
    })
}

/// The estate's regions, the primary first.
fn regions(estate: &Estate) -> Vec<RegionInfo> {
    let mut regions: Vec<RegionInfo> = estate
        .regions
        .iter()
        .map(|r| RegionInfo {
            name: r.name.clone(),
            location: r.location.clone(),
            primary: r.role == RegionRole::Primary,
            resource_group: r.resource_group.clone(),
        })
        .collect();
    regions.sort_by_key(|r| !r.primary);
    regions
}

/// A snapshot with the estate's shape and no data.
pub fn empty_snapshot(estate: &Estate, simulated: bool, now: DateTime<Utc>) -> Snapshot {
    Snapshot {
        taken_at: now,
        estate: estate.name.clone(),
        simulated,
        rto_minutes: estate.rto_minutes,
        rpo_minutes: estate.rpo_minutes,
        regions: regions(estate),
        apps: estate
            .apps
            .iter()
            .map(|a| AppState {
                name: a.name.clone(),
                service: a.service.clone(),
                region: a.region.clone(),
                site: missing(SourceKind::Inventory, "sites"),
                slots: std::iter::once("production".to_owned())
                    .chain(a.slots.iter().cloned())
                    .map(|name| SlotState {
                        health: missing(SourceKind::Health, &a.health_path),
                        name,
                    })
                    .collect(),
                platform: missing(SourceKind::Platform, "availabilityStatuses"),
                metrics: missing(SourceKind::Metrics, "Requests,Http5xx,HttpResponseTime"),
                deployments: missing(SourceKind::Deployments, "sites/deployments"),
                settings: missing(SourceKind::Config, "config/appsettings/list"),
                keys: missing(SourceKind::Config, "host/default/listkeys"),
                functions: missing(SourceKind::Config, "sites/functions"),
            })
            .collect(),
        routes: Routes {
            traffic_manager: estate.traffic_manager.as_ref().map(|t| {
                (
                    t.profile.clone(),
                    missing(SourceKind::Routes, "trafficmanagerprofiles"),
                )
            }),
            front_door: estate.front_door.as_ref().map(|d| {
                (
                    format!("{}/{}", d.profile, d.origin_group),
                    missing(SourceKind::Routes, "originGroups/origins"),
                )
            }),
        },
        queues: estate
            .queues
            .iter()
            .map(|q| QueueState {
                name: q.name.clone(),
                kind: queue_kind_word(q.kind).to_owned(),
                account: q.account.clone(),
                region: q.region.clone(),
                app: q.app.clone(),
                depth: if q.kind == QueueKind::EventHubs {
                    Observed::missing(
                        "Event Hubs consumer lag is not exposed by ARM",
                        SourceKind::Queues.interval(),
                    )
                } else {
                    missing(SourceKind::Queues, "queue depth")
                },
                oldest: missing(SourceKind::Queues, "peek"),
                history: Vec::new(),
            })
            .collect(),
        storage: estate
            .storage_accounts
            .iter()
            .map(|s| StorageState {
                name: s.name.clone(),
                region: s.region.clone(),
                task_hub: s.task_hub.clone(),
                state: missing(SourceKind::Storage, "storageAccounts"),
            })
            .collect(),
        aliases: estate
            .geo_dr_aliases
            .iter()
            .map(|g| AliasState {
                name: g.name.clone(),
                kind: queue_kind_word(g.kind).to_owned(),
                primary_namespace: g.primary_namespace.clone(),
                state: missing(SourceKind::Aliases, "disasterRecoveryConfigs"),
            })
            .collect(),
        activity: missing(SourceKind::Activity, "eventtypes/management/values"),
        inventory: missing(SourceKind::Inventory, "resources"),
        p95_source: p95_source(estate),
        artifacts: artifacts_source(estate),
    }
}
