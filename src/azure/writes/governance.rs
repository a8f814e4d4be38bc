//! Release freeze (management locks, and a tag on the resource group that pipelines read) and
//! alert suppression (alert processing rules): create or replace, read, delete and list. All
//! answer at once. A `ReadOnly` lock on a resource group also
//! blocks every ARM write and POST-based read in it (409 `ScopeLocked`), warroom's own included,
//! so a freeze goes on last and comes off first.
//!
//! Owns these calls and the ARM ids they take. It must not decide whether to call them.

use chrono::{DateTime, Utc};

use crate::azure::client::{AzureClient, Method};
use crate::azure::error::Result;
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::azure::wire::governance::{
    AlertAction, AlertProcessingRule, AlertProcessingRuleProperties, AlertSchedule, LockProperties,
    ManagementLock, Tags, TagsPatch, TagsResource,
};

/// A lock's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockLevel {
    /// Deletes are refused.
    CanNotDelete,
    /// Every write is refused (the release freeze).
    ReadOnly,
}

impl LockLevel {
    /// The level as ARM writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CanNotDelete => "CanNotDelete",
            Self::ReadOnly => "ReadOnly",
        }
    }
}

/// The ARM id of the lock `name` on a resource group.
pub fn lock_id(rg: &ResourceGroupRef, name: &str) -> String {
    rg.provider("Microsoft.Authorization", &format!("locks/{name}"))
}

/// The ARM id of the alert processing rule `name` in a resource group.
pub fn alert_rule_id(rg: &ResourceGroupRef, name: &str) -> String {
    rg.provider("Microsoft.AlertsManagement", &format!("actionRules/{name}"))
}

/// Creates or replaces a lock; returns it as stored.
pub async fn put_lock(
    client: &AzureClient,
    lock_id: &str,
    level: LockLevel,
    notes: Option<&str>,
) -> Result<ManagementLock> {
    let body = ManagementLock {
        id: None,
        name: None,
        resource_type: None,
        properties: LockProperties {
            level: level.as_str().to_owned(),
            notes: notes.map(str::to_owned),
            owners: Vec::new(),
        },
    };
    client.put_json(lock_id, api::LOCKS, &body).await
}

/// A lock.
pub async fn get_lock(client: &AzureClient, lock_id: &str) -> Result<ManagementLock> {
    client.get_json(lock_id, api::LOCKS).await
}

/// Deletes a lock; `true` when there was one (200), `false` when there was none (204).
pub async fn delete_lock(client: &AzureClient, lock_id: &str) -> Result<bool> {
    let reply = client
        .begin(Method::Delete, lock_id, api::LOCKS, None)
        .await?;
    Ok(reply.status == 200)
}

/// The locks on a resource group: its own, those above it, those on resources in it.
pub async fn list_locks(
    client: &AzureClient,
    rg: &ResourceGroupRef,
) -> Result<Vec<ManagementLock>> {
    let path = rg.provider("Microsoft.Authorization", "locks");
    client.get_all(&path, api::LOCKS).await
}

/// The tags resource of a scope (a subscription, resource group or resource id).
pub fn tags_id(scope: &str) -> String {
    format!(
        "{}/providers/Microsoft.Resources/tags/default",
        scope.trim_end_matches('/')
    )
}

/// The tags of a scope (empty when it has none).
pub async fn get_tags(
    client: &AzureClient,
    scope: &str,
) -> Result<std::collections::BTreeMap<String, String>> {
    let r: TagsResource = client.get_json(&tags_id(scope), api::TAGS).await?;
    Ok(r.properties.tags)
}

/// Adds or changes tags on a scope, keeping its others (`PATCH …/tags/default`, `Merge`);
/// returns the scope's tags after.
pub async fn merge_tags(
    client: &AzureClient,
    scope: &str,
    tags: std::collections::BTreeMap<String, String>,
) -> Result<std::collections::BTreeMap<String, String>> {
    patch_tags(client, scope, "Merge", tags).await
}

/// Removes tags from a scope by name (`PATCH …/tags/default`, `Delete`, each value empty, so
/// whatever value it holds); returns the scope's tags after.
pub async fn delete_tags(
    client: &AzureClient,
    scope: &str,
    names: &[&str],
) -> Result<std::collections::BTreeMap<String, String>> {
    let tags = names
        .iter()
        .map(|n| ((*n).to_owned(), String::new()))
        .collect();
    patch_tags(client, scope, "Delete", tags).await
}

