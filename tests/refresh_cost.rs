//! What one refresh costs, in requests, for the demo estate and for a generated estate of 1,000
//! apps: each source kind is refreshed alone against the simulator and the simulator's request
//! counter is read before and after. Kinds Azure can batch (Resource Graph, Resource Health per
//! resource group, the activity log per resource group, batch metrics) must not grow per app;
//! kinds it cannot batch are measured and checked against their per-resource formula.
//!
//! Reproduce the table: `cargo test --test refresh_cost -- --nocapture`.
//!
//! The batch metrics call is also checked here: it gives the same points as the per-app ARM
//! reads it replaces, falls back to them where the batch call is refused, and a chunk that fails
//! marks only its own apps.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::TimeDelta;
use warroom::azure::client::{AzureClient, ClientConfig};
use warroom::azure::queues::QueueAuth;
use warroom::config::generate::generated_toml;
use warroom::config::{Estate, QueueKind};
use warroom::model::Snapshot;
use warroom::observe::{Clock, Observer, SourceKind};
use warroom::sim::{Scenario, SimClock, SimHandle, SimOptions, SimServer};

/// The most resources one batch metrics call takes.
const BATCH: usize = 50;

/// The simulator and an observer of it, wired as `warroom --demo` wires them.
struct Rig {
    sim: SimHandle,
    estate: Estate,
}

impl Rig {
    /// Starts the simulator for `estate` with the virtual clock 40 minutes into `scenario`.
    async fn start(estate: Estate, scenario: Scenario) -> Self {
        let clock = SimClock::manual(scenario.start);
        clock.set(scenario.start + TimeDelta::minutes(40));
        let sim = SimServer::start(estate.clone(), scenario, clock, SimOptions::default())
            .await
            .expect("simulator starts");
        let mut estate = estate;
        estate.endpoints = sim.endpoints();
        Self { sim, estate }
    }

    /// An observer of the simulator through `estate` (which may differ from the simulator's
    /// own, to point the metrics endpoint elsewhere), with a client of `max_retries`.
    fn observer_of(&self, estate: Estate, max_retries: u32) -> Observer {
        let arm = url::Url::parse(&estate.endpoints.arm).expect("ARM URL");
        let mut config = ClientConfig::new(arm);
        config.max_retries = max_retries;
        let client = AzureClient::new(config).expect("client");
        let queues = client.queues(QueueAuth::None).expect("queue client");
        let sim_clock = self.sim.clock().clone();
        Observer::new(
            Arc::new(client),
            Arc::new(queues),
            Arc::new(estate),
            Clock::custom(move || sim_clock.now(), 1.0),
            true,
        )
    }

    fn observer(&self) -> Observer {
        self.observer_of(self.estate.clone(), 4)
    }

    /// Requests the simulator answered while `kinds` were refreshed once.
    async fn cost(&self, observer: &Observer, kinds: &[SourceKind]) -> u64 {
        let before = self.sim.counts().total;
        observer.refresh(kinds).await;
        self.sim.counts().total - before
    }
}

/// ARM's page size for lists with no `$top` (Resource Health, the activity log) is not
/// documented; the measurement assumes 1,000 items a page. (The built-in scenarios page by 5
/// on purpose, to exercise paging.)
const ARM_PAGE: usize = 1000;

fn demo_scenario() -> Scenario {
    let mut scenario = Scenario::builtin("calm").expect("calm scenario");
    scenario.page_size = ARM_PAGE;
    scenario
}

/// The calm scenario without its per-app entries, which name demo apps.
fn generated_scenario() -> Scenario {
    let mut scenario = demo_scenario();
    scenario.apps.clear();
    scenario.queues.clear();
    scenario.storage_accounts.clear();
    scenario.aliases.clear();
    scenario
}

fn generated(apps: usize) -> Estate {
    Estate::parse(&generated_toml(apps), "generated").expect("generated estate is valid")
}

/// The per-resource figures an estate implies.
struct Shape {
    apps: u64,
    slots: u64,
    resource_groups: u64,
    metric_chunks: u64,
    /// One Log Analytics p95 query per metrics refresh when the estate names a workspace.
    log_queries: u64,
    regions: u64,
    queue_requests: u64,
    storage_accounts: u64,
    aliases: u64,
}

