//! The data-consistency gate's checks: storage geo-replication (last sync time against the RPO),
//! messaging geo-DR aliases (pending replication operations), and queue backlog (age of the
//! oldest message against the RPO), for the region or resource an action moves away from.
//! Pure.

use chrono::{DateTime, Duration, Utc};

use crate::config::Estate;
use crate::model::Snapshot;

use super::evidence::{age, clock, fresh};
use super::gates::Tally;
use super::reach::Reach;
use super::timers::enabled_timers;
use super::{ActionKind, GateCheck, GateStatus, ProposedAction};

fn is_geo(sku: &str) -> bool {
    let s = sku.to_ascii_uppercase();
    s.contains("GRS") || s.contains("GZRS")
}

fn storage(names: &[String], snap: &Snapshot, rpo: Duration, now: DateTime<Utc>) -> GateCheck {
    let mut t = Tally::default();
    for s in snap.storage.iter().filter(|s| names.contains(&s.name)) {
        match fresh(&s.state, now) {
            Ok(f) => match f.last_sync {
                Some(sync) if now - sync <= rpo => t.pass.push(format!(
                    "{} last sync {}, {} behind",
                    s.name,
                    clock(sync),
                    age(now - sync)
                )),
                Some(sync) => t.fail.push(format!(
                    "{} last sync {}, {} behind; RPO {}",
                    s.name,
                    clock(sync),
                    age(now - sync),
                    age(rpo)
                )),
                None if is_geo(&f.sku) => t
                    .unknown
                    .push(format!("{} ({}): no last sync time", s.name, f.sku)),
                None => {}
            },
            Err(e) => t.unknown.push(format!("{} {e}", s.name)),
        }
    }
    t.check("storage replication within RPO", |p| {
        if p.is_empty() {
            "no geo-replicated storage involved".to_owned()
        } else {
            p.join("; ")
        }
    })
}

fn aliases(names: &[String], snap: &Snapshot, now: DateTime<Utc>) -> GateCheck {
    let mut t = Tally::default();
    for a in snap.aliases.iter().filter(|a| names.contains(&a.name)) {
        match fresh(&a.state, now) {
            Ok(f) if f.pending_operations == 0 => {
                t.pass.push(format!("{} 0 pending", a.name));
            }
            Ok(f) => t.fail.push(format!(
                "{}: {} pending replication operations",
                a.name, f.pending_operations
            )),
            Err(e) => t.unknown.push(format!("{} {e}", a.name)),
        }
    }
    t.check("messaging replication caught up", |p| {
        if p.is_empty() {
            "no geo-DR alias involved".to_owned()
        } else {
            p.join("; ")
        }
    })
}

fn queues(
    pick: &dyn Fn(&crate::model::QueueState) -> bool,
    snap: &Snapshot,
    rpo: Duration,
    now: DateTime<Utc>,
) -> GateCheck {
    let mut t = Tally::default();
    for q in snap.queues.iter().filter(|q| pick(q)) {
        let (depth, oldest) = (fresh(&q.depth, now), fresh(&q.oldest, now));
        match (depth, oldest) {
            (Ok(d), Ok(Some(o))) if now - *o > rpo => t.fail.push(format!(
                "{} ({}): oldest message {} old, depth {d}; RPO {}",
                q.name,
                q.account,
                age(now - *o),
                age(rpo)
            )),
            (Ok(d), Ok(o)) => t.pass.push(format!(
                "{} depth {d}{}",
                q.name,
                o.map(|o| format!(", oldest {}", age(now - o)))
                    .unwrap_or_default()
            )),
            (Err(e), _) | (_, Err(e)) => t.unknown.push(format!("{} ({}) {e}", q.name, q.account)),
        }
    }
    t.check("queue backlog within RPO", |p| {
        if p.is_empty() {
            "no queue involved".to_owned()
        } else {
            p.join("; ")
        }
    })
}

/// A timers action whose target already runs every one of its timer functions moves no role:
/// it only stops the duplicates in the other region, so no data has to have caught up first.
fn timers_stay(action: &ProposedAction, r: &Reach<'_>, estate: &Estate) -> Option<String> {
    if action.kind != ActionKind::Timers {
        return None;
    }
    let target = r.apps.first()?;
    let conf = estate.app(&target.name)?;
    if conf.timer_functions.is_empty()
        || enabled_timers(target, &conf.timer_functions).len() != conf.timer_functions.len()
    {
        return None;
    }
    let others: Vec<&str> = r.pairs.iter().map(|(o, _)| o.name.as_str()).collect();
    Some(format!(
        "{} already runs {}: the action only disables them in {}, so no data moves with it",
        target.name,
        conf.timer_functions.join(", "),
        others.join(", ")
    ))
}

