//! Routing and data-state sources: Traffic Manager and Front Door, queue lag, storage
//! geo-replication and messaging geo-DR aliases.

use crate::azure::reads::ResourceGroupRef;
use crate::config::{Queue, QueueKind};
use crate::observe::convert;

use super::{Ctx, fan_out};

/// How many depth readings a queue keeps for its trend.
pub const QUEUE_HISTORY: usize = 40;

fn region_rg(ctx: &Ctx, region: &str) -> Option<ResourceGroupRef> {
    ctx.estate.region(region).map(ResourceGroupRef::of_region)
}

/// Reads the Traffic Manager profile and the Front Door origins.
pub async fn routes(ctx: &Ctx) {
    let estate = ctx.estate.clone();
    let now_tm = if let Some(tm) = &estate.traffic_manager {
        match region_rg(ctx, &tm.region) {
            Some(rg) => Some(ctx.client.get_tm_profile(&rg, &tm.profile).await),
            None => None,
        }
    } else {
        None
    };
    let fd = if let Some(fd) = &estate.front_door {
        match region_rg(ctx, &fd.region) {
            Some(rg) => Some(
                ctx.client
                    .list_afd_origins(&rg, &fd.profile, &fd.origin_group)
                    .await,
            ),
            None => None,
        }
    } else {
        None
    };
    let now = ctx.clock.now();
    ctx.update(|snap| {
        if let (Some((_, obs)), Some(r), Some(cfg)) = (
            snap.routes.traffic_manager.as_mut(),
            now_tm,
            estate.traffic_manager.as_ref(),
        ) {
            match r {
                Ok(profile) => obs.set(
                    cfg.endpoints
                        .iter()
                        .filter_map(|e| {
                            profile
                                .properties
                                .endpoints
                                .iter()
                                .find(|w| w.name == e.name)
                                .map(|w| convert::tm_route(w, &e.app))
                        })
                        .collect(),
                    now,
                ),
                Err(e) => obs.fail(e.to_string(), now),
            }
        }
        if let (Some((_, obs)), Some(r), Some(cfg)) = (
            snap.routes.front_door.as_mut(),
            fd,
            estate.front_door.as_ref(),
        ) {
            match r {
                Ok(origins) => obs.set(
                    cfg.origins
                        .iter()
                        .filter_map(|o| {
                            origins
                                .iter()
                                .find(|w| w.name == o.name)
                                .map(|w| convert::afd_route(w, &o.app))
                        })
                        .collect(),
                    now,
                ),
                Err(e) => obs.fail(e.to_string(), now),
            }
        }
    });
}

/// One queue's reading: depth and the oldest message's insertion time.
type QueueReading = (
    Result<u64, String>,
    Result<Option<chrono::DateTime<chrono::Utc>>, String>,
);

/// Reads every queue's depth (and, for Storage queues, the oldest message).
pub async fn queues(ctx: &Ctx) {
    let client = ctx.client.clone();
    let queues = ctx.queues.clone();
    let estate = ctx.estate.clone();
    let items: Vec<(usize, Queue)> = ctx.estate.queues.iter().cloned().enumerate().collect();
    let results = fan_out(items, move |(i, q)| {
        let client = client.clone();
        let queues = queues.clone();
        let estate = estate.clone();
        async move {
            let reading: QueueReading = match q.kind {
                QueueKind::Storage => {
                    let base = estate.endpoints.queue.replace("{account}", &q.account);
                    match url::Url::parse(&base) {
                        Ok(base) => {
                            let depth = queues
                                .queue_metadata(&base, &q.name)
                                .await
                                .map_err(|e| e.to_string());
                            let oldest = queues
                                .peek_oldest(&base, &q.name)
                                .await
                                .map(|m| m.map(|m| m.insertion_time))
                                .map_err(|e| e.to_string());
                            (depth, oldest)
                        }
                        Err(e) => {
                            let msg = format!("queue endpoint {base:?}: {e}");
                            (Err(msg.clone()), Err(msg))
                        }
                    }
                }
                QueueKind::ServiceBus => {
                    let r = match estate.region(&q.region).map(ResourceGroupRef::of_region) {
                        Some(rg) => client
                            .get_sb_queue(&rg, &q.account, &q.name)
                            .await
                            .map(|sb| {
                                sb.properties
                                    .count_details
                                    .map_or(sb.properties.message_count.unwrap_or(0), |c| {
                                        c.active_message_count
                                    })
                            })
                            .map_err(|e| e.to_string()),
                        None => Err(format!("region {} not in estate", q.region)),
                    };
                    (r, Ok(None))
                }
                // Event Hubs consumer lag has no ARM counter (it needs the checkpoint store); the
                // alias and namespace state stand in for it. Nothing is read, nothing fails.
                QueueKind::EventHubs => return (i, None),
            };
            (i, Some(reading))
        }
    })
    .await;
    let now = ctx.clock.now();
    ctx.update(|snap| {
        for (i, reading) in results {
            let (Some(q), Some((depth, oldest))) = (snap.queues.get_mut(i), reading) else {
                continue;
            };
            match depth {
                Ok(d) => {
                    q.depth.set(d, now);
                    q.history.push((now, d));
                    if q.history.len() > QUEUE_HISTORY {
                        q.history.remove(0);
                    }
                }
                Err(e) => q.depth.fail(e, now),
            }
            match oldest {
                Ok(o) => q.oldest.set(o, now),
                Err(e) => q.oldest.fail(e, now),
            }
        }
    });
}

