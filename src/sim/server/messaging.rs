//! Microsoft.ServiceBus and Microsoft.EventHub: a Service Bus queue with its `countDetails`
//! (`namespaces/{ns}/queues/{queue}`; on the secondary namespace of a geo-DR pair the queue exists
//! with no messages, as entities replicate but messages do not), and the geo-DR alias as seen
//! from either namespace (`namespaces/{ns}/disasterRecoveryConfigs[/{alias}]`), with its role,
//! partner and pending replication operations.

use axum::http::Method;
use chrono::{DateTime, Utc};

use super::arm::{Ctx, Reply};
use super::conventions::errors::{no_such_path, resource_not_found};
use super::conventions::iso;
use crate::azure::wire::messaging::{
    CountDetails, DisasterRecoveryConfig, DisasterRecoveryProperties, SbQueue, SbQueueProperties,
};
use crate::config::QueueKind;
use crate::sim::world::{AliasState, NamespaceState, World};

/// Routes a Service Bus or Event Hubs request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
    let provider = cx.path.namespace.as_deref().unwrap_or_default();
    if cx.path.scope_is_resource() || rest.len() < 3 || !rest[0].eq_ignore_ascii_case("namespaces")
    {
        return Err(no_such_path(&cx.req.raw_path));
    }
    cx.expect_method(&Method::GET)?;
    let ns = w
        .namespace(rest[1])
        .filter(|n| {
            n.provider().eq_ignore_ascii_case(provider)
                && n.resource_group.eq_ignore_ascii_case(cx.resource_group())
        })
        .ok_or_else(|| {
            resource_not_found(
                &format!("{provider}/namespaces"),
                rest[1],
                cx.resource_group(),
            )
        })?;
    let kind = rest[2].to_ascii_lowercase();
    match (kind.as_str(), rest.len()) {
        ("queues", 4) if ns.kind == QueueKind::ServiceBus => queue(w, ns, rest[3], cx.t)
            .map_or_else(
                || {
                    Err(resource_not_found(
                        "Microsoft.ServiceBus/namespaces/queues",
                        &format!("{}/{}", ns.name, rest[3]),
                        cx.resource_group(),
                    ))
                },
                |q| cx.ok(&q),
            ),
        ("disasterrecoveryconfigs", 3) => {
            let items = w
                .aliases()
                .iter()
                .filter(|a| w.alias_on(&ns.name, &a.name).is_some())
                .map(|a| alias(w, ns, a, cx.t))
                .collect();
            cx.ok(&cx.page(w, items)?)
        }
        ("disasterrecoveryconfigs", 4) => w
            .alias_on(&ns.name, rest[3])
            .map(|a| alias(w, ns, a, cx.t))
            .map_or_else(
                || {
                    Err(resource_not_found(
                        &format!("{provider}/namespaces/disasterRecoveryConfigs"),
                        &format!("{}/{}", ns.name, rest[3]),
                        cx.resource_group(),
                    ))
                },
                |a| cx.ok(&a),
            ),
        _ => Err(no_such_path(&cx.req.raw_path)),
    }
}

/// The partner of `ns` in any alias, if it has one.
fn partner<'a>(w: &'a World, ns: &str) -> Option<&'a str> {
    w.aliases().iter().find_map(|a| {
        if a.primary_namespace.eq_ignore_ascii_case(ns) {
            Some(a.secondary_namespace.as_str())
        } else if a.secondary_namespace.eq_ignore_ascii_case(ns) {
            Some(a.primary_namespace.as_str())
        } else {
            None
        }
    })
}

fn queue(w: &World, ns: &NamespaceState, name: &str, t: DateTime<Utc>) -> Option<SbQueue> {
    let own = w
        .queue(&ns.name, name)
        .filter(|q| q.kind == QueueKind::ServiceBus);
    let replica = partner(w, &ns.name)
        .and_then(|p| w.queue(p, name))
        .filter(|q| q.kind == QueueKind::ServiceBus);
    let q = own.or(replica)?;
    let (active, dead) = if own.is_some() {
        (q.depth(), q.dead_letters())
    } else {
        (0, 0)
    };
    Some(SbQueue {
        id: format!("{}/queues/{}", ns.id(), q.name),
        name: q.name.clone(),
        resource_type: "Microsoft.ServiceBus/Namespaces/Queues".to_owned(),
        properties: SbQueueProperties {
            count_details: Some(CountDetails {
                active_message_count: active,
                dead_letter_message_count: dead,
                scheduled_message_count: 0,
                transfer_message_count: 0,
                transfer_dead_letter_message_count: 0,
            }),
            message_count: Some(active + dead),
            size_in_bytes: Some((active + dead) * 1_024),
            status: Some("Active".to_owned()),
            accessed_at: Some(iso(if own.is_some() {
                q.last_activity().min(t)
            } else {
                q.created()
            })),
            updated_at: Some(iso(q.created())),
            created_at: Some(iso(q.created())),
        },
    })
}

fn alias(
    w: &World,
    ns: &NamespaceState,
    a: &AliasState,
    t: DateTime<Utc>,
) -> DisasterRecoveryConfig {
    let primary = a.primary_namespace.eq_ignore_ascii_case(&ns.name);
    let partner_name = if primary {
        &a.secondary_namespace
    } else {
        &a.primary_namespace
    };
    let partner_id = w
        .namespace(partner_name)
        .map_or_else(|| partner_name.clone(), NamespaceState::id);
    let type_name = if ns.kind == QueueKind::EventHubs {
        "Microsoft.EventHub/Namespaces/disasterrecoveryconfigs"
    } else {
        "Microsoft.ServiceBus/Namespaces/disasterrecoveryconfigs"
    };
    DisasterRecoveryConfig {
        id: format!("{}/disasterRecoveryConfigs/{}", ns.id(), a.name),
        name: a.name.clone(),
        resource_type: type_name.to_owned(),
        properties: DisasterRecoveryProperties {
            provisioning_state: Some("Succeeded".to_owned()),
            pending_replication_operations_count: Some(w.pending_replication(a, t)),
            partner_namespace: Some(partner_id),
            alternate_name: None,
            role: Some(if primary { "Primary" } else { "Secondary" }.to_owned()),
        },
    }
}
