//! Per-app sources: health endpoints (every slot), deployment history (with the artifact store's
//! listing, one list per refresh), and configuration (settings, keys and functions, kept only as
//! digests and states). Azure has no batch form of these reads, so each costs requests per app;
//! request metrics, which has one, is `metrics`.

use std::collections::BTreeMap;

use crate::azure::error::Error;
use crate::azure::reads::ResourceGroupRef;
use crate::azure::writes::kudu;
use crate::config::App;
use crate::model::{SecretDigest, digest_map};
use crate::observe::convert;

use super::{Ctx, fan_out};

/// The host an app slot answers on: Azure names a slot's host `{app}-{slot}`.
pub fn slot_host(app: &str, slot: &str) -> String {
    if slot == "production" {
        app.to_owned()
    } else {
        format!("{app}-{slot}")
    }
}

/// The health endpoint URL of an app slot.
pub fn health_url(template: &str, app: &App, slot: &str) -> String {
    format!(
        "{}{}",
        template
            .replace("{app}", &slot_host(&app.name, slot))
            .trim_end_matches('/'),
        app.health_path
    )
}

fn app_slots(ctx: &Ctx) -> Vec<(App, String)> {
    ctx.estate
        .apps
        .iter()
        .flat_map(|a| {
            std::iter::once("production".to_owned())
                .chain(a.slots.iter().cloned())
                .map(move |s| (a.clone(), s))
        })
        .collect()
}

/// Probes every slot's health endpoint.
pub async fn health(ctx: &Ctx) {
    let client = ctx.client.clone();
    let template = ctx.estate.endpoints.app_host.clone();
    let results = fan_out(app_slots(ctx), move |(app, slot)| {
        let client = client.clone();
        let url = health_url(&template, &app, &slot);
        async move {
            let r = client.probe_health(&url).await;
            (app.name, slot, r)
        }
    })
    .await;
    let now = ctx.clock.now();
    ctx.update(|snap| {
        for (app, slot, r) in results {
            let Some(s) = snap
                .apps
                .iter_mut()
                .find(|a| a.name == app)
                .and_then(|a| a.slots.iter_mut().find(|s| s.name == slot))
            else {
                continue;
            };
            match r {
                Ok(probe) => s.health.set(convert::health_report(&probe), now),
                // An endpoint that cannot be reached is itself an observation: the app is
                // unreachable now. The transport error is kept beside it.
                Err(e @ (Error::Transport(_) | Error::Timeout)) => {
                    tracing::debug!(app, slot, error = %e, "health endpoint unreachable");
                    s.health.set(convert::unreachable_report(), now);
                }
                Err(e) => s.health.fail(e.to_string(), now),
            }
        }
    });
}

/// Reads deployment history for every slot, and the artifact store's listing beside it (what a
/// redeploy chooses from is both).
pub async fn deployments(ctx: &Ctx) {
    tokio::join!(artifacts(ctx), deployment_history(ctx));
}

/// Lists the artifact store's release packages (every page), when the estate names a store.
async fn artifacts(ctx: &Ctx) {
    let Some(store) = ctx.estate.artifact_store.clone() else {
        return;
    };
    let url = ctx
        .estate
        .endpoints
        .blob
        .replace("{account}", &store.account);
    let listed = match url::Url::parse(&url) {
        Ok(u) => kudu::list_artifacts_with(&ctx.queues, &u, &store.container)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(format!("the blob endpoint {url:?}: {e}")),
    };
    let now = ctx.clock.now();
    ctx.update(|snap| {
        if let Some(o) = snap.artifacts.as_mut() {
            match listed {
                Ok(list) => o.set(list.iter().map(convert::artifact).collect(), now),
                Err(e) => o.fail(e, now),
            }
        }
    });
}

