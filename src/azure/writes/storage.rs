//! Storage account failover (a long-running operation): `POST …/failover` (with
//! `failoverType=Planned` for a planned one), followed through its `Location` to the end, then
//! the account read back with its geo-replication statistics.
//!
//! Owns this call and the ARM id it takes. It must not decide whether to call it (an unplanned
//! failover loses the writes not yet replicated, and leaves the account locally redundant).

use crate::azure::client::{AzureClient, Method};
use crate::azure::error::{Error, Result};
use crate::azure::lro::{self, LroClock, LroOptions, LroProgress, TokioClock};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::azure::wire::storage::StorageAccount;
use crate::config::Estate;

/// Which failover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailoverType {
    /// The secondary becomes the primary, locally redundant; unreplicated writes are lost.
    Unplanned,
    /// Primary and secondary swap with no data loss; needs both regions healthy.
    Planned,
}

/// The ARM id of the estate's storage account `account`.
pub fn storage_account_id(estate: &Estate, account: &str) -> Option<String> {
    let s = estate.storage_accounts.iter().find(|s| s.name == account)?;
    let rg = ResourceGroupRef::of_region(estate.region(&s.region)?);
    Some(rg.provider("Microsoft.Storage", &format!("storageAccounts/{}", s.name)))
}

/// Fails a storage account over, follows the operation to its end, and returns the account as
/// read afterwards (with `geoReplicationStats`).
pub async fn storage_failover(
    client: &AzureClient,
    account_id: &str,
    kind: FailoverType,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
) -> Result<StorageAccount> {
    storage_failover_with_clock(
        client,
        account_id,
        kind,
        options,
        progress,
        &TokioClock::start(),
    )
    .await
}

/// [`storage_failover`] with an injected clock for the waits.
pub async fn storage_failover_with_clock(
    client: &AzureClient,
    account_id: &str,
    kind: FailoverType,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
    clock: &dyn LroClock,
) -> Result<StorageAccount> {
    let id = account_id.trim_end_matches('/');
    if !id
        .to_ascii_lowercase()
        .contains("/providers/microsoft.storage/storageaccounts/")
    {
        return Err(Error::Decode {
            what: "storage account id".to_owned(),
            detail: format!("{account_id:?} is not such an ARM id"),
        });
    }
    let path = match kind {
        FailoverType::Unplanned => format!("{id}/failover"),
        FailoverType::Planned => format!("{id}/failover?failoverType=Planned"),
    };
    let first = client
        .begin(Method::Post, &path, api::STORAGE, None)
        .await?;
    lro::wait_with_clock(client, first, options, progress, clock).await?;
    client
        .get_json(&format!("{id}?$expand=geoReplicationStats"), api::STORAGE)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_come_from_the_estate() {
        let e = Estate::demo();
        let id = storage_account_id(&e, "stworkflowprod").expect("account");
        assert!(
            id.ends_with("/resourceGroups/rg-functions-prod-krc/providers/Microsoft.Storage/storageAccounts/stworkflowprod"),
            "{id}"
        );
        assert_eq!(storage_account_id(&e, "nope"), None);
    }
}
