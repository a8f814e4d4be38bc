//! Helpers for the tests at the wire: warroom's real client (ARM reads and the queue client)
//! pointed at the real simulator, started in-process on 127.0.0.1:0 with a Manual clock.
//!
//! The client's transport is reqwest wrapped in [`Answered`], which counts the answers the client
//! has received, so a test can wait for "the first attempt has been answered" as an event rather
//! than sleeping. Nothing here asserts; the test files do.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of these helpers"
)]

use std::sync::Arc;
use std::time::Duration;

use azure_core::http::{AsyncRawResponse, HttpClient, Request, Transport};
use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::watch;
use url::Url;
use warroom::azure::reads::ResourceGroupRef;
use warroom::azure::{AzureClient, ClientConfig, QueueAuth, QueueClient};
use warroom::config::Estate;
use warroom::sim::{Scenario, SimClock, SimHandle, SimOptions, SimServer};

/// The demo estate's primary resource group.
pub const KRC: &str = "rg-functions-prod-krc";
/// The demo estate's secondary resource group.
pub const JPE: &str = "rg-functions-prod-jpe";

/// The reqwest transport, counting every answer (any status) it hands back to the pipeline.
#[derive(Debug)]
pub struct Answered {
    inner: reqwest::Client,
    count: watch::Sender<u64>,
}

#[async_trait::async_trait]
impl HttpClient for Answered {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let r = self.inner.execute_request(request).await;
        self.count.send_modify(|n| *n += 1);
        r
    }
}

/// A simulator and warroom's client pointed at it.
pub struct Wire {
    /// The running simulator.
    pub sim: SimHandle,
    /// warroom's ARM client.
    pub client: AzureClient,
    /// warroom's Storage queue client (no auth, as for the simulator).
    pub queues: QueueClient,
    /// The estate, with the simulator's endpoints.
    pub estate: Estate,
    /// The scenario's start.
    pub start: DateTime<Utc>,
    answers: watch::Receiver<u64>,
}

/// Client settings for tests: default retries, but a short first backoff so a run of 500s
/// retries in well under a second (Retry-After on a 429 is still honoured in full).
pub fn test_config(base: Url) -> ClientConfig {
    let mut c = ClientConfig::new(base);
    c.retry_initial_delay = Duration::from_millis(10);
    c.timeout = Duration::from_secs(20);
    c.try_timeout = Duration::from_secs(10);
    c
}

impl Wire {
    /// The demo estate under a built-in scenario.
    pub async fn start(scenario: &str) -> Self {
        let scenario = Scenario::builtin(scenario).expect("built-in scenario");
        Self::start_with(Estate::demo(), scenario).await
    }

    /// Any estate and scenario, the clock Manual at the scenario's start.
    pub async fn start_with(mut estate: Estate, scenario: Scenario) -> Self {
        let start = scenario.start;
        let clock = SimClock::manual(start);
        let sim = SimServer::start(estate.clone(), scenario, clock, SimOptions::default())
            .await
            .expect("the simulator starts");
        estate.endpoints = sim.endpoints();
        let (tx, answers) = watch::channel(0);
        let transport = Transport::new(Arc::new(Answered {
            inner: reqwest::Client::new(),
            count: tx,
        }));
        let mut config = test_config(Url::parse(&estate.endpoints.arm).expect("ARM URL"));
        config.transport = Some(transport);
        let client = AzureClient::new(config).expect("client");
        let queues = client.queues(QueueAuth::None).expect("queue client");
        Self {
            sim,
            client,
            queues,
            estate,
            start,
            answers,
        }
    }

    /// Sets the virtual clock to `secs` after the scenario's start.
    pub fn at(&self, secs: i64) {
        self.sim.clock().set(self.t(secs));
    }

    /// The virtual time `secs` after the scenario's start.
    pub fn t(&self, secs: i64) -> DateTime<Utc> {
        self.start + TimeDelta::seconds(secs)
    }

    /// The virtual now.
    pub fn now(&self) -> DateTime<Utc> {
        self.sim.clock().now()
    }

    /// The resource group of a region by its short name (`krc`, `jpe`).
    pub fn rg(&self, region: &str) -> ResourceGroupRef {
        ResourceGroupRef::of_region(self.estate.region(region).expect("region in estate"))
    }

    /// The resource group an app lives in.
    pub fn rg_of(&self, app: &str) -> ResourceGroupRef {
        let app = self.estate.app(app).expect("app in estate");
        ResourceGroupRef::of_app(&self.estate, app)
    }

    /// An app's Kudu base URL.
    pub fn kudu(&self, app: &str) -> String {
        self.estate.endpoints.kudu.replace("{app}", app)
    }

    /// An app slot's health endpoint URL, built as the observer builds it.
    pub fn health_url(&self, app: &str, slot: &str) -> String {
        let host = if slot == "production" {
            app.to_owned()
        } else {
            format!("{app}-{slot}")
        };
        let app = self.estate.app(app).expect("app in estate");
        format!(
            "{}{}",
            self.estate.endpoints.app_host.replace("{app}", &host),
            app.health_path
        )
    }

    /// A storage account's queue endpoint.
    pub fn queue_account(&self, account: &str) -> Url {
        Url::parse(&self.estate.endpoints.queue.replace("{account}", account)).expect("queue URL")
    }

    /// Requests the server has counted so far.
    pub fn served(&self) -> u64 {
        self.sim.counts().total
    }

    /// Answers the client has received so far.
    pub fn answers(&self) -> u64 {
        *self.answers.borrow()
    }

    /// Waits (bounded) until the client has received at least `n` answers in all.
    pub async fn until_answers(&self, n: u64) {
        let mut rx = self.answers.clone();
        tokio::time::timeout(Duration::from_secs(10), rx.wait_for(|&c| c >= n))
            .await
            .unwrap_or_else(|_| panic!("no answer {n} within 10 s (have {})", self.answers()))
            .expect("the transport is alive");
    }
}

/// The client's waiting clock for long-running writes, driven by the simulator's Manual clock:
/// each wait moves virtual time forward by the wait, at once, so a test follows a 20-second swap
/// without sleeping.
pub struct VirtualWait {
    clock: SimClock,
    waited: std::sync::Mutex<Duration>,
}

impl VirtualWait {
    /// A clock for the simulator of `w`.
    pub fn new(w: &Wire) -> Self {
        Self::on(w.sim.clock())
    }

    /// A clock on a simulator's virtual clock (for closures that cannot borrow a [`Wire`]).
    pub fn on(clock: &SimClock) -> Self {
        Self {
            clock: clock.clone(),
            waited: std::sync::Mutex::new(Duration::ZERO),
        }
    }

    /// Virtual time waited so far.
    pub fn waited(&self) -> Duration {
        *self.waited.lock().expect("lock")
    }
}

#[async_trait::async_trait]
impl warroom::azure::lro::LroClock for VirtualWait {
    fn elapsed(&self) -> Duration {
        self.waited()
    }

    async fn sleep(&self, duration: Duration) {
        self.clock.advance(duration);
        *self.waited.lock().expect("lock") += duration;
    }
}
