//! Microsoft.Storage: a storage account (`storageAccounts/{name}`), with `geoReplicationStats`
//! when asked with `$expand=geoReplicationStats` and the SKU is geo-redundant: last sync time (now
//! minus the replication lag, which grows while replication is stalled), status, and whether a
//! failover is possible.

use axum::http::Method;
use chrono::{DateTime, Utc};

use super::arm::{Ctx, Reply};
use super::conventions::errors::{no_such_path, resource_not_found};
use super::conventions::iso;
use crate::azure::wire::storage::{
    GeoReplicationStats, StorageAccount, StorageAccountProperties, StorageSku,
};
use crate::sim::world::World;

/// Routes a Microsoft.Storage request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
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
            last_geo_failover_time: None,
            geo_replication_stats: view.geo.filter(|_| expand).map(|g| GeoReplicationStats {
                status: Some(g.status.to_owned()),
                last_sync_time: Some(iso(g.last_sync)),
                can_failover: Some(g.can_failover),
                can_planned_failover: Some(g.can_planned_failover),
                post_failover_redundancy: Some(s.post_failover_redundancy().to_owned()),
                post_planned_failover_redundancy: Some(s.sku().to_owned()),
            }),
        },
    })
}
