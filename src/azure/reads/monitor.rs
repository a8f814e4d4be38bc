//! Azure Monitor, Resource Health, the activity log and Resource Graph.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::azure::auth::metrics_scope;
use crate::azure::client::AzureClient;
use crate::azure::error::Error;
use crate::azure::wire::api;
use crate::azure::wire::graph::{GraphResource, QueryOptions, QueryRequest, QueryResponse};
use crate::azure::wire::health::AvailabilityStatus;
use crate::azure::wire::monitor::{
    ActivityLogEvent, MetricsBatchRequest, MetricsBatchResponse, MetricsResponse,
};

use super::arm_ids::enc;

/// A metrics query: several metrics of one resource in one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsQuery<'a> {
    /// The resource's ARM id.
    pub resource_id: &'a str,
    /// Metric names, e.g. `Requests`, `Http5xx`, `HttpResponseTime`.
    pub names: &'a [&'a str],
    /// Aggregations, e.g. `Total`, `Average`, `Maximum`.
    pub aggregations: &'a [&'a str],
    /// Start of the window.
    pub from: DateTime<Utc>,
    /// End of the window.
    pub to: DateTime<Utc>,
    /// Grain, e.g. `PT1M`.
    pub interval: &'a str,
}

/// The most resources Azure Monitor's batch call takes in one request.
pub const METRICS_BATCH_MAX: usize = 50;

/// A batch metrics query: several metrics of up to [`METRICS_BATCH_MAX`] resources of one
/// subscription and one region, in one data-plane request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsBatchQuery<'a> {
    /// The metrics endpoint template with `{region}` (`Endpoints::metrics`).
    pub endpoint: &'a str,
    /// The resources' Azure location, e.g. `koreacentral`; fills `{region}`.
    pub region: &'a str,
    /// The subscription every resource is in.
    pub subscription: &'a str,
    /// The resources' ARM ids.
    pub resource_ids: &'a [String],
    /// The metric namespace, e.g. `Microsoft.Web/sites`.
    pub namespace: &'a str,
    /// Metric names.
    pub names: &'a [&'a str],
    /// Aggregations.
    pub aggregations: &'a [&'a str],
    /// Start of the window.
    pub from: DateTime<Utc>,
    /// End of the window.
    pub to: DateTime<Utc>,
    /// Grain, e.g. `PT1M`.
    pub interval: &'a str,
}

impl MetricsBatchQuery<'_> {
    /// The request URL: the regional endpoint, the subscription, and the query parameters.
    pub fn url(&self) -> Result<url::Url, Error> {
        let base = self.endpoint.replace("{region}", self.region);
        let raw = format!(
            "{}/subscriptions/{}/metrics:getBatch",
            base.trim_end_matches('/'),
            self.subscription
        );
        let mut url = url::Url::parse(&raw).map_err(|e| Error::Decode {
            what: "metrics endpoint".into(),
            detail: format!("{raw:?} is not a URL: {e}"),
        })?;
        url.query_pairs_mut()
            .append_pair("metricnamespace", self.namespace)
            .append_pair("metricnames", &self.names.join(","))
            .append_pair("starttime", &iso(self.from))
            .append_pair("endtime", &iso(self.to))
            .append_pair("interval", self.interval)
            .append_pair("aggregation", &self.aggregations.join(","))
            .append_pair("api-version", api::METRICS_BATCH);
        Ok(url)
    }
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The most rows asked of Resource Graph per page.
const GRAPH_PAGE: u32 = 1000;

impl AzureClient {
    /// Resource Health's current status of a resource.
    pub async fn resource_health(&self, resource_id: &str) -> Result<AvailabilityStatus, Error> {
        let path = format!(
            "{resource_id}/providers/Microsoft.ResourceHealth/availabilityStatuses/current"
        );
        self.get_json(&path, api::RESOURCE_HEALTH).await
    }

    /// Resource Health's current status of every resource in a resource group (every page): one
    /// request for the whole group instead of one per resource.
    pub async fn resource_health_in_group(
        &self,
        subscription: &str,
        resource_group: &str,
    ) -> Result<Vec<AvailabilityStatus>, Error> {
        let path = format!(
            "/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.ResourceHealth/availabilityStatuses"
        );
        self.get_all(&path, api::RESOURCE_HEALTH).await
    }

    /// Several metrics of one resource in one request.
    pub async fn metrics(&self, q: &MetricsQuery<'_>) -> Result<MetricsResponse, Error> {
        let path = format!(
            "{}/providers/Microsoft.Insights/metrics?metricnames={}&aggregation={}&timespan={}&interval={}",
            q.resource_id,
            enc(&q.names.join(",")),
            enc(&q.aggregations.join(",")),
            enc(&format!("{}/{}", iso(q.from), iso(q.to))),
            q.interval
        );
        self.get_json(&path, api::METRICS).await
    }

    /// Several metrics of up to [`METRICS_BATCH_MAX`] resources in one request to Azure
    /// Monitor's regional data plane (`metrics:getBatch`), with a token for the metrics scope.
    /// More ids than the limit is a caller error, refused before anything is sent.
    pub async fn metrics_batch(
        &self,
        q: &MetricsBatchQuery<'_>,
    ) -> Result<MetricsBatchResponse, Error> {
        if q.resource_ids.len() > METRICS_BATCH_MAX {
            return Err(Error::Decode {
                what: "metrics batch request".into(),
                detail: format!(
                    "{} resources asked for; the batch call takes at most {METRICS_BATCH_MAX}",
                    q.resource_ids.len()
                ),
            });
        }
        let body = MetricsBatchRequest {
            resourceids: q.resource_ids.to_vec(),
        };
        self.post_data_plane(
            q.url()?,
            &metrics_scope(q.endpoint),
            &body,
            "metrics:getBatch",
        )
        .await
    }

    /// Activity log events of a resource group in a window (every page).
    pub async fn activity_log(
        &self,
        subscription: &str,
        resource_group: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ActivityLogEvent>, Error> {
        let filter = format!(
            "eventTimestamp ge '{}' and eventTimestamp le '{}' and resourceGroupName eq '{resource_group}'",
            iso(from),
            iso(to)
        );
        let path = format!(
            "/subscriptions/{subscription}/providers/Microsoft.Insights/eventtypes/management/values?$filter={}",
            enc(&filter)
        );
        self.get_all(&path, api::ACTIVITY_LOG).await
    }

    /// Runs a Resource Graph query over the subscriptions, following `$skipToken` to the end.
    pub async fn resource_graph(
        &self,
        subscriptions: &[String],
        query: &str,
    ) -> Result<Vec<GraphResource>, Error> {
        let path = "/providers/Microsoft.ResourceGraph/resources";
        let mut rows = Vec::new();
        let mut skip_token = None;
        loop {
            let req = QueryRequest {
                subscriptions: subscriptions.to_vec(),
                query: query.to_owned(),
                options: Some(QueryOptions {
                    skip_token: skip_token.take(),
                    top: Some(GRAPH_PAGE),
                    skip: None,
                    result_format: Some("objectArray".to_owned()),
                }),
            };
            let page: QueryResponse = self.post_json(path, api::RESOURCE_GRAPH, &req).await?;
            rows.extend(page.data);
            match page.skip_token {
                Some(t) if !t.is_empty() => skip_token = Some(t),
                _ => return Ok(rows),
            }
        }
    }
}
