//! Storage accounts (geo-replication lag, primary/secondary status, failover readiness), messaging
//! namespaces and their geo-DR aliases (role, partner, pending replication operations).
//!
//! Owns these resources' state and the views derived from it at a time. A storage outage makes the
//! primary unavailable and stops replication; a region outage stops replication out of the region
//! (the lag grows) without making the primary unreachable, and grows an alias's backlog when its
//! primary namespace is in that region.

use chrono::{DateTime, TimeDelta, Utc};

use super::World;
use super::history::History;
use crate::config::{QueueKind, Replication};
use crate::sim::rng::jitter;

/// A storage account.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageState {
    /// Name.
    pub name: String,
    /// Region short name.
    pub region: String,
    /// Primary location.
    pub location: String,
    /// Secondary location (geo-redundant SKUs).
    pub secondary_location: Option<String>,
    /// Redundancy.
    pub replication: Replication,
    /// Geo-replication lag in normal operation, seconds.
    pub base_lag_seconds: f64,
    /// Whether the primary is out, over time.
    pub outage: History<bool>,
    /// Resource group.
    pub resource_group: String,
    /// Subscription id.
    pub subscription_id: String,
    /// Durable task hub kept here.
    pub task_hub: Option<String>,
}

impl StorageState {
    /// The ARM id.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Storage/storageAccounts/{}",
            self.subscription_id, self.resource_group, self.name
        )
    }

    /// Whether the SKU replicates to a secondary region.
    pub fn geo_redundant(&self) -> bool {
        matches!(
            self.replication,
            Replication::Grs | Replication::Ragrs | Replication::Gzrs | Replication::Ragzrs
        )
    }

    /// The SKU name, e.g. `Standard_RAGRS`.
    pub fn sku(&self) -> &'static str {
        match self.replication {
            Replication::Lrs => "Standard_LRS",
            Replication::Zrs => "Standard_ZRS",
            Replication::Grs => "Standard_GRS",
            Replication::Ragrs => "Standard_RAGRS",
            Replication::Gzrs => "Standard_GZRS",
            Replication::Ragzrs => "Standard_RAGZRS",
        }
    }

    /// The redundancy after an unplanned failover (the new primary is locally redundant).
    pub fn post_failover_redundancy(&self) -> &'static str {
        match self.replication {
            Replication::Gzrs | Replication::Ragzrs | Replication::Zrs => "Standard_ZRS",
            _ => "Standard_LRS",
        }
    }
}

/// The geo-replication statistics of an account at an instant.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoReplication {
    /// `Live`, `Bootstrap` or `Unavailable`.
    pub status: &'static str,
    /// Writes before this time are on the secondary.
    pub last_sync: DateTime<Utc>,
    /// Whether an unplanned failover is possible.
    pub can_failover: bool,
    /// Whether a planned failover is possible.
    pub can_planned_failover: bool,
}

/// A storage account seen at an instant.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageView<'a> {
    /// The account.
    pub account: &'a StorageState,
    /// Whether the primary answers.
    pub primary_available: bool,
    /// Geo-replication, for geo-redundant SKUs.
    pub geo: Option<GeoReplication>,
}

/// A Service Bus or Event Hubs namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceState {
    /// Name.
    pub name: String,
    /// Service Bus or Event Hubs.
    pub kind: QueueKind,
    /// Region short name.
    pub region: String,
    /// Location.
    pub location: String,
    /// Resource group.
    pub resource_group: String,
    /// Subscription id.
    pub subscription_id: String,
}

impl NamespaceState {
    /// The resource provider: `Microsoft.ServiceBus` or `Microsoft.EventHub`.
    pub fn provider(&self) -> &'static str {
        match self.kind {
            QueueKind::EventHubs => "Microsoft.EventHub",
            QueueKind::ServiceBus | QueueKind::Storage => "Microsoft.ServiceBus",
        }
    }

    /// The ARM id.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/{}/namespaces/{}",
            self.subscription_id,
            self.resource_group,
            self.provider(),
            self.name
        )
    }
}

/// A geo-DR alias pairing two namespaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasState {
    /// Alias name.
    pub name: String,
    /// Service Bus or Event Hubs.
    pub kind: QueueKind,
    /// Primary namespace.
    pub primary_namespace: String,
    /// Secondary namespace.
    pub secondary_namespace: String,
    /// Pending replication operations in normal operation.
    pub base_pending: u64,
}

/// Operations that pile up per minute of a primary-region outage.
const PENDING_PER_OUTAGE_MINUTE: f64 = 40.0;

/// The location a geo-redundant account in `location` replicates to (Azure's region pairs).
pub fn paired_location(location: &str) -> Option<&'static str> {
    Some(match location {
        "koreacentral" => "koreasouth",
        "koreasouth" => "koreacentral",
        "japaneast" => "japanwest",
        "japanwest" => "japaneast",
        "eastus" => "westus",
        "westus" => "eastus",
        "eastus2" => "centralus",
        "centralus" => "eastus2",
        "westeurope" => "northeurope",
        "northeurope" => "westeurope",
        "southeastasia" => "eastasia",
        "eastasia" => "southeastasia",
        "uksouth" => "ukwest",
        "ukwest" => "uksouth",
        "australiaeast" => "australiasoutheast",
        "australiasoutheast" => "australiaeast",
        _ => return None,
    })
}

