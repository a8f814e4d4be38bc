//! ARM template deployments at a resource group: validate, what-if (a long-running operation
//! whose result lists the changes), then the deployment, polled to a terminal state.
//!
//! Templates and parameters hold secret values (app settings), and so do what-if's `before` and
//! `after`: this module sends them and never returns them. [`WhatIfResult`] keeps resource ids,
//! change types and property paths only (an app setting's path names the setting, never its
//! value); [`DeploymentOutcome`] keeps no parameters. Owns these calls; it must not decide
//! whether to deploy.

use std::time::Duration;

use serde_json::Value;

use crate::azure::client::{AzureClient, Method};
use crate::azure::error::{Error, Result};
use crate::azure::lro::{self, LroClock, LroOptions, LroProgress, TokioClock};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::azure::wire::deployments::{
    DeploymentDiagnostic, DeploymentExtended, DeploymentRequest, DeploymentRequestProperties,
    WhatIfOperationResult, WhatIfPropertyChange,
};

/// How resources the template does not name are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentMode {
    /// They are left alone.
    Incremental,
    /// They are deleted.
    Complete,
}

impl DeploymentMode {
    fn as_str(self) -> &'static str {
        match self {
            Self::Incremental => "Incremental",
            Self::Complete => "Complete",
        }
    }
}

/// What validation found (no parameter values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateValidation {
    /// The resources validated.
    pub validated_resources: Vec<String>,
    /// Warnings and information.
    pub diagnostics: Vec<DeploymentDiagnostic>,
}

/// What a deployment would change, without any value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatIfResult {
    /// `Succeeded` or `Failed`.
    pub status: String,
    /// One per resource.
    pub changes: Vec<ResourceChange>,
}

/// The predicted change to one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceChange {
    /// The resource's ARM id.
    pub resource_id: String,
    /// `Create`, `Delete`, `Ignore`, `Deploy`, `NoChange`, `Modify` or `Unsupported`.
    pub change_type: String,
    /// Why it cannot be predicted (`Unsupported`).
    pub unsupported_reason: Option<String>,
    /// Property-level changes (`Modify`), leaves only.
    pub properties: Vec<PropertyChange>,
}

/// A changed property: its path (array elements named by their `name` when they have one, e.g.
/// `properties.siteConfig.appSettings[DB_HOST]`) and `Create`, `Delete` or `Modify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyChange {
    /// Path.
    pub path: String,
    /// Change.
    pub change_type: String,
}

impl WhatIfResult {
    /// The value-free summary of what-if's answer.
    pub fn of(result: &WhatIfOperationResult) -> Self {
        let changes = result
            .properties
            .iter()
            .flat_map(|p| &p.changes)
            .map(|c| {
                let mut properties = Vec::new();
                for d in &c.delta {
                    flatten(d, "", &mut properties);
                }
                ResourceChange {
                    resource_id: c.resource_id.clone().unwrap_or_default(),
                    change_type: c.change_type.clone(),
                    unsupported_reason: c.unsupported_reason.clone(),
                    properties,
                }
            })
            .collect();
        Self {
            status: result.status.clone(),
            changes,
        }
    }

    /// The change predicted for a resource, by id (case-insensitive).
    pub fn change_of(&self, resource_id: &str) -> Option<&ResourceChange> {
        self.changes
            .iter()
            .find(|c| c.resource_id.eq_ignore_ascii_case(resource_id))
    }
}

/// Leaves of a property change, with element names in place of array indices.
fn flatten(d: &WhatIfPropertyChange, prefix: &str, out: &mut Vec<PropertyChange>) {
    let array = d.property_change_type.eq_ignore_ascii_case("Array");
    let path = if prefix.is_empty() {
        d.path.clone()
    } else if d.path.chars().all(|c| c.is_ascii_digit()) {
        format!("{prefix}[{}]", d.path)
    } else {
        format!("{prefix}.{}", d.path)
    };
    if d.children.is_empty() {
        out.push(PropertyChange {
            path,
            change_type: d.property_change_type.clone(),
        });
        return;
    }
    for c in &d.children {
        let element = [&c.after, &c.before]
            .into_iter()
            .flatten()
            .find_map(|v| v.get("name").and_then(Value::as_str));
        match element {
            Some(name) if array => {
                let named = format!("{path}[{name}]");
                if c.children.is_empty() {
                    out.push(PropertyChange {
                        path: named,
                        change_type: c.property_change_type.clone(),
                    });
                } else {
                    for g in &c.children {
                        flatten(g, &named, out);
                    }
                }
            }
            _ => flatten(c, &path, out),
        }
    }
}

