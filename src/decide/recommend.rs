//! From a strategy to the action that carries it out and the reasons in plain words: swap or
//! redeploy or rebuild the app, fail over its region (naming the route that moves: Traffic
//! Manager, Front Door, or the messaging alias when the failing dependency is the messaging
//! namespace). Also which strategies still apply after one failed to recover the service, in
//! the runbook's escalation order: a redeploy applies only when a known-good release can be
//! deployed (`lkg`: its package in the artifact store, or the store's listing not known). Pure.

use chrono::{DateTime, Utc};

use crate::config::Estate;
use crate::model::{AppState, Health, Snapshot};

use super::evidence::fresh;
use super::flowchart::ESCALATION_ORDER;
use super::lkg::LastGood;
use super::prepare;
use super::regional::failover_routes;
use super::scope::{RegionView, messaging_alias};
use super::{ActionKind, ProposedAction, Recommendation, Strategy};

/// Whether a strategy applies to `app`, in words either way (`good`: its last known good, as the
/// walk found it; found again from what production runs when `None`).
pub fn applies(
    s: Strategy,
    app: &AppState,
    snap: &Snapshot,
    estate: &Estate,
    now: DateTime<Utc>,
    good: Option<&LastGood>,
) -> Result<String, String> {
    match s {
        Strategy::SlotSwap => {
            let conf = estate
                .app(&app.name)
                .map(|a| a.slots.clone())
                .unwrap_or_default();
            let slot = app
                .slots
                .iter()
                .find(|sl| sl.name != "production" && conf.contains(&sl.name))
                .ok_or_else(|| format!("{} has no deployment slot", app.name))?;
            match fresh(&slot.health, now) {
                Ok(h) if h.status == Health::Healthy => Ok(format!("{} healthy", slot.name)),
                Ok(h) => Err(format!(
                    "{} {} is {}",
                    app.name,
                    slot.name,
                    h.status.label()
                )),
                Err(e) => Err(format!("{} {}: {e}", app.name, slot.name)),
            }
        }
        Strategy::Redeploy => {
            let Some(a) = estate.artifact_store.as_ref() else {
                return Err("no artifact store in the estate".to_owned());
            };
            let owned;
            let good = if let Some(g) = good {
                g
            } else {
                owned = LastGood::of(app, snap, estate, None);
                &owned
            };
            match (good.impossible(), good.chosen()) {
                (Some(e), _) => Err(e.to_string()),
                (None, Some(v)) => Ok(format!("{v} from {}/{}", a.account, a.container)),
                (None, None) => Ok(format!("artifacts in {}/{}", a.account, a.container)),
            }
        }
        Strategy::Failover => {
            let other: Vec<&str> = snap
                .apps
                .iter()
                .filter(|a| a.service == app.service && a.region != app.region)
                .map(|a| a.name.as_str())
                .collect();
            if other.is_empty() {
                Err(format!("{} has no counterpart in another region", app.name))
            } else {
                Ok(format!("counterpart {}", other.join(", ")))
            }
        }
        Strategy::Rebuild => Ok("a rebuild is always possible".to_owned()),
    }
}

/// The next strategy after `failed` in the escalation order that was not tried and applies,
/// with a word on each one passed over.
pub fn next_strategy(
    failed: Strategy,
    tried: &[Strategy],
    app: &AppState,
    snap: &Snapshot,
    estate: &Estate,
    now: DateTime<Utc>,
    good: Option<&LastGood>,
) -> (Option<Strategy>, Vec<String>) {
    let mut skipped = Vec::new();
    let start = ESCALATION_ORDER
        .iter()
        .position(|s| *s == failed)
        .map_or(0, |i| i + 1);
    for s in &ESCALATION_ORDER[start..] {
        if tried.contains(s) {
            skipped.push(format!("{}: already tried", s.label()));
            continue;
        }
        match applies(*s, app, snap, estate, now, good) {
            Ok(_) => return (Some(*s), skipped),
            Err(why) => skipped.push(format!("{}: does not apply ({why})", s.label())),
        }
    }
    (None, skipped)
}