/// Reads every storage account's replication state.
pub async fn storage(ctx: &Ctx) {
    let client = ctx.client.clone();
    let estate = ctx.estate.clone();
    let items = ctx.estate.storage_accounts.clone();
    let results = fan_out(items, move |s| {
        let client = client.clone();
        let rg = estate.region(&s.region).map(ResourceGroupRef::of_region);
        async move {
            let r = match rg {
                Some(rg) => client
                    .get_storage_account(&rg, &s.name)
                    .await
                    .map_err(|e| e.to_string()),
                None => Err(format!("region {} not in estate", s.region)),
            };
            (s.name, r)
        }
    })
    .await;
    let now = ctx.clock.now();
    ctx.update(|snap| {
        for (name, r) in results {
            if let Some(s) = snap.storage.iter_mut().find(|s| s.name == name) {
                match r {
                    Ok(a) => s.state.set(convert::storage_facts(&a), now),
                    Err(e) => s.state.fail(e, now),
                }
            }
        }
    });
}

/// Reads every geo-DR alias on its configured primary namespace. When that read fails or no
/// longer says Primary (after a failover the alias is gone from the old primary), the secondary
/// namespace is read too, and if it is primary now the alias is shown from there.
pub async fn aliases(ctx: &Ctx) {
    let client = ctx.client.clone();
    let estate = ctx.estate.clone();
    let items = ctx.estate.geo_dr_aliases.clone();
    let results = fan_out(items, move |g| {
        let client = client.clone();
        let estate = estate.clone();
        async move {
            let read = |namespace: String, region: String| {
                let client = client.clone();
                let rg = estate.region(&region).map(ResourceGroupRef::of_region);
                let (kind, alias) = (g.kind, g.name.clone());
                async move {
                    match rg {
                        Some(rg) => client
                            .get_dr_config(kind, &rg, &namespace, &alias)
                            .await
                            .map_err(|e| e.to_string()),
                        None => Err(format!("region {region} not in estate")),
                    }
                }
            };
            let is_primary =
                |r: &Result<crate::azure::wire::messaging::DisasterRecoveryConfig, String>| {
                    r.as_ref().is_ok_and(|c| {
                        c.properties
                            .role
                            .as_deref()
                            .is_some_and(|role| role.starts_with("Primary"))
                    })
                };
            let first = read(g.primary_namespace.clone(), g.primary_region.clone()).await;
            if !is_primary(&first) {
                let other = read(g.secondary_namespace.clone(), g.secondary_region.clone()).await;
                if is_primary(&other) {
                    return (g.name, g.secondary_namespace, other);
                }
            }
            (g.name, g.primary_namespace, first)
        }
    })
    .await;
    let now = ctx.clock.now();
    ctx.update(|snap| {
        for (name, primary, r) in results {
            if let Some(a) = snap.aliases.iter_mut().find(|a| a.name == name) {
                a.primary_namespace = primary;
                match r {
                    Ok(c) => a.state.set(convert::alias_facts(&c), now),
                    Err(e) => a.state.fail(e, now),
                }
            }
        }
    });
}
