//! Microsoft.Web writes: slot swap (long-running), restart, app settings read-modify-write, host and function keys.
//!
//! Every call names the site by its ARM id (`/subscriptions/…/providers/Microsoft.Web/sites/{app}`,
//! as `ResourceGroupRef::site(app, "production")` builds it) and a slot name, `production` for
//! the site itself. Paths and bodies follow AZURE-API.md section 3 rows 4b, 5b, 5d, 16, 18, 25.
//!
//! Owns these calls only; whether to make them is `decide`'s and `act`'s. Values of settings and
//! keys only ever cross this module inside [`Redacted`], and the summaries it returns carry names.

use std::collections::BTreeMap;

use crate::azure::client::{AzureClient, Method};
use crate::azure::error::{Error, Result};
use crate::azure::lro::{self, LroClock, LroOptions, LroOutcome, LroProgress, TokioClock};
use crate::azure::redacted::Redacted;
use crate::azure::wire::api;
use crate::azure::wire::web::{CsmSlotEntity, HostKeys, KeyInfoEnvelope, StringDictionary};

/// The production slot's name.
pub const PRODUCTION: &str = "production";

/// A progress callback for long-running writes.
pub type Progress<'a> = &'a mut (dyn FnMut(&LroProgress) + Send);

/// Percent-encodes one path segment.
fn seg(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// The ARM path of a slot of a site: the site itself for `production`.
pub fn slot_path(site_id: &str, slot: &str) -> String {
    let site = site_id.trim_end_matches('/');
    if slot.eq_ignore_ascii_case(PRODUCTION) {
        site.to_owned()
    } else {
        format!("{site}/slots/{}", seg(slot))
    }
}

fn decode_error(what: &str, detail: impl Into<String>) -> Error {
    Error::Decode {
        what: what.to_owned(),
        detail: detail.into(),
    }
}

/// Swaps `source_slot` with `target_slot` (one of them usually `production`) and waits for the
/// swap to finish, reporting each poll to `progress`. Asked on the source: `SITE/slotsswap`
/// with the other slot as target when the source is production, else
/// `SITE/slots/{source}/slotsswap`. A 409 (another operation running) is [`Error::Arm`] with
/// status 409 and code `Conflict`.
pub async fn swap_slot(
    client: &AzureClient,
    site_id: &str,
    source_slot: &str,
    target_slot: &str,
    options: &LroOptions,
    progress: Progress<'_>,
) -> Result<LroOutcome> {
    let clock = TokioClock::start();
    swap_slot_with_clock(
        client,
        site_id,
        source_slot,
        target_slot,
        options,
        progress,
        &clock,
    )
    .await
}

/// [`swap_slot`] with an injected clock (tests drive a virtual one).
pub async fn swap_slot_with_clock(
    client: &AzureClient,
    site_id: &str,
    source_slot: &str,
    target_slot: &str,
    options: &LroOptions,
    progress: Progress<'_>,
    clock: &dyn LroClock,
) -> Result<LroOutcome> {
    let path = format!("{}/slotsswap", slot_path(site_id, source_slot));
    let body = serde_json::to_value(CsmSlotEntity {
        target_slot: target_slot.to_owned(),
        preserve_vnet: true,
    })
    .map_err(|e| decode_error("slot swap body", e.to_string()))?;
    let first = client
        .begin(Method::Post, &path, api::WEB, Some(&body))
        .await?;
    lro::wait_with_clock(client, first, options, progress, clock).await
}

/// Restarts a slot (`POST …/restart`, 200 only); `soft` restarts the host without recycling
/// the worker.
pub async fn restart(client: &AzureClient, site_id: &str, slot: &str, soft: bool) -> Result<()> {
    let path = format!("{}/restart?softRestart={soft}", slot_path(site_id, slot));
    client.begin(Method::Post, &path, api::WEB, None).await?;
    Ok(())
}

/// What a settings merge did, by name only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SettingsChange {
    /// Names that were not there and now are.
    pub added: Vec<String>,
    /// Names whose value changed.
    pub modified: Vec<String>,
    /// Names asked for whose value was already the one asked for.
    pub unchanged: Vec<String>,
    /// Names not asked for, kept as they were.
    pub kept: usize,
    /// Whether the settings were written (nothing is written when nothing changes, so the app
    /// does not restart for nothing).
    pub written: bool,
}

