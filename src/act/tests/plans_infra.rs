//! Plans of the routing, messaging, storage, governance, forensic and rebuild actions; every
//! action's plan free of secret values; the text rendering.

use serde_json::json;

use super::super::testkit::{GOOD, ORDERS_KRC, PLANTED, bad_release, calm};
use super::super::{Effect, LockLevel, PlanError, Prompt, Risk, SettingSource};
use super::{SUB, action, effect, line, ops, plan_ok, plan_on};
use crate::decide::ActionKind;

fn body(p: &super::Plan, i: usize) -> Option<serde_json::Value> {
    p.steps[i].call.as_ref().and_then(|c| c.body.clone())
}

#[test]
fn tm_disable_patches_the_endpoint_status_high_risk_with_enable_as_undo() {
    let p = plan_ok(ActionKind::TmDisable, "primary-endpoint");
    assert_eq!(
        line(&p.steps[0]),
        format!(
            "PATCH {SUB}/resourceGroups/rg-functions-prod-krc/providers/Microsoft.Network/trafficManagerProfiles/tm-functions-prod/AzureEndpoints/primary-endpoint?api-version=2022-04-01"
        )
    );
    assert_eq!(
        body(&p, 0),
        Some(json!({"properties": {"endpointStatus": "Disabled"}}))
    );
    assert_eq!(
        p.steps[0].az.as_deref(),
        Some(
            "az network traffic-manager endpoint update --resource-group rg-functions-prod-krc \
             --profile-name tm-functions-prod --type azureEndpoints --name primary-endpoint \
             --endpoint-status Disabled"
        )
    );
    assert_eq!(p.risk, Risk::High);
    assert_eq!(
        p.undo,
        Some(action(ActionKind::TmEnable, "primary-endpoint"))
    );
    assert_eq!(
        p.confirmation.prompt,
        Prompt::TypeTarget {
            expected: "primary-endpoint".into()
        }
    );
}

#[test]
fn tm_enable_of_an_enabled_endpoint_has_nothing_to_do_and_of_a_disabled_one_is_medium() {
    assert!(matches!(
        plan_on(ActionKind::TmEnable, "primary-endpoint", &calm()),
        Err(PlanError::NothingToDo(_))
    ));
    let mut snap = calm();
    if let Some((_, o)) = snap.routes.traffic_manager.as_mut()
        && let Some(eps) = o.value.as_mut()
    {
        eps[0].enabled = false;
    }
    let p = plan_on(ActionKind::TmEnable, "primary-endpoint", &snap).expect("plans");
    assert_eq!(p.risk, Risk::Medium);
    assert_eq!(
        p.undo,
        Some(action(ActionKind::TmDisable, "primary-endpoint"))
    );
}

#[test]
fn fd_disable_patches_the_origin_enabled_state() {
    let p = plan_ok(ActionKind::FdDisable, "origin-primary");
    assert_eq!(
        line(&p.steps[0]),
        format!(
            "PATCH {SUB}/resourceGroups/rg-functions-prod-krc/providers/Microsoft.Cdn/profiles/afd-functions-prod/originGroups/functions-origins/origins/origin-primary?api-version=2025-04-15"
        )
    );
    assert_eq!(
        body(&p, 0),
        Some(json!({"properties": {"enabledState": "Disabled"}}))
    );
    assert!(p.steps[0].az.as_deref().is_some_and(|a| a.starts_with(
        "az afd origin update --resource-group rg-functions-prod-krc --profile-name afd-functions-prod --origin-group-name functions-origins --origin-name origin-primary --enabled-state Disabled"
    )));
    assert_eq!(p.risk, Risk::High);
    assert_eq!(p.undo, Some(action(ActionKind::FdEnable, "origin-primary")));
}

