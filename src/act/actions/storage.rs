//! Storage account failover (`POST …/storageAccounts/{name}/failover`, long-running): the
//! secondary becomes primary. High risk: writes after the last sync time are lost, and the
//! account is locally redundant afterwards until geo-redundancy is configured again.

use super::super::catalogue::PlanError;
use super::super::effect::{Effect, VerifyCheck};
use super::super::plan::{Expected, PlanStep, RestCall, Risk};
use super::{Ctx, Draft};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::config::Replication;

/// Plans a storage account failover.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let account = cx
        .estate
        .storage_accounts
        .iter()
        .find(|a| a.name == cx.action.target)
        .ok_or_else(|| {
            PlanError::unknown(
                cx.action,
                "a storage account",
                cx.estate.storage_accounts.iter().map(|a| a.name.clone()),
            )
        })?;
    if matches!(account.replication, Replication::Lrs | Replication::Zrs) {
        return Err(PlanError::NotApplicable(format!(
            "{} is not geo-redundant ({:?}): it has no secondary to fail over to",
            account.name, account.replication
        )));
    }
    let region = cx.estate.region(&account.region).ok_or_else(|| {
        PlanError::NotApplicable(format!(
            "the region of {} is not in the estate",
            account.name
        ))
    })?;
    let rg = ResourceGroupRef::of_region(region);
    let id = rg.provider(
        "Microsoft.Storage",
        &format!("storageAccounts/{}", account.name),
    );
    let facts = cx
        .snap
        .storage
        .iter()
        .find(|s| s.name == account.name)
        .and_then(|s| s.state.get());
    let loss = match facts.and_then(|f| f.last_sync) {
        Some(t) => {
            let mins = (cx.snap.taken_at - t).num_minutes();
            format!(
                "Last sync {} UTC: up to {mins} min of writes would be lost (RPO {} min).",
                t.format("%H:%M:%S"),
                cx.estate.rpo_minutes
            )
        }
        None => "The last sync time is not known: the data loss cannot be bounded.".to_owned(),
    };
    let task_hub = account
        .task_hub
        .as_ref()
        .map(|h| format!(" It holds the Durable task hub {h}."))
        .unwrap_or_default();
    let mut d = Draft::new(
        format!(
            "Fail storage account {} over to its secondary",
            account.name
        ),
        format!("{loss}{task_hub}"),
        Risk::High,
        Expected::minutes(15, 60),
    );
    d.steps.push(PlanStep {
        what: format!(
            "Fail {} over to its secondary region, polled until done",
            account.name
        ),
        call: Some(RestCall::arm(
            "POST",
            format!("{id}/failover"),
            api::STORAGE,
            None,
        )),
        az: Some(format!(
            "az storage account failover --resource-group {} --name {} --yes",
            rg.resource_group, account.name
        )),
        effect: Effect::StorageFailover {
            account_id: id.clone(),
        },
    });
    d.steps.push(PlanStep {
        what: format!("Verify {} reports its new primary", account.name),
        call: Some(RestCall::arm(
            "GET",
            format!("{id}?$expand=geoReplicationStats"),
            api::STORAGE,
            None,
        )),
        az: Some(format!(
            "az storage account show --resource-group {} --name {} --expand geoReplicationStats --query \"{{primary: primaryLocation, status: statusOfPrimary, lastFailover: lastGeoFailoverTime}}\"",
            rg.resource_group, account.name
        )),
        effect: Effect::Verify(VerifyCheck::StorageFailedOver { account_id: id }),
    });
    d.notes.push(
        "No undo: failing back is a second failover once geo-redundancy is configured again."
            .to_owned(),
    );
    Ok(d)
}
