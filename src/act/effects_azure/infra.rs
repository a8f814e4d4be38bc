//! The infrastructure effects: Traffic Manager endpoint status, Front Door origin state, geo-DR
//! alias failover, storage failover, management locks, tags, alert processing rules, template
//! what-if and deployment. Each follows its operation to the end and reports in words.

use serde_json::json;

use super::{AzureEffects, group_of, last, polls};
use crate::act::effect::{Effect, LockLevel};
use crate::act::executor::{ActError, StepProgress, StepReport};
use crate::azure::writes::templates::{DeploymentMode, TemplateRequest, WhatIfResult};
use crate::azure::writes::{governance, messaging, routing, storage, templates};

/// The note on the alert processing rule the console puts.
const RULE_DESCRIPTION: &str = "warroom: notifications held during a controlled switch";

/// A what-if's changes in words: counts by change type, then each resource's change.
pub fn what_if_words(r: &WhatIfResult) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for c in &r.changes {
        *counts.entry(c.change_type.as_str()).or_default() += 1;
    }
    let head = if counts.is_empty() {
        "no changes".to_owned()
    } else {
        counts
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let lines: Vec<String> = r
        .changes
        .iter()
        .map(|c| {
            let props: Vec<&str> = c.properties.iter().map(|p| p.path.as_str()).collect();
            if props.is_empty() {
                format!("{} {}", c.change_type, last(&c.resource_id))
            } else {
                format!(
                    "{} {} ({})",
                    c.change_type,
                    last(&c.resource_id),
                    props.join(", ")
                )
            }
        })
        .collect();
    std::iter::once(head)
        .chain(lines)
        .collect::<Vec<_>>()
        .join("\n")
}

impl AzureEffects {
    pub(super) async fn infra(
        &self,
        effect: &Effect,
        progress: &StepProgress,
    ) -> Result<StepReport, ActError> {
        let c = &self.client;
        let mut cb = polls(progress);
        let words = match effect {
            Effect::TmStatus {
                endpoint_id,
                enabled,
            } => {
                let ep = routing::set_tm_endpoint_status(c, endpoint_id, *enabled).await?;
                let now = ep.properties.endpoint_status.unwrap_or_default();
                format!("endpoint {} is now {now}", ep.name)
            }
            Effect::FdState { origin_id, enabled } => {
                let clock = self.clock();
                let o = routing::set_fd_origin_state_with_clock(
                    c,
                    origin_id,
                    *enabled,
                    &self.lro,
                    &mut cb,
                    clock.as_ref(),
                )
                .await?;
                let now = o.properties.enabled_state.unwrap_or_default();
                format!("origin {} is now {now}", o.name)
            }
            Effect::AliasFailover {
                alias_id_on_secondary,
                safe,
            } => {
                messaging::alias_failover(c, alias_id_on_secondary, *safe).await?;
                format!(
                    "failover of alias {} accepted{}",
                    last(alias_id_on_secondary),
                    if *safe { " (safe)" } else { "" }
                )
            }
            Effect::StorageFailover { account_id } => {
                let clock = self.clock();
                let a = storage::storage_failover_with_clock(
                    c,
                    account_id,
                    storage::FailoverType::Unplanned,
                    &self.lro,
                    &mut cb,
                    clock.as_ref(),
                )
                .await?;
                format!(
                    "{} failed over; primary now {}",
                    a.name,
                    a.properties.primary_location.unwrap_or_default()
                )
            }
            Effect::Lock { .. } | Effect::Tag { .. } | Effect::AlertRule { .. } => {
                self.governance(effect).await?
            }
            Effect::WhatIf { .. } | Effect::DeployTemplate { .. } => {
                return self.template(effect, progress).await;
            }
            other => {
                return Err(ActError::NotWired(format!(
                    "no Azure call for the {} effect",
                    super::op_name(other)
                )));
            }
        };
        Ok(StepReport::words(words))
    }

    async fn governance(&self, effect: &Effect) -> Result<String, ActError> {
        let c = &self.client;
        Ok(match effect {
            Effect::Lock {
                scope,
                name,
                level,
                on,
                notes,
            } => {
                let id = format!("{scope}/providers/Microsoft.Authorization/locks/{name}");
                if *on {
                    let level = match level {
                        LockLevel::CanNotDelete => governance::LockLevel::CanNotDelete,
                        LockLevel::ReadOnly => governance::LockLevel::ReadOnly,
                    };
                    governance::put_lock(c, &id, level, Some(notes)).await?;
                    format!("lock {name} ({}) on {}", level.as_str(), last(scope))
                } else {
                    let existed = governance::delete_lock(c, &id).await?;
                    format!(
                        "lock {name} {} {}",
                        if existed {
                            "removed from"
                        } else {
                            "was not on"
                        },
                        last(scope)
                    )
                }
            }
            Effect::Tag {
                scope,
                name,
                value,
                on,
            } => {
                if *on {
                    let tags = std::collections::BTreeMap::from([(name.clone(), value.clone())]);
                    let after = governance::merge_tags(c, scope, tags).await?;
                    format!(
                        "tag {name} on {} ({} tag(s) there)",
                        last(scope),
                        after.len()
                    )
                } else {
                    let after = governance::delete_tags(c, scope, &[name]).await?;
                    format!(
                        "tag {name} removed from {} ({} tag(s) left)",
                        last(scope),
                        after.len()
                    )
                }
            }
            Effect::AlertRule {
                id,
                scopes,
                on,
                window,
            } => {
                if *on {
                    let rule =
                        governance::suppression_rule(scopes.clone(), RULE_DESCRIPTION, *window);
                    governance::put_alert_processing_rule(c, id, &rule).await?;
                    format!("alert processing rule {} holds notifications", last(id))
                } else {
                    let existed = governance::delete_alert_processing_rule(c, id).await?;
                    format!(
                        "alert processing rule {} {}",
                        last(id),
                        if existed { "removed" } else { "was not there" }
                    )
                }
            }
            other => {
                return Err(ActError::NotWired(format!(
                    "{} is not a governance effect",
                    super::op_name(other)
                )));
            }
        })
    }

