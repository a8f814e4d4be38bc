//! Geo-DR alias writes (Service Bus and Event Hubs): failover, called on the secondary namespace,
//! and break pairing, called on the primary. Both are accepted at once and settle after a virtual
//! delay (the alias shows `provisioningState: Accepted` meanwhile); then the pairing is broken:
//! the namespace that keeps the alias is `PrimaryNotReplicating` with no partner and nothing
//! pending, and the other namespace no longer has the alias.
//!
//! Owns these writes and the alias as seen from a namespace at an instant ([`AliasView`]). The
//! alias's configuration and replication backlog are `storage`'s.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::World;
use super::infra::{InfraError, OpKind, Operation};
use super::storage::AliasState;
use crate::config::QueueKind;

/// A pairing broken at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenPairing {
    /// Alias name.
    pub alias: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The namespace that keeps the alias (the new primary after a failover).
    pub primary: String,
}

/// An alias as one of its namespaces reports it at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasView {
    /// `Primary`, `Secondary` or `PrimaryNotReplicating`.
    pub role: &'static str,
    /// The partner namespace's name (none once the pairing is broken).
    pub partner: Option<String>,
    /// Operations not yet replicated.
    pub pending: u64,
    /// `Accepted` while a failover or break runs, else `Succeeded`.
    pub provisioning: &'static str,
}

/// The resource provider of an alias.
fn provider(kind: QueueKind) -> &'static str {
    match kind {
        QueueKind::EventHubs => "Microsoft.EventHub",
        QueueKind::ServiceBus | QueueKind::Storage => "Microsoft.ServiceBus",
    }
}

impl World {
    /// When and to whom an alias's pairing was broken, as of `t`.
    pub(super) fn broken_at(&self, alias: &str, t: DateTime<Utc>) -> Option<&BrokenPairing> {
        self.infra
            .broken_pairings
            .iter()
            .find(|b| b.alias.eq_ignore_ascii_case(alias) && b.at <= t)
    }

    /// The failover or break running on an alias.
    pub fn alias_change_in_flight(&self, alias: &str) -> Option<&Operation> {
        self.infra.operations.iter().find(|op| {
            op.in_flight()
                && matches!(&op.kind,
                    OpKind::AliasFailover { alias: a, .. } | OpKind::AliasBreak { alias: a, .. }
                    if a.eq_ignore_ascii_case(alias))
        })
    }

    /// The alias named `alias` as namespace `namespace` sees it at `t`; `None` when that
    /// namespace has no such alias (never had, or lost it when the pairing broke).
    pub fn alias_view(&self, namespace: &str, alias: &str, t: DateTime<Utc>) -> Option<AliasView> {
        let a = self.alias_on(namespace, alias)?;
        if let Some(b) = self.broken_at(&a.name, t) {
            return b
                .primary
                .eq_ignore_ascii_case(namespace)
                .then_some(AliasView {
                    role: "PrimaryNotReplicating",
                    partner: None,
                    pending: 0,
                    provisioning: "Succeeded",
                });
        }
        let primary = a.primary_namespace.eq_ignore_ascii_case(namespace);
        let running = self
            .alias_change_in_flight(&a.name)
            .is_some_and(|op| op.started <= t);
        Some(AliasView {
            role: if primary { "Primary" } else { "Secondary" },
            partner: Some(if primary {
                a.secondary_namespace.clone()
            } else {
                a.primary_namespace.clone()
            }),
            pending: self.pending_replication(a, t),
            provisioning: if running { "Accepted" } else { "Succeeded" },
        })
    }

    /// The paired alias `alias` on `namespace` now, or why a change cannot start.
    fn paired_alias(&self, namespace: &str, alias: &str) -> Result<AliasState, InfraError> {
        let t = self.now;
        let view = self
            .alias_view(namespace, alias, t)
            .ok_or_else(|| InfraError::NotFound(format!("no alias {alias} on {namespace}")))?;
        let a = self
            .alias_on(namespace, alias)
            .cloned()
            .ok_or_else(|| InfraError::NotFound(format!("no alias {alias} on {namespace}")))?;
        if view.partner.is_none() {
            return Err(InfraError::Invalid {
                code: "BadRequest",
                target: Some(alias.to_owned()),
                message: format!(
                    "The alias '{alias}' on namespace '{namespace}' is not paired \
                     (role {}); there is nothing to fail over or break.",
                    view.role
                ),
            });
        }
        if self.alias_change_in_flight(&a.name).is_some() {
            return Err(InfraError::Conflict {
                code: "Conflict",
                message: format!(
                    "Another operation is in progress on the alias '{alias}'; wait until its \
                     provisioningState is Succeeded."
                ),
            });
        }
        Ok(a)
    }

