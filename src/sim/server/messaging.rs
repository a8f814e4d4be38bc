//! Microsoft.ServiceBus and Microsoft.EventHub: a Service Bus queue with its `countDetails`
//! (`namespaces/{ns}/queues/{queue}`; on the secondary namespace of a geo-DR pair the queue exists
//! with no messages, as entities replicate but messages do not), and the geo-DR alias as seen
//! from either namespace (`namespaces/{ns}/disasterRecoveryConfigs[/{alias}]`), with its role,
//! partner and pending replication operations; and the alias writes: `…/{alias}/failover` (on the
//! secondary; Service Bus takes an optional `{"properties":{"IsSafeFailover":true}}`) and
//! `…/{alias}/breakPairing` (on the primary), each 200 at once and settled in virtual time
//! (`provisioningState` `Accepted` meanwhile).

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Utc};

use super::arm::{Ctx, Reply};
use super::conventions::errors::{no_such_path, resource_not_found};
use super::conventions::iso;
use super::operations::{API_CALLER, infra_error, optional_body, respond};
use crate::azure::wire::messaging::{
    CountDetails, DisasterRecoveryConfig, DisasterRecoveryProperties, FailoverRequest, SbQueue,
    SbQueueProperties,
};
use crate::config::QueueKind;
use crate::sim::world::{AliasView, NamespaceState, World};

/// Routes a Service Bus or Event Hubs request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
    let provider = cx.path.namespace.as_deref().unwrap_or_default();
    if cx.path.scope_is_resource() || rest.len() < 3 || !rest[0].eq_ignore_ascii_case("namespaces")
    {
        return Err(no_such_path(&cx.req.raw_path));
    }
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
    if kind == "disasterrecoveryconfigs" && rest.len() == 5 {
        cx.expect_method(&Method::POST)?;
        let ns = ns.clone();
        return alias_action(w, cx, &ns, rest[3], rest[4]);
    }
    cx.expect_method(&Method::GET)?;
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
                .filter_map(|a| {
                    let view = w.alias_view(&ns.name, &a.name, cx.t)?;
                    Some(alias(w, ns, &a.name, &view))
                })
                .collect();
            cx.ok(&cx.page(w, items)?)
        }
        ("disasterrecoveryconfigs", 4) => w
            .alias_view(&ns.name, rest[3], cx.t)
            .and_then(|view| {
                let name = w.alias_on(&ns.name, rest[3])?.name.clone();
                Some(alias(w, ns, &name, &view))
            })
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

/// `POST …/disasterRecoveryConfigs/{alias}/failover` or `…/breakPairing`.
fn alias_action(
    w: &mut World,
    cx: &Ctx<'_>,
    ns: &NamespaceState,
    alias: &str,
    action: &str,
) -> Reply {
    if w.alias_view(&ns.name, alias, cx.t).is_none() {
        return Err(resource_not_found(
            &format!("{}/namespaces/disasterRecoveryConfigs", ns.provider()),
            &format!("{}/{alias}", ns.name),
            cx.resource_group(),
        ));
    }
    let started = if action.eq_ignore_ascii_case("failover") {
        // Event Hubs' failover (2024-01-01) takes no body; a body sent anyway is not read.
        let safe = if ns.kind == QueueKind::ServiceBus {
            let req: FailoverRequest = optional_body(cx)?;
            req.properties
                .and_then(|p| p.is_safe_failover)
                .unwrap_or(false)
        } else {
            false
        };
        w.begin_alias_failover(&ns.name, alias, safe, API_CALLER)
    } else if action.eq_ignore_ascii_case("breakPairing") {
        w.begin_break_pairing(&ns.name, alias, API_CALLER)
    } else {
        return Err(no_such_path(&cx.req.raw_path));
    };
    started.map_err(infra_error)?;
    respond::<()>(StatusCode::OK, None, &[])
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

fn alias(w: &World, ns: &NamespaceState, name: &str, view: &AliasView) -> DisasterRecoveryConfig {
    // A broken pairing leaves the partner empty, as Azure reports it.
    let partner_id = view.partner.as_ref().map_or_else(String::new, |p| {
        w.namespace(p).map_or_else(|| p.clone(), NamespaceState::id)
    });
    let type_name = if ns.kind == QueueKind::EventHubs {
        "Microsoft.EventHub/Namespaces/disasterrecoveryconfigs"
    } else {
        "Microsoft.ServiceBus/Namespaces/disasterrecoveryconfigs"
    };
    DisasterRecoveryConfig {
        id: format!("{}/disasterRecoveryConfigs/{name}", ns.id()),
        name: name.to_owned(),
        resource_type: type_name.to_owned(),
        properties: DisasterRecoveryProperties {
            provisioning_state: Some(view.provisioning.to_owned()),
            pending_replication_operations_count: Some(view.pending),
            partner_namespace: Some(partner_id),
            alternate_name: None,
            role: Some(view.role.to_owned()),
        },
    }
}
