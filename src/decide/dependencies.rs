//! Dependency health from the health checks and the storage and queue state: which of an app's
//! (or a region's) dependencies are seen failing, each with the read that showed it and when,
//! and the "healthy dependencies" half of "Slots available and healthy dependencies?".
//!
//! What counts as a failing dependency, and what does not (a judgement, written down):
//! - a health check that names a dependency (storage, queue, Service Bus, a downstream API) and
//!   reports it unhealthy or degraded (`scope::failing_checks`);
//! - a storage account the app uses (its task hub's, the accounts of the Storage queues it
//!   consumes) whose primary ARM reports not available;
//! - a Storage queue whose latest read failed, within two refresh intervals, because the queue
//!   service itself answered a server error (5xx: `ServerBusy`, `ServiceUnavailable`,
//!   `InternalError`) after the client's retries: the account's data plane is not serving,
//!   whatever ARM says yet.
//!
//! Not counted: a backlog (depth, the oldest message's age, a growing trend) is a symptom of a
//! slow or failing consumer, not a failing dependency — verification ("queues draining") and the
//! data gate judge it. A read that failed otherwise (throttled, 403, 404, the console's own
//! network) or is stale says more about the console's reach than about the dependency; it is
//! named as not freshly read, never as failing. A Service Bus queue is read through ARM, whose 5xx
//! is the management plane's, not the namespace's: the app's health checks and the alias state
//! speak for the namespace.
//!
//! Pure reads of the snapshot and the estate.

use chrono::{DateTime, Utc};

use crate::config::{Estate, QueueKind};
use crate::model::{AppState, QueueState, Snapshot, StorageState};

use super::evidence::{clock, ev, fresh};
use super::scope::{DepKind, Dependency, failing_checks, storage_of};
use super::{Answer, Evidence};

/// The server error a failed read reports (`503 ServerBusy`), when the service answered one:
/// the client words it `Azure answered 503 ServerBusy: …` or `HTTP 503 with an unrecognised …`.
pub fn server_error(message: &str) -> Option<String> {
    let status_at = |marker: &str| {
        let rest = &message[message.find(marker)? + marker.len()..];
        let head = rest.split(':').next().unwrap_or(rest);
        let status: u16 = head.split_whitespace().next()?.parse().ok()?;
        (500..600).contains(&status).then_some(head)
    };
    let head = status_at("answered ").or_else(|| status_at("HTTP "))?;
    let words: Vec<&str> = head.split_whitespace().take(2).collect();
    Some(match words.as_slice() {
        [status, code] if *code != "with" => format!("{status} {code}"),
        [status, ..] => (*status).to_owned(),
        [] => return None,
    })
}

/// What the storage and queue reads selected by `accounts` and `queues` show failing, and the
/// names of those that could not be read freshly.
pub fn stores_down(
    snap: &Snapshot,
    accounts: impl Fn(&StorageState) -> bool,
    queues: impl Fn(&QueueState) -> bool,
    now: DateTime<Utc>,
) -> (Vec<Dependency>, Vec<String>) {
    let mut down = Vec::new();
    let mut unread = Vec::new();
    for s in snap.storage.iter().filter(|s| accounts(s)) {
        match fresh(&s.state, now) {
            Ok(f) => {
                if let Some(word) = f
                    .primary_status
                    .as_deref()
                    .filter(|w| !w.eq_ignore_ascii_case("available"))
                {
                    down.push(Dependency {
                        kind: DepKind::Storage,
                        name: s.name.clone(),
                        alias: None,
                        seen: format!("primary {word}"),
                        at: s.state.at,
                        source: s.state.source.clone(),
                    });
                }
            }
            Err(_) => unread.push(s.name.clone()),
        }
    }
    let storage = QueueKind::Storage.as_str();
    for q in snap
        .queues
        .iter()
        .filter(|q| q.kind == storage && queues(q))
    {
        // The latest read failed, recently enough to speak for now (this poll or the one before).
        let failed = q
            .depth
            .error
            .as_ref()
            .filter(|e| fresh(&q.depth, now).is_err() && now - e.at <= q.depth.refresh * 2);
        match failed.and_then(|e| server_error(&e.message).map(|code| (e, code))) {
            Some((e, code)) => down.push(Dependency {
                kind: DepKind::Storage,
                name: q.account.clone(),
                alias: None,
                seen: format!(
                    "queue {} read at {}: the queue service answered {code}",
                    q.name,
                    clock(e.at)
                ),
                at: Some(e.at),
                source: q.depth.source.clone(),
            }),
            None if fresh(&q.depth, now).is_err() => {
                unread.push(format!("queue {} ({})", q.name, q.account));
            }
            None => {}
        }
    }
    (down, unread)
}

fn merge(into: &mut Vec<Dependency>, more: Vec<Dependency>) {
    for d in more {
        if !into.iter().any(|x| x.name == d.name) {
            into.push(d);
        }
    }
}

