//! The runtime against the in-process simulator's regional outage: fed the observer's snapshots
//! as the virtual clock moves, it journals nothing while the estate is calm, then the
//! declaration, then an Observed entry naming the region that went down and its apps.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::super::{Runtime, spawn};
use crate::act::{AzureEffects, Effects};
use crate::azure::QueueAuth;
use crate::config::Estate;
use crate::journal::tests::TempDir;
use crate::journal::{self, Entry, Journal, ObservationKind};
use crate::observe::{Clock, Observer};
use crate::sim::{Scenario, SimClock};

/// The runtime on the region-outage scenario fed one observer read every 30 s of virtual time
/// (the region goes down at 1:00) for `reads` reads: the estate, the journal's records after
/// the first read, and the incident folder (kept by the returned guard).
async fn run_outage(reads: u32) -> (Estate, Vec<journal::Record>, TempDir, std::path::PathBuf) {
    let scenario = Scenario::builtin("region-outage").expect("scenario");
    let clock = SimClock::manual(scenario.start);
    let (sim, estate, client) = super::super::test_sim::serve(scenario, &clock).await;
    let c = clock.clone();
    let poller = Observer::new(
        Arc::new(client.clone()),
        Arc::new(client.queues(QueueAuth::None).expect("queues")),
        Arc::new(estate.clone()),
        Clock::custom(move || c.now(), 1.0),
        true,
    );

    let tmp = TempDir::new("observed-runtime");
    let dir = tmp.0.join("incident");
    let c = clock.clone();
    let journal = Journal::open_or_create(&dir)
        .expect("journal")
        .with_clock(Arc::new(move || c.now()));
    let mut effects = AzureEffects::new(client.clone(), estate.clone(), dir.clone());
    let c = clock.clone();
    effects.now = Arc::new(move || c.now());
    let effects: Arc<dyn Effects> = Arc::new(effects);
    let (snap_tx, snapshots) = watch::channel(Arc::new(poller.snapshot()));
    let (seen_tx, mut seen) = watch::channel(clock.now() - chrono::Duration::days(1));
    let c = clock.clone();
    let (port, task) = spawn(Runtime {
        estate: Arc::new(estate.clone()),
        snapshots,
        effects,
        journal,
        now: Arc::new(move || c.now()),
        resume: None,
        taken_in: Some(seen_tx),
    });

    let mut calm_records = Vec::new();
    for read in 1..=reads {
        clock.advance(Duration::from_secs(30));
        let snap = poller.refresh_all().await;
        let at = snap.taken_at;
        snap_tx.send_replace(Arc::new(snap));
        tokio::time::timeout(Duration::from_mins(1), seen.wait_for(|t| *t == at))
            .await
            .expect("taken in in time")
            .expect("the runtime is alive");
        if read == 1 {
            calm_records = journal::read(&dir).0;
        }
    }
    drop(port);
    task.await.expect("the runtime ends");
    sim.shutdown().await.expect("stops");
    (estate, calm_records, tmp, dir)
}

#[tokio::test]
async fn a_region_outage_is_journaled_as_observed_naming_the_region_and_its_apps() {
    let (estate, calm_records, _tmp, dir) = run_outage(8).await;
    assert_eq!(
        calm_records,
        [],
        "nothing is journaled while the estate is calm"
    );

    let (records, warnings) = journal::read(&dir);
    assert_eq!(warnings, []);
    let declared = records
        .iter()
        .position(|r| matches!(r.entry, Entry::Declared { .. }))
        .expect("the incident is declared");
    let observed: Vec<(usize, &journal::Observation)> = records
        .iter()
        .enumerate()
        .filter_map(|(k, r)| match &r.entry {
            Entry::Observed { changes } => Some(changes.iter().map(move |c| (k, c))),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(
        observed.iter().all(|(k, _)| *k > declared),
        "only after the declaration"
    );
    let region = observed
        .iter()
        .map(|(_, o)| o)
        .find(|o| o.kind == ObservationKind::Platform)
        .unwrap_or_else(|| panic!("the region's platform is observed: {records:#?}"));
    let words = region.words();
    assert!(words.starts_with("region krc"), "{words}");
    let krc: Vec<&str> = estate
        .apps
        .iter()
        .filter(|a| a.region == "krc")
        .map(|a| a.name.as_str())
        .collect();
    for app in &krc {
        assert!(words.contains(app), "{app} named: {words}");
    }
    for app in &krc {
        assert!(
            observed
                .iter()
                .any(|(_, o)| o.kind == ObservationKind::Health
                    && o.subject == format!("{app} health")
                    && o.from.as_deref() == Some("healthy")),
            "{app}'s health change observed: {observed:#?}"
        );
    }
    // Stamped with the data time of the first read that showed it: the outage begins at 1:00.
    let outage =
        Scenario::builtin("region-outage").expect("scenario").start + chrono::Duration::minutes(1);
    assert!(
        region.at >= outage && region.at <= outage + chrono::Duration::seconds(30),
        "{} against the outage at {outage}",
        region.at
    );
}
