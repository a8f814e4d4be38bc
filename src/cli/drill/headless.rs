//! `warroom drill run NAME --autopilot --config FILE`: the autopilot against a simulator the
//! estate file points at (`warroom sim serve`, or a test's), on the wall clock, as a separate
//! process from the simulator. It opens the estate's open incident when there is one (resume:
//! the journal continues, unfinished intents are reconciled and acknowledged before anything
//! new), else a fresh one, and follows the engine to a validated close or the time limit.
//!
//! This is how a rehearsal survives a crash, and how the kill test drives warroom: the simulator
//! keeps its world while warroom is killed and started again. It refuses any estate that is not
//! a simulator on loopback: nobody confirms these actions. Owns that loop only; the commander's
//! words and confirmations are [`super::pilot`]'s.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use color_eyre::eyre::{Result, WrapErr, eyre};
use tokio::sync::watch;

use super::super::actions::resume::open_incident;
use super::super::actions::{self, Now, incident_dir};
use super::super::wiring::real_with_auth;
use super::pilot::{ANSWER_BOUND, Memo, Pilot, Turn};
use crate::act::AzureEffects;
use crate::config::{Cloud, Estate};
use crate::decide::{self, DecideContext};
use crate::drill::DrillSpec;
use crate::journal::Journal;
use crate::sim::SimClock;
use crate::tui::derive::incident::Incident;

/// Time between two reads of the estate when nothing is to be done.
const POLL: Duration = Duration::from_secs(1);

/// Why an estate is not one the autopilot may act on, if it is not.
pub fn refusal(estate: &Estate) -> Option<String> {
    if estate.endpoints.cloud != Cloud::Simulator {
        return Some(format!(
            "the autopilot confirms actions without a person, so it runs only against a \
             simulator: the estate's endpoints.cloud is {:?}, not \"simulator\"",
            estate.endpoints.cloud
        ));
    }
    let host = url::Url::parse(&estate.endpoints.arm)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned));
    match host.as_deref() {
        Some("127.0.0.1" | "localhost" | "[::1]") => None,
        other => Some(format!(
            "the autopilot runs only against a simulator on loopback: endpoints.arm's host is \
             {}",
            other.unwrap_or("missing")
        )),
    }
}

/// Runs `spec` on autopilot against the estate in `config`; whether the recovery was validated
/// and the incident closed. Progress lines go to `on_line`.
pub async fn run(
    config: &Path,
    spec: &DrillSpec,
    new_incident: bool,
    on_line: &mut (dyn FnMut(&str) + Send),
) -> Result<bool> {
    let (estate, observer, client, auth) = real_with_auth(config, "chain")?;
    if let Some(why) = refusal(&estate) {
        return Err(eyre!("{}: {why}", config.display()));
    }
    let resume = open_incident(&estate, new_incident);
    let dir = resume
        .as_ref()
        .map_or_else(|| incident_dir(&estate, Utc::now()), |(d, _)| d.clone());
    let now: Now = Arc::new(Utc::now);
    let journal = Journal::open_or_create(&dir)
        .wrap_err_with(|| format!("opening the incident journal in {}", dir.display()))?
        .with_clock(now.clone());
    let mut effects = AzureEffects::new(client, (*estate).clone(), dir.clone());
    effects.artifact_auth = Some(auth);
    let (snap_tx, snap_rx) = watch::channel(Arc::new(observer.snapshot()));
    let (seen_tx, mut seen_rx) = watch::channel(Utc::now() - chrono::Duration::days(1));
    let (port, task) = actions::spawn(actions::Runtime {
        estate: Arc::clone(&estate),
        snapshots: snap_rx,
        effects: Arc::new(effects),
        journal,
        now,
        resume: resume.map(|(_, r)| r),
        taken_in: Some(seen_tx),
    });
    let started = Utc::now();
    let mut pilot = Pilot {
        port,
        spec,
        start: started,
        clock: SimClock::wall(started, 1.0),
        cx: DecideContext::default(),
        lines: Vec::new(),
        on_line,
    };
    pilot.say(&format!(
        "drill autopilot on {} (incident folder {})",
        config.display(),
        dir.display()
    ));
    let limit = started + spec.targets.time_limit.delta();
    let mut incident: Option<Incident> = None;
    let mut memo = Memo::default();
    let mut recovered = false;
    loop {
        let snap = Arc::new(observer.refresh_all().await);
        snap_tx.send_replace(Arc::clone(&snap));
        tokio::time::timeout(ANSWER_BOUND, seen_rx.wait_for(|t| *t >= snap.taken_at))
            .await
            .map_err(|_| eyre!("the action runtime did not take in the snapshot"))?
            .map_err(|_| eyre!("the action runtime stopped"))?;
        pilot.drain();
        incident = Incident::observe(incident.take(), &snap);
        let d = decide::evaluate(
            &snap,
            &estate,
            &pilot.context(incident.as_ref()),
            Utc::now(),
        );
        let out_of_time = (Utc::now() >= limit)
            .then(|| "time limit reached: the autopilot stops unrecovered".to_owned());
        match pilot.turn(&d, &mut memo, out_of_time).await? {
            Turn::Closed => {
                recovered = true;
                break;
            }
            Turn::OutOfTime => break,
            Turn::Ran => continue,
            Turn::Wait => {}
        }
        tokio::time::sleep(POLL).await;
    }
    drop(pilot);
    let _ = task.await;
    Ok(recovered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estate_with(endpoints: &str) -> Estate {
        let text = crate::config::DEMO_ESTATE.replace(
            "[endpoints]\ncloud = \"public\"",
            &format!("[endpoints]\n{endpoints}"),
        );
        Estate::parse(&text, "test.toml").expect("a valid estate")
    }

    #[test]
    fn only_a_simulator_on_loopback_is_flown() {
        let public = estate_with("cloud = \"public\"");
        assert!(refusal(&public).is_some_and(|w| w.contains("only against a simulator")));
        let far = estate_with("cloud = \"simulator\"\narm = \"http://10.1.2.3:8080/\"");
        assert!(refusal(&far).is_some_and(|w| w.contains("10.1.2.3")));
        let near = estate_with("cloud = \"simulator\"\narm = \"http://127.0.0.1:8080/\"");
        assert_eq!(refusal(&near), None);
    }
}