/// What the recommendation is built from.
pub struct Basis<'a> {
    /// The app the strategy acts on.
    pub app: &'a AppState,
    /// The failing region, when the flow found one.
    pub bad: Option<&'a RegionView>,
    /// The affected apps.
    pub affected: &'a [&'a AppState],
    /// The last known good (the history's, and what a redeploy would deploy), when found.
    pub last_good: Option<LastGood>,
    /// Evidence lines that led here, most important first.
    pub why: Vec<String>,
}

/// The recommendation for a strategy.
pub fn recommend(
    s: Strategy,
    b: &Basis<'_>,
    snap: &Snapshot,
    estate: &Estate,
    now: DateTime<Utc>,
) -> Recommendation {
    let app = &b.app.name;
    let good = b.last_good.as_ref();
    // What a staging slot holds is compared with the history; what is deployed comes from the
    // store (`lkg::choose`, the rule the plans use), and the action names it: the plan deploys
    // the release chosen here against the release the walk blamed, not one found again from
    // what production runs (which, after a swap back to it, is the last known good itself).
    let in_history = good.and_then(|g| g.history.as_deref());
    let deployable = good.and_then(LastGood::chosen);
    let (action, mut reasons) = match s {
        Strategy::SlotSwap => (
            ProposedAction::new(ActionKind::Swap, app),
            vec![format!(
                "swap staging into production on {app}{}",
                in_history
                    .map(|v| format!(": staging runs {v}, the last known good"))
                    .unwrap_or_default()
            )],
        ),
        Strategy::Redeploy => {
            let from = estate
                .artifact_store
                .as_ref()
                .map(|a| format!(" from {}/{}", a.account, a.container))
                .unwrap_or_default();
            let mut r = vec![format!(
                "redeploy {} to {app}{from}, re-apply the settings baseline, restart",
                deployable.unwrap_or("the last known good artifact")
            )];
            r.extend(good.map(LastGood::reasons).unwrap_or_default());
            (
                ProposedAction::new(ActionKind::Redeploy, app).deploying(deployable),
                r,
            )
        }
        Strategy::Rebuild => (
            ProposedAction::new(ActionKind::Rebuild, app).deploying(deployable),
            vec![format!(
                "rebuild {app} from the templates (what-if first), then deploy {} and restore its configuration",
                deployable.unwrap_or("the last known good artifact")
            )],
        ),
        Strategy::Failover => {
            let region = b.bad.map_or(b.app.region.as_str(), |v| v.name.as_str());
            let alias = b.bad.and_then(|v| messaging_alias(estate, v));
            let twice = super::timers::duplicates(snap, estate)
                .into_iter()
                .find(|d| d.idle.region == region);
            let storage = b
                .bad
                .and_then(|v| Some((prepare::shared_storage(estate, v)?, v)));
            if let Some(d) = twice {
                (
                    ProposedAction::new(ActionKind::Timers, &d.active.name),
                    vec![
                        format!(
                            "timers: keep {} running in {}, disable them in {}",
                            d.functions.join(", "),
                            d.active.name,
                            d.idle.name
                        ),
                        d.words(),
                    ],
                )
            } else if let Some((acct, view)) = storage {
                (
                    ProposedAction::new(ActionKind::StorageFailover, &acct.name),
                    prepare::storage_reasons(acct, view, snap),
                )
            } else if let Some(a) = alias {
                let failing: Vec<String> = b
                    .bad
                    .map(|v| v.deps.iter().map(super::scope::Dependency::words).collect())
                    .unwrap_or_default();
                (
                    ProposedAction::new(ActionKind::AliasFailover, &a.name),
                    vec![format!(
                        "fail over messaging alias {}: {} → {}; the failing dependency is the messaging namespace ({})",
                        a.name,
                        a.primary_namespace,
                        a.secondary_namespace,
                        failing.join("; ")
                    )],
                )
            } else {
                let routes = failover_routes(region, b.affected, snap, estate, now);
                let mut r = vec![format!(
                    "fail over {region}: {}",
                    routes
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "no route in the estate moves".to_owned())
                )];
                r.extend(routes.into_iter().skip(1));
                (ProposedAction::new(ActionKind::Failover, region), r)
            }
        }
    };
    reasons.extend(b.why.iter().cloned());
    Recommendation {
        strategy: s,
        action,
        reasons,
    }
}
