//! Release freeze on and off: a `CanNotDelete` management lock named `warroom-release-freeze` on
//! the region's resource group, with a note saying releases are frozen, and a tag of the same
//! name on the group (Tags API, `Merge`; removed by name with `Delete`) that release pipelines
//! check before they deploy. Not `ReadOnly`: that level also blocks ARM POST calls (and tag
//! writes), so the console's own swaps, restarts, settings and key reads and failovers would fail
//! while frozen. The plan ends by reading the lock and the tag back.

use serde_json::json;

use super::super::catalogue::PlanError;
use super::super::effect::{Effect, LockLevel};
use super::super::plan::{Expected, PlanStep, RestCall, Risk};
use super::{Ctx, Draft, steps_verify};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::decide::{ActionKind, ProposedAction};

/// The lock's name.
pub const LOCK_NAME: &str = "warroom-release-freeze";

/// The tag's name (the same word: one name to look for).
pub const TAG_NAME: &str = "warroom-release-freeze";

/// The `az` commands a pipeline runs before it deploys to honour the freeze: each prints
/// something while the group is frozen and nothing once the freeze is lifted.
pub fn pipeline_checks(rg: &ResourceGroupRef) -> [String; 2] {
    [
        format!(
            "az tag list --resource-id {} --query 'properties.tags.\"{TAG_NAME}\"' -o tsv",
            rg.path()
        ),
        format!(
            "az lock list --resource-group {} --query \"[?name=='{LOCK_NAME}'].name\" -o tsv",
            rg.resource_group
        ),
    ]
}

/// The lock put or removed.
fn lock_step(rg: &ResourceGroupRef, on: bool, notes: String) -> PlanStep {
    let id = rg.provider("Microsoft.Authorization", &format!("locks/{LOCK_NAME}"));
    let (what, call, az) = if on {
        (
            format!(
                "Put the CanNotDelete lock {LOCK_NAME} on resource group {}",
                rg.resource_group
            ),
            RestCall::arm(
                "PUT",
                id,
                api::LOCKS,
                Some(json!({"properties": {"level": "CanNotDelete", "notes": notes}})),
            ),
            format!(
                "az lock create --name {LOCK_NAME} --resource-group {} --lock-type CanNotDelete --notes \"{notes}\"",
                rg.resource_group
            ),
        )
    } else {
        (
            format!(
                "Remove the lock {LOCK_NAME} from resource group {}",
                rg.resource_group
            ),
            RestCall::arm("DELETE", id, api::LOCKS, None),
            format!(
                "az lock delete --name {LOCK_NAME} --resource-group {}",
                rg.resource_group
            ),
        )
    };
    PlanStep {
        what,
        call: Some(call),
        az: Some(az),
        effect: Effect::Lock {
            scope: rg.path(),
            name: LOCK_NAME.to_owned(),
            level: LockLevel::CanNotDelete,
            on,
            notes,
        },
    }
}

/// The tag added (merged with the group's other tags) or removed by name.
fn tag_step(rg: &ResourceGroupRef, on: bool, value: String) -> PlanStep {
    let scope = rg.path();
    let path = format!("{scope}/providers/Microsoft.Resources/tags/default");
    let (what, body, az) = if on {
        (
            format!(
                "Tag resource group {} {TAG_NAME}, keeping its other tags, for pipelines to check",
                rg.resource_group
            ),
            json!({"operation": "Merge", "properties": {"tags": {TAG_NAME: value}}}),
            format!(
                "az tag update --resource-id {scope} --operation Merge --tags {TAG_NAME}=\"{value}\""
            ),
        )
    } else {
        (
            format!(
                "Remove the tag {TAG_NAME} from resource group {}, keeping its other tags",
                rg.resource_group
            ),
            json!({"operation": "Delete", "properties": {"tags": {TAG_NAME: ""}}}),
            format!("az tag update --resource-id {scope} --operation Delete --tags {TAG_NAME}"),
        )
    };
    PlanStep {
        what,
        call: Some(RestCall::arm("PATCH", path, api::TAGS, Some(body))),
        az: Some(az),
        effect: Effect::Tag {
            scope,
            name: TAG_NAME.to_owned(),
            value: if on { value } else { String::new() },
            on,
        },
    }
}

/// Plans a freeze on or off.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let region = cx.target_region()?;
    let on = cx.action.kind == ActionKind::FreezeOn;
    let rg = ResourceGroupRef::of_region(region);
    let notes = format!(
        "Release freeze during an incident on {} (set by warroom): do not deploy.",
        cx.snap.estate
    );
    let value = format!(
        "frozen since {} UTC by warroom (incident on {})",
        cx.snap.taken_at.format("%Y-%m-%dT%H:%M"),
        cx.snap.estate
    );
    let writes = if on {
        vec![lock_step(&rg, true, notes), tag_step(&rg, true, value)]
    } else {
        vec![tag_step(&rg, false, value), lock_step(&rg, false, notes)]
    };
    let check = steps_verify::read_back(
        if on {
            format!(
                "Verify the lock and the tag {LOCK_NAME} read back on {}",
                rg.resource_group
            )
        } else {
            format!(
                "Verify the lock and the tag {LOCK_NAME} are gone from {}",
                rg.resource_group
            )
        },
        &writes,
        pipeline_checks(&rg).to_vec(),
    );
    let mut d = Draft::new(
        if on {
            format!("Freeze releases in {}", rg.resource_group)
        } else {
            format!("Lift the release freeze in {}", rg.resource_group)
        },
        if on {
            "A CanNotDelete lock stops deletions in the group; a tag on the group tells release \
             pipelines, which check it before deploying, that releases are frozen; the lock's \
             note and the journal say why."
                .to_owned()
        } else {
            "The tag and the lock go; deletions and releases may resume.".to_owned()
        },
        Risk::Low,
        Expected {
            min_secs: 5,
            max_secs: 60,
        },
    );
    d.steps = writes;
    d.steps.push(check);
    d.undo = Some(ProposedAction {
        kind: if on {
            ActionKind::FreezeOff
        } else {
            ActionKind::FreezeOn
        },
        target: region.name.clone(),
        release: None,
    });
    if on {
        d.notes.push(
            "Not ReadOnly: a ReadOnly lock also blocks ARM POST calls, so this console's own swaps, \
             restarts, settings and key reads and failovers would fail while the freeze holds."
                .to_owned(),
        );
        let [tag, lock] = pipeline_checks(&rg);
        d.notes.push(format!(
            "Neither the lock nor the tag stops a deploy by itself: a pipeline honours the freeze \
             by running `{tag}` (or `{lock}`) before it deploys and stopping when it prints \
             anything. Pause pipelines without that check by hand."
        ));
    } else {
        let [tag, _] = pipeline_checks(&rg);
        d.notes.push(format!(
            "Pipelines that run `{tag}` before deploying see the freeze lifted once it prints \
             nothing; resume any paused by hand."
        ));
    }
    Ok(d)
}
