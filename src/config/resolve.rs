//! Turns a validated [`EstateFile`] into the resolved [`Estate`]: spans dropped, subscription
//! names replaced by ids, endpoints filled in for the cloud.

use super::file::{
    AppEntry, Cloud, DEFAULT_HEALTH_PATH, DEFAULT_ORIGIN_PRIORITY, DEFAULT_ORIGIN_WEIGHT,
    EndpointsSection, EstateFile, FrontDoorEntry, TrafficManagerEntry,
};
use super::{
    App, ArtifactStore, Endpoints, Estate, FdOrigin, FrontDoor, GeoDrAlias, Queue, Region,
    StorageAccount, Subscription, TmEndpoint, TrafficManager,
};
use toml::Spanned;

/// Drops the spans of a list of names.
fn strings(v: Vec<Spanned<String>>) -> Vec<String> {
    v.into_iter().map(Spanned::into_inner).collect()
}

/// Resolves a file that `validate` accepted.
pub(super) fn resolve(f: EstateFile) -> Estate {
    let subscriptions: Vec<Subscription> = f
        .subscriptions
        .iter()
        .map(|s| Subscription {
            name: s.name.get_ref().clone(),
            id: s.id.get_ref().clone(),
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
        rto_minutes: f.estate.rto_minutes.into_inner(),
        rpo_minutes: f.estate.rpo_minutes.into_inner(),
        owner: f.estate.owner,
        escalation: f.estate.escalation,
        endpoints: endpoints(&f.endpoints),
        regions: f
            .regions
            .into_iter()
            .map(|r| Region {
                subscription_id: sub_id(r.subscription.get_ref()),
                name: r.name.into_inner(),
                role: r.role.into_inner(),
                location: r.location,
                resource_group: r.resource_group,
            })
            .collect(),
        subscriptions: subscriptions.clone(),
        apps: f.apps.into_iter().map(app).collect(),
        traffic_manager: f.traffic_manager.map(traffic_manager),
        front_door: f.front_door.map(front_door),
        artifact_store: f.artifact_store.map(|a| ArtifactStore {
            account: a.account.into_inner(),
            container: a.container,
        }),
        storage_accounts: f
            .storage_accounts
            .into_iter()
            .map(|s| StorageAccount {
                name: s.name.into_inner(),
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
                kind: q.kind.into_inner(),
                account: q.account.into_inner(),
                region: q.region.into_inner(),
                app: q.app.into_inner(),
                consumer_group: q.consumer_group.map(Spanned::into_inner),
            })
            .collect(),
        geo_dr_aliases: f
            .geo_dr_aliases
            .into_iter()
            .map(|g| GeoDrAlias {
                name: g.name.into_inner(),
                kind: g.kind.into_inner(),
                primary_namespace: g.primary_namespace.into_inner(),
                primary_region: g.primary_region.into_inner(),
                secondary_namespace: g.secondary_namespace.into_inner(),
                secondary_region: g.secondary_region.into_inner(),
            })
            .collect(),
        log_analytics_workspace: f
            .monitoring
            .log_analytics_workspace
            .map(Spanned::into_inner),
    }
}

fn app(a: AppEntry) -> App {
    App {
        name: a.name.into_inner(),
        service: a.service,
        region: a.region.into_inner(),
        plan: a.plan,
        slots: strings(a.slots),
        health_path: a
            .health_path
            .map_or_else(|| DEFAULT_HEALTH_PATH.to_owned(), Spanned::into_inner),
        triggers: a.triggers,
        timer_functions: strings(a.timer_functions),
        functions: a.functions,
        task_hub_storage: a.task_hub_storage.map(Spanned::into_inner),
    }
}

fn traffic_manager(t: TrafficManagerEntry) -> TrafficManager {
    TrafficManager {
        profile: t.profile,
        region: t.region.into_inner(),
        endpoints: t
            .endpoints
            .into_iter()
            .map(|e| TmEndpoint {
                name: e.name.into_inner(),
                endpoint_type: e.endpoint_type,
                app: e.app.into_inner(),
                priority: e.priority.into_inner(),
            })
            .collect(),
    }
}

fn front_door(d: FrontDoorEntry) -> FrontDoor {
    FrontDoor {
        profile: d.profile,
        region: d.region.into_inner(),
        origin_group: d.origin_group,
        origins: d
            .origins
            .into_iter()
            .map(|o| FdOrigin {
                name: o.name.into_inner(),
                app: o.app.into_inner(),
                priority: o
                    .priority
                    .map_or(DEFAULT_ORIGIN_PRIORITY, Spanned::into_inner),
                weight: o.weight.map_or(DEFAULT_ORIGIN_WEIGHT, Spanned::into_inner),
            })
            .collect(),
    }
}

/// The well-known endpoints of each cloud, with the file's overrides on top.
fn endpoints(e: &EndpointsSection) -> Endpoints {
    let cloud = e.cloud();
    let (arm, authority, queue, kudu, app_host, metrics, logs) = match cloud {
        Cloud::Public | Cloud::Simulator => (
            "https://management.azure.com",
            "https://login.microsoftonline.com",
            "https://{account}.queue.core.windows.net",
            "https://{app}.scm.azurewebsites.net",
            "https://{app}.azurewebsites.net",
            "https://{region}.metrics.monitor.azure.com",
            "https://api.loganalytics.io",
        ),
        Cloud::China => (
            "https://management.chinacloudapi.cn",
            "https://login.chinacloudapi.cn",
            "https://{account}.queue.core.chinacloudapi.cn",
            "https://{app}.scm.chinacloudsites.cn",
            "https://{app}.chinacloudsites.cn",
            "https://{region}.metrics.monitor.azure.cn",
            "https://api.loganalytics.azure.cn",
        ),
        Cloud::UsGov => (
            "https://management.usgovcloudapi.net",
            "https://login.microsoftonline.us",
            "https://{account}.queue.core.usgovcloudapi.net",
            "https://{app}.scm.azurewebsites.us",
            "https://{app}.azurewebsites.us",
            "https://{region}.metrics.monitor.azure.us",
            "https://api.loganalytics.us",
        ),
    };
    // The Blob service sits beside the queue service: same account host, `blob` for `queue`.
    let blob = queue.replacen(".queue.", ".blob.", 1);
    let pick = |o: &Option<String>, d: &str| o.clone().unwrap_or_else(|| d.to_owned());
    let pick_spanned = |o: &Option<Spanned<String>>, d: &str| {
        o.as_ref()
            .map_or_else(|| d.to_owned(), |s| s.get_ref().clone())
    };
    let arm = pick_spanned(&e.arm, arm).trim_end_matches('/').to_owned();
    if cloud == Cloud::Simulator {
        // The simulator serves every surface under its one base URL (`warroom sim serve`
        // prints them), so naming `arm` is enough.
        return Endpoints {
            cloud,
            authority: pick_spanned(&e.authority, &format!("{arm}/_auth")),
            queue: pick(&e.queue, &format!("{arm}/_queue/{{account}}")),
            kudu: pick(&e.kudu, &format!("{arm}/_kudu/{{app}}")),
            app_host: pick(&e.app_host, &format!("{arm}/_apps/{{app}}")),
            metrics: pick(&e.metrics, &format!("{arm}/_metrics/{{region}}")),
            blob: pick(&e.blob, &format!("{arm}/_blob/{{account}}")),
            logs: pick_spanned(&e.logs, &format!("{arm}/_logs"))
                .trim_end_matches('/')
                .to_owned(),
            arm,
        };
    }
    Endpoints {
        cloud,
        arm,
        authority: pick_spanned(&e.authority, authority),
        queue: pick(&e.queue, queue),
        kudu: pick(&e.kudu, kudu),
        app_host: pick(&e.app_host, app_host),
        metrics: pick(&e.metrics, metrics),
        blob: pick(&e.blob, &blob),
        logs: pick_spanned(&e.logs, logs).trim_end_matches('/').to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{DEMO_ESTATE, Estate};

    fn with_endpoints(section: &str) -> Estate {
        let text = DEMO_ESTATE.replacen(
            "[endpoints]\ncloud = \"public\"",
            &format!("[endpoints]\n{section}"),
            1,
        );
        Estate::parse(&text, "test").expect("the demo estate with these endpoints parses")
    }

    #[test]
    fn the_blob_endpoint_follows_the_cloud() {
        let public = Estate::demo();
        assert_eq!(
            public.endpoints.blob,
            "https://{account}.blob.core.windows.net"
        );
        let china = with_endpoints("cloud = \"china\"");
        assert_eq!(
            china.endpoints.blob,
            "https://{account}.blob.core.chinacloudapi.cn"
        );
        let sim = with_endpoints("cloud = \"simulator\"\narm = \"http://127.0.0.1:4000/\"");
        assert_eq!(sim.endpoints.blob, "http://127.0.0.1:4000/_blob/{account}");
        assert_eq!(
            sim.endpoints.queue,
            "http://127.0.0.1:4000/_queue/{account}"
        );
        let over =
            with_endpoints("cloud = \"public\"\nblob = \"http://127.0.0.1:10000/{account}\"");
        assert_eq!(over.endpoints.blob, "http://127.0.0.1:10000/{account}");
    }

    #[test]
    fn the_logs_endpoint_follows_the_cloud_and_the_workspace_is_optional() {
        let public = Estate::demo();
        assert_eq!(public.endpoints.logs, "https://api.loganalytics.io");
        assert_eq!(
            public.log_analytics_workspace.as_deref(),
            Some("5b7d0c1e-3f2a-4c6d-8e9f-a1b2c3d4e5f6")
        );
        let china = with_endpoints("cloud = \"china\"");
        assert_eq!(china.endpoints.logs, "https://api.loganalytics.azure.cn");
        let sim = with_endpoints("cloud = \"simulator\"\narm = \"http://127.0.0.1:4000/\"");
        assert_eq!(sim.endpoints.logs, "http://127.0.0.1:4000/_logs");
        let over =
            with_endpoints("cloud = \"public\"\nlogs = \"https://api.loganalytics.azure.com/\"");
        assert_eq!(over.endpoints.logs, "https://api.loganalytics.azure.com");
        let none = Estate::parse(
            &crate::config::DEMO_ESTATE.replace(
                "log-analytics-workspace = \"5b7d0c1e-3f2a-4c6d-8e9f-a1b2c3d4e5f6\"",
                "",
            ),
            "test",
        )
        .expect("valid without a workspace");
        assert_eq!(none.log_analytics_workspace, None);
    }
}
