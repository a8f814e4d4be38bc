//! Building the world's initial state from an estate and a scenario: apps with their slots,
//! deployment history, settings and keys; storage accounts; namespaces; queues; routing. Owns
//! construction only.

use std::collections::BTreeSet;

use chrono::TimeDelta;

use super::{
    AppState, Deployment, EndpointState, FdState, FunctionDef, History, NamespaceState,
    OriginState, PRODUCTION, QueueState, Routing, SlotState, StorageState, TmState, World, apps,
    secrets, storage,
};
use crate::config::{Estate, QueueKind};
use crate::sim::rng::{hash_parts, stable_guid};
use crate::sim::scenario::{Scenario, Toggle};

pub(super) fn app(estate: &Estate, scenario: &Scenario, app: &crate::config::App) -> AppState {
    let region = estate.region_of(app);
    let init = scenario.apps.iter().find(|a| a.name == app.name);
    let functions = apps::functions_of(app);
    let slot_names: Vec<String> = std::iter::once(PRODUCTION.to_owned())
        .chain(app.slots.iter().cloned())
        .collect();
    let slots = slot_names
        .iter()
        .map(|name| slot(estate, scenario, app, init, &functions, name))
        .collect();
    AppState {
        name: app.name.clone(),
        service: app.service.clone(),
        region: app.region.clone(),
        location: region.location.clone(),
        resource_group: region.resource_group.clone(),
        subscription_id: region.subscription_id.clone(),
        plan: app.plan,
        health_path: app.health_path.clone(),
        functions,
        load_rpm: init
            .and_then(|i| i.requests_per_minute)
            .unwrap_or(scenario.defaults.requests_per_minute),
        storage_account: secrets::app_storage_account(estate, app),
        slots,
        failing_checks: History::new(BTreeSet::new()),
        consumer_stopped: History::new(false),
        corrupted: History::new(false),
    }
}

fn slot(
    estate: &Estate,
    scenario: &Scenario,
    app: &crate::config::App,
    init: Option<&crate::sim::scenario::AppInit>,
    functions: &[FunctionDef],
    slot: &String,
) -> SlotState {
    let seed = scenario.seed;
    let mut deployments: Vec<Deployment> = init
        .map(|i| {
            i.deployments
                .iter()
                .filter(|d| d.slot.eq_ignore_ascii_case(slot))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(k, d)| {
            let end = scenario.time_of(d.at);
            Deployment {
                id: stable_guid(
                    seed,
                    &[
                        "deployment",
                        &app.name,
                        slot,
                        &d.version,
                        &format!("past-{k}"),
                    ],
                ),
                version: d.version.clone(),
                deployer: d.deployer.clone(),
                author: d.author.clone(),
                received: end - TimeDelta::seconds(50),
                start: end - TimeDelta::seconds(48),
                end,
                succeeded: d.succeeded,
            }
        })
        .collect();
    let version = init
        .and_then(|i| i.slots.get(slot).cloned())
        .or_else(|| {
            deployments
                .iter()
                .rev()
                .find(|d| d.succeeded)
                .map(|d| d.version.clone())
        })
        .unwrap_or_else(|| scenario.defaults.version.clone());
    if !deployments
        .iter()
        .any(|d| d.succeeded && d.version == version)
    {
        // A made-up deployment of what runs, a few days before the start.
        let days =
            2 + i64::try_from(hash_parts(seed, &["deployed", &app.name, slot]) % 6).unwrap_or(0);
        let end = scenario.start - TimeDelta::days(days) - TimeDelta::minutes(37);
        deployments.push(Deployment {
            id: stable_guid(seed, &["deployment", &app.name, slot, &version, "initial"]),
            version: version.clone(),
            deployer: "GitHub Actions".to_owned(),
            author: "release-pipeline".to_owned(),
            received: end - TimeDelta::seconds(50),
            start: end - TimeDelta::seconds(48),
            end,
            succeeded: true,
        });
        deployments.sort_by_key(|d| d.end);
    }
    let last_modified = deployments
        .iter()
        .map(|d| d.end)
        .max()
        .unwrap_or(scenario.start);
    SlotState {
        name: slot.clone(),
        version: History::new(version),
        deployments,
        settings: secrets::app_settings(seed, estate, app, slot),
        host_keys: secrets::host_keys(seed, app, slot),
        function_keys: functions
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    secrets::function_keys(seed, app, slot, &f.name),
                )
            })
            .collect(),
        last_modified,
        last_swap: None,
        restarts: Vec::new(),
        cold_starts: Vec::new(),
        stuck: History::new(false),
    }
}

