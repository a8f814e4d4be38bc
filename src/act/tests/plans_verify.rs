//! The checks that end the plans whose effect is a setting, key, lock, tag or alert rule (a
//! read-back of the plan's own writes), the `az` reads shown for them and for the route checks,
//! the key writes' REST paths per key kind, and the release freeze's tag.

use serde_json::json;

use super::super::actions::steps;
use super::super::testkit::{ORDERS_JPE, app_mut, bad_release};
use super::super::{Effect, VerifyCheck};
use super::{SUB, effect, line, ops, plan_ok, plan_on};
use crate::config::Estate;
use crate::decide::ActionKind;
use crate::model::SecretDigest;

/// The effects a plan's last step reads back; panics when it is not a read-back.
fn read_back(p: &super::Plan) -> &[Effect] {
    match &p.steps.last().expect("steps").effect {
        Effect::Verify(VerifyCheck::ReadBack { effects }) => effects,
        other => panic!("a read-back last: {other:?}"),
    }
}

fn az(p: &super::Plan, i: usize) -> &str {
    p.steps[i].az.as_deref().unwrap_or_default()
}

#[test]
fn timers_end_by_reading_the_flags_back_in_both_apps() {
    let p = plan_ok(ActionKind::Timers, "func-reconcile-prod-jpe");
    assert_eq!(ops(&p), ["merge_settings", "merge_settings", "verify"]);
    assert_eq!(
        read_back(&p),
        [effect(&p, 0).clone(), effect(&p, 1).clone()]
    );
    assert!(
        line(&p.steps[2]).starts_with("POST ")
            && line(&p.steps[2])
                .contains("/sites/func-reconcile-prod-jpe/config/appsettings/list?")
    );
    let az = az(&p, 2);
    for app in ["func-reconcile-prod-jpe", "func-reconcile-prod-krc"] {
        assert!(
            az.contains(&format!(
                "az functionapp config appsettings list --resource-group rg-functions-prod-{} --name {app} --query \"[?name=='AzureWebJobs.NightlyReconcile.Disabled' || name=='AzureWebJobs.PurgeExpiredReservations.Disabled'].{{name: name, value: value}}\"",
                &app[app.len() - 3..]
            )),
            "{az}"
        );
    }
    assert!(
        p.steps[2]
            .what
            .contains("enabled in func-reconcile-prod-jpe and disabled in func-reconcile-prod-krc")
    );
}

#[test]
fn sync_writes_function_keys_to_their_function_and_reads_everything_back_by_digest() {
    let p = plan_ok(ActionKind::SyncSecondary, ORDERS_JPE);
    let jpe = format!(
        "{SUB}/resourceGroups/rg-functions-prod-jpe/providers/Microsoft.Web/sites/func-orders-prod-jpe"
    );
    assert_eq!(
        line(&p.steps[1]),
        format!("PUT {jpe}/functions/CreateOrder/keys/default?api-version=2024-11-01")
    );
    assert_eq!(
        read_back(&p),
        [effect(&p, 0).clone(), effect(&p, 1).clone()]
    );
    let az = az(&p, 2);
    assert!(
        az.contains("az functionapp function keys list --resource-group rg-functions-prod-krc --name func-orders-prod-krc --function-name CreateOrder --query \"default\" -o tsv | sha256sum")
            && az.contains("--name func-orders-prod-jpe --function-name CreateOrder --query \"default\" -o tsv | sha256sum"),
        "{az}"
    );
    assert!(
        az.contains("--name func-orders-prod-krc --query \"[?name=='FEATURE_X' || name=='QUEUE_CONN'].[name, value]\" -o tsv | while"),
        "{az}"
    );
    assert!(
        !az.contains("--key-value") && az.matches("sha256sum").count() == 4,
        "{az}"
    );
}

#[test]
fn a_drifted_host_key_is_written_under_host_default_with_its_type() {
    let mut snap = bad_release();
    let at = snap.taken_at;
    let jpe = app_mut(&mut snap, ORDERS_JPE);
    let mut keys = jpe.keys.get().cloned().expect("keys");
    keys.insert("host/default".to_owned(), SecretDigest::of("drifted"));
    jpe.keys.set(keys, at);
    let p = plan_on(ActionKind::SyncSecondary, ORDERS_JPE, &snap).expect("plans");
    assert_eq!(
        ops(&p),
        ["merge_settings", "sync_keys", "sync_keys", "verify"]
    );
    let site = format!(
        "{SUB}/resourceGroups/rg-functions-prod-jpe/providers/Microsoft.Web/sites/func-orders-prod-jpe"
    );
    let lines: Vec<String> = p.steps[1..3].iter().map(line).collect();
    assert_eq!(
        lines,
        [
            format!("PUT {site}/host/default/functionKeys/default?api-version=2024-11-01"),
            format!("PUT {site}/functions/CreateOrder/keys/default?api-version=2024-11-01"),
        ]
    );
    assert_eq!(read_back(&p).len(), 3, "settings and both key steps");
}