#[test]
fn alias_failover_is_called_on_the_secondary_namespace_and_has_no_undo() {
    let p = plan_ok(ActionKind::AliasFailover, "sb-functions-prod");
    assert_eq!(
        line(&p.steps[0]),
        format!(
            "POST {SUB}/resourceGroups/rg-functions-prod-jpe/providers/Microsoft.ServiceBus/namespaces/sb-functions-prod-jpe/disasterRecoveryConfigs/sb-functions-prod/failover?api-version=2024-01-01"
        )
    );
    assert_eq!(
        body(&p, 0),
        Some(json!({"properties": {"IsSafeFailover": true}}))
    );
    assert_eq!(
        p.steps[0].az.as_deref(),
        Some(
            "az servicebus georecovery-alias fail-over --resource-group rg-functions-prod-jpe \
             --namespace-name sb-functions-prod-jpe --alias sb-functions-prod --is-safe-failover true"
        )
    );
    assert_eq!((p.risk, p.undo.clone()), (Risk::High, None));
    assert!(p.notes.iter().any(|n| n.contains("breaks the pairing")));
    let eh = plan_ok(ActionKind::AliasFailover, "evh-functions-prod");
    assert!(
        line(&eh.steps[0]).contains("/Microsoft.EventHub/namespaces/evhns-functions-prod-jpe/")
    );
    assert_eq!(body(&eh, 0), None);
    assert!(matches!(
        effect(&eh, 0),
        Effect::AliasFailover { safe: false, .. }
    ));
}

#[test]
fn alias_failover_has_nothing_to_do_once_the_secondary_is_primary() {
    let mut snap = calm();
    for a in &mut snap.aliases {
        if a.name == "sb-functions-prod" {
            a.primary_namespace = "sb-functions-prod-jpe".to_owned();
        }
    }
    let r = plan_on(ActionKind::AliasFailover, "sb-functions-prod", &snap);
    assert!(
        matches!(&r, Err(PlanError::NothingToDo(w)) if w.contains("sb-functions-prod-jpe is already primary")),
        "{r:?}"
    );
    assert!(plan_on(ActionKind::AliasFailover, "evh-functions-prod", &snap).is_ok());
}

#[test]
fn storage_failover_names_the_data_loss_window_and_needs_geo_redundancy() {
    let p = plan_ok(ActionKind::StorageFailover, "stworkflowprod");
    assert_eq!(
        line(&p.steps[0]),
        format!(
            "POST {SUB}/resourceGroups/rg-functions-prod-krc/providers/Microsoft.Storage/storageAccounts/stworkflowprod/failover?api-version=2025-01-01"
        )
    );
    assert!(
        p.steps[0]
            .az
            .as_deref()
            .is_some_and(|a| a.starts_with("az storage account failover"))
    );
    assert!(
        p.summary.contains("up to 2 min of writes") && p.summary.contains("WorkflowHub"),
        "{}",
        p.summary
    );
    assert_eq!(p.risk, Risk::High);
    assert!(matches!(
        plan_on(ActionKind::StorageFailover, "stordersprodkrc", &calm()),
        Err(PlanError::NotApplicable(ref m)) if m.contains("not geo-redundant")
    ));
}

#[test]
fn freeze_puts_a_can_not_delete_lock_and_says_why_not_read_only() {
    let p = plan_ok(ActionKind::FreezeOn, "krc");
    let lock = format!(
        "{SUB}/resourceGroups/rg-functions-prod-krc/providers/Microsoft.Authorization/locks/warroom-release-freeze"
    );
    assert_eq!(
        line(&p.steps[0]),
        format!("PUT {lock}?api-version=2020-05-01")
    );
    assert_eq!(
        body(&p, 0).map(|b| b["properties"]["level"].clone()),
        Some(json!("CanNotDelete"))
    );
    assert!(matches!(
        effect(&p, 0),
        Effect::Lock {
            level: LockLevel::CanNotDelete,
            on: true,
            ..
        }
    ));
    assert!(p.steps[0].az.as_deref().is_some_and(|a| a.starts_with(
        "az lock create --name warroom-release-freeze --resource-group rg-functions-prod-krc --lock-type CanNotDelete"
    )));
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("ReadOnly") && n.contains("POST"))
    );
    assert_eq!(
        (p.risk, p.undo.clone()),
        (Risk::Low, Some(action(ActionKind::FreezeOff, "krc")))
    );
    let off = plan_ok(ActionKind::FreezeOff, "krc");
    assert_eq!(ops(&off), ["tag", "lock", "verify"]);
    assert_eq!(
        line(&off.steps[1]),
        format!("DELETE {lock}?api-version=2020-05-01")
    );
    assert_eq!(off.undo, Some(action(ActionKind::FreezeOn, "krc")));
}

