//! warroom's real client against the real simulator: the platform reads (Resource Health, Azure
//! Monitor metrics, the activity log, Resource Graph) and the data-state reads (storage
//! geo-replication, Storage queues through the queue client, Service Bus counts, geo-DR aliases).
//! Where the simulator's world holds the truth (a queue's depth), the read is compared with it.

#[path = "common/wire.rs"]
mod wire;

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use warroom::azure::reads::MetricsQuery;
use warroom::config::generate::generated_toml;
use warroom::config::{Estate, QueueKind};
use warroom::sim::Scenario;
use wire::Wire;

const ORDERS: &str = "func-orders-prod-krc";

fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("{s:?}: {e}"))
        .with_timezone(&Utc)
}

fn app_id(w: &Wire, app: &str) -> String {
    w.estate.app_id(w.estate.app(app).expect("app"))
}

#[tokio::test]
async fn resource_health_stays_available_through_a_bad_release() {
    let w = Wire::start("bad-release").await;
    w.at(5 * 60);
    let id = app_id(&w, ORDERS);
    let status = w.client.resource_health(&id).await.expect("status");
    assert_eq!(status.properties.availability_state, "Available");
    assert!(
        status.id.eq_ignore_ascii_case(&format!(
            "{id}/providers/Microsoft.ResourceHealth/availabilityStatuses/current"
        )),
        "{}",
        status.id
    );
    let rg = w.rg("krc");
    let all = w
        .client
        .resource_health_in_group(&rg.subscription, &rg.resource_group)
        .await
        .expect("statuses in group");
    let sites: BTreeSet<String> = all
        .iter()
        .filter(|s| s.id.contains("/Microsoft.Web/sites/"))
        .map(|s| s.id.to_ascii_lowercase())
        .collect();
    let expected: BTreeSet<String> = w
        .estate
        .apps
        .iter()
        .filter(|a| a.region == "krc")
        .map(|a| {
            format!(
                "{}/providers/microsoft.resourcehealth/availabilitystatuses/current",
                w.estate.app_id(a)
            )
            .to_ascii_lowercase()
        })
        .collect();
    assert_eq!(sites, expected, "every site of the group once");
    assert!(
        all.iter()
            .all(|s| s.properties.availability_state == "Available"),
        "{all:?}"
    );
}

#[tokio::test]
async fn resource_health_reports_the_region_outage_at_its_time() {
    let w = Wire::start("region-outage").await;
    let outage = w.t(60);
    let krc_apps: Vec<String> = w
        .estate
        .apps
        .iter()
        .filter(|a| a.region == "krc")
        .map(|a| a.name.clone())
        .collect();
    w.at(50);
    for app in &krc_apps {
        let s = w
            .client
            .resource_health(&app_id(&w, app))
            .await
            .expect("status");
        assert_eq!(
            s.properties.availability_state, "Available",
            "{app} before the outage"
        );
    }
    w.at(11 * 60);
    for app in &krc_apps {
        let s = w
            .client
            .resource_health(&app_id(&w, app))
            .await
            .expect("status");
        assert_eq!(s.properties.availability_state, "Unavailable", "{app}");
        let since = s.properties.occured_time.as_deref().map(time);
        assert_eq!(since, Some(outage), "{app}");
    }
    let jpe = w
        .client
        .resource_health(&app_id(&w, "func-orders-prod-jpe"))
        .await
        .expect("status");
    assert_eq!(jpe.properties.availability_state, "Available");
    // The group listing agrees: every krc site and namespace is Unavailable, jpe's are not.
    for (region, state) in [("krc", "Unavailable"), ("jpe", "Available")] {
        let rg = w.rg(region);
        let all = w
            .client
            .resource_health_in_group(&rg.subscription, &rg.resource_group)
            .await
            .expect("statuses in group");
        let platform: Vec<_> = all
            .iter()
            .filter(|s| s.id.contains("/Microsoft.Web/sites/") || s.id.contains("/namespaces/"))
            .collect();
        assert!(platform.len() >= 6, "{region}: {platform:?}");
        for s in platform {
            assert_eq!(s.properties.availability_state, state, "{}", s.id);
        }
    }
}

