//! The release a redeploy or rebuild deploys: the engine's when its action names one (even what
//! production runs, after a swap back to the last known good that still fails), else chosen from
//! the history and never what production runs; the plan says which and why.

use super::super::testkit::{BAD, GOOD, ORDERS_KRC, app_mut, bad_release, drop_artifact};
use super::super::{Effect, Plan, PlanError, plan};
use super::{action, plan_on};
use crate::config::Estate;
use crate::decide::ActionKind;
use crate::model::{Health, Snapshot};

const OLDER: &str = "2026.02.11";

/// After a swap back: production runs the last known good (and still fails), staging the bad
/// release.
fn swapped_back() -> Snapshot {
    let mut snap = bad_release();
    let app = app_mut(&mut snap, ORDERS_KRC);
    for (slot, (status, version)) in [(Health::Unhealthy, GOOD), (Health::Healthy, BAD)]
        .into_iter()
        .enumerate()
    {
        if let Some(h) = app.slots[slot].health.value.as_mut() {
            (h.status, h.version) = (status, Some(version.to_owned()));
        }
    }
    snap
}

/// The plan for `kind` of the release the engine chose.
fn chosen(kind: ActionKind, release: &str, snap: &Snapshot) -> Result<Plan, PlanError> {
    let a = action(kind, ORDERS_KRC).deploying(Some(release));
    plan(&a, &Estate::demo(), snap, Vec::new(), Vec::new())
}

fn deployed(p: &Plan) -> &str {
    p.steps
        .iter()
        .find_map(|s| match &s.effect {
            Effect::ZipDeploy { version, .. } => Some(version.as_str()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no zip deploy in {}", p.title))
}

#[test]
fn the_engines_release_is_redeployed_even_when_production_runs_it_and_the_plan_says_so() {
    let snap = swapped_back();
    let p = chosen(ActionKind::Redeploy, GOOD, &snap).expect("a plan");
    assert_eq!(deployed(&p), GOOD);
    assert_eq!(p.title, format!("Redeploy {ORDERS_KRC} to {GOOD}"));
    assert!(
        p.summary.contains(&format!(
            "The release the runbook chose: {GOOD} (deployment"
        )),
        "{}",
        p.summary
    );
    assert!(
        p.summary.contains(&format!(
            "Production runs {GOOD} already: this re-pushes its package."
        )),
        "{}",
        p.summary
    );
    assert!(p.action.release.as_deref() == Some(GOOD));
    assert!(
        !p.notes.iter().any(|n| n.contains("bring the fault back")),
        "{:?}",
        p.notes
    );
}

#[test]
fn typed_by_hand_the_release_is_chosen_from_the_history_and_never_what_production_runs() {
    let snap = swapped_back();
    let p = plan_on(ActionKind::Redeploy, ORDERS_KRC, &snap).expect("a plan");
    assert_eq!(deployed(&p), OLDER, "older than what production runs");
    assert!(
        p.summary
            .contains(&format!("Chosen from the history: {OLDER} (deployment")),
        "{}",
        p.summary
    );
    assert!(p.summary.contains(&format!("known good before {GOOD}")));
    assert!(!p.summary.contains("re-pushes"), "{}", p.summary);
    // During the bad release itself the engine and the history agree, and nothing is re-pushed.
    let p = chosen(ActionKind::Redeploy, GOOD, &bad_release()).expect("a plan");
    assert_eq!(deployed(&p), GOOD);
    assert!(!p.summary.contains("re-pushes"), "{}", p.summary);
}

#[test]
fn the_engines_release_still_needs_its_package_and_a_successful_deployment() {
    let mut snap = swapped_back();
    drop_artifact(&mut snap, "orders-api", GOOD);
    match chosen(ActionKind::Redeploy, GOOD, &snap) {
        Err(PlanError::NotApplicable(m)) => assert!(
            m.contains(&format!("orders-api/{GOOD}.zip"))
                && m.contains("the release the runbook chose")
                && m.contains("missing from the artifact store"),
            "{m}"
        ),
        other => panic!("{other:?}"),
    }
    match chosen(ActionKind::Redeploy, "2025.01.01", &swapped_back()) {
        Err(PlanError::NotApplicable(m)) => {
            assert!(m.contains("no successful deployment in the history"), "{m}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_rebuild_deploys_the_engines_release_and_says_why() {
    let snap = swapped_back();
    let p = chosen(ActionKind::Rebuild, GOOD, &snap).expect("a plan");
    assert_eq!(deployed(&p), GOOD);
    assert!(
        p.summary
            .contains(&format!("The release the runbook chose: {GOOD}")),
        "{}",
        p.summary
    );
    let p = plan_on(ActionKind::Rebuild, ORDERS_KRC, &snap).expect("a plan");
    assert_eq!(deployed(&p), OLDER);
    assert!(
        p.summary.contains("Chosen from the history"),
        "{}",
        p.summary
    );
}
