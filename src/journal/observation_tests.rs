//! The observation diff on the fixture estate: each kind of change, the hold-for-two-reads rule,
//! nothing when nothing changed, and nothing from settings or keys.

use std::collections::BTreeMap;

use chrono::Duration;

use super::*;
use crate::model::{
    DeploymentRecord, HealthReport, Observed, PlatformHealth, SecretDigest, Snapshot,
};
use crate::tui::fixtures;

const ORDERS: &str = "func-orders-prod-krc";

fn shift<T>(o: &mut Observed<T>, d: Duration) {
    o.at = o.at.map(|t| t + d);
}

/// The same world read again `secs` later: every data time moves on, nothing else.
fn reread(snap: &Snapshot, secs: i64) -> Snapshot {
    let d = Duration::seconds(secs);
    let mut s = snap.clone();
    s.taken_at += d;
    for a in &mut s.apps {
        shift(&mut a.site, d);
        shift(&mut a.platform, d);
        shift(&mut a.metrics, d);
        shift(&mut a.deployments, d);
        shift(&mut a.settings, d);
        shift(&mut a.keys, d);
        shift(&mut a.functions, d);
        for slot in &mut a.slots {
            shift(&mut slot.health, d);
        }
    }
    for (_, r) in [&mut s.routes.traffic_manager, &mut s.routes.front_door]
        .into_iter()
        .flatten()
    {
        shift(r, d);
    }
    for q in &mut s.queues {
        shift(&mut q.depth, d);
        shift(&mut q.oldest, d);
        if let Some(Some(o)) = q.oldest.value.as_mut() {
            *o += d;
        }
        for h in &mut q.history {
            h.0 += d;
        }
    }
    for st in &mut s.storage {
        shift(&mut st.state, d);
        if let Some(f) = st.state.value.as_mut() {
            f.last_sync = f.last_sync.map(|t| t + d);
        }
    }
    for a in &mut s.aliases {
        shift(&mut a.state, d);
    }
    shift(&mut s.activity, d);
    s
}

fn app<'a>(s: &'a mut Snapshot, name: &str) -> &'a mut crate::model::AppState {
    s.apps
        .iter_mut()
        .find(|a| a.name == name)
        .expect("the fixture has the app")
}

fn set_health(s: &mut Snapshot, name: &str, status: Health, failing: &[&str]) {
    let slot = app(s, name)
        .slots
        .iter_mut()
        .find(|s| s.name == "production")
        .expect("production");
    let r: &mut HealthReport = slot.health.value.as_mut().expect("a report");
    r.status = status;
    for (check, h) in &mut r.checks {
        *h = if failing.contains(&check.as_str()) {
            Health::Unhealthy
        } else {
            Health::Healthy
        };
    }
    for f in failing {
        r.checks.insert((*f).to_owned(), Health::Unhealthy);
    }
}

/// Feeds the snapshots in turn; returns what each told.
fn feed(w: &mut Watch, snaps: &[Snapshot], affected: &[&str]) -> Vec<Vec<Observation>> {
    let affected: Vec<String> = affected.iter().map(|a| (*a).to_owned()).collect();
    snaps.iter().map(|s| w.observe(s, &affected)).collect()
}

/// The calm picture, then the change in two consecutive reads: what the second read told.
fn told_after_two_reads(change: impl Fn(&mut Snapshot)) -> Vec<Observation> {
    let calm = fixtures::calm();
    let (mut one, mut two) = (reread(&calm, 30), reread(&calm, 60));
    change(&mut one);
    change(&mut two);
    let mut w = Watch::new();
    let told = feed(&mut w, &[calm, one, two], &[]);
    assert_eq!(told[0], [], "the first snapshot is the picture");
    assert_eq!(told[1], [], "one read is not enough");
    told[2].clone()
}

#[test]
fn nothing_changed_nothing_told() {
    let calm = fixtures::calm();
    let mut w = Watch::new();
    let snaps: Vec<Snapshot> = (0..6).map(|i| reread(&calm, i * 30)).collect();
    let told = feed(&mut w, &snaps, &[ORDERS]);
    assert!(told.iter().all(Vec::is_empty), "{told:#?}");
}

#[test]
fn an_app_turning_unhealthy_is_told_with_its_failing_checks_and_first_data_time() {
    let calm = fixtures::calm();
    let (mut one, mut two) = (reread(&calm, 30), reread(&calm, 60));
    set_health(&mut one, ORDERS, Health::Unhealthy, &["storage"]);
    set_health(&mut two, ORDERS, Health::Unhealthy, &["storage"]);
    let first_read = app(&mut one, ORDERS).production().and_then(|s| s.health.at);
    let mut w = Watch::new();
    let told = feed(&mut w, &[calm, one.clone(), one, two], &[]);
    assert_eq!(told[1], []);
    assert_eq!(
        told[2],
        [],
        "the same read carried by a second snapshot is one sighting"
    );
    let [o] = told[3].as_slice() else {
        panic!("one change: {told:#?}");
    };
    assert_eq!(o.kind, ObservationKind::Health);
    assert_eq!(
        Some(o.at),
        first_read,
        "stamped with the first read's data time"
    );
    assert_eq!(
        o.words(),
        format!("{ORDERS} health: healthy → unhealthy (failing: storage)")
    );
}

#[test]
fn a_flap_back_before_the_second_read_tells_nothing_and_a_held_change_is_told_once() {
    let calm = fixtures::calm();
    let bad = |secs| {
        let mut s = reread(&calm, secs);
        set_health(&mut s, ORDERS, Health::Unhealthy, &["storage"]);
        s
    };
    let mut w = Watch::new();
    let told = feed(
        &mut w,
        &[
            calm.clone(),
            bad(30),
            reread(&calm, 60),
            bad(90),
            reread(&calm, 120),
        ],
        &[],
    );
    assert!(told.iter().all(Vec::is_empty), "{told:#?}");
    let told = feed(&mut w, &[bad(150), bad(180), bad(210), bad(240)], &[]);
    let counts: Vec<usize> = told.iter().map(Vec::len).collect();
    assert_eq!(counts, [0, 1, 0, 0], "{told:#?}");
    // And back: healthy again once it has held.
    let told = feed(&mut w, &[reread(&calm, 270), reread(&calm, 300)], &[]);
    assert_eq!(told[0], []);
    assert_eq!(
        told[1].iter().map(Observation::words).collect::<Vec<_>>(),
        [format!("{ORDERS} health: unhealthy → healthy")]
    );
}

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

#[test]
fn settings_and_keys_are_never_looked_at_and_no_value_reaches_the_words() {
    let secret = "DefaultEndpointsProtocol=https;AccountKey=c2VjcmV0";
    let digest = SecretDigest::of(secret);
    let change = |s: &mut Snapshot| {
        let a = app(s, ORDERS);
        let mut settings: BTreeMap<String, SecretDigest> =
            a.settings.value.clone().unwrap_or_default();
        settings.insert("AzureWebJobsStorage".into(), digest.clone());
        a.settings.value = Some(settings);
        a.keys
            .value
            .get_or_insert_with(BTreeMap::new)
            .insert("host/default".into(), digest.clone());
        set_health(s, ORDERS, Health::Unhealthy, &["storage"]);
    };
    let told = told_after_two_reads(change);
    assert_eq!(told.len(), 1, "only the health change: {told:#?}");
    let json = serde_json::to_string(&told).expect("serialises");
    assert!(!json.contains(digest.short()), "{json}");
    assert!(
        !json.contains("AccountKey") && !json.contains("AzureWebJobsStorage"),
        "{json}"
    );
}
