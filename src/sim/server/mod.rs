//! The simulator's HTTP server: axum on 127.0.0.1, serving the world through Azure's own REST
//! surface. ARM at the root (`/subscriptions/…`, `/providers/…`), Kudu under `/_kudu/{app}`, the
//! apps' own hosts under `/_apps/{app}`, the Storage queue data plane under `/_queue/{account}`,
//! Azure Monitor's metrics data plane under `/_metrics/{region}`, and the Blob service (the
//! artifact store's listing) under `/_blob/{account}`.
//!
//! Every request first moves the world to the clock's now, then is answered from the world at
//! that virtual time. Each provider lives in its own module and serialises the shared wire types
//! of `crate::azure::wire`. This module owns the server's lifecycle and routing only.

mod alerts;
mod apps;
mod arm;
mod blob;
mod cdn;
pub mod conventions;
mod deployment_bodies;
mod deployments;
mod graph;
mod health;
mod kql;
mod kudu;
mod kudu_deploy;
mod kudu_log;
mod locks;
mod logs;
mod messaging;
mod metrics;
mod monitor;
mod names;
mod network;
mod operations;
mod queue;
mod resources;
mod storage;
mod tags;
mod web;
mod web_writes;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use axum::routing::{get, post};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::{Cloud, Endpoints, Estate};
use crate::sim::clock::SimClock;
use crate::sim::scenario::Scenario;
use crate::sim::world::{World, WorldError};

use conventions::middleware::Counters;
pub use conventions::middleware::{RequestCounts, WriteRequest};

/// Options of a simulator server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SimOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
}

/// Why the server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The scenario does not fit the estate.
    #[error("cannot build the simulated world: {0}")]
    World(#[from] WorldError),
    /// The port could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("the simulator's server failed: {0}")]
    Serve(std::io::Error),
}

/// The state every handler shares.
pub(crate) struct Sim {
    world: Mutex<World>,
    clock: SimClock,
    base_url: String,
    counters: Counters,
}

/// The request's sequence number, set by the counting middleware.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestNumber(pub u64);

impl Sim {
    /// The world, moved to the clock's now. Never hold the guard across an await.
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        // Handlers never panic while holding the lock in a way that leaves the world half
        // changed (every change is a whole method call), so a poisoned lock is still usable.
        let mut w = self
            .world
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        w.advance_to(self.clock.now());
        w
    }

    /// The base URL, e.g. `http://127.0.0.1:50123`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }
}

pub(crate) type Shared = Arc<Sim>;

/// The simulator's server.
#[derive(Debug)]
pub struct SimServer;

/// A running server: its address, endpoints, counters, and a way to stop it.
#[derive(Debug)]
pub struct SimHandle {
    addr: SocketAddr,
    sim: Shared,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), std::io::Error>>>,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl SimServer {
    /// Builds the world and starts serving it on 127.0.0.1.
    pub async fn start(
        estate: Estate,
        scenario: Scenario,
        clock: SimClock,
        options: SimOptions,
    ) -> Result<SimHandle, SimError> {
        let world = World::new(&estate, &scenario)?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| SimError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| SimError::Bind { addr, source })?;
        let sim = Arc::new(Sim {
            world: Mutex::new(world),
            clock,
            base_url: format!("http://{addr}"),
            counters: Counters::default(),
        });
        let app = router(sim.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await
        });
        tracing::info!(%addr, "simulated Azure listening");
        Ok(SimHandle {
            addr,
            sim,
            shutdown: Some(tx),
            task: Some(task),
        })
    }
}

fn router(sim: Shared) -> Router {
    Router::new()
        .route("/_kudu/{app}/api/deployments", get(kudu::list))
        .route("/_kudu/{app}/api/deployments/latest", get(kudu::latest))
        .route("/_kudu/{app}/api/deployments/{id}", get(kudu::one))
        .route("/_kudu/{app}/api/deployments/{id}/log", get(kudu_log::log))
        .route(
            "/_kudu/{app}/api/deployments/{id}/log/{entry}",
            get(kudu_log::details),
        )
        .route("/_kudu/{app}/api/zipdeploy", post(kudu_deploy::zipdeploy))
        .route("/_blob/{account}/{container}", get(blob::list))
        .route("/_apps/{host}/{*path}", get(apps::serve))
        .route(
            "/_queue/{account}/{queue}",
            get(queue::metadata).put(queue::create),
        )
        .route(
            "/_queue/{account}/{queue}/messages",
            get(queue::get_messages).post(queue::put_message),
        )
        .route(
            "/_metrics/{region}/subscriptions/{sub}/{op}",
            post(metrics::batch),
        )
        .route("/_logs/v1/workspaces/{workspace}/query", post(logs::query))
        .fallback(arm::handle)
        .layer(from_fn_with_state(sim.clone(), count))
        .with_state(sim)
}

/// Counts every request and tags it with its sequence number.
async fn count(State(sim): State<Shared>, mut req: Request, next: Next) -> Response {
    let n = sim.counters.record(req.method(), req.uri().path());
    req.extensions_mut().insert(RequestNumber(n));
    next.run(req).await
}

impl SimHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL (also the ARM base), e.g. `http://127.0.0.1:50123`.
    pub fn base_url(&self) -> &str {
        self.sim.base_url()
    }

    /// The endpoints a client must use for this simulator (cloud `Simulator`): ARM at the base
    /// URL, Kudu at `{base}/_kudu/{app}`, app hosts at `{base}/_apps/{app}`, Storage queues at
    /// `{base}/_queue/{account}`, batch metrics at `{base}/_metrics/{region}`, the Blob service at
    /// `{base}/_blob/{account}`, the Log Analytics query API at `{base}/_logs`. A slot's host is
    /// the app's name with `-{slot}` appended, as in Azure (`--{slot}` is accepted too).
    pub fn endpoints(&self) -> Endpoints {
        let base = self.base_url();
        Endpoints {
            cloud: Cloud::Simulator,
            arm: base.to_owned(),
            authority: format!("{base}/_auth"),
            queue: format!("{base}/_queue/{{account}}"),
            kudu: format!("{base}/_kudu/{{app}}"),
            app_host: format!("{base}/_apps/{{app}}"),
            metrics: format!("{base}/_metrics/{{region}}"),
            blob: format!("{base}/_blob/{{account}}"),
            logs: format!("{base}/_logs"),
        }
    }

    /// The request counts so far.
    pub fn counts(&self) -> RequestCounts {
        self.sim.counters.snapshot()
    }

    /// Every request that changed (or asked to change) state so far, method and path only.
    pub fn write_log(&self) -> Vec<WriteRequest> {
        self.sim.counters.write_log()
    }

    /// Calls `hook` with each write as it arrives, before the write is handled: a test can look
    /// at what the client had on disk at that moment.
    pub fn on_write(&self, hook: impl Fn(&WriteRequest) + Send + Sync + 'static) {
        self.sim.counters.on_write(std::sync::Arc::new(hook));
    }

    /// The virtual clock.
    pub fn clock(&self) -> &SimClock {
        &self.sim.clock
    }

    /// Runs `f` on the world, moved to the clock's now (for tests and drills).
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.sim.world())
    }

    /// Stops the server and waits for it to finish.
    pub async fn shutdown(mut self) -> Result<(), SimError> {
        self.stop();
        match self.task.take() {
            Some(task) => match task.await {
                Ok(result) => result.map_err(SimError::Serve),
                Err(join) => Err(SimError::Serve(std::io::Error::other(join.to_string()))),
            },
            None => Ok(()),
        }
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.stop();
    }
}
