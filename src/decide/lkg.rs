//! The last known good release of an app — one rule for the decision engine's words and the
//! redeploy and rebuild plans (`act` calls these functions; nothing here knows `act`):
//!
//! - [`known_good`]: from the deployment history, the successful deployments of another version
//!   than the bad one, finished before the bad one went out, newest first, one per version;
//! - [`choose`]: the newest of those whose package (`{service}/{version}.zip`) the snapshot's
//!   listing of the artifact store holds, the newer ones passed over with why; without a listing,
//!   the history's newest, with a note that the package is looked for again before the deploy;
//! - [`LastGood`]: both, as the engine keeps them on its walk — the history's newest is what a
//!   staging slot is compared with (the slot's content, not the store), the choice is what a
//!   redeploy deploys — with the evidence in words.
//!
//! Pure reads of the snapshot and the estate.

use chrono::{DateTime, Utc};

use crate::config::Estate;
use crate::model::{AppState, DeploymentRecord, Observed, Snapshot};

use super::Evidence;
use super::evidence::ev;

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

/// Why no release can be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoChoice {
    /// The deployment history has not been read: nothing is known either way.
    NotObserved(String),
    /// The history shows no successful deployment of another version before the bad one.
    NoneKnownGood(String),
    /// Releases are known good, but none has its package in the artifact store.
    NoPackage(String),
}

impl NoChoice {
    /// The words.
    pub fn words(&self) -> &str {
        match self {
            Self::NotObserved(w) | Self::NoneKnownGood(w) | Self::NoPackage(w) => w,
        }
    }

    /// Whether the reads settle it: a redeploy is impossible, not merely not known yet.
    pub fn settled(&self) -> bool {
        !matches!(self, Self::NotObserved(_))
    }
}

impl std::fmt::Display for NoChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.words())
    }
}

fn when(d: &DeploymentRecord) -> Option<DateTime<Utc>> {
    d.ended.or(d.started)
}

/// The version production reports running (its health report), when read.
pub fn running_version(state: &AppState) -> Option<String> {
    state
        .production()
        .and_then(|s| s.health.get())
        .and_then(|h| h.version.clone())
}

/// The version production runs: its health report, else the active production deployment.
pub fn current_version(state: &AppState) -> Option<String> {
    running_version(state).or_else(|| {
        state.deployments.get().and_then(|h| {
            h.iter()
                .filter(|d| d.active && d.slot == "production")
                .min_by_key(|d| std::cmp::Reverse(when(d)))
                .and_then(|d| d.version.clone())
        })
    })
}

/// Whether a deployment finished and succeeded.
pub fn succeeded(d: &DeploymentRecord) -> bool {
    !d.in_progress
        && ["success", "complete"]
            .iter()
            .any(|w| d.status.eq_ignore_ascii_case(w))
}

/// The releases known good in the history of `state`, newest first and one per version:
/// successful deployments of another version than `bad`, finished before `bad` was first
/// deployed. `bad` is the release judged bad; `None` means the version production runs (its
/// health report, else the active production deployment).
pub fn known_good(state: &AppState, bad: Option<&str>) -> Result<Vec<LastKnownGood>, NoChoice> {
    let Some(history) = state.deployments.get() else {
        return Err(NoChoice::NotObserved(format!(
            "the deployment history of {} has not been observed",
            state.name
        )));
    };
    let mut history: Vec<&DeploymentRecord> = history.iter().collect();
    history.sort_by_key(|d| std::cmp::Reverse(when(d)));
    let current = current_version(state);
    let bad = bad.map(str::to_owned).or_else(|| current.clone());
    let bad_at = bad.as_ref().and_then(|v| {
        history
            .iter()
            .filter(|d| d.version.as_ref() == Some(v))
            .filter_map(|d| d.started.or(d.ended))
            .max()
    });
    let mut good: Vec<LastKnownGood> = Vec::new();
    for d in history {
        let before = match (bad_at, when(d)) {
            (Some(b), Some(t)) => t < b,
            (Some(_), None) => false,
            (None, _) => true,
        };
        let Some(version) = d.version.clone().filter(|v| Some(v) != bad.as_ref()) else {
            continue;
        };
        if succeeded(d) && before && !good.iter().any(|g| g.version == version) {
            good.push(LastKnownGood {
                version,
                deployment_id: d.id.clone(),
                current: current.clone(),
            });
        }
    }
    if good.is_empty() {
        return Err(NoChoice::NoneKnownGood(format!(
            "no successful deployment of another version before {} in the history of {}",
            bad.as_deref().unwrap_or("the current one"),
            state.name
        )));
    }
    Ok(good)
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
    /// Why the store's listing is not known (`its listing failed: …`, `not read yet`), when not.
    pub unlisted: Option<String>,
}

