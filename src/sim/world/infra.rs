//! The infrastructure writes' long-running operations: each write that Azure finishes later (a
//! Front Door origin update, a geo-DR alias failover or break, a storage account failover, a
//! template deployment, a what-if) is an [`Operation`] that starts now and is applied when virtual
//! time reaches its due time, by [`World::advance_to`]. How long each kind takes is
//! [`OpTimings`], held in the world and settable.
//!
//! Owns the operation list, its timing and the dispatch of completions; what each completion
//! changes belongs to the kind's own module (`route_writes`, `geo_dr`, `storage_failover`,
//! `templates`). Also holds [`Infra`], all the state those modules add to the world.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::World;
use super::geo_dr::BrokenPairing;
use super::governance::{AlertRule, Lock};
use super::route_writes::OriginChange;
use super::storage_failover::FailoverRecord;
use super::templates::DeploymentRecord;
use crate::azure::wire::deployments::WhatIfOperationResult;
use crate::sim::rng::stable_guid;

/// How long each long-running infrastructure operation takes, in virtual time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpTimings {
    /// A Front Door origin update (PATCH), until `provisioningState` is `Succeeded`.
    pub origin_update: TimeDelta,
    /// A geo-DR alias failover, until the alias is `Succeeded` on the new primary.
    pub alias_failover: TimeDelta,
    /// A geo-DR break pairing.
    pub alias_break: TimeDelta,
    /// A storage account failover.
    pub storage_failover: TimeDelta,
    /// A template deployment in `Accepted` before it is `Running`.
    pub deployment_accept: TimeDelta,
    /// A template deployment from its start to its end.
    pub deployment_total: TimeDelta,
    /// A what-if, until its result is ready.
    pub what_if: TimeDelta,
}

impl Default for OpTimings {
    fn default() -> Self {
        Self {
            origin_update: TimeDelta::seconds(45),
            alias_failover: TimeDelta::seconds(60),
            alias_break: TimeDelta::seconds(15),
            storage_failover: TimeDelta::minutes(5),
            deployment_accept: TimeDelta::seconds(5),
            deployment_total: TimeDelta::seconds(60),
            what_if: TimeDelta::seconds(10),
        }
    }
}

/// What an operation does when it completes.
#[derive(Debug, Clone, PartialEq)]
pub enum OpKind {
    /// A Front Door origin's new settings take effect.
    OriginUpdate(OriginChange),
    /// The alias moves to `new_primary` and the pairing breaks.
    AliasFailover {
        /// Alias name.
        alias: String,
        /// The namespace that becomes primary (the former secondary).
        new_primary: String,
    },
    /// The pairing breaks; `primary` keeps the alias.
    AliasBreak {
        /// Alias name.
        alias: String,
        /// The primary namespace.
        primary: String,
    },
    /// A storage account fails over to its secondary location.
    StorageFailover {
        /// Account name.
        account: String,
        /// Planned (keeps the SKU) or unplanned (becomes locally redundant).
        planned: bool,
    },
    /// A template deployment (index into the deployment records).
    Deployment(usize),
    /// A what-if, whose result was computed when it was asked.
    WhatIf(Box<WhatIfOperationResult>),
}

/// A long-running operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Operation id (a GUID, used in status URLs).
    pub id: String,
    /// What it does.
    pub kind: OpKind,
    /// When it was asked for.
    pub started: DateTime<Utc>,
    /// When it completes.
    pub due: DateTime<Utc>,
    /// Whether its completion has been applied.
    pub applied: bool,
    /// Who asked.
    pub caller: String,
    /// The error it ended with (code, message), if it failed.
    pub failure: Option<(String, String)>,
}

/// Where an operation is at an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpPhase {
    /// Still running.
    InProgress,
    /// Done.
    Succeeded,
    /// Failed with this code and message.
    Failed(String, String),
}

impl Operation {
    /// Its phase at `t`.
    pub fn phase_at(&self, t: DateTime<Utc>) -> OpPhase {
        if !self.applied || t < self.due {
            return OpPhase::InProgress;
        }
        match &self.failure {
            Some((code, message)) => OpPhase::Failed(code.clone(), message.clone()),
            None => OpPhase::Succeeded,
        }
    }

    /// Whether it is still running (not applied yet).
    pub fn in_flight(&self) -> bool {
        !self.applied
    }
}

