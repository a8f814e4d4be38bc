//! The governance actions end to end against the simulator: the release freeze (a management
//! lock and a tag pipelines check) and the alert suppression (an alert processing rule), each
//! with its undo. Each is planned from a real snapshot with the engine's gates, confirmed with
//! one key, executed with its intent on disk first, verified by its own last step (the writes
//! read back through the client), and the lock, tag or rule is then listed through the client.
//! A lock removed by someone else between the write and the check fails the check.

#[path = "common/act.rs"]
mod bench;
#[path = "common/wire.rs"]
mod wire;

use bench::{Bench, Ran, az};
use warroom::act::{ConfirmKey, Effect, LockLevel, OutcomeStatus, Prompt, Risk, VerifyCheck};
use warroom::azure::writes::governance::{get_tags, list_alert_processing_rules, list_locks};
use warroom::decide::{ActionKind, ProposedAction};
use warroom::journal::Entry;

const LOCK: &str = "warroom-release-freeze";
const RULE: &str = "warroom-suppress-krc";

/// Checks that the run's last step was the plan's read-back check, that it passed, and that its
/// journaled report says what it read; returns that report.
fn verified(b: &Bench, ran: &Ran) -> String {
    let n = ran.plan.steps.len();
    assert!(
        matches!(
            ran.plan.steps[n - 1].effect,
            Effect::Verify(VerifyCheck::ReadBack { .. })
        ),
        "{:?}",
        ran.plan.steps[n - 1].effect
    );
    assert!(ran.outcome.verified(), "{}", ran.outcome.words());
    assert!(
        ran.outcome.words().starts_with("succeeded and verified"),
        "{}",
        ran.outcome.words()
    );
    let report = b
        .records()
        .iter()
        .find_map(|r| match &r.entry {
            Entry::Step(s) if s.plan_id == ran.plan.id && s.n == n => Some(s.report.clone()),
            _ => None,
        })
        .expect("the check step is journaled");
    assert_eq!(ran.outcome.verified, std::slice::from_ref(&report));
    report
}

/// The action `kind` on krc.
fn on_krc(kind: ActionKind) -> ProposedAction {
    ProposedAction {
        kind,
        target: "krc".into(),
        release: None,
    }
}

#[tokio::test]
async fn freeze_puts_a_delete_lock_that_still_lets_the_console_act_and_its_undo_lifts_it() {
    let mut b = Bench::start("bad-release", 5 * 60).await;
    let krc = b.w.rg("krc");
    let locks = |b: &Bench| {
        let (client, rg) = (b.w.client.clone(), krc.clone());
        async move { list_locks(&client, &rg).await.expect("locks") }
    };
    assert!(locks(&b).await.is_empty());

    let plan = b.plan(ActionKind::FreezeOn, "krc").await;
    assert_eq!(plan.risk, Risk::Low);
    assert_eq!(
        plan.confirmation.prompt,
        Prompt::Key {
            key: ConfirmKey::Enter
        }
    );
    assert_eq!(plan.undo, Some(on_krc(ActionKind::FreezeOff)));
    assert!(az(&plan).contains("az lock create --name warroom-release-freeze"));
    assert!(az(&plan).contains("az tag update --resource-id"));
    assert!(matches!(
        &plan.steps[0].effect,
        Effect::Lock {
            level: LockLevel::CanNotDelete,
            on: true,
            ..
        }
    ));
    let ran = b.execute(&plan, "", &bench::reasons(&plan)).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(
        ran.wrote("PUT", &format!("/locks/{LOCK}")),
        "{:?}",
        ran.writes
    );
    assert!(
        ran.wrote("PATCH", "/providers/Microsoft.Resources/tags/default"),
        "{:?}",
        ran.writes
    );
    let report = verified(&b, &ran);
    assert!(
        report.contains(&format!(
            "✓ lock {LOCK} exists (CanNotDelete) on rg-functions-prod-krc"
        )) && report.contains(&format!("✓ tag {LOCK} is on rg-functions-prod-krc")),
        "{report}"
    );
    // The tag pipelines check, read through the client as `az tag list --resource-id` does.
    let tags = get_tags(&b.w.client, &krc.path()).await.expect("tags");
    assert!(
        tags.get(LOCK)
            .is_some_and(|v| v.starts_with("frozen since")),
        "{tags:?}"
    );

    let listed = locks(&b).await;
    let lock = listed
        .iter()
        .find(|l| l.name.as_deref() == Some(LOCK))
        .expect("the freeze lock is listed");
    assert_eq!(lock.properties.level, "CanNotDelete");

    // A delete lock does not stop the console's own rollback.
    let swap = b.run(ActionKind::SwapBack, "func-orders-prod-krc").await;
    assert!(swap.wrote("POST", "/slots/staging/slotsswap"));

    let off = b.run(ActionKind::FreezeOff, "krc").await;
    assert_eq!(off.plan.undo, Some(on_krc(ActionKind::FreezeOn)));
    assert!(az(&off.plan).contains("az lock delete --name warroom-release-freeze"));
    assert!(off.wrote("DELETE", &format!("/locks/{LOCK}")));
    let report = verified(&b, &off);
    assert!(
        report.contains(&format!("✓ tag {LOCK} is not on"))
            && report.contains(&format!("✓ lock {LOCK} does not exist")),
        "{report}"
    );
    assert!(
        !get_tags(&b.w.client, &krc.path())
            .await
            .expect("tags")
            .contains_key(LOCK),
        "the tag is gone"
    );
    assert!(
        !locks(&b)
            .await
            .iter()
            .any(|l| l.name.as_deref() == Some(LOCK)),
        "the lock is gone"
    );
    b.assert_secret_free();
}