/// A deployment's state (no parameters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentOutcome {
    /// ARM id.
    pub id: String,
    /// `Accepted`, `Running`, `Succeeded`, `Failed` or `Canceled`.
    pub provisioning_state: String,
    /// When it last changed.
    pub timestamp: Option<String>,
    /// How long it ran (ISO 8601).
    pub duration: Option<String>,
    /// Correlation id (for the activity log).
    pub correlation_id: Option<String>,
    /// The resources it wrote.
    pub output_resources: Vec<String>,
}

impl DeploymentOutcome {
    fn of(d: &DeploymentExtended) -> Self {
        let p = &d.properties;
        Self {
            id: d.id.clone(),
            provisioning_state: p.provisioning_state.clone().unwrap_or_default(),
            timestamp: p.timestamp.clone(),
            duration: p.duration.clone(),
            correlation_id: p.correlation_id.clone(),
            output_resources: p.output_resources.iter().map(|r| r.id.clone()).collect(),
        }
    }
}

/// The deployment `name`'s path in a resource group.
pub fn deployment_id(rg: &ResourceGroupRef, name: &str) -> String {
    rg.provider("Microsoft.Resources", &format!("deployments/{name}"))
}

fn request(template: &Value, parameters: &Value, mode: DeploymentMode) -> Result<Value> {
    serde_json::to_value(DeploymentRequest {
        location: None,
        properties: DeploymentRequestProperties {
            template: Some(template.clone()),
            template_link: None,
            parameters: Some(parameters.clone()),
            mode: Some(mode.as_str().to_owned()),
            on_error_deployment: None,
        },
    })
    .map_err(|e| Error::Decode {
        what: "request body".into(),
        detail: e.to_string(),
    })
}

/// Validates a deployment; a template Azure rejects is `Error::Arm` 400
/// `InvalidTemplateDeployment` (its details name each problem).
pub async fn validate_template(
    client: &AzureClient,
    req: &TemplateRequest<'_>,
) -> Result<TemplateValidation> {
    let body = request(req.template, req.parameters, req.mode)?;
    let path = format!("{}/validate", deployment_id(req.rg, req.name));
    let reply = client
        .begin(Method::Post, &path, api::DEPLOYMENTS, Some(&body))
        .await?;
    let d: DeploymentExtended = reply.json("deployment validation")?;
    Ok(TemplateValidation {
        validated_resources: d
            .properties
            .validated_resources
            .into_iter()
            .map(|r| r.id)
            .collect(),
        diagnostics: d.properties.diagnostics,
    })
}

/// Asks what a deployment would change, follows the operation, and returns the changes.
pub async fn template_what_if(
    client: &AzureClient,
    req: &TemplateRequest<'_>,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
) -> Result<WhatIfResult> {
    template_what_if_with_clock(client, req, options, progress, &TokioClock::start()).await
}

/// A deployment's target and content.
#[derive(Debug, Clone, Copy)]
pub struct TemplateRequest<'a> {
    /// Resource group.
    pub rg: &'a ResourceGroupRef,
    /// Deployment name (at most 64 characters).
    pub name: &'a str,
    /// The template.
    pub template: &'a Value,
    /// `{"name": {"value": …}}`.
    pub parameters: &'a Value,
    /// Mode.
    pub mode: DeploymentMode,
}

/// [`template_what_if`] with an injected clock for the waits.
pub async fn template_what_if_with_clock(
    client: &AzureClient,
    req: &TemplateRequest<'_>,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
    clock: &dyn LroClock,
) -> Result<WhatIfResult> {
    let body = request(req.template, req.parameters, req.mode)?;
    let path = format!("{}/whatIf", deployment_id(req.rg, req.name));
    let first = client
        .begin(Method::Post, &path, api::DEPLOYMENTS, Some(&body))
        .await?;
    let outcome = lro::wait_with_clock(client, first, options, progress, clock).await?;
    let result: WhatIfOperationResult = outcome.reply.json("what-if result")?;
    if result.status.eq_ignore_ascii_case("Failed") {
        return Err(Error::LroFailed {
            status: result.status,
            error: result.error,
        });
    }
    Ok(WhatIfResult::of(&result))
}

