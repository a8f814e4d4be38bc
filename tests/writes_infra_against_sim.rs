//! warroom's infrastructure write calls (`azure::writes::{routing, messaging, storage,
//! governance}`) against the real simulator over the wire, each seen afterwards through the
//! console's normal reads, each undone, and the refusals Azure makes (alias failover on the
//! primary, a write under a ReadOnly lock, failover of a locally redundant account). Virtual time
//! moves only when a test moves it, or through [`SimLroClock`] while the client waits.

#[path = "common/infra.rs"]
mod infra;
#[path = "common/sim_lro.rs"]
mod sim_lro;
#[path = "common/wire.rs"]
mod wire;

use std::time::Duration;

use infra::{arm, lro_options};
use serde_json::json;
use sim_lro::SimLroClock;
use warroom::azure::Method;
use warroom::azure::lro::LroClock as _;
use warroom::azure::wire::OperationStatus;
use warroom::azure::wire::api;
use warroom::azure::wire::network::TmEndpointProperties;
use warroom::azure::writes::governance::{
    LockLevel, alert_rule_id, delete_alert_processing_rule, delete_lock, get_alert_processing_rule,
    list_alert_processing_rules, list_locks, lock_id, put_alert_processing_rule, put_lock,
    suppression_rule,
};
use warroom::azure::writes::messaging::{
    AliasSide, alias_failover, alias_id, break_pairing, wait_alias_settled_with_clock,
};
use warroom::azure::writes::routing::{
    fd_origin_id, patch_tm_endpoint, set_fd_origin_state_with_clock, set_tm_endpoint_status,
    tm_endpoint_id,
};
use warroom::azure::writes::storage::{
    FailoverType, storage_account_id, storage_failover_with_clock,
};
use warroom::config::QueueKind;
use wire::Wire;

const PROFILE: &str = "tm-functions-prod";
const AFD: &str = "afd-functions-prod";
const GROUP: &str = "functions-origins";

#[tokio::test]
async fn tm_endpoint_disable_and_enable_are_seen_by_the_profile_read() {
    let w = Wire::start("calm").await;
    w.at(60);
    let id = tm_endpoint_id(&w.estate, "primary-endpoint").expect("endpoint in the estate");
    let rg = w.rg("krc");
    let writes = w.sim.counts().writes;
    let e = set_tm_endpoint_status(&w.client, &id, false)
        .await
        .expect("disabled");
    assert_eq!(e.properties.endpoint_status.as_deref(), Some("Disabled"));
    assert_eq!(
        e.properties.endpoint_monitor_status.as_deref(),
        Some("Disabled")
    );
    assert_eq!(
        w.sim.counts().writes,
        writes + 1,
        "the PATCH counts as a write"
    );
    let status = |p: &warroom::azure::wire::network::TmProfile, name: &str| {
        p.properties
            .endpoints
            .iter()
            .find(|e| e.name == name)
            .and_then(|e| e.properties.endpoint_status.clone())
    };
    let p = w
        .client
        .get_tm_profile(&rg, PROFILE)
        .await
        .expect("profile");
    assert_eq!(status(&p, "primary-endpoint").as_deref(), Some("Disabled"));
    assert_eq!(status(&p, "secondary-endpoint").as_deref(), Some("Enabled"));
    let load = w.sim.with_world(|wd| {
        let krc = wd.app_index("func-orders-prod-krc").expect("app");
        wd.routing_load(krc, wd.now())
    });
    assert!(
        load.abs() < 1e-9,
        "no traffic goes to a disabled endpoint: {load}"
    );

    // The activity log lists the write once ingested.
    w.at(150);
    let sub = &w.estate.primary().subscription_id;
    let log = w
        .client
        .activity_log(sub, &rg.resource_group, w.t(0), w.t(150))
        .await
        .expect("activity log");
    assert!(log.iter().any(|e| {
        e.operation_name.value == "Microsoft.Network/trafficManagerProfiles/azureEndpoints/write"
            && e.resource_id
                .as_deref()
                .is_some_and(|r| r.ends_with("/primary-endpoint"))
    }));

    // Undo, and a priority change.
    set_tm_endpoint_status(&w.client, &id, true)
        .await
        .expect("enabled");
    let p = w
        .client
        .get_tm_profile(&rg, PROFILE)
        .await
        .expect("profile");
    assert_eq!(status(&p, "primary-endpoint").as_deref(), Some("Enabled"));
    let change = TmEndpointProperties {
        priority: Some(3),
        ..TmEndpointProperties::default()
    };
    let e = patch_tm_endpoint(&w.client, &id, change)
        .await
        .expect("patched");
    assert_eq!(e.properties.priority, Some(3));

    // A wrong value is a 400 naming the field.
    let bad = TmEndpointProperties {
        endpoint_status: Some("Off".to_owned()),
        ..TmEndpointProperties::default()
    };
    let err = patch_tm_endpoint(&w.client, &id, bad)
        .await
        .expect_err("refused");
    let (status_code, _, target) = arm(&err);
    assert_eq!(status_code, 400);
    assert_eq!(target.as_deref(), Some("properties.endpointStatus"));
}