#[test]
fn keys_of_several_kinds_are_one_step_per_kind_each_with_its_own_path() {
    let estate = Estate::demo();
    let (from, to) = (
        estate.app("func-orders-prod-krc").expect("app"),
        estate.app(ORDERS_JPE).expect("app"),
    );
    let names: Vec<String> = [
        "host/default",
        "master",
        "function/A/k1",
        "function/A/k2",
        "system/ext",
    ]
    .map(str::to_owned)
    .to_vec();
    let s = steps::sync_keys_by_kind(&estate, from, to, &names);
    let site = estate.app_id(to);
    let paths: Vec<String> = s
        .iter()
        .filter_map(|s| s.call.as_ref().map(|c| c.path.clone()))
        .collect();
    assert_eq!(
        paths,
        [
            format!("{site}/host/default/{{keyType}}/{{keyName}}"),
            format!("{site}/functions/A/keys/{{keyName}}"),
        ]
    );
    let one = steps::sync_keys(&estate, from, to, vec!["master".to_owned()]);
    assert_eq!(
        one.call.map(|c| (c.path, c.body)),
        Some((
            format!("{site}/host/default/masterKey/_master"),
            Some(
                json!({"properties": {"name": "_master", "value": "<value from func-orders-prod-krc>"}})
            )
        ))
    );
}

#[test]
fn freeze_locks_tags_and_reads_both_back_and_says_how_pipelines_check() {
    let p = plan_ok(ActionKind::FreezeOn, "krc");
    assert_eq!(ops(&p), ["lock", "tag", "verify"]);
    let rg = format!("{SUB}/resourceGroups/rg-functions-prod-krc");
    assert_eq!(
        line(&p.steps[1]),
        format!("PATCH {rg}/providers/Microsoft.Resources/tags/default?api-version=2021-04-01")
    );
    let body = p.steps[1]
        .call
        .as_ref()
        .and_then(|c| c.body.clone())
        .expect("body");
    assert_eq!(body["operation"], "Merge");
    let value = body["properties"]["tags"]["warroom-release-freeze"]
        .as_str()
        .expect("a value");
    assert!(
        value.starts_with("frozen since 2026-03-14T03:04 UTC"),
        "{value}"
    );
    assert_eq!(
        az(&p, 1),
        format!(
            "az tag update --resource-id {rg} --operation Merge --tags warroom-release-freeze=\"{value}\""
        )
    );
    assert_eq!(
        read_back(&p),
        [effect(&p, 0).clone(), effect(&p, 1).clone()]
    );
    let check = format!(
        "az tag list --resource-id {rg} --query 'properties.tags.\"warroom-release-freeze\"' -o tsv"
    );
    assert!(az(&p, 2).contains(&check), "{}", az(&p, 2));
    assert!(az(&p, 2).contains(
        "az lock list --resource-group rg-functions-prod-krc --query \"[?name=='warroom-release-freeze'].name\" -o tsv"
    ));
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains(&check) && n.contains("before it deploys")),
        "{:#?}",
        p.notes
    );

    let off = plan_ok(ActionKind::FreezeOff, "krc");
    let body = off.steps[0]
        .call
        .as_ref()
        .and_then(|c| c.body.clone())
        .expect("body");
    assert_eq!(
        body,
        json!({"operation": "Delete", "properties": {"tags": {"warroom-release-freeze": ""}}})
    );
    assert_eq!(
        az(&off, 0),
        format!(
            "az tag update --resource-id {rg} --operation Delete --tags warroom-release-freeze"
        )
    );
    assert!(matches!(
        read_back(&off),
        [
            Effect::Tag { on: false, .. },
            Effect::Lock { on: false, .. }
        ]
    ));
    assert!(
        off.notes.iter().any(|n| n.contains(&check)),
        "{:#?}",
        off.notes
    );
}