#[tokio::test]
async fn metrics_show_the_failure_rate_of_production_across_the_swap() {
    let w = Wire::start("bad-release").await;
    w.at(12 * 60);
    let id = app_id(&w, ORDERS);
    let from = time("2026-04-04T08:50:00Z");
    let to = time("2026-04-04T09:12:00Z");
    let before = w.served();
    let m = w
        .client
        .metrics(&MetricsQuery {
            resource_id: &id,
            names: &["Requests", "Http5xx", "HttpResponseTime"],
            aggregations: &["Total", "Average"],
            from,
            to,
            interval: "PT1M",
        })
        .await
        .expect("metrics");
    assert_eq!(w.served() - before, 1, "three metrics in one request");
    let names: Vec<&str> = m.value.iter().map(|v| v.name.value.as_str()).collect();
    assert_eq!(names, ["Requests", "Http5xx", "HttpResponseTime"]);
    let series = |i: usize| -> Vec<(DateTime<Utc>, f64)> {
        m.value[i].timeseries[0]
            .data
            .iter()
            .map(|p| (time(&p.time_stamp), p.total.unwrap_or(0.0)))
            .collect()
    };
    let (requests, failures) = (series(0), series(1));
    assert_eq!(requests.len(), 22, "one point a minute");
    let swap_minute = time("2026-04-04T09:01:00Z");
    for ((at, req), (at2, fail)) in requests.iter().zip(&failures) {
        assert_eq!(at, at2);
        assert!(
            *req > 500.0,
            "{at}: {req} requests (1,200 a minute nominal)"
        );
        let rate = fail / req;
        if *at < swap_minute {
            assert!(rate < 0.02, "{at}: {rate} before the swap");
        } else if *at > swap_minute {
            assert!(rate > 0.20, "{at}: {rate} after the swap");
        }
    }
    // The response time rises with the bad release's latency profile.
    let avg = |at: &str| {
        m.value[2].timeseries[0]
            .data
            .iter()
            .find(|p| time(&p.time_stamp) == time(at))
            .and_then(|p| p.average)
            .expect("a point")
    };
    assert!(
        avg("2026-04-04T09:08:00Z") > 2.0 * avg("2026-04-04T08:58:00Z"),
        "latency after {} vs before {}",
        avg("2026-04-04T09:08:00Z"),
        avg("2026-04-04T08:58:00Z")
    );
    // An unknown metric is ARM's typed 400.
    let err = w
        .client
        .metrics(&MetricsQuery {
            resource_id: &id,
            names: &["Nope"],
            aggregations: &["Total"],
            from,
            to,
            interval: "PT1M",
        })
        .await
        .expect_err("no such metric");
    assert_eq!(err.status(), Some(400), "{err}");
}

#[tokio::test]
async fn storage_geo_replication_lag_grows_in_a_region_outage() {
    let w = Wire::start("region-outage").await;
    let rg = w.rg("krc");
    let lag = |a: &warroom::azure::wire::storage::StorageAccount, now: DateTime<Utc>| {
        let stats = a
            .properties
            .geo_replication_stats
            .clone()
            .expect("geoReplicationStats expanded");
        now - time(&stats.last_sync_time.expect("lastSyncTime"))
    };
    w.at(30);
    let artifacts = w
        .client
        .get_storage_account(&rg, "stfuncartifactsprod")
        .await
        .expect("account");
    assert_eq!(artifacts.sku.name, "Standard_RAGRS");
    assert_eq!(
        artifacts.properties.secondary_location.as_deref(),
        Some("koreasouth")
    );
    let early = lag(&artifacts, w.now());
    // The scenario's 40 s base lag, give or take its jitter.
    assert!(
        early > TimeDelta::seconds(20) && early < TimeDelta::seconds(80),
        "{early}"
    );
    let workflow_early = lag(
        &w.client
            .get_storage_account(&rg, "stworkflowprod")
            .await
            .expect("account"),
        w.now(),
    );
    w.at(10 * 60);
    let late = lag(
        &w.client
            .get_storage_account(&rg, "stfuncartifactsprod")
            .await
            .expect("account"),
        w.now(),
    );
    assert!(
        late > TimeDelta::minutes(8),
        "lag grows with the outage: {late}"
    );
    let workflow_late = lag(
        &w.client
            .get_storage_account(&rg, "stworkflowprod")
            .await
            .expect("account"),
        w.now(),
    );
    assert!(
        workflow_late > workflow_early + TimeDelta::minutes(8),
        "{workflow_early} → {workflow_late}"
    );
    // A locally redundant account has no geo statistics to expand.
    let lrs = w
        .client
        .get_storage_account(&rg, "stordersprodkrc")
        .await
        .expect("account");
    assert_eq!(lrs.sku.name, "Standard_LRS");
    assert!(lrs.properties.geo_replication_stats.is_none());
}

