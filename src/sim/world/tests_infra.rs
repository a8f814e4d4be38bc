//! Tests of the infrastructure writes on the world alone (no server): operations completing at
//! their due time however time is stepped, alias views over time, failovers in an outage, lock
//! scopes, template problems naming their fields, and template expressions.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde_json::{Value, json};

use super::*;
use crate::sim::scenario::{Scenario, Toggle};

fn world(name: &str) -> World {
    World::new(&Estate::demo(), &Scenario::builtin(name).expect("scenario")).expect("world")
}

#[test]
fn an_operation_completes_at_its_due_time_even_when_time_jumps_past_it() {
    let mut w = world("calm");
    let start = w.start();
    w.advance_to(start + TimeDelta::seconds(60));
    let change = OriginChange {
        origin: "origin-primary".to_owned(),
        state: Some(Toggle::Disabled),
        priority: None,
        weight: Some(500),
    };
    let id = w.begin_origin_update(change, "test").expect("started");
    let due = start + TimeDelta::seconds(60) + w.op_timings().origin_update;
    w.advance_to(due - TimeDelta::seconds(1));
    assert!(w.origin_update_in_flight("origin-primary").is_some());
    w.advance_to(due + TimeDelta::minutes(10));
    let op = w.operation(&id).expect("kept");
    assert_eq!(op.phase_at(w.now()), OpPhase::Succeeded);
    assert_eq!(
        op.phase_at(due - TimeDelta::seconds(1)),
        OpPhase::InProgress
    );
    let fd = w.routing().fd.clone().expect("front door");
    let o = &fd.origins[0];
    assert_eq!(*o.state.at(due - TimeDelta::seconds(1)), Toggle::Enabled);
    assert_eq!(
        *o.state.at(due),
        Toggle::Disabled,
        "applied at its due time"
    );
    assert_eq!(o.weight, 500);
    let logged = w.activity().any(|r| {
        r.operation == "Microsoft.Cdn/profiles/originGroups/origins/write" && r.timestamp == due
    });
    assert!(logged, "the completion is in the activity log at its time");
}

#[test]
fn an_alias_keeps_its_past_and_a_safe_failover_waits_for_a_reachable_primary() {
    let mut w = world("region-outage");
    let start = w.start();
    w.advance_to(start + TimeDelta::minutes(5));
    let err = w
        .begin_alias_failover("sb-functions-prod-jpe", "sb-functions-prod", true, "test")
        .expect_err("the primary's region is out");
    assert!(matches!(err, InfraError::Conflict { .. }), "{err:?}");
    w.begin_alias_failover("sb-functions-prod-jpe", "sb-functions-prod", false, "test")
        .expect("a forced failover starts");
    let t = w.now();
    w.advance_to(t + TimeDelta::minutes(5));
    let now = w.now();
    let new = w
        .alias_view("sb-functions-prod-jpe", "sb-functions-prod", now)
        .expect("kept by the new primary");
    assert_eq!(
        (new.role, new.partner.as_deref()),
        ("PrimaryNotReplicating", None)
    );
    assert!(
        w.alias_view("sb-functions-prod-krc", "sb-functions-prod", now)
            .is_none()
    );
    let before = w
        .alias_view("sb-functions-prod-krc", "sb-functions-prod", t)
        .expect("the past is kept");
    assert_eq!(before.role, "Primary");
    assert!(before.pending > 0, "the outage had piled up operations");
    let logged = w.activity().any(|r| {
        r.operation == "Microsoft.ServiceBus/namespaces/disasterRecoveryConfigs/failover/action"
            && r.resource_id.contains("/namespaces/sb-functions-prod-jpe/")
    });
    assert!(
        logged,
        "the failover is in the activity log, on the namespace it was called on"
    );
}

#[test]
fn a_storage_failover_in_an_outage_leaves_the_outage_behind() {
    let mut w = world("region-outage");
    let start = w.start();
    w.advance_to(start + TimeDelta::minutes(5));
    let err = w
        .begin_storage_failover("stworkflowprod", true, "test")
        .expect_err("a planned failover needs live replication");
    assert!(
        matches!(
            err,
            InfraError::Conflict {
                code: "PlannedFailoverNotAllowed",
                ..
            }
        ),
        "{err:?}"
    );
    w.begin_storage_failover("stworkflowprod", false, "test")
        .expect("an unplanned one starts");
    let t = w.now() + w.op_timings().storage_failover;
    w.advance_to(t);
    let v = w.storage_view("stworkflowprod", t).expect("account");
    assert_eq!(v.account.location, "koreasouth");
    assert!(v.geo.is_none(), "ZRS after an unplanned failover");
    assert!(v.primary_available);
    assert!(w.last_storage_failover("stworkflowprod", t).is_some());
    assert!(
        w.last_storage_failover("stworkflowprod", t - TimeDelta::seconds(1))
            .is_none()
    );
    w.advance_to(t + INGESTION_DELAY);
    let logged = w.activity().any(|r| {
        r.operation == "Microsoft.Storage/storageAccounts/failover/action"
            && r.properties.get("failoverType").map(String::as_str) == Some("Unplanned")
    });
    assert!(logged);
}

