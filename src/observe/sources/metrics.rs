//! The request-metrics source: `Requests`, `Http5xx` and `HttpResponseTime` of every app, read
//! through Azure Monitor's batch call, one request per 50 apps of one subscription and region, so
//! its cost grows with the estate by a fiftieth rather than one request per app. When the estate
//! names a Log Analytics workspace, one query beside them reads every app's per-minute p95
//! (`MetricPoint::p95_ms`), with its own age and error in `Snapshot::p95_source`.
//!
//! Owns the grouping of apps into batch chunks, the mapping of a batch answer back to apps, and
//! the per-app ARM fallback. It must not touch any other part of the snapshot than `metrics` and
//! `p95_source`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};

use crate::azure::client::AzureClient;
use crate::azure::reads::{LatencyMinute, METRICS_BATCH_MAX, MetricsBatchQuery, MetricsQuery};
use crate::config::Estate;
use crate::model::MetricPoint;
use crate::observe::convert;

use super::{Ctx, fan_out};

/// How much metric history is read.
const METRIC_WINDOW_MINUTES: i64 = 30;

/// The metrics read for every app.
const NAMES: &[&str] = &["Requests", "Http5xx", "HttpResponseTime"];

/// The aggregations read: totals for the counts, average and maximum for the response time.
const AGGREGATIONS: &[&str] = &["Total", "Average", "Maximum"];

/// The metric namespace of function apps.
const NAMESPACE: &str = "Microsoft.Web/sites";

/// The grain.
const INTERVAL: &str = "PT1M";

/// One app's metrics, or why they could not be read.
type AppMetrics = (String, Result<Vec<MetricPoint>, String>);

/// Up to [`METRICS_BATCH_MAX`] apps of one subscription and one Azure location: one batch call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The subscription id.
    pub subscription: String,
    /// The Azure location (`koreacentral`), which picks the regional endpoint.
    pub location: String,
    /// The apps: name and ARM id.
    pub apps: Vec<(String, String)>,
}

