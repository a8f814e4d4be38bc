//! The simulated world: the estate's state at every virtual instant, built from an estate and a
//! scenario, moved forward by [`World::advance_to`].
//!
//! State that changes at instants (slot versions, outages, routing, failing checks) is kept as
//! [`History`] so that any past instant can be asked about; state that integrates over time
//! (queue backlogs) is stepped second by second on a fixed grid, so the result does not depend on
//! how often `advance_to` is called. Telemetry and health are derived from this state, never
//! stored. The world owns no clock and does no I/O: the server asks it about the clock's now.

mod activity;
mod apps;
mod artifacts;
mod build;
mod check;
mod drill_faults;
mod events;
mod faults;
mod geo_dr;
mod governance;
mod health;
mod history;
mod infra;
mod keys;
mod queues;
mod route_writes;
mod routing;
mod secrets;
mod storage;
mod storage_failover;
mod tags;
mod telemetry;
mod template_eval;
mod template_expr;
mod templates;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_infra;
mod what_if;
mod writes;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::{Estate, TmEndpointType};
use crate::sim::scenario::{Scenario, ScenarioError, VersionProfile};

pub use activity::{ActivityRecord, INGESTION_DELAY};
pub use apps::{AppState, Deployment, FunctionDef, PRODUCTION, SlotState, SwapRecord};
pub use artifacts::ArtifactBlob;
pub use faults::{ActiveFaults, FaultKind, FaultWindow};
pub use geo_dr::{AliasView, BrokenPairing};
pub use governance::{AlertRule, Lock, LockLevel, scope_covers};
pub use health::{HealthReport, HealthStatus, PlatformStatus};
pub use history::History;
pub use infra::{InfraError, OpKind, OpPhase, OpTimings, Operation};
pub use keys::HostKeyKind;
pub use queues::{Batch, MESSAGE_TTL, PeekedMessage, QueueState};
pub use route_writes::{EndpointChange, OriginChange};
pub use routing::{
    EndpointState, FD_SAMPLE_SIZE, FD_SUCCESSFUL_SAMPLES, FdState, OriginState,
    PROBE_INTERVAL_SECONDS, Routing, TM_TOLERATED_FAILURES, TmState,
};
pub use secrets::HostKeySet;
pub use storage::{AliasState, GeoReplication, NamespaceState, StorageState, StorageView};
pub use storage_failover::FailoverRecord;
pub use tags::TagOp;
pub use telemetry::MinuteStats;
pub use template_eval::{
    Evaluated, EvaluatedParameter, EvaluatedResource, RgContext, TemplateIssue, evaluate,
};
pub use templates::DeploymentRecord;
pub use writes::{
    DEFAULT_DEPLOY_DURATION, DEFAULT_SWAP_DURATION, Operation as WebOperation, OperationKind,
    ZIP_DEPLOYER,
};

pub(crate) use check::check_scenario;

/// Why a world cannot be built or a change cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorldError {
    /// The scenario does not fit the estate.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// No such app.
    #[error("no app named {0:?} in the estate")]
    UnknownApp(String),
    /// No such slot.
    #[error("app {app} has no slot named {slot:?}")]
    UnknownSlot {
        /// The app.
        app: String,
        /// The slot asked for.
        slot: String,
    },
    /// No such region.
    #[error("no region {0:?} in the estate")]
    UnknownRegion(String),
    /// No such storage account.
    #[error("no storage account {0:?} in the estate")]
    UnknownAccount(String),
    /// No such Traffic Manager endpoint.
    #[error("no Traffic Manager endpoint named {0:?}")]
    UnknownEndpoint(String),
    /// No such Front Door origin.
    #[error("no Front Door origin named {0:?}")]
    UnknownOrigin(String),
    /// A slot cannot be swapped with itself.
    #[error("cannot swap slot {0:?} with itself")]
    SameSlot(String),
    /// No such function.
    #[error("app {app} has no function named {function:?}")]
    UnknownFunction {
        /// The app.
        app: String,
        /// The function asked for.
        function: String,
    },
    /// Another operation is running on the app.
    #[error("app {app} is busy with {operation} (operation {id})")]
    Busy {
        /// The app.
        app: String,
        /// The running operation's name.
        operation: String,
        /// Its id.
        id: String,
    },
}

/// The path segment (and id segment) of a Traffic Manager endpoint type: ids use camelCase.
pub fn endpoint_type_segment(t: TmEndpointType) -> &'static str {
    match t {
        TmEndpointType::AzureEndpoints => "azureEndpoints",
        TmEndpointType::ExternalEndpoints => "externalEndpoints",
        TmEndpointType::NestedEndpoints => "nestedEndpoints",
    }
}

/// The simulated estate.
#[derive(Debug, Clone)]
pub struct World {
    estate: Estate,
    scenario: Scenario,
    now: DateTime<Utc>,
    last_tick: DateTime<Utc>,
    timeline: Vec<(DateTime<Utc>, crate::sim::scenario::Event)>,
    next_event: usize,
    apps: Vec<AppState>,
    app_index: HashMap<String, usize>,
    version_changes: BTreeMap<String, History<VersionProfile>>,
    regions_out: BTreeMap<String, History<bool>>,
    namespaces_out: BTreeMap<String, History<bool>>,
    storage: Vec<StorageState>,
    namespaces: Vec<NamespaceState>,
    aliases: Vec<AliasState>,
    queues: Vec<QueueState>,
    routing: Routing,
    faults: faults::Faults,
    activity: Vec<ActivityRecord>,
    deploy_seq: u64,
    infra: infra::Infra,
    ops: writes::Operations,
    /// Artifact store blobs deleted, with when.
    deleted_artifacts: Vec<(DateTime<Utc>, String)>,
}

