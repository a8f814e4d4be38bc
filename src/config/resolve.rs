//! Turns a validated [`EstateFile`] into the resolved [`Estate`]: spans dropped, subscription
//! names replaced by ids, endpoints filled in for the cloud.

use super::file::{Cloud, EndpointsSection, EstateFile};
use super::{
    App, ArtifactStore, Endpoints, Estate, FdOrigin, FrontDoor, GeoDrAlias, Queue, Region,
    StorageAccount, Subscription, TmEndpoint, TrafficManager,
};

/// Resolves a file that `validate` accepted.
pub(super) fn resolve(f: EstateFile) -> Estate {
    let subscriptions: Vec<Subscription> = f
        .subscriptions
        .iter()
        .map(|s| Subscription {
            name: s.name.clone(),
            id: s.id.clone(),
        })
        .collect();
    let sub_id = |name: &str| {
        subscriptions
            .iter()
            .find(|s| s.name == name)
            .map_or_else(|| name.to_owned(), |s| s.id.clone())
    };
    Estate {
        name: f.estate.name,
        rto_minutes: f.estate.rto_minutes,
        rpo_minutes: f.estate.rpo_minutes,
        owner: f.estate.owner,
        escalation: f.estate.escalation,
        endpoints: endpoints(&f.endpoints),
        regions: f
            .regions
            .into_iter()
            .map(|r| Region {
                subscription_id: sub_id(r.subscription.get_ref()),
                name: r.name,
                role: r.role,
                location: r.location,
                resource_group: r.resource_group,
            })
            .collect(),
        subscriptions: subscriptions.clone(),
        apps: f
            .apps
            .into_iter()
            .map(|a| App {
                name: a.name,
                service: a.service,
                region: a.region.into_inner(),
                plan: a.plan,
                slots: a.slots,
                health_path: a.health_path,
                triggers: a.triggers,
                timer_functions: a.timer_functions,
                functions: a.functions,
                task_hub_storage: a.task_hub_storage.map(toml::Spanned::into_inner),
            })
            .collect(),
        traffic_manager: f.traffic_manager.map(|t| TrafficManager {
            profile: t.profile,
            region: t.region.into_inner(),
            endpoints: t
                .endpoints
                .into_iter()
                .map(|e| TmEndpoint {
                    name: e.name,
                    endpoint_type: e.endpoint_type,
                    app: e.app.into_inner(),
                    priority: e.priority,
                })
                .collect(),
        }),
        front_door: f.front_door.map(|d| FrontDoor {
            profile: d.profile,
            region: d.region.into_inner(),
            origin_group: d.origin_group,
            origins: d
                .origins
                .into_iter()
                .map(|o| FdOrigin {
                    name: o.name,
                    app: o.app.into_inner(),
                    priority: o.priority,
                    weight: o.weight,
                })
                .collect(),
        }),
        artifact_store: f.artifact_store.map(|a| ArtifactStore {
            account: a.account.into_inner(),
            container: a.container,
        }),
        storage_accounts: f
            .storage_accounts
            .into_iter()
            .map(|s| StorageAccount {
                name: s.name,
                region: s.region.into_inner(),
                replication: s.replication,
                task_hub: s.task_hub,
            })
            .collect(),
        queues: f
            .queues
            .into_iter()
            .map(|q| Queue {
                name: q.name,
                kind: q.kind,
                account: q.account.into_inner(),
                region: q.region.into_inner(),
                app: q.app.into_inner(),
                consumer_group: q.consumer_group,
            })
            .collect(),
        geo_dr_aliases: f
            .geo_dr_aliases
            .into_iter()
            .map(|g| GeoDrAlias {
                name: g.name,
                kind: g.kind,
                primary_namespace: g.primary_namespace,
                primary_region: g.primary_region.into_inner(),
                secondary_namespace: g.secondary_namespace,
                secondary_region: g.secondary_region.into_inner(),
            })
            .collect(),
    }
}

/// The well-known endpoints of each cloud, with the file's overrides on top.
fn endpoints(e: &EndpointsSection) -> Endpoints {
    let (arm, authority, queue, kudu, app_host, metrics) = match e.cloud {
        Cloud::Public | Cloud::Simulator => (
            "https://management.azure.com",
            "https://login.microsoftonline.com",
            "https://{account}.queue.core.windows.net",
            "https://{app}.scm.azurewebsites.net",
            "https://{app}.azurewebsites.net",
            "https://{region}.metrics.monitor.azure.com",
        ),
        Cloud::China => (
            "https://management.chinacloudapi.cn",
            "https://login.chinacloudapi.cn",
            "https://{account}.queue.core.chinacloudapi.cn",
            "https://{app}.scm.chinacloudsites.cn",
            "https://{app}.chinacloudsites.cn",
            "https://{region}.metrics.monitor.azure.cn",
        ),
        Cloud::UsGov => (
            "https://management.usgovcloudapi.net",
            "https://login.microsoftonline.us",
            "https://{account}.queue.core.usgovcloudapi.net",
            "https://{app}.scm.azurewebsites.us",
            "https://{app}.azurewebsites.us",
            "https://{region}.metrics.monitor.azure.us",
        ),
    };
    let pick = |o: &Option<String>, d: &str| o.clone().unwrap_or_else(|| d.to_owned());
    Endpoints {
        cloud: e.cloud,
        arm: pick(&e.arm, arm).trim_end_matches('/').to_owned(),
        authority: pick(&e.authority, authority),
        queue: pick(&e.queue, queue),
        kudu: pick(&e.kudu, kudu),
        app_host: pick(&e.app_host, app_host),
        metrics: pick(&e.metrics, metrics),
    }
}
