//! The app actions end to end against the simulator: swap back and its undo (a swap), restart,
//! forensics and rebuild (with its what-if preview); redeploy has its own file
//! (`act_redeploy_against_sim`). Each is planned from a real snapshot with the engine's gates,
//! confirmed as its risk asks, executed through AzureEffects with the intent on disk before
//! every call, and its effect is then seen through the client in a fresh snapshot.

#[path = "common/act.rs"]
mod bench;
#[path = "common/forensic.rs"]
mod forensic;
#[path = "common/infra.rs"]
mod infra;
#[path = "common/wire.rs"]
mod wire;

use bench::{Bench, az, gates_needed, setting_digest};
use warroom::act::{self, ConfirmKey, Effect, Prompt, Refusal, Risk, VerifyCheck};
use warroom::decide::{ActionKind, GateId, ProposedAction, Strategy};
use warroom::model::{ActivityKind, Health};

const ORDERS: &str = "func-orders-prod-krc";

/// The version a slot reports in a snapshot.
fn version(snap: &warroom::model::Snapshot, app: &str, slot: &str) -> Option<String> {
    Bench::app(snap, app)
        .slots
        .iter()
        .find(|s| s.name == slot)
        .and_then(|s| s.health.get())
        .and_then(|h| h.version.clone())
}

#[tokio::test]
async fn swap_back_rolls_the_bad_release_back_and_its_undo_swaps_it_in_again() {
    let mut b = Bench::start("bad-release", 5 * 60).await;
    let before = b.snapshot().await;
    assert_eq!(
        version(&before, ORDERS, "production").as_deref(),
        Some("2026.04.04")
    );
    assert_eq!(
        version(&before, ORDERS, "staging").as_deref(),
        Some("2026.03.28")
    );
    let d = warroom::decide::evaluate(&before, &b.w.estate, &b.cx, b.w.now());
    let rec = d.recommendation.expect("the engine recommends");
    assert_eq!(rec.strategy, Strategy::SlotSwap);
    assert_eq!(rec.action.target, ORDERS);

    let plan = b.plan(ActionKind::SwapBack, ORDERS).await;
    assert_eq!(plan.risk, Risk::Medium);
    assert_eq!(plan.confirmation.prompt, Prompt::Key { key: ConfirmKey::Y });
    assert_eq!(
        plan.undo,
        Some(ProposedAction {
            kind: ActionKind::Swap,
            target: ORDERS.into(),
            release: None,
        })
    );
    assert!(
        az(&plan).contains("az functionapp deployment slot swap"),
        "{}",
        az(&plan)
    );
    assert!(
        matches!(&plan.steps[0].effect, Effect::Swap { source_slot, target_slot, .. }
        if source_slot == "staging" && target_slot == "production")
    );
    assert!(
        plan.confirmation.overrides_needed.is_empty(),
        "{:?}",
        plan.blocked_reasons()
    );
    // The rollback brings a release that reports Healthy in staging: health and version are
    // promised.
    assert_eq!(
        plan.steps[1].effect,
        Effect::Verify(VerifyCheck::AppHealthy {
            app: ORDERS.into(),
            slot: "production".into(),
            version: Some("2026.03.28".into()),
        })
    );

    let ran = b.execute(&plan, "y", &[]).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(
        ran.wrote("POST", "/slots/staging/slotsswap"),
        "{:?}",
        ran.writes
    );
    let after = b.snapshot().await;
    assert_eq!(
        version(&after, ORDERS, "production").as_deref(),
        Some("2026.03.28")
    );
    assert_eq!(
        version(&after, ORDERS, "staging").as_deref(),
        Some("2026.04.04")
    );
    assert_eq!(Bench::app(&after, ORDERS).health(), Health::Healthy);

    undo_puts_the_bad_release_back(&mut b, plan.undo.clone().expect("undo")).await;
}

