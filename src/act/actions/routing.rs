//! Traffic Manager endpoint status and Front Door origin state, on and off. Disable and enable
//! undo each other. Disabling a route that serves is high risk: traffic moves at once (after the
//! DNS TTL for Traffic Manager, after propagation for Front Door).

use super::super::catalogue::PlanError;
use super::super::effect::{Effect, VerifyCheck};
use super::super::plan::{Expected, PlanStep, RestCall, Risk};
use super::{Ctx, Draft, steps};
use crate::azure::wire::api;
use crate::decide::{ActionKind, ProposedAction};
use crate::model::RouteState;

/// The route's observed state, by name, from the snapshot.
fn observed<'a>(routes: Option<&'a Vec<RouteState>>, name: &str) -> Option<&'a RouteState> {
    routes.and_then(|r| r.iter().find(|x| x.name == name))
}

fn verify(id: String, enabled: bool, api_version: &str, what: String, az: String) -> PlanStep {
    PlanStep {
        what,
        call: Some(RestCall::arm("GET", id.clone(), api_version, None)),
        az: Some(az),
        effect: Effect::Verify(VerifyCheck::RouteState { id, enabled }),
    }
}

/// The step, the route's ARM id, the `az` command that reads its state, its app, and the
/// snapshot's view of its kind of route.
type Resolved<'a> = (
    PlanStep,
    String,
    String,
    String,
    Option<&'a Vec<RouteState>>,
);

/// Finds the target route in the estate and builds its step.
fn resolve<'a>(cx: &Ctx<'a>, tm: bool, enable: bool) -> Result<Resolved<'a>, PlanError> {
    let name = &cx.action.target;
    if tm {
        let profile = cx.estate.traffic_manager.as_ref().ok_or_else(|| {
            PlanError::NotApplicable("the estate has no Traffic Manager profile".to_owned())
        })?;
        let ep = profile
            .endpoints
            .iter()
            .find(|e| &e.name == name)
            .ok_or_else(|| {
                PlanError::unknown(
                    cx.action,
                    "a Traffic Manager endpoint",
                    profile.endpoints.iter().map(|e| e.name.clone()),
                )
            })?;
        let step = steps::tm_status(cx.estate, ep, enable)
            .ok_or_else(|| PlanError::NotApplicable("the profile's region is unknown".into()))?;
        let id = steps::tm_endpoint_id(cx.estate, ep).unwrap_or_default();
        let show = steps::tm_show(cx.estate, ep).unwrap_or_default();
        let all = cx
            .snap
            .routes
            .traffic_manager
            .as_ref()
            .and_then(|(_, o)| o.get());
        Ok((step, id, show, ep.app.clone(), all))
    } else {
        let fd = cx.estate.front_door.as_ref().ok_or_else(|| {
            PlanError::NotApplicable("the estate has no Front Door profile".to_owned())
        })?;
        let origin = fd.origins.iter().find(|o| &o.name == name).ok_or_else(|| {
            PlanError::unknown(
                cx.action,
                "a Front Door origin",
                fd.origins.iter().map(|o| o.name.clone()),
            )
        })?;
        let step = steps::fd_state(cx.estate, origin, enable)
            .ok_or_else(|| PlanError::NotApplicable("the profile's region is unknown".into()))?;
        let id = steps::fd_origin_id(cx.estate, origin).unwrap_or_default();
        let show = steps::fd_show(cx.estate, origin).unwrap_or_default();
        let all = cx
            .snap
            .routes
            .front_door
            .as_ref()
            .and_then(|(_, o)| o.get());
        Ok((step, id, show, origin.app.clone(), all))
    }
}

/// Plans a Traffic Manager or Front Door change.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let kind = cx.action.kind;
    let enable = matches!(kind, ActionKind::TmEnable | ActionKind::FdEnable);
    let tm = matches!(kind, ActionKind::TmEnable | ActionKind::TmDisable);
    let name = &cx.action.target;
    let (step, id, show, app, all) = resolve(cx, tm, enable)?;
    let now = observed(all, name);
    if now.is_some_and(|r| r.enabled == enable) {
        return Err(PlanError::NothingToDo(format!(
            "{name} is already {}",
            if enable { "enabled" } else { "disabled" }
        )));
    }
    let what = if tm { "endpoint" } else { "origin" };
    let others_enabled = all.map(|r| r.iter().filter(|x| x.name != *name && x.enabled).count());
    let risk = if enable { Risk::Medium } else { Risk::High };
    let expected = if tm {
        Expected::minutes(1, 5)
    } else {
        Expected::minutes(3, 15)
    };
    let title = format!(
        "{} {what} {name} (routes to {app})",
        if enable { "Enable" } else { "Disable" }
    );
    let state_words = now.map_or_else(
        || "its state is not known from the snapshot".to_owned(),
        |r| format!("it is now {}", r.routing.label()),
    );
    let summary = if enable {
        format!("Traffic may go to {app} again through {name}; {state_words}.")
    } else {
        format!(
            "Traffic stops going to {app} through {name}; {state_words}. {}",
            match others_enabled {
                Some(0) => format!("No other {what} is enabled: nothing would serve."),
                Some(n) => format!("{n} other {what}(s) stay enabled."),
                None => format!("Whether another {what} is enabled is not known."),
            }
        )
    };
    let mut d = Draft::new(title, summary, risk, expected);
    d.steps.push(step);
    let api_version = if tm { api::TRAFFIC_MANAGER } else { api::CDN };
    d.steps.push(verify(
        id,
        enable,
        api_version,
        format!(
            "Verify {name} reads {}",
            if enable { "Enabled" } else { "Disabled" }
        ),
        show,
    ));
    let undo_kind = match kind {
        ActionKind::TmDisable => ActionKind::TmEnable,
        ActionKind::TmEnable => ActionKind::TmDisable,
        ActionKind::FdDisable => ActionKind::FdEnable,
        _ => ActionKind::FdDisable,
    };
    d.undo = Some(ProposedAction {
        kind: undo_kind,
        target: name.clone(),
        release: None,
    });
    if tm {
        d.notes.push(
            "Clients move as their cached DNS answers expire (the profile's TTL).".to_owned(),
        );
    } else {
        d.notes
            .push("Front Door propagates the change to its edge over several minutes.".to_owned());
    }
    Ok(d)
}
