//! The estate file as it is written on disk: serde types that mirror the TOML, one struct per
//! table, `deny_unknown_fields` everywhere so a typo is an error and never a silent default.
//!
//! Owns the shape of the file only. Cross-references (an endpoint names an app that exists, a
//! queue names an app, …) are checked in `validate`; nothing here touches the network.
//!
//! Names that other tables refer to are `Spanned` so that a dangling reference can be reported
//! with its line and column.

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A whole estate file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EstateFile {
    /// Estate-wide facts: name, targets, owner and escalation.
    pub estate: EstateSection,
    /// Which Azure the client talks to (public cloud by default).
    #[serde(default)]
    pub endpoints: EndpointsSection,
    /// The subscriptions the estate lives in.
    #[serde(default, rename = "subscription")]
    pub subscriptions: Vec<SubscriptionEntry>,
    /// The regions: exactly one primary and at least one secondary.
    #[serde(default, rename = "region")]
    pub regions: Vec<RegionEntry>,
    /// The function apps, each in one region.
    #[serde(default, rename = "app")]
    pub apps: Vec<AppEntry>,
    /// The Traffic Manager profile in front of the apps, if any.
    pub traffic_manager: Option<TrafficManagerEntry>,
    /// The Front Door profile in front of the apps, if any.
    pub front_door: Option<FrontDoorEntry>,
    /// Where release artifacts are kept (immutable, versioned).
    pub artifact_store: Option<ArtifactStoreEntry>,
    /// Storage accounts the apps depend on.
    #[serde(default, rename = "storage-account")]
    pub storage_accounts: Vec<StorageAccountEntry>,
    /// Queues whose lag matters: Storage queues, Service Bus queues, Event Hubs consumer groups.
    #[serde(default, rename = "queue")]
    pub queues: Vec<QueueEntry>,
    /// Service Bus / Event Hubs geo-DR aliases.
    #[serde(default, rename = "geo-dr-alias")]
    pub geo_dr_aliases: Vec<GeoDrAliasEntry>,
}

/// `[estate]`: the estate as a whole.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EstateSection {
    /// Display name shown in the console header.
    pub name: String,
    /// Recovery time objective, in minutes.
    pub rto_minutes: u32,
    /// Recovery point objective, in minutes.
    pub rpo_minutes: u32,
    /// Who owns the incident (a person or rota).
    pub owner: String,
    /// Who to call next, in order.
    #[serde(default)]
    pub escalation: Vec<String>,
}

/// Which Azure cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cloud {
    /// Azure public cloud (management.azure.com).
    #[default]
    Public,
    /// Azure operated by 21Vianet (management.chinacloudapi.cn).
    China,
    /// Azure Government (management.usgovcloudapi.net).
    UsGov,
    /// The simulated Azure on loopback; `arm` must then be given (or is filled in by `demo`).
    Simulator,
}

/// `[endpoints]`: where the client sends its requests. Unset URLs follow the cloud.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EndpointsSection {
    /// The cloud whose well-known endpoints are used.
    #[serde(default)]
    pub cloud: Cloud,
    /// Override of the ARM base URL.
    pub arm: Option<String>,
    /// Override of the Entra ID authority host.
    pub authority: Option<String>,
    /// Override of the Storage queue endpoint template; `{account}` is replaced.
    pub queue: Option<String>,
    /// Override of the Kudu (SCM) endpoint template; `{app}` is replaced.
    pub kudu: Option<String>,
    /// Override of the app host template used for health probes; `{app}` is replaced.
    pub app_host: Option<String>,
    /// Override of the Azure Monitor metrics data-plane endpoint template; `{region}` is replaced.
    pub metrics: Option<String>,
}

/// `[[subscription]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SubscriptionEntry {
    /// Short name other tables use.
    pub name: String,
    /// The subscription id (a GUID).
    pub id: String,
}

/// The role a region plays in the recovery design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionRole {
    /// Serves production traffic in normal operation.
    Primary,
    /// Stands by, or serves in active/active, and takes over on failover.
    Secondary,
}

/// `[[region]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegionEntry {
    /// Short name other tables use (for example `krc`).
    pub name: String,
    /// Primary or secondary.
    pub role: RegionRole,
    /// Azure location (for example `koreacentral`).
    pub location: String,
    /// The subscription, by its short name.
    pub subscription: Spanned<String>,
    /// The resource group holding this region's resources.
    pub resource_group: String,
}

/// Hosting plan kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanKind {
    /// Consumption (no slots in production use, zip deploy).
    Consumption,
    /// Flex Consumption (no zip deploy; one deploy).
    FlexConsumption,
    /// Elastic Premium (slots).
    Premium,
    /// Dedicated App Service plan (slots).
    Dedicated,
}

