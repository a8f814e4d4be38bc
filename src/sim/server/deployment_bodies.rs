//! The bodies of Microsoft.Resources deployments as ARM writes them: a deployment at an instant
//! (`DeploymentExtended`: state, timestamps, duration, parameters with secure values left out,
//! providers, output resources, error) and its parts. Owns rendering only; the routes are
//! `deployments`'.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::conventions::iso;
use crate::azure::wire::ArmErrorDetail;
use crate::azure::wire::deployments::{
    DeploymentExtended, DeploymentPropertiesExtended, DeploymentProvider, DeploymentResourceType,
    ResourceReference,
};
use crate::sim::world::{DeploymentRecord, Evaluated};

/// The deployments' resource type.
pub(crate) const TYPE: &str = "Microsoft.Resources/deployments";

pub(crate) fn mode(complete: bool) -> &'static str {
    if complete { "Complete" } else { "Incremental" }
}

/// The parameters as ARM echoes them: type and value, secure ones without their value.
pub(crate) fn parameters(ev: &Evaluated) -> Value {
    let mut out = Map::new();
    for p in &ev.parameters {
        let mut v = json!({ "type": p.kind });
        if !p.secure() {
            v["value"] = p.value.clone();
        }
        out.insert(p.name.clone(), v);
    }
    Value::Object(out)
}

/// The providers and types a template uses.
pub(crate) fn providers(ev: &Evaluated) -> Vec<DeploymentProvider> {
    let mut out: Vec<DeploymentProvider> = Vec::new();
    for r in &ev.resources {
        let (ns, rtype) = r
            .resource_type
            .split_once('/')
            .unwrap_or((&r.resource_type, ""));
        let i = out
            .iter()
            .position(|p| p.namespace.as_deref() == Some(ns))
            .unwrap_or_else(|| {
                out.push(DeploymentProvider {
                    namespace: Some(ns.to_owned()),
                    resource_types: Vec::new(),
                });
                out.len() - 1
            });
        let types = &mut out[i].resource_types;
        if !types
            .iter()
            .any(|t| t.resource_type.as_deref() == Some(rtype))
        {
            types.push(DeploymentResourceType {
                resource_type: Some(rtype.to_owned()),
                locations: r.location.iter().cloned().collect(),
            });
        }
    }
    out
}

pub(crate) fn error(d: &DeploymentRecord, t: DateTime<Utc>) -> Option<ArmErrorDetail> {
    if d.state_at(t) != "Failed" {
        return None;
    }
    let (code, message) = d.failure.clone()?;
    Some(ArmErrorDetail {
        code: "DeploymentFailed".to_owned(),
        message: "At least one resource deployment operation failed. Please list deployment \
                  operations for details. Please see https://aka.ms/arm-deployment-operations for \
                  usage details."
            .to_owned(),
        target: None,
        details: vec![ArmErrorDetail {
            code,
            message,
            target: None,
            details: Vec::new(),
        }],
    })
}

/// A deployment as ARM reports it at `t`.
pub(crate) fn extended(d: &DeploymentRecord, t: DateTime<Utc>) -> DeploymentExtended {
    let state = d.state_at(t);
    let (timestamp, end) = match state {
        "Accepted" => (d.started, t),
        "Running" => (d.running_at, t),
        _ => (d.due, d.due),
    };
    let ms = (end - d.started).num_milliseconds().max(0);
    let succeeded = state == "Succeeded";
    DeploymentExtended {
        id: d.id(),
        name: d.name.clone(),
        resource_type: TYPE.to_owned(),
        properties: DeploymentPropertiesExtended {
            provisioning_state: Some(state.to_owned()),
            correlation_id: Some(d.correlation_id.clone()),
            timestamp: Some(iso(timestamp)),
            duration: Some(format!("PT{}.{:03}S", ms / 1000, ms % 1000)),
            mode: Some(mode(d.complete).to_owned()),
            parameters: Some(parameters(&d.evaluated)),
            template_hash: Some(d.evaluated.hash.clone()),
            providers: providers(&d.evaluated),
            output_resources: if succeeded {
                d.output_resources
                    .iter()
                    .map(|id| ResourceReference { id: id.clone() })
                    .collect()
            } else {
                Vec::new()
            },
            error: error(d, t),
            ..DeploymentPropertiesExtended::default()
        },
    }
}
