//! Service Bus / Event Hubs geo-DR alias failover, called on the secondary namespace, and break
//! pairing, called on the primary; and the wait until the alias has settled. Both calls answer
//! 200 at once; the alias then shows `provisioningState: Accepted` until the change is done, after
//! which the namespace it was called on (a failover's former secondary) is
//! `PrimaryNotReplicating` with no partner, and the other namespace no longer has the alias.
//!
//! Owns these calls and the ARM ids they take. It must not decide whether to call them.

use crate::azure::client::{AzureClient, Method};
use crate::azure::error::{Error, Result};
use crate::azure::lro::{LroClock, LroOptions, LroProgress, TokioClock};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::azure::wire::messaging::{DisasterRecoveryConfig, FailoverProperties, FailoverRequest};
use crate::config::{Estate, QueueKind};

/// Which namespace of a pairing an alias id is taken on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasSide {
    /// The estate's primary namespace (break pairing is called here).
    Primary,
    /// The estate's secondary namespace (failover is called here).
    Secondary,
}

/// The ARM id of the estate's geo-DR alias `alias` on its primary or secondary namespace.
pub fn alias_id(estate: &Estate, alias: &str, side: AliasSide) -> Option<String> {
    let a = estate.geo_dr_aliases.iter().find(|a| a.name == alias)?;
    let (namespace, region) = match side {
        AliasSide::Primary => (&a.primary_namespace, &a.primary_region),
        AliasSide::Secondary => (&a.secondary_namespace, &a.secondary_region),
    };
    let rg = ResourceGroupRef::of_region(estate.region(region)?);
    let provider = match a.kind {
        QueueKind::EventHubs => "Microsoft.EventHub",
        QueueKind::ServiceBus | QueueKind::Storage => "Microsoft.ServiceBus",
    };
    Some(rg.provider(
        provider,
        &format!("namespaces/{namespace}/disasterRecoveryConfigs/{}", a.name),
    ))
}

fn check_alias_id(alias_id: &str) -> Result<bool> {
    let lower = alias_id.to_ascii_lowercase();
    let event_hubs = lower.contains("/providers/microsoft.eventhub/namespaces/");
    let service_bus = lower.contains("/providers/microsoft.servicebus/namespaces/");
    if (event_hubs || service_bus) && lower.contains("/disasterrecoveryconfigs/") {
        Ok(event_hubs)
    } else {
        Err(Error::Decode {
            what: "geo-DR alias id".to_owned(),
            detail: format!("{alias_id:?} is not such an ARM id"),
        })
    }
}

/// Fails the alias over to the namespace `secondary_alias_id` is on (which must be the
/// secondary). `safe` asks Service Bus to finish pending replication first (Event Hubs'
/// 2024-01-01 failover takes no body, so `safe` is not sent there). Returns once accepted; see
/// [`wait_alias_settled`].
pub async fn alias_failover(
    client: &AzureClient,
    secondary_alias_id: &str,
    safe: bool,
) -> Result<()> {
    let event_hubs = check_alias_id(secondary_alias_id)?;
    let body = (!event_hubs)
        .then(|| {
            serde_json::to_value(FailoverRequest {
                properties: Some(FailoverProperties {
                    is_safe_failover: Some(safe),
                }),
            })
        })
        .transpose()
        .map_err(|e| Error::Decode {
            what: "request body".into(),
            detail: e.to_string(),
        })?;
    let path = format!("{}/failover", secondary_alias_id.trim_end_matches('/'));
    client
        .begin(Method::Post, &path, api::MESSAGING, body.as_ref())
        .await?;
    Ok(())
}

/// Breaks the pairing, called on the primary namespace's alias; the primary keeps the alias.
pub async fn break_pairing(client: &AzureClient, primary_alias_id: &str) -> Result<()> {
    check_alias_id(primary_alias_id)?;
    let path = format!("{}/breakPairing", primary_alias_id.trim_end_matches('/'));
    client
        .begin(Method::Post, &path, api::MESSAGING, None)
        .await?;
    Ok(())
}

/// The alias as the namespace in its id sees it.
pub async fn get_alias(client: &AzureClient, alias_id: &str) -> Result<DisasterRecoveryConfig> {
    check_alias_id(alias_id)?;
    client.get_json(alias_id, api::MESSAGING).await
}

/// Polls the alias until `provisioningState` is `Succeeded` and, when `want_role` is given, its
/// role is that (`PrimaryNotReplicating` after a failover or break); `Failed` is an error. Poll
/// the namespace the change was called on: the other one loses the alias.
pub async fn wait_alias_settled(
    client: &AzureClient,
    alias_id: &str,
    want_role: Option<&str>,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
) -> Result<DisasterRecoveryConfig> {
    wait_alias_settled_with_clock(
        client,
        alias_id,
        want_role,
        options,
        progress,
        &TokioClock::start(),
    )
    .await
}

/// [`wait_alias_settled`] with an injected clock for the waits.
pub async fn wait_alias_settled_with_clock(
    client: &AzureClient,
    alias_id: &str,
    want_role: Option<&str>,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
    clock: &dyn LroClock,
) -> Result<DisasterRecoveryConfig> {
    let interval = options.default_interval.max(options.poll_floor);
    let mut polls = 0u32;
    loop {
        let alias = get_alias(client, alias_id).await?;
        polls += 1;
        let p = &alias.properties;
        let state = p.provisioning_state.clone().unwrap_or_default();
        let role = p.role.clone().unwrap_or_default();
        let role_ok = want_role.is_none_or(|r| role.eq_ignore_ascii_case(r));
        if state.eq_ignore_ascii_case("Succeeded") && role_ok {
            return Ok(alias);
        }
        if state.eq_ignore_ascii_case("Failed") {
            return Err(Error::LroFailed {
                status: state,
                error: None,
            });
        }
        if clock.elapsed() + interval > options.timeout {
            return Err(Error::Timeout);
        }
        progress(&LroProgress {
            polls,
            status: format!("{state} ({role})"),
            percent_complete: None,
            elapsed: clock.elapsed(),
            next_poll_in: interval,
        });
        clock.sleep(interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_ids_name_the_namespace_of_each_side() {
        let e = Estate::demo();
        let s = alias_id(&e, "sb-functions-prod", AliasSide::Secondary).expect("alias");
        assert!(
            s.ends_with("/Microsoft.ServiceBus/namespaces/sb-functions-prod-jpe/disasterRecoveryConfigs/sb-functions-prod"),
            "{s}"
        );
        assert!(s.contains("/resourceGroups/rg-functions-prod-jpe/"), "{s}");
        let p = alias_id(&e, "evh-functions-prod", AliasSide::Primary).expect("alias");
        assert!(
            p.contains("/Microsoft.EventHub/namespaces/evhns-functions-prod-krc/"),
            "{p}"
        );
        assert_eq!(check_alias_id(&p).ok(), Some(true));
        assert!(check_alias_id("/subscriptions/s/resourceGroups/g").is_err());
    }
}