/// The undo of the rollback: the swap puts the bad release back in production. It promises that
/// production runs 2026.04.04 again, and says so; not that it is healthy (it is not).
async fn undo_puts_the_bad_release_back(b: &mut Bench, undo: ProposedAction) {
    let plan = b.plan(undo.kind, &undo.target).await;
    assert_eq!(
        plan.undo.as_ref().map(|u| u.kind),
        Some(ActionKind::SwapBack)
    );
    assert_eq!(
        plan.steps[1].effect,
        Effect::Verify(VerifyCheck::AppVersion {
            app: ORDERS.into(),
            slot: "production".into(),
            version: "2026.04.04".into(),
        })
    );
    assert!(
        plan.title.contains("Put 2026.04.04 back") && plan.summary.contains("bad release back"),
        "{}\n{}",
        plan.title,
        plan.summary
    );
    let ran = b
        .execute(&plan, &bench::typed(&plan), &bench::reasons(&plan))
        .await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    let verified = b
        .step_reports(&plan)
        .into_iter()
        .find_map(|(n, report)| (n == 2).then_some(report))
        .expect("the check journaled");
    assert!(
        verified.contains("2026.04.04") && verified.contains("Unhealthy"),
        "the version checked, the health reported: {verified}"
    );
    let back = b.snapshot().await;
    assert_eq!(
        version(&back, ORDERS, "production").as_deref(),
        Some("2026.04.04")
    );
    assert_eq!(
        version(&back, ORDERS, "staging").as_deref(),
        Some("2026.03.28")
    );
    assert!(ran.wrote("POST", "/slots/staging/slotsswap"));
    assert_ne!(
        Bench::app(&back, ORDERS).health(),
        Health::Healthy,
        "the bad release is back, as the plan said"
    );
    b.assert_secret_free();
}

#[tokio::test]
async fn restart_outside_the_incident_needs_a_scope_override_and_shows_in_the_activity_log() {
    let mut b = Bench::start("calm", 5 * 60).await;
    let plan = b.plan(ActionKind::Restart, ORDERS).await;
    assert_eq!(plan.risk, Risk::Low);
    assert_eq!(
        plan.confirmation.prompt,
        Prompt::Key {
            key: ConfirmKey::Enter
        }
    );
    assert!(az(&plan).contains("az functionapp restart"));
    assert_eq!(
        gates_needed(&plan),
        [GateId::Scope],
        "no incident: the scope gate fails"
    );
    let refused = act::confirm(&plan, "", &[], b.w.now()).expect_err("an override is needed");
    assert!(
        matches!(refused, Refusal::OverrideMissing { .. }),
        "{refused}"
    );

    let ran = b.execute(&plan, "", &bench::reasons(&plan)).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(
        ran.wrote("POST", &format!("/sites/{ORDERS}/restart")),
        "{:?}",
        ran.writes
    );
    let started = b.confirmed_at(&plan);
    // The activity log lists the restart once ingested.
    b.w.sim.clock().advance(std::time::Duration::from_mins(1));
    let after = b.snapshot().await;
    let activity = after.activity.get().expect("activity read");
    assert!(
        activity.iter().any(|e| e.kind == ActivityKind::Restart
            && e.resource_id.ends_with(&format!("/sites/{ORDERS}"))
            && e.at >= started),
        "{activity:?}"
    );
    assert_eq!(Bench::app(&after, ORDERS).health(), Health::Healthy);
    b.assert_secret_free();
}

