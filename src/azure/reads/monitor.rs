//! Azure Monitor, Resource Health, the activity log and Resource Graph.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::azure::client::AzureClient;
use crate::azure::error::Error;
use crate::azure::wire::api;
use crate::azure::wire::graph::{GraphResource, QueryOptions, QueryRequest, QueryResponse};
use crate::azure::wire::health::AvailabilityStatus;
use crate::azure::wire::monitor::{ActivityLogEvent, MetricsResponse};

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