impl World {
    /// A storage account by name (case-insensitive).
    pub fn storage_account(&self, name: &str) -> Option<&StorageState> {
        self.storage
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// All storage accounts.
    pub fn storage_accounts(&self) -> &[StorageState] {
        &self.storage
    }

    /// Whether a storage account's primary is out at `t` (unknown accounts never are).
    pub fn storage_out(&self, account: &str, t: DateTime<Utc>) -> bool {
        self.storage_account(account)
            .is_some_and(|s| *s.outage.at(t))
    }

    /// A storage account as seen at `t`.
    pub fn storage_view(&self, name: &str, t: DateTime<Utc>) -> Option<StorageView<'_>> {
        let account = self.storage_account(name)?;
        let primary_out = *account.outage.at(t);
        let geo = account.geo_redundant().then(|| {
            let stalled = [
                account.outage.true_since(t),
                self.region_history(&account.region)
                    .and_then(|h| h.true_since(t)),
            ]
            .into_iter()
            .flatten()
            .min();
            let lag = match stalled {
                // Replication stopped at `since`: the secondary holds what was synced then.
                Some(since) => {
                    (t - since).num_milliseconds() as f64 / 1000.0 + account.base_lag_seconds
                }
                None => {
                    account.base_lag_seconds
                        * jitter(
                            self.seed(),
                            &["geo-lag", &account.name],
                            t.timestamp() / 10,
                            0.3,
                        )
                }
            };
            let last_sync = t - TimeDelta::milliseconds((lag * 1000.0) as i64);
            GeoReplication {
                status: "Live",
                last_sync: DateTime::from_timestamp(last_sync.timestamp(), 0).unwrap_or(last_sync),
                can_failover: true,
                can_planned_failover: !primary_out && stalled.is_none(),
            }
        });
        Some(StorageView {
            account,
            primary_available: !primary_out,
            geo,
        })
    }

    /// A namespace by name (case-insensitive).
    pub fn namespace(&self, name: &str) -> Option<&NamespaceState> {
        self.namespaces
            .iter()
            .find(|n| n.name.eq_ignore_ascii_case(name))
    }

    /// All namespaces.
    pub fn namespaces(&self) -> &[NamespaceState] {
        &self.namespaces
    }

    /// All geo-DR aliases.
    pub fn aliases(&self) -> &[AliasState] {
        &self.aliases
    }

    /// The alias named `alias` configured on namespace `namespace`, if that namespace is one of
    /// its pair.
    pub fn alias_on(&self, namespace: &str, alias: &str) -> Option<&AliasState> {
        self.aliases.iter().find(|a| {
            a.name.eq_ignore_ascii_case(alias)
                && (a.primary_namespace.eq_ignore_ascii_case(namespace)
                    || a.secondary_namespace.eq_ignore_ascii_case(namespace))
        })
    }

    /// An alias's pending replication operations at `t`: its normal backlog, plus what piled up
    /// while its primary namespace's region was out.
    pub fn pending_replication(&self, alias: &AliasState, t: DateTime<Utc>) -> u64 {
        let outage = self
            .namespace(&alias.primary_namespace)
            .and_then(|ns| self.region_history(&ns.region))
            .map_or(TimeDelta::zero(), |h| h.time_true(self.start(), t));
        alias.base_pending + (outage.num_seconds() as f64 / 60.0 * PENDING_PER_OUTAGE_MINUTE) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Estate;
    use crate::sim::scenario::Scenario;

    #[test]
    fn geo_lag_grows_during_a_region_outage_only() {
        let mut w = World::new(
            &Estate::demo(),
            &Scenario::builtin("region-outage").expect("s"),
        )
        .expect("world");
        let start = w.start();
        let lag = |w: &World, secs: i64| {
            let t = start + TimeDelta::seconds(secs);
            let v = w.storage_view("stworkflowprod", t).expect("account");
            (t - v.geo.expect("geo-redundant").last_sync).num_seconds()
        };
        w.advance_to(start + TimeDelta::minutes(10));
        assert!(lag(&w, 30) < 20, "before the outage: {}", lag(&w, 30));
        assert!(
            lag(&w, 600) > 500,
            "nine minutes into the outage: {}",
            lag(&w, 600)
        );
        let lrs = w.storage_view("stordersprodkrc", start).expect("account");
        assert!(lrs.geo.is_none());
        assert!(lrs.primary_available);
    }

    #[test]
    fn alias_backlog_piles_up_while_the_primary_region_is_out() {
        let mut w = World::new(
            &Estate::demo(),
            &Scenario::builtin("region-outage").expect("s"),
        )
        .expect("world");
        let start = w.start();
        w.advance_to(start + TimeDelta::minutes(6));
        let alias = w
            .alias_on("sb-functions-prod-jpe", "sb-functions-prod")
            .expect("alias")
            .clone();
        assert_eq!(w.pending_replication(&alias, start), alias.base_pending);
        let later = w.pending_replication(&alias, start + TimeDelta::minutes(6));
        assert!(later >= alias.base_pending + 150, "{later}");
    }
}