#[tokio::test]
async fn forensics_writes_names_digests_deployments_and_activity_never_values() {
    let mut b = Bench::start("bad-release", 5 * 60).await;
    let plan = b.plan(ActionKind::Forensics, ORDERS).await;
    assert_eq!(plan.risk, Risk::Low);
    assert_eq!(
        plan.confirmation.prompt,
        Prompt::Key {
            key: ConfirmKey::Enter
        }
    );
    assert!(az(&plan).contains("az functionapp config appsettings list"));
    assert_eq!(plan.undo, None);
    assert!(plan.steps.iter().all(|s| s.effect.is_read_only()));
    let ran = b.run(ActionKind::Forensics, ORDERS).await;
    assert!(
        ran.writes.is_empty(),
        "forensics writes nothing to Azure: {:?}",
        ran.writes
    );

    let folder = plan
        .steps
        .iter()
        .find_map(|s| match &s.effect {
            Effect::Forensics { folder, .. } => Some(b.dir.join(folder)),
            _ => None,
        })
        .expect("a forensic folder");
    let read = |f: &str| std::fs::read_to_string(folder.join(f)).expect("forensic file");
    let snap = b.snapshot().await;
    let settings = read("settings-digests.json");
    let names = Bench::app(&snap, ORDERS)
        .settings
        .get()
        .expect("settings read");
    for name in names.keys() {
        assert!(settings.contains(name.as_str()), "{name} listed");
    }
    let digest = setting_digest(&snap, ORDERS, "DOWNSTREAM_API_KEY").expect("a digest");
    assert!(settings.contains(digest.short()), "digests are kept");
    let deployments = read("deployments.json");
    for v in ["2026.04.04", "2026.03.28"] {
        assert!(deployments.contains(v), "{v} in the deployment history");
    }
    let activity = read("activity-log.json");
    assert!(
        activity.contains("slotsswap"),
        "the swap that broke it is there"
    );
    forensic::assert_deployment_logs_kept(&b, &folder.join("deployment-log.json"), &deployments)
        .await;
    b.assert_secret_free();
}

#[tokio::test]
async fn forensics_in_a_regional_outage_records_what_it_could_not_read_and_goes_on() {
    // krc is down from 1:00: its apps' Kudu answers 502, so the deployment history cannot be read.
    let mut b = Bench::start("region-outage", 5 * 60).await;
    let plan = b.plan(ActionKind::Forensics, ORDERS).await;
    let ran = b.run(ActionKind::Forensics, ORDERS).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    let folder = plan
        .steps
        .iter()
        .find_map(|s| match &s.effect {
            Effect::Forensics { folder, .. } => Some(b.dir.join(folder)),
            _ => None,
        })
        .expect("a forensic folder");
    let deployments =
        std::fs::read_to_string(folder.join("deployments.json")).expect("the part's file");
    assert!(
        deployments.contains("\"collected\": false") && deployments.contains("\"error\""),
        "the missing part says so and why: {deployments}"
    );
    let steps: Vec<String> = b
        .records()
        .into_iter()
        .filter_map(|r| match r.entry {
            warroom::journal::Entry::Step(s) => Some(s.report),
            _ => None,
        })
        .collect();
    assert!(
        steps.iter().any(|r| r.contains("NOT collected")),
        "the journal says which part is missing: {steps:?}"
    );
    // The plan said so before it ran, and the outcome names each missing part.
    let likely = plan
        .notes
        .iter()
        .find(|n| n.starts_with("LIKELY MISSING"))
        .unwrap_or_else(|| panic!("the plan names the likely missing parts: {:?}", plan.notes));
    assert!(
        likely.contains("deployment history and deployment log"),
        "{likely}"
    );
    assert!(plan.render_text().contains(likely.as_str()));
    let words = ran.outcome.words();
    for part in ["deployment history of", "deployment log of"] {
        assert!(
            words.contains("MISSING: ") && words.contains(part),
            "the outcome on screen names the {part} part: {words}"
        );
    }
    assert!(
        !words.contains("settings") && !words.contains("activity log of"),
        "what was read is not called missing: {words}"
    );
    let outcome = b
        .records()
        .into_iter()
        .find_map(|r| match r.entry {
            warroom::journal::Entry::Outcome(o) if o.plan_id == plan.id => Some(o),
            _ => None,
        })
        .expect("the outcome is journaled");
    assert_eq!(outcome.result, "succeeded");
    assert_eq!(outcome.gaps, ran.outcome.gaps);
    assert_eq!(outcome.gaps.len(), 2, "{:?}", outcome.gaps);
    let log = std::fs::read_to_string(folder.join("deployment-log.json")).expect("its file");
    assert!(log.contains("\"collected\": false"), "{log}");
    b.assert_secret_free();
}