/// The estate's artifact store in words: `account/container` (empty without one).
pub fn store_words(estate: &Estate) -> String {
    estate
        .artifact_store
        .as_ref()
        .map(|a| format!("{}/{}", a.account, a.container))
        .unwrap_or_default()
}

/// The package of `version` of `state`'s service in the store: `{service}/{version}.zip`.
pub fn package(state: &AppState, version: &str) -> String {
    format!("{}/{version}.zip", state.service)
}

/// Chooses from the history of `state` (`bad` as in [`known_good`]) and the artifact store's
/// listing in `snap`. Fails when no known-good release has its package listed; without a
/// listing, the newest known good is chosen and the note says the package is looked for again
/// before the deploy.
pub fn choose(
    state: &AppState,
    snap: &Snapshot,
    estate: &Estate,
    bad: Option<&str>,
) -> Result<Choice, NoChoice> {
    let store = store_words(estate);
    let candidates = known_good(state, bad)?;
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
        let mut candidates = candidates;
        let lkg = candidates.swap_remove(0);
        return Ok(Choice {
            store_note: Some(format!(
                "The artifact store {store} is not known ({why}): the package of {} is looked for \
                 there again before the deploy, which stops if it is missing.",
                lkg.version
            )),
            lkg,
            skipped: Vec::new(),
            unlisted: Some(why),
        });
    };
    let mut skipped = Vec::new();
    for c in candidates {
        let blob = package(state, &c.version);
        if listed.iter().any(|a| a.name == blob) {
            return Ok(Choice {
                lkg: c,
                skipped,
                store_note: None,
                unlisted: None,
            });
        }
        skipped.push(format!(
            "{}: package {blob} missing from {store}",
            c.version
        ));
    }
    Err(NoChoice::NoPackage(format!(
        "no release known good in the history of {} has its package in the artifact store ({})",
        state.name,
        skipped.join("; ")
    )))
}

/// The last known good as the engine keeps it on its walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastGood {
    /// The history's newest known good: what a staging slot is compared with.
    pub history: Option<String>,
    /// What a redeploy deploys, or why nothing; `None` when the estate names no artifact store.
    pub redeploy: Option<Result<Choice, NoChoice>>,
    /// The artifact store in words.
    pub store: String,
    /// When the store's listing was read, and by which read.
    pub listing: Option<(Option<DateTime<Utc>>, String)>,
    /// The history's read.
    pub history_source: String,
}

impl LastGood {
    /// The last known good of `state` with `bad` the release judged bad (`None`: what production
    /// runs).
    pub fn of(state: &AppState, snap: &Snapshot, estate: &Estate, bad: Option<&str>) -> Self {
        let history = known_good(state, bad)
            .ok()
            .and_then(|g| g.into_iter().next())
            .map(|g| g.version);
        let redeploy = estate
            .artifact_store
            .as_ref()
            .map(|_| choose(state, snap, estate, bad));
        Self {
            history,
            redeploy,
            store: store_words(estate),
            listing: snap.artifacts.as_ref().map(|o| (o.at, o.source.clone())),
            history_source: state.deployments.source.clone(),
        }
    }

    /// The version a redeploy (or a rebuild) deploys, when one is chosen.
    pub fn chosen(&self) -> Option<&str> {
        match &self.redeploy {
            Some(Ok(c)) => Some(c.lkg.version.as_str()),
            _ => None,
        }
    }

    /// Why a redeploy cannot be carried out, when the reads settle that it cannot.
    pub fn impossible(&self) -> Option<&NoChoice> {
        match &self.redeploy {
            Some(Err(e)) if e.settled() => Some(e),
            _ => None,
        }
    }

