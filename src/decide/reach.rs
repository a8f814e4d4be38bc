//! What a proposed action reaches: the region it moves away from, the regions it moves towards,
//! the apps it acts on, and the (primary, secondary) app pairs whose readiness matters for it.
//! Shared by the gates and the safety rules so both read an action the same way. Pure.

use crate::config::{Estate, QueueKind};
use crate::model::{AppState, Snapshot};

use super::{ActionKind, ProposedAction};

/// What an action reaches.
#[derive(Debug, Clone, Default)]
pub struct Reach<'a> {
    /// The region traffic or a role moves away from (or the region acted in).
    pub source: Option<String>,
    /// The regions traffic or a role moves towards.
    pub towards: Vec<String>,
    /// Apps acted on directly.
    pub apps: Vec<&'a AppState>,
    /// (app giving up its role, app taking it over).
    pub pairs: Vec<(&'a AppState, &'a AppState)>,
    /// Why nothing could be resolved, when the target is unknown to the estate.
    pub unresolved: Option<String>,
    /// The failing dependency the action itself restores (the storage account a storage
    /// failover moves): apps failing on it alone are not a reason to hold the action.
    pub restores: Option<String>,
}

fn app_state<'a>(snap: &'a Snapshot, name: &str) -> Option<&'a AppState> {
    snap.apps.iter().find(|a| a.name == name)
}

/// The counterparts (same service) of `app` in `regions`.
fn counterparts<'a>(snap: &'a Snapshot, app: &AppState, regions: &[String]) -> Vec<&'a AppState> {
    snap.apps
        .iter()
        .filter(|a| a.service == app.service && a.name != app.name && regions.contains(&a.region))
        .collect()
}

fn other_regions(estate: &Estate, region: &str) -> Vec<String> {
    estate
        .regions
        .iter()
        .filter(|r| r.name != region)
        .map(|r| r.name.clone())
        .collect()
}

/// Pairs every app of `names` with its counterparts in `towards`.
fn pairs_of<'a>(
    snap: &'a Snapshot,
    names: impl IntoIterator<Item = String>,
    towards: &[String],
) -> Vec<(&'a AppState, &'a AppState)> {
    let mut out = Vec::new();
    for name in names {
        if let Some(a) = app_state(snap, &name) {
            for c in counterparts(snap, a, towards) {
                out.push((a, c));
            }
        }
    }
    out
}

fn alias_reach<'a>(target: &str, snap: &'a Snapshot, estate: &Estate) -> Reach<'a> {
    let Some(alias) = estate.geo_dr_aliases.iter().find(|a| a.name == target) else {
        return Reach {
            unresolved: Some(format!("alias {target} is not in the estate")),
            ..Reach::default()
        };
    };
    let towards = vec![alias.secondary_region.clone()];
    let consumers = estate
        .queues
        .iter()
        .filter(|q| q.account == alias.primary_namespace)
        .map(|q| q.app.clone());
    Reach {
        source: Some(alias.primary_region.clone()),
        pairs: pairs_of(snap, consumers, &towards),
        towards,
        ..Reach::default()
    }
}

fn storage_reach<'a>(target: &str, snap: &'a Snapshot, estate: &Estate) -> Reach<'a> {
    let Some(acct) = estate.storage_accounts.iter().find(|s| s.name == target) else {
        return Reach {
            unresolved: Some(format!("storage account {target} is not in the estate")),
            ..Reach::default()
        };
    };
    let towards = other_regions(estate, &acct.region);
    let users = estate
        .apps
        .iter()
        .filter(|a| a.region == acct.region)
        .filter(|a| {
            a.task_hub_storage.as_deref() == Some(target)
                || estate
                    .queues
                    .iter()
                    .any(|q| q.app == a.name && q.kind == QueueKind::Storage && q.account == target)
        })
        .map(|a| a.name.clone());
    Reach {
        source: Some(acct.region.clone()),
        pairs: pairs_of(snap, users, &towards),
        towards,
        restores: Some(acct.name.clone()),
        ..Reach::default()
    }
}

fn timers_reach<'a>(target: &str, snap: &'a Snapshot) -> Reach<'a> {
    let Some(a) = app_state(snap, target) else {
        return Reach {
            unresolved: Some(format!("app {target} is not in the estate")),
            ..Reach::default()
        };
    };
    let others: Vec<&AppState> = snap
        .apps
        .iter()
        .filter(|o| o.service == a.service && o.name != a.name)
        .collect();
    Reach {
        source: others.first().map(|o| o.region.clone()),
        towards: vec![a.region.clone()],
        apps: vec![a],
        pairs: others.into_iter().map(|o| (o, a)).collect(),
        unresolved: None,
        restores: None,
    }
}

