//! Resource Graph bodies (`POST /providers/Microsoft.ResourceGraph/resources`).

use serde::{Deserialize, Serialize};

/// A query request.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct QueryRequest {
    /// Subscriptions in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<String>,
    /// The KQL query.
    pub query: String,
    /// Options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<QueryOptions>,
}

/// Query options.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct QueryOptions {
    /// Continuation token from the previous page.
    #[serde(
        rename = "$skipToken",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub skip_token: Option<String>,
    /// Page size.
    #[serde(rename = "$top", default, skip_serializing_if = "Option::is_none")]
    pub top: Option<u32>,
    /// Rows to skip.
    #[serde(rename = "$skip", default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<u32>,
    /// `objectArray` or `table`.
    #[serde(
        rename = "resultFormat",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub result_format: Option<String>,
}

/// A query response in `objectArray` format.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryResponse {
    /// Rows matching in total.
    pub total_records: u64,
    /// Rows on this page.
    pub count: u64,
    /// `"true"` or `"false"` (a string, as Azure sends it).
    pub result_truncated: String,
    /// Continuation token for the next page.
    #[serde(
        rename = "$skipToken",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub skip_token: Option<String>,
    /// The rows.
    pub data: Vec<GraphResource>,
    /// Facets (unused).
    #[serde(default)]
    pub facets: Vec<serde_json::Value>,
}

/// One row of a `Resources` query.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphResource {
    /// ARM id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Resource type (lower case, as Resource Graph returns it).
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Resource group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group: Option<String>,
    /// Subscription id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// Kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<serde_json::Value>,
    /// Properties (as the provider returns them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<serde_json::Value>,
}
