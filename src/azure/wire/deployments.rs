//! ARM template deployment bodies (`Microsoft.Resources/deployments`, 2025-04-01): the request
//! (inline template or link, parameters, mode), the deployment as ARM reports it, and what-if's
//! result with its property-level changes.
//!
//! Templates, parameters and what-if's `before`/`after` values are raw JSON: they can hold secret
//! values (app settings), so callers must not print them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::arm::ArmErrorDetail;

/// The body of a deployment PUT, a `validate` or a `whatIf` POST.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct DeploymentRequest {
    /// Location (subscription-scope deployments only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The deployment.
    #[serde(default)]
    pub properties: DeploymentRequestProperties,
}

/// What to deploy and how.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentRequestProperties {
    /// The template itself (or give `templateLink`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<Value>,
    /// Where to fetch the template from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_link: Option<TemplateLink>,
    /// Parameter values: `{"name": {"value": …}}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// `Incremental` or `Complete` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// What to do when the deployment fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_error_deployment: Option<OnErrorDeployment>,
}

/// A template link.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateLink {
    /// URI of the template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// Template spec version id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Query string (SAS token) for the URI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_string: Option<String>,
    /// Content version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_version: Option<String>,
}

/// The deployment to run when this one fails.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OnErrorDeployment {
    /// `LastSuccessful` or `SpecificDeployment`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The deployment, for `SpecificDeployment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_name: Option<String>,
}

/// A deployment as ARM reports it (PUT and GET answers, and `validate`'s 200).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct DeploymentExtended {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `Microsoft.Resources/deployments`.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Properties.
    pub properties: DeploymentPropertiesExtended,
}

/// A deployment's state.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentPropertiesExtended {
    /// `Accepted`, `Running`, then `Succeeded`, `Failed` or `Canceled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    /// Correlation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// When it last changed (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// How long it ran (ISO 8601 duration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// `Incremental` or `Complete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// The parameters as deployed (secure ones without their value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// Hash of the template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_hash: Option<String>,
    /// The providers and types the template uses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<DeploymentProvider>,
    /// Dependencies between the template's resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Value>,
    /// Resources the deployment wrote (after success).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output_resources: Vec<ResourceReference>,
    /// Resources validation looked at (`validate` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validated_resources: Vec<ResourceReference>,
    /// Warnings and information from validation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<DeploymentDiagnostic>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ArmErrorDetail>,
}

/// A resource provider a template uses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentProvider {
    /// e.g. `Microsoft.Web`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Its types in the template.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_types: Vec<DeploymentResourceType>,
}

/// A resource type a template uses, with its locations.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentResourceType {
    /// e.g. `sites`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Locations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
}

/// A reference to a resource by id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct ResourceReference {
    /// ARM id.
    pub id: String,
}

/// A validation diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct DeploymentDiagnostic {
    /// `Info`, `Warning` or `Error`.
    pub level: String,
    /// Code.
    pub code: String,
    /// Message.
    pub message: String,
    /// What it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// What-if's answer (the final body behind its `Location`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct WhatIfOperationResult {
    /// `Succeeded` or `Failed`.
    pub status: String,
    /// The predicted changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<WhatIfProperties>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ArmErrorDetail>,
}

/// The predicted changes.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct WhatIfProperties {
    /// One per resource.
    #[serde(default)]
    pub changes: Vec<WhatIfChange>,
}

/// The predicted change to one resource.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatIfChange {
    /// The resource's ARM id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// `Create`, `Delete`, `Ignore`, `Deploy`, `NoChange`, `Modify` or `Unsupported`.
    pub change_type: String,
    /// Why the change cannot be predicted (`Unsupported`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsupported_reason: Option<String>,
    /// The resource now (may hold secrets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The resource after the deployment (may hold secrets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// Property-level changes (`Modify`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delta: Vec<WhatIfPropertyChange>,
}

/// A property-level change.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatIfPropertyChange {
    /// Dotted path; array elements are children whose path is their index.
    pub path: String,
    /// `Create`, `Delete`, `Modify`, `Array`, `NoEffect`.
    pub property_change_type: String,
    /// The value now (may be a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value after (may be a secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// Nested changes (`Array`, and `Modify` of an object).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<WhatIfPropertyChange>,
}
