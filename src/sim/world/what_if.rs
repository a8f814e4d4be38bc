//! What-if: the changes a template deployment would make to a resource group, predicted against
//! the world. Function apps (`Microsoft.Web/sites`, with `siteConfig.appSettings`) and their
//! `config/appsettings` are compared property by property; other resource types the template
//! names are `Unsupported` (the simulator does not model them); world resources the template does
//! not name are `Ignore` in Incremental mode and `Delete` in Complete mode.
//!
//! Owns the prediction only. Deploying is `templates`' job; evaluating the template is
//! `template_eval`'s. `before`/`after` carry setting values, as Azure's answer does.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::World;
use super::apps::PRODUCTION;
use super::template_eval::{EvaluatedResource, RgContext};
use crate::azure::wire::deployments::{WhatIfChange, WhatIfPropertyChange};

const SITES: &str = "Microsoft.Web/sites";
const SITE_CONFIG: &str = "Microsoft.Web/sites/config";

/// The app settings a site resource sets (`properties.siteConfig.appSettings`), if it sets them.
pub fn site_settings(r: &EvaluatedResource) -> Option<BTreeMap<String, String>> {
    let list = r
        .properties
        .pointer("/siteConfig/appSettings")?
        .as_array()?;
    Some(
        list.iter()
            .filter_map(|s| {
                let name = s.get("name")?.as_str()?.to_owned();
                Some((name, value_text(s.get("value").unwrap_or(&Value::Null))))
            })
            .collect(),
    )
}

/// The settings an `appsettings` config resource sets, if it is one: (site name, settings).
pub fn config_settings(r: &EvaluatedResource) -> Option<(String, BTreeMap<String, String>)> {
    if !r.resource_type.eq_ignore_ascii_case(SITE_CONFIG) {
        return None;
    }
    let (site, config) = r.name.split_once('/')?;
    if !config.eq_ignore_ascii_case("appsettings") {
        return None;
    }
    let map = r
        .properties
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), value_text(v))).collect())
        .unwrap_or_default();
    Some((site.to_owned(), map))
}

