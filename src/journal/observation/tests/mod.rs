//! The observation diff on the fixture estate: the hold-for-two-reads rule, nothing when nothing
//! changed, nothing from settings or keys; each kind of change in [`kinds`].

mod kinds;

use std::collections::BTreeMap;

use chrono::Duration;

use super::Watch;
use crate::journal::entry::{Observation, ObservationKind};
use crate::model::{AppState, Health, HealthReport, Observed, SecretDigest, Snapshot};
use crate::tui::fixtures;

pub(super) const ORDERS: &str = "func-orders-prod-krc";

fn shift<T>(o: &mut Observed<T>, d: Duration) {
    o.at = o.at.map(|t| t + d);
}

/// The same world read again `secs` later: every data time moves on, nothing else.
pub(super) fn reread(snap: &Snapshot, secs: i64) -> Snapshot {
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

pub(super) fn app<'a>(s: &'a mut Snapshot, name: &str) -> &'a mut AppState {
    s.apps
        .iter_mut()
        .find(|a| a.name == name)
        .expect("the fixture has the app")
}

pub(super) fn set_health(s: &mut Snapshot, name: &str, status: Health, failing: &[&str]) {
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
pub(super) fn feed(w: &mut Watch, snaps: &[Snapshot], affected: &[&str]) -> Vec<Vec<Observation>> {
    let affected: Vec<String> = affected.iter().map(|a| (*a).to_owned()).collect();
    snaps.iter().map(|s| w.observe(s, &affected)).collect()
}

/// The calm picture, then the change in two consecutive reads: what the second read told.
pub(super) fn told_after_two_reads(change: impl Fn(&mut Snapshot)) -> Vec<Observation> {
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