    async fn template(
        &self,
        effect: &Effect,
        progress: &StepProgress,
    ) -> Result<StepReport, ActError> {
        let c = &self.client;
        let mut cb = polls(progress);
        match effect {
            Effect::WhatIf {
                group_id,
                deployment_name,
                template,
            } => {
                let file = self.write_template(template)?;
                let rg = group_of(group_id)?;
                let params = json!({});
                let req = TemplateRequest {
                    rg: &rg,
                    name: deployment_name,
                    template,
                    parameters: &params,
                    mode: DeploymentMode::Incremental,
                };
                let r = templates::template_what_if_with_clock(
                    c,
                    &req,
                    &self.lro,
                    &mut cb,
                    self.clock().as_ref(),
                )
                .await?;
                Ok(StepReport {
                    words: format!("{}\nthe template: {file}", what_if_words(&r)),
                    names: r.changes.iter().map(|c| c.resource_id.clone()).collect(),
                    gaps: Vec::new(),
                })
            }
            Effect::DeployTemplate {
                group_id,
                deployment_name,
                template,
            } => {
                let file = self.write_template(template)?;
                let rg = group_of(group_id)?;
                let params = json!({});
                let req = TemplateRequest {
                    rg: &rg,
                    name: deployment_name,
                    template,
                    parameters: &params,
                    mode: DeploymentMode::Incremental,
                };
                let d = templates::deploy_template_with_clock(
                    c,
                    &req,
                    &self.lro,
                    &mut cb,
                    self.clock().as_ref(),
                )
                .await?;
                Ok(StepReport {
                    words: format!(
                        "deployment {deployment_name} {}{} (the template: {file})",
                        d.provisioning_state,
                        d.duration.map(|t| format!(" in {t}")).unwrap_or_default()
                    ),
                    names: d.output_resources,
                    gaps: Vec::new(),
                })
            }
            other => Err(ActError::NotWired(format!(
                "{} is not a template effect",
                super::op_name(other)
            ))),
        }
    }

    /// Writes the template into the incident folder as `rebuild-<app>.json` (the file the plan's
    /// `az` commands name), before it is previewed or deployed; returns its path. A template
    /// names resources only, never a secret.
    fn write_template(&self, template: &serde_json::Value) -> Result<String, ActError> {
        let file = format!("rebuild-{}.json", template_site(template));
        let io = |e: std::io::Error| ActError::Io(format!("writing {file}: {e}"));
        std::fs::create_dir_all(&self.incident_dir).map_err(io)?;
        let path = self.incident_dir.join(&file);
        let text =
            serde_json::to_string_pretty(template).map_err(|e| ActError::Io(e.to_string()))?;
        std::fs::write(&path, text).map_err(io)?;
        Ok(path.display().to_string())
    }
}

/// The name of the function app a rebuild template deploys (its `Microsoft.Web/sites`).
fn template_site(template: &serde_json::Value) -> &str {
    template["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["type"] == "Microsoft.Web/sites"))
        .and_then(|r| r["name"].as_str())
        .unwrap_or("app")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::azure::writes::templates::{PropertyChange, ResourceChange};

    #[test]
    fn what_if_words_count_changes_and_name_each_resource() {
        let r = WhatIfResult {
            status: "Succeeded".into(),
            changes: vec![
                ResourceChange {
                    resource_id: "/s/x/providers/Microsoft.Web/serverfarms/asp-a".into(),
                    change_type: "Create".into(),
                    unsupported_reason: None,
                    properties: vec![],
                },
                ResourceChange {
                    resource_id: "/s/x/providers/Microsoft.Web/sites/a".into(),
                    change_type: "Modify".into(),
                    unsupported_reason: None,
                    properties: vec![PropertyChange {
                        path: "properties.httpsOnly".into(),
                        change_type: "Modify".into(),
                    }],
                },
            ],
        };
        assert_eq!(
            what_if_words(&r),
            "1 Create, 1 Modify\nCreate asp-a\nModify a (properties.httpsOnly)"
        );
    }
}