/// The data-consistency checks for an action.
pub fn checks(
    action: &ProposedAction,
    r: &Reach<'_>,
    snap: &Snapshot,
    estate: &Estate,
    now: DateTime<Utc>,
) -> Vec<GateCheck> {
    let rpo = Duration::minutes(i64::from(estate.rpo_minutes));
    let src = r.source.clone().unwrap_or_default();
    if let Some(words) = timers_stay(action, r, estate) {
        return vec![GateCheck {
            name: "no role moves".to_owned(),
            status: GateStatus::Pass,
            detail: words,
        }];
    }
    match action.kind {
        ActionKind::AliasFailover => {
            let ns = estate
                .geo_dr_aliases
                .iter()
                .find(|a| a.name == action.target)
                .map(|a| a.primary_namespace.clone())
                .unwrap_or_default();
            vec![
                aliases(std::slice::from_ref(&action.target), snap, now),
                queues(&|q| q.account == ns, snap, rpo, now),
            ]
        }
        ActionKind::StorageFailover => vec![
            storage(std::slice::from_ref(&action.target), snap, rpo, now),
            queues(&|q| q.account == action.target, snap, rpo, now),
        ],
        _ => {
            let mut accounts: Vec<String> = snap
                .storage
                .iter()
                .filter(|s| s.region == src)
                .map(|s| s.name.clone())
                .collect();
            for (p, _) in &r.pairs {
                let hub = estate.app(&p.name).and_then(|a| a.task_hub_storage.clone());
                if let Some(h) = hub.filter(|h| !accounts.contains(h)) {
                    accounts.push(h);
                }
            }
            let names: Vec<String> = estate
                .geo_dr_aliases
                .iter()
                .filter(|a| a.primary_region == src)
                .map(|a| a.name.clone())
                .collect();
            vec![
                storage(&accounts, snap, rpo, now),
                aliases(&names, snap, now),
                queues(&|q| q.region == src, snap, rpo, now),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::reach::reach;
    use crate::decide::{GateStatus, testkit};

    #[test]
    fn lag_beyond_the_rpo_fails_and_pending_operations_fail_with_their_count() {
        let (mut snap, estate) = testkit::calm();
        let now = testkit::now();
        let wf = snap
            .storage
            .iter_mut()
            .find(|s| s.name == "stworkflowprod")
            .expect("account");
        wf.state.value.as_mut().expect("facts").last_sync = Some(now - Duration::seconds(430));
        let sb = snap
            .aliases
            .iter_mut()
            .find(|a| a.name == "sb-functions-prod")
            .expect("alias");
        sb.state.value.as_mut().expect("facts").pending_operations = 3;
        let action = ProposedAction {
            kind: ActionKind::Failover,
            target: "krc".into(),
            release: None,
        };
        let r = reach(&action, &snap, &estate);
        let c = checks(&action, &r, &snap, &estate, now);
        assert_eq!(c[0].status, GateStatus::Fail);
        assert!(
            c[0].detail
                .contains("stworkflowprod last sync 09:12:50, 7m10s behind; RPO 5m"),
            "{}",
            c[0].detail
        );
        assert_eq!(c[1].status, GateStatus::Fail);
        assert_eq!(
            c[1].detail,
            "sb-functions-prod: 3 pending replication operations"
        );
        assert_eq!(c[2].status, GateStatus::Pass, "{}", c[2].detail);
    }

    #[test]
    fn an_old_backlog_fails_and_an_unread_queue_is_unknown() {
        let (mut snap, estate) = testkit::calm();
        let now = testkit::now();
        let q = snap
            .queues
            .iter_mut()
            .find(|q| q.name == "payments")
            .expect("queue");
        q.oldest.value = Some(Some(now - Duration::minutes(8)));
        let t = snap
            .queues
            .iter_mut()
            .find(|q| q.name == "telemetry")
            .expect("queue");
        t.depth = crate::model::Observed::missing("queue", Duration::minutes(1));
        let action = ProposedAction {
            kind: ActionKind::Failover,
            target: "krc".into(),
            release: None,
        };
        let r = reach(&action, &snap, &estate);
        let c = checks(&action, &r, &snap, &estate, now);
        assert_eq!(c[2].status, GateStatus::Fail);
        assert!(
            c[2].detail.contains(
                "payments (sb-functions-prod-krc): oldest message 8m old, depth 3; RPO 5m"
            ),
            "{}",
            c[2].detail
        );
        assert!(
            c[2].detail.contains("not known: telemetry"),
            "{}",
            c[2].detail
        );
    }
}
