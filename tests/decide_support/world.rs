//! The rest of the scenario's snapshot: Traffic Manager and Front Door routes, queues, storage
//! accounts, messaging aliases and the activity log, from the demo estate with the scenario's
//! changes.

use chrono::{DateTime, Duration, Utc};
use warroom::config::Estate;
use warroom::model::{
    ActivityEvent, ActivityKind, AliasFacts, AliasState, AppState, ArtifactRecord, Observed,
    QueueState, RouteState, Routes, Routing, StorageFacts, StorageState,
};

use super::apps::observed;
use super::spec::{ActivitySpec, Scenario};
use super::time;

fn top_stale(sc: &Scenario, what: &str) -> bool {
    sc.stale.iter().any(|s| s == what)
}

fn route(sc: &Scenario, name: &str, app: &str) -> RouteState {
    let spec = sc.route.iter().find(|r| r.name == name);
    let enabled = spec.and_then(|r| r.enabled).unwrap_or(true);
    let monitor = spec
        .and_then(|r| r.monitor.clone())
        .unwrap_or_else(|| "Online".into());
    // As the poller reads it: disabled, online, degraded, else checking.
    let routing = match (enabled, monitor.to_ascii_lowercase().as_str()) {
        (false, _) => Routing::Disabled,
        (true, "online") => Routing::Serving,
        (true, "degraded" | "stopped" | "inactive") => Routing::Degraded,
        _ => Routing::Checking,
    };
    RouteState {
        name: name.to_owned(),
        app: app.to_owned(),
        routing,
        enabled,
        monitor: Some(monitor),
        priority: None,
        weight: None,
    }
}

/// Traffic Manager endpoints and Front Door origins.
pub fn routes(sc: &Scenario, estate: &Estate, now: DateTime<Utc>) -> Routes {
    let minute = Duration::minutes(1);
    let tm = estate.traffic_manager.as_ref().map(|t| {
        let eps = t
            .endpoints
            .iter()
            .map(|e| route(sc, &e.name, &e.app))
            .collect();
        let stale = top_stale(sc, "traffic_manager");
        (
            t.profile.clone(),
            observed(eps, now, "ARM Traffic Manager", minute, stale),
        )
    });
    let fd = estate.front_door.as_ref().map(|f| {
        let os = f
            .origins
            .iter()
            .map(|o| route(sc, &o.name, &o.app))
            .collect();
        let stale = top_stale(sc, "front_door");
        (
            f.profile.clone(),
            observed(os, now, "ARM Front Door", minute, stale),
        )
    });
    Routes {
        traffic_manager: tm,
        front_door: fd,
    }
}

/// The estate's queues: 2 messages, the oldest 15 s old, unless the scenario says otherwise; a
/// `read_error` makes the latest reads fail (10 s ago), the last good values kept.
pub fn queues(sc: &Scenario, estate: &Estate, now: DateTime<Utc>) -> Vec<QueueState> {
    estate
        .queues
        .iter()
        .map(|q| {
            let spec = sc
                .queue
                .iter()
                .find(|s| s.name == q.name && s.region == q.region);
            let depth = spec.and_then(|s| s.depth).unwrap_or(2);
            let history = spec.and_then(|s| s.history.as_deref()).map_or_else(
                || {
                    vec![
                        (now - Duration::minutes(5), depth),
                        (now - Duration::seconds(20), depth),
                    ]
                },
                |h| {
                    h.split_whitespace()
                        .map(|p| {
                            let (d, t) = p.split_once('@').expect("depth@time");
                            (time(t), d.parse().expect("a depth"))
                        })
                        .collect()
                },
            );
            let oldest = spec
                .and_then(|s| s.oldest.as_deref())
                .map_or(now - Duration::seconds(15), time);
            let minute = Duration::minutes(1);
            let mut depth = observed(depth, now, "queue metadata", minute, false);
            let mut oldest = observed(Some(oldest), now, "queue peek", minute, false);
            if let Some(e) = spec.and_then(|s| s.read_error.as_deref()) {
                // As the poller words it: the endpoint, then the client's error.
                let msg = format!(
                    "queue endpoint \"https://{}.queue.core.windows.net/\": {e}",
                    q.account
                );
                depth.fail(msg.clone(), now - Duration::seconds(10));
                oldest.fail(msg, now - Duration::seconds(10));
            }
            QueueState {
                name: q.name.clone(),
                kind: q.kind.as_str().to_owned(),
                account: q.account.clone(),
                region: q.region.clone(),
                app: q.app.clone(),
                depth,
                oldest,
                history,
            }
        })
        .collect()
}

