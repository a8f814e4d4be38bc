//! Microsoft.Web: sites and slots (list by resource group with `includeSlots`, get), ARM
//! deployment records, app settings (`config/appsettings/list`), host keys, functions with their
//! disabled state, and function keys; each with its slot variant under `slots/{slot}`. Writes
//! are `web_writes`'; a zip deployment still running shows here as an unfinished record.

use axum::http::Method;
use chrono::DateTime;
use serde_json::json;

use super::arm::{Ctx, Reply};
use super::conventions::errors::{no_such_path, resource_not_found};
use super::conventions::{iso, iso_ms};
use super::names::{display_location, host_name, scm_host_name, server_farm_id, site_sku};
use crate::azure::wire::web::{
    ArmDeployment, ArmDeploymentProperties, FunctionEnvelope, FunctionProperties, HostKeys,
    HostNameSslState, Site, SiteProperties, SlotSwapStatus, StringDictionary,
};
use crate::sim::world::{
    AppState, OperationKind, PRODUCTION, WebOperation as Operation, World, ZIP_DEPLOYER,
};

/// Routes a Microsoft.Web request.
pub(crate) fn handle(w: &mut World, cx: &Ctx<'_>) -> Reply {
    let rest = cx.rest();
    if cx.path.scope_is_resource()
        || !rest
            .first()
            .is_some_and(|s| s.eq_ignore_ascii_case("sites"))
    {
        return Err(no_such_path(&cx.req.raw_path));
    }
    if rest.len() == 1 {
        cx.expect_method(&Method::GET)?;
        return list_sites(w, cx);
    }
    let app = find_app(w, cx, rest[1])?;
    let tail = &rest[2..];
    let (slot, tail) = match tail {
        [s, ..] if !s.eq_ignore_ascii_case("slots") => (0, tail),
        [] => (0, tail),
        [_] => {
            cx.expect_method(&Method::GET)?;
            return list_slots(w, cx, app);
        }
        [_, name, more @ ..] => (find_slot(w, cx, app, name)?, more),
    };
    if let Some(reply) = super::web_writes::route(w, cx, app, slot, tail) {
        return reply;
    }
    route(w, cx, app, slot, tail)
}

fn route(w: &World, cx: &Ctx<'_>, app: usize, slot: usize, tail: &[&str]) -> Reply {
    let lower: Vec<String> = tail.iter().map(|s| s.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    match lower.as_slice() {
        [] => {
            cx.expect_method(&Method::GET)?;
            cx.ok(&site(w, app, slot, cx.t))
        }
        ["deployments"] => {
            cx.expect_method(&Method::GET)?;
            let items = deployments(w, app, slot, cx.t);
            cx.ok(&cx.page(w, items)?)
        }
        ["deployments", _] => {
            cx.expect_method(&Method::GET)?;
            deployments(w, app, slot, cx.t)
                .into_iter()
                .find(|d| d.name.rsplit('/').next() == Some(tail[1]))
                .map_or_else(|| Err(not_found(w, app, tail[1])), |d| cx.ok(&d))
        }
        ["config", "appsettings", "list"] => {
            cx.expect_method(&Method::POST)?;
            cx.ok(&app_settings(w, app, slot))
        }
        ["host", "default", "listkeys"] => {
            cx.expect_method(&Method::POST)?;
            let k = &w.apps()[app].slots[slot].host_keys;
            cx.ok(&HostKeys {
                master_key: Some(k.master.clone()),
                function_keys: k.function.clone(),
                system_keys: k.system.clone(),
            })
        }
        ["functions"] => {
            cx.expect_method(&Method::GET)?;
            let items = functions(w, app, slot);
            cx.ok(&cx.page(w, items)?)
        }
        ["functions", _] => {
            cx.expect_method(&Method::GET)?;
            functions(w, app, slot)
                .into_iter()
                .find(|f| f.function_name().eq_ignore_ascii_case(tail[1]))
                .map_or_else(|| Err(not_found(w, app, tail[1])), |f| cx.ok(&f))
        }
        ["functions", _, "listkeys"] => {
            cx.expect_method(&Method::POST)?;
            let keys = w.apps()[app].slots[slot]
                .function_keys
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(tail[1]))
                .map(|(_, k)| k.clone())
                .ok_or_else(|| not_found(w, app, tail[1]))?;
            cx.ok(&StringDictionary {
                id: None,
                name: None,
                resource_type: None,
                kind: None,
                properties: keys,
            })
        }
        _ => Err(no_such_path(&cx.req.raw_path)),
    }
}

