//! The simulated function apps: per app its slots (with the version each runs over time), the
//! deployment records of each slot, settings, keys, functions, and the app-wide conditions
//! (failing dependency checks, a stopped consumer).
//!
//! Owns app state and the operations on one app (deploy, swap, restart, replace settings). The
//! world records these in the activity log; telemetry is derived elsewhere (`health`,
//! `telemetry`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, Utc};

use super::history::History;
use super::secrets::HostKeySet;
use crate::config::{PlanKind, TriggerKind};
use crate::sim::scenario::Check;

/// The production slot's name.
pub const PRODUCTION: &str = "production";

/// One deployment record of a slot (what Kudu's `/api/deployments` and ARM's `SITE/deployments`
/// list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    /// Deployment id.
    pub id: String,
    /// The release version; also the record's message.
    pub version: String,
    /// Who deployed, e.g. `GitHub Actions`.
    pub deployer: String,
    /// The author.
    pub author: String,
    /// When Kudu received it.
    pub received: DateTime<Utc>,
    /// When it started.
    pub start: DateTime<Utc>,
    /// When it ended.
    pub end: DateTime<Utc>,
    /// Whether it succeeded.
    pub succeeded: bool,
}

impl Deployment {
    /// Kudu's status code: 4 (Success) or 3 (Failed).
    pub fn status_code(&self) -> i32 {
        if self.succeeded { 4 } else { 3 }
    }
}

/// A slot's record of its last swap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapRecord {
    /// When.
    pub at: DateTime<Utc>,
    /// The slot swapped from.
    pub source: String,
    /// The slot swapped into.
    pub destination: String,
}

/// One function of an app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionDef {
    /// Name.
    pub name: String,
    /// Binding type of its trigger, e.g. `timerTrigger`.
    pub trigger: &'static str,
    /// The CRON schedule of a timer trigger.
    pub schedule: Option<&'static str>,
}

/// One slot of an app.
#[derive(Clone, PartialEq)]
pub struct SlotState {
    /// `production`, `staging`, ….
    pub name: String,
    /// The release version the slot runs, over time.
    pub version: History<String>,
    /// Deployment records, oldest first. They travel with the content on a swap.
    pub deployments: Vec<Deployment>,
    /// App settings (secret values).
    pub settings: BTreeMap<String, String>,
    /// Host keys.
    pub host_keys: HostKeySet,
    /// Function keys, by function, name to value.
    pub function_keys: BTreeMap<String, BTreeMap<String, String>>,
    /// Last modification of the site (deploy, swap, settings).
    pub last_modified: DateTime<Utc>,
    /// The last swap, if any.
    pub last_swap: Option<SwapRecord>,
    /// Restart times.
    pub restarts: Vec<DateTime<Utc>>,
    /// The host's cold starts after deployments: from when the new version runs until the host
    /// answers (empty unless the scenario sets a cold start).
    pub cold_starts: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Whether the slot's worker process is stuck (until a restart), over time. It moves with
    /// the content on a swap.
    pub stuck: History<bool>,
}

impl std::fmt::Debug for SlotState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlotState")
            .field("name", &self.name)
            .field("version", self.version.current())
            .field("deployments", &self.deployments.len())
            .field("settings", &self.settings.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl SlotState {
    /// Whether the slot's host is still starting at `t` (after a deployment).
    pub fn starting(&self, t: DateTime<Utc>) -> bool {
        self.cold_starts
            .iter()
            .any(|(from, until)| *from <= t && t < *until)
    }

    /// The active deployment: the latest successful one.
    pub fn active_deployment(&self) -> Option<&Deployment> {
        self.deployments.iter().rev().find(|d| d.succeeded)
    }
}

/// A function app.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// Azure name.
    pub name: String,
    /// Logical service.
    pub service: String,
    /// Region short name.
    pub region: String,
    /// Azure location.
    pub location: String,
    /// Resource group.
    pub resource_group: String,
    /// Subscription id.
    pub subscription_id: String,
    /// Plan kind.
    pub plan: PlanKind,
    /// Health endpoint path.
    pub health_path: String,
    /// Functions.
    pub functions: Vec<FunctionDef>,
    /// Requests per minute to production at full share.
    pub load_rpm: f64,
    /// The storage account behind `AzureWebJobsStorage`.
    pub storage_account: Option<String>,
    /// Slots, production first.
    pub slots: Vec<SlotState>,
    /// Dependency checks failing, over time.
    pub failing_checks: History<BTreeSet<Check>>,
    /// Whether the app has stopped consuming its queues, over time.
    pub consumer_stopped: History<bool>,
    /// Whether the app's runtime state is corrupted (until a rebuild), over time.
    pub corrupted: History<bool>,
}

