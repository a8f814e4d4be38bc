//! The simulator's server at the wire, with a raw HTTP client (not warroom's): ARM conventions,
//! paging, fault windows, the health endpoint across the bad release, and every read parsed into
//! the shared wire types. Clocks are Manual: virtual time moves only when a test moves it.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use warroom::azure::wire::graph::QueryResponse;
use warroom::azure::wire::health::{AppHealthReport, AvailabilityStatus};
use warroom::azure::wire::kudu::DeployResult;
use warroom::azure::wire::messaging::{DisasterRecoveryConfig, SbQueue};
use warroom::azure::wire::monitor::{ActivityLogEvent, MetricsResponse};
use warroom::azure::wire::network::TmProfile;
use warroom::azure::wire::storage::StorageAccount;
use warroom::azure::wire::web::{FunctionEnvelope, HostKeys, Site, StringDictionary};
use warroom::azure::wire::{ArmErrorBody, Page};
use warroom::config::Estate;
use warroom::sim::{Scenario, SimClock, SimHandle, SimOptions, SimServer};

const SUB: &str = "8f3c2a71-5d04-4e6b-9a1f-0c7e2b9d4a10";
const KRC: &str = "rg-functions-prod-krc";
const JPE: &str = "rg-functions-prod-jpe";

struct Sim {
    handle: SimHandle,
    clock: SimClock,
    start: DateTime<Utc>,
    http: reqwest::Client,
}

impl Sim {
    async fn start(scenario: &str) -> Self {
        let scenario = Scenario::builtin(scenario).expect("built-in scenario");
        let start = scenario.start;
        let clock = SimClock::manual(start);
        let handle = SimServer::start(
            Estate::demo(),
            scenario,
            clock.clone(),
            SimOptions::default(),
        )
        .await
        .expect("server starts");
        Self {
            handle,
            clock,
            start,
            http: reqwest::Client::new(),
        }
    }

    fn at(&self, secs: i64) {
        self.clock.set(self.start + TimeDelta::seconds(secs));
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url())
    }

    fn rg(&self, rg: &str, rest: &str) -> String {
        self.url(&format!(
            "/subscriptions/{SUB}/resourceGroups/{rg}/providers/{rest}"
        ))
    }

    async fn get(&self, url: &str) -> reqwest::Response {
        self.http
            .get(url)
            .bearer_auth("any-token")
            .send()
            .await
            .expect("request")
    }

    async fn post(&self, url: &str, body: &str) -> reqwest::Response {
        self.http
            .post(url)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("request")
    }
}

