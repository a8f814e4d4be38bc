//! Microsoft.AlertsManagement alert processing rules (2021-08-08): PUT (201 created, 200
//! replaced), GET, PATCH (`enabled`, `tags`), DELETE (200, or 204 when there was none) of
//! `…/resourceGroups/{rg}/providers/Microsoft.AlertsManagement/actionRules/{name}`, and the lists
//! by resource group and by subscription. Rules are kept in the world (`World::alerts_suppressed`
//! answers whether one silences a resource at an instant).

use axum::http::{Method, StatusCode};
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::arm::{Ctx, Reply};
use super::conventions::errors::{Fail, arm_error, no_such_path};
use super::conventions::iso;
use super::operations::{API_CALLER, body, invalid, respond};
use crate::azure::wire::SystemData;
use crate::azure::wire::governance::AlertProcessingRule;
use crate::sim::world::{AlertRule, World};

const TYPE: &str = "Microsoft.AlertsManagement/actionRules";

/// A PATCH body: only `enabled` and `tags` change.
#[derive(Debug, Default, Deserialize)]
struct RulePatch {
    #[serde(default)]
    properties: Option<PatchProperties>,
    #[serde(default)]
    tags: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
struct PatchProperties {
    #[serde(default)]
    enabled: Option<bool>,
}

/// Routes a Microsoft.AlertsManagement request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
    if cx.path.scope_is_resource()
        || rest.is_empty()
        || !rest[0].eq_ignore_ascii_case("actionRules")
        || rest.len() > 2
    {
        return Err(no_such_path(&cx.req.raw_path));
    }
    let sub = cx.path.subscription().unwrap_or_default().to_owned();
    let rg = cx.path.resource_group().map(str::to_owned);
    let Some(name) = rest.get(1).copied() else {
        cx.expect_method(&Method::GET)?;
        let items: Vec<AlertProcessingRule> = w
            .alert_rules()
            .iter()
            .filter(|r| r.subscription_id.eq_ignore_ascii_case(&sub))
            .filter(|r| {
                rg.as_ref()
                    .is_none_or(|g| r.resource_group.eq_ignore_ascii_case(g))
            })
            .map(wire)
            .collect();
        return cx.ok(&cx.page(w, items)?);
    };
    let Some(rg) = rg else {
        return Err(no_such_path(&cx.req.raw_path));
    };
    match cx.req.method.clone() {
        Method::PUT => put(w, cx, &sub, &rg, name),
        Method::DELETE => {
            let status = if w.delete_alert_rule(&rg, name, API_CALLER) {
                StatusCode::OK
            } else {
                StatusCode::NO_CONTENT
            };
            respond::<()>(status, None, &[])
        }
        Method::PATCH => {
            let mut rule = w
                .alert_rule(&rg, name)
                .cloned()
                .ok_or_else(|| not_found(name, &rg))?;
            let patch: RulePatch = body(cx)?;
            if let Some(e) = patch.properties.and_then(|p| p.enabled) {
                rule.properties.enabled = Some(e);
            }
            if let Some(tags) = patch.tags {
                rule.tags = tags;
            }
            w.put_alert_rule(rule, API_CALLER);
            let stored = w.alert_rule(&rg, name).map(wire);
            respond(StatusCode::OK, stored.as_ref(), &[])
        }
        _ => {
            cx.expect_method(&Method::GET)?;
            let rule = w
                .alert_rule(&rg, name)
                .ok_or_else(|| not_found(name, &rg))?;
            cx.ok(&wire(rule))
        }
    }
}

fn not_found(name: &str, rg: &str) -> Fail {
    arm_error(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!(
            "The Resource '{TYPE}/{name}' under resource group '{rg}' was not found. For more \
             details please go to https://aka.ms/ARMResourceNotFoundFix"
        ),
    )
}

