//! Regional failover away from a failing region, as one composite plan: sync the secondary's
//! settings and keys, hold alert notifications, move traffic (enable the other region's route
//! if it is off, then disable the failing region's Traffic Manager endpoint and Front Door
//! origin, never the last enabled one), flip timer functions; then verify: first every write
//! read back through the client (settings and keys by digest, the alert rule, each route's
//! state, the timer flags), then the health of the apps that now serve. The read-back comes
//! after the last write, so it never holds traffic back, and before the health checks, which
//! may wait for apps to warm: the commander learns at once that the switch landed as planned,
//! then whether the other region serves well. Alias and storage failover are separate,
//! high-risk actions: the plan names them as follow-ups only when the snapshot shows the
//! dependency failing.

use super::super::catalogue::PlanError;
use super::super::effect::{Effect, SettingSource};
use super::super::plan::{Expected, PlanStep, Risk};
use super::{Ctx, Draft, steps, steps_verify, suppress, sync, timers};
use crate::config::{App, Region, RegionRole};
use crate::decide::{ActionKind, ProposedAction};
use crate::model::{Health, RouteState};

/// Route steps for one kind of route: enable the destination's if off, disable the failing
/// region's while another stays enabled. `routes` are (name, app, step-to-enable,
/// step-to-disable); `observed` is the snapshot's view.
fn route_steps(
    cx: &Ctx<'_>,
    failing: &Region,
    dest: &Region,
    routes: Vec<(String, String, Option<PlanStep>, Option<PlanStep>)>,
    observed: Option<&Vec<RouteState>>,
    notes: &mut Vec<String>,
) -> (Vec<PlanStep>, Vec<String>) {
    let region_of = |app: &str| cx.estate.app(app).map(|a| a.region.clone());
    let enabled = |name: &str| {
        observed
            .and_then(|o| o.iter().find(|r| r.name == name))
            .is_none_or(|r| r.enabled)
    };
    let mut out = Vec::new();
    let mut serving_dest = Vec::new();
    let mut enabled_elsewhere = 0;
    for (name, app, enable, _) in &routes {
        if region_of(app).as_deref() == Some(dest.name.as_str()) {
            serving_dest.push(app.clone());
            if enabled(name) {
                enabled_elsewhere += 1;
            } else if let Some(step) = enable.clone() {
                out.push(step);
                enabled_elsewhere += 1;
            }
        } else if region_of(app).as_deref() != Some(failing.name.as_str()) && enabled(name) {
            enabled_elsewhere += 1;
        }
    }
    for (name, app, _, disable) in routes {
        if region_of(&app).as_deref() != Some(failing.name.as_str()) || !enabled(&name) {
            continue;
        }
        if enabled_elsewhere == 0 {
            notes.push(format!(
                "{name} stays enabled: it is the last enabled route (never disable the last one)."
            ));
        } else if let Some(step) = disable {
            out.push(step);
        }
    }
    (out, serving_dest)
}

/// The route steps of both Traffic Manager and Front Door, and the apps that will serve.
fn routes(cx: &Ctx<'_>, failing: &Region, dest: &Region, d: &mut Draft) -> Vec<String> {
    let mut verify: Vec<String> = Vec::new();
    let mut notes = Vec::new();
    if let Some(tm) = &cx.estate.traffic_manager {
        let routes = tm
            .endpoints
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    e.app.clone(),
                    steps::tm_status(cx.estate, e, true),
                    steps::tm_status(cx.estate, e, false),
                )
            })
            .collect();
        let observed = cx
            .snap
            .routes
            .traffic_manager
            .as_ref()
            .and_then(|(_, o)| o.get());
        let (s, apps) = route_steps(cx, failing, dest, routes, observed, &mut notes);
        d.steps.extend(s);
        verify.extend(apps);
    }
    if let Some(fd) = &cx.estate.front_door {
        let routes = fd
            .origins
            .iter()
            .map(|o| {
                (
                    o.name.clone(),
                    o.app.clone(),
                    steps::fd_state(cx.estate, o, true),
                    steps::fd_state(cx.estate, o, false),
                )
            })
            .collect();
        let observed = cx
            .snap
            .routes
            .front_door
            .as_ref()
            .and_then(|(_, o)| o.get());
        let (s, apps) = route_steps(cx, failing, dest, routes, observed, &mut notes);
        d.steps.extend(s);
        verify.extend(apps);
    }
    d.notes.extend(notes);
    verify
}

