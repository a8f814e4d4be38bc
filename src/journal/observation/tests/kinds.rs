//! Each kind of change the watch tells: a region's platform, routes, an alias's role, storage,
//! queues, deployments and swaps.

use chrono::{DateTime, Duration, Utc};

use super::{ORDERS, app, feed, reread, told_after_two_reads};
use crate::journal::entry::{Observation, ObservationKind};
use crate::journal::observation::Watch;
use crate::model::{DeploymentRecord, Health, PlatformHealth, Snapshot};
use crate::tui::fixtures;

#[test]
fn a_region_platform_going_unavailable_names_the_region_and_its_apps() {
    let told = told_after_two_reads(|s| {
        for a in s.apps.iter_mut().filter(|a| a.region == "krc") {
            a.platform.value = Some(PlatformHealth {
                state: Health::Unhealthy,
                word: "Unavailable".into(),
                summary: None,
                since: None,
            });
        }
    });
    let [o] = told.as_slice() else {
        panic!("one change: {told:#?}");
    };
    assert_eq!(o.kind, ObservationKind::Platform);
    let words = o.words();
    assert!(
        words.starts_with("region krc (koreacentral) platform: Available → Unavailable"),
        "{words}"
    );
    for a in fixtures::calm().apps.iter().filter(|a| a.region == "krc") {
        assert!(words.contains(&a.name), "{words}");
    }
    assert!(!words.contains("jpe"), "{words}");
}

#[test]
fn routes_are_told_when_enabled_or_monitor_state_changes() {
    let told = told_after_two_reads(|s| {
        let (_, tm) = s.routes.traffic_manager.as_mut().expect("tm");
        let ep = &mut tm.value.as_mut().expect("endpoints")[0];
        ep.monitor = Some("Degraded".into());
        let (_, fd) = s.routes.front_door.as_mut().expect("fd");
        fd.value.as_mut().expect("origins")[0].enabled = false;
    });
    let words: Vec<String> = told.iter().map(Observation::words).collect();
    assert_eq!(words.len(), 2, "{words:#?}");
    assert!(told.iter().all(|o| o.kind == ObservationKind::Route));
    assert!(
        words
            .iter()
            .any(|w| w.starts_with("Traffic Manager endpoint")
                && w.ends_with("enabled, monitor Online → enabled, monitor Degraded")),
        "{words:#?}"
    );
    assert!(
        words
            .iter()
            .any(|w| w.starts_with("Front Door origin") && w.ends_with("enabled → disabled")),
        "{words:#?}"
    );
}

#[test]
fn an_alias_changing_role_is_told() {
    let told = told_after_two_reads(|s| {
        let a = &mut s.aliases[0];
        let partner = a
            .state
            .get()
            .and_then(|f| f.partner.clone())
            .expect("partner");
        a.primary_namespace = partner;
    });
    let [o] = told.as_slice() else {
        panic!("one change: {told:#?}");
    };
    assert_eq!(o.kind, ObservationKind::Alias);
    let calm = fixtures::calm();
    let a = &calm.aliases[0];
    assert_eq!(
        o.words(),
        format!(
            "geo-DR alias {} role: Primary on {} → Primary on {}",
            a.name,
            a.primary_namespace,
            a.state
                .get()
                .and_then(|f| f.partner.clone())
                .expect("partner")
        )
    );
}

#[test]
fn storage_primary_location_and_lag_over_the_rpo_are_told() {
    let calm = {
        let mut s = fixtures::calm();
        for st in &mut s.storage {
            if let Some(f) = st.state.value.as_mut() {
                f.primary_location = Some("koreacentral".into());
            }
        }
        s
    };
    let name = calm.storage[0].name.clone();
    let change = |s: &mut Snapshot| {
        let read = s.storage[0].state.at.expect("read");
        let f = s.storage[0].state.value.as_mut().expect("facts");
        f.primary_location = Some("japaneast".into());
        f.last_sync = Some(read - Duration::minutes(7));
    };
    let (mut one, mut two) = (reread(&calm, 30), reread(&calm, 60));
    change(&mut one);
    change(&mut two);
    let told = feed(&mut Watch::new(), &[calm, one, two], &[]);
    let mut words: Vec<String> = told[2].iter().map(Observation::words).collect();
    words.sort();
    assert_eq!(
        words,
        [
            format!("storage {name} primary location: koreacentral → japaneast"),
            format!(
                "storage {name} replication lag: within the RPO of 5m → over the RPO of 5m \
                 (last sync 7m before the read)"
            ),
        ]
    );
}