fn shape(e: &Estate) -> Shape {
    let n = |x: usize| u64::try_from(x).expect("fits");
    let mut per_location: BTreeMap<(String, String), usize> = BTreeMap::new();
    for app in &e.apps {
        let r = e.region_of(app);
        *per_location
            .entry((r.subscription_id.clone(), r.location.to_ascii_lowercase()))
            .or_default() += 1;
    }
    let mut groups: Vec<(String, String)> = e
        .regions
        .iter()
        .map(|r| (r.subscription_id.clone(), r.resource_group.clone()))
        .collect();
    groups.sort();
    groups.dedup();
    Shape {
        apps: n(e.apps.len()),
        slots: n(e.apps.iter().map(|a| 1 + a.slots.len()).sum()),
        resource_groups: n(groups.len()),
        metric_chunks: n(per_location.values().map(|c| c.div_ceil(BATCH)).sum()),
        log_queries: u64::from(e.log_analytics_workspace.is_some()),
        regions: n(per_location.len()),
        queue_requests: n(e
            .queues
            .iter()
            .map(|q| match q.kind {
                QueueKind::Storage => 2,
                QueueKind::ServiceBus => 1,
                QueueKind::EventHubs => 0,
            })
            .sum()),
        storage_accounts: n(e.storage_accounts.len()),
        aliases: n(e.geo_dr_aliases.len()),
    }
}

fn kind_name(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Inventory => "Inventory (Resource Graph)",
        SourceKind::Platform => "Platform (Resource Health)",
        SourceKind::Health => "Health probes",
        SourceKind::Metrics => "Metrics (getBatch)",
        SourceKind::Deployments => "Deployments",
        SourceKind::Config => "Config",
        SourceKind::Routes => "Routes (TM + Front Door)",
        SourceKind::Queues => "Queues",
        SourceKind::Storage => "Storage",
        SourceKind::Aliases => "Aliases",
        SourceKind::Activity => "Activity log",
    }
}

/// Whether the kind's cost grows per resource because Azure has no batch form of its read.
fn per_resource_note(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Health => "per slot: an app's own endpoint, no batch exists",
        SourceKind::Deployments => "per slot: no batch exists (+1 artifact store list)",
        SourceKind::Config => "per app: 3 + 1 per function, no batch exists (every 5 min)",
        SourceKind::Queues => "per queue: data plane, no batch exists",
        SourceKind::Storage => "per account: no batch exists",
        SourceKind::Aliases => "per alias: no batch exists",
        SourceKind::Metrics => "per 50 apps of one subscription and region",
        SourceKind::Inventory => "one query, a page per 1,000 rows",
        SourceKind::Platform | SourceKind::Activity => "per resource group (+ pages)",
        SourceKind::Routes => "per profile",
    }
}

/// Every app's metrics came back without error.
fn assert_metrics_observed(snap: &Snapshot, what: &str) {
    for app in &snap.apps {
        assert!(
            app.metrics.error.is_none() && app.metrics.value.is_some(),
            "{what}: {} has no metrics: {:?}",
            app.name,
            app.metrics.error
        );
    }
    assert!(
        snap.apps.iter().any(|a| a
            .metrics
            .get()
            .is_some_and(|p| p.iter().any(|m| m.requests > 0.0))),
        "{what}: no app saw any request in 40 minutes of calm traffic"
    );
}

/// The functions Azure listed for the estate's apps (the simulator lists every function an app
/// has, not only the timers the estate file names).
fn functions_listed(snap: &Snapshot) -> u64 {
    snap.apps
        .iter()
        .map(|a| a.functions.get().map_or(0, |f| f.len() as u64))
        .sum()
}

/// Cost per kind and how long its refresh took.
type Costs = BTreeMap<SourceKind, (u64, Duration)>;

/// Measures every kind on one estate; returns the costs and the snapshot they built.
async fn measure(rig: &Rig) -> (Costs, Snapshot) {
    let observer = rig.observer();
    let mut out = BTreeMap::new();
    for kind in SourceKind::ALL {
        let started = Instant::now();
        let cost = rig.cost(&observer, &[kind]).await;
        out.insert(kind, (cost, started.elapsed()));
    }
    let snap = observer.snapshot();
    assert_metrics_observed(&snap, &rig.estate.name);
    (out, snap)
}