/// Plans a failover away from the target region.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let failing = cx.target_region()?;
    let dest = cx.other_region(failing).ok_or_else(|| {
        PlanError::NotApplicable(format!("no other region to fail {} over to", failing.name))
    })?;
    let pairs: Vec<(&App, &App)> = cx
        .estate
        .apps
        .iter()
        .filter(|a| a.region == failing.name)
        .filter_map(|a| cx.counterpart_in(a, &dest.name).map(|b| (a, b)))
        .collect();
    let mut d = Draft::new(
        format!("Fail over from {} to {}", failing.name, dest.name),
        format!(
            "Traffic, timers and readiness move from {} ({}) to {} ({}). {} app pair(s).",
            failing.name,
            failing.location,
            dest.name,
            dest.location,
            pairs.len()
        ),
        Risk::High,
        Expected::minutes(5, 20),
    );
    // 1. Secondary readiness: settings and keys, primary → secondary.
    if failing.role == RegionRole::Primary {
        for (from, to) in &pairs {
            match sync::steps_for(cx, from, to) {
                Ok((s, _)) => d.steps.extend(s),
                Err(e) => d.notes.push(format!("Sync of {} skipped: {e}.", to.name)),
            }
        }
    } else {
        d.notes.push(format!(
            "{} is a secondary: no settings sync (syncs go from the primary).",
            failing.name
        ));
    }
    // 2. Alert suppression for the failing region during the switch.
    let from = cx.snap.taken_at;
    d.steps.push(steps::alert_rule(
        failing,
        Some((from, from + suppress::window(cx.estate.rto_minutes))),
    ));
    // 3. Routes.
    let mut verify = routes(cx, failing, dest, &mut d);
    // 4. Timers.
    for (old, new) in pairs.iter().filter(|(a, _)| !a.timer_functions.is_empty()) {
        d.steps.extend(timers::steps_for(cx, new, &[old]));
        verify.push(new.name.clone());
    }
    // 5. Read back every write above (routes included), once traffic has moved.
    if let Some(check) = read_back(&d.steps) {
        d.steps.push(check);
    }
    // 6. Verify the apps that now serve.
    verify.sort();
    verify.dedup();
    for name in &verify {
        if let Some(app) = cx.estate.app(name) {
            d.steps.push(steps::verify_app(cx.estate, app, None));
        }
    }
    follow_ups(cx, failing, &mut d);
    d.notes.push(format!(
        "No single undo: fail back with `failover {}` once {} is healthy again.",
        dest.name, failing.name
    ));
    Ok(d)
}

/// The last segment of an ARM id.
fn last(id: &str) -> &str {
    id.trim_end_matches('/').rsplit('/').next().unwrap_or(id)
}

/// What reading back one write expects, in a few words.
fn expectation(effect: &Effect) -> Option<String> {
    let state = |on: bool| if on { "Enabled" } else { "Disabled" };
    Some(match effect {
        Effect::MergeSettings { site_id, set, .. } => {
            let flags: Vec<bool> = set
                .values()
                .filter_map(|s| match s {
                    SettingSource::Flag { value } => Some(*value),
                    SettingSource::CopyFrom { .. } => None,
                })
                .collect();
            match flags.as_slice() {
                [] => format!("settings of {} by digest", last(site_id)),
                f if f.iter().all(|off| *off) => format!("timers disabled in {}", last(site_id)),
                f if f.iter().all(|off| !*off) => format!("timers enabled in {}", last(site_id)),
                _ => format!("timer flags of {}", last(site_id)),
            }
        }
        Effect::SyncKeys { to_site, .. } => format!("keys of {} by digest", last(to_site)),
        Effect::AlertRule {
            id,
            window: Some((_, until)),
            ..
        } => format!(
            "alert rule {} until {} UTC",
            last(id),
            until.format("%H:%M")
        ),
        Effect::AlertRule { id, .. } => format!("alert rule {} gone", last(id)),
        Effect::TmStatus {
            endpoint_id,
            enabled,
        } => format!("endpoint {} {}", last(endpoint_id), state(*enabled)),
        Effect::FdState { origin_id, enabled } => {
            format!("origin {} {}", last(origin_id), state(*enabled))
        }
        _ => return None,
    })
}

/// The check that reads back every write of `steps`: none when nothing is written.
fn read_back(steps: &[PlanStep]) -> Option<PlanStep> {
    let mut parts: Vec<String> = Vec::new();
    for s in steps.iter().filter(|s| !s.effect.is_read_only()) {
        if let Some(p) = expectation(&s.effect)
            && !parts.contains(&p)
        {
            parts.push(p);
        }
    }
    (!parts.is_empty()).then(|| {
        steps_verify::read_back(
            format!(
                "Verify the failover's writes read back: {}",
                parts.join(", ")
            ),
            steps,
            Vec::new(),
        )
    })
}

/// Alias and storage failovers the snapshot calls for, as separate actions.
fn follow_ups(cx: &Ctx<'_>, failing: &Region, d: &mut Draft) {
    let unhealthy_consumer = |kind: &str| {
        cx.snap.queues.iter().any(|q| {
            q.region == failing.name
                && q.kind == kind
                && cx
                    .state(&q.app)
                    .is_some_and(|s| s.health() != Health::Healthy)
        })
    };
    for alias in cx
        .estate
        .geo_dr_aliases
        .iter()
        .filter(|a| a.primary_region == failing.name)
    {
        let state = cx.snap.aliases.iter().find(|a| a.name == alias.name);
        let failing_read = state.is_some_and(|s| s.state.error.is_some());
        let broken = state
            .and_then(|s| s.state.get())
            .is_some_and(|f| f.provisioning.eq_ignore_ascii_case("failed"));
        if failing_read || broken || unhealthy_consumer(alias.kind.as_str()) {
            d.follow_ups.push(ProposedAction {
                kind: ActionKind::AliasFailover,
                target: alias.name.clone(),
                release: None,
            });
        }
    }
    for account in cx.snap.storage.iter().filter(|s| s.region == failing.name) {
        let down = account.state.error.is_some()
            || account.state.get().is_some_and(|f| {
                f.primary_status
                    .as_deref()
                    .is_some_and(|s| !s.eq_ignore_ascii_case("available"))
            });
        let geo = account
            .state
            .get()
            .is_none_or(|f| f.can_failover != Some(false));
        if down && geo {
            d.follow_ups.push(ProposedAction {
                kind: ActionKind::StorageFailover,
                target: account.name.clone(),
                release: None,
            });
        }
    }
}