#[test]
fn suppression_removes_action_groups_for_a_window_and_its_undo_deletes_the_rule() {
    let p = plan_ok(ActionKind::SuppressOn, "krc");
    let rule = format!(
        "{SUB}/resourceGroups/rg-functions-prod-krc/providers/Microsoft.AlertsManagement/actionRules/warroom-suppress-krc"
    );
    assert_eq!(
        line(&p.steps[0]),
        format!("PUT {rule}?api-version=2021-08-08")
    );
    let b = body(&p, 0).expect("body");
    assert_eq!(
        b["properties"]["actions"],
        json!([{"actionType": "RemoveAllActionGroups"}])
    );
    assert_eq!(
        b["properties"]["scopes"],
        json!([format!("{SUB}/resourceGroups/rg-functions-prod-krc")])
    );
    // RTO 30 min: the window is the one-hour floor from the snapshot's time.
    assert_eq!(
        b["properties"]["schedule"]["effectiveFrom"],
        "2026-03-14T03:04:30"
    );
    assert_eq!(
        b["properties"]["schedule"]["effectiveUntil"],
        "2026-03-14T04:04:30"
    );
    assert!(
        p.steps[0]
            .az
            .as_deref()
            .is_some_and(|a| a.contains("az monitor alert-processing-rule create"))
    );
    assert_eq!(
        (p.risk, p.undo.clone()),
        (Risk::Low, Some(action(ActionKind::SuppressOff, "krc")))
    );
    let off = plan_ok(ActionKind::SuppressOff, "krc");
    assert_eq!(
        line(&off.steps[0]),
        format!("DELETE {rule}?api-version=2021-08-08")
    );
}

#[test]
fn forensics_reads_settings_digests_deployments_and_activity_into_the_incident_folder() {
    let p = plan_ok(ActionKind::Forensics, ORDERS_KRC);
    assert_eq!(
        ops(&p),
        ["forensics", "forensics", "forensics", "forensics"]
    );
    assert!(
        line(&p.steps[0]).starts_with("POST ")
            && line(&p.steps[0]).contains("/config/appsettings/list?api-version=2024-11-01")
    );
    assert_eq!(
        line(&p.steps[1]),
        "GET https://func-orders-prod-krc.scm.azurewebsites.net/api/deployments"
    );
    assert_eq!(
        line(&p.steps[2]),
        "GET https://func-orders-prod-krc.scm.azurewebsites.net/api/deployments/<id>/log"
    );
    assert!(
        line(&p.steps[3]).contains("eventtypes/management/values")
            && line(&p.steps[3]).ends_with("api-version=2015-04-01")
    );
    assert!(
        matches!(effect(&p, 0), Effect::Forensics { folder, .. } if folder == "forensics/func-orders-prod-krc-20260314T030430Z")
    );
    assert!(p.steps.iter().all(|s| s.effect.is_read_only()));
    assert_eq!(p.risk, Risk::Low);
}