async fn json<T: serde::de::DeserializeOwned>(r: reqwest::Response) -> T {
    let status = r.status();
    let text = r.text().await.expect("body");
    assert!(status.is_success(), "{status}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

async fn error_code(r: reqwest::Response) -> (StatusCode, String, String) {
    let status = r.status();
    let body: ArmErrorBody = r.json().await.expect("ARM error body");
    (status, body.error.code, body.error.message)
}

#[tokio::test]
async fn api_version_is_required_and_checked_per_provider() {
    let sim = Sim::start("calm").await;
    let sites = sim.rg(KRC, "Microsoft.Web/sites");
    let (status, code, _) = error_code(sim.get(&sites).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "MissingApiVersionParameter")
    );
    let (status, code, message) =
        error_code(sim.get(&format!("{sites}?api-version=2019-08-01")).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "NoRegisteredProviderFound")
    );
    assert!(
        message.contains("2024-11-01") && message.contains("2025-05-01"),
        "{message}"
    );
    for v in ["2024-11-01", "2025-05-01", "2023-12-01", "2024-04-01"] {
        let r = sim.get(&format!("{sites}?api-version={v}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{v}");
        assert!(r.headers().contains_key("x-ms-request-id"));
        assert!(r.headers().contains_key("x-ms-correlation-request-id"));
        assert!(
            r.headers()
                .contains_key("x-ms-ratelimit-remaining-subscription-reads")
        );
    }
    // Traffic Manager is another provider with its own versions.
    let tm = sim.rg(
        KRC,
        "Microsoft.Network/trafficmanagerprofiles/tm-functions-prod",
    );
    let (_, code, _) = error_code(sim.get(&format!("{tm}?api-version=2024-11-01")).await).await;
    assert_eq!(code, "NoRegisteredProviderFound");
    let missing_rg = sim.rg("rg-nope", "Microsoft.Web/sites?api-version=2024-11-01");
    let (status, code, _) = error_code(sim.get(&missing_rg).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::NOT_FOUND, "ResourceGroupNotFound")
    );
    assert_eq!(
        sim.get(&sim.url("/_kudu/func-orders-prod-krc/api/nothing"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let missing = sim.rg(KRC, "Microsoft.Web/sites/func-nope?api-version=2024-11-01");
    let (status, code, _) = error_code(sim.get(&missing).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::NOT_FOUND, "ResourceNotFound")
    );
}

#[tokio::test]
async fn following_next_link_returns_every_site_once() {
    let sim = Sim::start("calm").await;
    let mut url = Some(sim.rg(
        KRC,
        "Microsoft.Web/sites?api-version=2024-11-01&includeSlots=true",
    ));
    let mut names = Vec::new();
    let mut pages = 0;
    while let Some(u) = url {
        let page: Page<Site> = json(sim.get(&u).await).await;
        assert!(page.value.len() <= 5, "the scenario's page size");
        names.extend(page.value.into_iter().map(|s| s.name));
        url = page.next_link;
        pages += 1;
    }
    let expected: BTreeSet<String> = sim.handle.with_world(|w| {
        w.apps()
            .iter()
            .filter(|a| a.resource_group == KRC)
            .flat_map(|a| {
                a.slots.iter().map(move |s| {
                    if s.name == "production" {
                        a.name.clone()
                    } else {
                        format!("{}/{}", a.name, s.name)
                    }
                })
            })
            .collect()
    });
    assert!(pages >= 2, "more than one page: {pages}");
    assert_eq!(names.len(), expected.len(), "no site twice: {names:?}");
    assert_eq!(names.into_iter().collect::<BTreeSet<_>>(), expected);
}

#[tokio::test]
async fn fault_windows_throttle_and_fail_at_their_virtual_times() {
    let sim = Sim::start("throttled").await;
    let url = sim.rg(
        KRC,
        "Microsoft.Web/sites/func-orders-prod-krc?api-version=2024-11-01",
    );
    sim.at(10);
    assert_eq!(sim.get(&url).await.status(), StatusCode::OK);
    sim.at(35);
    let r = sim.get(&url).await;
    let retry_after = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (status, code, _) = error_code(r).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::TOO_MANY_REQUESTS, "TooManyRequests")
    );
    let wait: u64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert_eq!(wait, 1);
    // Honour Retry-After in virtual time: the window is over once the clock passes it.
    sim.at(61);
    assert_eq!(sim.get(&url).await.status(), StatusCode::OK);
    sim.at(125);
    let (status, code, _) = error_code(sim.get(&url).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "ServiceUnavailable")
    );
    sim.at(185);
    let (status, code, _) = error_code(sim.get(&url).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::INTERNAL_SERVER_ERROR, "InternalServerError")
    );
    // Faults are ARM's: the apps' own hosts still answer.
    let health = sim
        .get(&sim.url("/_apps/func-orders-prod-krc/api/health"))
        .await;
    assert_eq!(health.status(), StatusCode::OK);
}

#[tokio::test]
async fn health_turns_503_when_the_bad_release_is_swapped_in() {
    let sim = Sim::start("bad-release").await;
    let health = sim.url("/_apps/func-orders-prod-krc/api/health");
    sim.at(60);
    let r = sim.get(&health).await;
    assert_eq!(r.status(), StatusCode::OK);
    let before: AppHealthReport = r.json().await.expect("report");
    assert_eq!(
        (before.status.as_str(), before.version.as_deref()),
        ("Healthy", Some("2026.03.28"))
    );
    assert_eq!(
        before.checks.keys().map(String::as_str).collect::<Vec<_>>(),
        ["application", "queue", "storage"]
    );
    sim.at(71);
    let r = sim.get(&health).await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let after: AppHealthReport = r.json().await.expect("report");
    assert_eq!(
        (after.status.as_str(), after.version.as_deref()),
        ("Unhealthy", Some("2026.04.04"))
    );
    assert_eq!(after.timestamp_utc.as_deref(), Some("2026-04-04T09:01:11Z"));
    let r = sim.get(&health).await;
    assert_eq!(
        r.headers()["date"],
        "Sat, 04 Apr 2026 09:01:11 GMT",
        "dated in virtual time"
    );
    let staging: AppHealthReport = json(
        sim.get(&sim.url("/_apps/func-orders-prod-krc-staging/api/health"))
            .await,
    )
    .await;
    assert_eq!(
        (staging.status.as_str(), staging.version.as_deref()),
        ("Healthy", Some("2026.03.28"))
    );
    // Kudu shows the swapped-in release as production's active deployment.
    let latest: DeployResult = json(
        sim.get(&sim.url("/_kudu/func-orders-prod-krc/api/deployments/latest"))
            .await,
    )
    .await;
    assert_eq!(
        (latest.status, latest.message.as_deref(), latest.active),
        (4, Some("2026.04.04"), true)
    );
    let all: Vec<DeployResult> = json(
        sim.get(&sim.url("/_kudu/func-orders-prod-krc/api/deployments"))
            .await,
    )
    .await;
    let versions: Vec<&str> = all.iter().filter_map(|d| d.message.as_deref()).collect();
    assert_eq!(
        versions,
        ["2026.04.04", "2026.03.28", "2026.03.21"],
        "staging's history came with the swap"
    );
    // The platform sees nothing wrong.
    let rh = sim.rg(KRC, "Microsoft.Web/sites/func-orders-prod-krc/providers/Microsoft.ResourceHealth/availabilityStatuses/current?api-version=2024-02-01");
    let status: AvailabilityStatus = json(sim.get(&rh).await).await;
    assert_eq!(status.properties.availability_state, "Available");
}