/// Why an infrastructure write is refused. The server turns these into ARM errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InfraError {
    /// No such resource (404).
    #[error("{0}")]
    NotFound(String),
    /// The resource's state does not allow it now (409).
    #[error("{message}")]
    Conflict {
        /// ARM error code.
        code: &'static str,
        /// Message.
        message: String,
    },
    /// The request is wrong (400), about `target`.
    #[error("{message}")]
    Invalid {
        /// ARM error code.
        code: &'static str,
        /// The field or resource the error is about.
        target: Option<String>,
        /// Message.
        message: String,
    },
}

/// Everything the infrastructure writes add to the world.
#[derive(Debug, Clone, Default)]
pub struct Infra {
    pub(super) timings: OpTimings,
    pub(super) operations: Vec<Operation>,
    pub(super) seq: u64,
    pub(super) broken_pairings: Vec<BrokenPairing>,
    pub(super) failovers: Vec<FailoverRecord>,
    pub(super) locks: Vec<Lock>,
    pub(super) alert_rules: Vec<AlertRule>,
    pub(super) deployments: Vec<DeploymentRecord>,
    /// Tags of resource groups and subscriptions, by lower-case scope id.
    pub(super) scope_tags: BTreeMap<String, BTreeMap<String, String>>,
}

impl World {
    /// How long the long-running infrastructure operations take.
    pub fn op_timings(&self) -> OpTimings {
        self.infra.timings
    }

    /// Sets how long the long-running infrastructure operations take (operations already
    /// started keep their due time).
    pub fn set_op_timings(&mut self, timings: OpTimings) {
        self.infra.timings = timings;
    }

    /// An operation by id (case-insensitive).
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.infra
            .operations
            .iter()
            .find(|o| o.id.eq_ignore_ascii_case(id))
    }

    /// Every operation, oldest first.
    pub fn operations(&self) -> &[Operation] {
        &self.infra.operations
    }

    /// A fresh id, stable for a given seed and sequence of writes.
    pub(super) fn next_guid(&mut self, what: &str) -> String {
        self.infra.seq += 1;
        let n = self.infra.seq.to_string();
        stable_guid(self.seed(), &["infra", what, &n])
    }

    /// Starts an operation now that completes after `duration` (at once when it is zero);
    /// returns its index.
    pub(super) fn begin_operation(
        &mut self,
        kind: OpKind,
        duration: TimeDelta,
        caller: &str,
    ) -> usize {
        let id = self.next_guid("operation");
        let started = self.now;
        self.infra.operations.push(Operation {
            id,
            kind,
            started,
            due: started + duration.max(TimeDelta::zero()),
            applied: false,
            caller: caller.to_owned(),
            failure: None,
        });
        let i = self.infra.operations.len() - 1;
        if duration <= TimeDelta::zero() {
            self.complete_operation(i);
        }
        i
    }

    /// The earliest due time of an operation not yet applied.
    pub(super) fn next_operation_due(&self) -> Option<DateTime<Utc>> {
        self.infra
            .operations
            .iter()
            .filter(|o| !o.applied)
            .map(|o| o.due)
            .min()
    }

    /// Applies every operation due at or before `t`, in due order.
    pub(super) fn apply_operations_due(&mut self, t: DateTime<Utc>) {
        loop {
            let next = self
                .infra
                .operations
                .iter()
                .enumerate()
                .filter(|(_, o)| !o.applied && o.due <= t)
                .min_by_key(|(_, o)| o.due)
                .map(|(i, o)| (i, o.due));
            let Some((i, due)) = next else { break };
            self.now = self.now.max(due);
            self.complete_operation(i);
        }
    }

    fn complete_operation(&mut self, i: usize) {
        self.infra.operations[i].applied = true;
        let op = self.infra.operations[i].clone();
        let failure = match &op.kind {
            OpKind::OriginUpdate(change) => {
                self.complete_origin_update(&op, change);
                None
            }
            OpKind::AliasFailover { alias, new_primary } => {
                self.complete_alias_change(&op, alias, new_primary, true);
                None
            }
            OpKind::AliasBreak { alias, primary } => {
                self.complete_alias_change(&op, alias, primary, false);
                None
            }
            OpKind::StorageFailover { account, planned } => {
                self.complete_storage_failover(&op, account, *planned);
                None
            }
            OpKind::Deployment(d) => self.complete_deployment(&op, *d),
            OpKind::WhatIf(_) => None,
        };
        self.infra.operations[i].failure = failure;
    }
}
