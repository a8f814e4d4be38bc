//! The writes the API starts that take virtual time (slot swaps, zip deployments) and the key
//! writes of the Functions host. A long operation is begun now and completes at a later virtual
//! instant, when `World::advance_to` reaches it: only then does the world change, and the
//! activity log shows it from its start to its end. An app with an operation running refuses
//! another (the server answers 409).
//!
//! Owns the pending and finished operations and their durations. The meaning of a
//! swap itself is `events`' (`swap_slots`); what a deployment record looks like is `apps`'.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::apps::{Deployment, PRODUCTION};
use super::{World, WorldError};
use crate::sim::rng::stable_guid;

/// How long a slot swap takes, in virtual time, unless the world is told otherwise.
pub const DEFAULT_SWAP_DURATION: TimeDelta = TimeDelta::seconds(20);
/// How long a zip deployment takes, in virtual time, unless the world is told otherwise.
pub const DEFAULT_DEPLOY_DURATION: TimeDelta = TimeDelta::seconds(40);
/// The deployer Kudu records for a zip deployment.
pub const ZIP_DEPLOYER: &str = "ZipDeploy";

/// What a long operation does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationKind {
    /// `source`'s content goes to `target` and back.
    Swap {
        /// The slot the swap was asked on.
        source: String,
        /// The other slot.
        target: String,
    },
    /// A zip deployment of `version` to `slot`.
    Deploy {
        /// The slot.
        slot: String,
        /// The version the package holds.
        version: String,
        /// Kudu's id for the deployment record.
        deployment_id: String,
        /// Why the package cannot be deployed (the deployment will fail), if it cannot.
        failure: Option<String>,
    },
}

/// A long operation, running or finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// Operation id (the last segment of its status URL).
    pub id: String,
    /// The app's index.
    pub app: usize,
    /// What it does.
    pub kind: OperationKind,
    /// Who asked.
    pub caller: String,
    /// When it was accepted.
    pub started: DateTime<Utc>,
    /// When it completes (or completed).
    pub completes: DateTime<Utc>,
    /// Whether the world has applied it.
    pub done: bool,
}

impl Operation {
    /// A short name for the operation, as App Service names them in its conflict messages.
    pub fn name(&self) -> &'static str {
        match self.kind {
            OperationKind::Swap { .. } => "SwapSiteSlots",
            OperationKind::Deploy { .. } => "ZipDeploy",
        }
    }

    /// Whether the operation touches `slot` (a slot name).
    pub fn touches(&self, slot: &str) -> bool {
        match &self.kind {
            OperationKind::Swap { source, target } => {
                source.eq_ignore_ascii_case(slot) || target.eq_ignore_ascii_case(slot)
            }
            OperationKind::Deploy { slot: s, .. } => s.eq_ignore_ascii_case(slot),
        }
    }
}

/// The world's long operations and their durations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operations {
    ops: Vec<Operation>,
    swap_duration: TimeDelta,
    deploy_duration: TimeDelta,
    /// Keys generated so far (each generated key differs).
    pub(super) key_seq: u64,
}

impl Default for Operations {
    fn default() -> Self {
        Self {
            ops: Vec::new(),
            swap_duration: DEFAULT_SWAP_DURATION,
            deploy_duration: DEFAULT_DEPLOY_DURATION,
            key_seq: 0,
        }
    }
}

impl Operations {
    /// The earliest completion of a running operation.
    pub(super) fn next_due(&self) -> Option<DateTime<Utc>> {
        self.ops
            .iter()
            .filter(|o| !o.done)
            .map(|o| o.completes)
            .min()
    }
}

impl World {
    /// Sets how long swaps and zip deployments take from now on.
    pub fn set_operation_durations(&mut self, swap: TimeDelta, deploy: TimeDelta) {
        self.ops.swap_duration = swap.max(TimeDelta::seconds(1));
        self.ops.deploy_duration = deploy.max(TimeDelta::seconds(1));
    }

    /// An operation by id (running or finished).
    pub fn web_operation(&self, id: &str) -> Option<&Operation> {
        self.ops.ops.iter().find(|o| o.id.eq_ignore_ascii_case(id))
    }

    /// The ids of the deployments the API began from a package that could not be fetched.
    pub(super) fn unfetched_deployments(&self) -> Vec<String> {
        self.ops
            .ops
            .iter()
            .filter_map(|o| match &o.kind {
                OperationKind::Deploy {
                    deployment_id,
                    failure: Some(_),
                    ..
                } => Some(deployment_id.clone()),
                _ => None,
            })
            .collect()
    }

    /// Why a deployment the API made failed, if it did.
    pub fn deployment_failure(&self, deployment_id: &str) -> Option<&str> {
        self.ops.ops.iter().find_map(|o| match &o.kind {
            OperationKind::Deploy {
                deployment_id: id,
                failure: Some(f),
                ..
            } if id == deployment_id && o.done => Some(f.as_str()),
            _ => None,
        })
    }