/// Resolves an action against the estate and the snapshot.
pub fn reach<'a>(action: &ProposedAction, snap: &'a Snapshot, estate: &Estate) -> Reach<'a> {
    let target = action.target.as_str();
    let unresolved = |what: &str| Reach {
        unresolved: Some(format!("{what} {target} is not in the estate")),
        ..Reach::default()
    };
    let from_app = |name: &str| -> Reach<'a> {
        let Some(a) = app_state(snap, name) else {
            return unresolved("app");
        };
        let towards = other_regions(estate, &a.region);
        Reach {
            source: Some(a.region.clone()),
            pairs: pairs_of(snap, [a.name.clone()], &towards),
            towards,
            apps: vec![a],
            unresolved: None,
            restores: None,
        }
    };
    match action.kind {
        ActionKind::Failover
        | ActionKind::FreezeOn
        | ActionKind::FreezeOff
        | ActionKind::SuppressOn
        | ActionKind::SuppressOff => {
            if estate.region(target).is_none() {
                return unresolved("region");
            }
            let towards = other_regions(estate, target);
            let names = snap
                .apps
                .iter()
                .filter(|a| a.region == target)
                .map(|a| a.name.clone());
            Reach {
                source: Some(target.to_owned()),
                pairs: pairs_of(snap, names, &towards),
                towards,
                ..Reach::default()
            }
        }
        ActionKind::TmDisable | ActionKind::TmEnable => {
            let ep = estate
                .traffic_manager
                .iter()
                .flat_map(|t| &t.endpoints)
                .find(|e| e.name == target);
            ep.map_or_else(|| unresolved("endpoint"), |e| from_app(&e.app))
        }
        ActionKind::FdDisable | ActionKind::FdEnable => {
            let o = estate
                .front_door
                .iter()
                .flat_map(|f| &f.origins)
                .find(|o| o.name == target);
            o.map_or_else(|| unresolved("origin"), |o| from_app(&o.app))
        }
        ActionKind::AliasFailover => alias_reach(target, snap, estate),
        ActionKind::StorageFailover => storage_reach(target, snap, estate),
        ActionKind::Timers => timers_reach(target, snap),
        ActionKind::Swap
        | ActionKind::SwapBack
        | ActionKind::Redeploy
        | ActionKind::Restart
        | ActionKind::SyncSecondary
        | ActionKind::Rebuild
        | ActionKind::Forensics => from_app(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::testkit;

    #[test]
    fn a_regional_failover_pairs_every_app_with_its_counterpart() {
        let (snap, estate) = testkit::calm();
        let r = reach(
            &ProposedAction {
                kind: ActionKind::Failover,
                target: "krc".into(),
                release: None,
            },
            &snap,
            &estate,
        );
        assert_eq!(r.source.as_deref(), Some("krc"));
        assert_eq!(r.towards, ["jpe"]);
        assert_eq!(r.pairs.len(), 6);
        assert!(
            r.pairs
                .iter()
                .all(|(p, s)| p.region == "krc" && s.region == "jpe" && p.service == s.service)
        );
    }

    #[test]
    fn endpoints_aliases_and_unknown_targets_resolve_as_the_estate_says() {
        let (snap, estate) = testkit::calm();
        let act = |kind, target: &str| ProposedAction {
            kind,
            target: target.to_owned(),
            release: None,
        };
        let r = reach(
            &act(ActionKind::TmDisable, "primary-endpoint"),
            &snap,
            &estate,
        );
        assert_eq!(r.apps[0].name, "func-orders-prod-krc");
        assert_eq!(r.pairs[0].1.name, "func-orders-prod-jpe");
        let r = reach(
            &act(ActionKind::AliasFailover, "sb-functions-prod"),
            &snap,
            &estate,
        );
        assert_eq!(r.pairs.len(), 1);
        assert_eq!(r.pairs[0].0.name, "func-fulfil-prod-krc");
        let r = reach(&act(ActionKind::Swap, "func-nope"), &snap, &estate);
        assert_eq!(
            r.unresolved.as_deref(),
            Some("app func-nope is not in the estate")
        );
    }
}