#[test]
fn locks_block_writes_at_and_below_their_scope() {
    let mut w = world("calm");
    let rg =
        "/subscriptions/8f3c2a71-5d04-4e6b-9a1f-0c7e2b9d4a10/resourceGroups/rg-functions-prod-krc";
    let lock = Lock {
        scope: rg.to_owned(),
        name: "freeze".to_owned(),
        level: LockLevel::CanNotDelete,
        notes: None,
        owners: Vec::new(),
    };
    assert!(w.put_lock(lock.clone(), "test"));
    let site = format!(
        "{}/providers/Microsoft.Web/sites/x/restart",
        rg.to_ascii_uppercase()
    );
    assert!(
        w.blocking_lock(&site, false).is_none(),
        "CanNotDelete allows writes"
    );
    assert!(w.blocking_lock(&site, true).is_some(), "and blocks deletes");
    assert!(!w.put_lock(
        Lock {
            level: LockLevel::ReadOnly,
            ..lock
        },
        "test"
    ));
    assert!(w.blocking_lock(&site, false).is_some());
    assert!(
        w.blocking_lock(&format!("{rg}-other/providers/x"), false)
            .is_none()
    );
    assert!(w.delete_lock(rg, "FREEZE", "test"));
    assert!(w.locks().is_empty());
}

#[test]
fn template_problems_name_their_fields() {
    let rg = RgContext {
        subscription_id: "s".to_owned(),
        resource_group: "g".to_owned(),
        location: "japaneast".to_owned(),
    };
    let template = json!({
        "contentVersion": "1.0.0.0",
        "parameters": {"n": {"type": "int"}},
        "resources": [{"type": "Microsoft.Web/sites", "name": "a/b", "apiVersion": "2024-11-01"}]
    });
    let issues = evaluate(
        &template,
        Some(&json!({"n": {"value": "x"}, "extra": {"value": 1}})),
        &rg,
    )
    .expect_err("several problems");
    let targets: Vec<&str> = issues.iter().map(|i| i.target.as_str()).collect();
    for t in [
        "properties.template.$schema",
        "properties.parameters.extra",
        "properties.parameters.n",
        "properties.template.resources[0].name",
    ] {
        assert!(targets.contains(&t), "{t} in {targets:?}");
    }
    assert_eq!(
        rg.resource_id("Microsoft.Web/sites/config", "app/appsettings"),
        "/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/app/config/appsettings"
    );
}

fn expr_rg() -> RgContext {
    RgContext {
        subscription_id: "s1".to_owned(),
        resource_group: "rg1".to_owned(),
        location: "koreacentral".to_owned(),
    }
}

fn ev(s: &str) -> Result<Value, String> {
    let params = BTreeMap::from([("site".to_owned(), json!("func-a"))]);
    let vars = json!({"suffix": "-x", "full": "[concat(parameters('site'), variables('suffix'))]", "loop": "[variables('loop')]"});
    super::template_expr::eval_string(s, &params, vars.as_object().expect("object"), &expr_rg())
}

#[test]
fn evaluates_the_common_functions() {
    assert_eq!(ev("[parameters('site')]"), Ok(json!("func-a")));
    assert_eq!(ev("[variables('full')]"), Ok(json!("func-a-x")));
    assert_eq!(ev("[resourceGroup().location]"), Ok(json!("koreacentral")));
    assert_eq!(
        ev("[format('{0}/{1}', parameters('site'), 'appsettings')]"),
        Ok(json!("func-a/appsettings"))
    );
    assert_eq!(
        ev("[resourceId('Microsoft.Web/sites', parameters('site'))]"),
        Ok(json!(
            "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Web/sites/func-a"
        ))
    );
    assert_eq!(ev("[toUpper('it''s')]"), Ok(json!("IT'S")));
    assert_eq!(ev("[[literal]"), Ok(json!("[literal]")));
    assert_eq!(ev("plain"), Ok(json!("plain")));
    let u = ev("[uniqueString(resourceGroup().id)]").expect("evaluates");
    assert_eq!(u.as_str().map(str::len), Some(13));
}

#[test]
fn unknown_functions_stay_as_written_and_errors_are_errors() {
    let s = "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-01-01').keys[0].value]";
    assert_eq!(ev(s), Ok(json!(s)));
    assert!(ev("[parameters('nope')]").is_err_and(|m| m.contains("'nope'")));
    assert!(ev("[variables('loop')]").is_err_and(|m| m.contains("refers to itself")));
    assert!(ev("[concat('a',]").is_err_and(|m| m.contains("not valid")));
}
