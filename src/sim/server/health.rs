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

/// Routes a Microsoft.ResourceHealth request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    if !cx.path.scope_is_resource() || !cx.path.rest_is(&["availabilityStatuses", "current"]) {
        return Err(no_such_path(&cx.req.raw_path));
    }
    cx.expect_method(&Method::GET)?;
    let scope = &cx.path.scope;
    let target = resolve(w, scope).ok_or_else(|| {
        let name = scope.last().map_or("", String::as_str);
        let rtype = scope
            .get(5..scope.len().saturating_sub(1))
            .map(|s| s.iter().step_by(2).cloned().collect::<Vec<_>>().join("/"))
            .unwrap_or_default();
        resource_not_found(&rtype, name, cx.resource_group())
    })?;
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
    let p = w.platform_status(region, own, cx.t);
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
            reported_time: Some(iso(cx.t)),
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
            reported_time: Some(iso(cx.t)),
            resolution_eta: None,
        }
    };
    cx.ok(&AvailabilityStatus {
        id: format!(
            "{}/providers/Microsoft.ResourceHealth/availabilityStatuses/current",
            cx.path.scope_id()
        ),
        name: "current".to_owned(),
        resource_type: "Microsoft.ResourceHealth/AvailabilityStatuses".to_owned(),
        location: Some(location),
        properties,
    })
}
