//! Step builders for the read-back check that ends a plan ([`VerifyCheck::ReadBack`]): the
//! changes of the plan's earlier steps read again through the client, with the main REST read and
//! the read-only `az` commands that show the same (derived from the effects' ARM ids for routes
//! and alert rules). No value is printed by those commands: on/off
//! flags are shown as they are, copied settings and keys are piped through `sha256sum` on both
//! sides, so equal values show equal digests.

use super::super::effect::{Effect, SettingSource, VerifyCheck};
use super::super::plan::{PlanStep, RestCall};
use crate::azure::wire::api;

/// The resource group and name (last segment) of an ARM id: a site's, an endpoint's, a rule's.
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

/// The `n`th segment after `key` in an ARM id (`key` matched case-insensitively), e.g. the
/// profile's name one after `trafficManagerProfiles`.
fn after<'a>(id: &'a str, key: &str, n: usize) -> Option<&'a str> {
    let segs: Vec<&str> = id.trim_matches('/').split('/').collect();
    segs.iter()
        .position(|s| s.eq_ignore_ascii_case(key))
        .and_then(|i| segs.get(i + n))
        .copied()
}

/// The read-only `az` command that shows a Traffic Manager endpoint's status, from its ARM id
/// (`…/trafficManagerProfiles/{profile}/{AzureEndpoints}/{name}`).
fn tm_show(endpoint_id: &str) -> Option<String> {
    let (rg, name) = site_parts(endpoint_id);
    let profile = after(endpoint_id, "trafficManagerProfiles", 1)?;
    let ty = after(endpoint_id, "trafficManagerProfiles", 2)?;
    let mut chars = ty.chars();
    let first = chars.next()?.to_ascii_lowercase();
    Some(format!(
        "az network traffic-manager endpoint show --resource-group {rg} --profile-name {profile} --type {first}{} --name {name} --query endpointStatus",
        chars.as_str()
    ))
}

/// The read-only `az` command that shows a Front Door origin's enabled state, from its ARM id
/// (`…/profiles/{profile}/originGroups/{group}/origins/{name}`).
fn fd_show(origin_id: &str) -> Option<String> {
    let (rg, name) = site_parts(origin_id);
    Some(format!(
        "az afd origin show --resource-group {rg} --profile-name {} --origin-group-name {} --origin-name {name} --query enabledState",
        after(origin_id, "profiles", 1)?,
        after(origin_id, "originGroups", 1)?
    ))
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
        Effect::TmStatus { endpoint_id, .. } => tm_show(endpoint_id).into_iter().collect(),
        Effect::FdState { origin_id, .. } => fd_show(origin_id).into_iter().collect(),
        Effect::AlertRule { id, on, .. } => {
            let (rg, name) = site_parts(id);
            vec![format!(
                "az monitor alert-processing-rule show --resource-group {rg} --name {name}{}",
                if *on {
                    ""
                } else {
                    "  # expect ResourceNotFound"
                }
            )]
        }
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
        Effect::TmStatus { endpoint_id, .. } => {
            RestCall::arm("GET", endpoint_id.clone(), api::TRAFFIC_MANAGER, None)
        }
        Effect::FdState { origin_id, .. } => {
            RestCall::arm("GET", origin_id.clone(), api::CDN, None)
        }
        _ => return None,
    })
}

/// A check that reads back the write effects of `steps` (the plan's earlier steps). The `az`
/// commands are those given, or else derived from the effects (settings, keys, routes, alert
/// rules).
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
