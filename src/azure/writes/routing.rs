//! Traffic Manager endpoint status and Front Door origin state: the calls that move traffic
//! between regions. A Traffic Manager endpoint PATCH answers at once (200 with the endpoint); a
//! Front Door origin PATCH is a long-running operation, followed to the end and then read back.
//!
//! Owns these calls and the ARM ids they take. It must not decide whether to call them.

use crate::azure::client::{AzureClient, Method};
use crate::azure::error::{Error, Result};
use crate::azure::lro::{self, LroClock, LroOptions, LroProgress, TokioClock};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::azure::wire::cdn::{AfdOrigin, AfdOriginPatch, AfdOriginProperties};
use crate::azure::wire::network::{TmEndpoint, TmEndpointPatch, TmEndpointProperties};
use crate::config::{Estate, TmEndpointType};

/// The id segment of an endpoint type, camelCase as Azure writes ids (`azureEndpoints`).
fn id_segment(t: TmEndpointType) -> &'static str {
    match t {
        TmEndpointType::AzureEndpoints => "azureEndpoints",
        TmEndpointType::ExternalEndpoints => "externalEndpoints",
        TmEndpointType::NestedEndpoints => "nestedEndpoints",
    }
}

/// The ARM id of the estate's Traffic Manager endpoint `endpoint`.
pub fn tm_endpoint_id(estate: &Estate, endpoint: &str) -> Option<String> {
    let tm = estate.traffic_manager.as_ref()?;
    let e = tm.endpoints.iter().find(|e| e.name == endpoint)?;
    let rg = ResourceGroupRef::of_region(estate.region(&tm.region)?);
    Some(rg.provider(
        "Microsoft.Network",
        &format!(
            "trafficManagerProfiles/{}/{}/{}",
            tm.profile,
            id_segment(e.endpoint_type),
            e.name
        ),
    ))
}

/// The ARM id of the estate's Front Door origin `origin`.
pub fn fd_origin_id(estate: &Estate, origin: &str) -> Option<String> {
    let fd = estate.front_door.as_ref()?;
    let o = fd.origins.iter().find(|o| o.name == origin)?;
    let rg = ResourceGroupRef::of_region(estate.region(&fd.region)?);
    Some(rg.provider(
        "Microsoft.Cdn",
        &format!(
            "profiles/{}/originGroups/{}/origins/{}",
            fd.profile, fd.origin_group, o.name
        ),
    ))
}

fn bad_id(what: &str, id: &str) -> Error {
    Error::Decode {
        what: what.to_owned(),
        detail: format!("{id:?} is not such an ARM id"),
    }
}

/// The PATCH path of an endpoint id: the type segment in the PascalCase the API's path takes
/// (`AzureEndpoints`), whatever case the id has (responses write `azureEndpoints`).
fn endpoint_path(endpoint_id: &str) -> Result<String> {
    let segs: Vec<&str> = endpoint_id.trim_end_matches('/').split('/').collect();
    let n = segs.len();
    let ok = n >= 4
        && segs[n - 4].eq_ignore_ascii_case("trafficManagerProfiles")
        && segs[..n - 4]
            .iter()
            .any(|s| s.eq_ignore_ascii_case("Microsoft.Network"));
    let kind = match segs.get(n.wrapping_sub(2)).map(|s| s.to_ascii_lowercase()) {
        Some(k) if ok && k == "azureendpoints" => "AzureEndpoints",
        Some(k) if ok && k == "externalendpoints" => "ExternalEndpoints",
        Some(k) if ok && k == "nestedendpoints" => "NestedEndpoints",
        _ => return Err(bad_id("Traffic Manager endpoint id", endpoint_id)),
    };
    let mut out: Vec<&str> = segs.clone();
    out[n - 2] = kind;
    Ok(out.join("/"))
}

/// Enables or disables a Traffic Manager endpoint (`endpointStatus`); returns the endpoint as
/// Traffic Manager answers it.
pub async fn set_tm_endpoint_status(
    client: &AzureClient,
    endpoint_id: &str,
    enabled: bool,
) -> Result<TmEndpoint> {
    let properties = TmEndpointProperties {
        endpoint_status: Some(if enabled { "Enabled" } else { "Disabled" }.to_owned()),
        ..TmEndpointProperties::default()
    };
    patch_tm_endpoint(client, endpoint_id, properties).await
}

/// PATCHes a Traffic Manager endpoint with only the given properties (status, priority,
/// weight); returns the endpoint.
pub async fn patch_tm_endpoint(
    client: &AzureClient,
    endpoint_id: &str,
    properties: TmEndpointProperties,
) -> Result<TmEndpoint> {
    let path = endpoint_path(endpoint_id)?;
    client
        .patch_json(&path, api::TRAFFIC_MANAGER, &TmEndpointPatch { properties })
        .await
}

/// Enables or disables a Front Door origin (`enabledState`), follows the update to its end, and
/// returns the origin as read afterwards.
pub async fn set_fd_origin_state(
    client: &AzureClient,
    origin_id: &str,
    enabled: bool,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
) -> Result<AfdOrigin> {
    set_fd_origin_state_with_clock(
        client,
        origin_id,
        enabled,
        options,
        progress,
        &TokioClock::start(),
    )
    .await
}

/// [`set_fd_origin_state`] with an injected clock for the waits.
pub async fn set_fd_origin_state_with_clock(
    client: &AzureClient,
    origin_id: &str,
    enabled: bool,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
    clock: &dyn LroClock,
) -> Result<AfdOrigin> {
    let lower = origin_id.to_ascii_lowercase();
    if !lower.contains("/providers/microsoft.cdn/profiles/")
        || !lower.contains("/origingroups/")
        || !lower.contains("/origins/")
    {
        return Err(bad_id("Front Door origin id", origin_id));
    }
    let patch = AfdOriginPatch {
        properties: AfdOriginProperties {
            enabled_state: Some(if enabled { "Enabled" } else { "Disabled" }.to_owned()),
            ..AfdOriginProperties::default()
        },
    };
    let body = serde_json::to_value(&patch).map_err(|e| Error::Decode {
        what: "request body".into(),
        detail: e.to_string(),
    })?;
    let first = client
        .begin(Method::Patch, origin_id, api::CDN, Some(&body))
        .await?;
    lro::wait_with_clock(client, first, options, progress, clock).await?;
    client.get_json(origin_id, api::CDN).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_from_the_estate_and_paths_take_pascal_case() {
        let e = Estate::demo();
        let id = tm_endpoint_id(&e, "primary-endpoint").expect("endpoint in the demo estate");
        assert!(
            id.ends_with("/providers/Microsoft.Network/trafficManagerProfiles/tm-functions-prod/azureEndpoints/primary-endpoint"),
            "{id}"
        );
        assert!(
            endpoint_path(&id)
                .expect("valid")
                .ends_with("/AzureEndpoints/primary-endpoint")
        );
        assert!(
            endpoint_path("/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/x")
                .is_err()
        );
        let o = fd_origin_id(&e, "origin-secondary").expect("origin");
        assert!(
            o.ends_with("/profiles/afd-functions-prod/originGroups/functions-origins/origins/origin-secondary"),
            "{o}"
        );
        assert_eq!(tm_endpoint_id(&e, "nope"), None);
    }
}
