//! Microsoft.Web bodies: sites and slots, ARM deployment records, app settings, host and function
//! keys, functions, and the slot-swap request.
//!
//! Secret-bearing bodies ([`StringDictionary`] values, [`HostKeys`]) print redacted in `Debug`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A site or a slot (`Microsoft.Web/sites`, `Microsoft.Web/sites/slots`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Site {
    /// ARM id.
    pub id: String,
    /// Name (`app` or `app/slot`).
    pub name: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Kind, e.g. `functionapp` or `functionapp,linux`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Location display name.
    pub location: String,
    /// Tags.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    /// Properties.
    pub properties: SiteProperties,
}

impl Site {
    /// The slot name: `production` for the site itself, else the part after `/`.
    pub fn slot_name(&self) -> &str {
        self.name.split_once('/').map_or("production", |(_, s)| s)
    }

    /// Whether the site is a function app (its kind contains `functionapp`).
    pub fn is_function_app(&self) -> bool {
        self.kind
            .as_deref()
            .is_some_and(|k| k.to_ascii_lowercase().contains("functionapp"))
    }
}

/// A site's properties (the fields warroom reads).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteProperties {
    /// `Running` or `Stopped`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Host names.
    #[serde(default)]
    pub host_names: Vec<String>,
    /// Whether the site is enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Enabled host names (including the SCM host).
    #[serde(default)]
    pub enabled_host_names: Vec<String>,
    /// `Normal`, `Limited` or `DisasterRecoveryMode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_state: Option<String>,
    /// `Normal` or `Exceeded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_state: Option<String>,
    /// Host name SSL states.
    #[serde(default)]
    pub host_name_ssl_states: Vec<HostNameSslState>,
    /// The App Service plan's ARM id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_farm_id: Option<String>,
    /// Default host name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_host_name: Option<String>,
    /// Resource group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_group: Option<String>,
    /// Last modification time (UTC, ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_time_utc: Option<String>,
    /// HTTPS only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub https_only: Option<bool>,
    /// The last slot swap, when one happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_swap_status: Option<SlotSwapStatus>,
    /// SKU name, e.g. `ElasticPremium`, `Dynamic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
}

/// One host name's SSL state.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostNameSslState {
    /// Host name.
    pub name: String,
    /// `Disabled`, `SniEnabled`, `IpBasedEnabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl_state: Option<String>,
    /// `Standard` or `Repository` (the SCM host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_type: Option<String>,
}

/// A site's record of its last swap.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlotSwapStatus {
    /// When the swap happened (UTC).
    pub timestamp_utc: String,
    /// The slot swapped from.
    pub source_slot_name: String,
    /// The slot swapped into.
    pub destination_slot_name: String,
}

/// An ARM deployment record of a site (`SITE/deployments`). Note the snake_case inner fields,
/// as App Service defines them.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ArmDeployment {
    /// ARM id.
    pub id: String,
    /// Name (`app/deploymentId`).
    pub name: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Properties.
    pub properties: ArmDeploymentProperties,
}

/// The properties of an ARM deployment record.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct ArmDeploymentProperties {
    /// Kudu status code (4 = Success, 3 = Failed; see [`crate::azure::wire::kudu::DeployStatus`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<i32>,
    /// Message, usually the release version or commit message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Deployer, e.g. `az_cli_functions`, `GitHub Actions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployer: Option<String>,
    /// Author e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_email: Option<String>,
    /// Start time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Whether this is the active deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// Details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

/// A dictionary resource such as app settings (`StringDictionary`). Values are secrets: `Debug`
/// prints the names only.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct StringDictionary {
    /// ARM id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name, e.g. `appsettings`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Resource type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name to value.
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

impl fmt::Debug for StringDictionary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StringDictionary")
            .field("name", &self.name)
            .field("keys", &self.properties.keys().collect::<Vec<_>>())
            .field("values", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// A function app's host keys (`POST SITE/host/default/listkeys`). `Debug` prints names only.
#[derive(Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HostKeys {
    /// The master key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_key: Option<String>,
    /// Host-level function keys, name to value.
    #[serde(default)]
    pub function_keys: BTreeMap<String, String>,
    /// System keys, name to value.
    #[serde(default)]
    pub system_keys: BTreeMap<String, String>,
}