#[test]
fn rebuild_keeps_evidence_previews_the_template_then_deploys_artifact_and_settings() {
    let p = plan_ok(ActionKind::Rebuild, ORDERS_KRC);
    assert_eq!(
        ops(&p),
        [
            "forensics",
            "forensics",
            "forensics",
            "forensics",
            "deploy_template",
            "zip_deploy",
            "merge_settings",
            "sync_keys",
            "verify"
        ]
    );
    let preview = p.preview.as_ref().expect("a what-if preview");
    let name = "warroom-rebuild-func-orders-prod-krc-20260314T030430";
    assert_eq!(
        preview.call.as_ref().map(super::super::RestCall::line),
        Some(format!(
            "POST {SUB}/resourceGroups/rg-functions-prod-krc/providers/Microsoft.Resources/deployments/{name}/whatIf?api-version=2025-04-01"
        ))
    );
    assert!(line(&p.steps[4]).starts_with(&format!("PUT {SUB}/resourceGroups/rg-functions-prod-krc/providers/Microsoft.Resources/deployments/{name}?")));
    let Effect::DeployTemplate { template, .. } = effect(&p, 4) else {
        panic!("template expected");
    };
    let types: Vec<&str> = template["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["type"].as_str())
        .collect();
    assert_eq!(
        types,
        [
            "Microsoft.Web/serverfarms",
            "Microsoft.Web/sites",
            "Microsoft.Web/sites/slots"
        ]
    );
    assert_eq!(template["resources"][1]["location"], "koreacentral");
    assert!(matches!(effect(&p, 5), Effect::ZipDeploy { version, .. } if version == GOOD));
    let Effect::MergeSettings { set, .. } = effect(&p, 6) else {
        panic!("settings expected");
    };
    assert!(!set.contains_key("AzureWebJobsStorage") && !set.contains_key("DEPLOYMENT_REGION"));
    assert!(set.contains_key("QUEUE_CONN"));
    assert!(set.values().all(
        |s| matches!(s, SettingSource::CopyFrom { app, .. } if app == "func-orders-prod-jpe")
    ));
    assert_eq!((p.risk, p.undo.clone()), (Risk::High, None));
}

#[test]
fn every_action_plans_on_the_demo_estate_without_a_secret_in_json_or_text() {
    let cases = [
        (ActionKind::Swap, ORDERS_KRC),
        (ActionKind::SwapBack, ORDERS_KRC),
        (ActionKind::Redeploy, ORDERS_KRC),
        (ActionKind::Restart, ORDERS_KRC),
        (ActionKind::Failover, "krc"),
        (ActionKind::TmDisable, "primary-endpoint"),
        (ActionKind::FdDisable, "origin-primary"),
        (ActionKind::Timers, "func-reconcile-prod-jpe"),
        (ActionKind::SyncSecondary, "func-orders-prod-jpe"),
        (ActionKind::AliasFailover, "sb-functions-prod"),
        (ActionKind::StorageFailover, "stworkflowprod"),
        (ActionKind::FreezeOn, "krc"),
        (ActionKind::FreezeOff, "krc"),
        (ActionKind::SuppressOn, "jpe"),
        (ActionKind::SuppressOff, "jpe"),
        (ActionKind::Rebuild, ORDERS_KRC),
        (ActionKind::Forensics, ORDERS_KRC),
    ];
    let known = [
        "2024-11-01",
        "2022-04-01",
        "2025-04-15",
        "2024-01-01",
        "2025-01-01",
        "2025-04-01",
        "2020-05-01",
        "2021-08-08",
        "2015-04-01",
        "2021-04-01",
    ];
    let snap = bad_release();
    for (kind, target) in cases {
        let p = plan_on(kind, target, &snap).unwrap_or_else(|e| panic!("{}: {e}", kind.name()));
        assert!(!p.steps.is_empty(), "{}", kind.name());
        let json = serde_json::to_string(&p).expect("serialises");
        let text = p.render_text();
        assert!(
            !json.contains(PLANTED) && !text.contains(PLANTED),
            "{} leaks",
            kind.name()
        );
        for s in p.steps.iter().chain(&p.preview) {
            if let Some(v) = s.call.as_ref().and_then(|c| c.api_version.as_deref()) {
                assert!(known.contains(&v), "{} uses api-version {v}", kind.name());
            }
        }
    }
}
