//! [`AzureEffects`]: the effects against Azure (or the simulator) through the one client. The
//! writes go through `crate::azure::writes` (`web`: swaps, restarts, settings, keys, zip deploy;
//! `infra`: routes, messaging, storage, locks, alert rules, templates); the checks (`checks`) and
//! the forensic copies (`forensic`) use the client's reads; `observe` and `observe_governance`
//! read back whether an effect's change is in place (reconciliation after a crash, and the plans'
//! read-back checks).
//!
//! Owns turning an [`Effect`] into client calls and a secret-free [`StepReport`]. Values of
//! settings and keys exist here only inside one read-modify-write, held in
//! [`crate::azure::Redacted`], and are never formatted, logged or returned; forensic files hold
//! names and digests, and deployment logs with secrets masked.

mod checks;
mod forensic;
mod infra;
mod observe;
mod observe_governance;
mod web;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::effect::Effect;
use super::executor::{ActError, Effects, Observation, StepProgress, StepReport};
use crate::azure::lro::{LroClock, LroOptions, LroProgress, TokioClock};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::{AzureClient, QueueAuth};
use crate::config::Estate;

/// The effects against Azure.
#[derive(Clone)]
pub struct AzureEffects {
    /// The client.
    pub client: AzureClient,
    /// The estate (health URLs, Kudu URLs, apps' functions).
    pub estate: Estate,
    /// The incident folder (forensic files go under it).
    pub incident_dir: PathBuf,
    /// Cadence and deadline of long-running operations.
    pub lro: LroOptions,
    /// How long a check may wait for the expected state.
    pub verify_timeout: Duration,
    /// How long between two checks.
    pub verify_interval: Duration,
    /// How to read the artifact store's listing before a zip deploy; `None` skips the check.
    pub artifact_auth: Option<QueueAuth>,
    /// Makes the clock each wait runs on (tokio's; a virtual one in drills and tests).
    pub clock: ClockFactory,
    /// The time now (the activity log window of a forensic copy ends here): the wall clock, or
    /// the simulator's virtual time.
    pub now: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
}

/// Makes a fresh clock for one wait (its `elapsed` starts at zero).
pub type ClockFactory = Arc<dyn Fn() -> Box<dyn LroClock> + Send + Sync>;

impl fmt::Debug for AzureEffects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureEffects")
            .field("client", &self.client)
            .field("incident_dir", &self.incident_dir)
            .field("lro", &self.lro)
            .field("artifact_auth", &self.artifact_auth)
            .finish_non_exhaustive()
    }
}

impl AzureEffects {
    /// Effects with the default operation options, checks that wait up to 5 minutes probing
    /// every 10 seconds, and no artifact listing before a zip deploy.
    pub fn new(client: AzureClient, estate: Estate, incident_dir: PathBuf) -> Self {
        Self {
            client,
            estate,
            incident_dir,
            lro: LroOptions::default(),
            verify_timeout: Duration::from_mins(5),
            verify_interval: Duration::from_secs(10),
            artifact_auth: None,
            clock: Arc::new(|| Box::new(TokioClock::start())),
            now: Arc::new(Utc::now),
        }
    }

    /// A fresh clock for one wait.
    fn clock(&self) -> Box<dyn LroClock> {
        (self.clock)()
    }

    fn health_url(&self, app: &str) -> Result<String, ActError> {
        let a = self
            .estate
            .app(app)
            .ok_or_else(|| ActError::Precondition(format!("{app} is not in the estate")))?;
        Ok(super::actions::steps::health_url(&self.estate, a))
    }
}

/// A long-running operation's polls as step progress.
fn polls(progress: &StepProgress) -> impl FnMut(&LroProgress) + Send + '_ {
    move |p: &LroProgress| progress.poll(p.polls, &p.status, p.percent_complete)
}

/// The resource group an ARM id is in (`/subscriptions/{sub}/resourceGroups/{rg}/…`).
fn group_of(id: &str) -> Result<ResourceGroupRef, ActError> {
    let segs: Vec<&str> = id.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        [s, sub, g, rg, ..]
            if s.eq_ignore_ascii_case("subscriptions")
                && g.eq_ignore_ascii_case("resourceGroups") =>
        {
            Ok(ResourceGroupRef {
                subscription: (*sub).to_owned(),
                resource_group: (*rg).to_owned(),
            })
        }
        _ => Err(ActError::Precondition(format!(
            "{id} is not a resource group or a resource in one"
        ))),
    }
}

/// The last segment of an ARM id (the resource's name).
fn last(id: &str) -> &str {
    id.trim_end_matches('/').rsplit('/').next().unwrap_or(id)
}

#[async_trait::async_trait]
impl Effects for AzureEffects {
    async fn run(&self, effect: &Effect, progress: &StepProgress) -> Result<StepReport, ActError> {
        match effect {
            Effect::Verify(check) => self.verify(check, progress).await,
            Effect::Forensics {
                app,
                site_id,
                folder,
                part,
                since,
            } => self.forensics(app, site_id, folder, *part, *since).await,
            Effect::Swap {
                site_id,
                source_slot,
                target_slot,
            } => self.swap(site_id, source_slot, target_slot, progress).await,
            Effect::Restart {
                site_id,
                app,
                slot,
                only_if_unhealthy,
                warm_up_secs,
            } => {
                let warm_up = only_if_unhealthy.then(|| Duration::from_secs(*warm_up_secs));
                self.restart(site_id, app, slot, warm_up, progress).await
            }
            Effect::MergeSettings { site_id, slot, set } => {
                self.merge_settings(site_id, slot, set).await
            }
            Effect::SyncKeys {
                from_site,
                to_site,
                names,
            } => self.sync_keys(from_site, to_site, names).await,
            Effect::ZipDeploy {
                app,
                scm,
                package_uri,
                version,
            } => {
                self.zip_deploy(app, scm, package_uri, version, progress)
                    .await
            }
            other => self.infra(other, progress).await,
        }
    }

    async fn observe(&self, effect: &Effect) -> Observation {
        self.observe_effect(effect).await
    }
}

/// The effect's operation name, as serialised.
pub fn op_name(effect: &Effect) -> String {
    serde_json::to_value(effect)
        .ok()
        .and_then(|v| v["op"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_of_reads_the_resource_group_from_an_id() {
        let g = group_of("/subscriptions/s1/resourceGroups/rg-a/providers/Microsoft.Web/sites/x")
            .expect("parses");
        assert_eq!(
            (g.subscription.as_str(), g.resource_group.as_str()),
            ("s1", "rg-a")
        );
        assert!(group_of("/providers/Microsoft.Web").is_err());
        assert_eq!(last("/a/b/c/"), "c");
    }
}
