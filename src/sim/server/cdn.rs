//! Microsoft.Cdn (Front Door Standard/Premium): the origin group, its origins (list, get), an
//! origin update (PATCH `enabledState`, `priority`, `weight`: 202 with `Azure-AsyncOperation` and
//! `Location`; the origin shows `Updating` with its new settings until the operation completes in
//! virtual time, when routing changes), and the operation's status
//! (`…/providers/Microsoft.Cdn/operationresults/{id}`; with `monitor=true` it answers 202 until
//! done, then the origin). Origin enabled state is world state. Front Door does not report origin
//! health in these resources; it is in the profile's `OriginHealthPercentage` metric.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};

use super::arm::{Ctx, Reply};
use super::conventions::errors::{Fail, no_such_path, resource_not_found};
use super::names::host_name;
use super::operations::{
    API_CALLER, api_version, body, in_range, infra_error, invalid, respond, retry_after,
    status_body, toggle,
};
use crate::azure::wire::cdn::{
    AfdHealthProbe, AfdLoadBalancing, AfdOrigin, AfdOriginGroup, AfdOriginGroupProperties,
    AfdOriginPatch, AfdOriginProperties,
};
use crate::sim::world::{
    FD_SAMPLE_SIZE, FD_SUCCESSFUL_SAMPLES, FdState, OpKind, OpPhase, OriginChange, OriginState,
    PROBE_INTERVAL_SECONDS, PRODUCTION, World,
};

/// Routes a Microsoft.Cdn request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
    if !cx.path.scope_is_resource()
        && rest.len() == 2
        && rest[0].eq_ignore_ascii_case("operationresults")
    {
        cx.expect_method(&Method::GET)?;
        return operation_result(w, cx, rest[1]);
    }
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
    if rest.len() == 6 && rest[4].eq_ignore_ascii_case("origins") && cx.req.method == Method::PATCH
    {
        let fd = fd.clone();
        return patch(w, cx, &fd, rest[5]);
    }
    cx.expect_method(&Method::GET)?;
    match rest.len() {
        4 => cx.ok(&origin_group(w, fd)),
        5 if rest[4].eq_ignore_ascii_case("origins") => {
            let items = fd.origins.iter().map(|o| origin(w, fd, o, cx.t)).collect();
            cx.ok(&cx.page(w, items)?)
        }
        6 if rest[4].eq_ignore_ascii_case("origins") => {
            let o = find_origin(fd, rest[5], cx)?;
            cx.ok(&origin(w, fd, o, cx.t))
        }
        _ => Err(no_such_path(&cx.req.raw_path)),
    }
}

fn find_origin<'a>(fd: &'a FdState, name: &str, cx: &Ctx<'_>) -> Result<&'a OriginState, Fail> {
    fd.origins
        .iter()
        .find(|o| o.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            resource_not_found(
                "Microsoft.Cdn/profiles/originGroups/origins",
                &format!("{}/{}/{name}", fd.profile, fd.origin_group),
                cx.resource_group(),
            )
        })
}

/// `PATCH …/origins/{name}`: starts an update; 202 with the status URLs.
fn patch(w: &mut World, cx: &Ctx<'_>, fd: &FdState, name: &str) -> Reply {
    let o = find_origin(fd, name, cx)?;
    let patch: AfdOriginPatch = body(cx)?;
    let p = &patch.properties;
    let host = host_name(&w.apps()[o.app], PRODUCTION);
    if p.host_name
        .as_deref()
        .is_some_and(|h| !h.eq_ignore_ascii_case(&host))
    {
        return Err(invalid(
            "BadRequest",
            "properties.hostName",
            "The simulator cannot point an origin at another host; change its enabledState, \
             priority or weight.",
        ));
    }
    let change = OriginChange {
        origin: o.name.clone(),
        state: toggle(p.enabled_state.as_deref(), "properties.enabledState")?,
        priority: in_range(p.priority, 1..=5, "properties.priority")?,
        weight: in_range(p.weight, 1..=1000, "properties.weight")?,
    };
    let id = w
        .begin_origin_update(change, API_CALLER)
        .map_err(infra_error)?;
    let status = format!(
        "{}/subscriptions/{}/resourcegroups/{}/providers/Microsoft.Cdn/operationresults/{id}?api-version={}",
        cx.base_url,
        fd.subscription_id,
        fd.resource_group,
        api_version(cx)
    );
    let o = find_origin(fd, name, cx)?;
    let wait = retry_after(w.op_timings().origin_update);
    respond(
        StatusCode::ACCEPTED,
        Some(&origin(w, fd, o, cx.t)),
        &[
            ("azure-asyncoperation", status.clone()),
            ("location", format!("{status}&monitor=true")),
            ("retry-after", wait),
        ],
    )
}