#[tokio::test]
async fn a_storage_queue_grows_while_its_region_is_out() {
    let w = Wire::start("region-outage").await;
    let account = w.queue_account("stordersprodkrc");
    let queue = "orders-to-fulfil";
    let world_depth = |w: &Wire| {
        w.sim
            .with_world(|world| {
                world
                    .queue("stordersprodkrc", queue)
                    .map(warroom::sim::world::QueueState::depth)
            })
            .expect("queue in world")
    };
    w.at(45);
    let before = w
        .queues
        .queue_metadata(&account, queue)
        .await
        .expect("count");
    assert_eq!(before, world_depth(&w));
    assert!(before < 20, "drained before the outage: {before}");
    if let Some(m) = w.queues.peek_oldest(&account, queue).await.expect("peek") {
        assert!(w.now() - m.insertion_time < TimeDelta::seconds(10), "{m:?}");
    }
    w.at(11 * 60);
    let after = w
        .queues
        .queue_metadata(&account, queue)
        .await
        .expect("count");
    assert_eq!(after, world_depth(&w));
    // 110 a minute arrive, none are processed: ten minutes add about 1,100.
    assert!(after > before + 900, "{before} → {after}");
    let oldest = w
        .queues
        .peek_oldest(&account, queue)
        .await
        .expect("peek")
        .expect("a waiting message");
    let outage = w.t(60);
    // The queue was drained when the consumer stopped, so the oldest waiting message is the
    // first one that arrived after: its age is the outage's age.
    assert!(
        oldest.insertion_time >= outage - TimeDelta::seconds(2)
            && oldest.insertion_time <= outage + TimeDelta::seconds(5),
        "oldest inserted at {}, outage at {outage}",
        oldest.insertion_time
    );
    assert!(w.now() - oldest.insertion_time > TimeDelta::minutes(9));
    assert_eq!(
        oldest.expiration_time,
        Some(oldest.insertion_time + TimeDelta::days(7))
    );
    // The other region's queue keeps draining.
    let jpe = w
        .queues
        .queue_metadata(&w.queue_account("stordersprodjpe"), queue)
        .await
        .expect("count");
    assert!(jpe < 20, "{jpe}");
    // A missing queue is Storage's typed 404.
    let err = w
        .queues
        .queue_metadata(&account, "nope")
        .await
        .expect_err("no such queue");
    assert_eq!(
        (err.status(), err.code()),
        (Some(404), Some("QueueNotFound"))
    );
}

#[tokio::test]
async fn service_bus_count_details_match_the_world() {
    let w = Wire::start("region-outage").await;
    let rg = w.rg("krc");
    for secs in [30, 10 * 60] {
        w.at(secs);
        let q = w
            .client
            .get_sb_queue(&rg, "sb-functions-prod-krc", "payments")
            .await
            .expect("queue");
        assert_eq!(q.name, "payments");
        let counts = q.properties.count_details.expect("countDetails");
        let (depth, dead) = w
            .sim
            .with_world(|world| {
                world
                    .queue("sb-functions-prod-krc", "payments")
                    .map(|q| (q.depth(), q.dead_letters()))
            })
            .expect("queue in world");
        assert_eq!(counts.active_message_count, depth, "at {secs}s");
        assert_eq!(counts.dead_letter_message_count, dead, "at {secs}s");
        if secs > 60 {
            assert!(
                depth > 500,
                "70 a minute pile up with the consumer out: {depth}"
            );
        }
    }
}