pub(super) fn storage(estate: &Estate, scenario: &Scenario) -> Vec<StorageState> {
    estate
        .storage_accounts
        .iter()
        .map(|s| {
            let region = estate
                .region(&s.region)
                .expect("validation guarantees every account names a region");
            let mut st = StorageState {
                name: s.name.clone(),
                region: s.region.clone(),
                location: region.location.clone(),
                secondary_location: None,
                replication: s.replication,
                base_lag_seconds: scenario
                    .storage_accounts
                    .iter()
                    .find(|i| i.account == s.name)
                    .map_or(scenario.defaults.geo_lag_seconds, |i| i.geo_lag_seconds),
                outage: History::new(false),
                resource_group: region.resource_group.clone(),
                subscription_id: region.subscription_id.clone(),
                task_hub: s.task_hub.clone(),
            };
            if st.geo_redundant() {
                let other = estate
                    .regions
                    .iter()
                    .find(|r| r.name != s.region)
                    .map(|r| r.location.clone());
                st.secondary_location = storage::paired_location(&region.location)
                    .map(str::to_owned)
                    .or(other);
            }
            st
        })
        .collect()
}

pub(super) fn namespaces(estate: &Estate) -> Vec<NamespaceState> {
    let mut out: Vec<NamespaceState> = Vec::new();
    let mut add = |name: &str, kind: QueueKind, region: &str| {
        if out.iter().any(|n| n.name == name) {
            return;
        }
        if let Some(r) = estate.region(region) {
            out.push(NamespaceState {
                name: name.to_owned(),
                kind,
                region: r.name.clone(),
                location: r.location.clone(),
                resource_group: r.resource_group.clone(),
                subscription_id: r.subscription_id.clone(),
            });
        }
    };
    for q in estate
        .queues
        .iter()
        .filter(|q| q.kind != QueueKind::Storage)
    {
        add(&q.account, q.kind, &q.region);
    }
    for a in &estate.geo_dr_aliases {
        add(&a.primary_namespace, a.kind, &a.primary_region);
        add(&a.secondary_namespace, a.kind, &a.secondary_region);
    }
    out
}

pub(super) fn queues(w: &World, estate: &Estate, scenario: &Scenario) -> Vec<QueueState> {
    estate
        .queues
        .iter()
        .filter_map(|q| {
            let app = w.app_index(&q.app)?;
            let init = scenario
                .queues
                .iter()
                .find(|i| i.account == q.account && i.name == q.name);
            let rates = (
                init.and_then(|i| i.arrivals_per_minute)
                    .unwrap_or(scenario.defaults.arrivals_per_minute),
                init.and_then(|i| i.processing_per_minute)
                    .unwrap_or(scenario.defaults.processing_per_minute),
            );
            let depth = init.map_or(0, |i| i.initial_depth);
            Some(QueueState::new(
                (&q.account, &q.name, q.kind, &q.region),
                Some(app),
                rates,
                depth,
                scenario.start,
            ))
        })
        .collect()
}

pub(super) fn routing(w: &World, estate: &Estate) -> Routing {
    let tm = estate.traffic_manager.as_ref().and_then(|tm| {
        let region = estate.region(&tm.region)?;
        Some(TmState {
            profile: tm.profile.clone(),
            resource_group: region.resource_group.clone(),
            subscription_id: region.subscription_id.clone(),
            endpoints: tm
                .endpoints
                .iter()
                .filter_map(|e| {
                    Some(EndpointState {
                        name: e.name.clone(),
                        endpoint_type: e.endpoint_type,
                        app: w.app_index(&e.app)?,
                        priority: e.priority,
                        weight: 1,
                        status: History::new(Toggle::Enabled),
                    })
                })
                .collect(),
        })
    });
    let fd = estate.front_door.as_ref().and_then(|fd| {
        let region = estate.region(&fd.region)?;
        Some(FdState {
            profile: fd.profile.clone(),
            origin_group: fd.origin_group.clone(),
            resource_group: region.resource_group.clone(),
            subscription_id: region.subscription_id.clone(),
            origins: fd
                .origins
                .iter()
                .filter_map(|o| {
                    Some(OriginState {
                        name: o.name.clone(),
                        app: w.app_index(&o.app)?,
                        priority: o.priority,
                        weight: o.weight,
                        state: History::new(Toggle::Enabled),
                    })
                })
                .collect(),
        })
    });
    Routing { tm, fd }
}
