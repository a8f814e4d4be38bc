//! Azure Monitor metrics, computed from the world's per-minute telemetry: the ARM call
//! (`/{resourceUri}/providers/Microsoft.Insights/metrics`) and the regional data-plane batch call
//! (`/_metrics/{region}/subscriptions/{sub}/metrics:getBatch`).
//!
//! Sites and slots have `Requests`, `Http5xx` (counts), `HttpResponseTime` (seconds) and
//! `AverageResponseTime` (milliseconds); the Front Door profile has `OriginHealthPercentage`,
//! split by `Origin` with `$filter=Origin eq '*'`. Grains are aligned to their boundaries; only
//! complete minutes count, and grains with none carry a timestamp only, as Azure's do.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, TimeDelta, Utc};

use super::Shared;
use super::conventions::errors::{Fail, arm_error, bad_request};
use super::conventions::iso;
use super::resources::{Target, resolve};
use crate::azure::wire::monitor::{
    LocalizableString, MetadataValue, Metric, MetricValue, MetricsBatchRequest,
    MetricsBatchResponse, MetricsBatchResult, TimeSeries,
};
use crate::sim::world::World;

mod query;

use query::Agg;
pub(crate) use query::MetricsQuery;

/// One metric the simulator serves.
struct Def {
    name: &'static str,
    localized: &'static str,
    unit: &'static str,
    primary: Agg,
    description: &'static str,
}

const SITE: &[Def] = &[
    Def {
        name: "Requests",
        localized: "Requests",
        unit: "Count",
        primary: Agg::Total,
        description: "The total number of requests regardless of their resulting HTTP status code.",
    },
    Def {
        name: "Http5xx",
        localized: "Http Server Errors",
        unit: "Count",
        primary: Agg::Total,
        description: "The count of requests resulting in an HTTP status code >= 500 but < 600.",
    },
    Def {
        name: "HttpResponseTime",
        localized: "Response Time",
        unit: "Seconds",
        primary: Agg::Average,
        description: "The time taken for the app to serve requests, in seconds.",
    },
    Def {
        name: "AverageResponseTime",
        localized: "Average Response Time (deprecated)",
        unit: "MilliSeconds",
        primary: Agg::Average,
        description: "The average time taken for the app to serve requests, in milliseconds.",
    },
];

const FRONT_DOOR: &[Def] = &[Def {
    name: "OriginHealthPercentage",
    localized: "Origin Health Percentage",
    unit: "Percent",
    primary: Agg::Average,
    description: "The percentage of successful health probes from Front Door to origins.",
}];

/// Per-minute samples of one series: (value, weight) pairs for each complete minute.
type Samples = Vec<Vec<(f64, f64)>>;

fn defs_for(target: Target<'_>) -> Option<(&'static [Def], &'static str)> {
    match target {
        Target::Site(_, 0) => Some((SITE, "Microsoft.Web/sites")),
        Target::Site(..) => Some((SITE, "Microsoft.Web/sites/slots")),
        Target::FrontDoor => Some((FRONT_DOOR, "Microsoft.Cdn/profiles")),
        _ => None,
    }
}

/// The metrics of one resource, or an ARM error response.
pub(crate) fn metrics_for(
    w: &World,
    target: Target<'_>,
    resource_id: &str,
    q: &MetricsQuery,
) -> Result<Vec<Metric>, Fail> {
    let (defs, namespace) = defs_for(target).ok_or_else(|| {
        bad_request(
            "ResourceTypeNotSupported",
            format!("The simulator has no metrics for '{resource_id}'."),
        )
    })?;
    if let Some(ns) = &q.namespace
        && !ns.eq_ignore_ascii_case(namespace)
    {
        return Err(bad_request(
            "BadRequest",
            format!("Metric namespace '{ns}' is not valid for this resource; use '{namespace}'."),
        ));
    }
    let names = if q.names.is_empty() {
        vec![defs[0].name.to_owned()]
    } else {
        q.names.clone()
    };
    names
        .iter()
        .map(|n| {
            let def = defs.iter().find(|d| d.name.eq_ignore_ascii_case(n)).ok_or_else(|| {
                let valid: Vec<&str> = defs.iter().map(|d| d.name).collect();
                bad_request(
                    "BadRequest",
                    format!("Failed to find metric configuration for provider: {namespace}, metric: {n}, Valid metrics: {}", valid.join(",")),
                )
            })?;
            Ok(metric(w, target, resource_id, def, q))
        })
        .collect()
}