impl AppState {
    /// The site's ARM id.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Web/sites/{}",
            self.subscription_id, self.resource_group, self.name
        )
    }

    /// The ARM id of a slot (the site's id for production).
    pub fn slot_id(&self, slot: &str) -> String {
        if slot == PRODUCTION {
            self.id()
        } else {
            format!("{}/slots/{slot}", self.id())
        }
    }

    /// A slot's index by name (case-insensitive, as ARM names are).
    pub fn slot_index(&self, slot: &str) -> Option<usize> {
        self.slots
            .iter()
            .position(|s| s.name.eq_ignore_ascii_case(slot))
    }

    /// A slot by name.
    pub fn slot(&self, slot: &str) -> Option<&SlotState> {
        self.slot_index(slot).map(|i| &self.slots[i])
    }

    /// Whether a function is disabled in a slot (`AzureWebJobs.<name>.Disabled` is true).
    pub fn function_disabled(&self, slot: &SlotState, function: &str) -> bool {
        slot.settings
            .get(&format!("AzureWebJobs.{function}.Disabled"))
            .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
    }

    /// Records a successful deployment of `version` to a slot, finishing at `t`.
    pub fn deploy(
        &mut self,
        slot: usize,
        id: String,
        version: &str,
        who: (&str, &str),
        t: DateTime<Utc>,
    ) {
        let (deployer, author) = who;
        let s = &mut self.slots[slot];
        s.deployments.push(Deployment {
            id,
            version: version.to_owned(),
            deployer: deployer.to_owned(),
            author: author.to_owned(),
            received: t - TimeDelta::seconds(47),
            start: t - TimeDelta::seconds(45),
            end: t,
            succeeded: true,
        });
        s.version.set(t, version.to_owned());
        s.last_modified = t;
    }

    /// Swaps the content (running version and deployment records) of two slots at `t`.
    pub fn swap(&mut self, source: usize, target: usize, t: DateTime<Utc>) {
        let v_source = self.slots[source].version.current().clone();
        let v_target = self.slots[target].version.current().clone();
        self.slots[source].version.set(t, v_target);
        self.slots[target].version.set(t, v_source);
        // The warmed-up workers go with the content, a stuck one included.
        let (s_source, s_target) = (
            *self.slots[source].stuck.current(),
            *self.slots[target].stuck.current(),
        );
        if s_source != s_target {
            self.slots[source].stuck.set(t, s_target);
            self.slots[target].stuck.set(t, s_source);
        }
        // A swap warms the source's host before it switches: no cold start outlasts it.
        for slot in [source, target] {
            for (_, until) in &mut self.slots[slot].cold_starts {
                *until = (*until).min(t);
            }
        }
        let taken = std::mem::take(&mut self.slots[source].deployments);
        self.slots[source].deployments =
            std::mem::replace(&mut self.slots[target].deployments, taken);
        let record = SwapRecord {
            at: t,
            source: self.slots[source].name.clone(),
            destination: self.slots[target].name.clone(),
        };
        for i in [source, target] {
            self.slots[i].last_swap = Some(record.clone());
            self.slots[i].last_modified = t;
        }
    }
}

/// The functions of an app, with a plausible trigger binding for each: timer functions get a
/// schedule; `Health` is HTTP; the app's non-HTTP triggers go to its other functions in order.
pub fn functions_of(app: &crate::config::App) -> Vec<FunctionDef> {
    let mut out: Vec<FunctionDef> = app
        .timer_functions
        .iter()
        .map(|name| FunctionDef {
            name: name.clone(),
            trigger: "timerTrigger",
            schedule: Some(if name.starts_with("Nightly") {
                "0 0 2 * * *"
            } else {
                "0 */5 * * * *"
            }),
        })
        .collect();
    let mut triggers = app.triggers.iter().filter_map(|t| match t {
        TriggerKind::StorageQueue => Some("queueTrigger"),
        TriggerKind::ServiceBus => Some("serviceBusTrigger"),
        TriggerKind::EventHubs => Some("eventHubTrigger"),
        TriggerKind::Durable => Some("orchestrationTrigger"),
        TriggerKind::Http | TriggerKind::Timer => None,
    });
    let durable = app.triggers.contains(&TriggerKind::Durable);
    let mut http_entry_given = false;
    for name in &app.functions {
        let trigger = if name == "Health" {
            "httpTrigger"
        } else if durable && !http_entry_given && name.starts_with("Start") {
            http_entry_given = true;
            "httpTrigger"
        } else if let Some(t) = triggers.next() {
            t
        } else if durable {
            "activityTrigger"
        } else {
            "httpTrigger"
        };
        out.push(FunctionDef {
            name: name.clone(),
            trigger,
            schedule: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Estate;

    #[test]
    fn functions_get_sensible_triggers() {
        let e = Estate::demo();
        let f = functions_of(e.app("func-fulfil-prod-krc").expect("app"));
        let kinds: Vec<(&str, &str)> = f.iter().map(|f| (f.name.as_str(), f.trigger)).collect();
        assert_eq!(
            kinds,
            [
                ("FulfilOrder", "queueTrigger"),
                ("CapturePayment", "serviceBusTrigger"),
                ("Health", "httpTrigger")
            ]
        );
        let w = functions_of(e.app("func-workflow-prod-krc").expect("app"));
        let kinds: Vec<&str> = w.iter().map(|f| f.trigger).collect();
        assert_eq!(
            kinds,
            [
                "httpTrigger",
                "orchestrationTrigger",
                "activityTrigger",
                "httpTrigger"
            ]
        );
        let r = functions_of(e.app("func-reconcile-prod-krc").expect("app"));
        assert_eq!(r[0].schedule, Some("0 0 2 * * *"));
        assert_eq!(r[1].trigger, "timerTrigger");
    }
}
