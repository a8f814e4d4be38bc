//! Checks that a scenario only names what its estate has: apps and their slots, queues, storage
//! accounts, aliases, regions, Traffic Manager endpoints and Front Door origins. Owns these
//! cross-references; the scenario's own consistency is checked when it is parsed.

use crate::config::Estate;
use crate::sim::scenario::{Event, Scenario};

fn slots_of(estate: &Estate, app: &str) -> Option<Vec<String>> {
    estate.app(app).map(|a| {
        std::iter::once("production".to_owned())
            .chain(a.slots.iter().cloned())
            .collect()
    })
}

fn check_slot(estate: &Estate, app: &str, slot: &str, what: &str) -> Result<(), String> {
    let slots = slots_of(estate, app)
        .ok_or_else(|| format!("{what}: no app named {app:?} in the estate"))?;
    if slots.iter().any(|s| s.eq_ignore_ascii_case(slot)) {
        Ok(())
    } else {
        Err(format!(
            "{what}: app {app} has no slot {slot:?} (it has {})",
            slots.join(", ")
        ))
    }
}

fn check_app(estate: &Estate, app: &str, what: &str) -> Result<(), String> {
    check_slot(estate, app, "production", what)
}

fn region_known(estate: &Estate, region: &str) -> bool {
    estate
        .regions
        .iter()
        .any(|r| r.name.eq_ignore_ascii_case(region) || r.location.eq_ignore_ascii_case(region))
}

/// Every cross-reference of `scenario` against `estate`; the first problem found, as a sentence.
pub fn check_scenario(scenario: &Scenario, estate: &Estate) -> Result<(), String> {
    for app in &scenario.apps {
        let what = format!("[[app]] {}", app.name);
        check_app(estate, &app.name, &what)?;
        for slot in app.slots.keys() {
            check_slot(estate, &app.name, slot, &what)?;
        }
        for d in &app.deployments {
            check_slot(estate, &app.name, &d.slot, &what)?;
        }
    }
    for q in &scenario.queues {
        if !estate
            .queues
            .iter()
            .any(|e| e.account == q.account && e.name == q.name)
        {
            return Err(format!(
                "[[queue]] {}/{}: no such queue in the estate",
                q.account, q.name
            ));
        }
    }
    for s in &scenario.storage_accounts {
        if !estate.storage_accounts.iter().any(|e| e.name == s.account) {
            return Err(format!(
                "[[storage-account]] {}: no such account in the estate",
                s.account
            ));
        }
    }
    for a in &scenario.aliases {
        if !estate.geo_dr_aliases.iter().any(|e| e.name == a.name) {
            return Err(format!(
                "[[alias]] {}: no such geo-DR alias in the estate",
                a.name
            ));
        }
    }
    for e in &scenario.events {
        check_event(estate, e)?;
    }
    Ok(())
}

/// The cross-references of one timeline event.
fn check_event(estate: &Estate, e: &Event) -> Result<(), String> {
    let what = format!("event {} at {}", e.kind(), e.at());
    if e.at().as_secs() < 0 {
        return Err(format!("{what}: events happen at or after the start"));
    }
    match e {
        Event::Deploy { app, slot, .. }
        | Event::Restart { app, slot, .. }
        | Event::SettingsDrift { app, slot, .. }
        | Event::KeyDrift { app, slot, .. }
        | Event::Timers { app, slot, .. }
        | Event::WorkerStuck { app, slot, .. } => {
            check_slot(estate, app, slot, &what)?;
        }
        Event::Swap {
            app, slot, target, ..
        } => {
            check_slot(estate, app, slot, &what)?;
            check_slot(estate, app, target, &what)?;
            if slot.eq_ignore_ascii_case(target) {
                return Err(format!("{what}: cannot swap slot {slot} with itself"));
            }
        }
        Event::DependencyFailure { app, .. }
        | Event::ClearDependencyFailure { app, .. }
        | Event::ConsumerStopped { app, .. }
        | Event::ClearConsumerStopped { app, .. }
        | Event::RuntimeCorruption { app, .. } => check_app(estate, app, &what)?,
        Event::MessagingOutage { namespace, .. }
        | Event::ClearMessagingOutage { namespace, .. } => {
            let known = estate.queues.iter().any(|q| q.account == *namespace)
                || estate.geo_dr_aliases.iter().any(|a| {
                    a.primary_namespace == *namespace || a.secondary_namespace == *namespace
                });
            if !known {
                return Err(format!("{what}: no messaging namespace {namespace:?}"));
            }
        }
        Event::RegionOutage { region, .. } | Event::RegionRecover { region, .. } => {
            if !region_known(estate, region) {
                return Err(format!("{what}: no region {region:?} in the estate"));
            }
        }
        Event::StorageOutage { account, .. } | Event::ClearStorageOutage { account, .. } => {
            if !estate.storage_accounts.iter().any(|s| s.name == *account) {
                return Err(format!(
                    "{what}: no storage account {account:?} in the estate"
                ));
            }
        }
        Event::SetEndpointStatus { endpoint, .. } => {
            let known = estate
                .traffic_manager
                .as_ref()
                .is_some_and(|tm| tm.endpoints.iter().any(|e| e.name == *endpoint));
            if !known {
                return Err(format!("{what}: no Traffic Manager endpoint {endpoint:?}"));
            }
        }
        Event::SetOriginState { origin, .. } => {
            let known = estate
                .front_door
                .as_ref()
                .is_some_and(|fd| fd.origins.iter().any(|o| o.name == *origin));
            if !known {
                return Err(format!("{what}: no Front Door origin {origin:?}"));
            }
        }
        Event::ArtifactDeleted { service, .. } => {
            if estate.artifact_store.is_none() {
                return Err(format!("{what}: the estate names no artifact store"));
            }
            if !estate.apps.iter().any(|a| a.service == *service) {
                return Err(format!(
                    "{what}: no app of service {service:?} in the estate"
                ));
            }
        }
        Event::BadVersion { .. }
        | Event::ApiThrottling { .. }
        | Event::ApiErrors { .. }
        | Event::SlowApi { .. }
        | Event::ClearApiFaults { .. } => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(body: &str) -> Scenario {
        let head = "name='x'\ndescription='d'\nseed=1\nstart='2026-01-01T00:00:00Z'\n";
        Scenario::parse(&format!("{head}{body}"), "x.toml").expect("parses")
    }

    #[test]
    fn names_missing_from_the_estate_are_reported() {
        let e = Estate::demo();
        let cases = [
            ("[[app]]\nname='func-nope'\n", "func-nope"),
            (
                "[[app]]\nname='func-fulfil-prod-krc'\nslots={staging='1'}\n",
                "no slot \"staging\"",
            ),
            (
                "[[event]]\nkind='region-outage'\nat='1m'\nregion='westus'\n",
                "westus",
            ),
            (
                "[[event]]\nkind='swap'\nat='1m'\napp='func-orders-prod-krc'\nslot='staging'\ntarget='staging'\n",
                "itself",
            ),
            (
                "[[event]]\nkind='set-origin-state'\nat='1m'\norigin='o'\nstate='Disabled'\n",
                "origin",
            ),
            ("[[queue]]\naccount='x'\nname='y'\n", "x/y"),
        ];
        for (body, expected) in cases {
            let err = check_scenario(&scenario(body), &e).expect_err(body);
            assert!(err.contains(expected), "{err}");
        }
        let ok = "[[event]]\nkind='region-outage'\nat='1m'\nregion='koreacentral'\n";
        assert_eq!(check_scenario(&scenario(ok), &e), Ok(()));
    }
}
