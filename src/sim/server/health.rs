//! Microsoft.ResourceHealth: `/{resourceUri}/providers/Microsoft.ResourceHealth/
//! availabilityStatuses/current`, the platform's view of a resource. Available normally;
//! Unavailable in a region outage (apps, namespaces) or a storage outage (accounts). A bad release
//! is not a platform problem and leaves it Available.

use axum::http::Method;

use super::arm::{Ctx, Reply};
use super::conventions::errors::{no_such_path, resource_not_found};
use super::conventions::iso;
use super::resources::{Target, resolve};
use crate::azure::wire::health::{AvailabilityStatus, AvailabilityStatusProperties};
use crate::sim::world::World;

/// Routes a Microsoft.ResourceHealth request: one resource's `availabilityStatuses/current`, or
/// a resource group's `availabilityStatuses` list (every resource in it, paged).
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    if !cx.path.scope_is_resource()
        && cx.path.resource_group().is_some()
        && cx.path.rest_is(&["availabilityStatuses"])
    {
        cx.expect_method(&Method::GET)?;
        return list_in_group(w, cx);
    }
    if !cx.path.scope_is_resource() || !cx.path.rest_is(&["availabilityStatuses", "current"]) {
        return Err(no_such_path(&cx.req.raw_path));
    }
    cx.expect_method(&Method::GET)?;
    let scope = &cx.path.scope;
    let status = status_of(w, scope, cx.t).ok_or_else(|| {
        let name = scope.last().map_or("", String::as_str);
        let rtype = scope
            .get(5..scope.len().saturating_sub(1))
            .map(|s| s.iter().step_by(2).cloned().collect::<Vec<_>>().join("/"))
            .unwrap_or_default();
        resource_not_found(&rtype, name, cx.resource_group())
    })?;
    cx.ok(&status)
}

/// Every resource of the request's resource group that Resource Health reports on.
fn list_in_group(w: &World, cx: &Ctx<'_>) -> Reply {
    let sub = cx.path.subscription().unwrap_or_default().to_owned();
    let rg = cx.resource_group().to_owned();
    let scope = |provider: &str, kind: &str, name: &str| -> Vec<String> {
        [
            "subscriptions",
            &sub,
            "resourceGroups",
            &rg,
            "providers",
            provider,
            kind,
            name,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
    };
    let mut scopes = Vec::new();
    for app in w
        .apps()
        .iter()
        .filter(|a| a.resource_group.eq_ignore_ascii_case(&rg))
    {
        scopes.push(scope("Microsoft.Web", "sites", &app.name));
    }
    let rg_of_region = |region: &str| {
        w.estate()
            .region(region)
            .map(|r| r.resource_group.clone())
            .unwrap_or_default()
    };
    for s in w.storage_accounts() {
        if rg_of_region(&s.region).eq_ignore_ascii_case(&rg) {
            scopes.push(scope("Microsoft.Storage", "storageAccounts", &s.name));
        }
    }
    for n in w
        .namespaces()
        .iter()
        .filter(|n| n.resource_group.eq_ignore_ascii_case(&rg))
    {
        let provider = match n.kind {
            crate::config::QueueKind::EventHubs => "Microsoft.EventHub",
            _ => "Microsoft.ServiceBus",
        };
        scopes.push(scope(provider, "namespaces", &n.name));
    }
    let items: Vec<AvailabilityStatus> = scopes
        .iter()
        .filter_map(|s| status_of(w, s, cx.t))
        .collect();
    let page = cx.page(w, items)?;
    cx.ok(&page)
}

/// The current status of the resource at `scope` (path segments), if it exists.
fn status_of(
    w: &World,
    scope: &[String],
    t: chrono::DateTime<chrono::Utc>,
) -> Option<AvailabilityStatus> {
    let target = resolve(w, scope)?;
    let (region, own, location) = match target {
        Target::Site(a, _) => {
            let app = &w.apps()[a];
            (Some(app.region.as_str()), None, app.location.clone())
        }
        Target::Storage(name) => {
            let s = w.storage_account(name).expect("resolved accounts exist");
            (None, Some(&s.outage), s.location.clone())
        }
        Target::Namespace(name) => {
            let n = w.namespace(name).expect("resolved namespaces exist");
            (Some(n.region.as_str()), None, n.location.clone())
        }
        Target::TrafficManager | Target::FrontDoor => (None, None, "global".to_owned()),
    };
    let p = w.platform_status(region, own, t);
    let properties = if p.available {
        AvailabilityStatusProperties {
            availability_state: "Available".to_owned(),
            title: Some("Available".to_owned()),
            summary: Some(
                "There aren't any known Azure platform problems affecting this resource."
                    .to_owned(),
            ),
            reason_chronicity: Some("Persistent".to_owned()),
            occured_time: Some(iso(p.since)),
            reported_time: Some(iso(t)),
            ..AvailabilityStatusProperties::default()
        }
    } else {
        let cause = p.cause.unwrap_or("a platform problem");
        AvailabilityStatusProperties {
            availability_state: "Unavailable".to_owned(),
            title: Some("Unavailable".to_owned()),
            summary: Some(format!(
                "We're sorry, your resource is unavailable because of {cause} in {location}. \
                 Azure engineers are working to restore it."
            )),
            reason_type: Some("Unplanned".to_owned()),
            context: Some("Platform Initiated".to_owned()),
            category: Some("Unplanned".to_owned()),
            reason_chronicity: Some("Persistent".to_owned()),
            detailed_status: Some(format!("The platform cannot serve this resource: {cause}.")),
            occured_time: Some(iso(p.since)),
            reported_time: Some(iso(t)),
            resolution_eta: None,
        }
    };
    Some(AvailabilityStatus {
        id: format!(
            "/{}/providers/Microsoft.ResourceHealth/availabilityStatuses/current",
            scope.join("/")
        ),
        name: "current".to_owned(),
        resource_type: "Microsoft.ResourceHealth/AvailabilityStatuses".to_owned(),
        location: Some(location),
        properties,
    })
}
