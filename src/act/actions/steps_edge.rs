//! Step builders for traffic and alerting: Traffic Manager endpoint status, Front Door origin
//! state and the alert processing rule that holds notifications. Shared by the routing,
//! suppression and failover actions; re-exported through [`super::steps`].

use chrono::{DateTime, Utc};
use serde_json::json;

use super::super::effect::Effect;
use super::super::plan::{PlanStep, RestCall};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::config::{Estate, FdOrigin, Region, TmEndpoint};

/// The ARM id of a Traffic Manager endpoint.
pub fn tm_endpoint_id(estate: &Estate, ep: &TmEndpoint) -> Option<String> {
    let tm = estate.traffic_manager.as_ref()?;
    let rg = ResourceGroupRef::of_region(estate.region(&tm.region)?);
    Some(rg.provider(
        "Microsoft.Network",
        &format!(
            "trafficManagerProfiles/{}/{:?}/{}",
            tm.profile, ep.endpoint_type, ep.name
        ),
    ))
}

/// The `az` type word of an endpoint (`azureEndpoints`).
fn az_type(ep: &TmEndpoint) -> String {
    let ty = format!("{:?}", ep.endpoint_type);
    format!("{}{}", ty[..1].to_ascii_lowercase(), &ty[1..])
}

/// The read-only `az` command that shows a Traffic Manager endpoint's status.
pub fn tm_show(estate: &Estate, ep: &TmEndpoint) -> Option<String> {
    let tm = estate.traffic_manager.as_ref()?;
    let rg = ResourceGroupRef::of_region(estate.region(&tm.region)?);
    Some(format!(
        "az network traffic-manager endpoint show --resource-group {} --profile-name {} --type {} --name {} --query endpointStatus",
        rg.resource_group,
        tm.profile,
        az_type(ep),
        ep.name
    ))
}

/// Enable or disable a Traffic Manager endpoint.
pub fn tm_status(estate: &Estate, ep: &TmEndpoint, enabled: bool) -> Option<PlanStep> {
    let tm = estate.traffic_manager.as_ref()?;
    let rg = ResourceGroupRef::of_region(estate.region(&tm.region)?);
    let id = tm_endpoint_id(estate, ep)?;
    let word = if enabled { "Enabled" } else { "Disabled" };
    let az_type = az_type(ep);
    Some(PlanStep {
        what: format!(
            "{} Traffic Manager endpoint {} of {} (routes to {})",
            if enabled { "Enable" } else { "Disable" },
            ep.name,
            tm.profile,
            ep.app
        ),
        call: Some(RestCall::arm(
            "PATCH",
            id.clone(),
            api::TRAFFIC_MANAGER,
            Some(json!({"properties": {"endpointStatus": word}})),
        )),
        az: Some(format!(
            "az network traffic-manager endpoint update --resource-group {} --profile-name {} --type {az_type} --name {} --endpoint-status {word}",
            rg.resource_group, tm.profile, ep.name
        )),
        effect: Effect::TmStatus {
            endpoint_id: id,
            enabled,
        },
    })
}

/// The ARM id of a Front Door origin.
pub fn fd_origin_id(estate: &Estate, origin: &FdOrigin) -> Option<String> {
    let fd = estate.front_door.as_ref()?;
    let rg = ResourceGroupRef::of_region(estate.region(&fd.region)?);
    Some(rg.provider(
        "Microsoft.Cdn",
        &format!(
            "profiles/{}/originGroups/{}/origins/{}",
            fd.profile, fd.origin_group, origin.name
        ),
    ))
}

/// The read-only `az` command that shows a Front Door origin's enabled state.
pub fn fd_show(estate: &Estate, origin: &FdOrigin) -> Option<String> {
    let fd = estate.front_door.as_ref()?;
    let rg = ResourceGroupRef::of_region(estate.region(&fd.region)?);
    Some(format!(
        "az afd origin show --resource-group {} --profile-name {} --origin-group-name {} --origin-name {} --query enabledState",
        rg.resource_group, fd.profile, fd.origin_group, origin.name
    ))
}

/// Enable or disable a Front Door origin.
pub fn fd_state(estate: &Estate, origin: &FdOrigin, enabled: bool) -> Option<PlanStep> {
    let fd = estate.front_door.as_ref()?;
    let rg = ResourceGroupRef::of_region(estate.region(&fd.region)?);
    let id = fd_origin_id(estate, origin)?;
    let word = if enabled { "Enabled" } else { "Disabled" };
    Some(PlanStep {
        what: format!(
            "{} Front Door origin {} in {}/{} (routes to {}), polled until deployed",
            if enabled { "Enable" } else { "Disable" },
            origin.name,
            fd.profile,
            fd.origin_group,
            origin.app
        ),
        call: Some(RestCall::arm(
            "PATCH",
            id.clone(),
            api::CDN,
            Some(json!({"properties": {"enabledState": word}})),
        )),
        az: Some(format!(
            "az afd origin update --resource-group {} --profile-name {} --origin-group-name {} --origin-name {} --enabled-state {word}",
            rg.resource_group, fd.profile, fd.origin_group, origin.name
        )),
        effect: Effect::FdState {
            origin_id: id,
            enabled,
        },
    })
}

/// The alert processing rule's name for a region.
pub fn suppress_rule_name(region: &Region) -> String {
    format!("warroom-suppress-{}", region.name)
}

/// Put (with a window) or remove the alert processing rule on a region's resource group.
pub fn alert_rule(region: &Region, window: Option<(DateTime<Utc>, DateTime<Utc>)>) -> PlanStep {
    let rg = ResourceGroupRef::of_region(region);
    let name = suppress_rule_name(region);
    let id = rg.provider("Microsoft.AlertsManagement", &format!("actionRules/{name}"));
    let scope = rg.path();
    let fmt = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let (what, call, az) = match window {
        Some((from, until)) => (
            format!(
                "Suppress alert notifications for resource group {} from {} to {} UTC",
                rg.resource_group,
                from.format("%H:%M"),
                until.format("%H:%M")
            ),
            RestCall::arm(
                "PUT",
                id.clone(),
                api::ALERT_RULES,
                Some(json!({
                    "location": "Global",
                    "properties": {
                        "scopes": [scope],
                        "actions": [{"actionType": "RemoveAllActionGroups"}],
                        "schedule": {"effectiveFrom": fmt(from), "effectiveUntil": fmt(until), "timeZone": "UTC"},
                        "description": "warroom: notifications held during a controlled switch",
                        "enabled": true
                    }
                })),
            ),
            format!(
                "az monitor alert-processing-rule create --resource-group {} --name {name} --rule-type RemoveAllActionGroups --scopes {scope} --schedule-start-datetime \"{}\" --schedule-end-datetime \"{}\" --schedule-time-zone UTC --description \"warroom: notifications held during a controlled switch\"",
                rg.resource_group,
                from.format("%Y-%m-%d %H:%M:%S"),
                until.format("%Y-%m-%d %H:%M:%S")
            ),
        ),
        None => (
            format!(
                "Remove the alert suppression rule {name} from {}",
                rg.resource_group
            ),
            RestCall::arm("DELETE", id.clone(), api::ALERT_RULES, None),
            format!(
                "az monitor alert-processing-rule delete --resource-group {} --name {name} --yes",
                rg.resource_group
            ),
        ),
    };
    PlanStep {
        what,
        call: Some(call),
        az: Some(az),
        effect: Effect::AlertRule {
            id,
            scopes: vec![scope],
            on: window.is_some(),
            window,
        },
    }
}
