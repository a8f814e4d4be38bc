//! The step builders the actions share: for each effect, its REST call (path, api-version,
//! secret-free body summary) and the `az` command that does the same, values masked. The
//! composite failover reuses them, so a step reads the same wherever it appears.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;

use super::super::effect::{Effect, SettingSource, VerifyCheck};
use super::super::plan::{PlanStep, RestCall};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::config::{App, Estate};

pub use super::steps_edge::{
    alert_rule, fd_origin_id, fd_show, fd_state, suppress_rule_name, tm_endpoint_id, tm_show,
    tm_status,
};

/// The resource group of an app.
pub fn rg_of(estate: &Estate, app: &App) -> ResourceGroupRef {
    ResourceGroupRef::of_app(estate, app)
}

/// The Kudu (SCM) base URL of an app.
pub fn scm_url(estate: &Estate, app: &str) -> String {
    estate.endpoints.kudu.replace("{app}", app)
}

/// The health endpoint URL of an app's production slot.
pub fn health_url(estate: &Estate, app: &App) -> String {
    format!(
        "{}{}",
        estate.endpoints.app_host.replace("{app}", &app.name),
        app.health_path
    )
}

/// Swap `source` into `target` on an app.
pub fn swap(estate: &Estate, app: &App, source: &str, target: &str) -> PlanStep {
    let site_id = estate.app_id(app);
    let rg = rg_of(estate, app);
    PlanStep {
        what: format!("Swap slot {source} into {target} of {}", app.name),
        call: Some(RestCall::arm(
            "POST",
            format!("{site_id}/slots/{source}/slotsswap"),
            api::WEB,
            Some(json!({"targetSlot": target, "preserveVnet": true})),
        )),
        az: Some(format!(
            "az functionapp deployment slot swap --resource-group {} --name {} --slot {source} --target-slot {target}",
            rg.resource_group, app.name
        )),
        effect: Effect::Swap {
            site_id,
            source_slot: source.to_owned(),
            target_slot: target.to_owned(),
        },
    }
}

/// Restart an app's production slot.
pub fn restart(estate: &Estate, app: &App) -> PlanStep {
    restart_step(estate, app, None)
}

/// How often the `az` equivalent of a warm-up probes the health endpoint (the executor probes
/// at its check interval, 10 seconds by default).
const WARM_UP_PROBE_SECS: u64 = 10;

/// Restart an app's production slot only if it is still not healthy once it has had `warm_up`
/// to start (a cold start after a deploy): its health is probed meanwhile, and a Healthy answer
/// ends the wait with no restart.
pub fn restart_if_still_unhealthy(estate: &Estate, app: &App, warm_up: Duration) -> PlanStep {
    restart_step(estate, app, Some(warm_up))
}

/// A duration in words: `2m`, `40s`, `1m30s`.
pub fn span(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 60, s % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

fn restart_step(estate: &Estate, app: &App, warm_up: Option<Duration>) -> PlanStep {
    let site_id = estate.app_id(app);
    let rg = rg_of(estate, app);
    let restart = format!(
        "az functionapp restart --resource-group {} --name {}",
        rg.resource_group, app.name
    );
    let (what, az) = match warm_up {
        Some(w) => (
            format!(
                "Restart {} only if it is still not healthy after a warm-up of up to {} (its health probed meanwhile; healthy sooner, no restart)",
                app.name,
                span(w)
            ),
            format!(
                "curl -fsS --retry {} --retry-delay {WARM_UP_PROBE_SECS} --retry-all-errors {} > /dev/null || {restart}",
                w.as_secs() / WARM_UP_PROBE_SECS,
                health_url(estate, app)
            ),
        ),
        None => (format!("Restart {}", app.name), restart),
    };
    PlanStep {
        what,
        call: Some(RestCall::arm(
            "POST",
            format!("{site_id}/restart?softRestart=false"),
            api::WEB,
            None,
        )),
        az: Some(az),
        effect: Effect::Restart {
            site_id,
            app: app.name.clone(),
            slot: "production".to_owned(),
            only_if_unhealthy: warm_up.is_some(),
            warm_up_secs: warm_up.map_or(0, |w| w.as_secs()),
        },
    }
}

/// What a setting's new value is, masked: `<value of NAME from APP>` or the flag's word.
fn masked(name: &str, source: &SettingSource) -> String {
    match source {
        SettingSource::CopyFrom { app, .. } => format!("<value of {name} from {app}>"),
        SettingSource::Flag { value } => value.to_string(),
    }
}

/// Add or change settings of an app by read-modify-write; nothing is deleted.
pub fn merge_settings(
    estate: &Estate,
    app: &App,
    what: String,
    set: BTreeMap<String, SettingSource>,
) -> PlanStep {
    let site_id = estate.app_id(app);
    let rg = rg_of(estate, app);
    let mut props = serde_json::Map::new();
    for (name, source) in &set {
        props.insert(name.clone(), json!(masked(name, source)));
    }
    props.insert(
        "…".to_owned(),
        json!("every other current setting, as read by POST config/appsettings/list"),
    );
    let pairs: Vec<String> = set
        .iter()
        .map(|(name, source)| format!("{name}={}", masked(name, source)))
        .collect();
    PlanStep {
        what,
        call: Some(RestCall::arm(
            "PUT",
            format!("{site_id}/config/appsettings"),
            api::WEB,
            Some(json!({ "properties": props })),
        )),
        az: Some(format!(
            "az functionapp config appsettings set --resource-group {} --name {} --settings {}",
            rg.resource_group,
            app.name,
            pairs.join(" ")
        )),
        effect: Effect::MergeSettings {
            site_id,
            slot: "production".to_owned(),
            set,
        },
    }
}

/// Where a key is written: a host-level key (`host/<name>`, `system/<name>`, `master`) or a key
/// of one function (`function/<fn>/<name>`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum KeyHome {
    Host,
    Function(String),
}