#[tokio::test]
async fn geo_dr_aliases_name_primary_and_secondary() {
    let w = Wire::start("calm").await;
    assert_eq!(w.estate.geo_dr_aliases.len(), 2);
    for alias in &w.estate.geo_dr_aliases {
        for (namespace, region, role, partner) in [
            (
                &alias.primary_namespace,
                &alias.primary_region,
                "Primary",
                &alias.secondary_namespace,
            ),
            (
                &alias.secondary_namespace,
                &alias.secondary_region,
                "Secondary",
                &alias.primary_namespace,
            ),
        ] {
            let dr = w
                .client
                .get_dr_config(alias.kind, &w.rg(region), namespace, &alias.name)
                .await
                .unwrap_or_else(|e| panic!("{namespace}: {e}"));
            assert_eq!(dr.name, alias.name);
            assert_eq!(dr.properties.role.as_deref(), Some(role), "{namespace}");
            let provider = if alias.kind == QueueKind::EventHubs {
                "/providers/Microsoft.EventHub/"
            } else {
                "/providers/Microsoft.ServiceBus/"
            };
            assert!(dr.id.contains(provider), "{}", dr.id);
            assert!(
                dr.properties
                    .partner_namespace
                    .as_deref()
                    .is_some_and(|p| p.ends_with(&format!("/namespaces/{partner}"))),
                "{namespace}: partner {:?}",
                dr.properties.partner_namespace
            );
        }
    }
    let sb = w
        .client
        .get_dr_config(
            QueueKind::ServiceBus,
            &w.rg("krc"),
            "sb-functions-prod-krc",
            "sb-functions-prod",
        )
        .await
        .expect("alias");
    assert_eq!(
        sb.properties.pending_replication_operations_count,
        Some(3),
        "the scenario's backlog"
    );
}

#[tokio::test]
async fn the_activity_log_shows_the_swap_at_its_time() {
    let w = Wire::start("bad-release").await;
    let rg = w.rg("krc");
    let from = time("2026-04-04T08:00:00Z");
    let to = time("2026-04-04T10:00:00Z");
    let swaps =
        |events: &[warroom::azure::wire::monitor::ActivityLogEvent]| -> Vec<(String, String)> {
            events
                .iter()
                .filter(|e| e.operation_name.value.ends_with("slotsswap/action"))
                .map(|e| {
                    (
                        e.status
                            .as_ref()
                            .map(|s| s.value.clone())
                            .unwrap_or_default(),
                        e.event_timestamp.clone(),
                    )
                })
                .collect()
        };
    // Events are listed only after their ingestion delay.
    w.at(75);
    let early = w
        .client
        .activity_log(&rg.subscription, &rg.resource_group, from, to)
        .await
        .expect("log");
    assert!(swaps(&early).is_empty(), "{:?}", swaps(&early));
    w.at(5 * 60);
    let log = w
        .client
        .activity_log(&rg.subscription, &rg.resource_group, from, to)
        .await
        .expect("log");
    let swaps = swaps(&log);
    assert_eq!(swaps.len(), 2, "Started and Succeeded: {swaps:?}");
    let done = swaps
        .iter()
        .find(|(status, _)| status == "Succeeded")
        .expect("a Succeeded swap");
    assert_eq!(time(&done.1), time("2026-04-04T09:01:10Z"));
    let swap = log
        .iter()
        .find(|e| e.operation_name.value.ends_with("slotsswap/action"))
        .expect("swap event");
    assert!(
        swap.resource_id
            .as_deref()
            .is_some_and(|id| id.contains(&format!("/sites/{ORDERS}/slots/staging"))),
        "{:?}",
        swap.resource_id
    );
    // The deploy to staging before it is there too.
    assert!(
        log.iter()
            .any(|e| e.operation_name.value == "Microsoft.Web/sites/slots/extensions/write"),
        "{log:?}"
    );
    // The other group saw nothing.
    let jpe = w.rg("jpe");
    let quiet = w
        .client
        .activity_log(&jpe.subscription, &jpe.resource_group, from, to)
        .await
        .expect("log");
    assert!(quiet.is_empty(), "{quiet:?}");
}