/// Checks one estate's costs against what its shape allows.
fn check(e: &Estate, costs: &Costs, snap: &Snapshot) {
    let s = shape(e);
    let functions = functions_listed(snap);
    assert!(
        functions >= s.apps,
        "{}: every app lists a function",
        e.name
    );
    let c = |k: SourceKind| costs[&k].0;
    let what = &e.name;
    // Batched kinds: constant, or a page per thousand.
    let pages = |items: u64| items.div_ceil(1000).max(1);
    assert!(
        c(SourceKind::Inventory) <= pages(s.slots),
        "{what}: inventory {} > {} pages",
        c(SourceKind::Inventory),
        pages(s.slots)
    );
    assert!(c(SourceKind::Inventory) >= 1);
    let per_group = s.resource_groups * pages(s.apps);
    assert!(
        (s.resource_groups..=per_group).contains(&c(SourceKind::Platform)),
        "{what}: platform {} not within {}..={per_group}",
        c(SourceKind::Platform),
        s.resource_groups
    );
    assert!(
        (s.resource_groups..=per_group).contains(&c(SourceKind::Activity)),
        "{what}: activity {} not within {}..={per_group}",
        c(SourceKind::Activity),
        s.resource_groups
    );
    let routes = u64::from(e.traffic_manager.is_some()) + u64::from(e.front_door.is_some());
    assert_eq!(c(SourceKind::Routes), routes, "{what}: routes");
    assert_eq!(
        c(SourceKind::Metrics),
        s.metric_chunks + s.log_queries,
        "{what}: one batch call per 50 apps of a region, and one p95 query if a workspace is named"
    );
    assert!(c(SourceKind::Metrics) <= s.apps.div_ceil(50) * s.regions + s.regions);
    // Per-resource kinds: exactly their formula.
    assert_eq!(c(SourceKind::Health), s.slots, "{what}: a probe per slot");
    assert_eq!(
        c(SourceKind::Deployments),
        s.slots + u64::from(e.artifact_store.is_some()),
        "{what}: a deployments list per slot, and the artifact store's list (one page)"
    );
    assert_eq!(
        c(SourceKind::Config),
        3 * s.apps + functions,
        "{what}: settings, functions, host keys, and keys per function"
    );
    assert_eq!(c(SourceKind::Queues), s.queue_requests, "{what}: queues");
    assert_eq!(
        c(SourceKind::Storage),
        s.storage_accounts,
        "{what}: storage"
    );
    assert_eq!(c(SourceKind::Aliases), s.aliases, "{what}: aliases");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_per_refresh_for_the_demo_and_a_thousand_apps() {
    let demo = Rig::start(Estate::demo(), demo_scenario()).await;
    let (demo_costs, demo_snap) = measure(&demo).await;
    let big = Rig::start(generated(1000), generated_scenario()).await;
    let (big_costs, big_snap) = measure(&big).await;

    let (d, b) = (shape(&demo.estate), shape(&big.estate));
    println!();
    println!(
        "Requests per refresh, each source kind alone (demo: {} apps, {} slots; generated: {} apps, {} slots)",
        d.apps, d.slots, b.apps, b.slots
    );
    println!(
        "{:<28} {:>6} {:>10} {:>9}  cost grows",
        "kind", "demo", "1000 apps", "time"
    );
    let (mut dt, mut bt) = (0, 0);
    for kind in SourceKind::ALL {
        let (dc, _) = demo_costs[&kind];
        let (bc, btime) = big_costs[&kind];
        dt += dc;
        bt += bc;
        println!(
            "{:<28} {:>6} {:>10} {:>8}ms  {}",
            kind_name(kind),
            dc,
            bc,
            btime.as_millis(),
            per_resource_note(kind)
        );
    }
    let batched = [
        SourceKind::Inventory,
        SourceKind::Platform,
        SourceKind::Metrics,
        SourceKind::Routes,
        SourceKind::Activity,
    ];
    let sum = |costs: &Costs| -> u64 { batched.iter().map(|k| costs[k].0).sum() };
    println!("{:<28} {:>6} {:>10}", "total", dt, bt);
    println!(
        "{:<28} {:>6} {:>10}",
        "  of which batched kinds",
        sum(&demo_costs),
        sum(&big_costs)
    );
    println!(
        "{:<28} {:>6} {:>10}  (one ARM request per app, before getBatch)",
        "  metrics per app (old)", d.apps, b.apps
    );

    check(&demo.estate, &demo_costs, &demo_snap);
    check(&big.estate, &big_costs, &big_snap);
    // The batched kinds together stay within a few requests as the estate grows 80-fold.
    assert!(
        sum(&big_costs) <= sum(&demo_costs) + 2 * b.metric_chunks + 4,
        "batched kinds grew from {} to {}",
        sum(&demo_costs),
        sum(&big_costs)
    );
}

#[tokio::test]
async fn batch_metrics_equal_the_per_app_reads_they_replace() {
    let rig = Rig::start(Estate::demo(), demo_scenario()).await;
    let batched = rig.observer();
    let batch_cost = rig.cost(&batched, &[SourceKind::Metrics]).await;
    let counts = rig.sim.counts();
    let s = shape(&rig.estate);
    assert_eq!(
        counts.by_surface.get("metrics").copied(),
        Some(batch_cost - s.log_queries),
        "every metrics request went to the batch endpoint"
    );
    assert_eq!(
        counts.by_surface.get("logs").copied().unwrap_or(0),
        s.log_queries,
        "one p95 query beside them"
    );

    // The same estate with a metrics endpoint that does not exist: every chunk gets a 404 and
    // falls back to one ARM request per app.
    let mut refused = rig.estate.clone();
    refused.endpoints.metrics = format!("{}/_no-such-endpoint/{{region}}", rig.sim.base_url());
    let fallback = rig.observer_of(refused, 4);
    let fallback_cost = rig.cost(&fallback, &[SourceKind::Metrics]).await;
    assert_eq!(
        fallback_cost,
        s.metric_chunks + s.apps + s.log_queries,
        "a 404 per chunk, then a read per app"
    );

    let (a, b) = (batched.snapshot(), fallback.snapshot());
    assert_metrics_observed(&a, "batch");
    assert_metrics_observed(&b, "fallback");
    for (x, y) in a.apps.iter().zip(&b.apps) {
        assert_eq!(x.name, y.name);
        assert_eq!(
            x.metrics.value, y.metrics.value,
            "{}: batch and per-app metrics differ",
            x.name
        );
    }
}

/// What the stand-in metrics endpoint forwards to, and which location it refuses.
#[derive(Clone)]
struct Forward {
    sim_base: String,
    refuse: String,
}

/// A metrics endpoint that answers 403 for one location and passes the others to the simulator.
async fn forward(
    State(f): State<Forward>,
    Path((region, sub, op)): Path<(String, String, String)>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> axum::response::Response {
    if region == f.refuse {
        let body = serde_json::json!({"error": {
            "code": "AuthorizationFailed",
            "message": "no Monitoring Reader role in this test"
        }});
        return (StatusCode::FORBIDDEN, axum::Json(body)).into_response();
    }
    let url = format!(
        "{}/_metrics/{region}/subscriptions/{sub}/{op}?{}",
        f.sim_base,
        query.unwrap_or_default()
    );
    let reply = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("simulator answers");
    let status = StatusCode::from_u16(reply.status().as_u16()).expect("status");
    (status, reply.bytes().await.expect("body")).into_response()
}

#[tokio::test]
async fn a_failing_chunk_marks_only_its_own_apps() {
    let rig = Rig::start(Estate::demo(), demo_scenario()).await;
    let refuse = rig
        .estate
        .regions
        .iter()
        .find(|r| r.location.eq_ignore_ascii_case("japaneast"))
        .expect("the demo has japaneast")
        .location
        .to_ascii_lowercase();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = axum::Router::new()
        .route(
            "/{region}/subscriptions/{sub}/{op}",
            axum::routing::post(forward),
        )
        .with_state(Forward {
            sim_base: rig.sim.base_url().to_owned(),
            refuse: refuse.clone(),
        });
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let mut estate = rig.estate.clone();
    estate.endpoints.metrics = format!("http://{addr}/{{region}}");
    let observer = rig.observer_of(estate, 0);
    let arm_before = rig.sim.counts().by_surface.get("arm").copied();
    observer.refresh(&[SourceKind::Metrics]).await;
    assert_eq!(
        rig.sim.counts().by_surface.get("arm").copied(),
        arm_before,
        "a 403 is not a reason to fall back to per-app reads"
    );
    let snap = observer.snapshot();
    let mut refused = 0;
    for app in &snap.apps {
        let cfg = rig.estate.app(&app.name).expect("app");
        let location = rig.estate.region_of(cfg).location.to_ascii_lowercase();
        if location == refuse {
            refused += 1;
            let err = app.metrics.error.as_ref().expect("refused chunk fails");
            assert!(
                err.message.contains("AuthorizationFailed"),
                "{}: {}",
                app.name,
                err.message
            );
        } else {
            assert!(
                app.metrics.error.is_none() && app.metrics.value.is_some(),
                "{}: {:?}",
                app.name,
                app.metrics.error
            );
        }
    }
    assert!(refused > 0 && refused < snap.apps.len());
    server.abort();
}

#[tokio::test]
async fn config_reads_no_function_keys_when_the_functions_list_fails() {
    let rig = Rig::start(Estate::demo(), demo_scenario()).await;
    let baseline = rig.cost(&rig.observer(), &[SourceKind::Config]).await;
    // An app the observer knows and Azure does not: all three of its reads answer 404.
    let mut estate = rig.estate.clone();
    let mut ghost = estate.apps[0].clone();
    ghost.name = "func-ghost-prod".to_owned();
    assert!(
        !ghost.functions.is_empty(),
        "the ghost has functions to skip"
    );
    estate.apps.push(ghost);
    let observer = rig.observer_of(estate, 4);
    let cost = rig.cost(&observer, &[SourceKind::Config]).await;
    assert_eq!(
        cost,
        baseline + 3,
        "the ghost costs its three reads and no function listkeys"
    );
    let snap = observer.snapshot();
    let ghost = snap
        .apps
        .iter()
        .find(|a| a.name == "func-ghost-prod")
        .expect("ghost in snapshot");
    assert!(ghost.functions.error.is_some());
    assert!(ghost.keys.error.is_some());
}