/// The estate's storage accounts; geo-replicated ones last synced 40 s ago.
pub fn storage(sc: &Scenario, estate: &Estate, now: DateTime<Utc>) -> Vec<StorageState> {
    estate
        .storage_accounts
        .iter()
        .map(|s| {
            let spec = sc.storage.iter().find(|x| x.name == s.name);
            let sku = format!("Standard_{}", format!("{:?}", s.replication).to_uppercase());
            let geo = sku.contains("GRS") || sku.contains("GZRS");
            let last_sync = spec
                .and_then(|x| x.last_sync.as_deref())
                .map(time)
                .or_else(|| geo.then(|| now - Duration::seconds(40)));
            let primary = spec
                .and_then(|x| x.primary_status.clone())
                .unwrap_or_else(|| "available".into());
            let facts = StorageFacts {
                sku,
                primary_status: Some(primary),
                secondary_status: geo.then(|| "available".to_owned()),
                geo_status: geo.then(|| "Live".to_owned()),
                last_sync,
                can_failover: Some(geo),
                primary_location: None,
            };
            let stale = spec.is_some_and(|x| x.stale);
            StorageState {
                name: s.name.clone(),
                region: s.region.clone(),
                task_hub: s.task_hub.clone(),
                state: observed(
                    facts,
                    now,
                    "ARM storage accounts",
                    Duration::minutes(2),
                    stale,
                ),
            }
        })
        .collect()
}

/// The estate's geo-DR aliases, nothing pending unless the scenario says otherwise.
pub fn aliases(sc: &Scenario, estate: &Estate, now: DateTime<Utc>) -> Vec<AliasState> {
    estate
        .geo_dr_aliases
        .iter()
        .map(|a| {
            let spec = sc.alias.iter().find(|x| x.name == a.name);
            let facts = AliasFacts {
                role: "Primary".into(),
                partner: Some(a.secondary_namespace.clone()),
                pending_operations: spec.and_then(|x| x.pending).unwrap_or(0),
                provisioning: "Succeeded".into(),
            };
            let stale = spec.is_some_and(|x| x.stale) || top_stale(sc, "aliases");
            AliasState {
                name: a.name.clone(),
                kind: a.kind.as_str().to_owned(),
                primary_namespace: a.primary_namespace.clone(),
                state: observed(
                    facts,
                    now,
                    "ARM disasterRecoveryConfigs",
                    Duration::minutes(2),
                    stale,
                ),
            }
        })
        .collect()
}

/// The artifact store's listing, read 20 s ago: a package for every version in the apps'
/// deployment histories, less the scenario's deleted ones; or a read that failed from the start.
/// `None` when the estate names no store.
pub fn artifacts(
    sc: &Scenario,
    estate: &Estate,
    apps: &[AppState],
    now: DateTime<Utc>,
) -> Option<Observed<Vec<ArtifactRecord>>> {
    let store = estate.artifact_store.as_ref()?;
    let source = format!("Blob service {}/{} list", store.account, store.container);
    if let Some(e) = &sc.artifacts.unreadable {
        let mut o = Observed::missing(source, Duration::minutes(1));
        o.fail(e.clone(), now - Duration::seconds(10));
        return Some(o);
    }
    let mut list: Vec<ArtifactRecord> = Vec::new();
    for a in apps {
        for d in a.deployments.get().into_iter().flatten() {
            let Some(v) = &d.version else { continue };
            let name = format!("{}/{v}.zip", a.service);
            if list.iter().any(|r| r.name == name) || sc.artifacts.deleted.contains(&name) {
                continue;
            }
            list.push(ArtifactRecord {
                name,
                service: Some(a.service.clone()),
                version: v.clone(),
                last_modified: d.ended.unwrap_or(now),
            });
        }
    }
    Some(observed(list, now, &source, Duration::minutes(1), false))
}

/// One activity log event, with the resource id Azure would log.
pub fn activity(estate: &Estate, spec: &ActivitySpec) -> ActivityEvent {
    let app = estate
        .app(&spec.app)
        .unwrap_or_else(|| panic!("no app {}", spec.app));
    let id = estate.app_id(app);
    let (kind, resource_id, operation) = match spec.kind.as_str() {
        "swap" => (
            ActivityKind::Swap,
            format!(
                "{id}/slots/{}/slotsswap",
                spec.slot.as_deref().unwrap_or("staging")
            ),
            "Microsoft.Web/sites/slots/slotsswap/action",
        ),
        "deployment" => (
            ActivityKind::Deployment,
            match &spec.slot {
                Some(s) => format!("{id}/slots/{s}/extensions/zipdeploy"),
                None => format!("{id}/extensions/zipdeploy"),
            },
            "Microsoft.Web/sites/extensions/write",
        ),
        "restart" => (
            ActivityKind::Restart,
            format!("{id}/restart"),
            "Microsoft.Web/sites/restart/action",
        ),
        other => panic!("unknown activity kind {other}"),
    };
    ActivityEvent {
        at: time(&spec.at),
        kind,
        operation: operation.to_owned(),
        resource_id,
        caller: spec.caller.clone(),
        status: Some(
            spec.status
                .clone()
                .unwrap_or_else(|| "Succeeded".to_owned()),
        ),
    }
}
