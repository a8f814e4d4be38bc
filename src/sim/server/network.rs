//! Microsoft.Network Traffic Manager: the profile with its endpoints, and one endpoint
//! (`trafficmanagerprofiles/{profile}/{AzureEndpoints|ExternalEndpoints|NestedEndpoints}/{name}`),
//! read (GET) and changed (PATCH `endpointStatus`, `priority`, `weight`: applied at once, 200 with
//! the endpoint, as Traffic Manager answers synchronously). Endpoint status is world state;
//! monitor status follows the apps' health probes. Ids use Azure's camelCase type segments
//! (`azureEndpoints`) whatever case the path used.

use axum::http::Method;
use chrono::{DateTime, Utc};

use super::arm::{Ctx, Reply};
use super::conventions::errors::{Fail, no_such_path, resource_not_found};
use super::names::{display_location, host_name};
use super::operations::{API_CALLER, body, in_range, infra_error, invalid, toggle};
use crate::azure::wire::network::{
    TmDnsConfig, TmEndpoint, TmEndpointPatch, TmEndpointProperties, TmMonitorConfig, TmProfile,
    TmProfileProperties,
};
use crate::sim::world::{
    EndpointChange, EndpointState, PRODUCTION, TmState, World, endpoint_type_segment,
};

const TYPE: &str = "Microsoft.Network/trafficManagerProfiles";

/// Routes a Microsoft.Network request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
    if cx.path.scope_is_resource()
        || rest.len() < 2
        || !rest[0].eq_ignore_ascii_case("trafficmanagerprofiles")
    {
        return Err(no_such_path(&cx.req.raw_path));
    }
    let tm = w
        .routing()
        .tm
        .as_ref()
        .filter(|tm| {
            tm.profile.eq_ignore_ascii_case(rest[1])
                && tm.resource_group.eq_ignore_ascii_case(cx.resource_group())
        })
        .ok_or_else(|| resource_not_found(TYPE, rest[1], cx.resource_group()))?;
    if rest.len() == 4 && cx.req.method == Method::PATCH {
        let tm = tm.clone();
        return patch(w, cx, &tm, rest[2], rest[3]);
    }
    cx.expect_method(&Method::GET)?;
    match rest.len() {
        2 => cx.ok(&profile(w, tm, cx.t)),
        4 => {
            let e = find_endpoint(tm, rest[2], rest[3], cx)?;
            cx.ok(&endpoint(w, tm, e, cx.t))
        }
        _ => Err(no_such_path(&cx.req.raw_path)),
    }
}

/// The endpoint `name` of path type `kind`, or ARM's 404.
fn find_endpoint<'a>(
    tm: &'a TmState,
    kind: &str,
    name: &str,
    cx: &Ctx<'_>,
) -> Result<&'a EndpointState, Fail> {
    tm.endpoints
        .iter()
        .find(|e| {
            e.name.eq_ignore_ascii_case(name)
                && endpoint_type_segment(e.endpoint_type).eq_ignore_ascii_case(kind)
        })
        .ok_or_else(|| {
            resource_not_found(
                &format!("{TYPE}/{kind}"),
                &format!("{}/{name}", tm.profile),
                cx.resource_group(),
            )
        })
}

/// `PATCH …/{endpointType}/{name}`: changes status, priority or weight now.
fn patch(w: &mut World, cx: &Ctx<'_>, tm: &TmState, kind: &str, name: &str) -> Reply {
    let e = find_endpoint(tm, kind, name, cx)?;
    let patch: TmEndpointPatch = body(cx)?;
    let p = &patch.properties;
    let app = &w.apps()[e.app];
    let retarget = p
        .target
        .as_deref()
        .is_some_and(|t| !t.eq_ignore_ascii_case(&host_name(app, PRODUCTION)))
        || p.target_resource_id
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case(&app.id()));
    if retarget {
        return Err(invalid(
            "BadRequest",
            "properties.target",
            "The simulator cannot move an endpoint to another target; change its status,              priority or weight.",
        ));
    }
    let change = EndpointChange {
        status: toggle(p.endpoint_status.as_deref(), "properties.endpointStatus")?,
        priority: in_range(p.priority, 1..=1000, "properties.priority")?,
        weight: in_range(p.weight, 1..=1000, "properties.weight")?,
    };
    let endpoint_name = e.name.clone();
    w.patch_endpoint(&endpoint_name, change, API_CALLER)
        .map_err(infra_error)?;
    let tm = w
        .routing()
        .tm
        .clone()
        .ok_or_else(|| no_such_path(&cx.req.raw_path))?;
    let e = find_endpoint(&tm, kind, name, cx)?;
    cx.ok(&endpoint(w, &tm, e, cx.t))
}

fn profile_id(tm: &TmState) -> String {
    format!(
        "/subscriptions/{}/resourceGroups/{}/providers/{TYPE}/{}",
        tm.subscription_id, tm.resource_group, tm.profile
    )
}

/// The profile body at `t`, endpoints included.
pub(crate) fn profile(w: &World, tm: &TmState, t: DateTime<Utc>) -> TmProfile {
    let path = tm
        .endpoints
        .first()
        .map_or_else(|| "/".to_owned(), |e| w.apps()[e.app].health_path.clone());
    TmProfile {
        id: profile_id(tm),
        name: tm.profile.clone(),
        resource_type: TYPE.to_owned(),
        location: Some("global".to_owned()),
        properties: TmProfileProperties {
            profile_status: Some("Enabled".to_owned()),
            traffic_routing_method: Some("Priority".to_owned()),
            dns_config: Some(TmDnsConfig {
                relative_name: Some(tm.profile.clone()),
                fqdn: Some(format!("{}.trafficmanager.net", tm.profile)),
                ttl: Some(30),
            }),
            monitor_config: Some(TmMonitorConfig {
                profile_monitor_status: Some(w.profile_monitor_status(tm, t).to_owned()),
                protocol: Some("HTTPS".to_owned()),
                port: Some(443),
                path: Some(path),
                interval_in_seconds: Some(30),
                timeout_in_seconds: Some(10),
                tolerated_number_of_failures: Some(3),
            }),
            endpoints: tm.endpoints.iter().map(|e| endpoint(w, tm, e, t)).collect(),
        },
    }
}

/// An endpoint body at `t`.
pub(crate) fn endpoint(w: &World, tm: &TmState, e: &EndpointState, t: DateTime<Utc>) -> TmEndpoint {
    let seg = endpoint_type_segment(e.endpoint_type);
    let app = &w.apps()[e.app];
    TmEndpoint {
        id: Some(format!("{}/{seg}/{}", profile_id(tm), e.name)),
        name: e.name.clone(),
        resource_type: Some(format!("{TYPE}/{seg}")),
        properties: TmEndpointProperties {
            target_resource_id: Some(app.id()),
            target: Some(host_name(app, PRODUCTION)),
            endpoint_status: Some(
                if e.status.at(t).is_enabled() {
                    "Enabled"
                } else {
                    "Disabled"
                }
                .to_owned(),
            ),
            weight: Some(u32::from(e.weight)),
            priority: Some(u32::from(e.priority)),
            endpoint_location: Some(display_location(&app.location)),
            endpoint_monitor_status: Some(w.endpoint_monitor_status(e, t).to_owned()),
        },
    }
}
