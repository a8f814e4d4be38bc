//! Changes to the world: the timeline's events and the writes an API call makes (swap, deploy,
//! restart, replace settings, enable or disable a route). Every change is recorded in the
//! state's histories at the time it happens, and in the activity log where Azure logs it.
//!
//! Owns the meaning of each change; the timeline's order is `World::advance_to`'s job.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::apps::PRODUCTION;
use super::faults::{FaultKind, FaultWindow};
use super::history::History;
use super::secrets::key;
use super::{World, WorldError};
use crate::sim::rng::stable_guid;
use crate::sim::scenario::{Event, Toggle, VersionProfile};

/// The caller the activity log shows for timeline changes made by the release pipeline.
const PIPELINE: &str = "release-pipeline";
/// The caller the activity log shows for manual changes in the timeline (settings drift).
const OPERATOR: &str = "ops-engineer@contoso.example";

impl World {
    pub(super) fn app_slot(&self, app: &str, slot: &str) -> Result<(usize, usize), WorldError> {
        let a = self
            .app_index(app)
            .ok_or_else(|| WorldError::UnknownApp(app.to_owned()))?;
        let s = self.apps[a]
            .slot_index(slot)
            .ok_or_else(|| WorldError::UnknownSlot {
                app: app.to_owned(),
                slot: slot.to_owned(),
            })?;
        Ok((a, s))
    }

    /// Swaps the content of `source` into `target` (and back) now. Azure's own operation name
    /// depends on which side is production, as does the resource it is logged against.
    pub fn swap_slots(
        &mut self,
        app: &str,
        source: &str,
        target: &str,
        caller: &str,
    ) -> Result<(), WorldError> {
        self.swap_slots_over(app, source, target, caller, TimeDelta::seconds(40))
    }

    /// [`World::swap_slots`], logged as an operation that took `duration` and ends now.
    pub(super) fn swap_slots_over(
        &mut self,
        app: &str,
        source: &str,
        target: &str,
        caller: &str,
        duration: TimeDelta,
    ) -> Result<(), WorldError> {
        let (a, s) = self.app_slot(app, source)?;
        let (_, d) = self.app_slot(app, target)?;
        if s == d {
            return Err(WorldError::SameSlot(source.to_owned()));
        }
        let t = self.now;
        self.apps[a].swap(s, d, t);
        let (op, resource) = if self.apps[a].slots[s].name == PRODUCTION {
            ("Microsoft.Web/sites/slotsswap/action", self.apps[a].id())
        } else {
            let slot = self.apps[a].slots[s].name.clone();
            (
                "Microsoft.Web/sites/slots/slotsswap/action",
                self.apps[a].slot_id(&slot),
            )
        };
        let props = BTreeMap::from([
            ("sourceSlot".to_owned(), self.apps[a].slots[s].name.clone()),
            ("targetSlot".to_owned(), self.apps[a].slots[d].name.clone()),
        ]);
        self.record_operation(op, &resource, caller, t, duration, &props);
        Ok(())
    }

    /// Deploys `version` to a slot now (a successful zip deploy); returns the deployment id.
    pub fn deploy(
        &mut self,
        app: &str,
        slot: &str,
        version: &str,
        deployer: &str,
        author: &str,
    ) -> Result<String, WorldError> {
        let (a, s) = self.app_slot(app, slot)?;
        let t = self.now;
        self.deploy_seq += 1;
        let seq = self.deploy_seq.to_string();
        let id = stable_guid(self.seed(), &["deployment", app, slot, version, &seq]);
        self.apps[a].deploy(s, id.clone(), version, (deployer, author), t);
        self.cold_start(a, s, t);
        let slot_name = self.apps[a].slots[s].name.clone();
        let (op, resource) = if slot_name == PRODUCTION {
            (
                "Microsoft.Web/sites/extensions/write",
                format!("{}/extensions/onedeploy", self.apps[a].id()),
            )
        } else {
            (
                "Microsoft.Web/sites/slots/extensions/write",
                format!("{}/extensions/onedeploy", self.apps[a].slot_id(&slot_name)),
            )
        };
        let props = BTreeMap::from([
            ("version".to_owned(), version.to_owned()),
            ("deployer".to_owned(), deployer.to_owned()),
        ]);
        self.record_operation(op, &resource, author, t, TimeDelta::seconds(45), &props);
        Ok(id)
    }

    /// Starts a slot's host cold at `t`, after a deployment: it answers once the scenario's cold
    /// start has passed (at once without one).
    pub(super) fn cold_start(&mut self, app: usize, slot: usize, t: DateTime<Utc>) {
        let secs = self.scenario.defaults.cold_start_seconds;
        if secs.is_finite() && secs > 0.0 {
            #[allow(clippy::cast_possible_truncation)] // seconds of a scenario: small
            let ms = (secs * 1000.0).round() as i64;
            self.apps[app].slots[slot]
                .cold_starts
                .push((t, t + TimeDelta::milliseconds(ms)));
        }
    }

