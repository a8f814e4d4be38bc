//! Plans of the app-level actions: swap, swap back, redeploy, restart, timers, sync.

use std::collections::BTreeSet;

use super::super::actions::redeploy::last_known_good;
use super::super::testkit::{
    BAD, GOOD, ORDERS_JPE, ORDERS_KRC, app_mut, bad_release, calm, drop_artifact, now,
};
use super::super::{ConfirmKey, Effect, PlanError, Prompt, Risk, SettingSource, VerifyCheck};
use super::{SUB, action, effect, line, ops, plan_ok, plan_on};
use crate::decide::ActionKind;
use crate::model::DeploymentRecord;

const ORDERS_SITE: &str =
    "/resourceGroups/rg-functions-prod-krc/providers/Microsoft.Web/sites/func-orders-prod-krc";

#[test]
fn swap_posts_slotsswap_with_production_as_target_and_undoes_with_swap_back() {
    let p = plan_ok(ActionKind::Swap, ORDERS_KRC);
    assert_eq!(
        line(&p.steps[0]),
        format!("POST {SUB}{ORDERS_SITE}/slots/staging/slotsswap?api-version=2024-11-01")
    );
    let body = p.steps[0].call.as_ref().and_then(|c| c.body.clone());
    assert_eq!(
        body,
        Some(serde_json::json!({"targetSlot": "production", "preserveVnet": true}))
    );
    assert_eq!(
        p.steps[0].az.as_deref(),
        Some(
            "az functionapp deployment slot swap --resource-group rg-functions-prod-krc \
             --name func-orders-prod-krc --slot staging --target-slot production"
        )
    );
    assert_eq!(p.risk, Risk::Medium);
    assert_eq!(p.undo, Some(action(ActionKind::SwapBack, ORDERS_KRC)));
    assert_eq!(p.confirmation.prompt, Prompt::Key { key: ConfirmKey::Y });
    // The check after the swap expects staging's (good) version in production.
    assert_eq!(
        effect(&p, 1),
        &Effect::Verify(VerifyCheck::AppHealthy {
            app: ORDERS_KRC.into(),
            slot: "production".into(),
            version: Some(GOOD.into()),
        })
    );
    assert!(
        p.summary.contains(BAD) && p.summary.contains(GOOD),
        "{}",
        p.summary
    );
    assert!(!p.is_blocked());
}

#[test]
fn swap_back_is_the_same_call_and_undoes_with_swap() {
    let p = plan_ok(ActionKind::SwapBack, ORDERS_KRC);
    assert_eq!(ops(&p), ["swap", "verify"]);
    assert_eq!(p.undo, Some(action(ActionKind::Swap, ORDERS_KRC)));
}

#[test]
fn the_undo_of_a_rollback_promises_the_version_back_not_health() {
    // After the rollback: production runs the good release, staging holds the bad one, which
    // reports Unhealthy there. Swapping again puts it back; the check cannot promise Healthy.
    let mut snap = bad_release();
    let app = app_mut(&mut snap, ORDERS_KRC);
    let (prod, staging) = (app.slots[0].health.clone(), app.slots[1].health.clone());
    app.slots[0].health = staging;
    app.slots[1].health = prod;
    for kind in [ActionKind::Swap, ActionKind::SwapBack] {
        let p = plan_on(kind, ORDERS_KRC, &snap).expect("a plan");
        assert_eq!(
            effect(&p, 1),
            &Effect::Verify(VerifyCheck::AppVersion {
                app: ORDERS_KRC.into(),
                slot: "production".into(),
                version: BAD.into(),
            })
        );
        assert!(
            p.steps[1].what.contains("not required"),
            "{}",
            p.steps[1].what
        );
        assert!(p.title.contains(&format!("Put {BAD} back")), "{}", p.title);
        assert!(
            p.summary.contains("puts the bad release back")
                && p.summary.contains("health is reported, not required"),
            "{}",
            p.summary
        );
    }
    // Health unknown in the slot: no health is promised either.
    app_mut(&mut snap, ORDERS_KRC).slots[1]
        .health
        .value
        .as_mut()
        .expect("report")
        .status = crate::model::Health::Unknown;
    let p = plan_on(ActionKind::Swap, ORDERS_KRC, &snap).expect("a plan");
    assert!(matches!(
        effect(&p, 1),
        Effect::Verify(VerifyCheck::AppVersion { .. })
    ));
}

