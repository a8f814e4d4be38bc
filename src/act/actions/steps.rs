//! The step builders the actions share: for each effect, its REST call (path, api-version,
//! secret-free body summary) and the `az` command that does the same, values masked. The
//! composite failover reuses them, so a step reads the same wherever it appears.

use std::collections::BTreeMap;

use serde_json::json;

use super::super::effect::{Effect, SettingSource, VerifyCheck};
use super::super::plan::{PlanStep, RestCall};
use crate::azure::reads::ResourceGroupRef;
use crate::azure::wire::api;
use crate::config::{App, Estate};

pub use super::steps_edge::{
    alert_rule, fd_origin_id, fd_state, suppress_rule_name, tm_endpoint_id, tm_status,
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

/// Restart an app's production slot (or only when its health check fails).
pub fn restart(estate: &Estate, app: &App, only_if_unhealthy: bool) -> PlanStep {
    let site_id = estate.app_id(app);
    let rg = rg_of(estate, app);
    let what = if only_if_unhealthy {
        format!("Restart {} if it is still not healthy", app.name)
    } else {
        format!("Restart {}", app.name)
    };
    PlanStep {
        what,
        call: Some(RestCall::arm(
            "POST",
            format!("{site_id}/restart?softRestart=false"),
            api::WEB,
            None,
        )),
        az: Some(format!(
            "az functionapp restart --resource-group {} --name {}",
            rg.resource_group, app.name
        )),
        effect: Effect::Restart {
            site_id,
            app: app.name.clone(),
            slot: "production".to_owned(),
            only_if_unhealthy,
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

/// Copy host and function keys from one app to another (add and modify only).
pub fn sync_keys(estate: &Estate, from: &App, to: &App, names: Vec<String>) -> PlanStep {
    let to_rg = rg_of(estate, to);
    let to_site = estate.app_id(to);
    let az: Vec<String> = names
        .iter()
        .map(|key| {
            let mask = format!("<value of key {key} from {}>", from.name);
            match key.split('/').collect::<Vec<_>>().as_slice() {
                ["function", func, name] => format!(
                    "az functionapp function keys set --resource-group {} --name {} --function-name {func} --key-name {name} --key-value {mask}",
                    to_rg.resource_group, to.name
                ),
                ["host", "_master"] | ["master"] => format!(
                    "az functionapp keys set --resource-group {} --name {} --key-type masterKey --key-name _master --key-value {mask}",
                    to_rg.resource_group, to.name
                ),
                [kind, name] => format!(
                    "az functionapp keys set --resource-group {} --name {} --key-type {} --key-name {name} --key-value {mask}",
                    to_rg.resource_group,
                    to.name,
                    if *kind == "system" { "systemKeys" } else { "functionKeys" }
                ),
                _ => format!("# key {key}: copy by hand"),
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
    PlanStep {
        what,
        call: Some(RestCall::arm(
            "PUT",
            format!("{to_site}/host/default/{{keyType}}/{{keyName}}"),
            api::WEB,
            Some(
                json!({"properties": {"name": "{keyName}", "value": format!("<value from {}>", from.name)}}),
            ),
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
