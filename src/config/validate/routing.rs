//! Rules on what routes traffic and where releases come from: `[traffic-manager]`, `[front-door]`
//! and `[artifact-store]`.

use super::{Checker, Names};
use crate::config::file::EstateFile;

/// Traffic Manager's range for endpoint priorities.
const TM_PRIORITY: std::ops::RangeInclusive<u16> = 1..=1000;
/// Front Door's range for origin priorities.
const FD_PRIORITY: std::ops::RangeInclusive<u16> = 1..=5;
/// Front Door's range for origin weights.
const FD_WEIGHT: std::ops::RangeInclusive<u16> = 1..=1000;

pub(super) fn check(c: &mut Checker<'_>, f: &EstateFile, names: &Names<'_>) {
    traffic_manager(c, f, names);
    front_door(c, f, names);
    if let Some(store) = &f.artifact_store {
        c.reference(
            "artifact-store.account",
            &store.account,
            "storage account",
            &names.storage_accounts,
        );
    }
}

fn traffic_manager(c: &mut Checker<'_>, f: &EstateFile, names: &Names<'_>) {
    let Some(tm) = &f.traffic_manager else {
        return;
    };
    c.reference(
        "traffic-manager.region",
        &tm.region,
        "region",
        &names.regions,
    );
    c.unique(
        "traffic-manager.endpoint",
        "Traffic Manager endpoint",
        tm.endpoints.iter().map(|e| &e.name),
    );
    for (i, e) in tm.endpoints.iter().enumerate() {
        let key = format!("traffic-manager.endpoint[{i}]");
        c.reference(format!("{key}.app"), &e.app, "app", &names.apps);
        let priority = *e.priority.get_ref();
        if !TM_PRIORITY.contains(&priority) {
            c.push(
                format!("{key}.priority"),
                Some(e.priority.span()),
                format!("priority {priority} is out of range; Traffic Manager takes 1 to 1000"),
            );
        } else if let Some(other) = tm.endpoints[..i]
            .iter()
            .find(|o| *o.priority.get_ref() == priority)
        {
            c.push(
                format!("{key}.priority"),
                Some(e.priority.span()),
                format!(
                    "priority {priority} is already used by endpoint `{}`; priorities must be \
                     unique within a Traffic Manager profile",
                    other.name.get_ref()
                ),
            );
        }
    }
}

fn front_door(c: &mut Checker<'_>, f: &EstateFile, names: &Names<'_>) {
    let Some(fd) = &f.front_door else {
        return;
    };
    c.reference("front-door.region", &fd.region, "region", &names.regions);
    c.unique(
        "front-door.origin",
        "Front Door origin",
        fd.origins.iter().map(|o| &o.name),
    );
    for (i, o) in fd.origins.iter().enumerate() {
        let key = format!("front-door.origin[{i}]");
        c.reference(format!("{key}.app"), &o.app, "app", &names.apps);
        for (field, value, range) in [
            ("priority", &o.priority, FD_PRIORITY),
            ("weight", &o.weight, FD_WEIGHT),
        ] {
            if let Some(v) = value
                && !range.contains(v.get_ref())
            {
                c.push(
                    format!("{key}.{field}"),
                    Some(v.span()),
                    format!(
                        "{field} {} is out of range; Front Door takes {} to {}",
                        v.get_ref(),
                        range.start(),
                        range.end()
                    ),
                );
            }
        }
    }
}
