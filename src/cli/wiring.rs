//! Wiring shared by the commands: an estate, a client pointed at the right Azure, an observer.
//! `--demo` starts the simulated Azure on loopback and points the very same client at it.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use color_eyre::eyre::{Result, WrapErr, eyre};

use crate::azure::auth::{CredentialKind, CredentialOptions, build_credential};
use crate::azure::client::{AzureClient, ClientConfig};
use crate::azure::lro::LroClock;
use crate::azure::queues::QueueAuth;
use crate::config::Estate;
use crate::observe::{Clock, Observer};
use crate::sim::clock::SimClock;
use crate::sim::scenario::Scenario;
use crate::sim::server::{SimHandle, SimOptions, SimServer};

/// A running demo: the simulator and an observer of it.
pub struct Demo {
    /// The simulator (kept alive as long as the demo).
    pub sim: SimHandle,
    /// The observer.
    pub observer: Observer,
    /// The estate, pointed at the simulator.
    pub estate: Arc<Estate>,
    /// The client the observer reads with; actions write with it too.
    pub client: AzureClient,
    /// The scenario the simulator runs (its start time, and its `[drill]` table if it is a drill).
    pub scenario: Scenario,
}

/// How the demo's virtual clock runs.
#[derive(Debug, Clone, Copy)]
pub enum DemoClock {
    /// Frozen at this many virtual minutes after the scenario's start (for one snapshot).
    FrozenAt(f64),
    /// Running at this speed from the scenario's start.
    Running(f64),
}

/// Starts the simulated demo estate on a built-in scenario and an observer pointed at it.
pub async fn start_demo(estate: Estate, scenario: &str, clock: DemoClock) -> Result<Demo> {
    let scenario = Scenario::builtin(scenario).wrap_err_with(|| {
        format!(
            "unknown scenario `{scenario}`; built-in scenarios: {}",
            Scenario::list().join(", ")
        )
    })?;
    start_demo_with(estate, scenario, clock).await
}

/// Starts the simulated demo estate on a parsed scenario and an observer pointed at it.
pub async fn start_demo_with(estate: Estate, scenario: Scenario, clock: DemoClock) -> Result<Demo> {
    let (sim_clock, speed) = match clock {
        DemoClock::FrozenAt(minutes) => {
            let c = SimClock::manual(scenario.start);
            c.advance(std::time::Duration::from_secs_f64(
                (minutes * 60.0).max(0.0),
            ));
            (c, 1.0)
        }
        DemoClock::Running(speed) => (SimClock::wall(scenario.start, speed), speed),
    };
    let sim = SimServer::start(
        estate.clone(),
        scenario.clone(),
        sim_clock.clone(),
        SimOptions::default(),
    )
    .await
    .wrap_err("starting the simulated Azure")?;
    let mut estate = estate;
    estate.endpoints = sim.endpoints();
    let estate = Arc::new(estate);
    let arm = url::Url::parse(&estate.endpoints.arm).wrap_err("the simulator's ARM URL")?;
    let client = AzureClient::new(ClientConfig::new(arm)).wrap_err("building the Azure client")?;
    let queues = client
        .queues(QueueAuth::None)
        .wrap_err("building the queue client")?;
    let observer = Observer::new(
        Arc::new(client.clone()),
        Arc::new(queues),
        estate.clone(),
        Clock::custom(move || sim_clock.now(), speed),
        true,
    );
    Ok(Demo {
        sim,
        observer,
        estate,
        client,
        scenario,
    })
}

/// An observer of a real estate, with the estate and the client it reads with.
pub fn real(path: &Path, credential: &str) -> Result<(Arc<Estate>, Observer, AzureClient)> {
    real_with_auth(path, credential).map(|(e, o, c, _)| (e, o, c))
}

/// [`real`], with how the data plane (queues, the artifact store's listing) is authorised.
pub fn real_with_auth(
    path: &Path,
    credential: &str,
) -> Result<(Arc<Estate>, Observer, AzureClient, QueueAuth)> {
    let estate = Estate::load(path).map_err(|e| eyre!("{e}"))?;
    let kind: CredentialKind = if estate.endpoints.cloud == crate::config::Cloud::Simulator {
        // The simulator takes no token, and a token must never go to plain http.
        CredentialKind::None
    } else {
        credential.parse().map_err(|e| eyre!("--credential: {e}"))?
    };
    let options = CredentialOptions {
        authority_host: url::Url::parse(&estate.endpoints.authority).ok(),
        ..CredentialOptions::default()
    };
    let cred = build_credential(kind, &options).wrap_err("building the Azure credential")?;
    let arm = url::Url::parse(&estate.endpoints.arm)
        .wrap_err_with(|| format!("endpoints.arm {:?}", estate.endpoints.arm))?;
    let client = AzureClient::new(ClientConfig::new(arm).with_credential(cred.clone()))
        .wrap_err("building the Azure client")?;
    let queue_auth = cred.map_or(QueueAuth::None, QueueAuth::Bearer);
    let queues = client
        .queues(queue_auth.clone())
        .wrap_err("building the queue client")?;
    // An estate file that names the simulator as its cloud is labelled so on screen: a
    // rehearsal must never read as production.
    let simulated = estate.endpoints.cloud == crate::config::Cloud::Simulator;
    let estate = Arc::new(estate);
    let observer = Observer::new(
        Arc::new(client.clone()),
        Arc::new(queues),
        estate.clone(),
        Clock::wall(),
        simulated,
    );
    Ok((estate, observer, client, queue_auth))
}

/// The executor's waits on the simulator's virtual clock: each wait moves virtual time forward
/// (a drill's autopilot, a plan's preview against the demo's frozen clock).
pub struct VirtualWait {
    clock: SimClock,
    waited: Mutex<Duration>,
}

impl VirtualWait {
    /// Waits on `clock`, nothing waited yet.
    pub fn on(clock: SimClock) -> Self {
        Self {
            clock,
            waited: Mutex::new(Duration::ZERO),
        }
    }
}

#[async_trait::async_trait]
impl LroClock for VirtualWait {
    fn elapsed(&self) -> Duration {
        *self
            .waited
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn sleep(&self, duration: Duration) {
        self.clock.advance(duration);
        *self
            .waited
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) += duration;
    }
}
