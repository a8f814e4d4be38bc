//! The data actions end to end against the simulator: settings and keys synced to the secondary
//! (compared by digest on both sides afterwards, never by value), the messaging geo-DR alias
//! failover and the storage account failover. Each is planned from a real snapshot with the
//! engine's gates, confirmed, executed with its intent on disk first, and seen through the
//! client afterwards. None of them has an undo, and each plan says so.

#[path = "common/act.rs"]
mod bench;
#[path = "common/wire.rs"]
mod wire;

use bench::{Bench, az, gates_needed, setting_digest};
use warroom::act::{ConfirmKey, Effect, PlanError, Prompt, Risk, VerifyCheck};
use warroom::config::Estate;
use warroom::decide::{ActionKind, GateId, SafetyRule};
use warroom::model::Snapshot;
use warroom::sim::Scenario;
use warroom::sim::scenario::Event;
use warroom::sim::world::HostKeyKind;

const KRC: &str = "func-orders-prod-krc";
const JPE: &str = "func-orders-prod-jpe";

/// A key's digest in a snapshot's app.
fn key_digest(snap: &Snapshot, app: &str, key: &str) -> Option<warroom::model::SecretDigest> {
    Bench::app(snap, app)
        .keys
        .get()
        .unwrap_or_else(|| panic!("keys of {app} read"))
        .get(key)
        .cloned()
}

/// The sync plan writes keys in one step per kind, each showing the path it writes, and ends by
/// reading the settings and both key steps back, its `az` reads showing digests only.
fn plan_writes_keys_per_kind_and_reads_back_by_digest(plan: &warroom::act::Plan) {
    let key_lines: Vec<String> = plan
        .steps
        .iter()
        .filter(|s| matches!(s.effect, Effect::SyncKeys { .. }))
        .filter_map(|s| s.call.as_ref().map(|c| c.path.clone()))
        .collect();
    assert!(
        key_lines.len() == 2
            && key_lines[0].ends_with(&format!("/sites/{JPE}/host/default/functionKeys/default"))
            && key_lines[1].ends_with(&format!("/sites/{JPE}/functions/CreateOrder/keys/default")),
        "{key_lines:?}"
    );
    let Some(Effect::Verify(VerifyCheck::ReadBack { effects })) =
        plan.steps.last().map(|s| &s.effect)
    else {
        panic!("a read-back check last: {:?}", plan.steps.last());
    };
    assert_eq!(effects.len(), 3, "the settings and both key steps");
    assert!(
        az(plan).contains("| sha256sum"),
        "the check's az reads show digests, not values: {}",
        az(plan)
    );
}

/// The sync wrote each key at its own path, and its check passed, reading every synced name
/// back equal by digest.
fn keys_written_and_verified_by_digest(ran: &bench::Ran) {
    assert!(
        ran.wrote(
            "PUT",
            &format!("/sites/{JPE}/functions/CreateOrder/keys/default")
        ) && ran.wrote(
            "PUT",
            &format!("/sites/{JPE}/host/default/functionKeys/default")
        ),
        "{:?}",
        ran.writes
    );
    let outcome = &ran.outcome;
    assert!(outcome.verified(), "{}", outcome.words());
    let [report] = outcome.verified.as_slice() else {
        panic!("one check: {:?}", outcome.verified);
    };
    assert!(
        report.contains(&format!("✓ settings of {JPE} in place: APPLICATIONINSIGHTS_CONNECTION_STRING (digests equal), DOWNSTREAM_API_KEY (digests equal)"))
            && report.contains(&format!("✓ keys of {JPE} (compared by digest) in place: host/default"))
            && report.contains(&format!("✓ keys of {JPE} (compared by digest) in place: function/CreateOrder/default")),
        "{report}"
    );
}

#[tokio::test]
async fn sync_secondary_makes_the_drifted_settings_and_keys_equal_by_digest() {
    let mut s = Scenario::builtin("calm").expect("scenario");
    s.events.push(Event::SettingsDrift {
        at: "1m".parse().expect("offset"),
        app: JPE.into(),
        slot: "production".into(),
        changed: vec!["DOWNSTREAM_API_KEY".into()],
        missing: vec!["APPLICATIONINSIGHTS_CONNECTION_STRING".into()],
    });
    let mut b = Bench::start_with(Estate::demo(), s, 5 * 60).await;
    b.w.sim.with_world(|w| {
        w.set_function_key(JPE, "production", "CreateOrder", "default", None, "someone")
            .expect("key drift");
        w.set_host_key(
            JPE,
            "production",
            HostKeyKind::Function,
            "default",
            None,
            "someone",
        )
        .expect("key drift");
    });
    let before = b.snapshot().await;
    let drifted = [
        "DOWNSTREAM_API_KEY",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
    ];
    for name in drifted {
        assert_ne!(
            setting_digest(&before, KRC, name),
            setting_digest(&before, JPE, name),
            "{name}"
        );
    }
    for key in ["function/CreateOrder/default", "host/default"] {
        assert_ne!(
            key_digest(&before, KRC, key),
            key_digest(&before, JPE, key),
            "{key}"
        );
    }

    let plan = b.plan(ActionKind::SyncSecondary, JPE).await;
    assert_eq!(plan.risk, Risk::Medium);
    assert_eq!(plan.confirmation.prompt, Prompt::Key { key: ConfirmKey::Y });
    assert!(
        plan.confirmation.overrides_needed.is_empty(),
        "{:#?}",
        plan.blocked_reasons()
    );
    assert_eq!(plan.undo, None, "a sync keeps no old values to undo with");
    assert!(az(&plan).contains("az functionapp config appsettings set"));
    let Effect::MergeSettings { set, .. } = &plan.steps[0].effect else {
        panic!("a settings merge first: {:?}", plan.steps[0].effect);
    };
    assert_eq!(set.keys().map(String::as_str).collect::<Vec<_>>(), {
        let mut d = drifted.to_vec();
        d.sort_unstable();
        d
    });
    plan_writes_keys_per_kind_and_reads_back_by_digest(&plan);
    let ran = b.execute(&plan, "y", &bench::reasons(&plan)).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(
        ran.wrote("PUT", &format!("/sites/{JPE}/config/appsettings")),
        "{:?}",
        ran.writes
    );
    keys_written_and_verified_by_digest(&ran);
    let after = b.snapshot().await;
    for name in drifted {
        assert_eq!(
            setting_digest(&after, KRC, name),
            setting_digest(&after, JPE, name),
            "{name}"
        );
        assert!(setting_digest(&after, JPE, name).is_some());
    }
    for key in ["function/CreateOrder/default", "host/default"] {
        assert_eq!(
            key_digest(&after, KRC, key),
            key_digest(&after, JPE, key),
            "{key}"
        );
    }
    // Each region keeps its own storage.
    assert_ne!(
        setting_digest(&after, KRC, "AzureWebJobsStorage"),
        setting_digest(&after, JPE, "AzureWebJobsStorage")
    );
    // The engine now finds the secondary in sync.
    assert!(matches!(
        b.try_plan(ActionKind::SyncSecondary, JPE).await,
        Err(PlanError::NothingToDo(_))
    ));
    b.assert_secret_free();
}

