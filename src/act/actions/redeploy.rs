//! Redeploy the last known good artifact: the newest successful deployment before the one now
//! running, taken from the snapshot's deployment history, whose package the snapshot's listing
//! of the artifact store holds (`{service}/{version}.zip`; newer ones without a package are
//! passed over, and the plan says so), zip deployed from there; then the settings baseline
//! re-applied where it drifted, a restart if the app is still unhealthy once it has had
//! [`WARM_UP`] to start (its health probed meanwhile), and a check of health and version. The
//! choice is the decision engine's (`decide::lkg`), so the runbook's words and the plan name the
//! same release.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use super::super::catalogue::PlanError;
use super::super::effect::SettingSource;
use super::super::plan::{Expected, Risk};
use super::{Ctx, Draft, running_version, steps, sync};
use crate::config::Estate;
use crate::decide::lkg;
use crate::model::{AppState, Health, Snapshot};

/// How long the app may take to start after the deploy before it is judged still unhealthy and
/// restarted: a cold start right after a zip deploy is not a reason to restart.
pub const WARM_UP: Duration = Duration::from_mins(2);

pub use crate::decide::lkg::{Choice, LastKnownGood, store_words};

/// The releases known good in the history, newest first (the engine's rule, `decide::lkg`):
/// the bad release is what production runs.
pub fn known_good(state: &AppState) -> Result<Vec<LastKnownGood>, String> {
    lkg::known_good(state, None).map_err(|e| e.to_string())
}

/// The newest release known good in the history (whatever the artifact store holds).
pub fn last_known_good(state: &AppState) -> Result<LastKnownGood, String> {
    known_good(state).map(|mut all| all.swap_remove(0))
}

/// The release a redeploy goes back to (the engine's rule, `decide::lkg::choose`): the newest
/// known good whose package the store lists, the newer ones passed over; without a listing, the
/// history's newest with a note. Fails when no known-good release has its package listed.
pub fn choose(state: &AppState, snap: &Snapshot, estate: &Estate) -> Result<Choice, String> {
    lkg::choose(state, snap, estate, None).map_err(|e| e.to_string())
}

/// Plans a redeploy.
pub fn plan(cx: &Ctx<'_>) -> Result<Draft, PlanError> {
    let app = cx.target_app()?;
    if cx.estate.artifact_store.is_none() {
        return Err(PlanError::NotApplicable(
            "the estate names no artifact store to redeploy from".to_owned(),
        ));
    }
    if app.plan == crate::config::PlanKind::FlexConsumption {
        return Err(PlanError::NotApplicable(format!(
            "{} runs on Flex Consumption, which does not support zip deploy",
            app.name
        )));
    }
    let state = cx
        .state(&app.name)
        .ok_or_else(|| PlanError::NotApplicable(format!("{} is not in the snapshot", app.name)))?;
    let store = store_words(cx.estate);
    let choice = choose(state, cx.snap, cx.estate).map_err(PlanError::NotApplicable)?;
    let lkg = &choice.lkg;
    let current = lkg.current.as_deref().unwrap_or("an unknown version");
    let mut summary = format!(
        "{} runs {current} ({}). The last known good version with its package in the artifact \
         store is {} (deployment {}).\n\
         Its package {}/{}.zip is deployed from {store}, replacing every file.",
        app.name,
        state.health().label(),
        lkg.version,
        lkg.deployment_id,
        app.service,
        lkg.version
    );
    if !choice.skipped.is_empty() {
        let _ = write!(
            summary,
            "\nNewer known-good releases passed over: {}.",
            choice.skipped.join("; ")
        );
    }
    let mut d = Draft::new(
        format!("Redeploy {} to {}", app.name, lkg.version),
        summary,
        Risk::Medium,
        Expected::minutes(3, 12),
    );
    let Some(deploy) = steps::zip_deploy(cx.estate, app, &lkg.version) else {
        return Err(PlanError::NotApplicable(
            "the artifact store cannot be addressed".to_owned(),
        ));
    };
    d.steps.push(deploy);
    d.notes.extend(choice.store_note.clone());

    baseline(cx, app, state, &lkg.version, &mut d);
    d.steps
        .push(steps::restart_if_still_unhealthy(cx.estate, app, WARM_UP));
    d.steps
        .push(steps::verify_app(cx.estate, app, Some(&lkg.version)));
    d.notes.push(format!(
        "No undo: redeploying {current} would bring the fault back. Its package stays in the artifact store."
    ));
    Ok(d)
}

/// The settings baseline: the same service in another region, when it runs the version being
/// restored and is healthy. Its drifted names (by digest, regional ones left alone) are copied
/// from it in one read-modify-write step; the note says why when there is none.
fn baseline(
    cx: &Ctx<'_>,
    app: &crate::config::App,
    state: &AppState,
    version: &str,
    d: &mut Draft,
) {
    let baseline = cx.estate.counterparts(app).find(|other| {
        cx.state(&other.name).is_some_and(|s| {
            s.health() == Health::Healthy && running_version(s).as_deref() == Some(version)
        })
    });
    match baseline {
        Some(base) => {
            let drift = cx
                .state(&base.name)
                .and_then(|b| b.settings.get())
                .zip(state.settings.get())
                .map(|(from, to)| sync::differences(from, to));
            match drift {
                Some(diff) if !diff.is_empty() => {
                    let source = SettingSource::CopyFrom {
                        app: base.name.clone(),
                        site_id: cx.estate.app_id(base),
                    };
                    let set: BTreeMap<_, _> = diff
                        .names()
                        .map(|n| (n.to_owned(), source.clone()))
                        .collect();
                    d.steps.push(steps::merge_settings(
                        cx.estate,
                        app,
                        format!(
                            "Re-apply the settings baseline from {} (runs {} and is healthy): {}",
                            base.name,
                            version,
                            diff.words()
                        ),
                        set,
                    ));
                }
                Some(_) => d.notes.push(format!(
                    "Settings match the baseline {} (by name and value digest): none re-applied.",
                    base.name
                )),
                None => d.notes.push(format!(
                    "Settings of {} or {} not observed: the baseline is not re-applied.",
                    app.name, base.name
                )),
            }
        }
        None => d.notes.push(format!(
            "No app of {} elsewhere runs {} healthily to serve as the settings baseline: settings are left as they are.",
            app.service, version
        )),
    }
}
