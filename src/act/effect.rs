//! [`Effect`]: the concrete operations the executor performs, one per plan step. Effects name
//! resources by ARM id or URL and settings by name; a setting's value is never in an effect, only
//! where it comes from ([`SettingSource`]) or, for on/off flags, a boolean.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a setting's new value comes from. There is no variant for a free-text value, so a
/// secret cannot be put into a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum SettingSource {
    /// Copy the value the same name has in another app (read at execution time, never kept).
    CopyFrom {
        /// The app read from.
        app: String,
        /// Its ARM id.
        site_id: String,
    },
    /// An on/off flag such as `AzureWebJobs.<fn>.Disabled`: written as `true` or `false`.
    Flag {
        /// The flag's value.
        value: bool,
    },
}

/// A management lock's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LockLevel {
    /// Resources can be read and changed but not deleted.
    CanNotDelete,
    /// Resources can only be read; also blocks ARM POST calls.
    ReadOnly,
}

impl LockLevel {
    /// ARM's word.
    pub fn word(self) -> &'static str {
        match self {
            Self::CanNotDelete => "CanNotDelete",
            Self::ReadOnly => "ReadOnly",
        }
    }
}

/// What a forensic step collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForensicPart {
    /// App setting names and value digests.
    Settings,
    /// The deployment history (Kudu's records).
    Deployments,
    /// The logs of the latest deployments and of the one production runs (Kudu's log entries
    /// with their details, masked).
    DeploymentLog,
    /// The app's activity log around the incident.
    ActivityLog,
}

impl ForensicPart {
    /// The file the part is written to inside the forensic folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Settings => "settings-digests.json",
            Self::Deployments => "deployments.json",
            Self::DeploymentLog => "deployment-log.json",
            Self::ActivityLog => "activity-log.json",
        }
    }

    /// The part in words, for the outcome's list of what is missing.
    pub fn words(self) -> &'static str {
        match self {
            Self::Settings => "setting names and digests",
            Self::Deployments => "deployment history",
            Self::DeploymentLog => "deployment log",
            Self::ActivityLog => "activity log",
        }
    }
}