impl fmt::Debug for HostKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostKeys")
            .field(
                "master_key",
                &self.master_key.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "function_keys",
                &self.function_keys.keys().collect::<Vec<_>>(),
            )
            .field("system_keys", &self.system_keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A function (`SITE/functions`, `FunctionEnvelope`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct FunctionEnvelope {
    /// ARM id.
    pub id: String,
    /// Name (`app/function`).
    pub name: String,
    /// Resource type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Properties.
    pub properties: FunctionProperties,
}

impl FunctionEnvelope {
    /// The function's own name (after the `/`).
    pub fn function_name(&self) -> &str {
        self.name.rsplit_once('/').map_or(&self.name, |(_, f)| f)
    }
}

/// A function's properties (the fields warroom reads).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct FunctionProperties {
    /// The app's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_app_id: Option<String>,
    /// Invoke URL template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoke_url_template: Option<String>,
    /// Language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The function's `function.json` config (bindings), as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Value>,
    /// Whether the function is disabled.
    #[serde(
        rename = "isDisabled",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_disabled: Option<bool>,
}

/// The body of a slot swap (`CsmSlotEntity`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CsmSlotEntity {
    /// The slot to swap with.
    pub target_slot: String,
    /// Whether to keep the VNet configuration.
    pub preserve_vnet: bool,
}

/// A key's name and value (`KeyInfo`). `Debug` prints the name only.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct KeyInfo {
    /// Key name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Key value (secret).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl fmt::Debug for KeyInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyInfo")
            .field("name", &self.name)
            .field("value", &"<redacted>")
            .finish()
    }
}

/// A key write's body and its answer (`WebApps_CreateOrUpdateHostSecret`,
/// `WebApps_CreateOrUpdateFunctionSecret`). The pinned api-version declares `KeyInfo` flat
/// (`{name, value}`); older versions and the Azure CLI wrap the same two fields in `properties`.
/// Both forms parse, and [`KeyInfoEnvelope::new`] writes both, so either reading of the body
/// finds the key. `Debug` prints the name only.
#[derive(Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
pub struct KeyInfoEnvelope {
    /// ARM id (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Key name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Resource type (answers only).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Key value (secret), flat form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The same fields, wrapped form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<KeyInfo>,
}

impl KeyInfoEnvelope {
    /// A body naming a key and, optionally, its value (`None` asks the service to generate one),
    /// in both forms.
    pub fn new(name: &str, value: Option<String>) -> Self {
        Self {
            id: None,
            name: Some(name.to_owned()),
            resource_type: None,
            value: value.clone(),
            properties: Some(KeyInfo {
                name: Some(name.to_owned()),
                value,
            }),
        }
    }

    /// The key's name, from whichever form carries it.
    pub fn key_name(&self) -> Option<&str> {
        self.properties
            .as_ref()
            .and_then(|p| p.name.as_deref())
            .or(self.name.as_deref())
    }

    /// The key's value, from whichever form carries it.
    pub fn key_value(&self) -> Option<&str> {
        self.properties
            .as_ref()
            .and_then(|p| p.value.as_deref())
            .or(self.value.as_deref())
    }
}

impl fmt::Debug for KeyInfoEnvelope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyInfoEnvelope")
            .field("name", &self.key_name())
            .field("value", &"<redacted>")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_bodies_parse_in_either_form_and_never_print_the_value() {
        let flat: KeyInfoEnvelope =
            serde_json::from_str(r#"{"name":"k1","value":"s3cret-1"}"#).expect("flat");
        assert_eq!(
            (flat.key_name(), flat.key_value()),
            (Some("k1"), Some("s3cret-1"))
        );
        let wrapped: KeyInfoEnvelope =
            serde_json::from_str(r#"{"properties":{"name":"k2","value":"s3cret-2"}}"#)
                .expect("wrapped");
        assert_eq!(
            (wrapped.key_name(), wrapped.key_value()),
            (Some("k2"), Some("s3cret-2"))
        );
        let both = serde_json::to_value(KeyInfoEnvelope::new("k3", Some("s3cret-3".into())))
            .expect("serialise");
        assert_eq!(both["value"], "s3cret-3");
        assert_eq!(both["properties"]["value"], "s3cret-3");
        assert_eq!(both["properties"]["name"], "k3");
        let shown = format!("{wrapped:?} {flat:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}