    /// Starts a failover of `alias`, called on `namespace`, which must be the secondary. With
    /// `safe`, the failover first waits for pending replication, which cannot finish while the
    /// primary's region is out.
    pub fn begin_alias_failover(
        &mut self,
        namespace: &str,
        alias: &str,
        safe: bool,
        caller: &str,
    ) -> Result<String, InfraError> {
        let a = self.paired_alias(namespace, alias)?;
        if a.primary_namespace.eq_ignore_ascii_case(namespace) {
            return Err(InfraError::Invalid {
                code: "BadRequest",
                target: Some(namespace.to_owned()),
                message: format!(
                    "Failover must be invoked on the secondary namespace: '{namespace}' is the \
                     primary of alias '{}'. Call failover on '{}'.",
                    a.name, a.secondary_namespace
                ),
            });
        }
        let primary_out = self
            .namespace(&a.primary_namespace)
            .is_some_and(|ns| self.region_out(&ns.region, self.now));
        if safe && primary_out {
            return Err(InfraError::Conflict {
                code: "Conflict",
                message: format!(
                    "A safe failover waits for pending replication from '{}', which is \
                     unreachable; fail over without IsSafeFailover to switch now.",
                    a.primary_namespace
                ),
            });
        }
        let d = self.infra.timings.alias_failover;
        let kind = OpKind::AliasFailover {
            alias: a.name.clone(),
            new_primary: a.secondary_namespace.clone(),
        };
        let i = self.begin_operation(kind, d, caller);
        Ok(self.infra.operations[i].id.clone())
    }

    /// Starts breaking the pairing of `alias`, called on `namespace`, which must be the primary.
    pub fn begin_break_pairing(
        &mut self,
        namespace: &str,
        alias: &str,
        caller: &str,
    ) -> Result<String, InfraError> {
        let a = self.paired_alias(namespace, alias)?;
        if !a.primary_namespace.eq_ignore_ascii_case(namespace) {
            return Err(InfraError::Invalid {
                code: "BadRequest",
                target: Some(namespace.to_owned()),
                message: format!(
                    "Break pairing must be invoked on the primary namespace: '{namespace}' is \
                     the secondary of alias '{}'. Call it on '{}'.",
                    a.name, a.primary_namespace
                ),
            });
        }
        let d = self.infra.timings.alias_break;
        let kind = OpKind::AliasBreak {
            alias: a.name.clone(),
            primary: a.primary_namespace.clone(),
        };
        let i = self.begin_operation(kind, d, caller);
        Ok(self.infra.operations[i].id.clone())
    }

    /// Applies a completed failover (`failover`) or break: the pairing breaks now and
    /// `keeper` keeps the alias.
    pub(super) fn complete_alias_change(
        &mut self,
        op: &Operation,
        alias: &str,
        keeper: &str,
        failover: bool,
    ) {
        let t = self.now;
        let Some(a) = self.aliases.iter().find(|a| a.name == alias).cloned() else {
            return;
        };
        self.infra.broken_pairings.push(BrokenPairing {
            alias: a.name.clone(),
            at: t,
            primary: keeper.to_owned(),
        });
        let Some(ns) = self.namespace(keeper).cloned() else {
            return;
        };
        let action = if failover { "failover" } else { "breakPairing" };
        let op_name = format!(
            "{}/namespaces/disasterRecoveryConfigs/{action}/action",
            provider(a.kind)
        );
        let resource = format!("{}/disasterRecoveryConfigs/{}", ns.id(), a.name);
        let props = BTreeMap::from([
            ("alias".to_owned(), a.name.clone()),
            ("primaryNamespace".to_owned(), keeper.to_owned()),
        ]);
        self.record_operation(&op_name, &resource, &op.caller, t, t - op.started, &props);
    }
}
