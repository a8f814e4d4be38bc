//! Which simulated resource an ARM id names, for the extension resources that take a whole
//! resource as their scope (Resource Health, metrics). Owns that lookup only.

use crate::sim::world::World;

/// A resource of the simulated estate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target<'a> {
    /// An app slot (indices).
    Site(usize, usize),
    /// A storage account.
    Storage(&'a str),
    /// A Service Bus or Event Hubs namespace.
    Namespace(&'a str),
    /// The Traffic Manager profile.
    TrafficManager,
    /// The Front Door profile.
    FrontDoor,
}

/// The resource `scope` (decoded ARM id segments) names, if it exists.
pub(crate) fn resolve<'a>(w: &'a World, scope: &[String]) -> Option<Target<'a>> {
    let lower: Vec<String> = scope.iter().map(|s| s.to_ascii_lowercase()).collect();
    let l: Vec<&str> = lower.iter().map(String::as_str).collect();
    let rg = scope.get(3)?;
    if l.first() != Some(&"subscriptions")
        || l.get(2) != Some(&"resourcegroups")
        || l.get(4) != Some(&"providers")
    {
        return None;
    }
    let name = scope.get(7)?;
    let in_rg = |r: &str| r.eq_ignore_ascii_case(rg);
    match (&l[5..], scope.len()) {
        (["microsoft.web", "sites", ..], 8) => {
            let a = w
                .app_index(name)
                .filter(|&a| in_rg(&w.apps()[a].resource_group))?;
            Some(Target::Site(a, 0))
        }
        (["microsoft.web", "sites", _, "slots", _], 10) => {
            let a = w
                .app_index(name)
                .filter(|&a| in_rg(&w.apps()[a].resource_group))?;
            let s = w.apps()[a].slot_index(&scope[9]).filter(|&s| s != 0)?;
            Some(Target::Site(a, s))
        }
        (["microsoft.storage", "storageaccounts", _], 8) => {
            let s = w
                .storage_account(name)
                .filter(|s| in_rg(&s.resource_group))?;
            Some(Target::Storage(&s.name))
        }
        (
            [
                "microsoft.servicebus" | "microsoft.eventhub",
                "namespaces",
                _,
            ],
            8,
        ) => {
            let n = w.namespace(name).filter(|n| {
                in_rg(&n.resource_group) && n.provider().eq_ignore_ascii_case(&scope[5])
            })?;
            Some(Target::Namespace(&n.name))
        }
        (["microsoft.network", "trafficmanagerprofiles", _], 8) => w
            .routing()
            .tm
            .as_ref()
            .filter(|tm| tm.profile.eq_ignore_ascii_case(name) && in_rg(&tm.resource_group))
            .map(|_| Target::TrafficManager),
        (["microsoft.cdn", "profiles", _], 8) => w
            .routing()
            .fd
            .as_ref()
            .filter(|fd| fd.profile.eq_ignore_ascii_case(name) && in_rg(&fd.resource_group))
            .map(|_| Target::FrontDoor),
        _ => None,
    }
}
