//! Step builders for the read-back check that ends a plan ([`VerifyCheck::ReadBack`]): the
//! changes of the plan's earlier steps read again through the client, with the main REST read and
//! the read-only `az` commands that show the same. No value is printed by those commands: on/off
//! flags are shown as they are, copied settings and keys are piped through `sha256sum` on both
//! sides, so equal values show equal digests.

use super::super::effect::{Effect, SettingSource, VerifyCheck};
use super::super::plan::{PlanStep, RestCall};
use crate::azure::wire::api;

/// The resource group and name of a site's ARM id.
fn site_parts(site_id: &str) -> (&str, &str) {
    let segs: Vec<&str> = site_id.trim_matches('/').split('/').collect();
    let rg = segs
        .iter()
        .position(|s| s.eq_ignore_ascii_case("resourceGroups"))
        .and_then(|i| segs.get(i + 1))
        .copied()
        .unwrap_or("?");
    (rg, segs.last().copied().unwrap_or("?"))
}

/// A JMESPath filter on setting names: `[?name=='A' || name=='B']`.
fn name_filter<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let parts: Vec<String> = names.map(|n| format!("name=='{n}'")).collect();
    format!("[?{}]", parts.join(" || "))
}

/// Lists named settings of an app as `name digest` lines, values never printed.
fn settings_digests(site_id: &str, filter: &str) -> String {
    let (rg, app) = site_parts(site_id);
    format!(
        "az functionapp config appsettings list --resource-group {rg} --name {app} --query \"{filter}.[name, value]\" -o tsv | while IFS=$'\\t' read -r n v; do echo \"$n $(printf %s \"$v\" | sha256sum | cut -c1-16)\"; done"
    )
}

/// The digest of one key of an app, value never printed.
fn key_digest(site_id: &str, key: &str) -> String {
    let (rg, app) = site_parts(site_id);
    let parts: Vec<&str> = key.split('/').collect();
    let read = match parts.as_slice() {
        ["function", f, k] => format!(
            "az functionapp function keys list --resource-group {rg} --name {app} --function-name {f} --query \"{k}\" -o tsv"
        ),
        ["master"] | ["host", "_master"] => format!(
            "az functionapp keys list --resource-group {rg} --name {app} --query masterKey -o tsv"
        ),
        ["system", k] => format!(
            "az functionapp keys list --resource-group {rg} --name {app} --query \"systemKeys.{k}\" -o tsv"
        ),
        [_, k] => format!(
            "az functionapp keys list --resource-group {rg} --name {app} --query \"functionKeys.{k}\" -o tsv"
        ),
        _ => return format!("# key {key} of {app}: compare by hand"),
    };
    format!("{read} | sha256sum  # {key} of {app}")
}

/// The `az` reads that show what one write effect changed.
fn az_reads(effect: &Effect) -> Vec<String> {
    match effect {
        Effect::MergeSettings { site_id, set, .. } => {
            let flags: Vec<&String> = set
                .iter()
                .filter(|(_, s)| matches!(s, SettingSource::Flag { .. }))
                .map(|(n, _)| n)
                .collect();
            let mut out = Vec::new();
            if !flags.is_empty() {
                let (rg, app) = site_parts(site_id);
                out.push(format!(
                    "az functionapp config appsettings list --resource-group {rg} --name {app} --query \"{}.{{name: name, value: value}}\"",
                    name_filter(flags.into_iter())
                ));
            }
            let mut sources: Vec<&str> = set
                .values()
                .filter_map(|s| match s {
                    SettingSource::CopyFrom { site_id, .. } => Some(site_id.as_str()),
                    SettingSource::Flag { .. } => None,
                })
                .collect();
            sources.sort_unstable();
            sources.dedup();
            for source in sources {
                let copied = set.iter().filter(|(_, s)| {
                    matches!(s, SettingSource::CopyFrom { site_id, .. } if site_id == source)
                });
                let filter = name_filter(copied.map(|(n, _)| n));
                out.push(format!(
                    "{}\n{}  # the two lists must be equal",
                    settings_digests(source, &filter),
                    settings_digests(site_id, &filter)
                ));
            }
            out
        }
        Effect::SyncKeys {
            from_site,
            to_site,
            names,
        } => names
            .iter()
            .flat_map(|k| [key_digest(from_site, k), key_digest(to_site, k)])
            .collect(),
        _ => Vec::new(),
    }
}

/// The main REST read of one write effect.
fn rest_read(effect: &Effect) -> Option<RestCall> {
    Some(match effect {
        Effect::MergeSettings { site_id, .. } => RestCall::arm(
            "POST",
            format!("{site_id}/config/appsettings/list"),
            api::WEB,
            None,
        ),
        Effect::SyncKeys { to_site, .. } => RestCall::arm(
            "POST",
            format!("{to_site}/host/default/listkeys"),
            api::WEB,
            None,
        ),
        Effect::Lock { scope, name, .. } => RestCall::arm(
            "GET",
            format!("{scope}/providers/Microsoft.Authorization/locks/{name}"),
            api::LOCKS,
            None,
        ),
        Effect::Tag { scope, .. } => RestCall::arm(
            "GET",
            format!("{scope}/providers/Microsoft.Resources/tags/default"),
            api::TAGS,
            None,
        ),
        Effect::AlertRule { id, .. } => RestCall::arm("GET", id.clone(), api::ALERT_RULES, None),
        _ => return None,
    })
}

/// A check that reads back the write effects of `steps` (the plan's earlier steps). The `az`
/// commands are those given, or else derived from the settings and keys effects.
pub fn read_back(what: String, steps: &[PlanStep], az: Vec<String>) -> PlanStep {
    let effects: Vec<Effect> = steps
        .iter()
        .map(|s| s.effect.clone())
        .filter(|e| !e.is_read_only())
        .collect();
    let az = if az.is_empty() {
        effects.iter().flat_map(az_reads).collect()
    } else {
        az
    };
    PlanStep {
        what,
        call: effects.iter().find_map(rest_read),
        az: (!az.is_empty()).then(|| az.join("\n")),
        effect: Effect::Verify(VerifyCheck::ReadBack { effects }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_id_gives_its_group_and_name() {
        assert_eq!(
            site_parts("/subscriptions/s/resourceGroups/rg-a/providers/Microsoft.Web/sites/app-1"),
            ("rg-a", "app-1")
        );
    }

    #[test]
    fn key_reads_pipe_the_value_into_a_digest() {
        let site = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/a";
        assert_eq!(
            key_digest(site, "function/CreateOrder/default"),
            "az functionapp function keys list --resource-group g --name a --function-name CreateOrder --query \"default\" -o tsv | sha256sum  # function/CreateOrder/default of a"
        );
        assert!(key_digest(site, "host/default").contains("--query \"functionKeys.default\""));
        assert!(key_digest(site, "host/_master").contains("--query masterKey"));
        assert!(key_digest(site, "system/durabletask_extension").contains("systemKeys."));
    }
}
