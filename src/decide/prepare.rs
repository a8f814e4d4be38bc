//! Refinements of a failover recommendation that the runbook asks for before (or instead of)
//! moving a region's traffic: when the failing dependency is a geo-redundant storage account
//! shared by both regions (seed 001, scenario 3), fail the account over, since moving compute
//! does not help; when a regional failover is blocked only because the secondary's settings or
//! keys differ (seed 004), sync the secondary first; and when an action that switches a role
//! without suppressing alerts itself (alias, storage or timers) meets the alert-suppression gate
//! with no suppression on record for its region, suppress alerts for that region first (seed 000,
//! "alert suppression or rerouting during controlled switch"). Pure.

use chrono::{DateTime, Utc};

use crate::config::{Estate, Replication, StorageAccount};
use crate::model::Snapshot;

use super::evidence::{clock, fresh};
use super::reach::reach;
use super::scope::{DepKind, RegionView};
use super::sync::{DigestDiff, differs_by_design, no_exceptions};
use super::{
    ActionKind, DecideContext, GateId, GateStatus, ProposedAction, Recommendation, gates_for,
    safety_for,
};

/// The account to fail over when every failing dependency of the region is one geo-redundant
/// storage account whose primary is in that region.
pub fn shared_storage<'a>(estate: &'a Estate, view: &RegionView) -> Option<&'a StorageAccount> {
    let first = view.deps.first()?;
    if view
        .deps
        .iter()
        .any(|d| d.kind != DepKind::Storage || d.name != first.name)
    {
        return None;
    }
    estate.storage_accounts.iter().find(|s| {
        s.name == first.name
            && s.region == view.name
            && matches!(
                s.replication,
                Replication::Grs | Replication::Ragrs | Replication::Gzrs | Replication::Ragzrs
            )
    })
}

/// The reasons of a storage failover of `acct`: what moves, who shares it, what may be lost.
pub fn storage_reasons(acct: &StorageAccount, view: &RegionView, snap: &Snapshot) -> Vec<String> {
    let users: Vec<&str> = snap
        .apps
        .iter()
        .filter(|a| {
            view.deps
                .iter()
                .any(|d| d.seen.ends_with(&format!("on {}", a.name)))
        })
        .map(|a| a.name.as_str())
        .collect();
    let hub = acct
        .task_hub
        .as_deref()
        .map(|h| format!(" (task hub {h})"))
        .unwrap_or_default();
    let mut r = vec![format!(
        "fail over storage account {}{hub} to its secondary: the failing dependency is storage shared by both regions, so moving compute does not help",
        acct.name
    )];
    let facts = snap
        .storage
        .iter()
        .find(|s| s.name == acct.name)
        .and_then(|s| fresh(&s.state, snap.taken_at).ok());
    if let Some(at) = facts.and_then(|f| f.last_sync) {
        r.push(format!(
            "RPO: writes after the last sync at {} ({}s before now) are lost with the failover",
            clock(at),
            (snap.taken_at - at).num_seconds()
        ));
    }
    if !users.is_empty() {
        r.push(format!("failing on it: {}", users.join(", ")));
    }
    r
}

/// A failover blocked by the secondary-readiness gate on settings or keys alone becomes a sync
/// of the first secondary out of step; anything else is returned as it is.
pub fn sync_first(
    rec: Recommendation,
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> Recommendation {
    if rec.action.kind != ActionKind::Failover {
        return rec;
    }
    let gates = gates_for(&rec.action, snap, estate, cx, now);
    let Some(ready) = gates
        .iter()
        .find(|g| g.gate == GateId::SecondaryReadiness && !g.allows())
    else {
        return rec;
    };
    let sync_checks = ["settings in sync", "keys in sync"];
    let only_sync = ready
        .checks
        .iter()
        .all(|c| c.status == GateStatus::Pass || sync_checks.contains(&c.name.as_str()));
    if !only_sync {
        return rec;
    }
    let r = reach(&rec.action, snap, estate);
    let behind = r.pairs.iter().find(|(p, s)| {
        let differs = |a, b, allow| match (fresh(a, now), fresh(b, now)) {
            (Ok(a), Ok(b)) => !DigestDiff::between(a, b, allow).in_sync(),
            _ => false,
        };
        differs(
            &p.settings,
            &s.settings,
            differs_by_design as fn(&str) -> bool,
        ) || differs(&p.keys, &s.keys, no_exceptions)
    });
    let Some((primary, secondary)) = behind else {
        return rec;
    };
    let mut reasons = vec![format!(
        "sync settings and keys from {} to {} first: the failover is blocked by secondary readiness",
        primary.name, secondary.name
    )];
    reasons.extend(
        ready
            .checks
            .iter()
            .filter(|c| c.status != GateStatus::Pass)
            .map(|c| format!("{}: {}", c.name, c.detail)),
    );
    reasons.push(format!(
        "then: {} {}",
        rec.action.kind.name(),
        rec.action.target
    ));
    reasons.extend(rec.reasons);
    Recommendation {
        strategy: rec.strategy,
        action: ProposedAction::new(ActionKind::SyncSecondary, &secondary.name),
        reasons,
    }
}

/// An action held by the alert-suppression gate alone among what a commander can remedy — no
/// suppression on record for the region it switches away from — becomes `suppress-on` for that
/// region first, the action following once it is on record. Not when a safety rule refuses the
/// action (alerts would be held for a switch that cannot happen), nor when the gate is overridden.
/// The other gates that still hold the action are named in the reasons, so the commander knows
/// what the switch will still ask for.
pub fn suppress_first(
    rec: Recommendation,
    snap: &Snapshot,
    estate: &Estate,
    cx: &DecideContext,
    now: DateTime<Utc>,
) -> Recommendation {
    let gates = gates_for(&rec.action, snap, estate, cx, now);
    let Some(alerts) = gates
        .iter()
        .find(|g| g.gate == GateId::AlertSuppression && !g.allows())
    else {
        return rec;
    };
    let Some(region) = reach(&rec.action, snap, estate)
        .source
        .filter(|r| estate.region(r).is_some())
    else {
        return rec;
    };
    if safety_for(&rec.action, snap, estate, cx, now)
        .iter()
        .any(|c| !c.allows())
    {
        return rec;
    }
    let then = format!("{} {}", rec.action.kind.name(), rec.action.target);
    let mut reasons = vec![format!(
        "suppress alerts for {region} first: {then} is a controlled switch and the alert suppression gate holds it"
    )];
    reasons.extend(
        alerts
            .checks
            .iter()
            .filter(|c| c.status != GateStatus::Pass)
            .map(|c| format!("{}: {}", c.name, c.detail)),
    );
    let still: Vec<String> = gates
        .iter()
        .filter(|g| g.gate != GateId::AlertSuppression && !g.allows())
        .map(|g| format!("{} {}", g.gate.label(), g.status.label()))
        .collect();
    reasons.push(if still.is_empty() {
        format!("then: {then}")
    } else {
        format!("then: {then} (still held by: {})", still.join("; "))
    });
    reasons.extend(rec.reasons);
    Recommendation {
        strategy: rec.strategy,
        action: ProposedAction::new(ActionKind::SuppressOn, &region),
        reasons,
    }
}