/// Trigger kinds a function app uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TriggerKind {
    /// HTTP requests.
    Http,
    /// Timer (CRON) schedules.
    Timer,
    /// Azure Storage queue messages.
    StorageQueue,
    /// Service Bus queue or topic messages.
    ServiceBus,
    /// Event Hubs events.
    EventHubs,
    /// Durable Functions orchestrations and activities.
    Durable,
}

/// `[[app]]`: one function app in one region.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AppEntry {
    /// The function app's Azure name (globally unique).
    pub name: String,
    /// The logical service this app belongs to; the apps of one service in different regions are
    /// each other's counterparts.
    pub service: String,
    /// The region, by its short name.
    pub region: Spanned<String>,
    /// The hosting plan kind.
    pub plan: PlanKind,
    /// Deployment slots besides production (for example `["staging"]`).
    #[serde(default)]
    pub slots: Vec<String>,
    /// The health endpoint path (the runbook's `/api/health`).
    #[serde(default = "default_health_path")]
    pub health_path: String,
    /// The trigger kinds the app's functions use.
    #[serde(default)]
    pub triggers: Vec<TriggerKind>,
    /// Names of the app's timer-trigger functions (disabled in the passive region).
    #[serde(default)]
    pub timer_functions: Vec<String>,
    /// The other functions of the app, for the functions list.
    #[serde(default)]
    pub functions: Vec<String>,
    /// The storage account holding this app's Durable task hub, by name.
    pub task_hub_storage: Option<Spanned<String>>,
}

fn default_health_path() -> String {
    "/api/health".to_owned()
}

/// The kind of a Traffic Manager endpoint (the path segment ARM uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum TmEndpointType {
    /// An Azure resource (`AzureEndpoints`).
    AzureEndpoints,
    /// Anything addressed by name (`ExternalEndpoints`).
    ExternalEndpoints,
    /// A child profile (`NestedEndpoints`).
    NestedEndpoints,
}

/// `[traffic-manager]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TrafficManagerEntry {
    /// Profile name.
    pub profile: String,
    /// The region (by short name) whose resource group holds the profile.
    pub region: Spanned<String>,
    /// Endpoints of the profile.
    #[serde(rename = "endpoint")]
    pub endpoints: Vec<TmEndpointEntry>,
}

/// `[[traffic-manager.endpoint]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TmEndpointEntry {
    /// Endpoint name.
    pub name: String,
    /// Endpoint type.
    #[serde(rename = "type", default = "default_tm_type")]
    pub endpoint_type: TmEndpointType,
    /// The app it routes to, by name.
    pub app: Spanned<String>,
    /// Priority (1 is tried first).
    pub priority: u16,
}

fn default_tm_type() -> TmEndpointType {
    TmEndpointType::AzureEndpoints
}

/// `[front-door]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FrontDoorEntry {
    /// Profile name.
    pub profile: String,
    /// The region (by short name) whose resource group holds the profile.
    pub region: Spanned<String>,
    /// The origin group holding the regional apps.
    pub origin_group: String,
    /// Origins of the group.
    #[serde(rename = "origin")]
    pub origins: Vec<FdOriginEntry>,
}

/// `[[front-door.origin]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FdOriginEntry {
    /// Origin name.
    pub name: String,
    /// The app it routes to, by name.
    pub app: Spanned<String>,
    /// Priority (1 is tried first).
    #[serde(default = "default_priority")]
    pub priority: u16,
    /// Weight within equal priority.
    #[serde(default = "default_weight")]
    pub weight: u16,
}

fn default_priority() -> u16 {
    1
}

fn default_weight() -> u16 {
    1000
}

/// `[artifact-store]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArtifactStoreEntry {
    /// Storage account name.
    pub account: Spanned<String>,
    /// Blob container holding the release zips.
    pub container: String,
}

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
    pub name: String,
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

/// `[[queue]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct QueueEntry {
    /// Queue name (for Event Hubs, the event hub's name).
    pub name: String,
    /// Queue kind.
    pub kind: QueueKind,
    /// The storage account (storage queues) or namespace (Service Bus, Event Hubs).
    pub account: Spanned<String>,
    /// The region (by short name) the account or namespace is in.
    pub region: Spanned<String>,
    /// The app that consumes it.
    pub app: Spanned<String>,
    /// The consumer group (Event Hubs only).
    pub consumer_group: Option<String>,
}

/// `[[geo-dr-alias]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct GeoDrAliasEntry {
    /// Alias name.
    pub name: String,
    /// Service Bus or Event Hubs.
    pub kind: QueueKind,
    /// The primary namespace (region by short name is taken from the region table).
    pub primary_namespace: String,
    /// Region of the primary namespace.
    pub primary_region: Spanned<String>,
    /// The secondary namespace.
    pub secondary_namespace: String,
    /// Region of the secondary namespace.
    pub secondary_region: Spanned<String>,
}
