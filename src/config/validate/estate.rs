//! Rules on the estate as a whole: the `[estate]` targets, `[endpoints]`, the subscriptions and
//! the regions (one primary, at least one secondary).

use toml::Spanned;

use super::{Checker, Names};
use crate::config::file::{Cloud, EstateFile, RegionRole};

pub(super) fn check(c: &mut Checker<'_>, f: &EstateFile, names: &Names<'_>) {
    for (key, value) in [
        ("estate.rto-minutes", &f.estate.rto_minutes),
        ("estate.rpo-minutes", &f.estate.rpo_minutes),
    ] {
        if *value.get_ref() == 0 {
            c.push(
                key,
                Some(value.span()),
                "must be more than 0 minutes: a zero target cannot be met by any recovery",
            );
        }
    }
    endpoints(c, f);
    monitoring(c, f);
    subscriptions(c, f);
    regions(c, f, names);
}

fn endpoints(c: &mut Checker<'_>, f: &EstateFile) {
    let e = &f.endpoints;
    if let Some(cloud) = &e.cloud
        && *cloud.get_ref() == Cloud::Simulator
        && e.arm.is_none()
    {
        c.push(
            "endpoints.arm",
            Some(cloud.span()),
            "`cloud = \"simulator\"` needs `arm` set to the simulator's base URL (for example \
             `arm = \"http://127.0.0.1:8080\"`, as `warroom sim serve` prints it)",
        );
    }
    for (key, value) in [
        ("endpoints.arm", &e.arm),
        ("endpoints.authority", &e.authority),
        ("endpoints.logs", &e.logs),
    ] {
        if let Some(v) = value {
            http_url(c, key, v);
        }
    }
}

fn monitoring(c: &mut Checker<'_>, f: &EstateFile) {
    if let Some(w) = &f.monitoring.log_analytics_workspace
        && !is_guid(w.get_ref())
    {
        c.push(
            "monitoring.log-analytics-workspace",
            Some(w.span()),
            format!(
                "`{}` is not a Log Analytics workspace id; the id is a GUID such as \
                 `00000000-0000-0000-0000-000000000000` (the workspace's Overview shows it as \
                 Workspace ID; `az monitor log-analytics workspace show --query customerId`)",
                w.get_ref()
            ),
        );
    }
}

/// Checks that an endpoint override is an absolute http(s) URL.
fn http_url(c: &mut Checker<'_>, key: &str, value: &Spanned<String>) {
    let ok = url::Url::parse(value.get_ref())
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    if !ok {
        c.push(
            key,
            Some(value.span()),
            format!(
                "`{}` is not an http(s) URL; write the base URL, for example `https://management.azure.com`",
                value.get_ref()
            ),
        );
    }
}

fn subscriptions(c: &mut Checker<'_>, f: &EstateFile) {
    c.unique(
        "subscription",
        "subscription",
        f.subscriptions.iter().map(|s| &s.name),
    );
    for (i, s) in f.subscriptions.iter().enumerate() {
        if !is_guid(s.id.get_ref()) {
            c.push(
                format!("subscription[{i}].id"),
                Some(s.id.span()),
                format!(
                    "`{}` is not a subscription id; an id is a GUID such as \
                     `00000000-0000-0000-0000-000000000000` (`az account list` shows yours)",
                    s.id.get_ref()
                ),
            );
        }
    }
}

/// Whether `s` has the 8-4-4-4-12 hexadecimal shape of a GUID.
fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|ch| ch.is_ascii_hexdigit()))
}

fn regions(c: &mut Checker<'_>, f: &EstateFile, names: &Names<'_>) {
    c.unique("region", "region", f.regions.iter().map(|r| &r.name));
    for (i, r) in f.regions.iter().enumerate() {
        c.reference(
            format!("region[{i}].subscription"),
            &r.subscription,
            "subscription",
            &names.subscriptions,
        );
    }
    let Some(first) = f.regions.first() else {
        c.push(
            "region",
            None,
            "no `[[region]]` is defined; an estate needs one primary region and at least one \
             secondary region to fail over to",
        );
        return;
    };
    let primaries: Vec<(usize, &str)> = f
        .regions
        .iter()
        .enumerate()
        .filter(|(_, r)| *r.role.get_ref() == RegionRole::Primary)
        .map(|(i, r)| (i, r.name.get_ref().as_str()))
        .collect();
    match primaries.as_slice() {
        [] => c.push(
            "region",
            Some(first.role.span()),
            "no region has `role = \"primary\"`; exactly one region must be primary",
        ),
        [(_, first_primary), rest @ ..] => {
            for (i, name) in rest {
                c.push(
                    format!("region[{i}].role"),
                    Some(f.regions[*i].role.span()),
                    format!(
                        "region `{name}` is a second primary (`{first_primary}` is already \
                         primary); exactly one region may be primary, make the others \
                         `secondary`"
                    ),
                );
            }
        }
    }
    if !f
        .regions
        .iter()
        .any(|r| *r.role.get_ref() == RegionRole::Secondary)
    {
        c.push(
            "region",
            Some(first.role.span()),
            "no region has `role = \"secondary\"`; at least one secondary region is needed to \
             fail over to",
        );
    }
}