/// The failing dependencies of one app: those its health checks name, the storage accounts it
/// uses whose primary is not available, and the Storage queues it consumes whose service
/// answers server errors; with the stores that could not be read freshly.
pub fn app_dependencies(
    snap: &Snapshot,
    estate: &Estate,
    app: &AppState,
    now: DateTime<Utc>,
) -> (Vec<Dependency>, Vec<String>) {
    let mut out = failing_checks(estate, app, now);
    let mut accounts: Vec<String> = storage_of(estate, &app.name).into_iter().collect();
    accounts.extend(
        estate
            .queues
            .iter()
            .filter(|q| q.app == app.name && q.kind == QueueKind::Storage)
            .map(|q| q.account.clone()),
    );
    let (down, unread) = stores_down(
        snap,
        |s| accounts.contains(&s.name),
        |q| q.app == app.name,
        now,
    );
    merge(&mut out, down);
    (out, unread)
}

/// The failing dependencies of a region beyond its apps' health checks: its storage accounts
/// and Storage queues, seen down.
pub fn region_stores(
    snap: &Snapshot,
    region: &str,
    now: DateTime<Utc>,
    into: &mut Vec<Dependency>,
) {
    let (down, _) = stores_down(snap, |s| s.region == region, |q| q.region == region, now);
    merge(into, down);
}

