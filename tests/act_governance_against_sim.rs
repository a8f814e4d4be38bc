//! The governance actions end to end against the simulator: the release freeze (a management
//! lock) and the alert suppression (an alert processing rule), each with its undo. Each is
//! planned from a real snapshot with the engine's gates, confirmed with one key, executed with
//! its intent on disk first, and the lock or rule is then listed through the client.

#[path = "common/act.rs"]
mod bench;
#[path = "common/wire.rs"]
mod wire;

use bench::{Bench, az};
use warroom::act::{ConfirmKey, Effect, LockLevel, Prompt, Risk};
use warroom::azure::writes::governance::{list_alert_processing_rules, list_locks};
use warroom::decide::{ActionKind, ProposedAction};

const LOCK: &str = "warroom-release-freeze";
const RULE: &str = "warroom-suppress-krc";

/// The action `kind` on krc.
fn on_krc(kind: ActionKind) -> ProposedAction {
    ProposedAction {
        kind,
        target: "krc".into(),
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
    assert!(rules(&b).await.is_empty(), "the rule is gone");
    b.assert_secret_free();
}