/// A slot's app settings with their values, each held redacted.
pub async fn read_app_settings_values(
    client: &AzureClient,
    site_id: &str,
    slot: &str,
) -> Result<BTreeMap<String, Redacted<String>>> {
    let path = format!("{}/config/appsettings/list", slot_path(site_id, slot));
    let dict: StringDictionary = client
        .post_json(&path, api::WEB, &serde_json::json!({}))
        .await?;
    Ok(dict
        .properties
        .into_iter()
        .map(|(k, v)| (k, Redacted::new(v)))
        .collect())
}

/// Adds or changes the settings in `set` and keeps every other setting: reads the whole set,
/// merges, and writes the whole set back (`PUT …/config/appsettings` replaces everything). It
/// never deletes a setting, and writes nothing when nothing would change. A setting such as
/// `AzureWebJobs.<function>.Disabled` = `true` disables a function.
pub async fn merge_app_settings(
    client: &AzureClient,
    site_id: &str,
    slot: &str,
    set: &BTreeMap<String, Redacted<String>>,
) -> Result<SettingsChange> {
    let current = read_app_settings_values(client, site_id, slot).await?;
    let mut change = SettingsChange {
        kept: current.keys().filter(|k| !set.contains_key(*k)).count(),
        ..SettingsChange::default()
    };
    let mut merged: BTreeMap<String, String> = current
        .iter()
        .map(|(k, v)| (k.clone(), v.expose().clone()))
        .collect();
    for (name, value) in set {
        match current.get(name) {
            None => change.added.push(name.clone()),
            Some(old) if old.expose() == value.expose() => change.unchanged.push(name.clone()),
            Some(_) => change.modified.push(name.clone()),
        }
        merged.insert(name.clone(), value.expose().clone());
    }
    if change.added.is_empty() && change.modified.is_empty() {
        return Ok(change);
    }
    let path = format!("{}/config/appsettings", slot_path(site_id, slot));
    let body = StringDictionary {
        id: None,
        name: None,
        resource_type: None,
        kind: None,
        properties: merged,
    };
    let answer: StringDictionary = client.put_json(&path, api::WEB, &body).await?;
    let lost = body
        .properties
        .keys()
        .filter(|k| !answer.properties.contains_key(*k))
        .count();
    if lost > 0 {
        return Err(decode_error(
            "app settings write answer",
            format!("the service's answer lacks {lost} of the settings written"),
        ));
    }
    change.written = true;
    Ok(change)
}

/// Which of the host's keys a write names (the `{keyType}` path segment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKeyType {
    /// Host-level function keys (`functionKeys`).
    FunctionKeys,
    /// Extension keys (`systemKeys`).
    SystemKeys,
    /// The master key (`masterKey`; name it `_master`).
    MasterKey,
}

impl HostKeyType {
    /// The path segment.
    pub fn segment(self) -> &'static str {
        match self {
            Self::FunctionKeys => "functionKeys",
            Self::SystemKeys => "systemKeys",
            Self::MasterKey => "masterKey",
        }
    }
}

/// A key as written: its name, whether it is new, and its value (held redacted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyWritten {
    /// Key name.
    pub name: String,
    /// True when the service created it (201), false when it replaced it (200).
    pub created: bool,
    /// The key's value now (generated by the service when none was given).
    pub value: Redacted<String>,
}

async fn put_key(
    client: &AzureClient,
    path: &str,
    name: &str,
    value: Option<&Redacted<String>>,
) -> Result<KeyWritten> {
    let body = serde_json::to_value(KeyInfoEnvelope::new(
        name,
        value.map(|v| v.expose().clone()),
    ))
    .map_err(|e| decode_error("key body", e.to_string()))?;
    let reply = client
        .begin(Method::Put, path, api::WEB, Some(&body))
        .await?;
    let answer: KeyInfoEnvelope = reply.json("key write answer")?;
    let written = answer
        .key_value()
        .ok_or_else(|| decode_error("key write answer", "no key value"))?;
    Ok(KeyWritten {
        name: answer.key_name().unwrap_or(name).to_owned(),
        created: reply.status == 201,
        value: Redacted::new(written.to_owned()),
    })
}

