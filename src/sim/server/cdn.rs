//! Microsoft.Cdn (Front Door Standard/Premium): the origin group, its origins (list, get).
//! Origin enabled state is world state. Front Door does not report origin health in these
//! resources; it is in the profile's `OriginHealthPercentage` metric (see `metrics`).

use axum::http::Method;
use chrono::{DateTime, Utc};

use super::arm::{Ctx, Reply};
use super::conventions::errors::{no_such_path, resource_not_found};
use super::names::host_name;
use crate::azure::wire::cdn::{
    AfdHealthProbe, AfdLoadBalancing, AfdOrigin, AfdOriginGroup, AfdOriginGroupProperties,
    AfdOriginProperties,
};
use crate::sim::world::{
    FD_SAMPLE_SIZE, FD_SUCCESSFUL_SAMPLES, FdState, OriginState, PROBE_INTERVAL_SECONDS,
    PRODUCTION, World,
};

/// Routes a Microsoft.Cdn request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
    if cx.path.scope_is_resource()
        || rest.len() < 4
        || !rest[0].eq_ignore_ascii_case("profiles")
        || !rest[2].eq_ignore_ascii_case("originGroups")
    {
        return Err(no_such_path(&cx.req.raw_path));
    }
    let fd = w
        .routing()
        .fd
        .as_ref()
        .filter(|fd| {
            fd.profile.eq_ignore_ascii_case(rest[1])
                && fd.resource_group.eq_ignore_ascii_case(cx.resource_group())
        })
        .ok_or_else(|| {
            resource_not_found("Microsoft.Cdn/profiles", rest[1], cx.resource_group())
        })?;
    if !fd.origin_group.eq_ignore_ascii_case(rest[3]) {
        return Err(resource_not_found(
            "Microsoft.Cdn/profiles/originGroups",
            &format!("{}/{}", fd.profile, rest[3]),
            cx.resource_group(),
        ));
    }
    cx.expect_method(&Method::GET)?;
    match rest.len() {
        4 => cx.ok(&origin_group(w, fd)),
        5 if rest[4].eq_ignore_ascii_case("origins") => {
            let items = fd.origins.iter().map(|o| origin(w, fd, o, cx.t)).collect();
            cx.ok(&cx.page(w, items)?)
        }
        6 if rest[4].eq_ignore_ascii_case("origins") => {
            let o = fd
                .origins
                .iter()
                .find(|o| o.name.eq_ignore_ascii_case(rest[5]))
                .ok_or_else(|| {
                    resource_not_found(
                        "Microsoft.Cdn/profiles/originGroups/origins",
                        &format!("{}/{}/{}", fd.profile, fd.origin_group, rest[5]),
                        cx.resource_group(),
                    )
                })?;
            cx.ok(&origin(w, fd, o, cx.t))
        }
        _ => Err(no_such_path(&cx.req.raw_path)),
    }
}

/// The profile's ARM id.
pub(crate) fn profile_id(fd: &FdState) -> String {
    format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Cdn/profiles/{}",
        fd.subscription_id, fd.resource_group, fd.profile
    )
}

fn group_id(fd: &FdState) -> String {
    format!("{}/originGroups/{}", profile_id(fd), fd.origin_group)
}

fn origin_group(w: &World, fd: &FdState) -> AfdOriginGroup {
    let probe_path = fd
        .origins
        .first()
        .map_or_else(|| "/".to_owned(), |o| w.apps()[o.app].health_path.clone());
    AfdOriginGroup {
        id: group_id(fd),
        name: fd.origin_group.clone(),
        resource_type: "Microsoft.Cdn/profiles/originGroups".to_owned(),
        properties: AfdOriginGroupProperties {
            load_balancing_settings: Some(AfdLoadBalancing {
                sample_size: Some(FD_SAMPLE_SIZE),
                successful_samples_required: Some(FD_SUCCESSFUL_SAMPLES),
                additional_latency_in_milliseconds: Some(50),
            }),
            health_probe_settings: Some(AfdHealthProbe {
                probe_path: Some(probe_path),
                probe_request_type: Some("GET".to_owned()),
                probe_protocol: Some("Https".to_owned()),
                probe_interval_in_seconds: Some(
                    u32::try_from(PROBE_INTERVAL_SECONDS).unwrap_or(30),
                ),
            }),
            traffic_restoration_time_to_healed_or_new_endpoints_in_minutes: Some(10),
            provisioning_state: Some("Succeeded".to_owned()),
            deployment_status: Some("NotStarted".to_owned()),
        },
    }
}

fn origin(w: &World, fd: &FdState, o: &OriginState, t: DateTime<Utc>) -> AfdOrigin {
    let host = host_name(&w.apps()[o.app], PRODUCTION);
    AfdOrigin {
        id: format!("{}/origins/{}", group_id(fd), o.name),
        name: o.name.clone(),
        resource_type: "Microsoft.Cdn/profiles/originGroups/origins".to_owned(),
        properties: AfdOriginProperties {
            host_name: Some(host.clone()),
            http_port: Some(80),
            https_port: Some(443),
            origin_host_header: Some(host),
            priority: Some(u32::from(o.priority)),
            weight: Some(u32::from(o.weight)),
            enabled_state: Some(
                if o.state.at(t).is_enabled() {
                    "Enabled"
                } else {
                    "Disabled"
                }
                .to_owned(),
            ),
            enforce_certificate_name_check: Some(true),
            origin_group_name: Some(fd.origin_group.clone()),
            provisioning_state: Some("Succeeded".to_owned()),
            deployment_status: Some("NotStarted".to_owned()),
        },
    }
}