/// A check after an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "snake_case")]
pub enum VerifyCheck {
    /// The app's health endpoint reports Healthy (and the version, when given).
    AppHealthy {
        /// The app.
        app: String,
        /// The slot (`production` for the site).
        slot: String,
        /// The version it must report.
        version: Option<String>,
    },
    /// The app's health endpoint reports this version; its status is reported, not required.
    /// The check of a swap that puts back a release not known to be healthy (the undo of a
    /// rollback): what it promises is the version, not health.
    AppVersion {
        /// The app.
        app: String,
        /// The slot (`production` for the site).
        slot: String,
        /// The version it must report.
        version: String,
    },
    /// A Traffic Manager endpoint or Front Door origin reports the enabled state.
    RouteState {
        /// Its ARM id.
        id: String,
        /// Enabled or not.
        enabled: bool,
    },
    /// A geo-DR alias settled with the namespace it was failed over to as primary.
    AliasPrimary {
        /// The alias's ARM id on that namespace.
        alias_id: String,
    },
    /// A storage account finished failing over (its primary is in the former secondary).
    StorageFailedOver {
        /// The account's ARM id.
        account_id: String,
    },
    /// The changes of earlier steps, read back through the client, are all in place: settings
    /// (on/off flags by value, copied values by digest against their source), keys by digest
    /// against their source, a lock (at its level) or its absence, a tag or its absence, an
    /// alert processing rule with its scopes and window or its absence.
    ReadBack {
        /// The write effects to read back (copies of the plan's earlier steps).
        effects: Vec<Effect>,
    },
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(v: &u64) -> bool {
    *v == 0
}

/// One concrete operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Effect {
    /// Swap two slots of a site (long-running).
    Swap {
        /// The site's ARM id.
        site_id: String,
        /// The slot whose content moves into `target_slot`.
        source_slot: String,
        /// Usually `production`.
        target_slot: String,
    },
    /// Restart a site or slot.
    Restart {
        /// The site's ARM id.
        site_id: String,
        /// The app's name (for the health probe of `only_if_unhealthy`).
        app: String,
        /// `production` or a slot.
        slot: String,
        /// Probe first and restart only when the app is not healthy.
        only_if_unhealthy: bool,
        /// With `only_if_unhealthy`: how long the app may take to warm up (a cold start after a
        /// deploy), in seconds. Its health is probed until it is Healthy or the window has
        /// passed, and it is restarted only if still not healthy then. 0 (and journals written
        /// before the window) probes once.
        #[serde(default, skip_serializing_if = "is_zero")]
        warm_up_secs: u64,
    },
    /// Read-modify-write of app settings: the named settings are added or changed, every other
    /// setting is kept; nothing is deleted.
    MergeSettings {
        /// The site's ARM id.
        site_id: String,
        /// `production` or a slot.
        slot: String,
        /// Names and where their values come from.
        set: BTreeMap<String, SettingSource>,
    },
    /// Copy host and function keys from one site to another (add and modify only).
    SyncKeys {
        /// The site read from.
        from_site: String,
        /// The site written to.
        to_site: String,
        /// Key names (`host/<name>`, `function/<fn>/<name>`); empty means every key.
        names: Vec<String>,
    },
    /// Zip deploy a package from the artifact store through Kudu, polled until done.
    ZipDeploy {
        /// The app.
        app: String,
        /// Its Kudu (SCM) base URL.
        scm: String,
        /// The package's blob URL (without any SAS).
        package_uri: String,
        /// The version it holds.
        version: String,
    },
    /// Enable or disable a Traffic Manager endpoint.
    TmStatus {
        /// The endpoint's ARM id.
        endpoint_id: String,
        /// Enabled or not.
        enabled: bool,
    },
    /// Enable or disable a Front Door origin (long-running).
    FdState {
        /// The origin's ARM id.
        origin_id: String,
        /// Enabled or not.
        enabled: bool,
    },
    /// Fail a messaging geo-DR alias over, called on the secondary namespace.
    AliasFailover {
        /// The alias's ARM id on the secondary namespace.
        alias_id_on_secondary: String,
        /// Wait for pending replication first (Service Bus only).
        safe: bool,
    },
    /// Fail a storage account over to its secondary (long-running).
    StorageFailover {
        /// The account's ARM id.
        account_id: String,
    },
    /// Put or remove a management lock.
    Lock {
        /// The scope (a resource group's ARM id).
        scope: String,
        /// The lock's name.
        name: String,
        /// Its level.
        level: LockLevel,
        /// Put (true) or remove (false).
        on: bool,
        /// The note on the lock.
        notes: String,
    },
    /// Add (merge into the scope's other tags) or remove a tag through the Tags API.
    Tag {
        /// The scope (a resource group's ARM id).
        scope: String,
        /// The tag's name.
        name: String,
        /// Its value, when added (no secret: a plain remark).
        value: String,
        /// Add (true) or remove (false).
        on: bool,
    },
    /// Put or remove an alert processing rule that removes all action groups.
    AlertRule {
        /// The rule's ARM id.
        id: String,
        /// The scopes it covers.
        scopes: Vec<String>,
        /// Put (true) or remove (false).
        on: bool,
        /// Its schedule window (UTC), when put.
        window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    },
    /// Preview a template deployment (no change).
    WhatIf {
        /// The resource group's ARM id.
        group_id: String,
        /// The deployment's name.
        deployment_name: String,
        /// The template (no secrets: it names resources only).
        template: serde_json::Value,
    },
    /// Deploy a template (incremental, long-running).
    DeployTemplate {
        /// The resource group's ARM id.
        group_id: String,
        /// The deployment's name.
        deployment_name: String,
        /// The template.
        template: serde_json::Value,
    },
    /// Collect one part of a forensic snapshot into the incident folder.
    Forensics {
        /// The app.
        app: String,
        /// Its ARM id.
        site_id: String,
        /// The folder, relative to the incident folder.
        folder: String,
        /// What to collect.
        part: ForensicPart,
        /// Where the activity log window starts (it ends when the copy runs); `None` for the
        /// other parts, and in journals written before the window followed the incident (six
        /// hours back, then).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<DateTime<Utc>>,
    },
    /// Check the result.
    Verify(VerifyCheck),
}

impl Effect {
    /// Whether the effect only reads (a preview, a forensic copy, a check).
    pub fn is_read_only(&self) -> bool {
        matches!(
            self,
            Self::WhatIf { .. } | Self::Forensics { .. } | Self::Verify(_)
        )
    }
}
