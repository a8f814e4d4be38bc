//! The activity log: control-plane operations on the estate (slot swaps, deployments, restarts,
//! config writes, routing changes), each as a `Started` and a `Succeeded` event with timestamps,
//! as Azure Monitor's activity log lists them.
//!
//! Owns the records. Events become visible to readers only once submitted (a short ingestion
//! delay after the operation), as in Azure.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::World;
use crate::sim::rng::stable_guid;

/// How long after an operation its events are listed.
pub const INGESTION_DELAY: TimeDelta = TimeDelta::seconds(30);

/// One activity log event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    /// Event id.
    pub event_data_id: String,
    /// Correlation id (shared by the Started and Succeeded events of one operation).
    pub correlation_id: String,
    /// Operation id.
    pub operation_id: String,
    /// Operation, e.g. `Microsoft.Web/sites/slots/slotsswap/action`.
    pub operation: String,
    /// The resource's ARM id.
    pub resource_id: String,
    /// Resource group.
    pub resource_group: String,
    /// Subscription id.
    pub subscription_id: String,
    /// Resource provider, e.g. `Microsoft.Web`.
    pub provider: String,
    /// Resource type, e.g. `Microsoft.Web/sites/slots`.
    pub resource_type: String,
    /// `Started` or `Succeeded`.
    pub status: &'static str,
    /// Who made the call.
    pub caller: String,
    /// When it happened.
    pub timestamp: DateTime<Utc>,
    /// When it was submitted to the log.
    pub submitted: DateTime<Utc>,
    /// Extra properties (no secrets).
    pub properties: BTreeMap<String, String>,
}

/// Subscription, resource group, provider and type parsed from an ARM id.
fn parse_id(id: &str) -> (String, String, String, String) {
    let segs: Vec<&str> = id.trim_start_matches('/').split('/').collect();
    let after = |key: &str| {
        segs.iter()
            .position(|s| s.eq_ignore_ascii_case(key))
            .and_then(|i| segs.get(i + 1))
            .map(|s| (*s).to_owned())
            .unwrap_or_default()
    };
    let sub = after("subscriptions");
    let rg = after("resourceGroups");
    let p = segs
        .iter()
        .position(|s| s.eq_ignore_ascii_case("providers"))
        .unwrap_or(segs.len());
    let provider = segs.get(p + 1).map(|s| (*s).to_owned()).unwrap_or_default();
    // Types are the provider then every other segment after it: Microsoft.Web/sites/slots.
    let mut rtype = provider.clone();
    let mut i = p + 2;
    while i < segs.len() {
        rtype.push('/');
        rtype.push_str(segs[i]);
        i += 2;
    }
    (sub, rg, provider, rtype)
}

impl World {
    /// The activity log as listed at the world's current time (submitted events only), oldest
    /// first.
    pub fn activity(&self) -> impl Iterator<Item = &ActivityRecord> {
        let now = self.now;
        self.activity.iter().filter(move |r| r.submitted <= now)
    }

    /// Records an operation that took `duration` and finished at `t`.
    pub(crate) fn record_operation(
        &mut self,
        operation: &str,
        resource_id: &str,
        caller: &str,
        t: DateTime<Utc>,
        duration: TimeDelta,
        properties: &BTreeMap<String, String>,
    ) {
        let n = self.activity.len().to_string();
        let seed = self.seed();
        let correlation = stable_guid(seed, &["correlation", &n]);
        let operation_id = stable_guid(seed, &["operation", &n]);
        let (sub, rg, provider, rtype) = parse_id(resource_id);
        for (status, at) in [("Started", t - duration), ("Succeeded", t)] {
            let idx = self.activity.len().to_string();
            self.activity.push(ActivityRecord {
                event_data_id: stable_guid(seed, &["event", &idx]),
                correlation_id: correlation.clone(),
                operation_id: operation_id.clone(),
                operation: operation.to_owned(),
                resource_id: resource_id.to_owned(),
                resource_group: rg.clone(),
                subscription_id: sub.clone(),
                provider: provider.clone(),
                resource_type: rtype.clone(),
                status,
                caller: caller.to_owned(),
                timestamp: at,
                submitted: t + INGESTION_DELAY,
                properties: properties.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_into_their_parts() {
        let (sub, rg, p, t) = parse_id(
            "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Web/sites/app/slots/staging",
        );
        assert_eq!((sub.as_str(), rg.as_str()), ("s1", "rg1"));
        assert_eq!(p, "Microsoft.Web");
        assert_eq!(t, "Microsoft.Web/sites/slots");
        let (_, _, _, t) = parse_id(
            "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Web/sites/app/config/appsettings",
        );
        assert_eq!(t, "Microsoft.Web/sites/config");
    }
}
