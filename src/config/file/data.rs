//! The tables that say where data lives, as written on disk: `[[storage-account]]`, `[[queue]]`
//! and `[[geo-dr-alias]]`, with their redundancy and queue kinds.
//!
//! Owns the shape of these tables only. Whether a queue names an app, or an alias its regions,
//! is checked in `validate`; nothing here touches the network.

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// Storage redundancy (the SKU's suffix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Replication {
    /// Locally redundant.
    Lrs,
    /// Zone redundant.
    Zrs,
    /// Geo redundant.
    Grs,
    /// Read-access geo redundant.
    Ragrs,
    /// Geo-zone redundant.
    Gzrs,
    /// Read-access geo-zone redundant.
    Ragzrs,
}

/// `[[storage-account]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StorageAccountEntry {
    /// Account name.
    pub name: Spanned<String>,
    /// The region (by short name) the account's primary lives in.
    pub region: Spanned<String>,
    /// Redundancy kind.
    pub replication: Replication,
    /// The Durable Functions task hub kept in this account, if any.
    pub task_hub: Option<String>,
}

/// Queue kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QueueKind {
    /// An Azure Storage queue.
    Storage,
    /// A Service Bus queue.
    ServiceBus,
    /// An Event Hubs consumer group.
    EventHubs,
}

impl QueueKind {
    /// The name the file uses for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Storage => "storage",
            Self::ServiceBus => "service-bus",
            Self::EventHubs => "event-hubs",
        }
    }
}

/// `[[queue]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct QueueEntry {
    /// Queue name (for Event Hubs, the event hub's name).
    pub name: String,
    /// Queue kind.
    pub kind: Spanned<QueueKind>,
    /// The storage account (storage queues) or namespace (Service Bus, Event Hubs).
    pub account: Spanned<String>,
    /// The region (by short name) the account or namespace is in.
    pub region: Spanned<String>,
    /// The app that consumes it.
    pub app: Spanned<String>,
    /// The consumer group (Event Hubs only).
    pub consumer_group: Option<Spanned<String>>,
}

/// `[[geo-dr-alias]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GeoDrAliasEntry {
    /// Alias name.
    pub name: Spanned<String>,
    /// Service Bus or Event Hubs.
    pub kind: Spanned<QueueKind>,
    /// The primary namespace.
    pub primary_namespace: Spanned<String>,
    /// Region of the primary namespace.
    pub primary_region: Spanned<String>,
    /// The secondary namespace.
    pub secondary_namespace: Spanned<String>,
    /// Region of the secondary namespace.
    pub secondary_region: Spanned<String>,
}
