//! Redeploy a known-good release: the one the decision engine chose when the action is its
//! recommendation (the action names it: the last known good before the release the engine
//! blamed, which may be what production runs after a swap back to it — then its package is
//! re-pushed, and the plan says so); typed by hand, the newest successful deployment before the
//! one now running, taken from the snapshot's deployment history, whose package the snapshot's
//! listing of the artifact store holds (`{service}/{version}.zip`; newer ones without a package
//! are passed over, and the plan says so). Either way the plan says which release and why, and
//! the package must be in the store. It is zip deployed from there; then the settings baseline
//! re-applied where it drifted, a restart if the app is still unhealthy once it has had
//! [`WARM_UP`] to start (its health probed meanwhile), and a check of health and version. The
//! rule is the decision engine's (`decide::lkg`), so the runbook's words and the plan name the
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

/// The release a redeploy (or a rebuild) deploys, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The release, the newer ones passed over, what is not known about the store.
    pub choice: Choice,
    /// Why this release: `the release the runbook chose: …` or `chosen from the history: …`.
    pub why: String,
    /// Whether production runs it already (only ever when the engine chose it): the deploy
    /// re-pushes its package.
    pub repush: bool,
}

/// The release to deploy on `state`: `named` (the engine's choice, carried on its action) when
/// given, checked against the history and the store's listing; else chosen from the history
/// ([`choose`]), which never picks what production runs.
pub fn release(
    state: &AppState,
    snap: &Snapshot,
    estate: &Estate,
    named: Option<&str>,
) -> Result<Release, String> {
    let Some(version) = named else {
        let choice = choose(state, snap, estate)?;
        let why = format!(
            "chosen from the history: {} (deployment {}), the newest release known good before {} \
             with its package in the artifact store{}",
            choice.lkg.version,
            choice.lkg.deployment_id,
            choice
                .lkg
                .current
                .as_deref()
                .unwrap_or("the one production runs"),
            if choice.unlisted.is_some() {
                " (as far as is known)"
            } else {
                ""
            }
        );
        return Ok(Release {
            choice,
            why,
            repush: false,
        });
    };
    let store = store_words(estate);
    let history = state.deployments.get().ok_or_else(|| {
        format!(
            "the deployment history of {} has not been observed: {version}, the release the \
             runbook chose, cannot be checked",
            state.name
        )
    })?;
    let from = history
        .iter()
        .filter(|d| d.version.as_deref() == Some(version) && lkg::succeeded(d))
        .min_by_key(|d| std::cmp::Reverse(d.ended.or(d.started)))
        .ok_or_else(|| {
            format!(
                "{version}, the release the runbook chose, has no successful deployment in the \
                 history of {}",
                state.name
            )
        })?;
    let blob = lkg::package(state, version);
    let (store_note, unlisted) = match snap.artifacts.as_ref() {
        Some(o) if o.get().is_some() => {
            if !o.get().is_some_and(|l| l.iter().any(|a| a.name == blob)) {
                return Err(format!(
                    "the package {blob} of {version}, the release the runbook chose, is missing \
                     from the artifact store {store}"
                ));
            }
            (None, None)
        }
        o => {
            let why = o.and_then(|o| o.error.as_ref()).map_or_else(
                || "not read yet".to_owned(),
                |e| format!("its listing failed: {}", e.message),
            );
            (
                Some(format!(
                    "The artifact store {store} is not known ({why}): the package of {version} is \
                     looked for there again before the deploy, which stops if it is missing."
                )),
                Some(why),
            )
        }
    };
    let current = lkg::current_version(state);
    let repush = current.as_deref() == Some(version);
    Ok(Release {
        why: format!(
            "the release the runbook chose: {version} (deployment {}), the last known good before \
             the release it blamed",
            from.id
        ),
        choice: Choice {
            lkg: LastKnownGood {
                version: version.to_owned(),
                deployment_id: from.id.clone(),
                current,
            },
            skipped: Vec::new(),
            store_note,
            unlisted,
        },
        repush,
    })
}

/// `words` with its first letter in capitals.
pub fn sentence(words: &str) -> String {
    let mut c = words.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
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
    let chosen = release(state, cx.snap, cx.estate, cx.action.release.as_deref())
        .map_err(PlanError::NotApplicable)?;
    let choice = &chosen.choice;
    let lkg = &choice.lkg;
    let current = lkg.current.as_deref().unwrap_or("an unknown version");
    let mut summary = format!(
        "{} runs {current} ({}).\n{}.",
        app.name,
        state.health().label(),
        sentence(&chosen.why)
    );
    if chosen.repush {
        let _ = write!(
            summary,
            "\nProduction runs {} already: this re-pushes its package.",
            lkg.version
        );
    }
    let _ = write!(
        summary,
        "\nIts package {}/{}.zip is deployed from {store}, replacing every file.",
        app.service, lkg.version
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
    if chosen.repush {
        d.notes.push(format!(
            "No undo: the files {current} runs with now are replaced by its package, which stays \
             in the artifact store."
        ));
    } else {
        d.notes.push(format!(
            "No undo: redeploying {current} would bring the fault back. Its package stays in the artifact store."
        ));
    }
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