#[tokio::test]
async fn metrics_show_the_failure_rate_rising_after_the_swap() {
    let sim = Sim::start("bad-release").await;
    sim.at(12 * 60);
    let url = sim.rg(
        KRC,
        "Microsoft.Web/sites/func-orders-prod-krc/providers/Microsoft.Insights/metrics?api-version=2024-02-01\
         &metricnames=Requests,Http5xx,HttpResponseTime&aggregation=Total,Average&interval=PT1M\
         &timespan=2026-04-04T08:55:00Z/2026-04-04T09:12:00Z",
    );
    let m: MetricsResponse = json(sim.get(&url).await).await;
    assert_eq!(m.value.len(), 3);
    let totals = |i: usize| -> Vec<f64> {
        m.value[i].timeseries[0]
            .data
            .iter()
            .map(|p| p.total.unwrap_or(0.0))
            .collect()
    };
    let (req, fail) = (totals(0), totals(1));
    assert_eq!(req.len(), 17);
    let rate = |from: usize, to: usize| {
        fail[from..to].iter().sum::<f64>() / req[from..to].iter().sum::<f64>()
    };
    assert!(rate(0, 5) < 0.01, "before: {}", rate(0, 5));
    assert!(rate(7, 17) > 0.25, "after: {}", rate(7, 17));
    assert_eq!(m.value[2].unit, "Seconds");
    let bad = sim.rg(KRC, "Microsoft.Web/sites/func-orders-prod-krc/providers/Microsoft.Insights/metrics?api-version=2024-02-01&metricnames=Nope");
    let (status, _, message) = error_code(sim.get(&bad).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message.contains("Valid metrics: Requests"), "{message}");
}

#[tokio::test]
async fn a_region_outage_is_visible_on_every_surface() {
    let sim = Sim::start("region-outage").await;
    sim.at(30);
    let q = sim.url("/_queue/stordersprodkrc/orders-to-fulfil?comp=metadata");
    let count = |r: &reqwest::Response| -> u64 {
        r.headers()["x-ms-approximate-messages-count"]
            .to_str()
            .expect("ascii")
            .parse()
            .expect("number")
    };
    let before = count(&sim.http.head(&q).send().await.expect("head"));
    sim.at(11 * 60);
    let r = sim
        .get(&sim.url("/_apps/func-orders-prod-krc/api/health"))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_GATEWAY);
    assert!(r.bytes().await.expect("body").is_empty());
    let rh = sim.rg(KRC, "Microsoft.Web/sites/func-catalog-prod-krc/providers/Microsoft.ResourceHealth/availabilityStatuses/current?api-version=2024-02-01");
    let s: AvailabilityStatus = json(sim.get(&rh).await).await;
    assert_eq!(s.properties.availability_state, "Unavailable");
    assert_eq!(
        s.properties.occured_time.as_deref(),
        Some("2026-04-04T09:01:00Z")
    );
    let after = count(&sim.get(&q).await);
    assert!(after > before + 900, "{before} → {after}");
    let peek =
        sim.get(&sim.url(
            "/_queue/stordersprodkrc/orders-to-fulfil/messages?peekonly=true&numofmessages=1",
        ))
        .await;
    let xml = peek.text().await.expect("xml");
    assert!(
        xml.contains("<InsertionTime>Sat, 04 Apr 2026 09:01:0"),
        "{xml}"
    );
    let tm: TmProfile = json(
        sim.get(&sim.rg(
            KRC,
            "Microsoft.Network/trafficmanagerprofiles/tm-functions-prod?api-version=2022-04-01",
        ))
        .await,
    )
    .await;
    let statuses: Vec<Option<&str>> = tm
        .properties
        .endpoints
        .iter()
        .map(|e| e.properties.endpoint_monitor_status.as_deref())
        .collect();
    assert_eq!(statuses, [Some("Degraded"), Some("Online")]);
    let st: StorageAccount = json(sim.get(&sim.rg(KRC, "Microsoft.Storage/storageAccounts/stworkflowprod?api-version=2025-01-01&$expand=geoReplicationStats")).await).await;
    let last_sync = st
        .properties
        .geo_replication_stats
        .and_then(|g| g.last_sync_time)
        .expect("geo stats");
    let last_sync = DateTime::parse_from_rfc3339(&last_sync)
        .expect("time")
        .with_timezone(&Utc);
    assert!(
        sim.clock.now() - last_sync > TimeDelta::minutes(9),
        "lag grows: {last_sync}"
    );
}