fn metric(w: &World, target: Target<'_>, resource_id: &str, def: &Def, q: &MetricsQuery) -> Metric {
    let aggs = q.aggregations.clone().unwrap_or_else(|| vec![def.primary]);
    let timeseries = if q.metadata_only {
        Vec::new()
    } else {
        series(w, target, def, q)
            .into_iter()
            .map(|(dims, samples)| TimeSeries {
                metadatavalues: dims,
                data: q
                    .grains()
                    .zip(samples)
                    .map(|(start, s)| point(start, def, &s, &aggs))
                    .collect(),
            })
            .collect()
    };
    Metric {
        id: format!(
            "{resource_id}/providers/Microsoft.Insights/metrics/{}",
            def.name
        ),
        resource_type: "Microsoft.Insights/metrics".to_owned(),
        name: LocalizableString {
            value: def.name.to_owned(),
            localized_value: Some(def.localized.to_owned()),
        },
        display_description: Some(def.description.to_owned()),
        unit: def.unit.to_owned(),
        error_code: Some("Success".to_owned()),
        timeseries,
    }
}

/// The minutes of a grain that are complete at the world's now.
fn minutes(w: &World, start: DateTime<Utc>, len: TimeDelta) -> impl Iterator<Item = DateTime<Utc>> {
    let now = w.now();
    (0..len.num_minutes())
        .map(move |k| start + TimeDelta::minutes(k))
        .filter(move |m| *m + TimeDelta::minutes(1) <= now)
}

fn series(
    w: &World,
    target: Target<'_>,
    def: &Def,
    q: &MetricsQuery,
) -> Vec<(Vec<MetadataValue>, Samples)> {
    let grain = q.grain();
    match target {
        Target::Site(a, s) => {
            let samples = q
                .grains()
                .map(|start| {
                    minutes(w, start, grain)
                        .map(|m| {
                            let st = w.minute_stats(a, s, m);
                            match def.name {
                                "Requests" => (st.requests, 1.0),
                                "Http5xx" => (st.failures, 1.0),
                                "HttpResponseTime" => (st.avg_ms / 1000.0, st.requests),
                                _ => (st.avg_ms, st.requests),
                            }
                        })
                        .collect()
                })
                .collect();
            vec![(Vec::new(), samples)]
        }
        Target::FrontDoor => {
            let Some(fd) = w.routing().fd.as_ref() else {
                return Vec::new();
            };
            let health = |o: &crate::sim::world::OriginState, m: DateTime<Utc>| {
                let probes = [m, m + TimeDelta::seconds(30)];
                probes.iter().filter(|p| w.origin_healthy(o, **p)).count() as f64 * 50.0
            };
            let split = q.filter.as_deref().is_some_and(|f| {
                f.to_ascii_lowercase()
                    .replace(' ', "")
                    .starts_with("origineq")
            });
            if split {
                fd.origins
                    .iter()
                    .map(|o| {
                        let dims = vec![MetadataValue {
                            name: LocalizableString {
                                value: "Origin".to_owned(),
                                localized_value: Some("Origin".to_owned()),
                            },
                            value: Some(super::names::host_name(
                                &w.apps()[o.app],
                                crate::sim::world::PRODUCTION,
                            )),
                        }];
                        let samples = q
                            .grains()
                            .map(|start| {
                                minutes(w, start, grain)
                                    .map(|m| (health(o, m), 1.0))
                                    .collect()
                            })
                            .collect();
                        (dims, samples)
                    })
                    .collect()
            } else {
                let samples = q
                    .grains()
                    .map(|start| {
                        minutes(w, start, grain)
                            .map(|m| {
                                let n = fd.origins.len().max(1) as f64;
                                (
                                    fd.origins.iter().map(|o| health(o, m)).sum::<f64>() / n,
                                    1.0,
                                )
                            })
                            .collect()
                    })
                    .collect();
                vec![(Vec::new(), samples)]
            }
        }
        _ => Vec::new(),
    }
}

