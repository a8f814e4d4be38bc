//! Template deployments: a deployment is `Accepted`, then `Running`, then `Succeeded` or `Failed`
//! over virtual time, and its resources take effect when it completes. A succeeded deployment
//! of an existing function app rebuilds it: its production app settings become the template's
//! (when the template sets them), and the app's own faults (failing dependency checks, a stopped
//! consumer) are cleared. Its running version is kept, as in Azure, where an ARM deployment
//! changes configuration but not the code a zip deploy put there.
//!
//! The simulated estate is fixed: a deployment that would create a site, or delete resources
//! (Complete mode), fails with an error saying so. Owns the deployment records and what a
//! completion does; predicting changes is `what_if`'s, evaluating templates `template_eval`'s.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

use super::World;
use super::apps::PRODUCTION;
use super::infra::{InfraError, OpKind, Operation};
use super::template_eval::{Evaluated, RgContext};
use super::what_if::{config_settings, is_site, site_settings};
use crate::azure::wire::deployments::WhatIfOperationResult;

/// One run of a named deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentRecord {
    /// Where.
    pub rg: RgContext,
    /// Name.
    pub name: String,
    /// Complete mode (else Incremental).
    pub complete: bool,
    /// The evaluated template.
    pub evaluated: Evaluated,
    /// Correlation id.
    pub correlation_id: String,
    /// The operation that runs it.
    pub operation: usize,
    /// When it was accepted.
    pub started: DateTime<Utc>,
    /// When it starts running.
    pub running_at: DateTime<Utc>,
    /// When it ends.
    pub due: DateTime<Utc>,
    /// Whether it has ended.
    pub finished: bool,
    /// Why it failed (code, message).
    pub failure: Option<(String, String)>,
    /// The resources it wrote.
    pub output_resources: Vec<String>,
}

impl DeploymentRecord {
    /// The deployment's ARM id.
    pub fn id(&self) -> String {
        format!(
            "{}/providers/Microsoft.Resources/deployments/{}",
            self.rg.id(),
            self.name
        )
    }

    /// `Accepted`, `Running`, `Succeeded` or `Failed` at `t`.
    pub fn state_at(&self, t: DateTime<Utc>) -> &'static str {
        if !self.finished || t < self.due {
            if t < self.running_at {
                "Accepted"
            } else {
                "Running"
            }
        } else if self.failure.is_some() {
            "Failed"
        } else {
            "Succeeded"
        }
    }
}

impl World {
    /// The resource group `rg` of subscription `subscription` as a deployment target.
    pub fn rg_context(&self, subscription: &str, rg: &str) -> Option<RgContext> {
        self.estate
            .regions
            .iter()
            .find(|r| {
                r.subscription_id.eq_ignore_ascii_case(subscription)
                    && r.resource_group.eq_ignore_ascii_case(rg)
            })
            .map(|r| RgContext {
                subscription_id: r.subscription_id.clone(),
                resource_group: r.resource_group.clone(),
                location: r.location.clone(),
            })
    }

    /// The latest run of the deployment `name` in a resource group.
    pub fn deployment(&self, rg: &RgContext, name: &str) -> Option<&DeploymentRecord> {
        self.infra
            .deployments
            .iter()
            .rev()
            .find(|d| d.rg == *rg && d.name.eq_ignore_ascii_case(name))
    }

    /// The latest run of each deployment in a resource group, by name.
    pub fn deployments_in(&self, rg: &RgContext) -> Vec<&DeploymentRecord> {
        let mut seen = BTreeSet::new();
        let mut out: Vec<&DeploymentRecord> = self
            .infra
            .deployments
            .iter()
            .rev()
            .filter(|d| d.rg == *rg && seen.insert(d.name.to_ascii_lowercase()))
            .collect();
        out.reverse();
        out
    }

    /// The deployment an operation runs.
    pub fn deployment_of(&self, op: &Operation) -> Option<&DeploymentRecord> {
        match op.kind {
            OpKind::Deployment(d) => self.infra.deployments.get(d),
            _ => None,
        }
    }