#[tokio::test]
async fn rebuild_shows_its_what_if_first_then_brings_a_broken_app_back() {
    let app = "func-telemetry-prod-krc";
    let twin = "func-telemetry-prod-jpe";
    let scenario = infra::broken_app_scenario(app, "DOWNSTREAM_API_KEY", "EventHubConsumerGroup");
    let mut b = Bench::start_with(warroom::config::Estate::demo(), scenario, 5 * 60).await;
    let before = b.snapshot().await;
    assert_ne!(Bench::app(&before, app).health(), Health::Healthy);
    assert_ne!(
        setting_digest(&before, app, "DOWNSTREAM_API_KEY"),
        setting_digest(&before, twin, "DOWNSTREAM_API_KEY")
    );
    assert_eq!(setting_digest(&before, app, "EventHubConsumerGroup"), None);

    let plan = b.plan(ActionKind::Rebuild, app).await;
    assert_eq!(plan.risk, Risk::High);
    assert_eq!(plan.undo, None);
    assert_eq!(
        plan.confirmation.prompt,
        Prompt::TypeTarget {
            expected: app.into()
        }
    );
    let preview = plan.preview.as_ref().expect("a what-if preview");
    assert!(matches!(preview.effect, Effect::WhatIf { .. }));
    assert!(az(&plan).contains("az deployment group create"));
    let shown = plan.preview_result.clone().expect("the preview ran");
    assert!(shown.contains(app), "{shown}");
    // The template the az commands name is in the incident folder, as the preview showed it.
    let file = format!("rebuild-{app}.json");
    assert!(az(&plan).contains(&format!("--template-file {file}")));
    assert!(shown.contains(&file), "{shown}");
    let tpl: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(b.dir.join(&file)).expect("the template written"),
    )
    .expect("JSON");
    assert!(
        tpl["resources"]
            .as_array()
            .expect("resources")
            .iter()
            .any(|r| r["type"] == "Microsoft.Web/sites" && r["name"] == app),
        "{tpl}"
    );
    // Without the preview shown, nothing can be confirmed.
    let mut unseen = plan.clone();
    unseen.preview_result = None;
    assert_eq!(
        act::confirm(&unseen, app, &bench::reasons(&plan), b.w.now()).expect_err("refused"),
        Refusal::PreviewMissing
    );

    let ran = b.execute(&plan, app, &bench::reasons(&plan)).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(
        ran.writes.iter().any(|r| r.method == "PUT"
            && r.path
                .contains("/Microsoft.Resources/deployments/warroom-rebuild-")),
        "the template was deployed: {:?}",
        ran.writes
    );
    assert!(
        ran.wrote("POST", "/api/zipdeploy"),
        "the artifact was deployed"
    );
    let after = b.snapshot().await;
    assert_eq!(Bench::app(&after, app).health(), Health::Healthy);
    for name in ["DOWNSTREAM_API_KEY", "EventHubConsumerGroup"] {
        assert_eq!(
            setting_digest(&after, app, name),
            setting_digest(&after, twin, name),
            "{name} restored from {twin} (compared by digest)"
        );
        assert!(setting_digest(&after, app, name).is_some());
    }
    let forensic = b.dir.join("forensics");
    let folders: Vec<_> = std::fs::read_dir(&forensic)
        .expect("forensics folder")
        .flatten()
        .collect();
    assert_eq!(folders.len(), 1);
    for f in [
        "settings-digests.json",
        "deployments.json",
        "deployment-log.json",
        "activity-log.json",
    ] {
        assert!(
            folders[0].path().join(f).is_file(),
            "{f} kept before the rebuild"
        );
    }
    b.assert_secret_free();
}
