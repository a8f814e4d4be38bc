//! Messaging geo-DR alias failover (Service Bus or Event Hubs), called on the secondary
//! namespace: the alias then points at it. High risk: the pairing breaks, the old primary is
//! left standalone, and there is no undo (pairing again is a new setup). Service Bus is asked
//! for a safe failover, which waits for pending replication.

use serde_json::json;

use super::super::catalogue::PlanError;
use super::super::effect::{Effect, VerifyCheck};
use super::super::plan::{Expected, PlanStep, RestCall, Risk};
use super::{Ctx, Draft};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::config::{GeoDrAlias, QueueKind};

/// The ARM provider and the `az` command group of an alias kind.
fn names(kind: QueueKind) -> (&'static str, &'static str) {
    if kind == QueueKind::ServiceBus {
        ("Microsoft.ServiceBus", "servicebus")
    } else {
        ("Microsoft.EventHub", "eventhubs")
    }
}

/// The failover on the secondary namespace, then the check that it settled.
fn steps_for(alias: &GeoDrAlias, rg: &ResourceGroupRef, alias_id: &str) -> Vec<PlanStep> {
    let service_bus = alias.kind == QueueKind::ServiceBus;
    let (_, az_group) = names(alias.kind);
    let alias_id = alias_id.to_owned();
    let mut d = Vec::new();
    let safe_flag = if service_bus {
        " --is-safe-failover true"
    } else {
        ""
    };
    d.push(PlanStep {
        what: format!(
            "Fail over alias {} on the secondary namespace {}{}",
            alias.name,
            alias.secondary_namespace,
            if service_bus {
                " (safe: waits for pending replication)"
            } else {
                ""
            }
        ),
        call: Some(RestCall::arm(
            "POST",
            format!("{alias_id}/failover"),
            api::MESSAGING,
            service_bus.then(|| json!({"properties": {"IsSafeFailover": true}})),
        )),
        az: Some(format!(
            "az {az_group} georecovery-alias fail-over --resource-group {} --namespace-name {} --alias {}{safe_flag}",
            rg.resource_group, alias.secondary_namespace, alias.name
        )),
        effect: Effect::AliasFailover {
            alias_id_on_secondary: alias_id.clone(),
            safe: service_bus,
        },
    });
    d.push(PlanStep {
        what: format!(
            "Verify {} is primary for {} and provisioning succeeded",
            alias.secondary_namespace, alias.name
        ),
        call: Some(RestCall::arm("GET", alias_id.clone(), api::MESSAGING, None)),
        az: Some(format!(
            "az {az_group} georecovery-alias show --resource-group {} --namespace-name {} --alias {}",
            rg.resource_group, alias.secondary_namespace, alias.name
        )),
        effect: Effect::Verify(VerifyCheck::AliasPrimary { alias_id }),
    });
    d
}

/// Plans an alias failover.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let alias = cx
        .estate
        .geo_dr_aliases
        .iter()
        .find(|a| a.name == cx.action.target)
        .ok_or_else(|| {
            PlanError::unknown(
                cx.action,
                "a geo-DR alias",
                cx.estate.geo_dr_aliases.iter().map(|a| a.name.clone()),
            )
        })?;
    let region = cx.estate.region(&alias.secondary_region).ok_or_else(|| {
        PlanError::NotApplicable(format!(
            "the secondary region {} of {} is not in the estate",
            alias.secondary_region, alias.name
        ))
    })?;
    let rg = ResourceGroupRef::of_region(region);
    let (provider, _) = names(alias.kind);
    let alias_id = rg.provider(
        provider,
        &format!(
            "namespaces/{}/disasterRecoveryConfigs/{}",
            alias.secondary_namespace, alias.name
        ),
    );
    let observed = cx.snap.aliases.iter().find(|a| a.name == alias.name);
    if let Some(a) = observed.filter(|a| a.primary_namespace == alias.secondary_namespace) {
        return Err(PlanError::NothingToDo(format!(
            "{} is already primary for {} (failed over); pairing again is a new geo-DR setup",
            a.primary_namespace, alias.name
        )));
    }
    let facts = observed.and_then(|a| a.state.get());
    let state_words = facts.map_or_else(
        || "Its replication state is not known from the snapshot.".to_owned(),
        |f| {
            format!(
                "{} is {} with {} replication operation(s) pending.",
                alias.primary_namespace, f.role, f.pending_operations
            )
        },
    );
    let mut d = Draft::new(
        format!(
            "Fail alias {} over to {}",
            alias.name, alias.secondary_namespace
        ),
        format!(
            "The alias moves from {} ({}) to {} ({}). {state_words}",
            alias.primary_namespace,
            alias.primary_region,
            alias.secondary_namespace,
            alias.secondary_region
        ),
        Risk::High,
        Expected::minutes(1, 10),
    );
    d.steps = steps_for(alias, &rg, &alias_id);
    d.notes.push(format!(
        "No undo: the failover breaks the pairing and leaves {} standalone; pairing again is a new geo-DR setup once it is healthy.",
        alias.primary_namespace
    ));
    d.notes
        .push("Only metadata replicates: messages still in the old primary stay there.".to_owned());
    Ok(d)
}