/// Creates or replaces a host key (`PUT …/host/default/{keyType}/{keyName}`); `value` `None`
/// lets the service generate one.
pub async fn put_host_key(
    client: &AzureClient,
    site_id: &str,
    slot: &str,
    key_type: HostKeyType,
    name: &str,
    value: Option<&Redacted<String>>,
) -> Result<KeyWritten> {
    let path = format!(
        "{}/host/default/{}/{}",
        slot_path(site_id, slot),
        key_type.segment(),
        seg(name)
    );
    put_key(client, &path, name, value).await
}

/// Creates or replaces one key of a function (`PUT …/functions/{function}/keys/{keyName}`);
/// `value` `None` lets the service generate one.
pub async fn put_function_key(
    client: &AzureClient,
    site_id: &str,
    slot: &str,
    function: &str,
    name: &str,
    value: Option<&Redacted<String>>,
) -> Result<KeyWritten> {
    let path = format!(
        "{}/functions/{}/keys/{}",
        slot_path(site_id, slot),
        seg(function),
        seg(name)
    );
    put_key(client, &path, name, value).await
}

/// A slot's host keys with their values, each held redacted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HostKeyValues {
    /// The master key.
    pub master: Option<Redacted<String>>,
    /// Host-level function keys.
    pub function_keys: BTreeMap<String, Redacted<String>>,
    /// System keys.
    pub system_keys: BTreeMap<String, Redacted<String>>,
}

fn redact_all(m: BTreeMap<String, String>) -> BTreeMap<String, Redacted<String>> {
    m.into_iter().map(|(k, v)| (k, Redacted::new(v))).collect()
}

/// A slot's host keys (`POST …/host/default/listkeys`).
pub async fn host_key_values(
    client: &AzureClient,
    site_id: &str,
    slot: &str,
) -> Result<HostKeyValues> {
    let path = format!("{}/host/default/listkeys", slot_path(site_id, slot));
    let keys: HostKeys = client
        .post_json(&path, api::WEB, &serde_json::json!({}))
        .await?;
    Ok(HostKeyValues {
        master: keys.master_key.map(Redacted::new),
        function_keys: redact_all(keys.function_keys),
        system_keys: redact_all(keys.system_keys),
    })
}

/// One function's keys (`POST …/functions/{function}/listkeys`).
pub async fn function_key_values(
    client: &AzureClient,
    site_id: &str,
    slot: &str,
    function: &str,
) -> Result<BTreeMap<String, Redacted<String>>> {
    let path = format!(
        "{}/functions/{}/listkeys",
        slot_path(site_id, slot),
        seg(function)
    );
    let keys: StringDictionary = client
        .post_json(&path, api::WEB, &serde_json::json!({}))
        .await?;
    Ok(redact_all(keys.properties))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_paths_name_the_site_for_production() {
        let site = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app";
        assert_eq!(slot_path(site, "production"), site);
        assert_eq!(slot_path(site, "Production"), site);
        assert_eq!(
            slot_path(&format!("{site}/"), "staging"),
            format!("{site}/slots/staging")
        );
        assert_eq!(slot_path(site, "a b/c"), format!("{site}/slots/a%20b%2Fc"));
    }

    #[test]
    fn summaries_never_print_values() {
        let keys = HostKeyValues {
            master: Some(Redacted::new("m4ster-s3cret".into())),
            function_keys: BTreeMap::from([("default".into(), Redacted::new("f-s3cret".into()))]),
            system_keys: BTreeMap::new(),
        };
        let written = KeyWritten {
            name: "ci".into(),
            created: true,
            value: Redacted::new("k-s3cret".into()),
        };
        let shown = format!("{keys:?} {written:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("default") && shown.contains("ci"), "{shown}");
    }
}
