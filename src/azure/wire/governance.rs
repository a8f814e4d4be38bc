//! Governance bodies: management locks (`Microsoft.Authorization/locks`, the release freeze),
//! the tags of a scope (`Microsoft.Resources/tags/default`, the freeze pipelines read) and alert
//! processing rules (`Microsoft.AlertsManagement/actionRules`, alert suppression).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::arm::SystemData;

/// A management lock, as sent (only `properties`) and as answered (with id, name, type).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ManagementLock {
    /// ARM id (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Lock name (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Authorization/locks` (answers only).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Properties.
    pub properties: LockProperties,
}

/// A lock's properties.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct LockProperties {
    /// `CanNotDelete` or `ReadOnly` (`NotSpecified` is refused).
    pub level: String,
    /// Why the lock is there (at most 512 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The lock's owners.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<LockOwner>,
}

/// A lock owner.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LockOwner {
    /// The owning application's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<String>,
}

/// An alert processing rule (2021-08-08).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertProcessingRule {
    /// ARM id (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.AlertsManagement/actionRules` (answers only).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Always `Global`.
    pub location: String,
    /// Tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Properties.
    pub properties: AlertProcessingRuleProperties,
    /// Who created and changed it (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_data: Option<SystemData>,
}

/// An alert processing rule's properties.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertProcessingRuleProperties {
    /// The ARM ids (subscriptions, resource groups, resources) the rule applies to.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Filters on the alerts (all must match).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<AlertCondition>,
    /// When the rule applies (always, when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<AlertSchedule>,
    /// What it does to matching alerts.
    #[serde(default)]
    pub actions: Vec<AlertAction>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the rule is on (Azure's default is `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// A condition on a field of the alert.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct AlertCondition {
    /// `Severity`, `TargetResourceGroup`, `AlertRuleName`, ….
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `Equals`, `NotEquals`, `Contains`, `DoesNotContain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// The values to match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// When a rule applies: a window (local times without offset, in `timeZone`) and recurrences.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertSchedule {
    /// Start, `YYYY-MM-DDThh:mm:ss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<String>,
    /// End, `YYYY-MM-DDThh:mm:ss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_until: Option<String>,
    /// A Windows time zone name, e.g. `Korea Standard Time`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Daily, weekly or monthly recurrences, kept as sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recurrences: Vec<serde_json::Value>,
}

/// What a rule does: `RemoveAllActionGroups`, or `AddActionGroups` with their ids.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertAction {
    /// `RemoveAllActionGroups` or `AddActionGroups`.
    pub action_type: String,
    /// The action groups to add (`AddActionGroups` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub action_group_ids: Vec<String>,
}

/// The tags of a scope (`…/providers/Microsoft.Resources/tags/default`), as answered.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct TagsResource {
    /// ARM id (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Always `default` (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Resources/tags` (answers only).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// The tags.
    #[serde(default)]
    pub properties: Tags,
}

/// A set of tags: name → value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct Tags {
    /// The tags (names are case-insensitive for Azure, values are not).
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A selective change of a scope's tags (`PATCH …/tags/default`): `Merge` adds or changes the
/// given tags, `Delete` removes them (by name, or by name and value when a value is given),
/// `Replace` sets exactly these.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct TagsPatch {
    /// `Merge`, `Delete` or `Replace`.
    pub operation: String,
    /// The tags the operation names.
    pub properties: Tags,
}