/// The "healthy dependencies" half of "Slots available and healthy dependencies?", evidence
/// appended: one piece per failing dependency, with the read that showed it and when.
pub fn dependencies_healthy(
    snap: &Snapshot,
    estate: &Estate,
    app: &AppState,
    now: DateTime<Utc>,
    evidence: &mut Vec<Evidence>,
) -> Answer {
    let Some(slot) = app.production() else {
        evidence.push(ev(
            format!("{} has no production slot", app.name),
            None,
            "GET /api/health",
        ));
        return Answer::No;
    };
    if let Err(e) = fresh(&slot.health, now) {
        evidence.push(ev(
            format!("{} dependencies: {e}", app.name),
            None,
            &slot.health.source,
        ));
        return Answer::Unknown;
    }
    let (deps, unread) = app_dependencies(snap, estate, app, now);
    if deps.is_empty() {
        let not_read = if unread.is_empty() {
            String::new()
        } else {
            format!("; not freshly read: {}", unread.join(", "))
        };
        evidence.push(ev(
            format!(
                "{} dependencies healthy (health checks, storage accounts, queue reads){not_read}",
                app.name
            ),
            slot.health.at,
            "GET /api/health, storage, queues",
        ));
        return Answer::Yes;
    }
    for d in &deps {
        evidence.push(ev(
            format!("{} dependency failing: {}", app.name, d.words()),
            d.at.or(Some(now)),
            &d.source,
        ));
    }
    Answer::No
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::testkit;
    use chrono::Duration;

    const BUSY: &str = "queue endpoint \"https://stordersprodkrc.queue.core.windows.net/\": Azure answered 503 ServerBusy: The server is currently unable to receive requests. Please retry your request.";

    fn fulfil(snap: &Snapshot) -> AppState {
        snap.apps
            .iter()
            .find(|a| a.name == "func-fulfil-prod-krc")
            .cloned()
            .expect("app")
    }

    fn queue<'a>(snap: &'a mut Snapshot, name: &str, region: &str) -> &'a mut QueueState {
        snap.queues
            .iter_mut()
            .find(|q| q.name == name && q.region == region)
            .expect("queue")
    }

    #[test]
    fn server_errors_are_told_apart_from_other_failures() {
        assert_eq!(server_error(BUSY).as_deref(), Some("503 ServerBusy"));
        assert_eq!(
            server_error("Azure answered 500 InternalError: boom").as_deref(),
            Some("500 InternalError")
        );
        assert_eq!(
            server_error("HTTP 502 with an unrecognised error body: \"\"").as_deref(),
            Some("502")
        );
        assert_eq!(
            server_error("throttled by Azure (429 Too Many Requests)"),
            None
        );
        assert_eq!(
            server_error("Azure answered 403 AuthorizationFailure: no"),
            None
        );
        assert_eq!(
            server_error("could not reach Azure: connection refused"),
            None
        );
    }

    #[test]
    fn a_queue_whose_service_answers_server_errors_is_a_failing_dependency() {
        let (mut snap, estate) = testkit::calm();
        let now = testkit::now();
        let (deps, unread) = app_dependencies(&snap, &estate, &fulfil(&snap), now);
        assert!(deps.is_empty() && unread.is_empty(), "{deps:?} {unread:?}");
        let at = now - Duration::seconds(10);
        let q = queue(&mut snap, "orders-to-fulfil", "krc");
        q.depth.fail(BUSY, at);
        q.oldest.fail(BUSY, at);
        let (deps, _) = app_dependencies(&snap, &estate, &fulfil(&snap), now);
        assert_eq!(deps.len(), 1, "{deps:?}");
        assert_eq!(
            deps[0].words(),
            format!(
                "storage stordersprodkrc (queue orders-to-fulfil read at {}: the queue service answered 503 ServerBusy)",
                clock(at)
            )
        );
        assert_eq!(deps[0].at, Some(at));
        // The region counts the account once, with the primary down as well.
        let acct = snap
            .storage
            .iter_mut()
            .find(|s| s.name == "stordersprodkrc")
            .expect("account");
        acct.state.value.as_mut().expect("facts").primary_status = Some("unavailable".into());
        let mut region = Vec::new();
        region_stores(&snap, "krc", now, &mut region);
        assert_eq!(region.len(), 1, "{region:?}");
        assert_eq!(region[0].seen, "primary unavailable");
    }

    #[test]
    fn a_backlog_or_a_throttled_read_is_not_a_failing_dependency() {
        let (mut snap, estate) = testkit::calm();
        let now = testkit::now();
        let q = queue(&mut snap, "orders-to-fulfil", "krc");
        q.depth.value = Some(40_000);
        q.oldest.value = Some(Some(now - Duration::minutes(45)));
        q.history = vec![(now - Duration::minutes(5), 10_000), (now, 40_000)];
        let (deps, unread) = app_dependencies(&snap, &estate, &fulfil(&snap), now);
        assert!(deps.is_empty() && unread.is_empty(), "{deps:?} {unread:?}");
        let q = queue(&mut snap, "orders-to-fulfil", "krc");
        q.depth
            .fail("throttled by Azure (429 Too Many Requests)", now);
        let (deps, unread) = app_dependencies(&snap, &estate, &fulfil(&snap), now);
        assert!(deps.is_empty(), "{deps:?}");
        assert_eq!(unread, vec!["queue orders-to-fulfil (stordersprodkrc)"]);
        // A server error from polls ago (the poller stalled) is not evidence of now.
        let q = queue(&mut snap, "orders-to-fulfil", "krc");
        q.depth.fail(BUSY, now - Duration::minutes(10));
        let (deps, unread) = app_dependencies(&snap, &estate, &fulfil(&snap), now);
        assert!(deps.is_empty(), "{deps:?}");
        assert_eq!(unread.len(), 1);
        // A Service Bus queue's ARM 503 is the management plane's: not counted.
        let q = queue(&mut snap, "payments", "krc");
        q.depth
            .fail("Azure answered 503 ServiceUnavailable: try later", now);
        let (deps, _) = app_dependencies(&snap, &estate, &fulfil(&snap), now);
        assert!(deps.is_empty(), "{deps:?}");
    }

    #[test]
    fn the_dependencies_answer_names_each_failing_one_with_its_read() {
        let (mut snap, estate) = testkit::calm();
        let now = testkit::now();
        let mut evidence = Vec::new();
        let a = fulfil(&snap);
        assert_eq!(
            dependencies_healthy(&snap, &estate, &a, now, &mut evidence),
            Answer::Yes
        );
        assert!(
            evidence[0].text.contains("dependencies healthy"),
            "{evidence:?}"
        );
        let q = queue(&mut snap, "orders-to-fulfil", "krc");
        q.depth.fail(BUSY, now - Duration::seconds(5));
        let mut evidence = Vec::new();
        assert_eq!(
            dependencies_healthy(&snap, &estate, &a, now, &mut evidence),
            Answer::No
        );
        assert_eq!(evidence.len(), 1, "{evidence:?}");
        assert_eq!(evidence[0].source, "queue");
        assert_eq!(evidence[0].at, Some(now - Duration::seconds(5)));
    }

    #[test]
    fn an_apps_dependencies_include_its_storage_when_the_primary_is_down() {
        let (mut snap, estate) = crate::decide::testkit::calm();
        let now = crate::decide::testkit::now();
        let app = |snap: &Snapshot| {
            snap.apps
                .iter()
                .find(|a| a.name == "func-fulfil-prod-krc")
                .cloned()
                .expect("app")
        };
        assert!(
            app_dependencies(&snap, &estate, &app(&snap), now)
                .0
                .is_empty()
        );
        let acct = snap
            .storage
            .iter_mut()
            .find(|s| s.name == "stordersprodkrc")
            .expect("account");
        acct.state.value.as_mut().expect("facts").primary_status = Some("unavailable".into());
        let (deps, _) = app_dependencies(&snap, &estate, &app(&snap), now);
        assert_eq!(deps.len(), 1);
        assert_eq!(
            deps[0].words(),
            "storage stordersprodkrc (primary unavailable)"
        );
        // The region sees it too, once.
        let v = crate::decide::scope::region_view(&snap, &estate, "krc", now);
        assert_eq!(v.deps.len(), 1);
    }
}