#[tokio::test]
async fn fd_origin_update_runs_in_virtual_time_and_routing_changes_when_it_completes() {
    let w = Wire::start("calm").await;
    w.at(60);
    let id = fd_origin_id(&w.estate, "origin-primary").expect("origin in the estate");
    let rg = w.rg("krc");
    let body = json!({"properties": {"enabledState": "Disabled"}});
    let first = w
        .client
        .begin(Method::Patch, &id, api::CDN, Some(&body))
        .await
        .expect("accepted");
    assert_eq!(first.status, 202);
    assert!(first.header("location").is_some() && first.retry_after().is_some());
    let status_url = first
        .header("azure-asyncoperation")
        .expect("Azure-AsyncOperation")
        .to_owned();
    let poll = || async {
        let r = w
            .client
            .get_arm_link(&status_url, "status")
            .await
            .expect("status");
        r.json::<OperationStatus>("status")
            .expect("status body")
            .status
    };
    let origin_state = || async {
        let o = w
            .client
            .list_afd_origins(&rg, AFD, GROUP)
            .await
            .expect("origins");
        let o = o
            .into_iter()
            .find(|o| o.name == "origin-primary")
            .expect("origin");
        (o.properties.enabled_state, o.properties.provisioning_state)
    };
    let routed = || {
        w.sim.with_world(|wd| {
            let a = wd.app_index("func-catalog-prod-krc").expect("app");
            wd.routing_load(a, wd.now()) > 0.0
        })
    };
    assert_eq!(poll().await, "InProgress");
    assert_eq!(
        origin_state().await,
        (Some("Disabled".to_owned()), Some("Updating".to_owned()))
    );
    assert!(routed(), "routing changes only when the update completes");
    let again = set_fd_origin_state_with_clock(
        &w.client,
        &id,
        true,
        &lro_options(),
        &mut |_| {},
        &SimLroClock::new(w.sim.clock()),
    )
    .await
    .expect_err("one update at a time");
    assert_eq!(arm(&again).0, 409);

    w.sim.clock().advance(Duration::from_secs(45));
    assert_eq!(poll().await, "Succeeded");
    assert_eq!(
        origin_state().await,
        (Some("Disabled".to_owned()), Some("Succeeded".to_owned()))
    );
    assert!(!routed());

    // Undo through the client's own wait, on virtual time.
    let clock = SimLroClock::new(w.sim.clock());
    let mut reports = Vec::new();
    let o = set_fd_origin_state_with_clock(
        &w.client,
        &id,
        true,
        &lro_options(),
        &mut |p| reports.push(p.status.clone()),
        &clock,
    )
    .await
    .expect("enabled");
    assert_eq!(o.properties.enabled_state.as_deref(), Some("Enabled"));
    assert_eq!(
        o.properties.provisioning_state.as_deref(),
        Some("Succeeded")
    );
    assert!(!reports.is_empty() && reports.iter().all(|s| s == "InProgress"));
    assert!(
        clock.elapsed() >= Duration::from_secs(45),
        "{:?}",
        clock.elapsed()
    );
    assert!(routed());
}