#[test]
fn suppression_reads_the_rule_back_and_its_undo_reads_it_gone() {
    let p = plan_ok(ActionKind::SuppressOn, "krc");
    assert_eq!(ops(&p), ["alert_rule", "verify"]);
    assert_eq!(read_back(&p), [effect(&p, 0).clone()]);
    let rule = format!(
        "{SUB}/resourceGroups/rg-functions-prod-krc/providers/Microsoft.AlertsManagement/actionRules/warroom-suppress-krc"
    );
    assert_eq!(
        line(&p.steps[1]),
        format!("GET {rule}?api-version=2021-08-08")
    );
    assert_eq!(
        az(&p, 1),
        "az monitor alert-processing-rule show --resource-group rg-functions-prod-krc --name warroom-suppress-krc"
    );
    assert!(
        p.steps[1].what.contains("from 03:04 to 04:04 UTC"),
        "{}",
        p.steps[1].what
    );
    let off = plan_ok(ActionKind::SuppressOff, "krc");
    assert!(matches!(
        read_back(&off),
        [Effect::AlertRule { on: false, .. }]
    ));
    assert!(off.steps[1].what.contains("is gone"));
}

#[test]
fn route_checks_show_the_az_read_of_the_state_they_check() {
    let tm = plan_ok(ActionKind::TmDisable, "primary-endpoint");
    assert_eq!(
        az(&tm, 1),
        "az network traffic-manager endpoint show --resource-group rg-functions-prod-krc --profile-name tm-functions-prod --type azureEndpoints --name primary-endpoint --query endpointStatus"
    );
    let fd = plan_ok(ActionKind::FdDisable, "origin-primary");
    assert!(
        az(&fd, 1).starts_with("az afd origin show --resource-group ")
            && az(&fd, 1).ends_with("--origin-name origin-primary --query enabledState"),
        "{}",
        az(&fd, 1)
    );
    for (kind, target) in [
        (ActionKind::StorageFailover, "stworkflowprod"),
        (ActionKind::AliasFailover, "sb-functions-prod"),
    ] {
        let p = plan_ok(kind, target);
        let last = p.steps.last().expect("a check");
        assert!(last.effect.is_read_only());
        assert!(
            last.az.as_deref().is_some_and(|a| a.contains(" show ")),
            "{kind:?}: {:?}",
            last.az
        );
    }
}

#[test]
fn a_read_back_of_route_writes_shows_the_same_az_reads_as_the_route_checks() {
    let estate = Estate::demo();
    let (tm, fd) = (
        estate.traffic_manager.as_ref().expect("tm"),
        estate.front_door.as_ref().expect("fd"),
    );
    for ep in &tm.endpoints {
        let write = steps::tm_status(&estate, ep, false).expect("a step");
        let check = super::super::actions::steps_verify::read_back(
            "check".into(),
            std::slice::from_ref(&write),
            Vec::new(),
        );
        assert_eq!(check.az, steps::tm_show(&estate, ep), "{}", ep.name);
        assert_eq!(
            check.call.map(|c| (c.method, c.path)),
            Some((
                "GET".to_owned(),
                steps::tm_endpoint_id(&estate, ep).expect("id")
            ))
        );
    }
    for origin in &fd.origins {
        let write = steps::fd_state(&estate, origin, true).expect("a step");
        let check = super::super::actions::steps_verify::read_back(
            "check".into(),
            std::slice::from_ref(&write),
            Vec::new(),
        );
        assert_eq!(check.az, steps::fd_show(&estate, origin), "{}", origin.name);
    }
}

#[test]
fn every_action_that_changes_something_ends_with_a_check() {
    let cases = [
        (ActionKind::Swap, "func-orders-prod-krc"),
        (ActionKind::SwapBack, "func-orders-prod-krc"),
        (ActionKind::Redeploy, "func-orders-prod-krc"),
        (ActionKind::Restart, "func-orders-prod-krc"),
        (ActionKind::Failover, "krc"),
        (ActionKind::TmDisable, "primary-endpoint"),
        (ActionKind::FdDisable, "origin-primary"),
        (ActionKind::Timers, "func-reconcile-prod-jpe"),
        (ActionKind::SyncSecondary, ORDERS_JPE),
        (ActionKind::AliasFailover, "sb-functions-prod"),
        (ActionKind::StorageFailover, "stworkflowprod"),
        (ActionKind::FreezeOn, "krc"),
        (ActionKind::FreezeOff, "krc"),
        (ActionKind::SuppressOn, "krc"),
        (ActionKind::SuppressOff, "krc"),
        (ActionKind::Rebuild, "func-orders-prod-krc"),
    ];
    for (kind, target) in cases {
        let p = plan_ok(kind, target);
        assert!(
            p.steps.iter().any(|s| !s.effect.is_read_only()),
            "{}: changes something",
            kind.name()
        );
        let last = p.steps.last().expect("steps");
        assert!(
            matches!(last.effect, Effect::Verify(_)) && last.az.is_some() && last.call.is_some(),
            "{} ends with {:?}",
            kind.name(),
            last.effect
        );
    }
}
