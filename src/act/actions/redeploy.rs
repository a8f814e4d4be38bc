//! Redeploy the last known good artifact: the newest successful deployment before the one now
//! running, taken from the snapshot's deployment history, whose package the snapshot's listing
//! of the artifact store holds (`{service}/{version}.zip`; newer ones without a package are
//! passed over, and the plan says so), zip deployed from there; then the settings baseline
//! re-applied where it drifted, a restart if the app is still unhealthy once it has had
//! [`WARM_UP`] to start (its health probed meanwhile), and a check of health and version.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use super::super::catalogue::PlanError;
use super::super::effect::SettingSource;
use super::super::plan::{Expected, Risk};
use super::{Ctx, Draft, running_version, steps, sync};
use crate::model::{AppState, DeploymentRecord, Health, Observed, Snapshot};

/// How long the app may take to start after the deploy before it is judged still unhealthy and
/// restarted: a cold start right after a zip deploy is not a reason to restart.
pub const WARM_UP: Duration = Duration::from_mins(2);

/// A release known good in the history, and the version it would replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastKnownGood {
    /// The version to deploy.
    pub version: String,
    /// The deployment it comes from.
    pub deployment_id: String,
    /// The version running now, when known.
    pub current: Option<String>,
}

fn when(d: &DeploymentRecord) -> Option<chrono::DateTime<chrono::Utc>> {
    d.ended.or(d.started)
}

/// The releases known good in the history, newest first and one per version: successful
/// deployments of another version, finished before the current (bad) version was deployed.
pub fn known_good(state: &AppState) -> Result<Vec<LastKnownGood>, String> {
    let Some(history) = state.deployments.get() else {
        return Err(format!(
            "the deployment history of {} has not been observed",
            state.name
        ));
    };
    let mut history: Vec<&DeploymentRecord> = history.iter().collect();
    history.sort_by_key(|d| std::cmp::Reverse(when(d)));
    let current = running_version(state).or_else(|| {
        history
            .iter()
            .find(|d| d.active && d.slot == "production")
            .and_then(|d| d.version.clone())
    });
    let bad_at = current.as_ref().and_then(|v| {
        history
            .iter()
            .filter(|d| d.version.as_ref() == Some(v))
            .filter_map(|d| d.started.or(d.ended))
            .max()
    });
    let mut good: Vec<LastKnownGood> = Vec::new();
    for d in history {
        let success = ["success", "complete"]
            .iter()
            .any(|w| d.status.eq_ignore_ascii_case(w));
        let before = match (bad_at, when(d)) {
            (Some(bad), Some(t)) => t < bad,
            (Some(_), None) => false,
            (None, _) => true,
        };
        let Some(version) = d.version.clone().filter(|v| Some(v) != current.as_ref()) else {
            continue;
        };
        if success && !d.in_progress && before && !good.iter().any(|g| g.version == version) {
            good.push(LastKnownGood {
                version,
                deployment_id: d.id.clone(),
                current: current.clone(),
            });
        }
    }
    if good.is_empty() {
        return Err(format!(
            "no successful deployment of another version before {} in the history of {}",
            current.as_deref().unwrap_or("the current one"),
            state.name
        ));
    }
    Ok(good)
}

/// The newest release known good in the history (whatever the artifact store holds).
pub fn last_known_good(state: &AppState) -> Result<LastKnownGood, String> {
    known_good(state).map(|mut all| all.swap_remove(0))
}

/// The release a redeploy goes back to: the newest known good in the history whose package the
/// artifact store lists, with the newer ones passed over and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The release chosen.
    pub lkg: LastKnownGood,
    /// Newer known-good releases passed over: `2026.03.28: package … missing from …`.
    pub skipped: Vec<String>,
    /// What is not known about the store (its listing not read), when something is not.
    pub store_note: Option<String>,
}

/// Chooses from the history of `state` and the artifact store's listing in `snap` (`store` is
/// the store in words, `account/container`). Fails when no known-good release has its package
/// listed; without a listing, the newest known good is chosen and the note says the package is
/// looked for again before the deploy.
pub fn choose(state: &AppState, snap: &Snapshot, store: &str) -> Result<Choice, String> {
    let candidates = known_good(state)?;
    let listed = snap.artifacts.as_ref().and_then(Observed::get);
    let Some(listed) = listed else {
        let why = snap
            .artifacts
            .as_ref()
            .and_then(|o| o.error.as_ref())
            .map_or_else(
                || "not read yet".to_owned(),
                |e| format!("its listing failed: {}", e.message),
            );
        let lkg = candidates.into_iter().next().ok_or("no candidate")?;
        return Ok(Choice {
            store_note: Some(format!(
                "The artifact store {store} is not known ({why}): the package of {} is looked for \
                 there again before the deploy, which stops if it is missing.",
                lkg.version
            )),
            lkg,
            skipped: Vec::new(),
        });
    };
    let mut skipped = Vec::new();
    for c in candidates {
        let blob = format!("{}/{}.zip", state.service, c.version);
        if listed.iter().any(|a| a.name == blob) {
            return Ok(Choice {
                lkg: c,
                skipped,
                store_note: None,
            });
        }
        skipped.push(format!(
            "{}: package {blob} missing from {store}",
            c.version
        ));
    }
    Err(format!(
        "no release known good in the history of {} has its package in the artifact store ({})",
        state.name,
        skipped.join("; ")
    ))
}

/// The estate's artifact store in words: `account/container` (empty without one).
pub fn store_words(estate: &crate::config::Estate) -> String {
    estate
        .artifact_store
        .as_ref()
        .map(|a| format!("{}/{}", a.account, a.container))
        .unwrap_or_default()
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
    let choice = choose(state, cx.snap, &store).map_err(PlanError::NotApplicable)?;
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