#[tokio::test]
async fn suppression_lists_an_alert_rule_that_removes_action_groups_and_its_undo_deletes_it() {
    let mut b = Bench::start("bad-release", 5 * 60).await;
    let sub = b.w.estate.primary().subscription_id.clone();
    let rules = |b: &Bench| {
        let (client, sub) = (b.w.client.clone(), sub.clone());
        async move {
            list_alert_processing_rules(&client, &sub)
                .await
                .expect("rules")
        }
    };
    assert!(rules(&b).await.is_empty());

    let plan = b.plan(ActionKind::SuppressOn, "krc").await;
    assert_eq!(plan.risk, Risk::Low);
    assert_eq!(
        plan.confirmation.prompt,
        Prompt::Key {
            key: ConfirmKey::Enter
        }
    );
    assert_eq!(plan.undo, Some(on_krc(ActionKind::SuppressOff)));
    assert!(az(&plan).contains("az monitor alert-processing-rule create"));
    let Effect::AlertRule {
        on: true,
        window: Some((from, until)),
        ..
    } = plan.steps[0].effect.clone()
    else {
        panic!("an alert rule with a window: {:?}", plan.steps[0].effect);
    };
    let ran = b.execute(&plan, "", &bench::reasons(&plan)).await;
    assert!(ran.outcome.succeeded(), "{}", ran.outcome.words());
    assert!(
        ran.wrote("PUT", &format!("/actionRules/{RULE}")),
        "{:?}",
        ran.writes
    );
    let report = verified(&b, &ran);
    assert!(
        report.contains(&format!(
            "✓ alert processing rule {RULE} exists: removes action groups on rg-functions-prod-krc, window {}–{} UTC",
            from.format("%H:%M"),
            until.format("%H:%M")
        )),
        "{report}"
    );

    let listed = rules(&b).await;
    let rule = listed
        .iter()
        .find(|r| r.name.as_deref() == Some(RULE))
        .expect("the suppression rule is listed");
    assert!(
        rule.properties
            .scopes
            .iter()
            .any(|s| s.ends_with("/resourceGroups/rg-functions-prod-krc"))
    );
    assert!(
        rule.properties
            .actions
            .iter()
            .any(|a| a.action_type == "RemoveAllActionGroups")
    );
    let schedule = rule.properties.schedule.as_ref().expect("a window");
    let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    assert_eq!(schedule.effective_from.as_deref(), Some(fmt(from).as_str()));
    assert_eq!(
        schedule.effective_until.as_deref(),
        Some(fmt(until).as_str())
    );

    let off = b.run(ActionKind::SuppressOff, "krc").await;
    assert!(az(&off.plan).contains("az monitor alert-processing-rule delete"));
    assert!(off.wrote("DELETE", &format!("/actionRules/{RULE}")));
    let report = verified(&b, &off);
    assert!(
        report.contains(&format!("✓ alert processing rule {RULE} does not exist")),
        "{report}"
    );
    assert!(rules(&b).await.is_empty(), "the rule is gone");
    b.assert_secret_free();
}

#[tokio::test]
async fn a_lock_removed_by_someone_else_before_the_check_fails_the_freeze_and_the_outcome_says_so()
{
    let mut b = Bench::start("bad-release", 5 * 60).await;
    let krc = b.w.rg("krc");
    let plan = b.plan(ActionKind::FreezeOn, "krc").await;
    let check = plan.steps.len();
    let ran = b
        .execute_meddled(
            &plan,
            "",
            &bench::reasons(&plan),
            Box::new(move |w| {
                // Someone lifts the lock by hand between the console's writes and its check.
                assert!(w.delete_lock(&krc.path(), LOCK, "someone@example.com"));
            }),
        )
        .await;
    assert!(
        ran.wrote("PUT", &format!("/locks/{LOCK}")),
        "the lock was put: {:?}",
        ran.writes
    );
    let OutcomeStatus::Failed { step, what, error } = &ran.outcome.status else {
        panic!("the check fails: {}", ran.outcome.words());
    };
    assert_eq!(*step, check, "the check step is the one that failed");
    assert!(what.starts_with("Verify the lock and the tag"), "{what}");
    assert!(
        error.starts_with("verification failed: ")
            && error.contains(&format!(
                "✗ lock {LOCK} does not exist on rg-functions-prod-krc"
            ))
            && error.contains(&format!("✓ tag {LOCK} is on")),
        "{error}"
    );
    assert!(!ran.outcome.verified());
    assert_eq!(ran.outcome.steps_done, check - 1);
    assert!(
        ran.outcome
            .words()
            .starts_with(&format!("FAILED at step {check}")),
        "{}",
        ran.outcome.words()
    );
    // The journal says so too.
    let outcome = b
        .records()
        .into_iter()
        .find_map(|r| match r.entry {
            Entry::Outcome(o) if o.plan_id == plan.id => Some(o),
            _ => None,
        })
        .expect("the outcome is journaled");
    assert_eq!(
        (outcome.result.as_str(), outcome.failed_step),
        ("failed", Some(check))
    );
    assert!(
        outcome
            .error
            .is_some_and(|e| e.contains("lock warroom-release-freeze does not exist"))
    );
    b.assert_secret_free();
}