/// The estate's apps grouped by (subscription, location), in chunks the batch call accepts.
pub fn chunks(estate: &Estate) -> Vec<Chunk> {
    let mut groups: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    for app in &estate.apps {
        let region = estate.region_of(app);
        groups
            .entry((
                region.subscription_id.to_ascii_lowercase(),
                region.location.to_ascii_lowercase(),
            ))
            .or_default()
            .push((app.name.clone(), estate.app_id(app)));
    }
    groups
        .into_iter()
        .flat_map(|((subscription, location), apps)| {
            apps.chunks(METRICS_BATCH_MAX)
                .map(|c| Chunk {
                    subscription: subscription.clone(),
                    location: location.clone(),
                    apps: c.to_vec(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Reads request metrics for every app, one batch call per chunk.
pub async fn metrics(ctx: &Ctx) {
    let now = ctx.clock.now();
    let to = now - Duration::seconds(i64::from(now.timestamp_subsec_nanos() > 0));
    let from = now - Duration::minutes(METRIC_WINDOW_MINUTES);
    let client = ctx.client.clone();
    let endpoint = ctx.estate.endpoints.metrics.clone();
    let platform = fan_out(chunks(&ctx.estate), move |chunk| {
        read_chunk(client.clone(), endpoint.clone(), chunk, (from, to))
    });
    let (results, p95) = tokio::join!(platform, p95(ctx, from, to));
    let by_minute: HashMap<(String, DateTime<Utc>), f64> = match &p95 {
        Some(Ok(minutes)) => minutes
            .iter()
            .filter_map(|m| Some(((m.app.to_ascii_lowercase(), m.at), m.p95_ms?)))
            .collect(),
        _ => HashMap::new(),
    };
    ctx.update(|snap| {
        for (name, r) in results.into_iter().flatten() {
            if let Some(app) = snap.apps.iter_mut().find(|a| a.name == name) {
                match r {
                    Ok(mut points) => {
                        let key = name.to_ascii_lowercase();
                        for p in &mut points {
                            p.p95_ms = by_minute.get(&(key.clone(), p.at)).copied();
                        }
                        app.metrics.set(points, now);
                    }
                    Err(e) => app.metrics.fail(e, now),
                }
            }
        }
        if let (Some(source), Some(r)) = (snap.p95_source.as_mut(), p95) {
            match r {
                Ok(minutes) => source.set(minutes.len(), now),
                Err(e) => source.fail(e.to_string(), now),
            }
        }
    });
}

/// The p95 latency of every app from the estate's Log Analytics workspace, when it names one:
/// one query for the whole estate per metrics refresh.
async fn p95(
    ctx: &Ctx,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Option<Result<Vec<LatencyMinute>, crate::azure::Error>> {
    let workspace = ctx.estate.log_analytics_workspace.as_deref()?;
    let apps: Vec<&str> = ctx.estate.apps.iter().map(|a| a.name.as_str()).collect();
    Some(
        ctx.client
            .latency_p95(&ctx.estate.endpoints.logs, workspace, &apps, from, to)
            .await,
    )
}

/// One chunk's metrics: one batch call, mapped back to its apps by resource id.
async fn read_chunk(
    client: std::sync::Arc<AzureClient>,
    endpoint: String,
    chunk: Chunk,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Vec<AppMetrics> {
    let ids: Vec<String> = chunk.apps.iter().map(|(_, id)| id.clone()).collect();
    let q = MetricsBatchQuery {
        endpoint: &endpoint,
        region: &chunk.location,
        subscription: &chunk.subscription,
        resource_ids: &ids,
        namespace: NAMESPACE,
        names: NAMES,
        aggregations: AGGREGATIONS,
        from,
        to,
        interval: INTERVAL,
    };
    match client.metrics_batch(&q).await {
        Ok(resp) => {
            let by_id: HashMap<String, &[crate::azure::wire::monitor::Metric]> = resp
                .values
                .iter()
                .map(|v| (v.resourceid.to_ascii_lowercase(), v.value.as_slice()))
                .collect();
            chunk
                .apps
                .into_iter()
                .map(|(name, id)| {
                    let r = by_id
                        .get(&id.to_ascii_lowercase())
                        .map(|m| convert::metric_points(m))
                        .ok_or_else(|| {
                            format!(
                                "the batch metrics answer for {} has no entry for {id}",
                                chunk.location
                            )
                        });
                    (name, r)
                })
                .collect()
        }
        // A cloud or region without the batch call answers 404 (or 400 for an operation it does
        // not know), and so does a batch naming one resource the region cannot find. Either way
        // the chunk is read the old way, one ARM request per app, so every app still gets its
        // metrics or its own error.
        Err(e) if matches!(e.status(), Some(400 | 404)) => {
            tracing::debug!(
                location = %chunk.location, apps = chunk.apps.len(), error = %e,
                "batch metrics refused; reading per app"
            );
            per_app(client, chunk.apps, (from, to)).await
        }
        Err(e) => {
            let msg = e.to_string();
            chunk
                .apps
                .into_iter()
                .map(|(name, _)| (name, Err(msg.clone())))
                .collect()
        }
    }
}

/// The fallback: one ARM metrics request per app.
async fn per_app(
    client: std::sync::Arc<AzureClient>,
    apps: Vec<(String, String)>,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Vec<AppMetrics> {
    fan_out(apps, move |(name, id)| {
        let client = client.clone();
        async move {
            let q = MetricsQuery {
                resource_id: &id,
                names: NAMES,
                aggregations: AGGREGATIONS,
                from,
                to,
                interval: INTERVAL,
            };
            let r = client
                .metrics(&q)
                .await
                .map(|resp| convert::metric_points(&resp.value))
                .map_err(|e| e.to_string());
            (name, r)
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::generate::generated_toml;

    #[test]
    fn a_thousand_apps_in_two_regions_make_twenty_chunks() {
        let estate = Estate::parse(&generated_toml(1000), "generated").expect("valid");
        let chunks = chunks(&estate);
        assert_eq!(chunks.len(), 20);
        assert!(chunks.iter().all(|c| c.apps.len() <= METRICS_BATCH_MAX));
        for c in &chunks {
            for (name, _) in &c.apps {
                let app = estate.app(name).expect("app");
                assert_eq!(estate.region_of(app).location, c.location);
            }
        }
        let total: usize = chunks.iter().map(|c| c.apps.len()).sum();
        assert_eq!(total, 1000);
    }

    #[test]
    fn the_demo_makes_one_chunk_per_region() {
        let estate = Estate::demo();
        let chunks = chunks(&estate);
        let mut locations: Vec<String> = estate
            .regions
            .iter()
            .map(|r| r.location.to_ascii_lowercase())
            .collect();
        locations.sort();
        locations.dedup();
        assert_eq!(chunks.len(), locations.len());
    }
}