fn not_found(w: &World, app: usize, what: &str) -> super::conventions::errors::Fail {
    let a = &w.apps()[app];
    resource_not_found(
        "Microsoft.Web/sites",
        &format!("{}/{what}", a.name),
        &a.resource_group,
    )
}

fn find_app(
    w: &World,
    cx: &Ctx<'_>,
    name: &str,
) -> Result<usize, super::conventions::errors::Fail> {
    w.app_index(name)
        .filter(|&i| {
            w.apps()[i]
                .resource_group
                .eq_ignore_ascii_case(cx.resource_group())
        })
        .ok_or_else(|| resource_not_found("Microsoft.Web/sites", name, cx.resource_group()))
}

fn find_slot(
    w: &World,
    cx: &Ctx<'_>,
    app: usize,
    name: &str,
) -> Result<usize, super::conventions::errors::Fail> {
    let a = &w.apps()[app];
    a.slot_index(name)
        .filter(|&i| a.slots[i].name != PRODUCTION)
        .ok_or_else(|| {
            resource_not_found(
                "Microsoft.Web/sites/slots",
                &format!("{}/{name}", a.name),
                cx.resource_group(),
            )
        })
}

fn list_sites(w: &World, cx: &Ctx<'_>) -> Reply {
    let include_slots = cx
        .req
        .param("includeSlots")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut items = Vec::new();
    for (i, a) in w.apps().iter().enumerate() {
        if !a.resource_group.eq_ignore_ascii_case(cx.resource_group()) {
            continue;
        }
        items.push(site(w, i, 0, cx.t));
        if include_slots {
            items.extend((1..a.slots.len()).map(|s| site(w, i, s, cx.t)));
        }
    }
    cx.ok(&cx.page(w, items)?)
}

fn list_slots(w: &World, cx: &Ctx<'_>, app: usize) -> Reply {
    let items = (1..w.apps()[app].slots.len())
        .map(|s| site(w, app, s, cx.t))
        .collect();
    cx.ok(&cx.page(w, items)?)
}

/// The `Site` body of an app slot at `t`.
pub(crate) fn site(w: &World, app: usize, slot: usize, t: DateTime<chrono::Utc>) -> Site {
    let a = &w.apps()[app];
    let s = &a.slots[slot];
    let host = host_name(a, &s.name);
    let scm = scm_host_name(a, &s.name);
    let production = s.name == PRODUCTION;
    Site {
        id: a.slot_id(&s.name),
        name: if production {
            a.name.clone()
        } else {
            format!("{}/{}", a.name, s.name)
        },
        resource_type: if production {
            "Microsoft.Web/sites"
        } else {
            "Microsoft.Web/sites/slots"
        }
        .to_owned(),
        kind: Some("functionapp".to_owned()),
        location: display_location(&a.location),
        tags: std::collections::BTreeMap::new(),
        properties: SiteProperties {
            state: Some("Running".to_owned()),
            host_names: vec![host.clone()],
            enabled: Some(true),
            enabled_host_names: vec![host.clone(), scm.clone()],
            availability_state: Some(
                if w.region_out(&a.region, t) {
                    "Limited"
                } else {
                    "Normal"
                }
                .to_owned(),
            ),
            usage_state: Some("Normal".to_owned()),
            host_name_ssl_states: vec![
                HostNameSslState {
                    name: host.clone(),
                    ssl_state: Some("Disabled".to_owned()),
                    host_type: Some("Standard".to_owned()),
                },
                HostNameSslState {
                    name: scm,
                    ssl_state: Some("Disabled".to_owned()),
                    host_type: Some("Repository".to_owned()),
                },
            ],
            server_farm_id: Some(server_farm_id(a)),
            default_host_name: Some(host),
            resource_group: Some(a.resource_group.clone()),
            last_modified_time_utc: Some(iso_ms(s.last_modified)),
            https_only: Some(true),
            slot_swap_status: s.last_swap.as_ref().map(|r| SlotSwapStatus {
                timestamp_utc: iso(r.at),
                source_slot_name: r.source.clone(),
                destination_slot_name: r.destination.clone(),
            }),
            sku: Some(site_sku(a.plan).to_owned()),
        },
    }
}