#[tokio::test]
async fn alias_failover_is_refused_on_the_primary_and_settles_on_the_secondary() {
    let w = Wire::start("calm").await;
    w.at(60);
    let alias = "sb-functions-prod";
    let primary = alias_id(&w.estate, alias, AliasSide::Primary).expect("alias");
    let secondary = alias_id(&w.estate, alias, AliasSide::Secondary).expect("alias");
    let err = alias_failover(&w.client, &primary, false)
        .await
        .expect_err("not on the primary");
    let (status, _, _) = arm(&err);
    assert_eq!(status, 400);
    assert!(err.to_string().contains("secondary"), "{err}");

    let writes = w.sim.counts().writes;
    alias_failover(&w.client, &secondary, true)
        .await
        .expect("accepted");
    assert_eq!(w.sim.counts().writes, writes + 1);
    let jpe = w.rg("jpe");
    let seen = w
        .client
        .get_dr_config(QueueKind::ServiceBus, &jpe, "sb-functions-prod-jpe", alias)
        .await
        .expect("alias");
    assert_eq!(
        seen.properties.provisioning_state.as_deref(),
        Some("Accepted")
    );
    assert_eq!(seen.properties.role.as_deref(), Some("Secondary"));

    let settled = wait_alias_settled_with_clock(
        &w.client,
        &secondary,
        Some("PrimaryNotReplicating"),
        &lro_options(),
        &mut |_| {},
        &SimLroClock::new(w.sim.clock()),
    )
    .await
    .expect("settled");
    let p = &settled.properties;
    assert_eq!(p.provisioning_state.as_deref(), Some("Succeeded"));
    assert_eq!(p.partner_namespace.as_deref(), Some(""));
    assert_eq!(p.pending_replication_operations_count, Some(0));
    let krc = w.rg("krc");
    let gone = w
        .client
        .get_dr_config(QueueKind::ServiceBus, &krc, "sb-functions-prod-krc", alias)
        .await
        .expect_err("the former primary lost the alias");
    assert!(gone.is_not_found());
    let twice = alias_failover(&w.client, &secondary, false)
        .await
        .expect_err("no pairing left");
    assert_eq!(arm(&twice).0, 400);
}

#[tokio::test]
async fn event_hubs_break_pairing_is_called_on_the_primary() {
    let w = Wire::start("calm").await;
    w.at(60);
    let alias = "evh-functions-prod";
    let primary = alias_id(&w.estate, alias, AliasSide::Primary).expect("alias");
    let secondary = alias_id(&w.estate, alias, AliasSide::Secondary).expect("alias");
    let err = break_pairing(&w.client, &secondary)
        .await
        .expect_err("not on the secondary");
    assert_eq!(arm(&err).0, 400);
    break_pairing(&w.client, &primary).await.expect("accepted");
    let settled = wait_alias_settled_with_clock(
        &w.client,
        &primary,
        Some("PrimaryNotReplicating"),
        &lro_options(),
        &mut |_| {},
        &SimLroClock::new(w.sim.clock()),
    )
    .await
    .expect("settled");
    assert_eq!(settled.properties.partner_namespace.as_deref(), Some(""));
    let jpe = w.rg("jpe");
    let gone = w
        .client
        .get_dr_config(
            QueueKind::EventHubs,
            &jpe,
            "evhns-functions-prod-jpe",
            alias,
        )
        .await
        .expect_err("the secondary lost the alias");
    assert!(gone.is_not_found());
}