    /// Starts a deployment; returns the operation id and whether the name is new. Refused while
    /// a run of the same name is in progress.
    pub fn begin_deployment(
        &mut self,
        rg: RgContext,
        name: &str,
        evaluated: Evaluated,
        complete: bool,
        caller: &str,
    ) -> Result<(String, bool), InfraError> {
        let previous = self.deployment(&rg, name);
        if previous.is_some_and(|d| !d.finished) {
            return Err(InfraError::Conflict {
                code: "DeploymentActive",
                message: format!(
                    "Unable to edit or replace deployment '{name}': previous deployment from \
                     '{}' is still active. Please see https://aka.ms/arm-deploy for usage details.",
                    previous
                        .map(|d| d.started.to_rfc3339_opts(SecondsFormat::Secs, true))
                        .unwrap_or_default()
                ),
            });
        }
        let created = previous.is_none();
        let t = self.now;
        let timings = self.infra.timings;
        let correlation_id = self.next_guid("correlation");
        let d = self.infra.deployments.len();
        // The operation `begin_operation` pushes next; the record must exist before it, as a
        // zero duration completes the operation at once.
        let operation = self.infra.operations.len();
        self.infra.deployments.push(DeploymentRecord {
            rg,
            name: name.to_owned(),
            complete,
            evaluated,
            correlation_id,
            operation,
            started: t,
            running_at: t + timings.deployment_accept.min(timings.deployment_total),
            due: t + timings.deployment_total,
            finished: false,
            failure: None,
            output_resources: Vec::new(),
        });
        let i = self.begin_operation(OpKind::Deployment(d), timings.deployment_total, caller);
        Ok((self.infra.operations[i].id.clone(), created))
    }

    /// Starts a what-if whose result is ready after its delay; returns the operation id.
    pub fn begin_what_if(&mut self, result: WhatIfOperationResult, caller: &str) -> String {
        let d = self.infra.timings.what_if;
        let i = self.begin_operation(OpKind::WhatIf(Box::new(result)), d, caller);
        self.infra.operations[i].id.clone()
    }

    /// Why a deployment cannot be carried out in the simulated estate, if it cannot.
    fn not_simulated(&self, rec: &DeploymentRecord) -> Option<(String, String)> {
        let changes = self.what_if(&rec.rg, &rec.evaluated.resources, rec.complete);
        if let Some(c) = changes.iter().find(|c| c.change_type == "Create") {
            return Some((
                "ResourceNotSimulated".to_owned(),
                format!(
                    "The simulated estate is fixed: it cannot create '{}'.",
                    c.resource_id.as_deref().unwrap_or_default()
                ),
            ));
        }
        changes.iter().find(|c| c.change_type == "Delete").map(|c| {
            (
                "ResourceNotSimulated".to_owned(),
                format!(
                    "The simulated estate is fixed: Complete mode would delete '{}'.",
                    c.resource_id.as_deref().unwrap_or_default()
                ),
            )
        })
    }

    /// Applies a completed deployment at the world's now; returns its failure, if any.
    pub(super) fn complete_deployment(
        &mut self,
        op: &Operation,
        d: usize,
    ) -> Option<(String, String)> {
        let t = self.now;
        let rec = self.infra.deployments.get(d).cloned()?;
        let failure = self.not_simulated(&rec);
        let mut outputs = Vec::new();
        if failure.is_none() {
            for r in &rec.evaluated.resources {
                outputs.push(rec.rg.resource_id(&r.resource_type, &r.name));
                if is_site(r) {
                    self.rebuild_site(&r.name, site_settings(r), &rec.name, &op.caller);
                } else if let Some((site, settings)) = config_settings(r)
                    && let Err(e) = self.set_app_settings(&site, PRODUCTION, settings, &op.caller)
                {
                    tracing::warn!(error = %e, "template appsettings not applied");
                }
            }
        }
        let props = BTreeMap::from([
            ("deploymentName".to_owned(), rec.name.clone()),
            (
                "provisioningState".to_owned(),
                if failure.is_some() {
                    "Failed"
                } else {
                    "Succeeded"
                }
                .to_owned(),
            ),
        ]);
        self.record_operation(
            "Microsoft.Resources/deployments/write",
            &rec.id(),
            &op.caller,
            t,
            t - rec.started,
            &props,
        );
        if let Some(r) = self.infra.deployments.get_mut(d) {
            r.finished = true;
            r.failure.clone_from(&failure);
            r.output_resources = outputs;
        }
        failure
    }

    /// Rebuilds an existing app from a template now: settings from the template (when given),
    /// its own faults cleared, its running version kept.
    fn rebuild_site(
        &mut self,
        name: &str,
        settings: Option<BTreeMap<String, String>>,
        deployment: &str,
        caller: &str,
    ) {
        let t = self.now;
        let Some(a) = self.app_index(name) else {
            return;
        };
        if let Some(settings) = settings
            && let Err(e) = self.set_app_settings(name, PRODUCTION, settings, caller)
        {
            tracing::warn!(error = %e, "template settings not applied");
        }
        let app = &mut self.apps[a];
        if !app.failing_checks.current().is_empty() {
            app.failing_checks.set(t, BTreeSet::new());
        }
        if *app.consumer_stopped.current() {
            app.consumer_stopped.set(t, false);
        }
        if *app.corrupted.current() {
            app.corrupted.set(t, false);
        }
        let id = app.id();
        let props = BTreeMap::from([("deploymentName".to_owned(), deployment.to_owned())]);
        self.record_operation(
            "Microsoft.Web/sites/write",
            &id,
            caller,
            t,
            TimeDelta::seconds(20),
            &props,
        );
    }
}