/// Checks a rule's body as Azure would, naming the field at fault.
fn check(rule: &AlertProcessingRule) -> Result<(), Fail> {
    if !rule.location.eq_ignore_ascii_case("Global") {
        return Err(invalid(
            "InvalidLocation",
            "location",
            format!(
                "The location '{}' is not valid: alert processing rules are 'Global'.",
                rule.location
            ),
        ));
    }
    let p = &rule.properties;
    if p.scopes.is_empty() {
        return Err(invalid(
            "BadRequest",
            "properties.scopes",
            "At least one scope is required.",
        ));
    }
    if let Some(i) = p
        .scopes
        .iter()
        .position(|s| !s.to_ascii_lowercase().starts_with("/subscriptions/"))
    {
        return Err(invalid(
            "BadRequest",
            &format!("properties.scopes[{i}]"),
            format!(
                "The scope '{}' is not an ARM id of a subscription, resource group or resource.",
                p.scopes[i]
            ),
        ));
    }
    if p.actions.is_empty() {
        return Err(invalid(
            "BadRequest",
            "properties.actions",
            "At least one action is required.",
        ));
    }
    for (i, a) in p.actions.iter().enumerate() {
        let remove = a.action_type.eq_ignore_ascii_case("RemoveAllActionGroups");
        let add = a.action_type.eq_ignore_ascii_case("AddActionGroups");
        if !remove && !add {
            return Err(invalid(
                "BadRequest",
                &format!("properties.actions[{i}].actionType"),
                format!(
                    "The action type '{}' is not valid: it must be AddActionGroups or RemoveAllActionGroups.",
                    a.action_type
                ),
            ));
        }
        if add && a.action_group_ids.is_empty() {
            return Err(invalid(
                "BadRequest",
                &format!("properties.actions[{i}].actionGroupIds"),
                "AddActionGroups needs at least one action group id.",
            ));
        }
    }
    if let Some(s) = &p.schedule {
        let parse = |v: &Option<String>, field: &str| -> Result<Option<NaiveDateTime>, Fail> {
            v.as_deref()
                .map(|v| {
                    NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S").map_err(|_| {
                        invalid(
                            "BadRequest",
                            field,
                            format!(
                                "'{v}' is not a date and time of the form YYYY-MM-DDThh:mm:ss."
                            ),
                        )
                    })
                })
                .transpose()
        };
        let from = parse(&s.effective_from, "properties.schedule.effectiveFrom")?;
        let until = parse(&s.effective_until, "properties.schedule.effectiveUntil")?;
        if let (Some(f), Some(u)) = (from, until)
            && u <= f
        {
            return Err(invalid(
                "BadRequest",
                "properties.schedule.effectiveUntil",
                "effectiveUntil must be after effectiveFrom.",
            ));
        }
    }
    Ok(())
}

fn put(w: &mut World, cx: &Ctx<'_>, sub: &str, rg: &str, name: &str) -> Reply {
    let req: AlertProcessingRule = body(cx)?;
    check(&req)?;
    let t = w.now();
    let rule = AlertRule {
        subscription_id: sub.to_owned(),
        resource_group: rg.to_owned(),
        name: name.to_owned(),
        tags: req.tags.clone(),
        properties: req.properties.clone(),
        created: (API_CALLER.to_owned(), t),
        modified: (API_CALLER.to_owned(), t),
    };
    let created = w.put_alert_rule(rule, API_CALLER);
    let stored = w.alert_rule(rg, name).map(wire);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    respond(status, stored.as_ref(), &[])
}

fn wire(r: &AlertRule) -> AlertProcessingRule {
    let mut properties = r.properties.clone();
    properties.enabled = Some(properties.enabled.unwrap_or(true));
    AlertProcessingRule {
        id: Some(r.id()),
        name: Some(r.name.clone()),
        resource_type: Some(TYPE.to_owned()),
        location: "Global".to_owned(),
        tags: r.tags.clone(),
        properties,
        system_data: Some(SystemData {
            created_by: Some(r.created.0.clone()),
            created_by_type: Some("User".to_owned()),
            created_at: Some(iso(r.created.1)),
            last_modified_by: Some(r.modified.0.clone()),
            last_modified_by_type: Some("User".to_owned()),
            last_modified_at: Some(iso(r.modified.1)),
        }),
    }
}