/// `GET …/Microsoft.Cdn/operationresults/{id}`: the update's status; with `monitor=true`, 202
/// until it is done and then the origin.
fn operation_result(w: &World, cx: &Ctx<'_>, id: &str) -> Reply {
    let op = w
        .operation(id)
        .filter(|op| matches!(op.kind, OpKind::OriginUpdate(_)))
        .ok_or_else(|| no_such_path(&cx.req.raw_path))?;
    let phase = op.phase_at(cx.t);
    let wait = retry_after(w.op_timings().origin_update);
    let monitor = cx
        .req
        .param("monitor")
        .is_some_and(|m| m.eq_ignore_ascii_case("true"));
    if monitor {
        if phase == OpPhase::InProgress {
            let own = format!("{}{}?{}", cx.base_url, cx.req.raw_path, query(cx));
            return respond::<()>(
                StatusCode::ACCEPTED,
                None,
                &[("location", own), ("retry-after", wait)],
            );
        }
        if let (OpKind::OriginUpdate(change), Some(fd)) = (&op.kind, w.routing().fd.as_ref()) {
            let o = find_origin(fd, &change.origin, cx)?;
            return cx.ok(&origin(w, fd, o, cx.t));
        }
    }
    let body = status_body(op, cx.t, &cx.req.raw_path);
    let headers = if phase == OpPhase::InProgress {
        vec![("retry-after", wait)]
    } else {
        Vec::new()
    };
    respond(StatusCode::OK, Some(&body), &headers)
}

/// The request's query string, re-encoded.
fn query(cx: &Ctx<'_>) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(cx.req.query.iter())
        .finish()
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
    // While an update runs, the origin shows its new settings and `Updating`; routing follows
    // the world's state, which changes when the update completes.
    let pending = w.origin_update_in_flight(&o.name).map(|(_, c)| c);
    let enabled = pending
        .and_then(|c| c.state)
        .unwrap_or(*o.state.at(t))
        .is_enabled();
    let (provisioning, deployment) = if pending.is_some() {
        ("Updating", "InProgress")
    } else {
        ("Succeeded", "NotStarted")
    };
    AfdOrigin {
        id: format!("{}/origins/{}", group_id(fd), o.name),
        name: o.name.clone(),
        resource_type: "Microsoft.Cdn/profiles/originGroups/origins".to_owned(),
        properties: AfdOriginProperties {
            host_name: Some(host.clone()),
            http_port: Some(80),
            https_port: Some(443),
            origin_host_header: Some(host),
            priority: Some(u32::from(
                pending.and_then(|c| c.priority).unwrap_or(o.priority),
            )),
            weight: Some(u32::from(
                pending.and_then(|c| c.weight).unwrap_or(o.weight),
            )),
            enabled_state: Some(if enabled { "Enabled" } else { "Disabled" }.to_owned()),
            enforce_certificate_name_check: Some(true),
            origin_group_name: Some(fd.origin_group.clone()),
            provisioning_state: Some(provisioning.to_owned()),
            deployment_status: Some(deployment.to_owned()),
        },
    }
}