fn key_home(key: &str) -> KeyHome {
    match key.split('/').collect::<Vec<_>>().as_slice() {
        ["function", f, _] => KeyHome::Function((*f).to_owned()),
        _ => KeyHome::Host,
    }
}

/// The host key type (path segment) and key name of a host-level key.
fn host_key(key: &str) -> Option<(&'static str, &str)> {
    match key.split('/').collect::<Vec<_>>().as_slice() {
        ["master"] | ["host", "_master"] => Some(("masterKey", "_master")),
        ["system", k] => Some(("systemKeys", k)),
        ["host", k] => Some(("functionKeys", k)),
        _ => None,
    }
}

/// The key write a step makes: `PUT …/host/default/{keyType}/{keyName}` for host-level keys,
/// `PUT …/functions/{fn}/keys/{keyName}` for a function's keys; concrete where the step writes
/// one key (or one key type).
fn key_path(to_site: &str, names: &[String]) -> String {
    let one = |v: Vec<&str>, or: &str| match v.as_slice() {
        [only] => (*only).to_owned(),
        _ => or.to_owned(),
    };
    match names.first().map(|k| key_home(k)) {
        Some(KeyHome::Function(f)) => {
            let keys: Vec<&str> = names.iter().filter_map(|k| k.rsplit('/').next()).collect();
            format!("{to_site}/functions/{f}/keys/{}", one(keys, "{keyName}"))
        }
        Some(KeyHome::Host) => {
            let parsed: Vec<(&str, &str)> = names.iter().filter_map(|k| host_key(k)).collect();
            let mut types: Vec<&str> = parsed.iter().map(|(t, _)| *t).collect();
            types.dedup();
            let keys: Vec<&str> = parsed.iter().map(|(_, k)| *k).collect();
            format!(
                "{to_site}/host/default/{}/{}",
                one(types, "{keyType}"),
                one(keys, "{keyName}")
            )
        }
        None => format!("{to_site}/host/default/{{keyType}}/{{keyName}}"),
    }
}

/// Copy host and function keys from one app to another (add and modify only): one step for the
/// host-level keys and one per function, so each shows the path it writes.
pub fn sync_keys_by_kind(estate: &Estate, from: &App, to: &App, names: &[String]) -> Vec<PlanStep> {
    let mut groups: BTreeMap<KeyHome, Vec<String>> = BTreeMap::new();
    for n in names {
        groups.entry(key_home(n)).or_default().push(n.clone());
    }
    groups
        .into_values()
        .map(|names| sync_keys(estate, from, to, names))
        .collect()
}

