//! Swap and swap back: the staging slot's content moves into production and production's into
//! staging (`POST …/slots/{slot}/slotsswap`, long-running). Each is the other's undo: a swap is
//! its own inverse.

use super::super::catalogue::PlanError;
use super::super::plan::{Expected, Risk};
use super::{Ctx, Draft, running_version, steps};
use crate::decide::{ActionKind, ProposedAction};

/// The slot swapped with production: `staging` when the app has one, else its first slot.
pub fn source_slot(slots: &[String]) -> Option<&str> {
    slots
        .iter()
        .find(|s| *s == "staging")
        .or_else(|| slots.first())
        .map(String::as_str)
}

/// Plans a swap or a swap back.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let app = cx.target_app()?;
    let Some(slot) = source_slot(&app.slots) else {
        return Err(PlanError::NotApplicable(format!(
            "{} has no deployment slot to swap with (its plan is {}); redeploy instead",
            app.name,
            app.plan.as_str()
        )));
    };
    let state = cx.state(&app.name);
    let describe = |slot_name: &str| {
        let slot = state.and_then(|s| s.slots.iter().find(|x| x.name == slot_name));
        let report = slot.and_then(|s| s.health.get());
        let version = report
            .and_then(|r| r.version.clone())
            .unwrap_or_else(|| "an unknown version".to_owned());
        let health = report.map_or("unknown health", |r| r.status.label());
        (version, health)
    };
    let (prod_v, prod_h) = describe("production");
    let (slot_v, slot_h) = describe(slot);
    let back = cx.action.kind == ActionKind::SwapBack;
    let title = if back {
        format!("Swap {} back: {slot} returns to production", app.name)
    } else {
        format!("Roll {} back by swapping {slot} into production", app.name)
    };
    let summary = format!(
        "production runs {prod_v} ({prod_h}); {slot} runs {slot_v} ({slot_h}).\n\
         The swap puts {slot_v} into production and {prod_v} into {slot}, warming {slot} first."
    );
    let mut d = Draft::new(title, summary, Risk::Medium, Expected::minutes(1, 5));
    d.steps
        .push(steps::swap(cx.estate, app, slot, "production"));
    let expect = state
        .and_then(|s| s.slots.iter().find(|x| x.name == slot))
        .and_then(|s| s.health.get())
        .and_then(|h| h.version.clone());
    d.steps
        .push(steps::verify_app(cx.estate, app, expect.as_deref()));
    d.undo = Some(ProposedAction {
        kind: if back {
            ActionKind::Swap
        } else {
            ActionKind::SwapBack
        },
        target: app.name.clone(),
    });
    if state.and_then(running_version).is_none() {
        d.notes.push(
            "The running versions are not known from the snapshot: check the slots before confirming."
                .to_owned(),
        );
    }
    d.notes.push(format!(
        "Slot-sticky settings stay with their slot; everything else moves with the content. \
         The previous production content waits in {slot} for a swap back."
    ));
    Ok(d)
}
