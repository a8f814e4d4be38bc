//! Release freeze on and off: a `CanNotDelete` management lock named `warroom-release-freeze` on
//! the region's resource group, with a note saying releases are frozen. Not `ReadOnly`: that
//! level also blocks ARM POST calls, so the console's own swaps, restarts, settings and key
//! reads and failovers would fail while frozen.

use serde_json::json;

use super::super::catalogue::PlanError;
use super::super::effect::{Effect, LockLevel};
use super::super::plan::{Expected, PlanStep, RestCall, Risk};
use super::{Ctx, Draft};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::decide::{ActionKind, ProposedAction};

/// The lock's name.
pub const LOCK_NAME: &str = "warroom-release-freeze";

/// Plans a freeze on or off.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let region = cx.target_region()?;
    let on = cx.action.kind == ActionKind::FreezeOn;
    let rg = ResourceGroupRef::of_region(region);
    let scope = rg.path();
    let id = rg.provider("Microsoft.Authorization", &format!("locks/{LOCK_NAME}"));
    let notes = format!(
        "Release freeze during an incident on {} (set by warroom): do not deploy.",
        cx.snap.estate
    );
    let step = if on {
        PlanStep {
            what: format!(
                "Put the CanNotDelete lock {LOCK_NAME} on resource group {}",
                rg.resource_group
            ),
            call: Some(RestCall::arm(
                "PUT",
                id,
                api::LOCKS,
                Some(json!({"properties": {"level": "CanNotDelete", "notes": notes}})),
            )),
            az: Some(format!(
                "az lock create --name {LOCK_NAME} --resource-group {} --lock-type CanNotDelete --notes \"{notes}\"",
                rg.resource_group
            )),
            effect: Effect::Lock {
                scope,
                name: LOCK_NAME.to_owned(),
                level: LockLevel::CanNotDelete,
                on: true,
                notes,
            },
        }
    } else {
        PlanStep {
            what: format!(
                "Remove the lock {LOCK_NAME} from resource group {}",
                rg.resource_group
            ),
            call: Some(RestCall::arm("DELETE", id, api::LOCKS, None)),
            az: Some(format!(
                "az lock delete --name {LOCK_NAME} --resource-group {}",
                rg.resource_group
            )),
            effect: Effect::Lock {
                scope,
                name: LOCK_NAME.to_owned(),
                level: LockLevel::CanNotDelete,
                on: false,
                notes,
            },
        }
    };
    let mut d = Draft::new(
        if on {
            format!("Freeze releases in {}", rg.resource_group)
        } else {
            format!("Lift the release freeze in {}", rg.resource_group)
        },
        if on {
            "A CanNotDelete lock stops deletions in the group, and its note and the journal tell \
             everyone releases are frozen."
                .to_owned()
        } else {
            "The lock goes; deletions and releases may resume.".to_owned()
        },
        Risk::Low,
        Expected {
            min_secs: 5,
            max_secs: 60,
        },
    );
    d.steps.push(step);
    d.undo = Some(ProposedAction {
        kind: if on {
            ActionKind::FreezeOff
        } else {
            ActionKind::FreezeOn
        },
        target: region.name.clone(),
    });
    if on {
        d.notes.push(
            "Not ReadOnly: a ReadOnly lock also blocks ARM POST calls, so this console's own swaps, \
             restarts, settings and key reads and failovers would fail while the freeze holds."
                .to_owned(),
        );
        d.notes.push(
            "A lock does not stop a pipeline from deploying: pause release pipelines too."
                .to_owned(),
        );
    }
    Ok(d)
}