/// Copy host and function keys from one app to another (add and modify only). `names` are all
/// host-level keys or all keys of one function ([`sync_keys_by_kind`]); empty means every key.
pub fn sync_keys(estate: &Estate, from: &App, to: &App, names: Vec<String>) -> PlanStep {
    let to_rg = rg_of(estate, to);
    let to_site = estate.app_id(to);
    let az: Vec<String> = names
        .iter()
        .map(|key| {
            let mask = format!("<value of key {key} from {}>", from.name);
            match (key_home(key), host_key(key)) {
                (KeyHome::Function(func), _) => format!(
                    "az functionapp function keys set --resource-group {} --name {} --function-name {func} --key-name {} --key-value {mask}",
                    to_rg.resource_group,
                    to.name,
                    key.rsplit('/').next().unwrap_or(key)
                ),
                (KeyHome::Host, Some((key_type, name))) => format!(
                    "az functionapp keys set --resource-group {} --name {} --key-type {key_type} --key-name {name} --key-value {mask}",
                    to_rg.resource_group, to.name
                ),
                (KeyHome::Host, None) => format!("# key {key}: copy by hand"),
            }
        })
        .collect();
    let what = if names.is_empty() {
        format!(
            "Copy every host and function key from {} to {}",
            from.name, to.name
        )
    } else {
        format!(
            "Copy keys {} from {} to {}",
            names.join(", "),
            from.name,
            to.name
        )
    };
    let az = if names.is_empty() {
        vec![format!(
            "az functionapp keys list --resource-group {} --name {}  # then, for each key: az functionapp keys set --resource-group {} --name {} --key-type <type> --key-name <name> --key-value <value from {}>",
            rg_of(estate, from).resource_group,
            from.name,
            to_rg.resource_group,
            to.name,
            from.name
        )]
    } else {
        az
    };
    let key_name = match names.as_slice() {
        [only] => host_key(only)
            .map_or_else(|| only.rsplit('/').next().unwrap_or(only), |(_, k)| k)
            .to_owned(),
        _ => "{keyName}".to_owned(),
    };
    let mut body =
        json!({"properties": {"name": key_name, "value": format!("<value from {}>", from.name)}});
    if names.is_empty() {
        body["also"] = json!(format!(
            "PUT {to_site}/functions/{{functionName}}/keys/{{keyName}} for each function key"
        ));
    }
    PlanStep {
        what,
        call: Some(RestCall::arm(
            "PUT",
            key_path(&to_site, &names),
            api::WEB,
            Some(body),
        )),
        az: (!az.is_empty()).then(|| az.join("\n")),
        effect: Effect::SyncKeys {
            from_site: estate.app_id(from),
            to_site,
            names,
        },
    }
}

/// The blob URL of a release package in the artifact store (no SAS).
pub fn package_uri(estate: &Estate, service: &str, version: &str) -> Option<String> {
    let store = estate.artifact_store.as_ref()?;
    Some(format!(
        "{}/{}/{service}/{version}.zip",
        estate.endpoints.blob.replace("{account}", &store.account),
        store.container
    ))
}

/// Zip deploy a version from the artifact store.
pub fn zip_deploy(estate: &Estate, app: &App, version: &str) -> Option<PlanStep> {
    let store = estate.artifact_store.as_ref()?;
    let uri = package_uri(estate, &app.service, version)?;
    let scm = scm_url(estate, &app.name);
    let rg = rg_of(estate, app);
    let blob = format!("{}/{version}.zip", app.service);
    Some(PlanStep {
        what: format!(
            "Zip deploy {blob} from the artifact store ({}/{}) to {}, polled until done",
            store.account, store.container, app.name
        ),
        call: Some(RestCall::url(
            "POST",
            format!("{scm}/api/zipdeploy?isAsync=true"),
            Some(json!({"packageUri": format!("{uri} (read with a short-lived SAS, not shown)")})),
        )),
        az: Some(format!(
            "az storage blob download --account-name {} --container-name {} --name {blob} --file {}-{version}.zip --auth-mode login\n\
             az functionapp deployment source config-zip --resource-group {} --name {} --src {}-{version}.zip",
            store.account, store.container, app.service, rg.resource_group, app.name, app.service
        )),
        effect: Effect::ZipDeploy {
            app: app.name.clone(),
            scm,
            package_uri: uri,
            version: version.to_owned(),
        },
    })
}

/// Check an app's health endpoint (and the version it reports).
pub fn verify_app(estate: &Estate, app: &App, version: Option<&str>) -> PlanStep {
    let what = match version {
        Some(v) => format!("Verify {} reports Healthy and version {v}", app.name),
        None => format!("Verify {} reports Healthy", app.name),
    };
    PlanStep {
        what,
        call: Some(RestCall::url("GET", health_url(estate, app), None)),
        az: Some(format!("curl -fsS {}", health_url(estate, app))),
        effect: Effect::Verify(VerifyCheck::AppHealthy {
            app: app.name.clone(),
            slot: "production".to_owned(),
            version: version.map(str::to_owned),
        }),
    }
}

/// Check that an app's health endpoint reports `version` again; its health is reported with it,
/// not required (a swap that puts back a release not known to be healthy).
pub fn verify_version(estate: &Estate, app: &App, version: &str) -> PlanStep {
    PlanStep {
        what: format!(
            "Verify {} reports version {version} again (its health is reported, not required)",
            app.name
        ),
        call: Some(RestCall::url("GET", health_url(estate, app), None)),
        az: Some(format!("curl -sS {}", health_url(estate, app))),
        effect: Effect::Verify(VerifyCheck::AppVersion {
            app: app.name.clone(),
            slot: "production".to_owned(),
            version: version.to_owned(),
        }),
    }
}
