//! The tables that say how traffic reaches the apps and where releases come from, as written on
//! disk: `[traffic-manager]` with its endpoints, `[front-door]` with its origins, and
//! `[artifact-store]`.
//!
//! Owns the shape of these tables only (and the defaults the file may leave out). Whether an
//! endpoint or origin names an app that exists, and whether priorities and weights are in range,
//! is `validate`'s; nothing here touches the network.

use serde::{Deserialize, Serialize};
use toml::Spanned;

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
    pub name: Spanned<String>,
    /// Endpoint type.
    #[serde(rename = "type", default = "default_tm_type")]
    pub endpoint_type: TmEndpointType,
    /// The app it routes to, by name.
    pub app: Spanned<String>,
    /// Priority (1 is tried first; 1 to 1000, unique within the profile).
    pub priority: Spanned<u16>,
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
    pub name: Spanned<String>,
    /// The app it routes to, by name.
    pub app: Spanned<String>,
    /// Priority (1 is tried first; 1 to 5); [`DEFAULT_ORIGIN_PRIORITY`] when absent.
    pub priority: Option<Spanned<u16>>,
    /// Weight within equal priority (1 to 1000); [`DEFAULT_ORIGIN_WEIGHT`] when absent.
    pub weight: Option<Spanned<u16>>,
}

/// A Front Door origin's priority when the file does not give one.
pub const DEFAULT_ORIGIN_PRIORITY: u16 = 1;
/// A Front Door origin's weight when the file does not give one.
pub const DEFAULT_ORIGIN_WEIGHT: u16 = 1000;

/// `[artifact-store]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ArtifactStoreEntry {
    /// Storage account name.
    pub account: Spanned<String>,
    /// Blob container holding the release zips.
    pub container: String,
}