    /// Restarts a slot now.
    pub fn restart(&mut self, app: &str, slot: &str, caller: &str) -> Result<(), WorldError> {
        let (a, s) = self.app_slot(app, slot)?;
        let t = self.now;
        self.apps[a].slots[s].restarts.push(t);
        // A restart recycles the worker process: a stuck one is cleared.
        if *self.apps[a].slots[s].stuck.current() {
            self.apps[a].slots[s].stuck.set(t, false);
        }
        let name = self.apps[a].slots[s].name.clone();
        let op = if name == PRODUCTION {
            "Microsoft.Web/sites/restart/action"
        } else {
            "Microsoft.Web/sites/slots/restart/action"
        };
        let resource = self.apps[a].slot_id(&name);
        self.record_operation(
            op,
            &resource,
            caller,
            t,
            TimeDelta::seconds(5),
            &BTreeMap::new(),
        );
        Ok(())
    }

    /// Replaces a slot's whole settings set now (what `PUT …/config/appsettings` does).
    pub fn set_app_settings(
        &mut self,
        app: &str,
        slot: &str,
        settings: BTreeMap<String, String>,
        caller: &str,
    ) -> Result<(), WorldError> {
        let (a, s) = self.app_slot(app, slot)?;
        let t = self.now;
        let sl = &mut self.apps[a].slots[s];
        sl.settings = settings;
        sl.last_modified = t;
        let name = sl.name.clone();
        let op = if name == PRODUCTION {
            "Microsoft.Web/sites/config/write"
        } else {
            "Microsoft.Web/sites/slots/config/write"
        };
        let resource = format!("{}/config/appsettings", self.apps[a].slot_id(&name));
        self.record_operation(
            op,
            &resource,
            caller,
            t,
            TimeDelta::seconds(2),
            &BTreeMap::new(),
        );
        Ok(())
    }