#[tokio::test]
async fn storage_failover_moves_the_primary_and_refuses_what_cannot_fail_over() {
    let w = Wire::start("calm").await;
    w.at(60);
    let krc = w.rg("krc");
    let lrs = storage_account_id(&w.estate, "stordersprodkrc").expect("account");
    let opts = lro_options();
    let clock = SimLroClock::new(w.sim.clock());
    let err = storage_failover_with_clock(
        &w.client,
        &lrs,
        FailoverType::Unplanned,
        &opts,
        &mut |_| {},
        &clock,
    )
    .await
    .expect_err("LRS cannot fail over");
    assert_eq!(arm(&err).0, 409);

    // Unplanned: RA-GZRS in Korea Central becomes ZRS in Korea South.
    let id = storage_account_id(&w.estate, "stworkflowprod").expect("account");
    let first = w
        .client
        .begin(Method::Post, &format!("{id}/failover"), api::STORAGE, None)
        .await
        .expect("accepted");
    assert_eq!(first.status, 202);
    let during = w
        .client
        .get_storage_account(&krc, "stworkflowprod")
        .await
        .expect("account");
    assert_eq!(during.properties.failover_in_progress, Some(true));
    let busy = storage_failover_with_clock(
        &w.client,
        &id,
        FailoverType::Unplanned,
        &opts,
        &mut |_| {},
        &clock,
    )
    .await
    .expect_err("one at a time");
    assert_eq!(arm(&busy), (409, "FailoverInProgress".to_owned(), None));
    let location = first.header("location").expect("Location").to_owned();
    let outcome =
        warroom::azure::lro::wait_with_clock(&w.client, first, &opts, &mut |_| {}, &clock)
            .await
            .expect("completed");
    assert_eq!(outcome.status, "Succeeded");
    assert!(
        location.contains("/providers/Microsoft.Storage/locations/"),
        "{location}"
    );
    let after = w
        .client
        .get_storage_account(&krc, "stworkflowprod")
        .await
        .expect("account");
    assert_eq!(after.location, "koreasouth");
    assert_eq!(
        after.properties.primary_location.as_deref(),
        Some("koreasouth")
    );
    assert_eq!(after.sku.name, "Standard_ZRS");
    assert_eq!(after.properties.secondary_location, None);
    assert!(after.properties.geo_replication_stats.is_none());
    assert!(after.properties.last_geo_failover_time.is_some());
    assert_eq!(after.properties.failover_in_progress, None);

    // Planned: RA-GRS swaps regions and stays RA-GRS.
    let id = storage_account_id(&w.estate, "stfuncartifactsprod").expect("account");
    let a = storage_failover_with_clock(
        &w.client,
        &id,
        FailoverType::Planned,
        &opts,
        &mut |_| {},
        &clock,
    )
    .await
    .expect("planned failover");
    assert_eq!(a.properties.primary_location.as_deref(), Some("koreasouth"));
    assert_eq!(
        a.properties.secondary_location.as_deref(),
        Some("koreacentral")
    );
    assert_eq!(a.sku.name, "Standard_RAGRS");
    let geo = a
        .properties
        .geo_replication_stats
        .expect("still geo-redundant");
    assert_eq!(geo.can_failover, Some(true));
}

#[tokio::test]
async fn a_read_only_lock_freezes_writes_in_its_group_until_deleted() {
    let w = Wire::start("calm").await;
    w.at(60);
    let krc = w.rg("krc");
    let id = lock_id(&krc, "release-freeze");
    let lock = put_lock(&w.client, &id, LockLevel::ReadOnly, Some("incident 42"))
        .await
        .expect("locked");
    assert_eq!(lock.properties.level, "ReadOnly");
    let listed = list_locks(&w.client, &krc).await.expect("locks");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id.as_deref(), Some(id.as_str()));

    // A POST-based read and a write are refused; reads and other groups are not.
    let settings = w
        .client
        .list_app_settings(&krc, "func-orders-prod-krc", "production")
        .await
        .expect_err("appsettings/list is a POST");
    assert_eq!(arm(&settings).0, 409);
    assert_eq!(arm(&settings).1, "ScopeLocked");
    let tm = tm_endpoint_id(&w.estate, "primary-endpoint").expect("endpoint");
    let write = set_tm_endpoint_status(&w.client, &tm, false)
        .await
        .expect_err("frozen");
    assert_eq!(arm(&write).1, "ScopeLocked");
    w.client
        .get_tm_profile(&krc, PROFILE)
        .await
        .expect("reads still work");
    w.client
        .list_app_settings(&w.rg("jpe"), "func-orders-prod-jpe", "production")
        .await
        .expect("another group is not frozen");

    // Replace (200 path), then delete, and the writes work again.
    let lock = put_lock(
        &w.client,
        &id,
        LockLevel::ReadOnly,
        Some("incident 42, extended"),
    )
    .await
    .expect("replaced");
    assert_eq!(
        lock.properties.notes.as_deref(),
        Some("incident 42, extended")
    );
    assert!(delete_lock(&w.client, &id).await.expect("deleted"));
    assert!(!delete_lock(&w.client, &id).await.expect("already gone"));
    set_tm_endpoint_status(&w.client, &tm, false)
        .await
        .expect("writes work again");
    assert!(list_locks(&w.client, &krc).await.expect("locks").is_empty());
}