/// Whether a resource is a site.
pub fn is_site(r: &EvaluatedResource) -> bool {
    r.resource_type.eq_ignore_ascii_case(SITES)
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn same_location(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace(' ', "").to_ascii_lowercase();
    norm(a) == norm(b)
}

fn pairs(settings: &BTreeMap<String, String>) -> Value {
    Value::Array(
        settings
            .iter()
            .map(|(k, v)| json!({"name": k, "value": v}))
            .collect(),
    )
}

fn change(
    kind: &str,
    path: impl Into<String>,
    before: Option<Value>,
    after: Option<Value>,
) -> WhatIfPropertyChange {
    WhatIfPropertyChange {
        path: path.into(),
        property_change_type: kind.to_owned(),
        before,
        after,
        children: Vec::new(),
    }
}

/// The array delta from `before` settings to `after` settings (`siteConfig.appSettings`, which
/// replaces the whole set): children by index, Modify, Create and Delete.
fn settings_array_delta(
    before: &BTreeMap<String, String>,
    after: &[(String, String)],
) -> Option<WhatIfPropertyChange> {
    let mut children = Vec::new();
    for (i, (name, value)) in after.iter().enumerate() {
        match before.get(name) {
            Some(old) if old == value => {}
            Some(old) => children.push(WhatIfPropertyChange {
                children: vec![change(
                    "Modify",
                    "value",
                    Some(json!(old)),
                    Some(json!(value)),
                )],
                ..change(
                    "Modify",
                    i.to_string(),
                    Some(json!({"name": name, "value": old})),
                    Some(json!({"name": name, "value": value})),
                )
            }),
            None => children.push(change(
                "Create",
                i.to_string(),
                None,
                Some(json!({"name": name, "value": value})),
            )),
        }
    }
    for (i, (name, value)) in before.iter().enumerate() {
        if !after.iter().any(|(n, _)| n == name) {
            children.push(change(
                "Delete",
                i.to_string(),
                Some(json!({"name": name, "value": value})),
                None,
            ));
        }
    }
    (!children.is_empty()).then(|| WhatIfPropertyChange {
        children,
        ..change("Array", "properties.siteConfig.appSettings", None, None)
    })
}

/// The map delta from `before` to `after` settings (`config/appsettings` replaces the set).
fn settings_map_delta(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<WhatIfPropertyChange> {
    let mut out = Vec::new();
    for (name, value) in after {
        let path = format!("properties.{name}");
        match before.get(name) {
            Some(old) if old == value => {}
            Some(old) => out.push(change("Modify", path, Some(json!(old)), Some(json!(value)))),
            None => out.push(change("Create", path, None, Some(json!(value)))),
        }
    }
    for (name, value) in before {
        if !after.contains_key(name) {
            out.push(change(
                "Delete",
                format!("properties.{name}"),
                Some(json!(value)),
                None,
            ));
        }
    }
    out
}

impl World {
    /// The production settings of an app in `rg`, if the app is there.
    fn site_in(&self, rg: &RgContext, name: &str) -> Option<(usize, BTreeMap<String, String>)> {
        let a = self.app_index(name).filter(|&a| {
            self.apps[a]
                .resource_group
                .eq_ignore_ascii_case(&rg.resource_group)
        })?;
        let settings = self.apps[a].slot(PRODUCTION)?.settings.clone();
        Some((a, settings))
    }

    /// The ARM ids of the world's resources in a resource group.
    pub fn resource_ids_in(&self, rg: &RgContext) -> Vec<String> {
        let here = |g: &str| g.eq_ignore_ascii_case(&rg.resource_group);
        let mut ids: Vec<String> = self
            .apps
            .iter()
            .filter(|a| here(&a.resource_group))
            .map(super::AppState::id)
            .collect();
        ids.extend(
            self.storage
                .iter()
                .filter(|s| here(&s.resource_group))
                .map(super::StorageState::id),
        );
        ids.extend(
            self.namespaces
                .iter()
                .filter(|n| here(&n.resource_group))
                .map(super::NamespaceState::id),
        );
        if let Some(tm) = self
            .routing
            .tm
            .as_ref()
            .filter(|tm| here(&tm.resource_group))
        {
            ids.push(rg.resource_id("Microsoft.Network/trafficManagerProfiles", &tm.profile));
        }
        if let Some(fd) = self
            .routing
            .fd
            .as_ref()
            .filter(|fd| here(&fd.resource_group))
        {
            ids.push(rg.resource_id("Microsoft.Cdn/profiles", &fd.profile));
        }
        ids
    }

    /// The predicted change of one template resource.
    fn predict(&self, rg: &RgContext, r: &EvaluatedResource) -> WhatIfChange {
        let id = rg.resource_id(&r.resource_type, &r.name);
        let after = json!({
            "id": id, "name": r.name, "type": r.resource_type, "apiVersion": r.api_version,
            "location": r.location, "kind": r.kind, "properties": r.properties,
        });
        let base = WhatIfChange {
            resource_id: Some(id.clone()),
            ..WhatIfChange::default()
        };
        let (site, config) = if is_site(r) {
            (Some(r.name.clone()), None)
        } else if let Some((site, map)) = config_settings(r) {
            (Some(site), Some(map))
        } else {
            return WhatIfChange {
                change_type: "Unsupported".to_owned(),
                unsupported_reason: Some(format!(
                    "The simulator predicts changes to {SITES} and their appsettings only, not \
                     to {}.",
                    r.resource_type
                )),
                ..base
            };
        };
        let Some((a, settings)) = site.and_then(|s| self.site_in(rg, &s)) else {
            return WhatIfChange {
                change_type: "Create".to_owned(),
                after: Some(after),
                ..base
            };
        };
        let app = &self.apps[a];
        let (before, delta) = if let Some(map) = config {
            let before =
                json!({"id": id, "name": r.name, "type": r.resource_type, "properties": settings});
            (before, settings_map_delta(&settings, &map))
        } else {
            let before = json!({
                "id": id, "name": app.name, "type": SITES, "kind": "functionapp",
                "location": app.location,
                "properties": {"siteConfig": {"appSettings": pairs(&settings)}},
            });
            let mut delta = Vec::new();
            if let Some(loc) = r
                .location
                .as_deref()
                .filter(|l| !same_location(l, &app.location))
            {
                delta.push(change(
                    "Modify",
                    "location",
                    Some(json!(app.location)),
                    Some(json!(loc)),
                ));
            }
            let ordered: Option<Vec<(String, String)>> = r
                .properties
                .pointer("/siteConfig/appSettings")
                .and_then(Value::as_array)
                .map(|l| {
                    l.iter()
                        .filter_map(|s| {
                            Some((
                                s.get("name")?.as_str()?.to_owned(),
                                value_text(s.get("value").unwrap_or(&Value::Null)),
                            ))
                        })
                        .collect()
                });
            if let Some(d) = ordered.and_then(|after| settings_array_delta(&settings, &after)) {
                delta.push(d);
            }
            (before, delta)
        };
        WhatIfChange {
            change_type: if delta.is_empty() {
                "NoChange"
            } else {
                "Modify"
            }
            .to_owned(),
            before: Some(before),
            after: Some(after),
            delta,
            ..base
        }
    }

    /// What deploying `resources` to `rg` would change (Complete mode deletes the rest).
    pub fn what_if(
        &self,
        rg: &RgContext,
        resources: &[EvaluatedResource],
        complete: bool,
    ) -> Vec<WhatIfChange> {
        let mut out: Vec<WhatIfChange> = resources.iter().map(|r| self.predict(rg, r)).collect();
        for id in self.resource_ids_in(rg) {
            let named = out.iter().any(|c| {
                c.resource_id
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(&id))
            });
            if !named {
                out.push(WhatIfChange {
                    resource_id: Some(id),
                    change_type: if complete { "Delete" } else { "Ignore" }.to_owned(),
                    ..WhatIfChange::default()
                });
            }
        }
        out
    }
}