#[test]
fn a_queue_passing_its_threshold_and_starting_to_drain_is_told() {
    let calm = fixtures::calm();
    let i = calm
        .queues
        .iter()
        .position(|q| q.name == "orders-to-fulfil" && q.region == "krc")
        .expect("queue");
    let (q0, account) = (&calm.queues[i], calm.queues[i].account.clone());
    assert_eq!(q0.history.len(), 10);
    // Stalled: growing, its oldest message six minutes old.
    let stalled = |secs: i64| {
        let mut s = reread(&calm, secs);
        let q = &mut s.queues[i];
        let read = q.depth.at.expect("read");
        q.oldest.value = Some(Some(read - Duration::minutes(6)));
        q.oldest.at = Some(read);
        for (k, h) in q.history.iter_mut().enumerate() {
            h.1 = 500 + 60 * k as u64;
        }
        q.depth.value = Some(q.history.last().expect("history").1);
        s
    };
    // Draining: shrinking by 100 a minute, still old.
    let draining = |secs: i64| {
        let mut s = stalled(secs);
        let q = &mut s.queues[i];
        for (k, h) in q.history.iter_mut().enumerate() {
            h.1 = 2000 - 100 * k as u64;
        }
        q.depth.value = Some(q.history.last().expect("history").1);
        s
    };
    let mut w = Watch::new();
    let told = feed(
        &mut w,
        &[
            calm.clone(),
            stalled(30),
            stalled(60),
            draining(90),
            draining(120),
        ],
        &[],
    );
    let words = |k: usize| -> Vec<String> { told[k].iter().map(Observation::words).collect() };
    assert_eq!(told[1], []);
    let subject = format!("queue orders-to-fulfil ({account}, krc)");
    assert_eq!(
        words(2),
        [
            format!("{subject}: keeping up → not draining (depth 1040, +60/min)"),
            format!(
                "{subject} backlog: within the RPO of 5m → over the RPO of 5m \
                 (oldest message 6m old)"
            ),
        ]
    );
    assert_eq!(told[3], []);
    assert_eq!(
        words(4),
        [format!(
            "{subject}: not draining → draining (depth 1100, -100/min)"
        )]
    );
}

fn deployment(id: &str, version: &str, in_progress: bool, at: DateTime<Utc>) -> DeploymentRecord {
    DeploymentRecord {
        id: id.into(),
        slot: "staging".into(),
        version: Some(version.into()),
        deployer: Some("ci".into()),
        author: None,
        status: if in_progress { "Building" } else { "Success" }.into(),
        in_progress,
        started: Some(at),
        ended: (!in_progress).then_some(at + Duration::seconds(40)),
        active: !in_progress,
    }
}

#[test]
fn deployments_and_swaps_are_told_on_affected_apps_only_and_history_is_not_news() {
    let calm = fixtures::calm();
    let t = calm.taken_at;
    let with = |secs: i64, progress: bool| {
        let mut s = reread(&calm, secs);
        for name in [ORDERS, "func-orders-prod-jpe"] {
            let a = app(&mut s, name);
            a.deployments
                .value
                .as_mut()
                .expect("history")
                .insert(0, deployment("new-1", "2026.04.05", progress, t));
            if let Some(site) = a.site.value.as_mut() {
                site.last_swap = Some((
                    t + Duration::minutes(1),
                    "staging".into(),
                    "production".into(),
                ));
            }
        }
        s
    };
    let mut w = Watch::new();
    let told = feed(
        &mut w,
        &[
            calm.clone(),
            with(30, true),
            with(60, false),
            with(90, false),
        ],
        &[ORDERS],
    );
    assert_eq!(told[0], [], "the history first read is the past");
    let words = |k: usize| -> Vec<String> { told[k].iter().map(Observation::words).collect() };
    assert_eq!(
        words(1),
        [
            format!("{ORDERS}: deployment 2026.04.05 to staging by ci (in progress)"),
            format!("{ORDERS}: slot swap of staging into production"),
        ]
    );
    assert_eq!(
        words(2),
        [format!(
            "{ORDERS}: deployment 2026.04.05 to staging ended: Success"
        )]
    );
    assert_eq!(told[3], [], "told once");
    assert!(told[1].iter().all(|o| o.from.is_none()));
}