/// Every site and slot of the estate's resource groups, as the inventory asks for them.
fn inventory_query(estate: &Estate) -> String {
    let groups: Vec<String> = estate
        .regions
        .iter()
        .map(|r| format!("'{}'", r.resource_group))
        .collect();
    format!(
        "Resources | where type in~ ('microsoft.web/sites', 'microsoft.web/sites/slots') \
         | where resourceGroup in~ ({}) \
         | project id, name, type, location, resourceGroup, subscriptionId, kind, properties",
        groups.join(", ")
    )
}

/// Every site and slot id of an estate, lower-cased.
fn estate_ids(estate: &Estate) -> BTreeSet<String> {
    estate
        .apps
        .iter()
        .flat_map(|a| {
            let site = estate.app_id(a);
            std::iter::once(site.clone())
                .chain(a.slots.iter().map(move |s| format!("{site}/slots/{s}")))
        })
        .map(|id| id.to_ascii_lowercase())
        .collect()
}

fn subscriptions(estate: &Estate) -> Vec<String> {
    estate.subscriptions.iter().map(|s| s.id.clone()).collect()
}

#[tokio::test]
async fn resource_graph_lists_every_site_and_slot_of_the_estate() {
    let w = Wire::start("calm").await;
    let before = w.served();
    let rows = w
        .client
        .resource_graph(&subscriptions(&w.estate), &inventory_query(&w.estate))
        .await
        .expect("graph");
    assert_eq!(w.served() - before, 1, "the demo estate fits one page");
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_ascii_lowercase()).collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), unique.len(), "no row twice");
    assert_eq!(unique, estate_ids(&w.estate));
    let staging = rows
        .iter()
        .find(|r| r.id.ends_with("/sites/func-orders-prod-krc/slots/staging"))
        .expect("the staging slot");
    assert!(
        staging
            .resource_type
            .eq_ignore_ascii_case("microsoft.web/sites/slots")
    );
    assert_eq!(
        staging.resource_group.as_deref(),
        Some("rg-functions-prod-krc")
    );
}

#[tokio::test]
async fn resource_graph_pages_a_thousand_app_estate() {
    let estate = Estate::parse(&generated_toml(1_000), "generated").expect("generated estate");
    // The calm scenario's per-app entries name demo apps; a generated estate takes the defaults.
    let mut scenario = Scenario::builtin("calm").expect("scenario");
    scenario.apps.clear();
    scenario.queues.clear();
    scenario.storage_accounts.clear();
    scenario.aliases.clear();
    let w = Wire::start_with(estate, scenario).await;
    let expected = estate_ids(&w.estate);
    let sites = w.estate.apps.len();
    assert_eq!(sites, 1_000);
    // 1,000 sites and a staging slot on every Premium app: more rows than one page of 1,000.
    assert!(expected.len() > 1_000, "{}", expected.len());
    let before = w.served();
    let rows = w
        .client
        .resource_graph(&subscriptions(&w.estate), &inventory_query(&w.estate))
        .await
        .expect("graph");
    let pages = w.served() - before;
    assert_eq!(
        pages,
        expected.len().div_ceil(1_000) as u64,
        "one request per page of 1,000 rows, following $skipToken"
    );
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_ascii_lowercase()).collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), unique.len(), "no row twice across pages");
    assert_eq!(unique, expected);
    let site_rows = rows
        .iter()
        .filter(|r| r.resource_type.eq_ignore_ascii_case("microsoft.web/sites"))
        .count();
    assert_eq!(site_rows, 1_000, "all 1,000 sites");
}
