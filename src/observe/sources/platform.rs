//! Estate-wide sources: the Resource Graph inventory (which also gives every site's state),
//! Resource Health per resource group, and the activity log per resource group.

use std::collections::BTreeSet;

use chrono::Duration;

use crate::azure::reads::ResourceGroupRef;
use crate::observe::convert;

use super::{Ctx, fan_out};

/// The Resource Graph query for every site and slot of the estate's resource groups.
pub fn inventory_query(groups: &[String]) -> String {
    let list = groups
        .iter()
        .map(|g| format!("'{g}'"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "Resources | where type in~ ('microsoft.web/sites', 'microsoft.web/sites/slots') \
         | where resourceGroup in~ ({list}) \
         | project id, name, type, location, resourceGroup, subscriptionId, kind, properties"
    )
}

fn resource_groups(ctx: &Ctx) -> Vec<ResourceGroupRef> {
    let set: BTreeSet<(String, String)> = ctx
        .estate
        .regions
        .iter()
        .map(|r| (r.subscription_id.clone(), r.resource_group.clone()))
        .collect();
    set.into_iter()
        .map(|(subscription, resource_group)| ResourceGroupRef {
            subscription,
            resource_group,
        })
        .collect()
}

/// Refreshes the inventory and site states.
pub async fn inventory(ctx: &Ctx) {
    let subs: Vec<String> = ctx
        .estate
        .subscriptions
        .iter()
        .map(|s| s.id.clone())
        .collect();
    let groups: Vec<String> = ctx
        .estate
        .regions
        .iter()
        .map(|r| r.resource_group.clone())
        .collect();
    let result = ctx
        .client
        .resource_graph(&subs, &inventory_query(&groups))
        .await;
    let now = ctx.clock.now();
    ctx.update(|snap| match result {
        Ok(rows) => {
            for app in &mut snap.apps {
                let row = rows.iter().find(|r| {
                    r.name.eq_ignore_ascii_case(&app.name)
                        && r.resource_type.eq_ignore_ascii_case("microsoft.web/sites")
                });
                match row {
                    Some(row) => app.site.set(convert::site_info(row), now),
                    None => app.site.fail("not found in Resource Graph", now),
                }
            }
            snap.inventory
                .set(rows.iter().map(convert::inventory_item).collect(), now);
        }
        Err(e) => {
            let msg = e.to_string();
            for app in &mut snap.apps {
                app.site.fail(msg.clone(), now);
            }
            snap.inventory.fail(msg, now);
        }
    });
}

/// Refreshes Resource Health, one request per resource group.
pub async fn resource_health(ctx: &Ctx) {
    let client = ctx.client.clone();
    let results = fan_out(resource_groups(ctx), move |rg| {
        let client = client.clone();
        async move {
            let r = client
                .resource_health_in_group(&rg.subscription, &rg.resource_group)
                .await;
            (rg, r)
        }
    })
    .await;
    let now = ctx.clock.now();
    let estate = ctx.estate.clone();
    ctx.update(|snap| {
        for (rg, result) in results {
            for app in &mut snap.apps {
                let Some(cfg) = estate.app(&app.name) else {
                    continue;
                };
                if ResourceGroupRef::of_app(&estate, cfg) != rg {
                    continue;
                }
                let id = estate.app_id(cfg).to_ascii_lowercase();
                match &result {
                    Ok(list) => match list.iter().find(|s| convert::status_resource_id(s) == id) {
                        Some(s) => app.platform.set(convert::platform_health(s), now),
                        None => app.platform.fail("no availability status reported", now),
                    },
                    Err(e) => app.platform.fail(e.to_string(), now),
                }
            }
        }
    });
}

/// How far back the activity log is read.
const ACTIVITY_WINDOW_HOURS: i64 = 6;

/// Refreshes the activity log, one query per resource group.
pub async fn activity(ctx: &Ctx) {
    let now = ctx.clock.now();
    let from = now - Duration::hours(ACTIVITY_WINDOW_HOURS);
    let client = ctx.client.clone();
    let results = fan_out(resource_groups(ctx), move |rg| {
        let client = client.clone();
        async move {
            client
                .activity_log(&rg.subscription, &rg.resource_group, from, now)
                .await
        }
    })
    .await;
    ctx.update(|snap| {
        let mut events = Vec::new();
        for r in results {
            match r {
                Ok(list) => events.extend(list.iter().filter_map(convert::activity_event)),
                Err(e) => {
                    snap.activity.fail(e.to_string(), now);
                    return;
                }
            }
        }
        events.sort_by_key(|e| std::cmp::Reverse(e.at));
        snap.activity.set(events, now);
    });
}
