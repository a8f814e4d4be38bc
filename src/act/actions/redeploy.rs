//! Redeploy the last known good artifact: the newest successful deployment before the one now
//! running, taken from the snapshot's deployment history, zip deployed from the artifact store
//! (`{service}/{version}.zip`); then the settings baseline re-applied where it drifted, a restart
//! if the app is still unhealthy, and a check of health and version.

use std::collections::BTreeMap;

use super::super::catalogue::PlanError;
use super::super::effect::SettingSource;
use super::super::plan::{Expected, Risk};
use super::{Ctx, Draft, running_version, steps, sync};
use crate::model::{AppState, DeploymentRecord, Health};

/// The version to go back to and the version it replaces.
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

/// The newest successful deployment, of another version, finished before the current (bad)
/// version was deployed.
pub fn last_known_good(state: &AppState) -> Result<LastKnownGood, String> {
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
    let good = history.iter().find(|d| {
        let success = ["success", "complete"]
            .iter()
            .any(|w| d.status.eq_ignore_ascii_case(w));
        let other = d.version.is_some() && d.version != current;
        let before = match (bad_at, when(d)) {
            (Some(bad), Some(t)) => t < bad,
            (Some(_), None) => false,
            (None, _) => true,
        };
        success && !d.in_progress && other && before
    });
    match good {
        Some(d) => Ok(LastKnownGood {
            version: d.version.clone().unwrap_or_default(),
            deployment_id: d.id.clone(),
            current,
        }),
        None => Err(format!(
            "no successful deployment of another version before {} in the history of {}",
            current.as_deref().unwrap_or("the current one"),
            state.name
        )),
    }
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
    let lkg = last_known_good(state).map_err(PlanError::NotApplicable)?;
    let current = lkg.current.as_deref().unwrap_or("an unknown version");
    let summary = format!(
        "{} runs {current} ({}). The last known good version is {} (deployment {}).\n\
         Its package {}/{}.zip is deployed from the artifact store, replacing every file.",
        app.name,
        state.health().label(),
        lkg.version,
        lkg.deployment_id,
        app.service,
        lkg.version
    );
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

    // The settings baseline: the same service in another region, when it runs the version
    // being restored and is healthy.
    let baseline = cx.estate.counterparts(app).find(|other| {
        cx.state(&other.name).is_some_and(|s| {
            s.health() == Health::Healthy && running_version(s).as_deref() == Some(&lkg.version)
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
                            lkg.version,
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
            app.service, lkg.version
        )),
    }
    d.steps.push(steps::restart(cx.estate, app, true));
    d.steps
        .push(steps::verify_app(cx.estate, app, Some(&lkg.version)));
    d.notes.push(format!(
        "No undo: redeploying {current} would bring the fault back. Its package stays in the artifact store."
    ));
    Ok(d)
}
