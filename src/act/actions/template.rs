//! The minimal ARM template a rebuild deploys for one function app, built from the estate: a
//! hosting plan named after the app, the site (HTTPS only, FTPS off, TLS 1.2) and its slots. It
//! names resources only; settings and keys are restored afterwards from the counterpart app, so
//! the template never carries a secret.

use serde_json::{Value, json};

use crate::azure::wire::api;
use crate::config::{App, Estate, PlanKind};

/// The hosting plan's name in the template.
pub fn plan_name(app: &App) -> String {
    format!("asp-{}", app.name)
}

/// The template for `app`.
pub fn for_app(estate: &Estate, app: &App) -> Value {
    let location = estate.region_of(app).location.clone();
    let (sku, tier, kind) = match app.plan {
        PlanKind::Premium => ("EP1", "ElasticPremium", "elastic"),
        PlanKind::Dedicated => ("P1v3", "PremiumV3", "app"),
        PlanKind::Consumption | PlanKind::FlexConsumption => ("Y1", "Dynamic", "functionapp"),
    };
    let farm = plan_name(app);
    let farm_ref = format!("[resourceId('Microsoft.Web/serverfarms', '{farm}')]");
    let site_ref = format!("[resourceId('Microsoft.Web/sites', '{}')]", app.name);
    let mut resources = vec![
        json!({
            "type": "Microsoft.Web/serverfarms",
            "apiVersion": api::WEB,
            "name": farm,
            "location": location,
            "sku": {"name": sku, "tier": tier},
            "kind": kind
        }),
        json!({
            "type": "Microsoft.Web/sites",
            "apiVersion": api::WEB,
            "name": app.name,
            "location": location,
            "kind": "functionapp",
            "dependsOn": [farm_ref],
            "properties": {
                "serverFarmId": farm_ref,
                "httpsOnly": true,
                "siteConfig": {"ftpsState": "Disabled", "minTlsVersion": "1.2"}
            }
        }),
    ];
    for slot in &app.slots {
        resources.push(json!({
            "type": "Microsoft.Web/sites/slots",
            "apiVersion": api::WEB,
            "name": format!("{}/{slot}", app.name),
            "location": location,
            "kind": "functionapp",
            "dependsOn": [site_ref],
            "properties": {"serverFarmId": farm_ref, "httpsOnly": true}
        }));
    }
    json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": resources
    })
}

/// A one-line summary of a template's resources (`Microsoft.Web/sites func-a, …`).
pub fn summary(template: &Value) -> String {
    template["resources"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| {
                    format!(
                        "{} {}",
                        r["type"].as_str().unwrap_or("?"),
                        r["name"].as_str().unwrap_or("?")
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}