async fn patch_tags(
    client: &AzureClient,
    scope: &str,
    operation: &str,
    tags: std::collections::BTreeMap<String, String>,
) -> Result<std::collections::BTreeMap<String, String>> {
    let body = TagsPatch {
        operation: operation.to_owned(),
        properties: Tags { tags },
    };
    let r: TagsResource = client.patch_json(&tags_id(scope), api::TAGS, &body).await?;
    Ok(r.properties.tags)
}

/// The ARM form of a time in an alert rule's schedule: `YYYY-MM-DDThh:mm:ss`, no offset (the
/// rule's `timeZone` says where; [`suppression_rule`] uses UTC).
fn schedule_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// An alert processing rule that removes every action group (no notifications) from alerts on
/// `scopes`, during `window` (UTC) or until deleted.
pub fn suppression_rule(
    scopes: Vec<String>,
    description: &str,
    window: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> AlertProcessingRule {
    AlertProcessingRule {
        id: None,
        name: None,
        resource_type: None,
        location: "Global".to_owned(),
        tags: std::collections::BTreeMap::new(),
        properties: AlertProcessingRuleProperties {
            scopes,
            conditions: Vec::new(),
            schedule: window.map(|(from, until)| AlertSchedule {
                effective_from: Some(schedule_time(from)),
                effective_until: Some(schedule_time(until)),
                time_zone: Some("UTC".to_owned()),
                recurrences: Vec::new(),
            }),
            actions: vec![AlertAction {
                action_type: "RemoveAllActionGroups".to_owned(),
                action_group_ids: Vec::new(),
            }],
            description: Some(description.to_owned()),
            enabled: Some(true),
        },
        system_data: None,
    }
}

/// Creates or replaces an alert processing rule; returns it as stored.
pub async fn put_alert_processing_rule(
    client: &AzureClient,
    rule_id: &str,
    rule: &AlertProcessingRule,
) -> Result<AlertProcessingRule> {
    client.put_json(rule_id, api::ALERT_RULES, rule).await
}

/// An alert processing rule.
pub async fn get_alert_processing_rule(
    client: &AzureClient,
    rule_id: &str,
) -> Result<AlertProcessingRule> {
    client.get_json(rule_id, api::ALERT_RULES).await
}

/// Deletes an alert processing rule; `true` when there was one (200), `false` when not (204).
pub async fn delete_alert_processing_rule(client: &AzureClient, rule_id: &str) -> Result<bool> {
    let reply = client
        .begin(Method::Delete, rule_id, api::ALERT_RULES, None)
        .await?;
    Ok(reply.status == 200)
}

/// Every alert processing rule of a subscription.
pub async fn list_alert_processing_rules(
    client: &AzureClient,
    subscription: &str,
) -> Result<Vec<AlertProcessingRule>> {
    let path =
        format!("/subscriptions/{subscription}/providers/Microsoft.AlertsManagement/actionRules");
    client.get_all(&path, api::ALERT_RULES).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suppression_rule_removes_action_groups_in_its_window() {
        let from = DateTime::parse_from_rfc3339("2026-04-04T09:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let rule = suppression_rule(
            vec!["/subscriptions/s/resourceGroups/g".to_owned()],
            "failover",
            Some((from, from + chrono::TimeDelta::hours(1))),
        );
        let v = serde_json::to_value(&rule).expect("serialises");
        assert_eq!(v["location"], "Global");
        assert_eq!(
            v["properties"]["actions"][0]["actionType"],
            "RemoveAllActionGroups"
        );
        assert_eq!(
            v["properties"]["schedule"]["effectiveFrom"],
            "2026-04-04T09:00:00"
        );
        assert_eq!(
            v["properties"]["schedule"]["effectiveUntil"],
            "2026-04-04T10:00:00"
        );
        assert!(v.get("id").is_none(), "read-only fields are not sent");
        let rg = ResourceGroupRef {
            subscription: "s".to_owned(),
            resource_group: "g".to_owned(),
        };
        assert_eq!(
            lock_id(&rg, "freeze"),
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Authorization/locks/freeze"
        );
    }
}