impl World {
    /// Builds the world at the scenario's start, with every event at offset zero applied.
    pub fn new(estate: &Estate, scenario: &Scenario) -> Result<Self, WorldError> {
        scenario.check_against(estate)?;
        let start = scenario.start;
        let apps: Vec<AppState> = estate
            .apps
            .iter()
            .map(|a| build::app(estate, scenario, a))
            .collect();
        let app_index = apps
            .iter()
            .enumerate()
            .map(|(i, a)| (a.name.to_ascii_lowercase(), i))
            .collect();
        let mut timeline: Vec<_> = scenario
            .events
            .iter()
            .map(|e| (scenario.time_of(e.at()), e.clone()))
            .collect();
        timeline.sort_by_key(|(t, _)| *t);
        let mut w = Self {
            estate: estate.clone(),
            scenario: scenario.clone(),
            now: start,
            last_tick: start,
            timeline,
            next_event: 0,
            apps,
            app_index,
            version_changes: BTreeMap::new(),
            regions_out: estate
                .regions
                .iter()
                .map(|r| (r.name.clone(), History::new(false)))
                .collect(),
            namespaces_out: BTreeMap::new(),
            storage: build::storage(estate, scenario),
            namespaces: build::namespaces(estate),
            aliases: estate
                .geo_dr_aliases
                .iter()
                .map(|a| AliasState {
                    name: a.name.clone(),
                    kind: a.kind,
                    primary_namespace: a.primary_namespace.clone(),
                    secondary_namespace: a.secondary_namespace.clone(),
                    base_pending: scenario
                        .aliases
                        .iter()
                        .find(|i| i.name == a.name)
                        .map_or(scenario.defaults.pending_replication_operations, |i| {
                            i.pending_replication_operations
                        }),
                })
                .collect(),
            queues: Vec::new(),
            routing: Routing::default(),
            faults: faults::Faults::default(),
            activity: Vec::new(),
            deploy_seq: 0,
            infra: infra::Infra::default(),
            ops: writes::Operations::default(),
            deleted_artifacts: Vec::new(),
        };
        w.queues = build::queues(&w, estate, scenario);
        w.routing = build::routing(&w, estate);
        w.apply_due(start)?;
        Ok(w)
    }

    /// Applies every timeline event due at or before `t` that has not been applied yet.
    fn apply_due(&mut self, t: DateTime<Utc>) -> Result<(), WorldError> {
        while let Some((et, _)) = self.timeline.get(self.next_event) {
            let et = *et;
            if et > t {
                break;
            }
            let event = self.timeline[self.next_event].1.clone();
            self.next_event += 1;
            self.now = self.now.max(et);
            self.apply(et, &event)?;
        }
        Ok(())
    }

    /// Moves the world to `t`: applies due events in order and steps queues second by second.
    /// Times before the world's current time are ignored (the world never goes back).
    pub fn advance_to(&mut self, t: DateTime<Utc>) {
        if t <= self.now {
            return;
        }
        loop {
            let next_tick = self.last_tick + TimeDelta::seconds(1);
            let due = |at: Option<DateTime<Utc>>| at.filter(|at| *at <= t && *at <= next_tick);
            let next_event = due(self.timeline.get(self.next_event).map(|(et, _)| *et));
            // Long-running operations (infra writes) complete in time order with the rest.
            if let Some(d) =
                due(self.next_operation_due()).filter(|d| next_event.is_none_or(|et| *d <= et))
            {
                self.apply_operations_due(d);
                continue;
            }
            let next_op = due(self.ops.next_due());
            if let Some(ot) = next_op.filter(|ot| next_event.is_none_or(|et| *ot < et)) {
                // An operation the API began (a swap, a deployment) completes.
                self.complete_operations(ot);
                continue;
            }
            if let Some(et) = next_event {
                // A scenario that passed its checks names only what exists, so this cannot fail;
                // should it, the event is skipped rather than stopping time.
                if let Err(e) = self.apply_due(et) {
                    tracing::warn!(error = %e, "skipped a timeline event");
                }
                continue;
            }
            if next_tick > t {
                break;
            }
            self.now = self.now.max(next_tick);
            self.tick_queues(next_tick);
            self.last_tick = next_tick;
        }
        self.now = t;
    }

    /// The current virtual time.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The scenario's start.
    pub fn start(&self) -> DateTime<Utc> {
        self.scenario.start
    }

    /// The seed of every random draw.
    pub fn seed(&self) -> u64 {
        self.scenario.seed
    }

    /// Items per page of ARM lists.
    pub fn page_size(&self) -> usize {
        self.scenario.page_size
    }

    /// The estate.
    pub fn estate(&self) -> &Estate {
        &self.estate
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Every app, in estate order.
    pub fn apps(&self) -> &[AppState] {
        &self.apps
    }

    /// An app's index by name (case-insensitive).
    pub fn app_index(&self, name: &str) -> Option<usize> {
        self.app_index.get(&name.to_ascii_lowercase()).copied()
    }

    /// An app by name (case-insensitive).
    pub fn app(&self, name: &str) -> Option<&AppState> {
        self.app_index(name).map(|i| &self.apps[i])
    }

    /// The API faults active at `t`.
    pub fn api_faults(&self, t: DateTime<Utc>) -> ActiveFaults {
        self.faults.at(t)
    }

    /// A region's short name from its short name or location (case-insensitive).
    pub fn resolve_region(&self, name: &str) -> Option<String> {
        self.estate
            .regions
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name) || r.location.eq_ignore_ascii_case(name))
            .map(|r| r.name.clone())
    }
}