    /// The operation running on an app, if any.
    pub fn running_operation(&self, app: usize) -> Option<&Operation> {
        self.ops.ops.iter().find(|o| o.app == app && !o.done)
    }

    /// The zip deployment running on an app slot, if any.
    pub fn running_deployment(&self, app: usize, slot: &str) -> Option<&Operation> {
        self.ops.ops.iter().find(|o| {
            o.app == app && !o.done && matches!(&o.kind, OperationKind::Deploy { slot: s, .. } if s.eq_ignore_ascii_case(slot))
        })
    }

    fn busy(&self, app: usize, blocks: impl Fn(&Operation) -> bool) -> Result<(), WorldError> {
        match self
            .ops
            .ops
            .iter()
            .find(|o| o.app == app && !o.done && blocks(o))
        {
            Some(o) => Err(WorldError::Busy {
                app: self.apps[app].name.clone(),
                operation: o.name().to_owned(),
                id: o.id.clone(),
            }),
            None => Ok(()),
        }
    }

    fn new_operation(&mut self, app: usize, kind: OperationKind, caller: &str) -> Operation {
        let n = self.ops.ops.len().to_string();
        let started = self.now;
        let duration = match kind {
            OperationKind::Swap { .. } => self.ops.swap_duration,
            OperationKind::Deploy { .. } => self.ops.deploy_duration,
        };
        let op = Operation {
            id: stable_guid(self.seed(), &["api-operation", &self.apps[app].name, &n]),
            app,
            kind,
            caller: caller.to_owned(),
            started,
            completes: started + duration,
            done: false,
        };
        self.ops.ops.push(op.clone());
        op
    }

    /// Begins a swap of `source` with `target` on an app; it completes after the swap duration.
    /// Refused while any other operation runs on the app.
    pub fn begin_swap(
        &mut self,
        app: &str,
        source: &str,
        target: &str,
        caller: &str,
    ) -> Result<Operation, WorldError> {
        let (a, s) = self.app_slot(app, source)?;
        let (_, d) = self.app_slot(app, target)?;
        if s == d {
            return Err(WorldError::SameSlot(source.to_owned()));
        }
        self.busy(a, |_| true)?;
        let kind = OperationKind::Swap {
            source: self.apps[a].slots[s].name.clone(),
            target: self.apps[a].slots[d].name.clone(),
        };
        Ok(self.new_operation(a, kind, caller))
    }

    /// Begins a zip deployment of `version` to a slot; it completes after the deploy duration,
    /// failing then with `failure` when that is given. Refused while a swap runs on the app or
    /// a deployment runs on the slot.
    pub fn begin_deploy(
        &mut self,
        app: &str,
        slot: &str,
        version: &str,
        failure: Option<String>,
        caller: &str,
    ) -> Result<Operation, WorldError> {
        let (a, s) = self.app_slot(app, slot)?;
        let slot_name = self.apps[a].slots[s].name.clone();
        self.busy(a, |o| {
            matches!(o.kind, OperationKind::Swap { .. }) || o.touches(&slot_name)
        })?;
        self.deploy_seq += 1;
        let seq = self.deploy_seq.to_string();
        let deployment_id =
            stable_guid(self.seed(), &["deployment", app, slot, version, &seq]).replace('-', "");
        let kind = OperationKind::Deploy {
            slot: slot_name,
            version: version.to_owned(),
            deployment_id,
            failure,
        };
        Ok(self.new_operation(a, kind, caller))
    }

    /// Applies every running operation that completes at or before `t`, in completion order.
    /// The world's `now` is the completion time of each while it is applied.
    pub(super) fn complete_operations(&mut self, t: DateTime<Utc>) {
        loop {
            let next = self
                .ops
                .ops
                .iter()
                .enumerate()
                .filter(|(_, o)| !o.done && o.completes <= t)
                .min_by_key(|(_, o)| o.completes)
                .map(|(i, _)| i);
            let Some(i) = next else { break };
            self.ops.ops[i].done = true;
            let op = self.ops.ops[i].clone();
            self.now = self.now.max(op.completes);
            let app = self.apps[op.app].name.clone();
            let duration = op.completes - op.started;
            let result = match &op.kind {
                OperationKind::Swap { source, target } => {
                    self.swap_slots_over(&app, source, target, &op.caller, duration)
                }
                OperationKind::Deploy { .. } => self.finish_deploy(&op),
            };
            // The operation was checked when it began and nothing removes apps or slots.
            if let Err(e) = result {
                tracing::warn!(error = %e, "an operation could not complete");
            }
        }
    }

