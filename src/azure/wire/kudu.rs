//! Kudu (SCM site) bodies: the deployment records of `/api/deployments` and the entries of a
//! deployment's log (`/api/deployments/{id}/log`, and an entry's details). Kudu speaks snake_case.

use serde::{Deserialize, Serialize};

/// Kudu's deployment status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployStatus {
    /// Queued.
    Pending,
    /// Building.
    Building,
    /// Deploying.
    Deploying,
    /// Failed.
    Failed,
    /// Succeeded.
    Success,
    /// Completed (post-deployment steps done).
    Complete,
    /// A code this client does not know.
    Unknown(i32),
}

impl DeployStatus {
    /// From Kudu's integer.
    pub fn from_code(code: i32) -> Self {
        match code {
            0 => Self::Pending,
            1 => Self::Building,
            2 => Self::Deploying,
            3 => Self::Failed,
            4 => Self::Success,
            5 => Self::Complete,
            other => Self::Unknown(other),
        }
    }

    /// To Kudu's integer.
    pub fn code(self) -> i32 {
        match self {
            Self::Pending => 0,
            Self::Building => 1,
            Self::Deploying => 2,
            Self::Failed => 3,
            Self::Success => 4,
            Self::Complete => 5,
            Self::Unknown(c) => c,
        }
    }

    /// A word for the status.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Building => "building",
            Self::Deploying => "deploying",
            Self::Failed => "failed",
            Self::Success => "success",
            Self::Complete => "complete",
            Self::Unknown(_) => "unknown",
        }
    }

    /// Whether the deployment is still running.
    pub fn in_progress(self) -> bool {
        matches!(self, Self::Pending | Self::Building | Self::Deploying)
    }
}

/// One Kudu deployment record (`DeployResult`).
// Kudu's own shape has these flags; the wire type mirrors it.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct DeployResult {
    /// Deployment id.
    pub id: String,
    /// Status code (see [`DeployStatus`]).
    pub status: i32,
    /// Status text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_text: Option<String>,
    /// Author e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_email: Option<String>,
    /// Author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Deployer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployer: Option<String>,
    /// Message (the release version for warroom's estates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Progress text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    /// When Kudu received it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_time: Option<String>,
    /// Start time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// End of the last successful deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success_end_time: Option<String>,
    /// Whether it completed.
    #[serde(default)]
    pub complete: bool,
    /// Whether it is the active deployment.
    #[serde(default)]
    pub active: bool,
    /// Whether it is temporary.
    #[serde(default)]
    pub is_temp: bool,
    /// Whether it is read-only.
    #[serde(default)]
    pub is_readonly: bool,
    /// Its URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its log URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_url: Option<String>,
    /// The site's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
}

impl DeployResult {
    /// The typed status.
    pub fn deploy_status(&self) -> DeployStatus {
        DeployStatus::from_code(self.status)
    }
}

/// The kind of a deployment log entry (Kudu's `LogEntryType`, serialised as its integer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogEntryType {
    /// 0: a message.
    Message,
    /// 1: a warning.
    Warning,
    /// 2: an error.
    Error,
    /// A code this client does not know.
    Unknown(i32),
}

impl LogEntryType {
    /// From Kudu's integer.
    pub fn from_code(code: i32) -> Self {
        match code {
            0 => Self::Message,
            1 => Self::Warning,
            2 => Self::Error,
            other => Self::Unknown(other),
        }
    }

    /// To Kudu's integer.
    pub fn code(self) -> i32 {
        match self {
            Self::Message => 0,
            Self::Warning => 1,
            Self::Error => 2,
            Self::Unknown(c) => c,
        }
    }
}

/// One entry of a deployment's log (Kudu's `LogEntry`): `GET /api/deployments/{id}/log` answers
/// an array of them, oldest first; an entry with more lines under it has a `details_url`
/// (`…/log/{entry id}`) that answers the same shape. Kudu writes `details_url` as `null` when
/// there is none.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct LogEntry {
    /// When the line was logged.
    pub log_time: String,
    /// The entry's id.
    pub id: String,
    /// The line. Build output can echo configuration: a reader masks it before keeping it.
    pub message: String,
    /// Message, warning or error (see [`LogEntryType`]).
    #[serde(rename = "type")]
    pub entry_type: i32,
    /// Where the entry's detail lines are, if it has any.
    #[serde(default)]
    pub details_url: Option<String>,
}

impl LogEntry {
    /// The typed kind.
    pub fn kind(&self) -> LogEntryType {
        LogEntryType::from_code(self.entry_type)
    }
}

/// The body of a zip deployment from a package URL (`POST /api/zipdeploy` with
/// `Content-Type: application/json`). The URL may carry a SAS token: `Debug` shows only its
/// scheme, host and path.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ZipDeployRequest {
    /// Where Kudu fetches the zip from.
    #[serde(rename = "packageUri")]
    pub package_uri: String,
}

impl std::fmt::Debug for ZipDeployRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = self
            .package_uri
            .split(['?', '#'])
            .next()
            .unwrap_or_default();
        f.debug_struct("ZipDeployRequest")
            .field("package_uri", &shown)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_uri_prints_without_its_query() {
        let r = ZipDeployRequest {
            package_uri: "https://acct.blob.core.windows.net/releases/a/1.zip?sig=s3cret".into(),
        };
        let shown = format!("{r:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("/releases/a/1.zip"), "{shown}");
        let json = serde_json::to_string(&r).expect("serialise");
        assert!(json.starts_with(r#"{"packageUri":"#), "{json}");
    }

    #[test]
    fn a_log_entry_reads_and_writes_kudus_shape() {
        let text = r#"[{"log_time":"2026-03-14T02:10:00Z","id":"a1","message":"Deployment successful.","type":0,"details_url":null},
            {"log_time":"2026-03-14T02:09:00Z","id":"b2","message":"Running deployment command...","type":2,"details_url":"https://x.scm.azurewebsites.net/api/deployments/d/log/b2"}]"#;
        let entries: Vec<LogEntry> = serde_json::from_str(text).expect("Kudu's log");
        assert_eq!(entries[0].kind(), LogEntryType::Message);
        assert_eq!(entries[1].kind(), LogEntryType::Error);
        assert!(entries[1].details_url.is_some());
        let back = serde_json::to_value(&entries[0]).expect("serialise");
        assert_eq!(back["type"], 0);
        assert!(back["details_url"].is_null(), "written as null: {back}");
        assert_eq!(LogEntryType::from_code(7).code(), 7);
    }
}