#[tokio::test]
#[allow(clippy::too_many_lines)] // one read after another, read top to bottom
async fn every_read_parses_into_the_shared_wire_types() {
    let sim = Sim::start("bad-release").await;
    sim.at(5 * 60);
    let site = |rg: &str, rest: &str| sim.rg(rg, &format!("Microsoft.Web/sites/{rest}"));
    let settings: StringDictionary = json(
        sim.post(
            &site(
                KRC,
                "func-orders-prod-krc/config/appsettings/list?api-version=2024-11-01",
            ),
            "",
        )
        .await,
    )
    .await;
    assert!(
        settings.properties["AzureWebJobsStorage"]
            .starts_with("DefaultEndpointsProtocol=https;AccountName=stordersprodkrc;AccountKey=")
    );
    let keys: HostKeys = json(
        sim.post(
            &site(
                KRC,
                "func-orders-prod-krc/slots/staging/host/default/listkeys?api-version=2024-11-01",
            ),
            "",
        )
        .await,
    )
    .await;
    assert!(keys.master_key.is_some() && keys.function_keys.contains_key("default"));
    let fk: StringDictionary = json(
        sim.post(
            &site(
                KRC,
                "func-orders-prod-krc/functions/CreateOrder/listkeys?api-version=2024-11-01",
            ),
            "",
        )
        .await,
    )
    .await;
    assert!(fk.properties.contains_key("default"));
    let functions: Page<FunctionEnvelope> = json(
        sim.get(&site(
            JPE,
            "func-reconcile-prod-jpe/functions?api-version=2024-11-01",
        ))
        .await,
    )
    .await;
    let disabled: Vec<(&str, Option<bool>)> = functions
        .value
        .iter()
        .map(|f| (f.function_name(), f.properties.is_disabled))
        .collect();
    assert_eq!(
        disabled,
        [
            ("NightlyReconcile", Some(true)),
            ("PurgeExpiredReservations", Some(true)),
            ("Health", Some(false))
        ]
    );
    let deployments: Page<Value> = json(
        sim.get(&site(
            KRC,
            "func-orders-prod-krc/deployments?api-version=2024-11-01",
        ))
        .await,
    )
    .await;
    assert_eq!(deployments.value[0]["properties"]["message"], "2026.04.04");
    let slot: Site = json(
        sim.get(&site(
            KRC,
            "func-orders-prod-krc/slots/staging?api-version=2024-11-01",
        ))
        .await,
    )
    .await;
    assert_eq!(slot.slot_name(), "staging");
    assert_eq!(
        slot.properties
            .slot_swap_status
            .map(|s| s.source_slot_name)
            .as_deref(),
        Some("staging")
    );

    let sb: SbQueue = json(sim.get(&sim.rg(KRC, "Microsoft.ServiceBus/namespaces/sb-functions-prod-krc/queues/payments?api-version=2024-01-01")).await).await;
    assert!(sb.properties.count_details.is_some());
    for (rg, provider, ns, alias, role) in [
        (
            KRC,
            "Microsoft.ServiceBus",
            "sb-functions-prod-krc",
            "sb-functions-prod",
            "Primary",
        ),
        (
            JPE,
            "Microsoft.ServiceBus",
            "sb-functions-prod-jpe",
            "sb-functions-prod",
            "Secondary",
        ),
        (
            KRC,
            "Microsoft.EventHub",
            "evhns-functions-prod-krc",
            "evh-functions-prod",
            "Primary",
        ),
        (
            JPE,
            "Microsoft.EventHub",
            "evhns-functions-prod-jpe",
            "evh-functions-prod",
            "Secondary",
        ),
    ] {
        let url = sim.rg(
            rg,
            &format!(
                "{provider}/namespaces/{ns}/disasterRecoveryConfigs/{alias}?api-version=2024-01-01"
            ),
        );
        let dr: DisasterRecoveryConfig = json(sim.get(&url).await).await;
        assert_eq!(dr.properties.role.as_deref(), Some(role), "{ns}");
    }

    let window = "eventTimestamp ge '2026-04-04T08:00:00Z' and eventTimestamp le '2026-04-04T10:00:00Z' and resourceGroupName eq 'rg-functions-prod-krc'";
    let url = reqwest::Url::parse_with_params(
        &sim.url(&format!(
            "/subscriptions/{SUB}/providers/Microsoft.Insights/eventtypes/management/values"
        )),
        [("api-version", "2015-04-01"), ("$filter", window)],
    )
    .expect("url");
    let log: Page<ActivityLogEvent> = json(sim.get(url.as_str()).await).await;
    assert!(
        log.value
            .iter()
            .any(|e| e.operation_name.value == "Microsoft.Web/sites/slots/slotsswap/action")
    );
    let bad = reqwest::Url::parse_with_params(
        &sim.url(&format!(
            "/subscriptions/{SUB}/providers/Microsoft.Insights/eventtypes/management/values"
        )),
        [
            ("api-version", "2015-04-01"),
            ("$filter", "operationName eq 'x'"),
        ],
    )
    .expect("url");
    assert_eq!(
        sim.get(bad.as_str()).await.status(),
        StatusCode::BAD_REQUEST
    );

    let graph = sim.url("/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01");
    let body = r#"{"query":"Resources | where type =~ 'microsoft.web/sites' and resourceGroup =~ 'rg-functions-prod-jpe' | order by name asc","options":{"$top":4}}"#;
    let first: QueryResponse = json(sim.post(&graph, body).await).await;
    assert_eq!((first.total_records, first.count), (6, 4));
    let token = first.skip_token.expect("more rows");
    let body2 = format!(
        r#"{{"query":"Resources | where type =~ 'microsoft.web/sites' and resourceGroup =~ 'rg-functions-prod-jpe' | order by name asc","options":{{"$top":4,"$skipToken":"{token}"}}}}"#
    );
    let second: QueryResponse = json(sim.post(&graph, &body2).await).await;
    assert_eq!(second.count, 2);
    assert!(second.skip_token.is_none());
    let bad = sim
        .post(&graph, r#"{"query":"Resources | summarize count()"}"#)
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_queue_data_plane_creates_enqueues_and_counts_writes() {
    let sim = Sim::start("calm").await;
    let before = sim.handle.counts();
    // The write hook sees each write as it arrives, and no read.
    let hooked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&hooked);
    sim.handle.on_write(move |w| {
        sink.lock()
            .expect("the hook's list")
            .push(format!("{} {}", w.method, w.path));
    });
    let q = sim.url("/_queue/stordersprodjpe/drill-probe");
    assert_eq!(
        sim.http.put(&q).send().await.expect("put").status(),
        StatusCode::CREATED
    );
    assert_eq!(
        sim.http.put(&q).send().await.expect("put").status(),
        StatusCode::NO_CONTENT
    );
    let msg = "<QueueMessage><MessageText>aGVsbG8=</MessageText></QueueMessage>";
    let r = sim
        .http
        .post(format!("{q}/messages"))
        .body(msg)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::CREATED);
    let peek = sim
        .get(&format!("{q}/messages?peekonly=true&numofmessages=32"))
        .await
        .text()
        .await
        .expect("xml");
    assert!(
        peek.contains("<MessageText>aGVsbG8=</MessageText>"),
        "{peek}"
    );
    let missing = sim
        .get(&sim.url("/_queue/stordersprodjpe/nope?comp=metadata"))
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.headers()["x-ms-error-code"], "QueueNotFound");
    let after = sim.handle.counts();
    assert_eq!(after.total - before.total, 5);
    assert_eq!(after.writes - before.writes, 3, "two PUTs and one POST");
    assert_eq!(
        *hooked.lock().expect("the hook's list"),
        [
            "PUT /_queue/stordersprodjpe/drill-probe",
            "PUT /_queue/stordersprodjpe/drill-probe",
            "POST /_queue/stordersprodjpe/drill-probe/messages",
        ]
    );
    assert_eq!(after.by_surface.get("queue").copied().unwrap_or(0), 5);
    sim.handle.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn slow_windows_delay_answers() {
    let sim = Sim::start("throttled").await;
    let url = sim.rg(
        KRC,
        "Microsoft.Web/sites/func-orders-prod-krc?api-version=2024-11-01",
    );
    sim.at(250);
    let started = std::time::Instant::now();
    assert_eq!(sim.get(&url).await.status(), StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}