    /// The choice in plain words, one reason per line: which release, the releases passed over
    /// and why, or what is not known about the store.
    pub fn reasons(&self) -> Vec<String> {
        match &self.redeploy {
            None => Vec::new(),
            Some(Err(e)) if e.settled() => vec![format!("no redeploy: {e}")],
            Some(Err(e)) => vec![format!("the last known good is not known: {e}")],
            Some(Ok(c)) => {
                let mut out = Vec::new();
                if let Some(why) = &c.unlisted {
                    out.push(format!(
                        "{} is the last known good from the deployment history alone: the \
                         artifact store {} is not known ({why}), so its package is looked for \
                         again before the deploy, which stops if it is missing",
                        c.lkg.version, self.store
                    ));
                } else if c.skipped.is_empty() {
                    out.push(format!(
                        "{} is the last known good (deployment {}); its package is in the artifact store {}",
                        c.lkg.version, c.lkg.deployment_id, self.store
                    ));
                } else {
                    out.push(format!(
                        "{} is the newest known good release with its package in the artifact store {} (deployment {})",
                        c.lkg.version, self.store, c.lkg.deployment_id
                    ));
                    out.extend(c.skipped.iter().map(|s| format!("passed over {s}")));
                }
                out
            }
        }
    }

    /// The choice as evidence: [`reasons`](Self::reasons), each with the listing's time and the
    /// reads it came from.
    pub fn evidence(&self, now: DateTime<Utc>) -> Vec<Evidence> {
        let (at, source) = match &self.listing {
            Some((at, src)) => (at.or(Some(now)), format!("{}, {src}", self.history_source)),
            None => (Some(now), self.history_source.clone()),
        };
        self.reasons()
            .into_iter()
            .map(|r| ev(r, at, &source))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::testkit;
    use chrono::Duration;

    /// Orders in krc: v1 ten days ago, then `2026.04.02` twenty minutes ago; production runs
    /// `running`.
    fn orders(running: &str) -> (Snapshot, Estate) {
        let (mut snap, estate) = testkit::calm();
        let app = testkit::app(&mut snap, "func-orders-prod-krc");
        if let Some(h) = app.slots[0].health.value.as_mut() {
            h.version = Some(running.into());
        }
        if let Some(list) = app.deployments.value.as_mut() {
            let mut bad = list[0].clone();
            bad.id = "bad".into();
            bad.version = Some("2026.04.02".into());
            (bad.started, bad.ended) = (Some(testkit::at(-20)), Some(testkit::at(-18)));
            list.insert(0, bad);
        }
        (snap, estate)
    }

    #[test]
    fn the_bad_release_named_by_the_engine_wins_over_what_production_runs() {
        // After a swap back, production runs v1 again: the plans' default (what production
        // runs is bad) finds nothing older, the engine's cause (2026.04.02) finds v1.
        let (snap, estate) = orders("v1");
        let app = &snap.apps[0];
        assert_eq!(app.name, "func-orders-prod-krc");
        assert!(matches!(
            known_good(app, None),
            Err(NoChoice::NoneKnownGood(_))
        ));
        let good = known_good(app, Some("2026.04.02")).expect("v1");
        assert_eq!((good.len(), good[0].version.as_str()), (1, "v1"));
        // No listing in the snapshot: v1 from the history alone, said so, and not settled.
        let g = LastGood::of(app, &snap, &estate, Some("2026.04.02"));
        assert_eq!((g.history.as_deref(), g.chosen()), (Some("v1"), Some("v1")));
        assert!(
            g.reasons()[0].contains("from the deployment history alone"),
            "{g:?}"
        );
        // A listing without v1's package: no redeploy, settled, and said.
        let mut snap = snap;
        snap.artifacts = Some(Observed::ok(
            Vec::new(),
            testkit::at(-1),
            "Blob service list",
            Duration::minutes(1),
        ));
        let g = LastGood::of(&snap.apps[0], &snap, &estate, Some("2026.04.02"));
        assert!(matches!(g.impossible(), Some(NoChoice::NoPackage(_))));
        assert!(
            g.reasons()[0].ends_with(&format!(
                "(v1: package {}/v1.zip missing from stfuncartifactsprod/releases)",
                snap.apps[0].service
            )),
            "{:?}",
            g.reasons()
        );
    }
}