/// One grain's point from its per-minute (value, weight) samples.
fn point(start: DateTime<Utc>, def: &Def, samples: &[(f64, f64)], aggs: &[Agg]) -> MetricValue {
    let mut v = MetricValue {
        time_stamp: iso(start),
        average: None,
        minimum: None,
        maximum: None,
        total: None,
        count: None,
    };
    if samples.is_empty() {
        return v;
    }
    let n = samples.len() as f64;
    let weighted = def.unit == "Seconds" || def.unit == "MilliSeconds";
    let weight: f64 = samples.iter().map(|(_, wt)| wt).sum();
    let (total, count, average) = if weighted {
        let total: f64 = samples.iter().map(|(x, wt)| x * wt).sum();
        let avg = if weight > 0.0 {
            total / weight
        } else {
            samples.iter().map(|(x, _)| x).sum::<f64>() / n
        };
        (total, weight, avg)
    } else {
        let total: f64 = samples.iter().map(|(x, _)| x).sum();
        (total, n, total / n)
    };
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    for a in aggs {
        match a {
            Agg::Average => v.average = Some(round(average)),
            Agg::Total => v.total = Some(round(total)),
            Agg::Count => v.count = Some(round(count)),
            Agg::Maximum => v.maximum = samples.iter().map(|(x, _)| *x).reduce(f64::max).map(round),
            Agg::Minimum => v.minimum = samples.iter().map(|(x, _)| *x).reduce(f64::min).map(round),
        }
    }
    v
}

/// `POST /_metrics/{region}/subscriptions/{sub}/metrics:getBatch`.
pub(crate) async fn batch(
    State(sim): State<Shared>,
    Path((region, _sub, op)): Path<(String, String, String)>,
    Query(params): Query<Vec<(String, String)>>,
    body: axum::body::Bytes,
) -> Response {
    if !op.eq_ignore_ascii_case("metrics:getBatch") {
        return (StatusCode::NOT_FOUND, "no such operation").into_response();
    }
    let param = |n: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    let w = sim.world();
    batch_answer(&w, &region, &param, &body).unwrap_or_else(IntoResponse::into_response)
}

fn batch_answer(
    w: &World,
    region: &str,
    param: &dyn Fn(&str) -> Option<String>,
    body: &[u8],
) -> Result<Response, Fail> {
    if param("api-version").is_none() {
        return Err(super::conventions::errors::missing_api_version());
    }
    let request: MetricsBatchRequest = serde_json::from_slice(body).map_err(|e| {
        bad_request(
            "BadRequest",
            format!("The request body is not a valid batch request: {e}"),
        )
    })?;
    let q = MetricsQuery::from_batch(param, w.now()).map_err(|m| bad_request("BadRequest", m))?;
    let mut values = Vec::new();
    for id in &request.resourceids {
        let segments: Vec<String> = id
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let target = resolve(w, &segments).ok_or_else(|| {
            arm_error(
                StatusCode::NOT_FOUND,
                "ResourceNotFound",
                format!("The resource '{id}' was not found."),
            )
        })?;
        let location = match target {
            Target::Site(a, _) => w.apps()[a].location.clone(),
            _ => region.to_owned(),
        };
        if !location.eq_ignore_ascii_case(region) {
            return Err(bad_request(
                "BadRequest",
                format!("The resource '{id}' is in '{location}', not in '{region}'."),
            ));
        }
        values.push(MetricsBatchResult {
            starttime: iso(q.start),
            endtime: iso(q.end),
            interval: Some(q.interval_text()),
            namespace: q.namespace.clone(),
            resourceregion: Some(location),
            resourceid: id.clone(),
            value: metrics_for(w, target, id, &q)?,
        });
    }
    Ok(Json(MetricsBatchResponse { values }).into_response())
}