#[tokio::test]
async fn alias_failover_makes_the_secondary_namespace_primary() {
    let mut b = Bench::start("region-outage", 3 * 60).await;
    let alias = "evh-functions-prod";
    let before = b.snapshot().await;
    let seen = |snap: &Snapshot| {
        let a = snap
            .aliases
            .iter()
            .find(|a| a.name == alias)
            .expect("alias");
        let role = a.state.get().map(|f| f.role.clone());
        (a.primary_namespace.clone(), role)
    };
    assert_eq!(
        seen(&before),
        (
            "evhns-functions-prod-krc".to_owned(),
            Some("Primary".to_owned())
        )
    );

    let plan = b.plan(ActionKind::AliasFailover, alias).await;
    assert_eq!(plan.risk, Risk::High);
    assert_eq!(
        plan.confirmation.prompt,
        Prompt::TypeTarget {
            expected: alias.into()
        }
    );
    assert_eq!(plan.undo, None);
    assert!(
        az(&plan).contains("az eventhubs georecovery-alias fail-over"),
        "{}",
        az(&plan)
    );
    // In the outage, replication from krc is behind: the gate and the rule both need a reason.
    assert_eq!(
        gates_needed(&plan),
        [GateId::DataConsistency, GateId::AlertSuppression],
        "{:#?}",
        plan.blocked_reasons()
    );
    let ran = b.execute(&plan, alias, &bench::reasons(&plan)).await;
    assert!(
        ran.needed
            .contains(&bench::rule(SafetyRule::PendingReplication, alias))
    );
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(
        ran.wrote(
            "POST",
            &format!("/evhns-functions-prod-jpe/disasterRecoveryConfigs/{alias}/failover")
        ),
        "{:?}",
        ran.writes
    );
    let after = b.snapshot().await;
    assert_eq!(
        seen(&after),
        (
            "evhns-functions-prod-jpe".to_owned(),
            Some("PrimaryNotReplicating".to_owned())
        )
    );
    assert!(matches!(
        b.try_plan(ActionKind::AliasFailover, alias).await,
        Err(PlanError::NothingToDo(_))
    ));
    b.assert_secret_free();
}

#[tokio::test]
async fn storage_failover_moves_the_primary_to_the_paired_region() {
    let mut b = Bench::start("region-outage", 3 * 60).await;
    let account = "stworkflowprod";
    let facts = |snap: &Snapshot| {
        snap.storage
            .iter()
            .find(|s| s.name == account)
            .and_then(|s| s.state.get().cloned())
            .expect("storage read")
    };
    let location = |b: &Bench| {
        let (client, rg) = (b.w.client.clone(), b.w.rg("krc"));
        async move {
            client
                .get_storage_account(&rg, account)
                .await
                .expect("account")
                .properties
                .primary_location
        }
    };
    let before = facts(&b.snapshot().await);
    assert_eq!(before.sku, "Standard_RAGZRS");
    assert_eq!(before.can_failover, Some(true));
    assert_eq!(location(&b).await.as_deref(), Some("koreacentral"));

    let plan = b.plan(ActionKind::StorageFailover, account).await;
    assert_eq!(plan.risk, Risk::High);
    assert_eq!(
        plan.confirmation.prompt,
        Prompt::TypeTarget {
            expected: account.into()
        }
    );
    assert_eq!(plan.undo, None);
    assert!(az(&plan).contains("az storage account failover"));
    assert!(
        plan.summary.contains("WorkflowHub"),
        "the task hub is named"
    );
    assert_eq!(
        gates_needed(&plan),
        [GateId::AlertSuppression],
        "{:#?}",
        plan.blocked_reasons()
    );
    let ran = b.execute(&plan, account, &bench::reasons(&plan)).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(ran.wrote("POST", &format!("/storageAccounts/{account}/failover")));

    let after = facts(&b.snapshot().await);
    assert_eq!(location(&b).await.as_deref(), Some("koreasouth"));
    assert_eq!(
        after.sku, "Standard_ZRS",
        "locally redundant in its new region"
    );
    assert_eq!(after.primary_status.as_deref(), Some("available"));
    assert_eq!(
        after.secondary_status, None,
        "no secondary until geo-redundant again"
    );
    assert_ne!(after.can_failover, Some(true));
    b.assert_secret_free();
}