#[tokio::test]
async fn alert_suppression_is_kept_readable_and_removable_and_can_not_delete_blocks_deletes() {
    let w = Wire::start("calm").await;
    w.at(60);
    let krc = w.rg("krc");
    let id = alert_rule_id(&krc, "suppress-failover");
    let app = w
        .estate
        .app_id(w.estate.app("func-orders-prod-krc").expect("app"));
    let rule = suppression_rule(vec![krc.path()], "regional failover", None);
    let stored = put_alert_processing_rule(&w.client, &id, &rule)
        .await
        .expect("created");
    assert_eq!(stored.id.as_deref(), Some(id.as_str()));
    let read = get_alert_processing_rule(&w.client, &id)
        .await
        .expect("read");
    assert_eq!(
        read.properties.actions[0].action_type,
        "RemoveAllActionGroups"
    );
    assert_eq!(read.properties.enabled, Some(true));
    let sub = &krc.subscription;
    assert_eq!(
        list_alert_processing_rules(&w.client, sub)
            .await
            .expect("list")
            .len(),
        1
    );
    assert!(w.sim.with_world(|wd| wd.alerts_suppressed(&app, wd.now())));

    // CanNotDelete blocks the delete only.
    let lock = lock_id(&krc, "keep");
    put_lock(&w.client, &lock, LockLevel::CanNotDelete, None)
        .await
        .expect("locked");
    put_alert_processing_rule(&w.client, &id, &rule)
        .await
        .expect("updates are allowed");
    let err = delete_alert_processing_rule(&w.client, &id)
        .await
        .expect_err("deletes are not");
    assert_eq!(arm(&err).1, "ScopeLocked");
    delete_lock(&w.client, &lock).await.expect("unlocked");

    assert!(
        delete_alert_processing_rule(&w.client, &id)
            .await
            .expect("deleted")
    );
    assert!(
        list_alert_processing_rules(&w.client, sub)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(!w.sim.with_world(|wd| wd.alerts_suppressed(&app, wd.now())));

    let mut bad = rule.clone();
    bad.location = "koreacentral".to_owned();
    let err = put_alert_processing_rule(&w.client, &id, &bad)
        .await
        .expect_err("rules are Global");
    assert_eq!(arm(&err).0, 400);
    assert_eq!(arm(&err).2.as_deref(), Some("location"));
}

mod templates {
    //! Template deployments: validate, what-if against the world, the deployment polled to its
    //! end, and the app it rebuilds seen through the console's reads.

    use super::infra::{
        arm, broken_app_scenario, lro_options, site_parameters, site_template, world_settings,
    };
    use super::sim_lro::SimLroClock;
    use super::wire::Wire;
    use warroom::azure::Error;
    use warroom::azure::writes::templates::{
        DeploymentMode, TemplateRequest, deploy_template_with_clock, get_deployment,
        template_what_if_with_clock, validate_template,
    };
    use warroom::config::Estate;
    use warroom::model::SecretDigest;

    const APP: &str = "func-fulfil-prod-jpe";

    #[tokio::test]
    async fn what_if_then_deploy_rebuilds_a_broken_app() {
        let scenario = broken_app_scenario(APP, "FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage");
        let w = Wire::start_with(Estate::demo(), scenario).await;
        w.at(120);
        let rg = w.rg("jpe");
        let site_id = w.estate.app_id(w.estate.app(APP).expect("app"));
        let probe = || async {
            let h = w
                .client
                .probe_health(&w.health_url(APP, "production"))
                .await
                .expect("probe");
            h.report.expect("report").checks.get("storage").cloned()
        };
        assert_eq!(probe().await.as_deref(), Some("Unhealthy"), "broken first");

        // The template restores the settings the app had before its drift.
        let mut good = world_settings(&w.sim, "func-fulfil-prod-krc");
        good.retain(|k, _| !k.starts_with("AzureWebJobs.") || k == "AzureWebJobsStorage");
        let template = site_template(&good);
        let parameters = site_parameters(APP);
        let req = TemplateRequest {
            rg: &rg,
            name: "rebuild-fulfil-jpe",
            template: &template,
            parameters: &parameters,
            mode: DeploymentMode::Incremental,
        };
        let v = validate_template(&w.client, &req).await.expect("valid");
        assert_eq!(v.validated_resources, std::slice::from_ref(&site_id));
        assert!(v.diagnostics.is_empty(), "{:?}", v.diagnostics);

        let clock = SimLroClock::new(w.sim.clock());
        let opts = lro_options();
        let before = world_settings(&w.sim, APP);
        let plan = template_what_if_with_clock(&w.client, &req, &opts, &mut |_| {}, &clock)
            .await
            .expect("what-if");
        let site = plan.change_of(&site_id).expect("the site is in the plan");
        assert_eq!(site.change_type, "Modify");
        let paths: Vec<&str> = site.properties.iter().map(|p| p.path.as_str()).collect();
        assert!(
            paths.contains(&"properties.siteConfig.appSettings[AzureWebJobsStorage]"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"properties.siteConfig.appSettings[FUNCTIONS_WORKER_RUNTIME].value"),
            "{paths:?}"
        );
        assert!(
            plan.changes.iter().any(|c| c.change_type == "Ignore"),
            "the group's other resources are left alone in Incremental mode"
        );
        assert!(
            before == world_settings(&w.sim, APP),
            "what-if changes nothing"
        );

        let mut states = Vec::new();
        let done = deploy_template_with_clock(
            &w.client,
            &req,
            &opts,
            &mut |p| states.push(p.status.clone()),
            &clock,
        )
        .await
        .expect("deployed");
        assert_eq!(done.provisioning_state, "Succeeded");
        assert_eq!(done.output_resources, [site_id]);
        assert!(states.iter().any(|s| s == "Running"), "{states:?}");
        let again = get_deployment(&w.client, &rg, "rebuild-fulfil-jpe")
            .await
            .expect("read");
        assert_eq!(again.provisioning_state, "Succeeded");

        // Seen through the console's reads: settings as the template says, checks healthy.
        let read = w
            .client
            .list_app_settings(&rg, APP, "production")
            .await
            .expect("settings");
        let digests = |m: &std::collections::BTreeMap<String, String>| {
            m.iter()
                .map(|(k, v)| (k.clone(), SecretDigest::of(v)))
                .collect::<Vec<_>>()
        };
        assert!(
            digests(&read.properties) == digests(&good),
            "settings are the template's"
        );
        assert_eq!(probe().await.as_deref(), Some("Healthy"));
        let running = w.sim.with_world(|wd| {
            let a = wd.app(APP).expect("app");
            (
                a.consumer_stopped.current().to_owned(),
                a.slot("production").map(|s| s.version.current().clone()),
            )
        });
        assert!(!running.0, "the consumer runs again");
        assert!(
            running.1.is_some_and(|v| !v.is_empty()),
            "the running version is kept"
        );
    }

    #[tokio::test]
    async fn bad_templates_are_refused_and_unknown_sites_fail_to_deploy() {
        let w = Wire::start("calm").await;
        w.at(60);
        let rg = w.rg("jpe");
        let template = site_template(&std::collections::BTreeMap::new());
        let none = serde_json::json!({});
        let req = TemplateRequest {
            rg: &rg,
            name: "no-params",
            template: &template,
            parameters: &none,
            mode: DeploymentMode::Incremental,
        };
        let err = validate_template(&w.client, &req)
            .await
            .expect_err("missing parameter");
        assert_eq!(arm(&err).0, 400);
        assert_eq!(arm(&err).1, "InvalidTemplateDeployment");

        let parameters = site_parameters("func-new-prod-jpe");
        let req = TemplateRequest {
            parameters: &parameters,
            name: "create-new",
            ..req
        };
        let v = validate_template(&w.client, &req)
            .await
            .expect("valid template");
        assert_eq!(v.diagnostics.len(), 1, "a warning: the estate is fixed");
        let clock = SimLroClock::new(w.sim.clock());
        let opts = lro_options();
        let plan = template_what_if_with_clock(&w.client, &req, &opts, &mut |_| {}, &clock)
            .await
            .expect("what-if");
        assert!(plan.changes.iter().any(|c| c.change_type == "Create"));
        let err = deploy_template_with_clock(&w.client, &req, &opts, &mut |_| {}, &clock)
            .await
            .expect_err("fails");
        match err {
            Error::LroFailed { status, error } => {
                assert_eq!(status, "Failed");
                let e = error.expect("ARM's error");
                assert_eq!(e.code, "DeploymentFailed");
                assert_eq!(e.details[0].code, "ResourceNotSimulated");
            }
            other => panic!("expected a failed deployment, got {other}"),
        }
    }
}
