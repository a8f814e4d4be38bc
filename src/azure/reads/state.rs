//! Data-state reads: storage accounts with geo-replication statistics, Service Bus queue counts,
//! and Service Bus / Event Hubs geo-DR aliases.

use crate::azure::client::AzureClient;
use crate::azure::error::Error;
use crate::azure::wire::api;
use crate::azure::wire::messaging::{DisasterRecoveryConfig, SbQueue};
use crate::azure::wire::storage::StorageAccount;
use crate::config::QueueKind;

use super::arm_ids::ResourceGroupRef;

impl AzureClient {
    /// A storage account with `geoReplicationStats` expanded.
    pub async fn get_storage_account(
        &self,
        rg: &ResourceGroupRef,
        account: &str,
    ) -> Result<StorageAccount, Error> {
        let path = format!(
            "{}?$expand=geoReplicationStats",
            rg.provider("Microsoft.Storage", &format!("storageAccounts/{account}"))
        );
        self.get_json(&path, api::STORAGE).await
    }

    /// A Service Bus queue with its `countDetails`.
    pub async fn get_sb_queue(
        &self,
        rg: &ResourceGroupRef,
        namespace: &str,
        queue: &str,
    ) -> Result<SbQueue, Error> {
        let path = rg.provider(
            "Microsoft.ServiceBus",
            &format!("namespaces/{namespace}/queues/{queue}"),
        );
        self.get_json(&path, api::MESSAGING).await
    }

    /// A geo-DR alias as seen from one namespace.
    pub async fn get_dr_config(
        &self,
        kind: QueueKind,
        rg: &ResourceGroupRef,
        namespace: &str,
        alias: &str,
    ) -> Result<DisasterRecoveryConfig, Error> {
        let provider = match kind {
            QueueKind::EventHubs => "Microsoft.EventHub",
            QueueKind::ServiceBus | QueueKind::Storage => "Microsoft.ServiceBus",
        };
        let path = rg.provider(
            provider,
            &format!("namespaces/{namespace}/disasterRecoveryConfigs/{alias}"),
        );
        self.get_json(&path, api::MESSAGING).await
    }
}
