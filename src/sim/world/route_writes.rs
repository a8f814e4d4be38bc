//! Routing writes: a Traffic Manager endpoint PATCH (status, priority, weight; applied at once,
//! as Traffic Manager answers synchronously) and a Front Door origin update (a long-running
//! operation: the origin shows `Updating` with its new settings, and routing changes when the
//! operation completes). Each leaves its activity-log operation.
//!
//! Owns these two writes. Endpoint and origin state, probes and load are `routing`'s.

use std::collections::BTreeMap;

use super::infra::{InfraError, OpKind, Operation};
use super::{World, endpoint_type_segment};
use crate::sim::scenario::Toggle;

/// A Front Door origin's requested changes (only the fields given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginChange {
    /// Origin name.
    pub origin: String,
    /// New enabled state.
    pub state: Option<Toggle>,
    /// New priority.
    pub priority: Option<u16>,
    /// New weight.
    pub weight: Option<u16>,
}

/// A Traffic Manager endpoint's requested changes (only the fields given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EndpointChange {
    /// New status.
    pub status: Option<Toggle>,
    /// New priority.
    pub priority: Option<u16>,
    /// New weight.
    pub weight: Option<u16>,
}

impl World {
    /// Applies a Traffic Manager endpoint PATCH now.
    pub fn patch_endpoint(
        &mut self,
        endpoint: &str,
        change: EndpointChange,
        caller: &str,
    ) -> Result<(), InfraError> {
        let t = self.now;
        let tm = self
            .routing
            .tm
            .as_mut()
            .ok_or_else(|| InfraError::NotFound(format!("no endpoint {endpoint}")))?;
        let e = tm
            .endpoints
            .iter_mut()
            .find(|e| e.name.eq_ignore_ascii_case(endpoint))
            .ok_or_else(|| InfraError::NotFound(format!("no endpoint {endpoint}")))?;
        if let Some(s) = change.status.filter(|s| s != e.status.current()) {
            e.status.set(t, s);
        }
        if let Some(p) = change.priority {
            e.priority = p;
        }
        if let Some(w) = change.weight {
            e.weight = w;
        }
        let kind = endpoint_type_segment(e.endpoint_type);
        let resource = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/trafficManagerProfiles/{}/{kind}/{}",
            tm.subscription_id, tm.resource_group, tm.profile, e.name
        );
        let op = format!("Microsoft.Network/trafficManagerProfiles/{kind}/write");
        let props = describe(change.status, change.priority, change.weight);
        self.record_operation(
            &op,
            &resource,
            caller,
            t,
            chrono::TimeDelta::seconds(2),
            &props,
        );
        Ok(())
    }

    /// Starts a Front Door origin update; returns the operation's id. Refused while another
    /// update of the same origin runs.
    pub fn begin_origin_update(
        &mut self,
        change: OriginChange,
        caller: &str,
    ) -> Result<String, InfraError> {
        let known = self.routing.fd.as_ref().is_some_and(|fd| {
            fd.origins
                .iter()
                .any(|o| o.name.eq_ignore_ascii_case(&change.origin))
        });
        if !known {
            return Err(InfraError::NotFound(format!("no origin {}", change.origin)));
        }
        if self.origin_update_in_flight(&change.origin).is_some() {
            return Err(InfraError::Conflict {
                code: "Conflict",
                message: format!(
                    "Origin '{}' is being updated by another operation; retry when its \
                     provisioningState is Succeeded.",
                    change.origin
                ),
            });
        }
        let d = self.infra.timings.origin_update;
        let i = self.begin_operation(OpKind::OriginUpdate(change), d, caller);
        Ok(self.infra.operations[i].id.clone())
    }

    /// The update running on an origin, with the changes it makes.
    pub fn origin_update_in_flight(&self, origin: &str) -> Option<(&Operation, &OriginChange)> {
        self.infra.operations.iter().find_map(|op| match &op.kind {
            OpKind::OriginUpdate(c) if op.in_flight() && c.origin.eq_ignore_ascii_case(origin) => {
                Some((op, c))
            }
            _ => None,
        })
    }

    /// Applies a completed origin update at the world's now.
    pub(super) fn complete_origin_update(&mut self, op: &Operation, change: &OriginChange) {
        let t = self.now;
        let Some(fd) = self.routing.fd.as_mut() else {
            return;
        };
        let Some(o) = fd
            .origins
            .iter_mut()
            .find(|o| o.name.eq_ignore_ascii_case(&change.origin))
        else {
            return;
        };
        if let Some(s) = change.state.filter(|s| s != o.state.current()) {
            o.state.set(t, s);
        }
        if let Some(p) = change.priority {
            o.priority = p;
        }
        if let Some(w) = change.weight {
            o.weight = w;
        }
        let resource = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Cdn/profiles/{}/originGroups/{}/origins/{}",
            fd.subscription_id, fd.resource_group, fd.profile, fd.origin_group, o.name
        );
        let props = describe(change.state, change.priority, change.weight);
        self.record_operation(
            "Microsoft.Cdn/profiles/originGroups/origins/write",
            &resource,
            &op.caller,
            t,
            t - op.started,
            &props,
        );
    }
}

/// The activity log properties of a routing change.
fn describe(
    state: Option<Toggle>,
    priority: Option<u16>,
    weight: Option<u16>,
) -> BTreeMap<String, String> {
    let mut p = BTreeMap::new();
    if let Some(s) = state {
        p.insert("state".to_owned(), format!("{s:?}"));
    }
    if let Some(v) = priority {
        p.insert("priority".to_owned(), v.to_string());
    }
    if let Some(v) = weight {
        p.insert("weight".to_owned(), v.to_string());
    }
    p
}