/// Reads deployment history for every slot.
async fn deployment_history(ctx: &Ctx) {
    let client = ctx.client.clone();
    let estate = ctx.estate.clone();
    let results = fan_out(app_slots(ctx), move |(app, slot)| {
        let client = client.clone();
        let rg = ResourceGroupRef::of_app(&estate, &app);
        async move {
            let r = client.list_arm_deployments(&rg, &app.name, &slot).await;
            (app.name, slot, r)
        }
    })
    .await;
    let now = ctx.clock.now();
    ctx.update(|snap| {
        let mut per_app: BTreeMap<String, Result<Vec<_>, String>> = BTreeMap::new();
        for (app, slot, r) in results {
            let entry = per_app.entry(app).or_insert_with(|| Ok(Vec::new()));
            match (entry.as_mut(), r) {
                (Ok(list), Ok(deps)) => {
                    list.extend(deps.iter().map(|d| convert::deployment(d, &slot)));
                }
                (Ok(_), Err(e)) => *entry = Err(e.to_string()),
                (Err(_), _) => {}
            }
        }
        for (name, r) in per_app {
            if let Some(app) = snap.apps.iter_mut().find(|a| a.name == name) {
                match r {
                    Ok(mut list) => {
                        list.sort_by_key(|d| std::cmp::Reverse(d.started));
                        app.deployments.set(list, now);
                    }
                    Err(e) => app.deployments.fail(e, now),
                }
            }
        }
    });
}

/// What one app's configuration read produced.
struct ConfigRead {
    settings: Result<BTreeMap<String, SecretDigest>, String>,
    keys: Result<BTreeMap<String, SecretDigest>, String>,
    functions: Result<Vec<crate::model::FunctionState>, String>,
}

/// Reads settings, host and function keys, and functions; values are digested at once. The
/// costliest source: per app, three requests plus one per function, every five minutes.
pub async fn config(ctx: &Ctx) {
    let client = ctx.client.clone();
    let estate = ctx.estate.clone();
    let apps: Vec<App> = ctx.estate.apps.clone();
    let results = fan_out(apps, move |app| {
        let client = client.clone();
        let rg = ResourceGroupRef::of_app(&estate, &app);
        async move {
            let settings = client
                .list_app_settings(&rg, &app.name, "production")
                .await
                .map(|d| digest_map(&d.properties))
                .map_err(|e| e.to_string());
            let functions = client.list_functions(&rg, &app.name).await;
            let host_keys = client
                .list_host_keys(&rg, &app.name)
                .await
                .map(|k| convert::host_key_digests(&k))
                .map_err(|e| e.to_string());
            let keys = match (host_keys, functions.as_ref()) {
                (Err(e), _) => Err(e),
                // Function keys are read one request per function, so only when the functions
                // list came back; without it the key set would be partial, so it fails too.
                (Ok(_), Err(e)) => Err(format!("function keys not read: {e}")),
                (Ok(mut keys), Ok(funcs)) => {
                    let mut failed = None;
                    for f in funcs {
                        let name = f.function_name();
                        match client.list_function_keys(&rg, &app.name, name).await {
                            Ok(fk) => {
                                for (k, v) in &fk.properties {
                                    keys.insert(
                                        format!("function/{name}/{k}"),
                                        SecretDigest::of(v),
                                    );
                                }
                            }
                            Err(e) => {
                                failed = Some(format!("function {name} keys: {e}"));
                                break;
                            }
                        }
                    }
                    failed.map_or(Ok(keys), Err)
                }
            };
            let functions = functions
                .map(|fs| fs.iter().map(convert::function_state).collect())
                .map_err(|e| e.to_string());
            (
                app.name,
                ConfigRead {
                    settings,
                    keys,
                    functions,
                },
            )
        }
    })
    .await;
    let now = ctx.clock.now();
    ctx.update(|snap| {
        for (name, read) in results {
            let Some(app) = snap.apps.iter_mut().find(|a| a.name == name) else {
                continue;
            };
            match read.settings {
                Ok(v) => app.settings.set(v, now),
                Err(e) => app.settings.fail(e, now),
            }
            match read.keys {
                Ok(v) => app.keys.set(v, now),
                Err(e) => app.keys.fail(e, now),
            }
            match read.functions {
                Ok(v) => app.functions.set(v, now),
                Err(e) => app.functions.fail(e, now),
            }
        }
    });
}
