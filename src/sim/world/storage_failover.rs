//! Storage account failover (customer-initiated): accepted at once, completed after a virtual
//! delay. Unplanned: the secondary location becomes the primary and the account becomes locally
//! redundant there ([`StorageState::post_failover_redundancy`]), so it has no secondary and no
//! geo-replication until it is made geo-redundant again. Planned: primary and secondary swap and
//! the SKU stays. Either way the new primary is available, whatever outage the old one had.
//!
//! Owns the failover and its record (last failover time, whether one runs); the account's
//! replication state is `storage`'s.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::World;
use super::infra::{InfraError, OpKind, Operation};
use super::storage::StorageState;
use crate::config::Replication;

/// A completed account failover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailoverRecord {
    /// Account name.
    pub account: String,
    /// When it completed.
    pub at: DateTime<Utc>,
    /// Planned or not.
    pub planned: bool,
    /// The location it left.
    pub from: String,
    /// The location it moved to.
    pub to: String,
}

/// The replication an unplanned failover leaves (`post_failover_redundancy`'s SKU).
fn replication_after_unplanned(s: &StorageState) -> Replication {
    match s.post_failover_redundancy() {
        "Standard_ZRS" => Replication::Zrs,
        _ => Replication::Lrs,
    }
}

impl World {
    /// The failover running on an account.
    pub fn storage_failover_in_flight(&self, account: &str) -> Option<&Operation> {
        self.infra.operations.iter().find(|op| {
            op.in_flight()
                && matches!(&op.kind, OpKind::StorageFailover { account: a, .. }
                    if a.eq_ignore_ascii_case(account))
        })
    }

    /// The last completed failover of an account at or before `t`.
    pub fn last_storage_failover(
        &self,
        account: &str,
        t: DateTime<Utc>,
    ) -> Option<&FailoverRecord> {
        self.infra
            .failovers
            .iter()
            .rev()
            .find(|f| f.account.eq_ignore_ascii_case(account) && f.at <= t)
    }

    /// Starts a failover of `account`; returns the operation id. Refused (409) when one runs,
    /// when the account is not geo-redundant, or (planned) when its primary or replication is
    /// not healthy.
    pub fn begin_storage_failover(
        &mut self,
        account: &str,
        planned: bool,
        caller: &str,
    ) -> Result<String, InfraError> {
        let t = self.now;
        let view = self
            .storage_view(account, t)
            .ok_or_else(|| InfraError::NotFound(format!("no storage account {account}")))?;
        let name = view.account.name.clone();
        let sku = view.account.sku();
        let geo = view.geo.clone();
        if self.storage_failover_in_flight(&name).is_some() {
            return Err(InfraError::Conflict {
                code: "FailoverInProgress",
                message: format!(
                    "A failover of storage account '{name}' is already in progress; wait for it \
                     to complete."
                ),
            });
        }
        let Some(geo) = geo else {
            return Err(InfraError::Conflict {
                code: "FailoverNotSupported",
                message: format!(
                    "Storage account '{name}' has SKU {sku}, which does not replicate to a \
                     secondary region; failover needs a geo-redundant SKU (GRS, RA-GRS, GZRS or \
                     RA-GZRS)."
                ),
            });
        };
        if planned && !geo.can_planned_failover {
            return Err(InfraError::Conflict {
                code: "PlannedFailoverNotAllowed",
                message: format!(
                    "A planned failover of '{name}' needs both regions available and \
                     geo-replication live (canPlannedFailover is false); use an unplanned failover."
                ),
            });
        }
        let d = self.infra.timings.storage_failover;
        let kind = OpKind::StorageFailover {
            account: name,
            planned,
        };
        let i = self.begin_operation(kind, d, caller);
        Ok(self.infra.operations[i].id.clone())
    }

    /// Applies a completed failover at the world's now.
    pub(super) fn complete_storage_failover(
        &mut self,
        op: &Operation,
        account: &str,
        planned: bool,
    ) {
        let t = self.now;
        let regions: Vec<(String, String)> = self
            .estate
            .regions
            .iter()
            .map(|r| (r.location.clone(), r.name.clone()))
            .collect();
        let Some(s) = self
            .storage
            .iter_mut()
            .find(|s| s.name.eq_ignore_ascii_case(account))
        else {
            return;
        };
        let Some(to) = s.secondary_location.clone() else {
            return;
        };
        let from = std::mem::replace(&mut s.location, to.clone());
        if planned {
            s.secondary_location = Some(from.clone());
        } else {
            s.replication = replication_after_unplanned(s);
            s.secondary_location = None;
        }
        // The account now lives in the estate region at that location, if there is one; else
        // it is outside the estate's regions, and no region outage reaches it.
        s.region = regions
            .iter()
            .find(|(loc, _)| *loc == to)
            .map_or_else(|| to.clone(), |(_, name)| name.clone());
        s.outage.set(t, false);
        let id = s.id();
        let name = s.name.clone();
        self.infra.failovers.push(FailoverRecord {
            account: name,
            at: t,
            planned,
            from: from.clone(),
            to: to.clone(),
        });
        let props = BTreeMap::from([
            (
                "failoverType".to_owned(),
                if planned { "Planned" } else { "Unplanned" }.to_owned(),
            ),
            ("from".to_owned(), from),
            ("to".to_owned(), to),
        ]);
        self.record_operation(
            "Microsoft.Storage/storageAccounts/failover/action",
            &id,
            &op.caller,
            t,
            t - op.started,
            &props,
        );
    }
}