    /// Records a finished zip deployment: the slot runs its version when it succeeded.
    fn finish_deploy(&mut self, op: &Operation) -> Result<(), WorldError> {
        let OperationKind::Deploy {
            slot,
            version,
            deployment_id,
            failure,
        } = &op.kind
        else {
            return Ok(());
        };
        let app = self.apps[op.app].name.clone();
        let (a, s) = self.app_slot(&app, slot)?;
        let t = op.completes;
        let succeeded = failure.is_none();
        let sl = &mut self.apps[a].slots[s];
        sl.deployments.push(Deployment {
            id: deployment_id.clone(),
            version: version.clone(),
            deployer: ZIP_DEPLOYER.to_owned(),
            author: op.caller.clone(),
            received: op.started,
            start: op.started + TimeDelta::seconds(1),
            end: t,
            succeeded,
        });
        if succeeded {
            sl.version.set(t, version.clone());
            sl.last_modified = t;
            self.cold_start(a, s, t);
        }
        let (kind, resource) = if slot == PRODUCTION {
            ("Microsoft.Web/sites/extensions/write", self.apps[a].id())
        } else {
            (
                "Microsoft.Web/sites/slots/extensions/write",
                self.apps[a].slot_id(slot),
            )
        };
        let props = BTreeMap::from([
            ("version".to_owned(), version.clone()),
            ("deployer".to_owned(), ZIP_DEPLOYER.to_owned()),
            (
                "result".to_owned(),
                if succeeded { "Succeeded" } else { "Failed" }.to_owned(),
            ),
        ]);
        self.record_operation(
            kind,
            &format!("{resource}/extensions/zipdeploy"),
            &op.caller,
            t,
            t - op.started,
            &props,
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Estate;
    use crate::sim::scenario::Scenario;

    const ORDERS: &str = "func-orders-prod-krc";

    fn world() -> World {
        World::new(
            &Estate::demo(),
            &Scenario::builtin("calm").expect("scenario"),
        )
        .expect("world")
    }

    fn version(w: &World, slot: &str) -> String {
        w.app(ORDERS)
            .and_then(|a| a.slot(slot))
            .map(|s| s.version.current().clone())
            .expect("slot")
    }

    #[test]
    fn a_swap_changes_the_world_only_when_it_completes() {
        let mut w = world();
        let t0 = w.now();
        w.apps[0].slots[1].version.set(t0, "2026.04.04".to_owned());
        let op = w
            .begin_swap(ORDERS, "staging", "production", "me")
            .expect("begun");
        assert_eq!(op.completes, t0 + DEFAULT_SWAP_DURATION);
        assert!(matches!(
            w.begin_swap(ORDERS, "production", "staging", "me"),
            Err(WorldError::Busy { .. })
        ));
        assert!(matches!(
            w.begin_deploy(ORDERS, "production", "x", None, "me"),
            Err(WorldError::Busy { .. })
        ));
        w.advance_to(t0 + TimeDelta::seconds(19));
        assert_eq!(version(&w, "production"), "2026.03.28");
        w.advance_to(t0 + TimeDelta::seconds(25));
        assert_eq!(version(&w, "production"), "2026.04.04");
        assert!(w.web_operation(&op.id).is_some_and(|o| o.done));
        assert!(w.running_operation(0).is_none());
        let swap = w.apps[0].slots[0].last_swap.clone().expect("recorded");
        assert_eq!(swap.at, op.completes);
        let logged: Vec<_> = w
            .activity
            .iter()
            .filter(|r| r.caller == "me")
            .map(|r| (r.status, r.timestamp))
            .collect();
        assert_eq!(logged, [("Started", t0), ("Succeeded", op.completes)]);
    }

    #[test]
    fn a_deployment_fails_or_runs_its_version_at_completion_whatever_the_steps() {
        let run = |steps: i64| {
            let mut w = world();
            let t0 = w.now();
            w.begin_deploy(ORDERS, "staging", "2026.03.21", None, "me")
                .expect("begun");
            w.begin_deploy(ORDERS, "production", "9.9.9", Some("404".into()), "me")
                .expect("another slot");
            assert!(w.running_deployment(0, "staging").is_some());
            for k in 1..=steps {
                w.advance_to(t0 + TimeDelta::seconds(60 * k / steps));
            }
            w
        };
        let (one, many) = (run(1), run(37));
        for w in [&one, &many] {
            assert_eq!(version(w, "staging"), "2026.03.21");
            assert_eq!(version(w, "production"), "2026.03.28");
            let failed = w.apps[0].slots[0].deployments.last().expect("record");
            assert!(!failed.succeeded);
            assert_eq!(w.deployment_failure(&failed.id), Some("404"));
            assert!(!w.artifacts().iter().any(|b| b.version == "9.9.9"));
        }
        assert_eq!(one.activity, many.activity);
        assert_eq!(one.apps, many.apps);
    }
}