#[test]
fn swap_needs_a_slot_and_a_known_app() {
    let no_slot = plan_on(ActionKind::Swap, "func-fulfil-prod-krc", &calm());
    assert!(
        matches!(no_slot, Err(PlanError::NotApplicable(ref m)) if m.contains("no deployment slot"))
    );
    match plan_on(ActionKind::Swap, "func-nope", &calm()) {
        Err(PlanError::UnknownTarget { known, .. }) => assert!(known.contains(ORDERS_KRC)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_last_known_good_is_the_newest_success_before_the_bad_deployment() {
    let mut snap = bad_release();
    let app = app_mut(&mut snap, ORDERS_KRC);
    // A failed attempt between the good and the bad release is skipped.
    if let Some(history) = app.deployments.value.as_mut() {
        let mut failed: DeploymentRecord = history[1].clone();
        failed.id = "orders-failed".into();
        failed.version = Some("2026.03.30".into());
        failed.status = "failed".into();
        failed.ended = Some(super::super::testkit::now() - chrono::Duration::hours(5));
        history.push(failed);
    }
    let lkg = last_known_good(app).expect("found");
    assert_eq!(lkg.version, GOOD);
    assert_eq!(lkg.current.as_deref(), Some(BAD));
    // When production runs the good version, the one before it is the last known good.
    let calm = calm();
    let orders = calm
        .apps
        .iter()
        .find(|a| a.name == ORDERS_KRC)
        .expect("app");
    assert_eq!(
        last_known_good(orders).expect("found").version,
        "2026.02.11"
    );
}

#[test]
fn redeploy_zip_deploys_the_good_package_then_reapplies_the_drifted_baseline_and_restarts() {
    let p = plan_ok(ActionKind::Redeploy, ORDERS_KRC);
    assert_eq!(
        ops(&p),
        ["zip_deploy", "merge_settings", "restart", "verify"]
    );
    assert_eq!(
        effect(&p, 0),
        &Effect::ZipDeploy {
            app: ORDERS_KRC.into(),
            scm: "https://func-orders-prod-krc.scm.azurewebsites.net".into(),
            package_uri: "https://stfuncartifactsprod.blob.core.windows.net/releases/orders-api/2026.03.28.zip".into(),
            version: GOOD.into(),
        }
    );
    assert_eq!(
        line(&p.steps[0]),
        "POST https://func-orders-prod-krc.scm.azurewebsites.net/api/zipdeploy?isAsync=true"
    );
    assert!(
        p.steps[0]
            .az
            .as_deref()
            .is_some_and(|a| a.contains("az functionapp deployment source config-zip"))
    );
    // The baseline is the jpe app (healthy on the good version); only the drifted, non-regional
    // name is re-applied, copied from there.
    let Effect::MergeSettings { set, .. } = effect(&p, 1) else {
        panic!("merge settings expected");
    };
    assert_eq!(set.keys().cloned().collect::<Vec<_>>(), ["QUEUE_CONN"]);
    assert!(matches!(&set["QUEUE_CONN"], SettingSource::CopyFrom { app, .. } if app == ORDERS_JPE));
    assert!(matches!(
        effect(&p, 2),
        Effect::Restart {
            only_if_unhealthy: true,
            warm_up_secs: 120,
            ..
        }
    ));
    // The plan says the warm-up window, and the az equivalent waits as long before restarting.
    assert_eq!(
        p.steps[2].what,
        "Restart func-orders-prod-krc only if it is still not healthy after a warm-up of up to 2m (its health probed meanwhile; healthy sooner, no restart)"
    );
    assert_eq!(
        p.steps[2].az.as_deref(),
        Some(
            "curl -fsS --retry 12 --retry-delay 10 --retry-all-errors https://func-orders-prod-krc.azurewebsites.net/api/health > /dev/null || az functionapp restart --resource-group rg-functions-prod-krc --name func-orders-prod-krc"
        )
    );
    assert!(
        matches!(effect(&p, 3), Effect::Verify(VerifyCheck::AppHealthy { version: Some(v), .. }) if v == GOOD)
    );
    assert_eq!(p.risk, Risk::Medium);
    assert_eq!(p.undo, None);
}

#[test]
fn redeploy_passes_over_a_known_good_release_whose_package_is_missing() {
    let mut snap = bad_release();
    drop_artifact(&mut snap, "orders-api", GOOD);
    let p = plan_on(ActionKind::Redeploy, ORDERS_KRC, &snap).expect("a plan");
    assert!(
        matches!(effect(&p, 0), Effect::ZipDeploy { version, .. } if version == "2026.02.11"),
        "{:?}",
        effect(&p, 0)
    );
    assert!(
        p.summary.contains(&format!(
            "{GOOD}: package orders-api/{GOOD}.zip missing from stfuncartifactsprod/releases"
        )),
        "{}",
        p.summary
    );
    // Neither has a package: no plan, and the reason names both.
    drop_artifact(&mut snap, "orders-api", "2026.02.11");
    match plan_on(ActionKind::Redeploy, ORDERS_KRC, &snap) {
        Err(PlanError::NotApplicable(m)) => {
            assert!(
                m.contains("no release known good") && m.contains(GOOD) && m.contains("2026.02.11"),
                "{m}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn redeploy_without_the_stores_listing_chooses_from_the_history_and_says_so() {
    let mut snap = bad_release();
    if let Some(o) = snap.artifacts.as_mut() {
        o.value = None;
        o.fail("403 AuthorizationPermissionMismatch", now());
    }
    let p = plan_on(ActionKind::Redeploy, ORDERS_KRC, &snap).expect("a plan");
    assert!(matches!(effect(&p, 0), Effect::ZipDeploy { version, .. } if version == GOOD));
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("AuthorizationPermissionMismatch") && n.contains("looked for")),
        "{:?}",
        p.notes
    );
}

#[test]
fn redeploy_without_history_is_not_applicable() {
    let mut snap = bad_release();
    app_mut(&mut snap, ORDERS_KRC).deployments.value = None;
    let r = plan_on(ActionKind::Redeploy, ORDERS_KRC, &snap);
    assert!(matches!(r, Err(PlanError::NotApplicable(ref m)) if m.contains("not been observed")));
}

#[test]
fn restart_is_low_risk_on_enter() {
    let p = plan_ok(ActionKind::Restart, ORDERS_KRC);
    assert_eq!(
        line(&p.steps[0]),
        format!("POST {SUB}{ORDERS_SITE}/restart?softRestart=false&api-version=2024-11-01")
    );
    assert_eq!(
        p.steps[0].az.as_deref(),
        Some(
            "az functionapp restart --resource-group rg-functions-prod-krc --name func-orders-prod-krc"
        )
    );
    assert_eq!(p.risk, Risk::Low);
    assert_eq!(
        p.confirmation.prompt,
        Prompt::Key {
            key: ConfirmKey::Enter
        }
    );
    // A plain restart journals no warm-up, and a conditional restart journaled before the
    // window existed reads back as probing once.
    let json = serde_json::to_value(effect(&p, 0)).expect("serialises");
    assert!(json.get("warm_up_secs").is_none(), "{json}");
    let old: Effect = serde_json::from_value(serde_json::json!({
        "op": "restart", "site_id": "s", "app": "a", "slot": "production", "only_if_unhealthy": true
    }))
    .expect("an older journal's restart reads");
    assert!(matches!(
        old,
        Effect::Restart {
            only_if_unhealthy: true,
            warm_up_secs: 0,
            ..
        }
    ));
}

#[test]
fn timers_enable_the_new_app_first_then_disable_the_old_by_read_modify_write() {
    let p = plan_ok(ActionKind::Timers, "func-reconcile-prod-jpe");
    let flags = |i: usize| match effect(&p, i) {
        Effect::MergeSettings { site_id, set, .. } => (site_id.clone(), set.clone()),
        other => panic!("{other:?}"),
    };
    let (new_site, new_set) = flags(0);
    assert!(new_site.ends_with("/sites/func-reconcile-prod-jpe"));
    assert_eq!(
        new_set.get("AzureWebJobs.NightlyReconcile.Disabled"),
        Some(&SettingSource::Flag { value: false })
    );
    assert_eq!(new_set.len(), 2);
    let (old_site, old_set) = flags(1);
    assert!(old_site.ends_with("/sites/func-reconcile-prod-krc"));
    assert!(
        old_set
            .values()
            .all(|s| *s == SettingSource::Flag { value: true })
    );
    assert!(
        line(&p.steps[0]).starts_with("PUT ")
            && line(&p.steps[0]).contains("/config/appsettings?api-version=2024-11-01")
    );
    assert!(
        p.steps[0]
            .az
            .as_deref()
            .is_some_and(|a| a.contains("AzureWebJobs.NightlyReconcile.Disabled=false"))
    );
    assert_eq!(
        p.undo,
        Some(action(ActionKind::Timers, "func-reconcile-prod-krc"))
    );
    assert_eq!(p.risk, Risk::Medium);
    assert!(matches!(
        plan_on(ActionKind::Timers, ORDERS_JPE, &calm()),
        Err(PlanError::NotApplicable(_))
    ));
}

#[test]
fn sync_lists_names_to_add_and_change_by_digest_and_never_regional_ones() {
    let p = plan_ok(ActionKind::SyncSecondary, ORDERS_JPE);
    assert_eq!(ops(&p), ["merge_settings", "sync_keys", "verify"]);
    let Effect::MergeSettings { site_id, set, .. } = effect(&p, 0) else {
        panic!("merge settings expected");
    };
    assert!(site_id.ends_with("/sites/func-orders-prod-jpe"));
    let names: BTreeSet<&str> = set.keys().map(String::as_str).collect();
    assert_eq!(names, BTreeSet::from(["FEATURE_X", "QUEUE_CONN"]));
    assert!(
        p.steps[0].what.contains("adds FEATURE_X")
            && p.steps[0].what.contains("changes QUEUE_CONN")
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.contains("AzureWebJobsStorage, DEPLOYMENT_REGION")),
        "{:?}",
        p.notes
    );
    assert_eq!(
        effect(&p, 1),
        &Effect::SyncKeys {
            from_site: format!("{SUB}{ORDERS_SITE}"),
            to_site: format!(
                "{SUB}/resourceGroups/rg-functions-prod-jpe/providers/Microsoft.Web/sites/func-orders-prod-jpe"
            ),
            names: vec!["function/CreateOrder/default".into()],
        }
    );
    let az = p.steps[1].az.as_deref().unwrap_or_default();
    assert!(az.contains("az functionapp function keys set --resource-group rg-functions-prod-jpe --name func-orders-prod-jpe --function-name CreateOrder --key-name default --key-value <value of key function/CreateOrder/default from func-orders-prod-krc>"), "{az}");
    assert_eq!(p.risk, Risk::Medium);
}

#[test]
fn sync_refuses_the_primary_and_says_when_already_in_sync() {
    assert!(matches!(
        plan_on(ActionKind::SyncSecondary, ORDERS_KRC, &calm()),
        Err(PlanError::NotApplicable(_))
    ));
    assert!(matches!(
        plan_on(ActionKind::SyncSecondary, "func-catalog-prod-jpe", &calm()),
        Err(PlanError::NothingToDo(_))
    ));
}

#[test]
fn sync_leaves_each_region_its_own_storage_connection() {
    let mut snap = calm();
    let at = snap.taken_at;
    for (app, value) in [
        ("func-catalog-prod-krc", "account-krc"),
        ("func-catalog-prod-jpe", "account-jpe"),
    ] {
        let state = app_mut(&mut snap, app);
        let mut names = state.settings.get().cloned().expect("settings");
        names.insert(
            "QueueStorageConnection".to_owned(),
            crate::model::SecretDigest::of(value),
        );
        state.settings.set(names, at);
    }
    assert!(
        matches!(
            plan_on(ActionKind::SyncSecondary, "func-catalog-prod-jpe", &snap),
            Err(PlanError::NothingToDo(_))
        ),
        "a storage connection differs by design and is never copied"
    );
}