fn deployments(w: &World, app: usize, slot: usize, t: DateTime<chrono::Utc>) -> Vec<ArmDeployment> {
    let a = &w.apps()[app];
    let s = &a.slots[slot];
    let active = s.active_deployment().map(|d| d.id.clone());
    let (rtype, prefix) = if s.name == PRODUCTION {
        ("Microsoft.Web/sites/deployments", a.name.clone())
    } else {
        (
            "Microsoft.Web/sites/slots/deployments",
            format!("{}/{}", a.name, s.name),
        )
    };
    let running = w
        .running_deployment(app, &s.name)
        .and_then(|o| match &o.kind {
            OperationKind::Deploy {
                version,
                deployment_id,
                ..
            } => Some(ArmDeployment {
                id: format!("{}/deployments/{deployment_id}", a.slot_id(&s.name)),
                name: format!("{prefix}/{deployment_id}"),
                resource_type: rtype.to_owned(),
                properties: ArmDeploymentProperties {
                    status: Some(running_status(o, t)),
                    message: Some(version.clone()),
                    author: Some(o.caller.clone()),
                    deployer: Some(ZIP_DEPLOYER.to_owned()),
                    author_email: None,
                    start_time: Some(iso(o.started)),
                    end_time: None,
                    active: Some(false),
                    details: None,
                },
            }),
            OperationKind::Swap { .. } => None,
        });
    running
        .into_iter()
        .chain(s.deployments.iter().rev().map(|d| ArmDeployment {
            id: format!("{}/deployments/{}", a.slot_id(&s.name), d.id),
            name: format!("{prefix}/{}", d.id),
            resource_type: rtype.to_owned(),
            properties: ArmDeploymentProperties {
                status: Some(d.status_code()),
                message: Some(d.version.clone()),
                author: Some(d.author.clone()),
                deployer: Some(d.deployer.clone()),
                author_email: None,
                start_time: Some(iso(d.start)),
                end_time: Some(iso(d.end)),
                active: Some(active.as_deref() == Some(d.id.as_str())),
                details: None,
            },
        }))
        .collect()
}

/// Kudu's status code for a deployment still running at `t`: 1 (Building) in its first half,
/// 2 (Deploying) after.
pub(crate) fn running_status(o: &Operation, t: DateTime<chrono::Utc>) -> i32 {
    if t - o.started < (o.completes - o.started) / 2 {
        1
    } else {
        2
    }
}

pub(crate) fn app_settings(w: &World, app: usize, slot: usize) -> StringDictionary {
    let a = &w.apps()[app];
    let s = &a.slots[slot];
    StringDictionary {
        id: Some(format!("{}/config/appsettings", a.slot_id(&s.name))),
        name: Some("appsettings".to_owned()),
        resource_type: Some(
            if s.name == PRODUCTION {
                "Microsoft.Web/sites/config"
            } else {
                "Microsoft.Web/sites/slots/config"
            }
            .to_owned(),
        ),
        kind: Some("functionapp".to_owned()),
        properties: s.settings.clone(),
    }
}

fn functions(w: &World, app: usize, slot: usize) -> Vec<FunctionEnvelope> {
    let a: &AppState = &w.apps()[app];
    let s = &a.slots[slot];
    let host = host_name(a, &s.name);
    let (rtype, prefix) = if s.name == PRODUCTION {
        ("Microsoft.Web/sites/functions", a.name.clone())
    } else {
        (
            "Microsoft.Web/sites/slots/functions",
            format!("{}/{}", a.name, s.name),
        )
    };
    a.functions
        .iter()
        .map(|f| {
            let mut binding = json!({ "type": f.trigger, "direction": "in", "name": "trigger" });
            if let Some(schedule) = f.schedule {
                binding["schedule"] = json!(schedule);
            }
            FunctionEnvelope {
                id: format!("{}/functions/{}", a.slot_id(&s.name), f.name),
                name: format!("{prefix}/{}", f.name),
                resource_type: Some(rtype.to_owned()),
                properties: FunctionProperties {
                    function_app_id: Some(a.slot_id(&s.name)),
                    invoke_url_template: (f.trigger == "httpTrigger")
                        .then(|| format!("https://{host}/api/{}", f.name.to_ascii_lowercase())),
                    language: Some("dotnet-isolated".to_owned()),
                    config: Some(json!({ "bindings": [binding] })),
                    is_disabled: Some(a.function_disabled(s, &f.name)),
                },
            }
        })
        .collect()
}