    /// Enables or disables a Traffic Manager endpoint now.
    pub fn set_endpoint_status(
        &mut self,
        endpoint: &str,
        status: Toggle,
        caller: &str,
    ) -> Result<(), WorldError> {
        let t = self.now;
        let tm = self
            .routing
            .tm
            .as_mut()
            .ok_or_else(|| WorldError::UnknownEndpoint(endpoint.to_owned()))?;
        let e = tm
            .endpoints
            .iter_mut()
            .find(|e| e.name.eq_ignore_ascii_case(endpoint))
            .ok_or_else(|| WorldError::UnknownEndpoint(endpoint.to_owned()))?;
        e.status.set(t, status);
        let kind = crate::sim::world::endpoint_type_segment(e.endpoint_type);
        let resource = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/trafficManagerProfiles/{}/{kind}/{}",
            tm.subscription_id, tm.resource_group, tm.profile, e.name
        );
        let op = format!("Microsoft.Network/trafficManagerProfiles/{kind}/write");
        self.record_operation(
            &op,
            &resource,
            caller,
            t,
            TimeDelta::seconds(3),
            &BTreeMap::new(),
        );
        Ok(())
    }

    /// Enables or disables a Front Door origin now.
    pub fn set_origin_state(
        &mut self,
        origin: &str,
        state: Toggle,
        caller: &str,
    ) -> Result<(), WorldError> {
        let t = self.now;
        let fd = self
            .routing
            .fd
            .as_mut()
            .ok_or_else(|| WorldError::UnknownOrigin(origin.to_owned()))?;
        let o = fd
            .origins
            .iter_mut()
            .find(|o| o.name.eq_ignore_ascii_case(origin))
            .ok_or_else(|| WorldError::UnknownOrigin(origin.to_owned()))?;
        o.state.set(t, state);
        let resource = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Cdn/profiles/{}/originGroups/{}/origins/{}",
            fd.subscription_id, fd.resource_group, fd.profile, fd.origin_group, o.name
        );
        self.record_operation(
            "Microsoft.Cdn/profiles/originGroups/origins/write",
            &resource,
            caller,
            t,
            TimeDelta::seconds(20),
            &BTreeMap::new(),
        );
        Ok(())
    }

    /// Applies one timeline event at its time `t` (the world's `now` is `t`).
    pub(super) fn apply(&mut self, t: DateTime<Utc>, event: &Event) -> Result<(), WorldError> {
        match event {
            Event::Deploy {
                app,
                slot,
                version,
                deployer,
                author,
                ..
            } => {
                self.deploy(app, slot, version, deployer, author)?;
            }
            Event::Swap {
                app, slot, target, ..
            } => self.swap_slots(app, slot, target, PIPELINE)?,
            Event::Restart { app, slot, .. } => self.restart(app, slot, OPERATOR)?,
            Event::SettingsDrift {
                app,
                slot,
                changed,
                missing,
                ..
            } => {
                let (a, s) = self.app_slot(app, slot)?;
                let mut settings = self.apps[a].slots[s].settings.clone();
                let stamp = t.timestamp().to_string();
                for name in changed {
                    settings.insert(
                        name.clone(),
                        key(self.seed(), &["drift", app, name, &stamp], 32),
                    );
                }
                for name in missing {
                    settings.remove(name);
                }
                self.set_app_settings(app, slot, settings, OPERATOR)?;
            }
            Event::SetEndpointStatus {
                endpoint, status, ..
            } => self.set_endpoint_status(endpoint, *status, OPERATOR)?,
            Event::SetOriginState { origin, state, .. } => {
                self.set_origin_state(origin, *state, OPERATOR)?;
            }
            Event::ApiThrottling { .. }
            | Event::ApiErrors { .. }
            | Event::SlowApi { .. }
            | Event::ClearApiFaults { .. } => self.apply_api_fault(t, event),
            Event::RuntimeCorruption { .. }
            | Event::MessagingOutage { .. }
            | Event::ClearMessagingOutage { .. }
            | Event::KeyDrift { .. }
            | Event::Timers { .. }
            | Event::WorkerStuck { .. }
            | Event::ArtifactDeleted { .. } => self.apply_drill_fault(t, event)?,
            _ => self.apply_condition(t, event)?,
        }
        Ok(())
    }

    /// Applies an event that changes a condition: a version's behaviour, an outage, a failing
    /// dependency, a stopped consumer.
    fn apply_condition(&mut self, t: DateTime<Utc>, event: &Event) -> Result<(), WorldError> {
        match event {
            Event::BadVersion {
                version,
                failure_probability,
                latency_p50_ms,
                latency_p95_ms,
                ..
            } => {
                let initial = self.scenario.profile(version);
                self.version_changes
                    .entry(version.clone())
                    .or_insert_with(|| History::new(initial))
                    .set(
                        t,
                        VersionProfile {
                            failure_probability: *failure_probability,
                            latency_p50_ms: *latency_p50_ms,
                            latency_p95_ms: *latency_p95_ms,
                        },
                    );
            }
            Event::RegionOutage { region, .. } | Event::RegionRecover { region, .. } => {
                let out = matches!(event, Event::RegionOutage { .. });
                let r = self
                    .resolve_region(region)
                    .ok_or_else(|| WorldError::UnknownRegion(region.clone()))?;
                self.regions_out
                    .entry(r)
                    .or_insert_with(|| History::new(false))
                    .set(t, out);
            }
            Event::StorageOutage { account, .. } | Event::ClearStorageOutage { account, .. } => {
                let out = matches!(event, Event::StorageOutage { .. });
                let s = self
                    .storage
                    .iter_mut()
                    .find(|s| s.name.eq_ignore_ascii_case(account))
                    .ok_or_else(|| WorldError::UnknownAccount(account.clone()))?;
                s.outage.set(t, out);
            }
            Event::DependencyFailure { app, check, .. }
            | Event::ClearDependencyFailure { app, check, .. } => {
                let failing = matches!(event, Event::DependencyFailure { .. });
                let (a, _) = self.app_slot(app, PRODUCTION)?;
                let mut set = self.apps[a].failing_checks.current().clone();
                if failing {
                    set.insert(*check);
                } else {
                    set.remove(check);
                }
                self.apps[a].failing_checks.set(t, set);
            }
            Event::ConsumerStopped { app, .. } | Event::ClearConsumerStopped { app, .. } => {
                let stopped = matches!(event, Event::ConsumerStopped { .. });
                let (a, _) = self.app_slot(app, PRODUCTION)?;
                self.apps[a].consumer_stopped.set(t, stopped);
            }
            _ => {}
        }
        Ok(())
    }

    /// Applies an API fault window event.
    fn apply_api_fault(&mut self, t: DateTime<Utc>, event: &Event) {
        let window = |kind| FaultWindow {
            start: t,
            end: t,
            kind,
        };
        let w = match event {
            Event::ApiThrottling {
                duration,
                retry_after,
                ..
            } => FaultWindow {
                end: t + duration.delta(),
                ..window(FaultKind::Throttle {
                    retry_after: *retry_after,
                })
            },
            Event::ApiErrors {
                duration, status, ..
            } => FaultWindow {
                end: t + duration.delta(),
                ..window(FaultKind::Error { status: *status })
            },
            Event::SlowApi {
                duration, delay_ms, ..
            } => FaultWindow {
                end: t + duration.delta(),
                ..window(FaultKind::Slow {
                    delay_ms: *delay_ms,
                })
            },
            _ => {
                self.faults.clear(t);
                return;
            }
        };
        self.faults.add(w);
    }
}
