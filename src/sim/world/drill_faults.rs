//! The faults drills need beyond outages and failing checks: an app's runtime state corrupted
//! (cleared only by a rebuild from its template), a slot's worker stuck (cleared only by a
//! restart), a messaging namespace out (its consumers fail their messaging check until it
//! recovers or their geo-DR alias points at the partner), a key rotated in one app only, an
//! app's timer functions switched on or off, and a release's package deleted from the artifact
//! store.
//!
//! Owns these conditions and the timeline events that set them; health reads them here.

use chrono::{DateTime, Utc};

use super::apps::PRODUCTION;
use super::history::History;
use super::keys::HostKeyKind;
use super::{World, WorldError};
use crate::config::QueueKind;
use crate::sim::scenario::Event;

/// The caller the activity log shows for hand changes in the timeline.
const OPERATOR: &str = "ops-engineer@contoso.example";

impl World {
    /// Applies a drill fault event at `t`; other events are ignored.
    pub(super) fn apply_drill_fault(
        &mut self,
        t: DateTime<Utc>,
        event: &Event,
    ) -> Result<(), WorldError> {
        match event {
            Event::RuntimeCorruption { app, .. } => {
                let (a, _) = self.app_slot(app, PRODUCTION)?;
                self.apps[a].corrupted.set(t, true);
            }
            Event::WorkerStuck { app, slot, .. } => {
                let (a, s) = self.app_slot(app, slot)?;
                self.apps[a].slots[s].stuck.set(t, true);
            }
            Event::ArtifactDeleted {
                service, version, ..
            } => self
                .deleted_artifacts
                .push((t, super::artifacts::artifact_name(service, version))),
            Event::MessagingOutage { namespace, .. }
            | Event::ClearMessagingOutage { namespace, .. } => {
                let out = matches!(event, Event::MessagingOutage { .. });
                self.namespaces_out
                    .entry(namespace.to_ascii_lowercase())
                    .or_insert_with(|| History::new(false))
                    .set(t, out);
            }
            Event::KeyDrift {
                app,
                slot,
                function,
                name,
                ..
            } => {
                match function {
                    Some(f) => self.set_function_key(app, slot, f, name, None, OPERATOR)?,
                    None => {
                        self.set_host_key(app, slot, HostKeyKind::Function, name, None, OPERATOR)?
                    }
                };
            }
            Event::Timers {
                app, slot, enabled, ..
            } => {
                let (a, s) = self.app_slot(app, slot)?;
                let timers: Vec<String> = self
                    .estate
                    .app(app)
                    .map(|c| c.timer_functions.clone())
                    .unwrap_or_default();
                let mut settings = self.apps[a].slots[s].settings.clone();
                for f in timers {
                    settings.insert(
                        format!("AzureWebJobs.{f}.Disabled"),
                        if *enabled { "false" } else { "true" }.to_owned(),
                    );
                }
                self.set_app_settings(app, slot, settings, OPERATOR)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether a namespace is out at `t`.
    pub fn namespace_out(&self, namespace: &str, t: DateTime<Utc>) -> bool {
        self.namespaces_out
            .get(&namespace.to_ascii_lowercase())
            .is_some_and(|h| *h.at(t))
    }

    /// The namespace a consumer of `account` reaches at `t`: through its geo-DR alias, the
    /// alias's primary (the partner once a failover broke the pairing); else the namespace itself.
    pub fn reached_namespace(&self, account: &str, t: DateTime<Utc>) -> String {
        let alias = self.aliases.iter().find(|a| {
            a.primary_namespace.eq_ignore_ascii_case(account)
                || a.secondary_namespace.eq_ignore_ascii_case(account)
        });
        match alias {
            Some(a) => self
                .broken_at(&a.name, t)
                .map_or_else(|| a.primary_namespace.clone(), |b| b.primary.clone()),
            None => account.to_owned(),
        }
    }

    /// The messaging checks of an app at `t` that fail because the namespace it consumes
    /// through is out: `servicebus` or `eventhubs`.
    pub(super) fn failing_messaging(&self, app: usize, t: DateTime<Utc>) -> Vec<&'static str> {
        let mut out = Vec::new();
        for q in self.queues.iter().filter(|q| q.app == Some(app)) {
            let key = match q.kind {
                QueueKind::ServiceBus => "servicebus",
                QueueKind::EventHubs => "eventhubs",
                QueueKind::Storage => continue,
            };
            if self.namespace_out(&self.reached_namespace(&q.account, t), t) && !out.contains(&key)
            {
                out.push(key);
            }
        }
        out
    }

    /// Whether an app's runtime state is corrupted at `t`.
    pub fn corrupted(&self, app: usize, t: DateTime<Utc>) -> bool {
        *self.apps[app].corrupted.at(t)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::config::Estate;
    use crate::sim::scenario::Scenario;
    use crate::sim::world::HealthStatus;

    fn world_with(events: &str) -> World {
        let calm = Scenario::builtin("calm").expect("calm");
        let text =
            format!("name='x'\ndescription='d'\nseed=1\nstart='2026-04-04T09:00:00Z'\n{events}");
        let mut s = Scenario::parse(&text, "x.toml").expect("parses");
        s.apps = calm.apps;
        s.defaults = calm.defaults;
        World::new(&Estate::demo(), &s).expect("world")
    }

    #[test]
    fn a_corrupted_runtime_fails_every_slot_until_cleared() {
        let mut w = world_with(
            "[[event]]\nkind='runtime-corruption'\nat='1m'\napp='func-orders-prod-krc'\n",
        );
        let start = w.start();
        w.advance_to(start + TimeDelta::minutes(2));
        let a = w.app_index("func-orders-prod-krc").expect("app");
        assert_eq!(w.health(a, 0, start).status, HealthStatus::Healthy);
        let t = start + TimeDelta::minutes(2);
        for slot in 0..2 {
            let h = w.health(a, slot, t);
            assert_eq!(h.status, HealthStatus::Unhealthy);
            assert_eq!(h.checks["application"], HealthStatus::Unhealthy);
            assert_eq!(
                h.checks["storage"],
                HealthStatus::Healthy,
                "no dependency named"
            );
        }
        assert!(w.failure_probability(a, 0, t) > 0.5);
        w.restart("func-orders-prod-krc", PRODUCTION, "x")
            .expect("restart");
        assert!(w.corrupted(a, t), "a restart does not clear it");
    }

    #[test]
    fn a_messaging_outage_fails_the_consumers_until_the_alias_points_elsewhere() {
        let mut w = world_with(
            "[[event]]\nkind='messaging-outage'\nat='1m'\nnamespace='evhns-functions-prod-krc'\n",
        );
        let start = w.start();
        let t = start + TimeDelta::minutes(2);
        w.advance_to(t);
        let a = w.app_index("func-telemetry-prod-krc").expect("app");
        let h = w.health(a, 0, t);
        assert_eq!(h.status, HealthStatus::Unhealthy);
        assert_eq!(h.checks["eventhubs"], HealthStatus::Unhealthy);
        assert_eq!(h.checks["application"], HealthStatus::Healthy);
        let other = w.app_index("func-fulfil-prod-krc").expect("app");
        assert_eq!(w.health(other, 0, t).status, HealthStatus::Healthy);
        // After the alias failover the consumer reaches the partner namespace.
        w.begin_alias_failover("evhns-functions-prod-jpe", "evh-functions-prod", false, "x")
            .expect("failover accepted");
        let later = t + TimeDelta::minutes(5);
        w.advance_to(later);
        assert_eq!(
            w.reached_namespace("evhns-functions-prod-krc", later),
            "evhns-functions-prod-jpe"
        );
        assert_eq!(w.health(a, 0, later).status, HealthStatus::Healthy);
    }

    #[test]
    fn timers_and_key_drift_change_one_app_only() {
        let mut w = world_with(
            "[[event]]\nkind='timers'\nat='1m'\napp='func-reconcile-prod-jpe'\nenabled=true\n\
             [[event]]\nkind='key-drift'\nat='1m'\napp='func-orders-prod-jpe'\nfunction='CreateOrder'\n",
        );
        let before = w.clone();
        w.advance_to(w.start() + TimeDelta::minutes(2));
        let jpe = w.app("func-reconcile-prod-jpe").expect("app");
        let slot = jpe.slot(PRODUCTION).expect("slot");
        assert!(!jpe.function_disabled(slot, "NightlyReconcile"));
        let old = before.app("func-reconcile-prod-jpe").expect("app");
        assert!(old.function_disabled(old.slot(PRODUCTION).expect("slot"), "NightlyReconcile"));
        let keys = |w: &World| {
            w.app("func-orders-prod-jpe")
                .and_then(|a| a.slot(PRODUCTION))
                .map(|s| s.function_keys.clone())
                .expect("keys")
        };
        assert_ne!(keys(&before), keys(&w));
    }

    #[test]
    fn a_stuck_worker_fails_its_slot_until_a_restart_and_a_deploy_does_not_clear_it() {
        let mut w =
            world_with("[[event]]\nkind='worker-stuck'\nat='1m'\napp='func-orders-prod-krc'\n");
        let start = w.start();
        let t = start + TimeDelta::minutes(2);
        w.advance_to(t);
        let a = w.app_index("func-orders-prod-krc").expect("app");
        assert_eq!(w.health(a, 0, start).status, HealthStatus::Healthy);
        let h = w.health(a, 0, t);
        assert_eq!(h.checks["application"], HealthStatus::Unhealthy);
        assert!(w.failure_probability(a, 0, t) > 0.5);
        assert_eq!(w.health(a, 1, t).status, HealthStatus::Healthy, "staging");
        let version = h.version.clone();
        w.deploy(
            "func-orders-prod-krc",
            PRODUCTION,
            &version,
            "ZipDeploy",
            "x",
        )
        .expect("deploy");
        assert_eq!(w.health(a, 0, t).status, HealthStatus::Unhealthy);
        w.restart("func-orders-prod-krc", PRODUCTION, "x")
            .expect("restart");
        assert_eq!(w.health(a, 0, t).status, HealthStatus::Healthy);
        assert!(w.failure_probability(a, 0, t) < 0.05);
    }

    #[test]
    fn a_deleted_package_leaves_the_artifact_store_for_good() {
        let calm = world_with("");
        let version = calm
            .app("func-orders-prod-krc")
            .and_then(|a| a.slot(PRODUCTION))
            .map(|s| s.version.current().clone())
            .expect("version");
        let mut w = world_with(&format!(
            "[[event]]\nkind='artifact-deleted'\nat='1m'\nservice='orders-api'\nversion='{version}'\n"
        ));
        let name = format!("orders-api/{version}.zip");
        assert!(w.artifact_exists(&name), "listed before");
        w.advance_to(w.start() + TimeDelta::minutes(2));
        assert!(!w.artifact_exists(&name), "gone after");
        assert!(
            w.artifacts().iter().any(|b| b.service == "catalog-api"),
            "only that package goes"
        );
        let text = "name='x'\ndescription='d'\nseed=1\nstart='2026-04-04T09:00:00Z'\n\
                    [[event]]\nkind='artifact-deleted'\nat='1m'\nservice='nope-api'\nversion='1'\n";
        let s = Scenario::parse(text, "x.toml").expect("parses");
        let e = World::new(&Estate::demo(), &s).expect_err("an unknown service");
        assert!(e.to_string().contains("nope-api"), "{e}");
    }
}
