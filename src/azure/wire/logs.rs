//! Log Analytics query API bodies (`POST {logs}/v1/workspaces/{workspaceId}/query`,
//! `specification/operationalinsights/data-plane/…/OperationalInsights.json`): the query body and
//! the tables answer. The spec types rows as strings, but real answers hold numbers, booleans and
//! `null`, so cells are kept as JSON values.

use serde::{Deserialize, Serialize};

use super::arm::ArmErrorDetail;

/// The query body (`QueryBody`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct QueryBody {
    /// The KQL text.
    pub query: String,
    /// The window, an ISO 8601 interval (`start/end`) or duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timespan: Option<String>,
}

/// The answer (`QueryResults`); `error` is set on a partial result.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct QueryResults {
    /// The result tables; the query's own is `PrimaryResult`.
    pub tables: Vec<Table>,
    /// Why the result is partial, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ArmErrorDetail>,
}

/// One table.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Table {
    /// Its name.
    pub name: String,
    /// Its columns, in row order.
    pub columns: Vec<Column>,
    /// Its rows: one JSON value per column.
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Column {
    /// Its name.
    pub name: String,
    /// Its type (`datetime`, `string`, `real`, `long`, …).
    #[serde(rename = "type")]
    pub column_type: String,
}

impl Table {
    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}
