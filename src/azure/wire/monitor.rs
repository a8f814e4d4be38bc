//! Azure Monitor bodies: metrics (`Microsoft.Insights/metrics`) and the activity log
//! (`Microsoft.Insights/eventtypes/management/values`).

use serde::{Deserialize, Serialize};

/// A metrics response.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MetricsResponse {
    /// Query cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<u64>,
    /// `start/end` of the query.
    pub timespan: String,
    /// Grain, e.g. `PT1M`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// Metric namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Region of the resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resourceregion: Option<String>,
    /// One entry per requested metric.
    pub value: Vec<Metric>,
}

/// One metric's result.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Metric {
    /// Metric id.
    pub id: String,
    /// `Microsoft.Insights/metrics`.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Its name.
    pub name: LocalizableString,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_description: Option<String>,
    /// Unit, e.g. `Count`, `Seconds`, `MilliSeconds`.
    pub unit: String,
    /// Per-metric error code (`Success` when fine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Series (one per dimension combination).
    #[serde(default)]
    pub timeseries: Vec<TimeSeries>,
}

/// A name with its localized form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalizableString {
    /// Invariant name.
    pub value: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localized_value: Option<String>,
}

/// One time series.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct TimeSeries {
    /// Dimension values.
    #[serde(default)]
    pub metadatavalues: Vec<MetadataValue>,
    /// Points.
    #[serde(default)]
    pub data: Vec<MetricValue>,
}

/// A dimension value of a series.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct MetadataValue {
    /// Dimension name.
    pub name: LocalizableString,
    /// Value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// One point of a series.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricValue {
    /// Start of the grain (ISO 8601).
    pub time_stamp: String,
    /// Average.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average: Option<f64>,
    /// Minimum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// Maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<f64>,
    /// Total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
    /// Count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<f64>,
}

/// An activity log event (the fields warroom reads).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityLogEvent {
    /// Who made the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    /// Correlation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Event id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_data_id: Option<String>,
    /// Category, e.g. `Administrative`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<LocalizableString>,
    /// Level, e.g. `Informational`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// Operation id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// Operation, e.g. `Microsoft.Web/sites/slots/slotsswap/action`.
    pub operation_name: LocalizableString,
    /// Resource group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group_name: Option<String>,
    /// Resource id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// Resource provider, e.g. `Microsoft.Web`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_provider_name: Option<LocalizableString>,
    /// Resource type, e.g. `Microsoft.Web/sites/slots`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<LocalizableString>,
    /// Subscription id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// `BeginRequest` or `EndRequest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<LocalizableString>,
    /// `Started`, `Accepted`, `Succeeded`, `Failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<LocalizableString>,
    /// When the event happened.
    pub event_timestamp: String,
    /// When it was submitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submission_timestamp: Option<String>,
    /// Extra properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<serde_json::Value>,
}

/// The body of Azure Monitor's batch metrics call (`POST {region endpoint}/subscriptions/{sub}/
/// metrics:getBatch`): up to 50 resources of one subscription and region.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct MetricsBatchRequest {
    /// The resources' ARM ids.
    pub resourceids: Vec<String>,
}

/// The answer of the batch metrics call.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MetricsBatchResponse {
    /// One entry per resource.
    pub values: Vec<MetricsBatchResult>,
}

/// One resource's metrics in a batch answer.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct MetricsBatchResult {
    /// Start of the window.
    pub starttime: String,
    /// End of the window.
    pub endtime: String,
    /// Grain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// Metric namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resourceregion: Option<String>,
    /// The resource's ARM id.
    pub resourceid: String,
    /// The metrics.
    pub value: Vec<Metric>,
}
