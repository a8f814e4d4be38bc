//! Helpers for the infrastructure write tests: LRO options, ARM error parts, a scenario with an
//! app broken in ways a rebuild fixes, and a function-app template built from the world.
//! Nothing here asserts; the test files do.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of these helpers"
)]

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};
use warroom::azure::Error;
use warroom::azure::lro::LroOptions;
use warroom::sim::scenario::{Check, Event, Offset};
use warroom::sim::{Scenario, SimHandle};

/// Polling for tests: a 1 s floor, 5 s without `Retry-After`, 15 virtual minutes at most.
pub fn lro_options() -> LroOptions {
    LroOptions {
        poll_floor: Duration::from_secs(1),
        default_interval: Duration::from_secs(5),
        timeout: Duration::from_mins(15),
    }
}

/// Status, code and target of an ARM error (panics on anything else).
pub fn arm(e: &Error) -> (u16, String, Option<String>) {
    match e {
        Error::Arm {
            status,
            code,
            target,
            ..
        } => (*status, code.clone(), target.clone()),
        other => panic!("expected an ARM error, got {other}"),
    }
}

/// The `calm` scenario with `app` broken one minute in: its storage check failing, its consumer
/// stopped, and its production settings drifted (one changed, one missing).
pub fn broken_app_scenario(app: &str, changed: &str, missing: &str) -> Scenario {
    let mut s = Scenario::builtin("calm").expect("built-in scenario");
    let at: Offset = "1m".parse().expect("offset");
    s.events.extend([
        Event::DependencyFailure {
            at,
            app: app.to_owned(),
            check: Check::Storage,
        },
        Event::ConsumerStopped {
            at,
            app: app.to_owned(),
        },
        Event::SettingsDrift {
            at,
            app: app.to_owned(),
            slot: "production".to_owned(),
            changed: vec![changed.to_owned()],
            missing: vec![missing.to_owned()],
        },
    ]);
    s
}

/// An app's production settings in the world now.
pub fn world_settings(sim: &SimHandle, app: &str) -> BTreeMap<String, String> {
    sim.with_world(|w| {
        w.app(app)
            .and_then(|a| a.slot("production"))
            .map(|s| s.settings.clone())
            .expect("app in the world")
    })
}

/// A template for one function app, its name a parameter, its settings as given.
pub fn site_template(settings: &BTreeMap<String, String>) -> Value {
    let pairs: Vec<Value> = settings
        .iter()
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {
            "siteName": {"type": "string"},
            "location": {"type": "string", "defaultValue": "[resourceGroup().location]"}
        },
        "resources": [{
            "type": "Microsoft.Web/sites",
            "apiVersion": "2024-11-01",
            "name": "[parameters('siteName')]",
            "location": "[parameters('location')]",
            "kind": "functionapp",
            "properties": {"siteConfig": {"appSettings": pairs}}
        }]
    })
}

/// `{"siteName": {"value": name}}`.
pub fn site_parameters(name: &str) -> Value {
    json!({"siteName": {"value": name}})
}
