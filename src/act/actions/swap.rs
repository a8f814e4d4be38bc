//! Swap and swap back: the staging slot's content moves into production and production's into
//! staging (`POST …/slots/{slot}/slotsswap`, long-running). Each is the other's undo: a swap is
//! its own inverse. The check after it promises what the slot shows before it: Healthy and the
//! slot's version when the release going in reports Healthy; else (the undo of a rollback puts
//! the bad release back) only that production reports that version again.

use std::fmt::Write as _;

use super::super::catalogue::PlanError;
use super::super::plan::{Expected, Risk};
use super::{Ctx, Draft, running_version, steps};
use crate::decide::{ActionKind, ProposedAction};
use crate::model::Health;

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
    let incoming = state
        .and_then(|s| s.slots.iter().find(|x| x.name == slot))
        .and_then(|s| s.health.get());
    let expect = incoming.and_then(|h| h.version.clone());
    // What the swap can promise is what the slot shows now: health only when the release going
    // in reports Healthy. Putting back a release that does not (the undo of a rollback puts the
    // bad release back) promises only that production runs it again.
    let promises_health = incoming.is_some_and(|h| h.status == Health::Healthy);
    let back = cx.action.kind == ActionKind::SwapBack;
    let title = match (&expect, promises_health) {
        (Some(v), false) => format!(
            "Put {v} back into production of {} by swapping {slot} in ({v} reports {slot_h})",
            app.name
        ),
        _ if back => format!("Swap {} back: {slot} returns to production", app.name),
        _ => format!("Roll {} back by swapping {slot} into production", app.name),
    };
    let mut summary = format!(
        "production runs {prod_v} ({prod_h}); {slot} runs {slot_v} ({slot_h}).\n\
         The swap puts {slot_v} into production and {prod_v} into {slot}, warming {slot} first."
    );
    let verify = match expect.as_deref() {
        Some(v) if !promises_health => {
            let _ = write!(
                summary,
                "\n{v} does not report Healthy in {slot}: it goes into production as it is. If \
                 this undoes a rollback, it puts the bad release back. The check is that \
                 production reports {v} again; its health is reported, not required."
            );
            steps::verify_version(cx.estate, app, v)
        }
        v => steps::verify_app(cx.estate, app, v),
    };
    let mut d = Draft::new(title, summary, Risk::Medium, Expected::minutes(1, 5));
    d.steps
        .push(steps::swap(cx.estate, app, slot, "production"));
    d.steps.push(verify);
    d.undo = Some(ProposedAction {
        kind: if back {
            ActionKind::Swap
        } else {
            ActionKind::SwapBack
        },
        target: app.name.clone(),
        release: None,
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