/// Deploys a template and polls the deployment until it ends; `Failed` is `Error::LroFailed`
/// with ARM's error (its details say why).
pub async fn deploy_template(
    client: &AzureClient,
    req: &TemplateRequest<'_>,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
) -> Result<DeploymentOutcome> {
    deploy_template_with_clock(client, req, options, progress, &TokioClock::start()).await
}

/// [`deploy_template`] with an injected clock for the waits.
pub async fn deploy_template_with_clock(
    client: &AzureClient,
    req: &TemplateRequest<'_>,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
    clock: &dyn LroClock,
) -> Result<DeploymentOutcome> {
    let body = request(req.template, req.parameters, req.mode)?;
    let path = deployment_id(req.rg, req.name);
    let first = client
        .begin(Method::Put, &path, api::DEPLOYMENTS, Some(&body))
        .await?;
    if first.header("azure-asyncoperation").is_some() {
        lro::wait_with_clock(client, first, options, progress, clock).await?;
        return get_deployment(client, req.rg, req.name).await;
    }
    // No operation to follow: poll the deployment itself.
    let interval = first
        .retry_after()
        .unwrap_or(options.default_interval)
        .max(options.poll_floor);
    poll_deployment(client, req, options, progress, clock, interval).await
}

async fn poll_deployment(
    client: &AzureClient,
    req: &TemplateRequest<'_>,
    options: &LroOptions,
    progress: &mut (dyn FnMut(&LroProgress) + Send),
    clock: &dyn LroClock,
    interval: Duration,
) -> Result<DeploymentOutcome> {
    let mut polls = 0u32;
    loop {
        let path = deployment_id(req.rg, req.name);
        let d: DeploymentExtended = client.get_json(&path, api::DEPLOYMENTS).await?;
        polls += 1;
        let state = d.properties.provisioning_state.clone().unwrap_or_default();
        match state.to_ascii_lowercase().as_str() {
            "succeeded" => return Ok(DeploymentOutcome::of(&d)),
            "failed" | "canceled" => {
                return Err(Error::LroFailed {
                    status: state,
                    error: d.properties.error,
                });
            }
            _ => {}
        }
        if clock.elapsed() + interval > options.timeout {
            return Err(Error::Timeout);
        }
        progress(&LroProgress {
            polls,
            status: state,
            percent_complete: None,
            elapsed: clock.elapsed(),
            next_poll_in: interval,
        });
        clock.sleep(interval).await;
    }
}

/// A deployment's current state.
pub async fn get_deployment(
    client: &AzureClient,
    rg: &ResourceGroupRef,
    name: &str,
) -> Result<DeploymentOutcome> {
    let d: DeploymentExtended = client
        .get_json(&deployment_id(rg, name), api::DEPLOYMENTS)
        .await?;
    Ok(DeploymentOutcome::of(&d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_if_summaries_name_settings_and_drop_values() {
        let wire: WhatIfOperationResult = serde_json::from_value(json!({
            "status": "Succeeded",
            "properties": {"changes": [{
                "resourceId": "/s/x", "changeType": "Modify",
                "before": {"properties": {"secret": "hunter2"}},
                "delta": [
                    {"path": "location", "propertyChangeType": "Modify", "before": "a", "after": "b"},
                    {"path": "properties.siteConfig.appSettings", "propertyChangeType": "Array", "children": [
                        {"path": "0", "propertyChangeType": "Modify", "children": [
                            {"path": "value", "propertyChangeType": "Modify", "before": "hunter2", "after": "x"}
                        ], "before": {"name": "DB_PASSWORD", "value": "hunter2"}},
                        {"path": "3", "propertyChangeType": "Create", "after": {"name": "NEW", "value": "v"}}
                    ]}
                ]
            }]}
        }))
        .expect("parses");
        let r = WhatIfResult::of(&wire);
        let paths: Vec<(&str, &str)> = r.changes[0]
            .properties
            .iter()
            .map(|p| (p.path.as_str(), p.change_type.as_str()))
            .collect();
        assert_eq!(
            paths,
            [
                ("location", "Modify"),
                (
                    "properties.siteConfig.appSettings[DB_PASSWORD].value",
                    "Modify"
                ),
                ("properties.siteConfig.appSettings[NEW]", "Create"),
            ]
        );
        assert!(!format!("{r:?}").contains("hunter2"));
        assert_eq!(
            r.change_of("/S/X").map(|c| c.change_type.as_str()),
            Some("Modify")
        );
    }
}
