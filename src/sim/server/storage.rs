//! Microsoft.Storage: a storage account (`storageAccounts/{name}`), with `geoReplicationStats`
//! when asked with `$expand=geoReplicationStats` and the SKU is geo-redundant: last sync time (now
//! minus the replication lag, which grows while replication is stalled), status, and whether a
//! failover is possible. The account failover (`POST …/failover[?failoverType=Planned]`): 202 with
//! a `Location` (`/subscriptions/{s}/providers/Microsoft.Storage/locations/{loc}/asyncoperations/
//! {id}?monitor=true`) that answers 202 until the failover completes in virtual time, then 200;
//! 409 when one runs or the account cannot fail over.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};

use super::arm::{Ctx, Reply};
use super::conventions::errors::{no_such_path, resource_not_found};
use super::conventions::iso;
use super::operations::{
    API_CALLER, api_version, infra_error, invalid, respond, retry_after, status_body,
};
use crate::azure::wire::storage::{
    GeoReplicationStats, StorageAccount, StorageAccountProperties, StorageSku,
};
use crate::sim::world::{OpKind, OpPhase, World};

/// Routes a Microsoft.Storage request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
    if cx.path.resource_group().is_none()
        && rest.len() == 4
        && rest[0].eq_ignore_ascii_case("locations")
        && rest[2].eq_ignore_ascii_case("asyncoperations")
    {
        cx.expect_method(&Method::GET)?;
        return operation_result(w, cx, rest[3]);
    }
    if rest.len() == 3
        && rest[0].eq_ignore_ascii_case("storageAccounts")
        && rest[2].eq_ignore_ascii_case("failover")
        && !cx.path.scope_is_resource()
    {
        cx.expect_method(&Method::POST)?;
        return failover(w, cx, rest[1]);
    }
    if cx.path.scope_is_resource()
        || rest.len() != 2
        || !rest[0].eq_ignore_ascii_case("storageAccounts")
    {
        return Err(no_such_path(&cx.req.raw_path));
    }
    cx.expect_method(&Method::GET)?;
    let expand = cx.req.param("$expand").is_some_and(|e| {
        e.split(',')
            .any(|x| x.trim().eq_ignore_ascii_case("geoReplicationStats"))
    });
    account(w, rest[1], cx.resource_group(), expand, cx.t).map_or_else(
        || {
            Err(resource_not_found(
                "Microsoft.Storage/storageAccounts",
                rest[1],
                cx.resource_group(),
            ))
        },
        |a| cx.ok(&a),
    )
}

/// `POST …/storageAccounts/{name}/failover`: starts the failover; 202 with its `Location`.
fn failover(w: &mut World, cx: &Ctx<'_>, name: &str) -> Reply {
    let Some(location) = w
        .storage_account(name)
        .filter(|s| s.resource_group.eq_ignore_ascii_case(cx.resource_group()))
        .map(|s| (s.location.clone(), s.subscription_id.clone()))
    else {
        return Err(resource_not_found(
            "Microsoft.Storage/storageAccounts",
            name,
            cx.resource_group(),
        ));
    };
    let planned = match cx.req.param("failoverType") {
        None => false,
        Some(t) if t.eq_ignore_ascii_case("Planned") => true,
        Some(t) => {
            return Err(invalid(
                "InvalidValuesForRequestParameters",
                "failoverType",
                format!(
                    "The value '{t}' of the query parameter 'failoverType' is not valid: the only value is 'Planned'."
                ),
            ));
        }
    };
    let id = w
        .begin_storage_failover(name, planned, API_CALLER)
        .map_err(infra_error)?;
    let (loc, sub) = location;
    let status = format!(
        "{}/subscriptions/{sub}/providers/Microsoft.Storage/locations/{loc}/asyncoperations/{id}?monitor=true&api-version={}",
        cx.base_url,
        api_version(cx)
    );
    let wait = retry_after(w.op_timings().storage_failover);
    respond::<()>(
        StatusCode::ACCEPTED,
        None,
        &[("location", status), ("retry-after", wait)],
    )
}

/// `GET …/locations/{loc}/asyncoperations/{id}`: with `monitor=true`, 202 until the failover is
/// done, then 200 with no body; without it, the operation's status body.
fn operation_result(w: &World, cx: &Ctx<'_>, id: &str) -> Reply {
    let op = w
        .operation(id)
        .filter(|op| matches!(op.kind, OpKind::StorageFailover { .. }))
        .ok_or_else(|| no_such_path(&cx.req.raw_path))?;
    let phase = op.phase_at(cx.t);
    let wait = retry_after(w.op_timings().storage_failover);
    let monitor = cx
        .req
        .param("monitor")
        .is_some_and(|m| m.eq_ignore_ascii_case("true"));
    match (monitor, phase == OpPhase::InProgress) {
        (true, true) => {
            let own = format!(
                "{}{}?monitor=true&api-version={}",
                cx.base_url,
                cx.req.raw_path,
                api_version(cx)
            );
            respond::<()>(
                StatusCode::ACCEPTED,
                None,
                &[("location", own), ("retry-after", wait)],
            )
        }
        (true, false) => respond::<()>(StatusCode::OK, None, &[]),
        (false, running) => {
            let headers = if running {
                vec![("retry-after", wait)]
            } else {
                Vec::new()
            };
            respond(
                StatusCode::OK,
                Some(&status_body(op, cx.t, &cx.req.raw_path)),
                &headers,
            )
        }
    }
}

/// The account body at `t`, if the account is in that resource group.
pub(crate) fn account(
    w: &World,
    name: &str,
    rg: &str,
    expand: bool,
    t: DateTime<Utc>,
) -> Option<StorageAccount> {
    let s = w
        .storage_account(name)
        .filter(|s| s.resource_group.eq_ignore_ascii_case(rg))?;
    let view = w.storage_view(&s.name, t)?;
    let failing_over = w.storage_failover_in_flight(&s.name).is_some();
    let last_failover = w.last_storage_failover(&s.name, t).map(|f| iso(f.at));
    let availability = |up: bool| if up { "available" } else { "unavailable" }.to_owned();
    Some(StorageAccount {
        id: s.id(),
        name: s.name.clone(),
        resource_type: "Microsoft.Storage/storageAccounts".to_owned(),
        location: s.location.clone(),
        kind: Some("StorageV2".to_owned()),
        sku: StorageSku {
            name: s.sku().to_owned(),
            tier: Some("Standard".to_owned()),
        },
        properties: StorageAccountProperties {
            provisioning_state: Some("Succeeded".to_owned()),
            primary_location: Some(s.location.clone()),
            status_of_primary: Some(availability(view.primary_available)),
            secondary_location: s.secondary_location.clone(),
            status_of_secondary: s.secondary_location.as_ref().map(|_| availability(true)),
            last_geo_failover_time: last_failover,
            failover_in_progress: failing_over.then_some(true),
            geo_replication_stats: view.geo.filter(|_| expand).map(|g| GeoReplicationStats {
                status: Some(g.status.to_owned()),
                last_sync_time: Some(iso(g.last_sync)),
                can_failover: Some(g.can_failover && !failing_over),
                can_planned_failover: Some(g.can_planned_failover && !failing_over),
                post_failover_redundancy: Some(s.post_failover_redundancy().to_owned()),
                post_planned_failover_redundancy: Some(s.sku().to_owned()),
            }),
        },
    })
}
